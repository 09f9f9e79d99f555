//! The client's settings: TLS verification, timeouts, proxies, retry mode and attempts, debug
//! logging. Plain data, filled in by the settings layer from the command line, environment and
//! profile.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// The AWS CLI's default connect timeout (`--cli-connect-timeout`).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(60);
/// The AWS CLI's default read timeout (`--cli-read-timeout`).
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
/// Total attempts in `standard` and `adaptive` modes when none is configured.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Total attempts in `legacy` mode when none is configured.
pub const LEGACY_DEFAULT_MAX_ATTEMPTS: u32 = 5;
/// Total attempts in `legacy` mode for DynamoDB when none is configured.
pub const LEGACY_DYNAMODB_MAX_ATTEMPTS: u32 = 10;

/// Everything [`crate::Client::new`] needs.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientConfig {
    /// A PEM file of CA certificates that replaces the system roots (`--ca-bundle`,
    /// `AWS_CA_BUNDLE`, `ca_bundle`).
    pub ca_bundle: Option<PathBuf>,
    /// `false` for `--no-verify-ssl`: certificates are not checked and a warning is printed.
    pub verify_ssl: bool,
    /// `None` waits for ever (`--cli-connect-timeout 0`).
    pub connect_timeout: Option<Duration>,
    /// The longest wait for any single read from the connection; `None` waits for ever
    /// (`--cli-read-timeout 0`).
    pub read_timeout: Option<Duration>,
    /// Where proxy settings come from.
    pub proxies: Proxies,
    /// Retry mode and total attempts.
    pub retry: RetryConfig,
    /// `--debug`: log requests, responses and retry decisions (secrets redacted).
    pub debug: bool,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            ca_bundle: None,
            verify_ssl: true,
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            read_timeout: Some(DEFAULT_READ_TIMEOUT),
            proxies: Proxies::FromEnv,
            retry: RetryConfig::default(),
            debug: false,
        }
    }
}

/// A timeout given in whole seconds as the CLI takes it: `0` means no timeout.
pub fn timeout_from_secs(secs: u64) -> Option<Duration> {
    (secs != 0).then(|| Duration::from_secs(secs))
}

/// Where the proxy settings come from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Proxies {
    /// `HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY` (lower-case spellings win), read when the client is
    /// built.
    #[default]
    FromEnv,
    /// Never use a proxy.
    Disabled,
    /// These settings, ignoring the environment.
    Explicit(ProxySettings),
}

/// Proxy URLs per scheme of the target, and the hosts that bypass them.
///
/// Loopback targets (`localhost`, `127.0.0.0/8`, `::1`) never go through a proxy: a proxy cannot
/// reach the caller's own loopback interface, and local endpoints (moto, test servers, the
/// container credentials endpoint) must not be sent away because `HTTPS_PROXY` is set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxySettings {
    /// Proxy for `http://` URLs.
    pub http: Option<String>,
    /// Proxy for `https://` URLs.
    pub https: Option<String>,
    /// Comma-separated hosts, domains (`.example.com` or `example.com` match subdomains too),
    /// IP addresses or CIDR blocks that bypass the proxy; `*` bypasses it for all.
    pub no_proxy: Option<String>,
}

impl ProxySettings {
    /// Reads the process environment.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads variables through `lookup`: `http_proxy`/`HTTP_PROXY`, `https_proxy`/`HTTPS_PROXY`,
    /// `no_proxy`/`NO_PROXY`; the lower-case spelling wins, empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |lower: &str, upper: &str| {
            lookup(lower)
                .filter(|v| !v.trim().is_empty())
                .or_else(|| lookup(upper).filter(|v| !v.trim().is_empty()))
        };
        ProxySettings {
            http: get("http_proxy", "HTTP_PROXY"),
            https: get("https_proxy", "HTTPS_PROXY"),
            no_proxy: get("no_proxy", "NO_PROXY"),
        }
    }
}

/// The retry modes of the AWS CLI (`retry_mode`, `AWS_RETRY_MODE`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RetryMode {
    /// Exponential backoff with jitter, a retry quota, the standard error lists.
    #[default]
    Standard,
    /// `Standard` plus a client-side rate limiter that slows down after throttling.
    Adaptive,
    /// The older rules: more attempts, no quota, a smaller set of retryable errors.
    Legacy,
}

impl RetryMode {
    /// The name as written in configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
            RetryMode::Legacy => "legacy",
        }
    }
}

impl fmt::Display for RetryMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a retry mode name that is not one of `standard`, `adaptive`, `legacy`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Invalid value '{0}' for retry_mode: expected one of standard, adaptive, legacy")]
pub struct InvalidRetryMode(pub String);

impl FromStr for RetryMode {
    type Err = InvalidRetryMode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "standard" => Ok(RetryMode::Standard),
            "adaptive" => Ok(RetryMode::Adaptive),
            "legacy" => Ok(RetryMode::Legacy),
            other => Err(InvalidRetryMode(other.to_string())),
        }
    }
}

/// Retry mode and the total number of attempts (first try included).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryConfig {
    /// Which rules apply.
    pub mode: RetryMode,
    /// Total attempts including the first; values below 1 count as 1.
    pub max_attempts: u32,
    /// `legacy` mode's fixed backoff base in seconds (DynamoDB's 0.05); `None` draws a random base
    /// per retry.
    pub legacy_base: Option<f64>,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig { mode: RetryMode::Standard, max_attempts: DEFAULT_MAX_ATTEMPTS, legacy_base: None }
    }
}

impl RetryConfig {
    /// The configuration for `mode`, with `max_attempts` when configured, else the mode's
    /// default.
    pub fn new(mode: RetryMode, max_attempts: Option<u32>) -> Self {
        let default = match mode {
            RetryMode::Legacy => LEGACY_DEFAULT_MAX_ATTEMPTS,
            RetryMode::Standard | RetryMode::Adaptive => DEFAULT_MAX_ATTEMPTS,
        };
        RetryConfig { mode, max_attempts: max_attempts.unwrap_or(default), legacy_base: None }
    }

    /// Like [`RetryConfig::new`], with the per-service defaults of `legacy` mode (DynamoDB: 10
    /// attempts and a 50 ms base). `service` is the endpoint prefix, e.g. `dynamodb`.
    pub fn for_service(mode: RetryMode, service: &str, max_attempts: Option<u32>) -> Self {
        let mut config = Self::new(mode, max_attempts);
        if mode == RetryMode::Legacy && service == "dynamodb" {
            config.max_attempts = max_attempts.unwrap_or(LEGACY_DYNAMODB_MAX_ATTEMPTS);
            config.legacy_base = Some(0.05);
        }
        config
    }

    /// Total attempts, at least 1.
    pub fn attempts_allowed(&self) -> u32 {
        self.max_attempts.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn defaults_match_the_cli() {
        let c = ClientConfig::default();
        assert!(c.verify_ssl);
        assert_eq!(c.connect_timeout, Some(Duration::from_secs(60)));
        assert_eq!(c.read_timeout, Some(Duration::from_secs(60)));
        assert_eq!(c.retry.mode, RetryMode::Standard);
        assert_eq!(c.retry.max_attempts, 3);
        assert_eq!(c.proxies, Proxies::FromEnv);
    }

    #[test]
    fn zero_timeout_means_none() {
        assert_eq!(timeout_from_secs(0), None);
        assert_eq!(timeout_from_secs(5), Some(Duration::from_secs(5)));
    }

    #[test]
    fn retry_mode_names() {
        for mode in [RetryMode::Standard, RetryMode::Adaptive, RetryMode::Legacy] {
            assert_eq!(mode.as_str().parse::<RetryMode>(), Ok(mode));
        }
        assert!("Standard".parse::<RetryMode>().is_err());
        assert!("".parse::<RetryMode>().is_err());
    }

    #[test]
    fn per_mode_default_attempts() {
        assert_eq!(RetryConfig::new(RetryMode::Standard, None).max_attempts, 3);
        assert_eq!(RetryConfig::new(RetryMode::Adaptive, None).max_attempts, 3);
        assert_eq!(RetryConfig::new(RetryMode::Legacy, None).max_attempts, 5);
        assert_eq!(RetryConfig::new(RetryMode::Legacy, Some(2)).max_attempts, 2);
        let ddb = RetryConfig::for_service(RetryMode::Legacy, "dynamodb", None);
        assert_eq!((ddb.max_attempts, ddb.legacy_base), (10, Some(0.05)));
        let ddb_std = RetryConfig::for_service(RetryMode::Standard, "dynamodb", None);
        assert_eq!((ddb_std.max_attempts, ddb_std.legacy_base), (3, None));
        assert_eq!(RetryConfig::new(RetryMode::Standard, Some(0)).attempts_allowed(), 1);
    }

    #[test]
    fn proxy_env_lower_case_wins_and_empty_is_unset() {
        let env: HashMap<&str, &str> = [
            ("HTTP_PROXY", "http://upper:1"),
            ("http_proxy", "http://lower:2"),
            ("HTTPS_PROXY", "http://secure:3"),
            ("no_proxy", ""),
            ("NO_PROXY", "example.com"),
        ]
        .into_iter()
        .collect();
        let p = ProxySettings::from_lookup(|k| env.get(k).map(|v| v.to_string()));
        assert_eq!(p.http.as_deref(), Some("http://lower:2"));
        assert_eq!(p.https.as_deref(), Some("http://secure:3"));
        assert_eq!(p.no_proxy.as_deref(), Some("example.com"));
    }
}
