//! The parts of REST responses that do not depend on the body format: members bound to headers
//! (scalars, comma-separated lists with quoting, base64 JSON values), prefixed header maps, the status
//! code, and which member (if any) is the payload.

use super::{Ctx, Parsed, scalar};
use crate::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use nubo_model::{Shape, ShapeRef, ShapeType};
use serde_json::{Map, Value};

/// Add the members of `shape` bound to headers or to the status code, in member order.
pub(crate) fn located_members(
    ctx: &Ctx<'_>,
    shape: &Shape,
    resp: &Response,
    out: &mut Map<String, Value>,
) -> Parsed<()> {
    for (name, mref) in shape.members.iter() {
        match mref.location.as_deref() {
            Some("statusCode") => {
                out.insert(name.clone(), Value::Number(resp.status.into()));
            }
            Some("headers") => {
                let prefix = mref.location_name.as_deref().unwrap_or("").to_ascii_lowercase();
                let mut map = Map::new();
                for (header, _) in &resp.headers {
                    if header.to_ascii_lowercase().starts_with(&prefix) {
                        let key = &header[prefix.len()..];
                        if !map.contains_key(key)
                            && let Some(v) = joined_header(resp, header)
                        {
                            map.insert(key.to_string(), Value::String(v));
                        }
                    }
                }
                out.insert(name.clone(), Value::Object(map));
            }
            Some("header") => {
                let header = mref.location_name.as_deref().unwrap_or(name);
                if let Some(raw) = joined_header(resp, header) {
                    let v = header_value(ctx, mref, ctx.shape(&mref.shape)?, &raw)?;
                    if !v.is_null() {
                        out.insert(name.clone(), v);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// All values of header `name` (case-insensitive) joined with `, `, as HTTP folds repeated headers.
fn joined_header(resp: &Response, name: &str) -> Option<String> {
    let mut values =
        resp.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
    let first = values.next()?;
    Some(values.fold(first.to_string(), |mut acc, v| {
        acc.push_str(", ");
        acc.push_str(v);
        acc
    }))
}

/// The value of one header bound to member `mref` of shape `shape`.
fn header_value(ctx: &Ctx<'_>, mref: &ShapeRef, shape: &Shape, raw: &str) -> Parsed<Value> {
    Ok(match shape.type_ {
        ShapeType::String if mref.jsonvalue => json_value_header(raw),
        ShapeType::List => {
            let member_shape = match shape.member.as_deref() {
                Some(m) => ctx.shape(&m.shape)?,
                None => return Ok(Value::String(raw.to_string())),
            };
            let items = split_list(raw, member_shape.type_ == ShapeType::Timestamp);
            Value::Array(items.iter().map(|item| scalar::from_text(member_shape.type_, item)).collect())
        }
        ShapeType::String => Value::String(raw.to_string()),
        ty => scalar::from_text(ty, raw),
    })
}

/// A `jsonvalue` header: base64 of a JSON document. Kept as sent when it is not one.
fn json_value_header(raw: &str) -> Value {
    STANDARD
        .decode(raw.trim())
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_else(|| Value::String(raw.to_string()))
}

/// Split a list header: items separated by commas, optionally double-quoted with backslash escapes
/// (so that they may hold commas). HTTP dates contain a comma after the weekday, so for timestamp
/// lists a weekday item is joined with the one after it.
pub(crate) fn split_list(raw: &str, timestamps: bool) -> Vec<String> {
    let mut items = Vec::new();
    let mut chars = raw.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
            chars.next();
        }
        let mut item = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => item.extend(chars.next()),
                    '"' => break,
                    c => item.push(c),
                }
            }
            // Anything between the closing quote and the next comma is dropped.
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
            }
            items.push((item, true));
        } else {
            let mut ended = true;
            for c in chars.by_ref() {
                if c == ',' {
                    ended = false;
                    break;
                }
                item.push(c);
            }
            items.push((item.trim().to_string(), false));
            if ended {
                break;
            }
            continue;
        }
        if chars.peek().is_none() {
            break;
        }
    }
    if !timestamps {
        return items.into_iter().map(|(i, _)| i).collect();
    }
    let mut merged: Vec<String> = Vec::new();
    let mut pending_weekday: Option<String> = None;
    for (item, quoted) in items {
        if let Some(day) = pending_weekday.take() {
            merged.push(format!("{day}, {item}"));
        } else if !quoted && is_weekday(&item) {
            pending_weekday = Some(item);
        } else {
            merged.push(item);
        }
    }
    merged.extend(pending_weekday);
    merged
}

fn is_weekday(item: &str) -> bool {
    const DAYS: [&str; 14] = [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    DAYS.contains(&item.to_ascii_lowercase().as_str())
}

/// Where the body of a REST output goes.
pub(crate) enum Payload<'a> {
    /// No payload member: the body holds the non-located members.
    Members,
    /// A blob or string payload member that takes the body as it is.
    Raw(&'a str, ShapeType),
    /// A structure (or document, union, list…) payload member parsed from the body.
    Parsed(&'a str, &'a Shape),
    /// A payload the caller handles itself (streaming blob) or nubo does not read (event stream).
    Skipped,
}

/// How the body of `shape` is bound.
pub(crate) fn payload<'a>(ctx: &Ctx<'a>, shape: &'a Shape) -> Parsed<Payload<'a>> {
    let Some(name) = shape.payload.as_deref() else {
        return Ok(Payload::Members);
    };
    let Some(mref) = shape.members.get(name) else {
        return Ok(Payload::Members);
    };
    let pshape = ctx.shape(&mref.shape)?;
    if pshape.eventstream
        || ((mref.streaming || pshape.streaming)
            && matches!(pshape.type_, ShapeType::Blob | ShapeType::String))
    {
        return Ok(Payload::Skipped);
    }
    Ok(match pshape.type_ {
        ShapeType::Blob | ShapeType::String => Payload::Raw(name, pshape.type_),
        _ => Payload::Parsed(name, pshape),
    })
}

/// A raw payload: blobs as base64, strings as text.
pub(crate) fn raw_payload(ty: ShapeType, body: &[u8]) -> Value {
    match ty {
        ShapeType::Blob => Value::String(STANDARD.encode(body)),
        _ => Value::String(String::from_utf8_lossy(body).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_headers_split_with_quotes() {
        assert_eq!(split_list("a, b, c", false), ["a", "b", "c"]);
        assert_eq!(split_list(r#""b,c", "\"def\"", a"#, false), ["b,c", "\"def\"", "a"]);
        assert_eq!(split_list("", false), [""]);
        assert_eq!(split_list("a,,b", false), ["a", "", "b"]);
        assert_eq!(split_list(r#""unterminated"#, false), ["unterminated"]);
        assert_eq!(split_list(r#""x" junk, y"#, false), ["x", "y"]);
    }

    #[test]
    fn timestamp_list_headers_keep_http_dates_whole() {
        assert_eq!(
            split_list("Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT", true),
            ["Mon, 16 Dec 2019 23:48:18 GMT", "Mon, 16 Dec 2019 23:48:18 GMT"]
        );
        assert_eq!(
            split_list("2019-12-16T23:48:18Z, 1576540098", true),
            ["2019-12-16T23:48:18Z", "1576540098"]
        );
    }

    #[test]
    fn json_value_headers() {
        assert_eq!(json_value_header("dHJ1ZQ=="), Value::Bool(true));
        assert_eq!(json_value_header("eyJhIjpbMV19"), serde_json::json!({"a": [1]}));
        assert_eq!(json_value_header("not base64!"), Value::String("not base64!".into()));
    }
}
