//! The `query` and `ec2` protocols: the input flattened into dotted form fields
//! (`Filter.1.Name=…`) in a `POST /` form body after `Action` and `Version`.
//!
//! The dialects differ in names and lists: query uses `locationName` as is, wraps lists in
//! `.member.N` (or the member's name) unless flattened, and sends an empty list as `Name=`; ec2
//! prefers `queryName`, capitalizes every other name, and always writes lists as `.N`.

use super::encode;
use super::scalar;
use super::shapes::{Ctx, Member, as_array, as_object};
use super::timestamp::Format;
use crate::{Request, SerializeError};
use nubo_model::{Operation, ShapeType};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Query,
    Ec2,
}

pub(crate) fn serialize(
    ctx: &Ctx,
    op: &Operation,
    input: &Value,
    dialect: Dialect,
) -> Result<Request, SerializeError> {
    let version = ctx.model.metadata.api_version.clone().unwrap_or_default();
    let mut pairs = vec![("Action".to_string(), op.name.clone()), ("Version".to_string(), version)];
    if let (Some(r), false) = (&op.input, input.is_null()) {
        let m = ctx.resolve(r)?;
        Walker { ctx, dialect, out: &mut pairs }.structure(&m, input, "")?;
    }
    Ok(Request {
        method: if op.http.method.is_empty() { "POST".into() } else { op.http.method.clone() },
        uri: "/".into(),
        headers: vec![("Content-Type".into(), "application/x-www-form-urlencoded; charset=utf-8".into())],
        body: encode::form(&pairs).into_bytes(),
        host_prefix: None,
    })
}

struct Walker<'c, 'a> {
    ctx: &'c Ctx<'a>,
    dialect: Dialect,
    out: &'c mut Vec<(String, String)>,
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") }
}

impl<'a> Walker<'_, 'a> {
    /// The name of a structure member, map key or map value in this dialect.
    fn name(&self, m: &Member<'a>, default: &str) -> String {
        match self.dialect {
            Dialect::Query => m.serialized_name().unwrap_or(default).to_string(),
            Dialect::Ec2 => match (&m.r.query_name, m.serialized_name()) {
                (Some(q), _) => q.clone(),
                (None, Some(n)) => capitalize(n),
                (None, None) => capitalize(default),
            },
        }
    }

    fn value(&mut self, m: &Member<'a>, v: &Value, prefix: &str) -> Result<(), SerializeError> {
        match m.type_() {
            ShapeType::Structure => self.structure(m, v, prefix),
            ShapeType::List => self.list(m, v, prefix),
            ShapeType::Map => self.map(m, v, prefix),
            _ => {
                let text = scalar::text(m, v, Format::Iso8601)?;
                self.out.push((prefix.to_string(), text));
                Ok(())
            }
        }
    }

    fn structure(&mut self, m: &Member<'a>, v: &Value, prefix: &str) -> Result<(), SerializeError> {
        for (name, member, value) in self.ctx.set_members(m, v)? {
            let key = join(prefix, &self.name(&member, name));
            self.value(&member, value, &key)?;
        }
        Ok(())
    }

    fn list(&mut self, m: &Member<'a>, v: &Value, prefix: &str) -> Result<(), SerializeError> {
        let items = as_array(v, &m.r.shape)?;
        let item = self.ctx.child(m.shape.member.as_deref(), "member", &m.r.shape)?;
        let list_prefix = match self.dialect {
            Dialect::Ec2 => prefix.to_string(),
            Dialect::Query => {
                if items.is_empty() {
                    self.out.push((prefix.to_string(), String::new()));
                    return Ok(());
                }
                match (m.flattened(), item.serialized_name()) {
                    (false, name) => join(prefix, name.unwrap_or("member")),
                    // A flattened list takes its member's name in place of its own, unless the
                    // reference names itself.
                    (true, Some(name)) if m.r.location_name.is_none() => match prefix.rsplit_once('.') {
                        Some((parent, _)) => join(parent, name),
                        None => name.to_string(),
                    },
                    (true, _) => prefix.to_string(),
                }
            }
        };
        for (i, element) in items.iter().filter(|e| !e.is_null()).enumerate() {
            self.value(&item, element, &format!("{list_prefix}.{}", i + 1))?;
        }
        Ok(())
    }

    fn map(&mut self, m: &Member<'a>, v: &Value, prefix: &str) -> Result<(), SerializeError> {
        let entries = as_object(v, &m.r.shape)?;
        let key = self.ctx.child(m.shape.key.as_deref(), "key", &m.r.shape)?;
        let value = self.ctx.child(m.shape.value.as_deref(), "value", &m.r.shape)?;
        let base = if m.flattened() { prefix.to_string() } else { join(prefix, "entry") };
        let key_name = self.name(&key, "key");
        let value_name = self.name(&value, "value");
        for (i, (k, val)) in entries.iter().filter(|(_, x)| !x.is_null()).enumerate() {
            let entry = format!("{base}.{}", i + 1);
            self.value(&key, &Value::String(k.clone()), &format!("{entry}.{key_name}"))?;
            self.value(&value, val, &format!("{entry}.{value_name}"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nubo_model::ServiceModel;
    use serde_json::json;

    fn model(protocol: &str) -> ServiceModel {
        let text = r#"{"metadata":{"protocol":"PROTO","apiVersion":"2020-01-01"},
            "operations":{"Op":{"name":"Op","input":{"shape":"In"}}},
            "shapes":{"In":{"type":"structure","members":{
              "names":{"shape":"L"},
              "Flat":{"shape":"L","flattened":true},
              "FlatItem":{"shape":"LI","flattened":true},
              "tags":{"shape":"M","locationName":"tag"},
              "When":{"shape":"T"},
              "Q":{"shape":"S","queryName":"QueryName","locationName":"xml"}}},
            "L":{"type":"list","member":{"shape":"S"}},
            "LI":{"type":"list","member":{"shape":"S","locationName":"Item"}},
            "M":{"type":"map","key":{"shape":"S","locationName":"k"},"value":{"shape":"S"}},
            "T":{"type":"timestamp"},
            "S":{"type":"string"}}}"#
            .replace("PROTO", protocol);
        ServiceModel::from_json(text.as_bytes()).unwrap()
    }

    fn body(protocol: &str, input: Value) -> String {
        let m = model(protocol);
        let d = if protocol == "ec2" { Dialect::Ec2 } else { Dialect::Query };
        let r = serialize(&Ctx::new(&m), m.operation("Op").unwrap(), &input, d).unwrap();
        String::from_utf8(r.body).unwrap()
    }

    #[test]
    fn query_names_lists_and_maps() {
        assert_eq!(
            body("query", json!({"names": ["a", "b"], "Flat": ["c"], "FlatItem": ["d"], "tags": {"x": "y"}})),
            "Action=Op&Version=2020-01-01&names.member.1=a&names.member.2=b&Flat.1=c&Item.1=d\
             &tag.entry.1.k=x&tag.entry.1.value=y"
        );
        assert_eq!(body("query", json!({"names": []})), "Action=Op&Version=2020-01-01&names=");
        assert_eq!(body("query", json!({"Q": "v"})), "Action=Op&Version=2020-01-01&xml=v");
    }

    #[test]
    fn ec2_capitalizes_and_flattens() {
        assert_eq!(
            body("ec2", json!({"names": ["a"], "tags": {"x": "y"}, "Q": "v", "When": 0})),
            "Action=Op&Version=2020-01-01&Names.1=a&Tag.entry.1.K=x&Tag.entry.1.Value=y&QueryName=v\
             &When=1970-01-01T00%3A00%3A00Z"
        );
        assert_eq!(body("ec2", json!({"names": []})), "Action=Op&Version=2020-01-01");
    }

    #[test]
    fn rejects_unknown_members_and_bad_types() {
        let m = model("query");
        let op = m.operation("Op").unwrap();
        assert!(serialize(&Ctx::new(&m), op, &json!({"Nope": 1}), Dialect::Query).is_err());
        assert!(serialize(&Ctx::new(&m), op, &json!({"names": "a"}), Dialect::Query).is_err());
    }
}
