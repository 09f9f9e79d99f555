//! The binary's use of the credential provider chain (`nubo-credentials`): resolving credentials for a
//! command, and the commands about them (`configure explain`, `configure export-credentials`,
//! `sso login`, `sso logout`).

use crate::error::{CliError, CliResult, exit};
use nubo_credentials::Resolved;
use nubo_session::Session;
use std::io::Write;

/// The winning link's TYPE and LOCATION for `configure list`, or `None` when there are no credentials.
pub fn for_list(ctx: &Session) -> CliResult<Option<&Resolved>> {
    match ctx.resolved() {
        Ok(res) => Ok(Some(res)),
        Err(CliError::Config(_) | CliError::Credentials(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `configure explain [--profile P]`.
pub fn explain(ctx: &Session, rest: &[String]) -> CliResult<i32> {
    let mut opts = nubo_credentials::ExplainOptions::default();
    for a in rest {
        match a.as_str() {
            "--no-imds" => opts.probe_imds = false,
            other => return Err(CliError::Usage(format!("Unknown options: {other}"))),
        }
    }
    let input = ctx.credentials_input()?;
    let explanation = ctx.runtime()?.block_on(nubo_credentials::explain(&input, opts));
    print!("{}", explanation.render());
    Ok(exit::OK)
}

/// `configure export-credentials [--format F]`.
pub fn export(ctx: &Session, rest: &[String]) -> CliResult<i32> {
    let a = crate::customize::args::parse(rest, &[crate::customize::args::value("format")])?;
    let format = match a.get("format") {
        None => nubo_credentials::Format::Process,
        Some(v) => v.parse().map_err(|_| {
            CliError::Usage(format!(
                "argument --format: Invalid choice '{v}', valid choices are: process | env | env-no-export | powershell | windows-cmd | fish"
            ))
        })?,
    };
    let mut input = ctx.credentials_input()?;
    let guard = nubo_credentials::recursion_guard(&ctx.env, &input.profile)?;
    input.process_env.push(guard);
    let resolved = ctx.runtime()?.block_on(nubo_credentials::resolve(&input))?;
    print!("{}", resolved.export(format));
    Ok(exit::OK)
}

/// `sso login [--sso-session S] [--no-browser]` and `sso logout`.
pub fn sso(ctx: &Session, sub: &str, rest: &[String]) -> CliResult<i32> {
    let input = ctx.credentials_input()?;
    let rt = ctx.runtime()?;
    match sub {
        "login" => {
            use crate::customize::args::{flag, parse, value};
            // nubo never opens a browser: the verification URL and code are always printed.
            let a = parse(rest, &[value("sso-session"), flag("no-browser"), flag("use-device-code")])?;
            let opts =
                nubo_credentials::LoginOptions { sso_session: a.get("sso-session").map(str::to_string) };
            let mut err = std::io::stderr();
            let outcome = rt.block_on(nubo_credentials::login(&input, &opts, &mut err))?;
            println!("Successfully logged into Start URL: {}", outcome.start_url);
            Ok(exit::OK)
        }
        _ => {
            if let Some(a) = rest.first() {
                return Err(CliError::Usage(format!("Unknown options: {a}")));
            }
            rt.block_on(nubo_credentials::logout(&input))?;
            std::io::stdout().flush()?;
            Ok(exit::OK)
        }
    }
}
