//! SigV4 and SigV4a signing of requests (headers or query string), with S3's rules, over the
//! aws-sigv4 crate; SigV2 for the models that still ask for it ([`sigv2`]).
//!
//! [`sign`] signs a [`SigningRequest`] in place (headers, or the URL's query when presigning) and
//! returns the signature with the canonical request and string to sign for display.
//! [`raw`] reads and prints raw HTTP/1.1 requests for `nubo sign` and `--show-request`.

mod canonical;
mod credentials;
mod error;
mod request;
mod signer;
mod signing_time;

pub mod raw;
pub mod sigv2;

pub use credentials::Credentials;
pub use error::SignError;
pub use request::{Body, SigningOptions, SigningRequest, payload_sha256_hex};
pub use signer::{MAX_PRESIGN_EXPIRY, SigningOutput, sign};
pub use signing_time::signing_time_from_env;
