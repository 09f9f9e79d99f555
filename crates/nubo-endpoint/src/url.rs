//! `parseURL`: splits an endpoint URL into scheme, authority, path and normalized path, and says whether the
//! host is an IP address.
//!
//! Hand-written because the result must match what botocore gets from Python's `urllib.parse.urlparse`
//! (which is lenient where URL crates are strict or normalize: it keeps the authority as written, accepts
//! any path, and only rejects bad ports and brackets); the `url` crate would change what the rules see.

use std::net::Ipv6Addr;

use percent_encoding::utf8_percent_encode;
use serde_json::{Map, Value};

use crate::functions::{PATH_ENCODE_SET, looks_like_ipv4};

/// The parts of a URL as Python's `urlparse` splits them.
#[derive(Debug, PartialEq, Eq)]
struct Split<'a> {
    scheme: String,
    netloc: &'a str,
    path: &'a str,
    query: &'a str,
}

/// `parseURL(value)`: `None` unless the URL is `http` or `https`, has no query and a valid port.
pub(crate) fn parse_url(input: &str) -> Value {
    let Some(parsed) = parse(input) else { return Value::Null };
    let mut out = Map::new();
    out.insert("scheme".into(), Value::String(parsed.scheme));
    out.insert("authority".into(), Value::String(parsed.authority));
    out.insert("path".into(), Value::String(parsed.path));
    out.insert("normalizedPath".into(), Value::String(parsed.normalized_path));
    out.insert("isIp".into(), Value::Bool(parsed.is_ip));
    Value::Object(out)
}

#[derive(Debug)]
struct Parsed {
    scheme: String,
    authority: String,
    path: String,
    normalized_path: String,
    is_ip: bool,
}

fn parse(input: &str) -> Option<Parsed> {
    let cleaned: String;
    let trimmed = input.trim_start_matches(|c: char| c <= ' ');
    let url = if trimmed.contains(['\t', '\r', '\n']) {
        cleaned = trimmed.chars().filter(|c| !matches!(c, '\t' | '\r' | '\n')).collect();
        cleaned.as_str()
    } else {
        trimmed
    };
    let split = urlsplit(url)?;
    let (host, port) = host_and_port(split.netloc);
    if let Some(port) = port {
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Leading zeros are allowed; only the value must fit.
        let digits = port.trim_start_matches('0');
        if digits.len() > 5 || digits.parse::<u32>().unwrap_or(0) > 65535 {
            return None;
        }
    }
    if !(split.scheme == "http" || split.scheme == "https") || !split.query.is_empty() {
        return None;
    }
    // `urlparse` splits `;parameters` off the last path segment.
    let path = strip_params(split.path);
    let mut normalized = utf8_percent_encode(&remove_dot_segments(path), PATH_ENCODE_SET).to_string();
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    let is_ip = host.is_some_and(|h| {
        let h = h.to_ascii_lowercase();
        looks_like_ipv4(&h) || (!input.contains(['\t', '\r', '\n']) && is_ipv6_with_zone(&h))
    });
    Some(Parsed {
        scheme: split.scheme,
        authority: split.netloc.to_owned(),
        path: path.to_owned(),
        normalized_path: normalized,
        is_ip,
    })
}

/// Python's `urlsplit`, for an input already stripped of leading controls and of tabs and newlines.
/// `None` where Python raises (unbalanced brackets, a bracketed host that is not an IPv6 address).
fn urlsplit(url: &str) -> Option<Split<'_>> {
    let mut scheme = String::new();
    let mut rest = url;
    if let Some(colon) = url.find(':')
        && colon > 0
        && url.as_bytes()[0].is_ascii_alphabetic()
        && url[..colon].bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        scheme = url[..colon].to_ascii_lowercase();
        rest = &url[colon + 1..];
    }
    let mut netloc = "";
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        netloc = &after[..end];
        rest = &after[end..];
        let (open, close) = (netloc.contains('['), netloc.contains(']'));
        if open != close {
            return None;
        }
        if open {
            let bracketed = netloc.split_once('[').map_or("", |(_, b)| b);
            let bracketed = bracketed.split_once(']').map_or(bracketed, |(b, _)| b);
            if !bracketed_host_ok(bracketed) {
                return None;
            }
        }
    }
    if let Some((before, _fragment)) = rest.split_once('#') {
        rest = before;
    }
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    Some(Split { scheme, netloc, path, query })
}

/// What Python accepts between brackets: `v<hex>.<anything>` or an IPv6 address with an optional `%zone`.
fn bracketed_host_ok(host: &str) -> bool {
    if let Some(future) = host.strip_prefix('v') {
        return match future.split_once('.') {
            Some((hex, tail)) => {
                !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) && !tail.is_empty()
            }
            None => false,
        };
    }
    let (addr, zone) = match host.split_once('%') {
        Some((addr, zone)) => (addr, Some(zone)),
        None => (host, None),
    };
    if zone.is_some_and(|z| z.is_empty() || z.contains('%')) {
        return false;
    }
    addr.parse::<Ipv6Addr>().is_ok()
}

/// The host name and port text of a network location, as Python's `hostname` and `port` read them
/// (host `None` when empty; port `None` when absent or empty).
fn host_and_port(netloc: &str) -> (Option<&str>, Option<&str>) {
    let hostinfo = netloc.rsplit_once('@').map_or(netloc, |(_, h)| h);
    let (host, port) = match hostinfo.split_once('[') {
        Some((_, bracketed)) => {
            let (host, after) = bracketed.split_once(']').unwrap_or((bracketed, ""));
            (host, after.split_once(':').map_or("", |(_, p)| p))
        }
        None => hostinfo.split_once(':').unwrap_or((hostinfo, "")),
    };
    ((!host.is_empty()).then_some(host), (!port.is_empty()).then_some(port))
}

fn strip_params(path: &str) -> &str {
    let from = path.rfind('/').unwrap_or(0);
    match path[from..].find(';') {
        Some(i) => &path[..from + i],
        None => path,
    }
}

/// RFC 3986 dot-segment removal that also collapses empty segments (as botocore does); `/` for an empty
/// path.
fn remove_dot_segments(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push('/');
    }
    out.push_str(&segments.join("/"));
    if path.ends_with('/') && !segments.is_empty() {
        out.push('/');
    }
    out
}

/// An IPv6 address in RFC 3986 syntax (the last 32 bits may be written as four groups of one to three
/// digits), optionally followed by a `%` zone of unreserved characters and percent-escapes.
fn is_ipv6_with_zone(host: &str) -> bool {
    let (addr, zone) = match host.split_once('%') {
        Some((addr, zone)) => (addr, Some(zone)),
        None => (host, None),
    };
    if let Some(zone) = zone
        && !zone_ok(zone)
    {
        return false;
    }
    ipv6_syntax_ok(addr)
}

fn zone_ok(zone: &str) -> bool {
    let bytes = zone.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'!' | b'-' | b'~') {
            i += 1;
        } else if b == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            i += 3;
        } else {
            return false;
        }
    }
    true
}

fn ipv6_syntax_ok(addr: &str) -> bool {
    fn h16(s: &str) -> bool {
        (1..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
    }
    /// Counts the 16-bit groups of a colon-separated list; only the last item may be a dotted IPv4 part
    /// (worth two groups) when `tail` is true.
    fn groups(s: &str, tail: bool) -> Option<usize> {
        if s.is_empty() {
            return Some(0);
        }
        let items: Vec<&str> = s.split(':').collect();
        let mut count = 0;
        for (i, item) in items.iter().enumerate() {
            if h16(item) {
                count += 1;
            } else if tail && i + 1 == items.len() && looks_like_ipv4(item) {
                count += 2;
            } else {
                return None;
            }
        }
        Some(count)
    }
    match addr.split_once("::") {
        Some((left, right)) => {
            if right.contains("::") {
                return false;
            }
            match (groups(left, false), groups(right, true)) {
                // A lone dotted part after `::` stands for the final 32 bits.
                (Some(l), Some(r)) => l + r <= 7,
                _ => false,
            }
        }
        None => groups(addr, true) == Some(8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parsed(url: &str) -> Value {
        parse_url(url)
    }

    #[test]
    fn parses_plain_urls() {
        assert_eq!(
            parsed("https://example.com"),
            json!({"scheme": "https", "authority": "example.com", "path": "", "normalizedPath": "/", "isIp": false})
        );
        assert_eq!(
            parsed("http://Example.com:8443/a/b"),
            json!({"scheme": "http", "authority": "Example.com:8443", "path": "/a/b", "normalizedPath": "/a/b/",
                   "isIp": false})
        );
        assert_eq!(parsed("HTTPS://h/x/")["scheme"], json!("https"));
        assert_eq!(parsed("https://h/x/")["normalizedPath"], json!("/x/"));
        assert_eq!(parsed("https://h/a/./b/../c//d")["normalizedPath"], json!("/a/c/d/"));
        assert_eq!(parsed("https://h/a b%20")["normalizedPath"], json!("/a%20b%2520/"));
        assert_eq!(parsed("https://h/path#frag")["path"], json!("/path"));
        assert_eq!(parsed("https://h/p;params")["path"], json!("/p"));
    }

    #[test]
    fn rejects_what_botocore_rejects() {
        assert_eq!(parsed("https://h/?q=1"), json!(null));
        assert_eq!(parsed("ftp://h/"), json!(null));
        assert_eq!(parsed("h/path"), json!(null));
        assert_eq!(parsed("https://h:abc/"), json!(null));
        assert_eq!(parsed("https://h:70000/"), json!(null));
        assert_eq!(parsed("https://[::1/"), json!(null));
        assert_eq!(parsed("https://[not-ip]/"), json!(null));
        assert_ne!(parsed("https://h:/"), json!(null));
        assert_ne!(parsed("https://h:00080/"), json!(null));
    }

    #[test]
    fn recognises_ip_hosts() {
        assert_eq!(parsed("http://123.123.123.123:8080/x")["isIp"], json!(true));
        assert_eq!(parsed("http://[::1]:8080")["isIp"], json!(true));
        assert_eq!(parsed("http://[fe80::1%25en0]/")["isIp"], json!(true));
        assert_eq!(parsed("http://[2001:db8::1.2.3.4]/")["isIp"], json!(true));
        assert_eq!(parsed("http://user@10.0.0.1/")["isIp"], json!(true));
        assert_eq!(parsed("http://1.2.3/")["isIp"], json!(false));
        assert_eq!(parsed("http://example.com/")["isIp"], json!(false));
    }

    #[test]
    fn ipv6_grammar() {
        for ok in
            ["::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "1:2:3:4:5:6:7::"]
        {
            assert!(ipv6_syntax_ok(ok), "{ok}");
        }
        for bad in ["1:2:3:4:5:6:7", "1::2::3", ":1::", "1:2:3:4:5:6:7:8:9", "12345::", "1.2.3.4::", "g::"] {
            assert!(!ipv6_syntax_ok(bad), "{bad}");
        }
        assert!(zone_ok("25en0"));
        assert!(zone_ok("%41b"));
        assert!(!zone_ok("$"));
        assert!(!zone_ok(""));
    }

    #[test]
    fn dot_segments() {
        assert_eq!(remove_dot_segments(""), "/");
        assert_eq!(remove_dot_segments("/"), "/");
        assert_eq!(remove_dot_segments("/a/../.."), "/");
        assert_eq!(remove_dot_segments("a/b/"), "a/b/");
    }
}
