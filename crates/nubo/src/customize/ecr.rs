//! `ecr get-login-password` and `ecr-public get-login-password`: the password half of the registry's
//! authorization token, for `docker login --password-stdin`; and v2's answer to the removed
//! `ecr get-login`.

use super::{api, args};
use crate::error::{CliError, CliResult, exit};
use base64::Engine;
use nubo_session::Session;
use serde_json::json;

/// The only region Amazon ECR Public serves its API from.
const ECR_PUBLIC_REGION: &str = "us-east-1";

/// `nubo ecr get-login-password`: the first registry's password.
pub fn get_login_password(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    args::parse(argv, &[])?;
    let out = api::call(ctx, "ecr", "GetAuthorizationToken", &json!({}))?;
    let token = out["authorizationData"][0]["authorizationToken"].as_str();
    println!("{}", password(token)?);
    Ok(exit::OK)
}

/// `nubo ecr-public get-login-password`. The API lives in us-east-1 only, so that is the region unless
/// `--region` names another.
pub fn public_get_login_password(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    args::parse(argv, &[])?;
    let region = ctx.globals.region.as_deref().unwrap_or(ECR_PUBLIC_REGION);
    let client = api::client_in(ctx, "ecr-public", Some(region))?;
    let out = client.call("GetAuthorizationToken", &json!({}))?;
    let token = out["authorizationData"]["authorizationToken"].as_str();
    println!("{}", password(token)?);
    Ok(exit::OK)
}

/// `nubo ecr get-login`: gone in AWS CLI v2; says what replaces it.
pub fn get_login_removed(_ctx: &Session, _argv: &[String]) -> CliResult<i32> {
    Err(CliError::Usage(
        "argument operation: Invalid choice: 'get-login'\n\
         ecr get-login was removed in AWS CLI v2. Use instead:\n  \
         nubo ecr get-login-password | docker login --username AWS --password-stdin ACCOUNT.dkr.ecr.REGION.amazonaws.com"
            .into(),
    ))
}

/// The password in a base64 `user:password` token.
fn password(token: Option<&str>) -> CliResult<String> {
    let bad = || CliError::Other("the registry returned no usable authorization token".into());
    let bytes =
        base64::engine::general_purpose::STANDARD.decode(token.ok_or_else(bad)?).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (_, pass) = text.split_once(':').ok_or_else(bad)?;
    Ok(pass.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_half() {
        assert_eq!(password(Some("QVdTOnNlY3JldA==")).unwrap(), "secret");
        assert!(password(Some("bm9jb2xvbg==")).is_err());
        assert!(password(None).is_err());
    }
}
