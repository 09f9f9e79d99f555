//! Raw HTTP/1.1 requests: [`parse_request`] reads one for `nubo sign`, [`format_request`] prints one
//! in the `--show-request` format.
//!
//! Hand-written: HTTP parsers for servers (httparse and the like) reject what the SigV4 test suite
//! and people at a terminal write: bare `\n` line ends, folded continuation lines, raw UTF-8 in the
//! request target, and a head that ends at the end of input.
//!
//! Input: a request line `METHOD TARGET HTTP/1.1`, where TARGET is `/path[?query]` (with a `Host`
//! header) or an absolute `http(s)://` URL; `Name:value` header lines, where a line starting with a
//! space or tab continues the previous value and repeated names are kept in order; a blank line;
//! the body, byte for byte. Lines end in `\n` or `\r\n`.
//!
//! Output: the request line with the path and query, `Host` first, each header as `Name: value`
//! on its own line, a blank line and the raw body; lines end in `\n`.

use crate::signer::is_token_byte;
use crate::{Body, SignError, SigningRequest};

/// One raw request as read, before signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRequest {
    pub method: String,
    /// The request target as written: `/path?query` or an absolute URL.
    pub target: String,
    /// Headers in input order; folded values are joined with one space.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    /// The absolute URL: the target itself, or `https://` + the `Host` header + the target.
    pub fn url(&self) -> Result<String, SignError> {
        if is_absolute(&self.target) {
            return Ok(self.target.clone());
        }
        match self.headers.iter().find(|(name, _)| name.eq_ignore_ascii_case("host")) {
            Some((_, host)) if !host.is_empty() => Ok(format!("https://{host}{}", self.target)),
            _ => Err(SignError::RawRequest {
                line: 1,
                reason: "the request target is a path, so a Host header is needed".into(),
            }),
        }
    }

    /// The request to sign: the URL from [`RawRequest::url`], every header, the body as bytes.
    pub fn into_signing_request(self) -> Result<SigningRequest, SignError> {
        let url = self.url()?;
        Ok(SigningRequest { method: self.method, url, headers: self.headers, body: Body::Bytes(self.body) })
    }
}

/// Parses one raw HTTP/1.1 request (see the module documentation for the format).
pub fn parse_request(text: &[u8]) -> Result<RawRequest, SignError> {
    let mut lines = Lines { text, pos: 0, number: 0 };

    // A client may send empty lines before the request line; they are skipped.
    let request_line = loop {
        match lines.next_line()? {
            None => return Err(error(lines.number.max(1), "the input holds no request line")),
            Some("") => continue,
            Some(line) => break line,
        }
    };
    let line_number = lines.number;
    let (method, target) = parse_request_line(request_line, line_number)?;

    let mut headers: Vec<(String, String)> = Vec::new();
    while let Some(line) = lines.next_line()? {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            let Some((_, value)) = headers.last_mut() else {
                return Err(error(lines.number, "a continuation line comes before any header"));
            };
            let more = line.trim_matches([' ', '\t']);
            if !more.is_empty() {
                if !value.is_empty() {
                    value.push(' ');
                }
                value.push_str(more);
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(error(lines.number, "a header line must be Name:value"));
        };
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(error(
                lines.number,
                "a header name must be a non-empty token (letters, digits, !#$%&'*+-.^_`|~), directly before ':'",
            ));
        }
        headers.push((name.to_owned(), value.trim_matches([' ', '\t']).to_owned()));
    }
    let body = text.get(lines.pos..).unwrap_or_default().to_vec();
    Ok(RawRequest { method, target, headers, body })
}

/// Prints a request in the `--show-request` format (see the module documentation). `url` is the
/// absolute URL; the `Host` line is the request's own `Host` header, or else the URL's host, with
/// the port only when it is not the scheme's default.
pub fn format_request(method: &str, url: &str, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let (scheme, authority, target) = split_url(url);
    let mut out = Vec::with_capacity(128 + body.len());
    out.extend_from_slice(format!("{method} {target} HTTP/1.1\n").as_bytes());

    let host_index = headers.iter().position(|(name, _)| name.eq_ignore_ascii_case("host"));
    let host = match host_index {
        Some(index) => headers[index].1.clone(),
        None => host_for(scheme, authority),
    };
    if !host.is_empty() {
        out.extend_from_slice(format!("Host: {host}\n").as_bytes());
    }
    for (index, (name, value)) in headers.iter().enumerate() {
        if Some(index) != host_index {
            out.extend_from_slice(format!("{name}: {value}\n").as_bytes());
        }
    }
    out.push(b'\n');
    out.extend_from_slice(body);
    out
}

fn error(line: usize, reason: &str) -> SignError {
    SignError::RawRequest { line, reason: reason.to_owned() }
}

fn parse_request_line(line: &str, number: usize) -> Result<(String, String), SignError> {
    let parts: Vec<&str> = line.split(' ').collect();
    let shape = "the request line must be METHOD TARGET HTTP/1.1, separated by single spaces";
    let [method, target, version] = parts.as_slice() else {
        if parts.len() > 3 && parts.last().is_some_and(|v| v.starts_with("HTTP/")) {
            return Err(error(number, "the request target holds a space; percent-encode it as %20"));
        }
        return Err(error(number, shape));
    };
    if !version.starts_with("HTTP/") {
        return Err(error(number, shape));
    }
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err(error(number, "the method must be a token such as GET or PUT"));
    }
    if target.chars().any(char::is_control) {
        return Err(error(number, "the request target holds a control character"));
    }
    if !(target.starts_with('/') || is_absolute(target)) {
        return Err(error(
            number,
            "the request target must be a path starting with '/' or an http(s):// URL",
        ));
    }
    Ok(((*method).to_owned(), (*target).to_owned()))
}

fn is_absolute(target: &str) -> bool {
    let lower = target.get(..8).unwrap_or(target).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// `(scheme, authority, path-and-query)`; a URL without `://` is taken as a bare target.
fn split_url(url: &str) -> (&str, &str, String) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return ("", "", url.to_owned());
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let tail = tail.split('#').next().unwrap_or_default();
    let target = if tail.starts_with('/') { tail.to_owned() } else { format!("/{tail}") };
    (scheme, authority, target)
}

/// The `Host` value for a URL's authority: no user info, no default port.
fn host_for(scheme: &str, authority: &str) -> String {
    let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "http" => ":80",
        "https" => ":443",
        _ => return authority.to_owned(),
    };
    authority.strip_suffix(default_port).unwrap_or(authority).to_owned()
}

/// Lines of the head, each without its `\n` or `\r\n`; `pos` is where the next one starts.
struct Lines<'a> {
    text: &'a [u8],
    pos: usize,
    number: usize,
}

impl<'a> Lines<'a> {
    fn next_line(&mut self) -> Result<Option<&'a str>, SignError> {
        let rest = self.text.get(self.pos..).unwrap_or_default();
        if rest.is_empty() {
            return Ok(None);
        }
        self.number += 1;
        let (line, consumed) = match rest.iter().position(|&b| b == b'\n') {
            Some(end) => (&rest[..end], end + 1),
            None => (rest, rest.len()),
        };
        self.pos += consumed;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        std::str::from_utf8(line)
            .map(Some)
            .map_err(|_| error(self.number, "the request line and headers must be UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    #[test]
    fn parses_headers_folds_and_body() {
        let raw = b"POST /a?b=c HTTP/1.1\r\nHost:example.com\r\nX-A: one \r\nX-B:first\r\n  second\r\n\tthird\r\nX-A:two\r\n\r\nbody\r\nmore";
        let req = parse_request(raw).unwrap();
        assert_eq!(req.method, "POST");
        assert_eq!(req.target, "/a?b=c");
        assert_eq!(
            req.headers,
            headers(&[
                ("Host", "example.com"),
                ("X-A", "one"),
                ("X-B", "first second third"),
                ("X-A", "two")
            ])
        );
        assert_eq!(req.body, b"body\r\nmore");
        assert_eq!(req.url().unwrap(), "https://example.com/a?b=c");
    }

    #[test]
    fn head_may_end_at_end_of_input() {
        let req = parse_request(b"GET / HTTP/1.1\nHost:h").unwrap();
        assert_eq!(req.headers, headers(&[("Host", "h")]));
        assert!(req.body.is_empty());
    }

    #[test]
    fn absolute_target_needs_no_host() {
        let req = parse_request(b"\r\nGET https://h.example:8443/x HTTP/1.1\n\n").unwrap();
        assert_eq!(req.url().unwrap(), "https://h.example:8443/x");
        let signing = req.into_signing_request().unwrap();
        assert_eq!(signing.body, Body::Bytes(Vec::new()));
    }

    #[test]
    fn errors_name_the_line() {
        let cases: &[(&[u8], usize)] = &[
            (b"", 1),
            (b"GET /\n", 1),
            (b"GET /a b HTTP/1.1\n", 1),
            (b"GET a HTTP/1.1\n", 1),
            (b"G(T / HTTP/1.1\n", 1),
            (b"GET / FTP/1\n", 1),
            (b"GET / HTTP/1.1\n continued\n", 2),
            (b"GET / HTTP/1.1\nHost:h\nno colon\n", 3),
            (b"GET / HTTP/1.1\nBad Name:v\n", 2),
            (b"GET / HTTP/1.1\n:v\n", 2),
            (b"GET / HTTP/1.1\nX:\xff\n", 2),
        ];
        for (input, line) in cases {
            match parse_request(input) {
                Err(SignError::RawRequest { line: got, .. }) => assert_eq!(got, *line, "{input:?}"),
                other => panic!("{input:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn path_target_without_host_is_an_error() {
        let req = parse_request(b"GET / HTTP/1.1\n").unwrap();
        assert!(req.url().unwrap_err().to_string().contains("Host"));
    }

    #[test]
    fn error_messages_never_hold_header_values() {
        let err =
            parse_request(b"GET / HTTP/1.1\nAuthorization:topsecret\n topsecret\nbroken line topsecret\n")
                .unwrap_err();
        assert!(!format!("{err} {err:?}").contains("topsecret"));
    }

    #[test]
    fn formats_host_first() {
        let out = format_request(
            "PUT",
            "https://bucket.s3.amazonaws.com:443/k%20ey?x=1",
            &headers(&[("X-Amz-Date", "20150830T123600Z"), ("Authorization", "AWS4-HMAC-SHA256 ...")]),
            b"data",
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "PUT /k%20ey?x=1 HTTP/1.1\nHost: bucket.s3.amazonaws.com\nX-Amz-Date: 20150830T123600Z\n\
             Authorization: AWS4-HMAC-SHA256 ...\n\ndata"
        );
    }

    #[test]
    fn formats_with_the_requests_own_host() {
        let out = format_request(
            "GET",
            "http://127.0.0.1:9000?list-type=2",
            &headers(&[("a", "1"), ("host", "127.0.0.1:9000")]),
            b"",
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "GET /?list-type=2 HTTP/1.1\nHost: 127.0.0.1:9000\na: 1\n\n"
        );
    }

    #[test]
    fn host_drops_user_info_and_default_ports() {
        assert_eq!(host_for("http", "u:p@h:80"), "h");
        assert_eq!(host_for("https", "h:8443"), "h:8443");
        assert_eq!(host_for("HTTPS", "h:443"), "h");
    }

    #[test]
    fn parse_then_format_round_trips() {
        let raw = b"GET /x?y=z HTTP/1.1\nHost: example.com\nX-One: 1\n\n";
        let req = parse_request(raw).unwrap();
        let out = format_request(&req.method, &req.url().unwrap(), &req.headers, &req.body);
        assert_eq!(out, raw);
    }
}
