//! `--generate-cli-skeleton`: the sample input the CLI prints (JSON for `input`, YAML with
//! `# [REQUIRED]` and `Valid values are: ...` comments for `yaml-input`) and the sample output
//! (`output`), generated from the model as botocore's `ArgumentGenerator` does: empty strings (the
//! first enum value where there is one), `0`, `0.0`, `true`, the epoch for timestamps, one element per
//! list, a `KeyName` entry per map, and `{}` where a structure recurses.
//!
//! The YAML is written by hand: its comments (which no serde YAML crate writes) are part of the
//! output. The CLI's comments also hold the first sentence of each member's documentation, which
//! the bundled models do not keep, and its comment columns differ.

use nubo_model::{Operation, ServiceModel, Shape, ShapeType};
use serde::Serialize;
use serde_json::Value;

use crate::shapes::resolve;

/// Which skeleton `--generate-cli-skeleton` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkeletonKind {
    /// `--generate-cli-skeleton` or `--generate-cli-skeleton input`: JSON input.
    Input,
    /// `--generate-cli-skeleton yaml-input`.
    YamlInput,
    /// `--generate-cli-skeleton output`: a sample response, printed through the output formatter.
    Output,
}

/// A generated skeleton.
#[derive(Debug, Clone, PartialEq)]
pub enum Skeleton {
    /// Text to write to standard output as it is (ends with a newline).
    Text(String),
    /// A sample response, to print as a response is printed (`--output`, `--query`).
    Output(Value),
}

/// The skeleton `kind` for `op`.
pub fn skeleton(model: &ServiceModel, op: &Operation, kind: SkeletonKind) -> Skeleton {
    match kind {
        SkeletonKind::Input => {
            let skel = op
                .input
                .as_ref()
                .and_then(|r| resolve(model, r).map(|s| (r.shape.as_str(), s)))
                .map(|(name, s)| Gen::new(model, false, false).generate(name, s, "", &mut Vec::new()))
                .unwrap_or(Skel::Map(Vec::new()));
            Skeleton::Text(format!("{}\n", python_json(&skel.to_json())))
        }
        SkeletonKind::YamlInput => {
            let skel = op
                .input
                .as_ref()
                .and_then(|r| resolve(model, r).map(|s| (r.shape.as_str(), s)))
                .map(|(name, s)| Gen::new(model, false, true).generate(name, s, "", &mut Vec::new()))
                .unwrap_or(Skel::Map(Vec::new()));
            let mut out = String::new();
            match &skel {
                Skel::Map(entries) if !entries.is_empty() => yaml_map(entries, 0, &mut out),
                _ => out.push_str("{}\n"),
            }
            Skeleton::Text(out)
        }
        SkeletonKind::Output => {
            let skel = op
                .output
                .as_ref()
                .and_then(|r| resolve(model, r).map(|s| (r.shape.as_str(), s)))
                .map(|(name, s)| Gen::new(model, true, false).generate(name, s, "", &mut Vec::new()))
                .unwrap_or(Skel::Map(Vec::new()));
            Skeleton::Output(skel.to_json())
        }
    }
}

/// A skeleton value, with the comments the YAML form carries.
#[derive(Debug, Clone, PartialEq)]
enum Skel {
    Map(Vec<(String, Skel, Option<String>)>),
    List(Vec<Skel>),
    Str(String),
    Int,
    Float,
    Bool,
    Timestamp,
    Binary,
    Null,
}

impl Skel {
    fn to_json(&self) -> Value {
        match self {
            Skel::Map(entries) => {
                Value::Object(entries.iter().map(|(k, v, _)| (k.clone(), v.to_json())).collect())
            }
            Skel::List(items) => Value::Array(items.iter().map(Skel::to_json).collect()),
            Skel::Str(s) => Value::String(s.clone()),
            Skel::Int => Value::from(0),
            Skel::Float => Value::from(0.0),
            Skel::Bool => Value::Bool(true),
            Skel::Timestamp => Value::String("1970-01-01T00:00:00".into()),
            Skel::Binary | Skel::Null => Value::Null,
        }
    }
}

struct Gen<'m> {
    model: &'m ServiceModel,
    use_member_names: bool,
    /// Blobs are `!!binary ''` in the YAML form and null in the JSON forms.
    yaml: bool,
}

impl<'m> Gen<'m> {
    fn new(model: &'m ServiceModel, use_member_names: bool, yaml: bool) -> Gen<'m> {
        Gen { model, use_member_names, yaml }
    }

    fn generate(&self, shape_name: &str, shape: &Shape, name: &str, stack: &mut Vec<String>) -> Skel {
        if self.yaml && shape.type_ == ShapeType::Blob {
            return Skel::Binary;
        }
        stack.push(shape_name.to_string());
        let out = match shape.type_ {
            ShapeType::Structure => {
                if stack.iter().filter(|s| *s == shape_name).count() > 1 || stack.len() > 64 {
                    Skel::Map(Vec::new())
                } else {
                    let mut entries = Vec::new();
                    for (member, r) in shape.members.iter() {
                        let Some(ms) = resolve(self.model, r) else { continue };
                        let value = self.generate(&r.shape, ms, member, stack);
                        let mut parts: Vec<String> = Vec::new();
                        if shape.required.iter().any(|m| m == member) {
                            parts.push("[REQUIRED]".into());
                        }
                        // The documentation overview, which the bundled models do not keep.
                        parts.push(String::new());
                        if !ms.enum_.is_empty() {
                            parts.push(format!("Valid values are: {}.", ms.enum_.join(", ")));
                        }
                        let comment = parts.join(" ");
                        let comment = (!comment.trim().is_empty()).then(|| format!("# {comment}"));
                        entries.push((member.clone(), value, comment));
                    }
                    Skel::Map(entries)
                }
            }
            ShapeType::List => {
                match shape.member.as_deref().and_then(|r| resolve(self.model, r).map(|s| (r, s))) {
                    Some((r, ms)) => {
                        let name = if self.use_member_names { r.shape.as_str() } else { "" };
                        Skel::List(vec![self.generate(&r.shape, ms, name, stack)])
                    }
                    None => Skel::List(Vec::new()),
                }
            }
            ShapeType::Map => {
                match shape.value.as_deref().and_then(|r| resolve(self.model, r).map(|s| (r, s))) {
                    Some((r, vs)) => {
                        Skel::Map(vec![("KeyName".into(), self.generate(&r.shape, vs, "", stack), None)])
                    }
                    None => Skel::Map(Vec::new()),
                }
            }
            ShapeType::String => {
                if self.use_member_names {
                    Skel::Str(name.to_string())
                } else {
                    Skel::Str(shape.enum_.first().cloned().unwrap_or_default())
                }
            }
            ShapeType::Integer | ShapeType::Long => Skel::Int,
            ShapeType::Float | ShapeType::Double => Skel::Float,
            ShapeType::Boolean => Skel::Bool,
            ShapeType::Timestamp => Skel::Timestamp,
            _ => Skel::Null,
        };
        stack.pop();
        out
    }
}

impl Skeleton {
    /// The text to print for `Text` skeletons.
    pub fn text(&self) -> Option<&str> {
        match self {
            Skeleton::Text(t) => Some(t),
            Skeleton::Output(_) => None,
        }
    }
}

/// `json.dumps(value, indent=4)`: four spaces, `": "` and `","`, non-ASCII escaped.
fn python_json(value: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if value.serialize(&mut ser).is_err() {
        return "{}".into();
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", u));
            }
        }
    }
    out
}

fn yaml_scalar(s: &Skel) -> String {
    match s {
        Skel::Str(t) => yaml_string(t),
        Skel::Int => "0".into(),
        Skel::Float => "0.0".into(),
        Skel::Bool => "true".into(),
        Skel::Timestamp => "1970-01-01 00:00:00".into(),
        Skel::Binary => "!!binary ''".into(),
        Skel::Null => "".into(),
        Skel::Map(_) => "{}".into(),
        Skel::List(_) => "[]".into(),
    }
}

/// A string, plain when YAML would read it back as the same string, else single-quoted.
fn yaml_string(t: &str) -> String {
    let special_words = ["null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE"];
    let looks_numeric = t.parse::<f64>().is_ok()
        || t.starts_with(['.', '+', '-']) && t[1..].parse::<f64>().is_ok()
        || t.bytes().next().is_some_and(|b| b.is_ascii_digit()) && t.contains(['-', ':']);
    let plain = !t.is_empty()
        && !special_words.contains(&t)
        && !looks_numeric
        && !t.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`',
            ' ',
        ])
        && !t.ends_with([' ', ':'])
        && !t.contains(": ")
        && !t.contains(" #")
        && t.chars().all(|c| !c.is_control());
    if plain { t.to_string() } else { format!("'{}'", t.replace('\'', "''")) }
}

fn comment_suffix(c: &Option<String>) -> String {
    c.as_ref().map(|c| format!(" {c}")).unwrap_or_default()
}

/// Block mapping at `indent` spaces; nested lists are not indented further (ruamel's default).
fn yaml_map(entries: &[(String, Skel, Option<String>)], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for (k, v, c) in entries {
        let key = yaml_string(k);
        match v {
            Skel::Map(inner) if !inner.is_empty() => {
                out.push_str(&format!("{pad}{key}:{}\n", comment_suffix(c)));
                yaml_map(inner, indent + 2, out);
            }
            Skel::List(items) if !items.is_empty() => {
                out.push_str(&format!("{pad}{key}:{}\n", comment_suffix(c)));
                yaml_list(items, indent, out);
            }
            scalar => out.push_str(&format!("{pad}{key}: {}{}\n", yaml_scalar(scalar), comment_suffix(c))),
        }
    }
}

fn yaml_list(items: &[Skel], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for item in items {
        match item {
            Skel::Map(inner) if !inner.is_empty() => {
                // The first entry shares the dash's line; the others line up under it.
                let mut first = String::new();
                yaml_map(&inner[..1], indent + 2, &mut first);
                out.push_str(&format!("{pad}- {}", &first[indent + 2..]));
                yaml_map(&inner[1..], indent + 2, out);
            }
            Skel::List(inner) if !inner.is_empty() => {
                let mut nested = String::new();
                yaml_list(inner, indent + 2, &mut nested);
                out.push_str(&format!("{pad}- {}", &nested[indent + 2..]));
            }
            scalar => out.push_str(&format!("{pad}- {}\n", yaml_scalar(scalar))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shapes::testing::model;

    const MODEL: &str = r#"{"metadata":{"protocol":"json"},"operations":{
        "Put":{"name":"Put","input":{"shape":"In"},"output":{"shape":"Out"}},
        "None":{"name":"None"}},
        "shapes":{
        "In":{"type":"structure","required":["Name","Item"],"members":{
            "Name":{"shape":"S"},"Acl":{"shape":"Acl"},"Size":{"shape":"I"},"Ratio":{"shape":"D"},"On":{"shape":"B"},
            "When":{"shape":"T"},"Data":{"shape":"Blob"},"Item":{"shape":"Attr"},"Tags":{"shape":"Tags"},
            "Nested":{"shape":"Node"},"Doc":{"shape":"Doc"}}},
        "Out":{"type":"structure","members":{"Id":{"shape":"S"},"Ids":{"shape":"Strs"},"At":{"shape":"T"}}},
        "Attr":{"type":"map","key":{"shape":"S"},"value":{"shape":"Val"}},
        "Val":{"type":"structure","members":{"S":{"shape":"S"},"NULL":{"shape":"B"},"L":{"shape":"Vals"}}},
        "Vals":{"type":"list","member":{"shape":"Val"}},
        "Tags":{"type":"list","member":{"shape":"Tag"}},
        "Tag":{"type":"structure","members":{"Key":{"shape":"S"},"Values":{"shape":"Strs"}}},
        "Strs":{"type":"list","member":{"shape":"S"}},
        "Node":{"type":"structure","members":{"Child":{"shape":"Node"}}},
        "Doc":{"type":"structure","members":{},"document":true},
        "S":{"type":"string"},"Acl":{"type":"string","enum":["private","public-read"]},"I":{"type":"integer"},
        "D":{"type":"double"},"B":{"type":"boolean"},"T":{"type":"timestamp"},"Blob":{"type":"blob"}}}"#;

    /// The JSON form as `json.dumps(ArgumentGenerator().generate_skeleton(shape), indent=4)` prints
    /// it (botocore 1.43.11, with the first enum value where botocore picks one at random).
    #[test]
    fn json_input_skeleton() {
        let m = model(MODEL);
        let Skeleton::Text(t) = skeleton(&m, m.operation("Put").unwrap(), SkeletonKind::Input) else {
            panic!()
        };
        let expected = r#"{
    "Name": "",
    "Acl": "private",
    "Size": 0,
    "Ratio": 0.0,
    "On": true,
    "When": "1970-01-01T00:00:00",
    "Data": null,
    "Item": {
        "KeyName": {
            "S": "",
            "NULL": true,
            "L": [
                {}
            ]
        }
    },
    "Tags": [
        {
            "Key": "",
            "Values": [
                ""
            ]
        }
    ],
    "Nested": {
        "Child": {}
    },
    "Doc": {}
}
"#;
        assert_eq!(t, expected);
        let Skeleton::Text(t) = skeleton(&m, m.operation("None").unwrap(), SkeletonKind::Input) else {
            panic!()
        };
        assert_eq!(t, "{}\n");
    }

    /// The YAML form, shaped as ruamel.yaml prints the CLI's generator output (values, quoting,
    /// nesting and comment text; the CLI aligns comments on other columns).
    #[test]
    fn yaml_input_skeleton() {
        let m = model(MODEL);
        let Skeleton::Text(t) = skeleton(&m, m.operation("Put").unwrap(), SkeletonKind::YamlInput) else {
            panic!()
        };
        let expected = "Name: '' # [REQUIRED] \nAcl: private #  Valid values are: private, public-read.\nSize: 0\n\
Ratio: 0.0\nOn: true\nWhen: 1970-01-01 00:00:00\nData: !!binary ''\nItem: # [REQUIRED] \n  KeyName:\n    S: ''\n    \
'NULL': true\n    L:\n    - {}\nTags:\n- Key: ''\n  Values:\n  - ''\nNested:\n  Child: {}\nDoc: {}\n";
        assert_eq!(t, expected);
    }

    #[test]
    fn output_skeleton_uses_member_names() {
        let m = model(MODEL);
        let Skeleton::Output(v) = skeleton(&m, m.operation("Put").unwrap(), SkeletonKind::Output) else {
            panic!()
        };
        assert_eq!(v, serde_json::json!({"Id": "Id", "Ids": ["S"], "At": "1970-01-01T00:00:00"}));
    }

    #[test]
    fn yaml_strings_are_quoted_when_needed() {
        assert_eq!(yaml_string("plain"), "plain");
        assert_eq!(yaml_string("aws:kms"), "aws:kms");
        assert_eq!(yaml_string(""), "''");
        assert_eq!(yaml_string("NULL"), "'NULL'");
        assert_eq!(yaml_string("1.0"), "'1.0'");
        assert_eq!(yaml_string("2012-10-17"), "'2012-10-17'");
        assert_eq!(yaml_string("it's: x"), "'it''s: x'");
        assert_eq!(python_json(&serde_json::json!({"a": "é"})), "{\n    \"a\": \"\\u00e9\"\n}");
    }
}
