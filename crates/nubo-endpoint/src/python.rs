//! How Python would print a value (`str()` and type names), so that templated strings and messages read
//! exactly as botocore's do (`True`, `None`, `<class 'str'>`).

use serde_json::Value;

/// `str(value)` of the Python object this JSON value stands for.
pub(crate) fn py_str(value: &Value) -> String {
    nubo_py::str_of(value)
}

/// `type(value)` as Python prints it.
pub(crate) fn py_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(n) if n.is_f64() => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

/// Python truthiness: `None`, `False`, `0`, empty strings, lists and dicts are false.
pub(crate) fn py_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_like_python() {
        assert_eq!(py_str(&json!("a")), "a");
        assert_eq!(py_str(&json!(true)), "True");
        assert_eq!(py_str(&json!(null)), "None");
        assert_eq!(py_str(&json!(3)), "3");
        assert_eq!(py_str(&json!(["a", "it's"])), r#"['a', "it's"]"#);
        assert_eq!(py_str(&json!({"k": false})), "{'k': False}");
        assert_eq!(py_type(&json!(null)), "<class 'NoneType'>");
        assert_eq!(py_type(&json!("x")), "<class 'str'>");
        assert!(!py_truthy(&json!("")));
        assert!(py_truthy(&json!("x")));
        assert!(!py_truthy(&json!([])));
        assert!(!py_truthy(&json!(0)));
    }
}
