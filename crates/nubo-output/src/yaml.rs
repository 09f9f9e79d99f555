//! The `yaml` and `yaml-stream` output formats, as the AWS CLI v2 prints them through ruamel.yaml's
//! safe dumper: block style, two-space indentation with list items at their key's indentation,
//! keys sorted (the safe representer sorts plain mappings), `{}`/`[]` for empty collections, `null`,
//! `true`/`false`, floats as Python's repr. A string is left plain unless it would read back as
//! something else (a number, boolean, null, timestamp under the YAML 1.2 rules ruamel uses) or holds
//! characters plain scalars cannot; then it is single-quoted, or double-quoted with escapes when it
//! has control characters such as tabs. Long plain and quoted scalars fold at column 80 as ruamel does.
//!
//! Hand-written: the maintained Rust YAML crates choose quoting, folding and block-scalar styles
//! differently (literal `|` blocks, no folding), which would change the output byte for byte.
//!
//! Differences and uncertainties: keys are sorted, not kept in response order, because ruamel's safe
//! representer sorts them (the CLI v2 documentation's examples show sorted keys). Plain-scalar
//! resolution follows ruamel's default YAML 1.2 rules, so `yes`, `on`, `012` stay unquoted where
//! PyYAML (YAML 1.1) quotes them. The expected outputs in the tests come from PyYAML's safe dumper,
//! whose emitter ruamel derives from; where ruamel itself diverges from PyYAML we may too.
//! `yaml-stream` of a merged result is one list item; the CLI prints one item per page.

use crate::pystr;
use regex::Regex;
use serde_json::{Map, Value};
use std::sync::LazyLock;

/// Renders `value` as the CLI v2 `yaml` output; empty for `{}`.
pub fn render(value: &Value) -> String {
    if value.as_object().is_some_and(Map::is_empty) {
        return String::new();
    }
    dump(value)
}

/// Renders `value` as the CLI v2 `yaml-stream` output: each page as an item of one YAML list. For a
/// merged (non-streamed) result that is a one-item list.
pub fn render_stream(value: &Value) -> String {
    dump(&Value::Array(vec![value.clone()]))
}

/// Renders one YAML document for `value`.
pub fn dump(value: &Value) -> String {
    dump_with(value, true, BEST_WIDTH)
}

/// Renders one YAML document for `value` with keys in the order they are in, and no folding of long
/// scalars: what the CLI writes for files it keeps in order (the kubeconfig of `eks update-kubeconfig`).
pub fn dump_ordered(value: &Value) -> String {
    dump_with(value, false, usize::MAX)
}

/// Renders a CloudFormation template as the CLI's `cloudformation package` writes it: keys in order,
/// folded at the usual width, and the YAML 1.1 booleans (`yes`, `No`, `ON`, …) quoted so that
/// CloudFormation reads them back as strings.
pub fn dump_template(value: &Value) -> String {
    dump_full(value, false, BEST_WIDTH, true)
}

fn dump_with(value: &Value, sort_keys: bool, width: usize) -> String {
    dump_full(value, sort_keys, width, false)
}

fn dump_full(value: &Value, sort_keys: bool, width: usize, quote_yaml11_bools: bool) -> String {
    let mut e = Emitter {
        quote_yaml11_bools,
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
        open_ended: false,
        sort_keys,
        width,
    };
    e.node(value, None, Context::Root);
    // Document end: close the line; a plain root scalar also gets the `...` end marker.
    e.write_indent(0);
    if e.open_ended {
        e.indicator("...", true, false, false);
        e.write_indent(0);
    }
    e.out
}

const BEST_WIDTH: usize = 80;

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Root,
    Sequence,
    Mapping,
    SimpleKey,
}

struct Emitter {
    /// Quote strings YAML 1.1 reads as booleans.
    quote_yaml11_bools: bool,
    /// Sort mapping keys (the safe representer's way) rather than keep their order.
    sort_keys: bool,
    /// Where long scalars fold.
    width: usize,
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
}

impl Emitter {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        self.column += s.chars().count();
    }

    fn line_break(&mut self) {
        self.out.push('\n');
        self.whitespace = true;
        self.indention = true;
        self.column = 0;
    }

    fn write_indent(&mut self, indent: usize) {
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.line_break();
        }
        if self.column < indent {
            self.whitespace = true;
            let pad = " ".repeat(indent - self.column);
            self.write(&pad);
        }
    }

    fn indicator(&mut self, ind: &str, need_ws: bool, whitespace: bool, indention: bool) {
        if self.whitespace || !need_ws {
            self.write(ind);
        } else {
            self.write(&format!(" {ind}"));
        }
        self.whitespace = whitespace;
        self.indention = self.indention && indention;
        self.open_ended = false;
    }

    fn node(&mut self, value: &Value, indent: Option<usize>, ctx: Context) {
        match value {
            Value::Array(items) if items.is_empty() => {
                self.indicator("[", true, true, false);
                self.indicator("]", false, false, false);
            }
            Value::Object(map) if map.is_empty() => {
                self.indicator("{", true, true, false);
                self.indicator("}", false, false, false);
            }
            Value::Array(items) => {
                let indentless = ctx == Context::Mapping && !self.indention;
                let inner = match indent {
                    None => 0,
                    Some(i) if indentless => i,
                    Some(i) => i + 2,
                };
                for item in items {
                    self.write_indent(inner);
                    self.indicator("-", true, false, true);
                    self.node(item, Some(inner), Context::Sequence);
                }
            }
            Value::Object(map) => {
                let inner = indent.map_or(0, |i| i + 2);
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                if self.sort_keys {
                    entries.sort_by(|a, b| a.0.cmp(b.0));
                }
                for (k, v) in entries {
                    self.write_indent(inner);
                    let key = Value::String(k.clone());
                    // The emitter counts the key's tag (`!!str`, 5 characters) towards the
                    // 128-character limit of a simple key, although it does not write it.
                    let chars = k.chars().count() + 5;
                    let a = analyze(k);
                    if chars < 128 && !a.empty && !a.multiline {
                        self.node(&key, Some(inner), Context::SimpleKey);
                        self.indicator(":", false, false, false);
                    } else {
                        self.indicator("?", true, false, true);
                        self.node(&key, Some(inner), Context::Mapping);
                        self.write_indent(inner);
                        self.indicator(":", true, false, true);
                    }
                    self.node(v, Some(inner), Context::Mapping);
                }
            }
            scalar => {
                let scalar_indent = indent.map_or(2, |i| i + 2);
                let (text, style) = scalar_text(scalar, ctx == Context::SimpleKey, self.quote_yaml11_bools);
                let split = ctx != Context::SimpleKey;
                match style {
                    Style::Plain => self.plain(&text, scalar_indent, split, ctx == Context::Root),
                    Style::Single => self.single_quoted(&text, scalar_indent, split),
                    Style::Double => self.double_quoted(&text, scalar_indent, split),
                }
            }
        }
    }

    fn plain(&mut self, text: &str, indent: usize, split: bool, root: bool) {
        if root {
            self.open_ended = true;
        }
        if text.is_empty() {
            return;
        }
        if !self.whitespace {
            self.write(" ");
        }
        self.whitespace = false;
        self.indention = false;
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        let mut start = 0;
        for end in 0..=chars.len() {
            let ch = chars.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end && self.column > self.width && split {
                        self.write_indent(indent);
                        self.whitespace = false;
                        self.indention = false;
                    } else {
                        let s: String = chars[start..end].iter().collect();
                        self.write(&s);
                    }
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ') {
                let s: String = chars[start..end].iter().collect();
                self.write(&s);
                start = end;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
            }
        }
    }

    fn single_quoted(&mut self, text: &str, indent: usize, split: bool) {
        self.indicator("'", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let (mut spaces, mut breaks) = (false, false);
        let mut start = 0;
        for end in 0..=chars.len() {
            let ch = chars.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end
                        && self.column > self.width
                        && split
                        && start != 0
                        && end != chars.len()
                    {
                        self.write_indent(indent);
                    } else {
                        let s: String = chars[start..end].iter().collect();
                        self.write(&s);
                    }
                    start = end;
                }
            } else if breaks {
                if ch.is_none_or(|c| !is_break(c)) {
                    if chars[start] == '\n' {
                        self.line_break();
                    }
                    for &br in &chars[start..end] {
                        if br == '\n' {
                            self.line_break();
                        } else {
                            self.out.push(br);
                            self.whitespace = true;
                            self.indention = true;
                            self.column = 0;
                        }
                    }
                    self.write_indent(indent);
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ' || c == '\'' || is_break(c)) && start < end {
                let s: String = chars[start..end].iter().collect();
                self.write(&s);
                start = end;
            }
            if ch == Some('\'') {
                self.write("''");
                start = end + 1;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_break(c);
            }
        }
        self.indicator("'", false, false, false);
    }

    fn double_quoted(&mut self, text: &str, indent: usize, split: bool) {
        self.indicator("\"", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let len = chars.len();
        let mut start = 0;
        for end in 0..=len {
            let ch = chars.get(end).copied();
            if ch.is_none_or(needs_escape) {
                if start < end {
                    let s: String = chars[start..end].iter().collect();
                    self.write(&s);
                    start = end;
                }
                if let Some(c) = ch {
                    let data = escape(c);
                    self.write(&data);
                    start = end + 1;
                }
            }
            if 0 < end
                && end + 1 < len
                && (ch == Some(' ') || start >= end)
                && self.column as i64 + end as i64 - start as i64 > self.width.min(i64::MAX as usize) as i64
                && split
            {
                let mut data: String = chars[start.min(end)..end].iter().collect();
                data.push('\\');
                if start < end {
                    start = end;
                }
                self.write(&data);
                self.write_indent(indent);
                self.whitespace = false;
                self.indention = false;
                if chars.get(start) == Some(&' ') {
                    self.write("\\");
                }
            }
        }
        self.indicator("\"", false, false, false);
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn needs_escape(c: char) -> bool {
    matches!(c, '"' | '\\' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}')
        || !(matches!(c, '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}'))
}

fn escape(c: char) -> String {
    let short = match c {
        '\0' => "0",
        '\u{7}' => "a",
        '\u{8}' => "b",
        '\t' => "t",
        '\n' => "n",
        '\u{B}' => "v",
        '\u{C}' => "f",
        '\r' => "r",
        '\u{1B}' => "e",
        '"' => "\"",
        '\\' => "\\",
        '\u{85}' => "N",
        '\u{A0}' => "_",
        '\u{2028}' => "L",
        '\u{2029}' => "P",
        _ => "",
    };
    if !short.is_empty() {
        return format!("\\{short}");
    }
    let cp = u32::from(c);
    if cp <= 0xFF {
        format!("\\x{cp:02X}")
    } else if cp <= 0xFFFF {
        format!("\\u{cp:04X}")
    } else {
        format!("\\U{cp:08X}")
    }
}

enum Style {
    Plain,
    Single,
    Double,
}

/// The text of a scalar and the quoting style the emitter picks for it.
fn scalar_text(value: &Value, simple_key: bool, quote_yaml11_bools: bool) -> (String, Style) {
    let s = match value {
        Value::Null => return ("null".into(), Style::Plain),
        Value::Bool(b) => return (b.to_string(), Style::Plain),
        Value::Number(n) if n.is_f64() => return (float(n.as_f64().unwrap_or(0.0)), Style::Plain),
        Value::Number(n) => return (n.to_string(), Style::Plain),
        Value::String(s) => s,
        other => return (pystr::repr_of(other), Style::Double),
    };
    let a = analyze(s);
    let implicit = resolves_to_str(s) && !(quote_yaml11_bools && is_yaml11_bool(s));
    if implicit && !(simple_key && (a.empty || a.multiline)) && a.allow_block_plain {
        return (s.clone(), Style::Plain);
    }
    if a.allow_single_quoted && !(simple_key && a.multiline) {
        return (s.clone(), Style::Single);
    }
    (s.clone(), Style::Double)
}

/// `yes`, `No`, `TRUE`, `off`, …: booleans under YAML 1.1.
fn is_yaml11_bool(s: &str) -> bool {
    ["yes", "no", "true", "false", "on", "off"].iter().any(|w| {
        let title = format!("{}{}", w[..1].to_uppercase(), &w[1..]);
        s == *w || s == w.to_uppercase() || s == title
    })
}

/// A float as the safe representer writes it: Python's repr, lower case, `.0` before a bare
/// exponent, `.inf`/`.nan` for the specials.
fn float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf".into() } else { "-.inf".into() };
    }
    let r = pystr::float(f).to_lowercase();
    if !r.contains('.') && r.contains('e') {
        return r.replacen('e', ".0e", 1);
    }
    r
}

struct Analysis {
    empty: bool,
    multiline: bool,
    allow_block_plain: bool,
    allow_single_quoted: bool,
}

fn is_ws_or_end(c: Option<char>) -> bool {
    c.is_none_or(|c| matches!(c, '\0' | ' ' | '\t' | '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}'))
}

/// Which styles can hold `s`, by the emitter's scan of indicators, spaces, breaks and special
/// characters (unicode allowed).
fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            empty: true,
            multiline: false,
            allow_block_plain: true,
            allow_single_quoted: true,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let len = chars.len();
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut prev_space, mut prev_break) = (false, false);
    let mut preceded_by_ws = true;
    for (i, &ch) in chars.iter().enumerate() {
        let followed_by_ws = is_ws_or_end(chars.get(i + 1).copied());
        if i == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(ch) {
                block_indicators = true;
            }
            if (ch == '?' || ch == ':' || ch == '-') && followed_by_ws {
                block_indicators = true;
            }
        } else {
            if ch == ':' && followed_by_ws {
                block_indicators = true;
            }
            if ch == '#' && preceded_by_ws {
                block_indicators = true;
            }
        }
        if is_break(ch) {
            line_breaks = true;
        }
        if !(ch == '\n' || ('\u{20}'..='\u{7E}').contains(&ch)) {
            let unicode_ok = (ch == '\u{85}'
                || ('\u{A0}'..='\u{D7FF}').contains(&ch)
                || ('\u{E000}'..='\u{FFFD}').contains(&ch)
                || ('\u{10000}'..'\u{10FFFF}').contains(&ch))
                && ch != '\u{FEFF}';
            if !unicode_ok {
                special = true;
            }
        }
        if ch == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i == len - 1 {
                trailing_space = true;
            }
            if prev_break {
                break_space = true;
            }
            prev_space = true;
            prev_break = false;
        } else if is_break(ch) {
            if i == 0 {
                leading_break = true;
            }
            if i == len - 1 {
                trailing_break = true;
            }
            if prev_space {
                space_break = true;
            }
            prev_space = false;
            prev_break = true;
        } else {
            prev_space = false;
            prev_break = false;
        }
        preceded_by_ws = is_ws_or_end(Some(ch));
    }
    let mut plain = !(leading_space || leading_break || trailing_space || trailing_break);
    let mut single = true;
    if break_space {
        plain = false;
        single = false;
    }
    if space_break || special {
        plain = false;
        single = false;
    }
    if line_breaks || block_indicators {
        plain = false;
    }
    Analysis { empty: false, multiline: line_breaks, allow_block_plain: plain, allow_single_quoted: single }
}

/// Implicit tags under the YAML 1.2 resolver of ruamel: (first characters, pattern).
static RESOLVERS: LazyLock<Vec<(String, Regex)>> = LazyLock::new(|| {
    let digits = "0123456789";
    let table: [(String, &str); 7] = [
        ("tTfF".to_string(), r"^(?:true|True|TRUE|false|False|FALSE)$"),
        (
            format!("-+.{digits}"),
            r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        ),
        (format!("-+{digits}"), r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$"),
        ("<".to_string(), r"^(?:<<)$"),
        ("~nN".to_string(), r"^(?:~|null|Null|NULL)$"),
        (
            digits.to_string(),
            r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
        ),
        ("=".to_string(), r"^(?:=)$"),
    ];
    table.into_iter().filter_map(|(first, pat)| Regex::new(pat).ok().map(|re| (first, re))).collect()
});

/// Whether a plain `s` would read back as a string (so it may be written unquoted).
fn resolves_to_str(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false; // the empty plain scalar is null
    };
    !RESOLVERS.iter().any(|(firsts, re)| firsts.contains(first) && re.is_match(s))
}

#[cfg(test)]
mod tests {
    #[test]
    fn templates_quote_yaml11_booleans() {
        let v = serde_json::json!({"b": "yes", "a": ["No", "ON", "oN", "x"]});
        assert_eq!(super::dump_template(&v), "b: 'yes'\na:\n- 'No'\n- 'ON'\n- oN\n- x\n");
        assert_eq!(super::dump(&v), "a:\n- No\n- ON\n- oN\n- x\nb: yes\n");
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn block_style_sorted_keys() {
        let v = json!({"b": [1, {"y": null, "x": true}], "a": {"c": []}, "d": {}});
        assert_eq!(render(&v), "a:\n  c: []\nb:\n- 1\n- x: true\n  y: null\nd: {}\n");
        assert_eq!(render(&json!({})), "");
        assert_eq!(render_stream(&json!({"k": "v"})), "- k: v\n");
    }

    #[test]
    fn quoting() {
        let v = json!({"a": "123", "b": "true", "c": "", "d": "x: y", "e": "t\tab", "f": "it's",
                        "g": "2014-10-16T16:03:09+00:00", "h": "yes", "i": "- x", "j": "#c", "k": "a #b"});
        assert_eq!(
            render(&v),
            "a: '123'\nb: 'true'\nc: ''\nd: 'x: y'\ne: \"t\\tab\"\nf: it's\n\
             g: '2014-10-16T16:03:09+00:00'\nh: yes\ni: '- x'\nj: '#c'\nk: 'a #b'\n"
        );
    }

    #[test]
    fn root_scalars() {
        assert_eq!(dump(&json!("abc")), "abc\n...\n");
        assert_eq!(dump(&json!(null)), "null\n...\n");
        assert_eq!(dump(&json!(1e16)), "1.0e+16\n...\n");
        assert_eq!(dump(&json!("1")), "'1'\n");
    }
}
