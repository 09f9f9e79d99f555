//! Input parameters of a rule set: the three value types a parameter can have, and reading them from JSON.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::EndpointError;

/// The value of one rule-set parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    String(String),
    Bool(bool),
    StringArray(Vec<String>),
}

/// Parameters by name, as the rule set names them (`Region`, `UseFIPS`, `Bucket`, ...).
pub type Params = BTreeMap<String, Param>;

impl Param {
    /// The parameter as a JSON value (what the interpreter works with).
    pub fn to_json(&self) -> Value {
        match self {
            Param::String(s) => Value::String(s.clone()),
            Param::Bool(b) => Value::Bool(*b),
            Param::StringArray(items) => Value::Array(items.iter().cloned().map(Value::String).collect()),
        }
    }

    /// Reads a JSON string, boolean or array of strings; `None` for anything else (null included).
    pub fn from_json(value: &Value) -> Option<Param> {
        match value {
            Value::String(s) => Some(Param::String(s.clone())),
            Value::Bool(b) => Some(Param::Bool(*b)),
            Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(Param::StringArray),
            _ => None,
        }
    }

    /// The name of the type as the rule set spells it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Param::String(_) => "string",
            Param::Bool(_) => "boolean",
            Param::StringArray(_) => "stringArray",
        }
    }
}

impl From<&str> for Param {
    fn from(s: &str) -> Self {
        Param::String(s.to_owned())
    }
}

impl From<String> for Param {
    fn from(s: String) -> Self {
        Param::String(s)
    }
}

impl From<bool> for Param {
    fn from(b: bool) -> Self {
        Param::Bool(b)
    }
}

impl From<Vec<String>> for Param {
    fn from(items: Vec<String>) -> Self {
        Param::StringArray(items)
    }
}

/// Reads parameters from a JSON object such as `{"Region": "us-east-1", "UseFIPS": true}`. A `null` value
/// means "not set" and is left out; any other value that is not a string, boolean or array of strings is an
/// error.
pub fn params_from_json(value: &Value) -> Result<Params, EndpointError> {
    let Value::Object(map) = value else {
        return Err(EndpointError::Invalid("parameters must be a JSON object".to_owned()));
    };
    let mut params = Params::new();
    for (name, v) in map {
        if v.is_null() {
            continue;
        }
        let param = Param::from_json(v).ok_or_else(|| {
            EndpointError::Invalid(format!(
                "parameter {name}: expected a string, a boolean or an array of strings, got {v}"
            ))
        })?;
        params.insert(name.clone(), param);
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_each_type_and_skips_null() {
        let p = params_from_json(&json!({"Region": "us-east-1", "UseFIPS": true, "L": ["a"], "N": null}))
            .unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!(p["Region"], Param::from("us-east-1"));
        assert_eq!(p["UseFIPS"], Param::Bool(true));
        assert_eq!(p["L"], Param::StringArray(vec!["a".into()]));
        assert_eq!(p["L"].to_json(), json!(["a"]));
    }

    #[test]
    fn rejects_other_values() {
        assert!(params_from_json(&json!({"X": 1})).is_err());
        assert!(params_from_json(&json!({"X": [1]})).is_err());
        assert!(params_from_json(&json!([])).is_err());
    }
}
