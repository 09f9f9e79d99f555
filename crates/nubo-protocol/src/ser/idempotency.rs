//! Idempotency tokens: a top-level input member marked `idempotencyToken` that the caller left out
//! is filled with a fresh random UUID v4, as the AWS CLI does before serializing.

use super::shapes::Ctx;
use crate::SerializeError;
use nubo_model::Operation;
use serde_json::Value;
use std::borrow::Cow;

/// `input` with every missing idempotency token filled in (borrowed when nothing was missing).
pub(crate) fn fill_tokens<'v>(
    ctx: &Ctx,
    op: &Operation,
    input: &'v Value,
) -> Result<Cow<'v, Value>, SerializeError> {
    let Some(r) = &op.input else { return Ok(Cow::Borrowed(input)) };
    let shape = ctx.shape(&r.shape)?;
    let missing: Vec<&String> = shape
        .members
        .iter()
        .filter(|(name, m)| m.idempotency_token && input.get(name.as_str()).is_none_or(Value::is_null))
        .map(|(name, _)| name)
        .collect();
    if missing.is_empty() {
        return Ok(Cow::Borrowed(input));
    }
    let mut obj = match input {
        Value::Object(o) => o.clone(),
        Value::Null => serde_json::Map::new(),
        _ => return Ok(Cow::Borrowed(input)),
    };
    for name in missing {
        obj.insert(name.clone(), Value::String(uuid::Uuid::new_v4().to_string()));
    }
    Ok(Cow::Owned(Value::Object(obj)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nubo_model::ServiceModel;
    use serde_json::json;

    fn model() -> ServiceModel {
        ServiceModel::from_json(
            br#"{"metadata":{"protocol":"json"},"operations":{"Op":{"name":"Op","input":{"shape":"In"}}},
            "shapes":{"In":{"type":"structure","members":{"Token":{"shape":"S","idempotencyToken":true},
            "Other":{"shape":"S"}}},"S":{"type":"string"}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn fills_only_missing_tokens() {
        let m = model();
        let ctx = Ctx::new(&m);
        let op = m.operation("Op").unwrap();
        let input = json!({"Other": "x"});
        let filled = fill_tokens(&ctx, op, &input).unwrap();
        let token = filled["Token"].as_str().unwrap();
        let parsed = uuid::Uuid::parse_str(token).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        let given = json!({"Token": "mine"});
        assert!(matches!(fill_tokens(&ctx, op, &given).unwrap(), Cow::Borrowed(_)));
        assert!(fill_tokens(&ctx, op, &Value::Null).unwrap()["Token"].is_string());
    }
}
