//! One operation call end to end: serialize, resolve the endpoint, sign, send with retries, parse.
//! Credentials are an input, so the credential providers can call STS and SSO through it.
//!
//! [`prepare::prepare`] turns an operation's input into an unsigned HTTP request on its resolved
//! endpoint; [`prepare::sign`] signs it (or not, for anonymous calls); `--show-request`, presigning and
//! sending all start from there.

pub mod auth;
pub mod call;
pub mod checksum;
pub mod customize;
pub mod download;
pub mod endpoint_params;
pub mod error;
pub mod hooks;
pub mod prepare;
pub mod s3_encoding;
pub mod service;
pub mod skew;

pub use checksum::Checksums;
pub use endpoint_params::EndpointConfig;
pub use error::ClientError;
pub use prepare::{Auth, Prepared, ResponseHooks, SigV4Params, prepare, prepare_with_payload, sign};
pub use service::Service;
