//! `--cli-input-json` and `--cli-input-yaml`: a whole input given as one document (inline, or from
//! `file://`/`fileb://`), whose top-level keys fill the members not given as options. YAML is read
//! with `yaml_serde`; `!!binary` values become bytes (yaml_serde drops YAML's standard tags, so the
//! tag is renamed to a local one before parsing and the text is restored in strings afterwards).

use crate::error::ArgsError;
use crate::paramfile::{Loaded, get_paramfile};
use crate::pyjson::{loads, loads_bytes};
use crate::pyval::{DictKind, PyVal, int_json};

/// Which option gave the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Yaml,
}

/// Load the document; its top-level entries.
pub(crate) fn load(format: Format, value: &str) -> Result<Vec<(String, PyVal)>, ArgsError> {
    let (name, cli_name) = match format {
        Format::Json => ("cli-input-json", "--cli-input-json"),
        Format::Yaml => ("cli-input-yaml", "--cli-input-yaml"),
    };
    let loaded = get_paramfile(value).map_err(ArgsError::other)?;
    let doc = match format {
        Format::Json => {
            let parsed = match &loaded {
                Some(Loaded::Text(t)) => loads(t, DictKind::Plain),
                Some(Loaded::Bytes(b)) => loads_bytes(b, DictKind::Plain),
                None => loads(value, DictKind::Plain),
            };
            parsed.map_err(|_| ArgsError::param(name, "Invalid JSON received."))?
        }
        Format::Yaml => {
            let text = match &loaded {
                Some(Loaded::Text(t)) => t.clone(),
                Some(Loaded::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
                None => value.to_string(),
            };
            yaml(&text).ok_or_else(|| ArgsError::param(name, "Invalid YAML received."))?
        }
    };
    match doc {
        PyVal::Dict(entries, _) => Ok(entries),
        other => Err(ArgsError::param(
            cli_name,
            format!("Invalid type: expecting map, received {}", other.type_repr()),
        )),
    }
}

/// A YAML document as Python values (`None` when it is not valid YAML).
fn yaml(text: &str) -> Option<PyVal> {
    if text.trim().is_empty() {
        return Some(PyVal::None);
    }
    let value: yaml_serde::Value = yaml_serde::from_str(&mark_binary(text)).ok()?;
    Some(from_yaml(&value))
}

const BINARY_TAG: &str = "!nubo-yaml-binary";

/// `!!binary` standing alone (between white space) becomes a local tag yaml_serde keeps.
fn mark_binary(text: &str) -> String {
    const STD: &str = "!!binary";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(STD) {
        let before_ok = rest[..i].chars().next_back().is_none_or(char::is_whitespace)
            && (i > 0 || out.is_empty() || out.ends_with(char::is_whitespace));
        let after_ok = rest[i + STD.len()..].chars().next().is_none_or(char::is_whitespace);
        out.push_str(&rest[..i]);
        out.push_str(if before_ok && after_ok { BINARY_TAG } else { STD });
        rest = &rest[i + STD.len()..];
    }
    out.push_str(rest);
    out
}

fn from_yaml(v: &yaml_serde::Value) -> PyVal {
    use yaml_serde::Value as Y;
    match v {
        Y::Null => PyVal::None,
        Y::Bool(b) => PyVal::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                PyVal::Int(i as i128)
            } else if let Some(u) = n.as_u64() {
                PyVal::Int(u as i128)
            } else {
                PyVal::Float(n.as_f64().unwrap_or(0.0))
            }
        }
        Y::String(s) => PyVal::Str(s.replace(BINARY_TAG, "!!binary")),
        Y::Sequence(items) => PyVal::List(items.iter().map(from_yaml).collect()),
        Y::Mapping(map) => {
            let mut entries = Vec::new();
            for (k, v) in map {
                let key = match from_yaml(k) {
                    PyVal::Str(s) => s,
                    PyVal::Int(i) => int_json(i).to_string(),
                    other => other.py_str(),
                };
                PyVal::dict_set(&mut entries, key, from_yaml(v));
            }
            PyVal::Dict(entries, DictKind::Plain)
        }
        Y::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            if tag.trim_start_matches('!') == BINARY_TAG.trim_start_matches('!')
                && let Y::String(text) = &tagged.value
            {
                let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                if let Ok(bytes) = crate::blobs::b64decode(&compact) {
                    return PyVal::Bytes(bytes);
                }
            }
            from_yaml(&tagged.value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(v: &str) -> Result<String, String> {
        load(Format::Json, v).map(|e| PyVal::Dict(e, DictKind::Plain).py_repr()).map_err(|e| e.message)
    }

    fn yml(v: &str) -> Result<String, String> {
        load(Format::Yaml, v).map(|e| PyVal::Dict(e, DictKind::Plain).py_repr()).map_err(|e| e.message)
    }

    #[test]
    fn loads_json() {
        assert_eq!(json(r#"{"Bucket": "b", "Count": 2}"#).unwrap(), "{'Bucket': 'b', 'Count': 2}");
        assert_eq!(
            json("{").unwrap_err(),
            "Error parsing parameter 'cli-input-json': Invalid JSON received."
        );
        assert_eq!(
            json("[1]").unwrap_err(),
            "Error parsing parameter '--cli-input-json': Invalid type: expecting map, received <class 'list'>"
        );
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("in.json");
        std::fs::write(&f, r#"{"A": [1, 2.5]}"#).unwrap();
        assert_eq!(json(&format!("file://{}", f.display())).unwrap(), "{'A': [1, 2.5]}");
        let e = load(Format::Json, "file://no/such/input.json").unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::Other);
    }

    #[test]
    fn loads_yaml() {
        assert_eq!(
            yml("Bucket: b\nCount: 2\nOn: true\nList:\n- x\nData: !!binary aGk=\nText: 'a !!binary b'\n")
                .unwrap(),
            "{'Bucket': 'b', 'Count': 2, 'On': True, 'List': ['x'], 'Data': b'hi', 'Text': 'a !!binary b'}"
        );
        assert_eq!(yml("Data: !!binary |\n  aGVs\n  bG8=\n").unwrap(), "{'Data': b'hello'}");
        assert_eq!(
            yml("a: [").unwrap_err(),
            "Error parsing parameter 'cli-input-yaml': Invalid YAML received."
        );
        assert_eq!(
            yml("").unwrap_err(),
            "Error parsing parameter '--cli-input-yaml': Invalid type: expecting map, received <class 'NoneType'>"
        );
    }
}
