//! The JSON 1.0/1.1 RPC protocol (DynamoDB, most newer services): the body is the output structure;
//! errors are named by `X-Amzn-Errortype`, `__type` or `code`, with query-compatible services'
//! `x-amzn-query-error` code taking over.

use super::errors::{self, from_status, service_error};
use super::rest_json::body_object;
use super::{Ctx, json_shape, unparseable};
use crate::{Response, ServiceError};
use nubo_model::Operation;
use serde_json::{Map, Value};

pub(crate) fn parse(ctx: &Ctx<'_>, op: &Operation, resp: &Response) -> Result<Value, ServiceError> {
    if resp.status >= 301 {
        return Err(error(ctx, op, resp));
    }
    let Some(shape) = ctx.output(op).map_err(|e| unparseable(resp, e))? else {
        return Ok(Value::Object(Map::new()));
    };
    // Like botocore, a body that is not JSON is read as {"message": body}.
    let body = body_object(resp);
    let mut out = Map::new();
    json_shape::structure_members(ctx, shape, &body, &mut out).map_err(|e| unparseable(resp, e))?;
    Ok(Value::Object(out))
}

fn error(ctx: &Ctx<'_>, op: &Operation, resp: &Response) -> ServiceError {
    let header_code = resp.header("x-amzn-errortype");
    if errors::is_generic(resp) && header_code.is_none() {
        return from_status(resp);
    }
    let body = body_object(resp);
    let message = errors::json_message(&body);
    let raw_code = header_code
        .map(str::to_string)
        .or_else(|| body.get("__type").and_then(errors::code_text))
        .or_else(|| body.get("code").or_else(|| body.get("Code")).and_then(errors::code_text))
        .unwrap_or_else(|| resp.status.to_string());
    let body_code = errors::clean_code(&raw_code);
    let code = errors::query_compatible_code(resp).unwrap_or_else(|| body_code.clone());
    let shape = errors::error_shape(ctx, op, &code).or_else(|| errors::error_shape(ctx, op, &body_code));
    let mut fields = Map::new();
    if let Some((_, shape)) = shape {
        errors::json_modeled(ctx, shape, &body, &mut fields);
    }
    service_error(&code, &message, resp.status, fields)
}

#[cfg(test)]
mod tests {
    use crate::Response;
    use nubo_model::ServiceModel;

    fn model() -> ServiceModel {
        ServiceModel::from_json(
            br#"{"metadata":{"protocol":"json","jsonVersion":"1.0","awsQueryCompatible":{}},
            "operations":{"GetQueueUrl":{"name":"GetQueueUrl","output":{"shape":"Out"},"errors":[{"shape":"QueueDoesNotExist"}]}},
            "shapes":{"Out":{"type":"structure","members":{"QueueUrl":{"shape":"S"},"Created":{"shape":"T"}}},
              "QueueDoesNotExist":{"type":"structure","members":{"message":{"shape":"S"}},"exception":true},
              "S":{"type":"string"},"T":{"type":"timestamp"}}}"#,
        )
        .unwrap()
    }

    fn call(
        status: u16,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Result<serde_json::Value, crate::ServiceError> {
        let m = model();
        let resp = Response {
            status,
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: body.as_bytes().to_vec(),
        };
        super::super::parse_response(&m, m.operation("GetQueueUrl").unwrap(), &resp)
    }

    #[test]
    fn output_with_epoch_timestamps() {
        let out = call(200, &[], r#"{"QueueUrl":"u","Created":1398796238.5,"Extra":1}"#).unwrap();
        assert_eq!(out, serde_json::json!({"QueueUrl": "u", "Created": "2014-04-29T18:30:38.500000+00:00"}));
        assert_eq!(call(200, &[], "").unwrap(), serde_json::json!({}));
    }

    #[test]
    fn sqs_style_query_compatible_error() {
        let e = call(
            400,
            &[("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")],
            r#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"}"#,
        )
        .unwrap_err();
        assert_eq!(e.code, "AWS.SimpleQueueService.NonExistentQueue");
        assert_eq!(e.message, "gone");
        assert_eq!(e.fields["message"], "gone");
    }

    #[test]
    fn unparseable_error_body_keeps_the_status() {
        let e = call(400, &[], "<html>nope</html>").unwrap_err();
        assert_eq!((e.code.as_str(), e.message.as_str(), e.status), ("400", "<html>nope</html>", 400));
        let e = call(503, &[], "").unwrap_err();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("503", "Service Unavailable"));
    }
}
