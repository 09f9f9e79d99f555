//! The config and credentials files merged into one view: profiles, sso-sessions and services by
//! name, each property remembering the file and line it came from.
//!
//! Merge rules (the cross-SDK suite's): sections of the same name within a file merge, a later
//! key replacing an earlier one; in the config file `[default]` is ignored whenever
//! `[profile default]` appears; a credentials-file value replaces the config-file value of the
//! same profile and key.

use crate::env::Env;
use crate::location;
use crate::parse::{self, FileKind, ParseError, ParsedFile, SectionKind};
use indexmap::IndexMap;
use std::io;
use std::path::{Path, PathBuf};

/// Where a property was defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file.
    pub path: PathBuf,
    /// The 1-based line of the `key = value` line.
    pub line: usize,
    /// Config or credentials.
    pub kind: FileKind,
}

/// One property of a merged section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// The value as the cross-SDK format defines it (see [`parse::ParsedProperty::value`]); for
    /// a sub-property block, the raw text starting with `\n`.
    pub value: String,
    /// The sub-properties (`s3 =` then indented `name = value` lines), in order.
    pub sub: Vec<(String, String)>,
    /// Where it was defined.
    pub origin: Origin,
}

/// A merged profile, sso-session or services section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// Properties by lower-cased key, in the order first seen.
    pub properties: IndexMap<String, Property>,
}

impl Section {
    /// The value of `key` (matched case-insensitively, as keys are stored lower-cased).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.property(key).map(|p| p.value.as_str())
    }

    /// The property `key`, with its sub-properties and origin.
    pub fn property(&self, key: &str) -> Option<&Property> {
        self.properties.get(key).or_else(|| self.properties.get(&key.to_ascii_lowercase()))
    }

    /// The sub-property `subkey` of `key` (`get_sub("s3", "max_concurrent_requests")`).
    pub fn get_sub(&self, key: &str, subkey: &str) -> Option<&str> {
        self.property(key)?.sub.iter().rev().find(|(k, _)| k == subkey).map(|(_, v)| v.as_str())
    }
}

/// Both files, merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileSet {
    /// Profiles by name (without `profile `), config-file order first, then new credentials ones.
    pub profiles: IndexMap<String, Section>,
    /// `[sso-session NAME]` sections (config file only).
    pub sso_sessions: IndexMap<String, Section>,
    /// `[services NAME]` sections (config file only).
    pub services: IndexMap<String, Section>,
    /// Everything that was ignored while reading, one line each (config file first).
    pub warnings: Vec<String>,
}

impl ProfileSet {
    /// The profile `name`.
    pub fn profile(&self, name: &str) -> Option<&Section> {
        self.profiles.get(name)
    }

    /// The sso-session `name`.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    /// The services section `name`.
    pub fn service(&self, name: &str) -> Option<&Section> {
        self.services.get(name)
    }

    /// Adds one parsed file's sections on top of what is already here.
    fn absorb(&mut self, file: ParsedFile) {
        let has_prefixed_default = file.kind == FileKind::Config
            && file
                .sections
                .iter()
                .any(|s| !s.bare_default && s.kind == SectionKind::Profile("default".into()));
        self.warnings.extend(file.warnings);
        for section in file.sections {
            if section.bare_default && has_prefixed_default {
                self.warnings.push(format!(
                    "{} file {} line {}: [default] is ignored because [profile default] is also present",
                    file.kind,
                    file.path.display(),
                    section.line
                ));
                continue;
            }
            let target = match section.kind {
                SectionKind::Profile(name) => self.profiles.entry(name),
                SectionKind::SsoSession(name) => self.sso_sessions.entry(name),
                SectionKind::Services(name) => self.services.entry(name),
                SectionKind::Ignored => continue,
            }
            .or_default();
            for p in section.properties {
                let property = Property {
                    value: p.value,
                    sub: p.sub.into_iter().map(|s| (s.key, s.value)).collect(),
                    origin: Origin { path: file.path.clone(), line: p.line, kind: file.kind },
                };
                target.properties.insert(p.key, property);
            }
        }
    }
}

/// Merges a parsed config file and a parsed credentials file.
pub fn merge(config: ParsedFile, credentials: ParsedFile) -> ProfileSet {
    let mut set = ProfileSet::default();
    set.absorb(config);
    set.absorb(credentials);
    set
}

/// Reads and parses one file. A missing file (or a path through a missing directory or a
/// non-directory) reads as empty; any other I/O failure, and text that is not UTF-8, is an error
/// naming the file.
pub fn read_file(path: &Path, kind: FileKind) -> Result<ParsedFile, ParseError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => {
            return Ok(ParsedFile::empty(path, kind));
        }
        Err(e) => {
            return Err(ParseError { path: path.to_path_buf(), kind, line: None, message: e.to_string() });
        }
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        ParseError {
            path: path.to_path_buf(),
            kind,
            line: Some(line),
            message: "the file is not valid UTF-8".into(),
        }
    })?;
    parse::parse(&text, kind, path)
}

/// Reads and merges the given config and credentials files.
pub fn load_files(config: &Path, credentials: &Path) -> Result<ProfileSet, ParseError> {
    let config = read_file(config, FileKind::Config)?;
    let credentials = read_file(credentials, FileKind::Credentials)?;
    Ok(merge(config, credentials))
}

/// Reads and merges the files the environment points at (see [`location`]).
pub fn load(env: &Env) -> Result<ProfileSet, ParseError> {
    load_files(&location::config_file(env), &location::credentials_file(env))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn set(config: &str, credentials: &str) -> ProfileSet {
        let c = parse::parse(config, FileKind::Config, Path::new("cfg")).unwrap();
        let k = parse::parse(credentials, FileKind::Credentials, Path::new("creds")).unwrap();
        merge(c, k)
    }

    #[test]
    fn credentials_override_config_and_keep_origin() {
        let s = set("[profile a]\nregion = x\nk = 1\n", "[a]\n\nk = 2\n");
        let a = s.profile("a").unwrap();
        assert_eq!(a.get("region"), Some("x"));
        assert_eq!(a.get("K"), Some("2"));
        let k = a.property("k").unwrap();
        assert_eq!(k.origin, Origin { path: "creds".into(), line: 3, kind: FileKind::Credentials });
        assert_eq!(a.properties.keys().collect::<Vec<_>>(), ["region", "k"]);
    }

    #[test]
    fn default_precedence() {
        let s = set("[default]\na = 1\n[profile default]\nb = 2\n", "");
        let d = s.profile("default").unwrap();
        assert_eq!(d.get("a"), None);
        assert_eq!(d.get("b"), Some("2"));
        assert!(s.warnings.iter().any(|w| w.contains("[default] is ignored")));
        let s = set("[default]\na = 1\n", "[default]\nb = 2\n");
        assert_eq!(s.profile("default").unwrap().get("a"), Some("1"));
        assert_eq!(s.profile("default").unwrap().get("b"), Some("2"));
    }

    #[test]
    fn sub_properties_and_sections() {
        let s = set(
            "[profile a]\ns3 =\n  max_concurrent_requests = 20\nservices = local\n[services local]\ns3 =\n  endpoint_url = http://x\n[sso-session s]\nsso_region = r\n",
            "",
        );
        let a = s.profile("a").unwrap();
        assert_eq!(a.get_sub("s3", "max_concurrent_requests"), Some("20"));
        assert_eq!(a.get_sub("s3", "nope"), None);
        assert_eq!(s.service("local").unwrap().get_sub("s3", "endpoint_url"), Some("http://x"));
        assert_eq!(s.sso_session("s").unwrap().get("sso_region"), Some("r"));
    }

    #[test]
    fn later_duplicate_replaces_sub_properties() {
        let s = set("[profile a]\ns3 =\n  x = 1\n[profile a]\ns3 = flat\n", "");
        let p = s.profile("a").unwrap().property("s3").unwrap();
        assert_eq!(p.value, "flat");
        assert!(p.sub.is_empty());
    }

    #[test]
    fn load_reads_files_and_treats_missing_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let env = Env::from_pairs([("HOME", dir.path().to_str().unwrap())]);
        assert_eq!(load(&env).unwrap(), ProfileSet::default());

        fs::create_dir(dir.path().join(".aws")).unwrap();
        fs::write(dir.path().join(".aws/config"), "[default]\nregion = eu-west-1\n").unwrap();
        fs::write(dir.path().join(".aws/credentials"), "[default]\naws_access_key_id = AK\n").unwrap();
        let s = load(&env).unwrap();
        let d = s.profile("default").unwrap();
        assert_eq!(d.get("region"), Some("eu-west-1"));
        assert_eq!(d.get("aws_access_key_id"), Some("AK"));
        assert_eq!(d.property("region").unwrap().origin.path, dir.path().join(".aws/config"));

        // A path through a regular file reads as missing.
        let env = env.with("AWS_CONFIG_FILE", dir.path().join(".aws/config/x").to_str().unwrap());
        assert!(load(&env).unwrap().profile("default").unwrap().get("region").is_none());
    }

    #[test]
    fn unreadable_and_bad_files_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_file(dir.path(), FileKind::Config).unwrap_err();
        assert_eq!(e.line, None);
        assert!(e.to_string().contains(&dir.path().display().to_string()), "{e}");

        let bad = dir.path().join("bad");
        fs::write(&bad, b"[default]\nk = \xff\n").unwrap();
        let e = read_file(&bad, FileKind::Credentials).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.to_string().starts_with("Unable to parse credentials file "), "{e}");

        fs::write(&bad, "[default]\nnot a property\n").unwrap();
        let e = read_file(&bad, FileKind::Config).unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
    }
}
