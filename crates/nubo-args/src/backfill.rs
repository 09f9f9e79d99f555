//! The model-driven pass over a parsed shorthand value, as the CLI's `BackCompatVisitor` does it:
//! a single value where the model wants a list becomes a one-element list, integers and floats are
//! converted with Python's `int()` and `float()`, `true`/`false` (any case) become booleans, and
//! documents are refused (shorthand cannot type their values).

use nubo_model::{ServiceModel, Shape, ShapeType};

use crate::pyval::{PyVal, bytes_repr, py_float, py_int};
use crate::shapes::{is_document, is_float, is_integer, resolve};

/// Why the pass failed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BackfillError {
    /// Reported as a parameter error (`Error parsing parameter ...`).
    Param(String),
    /// A Python exception the CLI only reports through its catch-all handler.
    Other(String),
}

enum Fail {
    DocumentFound,
    Error(BackfillError),
}

/// Apply the pass to `value`, the shorthand value of an argument of shape `shape`. As in the CLI,
/// the argument itself is not wrapped or converted, only what it contains.
pub(crate) fn backfill(model: &ServiceModel, shape: &Shape, value: &mut PyVal) -> Result<(), BackfillError> {
    match visit(model, shape, value, true, 0) {
        Ok(()) => Ok(()),
        Err(Fail::Error(e)) => Err(e),
        // Only reachable if the argument itself is a document, which never takes shorthand.
        Err(Fail::DocumentFound) => Ok(()),
    }
}

fn visit(model: &ServiceModel, shape: &Shape, slot: &mut PyVal, top: bool, depth: usize) -> Result<(), Fail> {
    if depth > 256 {
        return Ok(());
    }
    match shape.type_ {
        ShapeType::Structure => {
            if !matches!(slot, PyVal::None) && is_document(shape) {
                return Err(Fail::DocumentFound);
            }
            let PyVal::Dict(entries, _) = slot else { return Ok(()) };
            for (member_name, member_ref) in shape.members.iter() {
                let Some(child) = entries.iter_mut().find(|(k, _)| k == member_name).map(|(_, v)| v) else {
                    continue;
                };
                let Some(member_shape) = resolve(model, member_ref) else { continue };
                match visit(model, member_shape, child, false, depth + 1) {
                    Ok(()) => {}
                    Err(Fail::DocumentFound) => {
                        return Err(Fail::Error(BackfillError::Param(format!(
                            "Shorthand syntax does not support document types. Use JSON input for top-level \
                             argument to specify nested parameter: {member_name}"
                        ))));
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(())
        }
        ShapeType::List => {
            if let PyVal::List(items) = slot {
                let Some(member) = shape.member.as_deref().and_then(|r| resolve(model, r)) else {
                    return Ok(());
                };
                for item in items.iter_mut() {
                    visit(model, member, item, false, depth + 1)?;
                }
            } else if !top && !matches!(slot, PyVal::None) {
                // `foo=bar` where a list is wanted means `["bar"]` (the element is not converted).
                let single = std::mem::replace(slot, PyVal::None);
                *slot = PyVal::List(vec![single]);
            }
            Ok(())
        }
        ShapeType::Map => {
            let PyVal::Dict(entries, _) = slot else { return Ok(()) };
            let Some(value_shape) = shape.value.as_deref().and_then(|r| resolve(model, r)) else {
                return Ok(());
            };
            for (_, v) in entries.iter_mut() {
                visit(model, value_shape, v, false, depth + 1)?;
            }
            Ok(())
        }
        t => {
            if top || matches!(slot, PyVal::None) {
                return Ok(());
            }
            if is_integer(t) {
                *slot = PyVal::Int(python_int(slot).map_err(|m| Fail::Error(BackfillError::Other(m)))?);
            } else if is_float(t) {
                *slot = PyVal::Float(python_float(slot).map_err(|m| Fail::Error(BackfillError::Other(m)))?);
            } else if t == ShapeType::Boolean {
                match slot {
                    PyVal::Str(s) => match s.to_lowercase().as_str() {
                        "true" => *slot = PyVal::Bool(true),
                        "false" => *slot = PyVal::Bool(false),
                        _ => {}
                    },
                    PyVal::Bytes(_) => {}
                    other => {
                        return Err(Fail::Error(BackfillError::Other(format!(
                            "'{}' object has no attribute 'lower'",
                            py_type_name(other)
                        ))));
                    }
                }
            }
            Ok(())
        }
    }
}

/// Python's `int(value)` on a shorthand value.
fn python_int(value: &PyVal) -> Result<i128, String> {
    match value {
        PyVal::Str(s) => py_int(s),
        PyVal::Int(i) => Ok(*i),
        PyVal::Bytes(b) => {
            let text = String::from_utf8_lossy(b);
            py_int(&text).map_err(|_| format!("invalid literal for int() with base 10: {}", bytes_repr(b)))
        }
        other => Err(format!(
            "int() argument must be a string, a bytes-like object or a real number, not '{}'",
            py_type_name(other)
        )),
    }
}

/// Python's `float(value)` on a shorthand value.
fn python_float(value: &PyVal) -> Result<f64, String> {
    match value {
        PyVal::Str(s) => py_float(s),
        PyVal::Float(f) => Ok(*f),
        PyVal::Bytes(b) => {
            let text = String::from_utf8_lossy(b);
            py_float(&text).map_err(|_| format!("could not convert string to float: {}", bytes_repr(b)))
        }
        other => {
            Err(format!("float() argument must be a string or a real number, not '{}'", py_type_name(other)))
        }
    }
}

fn py_type_name(v: &PyVal) -> &'static str {
    match v {
        PyVal::None => "NoneType",
        PyVal::Bool(_) => "bool",
        PyVal::Int(_) => "int",
        PyVal::Float(_) => "float",
        PyVal::Str(_) => "str",
        PyVal::Bytes(_) => "bytes",
        PyVal::List(_) => "list",
        PyVal::Dict(..) => "dict",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shapes::testing::model;
    use crate::shorthand::parse;

    const MODEL: &str = r#"{"metadata":{"protocol":"json"},"operations":{},"shapes":{
        "Filter":{"type":"structure","members":{"Name":{"shape":"S"},"Values":{"shape":"Strs"},
            "Count":{"shape":"I"},"Ratio":{"shape":"D"},"On":{"shape":"B"},"Doc":{"shape":"Doc"},
            "Ints":{"shape":"IntList"},"Tags":{"shape":"TagMap"}}},
        "Filters":{"type":"list","member":{"shape":"Filter"}},
        "TagMap":{"type":"map","key":{"shape":"S"},"value":{"shape":"I"}},
        "IntList":{"type":"list","member":{"shape":"I"}},
        "Strs":{"type":"list","member":{"shape":"S"}},
        "S":{"type":"string"},"I":{"type":"integer"},"D":{"type":"double"},"B":{"type":"boolean"},
        "Doc":{"type":"structure","members":{},"document":true}}}"#;

    fn run(text: &str) -> Result<String, BackfillError> {
        let m = model(MODEL);
        let mut v = parse(text).unwrap();
        backfill(&m, m.shape("Filter").unwrap(), &mut v)?;
        Ok(v.py_repr())
    }

    /// Expected values were printed by awscli 1.45.11's `ShorthandParser` and `BackCompatVisitor`
    /// on the same model.
    #[test]
    fn converts_per_model() {
        assert_eq!(run("Name=a,Values=b").unwrap(), "{'Name': 'a', 'Values': ['b']}");
        assert_eq!(run("Values=b,c").unwrap(), "{'Values': ['b', 'c']}");
        assert_eq!(run("Count=5,Ratio=1.5,On=TRUE").unwrap(), "{'Count': 5, 'Ratio': 1.5, 'On': True}");
        assert_eq!(run("On=yes").unwrap(), "{'On': 'yes'}");
        assert_eq!(run("Ints=7").unwrap(), "{'Ints': ['7']}");
        assert_eq!(run("Ints=[7,8]").unwrap(), "{'Ints': [7, 8]}");
        assert_eq!(run("Tags={a=1,b=2}").unwrap(), "{'Tags': {'a': 1, 'b': 2}}");
    }

    #[test]
    fn reports_errors_as_the_cli_does() {
        assert_eq!(
            run("Count=x").unwrap_err(),
            BackfillError::Other("invalid literal for int() with base 10: 'x'".into())
        );
        assert_eq!(
            run("Count=[1]").unwrap_err(),
            BackfillError::Other(
                "int() argument must be a string, a bytes-like object or a real number, not 'list'".into()
            )
        );
        assert_eq!(
            run("Doc={a=b}").unwrap_err(),
            BackfillError::Param(
                "Shorthand syntax does not support document types. Use JSON input for top-level argument to \
                 specify nested parameter: Doc"
                    .into()
            )
        );
    }
}
