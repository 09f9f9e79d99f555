//! What is signed ([`SigningRequest`], [`Body`]) and how ([`SigningOptions`]).

use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

/// One HTTP request to sign. [`crate::sign`] adds headers to it, or rewrites its URL when presigning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningRequest {
    /// The HTTP method, such as `GET`.
    pub method: String,
    /// The absolute URL, already percent-encoded as it goes on the wire.
    pub url: String,
    /// Headers in the order they are sent; names compare case-insensitively, duplicates are allowed.
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

/// The payload, or what stands for it in the signature.
#[derive(Clone, PartialEq, Eq)]
pub enum Body {
    /// The bytes themselves: their SHA-256 is signed.
    Bytes(Vec<u8>),
    /// Not signed: `UNSIGNED-PAYLOAD` stands in the signature (S3 over TLS, presigned URLs).
    Unsigned,
    /// The payload's SHA-256, already computed, as 64 lowercase hexadecimal digits.
    Sha256Hex(String),
}

impl Body {
    /// The body of a request without payload.
    pub fn empty() -> Body {
        Body::Bytes(Vec::new())
    }

    /// The precomputed hash of `payload`, for callers that keep the bytes elsewhere.
    pub fn precomputed(payload: &[u8]) -> Body {
        Body::Sha256Hex(payload_sha256_hex(payload))
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            Body::Unsigned => f.write_str("Unsigned"),
            Body::Sha256Hex(hash) => f.debug_tuple("Sha256Hex").field(hash).finish(),
        }
    }
}

/// The lowercase hexadecimal SHA-256 of `payload`, as SigV4 signs it.
pub fn payload_sha256_hex(payload: &[u8]) -> String {
    hex::encode(Sha256::digest(payload))
}

/// How to sign: scope, clock, and the service-specific rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningOptions {
    /// The signing name of the service, such as `s3` or `ec2`.
    pub service: String,
    pub region: String,
    /// The signing clock (whole seconds are used).
    pub time: SystemTime,
    /// S3's rules: the path is used as sent (no second percent-encoding, no `.`/`..`/`//`
    /// normalisation) and `x-amz-content-sha256` is added.
    pub s3_rules: bool,
    /// Add `x-amz-content-sha256` for services other than S3 that ask for it.
    pub content_sha256_header: bool,
    /// Presign: sign in the query string (`X-Amz-*` parameters) for this long, at most 7 days.
    pub expires_in: Option<Duration>,
    /// Sign every header present (as `nubo sign` does). When false, the headers that clients and
    /// proxies rewrite in transit (`User-Agent`, `X-Amzn-Trace-Id`, `Transfer-Encoding`, `Expect`,
    /// hop-by-hop headers) stay unsigned, as the SDKs do. `Authorization` is never signed.
    pub sign_all_headers: bool,
    /// Sign with SigV4a (ECDSA P-256): `region` is then the region set (`us-east-1,us-west-2` or
    /// `*`), sent in `X-Amz-Region-Set`.
    pub sigv4a: bool,
    /// The endpoint's `disableDoubleEncoding`: the path is percent-encoded once, as S3's rules do.
    pub disable_double_encoding: bool,
    /// The endpoint's `disableNormalizePath`: no `.`/`..`/`//` normalisation of the path.
    pub disable_normalize_path: bool,
}

impl SigningOptions {
    /// Header signing for `service` in `region` at `time`, with the general (non-S3) rules.
    pub fn new(service: impl Into<String>, region: impl Into<String>, time: SystemTime) -> Self {
        SigningOptions {
            service: service.into(),
            region: region.into(),
            time,
            s3_rules: false,
            content_sha256_header: false,
            expires_in: None,
            sign_all_headers: false,
            sigv4a: false,
            disable_double_encoding: false,
            disable_normalize_path: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_payload_hash_is_the_well_known_one() {
        assert_eq!(
            payload_sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn body_debug_does_not_print_bytes() {
        let shown = format!("{:?}", Body::Bytes(b"password=hunter2".to_vec()));
        assert_eq!(shown, "Bytes(16 bytes)");
    }
}
