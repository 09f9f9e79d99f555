//! The canonical request and the string to sign, recomputed for display only.
//!
//! Hand-written because aws-sigv4 keeps its canonical request private (it only traces a redacted
//! copy). Nothing here decides what is sent: the signature always comes from aws-sigv4, and the
//! signer shows this text only after checking that the signature derived from it is aws-sigv4's.

use std::time::SystemTime;

use http::Uri;
use percent_encoding::{AsciiSet, utf8_percent_encode};

use crate::payload_sha256_hex;

/// Everything except the unreserved characters `A-Z a-z 0-9 - . _ ~` is percent-encoded.
const ENCODE_ALL_BUT_UNRESERVED: &AsciiSet = nubo_uri::UNRESERVED;
/// The same, keeping `/` (for paths).
const ENCODE_PATH: &AsciiSet = nubo_uri::PATH;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// What the canonical request is made of, as the signer handed it to aws-sigv4.
pub(crate) struct Inputs<'a> {
    pub method: &'a str,
    pub uri: &'a Uri,
    pub headers: &'a [(String, String)],
    pub payload_hash: &'a str,
    pub session_token: Option<&'a str>,
    /// S3's rules: the path as sent, no normalisation.
    pub s3_rules: bool,
    /// Header signing adds `x-amz-content-sha256`.
    pub content_sha256_header: bool,
    /// Lowercase names that are never signed.
    pub excluded: &'a [&'a str],
    /// Presigning: the `X-Amz-*` query parameters that join the canonical query (not the signature).
    pub presign_params: Option<&'a [(&'a str, String)]>,
}

/// The canonical request at `stamp` (`YYYYMMDDTHHMMSSZ`), each line as SigV4 defines it.
pub(crate) fn canonical_request(inputs: &Inputs<'_>, stamp: &str) -> String {
    let presign = inputs.presign_params.is_some();
    let path = canonical_path(inputs.uri.path(), inputs.s3_rules);
    let query = canonical_query(inputs.uri.query().unwrap_or(""), inputs.presign_params.unwrap_or(&[]));

    // Lowercase names in first-seen order, each with its values in order.
    let mut headers: Vec<(String, Vec<String>)> = Vec::new();
    for (name, value) in inputs.headers {
        let name = name.to_ascii_lowercase();
        let value = collapse_spaces(value);
        match headers.iter_mut().find(|(n, _)| *n == name) {
            Some((_, values)) => values.push(value),
            None => headers.push((name, vec![value])),
        }
    }
    if !headers.iter().any(|(n, _)| n == "host") {
        headers.push(("host".into(), vec![host_of(inputs.uri)]));
    }
    if !presign {
        set(&mut headers, "x-amz-date", stamp);
        if let Some(token) = inputs.session_token {
            set(&mut headers, "x-amz-security-token", token);
        }
        if inputs.content_sha256_header {
            set(&mut headers, "x-amz-content-sha256", inputs.payload_hash);
        }
    }
    headers.retain(|(name, _)| {
        !inputs.excluded.contains(&name.as_str())
            && !(presign && (name == "x-amz-user-agent" || name == "x-amz-checksum-mode"))
    });
    headers.sort_by(|a, b| a.0.cmp(&b.0));

    let mut out = format!("{}\n{path}\n{query}\n", inputs.method);
    for (name, values) in &headers {
        out.push_str(name);
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    out.push('\n');
    let signed: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
    out.push_str(&signed.join(";"));
    out.push('\n');
    out.push_str(inputs.payload_hash);
    out
}

/// The string to sign for a canonical request at `stamp` (`YYYYMMDDTHHMMSSZ`) in the given scope.
pub(crate) fn string_to_sign(canonical: &str, stamp: &str, scope: &str) -> String {
    format!("{ALGORITHM}\n{stamp}\n{scope}\n{}", payload_sha256_hex(canonical.as_bytes()))
}

/// The signature that `string_to_sign` yields, with aws-sigv4's key derivation and HMAC.
pub(crate) fn signature_of(
    string_to_sign: &str,
    secret: &str,
    time: SystemTime,
    region: &str,
    service: &str,
) -> String {
    let key = aws_sigv4::sign::v4::generate_signing_key(secret, time, region, service);
    aws_sigv4::sign::v4::calculate_signature(key, string_to_sign.as_bytes())
}

fn set(headers: &mut Vec<(String, Vec<String>)>, name: &str, value: &str) {
    headers.retain(|(n, _)| n != name);
    headers.push((name.to_owned(), vec![value.to_owned()]));
}

/// The `Host` value the signer derives from the URL: the port only when it is not the scheme's default.
fn host_of(uri: &Uri) -> String {
    // Compared as written, as aws-sigv4 does: `:0443` is not the default port.
    let default_port = matches!(
        (uri.scheme_str(), uri.port().as_ref().map(|p| p.as_str())),
        (Some("http"), Some("80")) | (Some("https"), Some("443"))
    );
    match (default_port, uri.host(), uri.authority()) {
        (true, Some(host), _) => host.to_owned(),
        (_, _, Some(authority)) => authority.as_str().to_owned(),
        _ => String::new(),
    }
}

/// Trims spaces at both ends and turns every run of spaces into one.
fn collapse_spaces(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn canonical_path(path: &str, s3_rules: bool) -> String {
    if s3_rules {
        return path.to_owned();
    }
    let normalized = remove_dot_segments(path);
    utf8_percent_encode(&normalized, ENCODE_PATH).to_string()
}

/// RFC 3986 dot-segment removal, also dropping empty segments; a trailing `/` (or a trailing dot
/// segment, which names a directory) is kept.
fn remove_dot_segments(path: &str) -> String {
    if !path.contains('.') && !path.contains("//") && path.starts_with('/') {
        return path.to_owned();
    }
    let mut kept: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            other => kept.push(other),
        }
    }
    let mut out = String::from("/");
    out.push_str(&kept.join("/"));
    let directory = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    if directory && !out.ends_with('/') {
        out.push('/');
    }
    out
}

fn canonical_query(query: &str, extra: &[(&str, String)]) -> String {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (encode(&k), encode(&v)))
        .chain(extra.iter().map(|(k, v)| (encode(k), encode(v))))
        .collect();
    pairs.sort();
    let parts: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    parts.join("&")
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODE_ALL_BUT_UNRESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments() {
        for (input, expected) in [
            ("/", "/"),
            ("", "/"),
            ("/a/b", "/a/b"),
            ("/a/./b", "/a/b"),
            ("/a/../b", "/b"),
            ("/../..", "/"),
            ("//example//", "/example/"),
            ("/a/b/..", "/a/"),
            ("/a/b/.", "/a/b/"),
            ("/example/..", "/"),
            ("/a.b/c", "/a.b/c"),
        ] {
            assert_eq!(remove_dot_segments(input), expected, "{input:?}");
        }
    }

    #[test]
    fn spaces_collapse_but_tabs_stay() {
        assert_eq!(collapse_spaces("  a   b  c "), "a b c");
        assert_eq!(collapse_spaces("\ta\t"), "\ta\t");
        assert_eq!(collapse_spaces(""), "");
    }

    #[test]
    fn query_is_decoded_reencoded_and_sorted() {
        assert_eq!(canonical_query("b=2&a=1&a=0", &[]), "a=0&a=1&b=2");
        assert_eq!(canonical_query("k=a+b&x=%7e&flag", &[]), "flag=&k=a%20b&x=~");
        assert_eq!(canonical_query("", &[("X-Amz-Expires", "60".into())]), "X-Amz-Expires=60");
    }

    #[test]
    fn path_is_encoded_once_more_unless_s3() {
        assert_eq!(canonical_path("/a%20b/c d", false), "/a%2520b/c%20d");
        assert_eq!(canonical_path("/a%20b/./c", true), "/a%20b/./c");
    }

    #[test]
    fn host_keeps_only_non_default_ports() {
        let host = |url: &str| host_of(&url.parse().unwrap());
        assert_eq!(host("https://example.com:443/"), "example.com");
        assert_eq!(host("http://example.com:80/"), "example.com");
        assert_eq!(host("http://example.com:8080/"), "example.com:8080");
        assert_eq!(host("https://example.com:80/"), "example.com:80");
        assert_eq!(host("https://example.com/"), "example.com");
        assert_eq!(host("https://example.com:0443/"), "example.com:0443");
        assert_eq!(host("https://[::1]:443/"), "[::1]");
    }
}
