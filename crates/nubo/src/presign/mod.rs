//! Presigned URLs: `nubo s3 presign`, `nubo presign <service> <operation>`, and `nubo eks get-token`.
//!
//! A presign prepares the operation's request exactly as a call would (serializer, endpoint rules,
//! addressing style, configured endpoints), then shapes it the way the AWS SDK for Python presigns:
//! a form-encoded body moved into the query, no user agent; and signs it in the query string
//! (`X-Amz-Expires`, S3 with `UNSIGNED-PAYLOAD`).

mod eks;
mod query;
mod s3uri;

pub use eks::eks_get_token;

use crate::context::Context;
use crate::error::{CliError, CliResult, exit};
use crate::operation::{client_error, credentials, endpoint_config, signing_time};
use nubo_client::{Auth, Service};
use nubo_model::Operation;
use nubo_settings::chain::Resolver;
use serde_json::{Value, json};
use std::time::Duration;

/// How long a presigned URL is valid when `--expires-in` is not given.
const DEFAULT_EXPIRES_IN: u64 = 3600;
/// The longest a SigV4 presigned URL can be valid: 7 days.
const MAX_EXPIRES_IN: u64 = 604_800;
/// Methods `--method` accepts.
const METHODS: [&str; 5] = ["GET", "PUT", "HEAD", "DELETE", "POST"];

/// One request to presign.
pub(crate) struct Presign<'a> {
    pub service: &'a Service,
    pub op: &'a Operation,
    pub input: &'a Value,
    /// The HTTP method the URL is for; by default the operation's, or GET when its input travels in
    /// a form body (query protocols).
    pub method: Option<String>,
    pub expires_in: u64,
    /// Headers signed in besides `host`; whoever uses the URL must send them.
    pub headers: Vec<(String, String)>,
    /// Keys to sign with instead of the credential chain's.
    pub credentials: Option<nubo_sign::Credentials>,
}

/// `nubo s3 presign s3://bucket/key [--expires-in S]`.
pub fn s3_presign(ctx: &Context, args: &[String]) -> CliResult<i32> {
    let mut args = args.to_vec();
    let expires_in = take_expires_in(&mut args)?;
    let path = match args.as_slice() {
        [] => return Err(CliError::Usage("the following arguments are required: path".into())),
        [p] if !p.starts_with("--") => p.clone(),
        [p, rest @ ..] if !p.starts_with("--") => return Err(unknown_options(rest)),
        other => return Err(unknown_options(other)),
    };
    let (bucket, key) = s3uri::bucket_and_key(&path)?;
    let service = crate::operation::load_by_service_name(ctx, "s3")?;
    let op = service
        .model
        .operations
        .get("GetObject")
        .ok_or_else(|| CliError::Other("the s3 model has no GetObject operation".into()))?;
    let input = json!({"Bucket": bucket, "Key": key});
    let r = ctx.resolver()?;
    let p = Presign {
        service: &service,
        op,
        input: &input,
        method: None,
        expires_in,
        headers: Vec::new(),
        credentials: None,
    };
    println!("{}", presign_url(ctx, &r, p)?);
    Ok(exit::OK)
}

/// `nubo presign <service> <operation> [operation options] [--expires-in S] [--method M]`.
pub fn general(ctx: &Context, args: &[String]) -> CliResult<i32> {
    let mut args = args.to_vec();
    let expires_in = take_expires_in(&mut args)?;
    let method = match take_value(&mut args, "--method")? {
        Some(m) => Some(check_method(&m)?),
        None => None,
    };
    let Some(cli_service) = args.first().cloned() else {
        return Err(CliError::Usage("the following arguments are required: service".into()));
    };
    let service = crate::operation::load_service(ctx, &cli_service)?;
    let Some(cli_op) = args.get(1).cloned() else {
        return Err(CliError::Usage("the following arguments are required: operation".into()));
    };
    let op = crate::operation::find_operation(&service, &cli_service, &cli_op)?;
    let r = ctx.resolver()?;
    // A URL is one request: no pagination options.
    let mut opts = crate::operation::arg_options(ctx, &r, &cli_service, &service, op);
    opts.paginated = false;
    opts.no_paginate = true;
    let op_args =
        crate::customize::rewrite_args(&cli_service, &cli_op, &args[2..]).map_err(CliError::Usage)?;
    let parsed = parse_args(&service, op, &op_args, &opts)?;
    for w in &parsed.warnings {
        eprintln!("{w}");
    }
    if parsed.help {
        crate::help::operation(&service, op, &opts);
        return Ok(exit::OK);
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
    println!("{}", presign_url(ctx, &r, p)?);
    Ok(exit::OK)
}

/// Prepares, shapes and signs `p`, and returns the URL.
pub(crate) fn presign_url(ctx: &Context, r: &Resolver<'_>, p: Presign<'_>) -> CliResult<String> {
    // As in the AWS CLI v2, the endpoint and signing region are the rule set's, as for a call
    // (v1 moved S3 presigns to the global endpoint); no checksum is computed for the URL's body.
    let mut cfg = endpoint_config(ctx, r, p.service)?;
    cfg.checksums.presign = true;
    let mut prepared = nubo_client::prepare(p.service, p.op, p.input, &cfg, ctx.globals.no_sign_request)
        .map_err(client_error)?;
    let form = take_form_body(&mut prepared)
        .map_err(|why| CliError::Usage(format!("{} cannot be presigned: its request {why}", p.op.name)))?;
    prepared
        .headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("user-agent") && !n.eq_ignore_ascii_case("content-length"));
    prepared.method = match (p.method, &form) {
        (Some(m), _) => m,
        (None, Some(_)) => "GET".into(),
        (None, None) => prepared.method,
    };
    let (base, q) = query::split_url(&prepared.url);
    let pairs = query::merge(query::parse(q), form.unwrap_or_default());
    prepared.url = match pairs.is_empty() {
        true => base.to_string(),
        false => format!("{base}?{}", query::encode(&pairs)),
    };
    prepared.headers.extend(p.headers);
    let creds = match (&prepared.auth, p.credentials) {
        (Auth::Anonymous, _) => None,
        (Auth::SigV4 { .. }, Some(c)) => Some(c),
        (Auth::SigV4 { .. }, None) => Some(credentials(ctx, r)?),
    };
    let time = signing_time(ctx)?;
    let signed = nubo_client::sign(&prepared, creds.as_ref(), time, Some(Duration::from_secs(p.expires_in)))
        .map_err(client_error)?;
    Ok(signed.url)
}

/// Takes a form-encoded body out of the request as query parameters. Any other body cannot travel in
/// a URL: the error says what the body is.
fn take_form_body(prepared: &mut nubo_client::Prepared) -> Result<Option<query::Pairs>, String> {
    if prepared.body.is_empty() {
        return Ok(None);
    }
    let content_type = prepared
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    if !content_type.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        let kind = if content_type.is_empty() { String::new() } else { format!(" ({content_type})") };
        return Err(format!("has a body{kind}, which a URL cannot carry"));
    }
    let pairs = query::parse(&String::from_utf8_lossy(&prepared.body));
    prepared.body.clear();
    prepared.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
    Ok(Some(pairs))
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
            nubo_args::parse(&service.model, op, &with_outfile, opts).map_err(args_error)
        }
        other => other.map_err(args_error),
    }
}

fn args_error(e: nubo_args::ArgsError) -> CliError {
    match e.kind {
        nubo_args::ErrorKind::Validation => CliError::Invalid(e.to_string()),
        nubo_args::ErrorKind::Other => CliError::Other(e.to_string()),
        _ => CliError::Usage(e.to_string()),
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
