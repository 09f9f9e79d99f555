//! Presigned URLs for any operation a URL can express (`s3 presign`, `presign`, `eks get-token`, RDS
//! and DSQL auth tokens). A presign prepares the operation's request exactly as a call would
//! (serializer, endpoint rules, addressing style, configured endpoints), then shapes it the way the AWS
//! SDKs presign: a form-encoded body moved into the query, no user agent; and signs it in the query
//! string (`X-Amz-Expires`, S3 with `UNSIGNED-PAYLOAD`).

pub mod query;

use crate::error::{Error, Result};
use crate::session::Session;
use nubo_client::{Auth, Service};
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
        // As in the AWS CLI v2, the endpoint and signing region are the rule set's, as for a call
        // (v1 moved S3 presigns to the global endpoint); no checksum is computed for the URL's body.
        let mut cfg = self.endpoint_config(p.service)?;
        cfg.checksums.presign = true;
        let mut prepared =
            nubo_client::prepare(p.service, p.op, p.input, &cfg, self.globals.no_sign_request)?;
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
            (a, Some(c)) if a.uses_aws_credentials() => Some(c),
            (a, _) => self.identity_blocking(p.service, a)?,
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
    let body = prepared.body.to_bytes().map_err(|e| e.to_string())?;
    let pairs = query::parse(&String::from_utf8_lossy(&body));
    prepared.body = Default::default();
    prepared.payload_sha256 = None;
    prepared.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
    Ok(Some(pairs))
}
