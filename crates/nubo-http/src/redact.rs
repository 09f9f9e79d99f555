//! Redaction of secrets in what `--debug` prints: header values and query parameters whose names
//! mark them as credentials, and passwords in a URL's user information.
//!
//! Hand-written: the rule set is nubo's own (which names are secret), and the work is a few string
//! scans that need no URL parser.

use std::borrow::Cow;

/// What a redacted value is replaced with.
pub const REDACTED: &str = "REDACTED";

/// Header names that are always secret (compared case-insensitively).
const SECRET_HEADERS: &[&str] =
    &["authorization", "proxy-authorization", "x-amz-security-token", "cookie", "set-cookie"];

/// Parts of a name that mark a header or query parameter as secret (compared case-insensitively).
const SECRET_NAME_PARTS: &[&str] = &["token", "secret", "signature", "credential", "password"];

/// Whether a header's value must not be printed.
///
/// True for `Authorization`, `Proxy-Authorization`, `X-Amz-Security-Token`, cookies, the SSE-C keys
/// (`x-amz-server-side-encryption-customer-key` and its copy-source twin, but not their `-md5`
/// digests), and any name containing `token`, `secret`, `signature`, `credential` or `password`.
pub fn is_secret_header(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    SECRET_HEADERS.contains(&lower.as_str())
        || lower.ends_with("customer-key")
        || SECRET_NAME_PARTS.iter().any(|part| lower.contains(part))
}

/// Whether a query parameter's value must not be printed (`X-Amz-Signature`, `X-Amz-Credential`,
/// `X-Amz-Security-Token`, `Signature`, and any name containing one of the secret parts).
pub fn is_secret_query_param(name: &str) -> bool {
    let lower = percent_decode_lossy(name).to_ascii_lowercase();
    SECRET_NAME_PARTS.iter().any(|part| lower.contains(part)) || lower.ends_with("customer-key")
}

/// The value to print for a header: the value itself, or [`REDACTED`] for a secret header.
pub fn header_value<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    if is_secret_header(name) { Cow::Borrowed(REDACTED) } else { Cow::Borrowed(value) }
}

/// A URL fit for printing: secret query parameter values and any password in the user information
/// replaced with [`REDACTED`]; everything else kept byte for byte.
pub fn url(url: &str) -> String {
    let (before_fragment, fragment) = match url.find('#') {
        Some(i) => (&url[..i], Some(&url[i..])),
        None => (url, None),
    };
    let (base, query) = match before_fragment.find('?') {
        Some(i) => (&before_fragment[..i], Some(&before_fragment[i + 1..])),
        None => (before_fragment, None),
    };
    let mut out = redact_userinfo(base);
    if let Some(query) = query {
        out.push('?');
        out.push_str(&query_string(query));
    }
    if let Some(fragment) = fragment {
        out.push_str(fragment);
    }
    out
}

/// A raw query string (without the `?`) with the values of secret parameters replaced.
pub fn query_string(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    for (i, pair) in query.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((name, _)) if is_secret_query_param(name) => {
                out.push_str(name);
                out.push('=');
                out.push_str(REDACTED);
            }
            _ => out.push_str(pair),
        }
    }
    out
}

/// `scheme://user:password@host/...` with the password replaced.
fn redact_userinfo(base: &str) -> String {
    let Some(scheme_end) = base.find("://") else {
        return base.to_string();
    };
    let authority_start = scheme_end + 3;
    let rest = &base[authority_start..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return base.to_string();
    };
    let userinfo = &authority[..at];
    let Some(colon) = userinfo.find(':') else {
        return base.to_string();
    };
    let mut out = String::with_capacity(base.len());
    out.push_str(&base[..authority_start]);
    out.push_str(&userinfo[..colon + 1]);
    out.push_str(REDACTED);
    out.push_str(&rest[at..]);
    out
}

/// Decodes `%XX` escapes (invalid escapes are kept as they are; invalid UTF-8 is replaced).
fn percent_decode_lossy(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = bytes.get(i + 1).and_then(hex_value);
            let lo = bytes.get(i + 2).and_then(hex_value);
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(b: &u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn always_secret_headers() {
        for name in [
            "Authorization",
            "authorization",
            "Proxy-Authorization",
            "X-Amz-Security-Token",
            "x-amz-server-side-encryption-customer-key",
            "x-amz-copy-source-server-side-encryption-customer-key",
            "Cookie",
            "Set-Cookie",
        ] {
            assert!(is_secret_header(name), "{name}");
        }
    }

    #[test]
    fn secret_by_name_part() {
        for name in [
            "X-Amz-Sso_bearer_token",
            "x-my-SECRET",
            "X-Custom-Signature",
            "x-credential-scope",
            "x-db-password",
            "X-aws-ec2-metadata-token",
        ] {
            assert!(is_secret_header(name), "{name}");
        }
    }

    #[test]
    fn ordinary_headers_are_shown() {
        for name in [
            "Host",
            "Content-Type",
            "X-Amz-Date",
            "x-amz-content-sha256",
            "x-amz-server-side-encryption-customer-key-MD5",
            "x-amz-server-side-encryption-customer-algorithm",
            "User-Agent",
        ] {
            assert!(!is_secret_header(name), "{name}");
        }
    }

    #[test]
    fn header_value_replaces_only_secrets() {
        assert_eq!(header_value("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/..."), REDACTED);
        assert_eq!(header_value("Host", "example.com"), "example.com");
    }

    #[test]
    fn presigned_url_query_is_redacted() {
        let u = "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256\
                 &X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request\
                 &X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host\
                 &X-Amz-Security-Token=FQoGZXIvYXdzE&X-Amz-Signature=abcdef0123";
        let r = url(u);
        assert_eq!(
            r,
            "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=REDACTED&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60\
             &X-Amz-SignedHeaders=host&X-Amz-Security-Token=REDACTED&X-Amz-Signature=REDACTED"
        );
        assert!(!r.contains("AKIDEXAMPLE"));
        assert!(!r.contains("abcdef0123"));
    }

    #[test]
    fn encoded_and_lowercase_query_names_are_recognised() {
        assert_eq!(query_string("x-amz-signature=1&a=2"), "x-amz-signature=REDACTED&a=2");
        assert_eq!(query_string("X-Amz-%53ignature=1"), "X-Amz-%53ignature=REDACTED");
        assert_eq!(query_string("Signature=abc&AWSAccessKeyId=AK"), "Signature=REDACTED&AWSAccessKeyId=AK");
    }

    #[test]
    fn query_edge_cases_do_not_panic() {
        assert_eq!(query_string(""), "");
        assert_eq!(query_string("&&"), "&&");
        assert_eq!(query_string("token"), "token");
        assert_eq!(query_string("token="), "token=REDACTED");
        assert_eq!(query_string("%"), "%");
        assert_eq!(query_string("%zz=1&%e2%82=2"), "%zz=1&%e2%82=2");
        assert_eq!(url("?"), "?");
        assert_eq!(url("#frag?x"), "#frag?x");
        assert_eq!(url("héllo?sig=é&ünïcode"), "héllo?sig=é&ünïcode");
    }

    #[test]
    fn url_password_is_redacted() {
        assert_eq!(url("http://user:pa55@proxy:3128/"), "http://user:REDACTED@proxy:3128/");
        assert_eq!(url("http://user@proxy:3128/"), "http://user@proxy:3128/");
        assert_eq!(url("https://host/path@x:y"), "https://host/path@x:y");
    }

    #[test]
    fn fragment_and_plain_urls_are_kept() {
        assert_eq!(url("https://host/a/b?list-type=2&prefix=x#f"), "https://host/a/b?list-type=2&prefix=x#f");
        assert_eq!(url("https://host"), "https://host");
    }
}
