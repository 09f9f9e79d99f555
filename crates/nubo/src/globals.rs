//! The global options of the AWS CLI v2 (plus nubo's own), found anywhere on the command line.
//!
//! The AWS CLI accepts a global option before or after the command (`aws --region x s3 ls` and
//! `aws s3 ls --region x`), while operation options are only known once the service model is loaded.
//! So the global options are taken out of argv in one pass here, and what remains (the command path
//! and the operation's own options) goes on to dispatch. Hand-written because clap cannot parse
//! options whose set is only known at run time alongside these.

use crate::error::{CliError, CliResult};

/// Output formats `--output` accepts.
pub const OUTPUT_FORMATS: [&str; 6] = ["json", "text", "table", "yaml", "yaml-stream", "off"];

pub use nubo_session::Globals;

/// The command line split into global options and the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub globals: Globals,
    /// Everything that is not a global option, in order.
    pub rest: Vec<String>,
}

/// Takes the global options out of `args` (without the program name).
///
/// Everything after a bare `--` is left alone. A value option takes the next argument or `=value`.
pub fn split(args: &[String]) -> CliResult<Split> {
    let mut g = Globals::default();
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            rest.extend(args[i..].iter().cloned());
            break;
        }
        let (given, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        // argparse takes an unambiguous prefix of a global option for the option (`--reg`, `--endpoint`).
        let name = canonical(given)?.unwrap_or(given);
        let value = |i: &mut usize| -> CliResult<String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            *i += 1;
            match args.get(*i) {
                Some(v) => Ok(v.clone()),
                None => Err(CliError::Usage(format!("argument {name}: expected one argument"))),
            }
        };
        match name {
            "--debug" => g.debug = true,
            "--no-verify-ssl" => g.no_verify_ssl = true,
            "--no-paginate" => g.no_paginate = true,
            "--version" => g.version = true,
            "--no-sign-request" => g.no_sign_request = true,
            "--no-cli-pager" => g.no_cli_pager = true,
            "--cli-auto-prompt" => g.cli_auto_prompt = Some(true),
            "--no-cli-auto-prompt" => g.cli_auto_prompt = Some(false),
            "--show-request" => g.show_request = true,
            "--endpoint-url" => g.endpoint_url = Some(value(&mut i)?),
            "--output" => {
                let v = value(&mut i)?;
                if !OUTPUT_FORMATS.contains(&v.as_str()) {
                    return Err(invalid_choice("--output", &v, &OUTPUT_FORMATS));
                }
                g.output = Some(v);
            }
            "--query" => g.query = Some(value(&mut i)?),
            "--profile" => g.profile = Some(value(&mut i)?),
            "--region" => g.region = Some(value(&mut i)?),
            "--color" => {
                let v = value(&mut i)?;
                if !["on", "off", "auto"].contains(&v.as_str()) {
                    return Err(invalid_choice("--color", &v, &["on", "off", "auto"]));
                }
                g.color = Some(v);
            }
            "--ca-bundle" => g.ca_bundle = Some(value(&mut i)?),
            "--cli-read-timeout" => g.cli_read_timeout = Some(int_value(name, &value(&mut i)?)?),
            "--cli-connect-timeout" => g.cli_connect_timeout = Some(int_value(name, &value(&mut i)?)?),
            "--cli-error-format" => {
                let v = value(&mut i)?;
                if !ERROR_FORMATS.contains(&v.as_str()) {
                    return Err(invalid_choice("--cli-error-format", &v, &ERROR_FORMATS));
                }
                g.cli_error_format = Some(v);
            }
            "--cli-binary-format" => {
                let v = value(&mut i)?;
                const CHOICES: [&str; 2] = ["base64", "raw-in-base64-out"];
                if !CHOICES.contains(&v.as_str()) {
                    return Err(invalid_choice("--cli-binary-format", &v, &CHOICES));
                }
                g.cli_binary_format = Some(v);
            }
            _ => rest.push(arg.clone()),
        }
        i += 1;
    }
    Ok(Split { globals: g, rest })
}

/// The global options that are flags.
pub const FLAGS: [&str; 9] = [
    "--debug",
    "--no-verify-ssl",
    "--no-paginate",
    "--version",
    "--no-sign-request",
    "--no-cli-pager",
    "--cli-auto-prompt",
    "--no-cli-auto-prompt",
    "--show-request",
];

/// The global options that take a value.
pub const VALUE_OPTIONS: [&str; 11] = [
    "--endpoint-url",
    "--output",
    "--query",
    "--profile",
    "--region",
    "--color",
    "--ca-bundle",
    "--cli-read-timeout",
    "--cli-connect-timeout",
    "--cli-binary-format",
    "--cli-error-format",
];

/// Every global option, as argparse knows them for prefix matching.
fn names() -> impl Iterator<Item = &'static str> {
    FLAGS.into_iter().chain(VALUE_OPTIONS)
}

/// The `--cli-error-format` values.
pub const ERROR_FORMATS: [&str; 6] = ["enhanced", "json", "yaml", "text", "table", "legacy"];

/// The global option `given` names: itself, or the one option it is a prefix of. A prefix of
/// several is ambiguous (a usage error, as argparse says it); `None` when it names none.
fn canonical(given: &str) -> CliResult<Option<&'static str>> {
    if !given.starts_with("--") || given.len() < 3 {
        return Ok(None);
    }
    if let Some(exact) = names().find(|n| *n == given) {
        return Ok(Some(exact));
    }
    let matches: Vec<&'static str> = names().filter(|n| n.starts_with(given)).collect();
    match matches.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(CliError::Usage(format!("ambiguous option: {given} could match {}", many.join(", ")))),
    }
}

fn int_value(name: &str, v: &str) -> CliResult<u64> {
    v.parse().map_err(|_| CliError::Usage(format!("argument {name}: invalid int value: '{v}'")))
}

fn invalid_choice(name: &str, value: &str, choices: &[&str]) -> CliError {
    CliError::Usage(format!(
        "argument {name}: Invalid choice '{value}', valid choices are: {}",
        choices.join(" | ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(args: &[&str]) -> CliResult<Split> {
        split(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn globals_anywhere() {
        let r = s(&["--region", "eu-west-1", "s3", "ls", "--profile=dev", "--debug", "s3://b"]).unwrap();
        assert_eq!(r.globals.region.as_deref(), Some("eu-west-1"));
        assert_eq!(r.globals.profile.as_deref(), Some("dev"));
        assert!(r.globals.debug);
        assert_eq!(r.rest, ["s3", "ls", "s3://b"]);
    }

    #[test]
    fn bad_values_are_usage_errors() {
        assert!(matches!(s(&["--output", "xml"]), Err(CliError::Usage(_))));
        assert!(matches!(s(&["--region"]), Err(CliError::Usage(_))));
        assert!(matches!(s(&["--cli-read-timeout", "x"]), Err(CliError::Usage(_))));
        assert!(matches!(s(&["--color", "blue"]), Err(CliError::Usage(_))));
    }

    #[test]
    fn unambiguous_prefixes() {
        let r =
            s(&["--reg", "eu-west-1", "--endpoint=http://x", "--out", "text", "sts", "get-caller-identity"])
                .unwrap();
        assert_eq!(r.globals.region.as_deref(), Some("eu-west-1"));
        assert_eq!(r.globals.endpoint_url.as_deref(), Some("http://x"));
        assert_eq!(r.globals.output.as_deref(), Some("text"));
        assert_eq!(r.rest, ["sts", "get-caller-identity"]);
        let e = s(&["--cli", "x"]).unwrap_err().to_string();
        assert!(e.starts_with("ambiguous option: --cli could match --cli-auto-prompt, "), "{e}");
        // Not a prefix of a global option: left for the operation.
        assert_eq!(s(&["--instance-ids", "i-1"]).unwrap().rest, ["--instance-ids", "i-1"]);
    }

    #[test]
    fn double_dash_stops() {
        let r = s(&["x", "--", "--region", "y"]).unwrap();
        assert_eq!(r.globals.region, None);
        assert_eq!(r.rest, ["x", "--", "--region", "y"]);
    }
}
