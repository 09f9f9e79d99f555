//! The REST-JSON protocol: headers and status code, then the JSON body or payload; errors named by
//! `X-Amzn-Errortype`, the body's `code`, or its `__type`.

use super::errors::{self, from_status, service_error};
use super::rest::{self, Payload};
use super::{Ctx, Parsed, json_shape, unparseable};
use crate::{Response, ServiceError};
use nubo_model::{Operation, Shape};
use serde_json::{Map, Value};

pub(crate) fn parse(ctx: &Ctx<'_>, op: &Operation, resp: &Response) -> Result<Value, ServiceError> {
    if resp.status >= 301 {
        return Err(error(ctx, op, resp));
    }
    let Some(shape) = ctx.output(op).map_err(|e| unparseable(resp, e))? else {
        return Ok(Value::Object(Map::new()));
    };
    output(ctx, shape, resp).map(Value::Object).map_err(|e| unparseable(resp, e))
}

fn output(ctx: &Ctx<'_>, shape: &Shape, resp: &Response) -> Parsed<Map<String, Value>> {
    let mut out = Map::new();
    rest::located_members(ctx, shape, resp, &mut out)?;
    let body_is_empty = resp.body.trim_ascii().is_empty();
    match rest::payload(ctx, shape)? {
        Payload::Members if !body_is_empty => {
            json_shape::structure_members(ctx, shape, &body_object(resp), &mut out)?;
        }
        Payload::Raw(name, ty) if !resp.body.is_empty() => {
            out.insert(name.to_string(), rest::raw_payload(ty, &resp.body));
        }
        Payload::Parsed(name, pshape) if !body_is_empty => {
            // Like botocore, a body that is not JSON is read as {"message": body}.
            let body =
                serde_json::from_slice(&resp.body).unwrap_or_else(|_| Value::Object(body_object(resp)));
            let v = json_shape::value(ctx, pshape, &body)?;
            if !v.is_null() {
                out.insert(name.to_string(), v);
            }
        }
        _ => {}
    }
    Ok(out)
}

/// A JSON body as an object: `{}` when empty or not an object, `{"message": text}` when not JSON
/// (as botocore reads both outputs and errors).
pub(crate) fn body_object(resp: &Response) -> Map<String, Value> {
    if resp.body.trim_ascii().is_empty() {
        return Map::new();
    }
    match serde_json::from_slice::<Value>(&resp.body) {
        Ok(Value::Object(obj)) => obj,
        Ok(_) => Map::new(),
        Err(_) => {
            let mut m = Map::new();
            m.insert("message".into(), Value::String(String::from_utf8_lossy(&resp.body).into_owned()));
            m
        }
    }
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
        .or_else(|| body.get("code").or_else(|| body.get("Code")).and_then(errors::code_text))
        .or_else(|| body.get("__type").and_then(errors::code_text))
        .unwrap_or_else(|| resp.status.to_string());
    let code = errors::clean_code(&raw_code);
    let mut fields = Map::new();
    if let Some((_, shape)) = errors::error_shape(ctx, op, &code) {
        let mut modeled = Map::new();
        if rest::located_members(ctx, shape, resp, &mut modeled).is_ok() {
            errors::json_modeled(ctx, shape, &body, &mut modeled);
            fields = modeled;
        }
    }
    service_error(&code, &message, resp.status, fields)
}
