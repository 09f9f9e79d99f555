//! IAM Identity Center role credentials: the cached access token (refreshed with the refresh token
//! when an `sso_session` token nears expiry), then the portal's anonymous `GetRoleCredentials`;
//! results are cached in `~/.aws/cli/cache` as the CLI caches them (`"ProviderType": "sso"`, which
//! `sso logout` removes).

use super::{Fetched, sts_cache};
use crate::aws::{self, Api, str_of};
use crate::error::CredentialsError;
use crate::input::Input;
use crate::link::LinkKind;
use crate::profile_chain::SsoConfig;
use crate::sso_token;
use crate::timefmt;
use nubo_sign::Credentials;
use serde_json::{Map, Value, json};

const LINK: LinkKind = LinkKind::Sso;

/// The CLI's message for an expired or revoked session.
pub(crate) const EXPIRED: &str =
    "The SSO session associated with this profile has expired or is otherwise invalid.";

fn expired(input: &Input, detail: &str) -> CredentialsError {
    CredentialsError::retrieval(LINK, format!("{EXPIRED} {detail}")).with_hint(sso_token::login_hint(input))
}

/// Account and role, which a token-only profile (an `sso_session` alone) lacks.
pub(crate) fn role_of(cfg: &SsoConfig) -> Result<(&str, &str), CredentialsError> {
    match (cfg.account_id.as_deref(), cfg.role_name.as_deref()) {
        (Some(a), Some(r)) => Ok((a, r)),
        _ => Err(CredentialsError::retrieval(
            LINK,
            format!(
                "the profile \"{}\" has an sso_session but no sso_account_id and sso_role_name, so it gives no credentials",
                cfg.profile
            ),
        )),
    }
}

/// The cache key of the role credentials.
pub(crate) fn cache_key(cfg: &SsoConfig) -> Option<String> {
    let (a, r) = role_of(cfg).ok()?;
    Some(sts_cache::key_of_sso(a, r, cfg.session.as_deref(), &cfg.start_url))
}

/// A usable access token: the cached one, refreshed when near expiry (session tokens only).
pub(crate) async fn access_token(input: &Input, cfg: &SsoConfig) -> Result<String, CredentialsError> {
    let session = cfg.session.as_deref();
    let mut token = sso_token::load(input, &cfg.start_url, session)?;
    let now = input.now();
    if let Some(s) = session
        && timefmt::seconds_until(token.expires_at, now) < sso_token::REFRESH_WINDOW_SECS
        && let Some(fresh) = sso_token::refresh(input, &cfg.start_url, s, &cfg.region, &token).await
    {
        token = fresh;
    }
    if timefmt::seconds_until(token.expires_at, now) <= 0.0 {
        return Err(expired(
            input,
            &format!(
                "The cached token of {} expired at {}.",
                session.unwrap_or(&cfg.start_url),
                timefmt::iso_z(token.expires_at)
            ),
        ));
    }
    Ok(token.access_token)
}

/// Fetches the role credentials (or takes them from the cache).
pub(crate) async fn fetch(input: &Input, cfg: &SsoConfig) -> Result<Fetched, CredentialsError> {
    let (account, role) = role_of(cfg)?;
    let key = sts_cache::key_of_sso(account, role, cfg.session.as_deref(), &cfg.start_url);
    if let Some(f) = sts_cache::load(input, &key) {
        return Ok(f);
    }
    let token = access_token(input, cfg).await?;
    let params = json!({"roleName": role, "accountId": account, "accessToken": token});
    let out = match aws::call(input, Api::Sso, &cfg.region, "GetRoleCredentials", &params, None).await {
        Ok(out) => out,
        Err(e) if e.code() == Some("UnauthorizedException") => {
            return Err(expired(input, "The portal refused the cached token."));
        }
        Err(e) => {
            return Err(CredentialsError::retrieval(
                LINK,
                format!("could not get the credentials of role {role} in account {account}: {e}"),
            ));
        }
    };
    let fail = |why: &str| CredentialsError::retrieval(LINK, format!("the GetRoleCredentials answer {why}"));
    let rc = out.get("roleCredentials").ok_or_else(|| fail("has no roleCredentials"))?;
    let (Some(access), Some(secret)) = (str_of(rc, "accessKeyId"), str_of(rc, "secretAccessKey")) else {
        return Err(fail("has no access key"));
    };
    let expiry = rc
        .get("expiration")
        .and_then(Value::as_i64)
        .and_then(timefmt::from_epoch_millis)
        .ok_or_else(|| fail("has no expiration"))?;
    let fetched = Fetched {
        credentials: Credentials::new(access, secret, str_of(rc, "sessionToken").map(str::to_string)),
        expiry: Some(expiry),
        account_id: Some(account.to_string()),
    };
    let mut extra = Map::new();
    extra.insert("ProviderType".into(), json!("sso"));
    sts_cache::store(input, &key, &fetched, extra, true);
    Ok(fetched)
}
