//! Request serializers: turn an operation's input (a `serde_json::Value` keyed by member names) into
//! an HTTP [`Request`] for the service's wire protocol. One module per protocol family; the shared
//! pieces (shape lookups, scalars, timestamps, percent-encoding, idempotency tokens, host prefixes)
//! sit beside them. Hand-written because no crate serializes botocore's model format.
//!
//! Behaviour follows botocore's serializers (the AWS CLI's wire format), with the Smithy protocol
//! tests' rules where botocore is silent or errs: null members are skipped everywhere, named query
//! members win over `querystring` maps, EC2 names are always capitalized, and idempotency tokens
//! are filled in here rather than by a separate handler.

mod cbor;
mod encode;
mod host_prefix;
mod idempotency;
mod json;
mod query;
mod rest;
mod scalar;
mod shapes;
mod timestamp;
mod xml;

use crate::{Request, SerializeError};
use nubo_model::{Operation, ServiceModel};
use serde_json::Value;

/// Serialize `input` for `op` of `model` with the model's protocol (see [`ServiceModel::protocol`]).
///
/// `input` is an object keyed by the input shape's member names (or `null` for no input). Blobs are
/// base64 strings, timestamps ISO 8601 strings or epoch seconds, special floats the strings `NaN`,
/// `Infinity` and `-Infinity`; `jsonvalue` header members take the JSON text or an already parsed
/// value. Members that the input shape does not have are an error; `null` members are skipped.
/// Idempotency-token members left out are filled with a fresh UUID v4.
pub fn serialize(model: &ServiceModel, op: &Operation, input: &Value) -> Result<Request, SerializeError> {
    let ctx = shapes::Ctx::new(model);
    let filled = idempotency::fill_tokens(&ctx, op, input)?;
    let input = filled.as_ref();
    if !input.is_null() && !input.is_object() {
        return Err(SerializeError(format!("the input of {} must be a JSON object", op.name)));
    }
    let mut request = match model.protocol() {
        "query" => query::serialize(&ctx, op, input, query::Dialect::Query)?,
        "ec2" => query::serialize(&ctx, op, input, query::Dialect::Ec2)?,
        "json" => json::serialize(&ctx, op, input)?,
        "rest-json" => rest::serialize(&ctx, op, input, rest::BodyFormat::Json)?,
        "rest-xml" => rest::serialize(&ctx, op, input, rest::BodyFormat::Xml)?,
        "smithy-rpc-v2-cbor" => cbor::serialize(&ctx, op, input)?,
        other => return Err(SerializeError(format!("unsupported protocol {other:?}"))),
    };
    request.host_prefix = host_prefix::expand(&ctx, op, input)?;
    Ok(request)
}

/// The `x-amzn-query-mode` header that query-compatible JSON and CBOR services expect.
fn query_compatible_header(model: &ServiceModel, headers: &mut Vec<(String, String)>) {
    if model.metadata.aws_query_compatible.is_some() {
        headers.push(("x-amzn-query-mode".into(), "true".into()));
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, SerializeError> {
    Err(SerializeError(msg.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model(protocol: &str) -> ServiceModel {
        let text = r#"{"metadata":{"protocol":"PROTO","apiVersion":"2020-01-01","targetPrefix":"Svc"},
            "operations":{"Op":{"name":"Op","input":{"shape":"In"},"endpoint":{"hostPrefix":"{Id}."}}},
            "shapes":{"In":{"type":"structure","members":{"Id":{"shape":"S","hostLabel":true},
              "Token":{"shape":"S","idempotencyToken":true}}},"S":{"type":"string"}}}"#
            .replace("PROTO", protocol);
        ServiceModel::from_json(text.as_bytes()).unwrap()
    }

    #[test]
    fn dispatches_on_the_protocol_and_fills_tokens_and_host_prefix() {
        for protocol in ["query", "ec2", "json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor"] {
            let m = model(protocol);
            let r = serialize(&m, m.operation("Op").unwrap(), &json!({"Id": "abc"})).unwrap();
            assert_eq!(r.host_prefix.as_deref(), Some("abc."), "{protocol}");
            assert!(!r.body.is_empty(), "{protocol}");
        }
        let m = model("query");
        let r = serialize(&m, m.operation("Op").unwrap(), &json!({"Id": "abc"})).unwrap();
        let body = String::from_utf8(r.body).unwrap();
        assert!(body.starts_with("Action=Op&Version=2020-01-01&Id=abc&Token="), "{body}");
    }

    #[test]
    fn rejects_bad_input_and_unknown_protocols() {
        let m = model("json");
        let op = m.operation("Op").unwrap();
        assert!(serialize(&m, op, &json!([1])).is_err());
        assert!(serialize(&m, op, &json!({"Id": "a/b"})).is_err());
        assert!(serialize(&m, op, &json!({"Id": "a", "Nope": 1})).is_err());
        let m = model("smoke-signals");
        assert!(serialize(&m, m.operation("Op").unwrap(), &json!({"Id": "a"})).is_err());
    }
}
