//! The SSO access token cache (`~/.aws/sso/cache/<sha1 of the session name or start URL>.json`, in
//! the CLI's layout) and its refresh with the refresh token through SSO OIDC `CreateToken`.

use crate::aws::{self, Api, str_of};
use crate::cache::{self, FileCache};
use crate::error::CredentialsError;
use crate::input::Input;
use crate::link::LinkKind;
use crate::timefmt;
use serde_json::{Value, json};
use std::time::{Duration, SystemTime};

/// Tokens with less than this many seconds left are refreshed.
pub(crate) const REFRESH_WINDOW_SECS: f64 = 15.0 * 60.0;

/// The cache key of a token.
pub(crate) fn token_key(start_url: &str, session: Option<&str>) -> String {
    cache::sha1_hex(session.unwrap_or(start_url))
}

/// A cached token.
#[derive(Clone)]
pub(crate) struct Token {
    pub doc: Value,
    pub access_token: String,
    pub expires_at: SystemTime,
}

/// How the token's owner is named in messages: the session name or the start URL.
fn name<'a>(start_url: &'a str, session: Option<&'a str>) -> &'a str {
    session.unwrap_or(start_url)
}

/// The hint to sign in again.
pub(crate) fn login_hint(input: &Input) -> String {
    if input.profile == "default" {
        "Run \"nubo sso login\" to sign in again.".into()
    } else {
        format!("Run \"nubo sso login --profile {}\" to sign in again.", input.profile)
    }
}

/// The cached token, or an error naming it (with the hint to log in).
pub(crate) fn load(input: &Input, start_url: &str, session: Option<&str>) -> Result<Token, CredentialsError> {
    let missing = || {
        CredentialsError::retrieval(
            LinkKind::Sso,
            format!(
                "Error loading SSO Token: Token for {} does not exist (no cached token from \"nubo sso login\")",
                name(start_url, session)
            ),
        )
        .with_hint(login_hint(input))
    };
    let cache = FileCache::sso(&input.env).ok_or_else(missing)?;
    let doc = cache.get(&token_key(start_url, session)).ok_or_else(missing)?;
    let invalid = || {
        CredentialsError::retrieval(
            LinkKind::Sso,
            format!("Error loading SSO Token: Token for {} is invalid", name(start_url, session)),
        )
        .with_hint(login_hint(input))
    };
    let access_token = str_of(&doc, "accessToken").ok_or_else(invalid)?.to_string();
    let expires_at = str_of(&doc, "expiresAt").and_then(timefmt::parse).ok_or_else(invalid)?;
    Ok(Token { doc, access_token, expires_at })
}

/// Writes a token document.
pub(crate) fn save(input: &Input, start_url: &str, session: Option<&str>, doc: &Value) -> Result<(), String> {
    let cache = FileCache::sso(&input.env).ok_or("there is no home directory for ~/.aws/sso/cache")?;
    cache.put(&token_key(start_url, session), doc)
}

/// Refreshes a session token with its refresh token, saves and returns it; `None` when it cannot
/// be refreshed (no refresh token, an expired registration, a refused call).
pub(crate) async fn refresh(
    input: &Input,
    start_url: &str,
    session: &str,
    region: &str,
    token: &Token,
) -> Option<Token> {
    let doc = &token.doc;
    let (refresh_token, client_id, client_secret, reg_exp) = (
        str_of(doc, "refreshToken")?,
        str_of(doc, "clientId")?,
        str_of(doc, "clientSecret")?,
        str_of(doc, "registrationExpiresAt")?,
    );
    let now = input.now();
    if timefmt::seconds_until(timefmt::parse(reg_exp)?, now) <= 0.0 {
        return None;
    }
    let params = json!({
        "grantType": "refresh_token",
        "clientId": client_id,
        "clientSecret": client_secret,
        "refreshToken": refresh_token,
    });
    let out = aws::call(input, Api::SsoOidc, region, "CreateToken", &params, None).await.ok()?;
    let access_token = str_of(&out, "accessToken")?.to_string();
    let expires_in = out.get("expiresIn").and_then(Value::as_u64)?;
    let expires_at = now + Duration::from_secs(expires_in);
    let mut new = json!({
        "startUrl": start_url,
        "region": region,
        "accessToken": access_token,
        "expiresAt": timefmt::iso_z(expires_at),
        "clientId": client_id,
        "clientSecret": client_secret,
        "registrationExpiresAt": reg_exp,
    });
    let next_refresh = str_of(&out, "refreshToken").unwrap_or(refresh_token);
    new["refreshToken"] = json!(next_refresh);
    let _ = save(input, start_url, Some(session), &new);
    Some(Token { doc: new, access_token, expires_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sha1_of_the_session_or_url() {
        assert_eq!(token_key("https://u", Some("s")), cache::sha1_hex("s"));
        assert_eq!(token_key("https://u", None), cache::sha1_hex("https://u"));
    }
}
