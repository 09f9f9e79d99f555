//! `sso login` and `sso logout`.
//!
//! Login runs the OAuth device authorization flow through SSO OIDC: register a public client (the
//! registration is cached beside the tokens and reused until it nears expiry), start the device
//! authorization, print the verification URI and user code (no browser is opened: nubo behaves as
//! `--no-browser`), poll `CreateToken` at the interval the service asks for (five seconds more on
//! `SlowDownException`), and write the token to `~/.aws/sso/cache` as the CLI does.
//!
//! Logout signs every cached token out of the portal (errors ignored, as the CLI ignores them),
//! removes the token files and removes the cached SSO role credentials from `~/.aws/cli/cache`.

use crate::aws::{self, Api, Failure, str_of};
use crate::cache::{self, FileCache};
use crate::error::CredentialsError;
use crate::input::Input;
use crate::link::LinkKind;
use crate::profile_chain::get;
use crate::sso_token;
use crate::timefmt;
use nubo_py::json::{self as pyjson, Style};
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// Options of `sso login`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoginOptions {
    /// `--sso-session NAME`: log in to this session instead of the profile's.
    pub sso_session: Option<String>,
}

/// What a login did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginOutcome {
    /// The start URL logged in to (the CLI prints `Successfully logged into Start URL: <url>`).
    pub start_url: String,
    /// The token file written.
    pub token_file: PathBuf,
    /// When the new token expires.
    pub expires_at: SystemTime,
}

/// What a logout did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LogoutOutcome {
    pub tokens_removed: usize,
    pub credentials_removed: usize,
}

/// The settings a login needs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    session: Option<String>,
    start_url: String,
    region: String,
    scopes: Vec<String>,
}

const SLOW_DOWN_DELAY: u64 = 5;
const DEFAULT_INTERVAL: u64 = 5;
const REGISTRATION_WINDOW_SECS: f64 = 15.0 * 60.0;

fn config_error(message: String) -> CredentialsError {
    CredentialsError::broken(Some(LinkKind::Sso), message)
}

fn target(input: &Input, opts: &LoginOptions) -> Result<Target, CredentialsError> {
    let profile = input.section();
    let session =
        opts.sso_session.clone().or_else(|| profile.and_then(|p| get(p, "sso_session")).map(str::to_string));
    if let Some(name) = session {
        let Some(s) = input.files.sso_session(&name) else {
            return Err(config_error(format!("The specified sso-session does not exist: \"{name}\"")));
        };
        let missing: Vec<&str> =
            ["sso_start_url", "sso_region"].into_iter().filter(|k| get(s, k).is_none()).collect();
        if !missing.is_empty() {
            return Err(config_error(format!(
                "Missing the following required SSO configuration values: {}. ",
                missing.join(", ")
            )));
        }
        let scopes = get(s, "sso_registration_scopes")
            .map(|raw| raw.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect())
            .unwrap_or_default();
        return Ok(Target {
            start_url: get(s, "sso_start_url").unwrap_or_default().to_string(),
            region: get(s, "sso_region").unwrap_or_default().to_string(),
            session: Some(name),
            scopes,
        });
    }
    let value = |k: &str| profile.and_then(|p| get(p, k));
    let missing: Vec<&str> =
        ["sso_start_url", "sso_region"].into_iter().filter(|k| value(k).is_none()).collect();
    if !missing.is_empty() {
        return Err(config_error(format!(
            "Missing the following required SSO configuration values: {}. To make sure this profile is properly configured to use SSO, please run: nubo configure sso",
            missing.join(", ")
        )));
    }
    Ok(Target {
        session: None,
        start_url: value("sso_start_url").unwrap_or_default().to_string(),
        region: value("sso_region").unwrap_or_default().to_string(),
        scopes: Vec::new(),
    })
}

fn login_failure(step: &str, e: &Failure) -> CredentialsError {
    CredentialsError::broken(Some(LinkKind::Sso), format!("SSO login failed while {step}: {e}"))
}

/// The registration cache key: SHA-1 of the same arguments the CLI hashes.
fn registration_key(t: &Target) -> String {
    let args = json!({
        "tool": "botocore",
        "startUrl": t.start_url,
        "region": t.region,
        "scopes": if t.scopes.is_empty() { Value::Null } else { json!(t.scopes) },
        "session_name": t.session,
    });
    cache::sha1_hex(&pyjson::dumps(&args, Style::Default, true))
}

struct Registration {
    client_id: String,
    client_secret: String,
    expires_at: String,
}

async fn registration(
    input: &Input,
    t: &Target,
    cache: &FileCache,
) -> Result<Registration, CredentialsError> {
    let key = registration_key(t);
    let now = input.now();
    if let Some(doc) = cache.get(&key)
        && let (Some(id), Some(secret), Some(exp)) =
            (str_of(&doc, "clientId"), str_of(&doc, "clientSecret"), str_of(&doc, "expiresAt"))
        && timefmt::parse(exp).is_some_and(|e| timefmt::seconds_until(e, now) >= REGISTRATION_WINDOW_SECS)
    {
        return Ok(Registration {
            client_id: id.into(),
            client_secret: secret.into(),
            expires_at: exp.into(),
        });
    }
    let name = match &t.session {
        Some(s) => s.clone(),
        None => format!("anonymous-{}", timefmt::epoch_secs(now)),
    };
    let mut params = json!({"clientName": format!("nubo-client-{name}"), "clientType": "public"});
    if !t.scopes.is_empty() {
        params["scopes"] = json!(t.scopes);
    }
    let out = aws::call(input, Api::SsoOidc, &t.region, "RegisterClient", &params, None)
        .await
        .map_err(|e| login_failure("registering the client", &e))?;
    let (Some(id), Some(secret)) = (str_of(&out, "clientId"), str_of(&out, "clientSecret")) else {
        return Err(config_error(
            "SSO login failed: the RegisterClient answer has no client id or secret".into(),
        ));
    };
    let expires = out
        .get("clientSecretExpiresAt")
        .and_then(Value::as_f64)
        .and_then(timefmt::from_epoch_secs)
        .unwrap_or(now + Duration::from_secs(90 * 24 * 3600));
    let reg = Registration {
        client_id: id.into(),
        client_secret: secret.into(),
        expires_at: timefmt::iso_z(expires),
    };
    let mut doc = json!({
        "clientId": reg.client_id,
        "clientSecret": reg.client_secret,
        "expiresAt": reg.expires_at,
        "receivedAt": timefmt::iso_z(now),
    });
    if !t.scopes.is_empty() {
        doc["scopes"] = json!(t.scopes);
    }
    let _ = cache.put(&key, &doc);
    Ok(reg)
}

fn print_instructions(out: &mut (dyn Write + Send), auth: &Value) {
    let uri = str_of(auth, "verificationUri").unwrap_or_default();
    let code = str_of(auth, "userCode").unwrap_or_default();
    let complete = str_of(auth, "verificationUriComplete").unwrap_or_default();
    let mut text =
        format!("Browser will not be automatically opened.\nPlease visit the following URL:\n\n{uri}\n");
    if !code.is_empty() {
        text.push_str(&format!(
            "\nThen enter the code:\n\n{code}\n\nAlternatively, you may visit the following URL which will autofill the code upon loading:\n{complete}\n"
        ));
    }
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Logs in with the device authorization flow; the instructions go to `out` (standard error in
/// the binary).
pub async fn login(
    input: &Input,
    opts: &LoginOptions,
    out: &mut (dyn Write + Send),
) -> Result<LoginOutcome, CredentialsError> {
    let t = target(input, opts)?;
    let cache = FileCache::sso(&input.env)
        .ok_or_else(|| config_error("SSO login needs a home directory for ~/.aws/sso/cache".into()))?;
    let reg = registration(input, &t, &cache).await?;
    let auth_params =
        json!({"clientId": reg.client_id, "clientSecret": reg.client_secret, "startUrl": t.start_url});
    let auth = aws::call(input, Api::SsoOidc, &t.region, "StartDeviceAuthorization", &auth_params, None)
        .await
        .map_err(|e| login_failure("starting the device authorization", &e))?;
    let Some(device_code) = str_of(&auth, "deviceCode").map(str::to_string) else {
        return Err(config_error(
            "SSO login failed: the StartDeviceAuthorization answer has no device code".into(),
        ));
    };
    let started = input.now();
    let deadline = auth.get("expiresIn").and_then(Value::as_u64).map(|s| started + Duration::from_secs(s));
    let mut interval =
        auth.get("interval").and_then(Value::as_u64).filter(|i| *i > 0).unwrap_or(DEFAULT_INTERVAL);
    let token_params = json!({
        "grantType": "urn:ietf:params:oauth:grant-type:device_code",
        "clientId": reg.client_id,
        "clientSecret": reg.client_secret,
        "deviceCode": device_code,
    });
    let expired = || {
        config_error(
            "The pending authorization to retrieve an SSO token has expired. The device authorization flow to retrieve an SSO token must be restarted.".into(),
        )
    };
    let mut first = true;
    let token = loop {
        match aws::call(input, Api::SsoOidc, &t.region, "CreateToken", &token_params, None).await {
            Ok(token) => break token,
            Err(e) => match e.code() {
                Some("AuthorizationPendingException") => {}
                Some("SlowDownException") => interval += SLOW_DOWN_DELAY,
                Some("ExpiredTokenException") => return Err(expired()),
                _ => return Err(login_failure("waiting for the authorization", &e)),
            },
        }
        if first {
            print_instructions(out, &auth);
            first = false;
        }
        if deadline.is_some_and(|d| input.now() >= d) {
            return Err(expired());
        }
        input.clock.sleep(Duration::from_secs(interval)).await;
    };
    let Some(access_token) = str_of(&token, "accessToken") else {
        return Err(config_error("SSO login failed: the CreateToken answer has no access token".into()));
    };
    let now = input.now();
    let expires_at =
        now + Duration::from_secs(token.get("expiresIn").and_then(Value::as_u64).unwrap_or(3600));
    let mut doc = json!({
        "startUrl": t.start_url,
        "region": t.region,
        "accessToken": access_token,
        "expiresAt": timefmt::iso_z(expires_at),
        "receivedAt": timefmt::iso_z(now),
        "clientId": reg.client_id,
        "clientSecret": reg.client_secret,
        "registrationExpiresAt": reg.expires_at,
    });
    if let Some(r) = str_of(&token, "refreshToken") {
        doc["refreshToken"] = json!(r);
    }
    let session = t.session.as_deref();
    sso_token::save(input, &t.start_url, session, &doc)
        .map_err(|e| config_error(format!("SSO login failed: {e}")))?;
    Ok(LoginOutcome {
        token_file: cache.path(&sso_token::token_key(&t.start_url, session)),
        start_url: t.start_url,
        expires_at,
    })
}

/// Logs out of every cached SSO session.
pub async fn logout(input: &Input) -> Result<LogoutOutcome, CredentialsError> {
    let mut outcome = LogoutOutcome::default();
    let remove = |path: &PathBuf| {
        std::fs::remove_file(path).map_err(|e| {
            CredentialsError::broken(Some(LinkKind::Sso), format!("cannot remove {}: {e}", path.display()))
        })
    };
    if let Some(cache) = FileCache::sso(&input.env) {
        for (path, doc) in cache.entries() {
            let Some(token) = str_of(&doc, "accessToken") else { continue };
            if let Some(region) = str_of(&doc, "region") {
                let _ =
                    aws::call(input, Api::Sso, region, "Logout", &json!({"accessToken": token}), None).await;
            }
            remove(&path)?;
            outcome.tokens_removed += 1;
        }
    }
    if let Some(cache) = FileCache::cli(&input.env) {
        for (path, doc) in cache.entries() {
            if str_of(&doc, "ProviderType") == Some("sso") {
                remove(&path)?;
                outcome.credentials_removed += 1;
            }
        }
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_key_is_the_clis() {
        let t = Target {
            session: Some("s".into()),
            start_url: "https://u".into(),
            region: "r".into(),
            scopes: vec![],
        };
        assert_eq!(
            registration_key(&t),
            cache::sha1_hex(
                "{\"region\": \"r\", \"scopes\": null, \"session_name\": \"s\", \"startUrl\": \"https://u\", \"tool\": \"botocore\"}"
            )
        );
    }
}
