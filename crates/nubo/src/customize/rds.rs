//! `rds generate-db-auth-token`: the IAM authentication token for an RDS database, made offline: the
//! URL `HOST:PORT/?Action=connect&DBUser=USER` presigned for `rds-db` for 15 minutes, without its
//! scheme, as the AWS SDKs make it.

use super::{api, args};
use crate::error::{CliError, CliResult, exit};
use nubo_session::Session;
use std::time::Duration;

/// How long an RDS auth token is valid.
const EXPIRES_IN: Duration = Duration::from_secs(900);

/// `nubo rds generate-db-auth-token --hostname H --port P --username U [--region R]`.
pub fn generate_db_auth_token(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    let p =
        args::parse(argv, &[args::required("hostname"), args::required("port"), args::required("username")])?;
    let host = p.get("hostname").unwrap_or_default();
    let port = p.int("port")?.unwrap_or_default();
    let user = p.get("username").unwrap_or_default();
    let region = api::region(ctx)?;
    let url =
        format!("https://{host}:{port}/?{}", api::encode_query(&[("Action", "connect"), ("DBUser", user)]));
    let signed = api::presign_url(ctx, &url, "rds-db", &region, EXPIRES_IN)?;
    let token =
        signed.strip_prefix("https://").ok_or_else(|| CliError::Other("unexpected presigned URL".into()))?;
    println!("{token}");
    Ok(exit::OK)
}
