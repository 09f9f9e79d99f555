//! The command line of each s3 command: its paths, flags and valued options, with the filters
//! (`--exclude`, `--include`) kept in the order given.

use crate::Error;
use std::collections::{HashMap, HashSet};

/// One command's parsed arguments.
#[derive(Debug, Default)]
pub struct Opts {
    pub paths: Vec<String>,
    flags: HashSet<&'static str>,
    values: HashMap<&'static str, String>,
    lists: HashMap<&'static str, Vec<String>>,
    /// `(include, pattern)` in command-line order.
    pub filters: Vec<(bool, String)>,
}

impl Opts {
    pub fn flag(&self, name: &str) -> bool {
        self.flags.contains(name)
    }
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
    /// The values of a `nargs='+'` option (`--grants`).
    pub fn list(&self, name: &str) -> &[String] {
        self.lists.get(name).map_or(&[], Vec::as_slice)
    }
}

const TRANSFER_FLAGS: &[&str] = &[
    "--dryrun",
    "--quiet",
    "--only-show-errors",
    "--no-progress",
    "--follow-symlinks",
    "--no-follow-symlinks",
    "--no-guess-mime-type",
    "--ignore-glacier-warnings",
    "--force-glacier-transfer",
];
const TRANSFER_VALUES: &[&str] = &[
    "--content-type",
    "--metadata",
    "--storage-class",
    "--acl",
    "--cache-control",
    "--content-disposition",
    "--content-encoding",
    "--content-language",
    "--expires",
    "--sse",
    "--sse-kms-key-id",
    "--sse-c",
    "--sse-c-key",
    "--sse-c-copy-source",
    "--sse-c-copy-source-key",
    "--grants",
    "--website-redirect",
    "--source-region",
    "--metadata-directive",
    "--request-payer",
    "--page-size",
    "--expected-size",
    "--checksum-mode",
    "--checksum-algorithm",
    "--copy-props",
];

/// Options whose value may be left out (argparse `nargs='?'`), with the value they then take.
const OPTIONAL_VALUES: &[(&str, &str)] = &[
    ("--sse", "AES256"),
    ("--sse-c", "AES256"),
    ("--sse-c-copy-source", "AES256"),
    ("--request-payer", "requester"),
];

/// Options that take one or more values (`nargs='+'`), kept as a list.
const LIST_VALUES: &[&str] = &["--grants"];

/// The values an option accepts, where the CLI restricts them.
fn choices(option: &str) -> Option<&'static [&'static str]> {
    Some(match option {
        "--sse" => &["AES256", "aws:kms", "aws:kms:dsse"],
        "--sse-c" | "--sse-c-copy-source" => &["AES256"],
        "--request-payer" => &["requester"],
        "--metadata-directive" => &["COPY", "REPLACE"],
        "--checksum-mode" => &["ENABLED"],
        "--checksum-algorithm" => &["CRC64NVME", "CRC32", "SHA256", "SHA1", "CRC32C"],
        "--copy-props" => &["none", "metadata-directive", "default"],
        "--storage-class" => &[
            "STANDARD",
            "REDUCED_REDUNDANCY",
            "STANDARD_IA",
            "ONEZONE_IA",
            "INTELLIGENT_TIERING",
            "GLACIER",
            "DEEP_ARCHIVE",
            "GLACIER_IR",
        ],
        "--acl" => &[
            "private",
            "public-read",
            "public-read-write",
            "authenticated-read",
            "aws-exec-read",
            "bucket-owner-read",
            "bucket-owner-full-control",
            "log-delivery-write",
        ],
        _ => return None,
    })
}

/// The flags, valued options and path count range of a command.
fn table(command: &str) -> (Vec<&'static str>, Vec<&'static str>, usize, usize) {
    match command {
        "ls" => (
            vec!["--recursive", "--human-readable", "--summarize"],
            vec!["--page-size", "--request-payer", "--bucket-name-prefix", "--bucket-region"],
            0,
            1,
        ),
        "mb" => (vec![], vec![], 1, 1),
        "website" => (vec![], vec!["--index-document", "--error-document"], 1, 1),
        "rb" => (vec!["--force"], vec![], 1, 1),
        "rm" => (
            vec!["--recursive", "--dryrun", "--quiet", "--only-show-errors"],
            vec!["--page-size", "--request-payer"],
            1,
            1,
        ),
        "cp" | "mv" => {
            let mut f = TRANSFER_FLAGS.to_vec();
            f.push("--recursive");
            (f, TRANSFER_VALUES.to_vec(), 2, 2)
        }
        "sync" => {
            let mut f = TRANSFER_FLAGS.to_vec();
            f.extend(["--delete", "--size-only", "--exact-timestamps"]);
            (f, TRANSFER_VALUES.to_vec(), 2, 2)
        }
        _ => (vec![], vec![], 0, usize::MAX),
    }
}

/// Parses `args` for `command`.
pub fn parse(command: &str, args: &[String]) -> Result<Opts, Error> {
    let (flags, values, min, max) = table(command);
    let filters = matches!(command, "cp" | "mv" | "rm" | "sync");
    let mut o = Opts::default();
    let mut unknown = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(f) = flags.iter().find(|f| **f == a || (**f == "--recursive" && a == "-r")) {
            o.flags.insert(f);
        } else if let Some(v) = values.iter().find(|v| **v == a) {
            if LIST_VALUES.contains(v) {
                let mut vals = Vec::new();
                while let Some(next) = it.as_slice().first().filter(|n| !n.starts_with("--")) {
                    vals.push(next.clone());
                    it.next();
                }
                if vals.is_empty() {
                    return Err(Error::Usage(format!("argument {v}: expected at least one argument")));
                }
                o.lists.entry(v).or_default().extend(vals);
                continue;
            }
            let val = match OPTIONAL_VALUES.iter().find(|(n, _)| n == v) {
                // `--sse` alone (or followed by another option or a path) takes its default value.
                Some((_, default)) => match it.as_slice().first() {
                    Some(next) if choices(v).is_some_and(|c| c.contains(&next.as_str())) => {
                        it.next();
                        next.clone()
                    }
                    _ => default.to_string(),
                },
                None => it
                    .next()
                    .ok_or_else(|| Error::Usage(format!("argument {v}: expected one argument")))?
                    .clone(),
            };
            if let Some(allowed) = choices(v)
                && !allowed.contains(&val.as_str())
            {
                let list = allowed.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ");
                return Err(Error::Usage(format!(
                    "argument {v}: Invalid choice, valid choices are:\n\n{list}\n"
                )));
            }
            o.values.insert(v, val);
        } else if filters && (a == "--exclude" || a == "--include") {
            let val =
                it.next().ok_or_else(|| Error::Usage(format!("argument {a}: expected one argument")))?;
            o.filters.push((a == "--include", val.clone()));
        } else if a.starts_with("--") {
            unknown.push(a.clone());
        } else {
            o.paths.push(a.clone());
        }
    }
    if o.paths.len() > max {
        unknown.extend(o.paths.drain(max..));
    }
    if !unknown.is_empty() {
        return Err(Error::Usage(format!("Unknown options: {}", unknown.join(", "))));
    }
    if o.paths.len() < min {
        let names = if min == 2 { "paths" } else { "path" };
        return Err(Error::Usage(format!("the following arguments are required: {names}")));
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_and_filters_parse_in_order() {
        let o = parse("cp", &v(&["a", "s3://b/", "--recursive", "--exclude", "*", "--include", "*.txt"]))
            .unwrap();
        assert_eq!(o.paths, v(&["a", "s3://b/"]));
        assert!(o.flag("--recursive"));
        assert_eq!(o.filters, vec![(false, "*".to_string()), (true, "*.txt".to_string())]);
        assert!(matches!(parse("cp", &v(&["a"])), Err(Error::Usage(_))));
        assert!(matches!(parse("ls", &v(&["--bogus"])), Err(Error::Usage(_))));
        assert!(matches!(parse("mb", &v(&["s3://a", "s3://b"])), Err(Error::Usage(_))));
    }

    #[test]
    fn optional_values_lists_and_choices() {
        let o = parse(
            "cp",
            &v(&["a", "s3://b/", "--sse", "--request-payer", "--grants", "read=id=1", "full=id=2"]),
        )
        .unwrap();
        assert_eq!(o.value("--sse"), Some("AES256"));
        assert_eq!(o.value("--request-payer"), Some("requester"));
        assert_eq!(o.list("--grants"), v(&["read=id=1", "full=id=2"]));
        assert_eq!(o.paths, v(&["a", "s3://b/"]));
        let o = parse("cp", &v(&["--sse", "aws:kms", "a", "s3://b/"])).unwrap();
        assert_eq!(o.value("--sse"), Some("aws:kms"));
        assert_eq!(o.paths, v(&["a", "s3://b/"]));
        assert!(matches!(parse("cp", &v(&["a", "s3://b/", "--copy-props", "all"])), Err(Error::Usage(_))));
    }
}
