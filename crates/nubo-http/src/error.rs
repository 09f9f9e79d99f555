//! The errors of sending a request, worded as the AWS CLI words them, and what each means for
//! retrying.

use std::error::Error as StdError;
use std::path::PathBuf;

/// Why a request got no (complete) response, or why the client could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// The CA bundle could not be read or held no certificate.
    #[error("Could not load the CA bundle {}: {reason}", path.display())]
    CaBundle {
        /// The file given as the bundle.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The client could not be built (bad proxy URL, TLS set-up).
    #[error("Invalid HTTP client configuration: {0}")]
    Config(String),
    /// The request itself is malformed (method, URL, header name or value).
    #[error("Invalid HTTP request: {0}")]
    InvalidRequest(String),
    /// No connection could be made (refused, unreachable, DNS failure, proxy failure).
    #[error("Could not connect to the endpoint URL: \"{url}\"")]
    Connect {
        /// The request URL, secrets redacted.
        url: String,
        /// The underlying cause.
        reason: String,
    },
    /// The TLS handshake failed (certificate not trusted, wrong host name...).
    #[error("SSL validation failed for {url} {reason}")]
    Tls {
        /// The request URL, secrets redacted.
        url: String,
        /// The underlying cause.
        reason: String,
    },
    /// The connection was not established within the connect timeout.
    #[error("Connect timeout on endpoint URL: \"{url}\"")]
    ConnectTimeout {
        /// The request URL, secrets redacted.
        url: String,
    },
    /// A read waited longer than the read timeout.
    #[error("Read timeout on endpoint URL: \"{url}\"")]
    ReadTimeout {
        /// The request URL, secrets redacted.
        url: String,
    },
    /// The connection broke before a complete response arrived (reset, closed early).
    #[error("Connection was closed before we received a valid response from endpoint URL: \"{url}\".")]
    ConnectionClosed {
        /// The request URL, secrets redacted.
        url: String,
        /// The underlying cause.
        reason: String,
    },
    /// Reading a streamed response body failed after the response had been handed over.
    #[error("An error occurred while reading from response stream: {reason}")]
    ResponseStream {
        /// The request URL, secrets redacted.
        url: String,
        /// The underlying cause.
        reason: String,
    },
}

impl HttpError {
    /// Whether the failure is transient, so that a new attempt may succeed: every failure to
    /// connect or to get a complete response (TLS failures included, as botocore counts them as
    /// connection errors), but not configuration or malformed-request errors.
    pub fn is_retryable(&self) -> bool {
        !matches!(self, HttpError::CaBundle { .. } | HttpError::Config(_) | HttpError::InvalidRequest(_))
    }

    /// Whether the failure is a timeout (a retry after it costs more of the retry quota).
    pub fn is_timeout(&self) -> bool {
        matches!(self, HttpError::ConnectTimeout { .. } | HttpError::ReadTimeout { .. })
    }

    /// The underlying cause, for `--debug`, when there is one beyond the message.
    pub fn reason(&self) -> Option<&str> {
        match self {
            HttpError::Connect { reason, .. }
            | HttpError::Tls { reason, .. }
            | HttpError::ConnectionClosed { reason, .. }
            | HttpError::ResponseStream { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// Classifies a reqwest error raised while sending the request or waiting for the response
    /// head (`in_body == false`) or while reading the body (`in_body == true`).
    pub(crate) fn from_reqwest(err: &reqwest::Error, url: &str, in_body: bool, streaming: bool) -> HttpError {
        let url = url.to_string();
        // The top-level message repeats the URL; the causes say what happened.
        let reason = match err.source() {
            Some(cause) => error_chain(cause),
            None => err.to_string(),
        };
        if err.is_builder() {
            return HttpError::InvalidRequest(reason);
        }
        if err.is_timeout() || chain_has_timeout(err) {
            return if err.is_connect() {
                HttpError::ConnectTimeout { url }
            } else {
                HttpError::ReadTimeout { url }
            };
        }
        if let Some(reason) = find_tls_error(err) {
            return HttpError::Tls { url, reason };
        }
        if err.is_connect() {
            return HttpError::Connect { url, reason };
        }
        if in_body && streaming {
            return HttpError::ResponseStream { url, reason };
        }
        HttpError::ConnectionClosed { url, reason }
    }
}

/// The messages of an error and all its sources, joined with `: `, repeated messages dropped.
pub(crate) fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

fn sources<'a>(err: &'a (dyn StdError + 'static)) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(err), |e: &&'a (dyn StdError + 'static)| (*e).source())
}

/// The message of a TLS error somewhere in the chain.
fn find_tls_error(err: &reqwest::Error) -> Option<String> {
    sources(err).find_map(|e| {
        // `io::Error` hides a wrapped error from `source()`; look inside, level by level.
        let mut current: &(dyn StdError + 'static) = e;
        loop {
            if let Some(tls) = current.downcast_ref::<rustls::Error>() {
                return Some(tls.to_string());
            }
            current = current.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref())?;
        }
    })
}

fn chain_has_timeout(err: &reqwest::Error) -> bool {
    sources(err).any(|e| {
        e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_the_cli() {
        let url = "https://sts.amazonaws.com/".to_string();
        assert_eq!(
            HttpError::Connect { url: url.clone(), reason: "refused".into() }.to_string(),
            "Could not connect to the endpoint URL: \"https://sts.amazonaws.com/\""
        );
        assert_eq!(
            HttpError::ReadTimeout { url: url.clone() }.to_string(),
            "Read timeout on endpoint URL: \"https://sts.amazonaws.com/\""
        );
        assert_eq!(
            HttpError::ConnectTimeout { url: url.clone() }.to_string(),
            "Connect timeout on endpoint URL: \"https://sts.amazonaws.com/\""
        );
        assert_eq!(
            HttpError::ConnectionClosed { url, reason: "reset".into() }.to_string(),
            "Connection was closed before we received a valid response from endpoint URL: \
             \"https://sts.amazonaws.com/\"."
        );
    }

    #[test]
    fn retryability() {
        let url = String::new();
        assert!(HttpError::Connect { url: url.clone(), reason: String::new() }.is_retryable());
        assert!(HttpError::ReadTimeout { url: url.clone() }.is_retryable());
        assert!(HttpError::ReadTimeout { url: url.clone() }.is_timeout());
        assert!(!HttpError::Connect { url, reason: String::new() }.is_timeout());
        assert!(!HttpError::InvalidRequest("x".into()).is_retryable());
        assert!(!HttpError::Config("x".into()).is_retryable());
    }

    #[test]
    fn chain_skips_repeats() {
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "request failed: {}", self.0)
            }
        }
        impl StdError for Outer {
            fn source(&self) -> Option<&(dyn StdError + 'static)> {
                Some(&self.0)
            }
        }
        let outer = Outer(std::io::Error::other("boom"));
        assert_eq!(error_chain(&outer), "request failed: boom");
        assert_eq!(error_chain(&std::io::Error::other("boom")), "boom");
    }
}
