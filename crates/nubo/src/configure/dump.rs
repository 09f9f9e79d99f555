//! `configure dump [--profile P] [--reveal]`: the parsed and merged files as JSON (secrets masked).

use crate::error::{CliError, CliResult, exit};
use nubo_session::{Session, profile_not_found};

pub fn run(ctx: &Session, rest: &[String]) -> CliResult<i32> {
    let mut reveal = false;
    for a in rest {
        match a.as_str() {
            "--reveal" => reveal = true,
            other => return Err(CliError::Usage(format!("Unknown options: {other}"))),
        }
    }
    let files = ctx.files()?;
    let only = ctx.globals.profile.as_deref();
    if let Some(p) = only
        && files.profile(p).is_none()
    {
        return Err(profile_not_found(p));
    }
    let json = files.dump(only, reveal);
    println!("{}", serde_json::to_string_pretty(&json).unwrap_or_default());
    Ok(exit::OK)
}
