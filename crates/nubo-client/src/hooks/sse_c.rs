//! S3 server-side encryption with customer keys (SSE-C): the key given as text is sent base64-encoded
//! with the base64 MD5 of its bytes in `…KeyMD5`, unless the caller gave the MD5 (then both are sent as
//! given), as botocore's `sse_md5` and `copy_source_sse_md5` do. `s3api put-object --sse-customer-key
//! <32 bytes>` thus works without computing the MD5 by hand.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest, Md5};
use serde_json::Value;
use std::borrow::Cow;

/// The member prefixes botocore encodes for S3 operation `op`.
fn prefixes(op: &str) -> &'static [&'static str] {
    match op {
        "CopyObject" | "UploadPartCopy" => &["SSECustomer", "CopySourceSSECustomer"],
        "HeadObject"
        | "GetObject"
        | "PutObject"
        | "CreateMultipartUpload"
        | "UploadPart"
        | "CompleteMultipartUpload"
        | "SelectObjectContent" => &["SSECustomer"],
        _ => &[],
    }
}

/// Encodes the SSE-C keys of S3 operation `op` and adds their MD5s, where the MD5 is not given.
pub(super) fn encode_keys(op: &str, input: &mut Cow<'_, Value>) {
    for prefix in prefixes(op) {
        let (key_member, md5_member) = (format!("{prefix}Key"), format!("{prefix}KeyMD5"));
        let Some(Value::String(key)) = input.get(key_member.as_str()) else { continue };
        if input.get(md5_member.as_str()).is_some() {
            continue;
        }
        let md5 = STANDARD.encode(Md5::digest(key.as_bytes()));
        let encoded = STANDARD.encode(key.as_bytes());
        super::set_member(input, &key_member, Value::String(encoded));
        super::set_member(input, &md5_member, Value::String(md5));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_encoded_with_their_md5_unless_the_md5_is_given() {
        // Reference values: Python's base64.b64encode(b"abc") and of hashlib.md5(b"abc").digest().
        let input = json!({"Bucket": "b", "SSECustomerKey": "abc", "CopySourceSSECustomerKey": "abc"});
        let mut copy = Cow::Borrowed(&input);
        encode_keys("CopyObject", &mut copy);
        assert_eq!(copy["SSECustomerKey"], "YWJj");
        assert_eq!(copy["SSECustomerKeyMD5"], "kAFQmDzST7DWlj99KOF/cg==");
        assert_eq!(copy["CopySourceSSECustomerKey"], "YWJj");
        assert_eq!(copy["CopySourceSSECustomerKeyMD5"], "kAFQmDzST7DWlj99KOF/cg==");

        let mut get = Cow::Borrowed(&input);
        encode_keys("GetObject", &mut get);
        assert_eq!(get["CopySourceSSECustomerKey"], "abc", "GetObject has no copy source");

        let given = json!({"SSECustomerKey": "abc", "SSECustomerKeyMD5": "mine"});
        let mut same = Cow::Borrowed(&given);
        encode_keys("PutObject", &mut same);
        assert!(matches!(same, Cow::Borrowed(_)));
        let mut other = Cow::Borrowed(&input);
        encode_keys("ListObjects", &mut other);
        assert!(matches!(other, Cow::Borrowed(_)));
    }
}
