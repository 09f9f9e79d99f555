//! Turns [`Proxies`] into reqwest proxy rules: one proxy per target scheme, the `NO_PROXY` list,
//! and loopback targets always sent direct.

use crate::config::{Proxies, ProxySettings};
use crate::error::HttpError;
use crate::redact;

/// Hosts that never go through a proxy, whatever `NO_PROXY` says.
const ALWAYS_DIRECT: &str = "localhost,127.0.0.0/8,::1";

/// Applies the proxy rules to a client builder (the builder's own environment lookup is turned
/// off, so only these rules apply).
pub(crate) fn apply(
    builder: reqwest::ClientBuilder,
    proxies: &Proxies,
) -> Result<reqwest::ClientBuilder, HttpError> {
    let settings = match proxies {
        Proxies::Disabled => return Ok(builder.no_proxy()),
        Proxies::FromEnv => ProxySettings::from_env(),
        Proxies::Explicit(settings) => settings.clone(),
    };
    let mut builder = builder.no_proxy();
    let bypass = bypass_list(settings.no_proxy.as_deref());
    if let Some(url) = &settings.http {
        let proxy = reqwest::Proxy::http(normalize(url)).map_err(|e| bad_proxy(url, &e))?;
        builder = builder.proxy(proxy.no_proxy(reqwest::NoProxy::from_string(&bypass)));
    }
    if let Some(url) = &settings.https {
        let proxy = reqwest::Proxy::https(normalize(url)).map_err(|e| bad_proxy(url, &e))?;
        builder = builder.proxy(proxy.no_proxy(reqwest::NoProxy::from_string(&bypass)));
    }
    Ok(builder)
}

/// The user's `NO_PROXY` entries plus the loopback hosts.
pub(crate) fn bypass_list(no_proxy: Option<&str>) -> String {
    match no_proxy.map(str::trim).filter(|s| !s.is_empty()) {
        Some(list) => format!("{list},{ALWAYS_DIRECT}"),
        None => ALWAYS_DIRECT.to_string(),
    }
}

/// A proxy given as `host:port` means `http://host:port`, as in the AWS CLI.
pub(crate) fn normalize(url: &str) -> String {
    let url = url.trim();
    if url.contains("://") { url.to_string() } else { format!("http://{url}") }
}

fn bad_proxy(url: &str, err: &reqwest::Error) -> HttpError {
    HttpError::Config(format!("invalid proxy URL {}: {err}", redact::url(url)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_always_bypassed() {
        assert_eq!(bypass_list(None), "localhost,127.0.0.0/8,::1");
        assert_eq!(bypass_list(Some("  ")), "localhost,127.0.0.0/8,::1");
        assert_eq!(bypass_list(Some("example.com")), "example.com,localhost,127.0.0.0/8,::1");
    }

    #[test]
    fn scheme_is_added_when_missing() {
        assert_eq!(normalize("proxy:3128"), "http://proxy:3128");
        assert_eq!(normalize("https://proxy:3128"), "https://proxy:3128");
    }

    #[test]
    fn every_kind_of_setting_builds() {
        let explicit = Proxies::Explicit(ProxySettings {
            http: Some("proxy.invalid:3128".into()),
            https: Some("http://user:pw@proxy.invalid:3128".into()),
            no_proxy: Some(".example.com,10.0.0.0/8".into()),
        });
        for p in [Proxies::Disabled, Proxies::FromEnv, explicit] {
            assert!(apply(reqwest::Client::builder(), &p).is_ok());
        }
    }
}
