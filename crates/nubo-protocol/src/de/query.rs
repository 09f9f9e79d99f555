//! The query protocol (IAM, STS, SNS, CloudFormation…) and its EC2 dialect: an XML document whose
//! `<OpResult>` element (query) or root (EC2) holds the output; `ResponseMetadata` and `requestId`
//! are not part of it. Errors come as `<ErrorResponse><Error>` or EC2's `<Response><Errors><Error>`.

use super::errors::{self, from_status, service_error};
use super::{Ctx, ParseError, unparseable, xml, xml_shape};
use crate::{Response, ServiceError};
use nubo_model::Operation;
use serde_json::{Map, Value};

/// Query proper, or EC2's variant of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Query,
    Ec2,
}

pub(crate) fn parse(
    ctx: &Ctx<'_>,
    op: &Operation,
    resp: &Response,
    dialect: Dialect,
) -> Result<Value, ServiceError> {
    if resp.status >= 301 {
        return Err(error(ctx, op, resp));
    }
    let mut out = Map::new();
    let Some(shape) = ctx.output(op).map_err(|e| unparseable(resp, e))? else {
        return Ok(Value::Object(out));
    };
    if resp.body.trim_ascii().is_empty() {
        return Ok(Value::Object(out));
    }
    let root = xml::parse(&resp.body).map_err(|e| unparseable(resp, ParseError(e)))?;
    let wrapper = op.output.as_ref().and_then(|r| r.result_wrapper.as_deref());
    let start = match (dialect, wrapper) {
        (Dialect::Query, Some(name)) => root.child(name),
        _ => Some(&root),
    };
    if let Some(start) = start {
        xml_shape::structure_members(ctx, shape, start, &mut out).map_err(|e| unparseable(resp, e))?;
    }
    Ok(Value::Object(out))
}

fn error(ctx: &Ctx<'_>, op: &Operation, resp: &Response) -> ServiceError {
    if errors::is_generic(resp) || resp.body.trim_ascii().is_empty() {
        return from_status(resp);
    }
    let Ok(root) = xml::parse(&resp.body) else {
        return from_status(resp);
    };
    let error = errors::xml_error_element(&root);
    // Without <Code> or <Message> botocore's error has neither, and the CLI prints "Unknown".
    let code = error.child("Code").map_or("Unknown", |c| c.text.as_str()).to_string();
    let message = error.child("Message").map_or("Unknown", |c| c.text.as_str()).to_string();
    let mut fields = errors::xml_error_fields(error, false);
    fields.remove("Code");
    fields.remove("Message");
    if let Some((_, shape)) = errors::error_shape(ctx, op, &code) {
        let mut modeled = Map::new();
        if xml_shape::structure_members(ctx, shape, error, &mut modeled).is_ok() {
            fields.extend(modeled);
        }
    }
    service_error(&code, &message, resp.status, fields)
}

#[cfg(test)]
mod tests {
    use crate::Response;
    use nubo_model::ServiceModel;

    fn call(protocol: &str, status: u16, body: &str) -> Result<serde_json::Value, crate::ServiceError> {
        let m = ServiceModel::from_json(
            format!(
                r#"{{"metadata":{{"protocol":"{protocol}"}},
                "operations":{{"GetCallerIdentity":{{"name":"GetCallerIdentity",
                   "output":{{"shape":"Out","resultWrapper":"GetCallerIdentityResult"}}}}}},
                "shapes":{{"Out":{{"type":"structure","members":{{"Account":{{"shape":"S"}},"Tags":{{"shape":"L"}}}}}},
                  "L":{{"type":"list","member":{{"shape":"S","locationName":"item"}}}},"S":{{"type":"string"}}}}}}"#
            )
            .as_bytes(),
        )
        .unwrap();
        let resp = Response { status, headers: vec![], body: body.as_bytes().to_vec() };
        super::super::parse_response(&m, m.operation("GetCallerIdentity").unwrap(), &resp)
    }

    #[test]
    fn result_wrapper_and_metadata() {
        let body = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult><Account>123</Account><Tags><item>a</item><item>b</item></Tags></GetCallerIdentityResult>
  <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#;
        assert_eq!(
            call("query", 200, body).unwrap(),
            serde_json::json!({"Account": "123", "Tags": ["a", "b"]})
        );
    }

    #[test]
    fn query_errors() {
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>";
        let e = call("query", 403, body).unwrap_err();
        assert_eq!((e.code.as_str(), e.message.as_str(), e.status), ("AccessDenied", "no", 403));
        assert_eq!(e.fields, serde_json::json!({"Code": "AccessDenied", "Message": "no", "Type": "Sender"}));
        let e = call("ec2", 400, "<Response><Errors><Error><Code>InvalidID</Code></Error></Errors><RequestID>r</RequestID></Response>")
            .unwrap_err();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("InvalidID", "Unknown"));
        let e = call("query", 400, "garbage").unwrap_err();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("400", "Bad Request"));
    }
}
