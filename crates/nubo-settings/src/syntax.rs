//! Line-level syntax of the AWS profile-file dialect, shared by the parser and the editor so that
//! both read a file the same way: whitespace, blank and comment lines, section headers and what
//! they name, property lines, inline comments and valid names.
//!
//! Hand-written: no INI crate implements this dialect's rules (continuation lines, `s3 =`
//! sub-properties, `profile ` prefixes that differ between the two files, comments that need a
//! preceding space only after a value).

use crate::parse::FileKind;

/// The only characters the format treats as whitespace.
pub(crate) const WS: &[char] = &[' ', '\t'];

/// `s` without leading and trailing spaces and tabs.
pub(crate) fn trim(s: &str) -> &str {
    s.trim_matches(WS)
}

/// A line holding nothing but whitespace.
pub(crate) fn is_blank(line: &str) -> bool {
    trim(line).is_empty()
}

/// A whole-line comment: the first non-whitespace character is `#` or `;`.
///
/// The cross-SDK suite only pins down unindented comment lines. An indented one is also a comment
/// here (as in the AWS CLI, whose reader strips the line before looking for a comment), so that a
/// commented-out line inside an `s3 =` block is not an error.
pub(crate) fn is_comment(line: &str) -> bool {
    trim(line).starts_with(['#', ';'])
}

/// A section header line (it must start with `[` in the first column).
pub(crate) fn is_header(line: &str) -> bool {
    line.starts_with('[')
}

/// A continuation (or sub-property) line: it starts with whitespace.
pub(crate) fn is_continuation(line: &str) -> bool {
    line.starts_with(WS)
}

/// `text` (already trimmed) cut at its first comment and trimmed again. In a header any `#` or `;`
/// starts a comment; after a property only one preceded by whitespace does (`a = b;c` keeps `b;c`).
pub(crate) fn strip_comment(text: &str, needs_whitespace: bool) -> &str {
    let mut prev_ws = false;
    for (i, c) in text.char_indices() {
        if (c == '#' || c == ';') && (prev_ws || !needs_whitespace) {
            return trim(&text[..i]);
        }
        prev_ws = c.is_whitespace();
    }
    trim(text)
}

/// The trimmed text between the brackets of a header line, or an error message.
pub(crate) fn header_text(line: &str) -> Result<&str, &'static str> {
    let line = strip_comment(trim(line), false);
    let inner = line.strip_prefix('[').ok_or("Profile definition must start with '['")?;
    let inner = inner.strip_suffix(']').ok_or("Profile definition must end with ']'")?;
    Ok(trim(inner))
}

/// Why a property line could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PropertyError {
    NoEquals,
    NoName,
}

impl PropertyError {
    /// The message for a property (`what` = "property") or a sub-property.
    pub(crate) fn message(self, what: &str) -> String {
        match self {
            PropertyError::NoEquals => format!("Expected an '=' sign defining a {what}"),
            PropertyError::NoName => {
                let mut cap = what.to_string();
                if let Some(first) = cap.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                format!("{cap} did not have a name")
            }
        }
    }
}

/// The key and value of a `key = value` line (comments removed, both trimmed, key case kept).
pub(crate) fn split_property(line: &str) -> Result<(&str, &str), PropertyError> {
    let line = strip_comment(trim(line), true);
    let (key, value) = line.split_once('=').ok_or(PropertyError::NoEquals)?;
    let key = trim(key);
    if key.is_empty() {
        return Err(PropertyError::NoName);
    }
    Ok((key, trim(value)))
}

/// A valid profile, section or property name: ASCII letters and digits and `- _ / . % @ : +`.
pub(crate) fn is_valid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_/.%@:+".contains(c))
}

/// What a section header names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HeaderClass<'a> {
    /// A profile. `bare_default` is `[default]` in the config file, which a `[profile default]`
    /// anywhere in the same file overrides.
    Profile {
        name: &'a str,
        bare_default: bool,
    },
    SsoSession(&'a str),
    Services(&'a str),
    /// Not a section the merged view uses; the reason is a warning for the user.
    Ignored(String),
}

/// `word` followed by whitespace and a (trimmed) name, as in `profile foo` or `profile\tfoo`.
fn prefixed<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(word)?;
    rest.starts_with(WS).then(|| trim(rest))
}

/// Classifies a header's text (as returned by [`header_text`]) for a file of the given kind.
pub(crate) fn classify_header(kind: FileKind, text: &str) -> HeaderClass<'_> {
    let (class, name) = match kind {
        FileKind::Config => {
            if let Some(name) = prefixed(text, "profile") {
                (HeaderClass::Profile { name, bare_default: false }, name)
            } else if text == "default" {
                (HeaderClass::Profile { name: text, bare_default: true }, text)
            } else if let Some(name) = prefixed(text, "sso-session") {
                (HeaderClass::SsoSession(name), name)
            } else if let Some(name) = prefixed(text, "services") {
                (HeaderClass::Services(name), name)
            } else {
                return HeaderClass::Ignored(format!(
                    "section [{text}] is ignored: profiles in the config file must be written [profile NAME]"
                ));
            }
        }
        FileKind::Credentials => {
            if prefixed(text, "profile").is_some() {
                return HeaderClass::Ignored(format!(
                    "section [{text}] is ignored: profiles in the credentials file are written [NAME], without 'profile'"
                ));
            }
            (HeaderClass::Profile { name: text, bare_default: false }, text)
        }
    };
    if is_valid_name(name) {
        class
    } else {
        HeaderClass::Ignored(format!(
            "section [{text}] is ignored: '{name}' is not a valid name (letters, digits and - _ / . % @ : + only)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_after_values_need_whitespace() {
        assert_eq!(strip_comment("a = b # c # d", true), "a = b");
        assert_eq!(strip_comment("a = b#c ;d", true), "a = b#c");
        assert_eq!(strip_comment("a = b\t;c", true), "a = b");
        assert_eq!(strip_comment("[x];c", false), "[x]");
        assert_eq!(strip_comment("", true), "");
    }

    #[test]
    fn headers() {
        assert_eq!(header_text("[ profile a ] # c"), Ok("profile a"));
        assert_eq!(header_text("[a"), Err("Profile definition must end with ']'"));
        assert_eq!(header_text("[a] junk"), Err("Profile definition must end with ']'"));
        assert_eq!(header_text("[]"), Ok(""));
    }

    #[test]
    fn classify() {
        use HeaderClass::*;
        let c = FileKind::Config;
        assert_eq!(classify_header(c, "profile a"), Profile { name: "a", bare_default: false });
        assert_eq!(classify_header(c, "profile\t a"), Profile { name: "a", bare_default: false });
        assert_eq!(classify_header(c, "default"), Profile { name: "default", bare_default: true });
        assert_eq!(classify_header(c, "sso-session s"), SsoSession("s"));
        assert_eq!(classify_header(c, "services s"), Services("s"));
        assert!(matches!(classify_header(c, "profilefoo"), Ignored(_)));
        assert!(matches!(classify_header(c, "profile"), Ignored(_)));
        assert!(matches!(classify_header(c, "profile a b"), Ignored(_)));
        assert!(matches!(classify_header(c, "plugins"), Ignored(_)));
        let k = FileKind::Credentials;
        assert_eq!(classify_header(k, "a"), Profile { name: "a", bare_default: false });
        assert!(matches!(classify_header(k, "profile a"), Ignored(_)));
        assert!(matches!(classify_header(k, "sso-session a"), Ignored(_)));
        assert!(matches!(classify_header(k, ""), Ignored(_)));
    }

    #[test]
    fn property_lines() {
        assert_eq!(split_property("a = b = c"), Ok(("a", "b = c")));
        assert_eq!(split_property("A=  "), Ok(("A", "")));
        assert_eq!(split_property(" = x"), Err(PropertyError::NoName));
        assert_eq!(split_property("a : b"), Err(PropertyError::NoEquals));
        assert_eq!(split_property("a = # only a comment"), Ok(("a", "")));
        assert_eq!(PropertyError::NoName.message("sub-property"), "Sub-property did not have a name");
    }

    #[test]
    fn names() {
        assert!(is_valid_name("a-b_c/d.e%f@g:h+1"));
        assert!(!is_valid_name("a b"));
        assert!(!is_valid_name("a!b"));
        assert!(!is_valid_name("é"));
        assert!(!is_valid_name(""));
    }
}
