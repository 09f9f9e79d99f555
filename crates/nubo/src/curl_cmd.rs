//! `nubo curl [-X METHOD] [-H 'Name: value']… [-d DATA|@file] [--service S] URL`: signs and sends any
//! HTTP request with the chain's credentials.

use crate::context::Context;
use crate::error::{CliError, CliResult};

pub fn run(_ctx: &Context, _args: &[String]) -> CliResult<i32> {
    Err(CliError::Other("curl is not implemented yet".into()))
}
