//! Signature Version 2, for the few services whose model still asks for it (SimpleDB, `sdb`): the
//! signing parameters join the form body (or the query of a bodiless request), and the signature is
//! the base64 HMAC-SHA256 of the method, host, path and the sorted, encoded parameters.

use std::time::SystemTime;

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use time::OffsetDateTime;
use time::macros::format_description;

use crate::{Credentials, SignError};

/// Signs a query-protocol request with SigV2 in place: its form body (or, without one, its URL's
/// query) gets `AWSAccessKeyId`, `SignatureVersion`, `SignatureMethod`, `Timestamp`,
/// `SecurityToken` (with a session token) and `Signature`, re-encoded as a form.
/// Returns the string to sign.
pub fn sign_v2(
    method: &str,
    url: &mut String,
    headers: &mut [(String, String)],
    body: &mut Vec<u8>,
    credentials: &Credentials,
    time: SystemTime,
) -> Result<String, SignError> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b.to_string(), q.to_string()),
        None => (url.clone(), String::new()),
    };
    let in_body = !body.is_empty();
    let source = if in_body { body.as_slice() } else { query.as_bytes() };
    let mut params: Vec<(String, String)> = form_urlencoded::parse(source).into_owned().collect();
    let stamp = OffsetDateTime::from(time)
        .format(format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"))
        .map_err(|_| SignError::TimeOutOfRange)?;
    let mut set = |k: &str, v: &str| match params.iter_mut().find(|(n, _)| n == k) {
        Some(p) => p.1 = v.to_string(),
        None => params.push((k.to_string(), v.to_string())),
    };
    set("AWSAccessKeyId", &credentials.access_key_id);
    set("SignatureVersion", "2");
    set("SignatureMethod", "HmacSHA256");
    set("Timestamp", &stamp);
    if let Some(token) = &credentials.session_token {
        set("SecurityToken", token);
    }
    params.retain(|(k, _)| k != "Signature");
    let after_scheme = base.split_once("://").map_or(base.as_str(), |(_, r)| r);
    let (host, path) = match after_scheme.find('/') {
        Some(i) => (&after_scheme[..i], &after_scheme[i..]),
        None => (after_scheme, "/"),
    };
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let canonical: Vec<String> =
        sorted.iter().map(|(k, v)| format!("{}={}", encode(k, false), encode(v, false))).collect();
    let string_to_sign = format!("{method}\n{host}\n{path}\n{}", canonical.join("&"));
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(credentials.secret_access_key.as_bytes())
        .map_err(|e| SignError::Signer(e.to_string()))?;
    mac.update(string_to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    params.push(("Signature".into(), signature));
    let form: Vec<String> =
        params.iter().map(|(k, v)| format!("{}={}", encode(k, true), encode(v, true))).collect();
    let form = form.join("&");
    if in_body {
        *body = form.into_bytes();
        for (name, value) in headers.iter_mut() {
            if name.eq_ignore_ascii_case("content-length") {
                *value = body.len().to_string();
            }
        }
    } else {
        *url = format!("{base}?{form}");
    }
    Ok(string_to_sign)
}

/// Percent-encodes all but `A-Z a-z 0-9 - _ . ~`; with `plus`, a space is `+` (form encoding).
fn encode(s: &str, plus: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' if plus => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn form_body_gets_the_v2_parameters_and_a_stable_signature() {
        let mut url = "https://sdb.amazonaws.com/".to_string();
        let mut headers = vec![("Content-Length".to_string(), "0".to_string())];
        let mut body = b"Action=ListDomains&Version=2009-04-15".to_vec();
        let creds = Credentials::new("AKID", "secret", None);
        let time = UNIX_EPOCH + Duration::from_secs(1_735_689_600);
        let sts = sign_v2("POST", &mut url, &mut headers, &mut body, &creds, time).unwrap();
        assert_eq!(
            sts,
            "POST\nsdb.amazonaws.com\n/\nAWSAccessKeyId=AKID&Action=ListDomains&SignatureMethod=HmacSHA256\
             &SignatureVersion=2&Timestamp=2025-01-01T00%3A00%3A00Z&Version=2009-04-15"
        );
        let text = String::from_utf8(body.clone()).unwrap();
        assert!(
            text.starts_with("Action=ListDomains&Version=2009-04-15&AWSAccessKeyId=AKID&SignatureVersion=2")
        );
        assert!(text.contains("&Signature="));
        assert_eq!(headers[0].1, body.len().to_string());
        assert_eq!(encode("a b*~", true), "a+b%2A~");
    }
}
