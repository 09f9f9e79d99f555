//! One profile file's text into its sections, in order, with line numbers: the cross-SDK profile
//! file format (the `profile-parser-tests` suite pins it down).
//!
//! Hand-written: no crate parses the AWS INI dialect with the cross-SDK semantics (continuation
//! lines, `s3 =` sub-properties, inline comments that need a space before them, names that are
//! ignored rather than rejected, the `profile ` prefix rules of the two files).
//!
//! What is an error and what is only a warning follows the suite: malformed lines (a header
//! without `]`, a property without `=` or without a name, a continuation with nothing to
//! continue, a bad sub-property) are errors; sections and properties with invalid names, and
//! sections that do not belong in this kind of file, are ignored with a warning in
//! [`ParsedFile::warnings`]. Error messages never repeat a line's text, which could be a secret.

use crate::syntax::{self, HeaderClass};
use std::fmt;
use std::path::{Path, PathBuf};

/// Which of the two files a text comes from; the header rules differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// The config file: `[profile NAME]`, `[default]`, `[sso-session NAME]`, `[services NAME]`.
    Config,
    /// The credentials file: `[NAME]` only.
    Credentials,
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Config => "config",
            FileKind::Credentials => "credentials",
        })
    }
}

/// What a section is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionKind {
    /// A profile, by name (without the `profile ` prefix).
    Profile(String),
    /// `[sso-session NAME]`.
    SsoSession(String),
    /// `[services NAME]`.
    Services(String),
    /// A section the merged view ignores (invalid name, wrong prefix for the file, `[plugins]`…).
    Ignored,
}

/// One `key = value` line and its continuation lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedProperty {
    /// The key, ASCII lower-cased.
    pub key: String,
    /// The value as the suite defines it: trimmed, with each continuation line appended after a
    /// `\n`; for a sub-property block (`s3 =` then indented lines) a leading `\n` then the
    /// trimmed `name = value` lines.
    pub value: String,
    /// The sub-properties (only when the property's own value was empty), in order, later
    /// duplicates replacing earlier ones in place.
    pub sub: Vec<SubProperty>,
    /// 1-based line number of the `key = value` line.
    pub line: usize,
}

/// One indented `name = value` line under a property with an empty value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubProperty {
    /// The name, case kept (as the AWS CLI keeps it).
    pub key: String,
    /// The value, trimmed, without a trailing ` # comment`.
    pub value: String,
    /// 1-based line number.
    pub line: usize,
}

/// One `[...]` section and the properties under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSection {
    /// What the header names.
    pub kind: SectionKind,
    /// The header's text between the brackets, trimmed (`profile foo`).
    pub header: String,
    /// True for `[default]` in a config file, which `[profile default]` in the same file overrides.
    pub bare_default: bool,
    /// 1-based line number of the header.
    pub line: usize,
    /// Properties with valid names, in file order (duplicates kept; the last one wins).
    pub properties: Vec<ParsedProperty>,
}

/// A parsed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFile {
    /// The file's path (for origins and messages).
    pub path: PathBuf,
    /// Config or credentials.
    pub kind: FileKind,
    /// Every section in file order, ignored ones included (their kind says so).
    pub sections: Vec<ParsedSection>,
    /// Things that were ignored, one line each, naming the file and line.
    pub warnings: Vec<String>,
}

impl ParsedFile {
    /// A file with no sections (a missing file reads as this).
    pub fn empty(path: &Path, kind: FileKind) -> Self {
        ParsedFile { path: path.to_path_buf(), kind, sections: Vec::new(), warnings: Vec::new() }
    }
}

/// A file that could not be read or parsed. Its message names the file and, for syntax errors,
/// the line; it never includes the line's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The file.
    pub path: PathBuf,
    /// Config or credentials.
    pub kind: FileKind,
    /// The 1-based line, or `None` when the file as a whole could not be read.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(
                f,
                "Unable to parse {} file {} line {line}: {}",
                self.kind,
                self.path.display(),
                self.message
            ),
            None => write!(f, "Unable to read {} file {}: {}", self.kind, self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ParseError {}

/// Where the parser is between lines.
enum State {
    /// Before the first section header.
    Start,
    /// In a section, before its first property.
    InSection,
    /// After a property line; `sub` when its value was empty (indented lines are sub-properties);
    /// `kept` when the property was recorded (false for an invalid name, whose lines are checked
    /// but dropped).
    InProperty { sub: bool, kept: bool },
}

/// Parses one file's text. `path` is used only in origins, warnings and errors.
pub fn parse(text: &str, kind: FileKind, path: &Path) -> Result<ParsedFile, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut file = ParsedFile::empty(path, kind);
    let mut state = State::Start;
    let error = |line: usize, message: String| ParseError {
        path: path.to_path_buf(),
        kind,
        line: Some(line),
        message,
    };

    for (index, raw) in text.split('\n').enumerate() {
        let number = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if syntax::is_blank(line) || syntax::is_comment(line) {
            continue;
        }
        if syntax::is_header(line) {
            let header = syntax::header_text(line).map_err(|m| error(number, m.to_string()))?;
            let (kind_of, bare_default) = match syntax::classify_header(kind, header) {
                HeaderClass::Profile { name, bare_default } => {
                    (SectionKind::Profile(name.to_string()), bare_default)
                }
                HeaderClass::SsoSession(name) => (SectionKind::SsoSession(name.to_string()), false),
                HeaderClass::Services(name) => (SectionKind::Services(name.to_string()), false),
                HeaderClass::Ignored(reason) => {
                    file.warnings.push(format!("{kind} file {} line {number}: {reason}", path.display()));
                    (SectionKind::Ignored, false)
                }
            };
            file.sections.push(ParsedSection {
                kind: kind_of,
                header: header.to_string(),
                bare_default,
                line: number,
                properties: Vec::new(),
            });
            state = State::InSection;
        } else if syntax::is_continuation(line) {
            let (sub, kept) = match state {
                State::Start => {
                    return Err(error(number, "Expected a profile definition, found continuation".into()));
                }
                State::InSection => {
                    return Err(error(number, "Expected a property definition, found continuation".into()));
                }
                State::InProperty { sub, kept } => (sub, kept),
            };
            let trimmed = syntax::trim(line);
            let sub_entry = if sub {
                let (k, v) =
                    syntax::split_property(trimmed).map_err(|e| error(number, e.message("sub-property")))?;
                Some(SubProperty { key: k.to_string(), value: v.to_string(), line: number })
            } else {
                None
            };
            if !kept {
                continue;
            }
            let Some(property) = file.sections.last_mut().and_then(|s| s.properties.last_mut()) else {
                continue;
            };
            property.value.push('\n');
            property.value.push_str(trimmed);
            if let Some(entry) = sub_entry {
                match property.sub.iter_mut().find(|s| s.key == entry.key) {
                    Some(existing) => *existing = entry,
                    None => property.sub.push(entry),
                }
            }
        } else {
            let Some(section) = file.sections.last_mut() else {
                return Err(error(number, "Expected a profile definition".into()));
            };
            let (key, value) =
                syntax::split_property(line).map_err(|e| error(number, e.message("property")))?;
            let kept = syntax::is_valid_name(key);
            if kept {
                section.properties.push(ParsedProperty {
                    key: key.to_ascii_lowercase(),
                    value: value.to_string(),
                    sub: Vec::new(),
                    line: number,
                });
            } else {
                file.warnings.push(format!(
                    "{kind} file {} line {number}: property '{key}' is ignored: not a valid name \
                     (letters, digits and - _ / . % @ : + only)",
                    path.display()
                ));
            }
            state = State::InProperty { sub: value.is_empty(), kept };
        }
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> ParsedFile {
        parse(text, FileKind::Config, Path::new("/h/.aws/config")).expect("parses")
    }

    fn err(text: &str) -> ParseError {
        parse(text, FileKind::Config, Path::new("/h/.aws/config")).expect_err("fails")
    }

    fn props(file: &ParsedFile, section: usize) -> Vec<(String, String)> {
        file.sections[section].properties.iter().map(|p| (p.key.clone(), p.value.clone())).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn sections_in_order_with_lines() {
        let f =
            cfg("# c\n[profile a]\nx = 1\n\n[sso-session s]\ny = 2\n[services v]\n[plugins]\n[default]\n");
        let kinds: Vec<_> = f.sections.iter().map(|s| (s.kind.clone(), s.line, s.bare_default)).collect();
        assert_eq!(
            kinds,
            vec![
                (SectionKind::Profile("a".into()), 2, false),
                (SectionKind::SsoSession("s".into()), 5, false),
                (SectionKind::Services("v".into()), 7, false),
                (SectionKind::Ignored, 8, false),
                (SectionKind::Profile("default".into()), 9, true),
            ]
        );
        assert_eq!(f.sections[0].properties[0].line, 3);
        assert_eq!(f.sections[3].header, "plugins");
        assert_eq!(f.warnings.len(), 1);
        assert!(f.warnings[0].contains("line 8"), "{:?}", f.warnings);
    }

    #[test]
    fn continuations() {
        let f = cfg("[profile a]\nx = 1\n  two\n\n\tthree # kept\ny=\n");
        assert_eq!(props(&f, 0), pairs(&[("x", "1\ntwo\nthree # kept"), ("y", "")]));
    }

    #[test]
    fn continuation_errors_name_file_and_line() {
        let e = err("[profile a]\n\n  x");
        assert_eq!(e.line, Some(3));
        assert_eq!(
            e.to_string(),
            "Unable to parse config file /h/.aws/config line 3: Expected a property definition, found continuation"
        );
        assert!(err(" x").to_string().contains("Expected a profile definition"));
    }

    #[test]
    fn inline_comment_rules() {
        let f = cfg("[profile a] ; c\nx = v ;c\ny = v;c\nz = v\t#c\nw = #c\nu=a#b #c\n");
        assert_eq!(props(&f, 0), pairs(&[("x", "v"), ("y", "v;c"), ("z", "v"), ("w", ""), ("u", "a#b")]));
        let f = cfg("[profile a]# c\n;x = 1\n  # indented comment\n#y = 2\n");
        assert!(f.sections[0].properties.is_empty());
    }

    #[test]
    fn sub_properties() {
        let f = cfg(
            "[profile a]\ns3 =\n  max_concurrent_requests = 20 # c\n\n  Addressing_Style = path\n  max_concurrent_requests = 30\nregion = x\n",
        );
        let s3 = &f.sections[0].properties[0];
        assert_eq!(
            s3.value,
            "\nmax_concurrent_requests = 20 # c\nAddressing_Style = path\nmax_concurrent_requests = 30"
        );
        let subs: Vec<_> = s3.sub.iter().map(|s| (s.key.as_str(), s.value.as_str(), s.line)).collect();
        assert_eq!(subs, vec![("max_concurrent_requests", "30", 6), ("Addressing_Style", "path", 5)]);
        assert_eq!(f.sections[0].properties[1].key, "region");
    }

    #[test]
    fn commented_lines_inside_sub_blocks_are_skipped() {
        let f = cfg("[profile a]\ns3 =\n  # disabled for now\n  x = 1\n");
        assert_eq!(f.sections[0].properties[0].sub.len(), 1);
    }

    #[test]
    fn sub_property_errors() {
        let e = err("[profile a]\ns3 =\n  novalue");
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("Expected an '=' sign defining a sub-property"));
        assert!(err("[profile a]\ns3 =\n  = x").message.contains("Sub-property did not have a name"));
    }

    #[test]
    fn property_errors() {
        let e = err("[profile a]\nx = 1\nSECRETLINE");
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("Expected an '=' sign defining a property"));
        assert!(!e.to_string().contains("SECRETLINE"), "errors never echo the line");
        assert!(err("[profile a]\n= v").message.contains("Property did not have a name"));
        assert!(err("x = 1").message.contains("Expected a profile definition"));
        assert!(err("[profile a").message.contains("must end with ']'"));
    }

    #[test]
    fn empty_values() {
        let f = cfg("[profile a]\nx =\ny=\nz = \t\n");
        assert_eq!(props(&f, 0), pairs(&[("x", ""), ("y", ""), ("z", "")]));
    }

    #[test]
    fn duplicates_are_kept_in_order() {
        let f = cfg("[profile a]\nX = 1\nx = 2\n[profile a]\nx = 3\n");
        assert_eq!(props(&f, 0), pairs(&[("x", "1"), ("x", "2")]));
        assert_eq!(props(&f, 1), pairs(&[("x", "3")]));
    }

    #[test]
    fn crlf_and_bom() {
        let f = cfg("\u{feff}[profile a]\r\nx = 1\r\n  more\r\ns3 =\r\n  k = v\r\n");
        assert_eq!(props(&f, 0), pairs(&[("x", "1\nmore"), ("s3", "\nk = v")]));
    }

    #[test]
    fn unicode_values_and_invalid_unicode_names() {
        let f = cfg("[profile a]\nx = héllo 😀 ; c\nnäme = 1\n  cont\n[profile ü]\ny = 2\n");
        assert_eq!(props(&f, 0), pairs(&[("x", "héllo 😀")]));
        assert_eq!(f.sections[1].kind, SectionKind::Ignored);
        assert_eq!(f.warnings.len(), 2, "{:?}", f.warnings);
    }

    #[test]
    fn invalid_property_swallows_its_continuations() {
        let f = cfg("[profile a]\nx = 1\nin valid = 2\n  cont\n");
        assert_eq!(props(&f, 0), pairs(&[("x", "1")]));
        // ...but its sub-property lines are still checked.
        assert!(parse("[profile a]\nin valid =\n  bad", FileKind::Config, Path::new("c")).is_err());
    }

    #[test]
    fn credentials_headers() {
        let f = parse("[a]\nk = v\n[profile b]\nk = v\n", FileKind::Credentials, Path::new("c")).unwrap();
        assert_eq!(f.sections[0].kind, SectionKind::Profile("a".into()));
        assert_eq!(f.sections[1].kind, SectionKind::Ignored);
    }

    #[test]
    fn read_error_display() {
        let e = ParseError {
            path: "/x".into(),
            kind: FileKind::Credentials,
            line: None,
            message: "denied".into(),
        };
        assert_eq!(e.to_string(), "Unable to read credentials file /x: denied");
    }

    /// A small deterministic generator (xorshift) so the no-panic check needs no extra crate.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[(self.next() % items.len() as u64) as usize]
        }
    }

    #[test]
    fn never_panics_on_generated_input() {
        let pieces = [
            "[",
            "]",
            "profile",
            " ",
            "\t",
            "\n",
            "\r\n",
            "\r",
            "=",
            "#",
            ";",
            "default",
            "sso-session",
            "services",
            "a",
            "B",
            "s3",
            "é",
            "😀",
            "\u{feff}",
            "\0",
            "  x = 1",
            "[profile a]",
            "[default]",
            "k =",
            "\n  ",
            "=\n  =",
            "[profile ",
            "]\n",
            "%@:+",
            "\u{2028}",
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for case in 0..20_000 {
            let len = (rng.next() % 40) as usize;
            let text: String = (0..len).map(|_| rng.pick(&pieces)).collect();
            for kind in [FileKind::Config, FileKind::Credentials] {
                if let Ok(f) = parse(&text, kind, Path::new("gen")) {
                    for s in &f.sections {
                        for p in &s.properties {
                            assert!(p.line >= s.line, "case {case}: {text:?}");
                        }
                    }
                }
            }
        }
        // Arbitrary bytes made valid UTF-8 too.
        for _ in 0..5_000 {
            let len = (rng.next() % 64) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| (rng.next() & 0xff) as u8).collect();
            let text = String::from_utf8_lossy(&bytes);
            let _ = parse(&text, FileKind::Config, Path::new("gen"));
        }
    }
}
