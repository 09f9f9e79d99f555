//! Route 53: an id given with its resource-type prefix, as other Route 53 operations return it
//! (`/hostedzone/Z1`, `/change/C123`, `/delegationset/N1`), is cut to its last path segment, as
//! botocore's `fix_route53_ids` does; `route53 get-change --id /change/C123` then requests
//! `/2013-04-01/change/C123` instead of doubling the prefix.

use nubo_model::{Operation, ServiceModel};
use serde_json::Value;
use std::borrow::Cow;

/// The shapes whose members carry such ids.
const ID_SHAPES: [&str; 3] = ["ResourceId", "DelegationSetId", "ChangeId"];

/// Cuts every top-level id member of `op`'s input to its last `/`-separated segment.
pub(super) fn fix_ids(model: &ServiceModel, op: &Operation, input: &mut Cow<'_, Value>) {
    let Some(shape) = op.input.as_ref().and_then(|r| model.shapes.get(&r.shape)) else { return };
    for (name, member) in shape.members.iter() {
        if !ID_SHAPES.contains(&member.shape.as_str()) {
            continue;
        }
        let Some(Value::String(id)) = input.get(name.as_str()) else { continue };
        let Some((_, last)) = id.rsplit_once('/') else { continue };
        let last = Value::String(last.to_string());
        super::set_member(input, name, last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model() -> ServiceModel {
        ServiceModel::from_json(
            br#"{"metadata":{"protocol":"rest-xml"},"operations":{
              "GetChange":{"name":"GetChange","input":{"shape":"In"}}},"shapes":{
              "In":{"type":"structure","members":{"Id":{"shape":"ChangeId"},"Zone":{"shape":"ResourceId"},
                "Set":{"shape":"DelegationSetId"},"Name":{"shape":"DNSName"}}},
              "ChangeId":{"type":"string"},"ResourceId":{"type":"string"},"DelegationSetId":{"type":"string"},
              "DNSName":{"type":"string"}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn prefixed_ids_keep_their_last_segment() {
        let m = model();
        let op = m.operation("GetChange").unwrap();
        let input = json!({"Id": "/change/C123", "Zone": "/hostedzone/Z1", "Set": "/delegationset/N1",
            "Name": "a/b.example.com"});
        let mut fixed = Cow::Borrowed(&input);
        fix_ids(&m, op, &mut fixed);
        assert_eq!(*fixed, json!({"Id": "C123", "Zone": "Z1", "Set": "N1", "Name": "a/b.example.com"}));
        let plain = json!({"Id": "C123"});
        let mut same = Cow::Borrowed(&plain);
        fix_ids(&m, op, &mut same);
        assert!(matches!(same, Cow::Borrowed(_)), "nothing to change, nothing copied");
    }
}
