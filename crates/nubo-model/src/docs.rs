//! The documentation bundle: the models' documentation strings and the AWS CLI's example files, which
//! only help pages read. It is a second image beside the model bundle, so that a command that is not
//! help never touches it (the operating system does not even page it in).
//!
//! `bundle/docs.bin` is written by `scripts/gen-model-bundle` from the pinned botocore and awscli
//! releases. It has the model bundle's layout (see [`crate::bundle`]) with the magic `NUBODOC1` and
//! these entry kinds:
//!
//! - 0: one service's documentation, by botocore service name;
//! - 1: an attribution text (`botocore`, `awscli`), uncompressed UTF-8 once inflated;
//! - 2: one command directory of `awscli/examples` (`ec2`, `s3api`, `s3`, `configure`), by its name.
//!
//! A service or examples blob decompresses to records: `u32` count, then per record `u8` kind (0 service,
//! 1 operation, 2 shape, 3 member named `Shape.Member`, 4 example named by its file's path without
//! `.rst`, such as `describe-instances` or `wait/instance-running`), `u16` name length and name, then
//! either `u32` text length and text, or `0xFFFF_FFFF` and the `u32` number of an earlier record with the
//! same text (texts repeat a lot within a service).

use crate::ModelError;
use crate::bundle::{Cursor, Entry, parse_index_with};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

static DOCS: &[u8] = include_bytes!("../bundle/docs.bin");

const MAGIC: &[u8; 8] = b"NUBODOC1";
const KIND_SERVICE: u8 = 0;
const KIND_GLOBAL: u8 = 1;
const KIND_EXAMPLES: u8 = 2;
const REPEAT: u32 = u32::MAX;

/// What a documentation record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Service,
    Operation,
    Shape,
    Member,
    Example,
}

impl Kind {
    fn from_u8(k: u8) -> Option<Kind> {
        Some(match k {
            0 => Kind::Service,
            1 => Kind::Operation,
            2 => Kind::Shape,
            3 => Kind::Member,
            4 => Kind::Example,
            _ => return None,
        })
    }
}

/// The documentation records of one blob, decompressed, with a lookup table by kind and name.
#[derive(Debug)]
pub struct Records {
    raw: Vec<u8>,
    by_name: HashMap<(Kind, String), Range<usize>>,
}

impl Records {
    fn parse(name: &str, raw: Vec<u8>) -> Result<Records, ModelError> {
        let bad = || ModelError(format!("documentation bundle entry {name} is corrupt"));
        let mut ranges: Vec<Range<usize>> = Vec::new();
        let mut by_name = HashMap::new();
        {
            let mut c = Cursor { bytes: &raw };
            let count = c.u32().map_err(|_| bad())?;
            for _ in 0..count {
                let kind = Kind::from_u8(c.u8().map_err(|_| bad())?).ok_or_else(bad)?;
                let key = c.str().map_err(|_| bad())?.to_string();
                let len = c.u32().map_err(|_| bad())?;
                let range = if len == REPEAT {
                    let i = c.u32().map_err(|_| bad())? as usize;
                    ranges.get(i).cloned().ok_or_else(bad)?
                } else {
                    let start = raw.len() - c.bytes.len();
                    let text = c.take(len as usize).map_err(|_| bad())?;
                    std::str::from_utf8(text).map_err(|_| bad())?;
                    start..start + len as usize
                };
                ranges.push(range.clone());
                by_name.insert((kind, key), range);
            }
            if !c.bytes.is_empty() {
                return Err(bad());
            }
        }
        Ok(Records { raw, by_name })
    }

    fn get(&self, kind: Kind, name: &str) -> Option<&str> {
        // Every text range was checked to be UTF-8 when the records were parsed.
        let r = self.by_name.get(&(kind, name.to_string()))?;
        std::str::from_utf8(&self.raw[r.clone()]).ok()
    }

    fn names(&self, kind: Kind) -> Vec<&str> {
        let mut v: Vec<&str> =
            self.by_name.keys().filter(|(k, _)| *k == kind).map(|(_, n)| n.as_str()).collect();
        v.sort_unstable();
        v
    }
}

/// One service's documentation strings (HTML, as in the models).
#[derive(Debug)]
pub struct ServiceDocs(Records);

impl ServiceDocs {
    /// The service's own documentation.
    pub fn service(&self) -> Option<&str> {
        self.0.get(Kind::Service, "")
    }
    /// An operation's documentation, by the model's operation name (`DescribeInstances`).
    pub fn operation(&self, name: &str) -> Option<&str> {
        self.0.get(Kind::Operation, name)
    }
    /// A shape's documentation.
    pub fn shape(&self, name: &str) -> Option<&str> {
        self.0.get(Kind::Shape, name)
    }
    /// The documentation of a structure's member (the member reference's, not its target shape's).
    pub fn member(&self, shape: &str, member: &str) -> Option<&str> {
        self.0.get(Kind::Member, &format!("{shape}.{member}"))
    }
}

/// The example files of one command directory of the AWS CLI (reStructuredText).
#[derive(Debug)]
pub struct Examples(Records);

impl Examples {
    /// The examples of a subcommand by its path below the directory: `describe-instances`,
    /// `wait/instance-running`.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.0.get(Kind::Example, path)
    }
    /// Every example path, sorted.
    pub fn paths(&self) -> Vec<&str> {
        self.0.names(Kind::Example)
    }
}

fn index() -> Result<&'static [Entry<'static>], &'static ModelError> {
    static INDEX: OnceLock<Result<Vec<Entry<'static>>, ModelError>> = OnceLock::new();
    INDEX.get_or_init(|| parse_index_with(DOCS, MAGIC)).as_deref()
}

fn find(kind: u8, name: &str) -> Option<Entry<'static>> {
    index().ok()?.iter().find(|e| e.kind == kind && e.name == name).copied()
}

fn records(kind: u8, name: &str) -> Option<Result<Records, ModelError>> {
    let entry = find(kind, name)?;
    Some(entry.inflate().and_then(|raw| Records::parse(entry.name, raw)))
}

/// The documentation of a bundled service by botocore name; only this service's blob is decompressed.
pub fn service(name: &str) -> Option<Result<ServiceDocs, ModelError>> {
    records(KIND_SERVICE, name).map(|r| r.map(ServiceDocs))
}

/// The AWS CLI's examples for a command directory (`ec2`, `s3api`, `s3`, `configure`).
pub fn examples(command: &str) -> Option<Result<Examples, ModelError>> {
    records(KIND_EXAMPLES, command).map(|r| r.map(Examples))
}

/// The attribution texts the bundled data's licences ask for, as (source, text): botocore's NOTICE and
/// awscli's licence header.
pub fn notices() -> Vec<(&'static str, String)> {
    let Ok(entries) = index() else { return Vec::new() };
    entries
        .iter()
        .filter(|e| e.kind == KIND_GLOBAL)
        .filter_map(|e| Some((e.name, String::from_utf8(e.inflate().ok()?).ok()?)))
        .collect()
}

/// Checks the whole documentation bundle: every entry decompresses and its records parse. For tests.
pub fn verify() -> Result<usize, ModelError> {
    let entries = index().map_err(|e| ModelError(e.0.clone()))?;
    for e in entries {
        let raw = e.inflate()?;
        match e.kind {
            KIND_SERVICE | KIND_EXAMPLES => {
                Records::parse(e.name, raw)?;
            }
            _ => {
                String::from_utf8(raw).map_err(|_| ModelError(format!("{} is not UTF-8", e.name)))?;
            }
        }
    }
    Ok(entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_docs_by_operation_shape_and_member() {
        let d = service("ec2").expect("ec2 has docs").expect("decompresses");
        assert!(d.service().unwrap().contains("Amazon Elastic Compute Cloud"));
        assert!(d.operation("DescribeInstances").unwrap().contains("instances"));
        assert!(d.member("DescribeInstancesRequest", "InstanceIds").unwrap().contains("instance ID"));
        assert!(d.operation("NoSuchOperation").is_none());
        assert!(service("no-such-service").is_none());
    }

    #[test]
    fn every_bundled_service_has_docs_and_the_bundle_verifies() {
        let n = verify().unwrap();
        assert!(n > 600, "{n} entries");
        for s in crate::bundle::service_names() {
            assert!(find(KIND_SERVICE, s).is_some(), "{s} has no documentation entry");
        }
    }

    #[test]
    fn examples_by_command_path() {
        let e = examples("ec2").expect("ec2 examples").expect("decompresses");
        assert!(e.get("describe-instances").unwrap().contains("aws ec2 describe-instances"));
        assert!(e.paths().len() > 300);
        let s3 = examples("s3").unwrap().unwrap();
        assert!(s3.get("cp").unwrap().contains("aws s3 cp"));
    }

    #[test]
    fn notices_name_their_sources() {
        let n = notices();
        let names: Vec<_> = n.iter().map(|(s, _)| *s).collect();
        assert_eq!(names, ["botocore", "awscli"]);
        assert!(n[0].1.contains("Apache License"));
    }

    #[test]
    fn corrupt_records_are_errors() {
        assert!(Records::parse("x", vec![]).is_err());
        assert!(Records::parse("x", vec![1, 0, 0, 0, 9, 0, 0]).is_err());
        // A repeat that points forward.
        let mut raw = 1u32.to_le_bytes().to_vec();
        raw.extend([1, 1, 0, b'a']);
        raw.extend(REPEAT.to_le_bytes());
        raw.extend(5u32.to_le_bytes());
        assert!(Records::parse("x", raw).is_err());
    }
}
