//! The values parameters hold while they are processed, with the distinctions the AWS CLI's Python
//! makes and its messages show: text versus bytes (`fileb://`), integers versus floats versus
//! booleans, and dictionaries made by its JSON reader (`OrderedDict`) versus the others. `str()`,
//! `repr()` and `type()` are rendered as Python 3.11 renders them, for the CLI's error messages.

use base64::Engine;
use serde_json::Value;

/// Which Python class a dictionary is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DictKind {
    /// `dict` (shorthand, `--cli-input-json`, YAML).
    Plain,
    /// `collections.OrderedDict` (the JSON given to one parameter).
    Ordered,
}

/// A Python value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PyVal {
    None,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<PyVal>),
    Dict(Vec<(String, PyVal)>, DictKind),
}

impl PyVal {
    /// Set `key`, keeping the position of an existing key as Python dictionaries do.
    pub(crate) fn dict_set(entries: &mut Vec<(String, PyVal)>, key: String, value: PyVal) {
        if let Some(slot) = entries.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        } else {
            entries.push((key, value));
        }
    }

    pub(crate) fn dict_get<'a>(entries: &'a [(String, PyVal)], key: &str) -> Option<&'a PyVal> {
        entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// `type(value)` as Python prints it: `<class 'str'>`.
    pub(crate) fn type_repr(&self) -> &'static str {
        match self {
            PyVal::None => "<class 'NoneType'>",
            PyVal::Bool(_) => "<class 'bool'>",
            PyVal::Int(_) => "<class 'int'>",
            PyVal::Float(_) => "<class 'float'>",
            PyVal::Str(_) => "<class 'str'>",
            PyVal::Bytes(_) => "<class 'bytes'>",
            PyVal::List(_) => "<class 'list'>",
            PyVal::Dict(_, DictKind::Plain) => "<class 'dict'>",
            PyVal::Dict(_, DictKind::Ordered) => "<class 'collections.OrderedDict'>",
        }
    }

    /// Python's `str(value)`.
    pub(crate) fn py_str(&self) -> String {
        match self {
            PyVal::Str(s) => s.clone(),
            other => other.py_repr(),
        }
    }

    /// Python's `repr(value)`.
    pub(crate) fn py_repr(&self) -> String {
        match self {
            PyVal::None => "None".into(),
            PyVal::Bool(true) => "True".into(),
            PyVal::Bool(false) => "False".into(),
            PyVal::Int(i) => i.to_string(),
            PyVal::Float(f) => float_repr(*f),
            PyVal::Str(s) => str_repr(s),
            PyVal::Bytes(b) => bytes_repr(b),
            PyVal::List(items) => {
                let parts: Vec<String> = items.iter().map(PyVal::py_repr).collect();
                format!("[{}]", parts.join(", "))
            }
            PyVal::Dict(entries, DictKind::Plain) => {
                let parts: Vec<String> =
                    entries.iter().map(|(k, v)| format!("{}: {}", str_repr(k), v.py_repr())).collect();
                format!("{{{}}}", parts.join(", "))
            }
            PyVal::Dict(entries, DictKind::Ordered) => {
                if entries.is_empty() {
                    return "OrderedDict()".into();
                }
                let parts: Vec<String> =
                    entries.iter().map(|(k, v)| format!("({}, {})", str_repr(k), v.py_repr())).collect();
                format!("OrderedDict([{}])", parts.join(", "))
            }
        }
    }

    /// Python truthiness.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            PyVal::None => false,
            PyVal::Bool(b) => *b,
            PyVal::Int(i) => *i != 0,
            PyVal::Float(f) => *f != 0.0,
            PyVal::Str(s) => !s.is_empty(),
            PyVal::Bytes(b) => !b.is_empty(),
            PyVal::List(l) => !l.is_empty(),
            PyVal::Dict(d, _) => !d.is_empty(),
        }
    }

    /// The value as JSON without a shape: bytes become base64, non-finite floats null.
    pub(crate) fn to_json_plain(&self) -> Value {
        match self {
            PyVal::None => Value::Null,
            PyVal::Bool(b) => Value::Bool(*b),
            PyVal::Int(i) => int_json(*i),
            PyVal::Float(f) => float_json(*f),
            PyVal::Str(s) => Value::String(s.clone()),
            PyVal::Bytes(b) => Value::String(base64::engine::general_purpose::STANDARD.encode(b)),
            PyVal::List(items) => Value::Array(items.iter().map(PyVal::to_json_plain).collect()),
            PyVal::Dict(entries, _) => {
                Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.to_json_plain())).collect())
            }
        }
    }
}

/// An integer as a JSON number (the nearest float when it is beyond 64 bits).
pub(crate) fn int_json(i: i128) -> Value {
    if let Ok(v) = i64::try_from(i) {
        Value::from(v)
    } else if let Ok(v) = u64::try_from(i) {
        Value::from(v)
    } else {
        float_json(i as f64)
    }
}

/// A float as a JSON number (`null` for NaN and the infinities, which JSON cannot hold).
pub(crate) fn float_json(f: f64) -> Value {
    serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)
}

/// Python's `repr(float)` (see [`nubo_py::float`]).
pub(crate) fn float_repr(f: f64) -> String {
    nubo_py::float(f)
}

/// Python's `repr(str)` (see [`nubo_py::repr_str`]).
pub(crate) fn str_repr(s: &str) -> String {
    nubo_py::repr_str(s)
}

/// Python's `repr(bytes)`.
pub(crate) fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') { b'"' } else { b'\'' };
    let mut out = String::from("b");
    out.push(quote as char);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote as char);
    out
}

/// Python's `str.isspace` for one character (Unicode white space plus the separators
/// U+001C to U+001F).
pub(crate) fn py_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `int(text)` on a string: surrounding white space, a sign, decimal digits with single
/// underscores between them. The error is Python's `ValueError` message.
pub(crate) fn py_int(text: &str) -> Result<i128, String> {
    let err = || format!("invalid literal for int() with base 10: {}", str_repr(text));
    let t = text.trim_matches(py_isspace);
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return Err(err());
    }
    let mut value: i128 = 0;
    for c in digits.chars() {
        if c == '_' {
            continue;
        }
        let d = c.to_digit(10).ok_or_else(err)?;
        value = value.checked_mul(10).and_then(|v| v.checked_add(d as i128)).ok_or_else(err)?;
    }
    Ok(if neg { -value } else { value })
}

/// Python's `float(text)` on a string: decimal and scientific notation, `inf`, `infinity` and `nan`
/// in any case, surrounding white space, single underscores between digits.
pub(crate) fn py_float(text: &str) -> Result<f64, String> {
    let err = || format!("could not convert string to float: {}", str_repr(text));
    let t = text.trim_matches(py_isspace);
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Ok(sign * f64::INFINITY);
    }
    if lower == "nan" {
        return Ok(f64::NAN);
    }
    // Only digits, one point, one exponent with an optional sign; underscores between digits.
    let bytes = body.as_bytes();
    let mut cleaned = String::with_capacity(body.len());
    let mut seen_digit = false;
    let mut seen_point = false;
    let mut seen_exp = false;
    let mut prev: u8 = 0;
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                seen_digit = true;
                cleaned.push(c as char);
            }
            b'_' => {
                let next = bytes.get(i + 1).copied().unwrap_or(0);
                if !prev.is_ascii_digit() || !next.is_ascii_digit() {
                    return Err(err());
                }
            }
            b'.' if !seen_point && !seen_exp => {
                seen_point = true;
                cleaned.push('.');
            }
            b'e' | b'E' if seen_digit && !seen_exp => {
                seen_exp = true;
                cleaned.push('e');
                if matches!(bytes.get(i + 1), Some(b'+') | Some(b'-')) {
                    // handled on the next iteration
                }
                if !bytes[i + 1..].iter().any(|b| b.is_ascii_digit()) {
                    return Err(err());
                }
            }
            b'+' | b'-' if prev == b'e' || prev == b'E' => cleaned.push(c as char),
            _ => return Err(err()),
        }
        prev = c;
    }
    if !seen_digit {
        return Err(err());
    }
    cleaned.parse::<f64>().map(|f| sign * f).map_err(|_| err())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_render_as_python_does() {
        assert_eq!(float_repr(1.0), "1.0");
        assert_eq!(float_repr(0.5), "0.5");
        assert_eq!(float_repr(1.5e-5), "1.5e-05");
        assert_eq!(float_repr(1e16), "1e+16");
        assert_eq!(float_repr(123456789012345.0), "123456789012345.0");
        assert_eq!(float_repr(0.0001), "0.0001");
        assert_eq!(float_repr(-2.25), "-2.25");
        assert_eq!(float_repr(f64::INFINITY), "inf");
    }

    #[test]
    fn reprs_match_python() {
        assert_eq!(str_repr("abc"), "'abc'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a\nb\\"), "'a\\nb\\\\'");
        assert_eq!(bytes_repr(b"a\x00'"), "b\"a\\x00'\"");
        let d = PyVal::Dict(
            vec![("a".into(), PyVal::List(vec![PyVal::Int(1), PyVal::Bool(true), PyVal::None]))],
            DictKind::Plain,
        );
        assert_eq!(d.py_repr(), "{'a': [1, True, None]}");
        let o = PyVal::Dict(vec![("a".into(), PyVal::Str("b".into()))], DictKind::Ordered);
        assert_eq!(o.py_str(), "OrderedDict([('a', 'b')])");
        assert_eq!(o.type_repr(), "<class 'collections.OrderedDict'>");
        assert_eq!(PyVal::Str("x y".into()).py_str(), "x y");
    }

    #[test]
    fn int_parsing_follows_python() {
        assert_eq!(py_int(" 42\n"), Ok(42));
        assert_eq!(py_int("-1_000"), Ok(-1000));
        assert_eq!(py_int("+7"), Ok(7));
        assert_eq!(py_int("1.5").unwrap_err(), "invalid literal for int() with base 10: '1.5'");
        assert!(py_int("").is_err());
        assert!(py_int("1__0").is_err());
        assert!(py_int("_1").is_err());
    }

    #[test]
    fn float_parsing_follows_python() {
        assert_eq!(py_float("1.5"), Ok(1.5));
        assert_eq!(py_float(" -2e3 "), Ok(-2000.0));
        assert_eq!(py_float("1_0.5"), Ok(10.5));
        assert_eq!(py_float(".5"), Ok(0.5));
        assert_eq!(py_float("5."), Ok(5.0));
        assert!(py_float("Infinity").unwrap().is_infinite());
        assert!(py_float("nan").unwrap().is_nan());
        assert_eq!(py_float("abc").unwrap_err(), "could not convert string to float: 'abc'");
        assert!(py_float("1e").is_err());
        assert!(py_float("e5").is_err());
        assert!(py_float("1.2.3").is_err());
    }
}
