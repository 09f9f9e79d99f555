//! Top-level dispatch: global options, then the command (`configure`, …), then the exit code.

use crate::context::Context;
use crate::error::{CliError, CliResult, USAGE, exit};
use crate::{configure, globals};
use nubo_settings::env::Env;
use std::io::Write;

/// Runs one command line (without the program name) and returns the process exit code.
pub fn run(args: &[String], env: Env) -> i32 {
    match run_inner(args, env) {
        Ok(code) => code,
        Err(e) => {
            report(&e);
            e.exit_code()
        }
    }
}

/// Prints an error the way the AWS CLI does for its kind.
pub fn report(e: &CliError) {
    let mut err = std::io::stderr().lock();
    match e {
        CliError::Usage(m) => {
            let _ = write!(err, "{USAGE}\nnubo: error: {m}\n");
        }
        _ => {
            let _ = writeln!(err, "\n{e}");
        }
    }
}

fn run_inner(args: &[String], env: Env) -> CliResult<i32> {
    let split = globals::split(args)?;
    if split.globals.version {
        println!("{}", version_line());
        return Ok(exit::OK);
    }
    let ctx = Context::new(split.globals, env);
    let rest = split.rest;
    let Some(command) = rest.first() else {
        return Err(CliError::Usage("the following arguments are required: command".into()));
    };
    match command.as_str() {
        "configure" => configure::run(&ctx, &rest[1..]),
        "sign" => crate::sign_cmd::run(&ctx, &rest[1..]),
        "debug" => crate::debug_cmd::run(&ctx, &rest[1..]),
        "curl" => crate::curl_cmd::run(&ctx, &rest[1..]),
        "presign" => crate::presign::general(&ctx, &rest[1..]),
        "s3" => match rest.get(1).map(String::as_str) {
            Some("presign") => crate::presign::s3_presign(&ctx, &rest[2..]),
            _ => crate::s3_cmd::run(&ctx, &rest[1..]),
        },
        "sso" if matches!(rest.get(1).map(String::as_str), Some("login" | "logout")) => {
            crate::credentials::sso(&ctx, &rest[1], &rest[2..])
        }
        "eks" if rest.get(1).map(String::as_str) == Some("get-token") => {
            crate::presign::eks_get_token(&ctx, &rest[2..])
        }
        "help" => {
            print!("{USAGE}");
            Ok(exit::OK)
        }
        // Commands the CLI adds to a service come before the model's operations.
        other => match rest.get(1).and_then(|sub| crate::customize::find(other, sub)) {
            Some(added) => (added.run)(&ctx, &rest[2..]),
            None => crate::operation::run(&ctx, other, &rest[1..]),
        },
    }
}

/// The `--version` line, in the AWS CLI's shape (`name/version runtime os/arch`).
pub fn version_line() -> String {
    format!(
        "nubo/{} Rust {}/{} (aws-cli/2 compatible)",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}
