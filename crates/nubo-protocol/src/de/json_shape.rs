//! JSON bodies read by shape (JSON 1.0/1.1 and REST-JSON): members by `locationName`, nulls dropped
//! from structures and maps, timestamps (epoch numbers or strings in any format) rendered as the CLI
//! renders them, blobs left base64, documents passed through, unknown union members reported as
//! `SDK_UNKNOWN_MEMBER` as botocore does. Values of an unexpected JSON type are passed through.

use super::{Ctx, Parsed, is_located, scalar, timestamp};
use nubo_model::{Shape, ShapeType};
use serde_json::{Map, Value};

/// The value of `v` read as `shape`.
pub(crate) fn value(ctx: &Ctx<'_>, shape: &Shape, v: &Value) -> Parsed<Value> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    Ok(match shape.type_ {
        ShapeType::Structure if shape.document => v.clone(),
        ShapeType::Structure => match v {
            Value::Object(obj) => {
                let mut out = Map::new();
                structure_members(ctx, shape, obj, &mut out)?;
                Value::Object(out)
            }
            other => other.clone(),
        },
        ShapeType::List => match (v, shape.member.as_deref()) {
            (Value::Array(items), Some(member)) => {
                let member_shape = ctx.shape(&member.shape)?;
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(value(ctx, member_shape, item)?);
                }
                Value::Array(out)
            }
            (other, _) => other.clone(),
        },
        ShapeType::Map => match (v, shape.value.as_deref()) {
            (Value::Object(obj), Some(value_ref)) => {
                let value_shape = ctx.shape(&value_ref.shape)?;
                let mut out = Map::new();
                for (k, item) in obj {
                    let parsed = value(ctx, value_shape, item)?;
                    if !parsed.is_null() {
                        out.insert(k.clone(), parsed);
                    }
                }
                Value::Object(out)
            }
            (other, _) => other.clone(),
        },
        ShapeType::Timestamp => timestamp::render(v).map_or_else(|| v.clone(), Value::String),
        ShapeType::Float | ShapeType::Double | ShapeType::Bigdecimal => match v {
            Value::String(s) => scalar::float(s),
            other => other.clone(),
        },
        ShapeType::Integer | ShapeType::Long | ShapeType::Short | ShapeType::Byte | ShapeType::Biginteger => {
            match v {
                Value::String(s) => scalar::integer(s),
                other => other.clone(),
            }
        }
        _ => v.clone(),
    })
}

/// Add the members of structure `shape` found in `obj` to `out`, skipping members bound to headers
/// or the status code.
pub(crate) fn structure_members(
    ctx: &Ctx<'_>,
    shape: &Shape,
    obj: &Map<String, Value>,
    out: &mut Map<String, Value>,
) -> Parsed<()> {
    if shape.union
        && let Some(tag) = unknown_union_member(shape, obj)
    {
        out.insert("SDK_UNKNOWN_MEMBER".into(), serde_json::json!({ "name": tag }));
        return Ok(());
    }
    for (name, mref) in shape.members.iter() {
        if is_located(mref) {
            continue;
        }
        let key = mref.location_name.as_deref().unwrap_or(name);
        let Some(raw) = obj.get(key) else { continue };
        let parsed = value(ctx, ctx.shape(&mref.shape)?, raw)?;
        if !parsed.is_null() {
            out.insert(name.clone(), parsed);
        }
    }
    Ok(())
}

/// For a union with exactly one non-null member (besides `__type`) that the model does not know:
/// its name.
fn unknown_union_member(shape: &Shape, obj: &Map<String, Value>) -> Option<String> {
    let mut set = obj.iter().filter(|(k, v)| k.as_str() != "__type" && !v.is_null());
    let (tag, _) = set.next()?;
    if set.next().is_some() {
        return None;
    }
    let known = shape.members.iter().any(|(name, mref)| mref.location_name.as_deref().unwrap_or(name) == tag);
    (!known).then(|| tag.clone())
}
