//! Scalar input values: read booleans, numbers (with the `NaN`/`Infinity` strings), base64 blobs,
//! strings and timestamps from the input JSON, and render them as text the way botocore does for
//! query strings, headers, URI labels, form bodies and XML.

use super::shapes::{Member, kind};
use super::timestamp::{Format, Instant};
use crate::SerializeError;
use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose::STANDARD};
use nubo_model::ShapeType;
use serde_json::Value;
use std::borrow::Cow;

/// Standard base64 that accepts input with or without padding.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The bytes of a blob input (a base64 string; ASCII whitespace is ignored).
pub(crate) fn blob(v: &Value) -> Result<Vec<u8>, SerializeError> {
    let Value::String(s) = v else {
        return Err(SerializeError(format!("expected a base64 string for a blob, got {}", kind(v))));
    };
    let compact: Cow<str> = if s.bytes().any(|b| b.is_ascii_whitespace()) {
        Cow::Owned(s.chars().filter(|c| !c.is_ascii_whitespace()).collect())
    } else {
        Cow::Borrowed(s)
    };
    LENIENT.decode(compact.as_bytes()).map_err(|e| SerializeError(format!("invalid base64 blob: {e}")))
}

/// Base64 text of bytes.
pub(crate) fn base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// A boolean input (`true`/`false`, or those words as strings).
pub(crate) fn boolean(v: &Value) -> Result<bool, SerializeError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(SerializeError(format!("expected a boolean, got {}", kind(other)))),
    }
}

/// A string input; numbers and booleans are taken as their text.
pub(crate) fn string(v: &Value) -> Result<Cow<'_, str>, SerializeError> {
    match v {
        Value::String(s) => Ok(Cow::Borrowed(s)),
        Value::Number(n) => Ok(Cow::Owned(n.to_string())),
        Value::Bool(b) => Ok(Cow::Owned(b.to_string())),
        other => Err(SerializeError(format!("expected a string, got {}", kind(other)))),
    }
}

/// An integer input (a JSON integer, an integral float, or a numeric string).
pub(crate) fn integer(v: &Value) -> Result<i128, SerializeError> {
    let bad = || SerializeError(format!("expected an integer, got {v}"));
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok(i128::from(i))
            } else if let Some(u) = n.as_u64() {
                Ok(i128::from(u))
            } else {
                let f = n.as_f64().ok_or_else(bad)?;
                if f.fract() == 0.0 && f.abs() < 1e18 { Ok(f as i128) } else { Err(bad()) }
            }
        }
        Value::String(s) => s.trim().parse().map_err(|_| bad()),
        _ => Err(bad()),
    }
}

/// A floating-point input: a JSON number, a numeric string, or `NaN`, `Infinity`, `-Infinity`.
pub(crate) fn float(v: &Value) -> Result<f64, SerializeError> {
    let bad = || SerializeError(format!("expected a number, got {v}"));
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(bad),
        Value::String(s) => match s.trim() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            t => t.parse::<f64>().ok().filter(|f| f.is_finite()).ok_or_else(bad),
        },
        _ => Err(bad()),
    }
}

/// The text botocore writes for a special float, if `f` is one.
pub(crate) fn special_float(f: f64) -> Option<&'static str> {
    if f.is_nan() {
        Some("NaN")
    } else if f == f64::INFINITY {
        Some("Infinity")
    } else if f == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

/// Text of a floating-point input: the number as given, or the special value's name.
pub(crate) fn float_text(v: &Value) -> Result<String, SerializeError> {
    let f = float(v)?;
    if let Some(s) = special_float(f) {
        return Ok(s.to_string());
    }
    Ok(match v {
        Value::Number(n) => n.to_string(),
        _ => serde_json::Number::from_f64(f).map(|n| n.to_string()).unwrap_or_else(|| f.to_string()),
    })
}

/// A timestamp input formatted as the member's `timestampFormat`, else `default`.
pub(crate) fn timestamp_text(m: &Member, v: &Value, default: Format) -> Result<String, SerializeError> {
    let format = Format::from_model(m.timestamp_format(), default)?;
    Ok(Instant::from_value(v)?.format(format)?.into_string())
}

/// Text of any scalar member, as used in form bodies, query strings, URI labels and XML; timestamps
/// use `ts_default` unless the member says otherwise.
pub(crate) fn text(m: &Member, v: &Value, ts_default: Format) -> Result<String, SerializeError> {
    let what = |e: SerializeError| SerializeError(format!("{} ({})", e.0, m.r.shape));
    match m.type_() {
        ShapeType::Boolean => Ok(if boolean(v).map_err(what)? { "true" } else { "false" }.to_string()),
        ShapeType::Float | ShapeType::Double | ShapeType::Bigdecimal => float_text(v).map_err(what),
        ShapeType::Integer | ShapeType::Long | ShapeType::Short | ShapeType::Byte | ShapeType::Biginteger => {
            Ok(integer(v).map_err(what)?.to_string())
        }
        ShapeType::Blob => Ok(base64(&blob(v).map_err(what)?)),
        ShapeType::Timestamp => timestamp_text(m, v, ts_default).map_err(what),
        ShapeType::String | ShapeType::Character | ShapeType::Unknown => {
            Ok(string(v).map_err(what)?.into_owned())
        }
        ShapeType::Structure | ShapeType::List | ShapeType::Map => {
            Err(SerializeError(format!("{} is not a scalar", m.r.shape)))
        }
    }
}

/// The header value of a `jsonvalue` member: base64 of compact JSON. A string input is the JSON
/// text (as typed on the command line); any other value is the parsed document.
pub(crate) fn json_value_header(v: &Value) -> Result<String, SerializeError> {
    let parsed;
    let doc = match v {
        Value::String(s) => {
            parsed = serde_json::from_str::<Value>(s)
                .map_err(|e| SerializeError(format!("invalid JSON for a JSON-value header: {e}")))?;
            &parsed
        }
        other => other,
    };
    let text = serde_json::to_string(doc).map_err(|e| SerializeError(e.to_string()))?;
    Ok(base64(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn blobs_are_lenient_base64() {
        assert_eq!(blob(&json!("dmFsdWU=")).unwrap(), b"value");
        assert_eq!(blob(&json!("dmFsdWU")).unwrap(), b"value");
        assert_eq!(blob(&json!("dmFs\ndWU=")).unwrap(), b"value");
        assert!(blob(&json!("*")).is_err());
        assert!(blob(&json!(3)).is_err());
    }

    #[test]
    fn numbers_and_specials() {
        assert_eq!(float_text(&json!(10.8)).unwrap(), "10.8");
        assert_eq!(float_text(&json!(10)).unwrap(), "10");
        assert_eq!(float_text(&json!("NaN")).unwrap(), "NaN");
        assert_eq!(float_text(&json!("-Infinity")).unwrap(), "-Infinity");
        assert_eq!(float_text(&json!("1.5")).unwrap(), "1.5");
        assert!(float_text(&json!("abc")).is_err());
        assert_eq!(integer(&json!(999999999999u64)).unwrap(), 999999999999);
        assert_eq!(integer(&json!("-4")).unwrap(), -4);
        assert_eq!(integer(&json!(3.0)).unwrap(), 3);
        assert!(integer(&json!(3.5)).is_err());
        assert!(boolean(&json!("TRUE")).unwrap());
        assert!(boolean(&json!(1)).is_err());
    }

    #[test]
    fn json_value_headers_are_compact_base64() {
        assert_eq!(json_value_header(&json!("true")).unwrap(), "dHJ1ZQ==");
        assert_eq!(json_value_header(&json!({"a": [1, 2]})).unwrap(), base64(br#"{"a":[1,2]}"#));
        assert_eq!(json_value_header(&json!("{ \"a\" : 1 }")).unwrap(), base64(br#"{"a":1}"#));
        assert!(json_value_header(&json!("{nope")).is_err());
    }
}
