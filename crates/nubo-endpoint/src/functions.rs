//! The rule-set standard library: `isSet`, `not`, `getAttr`, `substring`, `stringEquals`, `booleanEquals`,
//! `uriEncode` and `isValidHostLabel`, with botocore's behaviour on odd input (`None` in, `None` out; a type
//! error where botocore raises one).

use percent_encoding::{AsciiSet, utf8_percent_encode};
use serde_json::Value;

use crate::error::EndpointError;
use crate::python::{py_str, py_truthy, py_type};

/// Everything but letters, digits and `-._~` is percent-encoded (Python's `quote(s, safe='-._~')`).
const URI_ENCODE_SET: &AsciiSet = nubo_uri::UNRESERVED;

/// Python's `quote(s)` (its default safe character `/`), used for normalized URL paths.
pub(crate) const PATH_ENCODE_SET: &AsciiSet = nubo_uri::PATH;

pub(crate) fn is_set(value: &Value) -> Value {
    Value::Bool(!value.is_null())
}

pub(crate) fn not(value: &Value) -> Value {
    Value::Bool(!py_truthy(value))
}

/// `getAttr(value, "a.b[0]")`: object members separated by dots; an index in brackets ends the path.
/// Anything missing gives `None`.
pub(crate) fn get_attr(value: &Value, path: &Value) -> Result<Value, EndpointError> {
    let Value::String(path) = path else {
        return Err(EndpointError::Invalid(format!("getAttr: path must be a string, not {}", py_type(path))));
    };
    let mut current = value;
    for part in path.split('.') {
        if let Some((name, index)) = split_index(part) {
            if !name.is_empty() {
                current = match current.as_object().and_then(|o| o.get(name)) {
                    Some(v) => v,
                    None => return Ok(Value::Null),
                };
            }
            return Ok(match current {
                Value::Array(items) => index.and_then(|i| items.get(i)).cloned().unwrap_or(Value::Null),
                Value::String(s) => index
                    .and_then(|i| s.chars().nth(i))
                    .map(|c| Value::String(c.to_string()))
                    .unwrap_or(Value::Null),
                _ => Value::Null,
            });
        }
        current = match current.as_object().and_then(|o| o.get(part)) {
            Some(v) => v,
            None => return Ok(Value::Null),
        };
    }
    Ok(current.clone())
}

/// Finds the first `name[digits]` in a path segment (botocore searches, it does not anchor): the word
/// characters before the bracket and the index (`None` when too large to be an index).
fn split_index(part: &str) -> Option<(&str, Option<usize>)> {
    let bytes = part.as_bytes();
    let mut from = 0;
    while let Some(off) = bytes[from..].iter().position(|&b| b == b'[') {
        let open = from + off;
        let digits_end =
            bytes[open + 1..].iter().position(|b| !b.is_ascii_digit()).map_or(bytes.len(), |p| open + 1 + p);
        if digits_end > open + 1 && bytes.get(digits_end) == Some(&b']') {
            let before = &part[..open];
            let name_start = before
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
                .last()
                .map_or(open, |(i, _)| i);
            return Some((&part[name_start..open], part[open + 1..digits_end].parse().ok()));
        }
        from = open + 1;
    }
    None
}

/// `substring(value, start, stop, reverse)`: ASCII only; `None` when the range does not fit.
pub(crate) fn substring(args: &[Value]) -> Result<Value, EndpointError> {
    let Value::String(s) = &args[0] else {
        return Err(EndpointError::Invalid(format!("Input must be a string, not {}.", py_type(&args[0]))));
    };
    let (Some(start), Some(stop)) = (args[1].as_i64(), args[2].as_i64()) else {
        return Err(EndpointError::Invalid("substring: start and stop must be integers".to_owned()));
    };
    let reverse = args[3] == Value::Bool(true);
    let len = s.chars().count() as i64;
    if start >= stop || len < stop || !s.is_ascii() {
        return Ok(Value::Null);
    }
    let (from, to) = if reverse { (len - stop, len - start) } else { (start, stop) };
    Ok(Value::String(py_slice(s, from, to).to_owned()))
}

/// Python's `s[from:to]` on an ASCII string: negative bounds count from the end, and bounds are clamped.
fn py_slice(s: &str, from: i64, to: i64) -> &str {
    let len = s.len() as i64;
    let clamp = |i: i64| (if i < 0 { i + len } else { i }).clamp(0, len) as usize;
    let (from, to) = (clamp(from), clamp(to));
    if from < to { &s[from..to] } else { "" }
}

pub(crate) fn string_equals(a: &Value, b: &Value) -> Result<Value, EndpointError> {
    match (a, b) {
        (Value::String(a), Value::String(b)) => Ok(Value::Bool(a == b)),
        _ => Err(EndpointError::Invalid(format!(
            "Both values must be strings, not {} and {}.",
            py_type(a),
            py_type(b)
        ))),
    }
}

pub(crate) fn boolean_equals(a: &Value, b: &Value) -> Result<Value, EndpointError> {
    match (a, b) {
        (Value::Bool(a), Value::Bool(b)) => Ok(Value::Bool(a == b)),
        _ => Err(EndpointError::Invalid(format!(
            "Both arguments must be bools, not {} and {}.",
            py_type(a),
            py_type(b)
        ))),
    }
}

/// Percent-encodes everything but letters, digits and `-._~` (UTF-8 first).
pub(crate) fn uri_encode(value: &Value) -> Value {
    if value.is_null() {
        return Value::Null;
    }
    Value::String(utf8_percent_encode(&py_str(value), URI_ENCODE_SET).to_string())
}

/// `isValidHostLabel(value, allowSubDomains)`: an RFC 1123 label (letters, digits, inner hyphens, 1 to 63
/// characters); with sub-domains allowed, each dot-separated part must be one.
pub(crate) fn is_valid_host_label(value: &Value, allow_subdomains: &Value) -> Result<Value, EndpointError> {
    let s = match value {
        Value::Null => return Ok(Value::Bool(false)),
        Value::String(s) => s,
        other => {
            return Err(EndpointError::Invalid(format!(
                "isValidHostLabel: value must be a string, not {}",
                py_type(other)
            )));
        }
    };
    Ok(Value::Bool(host_label_ok(s, *allow_subdomains == Value::Bool(true))))
}

pub(crate) fn host_label_ok(s: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains { s.split('.').all(single_label_ok) } else { single_label_ok(s) }
}

/// One label, matched as botocore's `^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$` (whose `$` also accepts one final
/// newline). Digits are ASCII only, where Python's `\d` would also take other scripts' digits.
fn single_label_ok(s: &str) -> bool {
    let s = strip_final_newline(s);
    !s.is_empty()
        && s.len() <= 63
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Python's `$` (without MULTILINE) matches at the very end or just before a final `\n`.
pub(crate) fn strip_final_newline(s: &str) -> &str {
    s.strip_suffix('\n').unwrap_or(s)
}

/// Whether `s` looks like a dotted IPv4 address: four groups of one to three digits (no range check, as
/// botocore's pattern).
pub(crate) fn looks_like_ipv4(s: &str) -> bool {
    let mut groups = 0;
    for group in s.split('.') {
        groups += 1;
        if group.is_empty() || group.len() > 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    groups == 4
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn is_set_and_not() {
        assert_eq!(is_set(&json!(null)), json!(false));
        assert_eq!(is_set(&json!("")), json!(true));
        assert_eq!(is_set(&json!(false)), json!(true));
        assert_eq!(not(&json!(true)), json!(false));
        assert_eq!(not(&json!(false)), json!(true));
        assert_eq!(not(&json!(null)), json!(true));
    }

    #[test]
    fn get_attr_paths() {
        let v = json!({"a": {"b": ["x", "y"]}, "resourceId": ["r0", "r1", "r2"], "name": "aws"});
        assert_eq!(get_attr(&v, &json!("name")).unwrap(), json!("aws"));
        assert_eq!(get_attr(&v, &json!("a.b[1]")).unwrap(), json!("y"));
        assert_eq!(get_attr(&v, &json!("a.b[2]")).unwrap(), json!(null));
        assert_eq!(get_attr(&v, &json!("resourceId[0]")).unwrap(), json!("r0"));
        assert_eq!(get_attr(&v, &json!("resourceId[99999999999999999999999]")).unwrap(), json!(null));
        assert_eq!(get_attr(&v, &json!("missing")).unwrap(), json!(null));
        assert_eq!(get_attr(&v, &json!("missing[0]")).unwrap(), json!(null));
        assert_eq!(get_attr(&v, &json!("a.missing.c")).unwrap(), json!(null));
        assert_eq!(get_attr(&json!(["p", "q"]), &json!("[1]")).unwrap(), json!("q"));
        assert_eq!(get_attr(&json!(null), &json!("a")).unwrap(), json!(null));
        assert!(get_attr(&v, &json!(1)).is_err());
    }

    #[test]
    fn index_search_is_unanchored() {
        assert_eq!(split_index("foo-bar[1]"), Some(("bar", Some(1))));
        assert_eq!(split_index("x[a][2]"), Some(("", Some(2))));
        assert_eq!(split_index("plain"), None);
        assert_eq!(split_index("x[]"), None);
    }

    #[test]
    fn substring_forward_and_reverse() {
        let s = |v: Value, a: i64, b: i64, r: bool| substring(&[v, json!(a), json!(b), json!(r)]).unwrap();
        assert_eq!(s(json!("abcdefg"), 0, 4, false), json!("abcd"));
        assert_eq!(s(json!("abcdefg"), 0, 4, true), json!("defg"));
        assert_eq!(s(json!("abcdefg"), 1, 3, true), json!("ef"));
        assert_eq!(s(json!("abc"), 0, 4, false), json!(null));
        assert_eq!(s(json!("abc"), 2, 2, false), json!(null));
        assert_eq!(s(json!("abcdé"), 0, 2, false), json!(null));
        assert_eq!(s(json!("abcd"), 0, 4, false), json!("abcd"));
        assert_eq!(s(json!("abcd"), -3, -1, false), json!("bc"));
        assert_eq!(s(json!("abcd"), -9, 2, false), json!("ab"));
        assert!(substring(&[json!(null), json!(0), json!(1), json!(false)]).is_err());
    }

    #[test]
    fn equality() {
        assert_eq!(string_equals(&json!("a"), &json!("a")).unwrap(), json!(true));
        assert_eq!(string_equals(&json!("a"), &json!("b")).unwrap(), json!(false));
        assert_eq!(
            string_equals(&json!(null), &json!("b")).unwrap_err().message(),
            "Both values must be strings, not <class 'NoneType'> and <class 'str'>."
        );
        assert_eq!(boolean_equals(&json!(true), &json!(true)).unwrap(), json!(true));
        assert_eq!(boolean_equals(&json!(false), &json!(true)).unwrap(), json!(false));
        assert!(boolean_equals(&json!(null), &json!(true)).is_err());
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(uri_encode(&json!("a b/c?d=e&f~g-h_i.j")), json!("a%20b%2Fc%3Fd%3De%26f~g-h_i.j"));
        assert_eq!(uri_encode(&json!("é")), json!("%C3%A9"));
        assert_eq!(uri_encode(&json!(null)), json!(null));
    }

    #[test]
    fn host_labels() {
        let ok = |s: &str, sub: bool| is_valid_host_label(&json!(s), &json!(sub)).unwrap() == json!(true);
        assert!(ok("abc", false));
        assert!(ok("a-b-1", false));
        assert!(!ok("-abc", false));
        assert!(!ok("abc-", false));
        assert!(!ok("", false));
        assert!(!ok(&"a".repeat(64), false));
        assert!(ok(&"a".repeat(63), false));
        assert!(!ok("a.b", false));
        assert!(ok("a.b", true));
        assert!(!ok("a..b", true));
        assert!(!ok("a_b", true));
        assert!(ok("abc\n", false));
        assert!(!is_valid_host_label(&json!(null), &json!(true)).unwrap().as_bool().unwrap());
    }

    #[test]
    fn ipv4_shape() {
        assert!(looks_like_ipv4("192.168.0.1"));
        assert!(looks_like_ipv4("999.999.999.999"));
        assert!(!looks_like_ipv4("1.2.3"));
        assert!(!looks_like_ipv4("1.2.3.4.5"));
        assert!(!looks_like_ipv4("1.2.3.a"));
    }
}
