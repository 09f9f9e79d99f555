//! The HTTP client: connection reuse, TLS, proxies, timeouts, retries and `--debug` logging with
//! secrets redacted.
//!
//! A [`Client`] is built once per command from a [`ClientConfig`] and sends [`HttpRequest`]s. The
//! caller signs requests, so retries are driven through [`Client::send_with_retries`], which asks
//! the caller to build (and sign) the request again for every attempt and to classify each
//! response (only the caller can parse a service's error code out of a body).

pub mod body;
pub mod client;
pub mod config;
pub mod debug_log;
pub mod error;
pub mod hooks;
pub mod message;
mod proxy;
pub mod redact;
pub mod retry;
mod tls;

pub use body::{Body, FileRange};
pub use client::{Client, insecure_warning};
pub use config::{ClientConfig, Proxies, ProxySettings, RetryConfig, RetryMode, timeout_from_secs};
pub use error::HttpError;
pub use hooks::Hooks;
pub use message::{BodyStream, HttpRequest, HttpResponse, StreamingResponse};
pub use retry::classify::{classify, classify_error_code, classify_status};
pub use retry::{Retried, RetryKind};
pub use tls::load_ca_bundle;
