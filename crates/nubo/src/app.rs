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
    if split.globals.cli_auto_prompt == Some(true) {
        return Err(CliError::Usage(
            "--cli-auto-prompt: nubo has no interactive prompt; give the whole command (Tab completes it)"
                .into(),
        ));
    }
    let ctx = Session::new(split.globals, env);
    let rest = split.rest;
    let Some(command) = rest.first() else {
        return Err(CliError::Usage("the following arguments are required: command".into()));
    };
    if let Some((cmd, args)) = crate::registry::find(&rest) {
        if args.last().is_some_and(|a| a == "help") && cmd.path != ["help"] {
            return crate::help::command(&ctx, &rest[..rest.len() - 1]);
        }
        return (cmd.run)(&ctx, args);
    }
    crate::operation::run(&ctx, command, &rest[1..])
        .map_err(|e| crate::help::suggest::unknown_command(&ctx, command, e))
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
