//! `login [--remote]` and `logout [--all]` (AWS CLI v2 2.32+): console credentials for local
//! development. `login` runs the sign-in service's authorization-code flow with PKCE (the
//! protocol lives in `nubo_credentials::console_login`): it prints the authorization URL (nubo
//! never opens a browser) and waits for the redirect on a 127.0.0.1 callback, or with `--remote`
//! reads the code the browser shows; then it writes the token to the login cache and
//! `login_session` (and, when none was configured, `region`) to the profile in the config file.
//! `logout` removes the profile's cached token (`--all`: every login token).

use crate::error::{CliError, CliResult, exit};
use nubo_credentials::console_login::{self, CodeSource};
use nubo_session::Session;
use nubo_settings::chain::{self, Resolver};
use nubo_settings::edit::{self, SectionName};
use nubo_settings::parse::FileKind;
use std::io::{BufRead, Write};

/// The region when none is configured (the CLI offers it as the prompt's default).
const DEFAULT_REGION: &str = "us-east-1";

fn profile_name(ctx: &Session) -> String {
    let p = ctx.profile();
    if p.source == chain::Source::Default { "default".to_string() } else { p.value }
}

/// Refuses a profile that already has another kind of credentials (they would win over login).
fn check_no_other_credentials(
    name: &str,
    section: Option<&nubo_settings::profiles::Section>,
) -> CliResult<()> {
    let Some(s) = section else { return Ok(()) };
    let style = if s.get("web_identity_token_file").is_some() {
        "Web Identity"
    } else if s.get("sso_role_name").is_some() || s.get("sso_account_id").is_some() {
        "SSO"
    } else if s.get("aws_access_key_id").is_some() {
        "Access Key"
    } else if s.get("role_arn").is_some() {
        "Assume Role"
    } else if s.get("credential_process").is_some() {
        "Credential Process"
    } else {
        return Ok(());
    };
    Err(CliError::Config(format!(
        "Profile '{name}' is already configured with {style} credentials. Run 'nubo login --profile new-profile-name' to create a new profile, or first remove the existing credentials from '{name}'."
    )))
}

/// `login [--remote]`.
pub fn login(ctx: &Session, rest: &[String]) -> CliResult<i32> {
    let mut remote = false;
    for a in rest {
        match a.as_str() {
            "--remote" => remote = true,
            other => return Err(CliError::Usage(format!("Unknown options: {other}"))),
        }
    }
    let files = ctx.files()?.clone();
    let name = profile_name(ctx);
    let section = files.profile(&name);
    check_no_other_credentials(&name, section)?;
    let configured_region = ctx.globals.region.clone().or_else(|| {
        let r = Resolver { env: &ctx.env, files: &files, profile: &name };
        let s = chain::region(&r, None);
        (s.source != chain::Source::Default && !s.value.is_empty()).then_some(s.value)
    });
    let region = configured_region.clone().unwrap_or_else(|| DEFAULT_REGION.to_string());
    let mut env = ctx.env.clone();
    if let Some(url) = &ctx.globals.endpoint_url {
        env = env.with("AWS_ENDPOINT_URL_SIGNIN", url.clone());
    }
    let http = ctx.http("signin")?;
    let mut input =
        nubo_credentials::Input::new(env, files.clone(), name.clone(), true, region.clone(), http);
    input.models = ctx.loader();
    let rt = ctx.runtime()?;
    let mut err = std::io::stderr();
    let mut stdin = std::io::BufReader::new(std::io::stdin());
    let source = if remote { CodeSource::Paste(&mut stdin) } else { CodeSource::Callback };
    let outcome = rt.block_on(console_login::console_login(&input, &region, source, &mut err))?;
    if let Some(existing) = section.and_then(|s| s.get("login_session"))
        && existing != outcome.session
    {
        print!(
            "\nProfile {name} is already configured to use session {existing}. Do you want to overwrite it to use {} instead? (y/n): ",
            outcome.session
        );
        std::io::stdout().flush()?;
        let mut answer = String::new();
        stdin.read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
            return Ok(exit::OK);
        }
    }
    let path = nubo_settings::location::config_file(&ctx.env);
    let mut values: Vec<(&str, &str)> = vec![("login_session", outcome.session.as_str())];
    if configured_region.is_none() {
        values.push(("region", region.as_str()));
        eprintln!(
            "No AWS region was configured; the profile \"{name}\" now uses {region} (change it with \"nubo configure set region REGION\")."
        );
    }
    edit::set_values(&path, FileKind::Config, &SectionName::Profile(name.clone()), &values)
        .map_err(|e| CliError::Config(e.to_string()))?;
    println!("\nUpdated profile {name} to use {} credentials.", outcome.session);
    if name != "default" {
        println!(
            "Use \"--profile {name}\" to use the new credentials, such as \"nubo sts get-caller-identity --profile {name}\""
        );
    }
    Ok(exit::OK)
}

/// `logout [--all]`.
pub fn logout(ctx: &Session, rest: &[String]) -> CliResult<i32> {
    let mut all = false;
    for a in rest {
        match a.as_str() {
            "--all" => all = true,
            other => return Err(CliError::Usage(format!("Unknown options: {other}"))),
        }
    }
    if all {
        let n = console_login::console_logout_all(&ctx.env)?;
        if n > 0 {
            println!(
                "Removed {n} cached login credential{}. Note, any local developer tools that have already loaded access tokens may continue to use them until their expiration. Access tokens expire in 15 minutes.",
                if n == 1 { "" } else { "s" }
            );
        } else {
            println!("No cached login session tokens found.");
        }
        return Ok(exit::OK);
    }
    let name = profile_name(ctx);
    let session = ctx.files()?.profile(&name).and_then(|s| s.get("login_session")).map(str::to_string);
    let Some(session) = session else {
        eprintln!("warning: no login session found for profile '{name}'");
        return Ok(exit::OK);
    };
    console_login::console_logout(&ctx.env, &session)?;
    println!(
        "Removed cached login credentials for profile '{name}'. Note, any local developer tools that have already loaded the access token may continue to use it until its expiration. Access tokens expire in 15 minutes."
    );
    Ok(exit::OK)
}
