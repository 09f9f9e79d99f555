//! The `json` output format: four-space indentation and raw (unescaped) non-ASCII, as the AWS CLI prints
//! it; an empty response prints nothing.

use serde::Serialize;
use serde_json::Value;

/// Renders `value` as the AWS CLI's JSON output, with a trailing newline; empty for `{}`.
pub fn render(value: &Value) -> String {
    if value.as_object().is_some_and(|o| o.is_empty()) {
        return String::new();
    }
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
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
    fn like_the_cli() {
        assert_eq!(render(&json!({})), "");
        assert_eq!(
            render(&json!({"A": [1, {"B": "é"}], "C": []})),
            "{\n    \"A\": [\n        1,\n        {\n            \"B\": \"é\"\n        }\n    ],\n    \"C\": []\n}\n"
        );
    }
}
