//! The request fixes the AWS CLI inherits from botocore's own event handlers (`botocore/handlers.py`),
//! each in the module of its service or concern: what botocore changes in an operation's parameters
//! before it serializes them ([`params`], its `before-parameter-build` handlers) and in the serialized
//! request before it is signed ([`request`], its `before-call` handlers).
//!
//! Handlers that must run before the input is validated (idempotency tokens, Glacier's account id)
//! live in `nubo-args`, where validation happens.

mod apigateway;
mod glacier;
mod route53;
mod sse_c;

use nubo_model::{Operation, ServiceModel};
use serde_json::Value;
use std::borrow::Cow;

/// `input` as botocore's `before-parameter-build` handlers leave it for `op` of `service` (botocore
/// service name); borrowed when no handler changed anything.
pub fn params<'v>(service: &str, model: &ServiceModel, op: &Operation, input: &'v Value) -> Cow<'v, Value> {
    let mut input = Cow::Borrowed(input);
    match service {
        "route53" => route53::fix_ids(model, op, &mut input),
        "s3" => sse_c::encode_keys(&op.name, &mut input),
        _ => {}
    }
    input
}

/// The serialized request as botocore's `before-call` handlers leave it: headers added or body
/// checksums computed for `op` of `service` (botocore service name).
pub fn request(
    service: &str,
    model: &ServiceModel,
    op: &Operation,
    headers: &mut Vec<(String, String)>,
    body: &[u8],
) {
    match service {
        "glacier" => glacier::add_headers(model, op, headers, body),
        "apigateway" => apigateway::add_accept(headers),
        _ => {}
    }
}

/// Whether `headers` has `name` (any case).
fn has_header(headers: &[(String, String)], name: &str) -> bool {
    headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
}

/// Sets the top-level member `name` of an object input, turning a borrowed input into an owned one.
fn set_member(input: &mut Cow<'_, Value>, name: &str, value: Value) {
    if let Value::Object(map) = input.to_mut() {
        map.insert(name.to_string(), value);
    }
}
