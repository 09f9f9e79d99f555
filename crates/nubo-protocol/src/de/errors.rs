//! Shared pieces of error parsing: building a [`ServiceError`], cleaning error codes, the HTTP reason
//! phrases used when a body says nothing, finding the modeled error shape for a code, and reading the
//! `<Error>` element of XML error documents.

use super::xml::Element;
use super::{Ctx, json_shape};
use crate::{Response, ServiceError};
use nubo_model::{Operation, Shape};
use serde_json::{Map, Value};

/// A [`ServiceError`] whose `fields` are `Code`, `Message` and then `extra`.
pub(crate) fn service_error(
    code: &str,
    message: &str,
    status: u16,
    extra: Map<String, Value>,
) -> ServiceError {
    let mut fields = Map::new();
    fields.insert("Code".into(), Value::String(code.into()));
    fields.insert("Message".into(), Value::String(message.into()));
    for (k, v) in extra {
        fields.insert(k, v);
    }
    ServiceError { code: code.into(), message: message.into(), status, fields: Value::Object(fields) }
}

/// The error for a response that says nothing but its status: code `503`, message
/// `Service Unavailable`.
pub(crate) fn from_status(resp: &Response) -> ServiceError {
    service_error(&resp.status.to_string(), reason_phrase(resp.status), resp.status, Map::new())
}

/// A server error whose body is empty or an HTML page (from a proxy or load balancer): botocore
/// reports it by status alone.
pub(crate) fn is_generic(resp: &Response) -> bool {
    if resp.status < 500 {
        return false;
    }
    let body = resp.body.trim_ascii();
    body.is_empty() || body.starts_with(b"<html>")
}

/// An error code without a namespace (`aws.foo#Code`) or a trailing `:uri`.
pub(crate) fn clean_code(raw: &str) -> String {
    let code = raw.split_once(':').map_or(raw, |(c, _)| c);
    code.rsplit_once('#').map_or(code, |(_, c)| c).to_string()
}

/// The code a query-compatible service puts in `x-amzn-query-error: Code;Type`, if any.
pub(crate) fn query_compatible_code(resp: &Response) -> Option<String> {
    let header = resp.header("x-amzn-query-error")?;
    let (code, _kind) = header.split_once(';').filter(|(c, rest)| !c.is_empty() && !rest.contains(';'))?;
    Some(code.to_string())
}

/// The exception shape for `code`: the one whose `error.code` (or, without one, whose name) is the
/// code, as botocore maps them, else one simply named `code`. The operation's own errors win ties.
pub(crate) fn error_shape<'a>(ctx: &Ctx<'a>, op: &Operation, code: &str) -> Option<(&'a str, &'a Shape)> {
    let model = ctx.model;
    let modeled_code = |name: &str, shape: &Shape| -> bool {
        shape.exception && shape.error.as_ref().and_then(|e| e.code.as_deref()).unwrap_or(name) == code
    };
    let lookup = |matches: &dyn Fn(&str, &Shape) -> bool| -> Option<(&'a str, &'a Shape)> {
        for r in &op.errors {
            if let Some((name, shape)) = model.shapes.get_key_value(&r.shape)
                && matches(name, shape)
            {
                return Some((name.as_str(), shape));
            }
        }
        model
            .shapes
            .iter()
            .filter(|(name, shape)| matches(name, shape))
            .min_by(|a, b| a.0.cmp(b.0))
            .map(|(n, s)| (n.as_str(), s))
    };
    lookup(&modeled_code).or_else(|| lookup(&|name, shape| shape.exception && name == code))
}

/// The message of a JSON or CBOR error body: `message`, `Message`, `errorMessage`, then OAuth's
/// `error_description`.
pub(crate) fn json_message(body: &Map<String, Value>) -> String {
    for key in ["message", "Message", "errorMessage", "error_description"] {
        match body.get(key) {
            Some(Value::String(s)) => return s.clone(),
            Some(Value::Null) | None => {}
            Some(other) => return other.to_string(),
        }
    }
    String::new()
}

/// A JSON value as an error code (codes are sometimes numbers).
pub(crate) fn code_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// Parse the modeled members of error shape `shape` from a JSON body object.
pub(crate) fn json_modeled(
    ctx: &Ctx<'_>,
    shape: &Shape,
    body: &Map<String, Value>,
    out: &mut Map<String, Value>,
) {
    // A body that does not fit the shape still leaves the code and message.
    let _ = json_shape::structure_members(ctx, shape, body, out);
}

/// The `<Error>` element of an XML error document: the root itself (S3), `Errors/Error` (EC2,
/// some query services) or `Error` (query and REST-XML `<ErrorResponse>`); else the root.
pub(crate) fn xml_error_element(root: &Element) -> &Element {
    if root.name == "Error" {
        return root;
    }
    if let Some(e) = root.child("Errors").and_then(|errors| errors.child("Error")) {
        return e;
    }
    root.child("Error").unwrap_or(root)
}

/// The text children of an `<Error>` element, as botocore collects them.
pub(crate) fn xml_error_fields(error: &Element, s3_style: bool) -> Map<String, Value> {
    let mut out = Map::new();
    for child in &error.children {
        if child.children.is_empty() && !out.contains_key(&child.name) {
            if s3_style && (child.name == "RequestId" || child.name == "HostId") {
                continue;
            }
            out.insert(child.name.clone(), Value::String(child.text.clone()));
        }
    }
    out
}

/// The reason phrase of an HTTP status (Python's `http.client.responses`), or `""`.
pub(crate) fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        208 => "Already Reported",
        226 => "IM Used",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Requested Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a Teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_lose_namespaces_and_suffixes() {
        assert_eq!(clean_code("FooError"), "FooError");
        assert_eq!(
            clean_code("FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
            "FooError"
        );
        assert_eq!(
            clean_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/x/"),
            "FooError"
        );
        assert_eq!(
            clean_code("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"),
            "ResourceNotFoundException"
        );
    }

    #[test]
    fn query_compatible_header() {
        let mut resp = Response { status: 400, ..Default::default() };
        assert_eq!(query_compatible_code(&resp), None);
        resp.headers
            .push(("X-Amzn-Query-Error".into(), "AWS.SimpleQueueService.NonExistentQueue;Sender".into()));
        assert_eq!(query_compatible_code(&resp).as_deref(), Some("AWS.SimpleQueueService.NonExistentQueue"));
        resp.headers[0].1 = ";Sender".into();
        assert_eq!(query_compatible_code(&resp), None);
        resp.headers[0].1 = "Code".into();
        assert_eq!(query_compatible_code(&resp), None);
    }

    #[test]
    fn generic_errors() {
        let resp = |status, body: &str| Response { status, headers: vec![], body: body.as_bytes().to_vec() };
        assert!(is_generic(&resp(503, "")));
        assert!(is_generic(&resp(502, "  <html><body>Bad</body></html>")));
        assert!(!is_generic(&resp(500, "{\"__type\":\"X\"}")));
        assert!(!is_generic(&resp(404, "")));
        let e = from_status(&resp(503, ""));
        assert_eq!((e.code.as_str(), e.message.as_str(), e.status), ("503", "Service Unavailable", 503));
    }
}
