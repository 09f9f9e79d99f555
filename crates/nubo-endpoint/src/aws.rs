//! The AWS extensions of the rule language other than `aws.partition`: `aws.parseArn` and
//! `aws.isVirtualHostableS3Bucket`.

use serde_json::{Map, Value};

use crate::error::EndpointError;
use crate::functions::{host_label_ok, looks_like_ipv4, strip_final_newline};
use crate::python::py_type;

/// `aws.parseArn(value)`: `{partition, service, region, accountId, resourceId}` with the resource split on
/// `:` and `/`; `None` for anything that is not an ARN with a partition, a service and a resource.
pub(crate) fn parse_arn(value: &Value) -> Value {
    let Value::String(s) = value else { return Value::Null };
    if !s.starts_with("arn:") {
        return Value::Null;
    }
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    let [_, partition, service, region, account, resource] = parts[..] else { return Value::Null };
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return Value::Null;
    }
    let resource_id: Vec<Value> = resource.split([':', '/']).map(|p| Value::String(p.to_owned())).collect();
    let mut out = Map::new();
    out.insert("partition".into(), Value::String(partition.to_owned()));
    out.insert("service".into(), Value::String(service.to_owned()));
    out.insert("region".into(), Value::String(region.to_owned()));
    out.insert("accountId".into(), Value::String(account.to_owned()));
    out.insert("resourceId".into(), Value::Array(resource_id));
    Value::Object(out)
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: a host label (or dotted labels when allowed),
/// at least 3 characters, no upper case, and not shaped like an IPv4 address.
pub(crate) fn is_virtual_hostable_s3_bucket(
    value: &Value,
    allow_subdomains: &Value,
) -> Result<Value, EndpointError> {
    let s = match value {
        Value::Null => return Ok(Value::Bool(false)),
        Value::String(s) => s,
        other => {
            return Err(EndpointError::Invalid(format!(
                "aws.isVirtualHostableS3Bucket: value must be a string, not {}",
                py_type(other)
            )));
        }
    };
    let ok = s.chars().count() >= 3
        && s.to_lowercase() == *s
        && !looks_like_ipv4(strip_final_newline(s))
        && host_label_ok(s, *allow_subdomains == Value::Bool(true));
    Ok(Value::Bool(ok))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_arns() {
        assert_eq!(
            parse_arn(&json!("arn:aws:s3:us-west-2:123456789012:accesspoint/myendpoint")),
            json!({"partition": "aws", "service": "s3", "region": "us-west-2", "accountId": "123456789012",
                   "resourceId": ["accesspoint", "myendpoint"]})
        );
        assert_eq!(
            parse_arn(&json!("arn:aws:s3-outposts:r:a:outpost:op-01:accesspoint/x:y"))["resourceId"],
            json!(["outpost", "op-01", "accesspoint", "x", "y"])
        );
        assert_eq!(parse_arn(&json!("arn:aws:s3:::bucket"))["region"], json!(""));
        assert_eq!(parse_arn(&json!("arn:aws:s3:::")), json!(null));
        assert_eq!(parse_arn(&json!("arn::s3:::x")), json!(null));
        assert_eq!(parse_arn(&json!("arn:aws:s3::x")), json!(null));
        assert_eq!(parse_arn(&json!("notarn:aws:s3:r:a:x")), json!(null));
        assert_eq!(parse_arn(&json!(null)), json!(null));
    }

    #[test]
    fn virtual_hostable_buckets() {
        let ok = |s: &str, sub: bool| {
            is_virtual_hostable_s3_bucket(&json!(s), &json!(sub)).unwrap() == json!(true)
        };
        assert!(ok("bucket-name", false));
        assert!(!ok("ab", false));
        assert!(!ok("Bucket", false));
        assert!(!ok("192.168.1.1", true));
        assert!(!ok("a.b.c", false));
        assert!(ok("a.b.c", true));
        assert!(!ok("bucket_name", false));
        assert!(!ok("-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket(&json!(null), &json!(false)).unwrap().as_bool().unwrap());
    }
}
