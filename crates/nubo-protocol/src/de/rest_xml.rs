//! The REST-XML protocol (S3, CloudFront, Route 53): headers and status code, then the XML body or
//! payload. S3's quirks that botocore handles while parsing live here too: `200 OK` responses that
//! carry an `<Error>` (or a truncated body), `GetBucketLocation`'s bare root element, and the raw
//! `ExpiresString` beside `Expires`.

use super::errors::{self, from_status, service_error};
use super::rest::{self, Payload};
use super::xml::{self, Element};
use super::{Ctx, ParseError, Parsed, is_located, timestamp, unparseable, xml_shape};
use crate::{Response, ServiceError};
use nubo_model::{Operation, Shape};
use serde_json::{Map, Value};

pub(crate) fn parse(ctx: &Ctx<'_>, op: &Operation, resp: &Response) -> Result<Value, ServiceError> {
    if resp.status >= 301 {
        return Err(error(ctx, op, resp, resp.status));
    }
    let s3 = is_s3(ctx);
    let mut tree = None;
    if s3 && resp.status == 200 && checks_200_errors(ctx, op) && !resp.body.is_empty() {
        match xml::parse(&resp.body) {
            Ok(root) if root.name == "Error" => return Err(error(ctx, op, resp, 500)),
            Ok(root) => tree = Some(root),
            // A body cut short: botocore turns it into a 500 to be retried.
            Err(_) => return Err(from_status(&Response { status: 500, ..Default::default() })),
        }
    }
    let Some(shape) = ctx.output(op).map_err(|e| unparseable(resp, e))? else {
        return Ok(Value::Object(Map::new()));
    };
    let mut out = output(ctx, shape, resp, tree).map_err(|e| unparseable(resp, e))?;
    if s3 {
        s3_extras(op, shape, resp, &mut out);
    }
    Ok(Value::Object(out))
}

/// The output members from the headers, status code and body (`tree`: the body, if already parsed).
fn output(
    ctx: &Ctx<'_>,
    shape: &Shape,
    resp: &Response,
    tree: Option<Element>,
) -> Parsed<Map<String, Value>> {
    let mut out = Map::new();
    rest::located_members(ctx, shape, resp, &mut out)?;
    let body_is_empty = resp.body.trim_ascii().is_empty();
    let root = || match tree {
        Some(root) => Ok(root),
        None => xml::parse(&resp.body).map_err(ParseError),
    };
    match rest::payload(ctx, shape)? {
        // A shape without body members ignores the body (botocore would still insist on XML).
        Payload::Members if !body_is_empty && shape.members.iter().any(|(_, m)| !is_located(m)) => {
            xml_shape::structure_members(ctx, shape, &root()?, &mut out)?;
        }
        Payload::Raw(name, ty) if !resp.body.is_empty() => {
            out.insert(name.to_string(), rest::raw_payload(ty, &resp.body));
        }
        Payload::Parsed(name, pshape) if !body_is_empty => {
            out.insert(name.to_string(), xml_shape::value(ctx, pshape, &root()?)?);
        }
        _ => {}
    }
    Ok(out)
}

/// The error in `resp`, reported with `status` (500 for S3's `200 OK` errors).
fn error(ctx: &Ctx<'_>, op: &Operation, resp: &Response, status: u16) -> ServiceError {
    let as_status = || from_status(&Response { status, ..Default::default() });
    if errors::is_generic(resp) || resp.body.trim_ascii().is_empty() {
        return as_status();
    }
    let Ok(root) = xml::parse(&resp.body) else {
        return as_status();
    };
    let error = errors::xml_error_element(&root);
    // S3 answers with a bare <Error>; botocore leaves Code and Message out when they are missing
    // there (the CLI then prints "Unknown"), while <ErrorResponse> documents default them to "".
    let s3_style = root.name == "Error";
    let missing = if s3_style { "Unknown" } else { "" };
    let code = error.child("Code").map_or(missing, |c| c.text.as_str()).to_string();
    let message = error.child("Message").map_or(missing, |c| c.text.as_str()).to_string();
    let mut fields = errors::xml_error_fields(error, s3_style);
    fields.remove("Code");
    fields.remove("Message");
    if let Some((_, shape)) = errors::error_shape(ctx, op, &code) {
        let mut modeled = Map::new();
        if rest::located_members(ctx, shape, resp, &mut modeled).is_ok()
            && xml_shape::structure_members(ctx, shape, error, &mut modeled).is_ok()
        {
            fields.extend(modeled);
        }
    }
    service_error(&code, &message, status, fields)
}

fn is_s3(ctx: &Ctx<'_>) -> bool {
    let meta = &ctx.model.metadata;
    meta.service_id.as_deref() == Some("S3")
        || (meta.service_id.is_none() && meta.endpoint_prefix.as_deref() == Some("s3"))
}

/// Whether a `200 OK` of this operation may hide an error: not for operations without output, with
/// event streams, or whose body is a blob or string payload (it could be anything).
fn checks_200_errors(ctx: &Ctx<'_>, op: &Operation) -> bool {
    let Ok(Some(shape)) = ctx.output(op) else {
        return false;
    };
    !matches!(rest::payload(ctx, shape), Ok(Payload::Raw(..) | Payload::Skipped) | Err(_))
}

/// What botocore's S3 handlers add while parsing.
fn s3_extras(op: &Operation, shape: &Shape, resp: &Response, out: &mut Map<String, Value>) {
    // GetBucketLocation's body is the bare <LocationConstraint> element (empty for us-east-1).
    if op.name == "GetBucketLocation"
        && let Ok(root) = xml::parse(&resp.body)
    {
        let region = if root.text.is_empty() { Value::Null } else { Value::String(root.text) };
        out.insert("LocationConstraint".into(), region);
    }
    // Expires headers are often not dates: the raw value is kept as ExpiresString, and Expires is
    // dropped when it does not parse.
    let has_expires = shape.members.iter().any(|(name, m)| {
        name == "Expires"
            && m.location.as_deref() == Some("header")
            && m.location_name.as_deref() == Some("Expires")
    });
    if has_expires && let Some(raw) = resp.header("Expires") {
        if timestamp::parse(raw).is_none() {
            out.remove("Expires");
        }
        out.insert("ExpiresString".into(), Value::String(raw.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nubo_model::ServiceModel;

    fn s3_model() -> ServiceModel {
        ServiceModel::from_json(
            br#"{"metadata":{"protocol":"rest-xml","serviceId":"S3","endpointPrefix":"s3"},
            "operations":{
              "HeadObject":{"name":"HeadObject","http":{"method":"HEAD","requestUri":"/{Bucket}/{Key+}"},"output":{"shape":"HeadOut"}},
              "CopyObject":{"name":"CopyObject","http":{"method":"PUT","requestUri":"/{Bucket}/{Key+}"},"output":{"shape":"CopyOut"}},
              "GetObject":{"name":"GetObject","http":{"method":"GET","requestUri":"/{Bucket}/{Key+}"},"output":{"shape":"GetOut"},"errors":[{"shape":"NoSuchKey"}]},
              "GetBucketLocation":{"name":"GetBucketLocation","http":{"method":"GET","requestUri":"/{Bucket}?location"},"output":{"shape":"LocOut"}}},
            "shapes":{
              "HeadOut":{"type":"structure","members":{
                 "Expires":{"shape":"Ts","location":"header","locationName":"Expires"},
                 "ContentLength":{"shape":"Long","location":"header","locationName":"Content-Length"},
                 "Metadata":{"shape":"Meta","location":"headers","locationName":"x-amz-meta-"}}},
              "CopyOut":{"type":"structure","members":{"CopyObjectResult":{"shape":"CopyResult"}},"payload":"CopyObjectResult"},
              "CopyResult":{"type":"structure","members":{"ETag":{"shape":"Str"}}},
              "GetOut":{"type":"structure","members":{"Body":{"shape":"Body","streaming":true},
                 "ContentType":{"shape":"Str","location":"header","locationName":"Content-Type"}},"payload":"Body"},
              "LocOut":{"type":"structure","members":{"LocationConstraint":{"shape":"Str"}}},
              "NoSuchKey":{"type":"structure","members":{},"exception":true},
              "Body":{"type":"blob","streaming":true},
              "Meta":{"type":"map","key":{"shape":"Str"},"value":{"shape":"Str"}},
              "Ts":{"type":"timestamp"},"Long":{"type":"long"},"Str":{"type":"string"}}}"#,
        )
        .unwrap()
    }

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        Response {
            status,
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn call(op: &str, r: &Response) -> Result<Value, ServiceError> {
        let m = s3_model();
        super::super::parse_response(&m, m.operation(op).unwrap(), r)
    }

    #[test]
    fn head_404_without_body() {
        let e = call("HeadObject", &resp(404, &[("x-amz-request-id", "R")], "")).unwrap_err();
        assert_eq!((e.code.as_str(), e.message.as_str(), e.status), ("404", "Not Found", 404));
    }

    #[test]
    fn head_object_headers_and_expires() {
        let out = call(
            "HeadObject",
            &resp(200, &[("Content-Length", "3"), ("Expires", "soon"), ("x-amz-meta-Color", "red")], ""),
        )
        .unwrap();
        assert_eq!(
            out,
            serde_json::json!({"ContentLength": 3, "Metadata": {"Color": "red"}, "ExpiresString": "soon"})
        );
        let out =
            call("HeadObject", &resp(200, &[("Expires", "Tue, 29 Apr 2014 18:30:38 GMT")], "")).unwrap();
        assert_eq!(
            out,
            serde_json::json!({"Expires": "2014-04-29T18:30:38+00:00", "Metadata": {}, "ExpiresString": "Tue, 29 Apr 2014 18:30:38 GMT"})
        );
    }

    #[test]
    fn s3_errors_with_and_without_message() {
        let body = "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k</Key><RequestId>R</RequestId><HostId>H</HostId></Error>";
        let e = call("GetObject", &resp(404, &[], body)).unwrap_err();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("NoSuchKey", "The specified key does not exist."));
        assert_eq!(
            e.fields,
            serde_json::json!({"Code": "NoSuchKey", "Message": "The specified key does not exist.", "Key": "k"})
        );
        let e = call("GetObject", &resp(403, &[], "<Error><Code>AccessDenied</Code></Error>")).unwrap_err();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("AccessDenied", "Unknown"));
    }

    #[test]
    fn unparseable_error_bodies_give_the_status() {
        let e = call("GetObject", &resp(400, &[], "<Error><Code>Oops")).unwrap_err();
        assert_eq!((e.code.as_str(), e.message.as_str(), e.status), ("400", "Bad Request", 400));
        let e = call("GetObject", &resp(502, &[], "<html><body>bad gateway</body></html>")).unwrap_err();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("502", "Bad Gateway"));
    }

    #[test]
    fn s3_200_with_error_body_is_an_error() {
        let e = call(
            "CopyObject",
            &resp(200, &[], "<Error><Code>InternalError</Code><Message>x</Message></Error>"),
        )
        .unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("InternalError", 500));
        let e = call("CopyObject", &resp(200, &[], "<CopyObjectResult><ETag>")).unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("500", 500));
        let ok =
            call("CopyObject", &resp(200, &[], "<CopyObjectResult><ETag>\"e\"</ETag></CopyObjectResult>"))
                .unwrap();
        assert_eq!(ok, serde_json::json!({"CopyObjectResult": {"ETag": "\"e\""}}));
        // A streaming body is never inspected.
        let ok = call("GetObject", &resp(200, &[("Content-Type", "text/xml")], "<Error/>")).unwrap();
        assert_eq!(ok, serde_json::json!({"ContentType": "text/xml"}));
    }

    #[test]
    fn get_bucket_location() {
        let ok = call("GetBucketLocation", &resp(200, &[], r#"<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>"#)).unwrap();
        assert_eq!(ok, serde_json::json!({"LocationConstraint": "eu-west-1"}));
        let ok = call(
            "GetBucketLocation",
            &resp(200, &[], r#"<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>"#),
        )
        .unwrap();
        assert_eq!(ok, serde_json::json!({"LocationConstraint": null}));
    }

    #[test]
    fn streaming_member_is_named() {
        let m = s3_model();
        assert_eq!(super::super::streaming_member(&m, m.operation("GetObject").unwrap()), Some("Body"));
        assert_eq!(super::super::streaming_member(&m, m.operation("HeadObject").unwrap()), None);
    }
}
