//! The EC2 instance metadata service: the endpoint (`AWS_EC2_METADATA_SERVICE_ENDPOINT` /
//! `ec2_metadata_service_endpoint`, else the `…_MODE` / `…_mode` address family), an IMDSv2
//! session token (`PUT /latest/api/token` with a TTL header; IMDSv1 is used only when the service
//! refuses tokens and `AWS_EC2_METADATA_V1_DISABLED` / `ec2_metadata_v1_disabled` allow it), the
//! role name, then the role's credentials. `AWS_METADATA_SERVICE_TIMEOUT` (1 s) and
//! `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (1) bound each request; `AWS_EC2_METADATA_DISABLED=true`
//! turns the link off. A service that does not answer means "no credentials here", not an error.

use super::Fetched;
use crate::aws::str_of;
use crate::error::CredentialsError;
use crate::input::Input;
use crate::link::LinkKind;
use crate::timefmt;
use nubo_http::{HttpError, HttpRequest, HttpResponse};
use nubo_settings::env::Env;
use nubo_settings::profiles::Section;
use nubo_sign::Credentials;
use serde_json::Value;
use std::time::Duration;

const LINK: LinkKind = LinkKind::IamRole;
/// The IPv4 endpoint.
pub const IPV4_ENDPOINT: &str = "http://169.254.169.254";
/// The IPv6 endpoint.
pub const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
const TOKEN_PATH: &str = "latest/api/token";
const ROLE_PATH: &str = "latest/meta-data/iam/security-credentials/";
const TOKEN_TTL: &str = "21600";

fn from_env_or_profile<'a>(
    env: &'a Env,
    profile: Option<&'a Section>,
    var: &str,
    key: &str,
) -> Option<(&'a str, String)> {
    if let Some(v) = env.get(var) {
        return Some((v, var.to_string()));
    }
    let v = profile.and_then(|s| crate::profile_chain::get(s, key))?;
    Some((v, key.to_string()))
}

/// The base URL of the service: an explicit endpoint, then the environment's, then the profile's;
/// else the address family of an explicit mode, then the environment's, then the profile's
/// (`IPv4` by default). Errors name the setting and the problem.
pub fn imds_endpoint(
    env: &Env,
    profile: Option<&Section>,
    endpoint_override: Option<&str>,
    mode_override: Option<&str>,
) -> Result<String, String> {
    let mode = match mode_override {
        Some(m) => Some((m, "the endpoint mode".to_string())),
        None => from_env_or_profile(
            env,
            profile,
            "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
            "ec2_metadata_service_endpoint_mode",
        ),
    };
    let ipv6 = match mode {
        None => false,
        Some((m, source)) => match m.trim().to_ascii_lowercase().as_str() {
            "ipv4" => false,
            "ipv6" => true,
            _ => return Err(format!("`{m}` is not a valid endpoint mode ({source} must be IPv4 or IPv6)")),
        },
    };
    let endpoint = match endpoint_override {
        Some(e) => Some((e, "the endpoint".to_string())),
        None => from_env_or_profile(
            env,
            profile,
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "ec2_metadata_service_endpoint",
        ),
    };
    match endpoint {
        Some((e, source)) => {
            check_uri(e).map_err(|why| format!("{source} {e:?} is not a valid URI: {why}"))?;
            Ok(e.trim_end_matches('/').to_string())
        }
        None if ipv6 => Ok(IPV6_ENDPOINT.to_string()),
        None => Ok(IPV4_ENDPOINT.to_string()),
    }
}

fn check_uri(u: &str) -> Result<(), &'static str> {
    if u.chars().any(|c| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c)) {
        return Err("invalid uri character");
    }
    let Some((scheme, rest)) = u.split_once("://") else {
        return Err("no scheme (expected http:// or https://)");
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err("the scheme must be http or https");
    }
    if rest.is_empty() || rest.starts_with(['/', '?', '#', ':']) {
        return Err("no host");
    }
    Ok(())
}

/// `base` joined with `path`.
pub fn join(base: &str, path: &str) -> String {
    format!("{}/{path}", base.trim_end_matches('/'))
}

/// How to reach the service.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Config {
    pub base: String,
    pub timeout: Duration,
    pub attempts: u32,
    pub v1_disabled: bool,
}

/// The service's settings; `Ok(None)` when `AWS_EC2_METADATA_DISABLED` is true.
pub(crate) fn detect(input: &Input) -> Result<Option<Config>, CredentialsError> {
    if input.env.get("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        return Ok(None);
    }
    let bad = |m: String| CredentialsError::retrieval(LINK, m);
    let base = imds_endpoint(&input.env, input.section(), None, None).map_err(bad)?;
    let timeout = match input.setting(&["AWS_METADATA_SERVICE_TIMEOUT"], "metadata_service_timeout") {
        None => Duration::from_secs(1),
        Some(s) => s
            .value
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|t| t.is_finite() && *t > 0.0 && *t < 3600.0)
            .map(Duration::from_secs_f64)
            .ok_or_else(|| {
                bad(format!(
                    "metadata_service_timeout must be a positive number of seconds, got {:?} ({})",
                    s.value, s.source
                ))
            })?,
    };
    let attempts = match input
        .setting(&["AWS_METADATA_SERVICE_NUM_ATTEMPTS"], "metadata_service_num_attempts")
    {
        None => 1,
        Some(s) => s.value.trim().parse::<u32>().ok().filter(|n| (1..=100).contains(n)).ok_or_else(|| {
            bad(format!(
                "metadata_service_num_attempts must be a positive integer, got {:?} ({})",
                s.value, s.source
            ))
        })?,
    };
    let v1_disabled = input
        .setting(&["AWS_EC2_METADATA_V1_DISABLED"], "ec2_metadata_v1_disabled")
        .is_some_and(|s| s.value.trim().eq_ignore_ascii_case("true"));
    Ok(Some(Config { base, timeout, attempts, v1_disabled }))
}

/// What one request gave.
enum Answer {
    Response(HttpResponse),
    /// No connection at all: nothing listens there.
    Unreachable,
    /// Connected, but no answer in time.
    TimedOut,
}

async fn send(input: &Input, cfg: &Config, req: HttpRequest) -> Answer {
    match tokio::time::timeout(cfg.timeout, input.http.send(req)).await {
        Err(_) => Answer::TimedOut,
        Ok(Ok(r)) => Answer::Response(r),
        Ok(Err(HttpError::ReadTimeout { .. })) => Answer::TimedOut,
        Ok(Err(_)) => Answer::Unreachable,
    }
}

fn user_agent() -> String {
    nubo_client::prepare::user_agent()
}

/// The session token: `Ok(Some)` with one, `Ok(None)` to go on without (the service refused
/// tokens or did not answer the PUT in time), `Err(())` to give up (nothing listens, or 400).
async fn token(input: &Input, cfg: &Config) -> Result<Option<String>, ()> {
    let url = join(&cfg.base, TOKEN_PATH);
    let mut unreachable = false;
    for _ in 0..cfg.attempts {
        let req = HttpRequest::new("PUT", url.clone())
            .with_header("x-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL)
            .with_header("User-Agent", user_agent());
        match send(input, cfg, req).await {
            Answer::Response(r) if r.status == 200 => {
                return Ok(Some(String::from_utf8_lossy(&r.body).trim().to_string()));
            }
            Answer::Response(r) if (403..=405).contains(&r.status) => return Ok(None),
            Answer::Response(r) if r.status == 400 => return Err(()),
            Answer::Response(_) => {}
            Answer::TimedOut => return Ok(None),
            Answer::Unreachable => unreachable = true,
        }
    }
    if unreachable { Err(()) } else { Ok(None) }
}

/// A GET, retried while the answer is not a non-empty 200 (or, with `json`, not JSON).
async fn get(input: &Input, cfg: &Config, path: &str, token: Option<&str>, json: bool) -> Option<String> {
    let url = join(&cfg.base, path);
    for _ in 0..cfg.attempts {
        let mut req = HttpRequest::new("GET", url.clone()).with_header("User-Agent", user_agent());
        if let Some(t) = token {
            req = req.with_header("x-aws-ec2-metadata-token", t);
        }
        let Answer::Response(r) = send(input, cfg, req).await else { continue };
        if r.status != 200 || r.body.is_empty() {
            continue;
        }
        let text = String::from_utf8_lossy(&r.body).into_owned();
        if json && serde_json::from_str::<Value>(&text).is_err() {
            continue;
        }
        return Some(text);
    }
    None
}

/// Credentials of the instance's role, with the role name; `Ok(None)` when the service gives none.
pub(crate) async fn fetch(
    input: &Input,
    cfg: &Config,
) -> Result<Option<(Fetched, String)>, CredentialsError> {
    let Ok(token) = token(input, cfg).await else { return Ok(None) };
    if token.is_none() && cfg.v1_disabled {
        return Err(CredentialsError::retrieval(
            LINK,
            "Unable to retrieve token for use in IMDSv2 call and IMDSv1 has been disabled",
        ));
    }
    let token = token.as_deref();
    let Some(role) = get(input, cfg, ROLE_PATH, token, false).await else { return Ok(None) };
    let role = role.lines().next().unwrap_or("").trim().to_string();
    if role.is_empty() {
        return Ok(None);
    }
    let Some(text) = get(input, cfg, &format!("{ROLE_PATH}{role}"), token, true).await else {
        return Ok(None);
    };
    let Ok(doc) = serde_json::from_str::<Value>(&text) else { return Ok(None) };
    let (Some(access), Some(secret), Some(session), Some(exp)) = (
        str_of(&doc, "AccessKeyId"),
        str_of(&doc, "SecretAccessKey"),
        str_of(&doc, "Token"),
        str_of(&doc, "Expiration"),
    ) else {
        return Ok(None);
    };
    let now = input.now();
    let mut expiry = timefmt::parse(exp);
    // Static stability (as botocore): credentials that are expired or about to be are used a
    // little longer, and a refresh is tried again within minutes.
    if let Some(e) = expiry {
        let jitter = 120.0 + nubo_http::hooks::random_unit() * 480.0;
        let offset = Duration::from_secs_f64(600.0 + jitter);
        if timefmt::seconds_until(e, now) <= offset.as_secs_f64() {
            expiry = Some(now + offset);
        }
    }
    let fetched = Fetched {
        credentials: Credentials::new(access, secret, Some(session.to_string())),
        expiry,
        account_id: str_of(&doc, "AccountId").map(str::to_string),
    };
    Ok(Some((fetched, role)))
}

/// Where a role's credentials live, for `configure list`.
pub(crate) fn role_url(cfg: &Config, role: &str) -> String {
    join(&cfg.base, &format!("{ROLE_PATH}{role}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_choice() {
        let env = Env::default();
        assert_eq!(imds_endpoint(&env, None, None, None).unwrap(), IPV4_ENDPOINT);
        assert_eq!(imds_endpoint(&env, None, None, Some("ipv6")).unwrap(), IPV6_ENDPOINT);
        assert_eq!(imds_endpoint(&env, None, Some("http://x:1/"), Some("IPv6")).unwrap(), "http://x:1");
        let e = imds_endpoint(&env, None, Some("x"), None).unwrap_err();
        assert!(e.contains("no scheme"), "{e}");
        let e = imds_endpoint(
            &Env::from_pairs([("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "v5")]),
            None,
            None,
            None,
        )
        .unwrap_err();
        assert!(e.contains("`v5` is not a valid endpoint mode"), "{e}");
        assert!(e.contains("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"), "{e}");
        assert_eq!(join("http://h/", "latest/api/token"), "http://h/latest/api/token");
    }
}
