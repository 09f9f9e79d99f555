//! The `smithy-rpc-v2-cbor` protocol: `POST /service/{targetPrefix}/operation/{Operation}` with the
//! input as one CBOR map, `smithy-protocol: rpc-v2-cbor`, and timestamps as tag 1 epoch seconds.

use super::shapes::{Ctx, Member, as_array, as_object};
use super::timestamp::Instant;
use super::{err, query_compatible_header, scalar};
use crate::{Request, SerializeError};
use ciborium::Value as Cbor;
use nubo_model::{Operation, ShapeType};
use serde_json::Value;

pub(crate) fn serialize(ctx: &Ctx, op: &Operation, input: &Value) -> Result<Request, SerializeError> {
    let Some(prefix) = ctx.model.metadata.target_prefix.as_deref() else {
        return err("the service model has no targetPrefix for the RPC v2 CBOR protocol");
    };
    let body = match &op.input {
        Some(r) => {
            let empty = Value::Object(serde_json::Map::new());
            let input = if input.is_null() { &empty } else { input };
            let mut out = Vec::new();
            ciborium::into_writer(&value(ctx, &ctx.resolve(r)?, input)?, &mut out)
                .map_err(|e| SerializeError(format!("cannot write CBOR: {e}")))?;
            out
        }
        None => Vec::new(),
    };
    let media = if has_event_stream_output(ctx, op)? {
        "application/vnd.amazon.eventstream"
    } else {
        "application/cbor"
    };
    let mut headers = vec![("smithy-protocol".to_string(), "rpc-v2-cbor".to_string())];
    query_compatible_header(ctx.model, &mut headers);
    headers.push(("Accept".into(), media.into()));
    if !body.is_empty() {
        headers.push(("Content-Type".into(), media.into()));
    }
    Ok(Request {
        method: "POST".into(),
        uri: format!("/service/{prefix}/operation/{}", op.name),
        headers,
        body,
        host_prefix: None,
    })
}

fn has_event_stream_output(ctx: &Ctx, op: &Operation) -> Result<bool, SerializeError> {
    let Some(r) = &op.output else { return Ok(false) };
    let out = ctx.shape(&r.shape)?;
    for (_, m) in out.members.iter() {
        if ctx.shape(&m.shape)?.eventstream {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The CBOR form of input value `v` for member `m`.
fn value(ctx: &Ctx, m: &Member, v: &Value) -> Result<Cbor, SerializeError> {
    let what = |e: SerializeError| SerializeError(format!("{} ({})", e.0, m.r.shape));
    Ok(match m.type_() {
        ShapeType::Structure if m.shape.document => document(v)?,
        ShapeType::Structure => {
            let mut out = Vec::new();
            for (name, member, x) in ctx.set_members(m, v)? {
                let key = member.serialized_name().unwrap_or(name);
                out.push((Cbor::Text(key.to_string()), value(ctx, &member, x)?));
            }
            Cbor::Map(out)
        }
        ShapeType::List => {
            let item = ctx.child(m.shape.member.as_deref(), "member", &m.r.shape)?;
            let items = as_array(v, &m.r.shape)?;
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                out.push(if i.is_null() { Cbor::Null } else { value(ctx, &item, i)? });
            }
            Cbor::Array(out)
        }
        ShapeType::Map => {
            let val = ctx.child(m.shape.value.as_deref(), "value", &m.r.shape)?;
            let mut out = Vec::new();
            for (k, x) in as_object(v, &m.r.shape)? {
                let x = if x.is_null() { Cbor::Null } else { value(ctx, &val, x)? };
                out.push((Cbor::Text(k.clone()), x));
            }
            Cbor::Map(out)
        }
        ShapeType::Timestamp => {
            let t = Instant::from_value(v).map_err(what)?;
            let epoch = if t.nanos == 0 {
                Cbor::Integer(t.secs.into())
            } else {
                Cbor::Float(t.secs as f64 + f64::from(t.nanos) / 1e9)
            };
            Cbor::Tag(1, Box::new(epoch))
        }
        ShapeType::Blob => Cbor::Bytes(scalar::blob(v).map_err(what)?),
        ShapeType::Boolean => Cbor::Bool(scalar::boolean(v).map_err(what)?),
        // A float member keeps single precision, as a 32-bit float on the wire.
        ShapeType::Float => Cbor::Float(f64::from(scalar::float(v).map_err(what)? as f32)),
        ShapeType::Double | ShapeType::Bigdecimal => Cbor::Float(scalar::float(v).map_err(what)?),
        ShapeType::Integer | ShapeType::Long | ShapeType::Short | ShapeType::Byte | ShapeType::Biginteger => {
            let i = scalar::integer(v).map_err(what)?;
            Cbor::Integer(
                ciborium::value::Integer::try_from(i)
                    .map_err(|_| SerializeError(format!("{i} is out of range for CBOR")))?,
            )
        }
        ShapeType::String | ShapeType::Character | ShapeType::Unknown => {
            Cbor::Text(scalar::string(v).map_err(what)?.into_owned())
        }
    })
}

/// A document-type value as CBOR, structurally.
fn document(v: &Value) -> Result<Cbor, SerializeError> {
    Ok(match v {
        Value::Null => Cbor::Null,
        Value::Bool(b) => Cbor::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Cbor::Integer(i.into()),
            (None, Some(u)) => Cbor::Integer(u.into()),
            _ => Cbor::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Cbor::Text(s.clone()),
        Value::Array(a) => Cbor::Array(a.iter().map(document).collect::<Result<_, _>>()?),
        Value::Object(o) => Cbor::Map(
            o.iter()
                .map(|(k, x)| Ok((Cbor::Text(k.clone()), document(x)?)))
                .collect::<Result<_, SerializeError>>()?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use nubo_model::ServiceModel;
    use serde_json::json;

    #[test]
    fn encodes_a_map_with_tagged_timestamps() {
        let m = ServiceModel::from_json(
            br#"{"metadata":{"protocol":"smithy-rpc-v2-cbor","targetPrefix":"Svc"},
            "operations":{"Op":{"name":"Op","input":{"shape":"In"}},"Bare":{"name":"Bare"}},
            "shapes":{"In":{"type":"structure","members":{"t":{"shape":"T"},"b":{"shape":"B"},
              "f":{"shape":"F"},"n":{"shape":"I"}}},
            "T":{"type":"timestamp"},"B":{"type":"blob"},"F":{"type":"float"},"I":{"type":"integer"}}}"#,
        )
        .unwrap();
        let ctx = Ctx::new(&m);
        let r = serialize(
            &ctx,
            m.operation("Op").unwrap(),
            &json!({"t": 1, "b": "AAE=", "f": "Infinity", "n": -2}),
        )
        .unwrap();
        assert_eq!(r.uri, "/service/Svc/operation/Op");
        let decoded: Cbor = ciborium::from_reader(r.body.as_slice()).unwrap();
        assert_eq!(
            decoded,
            Cbor::Map(vec![
                (Cbor::Text("t".into()), Cbor::Tag(1, Box::new(Cbor::Integer(1.into())))),
                (Cbor::Text("b".into()), Cbor::Bytes(vec![0, 1])),
                (Cbor::Text("f".into()), Cbor::Float(f64::INFINITY)),
                (Cbor::Text("n".into()), Cbor::Integer((-2).into())),
            ])
        );
        assert!(r.headers.contains(&("Content-Type".into(), "application/cbor".into())));
        let bare = serialize(&ctx, m.operation("Bare").unwrap(), &Value::Null).unwrap();
        assert!(bare.body.is_empty());
        assert_eq!(bare.headers.len(), 2);
    }
}
