//! [`sign`]: checks the inputs, has aws-sigv4 sign, applies its headers or query parameters to the
//! request, and attaches the canonical request and string to sign once they are shown to match.

use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation,
    SigningSettings, UriPathNormalizationMode,
};
use aws_smithy_runtime_api::client::identity::Identity;
use http::Uri;
use http::header::{HeaderName, HeaderValue};
use percent_encoding::{AsciiSet, utf8_percent_encode};

use crate::canonical::{self, Inputs};
use crate::signing_time::format_stamp_and_date;
use crate::{Body, Credentials, SignError, SigningOptions, SigningRequest, payload_sha256_hex};

/// The longest lifetime SigV4 allows a presigned URL: 7 days.
pub const MAX_PRESIGN_EXPIRY: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// The first instant past the last one SigV4's four-digit years can show (10000-01-01T00:00:00Z).
const YEAR_10000: Duration = Duration::from_secs(253_402_300_800);

const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Headers the SDKs leave unsigned because clients and proxies change them in transit.
const UNSIGNED_IN_TRANSIT: &[&str] = &[
    "authorization",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];
/// With `sign_all_headers`, only the header that signing itself writes.
const UNSIGNED_ALWAYS: &[&str] = &["authorization"];

/// Query values are encoded as SigV4 canonicalises them: all but `A-Z a-z 0-9 - . _ ~`.
const QUERY_VALUE: &AsciiSet = nubo_uri::UNRESERVED;

/// The result of [`sign`]: the signature, and the canonical request and string to sign behind it.
/// The canonical request holds the session token when one is signed in a header, as the request
/// itself does; `Debug` leaves both texts out.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    signature: String,
    shown: Option<(String, String)>,
}

impl SigningOutput {
    /// The hexadecimal signature.
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// The canonical request. `None` only if the recomputed form would not yield aws-sigv4's
    /// signature (a bug): it is then withheld rather than shown wrong.
    pub fn canonical_request(&self) -> Option<&str> {
        self.shown.as_ref().map(|(creq, _)| creq.as_str())
    }

    /// The string to sign, under the same condition as [`SigningOutput::canonical_request`].
    pub fn string_to_sign(&self) -> Option<&str> {
        self.shown.as_ref().map(|(_, sts)| sts.as_str())
    }
}

impl std::fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningOutput")
            .field("signature", &self.signature)
            .field("canonical_request", &self.shown.as_ref().map(|_| "** not shown in Debug **"))
            .finish()
    }
}

/// Signs `request` with SigV4. With `expires_in` unset, adds `X-Amz-Date`, `Authorization`, and as
/// the options and credentials ask `X-Amz-Content-SHA256` and `X-Amz-Security-Token` (replacing
/// headers of the same names); with it set, appends the `X-Amz-*` parameters to the URL's query
/// instead. On error the request is left as it was.
pub fn sign(
    request: &mut SigningRequest,
    credentials: &Credentials,
    options: &SigningOptions,
) -> Result<SigningOutput, SignError> {
    let presign = check_expiry(options.expires_in)?;
    if request.method.is_empty() || !request.method.bytes().all(is_token_byte) {
        return Err(SignError::InvalidMethod);
    }
    check_time(options.time)?;
    let uri = parse_url(&request.url)?;
    check_headers(&request.headers, credentials)?;
    let payload_hash = match &request.body {
        Body::Bytes(bytes) => payload_sha256_hex(bytes),
        Body::Unsigned => UNSIGNED_PAYLOAD.to_owned(),
        Body::Sha256Hex(hash) => check_hash(hash)?.to_owned(),
    };
    let excluded = if options.sign_all_headers { UNSIGNED_ALWAYS } else { UNSIGNED_IN_TRANSIT };
    let settings = signing_settings(options, presign, excluded);

    let identity: Identity = aws_credential_types::Credentials::new(
        credentials.access_key_id.clone(),
        credentials.secret_access_key.clone(),
        credentials.session_token.clone(),
        None,
        "nubo",
    )
    .into();
    let params: aws_sigv4::http_request::SigningParams<'_> = if options.sigv4a {
        aws_sigv4::sign::v4a::SigningParams::builder()
            .identity(&identity)
            .region_set(&options.region)
            .name(&options.service)
            .time(options.time)
            .settings(settings)
            .build()
            .map_err(|e| SignError::Signer(e.to_string()))?
            .into()
    } else {
        aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(&options.region)
            .name(&options.service)
            .time(options.time)
            .settings(settings)
            .build()
            .map_err(|e| SignError::Signer(e.to_string()))?
            .into()
    };
    let signable = SignableRequest::new(
        &request.method,
        request.url.as_str(),
        request.headers.iter().map(|(name, value)| (name.as_str(), value.as_str())),
        SignableBody::Precomputed(payload_hash.clone()),
    )
    .map_err(|e| SignError::Signer(e.to_string()))?;
    let (instructions, signature) = aws_sigv4::http_request::sign(signable, &params)
        .map_err(|e| SignError::Signer(e.to_string()))?
        .into_parts();
    let (new_headers, new_params) = instructions.into_parts();
    // Every parameter but the signature joins the canonical query when presigning.
    let presign_params: Vec<(&str, String)> = new_params
        .iter()
        .filter(|(name, _)| *name != "X-Amz-Signature")
        .map(|(name, value)| (*name, value.to_string()))
        .collect();

    let inputs = Inputs {
        method: &request.method,
        uri: &uri,
        headers: &request.headers,
        payload_hash: &payload_hash,
        session_token: credentials.session_token.as_deref(),
        s3_rules: options.s3_rules || options.disable_double_encoding,
        content_sha256_header: options.s3_rules || options.content_sha256_header,
        excluded,
        presign_params: presign.map(|_| presign_params.as_slice()),
    };
    // SigV4a's ECDSA signature cannot be recomputed to check the shown forms against: none are shown.
    let shown = if options.sigv4a { None } else { shown_forms(inputs, credentials, options, &signature) };

    if presign.is_some() {
        append_query(&mut request.url, &presign_params, &signature);
    } else {
        let mut authorization = None;
        for header in new_headers {
            if header.name() == "authorization" {
                authorization = Some(header.value().to_owned());
            } else {
                set_header(&mut request.headers, display_name(header.name()), header.value());
            }
        }
        // Last, as the suite's signed requests show it.
        if let Some(value) = authorization {
            set_header(&mut request.headers, "Authorization", &value);
        }
    }
    Ok(SigningOutput { signature, shown })
}

/// aws-sigv4's settings for `options`: S3's or the general path rules, payload header, header
/// exclusions, and query-string signing when presigning.
fn signing_settings(
    options: &SigningOptions,
    presign: Option<Duration>,
    excluded: &[&'static str],
) -> SigningSettings {
    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = match options.s3_rules || options.disable_double_encoding {
        true => PercentEncodingMode::Single,
        false => PercentEncodingMode::Double,
    };
    settings.uri_path_normalization_mode = match options.s3_rules || options.disable_normalize_path {
        true => UriPathNormalizationMode::Disabled,
        false => UriPathNormalizationMode::Enabled,
    };
    settings.payload_checksum_kind = if options.s3_rules || options.content_sha256_header {
        PayloadChecksumKind::XAmzSha256
    } else {
        PayloadChecksumKind::NoHeader
    };
    settings.excluded_headers = Some(excluded.iter().map(|name| Cow::Borrowed(*name)).collect());
    if let Some(expires_in) = presign {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(expires_in);
    }
    settings
}

/// The canonical request and string to sign, recomputed; `None` unless they yield `signature`, so
/// that what is shown is always what was signed.
fn shown_forms(
    inputs: Inputs<'_>,
    credentials: &Credentials,
    options: &SigningOptions,
    signature: &str,
) -> Option<(String, String)> {
    let (stamp, date) = format_stamp_and_date(options.time);
    let creq = canonical::canonical_request(&inputs, &stamp);
    let scope = format!("{date}/{}/{}/aws4_request", options.region, options.service);
    let sts = canonical::string_to_sign(&creq, &stamp, &scope);
    let derived = canonical::signature_of(
        &sts,
        &credentials.secret_access_key,
        options.time,
        &options.region,
        &options.service,
    );
    (derived == signature).then_some((creq, sts))
}

/// The presign lifetime, checked to be 1 second ..= 7 days.
fn check_expiry(expires_in: Option<Duration>) -> Result<Option<Duration>, SignError> {
    match expires_in {
        Some(d) if d.as_secs() == 0 || d > MAX_PRESIGN_EXPIRY => {
            Err(SignError::ExpiryOutOfRange { seconds: d.as_secs() })
        }
        // Whole seconds, as X-Amz-Expires carries them.
        Some(d) => Ok(Some(Duration::from_secs(d.as_secs()))),
        None => Ok(None),
    }
}

fn check_time(time: SystemTime) -> Result<(), SignError> {
    match time.duration_since(UNIX_EPOCH) {
        Ok(since) if since < YEAR_10000 => Ok(()),
        _ => Err(SignError::TimeOutOfRange),
    }
}

fn check_hash(hash: &str) -> Result<&str, SignError> {
    let ok = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if ok { Ok(hash) } else { Err(SignError::InvalidPayloadHash) }
}

/// Parses the URL as aws-sigv4 will, and refuses what it would panic on or cannot send.
fn parse_url(url: &str) -> Result<Uri, SignError> {
    let invalid = |reason: &str| SignError::InvalidUrl { url: without_query(url), reason: reason.to_owned() };
    if url.contains('#') {
        return Err(invalid("a URL fragment (#...) is never sent; percent-encode '#' as %23"));
    }
    let uri: Uri = url.parse().map_err(|e: http::uri::InvalidUri| invalid(&e.to_string()))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        Some(_) => return Err(invalid("the scheme must be http or https")),
        None => return Err(invalid("the URL must be absolute (https://host/path)")),
    }
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Err(invalid("user info (user@host) in a URL is never sent to AWS"));
    }
    match uri.host() {
        Some(host) if !host.is_empty() => Ok(uri),
        _ => Err(invalid("the URL has no host")),
    }
}

/// The URL up to its query, which may carry credentials of a presigned URL.
fn without_query(url: &str) -> String {
    url.split(['?', '#']).next().unwrap_or_default().to_owned()
}

/// Every header must be sendable; names are given in errors, values never.
fn check_headers(headers: &[(String, String)], credentials: &Credentials) -> Result<(), SignError> {
    for (name, value) in headers {
        let bad = |reason: &str| SignError::InvalidHeader { name: name.clone(), reason: reason.to_owned() };
        if HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(bad("not a valid header name"));
        }
        if HeaderValue::from_str(value).is_err() {
            return Err(bad("the value holds a control character such as a line break"));
        }
    }
    if let Some(token) = &credentials.session_token
        && HeaderValue::from_str(token).is_err()
    {
        return Err(SignError::InvalidHeader {
            name: "X-Amz-Security-Token".into(),
            reason: "the session token holds a control character such as a line break".into(),
        });
    }
    Ok(())
}

/// RFC 9110 `tchar`, the bytes of a method or header name.
pub(crate) fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The customary spelling of a header aws-sigv4 names in lowercase.
fn display_name(name: &str) -> &str {
    match name {
        "x-amz-date" => "X-Amz-Date",
        "x-amz-security-token" => "X-Amz-Security-Token",
        "x-amz-content-sha256" => "X-Amz-Content-SHA256",
        "x-amz-region-set" => "X-Amz-Region-Set",
        other => other,
    }
}

/// Replaces the first header named `name` (any case) and drops its duplicates, or appends it.
fn set_header(headers: &mut Vec<(String, String)>, name: &str, value: &str) {
    match headers.iter().position(|(n, _)| n.eq_ignore_ascii_case(name)) {
        Some(first) => {
            headers[first].1 = value.to_owned();
            let mut index = 0;
            headers.retain(|(n, _)| {
                let keep = index <= first || !n.eq_ignore_ascii_case(name);
                index += 1;
                keep
            });
        }
        None => headers.push((name.to_owned(), value.to_owned())),
    }
}

/// Appends the presigning parameters, then the signature, to the URL's query.
fn append_query(url: &mut String, params: &[(&str, String)], signature: &str) {
    let mut separator = match url.find('?') {
        None => "?",
        Some(at) if at + 1 == url.len() || url.ends_with('&') => "",
        Some(_) => "&",
    };
    for (name, value) in params.iter().map(|(n, v)| (*n, v.as_str())).chain([("X-Amz-Signature", signature)])
    {
        url.push_str(separator);
        url.push_str(name);
        url.push('=');
        url.extend(utf8_percent_encode(value, QUERY_VALUE));
        separator = "&";
    }
}

#[cfg(test)]
#[path = "signer_tests.rs"]
mod tests;
