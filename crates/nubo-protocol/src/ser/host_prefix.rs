//! Host prefixes: expand an operation's `endpoint.hostPrefix` template (`{AccountId}.`) with the
//! input's `hostLabel` members, each checked to be a valid piece of a host name.

use super::shapes::Ctx;
use super::{err, scalar};
use crate::SerializeError;
use nubo_model::Operation;
use serde_json::Value;

/// The expanded host prefix of `op`, if it has one.
pub(crate) fn expand(ctx: &Ctx, op: &Operation, input: &Value) -> Result<Option<String>, SerializeError> {
    let Some(template) = op.endpoint.as_ref().and_then(|e| e.host_prefix.as_deref()) else {
        return Ok(None);
    };
    let members = match &op.input {
        Some(r) => Some(&ctx.shape(&r.shape)?.members),
        None => None,
    };
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            return err(format!("unterminated label in host prefix {template:?}"));
        };
        let label = &rest[open + 1..open + close];
        let is_label = members.and_then(|m| m.get(label)).is_some_and(|r| r.host_label);
        if !is_label {
            return err(format!("host prefix label {label} is not a hostLabel member of the input"));
        }
        let value = match input.get(label) {
            Some(v) if !v.is_null() => scalar::string(v)?.into_owned(),
            _ => return err(format!("missing required parameter {label} for the host prefix")),
        };
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') {
            return err(format!(
                "invalid value for parameter {label}: {value:?}; it must contain only alphanumeric \
                 characters, hyphen, or period"
            ));
        }
        out.push_str(&value);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nubo_model::ServiceModel;
    use serde_json::json;

    fn model() -> ServiceModel {
        ServiceModel::from_json(
            br#"{"metadata":{"protocol":"json"},"operations":{
            "A":{"name":"A","input":{"shape":"In"},"endpoint":{"hostPrefix":"{AccountId}.data-"}},
            "B":{"name":"B","endpoint":{"hostPrefix":"fixed."}},
            "C":{"name":"C"}},
            "shapes":{"In":{"type":"structure","members":{"AccountId":{"shape":"S","hostLabel":true}}},
            "S":{"type":"string"}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn expands_labels_and_checks_them() {
        let m = model();
        let ctx = Ctx::new(&m);
        let a = m.operation("A").unwrap();
        assert_eq!(expand(&ctx, a, &json!({"AccountId": "123"})).unwrap().as_deref(), Some("123.data-"));
        assert!(expand(&ctx, a, &json!({"AccountId": "evil.com/"})).is_err());
        assert!(expand(&ctx, a, &json!({})).is_err());
        assert_eq!(expand(&ctx, m.operation("B").unwrap(), &json!({})).unwrap().as_deref(), Some("fixed."));
        assert_eq!(expand(&ctx, m.operation("C").unwrap(), &json!({})).unwrap(), None);
    }
}
