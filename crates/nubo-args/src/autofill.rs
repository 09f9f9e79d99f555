//! Values the AWS CLI fills in before it validates the input, so that leaving them out is no error:
//! every top-level member with the `idempotencyToken` trait gets a fresh random UUID v4 (botocore's
//! `generate_idempotent_uuid`, e.g. `efs create-file-system`'s `CreationToken`), and Glacier's
//! `accountId` defaults to `-`, the caller's own account (botocore's `inject_account_id`; reached
//! when the input comes from `--cli-input-json`, which lifts the required-option check).

use nubo_model::{ServiceModel, Shape};

use crate::pyval::PyVal;

/// Fill what botocore's `before-parameter-build` handlers fill into `params`, the input of an
/// operation of `service` (the CLI command name) whose input shape is `input`.
pub(crate) fn fill(model: &ServiceModel, service: &str, input: &Shape, params: &mut Vec<(String, PyVal)>) {
    for (name, member) in input.members.iter() {
        if member.idempotency_token && PyVal::dict_get(params, name).is_none() {
            params.push((name.to_string(), PyVal::Str(uuid::Uuid::new_v4().to_string())));
        }
    }
    let glacier = service == "glacier" || model.metadata.endpoint_prefix.as_deref() == Some("glacier");
    if glacier
        && input.members.get("accountId").is_some()
        && PyVal::dict_get(params, "accountId").is_none_or(|v| *v == PyVal::None)
    {
        PyVal::dict_set(params, "accountId".into(), PyVal::Str("-".into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> ServiceModel {
        crate::shapes::testing::model(
            r#"{"metadata":{"protocol":"rest-json","endpointPrefix":"glacier","apiVersion":"2012-06-01"},
            "operations":{},"shapes":{
            "In":{"type":"structure","required":["accountId","Token"],"members":{
              "accountId":{"shape":"S"},"Token":{"shape":"S","idempotencyToken":true},"Name":{"shape":"S"}}},
            "S":{"type":"string"}}}"#,
        )
    }

    #[test]
    fn tokens_and_the_glacier_account_are_filled_only_when_missing() {
        let m = model();
        let shape = m.shapes.get("In").unwrap();
        let mut params = vec![("Name".to_string(), PyVal::Str("n".into()))];
        fill(&m, "glacier", shape, &mut params);
        let PyVal::Str(token) = PyVal::dict_get(&params, "Token").unwrap() else { panic!("no token") };
        let parsed = uuid::Uuid::parse_str(token).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(PyVal::dict_get(&params, "accountId"), Some(&PyVal::Str("-".into())));

        let mut given = vec![
            ("Token".to_string(), PyVal::Str("mine".into())),
            ("accountId".to_string(), PyVal::Str("123456789012".into())),
        ];
        fill(&m, "glacier", shape, &mut given);
        assert_eq!(PyVal::dict_get(&given, "Token"), Some(&PyVal::Str("mine".into())));
        assert_eq!(PyVal::dict_get(&given, "accountId"), Some(&PyVal::Str("123456789012".into())));
    }
}
