//! The Smithy RPC v2 CBOR protocol: the CBOR body is the output structure; errors are named by the
//! body's `__type`, with query-compatible services' `x-amzn-query-error` code taking over.

use super::errors::{self, from_status, service_error};
use super::{Ctx, cbor_shape, unparseable};
use crate::{Response, ServiceError};
use ciborium::Value as Cbor;
use nubo_model::Operation;
use serde_json::{Map, Value};

pub(crate) fn parse(ctx: &Ctx<'_>, op: &Operation, resp: &Response) -> Result<Value, ServiceError> {
    if resp.status >= 301 {
        return Err(error(ctx, op, resp));
    }
    let mut out = Map::new();
    let Some(shape) = ctx.output(op).map_err(|e| unparseable(resp, e))? else {
        return Ok(Value::Object(out));
    };
    let body = cbor_shape::decode(&resp.body).map_err(|e| unparseable(resp, e))?;
    cbor_shape::structure_members(ctx, shape, &body, &mut out).map_err(|e| unparseable(resp, e))?;
    Ok(Value::Object(out))
}

fn error(ctx: &Ctx<'_>, op: &Operation, resp: &Response) -> ServiceError {
    if errors::is_generic(resp) {
        return from_status(resp);
    }
    let body = cbor_shape::decode(&resp.body).unwrap_or(Cbor::Map(Vec::new()));
    let text = |key: &str| match cbor_shape::get(&body, key) {
        Some(Cbor::Text(t)) => Some(t.clone()),
        _ => None,
    };
    let message = text("message").or_else(|| text("Message")).unwrap_or_default();
    let body_code = errors::clean_code(&text("__type").unwrap_or_else(|| resp.status.to_string()));
    let code = errors::query_compatible_code(resp).unwrap_or_else(|| body_code.clone());
    let shape = errors::error_shape(ctx, op, &code).or_else(|| errors::error_shape(ctx, op, &body_code));
    let mut fields = Map::new();
    if let Some((_, shape)) = shape
        && cbor_shape::structure_members(ctx, shape, &body, &mut fields).is_err()
    {
        fields.clear();
    }
    service_error(&code, &message, resp.status, fields)
}
