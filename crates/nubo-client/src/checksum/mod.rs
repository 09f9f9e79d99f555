//! Flexible checksums as the AWS CLI v2 computes and checks them: the settings
//! (`request_checksum_calculation`, `response_checksum_validation`), the request side (an
//! `x-amz-checksum-*` header over the body for operations whose model has the `httpChecksum` or
//! `httpChecksumRequired` trait), and the response side (the body of a `GetObject` checked against
//! the checksum S3 returns, whole or as it streams, with [`Validator`]).
//!
//! Not yet: the trailer form (`aws-chunked` body with `x-amz-trailer`) that the CLI uses for
//! streaming uploads over HTTPS; nubo sends the checksum as a header over the in-memory body.

mod algorithm;

pub use algorithm::{Algorithm, Hasher};

use crate::error::ClientError;
use nubo_model::{Operation, ServiceModel};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// The algorithm the CLI v2 uses when an operation wants a checksum and the caller names none. (CLI
/// v1 and plain botocore use CRC32; CLI v2's botocore and s3transfer use CRC64NVME, for `s3api` and
/// the `s3` commands alike.)
pub const DEFAULT_ALGORITHM: Algorithm = Algorithm::Crc64Nvme;

/// The value of `request_checksum_calculation` or `response_checksum_validation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum When {
    /// Whenever the operation supports a checksum (the default).
    #[default]
    Supported,
    /// Only when the operation requires one (or the caller asks for one).
    Required,
}

impl FromStr for When {
    type Err = String;
    fn from_str(s: &str) -> Result<When, String> {
        match s.to_ascii_lowercase().as_str() {
            "when_supported" => Ok(When::Supported),
            "when_required" => Ok(When::Required),
            _ => Err(s.to_string()),
        }
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            When::Supported => "when_supported",
            When::Required => "when_required",
        })
    }
}

/// The checksum settings of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Checksums {
    /// `request_checksum_calculation` / `AWS_REQUEST_CHECKSUM_CALCULATION`.
    pub request: When,
    /// `response_checksum_validation` / `AWS_RESPONSE_CHECKSUM_VALIDATION`.
    pub response: When,
    /// The request is being presigned: whoever uses the URL sends the body, so no checksum is
    /// added unless the caller named an algorithm (as botocore does).
    pub presign: bool,
}

impl Checksums {
    /// The error for a setting whose value is neither `when_supported` nor `when_required`.
    pub fn invalid(setting: &str, value: &str) -> String {
        format!(
            "Unsupported configuration value for {setting}. Expected one of ('when_supported', 'when_required') but got {value}."
        )
    }

    /// The algorithm an upload by the transfer engine names in `ChecksumAlgorithm` (PutObject,
    /// CreateMultipartUpload, UploadPart), as s3transfer does: the default algorithm when
    /// checksums are calculated whenever supported, else none.
    pub fn upload_algorithm(&self) -> Option<Algorithm> {
        (self.request == When::Supported).then_some(DEFAULT_ALGORITHM)
    }
}

/// The names of the headers that already carry a checksum (`x-amz-checksum-*`, as botocore matches
/// them: the mode and algorithm headers count too).
fn is_checksum_header(name: &str) -> bool {
    name.len() > 15
        && name[..15].eq_ignore_ascii_case("x-amz-checksum-")
        && name[15..].bytes().all(|b| b.is_ascii_alphanumeric())
}

fn trait_str<'a>(op: &'a Operation, key: &str) -> Option<&'a str> {
    op.http_checksum.as_ref()?.get(key)?.as_str()
}

/// Before serializing: sets the operation's validation mode member (`ChecksumMode=ENABLED`) when
/// responses are validated whenever supported and the caller did not set it. Returns the
/// algorithms a response may be checked with, in priority order (none when the mode is not set).
pub fn prepare_input(op: &Operation, cfg: &Checksums, input: &mut Cow<'_, Value>) -> Vec<Algorithm> {
    let Some(mode) = trait_str(op, "requestValidationModeMember") else { return Vec::new() };
    if cfg.response == When::Supported
        && input.get(mode).is_none()
        && let Some(obj) = input.to_mut().as_object_mut()
    {
        obj.insert(mode.to_string(), Value::String("ENABLED".into()));
    }
    if input.get(mode).is_none() {
        return Vec::new();
    }
    let listed: Vec<Algorithm> = op
        .http_checksum
        .as_ref()
        .and_then(|h| h.get("responseAlgorithms"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).filter_map(Algorithm::parse).collect())
        .unwrap_or_default();
    Algorithm::RESPONSE_PRIORITY.into_iter().filter(|a| listed.contains(a)).collect()
}

/// After serializing: adds the request checksum header (and the algorithm member's header when
/// the algorithm is the default) as botocore does, unless a checksum header is already there.
pub fn apply_request(
    model: &ServiceModel,
    op: &Operation,
    input: &Value,
    cfg: &Checksums,
    headers: &mut Vec<(String, String)>,
    body: &nubo_http::Body,
) -> Result<(), ClientError> {
    if headers.iter().any(|(n, _)| is_checksum_header(n)) {
        return Ok(());
    }
    let required = op.http_checksum_required
        || op
            .http_checksum
            .as_ref()
            .and_then(|h| h.get("requestChecksumRequired"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
    let member = trait_str(op, "requestAlgorithmMember");
    let algorithm = match member.and_then(|m| input.get(m)) {
        Some(v) => {
            let name = v.as_str().unwrap_or_default();
            Algorithm::parse(name).ok_or_else(|| {
                ClientError::Unsupported(format!(
                    "Unsupported checksum algorithm: {}",
                    name.to_ascii_lowercase()
                ))
            })?
        }
        None if cfg.presign => return Ok(()),
        None if required || (member.is_some() && cfg.request == When::Supported) => {
            if let Some(name) = member.and_then(|m| member_header(model, op, m)) {
                headers.push((name, DEFAULT_ALGORITHM.name().to_string()));
            }
            DEFAULT_ALGORITHM
        }
        None => return Ok(()),
    };
    let mut hasher = algorithm.hasher();
    body.for_each_chunk(|c| hasher.update(c)).map_err(crate::prepare::payload_error)?;
    headers.push((algorithm.header(), hasher.finish_base64()));
    Ok(())
}

/// The header the algorithm member is serialized to (`x-amz-sdk-checksum-algorithm`).
fn member_header(model: &ServiceModel, op: &Operation, member: &str) -> Option<String> {
    let shape = model.shape(&op.input.as_ref()?.shape).ok()?;
    let r = shape.members.get(member)?;
    (r.location.as_deref() == Some("header")).then(|| r.location_name.clone()).flatten()
}

/// A response checksum that does not match the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    pub algorithm: Algorithm,
    pub expected: String,
    pub computed: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Expected checksum {} did not match calculated checksum: {} ({})",
            self.expected, self.computed, self.algorithm
        )
    }
}

impl std::error::Error for Mismatch {}

/// Checks a response body as it arrives against the checksum its headers carry.
pub struct Validator {
    algorithm: Algorithm,
    expected: String,
    hasher: Hasher,
}

impl Validator {
    /// The validator for a response with `headers` (lower-case names), when one of `algorithms`
    /// (from [`prepare_input`]) has a header whose value is a whole-object checksum; composite
    /// checksums (`…-N`, of the parts of a multipart upload) are skipped, as botocore does.
    pub fn for_response(algorithms: &[Algorithm], headers: &[(String, String)]) -> Option<Validator> {
        algorithms.iter().find_map(|a| {
            let name = a.header();
            let value = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(&name)).map(|(_, v)| v)?;
            (!value.contains('-')).then(|| Validator {
                algorithm: *a,
                expected: value.trim().to_string(),
                hasher: a.hasher(),
            })
        })
    }

    pub fn update(&mut self, chunk: &[u8]) {
        self.hasher.update(chunk);
    }

    /// Ok when the body seen matches the expected checksum.
    pub fn finish(self) -> Result<(), Mismatch> {
        let computed = self.hasher.finish_base64();
        match computed == self.expected {
            true => Ok(()),
            false => Err(Mismatch { algorithm: self.algorithm, expected: self.expected, computed }),
        }
    }
}

/// Checks a whole response body (see [`Validator::for_response`]).
pub fn check_response(
    algorithms: &[Algorithm],
    headers: &[(String, String)],
    body: &[u8],
) -> Result<(), Mismatch> {
    match Validator::for_response(algorithms, headers) {
        Some(mut v) => {
            v.update(body);
            v.finish()
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn s3_op(name: &str) -> (ServiceModel, Operation) {
        let files = nubo_model::bundle::load("s3").expect("s3 in the bundle").unwrap();
        let svc = crate::Service::from_files("s3", files).unwrap();
        let op = svc.model.operations.get(name).unwrap().clone();
        (svc.model, op)
    }

    fn apply(name: &str, input: Value, cfg: Checksums, headers: &mut Vec<(String, String)>) {
        let (model, op) = s3_op(name);
        apply_request(&model, &op, &input, &cfg, headers, &b"hello"[..].into()).unwrap();
    }

    #[test]
    fn settings_parse() {
        assert_eq!("WHEN_REQUIRED".parse::<When>(), Ok(When::Required));
        assert_eq!("when_supported".parse::<When>(), Ok(When::Supported));
        assert!("always".parse::<When>().is_err());
        assert_eq!(Checksums::default().upload_algorithm(), Some(Algorithm::Crc64Nvme));
        let off = Checksums { request: When::Required, ..Default::default() };
        assert_eq!(off.upload_algorithm(), None);
    }

    #[test]
    fn request_checksums_follow_the_traits_and_settings() {
        let crc = Algorithm::Crc64Nvme.base64(b"hello");
        // Required: always, with the algorithm header.
        let mut h = Vec::new();
        let required = Checksums { request: When::Required, ..Default::default() };
        apply("PutBucketPolicy", json!({"Bucket": "b"}), required, &mut h);
        assert_eq!(
            h,
            [
                ("x-amz-sdk-checksum-algorithm".to_string(), "CRC64NVME".to_string()),
                ("x-amz-checksum-crc64nvme".to_string(), crc.clone())
            ]
        );
        // Supported only: when_supported adds it, when_required does not.
        let mut h = Vec::new();
        apply("PutObject", json!({"Bucket": "b", "Key": "k"}), Checksums::default(), &mut h);
        assert_eq!(h.len(), 2);
        let mut h = Vec::new();
        apply("PutObject", json!({"Bucket": "b", "Key": "k"}), required, &mut h);
        assert!(h.is_empty());
        // The caller's algorithm (its header comes from the serializer).
        let mut h = Vec::new();
        apply("PutObject", json!({"ChecksumAlgorithm": "sha256"}), required, &mut h);
        assert_eq!(h, [("x-amz-checksum-sha256".to_string(), Algorithm::Sha256.base64(b"hello"))]);
        // A checksum already there: nothing added.
        let mut h = vec![("X-Amz-Checksum-Crc32".to_string(), "AAAAAA==".to_string())];
        apply("PutBucketPolicy", json!({}), Checksums::default(), &mut h);
        assert_eq!(h.len(), 1);
        // Presigning: no default.
        let mut h = Vec::new();
        apply("PutObject", json!({}), Checksums { presign: true, ..Default::default() }, &mut h);
        assert!(h.is_empty());
        // An unknown algorithm is refused.
        let (model, op) = s3_op("PutObject");
        let e = apply_request(
            &model,
            &op,
            &json!({"ChecksumAlgorithm": "CRC16"}),
            &required,
            &mut h,
            &nubo_http::Body::default(),
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "Unsupported checksum algorithm: crc16");
    }

    #[test]
    fn get_object_asks_for_and_checks_the_checksum() {
        let (_, op) = s3_op("GetObject");
        let mut input = Cow::Owned(json!({"Bucket": "b", "Key": "k"}));
        let algs = prepare_input(&op, &Checksums::default(), &mut input);
        assert_eq!(input["ChecksumMode"], "ENABLED");
        assert_eq!(algs[..3], [Algorithm::XxHash128, Algorithm::XxHash3, Algorithm::Crc64Nvme]);
        let off = Checksums { response: When::Required, ..Default::default() };
        let mut input = Cow::Owned(json!({"Bucket": "b", "Key": "k"}));
        assert!(prepare_input(&op, &off, &mut input).is_empty());
        assert!(input.get("ChecksumMode").is_none());

        let good = vec![("x-amz-checksum-crc32".to_string(), "NhCmhg==".to_string())];
        assert_eq!(check_response(&algs, &good, b"hello"), Ok(()));
        let e = check_response(&algs, &good, b"hellO").unwrap_err();
        assert_eq!(e.expected, "NhCmhg==");
        assert!(e.to_string().starts_with("Expected checksum NhCmhg== did not match calculated checksum: "));
        // Composite checksums are not checked; neither are responses without one.
        let composite = vec![("x-amz-checksum-crc32".to_string(), "AAAAAA==-3".to_string())];
        assert_eq!(check_response(&algs, &composite, b"x"), Ok(()));
        assert_eq!(check_response(&algs, &[], b"x"), Ok(()));
    }
}
