//! The six wire protocols: serialize an operation's input into an HTTP request and parse the HTTP
//! response (or error) back into the output shape, driven by the service model.
//!
//! Values crossing this crate's boundary are `serde_json::Value`s keyed by the model's member names:
//! - input blobs are base64 strings (lossless for any bytes); input timestamps are ISO 8601 strings or
//!   epoch seconds (numbers or numeric strings);
//! - output blobs are base64 strings; output timestamps are ISO 8601 strings as the AWS CLI v2 renders
//!   them (`2014-04-29T18:30:38+00:00`, with `.ffffff` microseconds when non-zero).

pub mod de;
pub mod ser;

use serde_json::Value;

/// An HTTP request as serialized, before endpoint resolution and signing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Request {
    pub method: String,
    /// Path and query string, already percent-encoded (`/bucket/key?list-type=2`), relative to the
    /// endpoint's path.
    pub uri: String,
    /// Header names as they go on the wire, in a stable order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The expanded host prefix of the operation (`123456789012.`), to put in front of the endpoint host.
    pub host_prefix: Option<String>,
}

/// An HTTP response as received.
#[derive(Debug, Clone, Default)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A service error parsed from a response.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError {
    /// The error code (`AccessDenied`, `ValidationException`…), with any namespace prefix removed.
    pub code: String,
    pub message: String,
    pub status: u16,
    /// The modeled error's members when the code names an error shape of the operation or service,
    /// plus `Code` and `Message`; otherwise just those two.
    pub fields: Value,
}

/// An error from serializing input.
#[derive(Debug, Clone, PartialEq)]
pub struct SerializeError(pub String);

impl std::fmt::Display for SerializeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for SerializeError {}
