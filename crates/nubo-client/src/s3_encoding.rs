//! S3 listings with URL-encoded keys, as the AWS CLI v2 asks for them: `ListObjects`,
//! `ListObjectsV2` and `ListObjectVersions` send `encoding-type=url` unless the caller set an
//! encoding, so that keys S3 cannot put in XML (control characters) survive, and the keys,
//! prefixes, delimiters and markers of the answer are decoded before anyone sees them.
//! (`ListMultipartUploads` is left alone, as the CLI leaves it; so are listings whose caller chose
//! the encoding: they get what S3 sent.)

use percent_encoding::percent_decode_str;
use serde_json::Value;
use std::borrow::Cow;

/// The elements S3 encodes in one listing: top-level members, then (list, member) pairs.
type Encoded = (&'static [&'static str], &'static [(&'static str, &'static str)]);

fn encoded(op: &str) -> Option<Encoded> {
    const PREFIXES: (&str, &str) = ("CommonPrefixes", "Prefix");
    Some(match op {
        "ListObjects" => (&["Delimiter", "Marker", "NextMarker", "Prefix"], &[("Contents", "Key"), PREFIXES]),
        "ListObjectsV2" => (&["Delimiter", "Prefix", "StartAfter"], &[("Contents", "Key"), PREFIXES]),
        "ListObjectVersions" => (
            &["KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"],
            &[("Versions", "Key"), ("DeleteMarkers", "Key"), PREFIXES],
        ),
        _ => return None,
    })
}

/// Before serializing: asks for `EncodingType=url` when the caller did not choose one. Returns
/// whether the answer must be decoded.
pub fn prepare_input(service: &str, op: &str, input: &mut Cow<'_, Value>) -> bool {
    if service != "s3" || encoded(op).is_none() || input.get("EncodingType").is_some() {
        return false;
    }
    match input.to_mut().as_object_mut() {
        Some(obj) => {
            obj.insert("EncodingType".into(), Value::String("url".into()));
            true
        }
        None => false,
    }
}

/// Decodes the encoded elements of a parsed listing of `op`, when S3 says it encoded them.
pub fn decode(op: &str, output: &mut Value) {
    let Some((top, nested)) = encoded(op) else { return };
    if output.get("EncodingType").and_then(Value::as_str) != Some("url") {
        return;
    }
    for key in top {
        decode_member(output, key);
    }
    for (list, key) in nested {
        if let Some(items) = output.get_mut(*list).and_then(Value::as_array_mut) {
            for item in items {
                decode_member(item, key);
            }
        }
    }
}

fn decode_member(v: &mut Value, key: &str) {
    if let Some(Value::String(s)) = v.get_mut(key) {
        *s = unquote_plus(s);
    }
}

/// `+` as a space, then `%XX` escapes, as Python's `unquote_plus` (invalid UTF-8 replaced).
fn unquote_plus(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn listings_ask_for_url_encoding_unless_set() {
        let mut input = Cow::Owned(json!({"Bucket": "b"}));
        assert!(prepare_input("s3", "ListObjectsV2", &mut input));
        assert_eq!(input["EncodingType"], "url");
        let mut mine = Cow::Owned(json!({"Bucket": "b", "EncodingType": "url"}));
        assert!(!prepare_input("s3", "ListObjectsV2", &mut mine));
        let mut other = Cow::Owned(json!({"Bucket": "b"}));
        assert!(!prepare_input("s3", "GetObject", &mut other));
        assert!(!prepare_input("s3", "ListMultipartUploads", &mut other));
        assert!(!prepare_input("s3control", "ListObjectsV2", &mut other));
        assert!(other.get("EncodingType").is_none());
    }

    #[test]
    fn keys_prefixes_and_markers_are_decoded() {
        let mut out = json!({
            "EncodingType": "url", "Prefix": "a+b%2F", "KeyMarker": "%E2%82%AC", "Delimiter": "%2F",
            "Versions": [{"Key": "sp+ace%2Bplus"}], "DeleteMarkers": [{"Key": "%C3%BC"}],
            "CommonPrefixes": [{"Prefix": "d%20e/"}]
        });
        decode("ListObjectVersions", &mut out);
        assert_eq!(out["Prefix"], "a b/");
        assert_eq!(out["KeyMarker"], "€");
        assert_eq!(out["Delimiter"], "/");
        assert_eq!(out["Versions"][0]["Key"], "sp ace+plus");
        assert_eq!(out["DeleteMarkers"][0]["Key"], "ü");
        assert_eq!(out["CommonPrefixes"][0]["Prefix"], "d e/");
        let mut plain = json!({"Contents": [{"Key": "a+b"}]});
        decode("ListObjectsV2", &mut plain);
        assert_eq!(plain["Contents"][0]["Key"], "a+b");
        let mut uploads = json!({"EncodingType": "url", "Uploads": [{"Key": "x%3Dy"}]});
        decode("ListMultipartUploads", &mut uploads);
        assert_eq!(uploads["Uploads"][0]["Key"], "x%3Dy");
    }
}
