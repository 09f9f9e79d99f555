//! JSON bodies (shared by `json` and `rest-json`) and the `json` protocol itself: `POST /` with the
//! whole input as a JSON object, `X-Amz-Target: {targetPrefix}.{Operation}` and
//! `Content-Type: application/x-amz-json-{jsonVersion}`.

use super::scalar;
use super::shapes::{Ctx, Member, as_array, as_object};
use super::timestamp::{Format, Formatted, Instant};
use super::{err, query_compatible_header};
use crate::{Request, SerializeError};
use nubo_model::{Operation, ShapeType};
use serde_json::{Map, Number, Value};

pub(crate) fn serialize(ctx: &Ctx, op: &Operation, input: &Value) -> Result<Request, SerializeError> {
    let meta = &ctx.model.metadata;
    let Some(prefix) = meta.target_prefix.as_deref() else {
        return err("the service model has no targetPrefix for the JSON protocol");
    };
    let version = meta.json_version.as_deref().unwrap_or("1.0");
    let mut headers = vec![
        ("X-Amz-Target".to_string(), format!("{prefix}.{}", op.name)),
        ("Content-Type".to_string(), format!("application/x-amz-json-{version}")),
    ];
    query_compatible_header(ctx.model, &mut headers);
    let body = match (&op.input, input.is_null()) {
        (Some(r), false) => to_bytes(&value(ctx, &ctx.resolve(r)?, input)?)?,
        _ => b"{}".to_vec(),
    };
    Ok(Request {
        method: if op.http.method.is_empty() { "POST".into() } else { op.http.method.clone() },
        uri: "/".into(),
        headers,
        body,
        host_prefix: None,
    })
}

/// Serialize a JSON document to bytes.
pub(crate) fn to_bytes(v: &Value) -> Result<Vec<u8>, SerializeError> {
    serde_json::to_vec(v).map_err(|e| SerializeError(format!("cannot write JSON: {e}")))
}

/// The JSON form of input value `v` for member `m`.
pub(crate) fn value(ctx: &Ctx, m: &Member, v: &Value) -> Result<Value, SerializeError> {
    let what = |e: SerializeError| SerializeError(format!("{} ({})", e.0, m.r.shape));
    Ok(match m.type_() {
        ShapeType::Structure if m.shape.document => v.clone(),
        ShapeType::Structure => structure(ctx, m, v, |_| true)?,
        ShapeType::List => {
            let item = ctx.child(m.shape.member.as_deref(), "member", &m.r.shape)?;
            let items = as_array(v, &m.r.shape)?;
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                out.push(if i.is_null() { Value::Null } else { value(ctx, &item, i)? });
            }
            Value::Array(out)
        }
        ShapeType::Map => {
            let val = ctx.child(m.shape.value.as_deref(), "value", &m.r.shape)?;
            let mut out = Map::new();
            for (k, x) in as_object(v, &m.r.shape)? {
                out.insert(k.clone(), if x.is_null() { Value::Null } else { value(ctx, &val, x)? });
            }
            Value::Object(out)
        }
        ShapeType::Timestamp => {
            let format = Format::from_model(m.timestamp_format(), Format::UnixTimestamp)?;
            match Instant::from_value(v).map_err(what)?.format(format)? {
                Formatted::Epoch(n) => Value::from(n),
                Formatted::Text(s) => Value::String(s),
            }
        }
        ShapeType::Blob => Value::String(scalar::base64(&scalar::blob(v).map_err(what)?)),
        ShapeType::Boolean => Value::Bool(scalar::boolean(v).map_err(what)?),
        ShapeType::Float | ShapeType::Double => {
            let f = scalar::float(v).map_err(what)?;
            match (scalar::special_float(f), v) {
                (Some(s), _) => Value::String(s.into()),
                (None, Value::Number(_)) => v.clone(),
                (None, _) => Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null),
            }
        }
        ShapeType::Integer | ShapeType::Long | ShapeType::Short | ShapeType::Byte => {
            let i = scalar::integer(v).map_err(what)?;
            if let Ok(n) = i64::try_from(i) {
                Value::from(n)
            } else {
                Value::from(u64::try_from(i).map_err(|_| SerializeError(format!("{i} is out of range")))?)
            }
        }
        ShapeType::Bigdecimal | ShapeType::Biginteger => match v {
            Value::Number(_) => v.clone(),
            other => serde_json::from_str::<Number>(scalar::string(other).map_err(what)?.trim())
                .map(Value::Number)
                .map_err(|_| SerializeError(format!("expected a number for {}", m.r.shape)))?,
        },
        ShapeType::String | ShapeType::Character | ShapeType::Unknown => {
            Value::String(scalar::string(v).map_err(what)?.into_owned())
        }
    })
}

/// The JSON object of structure `m` with the set members that `keep` lets through (all of them,
/// except for the rest-json body, which holds only the members not bound elsewhere).
pub(crate) fn structure(
    ctx: &Ctx,
    m: &Member,
    v: &Value,
    keep: impl Fn(&str) -> bool,
) -> Result<Value, SerializeError> {
    let mut out = Map::new();
    for (name, member, x) in ctx.set_members(m, v)? {
        if !keep(name) {
            continue;
        }
        let key = member.serialized_name().unwrap_or(name).to_string();
        out.insert(key, value(ctx, &member, x)?);
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nubo_model::ServiceModel;
    use serde_json::json;

    fn model() -> ServiceModel {
        ServiceModel::from_json(
            br#"{"metadata":{"protocol":"json","jsonVersion":"1.1","targetPrefix":"Svc","awsQueryCompatible":{}},
            "operations":{"Op":{"name":"Op","input":{"shape":"In"}},"None":{"name":"None"}},
            "shapes":{"In":{"type":"structure","members":{
              "T":{"shape":"T"},"Iso":{"shape":"T","timestampFormat":"iso8601"},"B":{"shape":"B"},
              "F":{"shape":"F"},"Doc":{"shape":"D"},"N":{"shape":"S","locationName":"renamed"},
              "L":{"shape":"L"},"M":{"shape":"M"}}},
            "T":{"type":"timestamp"},"B":{"type":"blob"},"F":{"type":"float"},"S":{"type":"string"},
            "D":{"type":"structure","members":{},"document":true},
            "L":{"type":"list","member":{"shape":"I"}},"I":{"type":"integer"},
            "M":{"type":"map","key":{"shape":"S"},"value":{"shape":"B"}}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn writes_the_body_and_headers() {
        let m = model();
        let ctx = Ctx::new(&m);
        let input = json!({"T": "2015-01-25T08:00:00Z", "Iso": 0, "B": "YQ==", "F": "NaN",
            "Doc": {"any": [1, null]}, "N": "x", "L": [1, "2"], "M": {"k": "Yg=="}});
        let r = serialize(&ctx, m.operation("Op").unwrap(), &input).unwrap();
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            body,
            json!({"T": 1422172800, "Iso": "1970-01-01T00:00:00Z", "B": "YQ==", "F": "NaN",
                "Doc": {"any": [1, null]}, "renamed": "x", "L": [1, 2], "M": {"k": "Yg=="}})
        );
        assert_eq!(r.headers[0], ("X-Amz-Target".into(), "Svc.Op".into()));
        assert_eq!(r.headers[1], ("Content-Type".into(), "application/x-amz-json-1.1".into()));
        assert_eq!(r.headers[2], ("x-amzn-query-mode".into(), "true".into()));
        let r = serialize(&ctx, m.operation("None").unwrap(), &Value::Null).unwrap();
        assert_eq!(r.body, b"{}");
    }
}
