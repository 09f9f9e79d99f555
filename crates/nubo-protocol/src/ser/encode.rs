//! Percent-encoding as AWS expects it: everything but the RFC 3986 unreserved characters
//! (`A-Z a-z 0-9 - _ . ~`) is encoded, in query strings, form bodies and URI labels; greedy URI
//! labels (`{Key+}`) keep `/` as well.

use percent_encoding::{AsciiSet, utf8_percent_encode};

/// Characters encoded in query keys and values, form bodies and plain URI labels.
const UNRESERVED: &AsciiSet = nubo_uri::UNRESERVED;
/// Characters encoded in greedy URI labels.
const GREEDY: &AsciiSet = nubo_uri::PATH;

/// Encode a query key or value, form field or plain URI label.
pub(crate) fn component(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// Encode a greedy URI label, keeping `/`.
pub(crate) fn greedy(s: &str) -> String {
    utf8_percent_encode(s, GREEDY).to_string()
}

/// `k=v&k=v` from pairs, each side encoded.
pub(crate) fn form(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&component(k));
        out.push('=');
        out.push_str(&component(v));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_all_but_unreserved() {
        assert_eq!(component("a b/c~d-e_f.g:h%é"), "a%20b%2Fc~d-e_f.g%3Ah%25%C3%A9");
        assert_eq!(greedy("a b/c~d+"), "a%20b/c~d%2B");
        assert_eq!(
            form(&[("A b".into(), "x=y&z".into()), ("C".into(), String::new())]),
            "A%20b=x%3Dy%26z&C="
        );
    }
}
