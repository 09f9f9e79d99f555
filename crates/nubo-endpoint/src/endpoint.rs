//! The result of resolution: URL, properties (auth schemes and the like) and headers.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub url: String,
    /// Free-form properties, such as `authSchemes` (signing name, region, and so on).
    pub properties: Map<String, Value>,
    pub headers: BTreeMap<String, Vec<String>>,
}

impl Endpoint {
    /// `{"url": ..., "properties": {...}, "headers": {...}}`.
    pub fn to_json(&self) -> Value {
        let headers: Map<String, Value> = self
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), Value::Array(v.iter().cloned().map(Value::String).collect())))
            .collect();
        let mut out = Map::new();
        out.insert("url".into(), Value::String(self.url.clone()));
        out.insert("properties".into(), Value::Object(self.properties.clone()));
        out.insert("headers".into(), Value::Object(headers));
        Value::Object(out)
    }

    /// The `authSchemes` property, if the rule set gave one.
    pub fn auth_schemes(&self) -> &[Value] {
        self.properties.get("authSchemes").and_then(Value::as_array).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_json() {
        let mut ep = Endpoint { url: "https://x".into(), properties: Map::new(), headers: BTreeMap::new() };
        assert_eq!(ep.to_json(), json!({"url": "https://x", "properties": {}, "headers": {}}));
        assert!(ep.auth_schemes().is_empty());
        ep.headers.insert("h".into(), vec!["a".into(), "b".into()]);
        ep.properties.insert("authSchemes".into(), json!([{"name": "sigv4"}]));
        assert_eq!(ep.to_json()["headers"], json!({"h": ["a", "b"]}));
        assert_eq!(ep.auth_schemes()[0]["name"], json!("sigv4"));
    }
}
