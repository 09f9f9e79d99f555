//! `configure list-profiles`: every profile name found in the config and credentials files.

use crate::configure::no_more_args;
use crate::error::{CliResult, exit};
use nubo_session::Session;

pub fn run(ctx: &Session, rest: &[String]) -> CliResult<i32> {
    no_more_args(rest)?;
    let mut out = String::new();
    for name in ctx.files()?.profiles.keys() {
        out.push_str(name);
        out.push('\n');
    }
    print!("{out}");
    Ok(exit::OK)
}
