//! The binary's use of the credential provider chain (`nubo-credentials`): resolving credentials for a
//! command, and the commands about them (`configure explain`, `configure export-credentials`,
//! `sso login`, `sso logout`).

use crate::context::Context;
use crate::error::{CliError, CliResult, exit};
use nubo_credentials::{CredentialsError, Input, Resolved};
use nubo_settings::chain::{self, Resolver, Source};
use std::io::Write;

/// The chain's input for this command.
pub fn input(ctx: &Context, r: &Resolver<'_>) -> CliResult<Input> {
    let files = ctx.files()?.clone();
    let profile = ctx.profile();
    let region = chain::region(r, ctx.globals.region.as_deref()).value;
    let http = crate::send::http_client(ctx, r, "sts")?;
    let name = if profile.source == Source::Default { "default".to_string() } else { profile.value };
    let mut input = Input::new(ctx.env.clone(), files, name, ctx.globals.profile.is_some(), region, http);
    input.models = crate::operation::loader(ctx);
    Ok(input)
}

/// The credentials error as the CLI reports it (exit 253), with the chain's hint on its own line.
pub fn error(e: CredentialsError) -> CliError {
    let mut m = e.to_string();
    if let Some(h) = e.hint() {
        m.push('\n');
        m.push_str(h);
    }
    CliError::Config(m)
}

/// Resolves the chain once for this command.
pub fn resolve(ctx: &Context, r: &Resolver<'_>) -> CliResult<Resolved> {
    let input = input(ctx, r)?;
    ctx.runtime()?.block_on(nubo_credentials::resolve(&input)).map_err(error)
}

/// Resolves and returns just the keys (what signing needs).
pub fn credentials(ctx: &Context, r: &Resolver<'_>) -> CliResult<nubo_sign::Credentials> {
    resolve(ctx, r).map(|res| res.credentials)
}

/// The winning link's TYPE and LOCATION for `configure list`, or `None` when there are no credentials.
pub fn for_list(ctx: &Context, r: &Resolver<'_>) -> CliResult<Option<Resolved>> {
    match resolve(ctx, r) {
        Ok(res) => Ok(Some(res)),
        Err(CliError::Config(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `configure explain [--profile P]`.
pub fn explain(ctx: &Context, rest: &[String]) -> CliResult<i32> {
    let mut opts = nubo_credentials::ExplainOptions::default();
    for a in rest {
        match a.as_str() {
            "--no-imds" => opts.probe_imds = false,
            other => return Err(CliError::Usage(format!("Unknown options: {other}"))),
        }
    }
    let r = ctx.resolver()?;
    let input = input(ctx, &r)?;
    let explanation = ctx.runtime()?.block_on(nubo_credentials::explain(&input, opts));
    print!("{}", explanation.render());
    Ok(exit::OK)
}

/// `configure export-credentials [--format F]`.
pub fn export(ctx: &Context, rest: &[String]) -> CliResult<i32> {
    let mut format = nubo_credentials::Format::Process;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" => {
                let v = it
                    .next()
                    .ok_or_else(|| CliError::Usage("argument --format: expected one argument".into()))?;
                format = v.parse().map_err(|_| {
                    CliError::Usage(format!(
                        "argument --format: Invalid choice '{v}', valid choices are: process | env | env-no-export | powershell | windows-cmd | fish"
                    ))
                })?;
            }
            other => return Err(CliError::Usage(format!("Unknown options: {other}"))),
        }
    }
    let r = ctx.resolver()?;
    let mut input = input(ctx, &r)?;
    let guard = nubo_credentials::recursion_guard(&ctx.env, &input.profile).map_err(error)?;
    input.process_env.push(guard);
    let resolved = ctx.runtime()?.block_on(nubo_credentials::resolve(&input)).map_err(error)?;
    print!("{}", resolved.export(format));
    Ok(exit::OK)
}

/// `sso login [--sso-session S] [--no-browser]` and `sso logout`.
pub fn sso(ctx: &Context, sub: &str, rest: &[String]) -> CliResult<i32> {
    let r = ctx.resolver()?;
    let input = input(ctx, &r)?;
    let rt = ctx.runtime()?;
    match sub {
        "login" => {
            let mut opts = nubo_credentials::LoginOptions::default();
            let mut it = rest.iter();
            while let Some(a) = it.next() {
                match a.as_str() {
                    "--sso-session" => {
                        opts.sso_session = Some(it.next().cloned().ok_or_else(|| {
                            CliError::Usage("argument --sso-session: expected one argument".into())
                        })?)
                    }
                    // nubo never opens a browser: the verification URL and code are always printed.
                    "--no-browser" | "--use-device-code" => {}
                    other => return Err(CliError::Usage(format!("Unknown options: {other}"))),
                }
            }
            let mut err = std::io::stderr();
            let outcome = rt.block_on(nubo_credentials::login(&input, &opts, &mut err)).map_err(error)?;
            println!("Successfully logged into Start URL: {}", outcome.start_url);
            Ok(exit::OK)
        }
        _ => {
            if let Some(a) = rest.first() {
                return Err(CliError::Usage(format!("Unknown options: {a}")));
            }
            rt.block_on(nubo_credentials::logout(&input)).map_err(error)?;
            std::io::stdout().flush()?;
            Ok(exit::OK)
        }
    }
}
