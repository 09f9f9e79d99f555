//! JSON written byte for byte as Python's `json.dumps` writes it, for the places where the AWS CLI's
//! bytes matter: cache keys (a SHA-1 of the dumped arguments names the cache file, so the CLI and
//! nubo share caches), `configure export-credentials --format process`, and pagination tokens (so
//! either CLI resumes from the other's).
//!
//! Hand-written because serde_json's output differs from Python's (separators, `ensure_ascii`
//! escaping of non-ASCII characters, indentation).

use serde_json::Value;

/// How to lay the text out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `json.dumps(v)`: `{"a": 1, "b": [1, 2]}`.
    Default,
    /// `json.dumps(v, separators=(',', ':'))`: `{"a":1,"b":[1,2]}`.
    Compact,
    /// `json.dumps(v, indent=2, separators=(',', ': '))`.
    Indent2,
}

/// Dumps `v`; with `sort_keys`, object keys are sorted (by code point, as Python sorts `str`).
pub fn dumps(v: &Value, style: Style, sort_keys: bool) -> String {
    let mut out = String::new();
    write(&mut out, v, style, sort_keys, 0);
    out
}

fn write(out: &mut String, v: &Value, style: Style, sort_keys: bool, depth: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => string(out, s),
        Value::Array(items) => {
            let items: Vec<&Value> = items.iter().collect();
            container(out, '[', ']', items.len(), style, depth, |out, i| {
                write(out, items[i], style, sort_keys, depth + 1)
            });
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            if sort_keys {
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            let colon = if style == Style::Compact { ":" } else { ": " };
            container(out, '{', '}', entries.len(), style, depth, |out, i| {
                string(out, entries[i].0);
                out.push_str(colon);
                write(out, entries[i].1, style, sort_keys, depth + 1)
            });
        }
    }
}

fn container(
    out: &mut String,
    open: char,
    close: char,
    len: usize,
    style: Style,
    depth: usize,
    mut item: impl FnMut(&mut String, usize),
) {
    out.push(open);
    if len == 0 {
        out.push(close);
        return;
    }
    for i in 0..len {
        if i > 0 {
            out.push(',');
            if style == Style::Default {
                out.push(' ');
            }
        }
        if style == Style::Indent2 {
            out.push('\n');
            out.push_str(&"  ".repeat(depth + 1));
        }
        item(out, i);
    }
    if style == Style::Indent2 {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    }
    out.push(close);
}

/// A string literal with `ensure_ascii` escaping: everything outside printable ASCII as `\uXXXX`
/// (surrogate pairs beyond the BMP), and Python's short escapes.
fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_python() {
        let v = json!({"b": 1, "a": ["x", null, true], "c": {}});
        assert_eq!(dumps(&v, Style::Default, true), r#"{"a": ["x", null, true], "b": 1, "c": {}}"#);
        assert_eq!(dumps(&v, Style::Compact, true), r#"{"a":["x",null,true],"b":1,"c":{}}"#);
        assert_eq!(
            dumps(&v, Style::Indent2, false),
            "{\n  \"b\": 1,\n  \"a\": [\n    \"x\",\n    null,\n    true\n  ],\n  \"c\": {}\n}"
        );
    }

    #[test]
    fn escapes_like_ensure_ascii() {
        let v = json!("a\"b\\c\n\u{1}é😀\u{7f}/");
        assert_eq!(dumps(&v, Style::Default, false), r#""a\"b\\c\n\u0001\u00e9\ud83d\ude00\u007f/""#);
    }
}
