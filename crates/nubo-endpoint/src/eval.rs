//! Evaluation of a rule set: parameter defaults and checks, the scope of variables, conditions, and the
//! tree, endpoint and error rules, with botocore's semantics (a condition fails on `None` or `false`; each
//! rule sees its own copy of the scope; a tree whose rules all fail falls through to the next rule).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::aws;
use crate::endpoint::Endpoint;
use crate::error::EndpointError;
use crate::functions;
use crate::param::{Param, Params};
use crate::partitions::Partitions;
use crate::python::py_str;
use crate::ruleset::{EndpointSpec, Expr, FnCall, Func, ParamType, Rule, RuleKind, RuleSet};
use crate::template;

/// Resolves the endpoint for `params` (only the parameters given; built-ins are the caller's to map onto
/// parameters). Defaults and `required` apply as the rule set declares them.
pub fn resolve(rules: &RuleSet, partitions: &Partitions, params: &Params) -> Result<Endpoint, EndpointError> {
    let mut scope = Scope { vars: Vec::with_capacity(params.len() + rules.parameters().len() + 8) };
    for (name, value) in params {
        scope.vars.push((name.as_str(), value.to_json()));
    }
    for spec in rules.parameters() {
        match params.get(&spec.name) {
            Some(value) => {
                let expected = match spec.kind {
                    ParamType::String => matches!(value, Param::String(_)),
                    ParamType::Boolean => matches!(value, Param::Bool(_)),
                    ParamType::StringArray => matches!(value, Param::StringArray(_)),
                };
                if !expected {
                    let class = match spec.kind {
                        ParamType::String => "str",
                        ParamType::Boolean => "bool",
                        ParamType::StringArray => "tuple",
                    };
                    return Err(EndpointError::Invalid(format!(
                        "Value ({}) is the wrong type. Must be <class '{class}'>.",
                        spec.name
                    )));
                }
            }
            None => match &spec.default {
                Some(default) => scope.vars.push((spec.name.as_str(), default.to_json())),
                None if spec.required => {
                    return Err(EndpointError::Invalid(format!(
                        "Cannot find value for required parameter {}",
                        spec.name
                    )));
                }
                None => {}
            },
        }
    }
    let eval = Evaluator { partitions };
    for rule in &rules.rules {
        if let Some(endpoint) = eval.rule(rule, &mut scope)? {
            return Ok(endpoint);
        }
    }
    let listed: Vec<String> = params.iter().map(|(k, v)| format!("{k}: {}", py_str(&v.to_json()))).collect();
    Err(EndpointError::NoMatch(format!("No endpoint found for parameters:\n{}", listed.join("\n"))))
}

/// The variables in scope: parameters first, then assignments in the order made. Leaving a rule truncates
/// back to what it started with, which is botocore's copy-per-rule without the copying.
struct Scope<'a> {
    vars: Vec<(&'a str, Value)>,
}

impl<'a> Scope<'a> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.vars.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

struct Evaluator<'p> {
    partitions: &'p Partitions,
}

impl Evaluator<'_> {
    fn rule<'a>(&self, rule: &'a Rule, scope: &mut Scope<'a>) -> Result<Option<Endpoint>, EndpointError> {
        let mark = scope.vars.len();
        let result = self.rule_in_scope(rule, scope);
        scope.vars.truncate(mark);
        result
    }

    fn rule_in_scope<'a>(
        &self,
        rule: &'a Rule,
        scope: &mut Scope<'a>,
    ) -> Result<Option<Endpoint>, EndpointError> {
        for condition in &rule.conditions {
            let value = self.call(condition, scope)?;
            if matches!(value, Value::Null | Value::Bool(false)) {
                return Ok(None);
            }
        }
        match &rule.kind {
            RuleKind::Tree(rules) => {
                for inner in rules {
                    if let Some(endpoint) = self.rule(inner, scope)? {
                        return Ok(Some(endpoint));
                    }
                }
                Ok(None)
            }
            RuleKind::Endpoint(spec) => self.endpoint(spec, scope).map(Some),
            RuleKind::Error(message) => Err(EndpointError::Rule(py_str(&self.expr(message, scope)?))),
        }
    }

    fn endpoint(&self, spec: &EndpointSpec, scope: &Scope<'_>) -> Result<Endpoint, EndpointError> {
        let url = match self.expr(&spec.url, scope)? {
            Value::String(s) => s,
            other => py_str(&other),
        };
        let mut properties = Map::new();
        if let Some(raw) = &spec.properties {
            let written: Map<String, Value> = serde_json::from_str(raw.get())
                .map_err(|e| EndpointError::Invalid(format!("endpoint properties are not an object: {e}")))?;
            for (key, value) in written {
                properties.insert(key, fill_properties(value, scope)?);
            }
        }
        let mut headers = BTreeMap::new();
        for (name, values) in &spec.headers {
            let mut out = Vec::with_capacity(values.len());
            for v in values {
                out.push(match self.expr(v, scope)? {
                    Value::String(s) => s,
                    other => py_str(&other),
                });
            }
            headers.insert(name.clone(), out);
        }
        Ok(Endpoint { url, properties, headers })
    }

    fn expr(&self, expr: &Expr, scope: &Scope<'_>) -> Result<Value, EndpointError> {
        match expr {
            Expr::Str(s) => Ok(Value::String(s.clone())),
            Expr::Bool(b) => Ok(Value::Bool(*b)),
            Expr::Literal(v) => Ok(Value::clone(v)),
            Expr::Template(t) => template::render(t, |name| scope.get(name)).map(Value::String),
            Expr::Ref(name) => Ok(scope.get(name).cloned().unwrap_or(Value::Null)),
            Expr::Call(call) => self.call_pure(call, scope),
        }
    }

    /// A call in a condition: may assign its result to a new variable.
    fn call<'a>(&self, call: &'a FnCall, scope: &mut Scope<'a>) -> Result<Value, EndpointError> {
        let value = self.call_pure(call, scope)?;
        if let Some(name) = &call.assign {
            if scope.get(name).is_some() {
                return Err(EndpointError::Invalid(format!(
                    "Assignment {name} already exists in scoped variables and cannot be overwritten"
                )));
            }
            scope.vars.push((name.as_str(), value.clone()));
        }
        Ok(value)
    }

    fn call_pure(&self, call: &FnCall, scope: &Scope<'_>) -> Result<Value, EndpointError> {
        let expected = match call.func {
            Func::IsSet | Func::Not | Func::UriEncode | Func::ParseUrl => 1,
            Func::AwsPartition | Func::AwsParseArn => 1,
            Func::GetAttr | Func::StringEquals | Func::BooleanEquals => 2,
            Func::IsValidHostLabel | Func::AwsIsVirtualHostableS3Bucket => 2,
            Func::Substring => 4,
            Func::Unknown => {
                return Err(EndpointError::Invalid(format!("unknown rule-set function {:?}", call.name)));
            }
        };
        if call.args.len() != expected {
            return Err(EndpointError::Invalid(format!(
                "{} takes {expected} argument(s), {} given",
                call.name,
                call.args.len()
            )));
        }
        let mut args = Vec::with_capacity(expected);
        for arg in &call.args {
            args.push(self.expr(arg, scope)?);
        }
        match call.func {
            Func::IsSet => Ok(functions::is_set(&args[0])),
            Func::Not => Ok(functions::not(&args[0])),
            Func::GetAttr => functions::get_attr(&args[0], &args[1]),
            Func::Substring => functions::substring(&args),
            Func::StringEquals => functions::string_equals(&args[0], &args[1]),
            Func::BooleanEquals => functions::boolean_equals(&args[0], &args[1]),
            Func::UriEncode => Ok(functions::uri_encode(&args[0])),
            Func::ParseUrl => Ok(match &args[0] {
                Value::String(s) => crate::url::parse_url(s),
                _ => Value::Null,
            }),
            Func::IsValidHostLabel => functions::is_valid_host_label(&args[0], &args[1]),
            Func::AwsPartition => self.partitions.call(&args[0]),
            Func::AwsParseArn => Ok(aws::parse_arn(&args[0])),
            Func::AwsIsVirtualHostableS3Bucket => aws::is_virtual_hostable_s3_bucket(&args[0], &args[1]),
            Func::Unknown => {
                Err(EndpointError::Invalid(format!("unknown rule-set function {:?}", call.name)))
            }
        }
    }
}

/// Endpoint properties: template strings filled in at any depth; everything else as written.
fn fill_properties(value: Value, scope: &Scope<'_>) -> Result<Value, EndpointError> {
    Ok(match value {
        Value::String(s) if template::is_template(&s) => {
            Value::String(template::render(&s, |name| scope.get(name))?)
        }
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| fill_properties(v, scope)).collect::<Result<_, _>>()?)
        }
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                out.insert(k, fill_properties(v, scope)?);
            }
            Value::Object(out)
        }
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn partitions() -> Partitions {
        Partitions::from_value(&json!({"partitions": [
            {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$", "regions": {"us-east-1": {}},
             "outputs": {"dnsSuffix": "amazonaws.com", "supportsFIPS": true}}]}))
        .unwrap()
    }

    fn run(rules: Value, params: Value) -> Result<Endpoint, EndpointError> {
        let rules = RuleSet::from_value(&rules).unwrap();
        resolve(&rules, &partitions(), &crate::params_from_json(&params).unwrap())
    }

    fn rule_set(rules: Value) -> Value {
        json!({"version": "1.0", "parameters": {
            "Region": {"type": "String"},
            "UseFIPS": {"type": "Boolean", "required": true, "default": false},
            "Endpoint": {"type": "String"}
        }, "rules": rules})
    }

    #[test]
    fn endpoint_with_templates_properties_and_headers() {
        let rules = rule_set(json!([
            {"conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
             "endpoint": {"url": "https://svc.{Region}.{P#dnsSuffix}",
                          "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}", "n": 1}]},
                          "headers": {"x-region": ["{Region}", "fixed"]}},
             "type": "endpoint"}
        ]));
        let ep = run(rules, json!({"Region": "eu-west-1"})).unwrap();
        assert_eq!(
            ep.to_json(),
            json!({"url": "https://svc.eu-west-1.amazonaws.com",
                   "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "eu-west-1", "n": 1}]},
                   "headers": {"x-region": ["eu-west-1", "fixed"]}})
        );
    }

    #[test]
    fn defaults_required_and_types() {
        let rules = rule_set(json!([
            {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, false]}],
             "endpoint": {"url": "https://default"}, "type": "endpoint"}
        ]));
        assert_eq!(run(rules.clone(), json!({})).unwrap().url, "https://default");
        assert_eq!(
            run(rules.clone(), json!({"Region": true})).unwrap_err().message(),
            "Value (Region) is the wrong type. Must be <class 'str'>."
        );
        let required = json!({"parameters": {"Region": {"type": "String", "required": true}}, "rules": []});
        assert_eq!(
            run(required, json!({})).unwrap_err().message(),
            "Cannot find value for required parameter Region"
        );
    }

    #[test]
    fn error_rules_and_fall_through() {
        let rules = rule_set(json!([
            // A tree whose rules all fail falls through to the next rule.
            {"conditions": [], "rules": [
                {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
                 "endpoint": {"url": {"ref": "Endpoint"}}, "type": "endpoint"}
            ], "type": "tree"},
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
             "error": "Invalid region: {Region}", "type": "error"},
            {"conditions": [], "error": "Invalid Configuration: Missing Region", "type": "error"}
        ]));
        assert_eq!(run(rules.clone(), json!({"Endpoint": "https://custom"})).unwrap().url, "https://custom");
        let err = run(rules.clone(), json!({"Region": "x"})).unwrap_err();
        assert_eq!(err, EndpointError::Rule("Invalid region: x".into()));
        assert_eq!(run(rules, json!({})).unwrap_err().message(), "Invalid Configuration: Missing Region");
    }

    #[test]
    fn assignments_are_scoped_to_their_rule() {
        let assign = |name: &str| json!({"fn": "isSet", "argv": [{"ref": "Region"}], "assign": name});
        // Sibling rules may assign the same name: each sees its own scope.
        let rules = rule_set(json!([
            {"conditions": [assign("A"), {"fn": "not", "argv": [{"ref": "A"}]}],
             "endpoint": {"url": "https://first"}, "type": "endpoint"},
            {"conditions": [assign("A")], "endpoint": {"url": "https://second"}, "type": "endpoint"}
        ]));
        assert_eq!(run(rules, json!({"Region": "r"})).unwrap().url, "https://second");
        // Assigning over a variable in scope is an error.
        let rules = rule_set(json!([{"conditions": [assign("Region")], "endpoint": {"url": "https://x"},
                                      "type": "endpoint"}]));
        assert_eq!(
            run(rules, json!({"Region": "r"})).unwrap_err().message(),
            "Assignment Region already exists in scoped variables and cannot be overwritten"
        );
    }

    #[test]
    fn conditions_fail_only_on_none_and_false() {
        let rules = rule_set(json!([
            {"conditions": [{"fn": "getAttr", "argv": [{"fn": "aws.parseArn", "argv": [{"ref": "Region"}]},
                                                       "region"], "assign": "R"}],
             "endpoint": {"url": "https://region-is-[{R}]"}, "type": "endpoint"},
            {"conditions": [], "endpoint": {"url": "https://fallback"}, "type": "endpoint"}
        ]));
        // An empty string is not `None`: the condition holds.
        assert_eq!(
            run(rules.clone(), json!({"Region": "arn:aws:s3:::b"})).unwrap().url,
            "https://region-is-[]"
        );
        assert_eq!(run(rules, json!({"Region": "not-an-arn"})).unwrap().url, "https://fallback");
    }

    #[test]
    fn no_match_and_bad_calls() {
        let rules = rule_set(json!([]));
        assert_eq!(
            run(rules, json!({"Region": "r", "UseFIPS": true})).unwrap_err().message(),
            "No endpoint found for parameters:\nRegion: r\nUseFIPS: True"
        );
        let rules = rule_set(
            json!([{"conditions": [{"fn": "split", "argv": ["a"]}], "error": "x", "type": "error"}]),
        );
        assert!(matches!(run(rules, json!({})), Err(EndpointError::Invalid(_))));
        let rules =
            rule_set(json!([{"conditions": [{"fn": "isSet", "argv": []}], "error": "x", "type": "error"}]));
        assert!(matches!(run(rules, json!({})), Err(EndpointError::Invalid(_))));
        let rules =
            rule_set(json!([{"conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "a"]}],
                                      "error": "x", "type": "error"}]));
        assert_eq!(
            run(rules, json!({})).unwrap_err().message(),
            "Both values must be strings, not <class 'NoneType'> and <class 'str'>."
        );
    }

    #[test]
    fn every_function_is_reachable() {
        let call = |f: &str, argv: Value| {
            let rules = rule_set(json!([{"conditions": [{"fn": f, "argv": argv, "assign": "Out"}],
                                         "endpoint": {"url": "https://x", "properties": {"out": "{Out}"}},
                                         "type": "endpoint"}]));
            run(rules, json!({"Region": "us-east-1"})).map(|ep| ep.properties["out"].clone())
        };
        assert_eq!(call("uriEncode", json!(["a/b"])).unwrap(), json!("a%2Fb"));
        assert_eq!(call("substring", json!([{"ref": "Region"}, 0, 2, false])).unwrap(), json!("us"));
        assert_eq!(call("isValidHostLabel", json!([{"ref": "Region"}, false])).unwrap(), json!("True"));
        assert_eq!(call("aws.isVirtualHostableS3Bucket", json!(["bucket", false])).unwrap(), json!("True"));
        assert_eq!(call("stringEquals", json!(["{Region}", "us-east-1"])).unwrap(), json!("True"));
        assert!(call("parseURL", json!(["https://h/p"])).is_ok());
        assert!(call("booleanEquals", json!([true, false])).is_err()); // false: no endpoint matches
    }
}
