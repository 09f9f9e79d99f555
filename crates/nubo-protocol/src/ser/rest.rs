//! The HTTP bindings shared by `rest-json` and `rest-xml`: members bound to URI labels (plain and
//! greedy `{Key+}`), query string parameters (scalars, lists, maps of strings or lists), headers
//! (scalars, lists, `jsonvalue`, prefixed header maps) and the body: a payload member (raw blob or
//! string, or a structure document) or the unbound members as one JSON object or XML document.

use super::shapes::{Ctx, Member, as_array, as_object};
use super::timestamp::{Format, Instant};
use super::{encode, err, json, scalar, xml};
use crate::{Request, SerializeError};
use nubo_model::{Operation, ShapeType};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyFormat {
    Json,
    Xml,
}

/// Where the input members go, gathered before the request is assembled.
#[derive(Default)]
struct Parts<'a> {
    labels: Vec<(&'a str, String)>,
    /// Members bound to query parameters by name; they win over `querystring` maps.
    named_query: Vec<(String, Vec<String>)>,
    map_query: Vec<(String, Vec<String>)>,
    headers: Vec<(String, String)>,
    body_members: Vec<&'a str>,
}

pub(crate) fn serialize(
    ctx: &Ctx,
    op: &Operation,
    input: &Value,
    format: BodyFormat,
) -> Result<Request, SerializeError> {
    let mut request = Request {
        method: if op.http.method.is_empty() { "POST".into() } else { op.http.method.clone() },
        uri: op.http.request_uri.clone(),
        ..Request::default()
    };
    let Some(input_ref) = &op.input else { return Ok(request) };
    let top = ctx.resolve(input_ref)?;
    let empty = Value::Object(Map::new());
    let input = if input.is_null() { &empty } else { input };

    let mut parts = Parts::default();
    for (name, member, v) in ctx.set_members(&top, input)? {
        bind(ctx, &mut parts, name, &member, v)?;
    }

    let mut uri = render_uri(&op.http.request_uri, &parts.labels)?;
    let mut query: Vec<(String, String)> = Vec::new();
    for (k, values) in &parts.named_query {
        query.extend(values.iter().map(|v| (k.clone(), v.clone())));
    }
    for (k, values) in &parts.map_query {
        if !parts.named_query.iter().any(|(n, _)| n == k) {
            query.extend(values.iter().map(|v| (k.clone(), v.clone())));
        }
    }
    if !query.is_empty() {
        uri.push(if uri.contains('?') { '&' } else { '?' });
        uri.push_str(&encode::form(&query));
    }
    request.uri = uri;
    request.headers = parts.headers;

    let payload = match top.shape.payload.as_deref() {
        Some(p) => {
            let r = top.shape.members.get(p).ok_or_else(|| {
                SerializeError(format!("payload {p} is not a member of {}", input_ref.shape))
            })?;
            Some((p, ctx.resolve(r)?))
        }
        None => None,
    };
    let mut raw_payload = false;
    request.body = match payload {
        Some((p, pm)) if matches!(pm.type_(), ShapeType::Blob | ShapeType::String) => {
            raw_payload = true;
            match input.get(p).filter(|v| !v.is_null()) {
                Some(v) if pm.type_() == ShapeType::Blob => scalar::blob(v)?,
                Some(v) => scalar::string(v)?.into_owned().into_bytes(),
                None => Vec::new(),
            }
        }
        Some((p, pm)) => match (input.get(p).filter(|v| !v.is_null()), format) {
            (Some(v), BodyFormat::Json) => json::to_bytes(&json::value(ctx, &pm, v)?)?,
            (Some(v), BodyFormat::Xml) => {
                let root = pm.serialized_name().unwrap_or(&pm.r.shape);
                xml::value_document(ctx, &pm, v, root)?
            }
            (None, BodyFormat::Json) => b"{}".to_vec(),
            (None, BodyFormat::Xml) => Vec::new(),
        },
        None if !parts.body_members.is_empty() => {
            let in_body = |name: &str| parts.body_members.contains(&name);
            match format {
                BodyFormat::Json => json::to_bytes(&json::structure(ctx, &top, input, in_body)?)?,
                BodyFormat::Xml => {
                    let root = top.serialized_name().unwrap_or(&input_ref.shape);
                    xml::document(ctx, &top, input, root, in_body)?
                }
            }
        }
        None if format == BodyFormat::Json && top.shape.members.iter().any(|(_, r)| r.location.is_none()) => {
            b"{}".to_vec()
        }
        None => Vec::new(),
    };

    let has_content_type = request.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
    if format == BodyFormat::Json && !raw_payload && !request.body.is_empty() && !has_content_type {
        request.headers.push(("Content-Type".into(), "application/json".into()));
    }
    Ok(request)
}

/// Put input member `name` (set to `v`) where its `location` says.
fn bind<'a>(
    ctx: &Ctx<'a>,
    parts: &mut Parts<'a>,
    name: &'a str,
    m: &Member<'a>,
    v: &Value,
) -> Result<(), SerializeError> {
    let key = m.serialized_name().unwrap_or(name);
    match m.r.location.as_deref() {
        Some("uri") => parts.labels.push((key, scalar::text(m, v, Format::Iso8601)?)),
        Some("querystring") => match m.type_() {
            ShapeType::Map => {
                let value = ctx.child(m.shape.value.as_deref(), "value", &m.r.shape)?;
                for (k, x) in as_object(v, &m.r.shape)? {
                    let values = match (value.type_(), x) {
                        (_, Value::Null) => continue,
                        (ShapeType::List, Value::Array(items)) => items
                            .iter()
                            .filter(|i| !i.is_null())
                            .map(|i| scalar::string(i).map(|s| s.into_owned()))
                            .collect::<Result<Vec<_>, _>>()?,
                        _ => vec![scalar::string(x)?.into_owned()],
                    };
                    parts.map_query.push((k.clone(), values));
                }
            }
            ShapeType::List => {
                let item = ctx.child(m.shape.member.as_deref(), "member", &m.r.shape)?;
                let values = as_array(v, &m.r.shape)?
                    .iter()
                    .filter(|i| !i.is_null())
                    .map(|i| scalar::text(&item, i, Format::Iso8601))
                    .collect::<Result<Vec<_>, _>>()?;
                parts.named_query.push((key.to_string(), values));
            }
            _ => parts.named_query.push((key.to_string(), vec![scalar::text(m, v, Format::Iso8601)?])),
        },
        Some("header") => {
            if let Some(h) = header_value(ctx, m, v)? {
                parts.headers.push((key.to_string(), h));
            }
        }
        Some("headers") => {
            for (k, x) in as_object(v, &m.r.shape)? {
                if !x.is_null() {
                    parts.headers.push((format!("{key}{k}"), scalar::string(x)?.into_owned()));
                }
            }
        }
        _ => parts.body_members.push(name),
    }
    Ok(())
}

/// The header value of member `m`, or `None` for an empty list (which sends no header).
fn header_value(ctx: &Ctx, m: &Member, v: &Value) -> Result<Option<String>, SerializeError> {
    Ok(Some(match m.type_() {
        ShapeType::Timestamp => {
            let format = Format::from_model(m.timestamp_format(), Format::Rfc822)?;
            Instant::from_value(v)?.whole_seconds().format(format)?.into_string()
        }
        ShapeType::List => {
            let item = ctx.child(m.shape.member.as_deref(), "member", &m.r.shape)?;
            let items = as_array(v, &m.r.shape)?;
            if items.is_empty() {
                return Ok(None);
            }
            let mut values = Vec::with_capacity(items.len());
            for i in items.iter().filter(|i| !i.is_null()) {
                if item.type_() == ShapeType::String {
                    let s = scalar::string(i)?;
                    values.push(if s.contains(['"', ',']) {
                        format!("\"{}\"", s.replace('"', "\\\""))
                    } else {
                        s.into_owned()
                    });
                } else if let Some(h) = header_value(ctx, &item, i)? {
                    values.push(h);
                }
            }
            values.join(",")
        }
        ShapeType::String if m.is_json_value_header() => scalar::json_value_header(v)?,
        ShapeType::Structure | ShapeType::Map => {
            return err(format!("{} cannot be sent in a header", m.r.shape));
        }
        _ => scalar::text(m, v, Format::Rfc822)?,
    }))
}

/// Fill the labels of a request URI template: `{Name}` encodes everything but unreserved
/// characters, greedy `{Name+}` also keeps `/`.
fn render_uri(template: &str, labels: &[(&str, String)]) -> Result<String, SerializeError> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            return err(format!("unterminated label in URI template {template:?}"));
        };
        let label = &rest[open + 1..open + close];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(n) => (n, true),
            None => (label, false),
        };
        let Some((_, value)) = labels.iter().find(|(k, _)| *k == name) else {
            return err(format!("missing required parameter {name} (part of the request URI)"));
        };
        if value.is_empty() {
            return err(format!("parameter {name} (part of the request URI) must not be empty"));
        }
        out.push_str(&if greedy { encode::greedy(value) } else { encode::component(value) });
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use nubo_model::ServiceModel;
    use serde_json::json;

    #[test]
    fn renders_plain_and_greedy_labels() {
        let labels = [("Bucket", "my bucket".to_string()), ("Key", "a/b c+d~e".to_string())];
        assert_eq!(
            render_uri("/{Bucket}/{Key+}?uploads", &labels).unwrap(),
            "/my%20bucket/a/b%20c%2Bd~e?uploads"
        );
        assert_eq!(render_uri("/{Key}", &labels[1..]).unwrap(), "/a%2Fb%20c%2Bd~e");
        assert!(render_uri("/{Missing}", &labels).is_err());
        assert!(render_uri("/{Bucket", &labels).is_err());
        assert!(render_uri("/{Bucket}", &[("Bucket", String::new())]).is_err());
    }

    fn model(protocol: &str) -> ServiceModel {
        let text = r#"{"metadata":{"protocol":"PROTO"},
            "operations":{"Op":{"name":"Op","http":{"method":"PUT","requestUri":"/{Bucket}/{Key+}?tagging"},
              "input":{"shape":"In"}}},
            "shapes":{"In":{"type":"structure","members":{
              "Bucket":{"shape":"S","location":"uri","locationName":"Bucket"},
              "Key":{"shape":"S","location":"uri","locationName":"Key"},
              "Max":{"shape":"I","location":"querystring","locationName":"max-keys"},
              "Ids":{"shape":"L","location":"querystring","locationName":"id"},
              "Extra":{"shape":"QM","location":"querystring"},
              "Since":{"shape":"T","location":"header","locationName":"If-Modified-Since"},
              "Names":{"shape":"L","location":"header","locationName":"X-Names"},
              "Meta":{"shape":"HM","location":"headers","locationName":"x-amz-meta-"},
              "Doc":{"shape":"S","location":"header","locationName":"X-Doc","jsonvalue":true},
              "Body":{"shape":"S"}}},
            "S":{"type":"string"},"I":{"type":"integer"},"T":{"type":"timestamp"},
            "L":{"type":"list","member":{"shape":"S"}},
            "QM":{"type":"map","key":{"shape":"S"},"value":{"shape":"L"}},
            "HM":{"type":"map","key":{"shape":"S"},"value":{"shape":"S"}}}}"#
            .replace("PROTO", protocol);
        ServiceModel::from_json(text.as_bytes()).unwrap()
    }

    #[test]
    fn binds_members_to_uri_query_headers_and_body() {
        let m = model("rest-json");
        let input = json!({"Bucket": "b", "Key": "k/1", "Max": 5, "Ids": ["a", "b"],
            "Extra": {"max-keys": ["9"], "x": ["1", "2"]}, "Since": "2019-12-16T23:48:18.5Z",
            "Names": ["a,b", "c"], "Meta": {"color": "red"}, "Doc": "{\"a\": 1}", "Body": "hi"});
        let r = serialize(&Ctx::new(&m), m.operation("Op").unwrap(), &input, BodyFormat::Json).unwrap();
        assert_eq!(r.method, "PUT");
        assert_eq!(r.uri, "/b/k/1?tagging&max-keys=5&id=a&id=b&x=1&x=2");
        assert_eq!(
            r.headers,
            [
                ("If-Modified-Since".to_string(), "Mon, 16 Dec 2019 23:48:18 GMT".to_string()),
                ("X-Names".into(), "\"a,b\",c".into()),
                ("x-amz-meta-color".into(), "red".into()),
                ("X-Doc".into(), "eyJhIjoxfQ==".into()),
                ("Content-Type".into(), "application/json".into()),
            ]
        );
        assert_eq!(r.body, br#"{"Body":"hi"}"#);
    }

    #[test]
    fn xml_body_uses_the_input_name() {
        let m = model("rest-xml");
        let input = json!({"Bucket": "b", "Key": "k", "Body": "hi", "Names": []});
        let r = serialize(&Ctx::new(&m), m.operation("Op").unwrap(), &input, BodyFormat::Xml).unwrap();
        assert_eq!(r.body, b"<In><Body>hi</Body></In>");
        assert!(r.headers.is_empty());
    }
}
