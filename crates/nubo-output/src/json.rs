//! The `json` output format: four-space indentation and raw (unescaped) non-ASCII, as the AWS CLI prints
//! it; an empty response prints nothing.

use serde::Serialize;
use serde_json::Value;
use serde_json::ser::{Formatter, PrettyFormatter};
use std::io::{self, Write};

/// Python's `json.dumps(indent=4)` layout, with floats written as Python writes them (`1e+16`, not
/// serde's `1e16`).
struct PyFormatter<'a>(PrettyFormatter<'a>);

impl Formatter for PyFormatter<'_> {
    fn write_f64<W: ?Sized + Write>(&mut self, w: &mut W, value: f64) -> io::Result<()> {
        w.write_all(crate::pystr::float(value).as_bytes())
    }
    fn write_f32<W: ?Sized + Write>(&mut self, w: &mut W, value: f32) -> io::Result<()> {
        self.write_f64(w, f64::from(value))
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Renders `value` as the AWS CLI's JSON output, with a trailing newline; empty for `{}`.
pub fn render(value: &Value) -> String {
    if value.as_object().is_some_and(|o| o.is_empty()) {
        return String::new();
    }
    let mut buf = Vec::new();
    let fmt = PyFormatter(PrettyFormatter::with_indent(b"    "));
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    buf.push(b'\n');
    String::from_utf8(buf).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_as_python_writes_them() {
        assert_eq!(
            render(&json!([1e16, 1.5, 1e-7, 0.1, 3])),
            "[\n    1e+16,\n    1.5,\n    1e-07,\n    0.1,\n    3\n]\n"
        );
    }

    #[test]
    fn like_the_cli() {
        assert_eq!(render(&json!({})), "");
        assert_eq!(
            render(&json!({"A": [1, {"B": "é"}], "C": []})),
            "{\n    \"A\": [\n        1,\n        {\n            \"B\": \"é\"\n        }\n    ],\n    \"C\": []\n}\n"
        );
    }
}
