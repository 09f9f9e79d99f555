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
    "--metadata-directive",
    "--request-payer",
    "--page-size",
    "--expected-size",
];

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
            let val =
                it.next().ok_or_else(|| Error::Usage(format!("argument {v}: expected one argument")))?;
            o.values.insert(v, val.clone());
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
}
