//! Changing values in a config or credentials file the way the AWS CLI's `configure set` does
//! (its ConfigFileWriter), keeping every other byte of the file: other profiles, comments, blank
//! lines and the order of lines.
//!
//! Behaviour:
//! - An existing key is updated in place (`key = value`; its continuation lines, which belonged
//!   to the old value, are removed). Every definition of the key in the section is updated, so a
//!   later duplicate cannot shadow the new value.
//! - A new key is appended at the end of its section: after the section's last property (and
//!   its continuation lines), so before any trailing blank lines and comments.
//! - A missing section is created at the end of the file (`[profile x]` in the config file except
//!   `[default]`; `[x]` in the credentials file). In the config file a `[profile default]`
//!   section, when present, is the one edited, since it hides `[default]` when read.
//! - A dotted key `s3.max_concurrent_requests` sets the sub-property `max_concurrent_requests`
//!   under `s3 =`: an existing sub-property line is updated keeping its indentation; a new one is
//!   added at the end of the block indented by four spaces; the `s3 =` line is created when
//!   missing (and replaces a plain `s3 = value`).
//! - Sections are matched the way the parser reads headers (extra spaces and tabs inside the
//!   brackets and trailing comments are fine), keys case-insensitively, sub-keys exactly.
//! - New lines use the file's line ending (CRLF when its first line ends with CRLF).
//!
//! Files are written atomically under a lock (see the private `atomic` module: temporary file,
//! fsync, rename, directory fsync; the lock is a sidecar `<file>.lock`). A new file is created
//! with mode 0600 (and a missing directory with 0700); an existing file keeps its mode.
//! Error messages name keys and files, never values.

use crate::atomic;
use crate::parse::FileKind;
use crate::syntax::{self, HeaderClass};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Mode of a file that `set_values` creates.
pub const NEW_FILE_MODE: u32 = 0o600;

/// The section to edit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SectionName {
    /// A profile (`[profile x]` / `[default]` in config, `[x]` in credentials).
    Profile(String),
    /// `[sso-session x]` (config file only).
    SsoSession(String),
    /// `[services x]` (config file only).
    Services(String),
}

impl SectionName {
    /// The section's name without any prefix.
    pub fn name(&self) -> &str {
        match self {
            SectionName::Profile(n) | SectionName::SsoSession(n) | SectionName::Services(n) => n,
        }
    }

    /// The text between the brackets of a new header for this section in a file of `kind`.
    pub fn header(&self, kind: FileKind) -> Result<String, EditError> {
        match (kind, self) {
            (FileKind::Config, SectionName::Profile(n)) if n == "default" => Ok("default".into()),
            (FileKind::Config, SectionName::Profile(n)) => Ok(format!("profile {n}")),
            (FileKind::Config, SectionName::SsoSession(n)) => Ok(format!("sso-session {n}")),
            (FileKind::Config, SectionName::Services(n)) => Ok(format!("services {n}")),
            (FileKind::Credentials, SectionName::Profile(n)) => Ok(n.clone()),
            (FileKind::Credentials, _) => {
                Err(EditError::Invalid("sso-session and services sections belong in the config file".into()))
            }
        }
    }
}

/// Why a file could not be edited.
#[derive(Debug)]
pub enum EditError {
    /// The request is invalid (a bad name, a newline in a value, a section the file cannot hold).
    Invalid(String),
    /// Reading, locking or writing a file failed.
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// What was being done (`read`, `replace`, `lock`…).
        action: &'static str,
        /// The underlying error.
        source: io::Error,
    },
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::Invalid(m) => f.write_str(m),
            EditError::Io { path, action, source } => {
                write!(f, "Unable to {action} {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for EditError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EditError::Invalid(_) => None,
            EditError::Io { source, .. } => Some(source),
        }
    }
}

/// Sets `values` (`key` or `key.subkey`, value) in `section` of the file at `path`, creating the
/// file, its directory and the section as needed; see the module doc for the rules.
pub fn set_values(
    path: &Path,
    kind: FileKind,
    section: &SectionName,
    values: &[(&str, &str)],
) -> Result<(), EditError> {
    let plan = Plan::new(kind, section, values)?;
    atomic::update_locked(path, NEW_FILE_MODE, |old| Ok(plan.apply(old.unwrap_or(""))))
}

/// The text `set_values` would write, given the file's current text (empty for a new file).
pub fn apply_values(
    text: &str,
    kind: FileKind,
    section: &SectionName,
    values: &[(&str, &str)],
) -> Result<String, EditError> {
    Ok(Plan::new(kind, section, values)?.apply(text))
}

/// One change, with dotted keys grouped under their parent.
#[derive(Debug)]
enum Op<'a> {
    Scalar { key: &'a str, value: &'a str },
    Nested { key: &'a str, subs: Vec<(&'a str, &'a str)> },
}

impl Op<'_> {
    fn key(&self) -> &str {
        match self {
            Op::Scalar { key, .. } | Op::Nested { key, .. } => key,
        }
    }
}

/// A validated request.
struct Plan<'a> {
    kind: FileKind,
    section: &'a SectionName,
    header: String,
    ops: Vec<Op<'a>>,
}

fn check_name(name: &str, what: &str) -> Result<(), EditError> {
    if syntax::is_valid_name(name) {
        Ok(())
    } else {
        Err(EditError::Invalid(format!(
            "Invalid {what} {name:?}: use letters, digits and - _ / . % @ : + only"
        )))
    }
}

impl<'a> Plan<'a> {
    fn new(
        kind: FileKind,
        section: &'a SectionName,
        values: &[(&'a str, &'a str)],
    ) -> Result<Self, EditError> {
        let what = match section {
            SectionName::Profile(_) => "profile name",
            SectionName::SsoSession(_) => "sso-session name",
            SectionName::Services(_) => "services section name",
        };
        check_name(section.name(), what)?;
        let header = section.header(kind)?;
        let mut ops: Vec<Op<'a>> = Vec::new();
        for &(key, value) in values {
            if value.contains(['\n', '\r']) {
                return Err(EditError::Invalid(format!(
                    "Invalid value for key {key}: newline characters and carriage returns are not allowed."
                )));
            }
            let (parent, sub) = match key.split_once('.') {
                Some((p, s)) => (p, Some(s)),
                None => (key, None),
            };
            check_name(parent, "key")?;
            if let Some(s) = sub {
                check_name(s, "sub-key")?;
            }
            let existing = ops.iter_mut().find(|op| op.key().eq_ignore_ascii_case(parent));
            match (existing, sub) {
                (None, None) => ops.push(Op::Scalar { key: parent, value }),
                (None, Some(s)) => ops.push(Op::Nested { key: parent, subs: vec![(s, value)] }),
                (Some(Op::Scalar { value: v, .. }), None) => *v = value,
                (Some(Op::Nested { subs, .. }), Some(s)) => match subs.iter_mut().find(|(k, _)| *k == s) {
                    Some(entry) => entry.1 = value,
                    None => subs.push((s, value)),
                },
                (Some(_), _) => {
                    return Err(EditError::Invalid(format!(
                        "Cannot set {parent} both as a value and as sub-properties in one change"
                    )));
                }
            }
        }
        Ok(Plan { kind, section, header, ops })
    }

    /// Does this header text name the section being edited? `Some(true)` for an exact match,
    /// `Some(false)` for a bare `[default]` in the config file (used only when no
    /// `[profile default]` exists).
    fn header_match(&self, text: &str) -> Option<bool> {
        match (syntax::classify_header(self.kind, text), self.section) {
            (HeaderClass::Profile { name, bare_default }, SectionName::Profile(n)) if name == n => {
                Some(!bare_default)
            }
            (HeaderClass::SsoSession(name), SectionName::SsoSession(n)) if name == n => Some(true),
            (HeaderClass::Services(name), SectionName::Services(n)) if name == n => Some(true),
            _ => None,
        }
    }

    fn apply(&self, text: &str) -> String {
        let doc = Doc::new(text, self);
        let mut edits = Edits::new(doc.lines.len());
        let mut new_section: Vec<String> = Vec::new();
        for op in &self.ops {
            match op {
                Op::Scalar { key, value } => {
                    let found = doc.property_lines(key);
                    if found.is_empty() {
                        doc.insert_new(&mut edits, &mut new_section, vec![format!("{key} = {value}")]);
                    }
                    for i in found {
                        edits.replace(i, format!("{key} = {value}"));
                        for c in doc.continuations(i) {
                            edits.delete(c);
                        }
                    }
                }
                Op::Nested { key, subs } => self.apply_nested(&doc, &mut edits, &mut new_section, key, subs),
            }
        }
        let appended = doc.targets.is_empty().then_some((self.header.as_str(), new_section));
        doc.render(&edits, appended)
    }

    fn apply_nested(
        &self,
        doc: &Doc<'_>,
        edits: &mut Edits,
        new_section: &mut Vec<String>,
        key: &str,
        subs: &[(&str, &str)],
    ) {
        let indent = "    ";
        let Some(&i) = doc.property_lines(key).last() else {
            let mut lines = vec![format!("{key} =")];
            lines.extend(subs.iter().map(|(k, v)| format!("{indent}{k} = {v}")));
            doc.insert_new(edits, new_section, lines);
            return;
        };
        let mut remaining: Vec<(&str, &str)> = subs.to_vec();
        let mut insert_at = i;
        if let Class::Property { empty_value: false, .. } = doc.lines[i].class {
            // A plain value becomes a sub-property block; the old value (and its continuation
            // lines) goes away.
            edits.replace(i, format!("{key} ="));
            for c in doc.continuations(i) {
                edits.delete(c);
            }
        } else {
            for c in doc.continuations(i) {
                insert_at = c;
                let body = doc.lines[c].body;
                let Ok((sub_key, _)) = syntax::split_property(body) else { continue };
                if let Some((k, v)) = subs.iter().find(|(k, _)| *k == sub_key) {
                    let lead = &body[..body.len() - body.trim_start_matches(syntax::WS).len()];
                    edits.replace(c, format!("{lead}{k} = {v}"));
                    remaining.retain(|(r, _)| r != k);
                }
            }
        }
        edits.after_sub[insert_at].extend(remaining.iter().map(|(k, v)| format!("{indent}{k} = {v}")));
    }
}

/// What a line is, for editing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Class {
    Blank,
    Comment,
    Header,
    Property {
        key: String,
        empty_value: bool,
    },
    Continuation,
    /// A malformed line, kept as it is.
    Other,
}

struct Line<'t> {
    body: &'t str,
    eol: &'t str,
    class: Class,
}

/// The file split into lines, and the sections being edited.
struct Doc<'t> {
    lines: Vec<Line<'t>>,
    /// The target sections as (header line, end line exclusive), in file order.
    targets: Vec<(usize, usize)>,
    /// The line ending for new lines.
    eol: &'static str,
}

impl<'t> Doc<'t> {
    fn new(text: &'t str, plan: &Plan<'_>) -> Self {
        let mut lines = Vec::new();
        let mut exact = Vec::new();
        let mut bare = Vec::new();
        for (index, piece) in text.split_inclusive('\n').enumerate() {
            let (body, eol) = if let Some(b) = piece.strip_suffix("\r\n") {
                (b, "\r\n")
            } else if let Some(b) = piece.strip_suffix('\n') {
                (b, "\n")
            } else {
                (piece, "")
            };
            let view = if index == 0 { body.strip_prefix('\u{feff}').unwrap_or(body) } else { body };
            let class = if syntax::is_blank(view) {
                Class::Blank
            } else if syntax::is_comment(view) {
                Class::Comment
            } else if syntax::is_header(view) {
                match syntax::header_text(view).ok().and_then(|h| plan.header_match(h)) {
                    Some(true) => exact.push(index),
                    Some(false) => bare.push(index),
                    None => {}
                }
                Class::Header
            } else if syntax::is_continuation(view) {
                Class::Continuation
            } else {
                match syntax::split_property(view) {
                    Ok((k, v)) => Class::Property { key: k.to_ascii_lowercase(), empty_value: v.is_empty() },
                    Err(_) => Class::Other,
                }
            };
            lines.push(Line { body, eol, class });
        }
        let eol = if lines.first().is_some_and(|l| l.eol == "\r\n") { "\r\n" } else { "\n" };
        let starts = if exact.is_empty() { bare } else { exact };
        let targets = starts
            .into_iter()
            .map(|h| {
                let end =
                    (h + 1..lines.len()).find(|&j| lines[j].class == Class::Header).unwrap_or(lines.len());
                (h, end)
            })
            .collect();
        Doc { lines, targets, eol }
    }

    /// Lines defining `key` (case-insensitively) in the target sections.
    fn property_lines(&self, key: &str) -> Vec<usize> {
        let key = key.to_ascii_lowercase();
        self.targets
            .iter()
            .flat_map(|&(h, end)| h + 1..end)
            .filter(|&i| matches!(&self.lines[i].class, Class::Property { key: k, .. } if *k == key))
            .collect()
    }

    /// The continuation lines belonging to the property on line `i` (blank and comment lines
    /// between them are skipped, as the parser skips them).
    fn continuations(&self, i: usize) -> Vec<usize> {
        let mut found = Vec::new();
        for j in i + 1..self.lines.len() {
            match self.lines[j].class {
                Class::Continuation => found.push(j),
                Class::Blank | Class::Comment => {}
                _ => break,
            }
        }
        found
    }

    /// Adds new property lines at the end of the first target section, or to the section that
    /// will be appended when there is none.
    fn insert_new(&self, edits: &mut Edits, new_section: &mut Vec<String>, lines: Vec<String>) {
        let Some(&(header, end)) = self.targets.first() else {
            new_section.extend(lines);
            return;
        };
        let last = (header + 1..end)
            .filter(|&i| matches!(self.lines[i].class, Class::Property { .. }))
            .map(|i| self.continuations(i).last().copied().unwrap_or(i))
            .max()
            .unwrap_or(header);
        edits.after_key[last].extend(lines);
    }

    fn render(&self, edits: &Edits, appended: Option<(&str, Vec<String>)>) -> String {
        let mut out = String::new();
        let insert = |out: &mut String, lines: &[String]| {
            if lines.is_empty() {
                return;
            }
            if !out.is_empty() && !out.ends_with('\n') {
                out.push_str(self.eol);
            }
            for l in lines {
                out.push_str(l);
                out.push_str(self.eol);
            }
        };
        for (i, line) in self.lines.iter().enumerate() {
            match &edits.replace[i] {
                None => {
                    out.push_str(line.body);
                    out.push_str(line.eol);
                }
                Some(None) => {}
                Some(Some(text)) => {
                    out.push_str(text);
                    out.push_str(line.eol);
                }
            }
            insert(&mut out, &edits.after_sub[i]);
            insert(&mut out, &edits.after_key[i]);
        }
        if let Some((header, lines)) = appended {
            let mut block = vec![format!("[{header}]")];
            block.extend(lines);
            insert(&mut out, &block);
        }
        out
    }
}

/// Changes to make, by original line number.
struct Edits {
    /// `None`: keep; `Some(None)`: delete; `Some(Some(text))`: replace (the line ending is kept).
    replace: Vec<Option<Option<String>>>,
    /// Sub-property lines to insert after a line (written before `after_key`'s).
    after_sub: Vec<Vec<String>>,
    /// Property lines to insert after a line.
    after_key: Vec<Vec<String>>,
}

impl Edits {
    fn new(n: usize) -> Self {
        Edits { replace: vec![None; n], after_sub: vec![Vec::new(); n], after_key: vec![Vec::new(); n] }
    }

    fn replace(&mut self, i: usize, text: String) {
        self.replace[i] = Some(Some(text));
    }

    fn delete(&mut self, i: usize) {
        self.replace[i] = Some(None);
    }
}

#[cfg(test)]
mod tests;
