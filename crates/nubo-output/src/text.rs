//! The `text` output format, with the AWS CLI's rules: an object prints its scalar values on one
//! tab-separated line (keys sorted), prefixed by the upper-cased key it sits under; its lists and
//! objects follow, each under its own key; objects in a list share the union of their scalar keys
//! (missing ones print empty); a list of scalars under a key prints one `KEY\tvalue` line per item, a
//! bare one a single tab-separated line. Values print as Python's `str()` (`None`, `True`, `1e+16`).
//! Paginated results are rendered merged, not page by page.

use crate::pystr::str_of;
use serde_json::{Map, Value};

/// Renders `value` in the AWS CLI's text format.
pub fn render(value: &Value) -> String {
    let mut out = String::new();
    item(value, None, None, &mut out);
    out
}

fn item(value: &Value, identifier: Option<&str>, scalar_keys: Option<&[String]>, out: &mut String) {
    match value {
        Value::Object(map) => object(map, identifier, scalar_keys, out),
        Value::Array(items) => list(items, identifier, out),
        scalar => {
            out.push_str(&str_of(scalar));
            out.push('\n');
        }
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

fn list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        let keys = all_scalar_keys(items);
        for element in items {
            item(element, identifier, Some(&keys), out);
        }
    } else if items.iter().any(Value::is_array) {
        let scalars: Vec<&Value> = items.iter().filter(|v| is_scalar(v)).collect();
        if !scalars.is_empty() {
            scalar_list(&scalars, identifier, out);
        }
        for nested in items.iter().filter(|v| !is_scalar(v)) {
            item(nested, identifier, None, out);
        }
    } else {
        let scalars: Vec<&Value> = items.iter().collect();
        scalar_list(&scalars, identifier, out);
    }
}

fn scalar_list(items: &[&Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(id) => {
            let id = id.to_uppercase();
            for v in items {
                out.push_str(&id);
                out.push('\t');
                out.push_str(&str_of(v));
                out.push('\n');
            }
        }
        None => {
            let cells: Vec<String> = items.iter().map(|v| str_of(v)).collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
    }
}

/// The sorted union of the keys whose values are scalars, over the objects in a list.
fn all_scalar_keys(items: &[Value]) -> Vec<String> {
    let mut keys: Vec<String> = items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|m| m.iter().filter(|(_, v)| is_scalar(v)).map(|(k, _)| k.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

fn object(
    map: &Map<String, Value>,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut String,
) {
    let mut cells = Vec::new();
    let mut nested: Vec<(&String, &Value)> = Vec::new();
    match scalar_keys {
        None => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            for (k, v) in entries {
                if is_scalar(v) {
                    cells.push(str_of(v));
                } else {
                    nested.push((k, v));
                }
            }
        }
        Some(keys) => {
            for k in keys {
                cells.push(map.get(k).map(str_of).unwrap_or_default());
            }
            let mut rest: Vec<(&String, &Value)> = map.iter().filter(|(k, _)| !keys.contains(k)).collect();
            rest.sort_by(|a, b| a.0.cmp(b.0));
            nested = rest;
        }
    }
    if !cells.is_empty() {
        if let Some(id) = identifier {
            cells.insert(0, id.to_uppercase());
        }
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    for (k, v) in nested {
        item(v, Some(k), None, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_sorted_and_nested_under_upper_keys() {
        let v = json!({"B": 1, "A": "x", "Items": [{"N": "a", "Tags": ["t1", "t2"]}, {"N": "b", "M": true}]});
        assert_eq!(render(&v), "x\t1\nITEMS\t\ta\nTAGS\tt1\nTAGS\tt2\nITEMS\tTrue\tb\n");
    }

    #[test]
    fn bare_values() {
        assert_eq!(render(&json!(null)), "None\n");
        assert_eq!(render(&json!(["a", 1, 2.5, false])), "a\t1\t2.5\tFalse\n");
        assert_eq!(render(&json!([])), "");
        assert_eq!(render(&json!({})), "");
        assert_eq!(render(&json!("s")), "s\n");
        assert_eq!(render(&json!([["a", "b"], "c"])), "c\na\tb\n");
    }
}
