//! CloudFormation templates as `cloudformation deploy` and `package` read and write them: JSON, or
//! YAML with the short intrinsic tags (`!Ref x` is `{"Ref": "x"}`, `!GetAtt a.b` is
//! `{"Fn::GetAtt": ["a", "b"]}`, any other `!Name v` is `{"Fn::Name": v}`), keys kept in order.

use serde_json::{Map, Number, Value};
use yaml_serde::Value as Yaml;

/// Parses a template: JSON when it is JSON, else YAML with the intrinsic tags.
pub fn parse(text: &str) -> Result<Value, String> {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return Ok(v);
    }
    let yaml: Yaml = yaml_serde::from_str(text).map_err(|e| e.to_string())?;
    Ok(to_json(yaml))
}

fn to_json(y: Yaml) -> Value {
    match y {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                n.as_f64().and_then(Number::from_f64).map(Value::Number).unwrap_or(Value::Null)
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(to_json).collect()),
        Yaml::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match k {
                    Yaml::String(s) => s,
                    other => match to_json(other) {
                        Value::String(s) => s,
                        v => v.to_string(),
                    },
                };
                out.insert(key, to_json(v));
            }
            Value::Object(out)
        }
        Yaml::Tagged(t) => {
            let tag = t.tag.to_string();
            let tag = tag.trim_start_matches('!');
            let name =
                if matches!(tag, "Ref" | "Condition") { tag.to_string() } else { format!("Fn::{tag}") };
            let value = match (tag, t.value) {
                ("GetAtt", Yaml::String(s)) => {
                    let parts: Vec<Value> = match s.split_once('.') {
                        Some((a, b)) => vec![a.into(), b.into()],
                        None => vec![s.into()],
                    };
                    Value::Array(parts)
                }
                (_, v) => to_json(v),
            };
            let mut out = Map::new();
            out.insert(name, value);
            Value::Object(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_and_yaml_with_tags() {
        assert_eq!(parse(r#"{"b": 1, "a": 2}"#).unwrap().to_string(), r#"{"b":1,"a":2}"#);
        let t = parse(
            "Parameters:\n  Z: {Type: String}\n  A: {Type: String}\nResources:\n  R:\n    Properties:\n      \
             X: !Ref Z\n      Y: !GetAtt R.Arn\n      S: !Sub '${Z}-x'\n      J: !Join [',', [a, b]]\n      \
             C: !Condition IsProd\n",
        )
        .unwrap();
        let keys: Vec<&String> = t["Parameters"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Z", "A"]);
        let p = &t["Resources"]["R"]["Properties"];
        assert_eq!(p["X"], json!({"Ref": "Z"}));
        assert_eq!(p["Y"], json!({"Fn::GetAtt": ["R", "Arn"]}));
        assert_eq!(p["S"], json!({"Fn::Sub": "${Z}-x"}));
        assert_eq!(p["J"], json!({"Fn::Join": [",", ["a", "b"]]}));
        assert_eq!(p["C"], json!({"Condition": "IsProd"}));
        assert!(parse("a: [").is_err());
    }
}
