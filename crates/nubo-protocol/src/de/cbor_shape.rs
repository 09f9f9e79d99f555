//! CBOR bodies (Smithy RPC v2) decoded with ciborium and read by shape: structures by member name,
//! nulls dropped from structures and maps, tag 1 (epoch seconds) and untagged numbers as timestamps,
//! byte strings as base64, special floats as strings. Values outside the model are converted as-is.

use super::{Ctx, ParseError, Parsed, scalar, timestamp};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ciborium::Value as Cbor;
use nubo_model::{Shape, ShapeType};
use serde_json::{Map, Value};

/// Decode one CBOR data item; an empty body is an empty map.
pub(crate) fn decode(body: &[u8]) -> Parsed<Cbor> {
    if body.is_empty() {
        return Ok(Cbor::Map(Vec::new()));
    }
    ciborium::de::from_reader(body).map_err(|e| ParseError(format!("invalid CBOR: {e}")))
}

/// A map's value under the text key `key`.
pub(crate) fn get<'a>(item: &'a Cbor, key: &str) -> Option<&'a Cbor> {
    match item {
        Cbor::Map(entries) => {
            entries.iter().find(|(k, _)| matches!(k, Cbor::Text(t) if t == key)).map(|(_, v)| v)
        }
        _ => None,
    }
}

/// The value of `item` read as `shape`.
pub(crate) fn value(ctx: &Ctx<'_>, shape: &Shape, item: &Cbor) -> Parsed<Value> {
    let item = untag_non_timestamp(item);
    if item.is_null() {
        return Ok(Value::Null);
    }
    Ok(match (shape.type_, item) {
        (ShapeType::Structure, _) if shape.document => plain(item),
        (ShapeType::Structure, Cbor::Map(_)) => {
            let mut out = Map::new();
            structure_members(ctx, shape, item, &mut out)?;
            Value::Object(out)
        }
        (ShapeType::List, Cbor::Array(items)) => match shape.member.as_deref() {
            Some(member) => {
                let member_shape = ctx.shape(&member.shape)?;
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(value(ctx, member_shape, i)?);
                }
                Value::Array(out)
            }
            None => plain(item),
        },
        (ShapeType::Map, Cbor::Map(entries)) => match shape.value.as_deref() {
            Some(value_ref) => {
                let value_shape = ctx.shape(&value_ref.shape)?;
                let mut out = Map::new();
                for (k, v) in entries {
                    let parsed = value(ctx, value_shape, v)?;
                    if !parsed.is_null() {
                        out.insert(key_text(k), parsed);
                    }
                }
                Value::Object(out)
            }
            None => plain(item),
        },
        (ShapeType::Timestamp, Cbor::Tag(_, inner)) => epoch(inner).unwrap_or_else(|| plain(inner)),
        (ShapeType::Timestamp, Cbor::Integer(_) | Cbor::Float(_)) => {
            epoch(item).unwrap_or_else(|| plain(item))
        }
        (ShapeType::Timestamp, Cbor::Text(t)) => {
            Value::String(timestamp::parse(t).map_or_else(|| t.clone(), |ts| ts.to_cli_string()))
        }
        _ => plain(item),
    })
}

/// Add the members of structure `shape` found in the map `item` to `out`.
pub(crate) fn structure_members(
    ctx: &Ctx<'_>,
    shape: &Shape,
    item: &Cbor,
    out: &mut Map<String, Value>,
) -> Parsed<()> {
    for (name, mref) in shape.members.iter() {
        let Some(raw) = get(item, name) else { continue };
        let parsed = value(ctx, ctx.shape(&mref.shape)?, raw)?;
        if !parsed.is_null() {
            out.insert(name.clone(), parsed);
        }
    }
    Ok(())
}

/// Tags other than 1 (epoch date/time) carry no meaning for the model: look through them.
fn untag_non_timestamp(mut item: &Cbor) -> &Cbor {
    while let Cbor::Tag(tag, inner) = item {
        if *tag == 1 {
            break;
        }
        item = inner;
    }
    item
}

fn epoch(item: &Cbor) -> Option<Value> {
    let seconds = match item {
        Cbor::Integer(i) => i128::from(*i) as f64,
        Cbor::Float(f) => *f,
        _ => return None,
    };
    Some(Value::String(timestamp::Timestamp::from_epoch(seconds)?.to_cli_string()))
}

fn key_text(key: &Cbor) -> String {
    match key {
        Cbor::Text(t) => t.clone(),
        other => match plain(other) {
            Value::String(s) => s,
            v => v.to_string(),
        },
    }
}

/// A CBOR item without a shape: the obvious JSON form (byte strings as base64, tag 1 as a timestamp).
pub(crate) fn plain(item: &Cbor) -> Value {
    match item {
        Cbor::Integer(i) => {
            let n = i128::from(*i);
            if let Ok(v) = i64::try_from(n) {
                Value::Number(v.into())
            } else if let Ok(v) = u64::try_from(n) {
                Value::Number(v.into())
            } else {
                scalar::float_value(n as f64)
            }
        }
        Cbor::Bytes(b) => Value::String(STANDARD.encode(b)),
        Cbor::Float(f) => scalar::float_value(*f),
        Cbor::Text(t) => Value::String(t.clone()),
        Cbor::Bool(b) => Value::Bool(*b),
        Cbor::Null => Value::Null,
        Cbor::Tag(1, inner) => epoch(inner).unwrap_or_else(|| plain(inner)),
        Cbor::Tag(_, inner) => plain(inner),
        Cbor::Array(items) => Value::Array(items.iter().map(plain).collect()),
        Cbor::Map(entries) => Value::Object(
            entries.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (key_text(k), plain(v))).collect(),
        ),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_converts_without_a_shape() {
        // {"a": h'0102', "t": 1(1398796238), "f": NaN (half), "l": [_ "x", -1]}
        let body = [
            0xa4, 0x61, b'a', 0x42, 1, 2, 0x61, b't', 0xc1, 0x1a, 0x53, 0x5f, 0xef, 0xce, 0x61, b'f', 0xf9,
            0x7e, 0x00, 0x61, b'l', 0x9f, 0x61, b'x', 0x20, 0xff,
        ];
        let item = decode(&body).unwrap();
        assert_eq!(
            plain(&item),
            serde_json::json!({"a": "AQI=", "t": "2014-04-29T18:30:38+00:00", "f": "NaN", "l": ["x", -1]})
        );
    }

    #[test]
    fn malformed_input_is_an_error() {
        for body in
            [&[0xa1u8][..], &[0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], &[0x9f; 600], &[0x1c]]
        {
            assert!(decode(body).is_err(), "{body:?}");
        }
        assert_eq!(decode(&[]).unwrap(), Cbor::Map(Vec::new()));
    }
}
