//! Signing with the schemes that are not plain SigV4: bearer tokens and SigV2 ([`sign_other`]), and
//! the identity an S3 Express request is signed with ([`sigv4_identity`]).

use super::Auth;
use crate::error::ClientError;
use crate::prepare::{Prepared, Signed};
use nubo_sign::Credentials;
use std::time::SystemTime;

/// Query values as SigV4 encodes them.
const QUERY_VALUE: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The header that carries an S3 Express session token (the query parameter when presigning is
/// `X-Amz-S3session-Token`).
pub const S3_SESSION_TOKEN_HEADER: &str = "x-amz-s3session-token";

/// A bearer token carried through the credentials argument of [`crate::sign`]: the token is the
/// session token; the keys are empty.
pub fn bearer_credentials(token: String) -> Credentials {
    Credentials::new("", "", Some(token))
}

/// Signs an anonymous, bearer or SigV2 request (the SigV4 family goes through [`crate::sign`]).
pub fn sign_other(
    p: &Prepared,
    credentials: Option<&Credentials>,
    time: SystemTime,
) -> Result<Signed, ClientError> {
    let mut signed = Signed {
        method: p.method.clone(),
        url: p.url.clone(),
        headers: p.headers.clone(),
        body: p.body.clone(),
    };
    match &p.auth {
        Auth::Bearer { signing_name } => {
            let token = credentials.and_then(|c| c.session_token.as_deref()).ok_or_else(|| {
                ClientError::Credentials(format!("Unable to locate a bearer token for {signing_name}"))
            })?;
            signed.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
            signed.headers.push(("Authorization".into(), format!("Bearer {token}")));
        }
        Auth::SigV2 => {
            let creds =
                credentials.ok_or_else(|| ClientError::Credentials("Unable to locate credentials".into()))?;
            // SigV2 signs a form body (SimpleDB's query protocol), always held in memory.
            let mut body = signed.body.to_bytes().map_err(crate::prepare::payload_error)?.to_vec();
            nubo_sign::sigv2::sign_v2(
                &signed.method,
                &mut signed.url,
                &mut signed.headers,
                &mut body,
                creds,
                time,
            )
            .map_err(|e| ClientError::Sign(e.to_string()))?;
            signed.body = body.into();
        }
        _ => {}
    }
    Ok(signed)
}

/// The keys a SigV4-family request is signed with, and the headers (or, presigning, query
/// parameters) to add first: an S3 Express session's token goes in `x-amz-s3session-token`, never
/// in `X-Amz-Security-Token`.
pub fn sigv4_identity(
    auth: &Auth,
    creds: &Credentials,
    presign: bool,
) -> (Credentials, Vec<(String, String)>) {
    match (auth, &creds.session_token) {
        (Auth::S3Express { .. }, Some(token)) => {
            let keys = Credentials::new(creds.access_key_id.clone(), creds.secret_access_key.clone(), None);
            let name = if presign { "X-Amz-S3session-Token" } else { S3_SESSION_TOKEN_HEADER };
            (keys, vec![(name.to_string(), token.clone())])
        }
        _ => (creds.clone(), Vec::new()),
    }
}

/// Sets the scheme's signing options (SigV4a, the endpoint's flags) and adds the identity's headers,
/// or when presigning its query parameters, to the request about to be signed.
pub fn apply(
    auth: &Auth,
    opts: &mut nubo_sign::SigningOptions,
    req: &mut nubo_sign::SigningRequest,
    extra: Vec<(String, String)>,
) {
    if let Some(p) = auth.sigv4() {
        opts.sigv4a = matches!(auth, Auth::SigV4a(_));
        opts.disable_double_encoding = p.disable_double_encoding;
        opts.disable_normalize_path = p.disable_normalize_path;
    }
    for (name, value) in extra {
        if opts.expires_in.is_some() {
            let sep = if req.url.contains('?') { '&' } else { '?' };
            let value = percent_encoding::utf8_percent_encode(&value, QUERY_VALUE);
            req.url = format!("{}{sep}{name}={value}", req.url);
        } else {
            req.headers.retain(|(n, _)| {
                !n.eq_ignore_ascii_case(&name) && !n.eq_ignore_ascii_case("x-amz-security-token")
            });
            req.headers.push((name, value));
        }
    }
}
