//! Blob values under the CLI's `cli_binary_format`: with `base64` (the v2 default) text given for a
//! blob is base64 and is decoded (leniently, as Python's `base64.b64decode`: characters outside the
//! alphabet are skipped, padding must add up), failing with `Invalid base64: "..."`; with
//! `raw-in-base64-out` text is taken as the bytes of its UTF-8 form. Bytes from `fileb://` are used
//! as they are in both.

use nubo_model::{ServiceModel, Shape, ShapeType};

use crate::pyval::PyVal;
use crate::shapes::{is_document, resolve};

/// How text given for blobs is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BinaryFormat {
    /// Text is base64 (the AWS CLI v2 default).
    #[default]
    Base64,
    /// Text is taken as raw bytes (the AWS CLI v1 behaviour).
    RawInBase64Out,
}

/// Decode the text of every blob in `value` (of shape `shape`) in place, for the base64 format.
pub(crate) fn decode_blobs(model: &ServiceModel, shape: &Shape, value: &mut PyVal) -> Result<(), String> {
    walk(model, shape, value, 0)
}

fn walk(model: &ServiceModel, shape: &Shape, value: &mut PyVal, depth: usize) -> Result<(), String> {
    if depth > 256 || is_document(shape) {
        return Ok(());
    }
    match (shape.type_, value) {
        (ShapeType::Structure, PyVal::Dict(entries, _)) => {
            for (k, v) in entries.iter_mut() {
                if let Some(member) = shape.members.get(k).and_then(|r| resolve(model, r)) {
                    walk(model, member, v, depth + 1)?;
                }
            }
            Ok(())
        }
        (ShapeType::List, PyVal::List(items)) => {
            if let Some(member) = shape.member.as_deref().and_then(|r| resolve(model, r)) {
                for item in items.iter_mut() {
                    walk(model, member, item, depth + 1)?;
                }
            }
            Ok(())
        }
        (ShapeType::Map, PyVal::Dict(entries, _)) => {
            if let Some(vs) = shape.value.as_deref().and_then(|r| resolve(model, r)) {
                for (_, v) in entries.iter_mut() {
                    walk(model, vs, v, depth + 1)?;
                }
            }
            Ok(())
        }
        (ShapeType::Blob, slot @ PyVal::Str(_)) => {
            let PyVal::Str(text) = &*slot else { return Ok(()) };
            let bytes = b64decode(text)?;
            *slot = PyVal::Bytes(bytes);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Python's `base64.b64decode(text)` (non-strict), failing with the CLI's message.
pub(crate) fn b64decode(text: &str) -> Result<Vec<u8>, String> {
    if !text.is_ascii() {
        return Err("string argument should contain only ASCII characters".into());
    }
    let invalid = || format!("Invalid base64: \"{text}\"");
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut quad_pos = 0u8;
    let mut left = 0u8;
    let mut pads = 0u8;
    for c in text.bytes() {
        if c == b'=' {
            if quad_pos >= 2 {
                pads += 1;
                if quad_pos + pads >= 4 {
                    quad_pos = 0;
                    break;
                }
            }
            continue;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        match quad_pos {
            0 => {
                left = v;
                quad_pos = 1;
            }
            1 => {
                out.push((left << 2) | (v >> 4));
                left = v & 0x0f;
                quad_pos = 2;
            }
            2 => {
                out.push((left << 4) | (v >> 2));
                left = v & 0x03;
                quad_pos = 3;
            }
            _ => {
                out.push((left << 6) | v);
                quad_pos = 0;
            }
        }
    }
    if quad_pos != 0 {
        return Err(invalid());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shapes::testing::model;

    #[test]
    fn decodes_like_python() {
        assert_eq!(b64decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(b64decode("aGVs bG8=").unwrap(), b"hello");
        assert_eq!(b64decode("aGVsbG8=trailing").unwrap(), b"hello");
        assert_eq!(b64decode("").unwrap(), b"");
        assert_eq!(b64decode("aGVsbA").unwrap_err(), "Invalid base64: \"aGVsbA\"");
        assert_eq!(b64decode("abcde").unwrap_err(), "Invalid base64: \"abcde\"");
        assert!(b64decode("{\"a\": 1}").is_err());
        assert!(b64decode("é").is_err());
    }

    #[test]
    fn decodes_nested_blobs_only() {
        let m = model(
            r#"{"metadata":{"protocol":"json"},"operations":{},"shapes":{
            "In":{"type":"structure","members":{"B":{"shape":"Blob"},"S":{"shape":"Str"},"L":{"shape":"BL"}}},
            "BL":{"type":"list","member":{"shape":"Blob"}},"Blob":{"type":"blob"},"Str":{"type":"string"}}}"#,
        );
        let mut v =
            crate::pyjson::loads(r#"{"B":"aGk=","S":"aGk=","L":["aGk="]}"#, crate::pyval::DictKind::Plain)
                .unwrap();
        decode_blobs(&m, m.shape("In").unwrap(), &mut v).unwrap();
        assert_eq!(v.py_repr(), "{'B': b'hi', 'S': 'aGk=', 'L': [b'hi']}");
    }
}
