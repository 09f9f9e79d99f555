//! `dsql generate-db-connect-auth-token` and `generate-db-connect-admin-auth-token`: the IAM token
//! for an Aurora DSQL cluster, made offline: `HOST/?Action=DbConnect` (or `DbConnectAdmin`)
//! presigned for `dsql`, valid `--expires-in` seconds (900 by default), without its scheme.

use super::{api, args};
use crate::error::{CliError, CliResult, exit};
use nubo_session::Session;
use std::time::Duration;

/// `nubo dsql generate-db-connect-auth-token --hostname H [--expires-in S]`.
pub fn generate_db_connect_auth_token(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    token(ctx, argv, "DbConnect")
}

/// `nubo dsql generate-db-connect-admin-auth-token --hostname H [--expires-in S]`.
pub fn generate_db_connect_admin_auth_token(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    token(ctx, argv, "DbConnectAdmin")
}

fn token(ctx: &Session, argv: &[String], action: &str) -> CliResult<i32> {
    let p = args::parse(argv, &[args::required("hostname"), args::value("expires-in")])?;
    let host = p.get("hostname").unwrap_or_default();
    let expires = p.int("expires-in")?.unwrap_or(900);
    if !(1..=604_800).contains(&expires) {
        return Err(CliError::Usage(format!(
            "argument --expires-in: {expires} is not between 1 and 604800 seconds (7 days)"
        )));
    }
    let region = api::region(ctx)?;
    let url = format!("https://{host}/?{}", api::encode_query(&[("Action", action)]));
    let signed = api::presign_url(ctx, &url, "dsql", &region, Duration::from_secs(expires as u64))?;
    let token =
        signed.strip_prefix("https://").ok_or_else(|| CliError::Other("unexpected presigned URL".into()))?;
    println!("{token}");
    Ok(exit::OK)
}
