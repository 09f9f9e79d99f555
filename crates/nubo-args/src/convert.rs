//! The processed input turned into the `serde_json::Value` the protocol serializers take: keys are
//! member names, blobs base64 strings (text blobs under `raw-in-base64-out` are their UTF-8 bytes),
//! timestamps ISO 8601 UTC strings or epoch seconds, documents as given.

use base64::Engine;
use nubo_model::{ServiceModel, Shape, ShapeType};
use serde_json::{Map, Value};

use crate::pyval::PyVal;
use crate::shapes::{is_document, resolve};
use crate::timestamp;

pub(crate) fn to_json(model: &ServiceModel, shape: Option<&Shape>, value: &PyVal) -> Value {
    convert(model, shape, value, 0)
}

fn b64(bytes: &[u8]) -> Value {
    Value::String(base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn convert(model: &ServiceModel, shape: Option<&Shape>, value: &PyVal, depth: usize) -> Value {
    let Some(shape) = shape.filter(|s| depth < 256 && !is_document(s)) else { return value.to_json_plain() };
    match (shape.type_, value) {
        (ShapeType::Structure, PyVal::Dict(entries, _)) => {
            let mut out = Map::new();
            for (k, v) in entries {
                let member = shape.members.get(k).and_then(|r| resolve(model, r));
                out.insert(k.clone(), convert(model, member, v, depth + 1));
            }
            Value::Object(out)
        }
        (ShapeType::Map, PyVal::Dict(entries, _)) => {
            let vs = shape.value.as_deref().and_then(|r| resolve(model, r));
            Value::Object(
                entries.iter().map(|(k, v)| (k.clone(), convert(model, vs, v, depth + 1))).collect(),
            )
        }
        (ShapeType::List, PyVal::List(items)) => {
            let member = shape.member.as_deref().and_then(|r| resolve(model, r));
            Value::Array(items.iter().map(|v| convert(model, member, v, depth + 1)).collect())
        }
        (ShapeType::Blob, PyVal::Bytes(b)) => b64(b),
        (ShapeType::Blob, PyVal::Str(s)) => b64(s.as_bytes()),
        (ShapeType::Timestamp, PyVal::Str(s)) => {
            timestamp::normalize(s).unwrap_or_else(|| Value::String(s.clone()))
        }
        (_, PyVal::Bytes(b)) => Value::String(String::from_utf8_lossy(b).into_owned()),
        _ => value.to_json_plain(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pyval::DictKind;
    use crate::shapes::testing::model;

    #[test]
    fn converts_per_shape() {
        let m = model(
            r#"{"metadata":{"protocol":"json"},"operations":{},"shapes":{
            "In":{"type":"structure","members":{"B":{"shape":"Blob"},"R":{"shape":"Blob"},"T":{"shape":"T"},
              "E":{"shape":"T"},"S":{"shape":"S"},"D":{"shape":"Doc"},"M":{"shape":"M"}}},
            "M":{"type":"map","key":{"shape":"S"},"value":{"shape":"T"}},
            "Blob":{"type":"blob"},"T":{"type":"timestamp"},"S":{"type":"string"},
            "Doc":{"type":"structure","members":{},"document":true}}}"#,
        );
        let v = PyVal::Dict(
            vec![
                ("B".into(), PyVal::Bytes(vec![0, 255])),
                ("R".into(), PyVal::Str("hi".into())),
                ("T".into(), PyVal::Str("2014-01-01 10:00".into())),
                ("E".into(), PyVal::Str("1400000000".into())),
                ("S".into(), PyVal::Bytes(b"text".to_vec())),
                ("D".into(), PyVal::Dict(vec![("x".into(), PyVal::Float(1.5))], DictKind::Ordered)),
                ("M".into(), PyVal::Dict(vec![("k".into(), PyVal::Int(5))], DictKind::Plain)),
                ("Unknown".into(), PyVal::Bool(true)),
            ],
            DictKind::Plain,
        );
        let out = to_json(&m, m.shape("In").ok(), &v);
        assert_eq!(
            out,
            serde_json::json!({"B":"AP8=","R":"aGk=","T":"2014-01-01T10:00:00Z","E":1400000000,"S":"text",
                "D":{"x":1.5},"M":{"k":5},"Unknown":true})
        );
    }
}
