//! Property test: shorthand → JSON → shorthand. Random nested values (dictionaries, lists, plain and
//! quoted strings) are written as shorthand, parsed, written again from the parse, and must come back
//! the same, text and value.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

use nubo_args::fuzzing::shorthand_to_json;
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Writes a value as shorthand: `k=v`, `k=[a,b]`, `k={a=b}`; strings with special characters quoted.
fn render(v: &Value) -> String {
    match v {
        Value::String(s) => {
            if s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:".contains(c)) && !s.is_empty() {
                s.clone()
            } else {
                format!("\"{s}\"")
            }
        }
        Value::Array(items) => format!("[{}]", items.iter().map(render).collect::<Vec<_>>().join(",")),
        Value::Object(map) => {
            format!(
                "{{{}}}",
                map.iter().map(|(k, v)| format!("{k}={}", render(v))).collect::<Vec<_>>().join(",")
            )
        }
        other => other.to_string(),
    }
}

fn top(map: &Map<String, Value>) -> String {
    map.iter().map(|(k, v)| format!("{k}={}", render(v))).collect::<Vec<_>>().join(",")
}

fn key() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9]{0,7}"
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[a-z0-9][a-z0-9_./:-]{0,10}".prop_map(Value::String),
        // Quoted: commas, equals signs, brackets and spaces inside quotes are text.
        "[a-z ,=\\[\\]{}]{1,10}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 1..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn shorthand_json_shorthand(entries in prop::collection::vec((key(), value()), 1..5)) {
        let map: Map<String, Value> = entries.into_iter().collect();
        let text = top(&map);
        let parsed = shorthand_to_json(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(&parsed, &Value::Object(map.clone()), "{}", text);
        let again = top(parsed.as_object().unwrap());
        prop_assert_eq!(again, text);
    }

    #[test]
    fn the_parser_never_panics(text in "\\PC{0,40}") {
        let _ = shorthand_to_json(&text);
    }
}
