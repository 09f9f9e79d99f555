//! `nubo configure` and its subcommands, one module each.

mod add_model;
mod dump;
mod get;
mod import;
mod interactive;
mod list;
mod list_profiles;
mod set;
mod sso;

use crate::error::{CliError, CliResult};
use nubo_session::Session;
use nubo_settings::parse::FileKind;
use std::path::PathBuf;

/// Runs `configure [SUBCOMMAND] …` (`args` excludes `configure`).
pub fn run(ctx: &Session, args: &[String]) -> CliResult<i32> {
    let Some(sub) = args.first() else { return interactive::run(ctx) };
    let rest = &args[1..];
    match sub.as_str() {
        "list" => list::run(ctx, rest),
        "get" => get::run(ctx, rest),
        "set" => set::run(ctx, rest),
        "list-profiles" => list_profiles::run(ctx, rest),
        "import" => import::run(ctx, rest),
        "dump" => dump::run(ctx, rest),
        "add-model" => add_model::run(ctx, rest),
        "sso" => sso::sso(ctx, rest),
        "sso-session" => sso::sso_session(ctx, rest),
        "explain" => crate::credentials::explain(ctx, rest),
        "export-credentials" => crate::credentials::export(ctx, rest),
        other if other.starts_with('-') => Err(CliError::Usage(format!("Unknown options: {other}"))),
        other => Err(CliError::Usage(format!(
            "argument subcommand: Invalid choice '{other}', valid choices are: list | get | set | \
             list-profiles | import | dump | add-model | sso | sso-session | explain | export-credentials"
        ))),
    }
}

/// Where configuration writes go: the config file or the credentials file, as the environment says.
pub fn file_path(ctx: &Session, kind: FileKind) -> PathBuf {
    match kind {
        FileKind::Config => nubo_settings::location::config_file(&ctx.env),
        FileKind::Credentials => nubo_settings::location::credentials_file(&ctx.env),
    }
}

/// Rejects any argument left over after a subcommand took what it needs.
pub fn no_more_args(rest: &[String]) -> CliResult<()> {
    match rest.first() {
        None => Ok(()),
        Some(_) => Err(CliError::Usage(format!("Unknown options: {}", rest.join(", ")))),
    }
}

pub use nubo_settings::dump::mask_value as mask;

/// Keys the AWS CLI writes to the credentials file rather than the config file.
pub const CREDENTIAL_KEYS: [&str; 4] =
    ["aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_security_token"];
