//! The model bundle embedded in the binary: every service's newest botocore model files, each service
//! compressed on its own, so that a command decompresses only the one service it uses.
//!
//! `bundle/models.bin` is written by `scripts/gen-model-bundle` from the pinned botocore release. Its
//! layout (all integers little-endian):
//!
//! ```text
//! magic        8 bytes  "NUBOMOD2"
//! index_len    u32      length of the index that follows
//! index:
//!   count      u32
//!   count × entry:
//!     kind     u8       0 = service, 1 = global file (partitions, _retry, sdk-default-configuration)
//!     name     u16 length + UTF-8 bytes   (botocore's service directory name, or the file's stem)
//!     version  u16 length + UTF-8 bytes   (the api version directory the files came from; empty for globals)
//!     offset   u32      start of the compressed blob, counted from the end of the index
//!     len      u32      compressed length
//!     raw_len  u32      decompressed length
//! blobs        raw deflate streams (RFC 1951), one per entry
//! ```
//!
//! A global entry's blob decompresses to the minified JSON file. A service's blob decompresses to five
//! slots in the order service-2, paginators-1, waiters-2, endpoint-rule-set-1, model index; each slot is
//! a `u32` length followed by that many bytes, or the length `0xFFFF_FFFF` alone for a file the service
//! does not have. The first four are minified JSON, with documentation strings stripped and
//! `*.sdk-extras.json` already merged. The model index gives the byte range of the service-2 metadata,
//! operations and shapes (see [`crate::shapes::ServiceModel::from_indexed_json`]), so that loading a
//! model never has to scan its text.
//!
//! The index is a hand-rolled binary table rather than JSON so that reading it costs no parsing beyond a
//! few hundred small slices.

use crate::ModelError;
use flate2::read::DeflateDecoder;
use std::io::Read;
use std::sync::OnceLock;

static BUNDLE: &[u8] = include_bytes!("../bundle/models.bin");

const MAGIC: &[u8; 8] = b"NUBOMOD2";
const KIND_SERVICE: u8 = 0;
const KIND_GLOBAL: u8 = 1;
const ABSENT: u32 = u32::MAX;

/// The model files of one service, as raw JSON bytes (parsing is the caller's choice).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceFiles {
    /// `service-2.json`: the service model.
    pub service_2: Vec<u8>,
    /// `paginators-1.json`, if the service has one.
    pub paginators: Option<Vec<u8>>,
    /// `waiters-2.json`, if the service has one.
    pub waiters: Option<Vec<u8>>,
    /// `endpoint-rule-set-1.json`, if the service has one.
    pub endpoint_rule_set: Option<Vec<u8>>,
    /// The byte ranges of `service_2`'s parts, for bundled models (models read from disk have none).
    pub model_index: Option<Vec<u8>>,
}

/// One row of the index of a bundle image.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub(crate) kind: u8,
    pub(crate) name: &'a str,
    version: &'a str,
    blob: &'a [u8],
    raw_len: u32,
}

impl Entry<'_> {
    /// Decompresses this entry's blob, checking its length against the index.
    pub(crate) fn inflate(&self) -> Result<Vec<u8>, ModelError> {
        let bad = |why: &str| ModelError(format!("model bundle entry {} is corrupt: {why}", self.name));
        // Room for the end-of-stream probe too, so that reading never regrows (and copies) the buffer.
        let mut out = Vec::with_capacity(self.raw_len as usize + 64);
        DeflateDecoder::new(self.blob)
            .take(u64::from(self.raw_len) + 1)
            .read_to_end(&mut out)
            .map_err(|e| bad(&e.to_string()))?;
        if out.len() != self.raw_len as usize {
            return Err(bad("wrong decompressed length"));
        }
        Ok(out)
    }
}

/// Reads the fields of an index one after the other, failing on truncation.
pub(crate) struct Cursor<'a> {
    pub(crate) bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if self.bytes.len() < n {
            return Err(ModelError("model bundle is truncated".into()));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }
    pub(crate) fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }
    pub(crate) fn u16(&mut self) -> Result<u16, ModelError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    pub(crate) fn u32(&mut self) -> Result<u32, ModelError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub(crate) fn str(&mut self) -> Result<&'a str, ModelError> {
        let n = usize::from(self.u16()?);
        std::str::from_utf8(self.take(n)?)
            .map_err(|_| ModelError("model bundle index holds a name that is not UTF-8".into()))
    }
}

/// Parses the index of a bundle image; no blob is decompressed.
fn parse_index(image: &[u8]) -> Result<Vec<Entry<'_>>, ModelError> {
    parse_index_with(image, MAGIC)
}

/// Parses the index of an image in the bundle layout whose magic number is `magic` (the model bundle's,
/// or the documentation bundle's, which shares the layout).
pub(crate) fn parse_index_with<'a>(image: &'a [u8], magic: &[u8; 8]) -> Result<Vec<Entry<'a>>, ModelError> {
    let mut head = Cursor { bytes: image };
    if head.take(magic.len())? != magic {
        return Err(ModelError("model bundle does not start with the expected magic number".into()));
    }
    let index_len = head.u32()? as usize;
    let mut index = Cursor { bytes: head.take(index_len)? };
    let data = head.bytes;
    let count = index.u32()?;
    let mut entries = Vec::with_capacity(count.min(4096) as usize);
    for _ in 0..count {
        let kind = index.u8()?;
        let name = index.str()?;
        let version = index.str()?;
        let offset = index.u32()? as usize;
        let len = index.u32()? as usize;
        let raw_len = index.u32()?;
        let blob = offset
            .checked_add(len)
            .and_then(|end| data.get(offset..end))
            .ok_or_else(|| ModelError(format!("model bundle entry {name} lies outside the bundle")))?;
        entries.push(Entry { kind, name, version, blob, raw_len });
    }
    Ok(entries)
}

/// The embedded bundle's index, parsed on first use.
fn index() -> Result<&'static [Entry<'static>], &'static ModelError> {
    static INDEX: OnceLock<Result<Vec<Entry<'static>>, ModelError>> = OnceLock::new();
    INDEX.get_or_init(|| parse_index(BUNDLE)).as_deref()
}

fn find(kind: u8, name: &str) -> Option<Entry<'static>> {
    index().ok()?.iter().find(|e| e.kind == kind && e.name == name).copied()
}

/// Splits a decompressed service blob into its four files.
fn split_service(name: &str, raw: Vec<u8>) -> Result<ServiceFiles, ModelError> {
    let bad = || ModelError(format!("model bundle entry {name} has malformed file slots"));
    let mut cursor = Cursor { bytes: &raw };
    let mut ranges: [Option<std::ops::Range<usize>>; 5] = Default::default();
    for slot in &mut ranges {
        let len = cursor.u32().map_err(|_| bad())?;
        if len != ABSENT {
            let start = raw.len() - cursor.bytes.len();
            cursor.take(len as usize).map_err(|_| bad())?;
            *slot = Some(start..start + len as usize);
        }
    }
    if !cursor.bytes.is_empty() {
        return Err(bad());
    }
    let copy = |r: &Option<std::ops::Range<usize>>| r.clone().map(|r| raw[r].to_vec());
    let (paginators, waiters, endpoint_rule_set, model_index) =
        (copy(&ranges[1]), copy(&ranges[2]), copy(&ranges[3]), copy(&ranges[4]));
    // The model is the first and largest slot: keep it in the decompressed buffer rather than copy it.
    let service_2 = ranges[0].clone().map(|r| {
        let mut raw = raw;
        raw.truncate(r.end);
        raw.drain(..r.start);
        raw
    });
    let service_2 =
        service_2.ok_or_else(|| ModelError(format!("bundled service {name} has no service-2 model")))?;
    Ok(ServiceFiles { service_2, paginators, waiters, endpoint_rule_set, model_index })
}

/// The names of the bundled services (botocore's service directory names), in sorted order.
pub fn service_names() -> impl Iterator<Item = &'static str> {
    index().unwrap_or_default().iter().filter(|e| e.kind == KIND_SERVICE).map(|e| e.name)
}

/// The api version (botocore's version directory name, such as `2016-11-15`) of a bundled service.
pub fn api_version(service: &str) -> Option<&'static str> {
    find(KIND_SERVICE, service).map(|e| e.version)
}

/// The files of one bundled service, or `None` if the bundle does not hold it. Only this service's blob
/// is decompressed.
pub fn load(service: &str) -> Option<Result<ServiceFiles, ModelError>> {
    let entry = find(KIND_SERVICE, service)?;
    Some(entry.inflate().and_then(|raw| split_service(entry.name, raw)))
}

/// A global data file by its botocore name without `.json`: `partitions`, `_retry` or
/// `sdk-default-configuration`.
pub fn global_file(name: &str) -> Option<Result<Vec<u8>, ModelError>> {
    find(KIND_GLOBAL, name).map(|e| e.inflate())
}

/// `partitions.json`: the partitions and regions that the endpoint rules' `aws.partition` reads. Empty
/// only if the embedded bundle were corrupt, which the crate's tests rule out.
pub fn partitions() -> Vec<u8> {
    global_file("partitions").and_then(Result::ok).unwrap_or_default()
}

/// Checks the whole embedded bundle: the index parses and every entry decompresses to well-formed slots.
/// For tests and diagnostics; ordinary use never decompresses more than one service.
pub fn verify() -> Result<usize, ModelError> {
    let entries = index().map_err(|e| ModelError(e.0.clone()))?;
    for e in entries {
        let raw = e.inflate()?;
        if e.kind == KIND_SERVICE {
            split_service(e.name, raw)?;
        }
    }
    Ok(entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_lists_services_in_order_without_globals() {
        let names: Vec<_> = service_names().collect();
        assert!(names.len() > 400, "only {} services", names.len());
        assert!(names.windows(2).all(|w| w[0] < w[1]), "names are not sorted and unique");
        for expected in ["s3", "ec2", "sts", "dynamodb", "lambda", "sso-oidc"] {
            assert!(names.contains(&expected), "{expected} missing");
        }
        assert!(!names.contains(&"partitions"));
    }

    #[test]
    fn loads_one_service_with_its_files() {
        let files = load("s3").expect("s3 is bundled").expect("s3 decompresses");
        let model: serde_json::Value = serde_json::from_slice(&files.service_2).unwrap();
        assert_eq!(model["metadata"]["protocol"], "rest-xml");
        assert!(model["operations"]["GetObject"].get("documentation").is_none());
        assert!(files.paginators.is_some());
        assert!(files.waiters.is_some());
        assert!(files.endpoint_rule_set.is_some());
        assert_eq!(api_version("s3"), Some("2006-03-01"));
    }

    #[test]
    fn unknown_service_is_none() {
        assert!(load("no-such-service").is_none());
        assert!(load("partitions").is_none(), "a global file is not a service");
        assert!(api_version("").is_none());
    }

    #[test]
    fn global_files_are_json() {
        let p: serde_json::Value = serde_json::from_slice(&partitions()).unwrap();
        assert!(p["partitions"].as_array().is_some_and(|a| !a.is_empty()));
        for name in ["_retry", "sdk-default-configuration"] {
            let bytes = global_file(name).expect("present").expect("decompresses");
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap();
        }
        assert!(global_file("s3").is_none());
    }

    #[test]
    fn whole_bundle_verifies() {
        assert!(verify().unwrap() > 400);
    }

    #[test]
    fn corrupt_images_are_errors_not_panics() {
        assert!(parse_index(b"").is_err());
        assert!(parse_index(b"NOTMAGIC\0\0\0\0").is_err());
        // Every truncation of the real image's header and index fails cleanly.
        let index_end = 12 + u32::from_le_bytes(BUNDLE[8..12].try_into().unwrap()) as usize;
        for cut in (0..index_end).step_by(97) {
            assert!(parse_index(&BUNDLE[..cut]).is_err(), "cut at {cut}");
        }
        // A blob that is not deflate data, or inflates to the wrong length, is an error.
        let entry = Entry { kind: KIND_SERVICE, name: "x", version: "", blob: b"\xff\xff\xff", raw_len: 10 };
        assert!(entry.inflate().is_err());
        let good = find(KIND_SERVICE, "sts").unwrap();
        let wrong_len = Entry { raw_len: good.raw_len - 1, ..good };
        assert!(wrong_len.inflate().is_err());
        assert!(split_service("x", vec![1, 0, 0]).is_err());
        assert!(split_service("x", vec![5, 0, 0, 0, b'{']).is_err());
        let absent_model = [ABSENT.to_le_bytes(); 4].concat();
        assert!(split_service("x", absent_model).is_err());
    }
}
