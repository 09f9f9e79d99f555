//! From an operation's input to an HTTP request on its resolved endpoint, and its signing.

use crate::checksum::{self, Algorithm};
use crate::customize;
use crate::endpoint_params::{self, EndpointConfig};
use crate::error::ClientError;
use crate::hooks;
use crate::service::{Service, partitions};
use nubo_http::Body as Payload;
use nubo_model::Operation;
use nubo_sign::{Body, Credentials, SigningOptions, SigningRequest};
use serde_json::Value;
use std::borrow::Cow;
use std::time::{Duration, SystemTime};

pub use crate::auth::{Auth, SigV4Params};

/// A serialized request on its endpoint, not yet signed.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// The body: bytes, or a file range read as the request is sent (never copied per attempt).
    pub body: Payload,
    /// The body's SHA-256 (hex) when the signature covers it, computed once (reading a file range
    /// once) so that retries re-sign without hashing or copying the body again.
    pub payload_sha256: Option<String>,
    pub auth: Auth,
    /// Which scheme was chosen and why, in one line (`auth: sigv4a (…) because …`).
    pub auth_why: String,
    /// What the response needs, decided while preparing.
    pub response: ResponseHooks,
}

/// What to do with the response to a prepared request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseHooks {
    /// The algorithms whose `x-amz-checksum-*` header, if the response has one, the body must
    /// match (see [`checksum::Validator`]).
    pub checksum_algorithms: Vec<Algorithm>,
    /// An S3 listing whose keys nubo asked to be URL-encoded: decode them (see [`crate::s3_encoding`]).
    pub decode_keys: bool,
}

/// The user agent nubo sends.
pub fn user_agent() -> String {
    format!("nubo/{} ({}; {})", env!("CARGO_PKG_VERSION"), std::env::consts::OS, std::env::consts::ARCH)
}

/// Serializes `input` for `op`, resolves the endpoint and decides the auth scheme.
pub fn prepare(
    service: &Service,
    op: &Operation,
    input: &Value,
    cfg: &EndpointConfig,
    no_sign_request: bool,
) -> Result<Prepared, ClientError> {
    prepare_with_payload(service, op, input, None, cfg, no_sign_request)
}

/// [`prepare`] with the operation's streaming payload member (`Body` of `PutObject`) given apart from
/// `input`, as bytes or a file range: it becomes the request body as it is, never base64 in JSON.
pub fn prepare_with_payload(
    service: &Service,
    op: &Operation,
    input: &Value,
    payload: Option<Payload>,
    cfg: &EndpointConfig,
    no_sign_request: bool,
) -> Result<Prepared, ClientError> {
    let op = customize::operation(&service.name, op);
    let params = hooks::params(&service.name, &service.model, &op, input);
    let mut input = Cow::Borrowed(params.as_ref());
    let response = ResponseHooks {
        decode_keys: crate::s3_encoding::prepare_input(&service.name, &op.name, &mut input),
        checksum_algorithms: checksum::prepare_input(&op, &cfg.checksums, &mut input),
    };
    let input = input.as_ref();
    let req = nubo_protocol::ser::serialize(&service.model, &op, input)
        .map_err(|e| ClientError::Serialize(e.to_string()))?;
    let endpoint = if service.has_rule_set() {
        let rule_set = service.rule_set()?;
        let params = endpoint_params::build(&rule_set, &service.model, &op, input, cfg);
        nubo_endpoint::resolve(&rule_set, &partitions()?, &params)
            .map_err(|e| ClientError::Endpoint(e.to_string()))?
    } else {
        legacy_endpoint(service, cfg)
    };
    let url = join_url(&endpoint.url, &req.uri, req.host_prefix.as_deref())?;
    let mut headers = vec![("User-Agent".to_string(), user_agent())];
    headers.extend(req.headers);
    let body = match payload {
        // Services whose hooks read the body (Glacier's tree hash) get it in memory.
        Some(p) if service.name == "glacier" => Payload::Bytes(p.to_bytes().map_err(payload_error)?),
        Some(p) => p,
        None => {
            let mut body = req.body;
            compress(&op, cfg.compression_min_size, &mut headers, &mut body);
            Payload::Bytes(body.into())
        }
    };
    if let Payload::Bytes(b) = &body {
        hooks::request(&service.name, &service.model, &op, &mut headers, b);
    }
    checksum::apply_request(&service.model, &op, input, &cfg.checksums, &mut headers, &body)?;
    for (name, values) in &endpoint.headers {
        headers.push((name.clone(), values.join(",")));
    }
    let auth_input = crate::auth::AuthInput {
        region: &cfg.region,
        no_sign_request,
        preference: &cfg.auth_scheme_preference,
        preference_source: &cfg.auth_scheme_preference_source,
        input,
    };
    let (auth, auth_why) = crate::auth::resolve(&service.model, &op, &endpoint.properties, &auth_input)?;
    let payload_sha256 = match auth.sigv4() {
        Some(p) if !p.unsigned_payload => Some(sha256_hex(&body)?),
        _ => None,
    };
    Ok(Prepared { method: req.method, url, headers, body, payload_sha256, auth, auth_why, response })
}

/// The SHA-256 of a body, read piece by piece.
fn sha256_hex(body: &Payload) -> Result<String, ClientError> {
    use sha2::Digest;
    if let Payload::File(nubo_http::FileRange { sha256: Some(known), .. }) = body {
        return Ok(known.clone());
    }
    let mut h = sha2::Sha256::new();
    body.for_each_chunk(|c| h.update(c)).map_err(payload_error)?;
    Ok(hex_lower(&h.finalize()))
}

fn hex_lower(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

pub(crate) fn payload_error(e: std::io::Error) -> ClientError {
    ClientError::Io(format!("Unable to read the request body: {e}"))
}

/// Gzips the body of an operation the model marks for request compression (`requestcompression`
/// with `gzip`), when it is at least `min_size` bytes, and says so in `Content-Encoding` (appended to
/// an encoding the request already has), as the AWS CLI does. `None` turns compression off.
pub fn compress(
    op: &Operation,
    min_size: Option<usize>,
    headers: &mut Vec<(String, String)>,
    body: &mut Vec<u8>,
) {
    let gzip = op
        .request_compression
        .as_ref()
        .and_then(|c| c.get("encodings"))
        .and_then(Value::as_array)
        .is_some_and(|e| e.iter().any(|x| x.as_str() == Some("gzip")));
    let Some(min) = min_size else { return };
    if !gzip || body.len() < min {
        return;
    }
    let mut enc =
        flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::default());
    if std::io::Write::write_all(&mut enc, body).is_err() {
        return;
    }
    let Ok(compressed) = enc.finish() else { return };
    *body = compressed;
    match headers.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case("Content-Encoding")) {
        Some((_, v)) => v.push_str(",gzip"),
        None => headers.push(("Content-Encoding".into(), "gzip".into())),
    }
}

/// The endpoint of a model without a rule set: the configured URL, else
/// `https://<endpointPrefix>.<region>.amazonaws.com`.
fn legacy_endpoint(service: &Service, cfg: &EndpointConfig) -> nubo_endpoint::Endpoint {
    let url = cfg.endpoint_url.clone().unwrap_or_else(|| {
        let prefix = service.model.metadata.endpoint_prefix.as_deref().unwrap_or(&service.name);
        format!("https://{prefix}.{}.amazonaws.com", cfg.region)
    });
    nubo_endpoint::Endpoint { url, properties: Default::default(), headers: Default::default() }
}

/// Joins the endpoint URL and the serialized path and query as botocore does: the endpoint's own path
/// first, a `/` when there is no path at all, and the host prefix in front of the host.
pub fn join_url(endpoint: &str, uri: &str, host_prefix: Option<&str>) -> Result<String, ClientError> {
    let (scheme, rest) = endpoint
        .split_once("://")
        .ok_or_else(|| ClientError::Endpoint(format!("invalid endpoint URL: {endpoint}")))?;
    let (authority, ep_path_query) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let (ep_path, ep_query) = match ep_path_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (ep_path_query, None),
    };
    let (path, query) = match uri.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (uri, None),
    };
    let new_path = if path.is_empty() || path == "/" {
        if ep_path.is_empty() { "/".to_string() } else { ep_path.to_string() }
    } else if ep_path.ends_with('/') && path.starts_with('/') {
        format!("{}{path}", &ep_path[..ep_path.len() - 1])
    } else {
        format!("{ep_path}{path}")
    };
    let mut url = format!("{scheme}://{}{authority}{new_path}", host_prefix.unwrap_or(""));
    let queries: Vec<&str> = [ep_query, query].into_iter().flatten().filter(|q| !q.is_empty()).collect();
    if !queries.is_empty() {
        url.push('?');
        url.push_str(&queries.join("&"));
    }
    Ok(url)
}

/// A request ready to send (or print).
#[derive(Debug, Clone)]
pub struct Signed {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Payload,
}

/// Signs a prepared request at `time` with its scheme (see [`crate::auth`]; unsigned for anonymous auth).
/// With `expires_in`, presigns: the signature goes into the URL's query.
pub fn sign(
    p: &Prepared,
    credentials: Option<&Credentials>,
    time: SystemTime,
    expires_in: Option<Duration>,
) -> Result<Signed, ClientError> {
    let Some(SigV4Params { signing_name, signing_region, s3_rules, unsigned_payload, .. }) = p.auth.sigv4()
    else {
        return crate::auth::sign_other(p, credentials, time);
    };
    let creds = credentials.ok_or_else(|| ClientError::Credentials("Unable to locate credentials".into()))?;
    let (creds, extra) = crate::auth::sigv4_identity(&p.auth, creds, expires_in.is_some());
    let creds = &creds;
    let mut req = SigningRequest {
        method: p.method.clone(),
        url: p.url.clone(),
        headers: p.headers.clone(),
        body: match &p.payload_sha256 {
            _ if (expires_in.is_some() && *s3_rules) || *unsigned_payload => Body::Unsigned,
            Some(hash) => Body::Sha256Hex(hash.clone()),
            None => Body::Sha256Hex(sha256_hex(&p.body)?),
        },
    };
    let mut opts = SigningOptions::new(signing_name.clone(), signing_region.clone(), time);
    opts.s3_rules = *s3_rules;
    opts.content_sha256_header = (*s3_rules || *unsigned_payload) && expires_in.is_none();
    opts.expires_in = expires_in;
    crate::auth::apply(&p.auth, &mut opts, &mut req, extra);
    nubo_sign::sign(&mut req, creds, &opts).map_err(|e| ClientError::Sign(e.to_string()))?;
    Ok(Signed { method: req.method, url: req.url, headers: req.headers, body: p.body.clone() })
}

#[cfg(test)]
mod tests {
    use super::join_url;

    #[test]
    fn large_bodies_of_compressible_operations_are_gzipped() {
        let op: nubo_model::Operation = serde_json::from_value(
            serde_json::json!({"name": "Put", "requestcompression": {"encodings": ["gzip"]}}),
        )
        .unwrap();
        let mut headers = vec![("Content-Encoding".to_string(), "custom".to_string())];
        let mut body = vec![b'a'; 20000];
        super::compress(&op, Some(10240), &mut headers, &mut body);
        assert_eq!(headers[0].1, "custom,gzip");
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut out).unwrap();
        assert_eq!(out, vec![b'a'; 20000]);
        let (mut small, mut h) = (vec![b'a'; 100], Vec::new());
        super::compress(&op, Some(10240), &mut h, &mut small);
        assert_eq!(small.len(), 100);
        let mut off = vec![b'a'; 20000];
        super::compress(&op, None, &mut h, &mut off);
        assert!(h.is_empty() && off.len() == 20000);
        let plain = nubo_model::Operation::default();
        super::compress(&plain, Some(1), &mut h, &mut off);
        assert!(h.is_empty());
    }

    #[test]
    fn urls_join_like_botocore() {
        let j = |e, u, h| join_url(e, u, h).unwrap();
        assert_eq!(j("https://sts.amazonaws.com", "/", None), "https://sts.amazonaws.com/");
        assert_eq!(j("https://sts.amazonaws.com", "", None), "https://sts.amazonaws.com/");
        assert_eq!(
            j("http://127.0.0.1:9000/bkt", "?list-type=2", None),
            "http://127.0.0.1:9000/bkt?list-type=2"
        );
        assert_eq!(j("http://127.0.0.1:9000/bkt", "/a/b", None), "http://127.0.0.1:9000/bkt/a/b");
        assert_eq!(j("https://x.com/base/", "/op", None), "https://x.com/base/op");
        assert_eq!(j("https://x.com", "/op?a=1", Some("data.")), "https://data.x.com/op?a=1");
        assert!(join_url("nohost", "/", None).is_err());
    }
}
