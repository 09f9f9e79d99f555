//! A JSON reader that accepts what Python's `json.loads` accepts (`NaN`, `Infinity`, integers of
//! any size, duplicate keys where the last value wins in the first key's place) and fails with the
//! messages of Python's C scanner (`Expecting value: line 1 column 1 (char 0)`), because the AWS CLI
//! shows those messages in `Invalid JSON: ...` errors.
//!
//! Hand-written: serde_json's grammar and messages differ from Python's, and the CLI's messages are
//! part of the behaviour nubo reproduces.

use crate::pyval::{DictKind, PyVal};

/// A parse failure: the message (`Expecting value`) and the character offset it refers to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JsonError {
    msg: &'static str,
    pos: usize,
    text: Vec<char>,
}

impl std::fmt::Display for JsonError {
    /// As Python's `JSONDecodeError`: `<msg>: line <l> column <c> (char <pos>)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let before = &self.text[..self.pos.min(self.text.len())];
        let line = before.iter().filter(|c| **c == '\n').count() + 1;
        let col = match before.iter().rposition(|c| *c == '\n') {
            Some(nl) => self.pos - nl,
            None => self.pos + 1,
        };
        write!(f, "{}: line {} column {} (char {})", self.msg, line, col, self.pos)
    }
}

/// Parse `text` as Python's `json.loads` does; objects become dictionaries of `kind`.
pub(crate) fn loads(text: &str, kind: DictKind) -> Result<PyVal, JsonError> {
    let chars: Vec<char> = text.chars().collect();
    let mut p = Parser { s: &chars, kind };
    if chars.first() == Some(&'\u{feff}') {
        return Err(p.err("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0));
    }
    let start = p.skip_ws(0);
    let (value, end) = match p.scan(start, 0) {
        Ok(v) => v,
        Err(Fail::Stop(at)) => return Err(p.err("Expecting value", at)),
        Err(Fail::Error(e)) => return Err(e),
    };
    let end = p.skip_ws(end);
    if end != chars.len() {
        return Err(p.err("Extra data", end));
    }
    Ok(value)
}

/// Python's `json.loads` on bytes: the encoding is detected (UTF-8 here, with or without a BOM).
pub(crate) fn loads_bytes(bytes: &[u8], kind: DictKind) -> Result<PyVal, JsonError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    loads(&String::from_utf8_lossy(bytes), kind)
}

enum Fail {
    /// Nothing that starts a value at this offset (Python's `StopIteration`).
    Stop(usize),
    Error(JsonError),
}

/// Values nested deeper than this are refused, so that hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 512;

struct Parser<'a> {
    s: &'a [char],
    kind: DictKind,
}

impl Parser<'_> {
    fn err(&self, msg: &'static str, pos: usize) -> JsonError {
        JsonError { msg, pos, text: self.s.to_vec() }
    }

    fn fail(&self, msg: &'static str, pos: usize) -> Fail {
        Fail::Error(self.err(msg, pos))
    }

    fn skip_ws(&self, mut i: usize) -> usize {
        while i < self.s.len() && matches!(self.s[i], ' ' | '\t' | '\n' | '\r') {
            i += 1;
        }
        i
    }

    fn starts_with(&self, i: usize, word: &str) -> bool {
        let w: Vec<char> = word.chars().collect();
        self.s.len() >= i + w.len() && self.s[i..i + w.len()] == w[..]
    }

    fn scan(&mut self, i: usize, depth: usize) -> Result<(PyVal, usize), Fail> {
        if depth > MAX_DEPTH {
            return Err(self.fail("Maximum nesting depth exceeded", i));
        }
        let Some(&c) = self.s.get(i) else { return Err(Fail::Stop(i)) };
        match c {
            '"' => {
                let (s, end) = self.string(i + 1)?;
                Ok((PyVal::Str(s), end))
            }
            '{' => self.object(i + 1, depth),
            '[' => self.array(i + 1, depth),
            'n' if self.starts_with(i, "null") => Ok((PyVal::None, i + 4)),
            't' if self.starts_with(i, "true") => Ok((PyVal::Bool(true), i + 4)),
            'f' if self.starts_with(i, "false") => Ok((PyVal::Bool(false), i + 5)),
            'N' if self.starts_with(i, "NaN") => Ok((PyVal::Float(f64::NAN), i + 3)),
            'I' if self.starts_with(i, "Infinity") => Ok((PyVal::Float(f64::INFINITY), i + 8)),
            '-' if self.starts_with(i, "-Infinity") => Ok((PyVal::Float(f64::NEG_INFINITY), i + 9)),
            _ => self.number(i),
        }
    }

    fn number(&self, start: usize) -> Result<(PyVal, usize), Fail> {
        let s = self.s;
        let digit = |i: usize| s.get(i).is_some_and(|c| c.is_ascii_digit());
        let mut i = start;
        if s.get(i) == Some(&'-') {
            i += 1;
        }
        match s.get(i) {
            Some('1'..='9') => {
                while digit(i) {
                    i += 1;
                }
            }
            Some('0') => i += 1,
            _ => return Err(Fail::Stop(start)),
        }
        let mut is_float = false;
        if s.get(i) == Some(&'.') && digit(i + 1) {
            is_float = true;
            i += 1;
            while digit(i) {
                i += 1;
            }
        }
        if matches!(s.get(i), Some('e') | Some('E')) {
            let e_start = i;
            i += 1;
            if matches!(s.get(i), Some('+') | Some('-')) {
                i += 1;
            }
            let digits_start = i;
            while digit(i) {
                i += 1;
            }
            if i > digits_start {
                is_float = true;
            } else {
                i = e_start;
            }
        }
        let text: String = s[start..i].iter().collect();
        if !is_float && let Ok(v) = text.parse::<i128>() {
            return Ok((PyVal::Int(v), i));
        }
        Ok((PyVal::Float(text.parse::<f64>().unwrap_or(f64::INFINITY)), i))
    }

    /// A string whose opening quote is just before `end`; returns the text and the offset after
    /// the closing quote.
    fn string(&self, mut end: usize) -> Result<(String, usize), Fail> {
        let s = self.s;
        let len = s.len();
        let begin = end.saturating_sub(1);
        let mut out = String::new();
        loop {
            let mut next = end;
            let mut c = '\0';
            while next < len {
                c = s[next];
                if c == '"' || c == '\\' {
                    break;
                }
                if (c as u32) <= 0x1f {
                    return Err(self.fail("Invalid control character at", next));
                }
                next += 1;
            }
            if next >= len || !(c == '"' || c == '\\') {
                return Err(self.fail("Unterminated string starting at", begin));
            }
            out.extend(&s[end..next]);
            next += 1;
            if c == '"' {
                return Ok((out, next));
            }
            if next == len {
                return Err(self.fail("Unterminated string starting at", begin));
            }
            let esc = s[next];
            if esc != 'u' {
                end = next + 1;
                let mapped = match esc {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    _ => return Err(self.fail("Invalid \\escape", end - 2)),
                };
                out.push(mapped);
                continue;
            }
            next += 1;
            end = next + 4;
            if end >= len {
                return Err(self.fail("Invalid \\uXXXX escape", next - 1));
            }
            let Some(mut code) = hex4(&s[next..end]) else {
                return Err(self.fail("Invalid \\uXXXX escape", end - 5));
            };
            if (0xd800..=0xdbff).contains(&code) && end + 6 < len && s[end] == '\\' && s[end + 1] == 'u' {
                let Some(low) = hex4(&s[end + 2..end + 6]) else {
                    return Err(self.fail("Invalid \\uXXXX escape", end + 1));
                };
                if (0xdc00..=0xdfff).contains(&low) {
                    code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                    end += 6;
                }
            }
            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
        }
    }

    fn object(&mut self, start: usize, depth: usize) -> Result<(PyVal, usize), Fail> {
        let len = self.s.len();
        let mut entries: Vec<(String, PyVal)> = Vec::new();
        let mut i = self.skip_ws(start);
        if i >= len || self.s[i] != '}' {
            loop {
                if i >= len || self.s[i] != '"' {
                    return Err(self.fail("Expecting property name enclosed in double quotes", i));
                }
                let (key, next) = self.string(i + 1)?;
                i = self.skip_ws(next);
                if i >= len || self.s[i] != ':' {
                    return Err(self.fail("Expecting ':' delimiter", i));
                }
                i = self.skip_ws(i + 1);
                let (value, next) = self.scan(i, depth + 1)?;
                PyVal::dict_set(&mut entries, key, value);
                i = self.skip_ws(next);
                if i < len && self.s[i] == '}' {
                    break;
                }
                if i >= len || self.s[i] != ',' {
                    return Err(self.fail("Expecting ',' delimiter", i));
                }
                i = self.skip_ws(i + 1);
            }
        }
        Ok((PyVal::Dict(entries, self.kind), i + 1))
    }

    fn array(&mut self, start: usize, depth: usize) -> Result<(PyVal, usize), Fail> {
        let len = self.s.len();
        let mut items = Vec::new();
        let mut i = self.skip_ws(start);
        if i >= len || self.s[i] != ']' {
            loop {
                let (value, next) = self.scan(i, depth + 1)?;
                items.push(value);
                i = self.skip_ws(next);
                if i < len && self.s[i] == ']' {
                    break;
                }
                if i >= len || self.s[i] != ',' {
                    return Err(self.fail("Expecting ',' delimiter", i));
                }
                i = self.skip_ws(i + 1);
            }
        }
        Ok((PyVal::List(items), i + 1))
    }
}

fn hex4(chars: &[char]) -> Option<u32> {
    if chars.len() != 4 {
        return None;
    }
    chars.iter().try_fold(0u32, |acc, c| c.to_digit(16).map(|d| acc * 16 + d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        loads(text, DictKind::Plain).unwrap_err().to_string()
    }

    #[test]
    fn reads_values() {
        let v = loads(
            r#" {"a": [1, 2.5, -0, 1e3, true, false, null, "x\u00e9\n"], "b": {}} "#,
            DictKind::Ordered,
        )
        .unwrap();
        assert_eq!(
            v.py_repr(),
            "OrderedDict([('a', [1, 2.5, 0, 1000.0, True, False, None, 'xé\\n']), ('b', OrderedDict())])"
        );
        assert_eq!(
            loads("123456789012345678901234567890", DictKind::Plain).unwrap().py_repr(),
            "123456789012345678901234567890"
        );
        assert!(matches!(loads("NaN", DictKind::Plain).unwrap(), PyVal::Float(f) if f.is_nan()));
        assert_eq!(loads("-Infinity", DictKind::Plain).unwrap(), PyVal::Float(f64::NEG_INFINITY));
        assert_eq!(loads(r#""\ud83d\ude00""#, DictKind::Plain).unwrap(), PyVal::Str("😀".into()));
    }

    #[test]
    fn duplicate_keys_keep_the_first_place_and_the_last_value() {
        let v = loads(r#"{"a": 1, "b": 2, "a": 3}"#, DictKind::Plain).unwrap();
        assert_eq!(v.py_repr(), "{'a': 3, 'b': 2}");
    }

    /// The messages below were produced by Python 3.11's `json.loads` on the same input.
    #[test]
    fn fails_with_python_messages() {
        assert_eq!(err("abc"), "Expecting value: line 1 column 1 (char 0)");
        assert_eq!(err(""), "Expecting value: line 1 column 1 (char 0)");
        assert_eq!(err("{"), "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
        assert_eq!(
            err("{'a': 1}"),
            "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
        );
        assert_eq!(err(r#"{"a" 1}"#), "Expecting ':' delimiter: line 1 column 6 (char 5)");
        assert_eq!(err(r#"{"a": 1 "b": 2}"#), "Expecting ',' delimiter: line 1 column 9 (char 8)");
        assert_eq!(
            err(r#"{"a": 1,}"#),
            "Expecting property name enclosed in double quotes: line 1 column 9 (char 8)"
        );
        assert_eq!(err("[1,]"), "Expecting value: line 1 column 4 (char 3)");
        assert_eq!(err("["), "Expecting value: line 1 column 2 (char 1)");
        assert_eq!(err("[1 2]"), "Expecting ',' delimiter: line 1 column 4 (char 3)");
        assert_eq!(err(r#""abc"#), "Unterminated string starting at: line 1 column 1 (char 0)");
        assert_eq!(err("\"a\nb\""), "Invalid control character at: line 1 column 3 (char 2)");
        assert_eq!(err(r#""\x""#), "Invalid \\escape: line 1 column 2 (char 1)");
        assert_eq!(err(r#""\u12""#), "Invalid \\uXXXX escape: line 1 column 3 (char 2)");
        assert_eq!(err("{}x"), "Extra data: line 1 column 3 (char 2)");
        assert_eq!(err("{\n  \"a\": tru\n}"), "Expecting value: line 2 column 8 (char 9)");
        assert_eq!(err("01"), "Extra data: line 1 column 2 (char 1)");
        assert_eq!(err("-"), "Expecting value: line 1 column 1 (char 0)");
        assert_eq!(
            err("\u{feff}{}"),
            "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(loads(&deep, DictKind::Plain).is_err());
    }

    #[test]
    fn bytes_drop_a_bom() {
        assert_eq!(
            loads_bytes(b"\xef\xbb\xbf[1]", DictKind::Plain).unwrap(),
            PyVal::List(vec![PyVal::Int(1)])
        );
    }
}
