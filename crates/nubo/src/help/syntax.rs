//! What a parameter looks like on the command line and what a response holds, derived from the model's
//! shapes the way the AWS CLI's help shows them: the CLI type names, the shorthand syntax, the JSON
//! syntax, and the tree of output members.

use nubo_model::{ServiceModel, Shape, ShapeRef, ShapeType};

/// The deepest shorthand the CLI documents before calling it too complex.
const MAX_SHORTHAND_STACK: usize = 3;

/// The CLI's name for a shape's type.
pub fn type_name(shape: &Shape) -> &'static str {
    if shape.document {
        return "document";
    }
    match shape.type_ {
        ShapeType::Structure => "structure",
        ShapeType::List => "list",
        ShapeType::Map => "map",
        ShapeType::String => "string",
        ShapeType::Integer | ShapeType::Short | ShapeType::Byte => "integer",
        ShapeType::Long => "long",
        ShapeType::Boolean => "boolean",
        ShapeType::Float => "float",
        ShapeType::Double => "double",
        ShapeType::Bigdecimal => "bigdecimal",
        ShapeType::Biginteger => "biginteger",
        ShapeType::Blob => "blob",
        ShapeType::Timestamp => "timestamp",
        ShapeType::Character => "string",
        ShapeType::Unknown => "string",
    }
}

fn is_complex(shape: &Shape) -> bool {
    matches!(shape.type_, ShapeType::Structure | ShapeType::List | ShapeType::Map) && !shape.document
}

/// Whether the shape is a document or holds one (those are given as JSON only).
fn holds_document(model: &ServiceModel, shape: &Shape) -> bool {
    if shape.document {
        return true;
    }
    let inner = |r: &Option<Box<ShapeRef>>| r.as_ref().and_then(|r| model.shapes.get(&r.shape));
    match shape.type_ {
        ShapeType::List => inner(&shape.member).is_some_and(|s| s.document),
        ShapeType::Map => inner(&shape.value).is_some_and(|s| s.document),
        _ => false,
    }
}

/// Whether the CLI offers shorthand syntax for a parameter of this shape: a structure, a map, or a
/// list of complex elements, and no document inside.
pub fn supports_shorthand(model: &ServiceModel, shape: &Shape) -> bool {
    if holds_document(model, shape) || !is_complex(shape) {
        return false;
    }
    match shape.type_ {
        ShapeType::List => {
            shape.member.as_ref().and_then(|m| model.shapes.get(&m.shape)).is_some_and(is_complex)
        }
        _ => true,
    }
}

struct TooComplex;

/// The shorthand syntax line of a parameter, or `None` when the CLI shows none (too deep or not
/// supported).
pub fn shorthand(model: &ServiceModel, shape: &Shape) -> Option<String> {
    if !supports_shorthand(model, shape) {
        return None;
    }
    let mut stack = Vec::new();
    let text = if shape.type_ == ShapeType::List {
        let member = model.shapes.get(&shape.member.as_ref()?.shape)?;
        shorthand_of(model, member, &mut stack).map(|t| format!("{t} ..."))
    } else {
        shorthand_of(model, shape, &mut stack)
    };
    text.ok()
}

fn shorthand_of(model: &ServiceModel, shape: &Shape, stack: &mut Vec<String>) -> Result<String, TooComplex> {
    if stack.len() > MAX_SHORTHAND_STACK {
        return Err(TooComplex);
    }
    fn get<'m>(model: &'m ServiceModel, r: &'m Option<Box<ShapeRef>>) -> Option<(&'m ShapeRef, &'m Shape)> {
        r.as_deref().and_then(|r| model.shapes.get(&r.shape).map(|s| (r, s)))
    }
    match shape.type_ {
        ShapeType::Structure if !shape.document => {
            let mut parts = Vec::new();
            for (name, r) in shape.members.iter() {
                let Some(member) = model.shapes.get(&r.shape) else { continue };
                if holds_document(model, member) {
                    continue;
                }
                if stack.contains(&r.shape) {
                    parts.push(format!("{name}=( ... recursive ... )"));
                    continue;
                }
                stack.push(r.shape.clone());
                let value = shorthand_of(model, member, stack);
                stack.pop();
                parts.push(format!("{name}={}", value?));
            }
            let inner = parts.join(",");
            Ok(if stack.is_empty() { inner } else { format!("{{{inner}}}") })
        }
        ShapeType::List => {
            let Some((r, member)) = get(model, &shape.member) else { return Ok("list".into()) };
            stack.push(r.shape.clone());
            let element = shorthand_of(model, member, stack);
            stack.pop();
            let element = element?;
            Ok(if is_complex(member) || stack.len() > 1 {
                format!("[{element},{element}]")
            } else {
                format!("{element},{element}")
            })
        }
        ShapeType::Map => {
            let Some((r, value)) = get(model, &shape.value) else { return Ok("map".into()) };
            stack.push(r.shape.clone());
            let v = shorthand_of(model, value, stack);
            stack.pop();
            let v = v?;
            let mut text = format!("KeyName1={v},KeyName2={v}");
            let key_enum = get(model, &shape.key).map(|(_, k)| k.enum_.clone()).unwrap_or_default();
            if !key_enum.is_empty() && stack.is_empty() {
                text.push_str("\n\nWhere valid key names are:\n");
                for k in key_enum {
                    text.push_str(&format!("  {k}\n"));
                }
            } else if !stack.is_empty() {
                text = format!("{{{text}}}");
            }
            Ok(text)
        }
        _ => Ok(type_name(shape).to_string()),
    }
}

/// The JSON syntax of a parameter, as the CLI's help shows it (enum values as `"a"|"b"`, lists with
/// `...`, recursion cut).
pub fn json_syntax(model: &ServiceModel, shape_name: &str) -> String {
    let mut out = String::new();
    let mut stack = Vec::new();
    json_of(model, shape_name, 0, &mut stack, &mut out);
    out
}

fn json_of(model: &ServiceModel, name: &str, indent: usize, stack: &mut Vec<String>, out: &mut String) {
    let Some(shape) = model.shapes.get(name) else {
        out.push_str("\"string\"");
        return;
    };
    if stack.iter().any(|s| s == name) && is_complex(shape) {
        out.push_str("{ ... recursive ... }");
        return;
    }
    let pad = |n: usize| " ".repeat(n);
    stack.push(name.to_string());
    match shape.type_ {
        _ if shape.document => out.push_str("{...}"),
        ShapeType::Structure => {
            out.push_str("{\n");
            let n = shape.members.iter().count();
            for (i, (member, r)) in shape.members.iter().enumerate() {
                out.push_str(&format!("{}\"{member}\": ", pad(indent + 2)));
                json_of(model, &r.shape, indent + 2, stack, out);
                out.push_str(if i + 1 < n { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{}}}", pad(indent)));
        }
        ShapeType::List => {
            let member = shape.member.as_ref().map(|m| m.shape.clone()).unwrap_or_default();
            let complex = model.shapes.get(&member).is_some_and(is_complex);
            if complex {
                out.push_str(&format!("[\n{}", pad(indent + 2)));
                json_of(model, &member, indent + 2, stack, out);
                out.push_str(&format!("\n{}...\n{}]", pad(indent + 2), pad(indent)));
            } else {
                out.push('[');
                json_of(model, &member, indent, stack, out);
                out.push_str(", ...]");
            }
        }
        ShapeType::Map => {
            let key = shape.key.as_ref().map(|m| m.shape.clone()).unwrap_or_default();
            let value = shape.value.as_ref().map(|m| m.shape.clone()).unwrap_or_default();
            out.push_str(&format!("{{\"{}\": ", key_placeholder(model, &key)));
            json_of(model, &value, indent, stack, out);
            out.push_str(", ...}");
        }
        ShapeType::String if !shape.enum_.is_empty() => {
            let values: Vec<String> = shape.enum_.iter().map(|v| format!("\"{v}\"")).collect();
            out.push_str(&values.join("|"));
        }
        ShapeType::String | ShapeType::Character | ShapeType::Timestamp => {
            out.push_str(&format!("\"{}\"", type_name(shape)))
        }
        ShapeType::Blob => out.push_str("blob"),
        _ => out.push_str(type_name(shape)),
    }
    stack.pop();
}

fn key_placeholder(model: &ServiceModel, key: &str) -> String {
    match model.shapes.get(key) {
        Some(k) if !k.enum_.is_empty() => k.enum_.join("|"),
        Some(k) => type_name(k).to_string(),
        None => "string".into(),
    }
}

/// The members under a shape, for help's option and output trees: (name, reference), or for a list
/// the element and for a map the key and value (`None` names).
pub fn children<'m>(model: &'m ServiceModel, shape: &'m Shape) -> Vec<(Option<&'m str>, &'m ShapeRef)> {
    match shape.type_ {
        _ if shape.document => Vec::new(),
        ShapeType::Structure => shape.members.iter().map(|(n, r)| (Some(n.as_str()), r)).collect(),
        ShapeType::List => shape.member.as_deref().map(|m| vec![(None, m)]).unwrap_or_default(),
        ShapeType::Map => {
            let mut v = Vec::new();
            if let Some(k) = shape.key.as_deref() {
                v.push((Some("key"), k));
            }
            if let Some(val) = shape.value.as_deref() {
                v.push((Some("value"), val));
            }
            let _ = model;
            v
        }
        _ => Vec::new(),
    }
}
