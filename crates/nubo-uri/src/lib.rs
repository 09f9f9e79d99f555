//! The percent-encoding sets of AWS requests, defined once for every layer (serializers, endpoint
//! rules, signing, presigning, the s3 commands): RFC 3986's unreserved characters
//! (`A-Z a-z 0-9 - . _ ~`) stay, everything else is `%XX`-encoded (upper-case hex, UTF-8 bytes);
//! the path form also keeps `/`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but the unreserved characters: query names and values, path labels, SigV4 encoding.
pub const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// [`UNRESERVED`] that also keeps `/`: greedy path labels, S3 keys in paths, canonical paths.
pub const PATH: &AsciiSet = &UNRESERVED.remove(b'/');

/// `text` with everything but the unreserved characters encoded.
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// `text` with everything but the unreserved characters and `/` encoded.
pub fn encode_path(text: &str) -> String {
    utf8_percent_encode(text, PATH).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_stay() {
        assert_eq!(encode("aZ09-._~ /+=&é"), "aZ09-._~%20%2F%2B%3D%26%C3%A9");
        assert_eq!(encode_path("a b/c+d"), "a%20b/c%2Bd");
    }
}
