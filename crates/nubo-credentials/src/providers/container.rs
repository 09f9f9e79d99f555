//! The container credentials endpoint (ECS task roles, EKS Pod Identity):
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on host 169.254.170.2; it wins) or `_FULL_URI` (any
//! host over https; over http only a loopback address or one of the documented link-local hosts),
//! with `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every fetch, as the token rotates) or
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN` in the `Authorization` header. Two-second timeout, three
//! attempts one second apart, as botocore does.

use super::Fetched;
use crate::aws::str_of;
use crate::error::CredentialsError;
use crate::input::Input;
use crate::link::LinkKind;
use crate::timefmt;
use nubo_http::HttpRequest;
use nubo_settings::env::Env;
use nubo_sign::Credentials;
use serde_json::Value;
use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

const LINK: LinkKind = LinkKind::ContainerRole;
/// The ECS host of relative URIs.
pub const ECS_HOST: &str = "169.254.170.2";
/// Hosts allowed over plain http besides loopback addresses.
pub const ALLOWED_HTTP_HOSTS: [&str; 4] = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"];
const TIMEOUT: Duration = Duration::from_secs(2);
const ATTEMPTS: u32 = 3;
const RETRY_SLEEP: Duration = Duration::from_secs(1);

/// Why no container URI is configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerUriError {
    /// Neither variable is set: the link does not apply.
    NotConfigured,
    /// The URI is unusable.
    Invalid(String),
}

impl fmt::Display for ContainerUriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContainerUriError::NotConfigured => f.write_str(
                "No environment variables were set to configure ECS provider (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI)",
            ),
            ContainerUriError::Invalid(m) => f.write_str(m),
        }
    }
}

/// The credentials URI the environment configures.
pub fn container_uri(env: &Env) -> Result<String, ContainerUriError> {
    if let Some(rel) = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        let sep = if rel.starts_with('/') { "" } else { "/" };
        return Ok(format!("http://{ECS_HOST}{sep}{rel}"));
    }
    let Some(full) = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
        return Err(ContainerUriError::NotConfigured);
    };
    let invalid = |why: &str| {
        ContainerUriError::Invalid(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI {full:?} is not usable: {why}"
        ))
    };
    let Some((scheme, rest)) = full.split_once("://") else {
        return Err(invalid("URI did not specify a host"));
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        match v6.split_once(']') {
            Some((h, _)) => h,
            None => return Err(invalid("the IPv6 host has no closing bracket")),
        }
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if host.is_empty() {
        return Err(invalid("URI did not specify a host"));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(full.to_string()),
        "http" => {
            let loopback = host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
            if loopback || ALLOWED_HTTP_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host)) {
                Ok(full.to_string())
            } else {
                Err(invalid(&format!(
                    "Unsupported host '{host}'. Can only retrieve metadata from a loopback address or one of these hosts: {}",
                    ALLOWED_HTTP_HOSTS.join(", ")
                )))
            }
        }
        other => Err(invalid(&format!("unsupported scheme '{other}' (use http or https)"))),
    }
}

/// Where the authorization token comes from.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum AuthSource {
    File(String),
    Value(String),
}

impl fmt::Debug for AuthSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthSource::File(p) => write!(f, "File({p:?})"),
            AuthSource::Value(_) => f.write_str("Value(** redacted **)"),
        }
    }
}

/// A configured endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    pub uri: String,
    pub auth: Option<AuthSource>,
}

impl Endpoint {
    /// Which variable names the token, for descriptions.
    pub(crate) fn auth_description(&self) -> &'static str {
        match self.auth {
            Some(AuthSource::File(_)) => "with the token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            Some(AuthSource::Value(_)) => "with the token from AWS_CONTAINER_AUTHORIZATION_TOKEN",
            None => "without an authorization token",
        }
    }
}

/// The configured endpoint, if any.
pub(crate) fn detect(env: &Env) -> Result<Option<Endpoint>, CredentialsError> {
    let uri = match container_uri(env) {
        Ok(uri) => uri,
        Err(ContainerUriError::NotConfigured) => return Ok(None),
        Err(e) => return Err(CredentialsError::retrieval(LINK, e)),
    };
    let auth = env
        .get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
        .map(|p| AuthSource::File(p.to_string()))
        .or_else(|| env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN").map(|t| AuthSource::Value(t.to_string())));
    Ok(Some(Endpoint { uri, auth }))
}

fn auth_header(ep: &Endpoint) -> Result<Option<String>, CredentialsError> {
    let token = match &ep.auth {
        None => return Ok(None),
        Some(AuthSource::Value(v)) => v.clone(),
        Some(AuthSource::File(p)) => std::fs::read_to_string(p)
            .map_err(|e| {
                CredentialsError::retrieval(
                    LINK,
                    format!("cannot read the authorization token file {p} (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE): {e}"),
                )
            })?
            .trim()
            .to_string(),
    };
    if token.contains(['\r', '\n']) {
        return Err(CredentialsError::retrieval(LINK, "the authorization token is not a legal header value"));
    }
    Ok(Some(token))
}

/// Fetches the credentials.
pub(crate) async fn fetch(input: &Input, ep: &Endpoint) -> Result<Fetched, CredentialsError> {
    let auth = auth_header(ep)?;
    let mut last = String::new();
    for attempt in 1..=ATTEMPTS {
        if attempt > 1 {
            input.clock.sleep(RETRY_SLEEP).await;
        }
        let mut req = HttpRequest::new("GET", ep.uri.clone()).with_header("Accept", "application/json");
        if let Some(token) = &auth {
            req = req.with_header("Authorization", token.clone());
        }
        let resp = match tokio::time::timeout(TIMEOUT, input.http.send(req)).await {
            Err(_) => {
                last = format!("no answer from {} within {} seconds", ep.uri, TIMEOUT.as_secs());
                continue;
            }
            Ok(Err(e)) => {
                last = format!("Received error when attempting to retrieve container metadata: {e}");
                continue;
            }
            Ok(Ok(resp)) => resp,
        };
        if resp.status != 200 {
            let text = String::from_utf8_lossy(&resp.body);
            let shown: String = text.chars().take(200).collect();
            last = format!("Received non 200 response {} from container metadata: {shown}", resp.status);
            continue;
        }
        let Ok(doc) = serde_json::from_slice::<Value>(&resp.body) else {
            last = "Unable to parse JSON returned from container metadata services".into();
            continue;
        };
        return parse(&doc)
            .map_err(|e| CredentialsError::retrieval(LINK, format!("{} answered, but {e}", ep.uri)));
    }
    Err(CredentialsError::retrieval(LINK, last))
}

fn parse(doc: &Value) -> Result<Fetched, String> {
    let need = |k: &str| str_of(doc, k).ok_or_else(|| format!("the answer has no {k}"));
    let access = need("AccessKeyId")?;
    let secret = need("SecretAccessKey")?;
    let token = need("Token")?;
    let exp = need("Expiration")?;
    let expiry = timefmt::parse(exp).ok_or_else(|| format!("its Expiration {exp:?} is not a timestamp"))?;
    Ok(Fetched {
        credentials: Credentials::new(access, secret, Some(token.to_string())),
        expiry: Some(expiry),
        account_id: str_of(doc, "AccountId").map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(pairs: &[(&str, &str)]) -> Result<String, ContainerUriError> {
        container_uri(&Env::from_pairs(pairs.iter().copied()))
    }

    #[test]
    fn hosts_allowed_over_http() {
        assert!(uri(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.2:80/x")]).is_ok());
        assert!(uri(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://[::1]:80/x")]).is_ok());
        assert!(uri(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://LOCALHOST/x")]).is_ok());
        let e = uri(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/x")]).unwrap_err();
        assert!(e.to_string().contains("Unsupported host 'example.com'"), "{e}");
        let e = uri(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "ftp://localhost/x")]).unwrap_err();
        assert!(e.to_string().contains("unsupported scheme"), "{e}");
        assert_eq!(uri(&[]), Err(ContainerUriError::NotConfigured));
        assert_eq!(
            uri(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "v2/x")]).unwrap(),
            "http://169.254.170.2/v2/x"
        );
    }

    #[test]
    fn odd_uris_never_panic() {
        for u in [
            "",
            "://",
            "http://",
            "http://[",
            "http://[::1",
            "http://é/x",
            "http://a@",
            "https://:80",
            "http://[]/",
        ] {
            let _ = uri(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", u)]);
        }
        assert!(uri(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://[::1]/x")]).is_ok());
    }

    #[test]
    fn token_sources() {
        let env = Env::from_pairs([
            ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "secret-token"),
        ]);
        let ep = detect(&env).unwrap().unwrap();
        assert!(!format!("{ep:?}").contains("secret-token"));
        assert_eq!(auth_header(&ep).unwrap().as_deref(), Some("secret-token"));
        let bad = Endpoint { uri: "x".into(), auth: Some(AuthSource::Value("a\nb".into())) };
        assert!(auth_header(&bad).is_err());
        let missing = Endpoint { uri: "x".into(), auth: Some(AuthSource::File("/nonexistent/token".into())) };
        assert!(auth_header(&missing).unwrap_err().to_string().contains("/nonexistent/token"));
    }
}
