//! XML bodies for `rest-xml`: elements named by `locationName`, namespaces from `xmlNamespace`,
//! `xmlAttribute` members as attributes, wrapped or flattened lists and maps, ISO 8601 timestamps.

use super::scalar;
use super::shapes::{Ctx, Member, as_array, as_object};
use super::timestamp::Format;
use crate::SerializeError;
use nubo_model::{ShapeType, XmlNamespace};
use quick_xml::escape::escape;
use serde_json::Value;

/// The document for structure `m` with root element `root` and the members `keep` lets through.
pub(crate) fn document<'a>(
    ctx: &Ctx<'a>,
    m: &Member<'a>,
    v: &Value,
    root: &str,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<u8>, SerializeError> {
    let mut out = String::new();
    structure(ctx, &mut out, m, v, root, &keep)?;
    Ok(out.into_bytes())
}

/// The document for one value `v` (a payload member) with root element `root`.
pub(crate) fn value_document(
    ctx: &Ctx,
    m: &Member,
    v: &Value,
    root: &str,
) -> Result<Vec<u8>, SerializeError> {
    let mut out = String::new();
    element(ctx, &mut out, m, v, root)?;
    Ok(out.into_bytes())
}

fn namespace_attr(ns: Option<&XmlNamespace>, attrs: &mut Vec<(String, String)>) {
    if let Some(ns) = ns {
        let name = match ns.prefix() {
            Some(p) if !p.is_empty() => format!("xmlns:{p}"),
            _ => "xmlns".to_string(),
        };
        attrs.push((name, ns.uri().to_string()));
    }
}

fn open(out: &mut String, name: &str, attrs: &[(String, String)]) {
    out.push('<');
    out.push_str(name);
    for (k, v) in attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        out.push_str(&escape(v.as_str()));
        out.push('"');
    }
    out.push('>');
}

fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// `<name …>` for value `v` of member `m`, whatever its type.
fn element(ctx: &Ctx, out: &mut String, m: &Member, v: &Value, name: &str) -> Result<(), SerializeError> {
    match m.type_() {
        ShapeType::Structure => structure(ctx, out, m, v, name, &|_| true),
        ShapeType::List => list(ctx, out, m, v, name),
        ShapeType::Map => map(ctx, out, m, v, name),
        _ => {
            let text = scalar::text(m, v, Format::Iso8601)?;
            let mut attrs = Vec::new();
            namespace_attr(m.xml_namespace(), &mut attrs);
            open(out, name, &attrs);
            out.push_str(&escape(text.as_str()));
            close(out, name);
            Ok(())
        }
    }
}

fn structure<'a>(
    ctx: &Ctx<'a>,
    out: &mut String,
    m: &Member<'a>,
    v: &Value,
    name: &str,
    keep: &dyn Fn(&str) -> bool,
) -> Result<(), SerializeError> {
    let mut attrs = Vec::new();
    namespace_attr(m.xml_namespace(), &mut attrs);
    let mut children = String::new();
    for (member_name, member, x) in ctx.set_members(m, v)? {
        if !keep(member_name) {
            continue;
        }
        let child_name = member.serialized_name().unwrap_or(member_name);
        if member.r.xml_attribute {
            attrs.push((child_name.to_string(), scalar::text(&member, x, Format::Iso8601)?));
        } else {
            element(ctx, &mut children, &member, x, child_name)?;
        }
    }
    open(out, name, &attrs);
    out.push_str(&children);
    close(out, name);
    Ok(())
}

fn list(ctx: &Ctx, out: &mut String, m: &Member, v: &Value, name: &str) -> Result<(), SerializeError> {
    let item = ctx.child(m.shape.member.as_deref(), "member", &m.r.shape)?;
    let items = as_array(v, &m.r.shape)?;
    if m.flattened() {
        for i in items.iter().filter(|i| !i.is_null()) {
            element(ctx, out, &item, i, name)?;
        }
        return Ok(());
    }
    let item_name = item.serialized_name().unwrap_or("member");
    let mut attrs = Vec::new();
    namespace_attr(m.xml_namespace(), &mut attrs);
    open(out, name, &attrs);
    for i in items.iter().filter(|i| !i.is_null()) {
        element(ctx, out, &item, i, item_name)?;
    }
    close(out, name);
    Ok(())
}

fn map(ctx: &Ctx, out: &mut String, m: &Member, v: &Value, name: &str) -> Result<(), SerializeError> {
    let key = ctx.child(m.shape.key.as_deref(), "key", &m.r.shape)?;
    let value = ctx.child(m.shape.value.as_deref(), "value", &m.r.shape)?;
    let key_name = key.serialized_name().unwrap_or("key");
    let value_name = value.serialized_name().unwrap_or("value");
    let entries = as_object(v, &m.r.shape)?;
    let flat = m.flattened();
    if !flat {
        let mut attrs = Vec::new();
        namespace_attr(m.xml_namespace(), &mut attrs);
        open(out, name, &attrs);
    }
    for (k, x) in entries.iter().filter(|(_, x)| !x.is_null()) {
        let entry = if flat { name } else { "entry" };
        open(out, entry, &[]);
        element(ctx, out, &key, &Value::String(k.clone()), key_name)?;
        element(ctx, out, &value, x, value_name)?;
        close(out, entry);
    }
    if !flat {
        close(out, name);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use nubo_model::ServiceModel;
    use serde_json::json;

    fn model() -> ServiceModel {
        ServiceModel::from_json(
            br#"{"metadata":{"protocol":"rest-xml"},"operations":{},
            "shapes":{"In":{"type":"structure","members":{
              "Attr":{"shape":"S","xmlAttribute":true,"locationName":"xsi:type"},
              "Text":{"shape":"S"},
              "Wrapped":{"shape":"L"},
              "Flat":{"shape":"L","flattened":true,"locationName":"Item"},
              "Map":{"shape":"M"},
              "FlatMap":{"shape":"M","flattened":true},
              "When":{"shape":"T"}}},
            "L":{"type":"list","member":{"shape":"S","locationName":"m"}},
            "M":{"type":"map","key":{"shape":"S","locationName":"K"},"value":{"shape":"S"}},
            "T":{"type":"timestamp"},
            "S":{"type":"string"}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn writes_attributes_lists_maps_and_escapes() {
        let m = model();
        let ctx = Ctx::new(&m);
        let r = nubo_model::ShapeRef {
            shape: "In".into(),
            xml_namespace: Some(XmlNamespace::Full { prefix: Some("xsi".into()), uri: "http://x/".into() }),
            ..Default::default()
        };
        let member = ctx.resolve(&r).unwrap();
        let input = json!({"Text": "a<b&c", "Attr": "Canonical\"User", "Wrapped": ["1", "2"], "Flat": ["3"],
            "Map": {"k": "v"}, "FlatMap": {"k2": "v2"}, "When": 0});
        let doc = document(&ctx, &member, &input, "Root", |_| true).unwrap();
        assert_eq!(
            String::from_utf8(doc).unwrap(),
            "<Root xmlns:xsi=\"http://x/\" xsi:type=\"Canonical&quot;User\"><Text>a&lt;b&amp;c</Text>\
             <Wrapped><m>1</m><m>2</m></Wrapped><Item>3</Item>\
             <Map><entry><K>k</K><value>v</value></entry></Map><FlatMap><K>k2</K><value>v2</value></FlatMap>\
             <When>1970-01-01T00:00:00Z</When></Root>"
        );
    }
}
