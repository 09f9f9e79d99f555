//! Presigned URLs for any operation a URL can express (`s3 presign`, `presign`, `eks get-token`, RDS
//! and DSQL auth tokens). A presign prepares the operation's request exactly as a call would
//! (serializer, endpoint rules, addressing style, configured endpoints), then shapes it the way the AWS
//! SDK for Python presigns: S3's global endpoint where it would use it, the client's region as the
//! signing region, a form-encoded body moved into the query, no user agent; and signs it in the query
//! string (`X-Amz-Expires`, S3 with `UNSIGNED-PAYLOAD`).

pub mod query;

use crate::error::{Error, Result};
use crate::session::Session;
use nubo_client::{Auth, EndpointConfig, Service};
use nubo_model::Operation;
use serde_json::Value;
use std::time::Duration;

/// One request to presign.
pub struct Presign<'a> {
    pub service: &'a Service,
    pub op: &'a Operation,
    pub input: &'a Value,
    /// The HTTP method the URL is for; by default the operation's, or GET when its input travels in
    /// a form body (query protocols).
    pub method: Option<String>,
    pub expires_in: u64,
    /// Headers signed in besides `host`; whoever uses the URL must send them.
    pub headers: Vec<(String, String)>,
    /// Keys to sign with instead of the credential chain's.
    pub credentials: Option<nubo_sign::Credentials>,
}

/// Prepares, shapes and signs `p`, and returns the URL.
impl Session {
    pub fn presign(&self, p: Presign<'_>) -> Result<String> {
        let cfg = self.endpoint_config(p.service)?;
        let bucket = p.input.get("Bucket").and_then(Value::as_str);
        let bucket_is_arn = bucket.is_some_and(is_arn);
        let mut endpoint_cfg = cfg.clone();
        if p.service.name == "s3" && s3_global_endpoint(&cfg, p.op, bucket) {
            endpoint_cfg.region = "aws-global".into();
        }
        let mut prepared =
            nubo_client::prepare(p.service, p.op, p.input, &endpoint_cfg, self.globals.no_sign_request)?;
        // A presigned URL is signed for the client's region, not the rule set's; an ARN's region stays.
        if let Auth::SigV4 { signing_region, .. } = &mut prepared.auth
            && !bucket_is_arn
        {
            *signing_region = cfg.region.clone();
        }
        let form = take_form_body(&mut prepared)
            .map_err(|why| Error::Usage(format!("{} cannot be presigned: its request {why}", p.op.name)))?;
        prepared.headers.retain(|(n, _)| {
            !n.eq_ignore_ascii_case("user-agent") && !n.eq_ignore_ascii_case("content-length")
        });
        prepared.method = match (p.method, &form) {
            (Some(m), _) => m,
            (None, Some(_)) => "GET".into(),
            (None, None) => prepared.method,
        };
        let (base, q) = query::split_url(&prepared.url);
        let pairs = query::merge(query::parse(q), form.unwrap_or_default());
        prepared.url = match pairs.is_empty() {
            true => base.to_string(),
            false => format!("{base}?{}", query::encode(&pairs)),
        };
        prepared.headers.extend(p.headers);
        let creds = match (&prepared.auth, p.credentials) {
            (Auth::Anonymous, _) => None,
            (Auth::SigV4 { .. }, Some(c)) => Some(c),
            (Auth::SigV4 { .. }, None) => Some(self.credentials()?),
        };
        let time = self.signing_time()?;
        let signed =
            nubo_client::sign(&prepared, creds.as_ref(), time, Some(Duration::from_secs(p.expires_in)))?;
        Ok(signed.url)
    }
}

/// Takes a form-encoded body out of the request as query parameters. Any other body cannot travel in
/// a URL: the error says what the body is.
fn take_form_body(prepared: &mut nubo_client::Prepared) -> Result<Option<query::Pairs>, String> {
    if prepared.body.is_empty() {
        return Ok(None);
    }
    let content_type = prepared
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    if !content_type.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        let kind = if content_type.is_empty() { String::new() } else { format!(" ({content_type})") };
        return Err(format!("has a body{kind}, which a URL cannot carry"));
    }
    let pairs = query::parse(&String::from_utf8_lossy(&prepared.body));
    prepared.body.clear();
    prepared.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
    Ok(Some(pairs))
}

/// Whether the AWS CLI presigns this S3 request on the global endpoint (`bucket.s3.amazonaws.com`):
/// in the `aws` partition, without dual-stack, a `virtual` addressing style or regional us-east-1,
/// for a bucket that is a plain host label, not asked for path style, not an ARN nor a directory bucket.
fn s3_global_endpoint(cfg: &EndpointConfig, op: &Operation, bucket: Option<&str>) -> bool {
    if cfg.endpoint_url.is_some() {
        // The endpoint is given; the region would only change the signing region, set apart anyway.
        return false;
    }
    let style = cfg.s3_addressing_style.as_deref();
    let regional_us_east_1 =
        cfg.s3_us_east_1_regional_endpoint.as_deref() == Some("regional") && cfg.region == "us-east-1";
    if partition_name(&cfg.region).as_deref() != Some("aws")
        || cfg.use_dualstack
        || style == Some("virtual")
        || regional_us_east_1
    {
        return false;
    }
    let is_arn = bucket.is_some_and(is_arn);
    let path_required = bucket.is_some_and(|b| !is_host_label(b));
    let path_requested = if op.name == "GetBucketLocation" {
        true
    } else {
        !is_arn && !cfg.s3_accelerate && style == Some("path")
    };
    !path_required && !path_requested && !is_arn && !bucket.is_some_and(|b| b.ends_with("--x-s3"))
}

fn partition_name(region: &str) -> Option<String> {
    let partitions = nubo_client::service::partitions().ok()?;
    let outputs = partitions.partition_of(region).ok()?;
    outputs.get("name").and_then(Value::as_str).map(str::to_string)
}

/// An ARN as the SDK tells one: `arn:` and six `:`-separated fields.
fn is_arn(s: &str) -> bool {
    s.starts_with("arn:") && s.splitn(6, ':').count() == 6
}

/// 1 to 63 letters, digits and `-`, not starting or ending with `-`.
fn is_host_label(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_labels() {
        assert!(is_host_label("my-bucket1"));
        for bad in ["", "-a", "a-", "a.b", "a_b", &"a".repeat(64)] {
            assert!(!is_host_label(bad), "{bad}");
        }
        assert!(is_arn("arn:aws:s3:us-west-2:123456789012:accesspoint/x"));
        assert!(!is_arn("arn:aws:s3"));
    }
}
