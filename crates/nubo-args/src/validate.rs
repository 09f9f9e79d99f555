//! Validation of an operation's input against the model before anything is sent, as botocore's
//! `ParamValidator` does it and with its messages: types, required members, unknown members,
//! minimum lengths and values (`min`; host labels at least 1), tagged unions and documents. As in
//! botocore, maximums, enums and patterns are not checked.

use nubo_model::{ServiceModel, Shape, ShapeRef, ShapeType};

use crate::pyval::{PyVal, float_repr};
use crate::shapes::{is_document, is_float, is_integer, is_json_value_header, resolve};
use crate::timestamp;

/// All problems found, one line each; empty when the input is valid.
pub(crate) fn validate(model: &ServiceModel, input: &Shape, params: &PyVal) -> Vec<String> {
    let mut v = Validator { model, errors: Vec::new() };
    v.check(params, input, None, "", 0);
    v.errors
}

/// `Parameter validation failed:` and the report, as botocore words the exception.
pub(crate) fn report(errors: &[String]) -> String {
    format!("Parameter validation failed:\n{}", errors.join("\n"))
}

const DICT: &str = "<class 'dict'>";
const LIST: &str = "<class 'list'>, <class 'tuple'>";
const STR: &str = "<class 'str'>";
const INT: &str = "<class 'int'>";
const FLOAT: &str = "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>";
const BOOL: &str = "<class 'bool'>";
const BLOB: &str = "<class 'bytes'>, <class 'bytearray'>, file-like object";
const TIMESTAMP: &str = "<class 'datetime.datetime'>, timestamp-string";
const DOCUMENT: &str =
    "<class 'str'>, <class 'int'>, <class 'bool'>, <class 'float'>, <class 'list'>, <class 'dict'>";

struct Validator<'m> {
    model: &'m ServiceModel,
    errors: Vec<String>,
}

fn display_name(name: &str) -> &str {
    if name.is_empty() { "input" } else { name.strip_prefix('.').unwrap_or(name) }
}

/// A model bound (`min`) as the model wrote it: integers without a decimal point.
fn bound(b: f64) -> String {
    if b.fract() == 0.0 && b.abs() < 1e15 { format!("{}", b as i64) } else { float_repr(b) }
}

impl Validator<'_> {
    fn invalid_type(&mut self, name: &str, value: &PyVal, valid: &str) {
        self.errors.push(format!(
            "Invalid type for parameter {}, value: {}, type: {}, valid types: {valid}",
            display_name(name),
            value.py_str(),
            value.type_repr()
        ));
    }

    /// botocore's `range_check`: `min` of the shape, else 1 for host labels.
    fn range(
        &mut self,
        name: &str,
        value: f64,
        shown: String,
        shape: &Shape,
        r: Option<&ShapeRef>,
        length: bool,
    ) {
        let min = match shape.min {
            Some(m) => Some(m),
            None if r.is_some_and(|r| r.host_label) => Some(1.0),
            None => None,
        };
        if let Some(min) = min
            && value < min
        {
            let (what, kind) = if length { ("length", "length") } else { ("value", "value") };
            self.errors.push(format!(
                "Invalid {what} for parameter {}, value: {shown}, valid min {kind}: {}",
                display_name(name),
                bound(min)
            ));
        }
    }

    fn check(&mut self, value: &PyVal, shape: &Shape, r: Option<&ShapeRef>, name: &str, depth: usize) {
        if depth > 512 {
            return;
        }
        if r.is_some_and(|r| is_json_value_header(r, shape)) {
            if contains_bytes(value) {
                self.errors.push(format!(
                    "Invalid parameter {} must be json serializable: Object of type bytes is not JSON serializable",
                    display_name(name)
                ));
            }
            return;
        }
        if shape.type_ == ShapeType::Structure && is_document(shape) {
            self.document(value, name);
            return;
        }
        match shape.type_ {
            ShapeType::Structure => self.structure(value, shape, name, depth),
            ShapeType::List => {
                let PyVal::List(items) = value else { return self.invalid_type(name, value, LIST) };
                self.range(name, items.len() as f64, items.len().to_string(), shape, r, true);
                let Some(member_ref) = shape.member.as_deref() else { return };
                let Some(member) = resolve(self.model, member_ref) else { return };
                for (i, item) in items.iter().enumerate() {
                    self.check(item, member, Some(member_ref), &format!("{name}[{i}]"), depth + 1);
                }
            }
            ShapeType::Map => {
                let PyVal::Dict(entries, _) = value else { return self.invalid_type(name, value, DICT) };
                let key = shape.key.as_deref().and_then(|k| resolve(self.model, k).map(|s| (k, s)));
                let val = shape.value.as_deref().and_then(|v| resolve(self.model, v).map(|s| (v, s)));
                for (k, v) in entries {
                    if let Some((kr, ks)) = key {
                        self.check(
                            &PyVal::Str(k.clone()),
                            ks,
                            Some(kr),
                            &format!("{name} (key: {k})"),
                            depth + 1,
                        );
                    }
                    if let Some((vr, vs)) = val {
                        self.check(v, vs, Some(vr), &format!("{name}.{k}"), depth + 1);
                    }
                }
            }
            ShapeType::String | ShapeType::Character | ShapeType::Unknown => {
                let PyVal::Str(s) = value else { return self.invalid_type(name, value, STR) };
                let len = s.chars().count();
                self.range(name, len as f64, len.to_string(), shape, r, true);
            }
            ShapeType::Boolean if !matches!(value, PyVal::Bool(_)) => self.invalid_type(name, value, BOOL),
            ShapeType::Blob if !matches!(value, PyVal::Str(_) | PyVal::Bytes(_)) => {
                self.invalid_type(name, value, BLOB)
            }
            ShapeType::Timestamp => {
                let ok = match value {
                    PyVal::Str(s) => timestamp::normalize(s).is_some(),
                    PyVal::Int(_) | PyVal::Float(_) | PyVal::Bool(_) => true,
                    _ => false,
                };
                if !ok {
                    self.invalid_type(name, value, TIMESTAMP);
                }
            }
            t if is_integer(t) => match value {
                // Python's bool is an int.
                PyVal::Int(i) => self.range(name, *i as f64, i.to_string(), shape, r, false),
                PyVal::Bool(b) => self.range(name, *b as i32 as f64, value.py_str(), shape, r, false),
                _ => self.invalid_type(name, value, INT),
            },
            t if is_float(t) => match value {
                PyVal::Int(i) => self.range(name, *i as f64, i.to_string(), shape, r, false),
                PyVal::Bool(b) => self.range(name, *b as i32 as f64, value.py_str(), shape, r, false),
                PyVal::Float(f) => self.range(name, *f, float_repr(*f), shape, r, false),
                _ => self.invalid_type(name, value, FLOAT),
            },
            _ => {}
        }
    }

    fn structure(&mut self, value: &PyVal, shape: &Shape, name: &str, depth: usize) {
        let PyVal::Dict(entries, _) = value else { return self.invalid_type(name, value, DICT) };
        let members: Vec<&str> = shape.members.keys().map(String::as_str).collect();
        if shape.union {
            if entries.is_empty() {
                self.errors.push(format!(
                    "Must set one of the following keys for tagged unionstructure {}: {}.",
                    display_name(name),
                    members.join(", ")
                ));
            } else if entries.len() > 1 {
                self.errors.push(format!(
                    "Invalid number of parameters set for tagged union structure {}. Can only set one of the \
                     following keys: {}.",
                    display_name(name),
                    members.join(", ")
                ));
            }
        }
        for required in &shape.required {
            if PyVal::dict_get(entries, required).is_none() {
                self.errors
                    .push(format!("Missing required parameter in {}: \"{required}\"", display_name(name)));
            }
        }
        let mut known = Vec::new();
        for (key, v) in entries {
            match shape.members.get(key) {
                Some(r) => known.push((key, v, r)),
                None => self.errors.push(format!(
                    "Unknown parameter in {}: \"{key}\", must be one of: {}",
                    display_name(name),
                    members.join(", ")
                )),
            }
        }
        for (key, v, r) in known {
            if let Some(member) = resolve(self.model, r) {
                self.check(v, member, Some(r), &format!("{name}.{key}"), depth + 1);
            }
        }
    }

    fn document(&mut self, value: &PyVal, name: &str) {
        match value {
            PyVal::None => {}
            PyVal::Dict(entries, _) => {
                for (k, v) in entries {
                    self.document(v, k);
                }
            }
            PyVal::List(items) => {
                for (i, v) in items.iter().enumerate() {
                    self.document(v, &format!("{name}[{i}]"));
                }
            }
            PyVal::Str(_) | PyVal::Int(_) | PyVal::Bool(_) | PyVal::Float(_) => {}
            PyVal::Bytes(_) => self.errors.push(format!(
                "Invalid type for document parameter {}, value: {}, type: {}, valid types: {DOCUMENT}",
                display_name(name),
                value.py_str(),
                value.type_repr()
            )),
        }
    }
}

fn contains_bytes(v: &PyVal) -> bool {
    match v {
        PyVal::Bytes(_) => true,
        PyVal::List(items) => items.iter().any(contains_bytes),
        PyVal::Dict(entries, _) => entries.iter().any(|(_, v)| contains_bytes(v)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pyjson::loads;
    use crate::pyval::DictKind;
    use crate::shapes::testing::model;

    const MODEL: &str = r#"{"metadata":{"protocol":"rest-xml"},"operations":{},"shapes":{
        "In":{"type":"structure","required":["Bucket","Key"],"members":{
            "Bucket":{"shape":"Name","location":"uri","hostLabel":true},
            "Key":{"shape":"KeyName"},"Count":{"shape":"Count"},"Ratio":{"shape":"D"},"On":{"shape":"B"},
            "Tags":{"shape":"Tags"},"Meta":{"shape":"Meta"},"When":{"shape":"T"},"Data":{"shape":"Blob"},
            "Choice":{"shape":"U"},"Doc":{"shape":"Doc"},"Policy":{"shape":"S","location":"header","jsonvalue":true}}},
        "Name":{"type":"string"},"KeyName":{"type":"string","min":1,"max":3,"pattern":"^x$"},
        "Count":{"type":"integer","min":1},"D":{"type":"double","min":0.5},"B":{"type":"boolean"},
        "Tags":{"type":"list","member":{"shape":"Tag"},"min":1},
        "Tag":{"type":"structure","required":["K"],"members":{"K":{"shape":"S"},"V":{"shape":"S"}}},
        "Meta":{"type":"map","key":{"shape":"KeyName"},"value":{"shape":"S"}},
        "T":{"type":"timestamp"},"Blob":{"type":"blob"},"S":{"type":"string","enum":["a"]},
        "U":{"type":"structure","union":true,"members":{"A":{"shape":"S"},"B":{"shape":"S"}}},
        "Doc":{"type":"structure","members":{},"document":true}}}"#;

    fn check(json: &str) -> Vec<String> {
        let m = model(MODEL);
        let v = loads(json, DictKind::Plain).unwrap();
        validate(&m, m.shape("In").unwrap(), &v)
    }

    #[test]
    fn valid_input_passes() {
        assert!(
            check(
                r#"{"Bucket":"b","Key":"k","Count":1,"Ratio":1,"On":true,"Tags":[{"K":"q"}],
            "Meta":{"a":"b"},"When":"2014-01-01","Data":"abc","Choice":{"A":"x"},"Doc":{"a":[1,null]},
            "Policy":"zzz"}"#
            )
            .is_empty()
        );
        // Enums, maximums and patterns are not checked; Python's bool is an int.
        assert!(
            check(r#"{"Bucket":"b","Key":"kkkkk","Count":true,"Tags":[{"K":"not-in-enum"}]}"#).is_empty()
        );
    }

    /// Messages as botocore 1.43.11's `validate_parameters` words them for the same model and input.
    #[test]
    fn reports_like_botocore() {
        assert_eq!(
            check("{}"),
            [
                "Missing required parameter in input: \"Bucket\"",
                "Missing required parameter in input: \"Key\""
            ]
        );
        assert_eq!(
            check(r#"{"Bucket":"","Key":"","Zzz":1}"#),
            [
                "Unknown parameter in input: \"Zzz\", must be one of: Bucket, Key, Count, Ratio, On, Tags, Meta, When, Data, Choice, Doc, Policy",
                "Invalid length for parameter Bucket, value: 0, valid min length: 1",
                "Invalid length for parameter Key, value: 0, valid min length: 1"
            ]
        );
        assert_eq!(
            check(r#"{"Bucket":"b","Key":"k","Count":0,"Ratio":0.25,"On":"yes","Tags":[]}"#),
            [
                "Invalid value for parameter Count, value: 0, valid min value: 1",
                "Invalid value for parameter Ratio, value: 0.25, valid min value: 0.5",
                "Invalid type for parameter On, value: yes, type: <class 'str'>, valid types: <class 'bool'>",
                "Invalid length for parameter Tags, value: 0, valid min length: 1"
            ]
        );
        assert_eq!(
            check(r#"{"Bucket":"b","Key":"k","Tags":[{"V":1}],"Meta":{"":"x"},"When":"soon","Data":5}"#),
            [
                "Missing required parameter in Tags[0]: \"K\"",
                "Invalid type for parameter Tags[0].V, value: 1, type: <class 'int'>, valid types: <class 'str'>",
                "Invalid length for parameter Meta (key: ), value: 0, valid min length: 1",
                "Invalid type for parameter When, value: soon, type: <class 'str'>, valid types: <class 'datetime.datetime'>, timestamp-string",
                "Invalid type for parameter Data, value: 5, type: <class 'int'>, valid types: <class 'bytes'>, <class 'bytearray'>, file-like object"
            ]
        );
        assert_eq!(
            check(r#"{"Bucket":"b","Key":"k","Choice":{},"Count":1.5,"Tags":{"K":"a"}}"#),
            [
                "Must set one of the following keys for tagged unionstructure Choice: A, B.",
                "Invalid type for parameter Count, value: 1.5, type: <class 'float'>, valid types: <class 'int'>",
                "Invalid type for parameter Tags, value: {'K': 'a'}, type: <class 'dict'>, valid types: <class 'list'>, <class 'tuple'>"
            ]
        );
        assert_eq!(
            check(r#"{"Bucket":"b","Key":"k","Choice":{"A":"a","B":"b"}}"#),
            [
                "Invalid number of parameters set for tagged union structure Choice. Can only set one of the following keys: A, B."
            ]
        );
        let m = model(MODEL);
        let v = PyVal::Dict(
            vec![
                ("Bucket".into(), PyVal::Str("b".into())),
                ("Key".into(), PyVal::Str("k".into())),
                ("Doc".into(), PyVal::Dict(vec![("x".into(), PyVal::Bytes(b"1".to_vec()))], DictKind::Plain)),
            ],
            DictKind::Plain,
        );
        assert_eq!(
            validate(&m, m.shape("In").unwrap(), &v),
            [
                "Invalid type for document parameter x, value: b'1', type: <class 'bytes'>, valid types: <class 'str'>, <class 'int'>, <class 'bool'>, <class 'float'>, <class 'list'>, <class 'dict'>"
            ]
        );
        assert_eq!(report(&["a".into(), "b".into()]), "Parameter validation failed:\na\nb");
    }
}
