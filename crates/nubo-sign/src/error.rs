//! The one error type of signing, time parsing and raw request parsing.
//!
//! Messages name what was wrong (a header's name, a line number, a URL) but never carry a header
//! value, a credential or a token, so they are safe to print.

/// Why a request could not be signed or parsed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The URL is not an absolute `http`/`https` URL that a request can be sent to.
    #[error("cannot sign a request to {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// The method is not an HTTP token such as `GET`.
    #[error("the HTTP method must be a token such as GET or PUT")]
    InvalidMethod,
    /// A header name or value cannot be put in an HTTP request.
    #[error("header {name:?} cannot be signed: {reason}")]
    InvalidHeader { name: String, reason: String },
    /// A presigned URL's lifetime is outside 1 second ..= 7 days.
    #[error(
        "a presigned URL must expire within 1 second to 7 days (604800 seconds); {seconds} seconds was asked"
    )]
    ExpiryOutOfRange { seconds: u64 },
    /// A precomputed payload hash is not 64 lowercase hexadecimal digits.
    #[error("the precomputed payload hash must be 64 lowercase hexadecimal digits")]
    InvalidPayloadHash,
    /// The signing time is not `YYYYMMDDTHHMMSSZ`.
    #[error("invalid signing time {value:?}: expected YYYYMMDDTHHMMSSZ, such as 20150830T123600Z")]
    InvalidSigningTime { value: String },
    /// The signing clock is before 1970 or past year 9999.
    #[error("the signing time must lie between 1970 and 9999")]
    TimeOutOfRange,
    /// A raw HTTP/1.1 request could not be read.
    #[error("invalid raw request, line {line}: {reason}")]
    RawRequest { line: usize, reason: String },
    /// aws-sigv4 refused the request (its message does not include credentials or header values).
    #[error("signing failed: {0}")]
    Signer(String),
}
