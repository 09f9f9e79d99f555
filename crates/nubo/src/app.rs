//! Top-level dispatch: global options, then the command (`configure`, …), then the exit code.

use crate::error::{CliError, CliResult, USAGE, exit};
use crate::globals;
use nubo_session::Session;
use nubo_settings::env::Env;
use std::io::Write;

/// Runs one command line (without the program name) and returns the process exit code.
pub fn run(args: &[String], env: Env) -> i32 {
    if let Some(code) = crate::completion::from_env(args, &env) {
        return code;
    }
    let split = match globals::split(args) {
        Ok(s) => s,
        Err(e) => {
            report(&e, "legacy");
            return e.exit_code();
        }
    };
    let ctx = Session::new(split.globals, env);
    let started_ms = crate::history::now_ms();
    let code = match run_inner(&ctx, &split.rest) {
        Ok(code) => code,
        Err(e) => {
            report(&e, &ctx.error_format());
            e.exit_code()
        }
    };
    crate::history::record(&ctx, args, &split.rest, code, started_ms);
    code
}

/// Prints an error the way the AWS CLI does for its kind: a usage error after the usage text, the
/// others in the `--cli-error-format` asked for.
pub fn report(e: &CliError, format: &str) {
    let mut err = std::io::stderr().lock();
    let _ = match e {
        CliError::Usage(m) => write!(err, "{USAGE}\nnubo: error: {m}\n"),
        other => write!(err, "{}", other.render(format)),
    };
}

fn run_inner(ctx: &Session, rest: &[String]) -> CliResult<i32> {
    if ctx.globals.version {
        println!("{}", version_line());
        return Ok(exit::OK);
    }
    if ctx.globals.cli_auto_prompt == Some(true) {
        return Err(CliError::Usage(
            "--cli-auto-prompt: nubo has no interactive prompt; give the whole command (Tab completes it)"
                .into(),
        ));
    }
    let Some(command) = rest.first() else {
        return Err(CliError::Usage("the following arguments are required: command".into()));
    };
    if let Some((cmd, args)) = crate::registry::find(rest) {
        if args.last().is_some_and(|a| a == "help") && cmd.path != ["help"] {
            return crate::help::command(ctx, &rest[..rest.len() - 1]);
        }
        return (cmd.run)(ctx, args);
    }
    // A group of added commands with no model behind it (`ddb`, `history`).
    let group: Vec<&str> = crate::registry::subcommands(command).map(|c| c.path[1]).collect();
    if !group.is_empty() && ctx.cli_service(command).is_err() {
        return match rest.get(1).map(String::as_str) {
            None => Err(CliError::Usage("the following arguments are required: operation".into())),
            Some("help") => crate::help::command(ctx, &rest[..1]),
            Some(op) => Err(CliError::Usage(crate::help::suggest::invalid_choice("operation", op, group))),
        };
    }
    crate::operation::run(ctx, command, &rest[1..])
        .map_err(|e| crate::help::suggest::unknown_command(ctx, command, e))
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
