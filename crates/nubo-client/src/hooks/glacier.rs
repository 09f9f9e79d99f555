//! Glacier: every request names the API version in `x-amz-glacier-version` (botocore's
//! `add_glacier_version`; Glacier refuses requests without it), and archive uploads
//! (`upload-archive`, `upload-multipart-part`) carry the SHA-256 of the body in `x-amz-content-sha256`
//! and its SHA-256 tree hash in `x-amz-sha256-tree-hash` when not given (botocore's
//! `add_glacier_checksums`). The account id's `-` default is filled in `nubo-args`, before validation.

use super::has_header;
use nubo_model::{Operation, ServiceModel};
use sha2::{Digest, Sha256};

/// The tree hash's leaf size: 1 MiB.
const CHUNK: usize = 1024 * 1024;

/// Adds the version header, and the checksums of an archive upload.
pub(super) fn add_headers(
    model: &ServiceModel,
    op: &Operation,
    headers: &mut Vec<(String, String)>,
    body: &[u8],
) {
    if let Some(version) = &model.metadata.api_version
        && !has_header(headers, "x-amz-glacier-version")
    {
        headers.push(("x-amz-glacier-version".into(), version.clone()));
    }
    if !matches!(op.name.as_str(), "UploadArchive" | "UploadMultipartPart") {
        return;
    }
    if !has_header(headers, "x-amz-content-sha256") {
        headers.push(("x-amz-content-sha256".into(), hex(&Sha256::digest(body))));
    }
    if !has_header(headers, "x-amz-sha256-tree-hash") {
        headers.push(("x-amz-sha256-tree-hash".into(), tree_hash(body)));
    }
}

/// Glacier's tree hash: SHA-256 of each 1 MiB chunk, then of each adjacent pair of hashes, level by
/// level until one is left (an odd one out moves up unchanged); the hash of nothing for an empty body.
pub fn tree_hash(body: &[u8]) -> String {
    let mut level: Vec<[u8; 32]> = body.chunks(CHUNK).map(|c| Sha256::digest(c).into()).collect();
    if level.is_empty() {
        level.push(Sha256::digest(b"").into());
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [a, b] => {
                    let mut h = Sha256::new();
                    h.update(a);
                    h.update(b);
                    h.finalize().into()
                }
                [a] => *a,
                _ => unreachable!("chunks of two"),
            })
            .collect();
    }
    hex(&level[0])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> ServiceModel {
        ServiceModel::from_json(
            br#"{"metadata":{"protocol":"rest-json","apiVersion":"2012-06-01"},"operations":{
              "UploadArchive":{"name":"UploadArchive"},"ListVaults":{"name":"ListVaults"}},"shapes":{}}"#,
        )
        .unwrap()
    }

    #[test]
    fn every_request_names_the_version_and_uploads_carry_both_hashes() {
        let m = model();
        let mut h = Vec::new();
        add_headers(&m, m.operation("ListVaults").unwrap(), &mut h, b"");
        assert_eq!(h, [("x-amz-glacier-version".to_string(), "2012-06-01".to_string())]);
        let mut h = vec![("x-amz-sha256-tree-hash".to_string(), "given".to_string())];
        add_headers(&m, m.operation("UploadArchive").unwrap(), &mut h, b"abc");
        // Python: hashlib.sha256(b"abc").hexdigest()
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert!(h.contains(&("x-amz-content-sha256".to_string(), abc.to_string())));
        assert!(h.contains(&("x-amz-sha256-tree-hash".to_string(), "given".to_string())));
        assert_eq!(h.len(), 3);
    }

    #[test]
    fn tree_hashes_combine_megabyte_chunks_pairwise() {
        let one = |b: &[u8]| -> [u8; 32] { Sha256::digest(b).into() };
        let pair = |a: [u8; 32], b: [u8; 32]| -> [u8; 32] { Sha256::digest([a, b].concat()).into() };
        assert_eq!(tree_hash(b"abc"), hex(&one(b"abc")));
        assert_eq!(tree_hash(b""), hex(&one(b"")));
        // Three chunks: (h0 h1) then with h2.
        let body: Vec<u8> = (0..CHUNK * 2 + 10).map(|i| (i % 251) as u8).collect();
        let h: Vec<[u8; 32]> = body.chunks(CHUNK).map(one).collect();
        assert_eq!(tree_hash(&body), hex(&pair(pair(h[0], h[1]), h[2])));
    }
}
