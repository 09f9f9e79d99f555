//! The typed form of an `endpoint-rule-set-1` document, read straight from JSON text.
//!
//! Deserialization is written by hand against serde's visitor interface, rather than going through a
//! `serde_json::Value` tree: the S3 rule set is the largest document a command parses, and skipping the
//! intermediate tree keeps that cheap. Endpoint `properties` (free-form JSON, a fifth of the S3 document) are
//! kept as raw text and parsed only for the endpoint that a resolution returns.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::EndpointError;
use crate::param::Param;
use crate::template;

/// A parsed rule set: its parameters (in document order) and its rules.
#[derive(Debug, Clone)]
pub struct RuleSet {
    version: String,
    parameters: Vec<ParameterSpec>,
    pub(crate) rules: Vec<Rule>,
}

/// The type a rule-set parameter declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    String,
    Boolean,
    StringArray,
}

/// One parameter of a rule set.
#[derive(Debug, Clone)]
pub struct ParameterSpec {
    /// The parameter's name (`Region`, `UseFIPS`, ...).
    pub name: String,
    /// Its declared type.
    pub kind: ParamType,
    /// The built-in that feeds it (`AWS::Region`, `SDK::Endpoint`, ...), if any.
    pub built_in: Option<String>,
    /// The value used when none is given.
    pub default: Option<Param>,
    /// Whether resolution fails when it has neither a value nor a default.
    pub required: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub conditions: Vec<FnCall>,
    pub kind: RuleKind,
}

#[derive(Debug, Clone)]
pub(crate) enum RuleKind {
    Tree(Vec<Rule>),
    Endpoint(EndpointSpec),
    Error(Expr),
}

#[derive(Debug, Clone)]
pub(crate) struct EndpointSpec {
    pub url: Expr,
    /// The `properties` object as written (`None` when absent).
    pub properties: Option<Box<RawValue>>,
    pub headers: Vec<(String, Vec<Expr>)>,
}

/// An argument, URL, header value or error message: a literal, a template string, a reference to a
/// variable, or a function call.
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Str(String),
    Bool(bool),
    /// Any other literal (numbers, arrays, null); rare, so boxed to keep expressions small.
    Literal(Box<Value>),
    Template(String),
    Ref(String),
    Call(Box<FnCall>),
}

#[derive(Debug, Clone)]
pub(crate) struct FnCall {
    pub name: String,
    pub func: Func,
    pub args: Vec<Expr>,
    pub assign: Option<String>,
}

/// The functions of the standard library and the AWS extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    IsSet,
    Not,
    GetAttr,
    Substring,
    StringEquals,
    BooleanEquals,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    AwsPartition,
    AwsParseArn,
    AwsIsVirtualHostableS3Bucket,
    /// A name the interpreter does not know; calling it is an error (as in botocore, only when reached).
    Unknown,
}

impl Func {
    fn from_name(name: &str) -> Func {
        match name {
            "isSet" => Func::IsSet,
            "not" => Func::Not,
            "getAttr" => Func::GetAttr,
            "substring" => Func::Substring,
            "stringEquals" => Func::StringEquals,
            "booleanEquals" => Func::BooleanEquals,
            "uriEncode" => Func::UriEncode,
            "parseURL" => Func::ParseUrl,
            "isValidHostLabel" => Func::IsValidHostLabel,
            "aws.partition" => Func::AwsPartition,
            "aws.parseArn" => Func::AwsParseArn,
            "aws.isVirtualHostableS3Bucket" => Func::AwsIsVirtualHostableS3Bucket,
            _ => Func::Unknown,
        }
    }
}

impl RuleSet {
    /// Parses the text of an `endpoint-rule-set-1.json` document.
    pub fn from_json(bytes: &[u8]) -> Result<RuleSet, EndpointError> {
        serde_json::from_slice(bytes).map_err(|e| EndpointError::Parse(format!("endpoint rule set: {e}")))
    }

    /// Reads an already parsed `endpoint-rule-set-1` document.
    pub fn from_value(value: &Value) -> Result<RuleSet, EndpointError> {
        // Endpoint properties are kept as raw JSON text, which only the text parser can hand out.
        let text =
            serde_json::to_vec(value).map_err(|e| EndpointError::Parse(format!("endpoint rule set: {e}")))?;
        RuleSet::from_json(&text)
    }

    /// The document's `version` field.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The parameters, in document order.
    pub fn parameters(&self) -> &[ParameterSpec] {
        &self.parameters
    }

    /// The parameter named `name`.
    pub fn parameter(&self, name: &str) -> Option<&ParameterSpec> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

// ---- deserialization ----

impl<'de> Deserialize<'de> for RuleSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RuleSet;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an endpoint rule set object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RuleSet, A::Error> {
                let mut version = None;
                let mut parameters = None;
                let mut rules = None;
                while let Some(key) = map.next_key::<Key>()? {
                    match key.0.as_str() {
                        "version" => version = Some(map.next_value::<String>()?),
                        "parameters" => parameters = Some(map.next_value::<ParameterList>()?.0),
                        "rules" => rules = Some(map.next_value::<Vec<Rule>>()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(RuleSet {
                    version: version.unwrap_or_default(),
                    parameters: parameters.unwrap_or_default(),
                    rules: rules.ok_or_else(|| de::Error::missing_field("rules"))?,
                })
            }
        }
        d.deserialize_map(V)
    }
}

/// An object key, kept only as long as needed to dispatch on it.
struct Key(KeyBuf);

/// Most keys are short; this avoids allocating for them.
enum KeyBuf {
    Inline([u8; 24], usize),
    Heap(String),
}

impl KeyBuf {
    fn as_str(&self) -> &str {
        match self {
            KeyBuf::Inline(buf, len) => std::str::from_utf8(&buf[..*len]).unwrap_or(""),
            KeyBuf::Heap(s) => s,
        }
    }
}

impl Key {
    fn into_string(self) -> String {
        match self.0 {
            KeyBuf::Heap(s) => s,
            inline => inline.as_str().to_owned(),
        }
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                if v.len() <= 24 {
                    let mut buf = [0u8; 24];
                    buf[..v.len()].copy_from_slice(v.as_bytes());
                    Ok(Key(KeyBuf::Inline(buf, v.len())))
                } else {
                    Ok(Key(KeyBuf::Heap(v.to_owned())))
                }
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
                Ok(Key(KeyBuf::Heap(v)))
            }
        }
        d.deserialize_str(V)
    }
}

struct ParameterList(Vec<ParameterSpec>);

impl<'de> Deserialize<'de> for ParameterList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ParameterList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of parameter definitions")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ParameterList, A::Error> {
                let mut out = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    let raw = map.next_value::<RawParameter>()?;
                    let kind = match raw.kind.to_ascii_lowercase().as_str() {
                        "string" => ParamType::String,
                        "boolean" => ParamType::Boolean,
                        "stringarray" => ParamType::StringArray,
                        other => {
                            return Err(de::Error::custom(format!(
                                "Unknown parameter type: {other}. A parameter must be of type string, \
                                 boolean, or stringarray."
                            )));
                        }
                    };
                    let default = match raw.default {
                        None | Some(Value::Null) => None,
                        Some(v) => Some(Param::from_json(&v).ok_or_else(|| {
                            de::Error::custom(format!("parameter {name}: unsupported default {v}"))
                        })?),
                    };
                    out.push(ParameterSpec {
                        name,
                        kind,
                        built_in: raw.built_in,
                        default,
                        required: raw.required.unwrap_or(false),
                    });
                }
                Ok(ParameterList(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(serde::Deserialize)]
struct RawParameter {
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "builtIn")]
    built_in: Option<String>,
    default: Option<Value>,
    required: Option<bool>,
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Rule;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a rule object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Rule, A::Error> {
                let mut kind: Option<Key> = None;
                let mut conditions = None;
                let mut rules = None;
                let mut endpoint = None;
                let mut error = None;
                while let Some(key) = map.next_key::<Key>()? {
                    match key.0.as_str() {
                        "type" => kind = Some(map.next_value::<Key>()?),
                        "conditions" => conditions = Some(map.next_value::<Vec<FnCall>>()?),
                        "rules" => rules = Some(map.next_value::<Vec<Rule>>()?),
                        "endpoint" => endpoint = Some(map.next_value::<EndpointSpec>()?),
                        "error" => error = Some(map.next_value::<Expr>()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let kind = kind.ok_or_else(|| de::Error::missing_field("type"))?;
                let kind = match kind.0.as_str() {
                    "tree" => RuleKind::Tree(rules.ok_or_else(|| de::Error::missing_field("rules"))?),
                    "endpoint" => {
                        RuleKind::Endpoint(endpoint.ok_or_else(|| de::Error::missing_field("endpoint"))?)
                    }
                    "error" => RuleKind::Error(error.ok_or_else(|| de::Error::missing_field("error"))?),
                    other => {
                        return Err(de::Error::custom(format!(
                            "Unknown rule type: {other}. A rule must be of type tree, endpoint or error."
                        )));
                    }
                };
                Ok(Rule { conditions: conditions.unwrap_or_default(), kind })
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for EndpointSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = EndpointSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an endpoint object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EndpointSpec, A::Error> {
                let mut url = None;
                let mut properties = None;
                let mut headers = Vec::new();
                while let Some(key) = map.next_key::<Key>()? {
                    match key.0.as_str() {
                        "url" => url = Some(map.next_value::<Expr>()?),
                        "properties" => properties = Some(map.next_value::<Box<RawValue>>()?),
                        "headers" => headers = map.next_value::<HeaderList>()?.0,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(EndpointSpec {
                    url: url.ok_or_else(|| de::Error::missing_field("url"))?,
                    properties,
                    headers,
                })
            }
        }
        d.deserialize_map(V)
    }
}

struct HeaderList(Vec<(String, Vec<Expr>)>);

impl<'de> Deserialize<'de> for HeaderList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = HeaderList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of header names to lists of values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<HeaderList, A::Error> {
                let mut out = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    out.push((name, map.next_value::<Vec<Expr>>()?));
                }
                Ok(HeaderList(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for FnCall {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Expr::deserialize(d)? {
            Expr::Call(call) => Ok(*call),
            _ => Err(de::Error::custom("a condition must be a function call")),
        }
    }
}

impl<'de> Deserialize<'de> for Expr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Expr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a literal, a template string, a reference or a function call")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Expr, E> {
                self.visit_string(v.to_owned())
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Expr, E> {
                if template::is_template(&v) { Ok(Expr::Template(v)) } else { Ok(Expr::Str(v)) }
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Expr, E> {
                Ok(Expr::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Expr, E> {
                Ok(Expr::Literal(Box::new(Value::from(v))))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Expr, E> {
                Ok(Expr::Literal(Box::new(Value::from(v))))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Expr, E> {
                Ok(Expr::Literal(Box::new(Value::from(v))))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Expr, E> {
                Ok(Expr::Literal(Box::new(Value::Null)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Expr, A::Error> {
                let mut items = Vec::new();
                while let Some(v) = seq.next_element::<Value>()? {
                    items.push(v);
                }
                Ok(Expr::Literal(Box::new(Value::Array(items))))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Expr, A::Error> {
                let mut name: Option<String> = None;
                let mut args = None;
                let mut assign = None;
                let mut reference = None;
                while let Some(key) = map.next_key::<Key>()? {
                    match key.0.as_str() {
                        "fn" => name = Some(map.next_value::<String>()?),
                        "argv" => args = Some(map.next_value::<Vec<Expr>>()?),
                        "assign" => assign = Some(map.next_value::<String>()?),
                        "ref" => reference = Some(map.next_value::<String>()?),
                        _ => {
                            let other = key.into_string();
                            return Err(de::Error::custom(format!(
                                "unexpected key {other:?} in a function call or reference"
                            )));
                        }
                    }
                }
                if let Some(name) = name {
                    let func = Func::from_name(&name);
                    Ok(Expr::Call(Box::new(FnCall {
                        name,
                        func,
                        args: args.ok_or_else(|| de::Error::missing_field("argv"))?,
                        assign,
                    })))
                } else if let Some(r) = reference {
                    Ok(Expr::Ref(r))
                } else {
                    Err(de::Error::custom("an object in an expression must have `fn` or `ref`"))
                }
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_params_and_expressions() {
        let doc = br#"{
            "version": "1.0",
            "parameters": {
                "Region": {"builtIn": "AWS::Region", "required": false, "type": "String"},
                "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false, "type": "Boolean"},
                "Arns": {"type": "stringArray", "default": ["a"]}
            },
            "rules": [
                {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}], "assign": "R"}],
                 "rules": [{"conditions": [], "endpoint": {"url": "https://{Region}.x", "properties": {"a": 1},
                            "headers": {"h": ["v", "{Region}"]}}, "type": "endpoint"}],
                 "type": "tree"},
                {"documentation": "d", "conditions": [], "error": "no region", "type": "error"}
            ]
        }"#;
        let rs = RuleSet::from_json(doc).unwrap();
        assert_eq!(rs.version(), "1.0");
        let names: Vec<_> = rs.parameters().iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Region", "UseFIPS", "Arns"]);
        let fips = rs.parameter("UseFIPS").unwrap();
        assert_eq!(fips.kind, ParamType::Boolean);
        assert!(fips.required);
        assert_eq!(fips.default, Some(Param::Bool(false)));
        assert_eq!(fips.built_in.as_deref(), Some("AWS::UseFIPS"));
        assert_eq!(rs.parameter("Arns").unwrap().default, Some(Param::StringArray(vec!["a".into()])));
        assert_eq!(rs.rules.len(), 2);
        let RuleKind::Tree(inner) = &rs.rules[0].kind else { panic!("tree expected") };
        assert_eq!(rs.rules[0].conditions[0].func, Func::IsSet);
        assert_eq!(rs.rules[0].conditions[0].assign.as_deref(), Some("R"));
        let RuleKind::Endpoint(ep) = &inner[0].kind else { panic!("endpoint expected") };
        assert!(matches!(ep.url, Expr::Template(_)));
        assert!(matches!(ep.headers[0].1[0], Expr::Str(_)));
        assert!(matches!(ep.headers[0].1[1], Expr::Template(_)));
        assert!(matches!(rs.rules[1].kind, RuleKind::Error(Expr::Str(_))));

        let value: Value = serde_json::from_slice(doc).unwrap();
        assert_eq!(RuleSet::from_value(&value).unwrap().parameters().len(), 3);
    }

    #[test]
    fn rejects_bad_documents() {
        for doc in [
            &br#"{"parameters": {}, "rules": [{"conditions": [], "type": "other"}]}"#[..],
            br#"{"parameters": {"A": {"type": "number"}}, "rules": []}"#,
            br#"{"rules": [{"conditions": [{"ref": "A"}], "error": "x", "type": "error"}]}"#,
            br#"{"rules": [{"conditions": [], "error": {"x": 1}, "type": "error"}]}"#,
            br#"{"rules": [{"conditions": [], "type": "endpoint"}]}"#,
            br#"{"parameters": {}}"#,
            b"[",
        ] {
            assert!(RuleSet::from_json(doc).is_err(), "{}", String::from_utf8_lossy(doc));
        }
    }

    #[test]
    fn unknown_functions_parse() {
        let doc = br#"{"rules": [{"conditions": [{"fn": "split", "argv": ["a", ",", 0]}], "error": "x",
                        "type": "error"}]}"#;
        let rs = RuleSet::from_json(doc).unwrap();
        assert_eq!(rs.rules[0].conditions[0].func, Func::Unknown);
    }
}
