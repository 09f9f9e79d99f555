//! XML bodies read by shape (query, EC2 and REST-XML): structures by member element names, wrapped and
//! flattened lists and maps, attributes, empty elements, and unknown union members. Namespaces are
//! ignored, as botocore ignores them.
//!
//! Element names are looked up the way botocore does first (for a flattened list the list member's
//! name; the member's `locationName`, else its shape's) and then by the member's own name, which is
//! what the Smithy protocol tests expect where the two differ; real models never rely on both.

use super::xml::Element;
use super::{Ctx, Parsed, is_located, scalar};
use nubo_model::{Shape, ShapeRef, ShapeType};
use serde_json::{Map, Value};

/// The value of `node` read as `shape`.
pub(crate) fn value(ctx: &Ctx<'_>, shape: &Shape, node: &Element) -> Parsed<Value> {
    Ok(match shape.type_ {
        ShapeType::Structure => {
            let mut out = Map::new();
            structure_members(ctx, shape, node, &mut out)?;
            Value::Object(out)
        }
        ShapeType::List => {
            let member = list_member(shape)?;
            let member_shape = ctx.shape(&member.shape)?;
            let mut items = Vec::with_capacity(node.children.len());
            for item in &node.children {
                items.push(value(ctx, member_shape, item)?);
            }
            Value::Array(items)
        }
        ShapeType::Map => {
            let mut out = Map::new();
            for entry in &node.children {
                map_entry(ctx, shape, entry, &mut out)?;
            }
            Value::Object(out)
        }
        ty => scalar::from_text(ty, &node.text),
    })
}

/// Add the body members of structure `shape` found under `node` to `out` (members bound to headers or
/// the status code are left to the caller).
pub(crate) fn structure_members(
    ctx: &Ctx<'_>,
    shape: &Shape,
    node: &Element,
    out: &mut Map<String, Value>,
) -> Parsed<()> {
    if shape.union
        && let Some(tag) = unknown_union_member(ctx, shape, node)?
    {
        out.insert("SDK_UNKNOWN_MEMBER".into(), serde_json::json!({ "name": tag }));
        return Ok(());
    }
    for (name, mref) in shape.members.iter() {
        if is_located(mref) {
            continue;
        }
        let mshape = ctx.shape(&mref.shape)?;
        let flattened =
            (mref.flattened || mshape.flattened) && matches!(mshape.type_, ShapeType::List | ShapeType::Map);
        let mut found = None;
        for candidate in element_names(ctx, name, mref, mshape)? {
            if node.child(candidate).is_some() {
                found = Some(candidate);
                break;
            }
        }
        let parsed = match found {
            Some(tag) if flattened => Some(flattened_value(ctx, mshape, node.children_named(tag))?),
            Some(tag) => node.child(tag).map(|child| value(ctx, mshape, child)).transpose()?,
            None if mref.xml_attribute => {
                let attr = mref.location_name.as_deref().unwrap_or(name);
                node.attribute(attr).map(|v| scalar::from_text(mshape.type_, v))
            }
            None => None,
        };
        if let Some(v) = parsed.filter(|v| !v.is_null()) {
            out.insert(name.clone(), v);
        }
    }
    Ok(())
}

/// A flattened list or map: its items (or entries) are the repeated elements themselves.
fn flattened_value<'e>(
    ctx: &Ctx<'_>,
    shape: &Shape,
    elements: impl Iterator<Item = &'e Element>,
) -> Parsed<Value> {
    if shape.type_ == ShapeType::Map {
        let mut out = Map::new();
        for entry in elements {
            map_entry(ctx, shape, entry, &mut out)?;
        }
        return Ok(Value::Object(out));
    }
    let member_shape = ctx.shape(&list_member(shape)?.shape)?;
    let mut items = Vec::new();
    for item in elements {
        items.push(value(ctx, member_shape, item)?);
    }
    Ok(Value::Array(items))
}

/// One `<entry><key/><value/></entry>` of a map (or one flattened map element).
fn map_entry(ctx: &Ctx<'_>, shape: &Shape, entry: &Element, out: &mut Map<String, Value>) -> Parsed<()> {
    let (Some(key_ref), Some(value_ref)) = (shape.key.as_deref(), shape.value.as_deref()) else {
        return Err(super::ParseError("map shape without a key or value".into()));
    };
    let key_shape = ctx.shape(&key_ref.shape)?;
    let value_shape = ctx.shape(&value_ref.shape)?;
    let key_name = key_ref.location_name.as_deref().or(key_shape.location_name.as_deref()).unwrap_or("key");
    let value_name =
        value_ref.location_name.as_deref().or(value_shape.location_name.as_deref()).unwrap_or("value");
    let Some(key) = entry.child(key_name) else {
        return Ok(());
    };
    let parsed = match entry.child(value_name) {
        Some(v) => value(ctx, value_shape, v)?,
        None => Value::Null,
    };
    out.insert(key.text.clone(), parsed);
    Ok(())
}

/// The element names that may hold member `name`, most specific first, without repeats.
fn element_names<'a>(
    ctx: &Ctx<'a>,
    name: &'a str,
    mref: &'a ShapeRef,
    mshape: &'a Shape,
) -> Parsed<Vec<&'a str>> {
    let mut names: Vec<&'a str> = Vec::with_capacity(3);
    if mshape.type_ == ShapeType::List && (mref.flattened || mshape.flattened) {
        let member = list_member(mshape)?;
        let member_shape = ctx.shape(&member.shape)?;
        if let Some(n) = member.location_name.as_deref().or(member_shape.location_name.as_deref()) {
            names.push(n);
        }
    }
    for n in
        [mref.location_name.as_deref().or(mshape.location_name.as_deref()), Some(name)].into_iter().flatten()
    {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    Ok(names)
}

/// For a union whose only element is not one of its members: that element's name.
fn unknown_union_member(ctx: &Ctx<'_>, shape: &Shape, node: &Element) -> Parsed<Option<String>> {
    let Some(first) = node.children.first() else {
        return Ok(None);
    };
    if node.children.iter().any(|c| c.name != first.name) {
        return Ok(None);
    }
    for (name, mref) in shape.members.iter() {
        if element_names(ctx, name, mref, ctx.shape(&mref.shape)?)?.contains(&first.name.as_str()) {
            return Ok(None);
        }
    }
    Ok(Some(first.name.clone()))
}

fn list_member(shape: &Shape) -> Parsed<&ShapeRef> {
    shape.member.as_deref().ok_or_else(|| super::ParseError("list shape without a member".into()))
}
