//! Presigned URLs: `nubo s3 presign`, `nubo presign <service> <operation>`, and `nubo eks get-token`.
//!
//! A presign prepares the operation's request exactly as a call would (serializer, endpoint rules,
//! addressing style, configured endpoints), then shapes it the way the AWS SDK for Python presigns:
//! S3's global endpoint where it would use it, the client's region as the signing region, a
//! form-encoded body moved into the query, no user agent; and signs it in the query string
//! (`X-Amz-Expires`, S3 with `UNSIGNED-PAYLOAD`).

mod eks;
mod s3uri;

pub use eks::eks_get_token;

use crate::error::{CliError, CliResult, exit};
use nubo_client::Service;
use nubo_model::Operation;
use nubo_session::Session;
use nubo_session::presign::Presign;
use serde_json::json;

/// How long a presigned URL is valid when `--expires-in` is not given.
const DEFAULT_EXPIRES_IN: u64 = 3600;
/// The longest a SigV4 presigned URL can be valid: 7 days.
const MAX_EXPIRES_IN: u64 = 604_800;
/// Methods `--method` accepts.
const METHODS: [&str; 5] = ["GET", "PUT", "HEAD", "DELETE", "POST"];

/// `nubo s3 presign s3://bucket/key [--expires-in S]`.
pub fn s3_presign(ctx: &Session, args: &[String]) -> CliResult<i32> {
    let mut args = args.to_vec();
    let expires_in = take_expires_in(&mut args)?;
    let path = match args.as_slice() {
        [] => return Err(CliError::Usage("the following arguments are required: path".into())),
        [p] if !p.starts_with("--") => p.clone(),
        [p, rest @ ..] if !p.starts_with("--") => return Err(unknown_options(rest)),
        other => return Err(unknown_options(other)),
    };
    let (bucket, key) = s3uri::bucket_and_key(&path)?;
    let service = ctx.service("s3")?;
    let op = service
        .model
        .operations
        .get("GetObject")
        .ok_or_else(|| CliError::Other("the s3 model has no GetObject operation".into()))?;
    let input = json!({"Bucket": bucket, "Key": key});
    let p = Presign {
        service: &service,
        op,
        input: &input,
        method: None,
        expires_in,
        headers: Vec::new(),
        credentials: None,
    };
    println!("{}", ctx.presign(p)?);
    Ok(exit::OK)
}

/// `nubo presign <service> <operation> [operation options] [--expires-in S] [--method M]`.
pub fn general(ctx: &Session, args: &[String]) -> CliResult<i32> {
    let mut args = args.to_vec();
    let expires_in = take_expires_in(&mut args)?;
    let method = match take_value(&mut args, "--method")? {
        Some(m) => Some(check_method(&m)?),
        None => None,
    };
    let Some(cli_service) = args.first().cloned() else {
        return Err(CliError::Usage("the following arguments are required: service".into()));
    };
    let service = ctx.cli_service(&cli_service)?;
    let Some(cli_op) = args.get(1).cloned() else {
        return Err(CliError::Usage("the following arguments are required: operation".into()));
    };
    let op = crate::op_lookup::find_operation(&service, &cli_service, &cli_op)?;
    // A URL is one request: no pagination options.
    let mut opts = crate::op_lookup::arg_options(ctx, &cli_service, &service, op);
    opts.paginated = false;
    opts.no_paginate = true;
    let op_args = crate::registry::rewrite_args(&cli_service, &cli_op, &args[2..])?;
    let parsed = parse_args(&service, op, &op_args, &opts)?;
    for w in &parsed.warnings {
        eprintln!("{w}");
    }
    if parsed.help {
        return crate::help::operation(ctx, &service, op, &opts);
    }
    if parsed.skeleton.is_some() {
        return Err(CliError::Usage("presign does not take --generate-cli-skeleton".into()));
    }
    if let Some(stream) = &parsed.streaming_input {
        return Err(CliError::Usage(format!(
            "{cli_service} {cli_op} cannot be presigned with its {} payload: whoever uses the URL sends it",
            stream.member
        )));
    }
    let p = Presign {
        service: &service,
        op,
        input: &parsed.input,
        method,
        expires_in,
        headers: Vec::new(),
        credentials: None,
    };
    println!("{}", ctx.presign(p)?);
    Ok(exit::OK)
}

/// Removes `--expires-in S` (or `--expires-in=S`) from `args` and checks it: 1 ..= 604800 seconds.
fn take_expires_in(args: &mut Vec<String>) -> CliResult<u64> {
    let Some(v) = take_value(args, "--expires-in")? else {
        return Ok(DEFAULT_EXPIRES_IN);
    };
    let n: i64 = v
        .trim()
        .parse()
        .map_err(|_| CliError::Usage(format!("argument --expires-in: invalid int value: '{v}'")))?;
    if n < 1 {
        return Err(CliError::Usage(format!(
            "argument --expires-in: {n} is less than the minimum of 1 second"
        )));
    }
    if n as u64 > MAX_EXPIRES_IN {
        return Err(CliError::Usage(format!(
            "argument --expires-in: {n} is more than {MAX_EXPIRES_IN} seconds (7 days), the longest a presigned URL can be valid"
        )));
    }
    Ok(n as u64)
}

/// Removes `name VALUE` or `name=VALUE` from `args`; the last one given wins.
pub(crate) fn take_value(args: &mut Vec<String>, name: &str) -> CliResult<Option<String>> {
    let mut found = None;
    let mut i = 0;
    while i < args.len() {
        if args[i] == name {
            let Some(v) = args.get(i + 1).cloned() else {
                return Err(CliError::Usage(format!("argument {name}: expected one argument")));
            };
            args.drain(i..i + 2);
            found = Some(v);
        } else if let Some(v) = args[i].strip_prefix(name).and_then(|rest| rest.strip_prefix('=')) {
            found = Some(v.to_string());
            args.remove(i);
        } else {
            i += 1;
        }
    }
    Ok(found)
}

fn check_method(m: &str) -> CliResult<String> {
    let upper = m.to_ascii_uppercase();
    if METHODS.contains(&upper.as_str()) {
        Ok(upper)
    } else {
        Err(CliError::Usage(format!(
            "argument --method: Invalid choice: '{m}' (choose from {})",
            METHODS.iter().map(|m| format!("'{m}'")).collect::<Vec<_>>().join(", ")
        )))
    }
}

pub(crate) fn unknown_options(rest: &[String]) -> CliError {
    CliError::Usage(format!("Unknown options: {}", rest.join(", ")))
}

/// Parses the operation's options. An operation with a streaming output takes an output file name
/// when called; a presign has none to write, so one is supplied when it is missing.
fn parse_args(
    service: &Service,
    op: &Operation,
    args: &[String],
    opts: &nubo_args::ArgOptions,
) -> CliResult<nubo_args::ParsedArgs> {
    match nubo_args::parse(&service.model, op, args, opts) {
        Err(e) if e.kind == nubo_args::ErrorKind::Usage && e.to_string().ends_with("required: outfile") => {
            let mut with_outfile = args.to_vec();
            with_outfile.push("-".into());
            Ok(nubo_args::parse(&service.model, op, &with_outfile, opts)?)
        }
        other => Ok(other?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn expires_in_bounds() {
        let mut a = strings(&["x", "--expires-in", "604800"]);
        assert_eq!(take_expires_in(&mut a).unwrap(), 604_800);
        assert_eq!(a, strings(&["x"]));
        let mut a = strings(&["--expires-in=60"]);
        assert_eq!(take_expires_in(&mut a).unwrap(), 60);
        assert!(a.is_empty());
        assert_eq!(take_expires_in(&mut strings(&["y"])).unwrap(), 3600);
        for bad in ["604801", "0", "-5", "abc", ""] {
            let mut a = strings(&["--expires-in", bad]);
            assert!(matches!(take_expires_in(&mut a), Err(CliError::Usage(_))), "{bad}");
        }
        assert!(take_expires_in(&mut strings(&["--expires-in"])).is_err());
    }

    #[test]
    fn methods() {
        assert_eq!(check_method("put").unwrap(), "PUT");
        assert!(check_method("PATCH").is_err());
    }
}
