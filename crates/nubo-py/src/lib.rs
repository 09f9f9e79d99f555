//! Python's `str()` and `repr()` of JSON values, floats and strings, as the AWS CLI (a Python program)
//! prints them: the text and table output formats, argument errors and endpoint-rule messages all show
//! values this way. `str()` of a JSON value, as the AWS CLI's text and table formats print cells: strings raw,
//! `None`, `True`/`False`, floats by Python's shortest-repr rules (`1e+16`, `1e-05`, `1.0`), and lists or
//! objects by Python's `repr` (`{'a': [1, None]}`). Hand-written: no crate reproduces Python's formatting.

pub mod json;
use serde_json::{Number, Value};

/// `str(value)` as Python prints it for a value decoded from JSON.
pub fn str_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => repr_of(other),
    }
}

/// `repr(value)` as Python prints it (strings quoted), used inside lists and objects.
pub fn repr_of(value: &Value) -> String {
    let mut out = String::new();
    write_repr(value, &mut out);
    out
}

fn write_repr(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => out.push_str(&repr_str(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&repr_str(k));
                out.push_str(": ");
                write_repr(v, out);
            }
            out.push('}');
        }
    }
}

/// A JSON number as Python prints it: integers in full, floats by `float.__repr__`.
pub fn number(n: &Number) -> String {
    if n.is_f64() { n.as_f64().map(float).unwrap_or_else(|| n.to_string()) } else { n.to_string() }
}

/// `repr(f)` of a Python float: the shortest round-tripping digits, positional when the decimal
/// exponent is in -4..16, else scientific with a signed, at least two-digit exponent.
pub fn float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    // Rust's `{:e}` gives the shortest round-trip digits, e.g. "-1.2345e17" or "1e-5".
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if !(-4..16).contains(&exp) {
        let mut m = digits[..1].to_string();
        if digits.len() > 1 {
            m.push('.');
            m.push_str(&digits[1..]);
        }
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{esign}{:02}", exp.unsigned_abs());
    }
    let point = exp + 1; // digits before the decimal point
    let body = if point <= 0 {
        format!("0.{}{}", "0".repeat(point.unsigned_abs() as usize), digits)
    } else {
        let point = point as usize;
        if digits.len() <= point {
            format!("{}{}.0", digits, "0".repeat(point - digits.len()))
        } else {
            format!("{}.{}", &digits[..point], &digits[point..])
        }
    };
    format!("{sign}{body}")
}

/// `repr(s)` of a Python str: single quotes unless the text has `'` and no `"`; backslash escapes for
/// control and other non-printable characters.
pub fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !printable(c) => {
                let cp = u32::from(c);
                if cp <= 0xFF {
                    out.push_str(&format!("\\x{cp:02x}"));
                } else if cp <= 0xFFFF {
                    out.push_str(&format!("\\u{cp:04x}"));
                } else {
                    out.push_str(&format!("\\U{cp:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Approximates Python's `str.isprintable`: control, format, separator (other than space),
/// surrogate, private-use and unassigned-looking characters are escaped. Exact for ASCII and Latin-1;
/// for the rest it covers the categories that occur in practice.
fn printable(c: char) -> bool {
    let cp = u32::from(c);
    match cp {
        0x20 => true,
        0..=0x1F | 0x7F..=0xA0 | 0xAD => false,
        0x1680 | 0x2000..=0x200F | 0x2028..=0x202F | 0x205F..=0x2064 | 0x2066..=0x206F => false,
        0x3000 | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF => false,
        0xF0000..=0x10FFFF => false,
        0xE0000..=0xE0FFF => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // Expected values from Python 3.11: repr(float) and str(dict).
    #[test]
    fn floats_like_python() {
        let cases = [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (123456789.123, "123456789.123"),
            (-0.0, "-0.0"),
            (1.5e300, "1.5e+300"),
            (2.5e-7, "2.5e-07"),
            (1e22, "1e+22"),
            (-12.5, "-12.5"),
        ];
        for (f, want) in cases {
            assert_eq!(float(f), want, "{f}");
        }
    }

    #[test]
    fn containers_like_python() {
        let v = json!({"a": [1, null, true, "x'y", "x\"y'", "t\tn\n\u{a0}é\u{2028}"]});
        assert_eq!(str_of(&v), r#"{'a': [1, None, True, "x'y", 'x"y\'', 't\tn\n\xa0é\u2028']}"#);
        assert_eq!(str_of(&json!("plain")), "plain");
        assert_eq!(str_of(&json!(false)), "False");
        assert_eq!(str_of(&json!(2.0)), "2.0");
        assert_eq!(str_of(&json!(-7)), "-7");
    }
}
