//! Changes to an operation's model that the AWS CLI makes before serializing, because the endpoint
//! rules already place what the model would place a second time.

use nubo_model::Operation;
use std::borrow::Cow;

/// The operation as it should be serialized for `service` (botocore service name).
pub fn operation<'a>(service: &str, op: &'a Operation) -> Cow<'a, Operation> {
    match service {
        // The rules put the bucket in the host or path; the model's `/{Bucket}` must go.
        "s3" if op.http.request_uri.starts_with("/{Bucket}") => {
            let mut o = op.clone();
            o.http.request_uri = o.http.request_uri["/{Bucket}".len()..].to_string();
            Cow::Owned(o)
        }
        // The rules add the `{AccountId}.` host prefix themselves when `RequiresAccountId` is set.
        "s3control"
            if op.endpoint.as_ref().and_then(|e| e.host_prefix.as_deref()) == Some("{AccountId}.")
                && op
                    .static_context_params
                    .get("RequiresAccountId")
                    .is_some_and(|p| p.value == serde_json::Value::Bool(true)) =>
        {
            let mut o = op.clone();
            o.endpoint = None;
            Cow::Owned(o)
        }
        _ => Cow::Borrowed(op),
    }
}
