//! The AWS CLI's shorthand syntax (`Key=k,Values=a,b`, `Name=x,Values=[a,b]`, nested `{...}` and
//! `[...]`, quoted values, `\,` escapes, `key@=file://path` to load a value from a file), parsed on
//! the text alone into dictionaries, lists and strings, exactly as the CLI's `ShorthandParser` does,
//! including its backtracking on commas (`a=b,c,d=e` is `{a: [b, c], d: e}`) and its error messages.
//! The model-driven step that follows (lists, numbers, booleans) is in `backfill`.
//!
//! Hand-written: the grammar is the CLI's own and no crate implements it.

use crate::paramfile::{Loaded, get_paramfile};
use crate::pyval::{DictKind, PyVal, py_isspace};

/// Why a shorthand value could not be parsed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ShorthandError {
    /// A syntax error or a repeated key: the CLI reports it as a parameter error.
    Syntax(String),
    /// A file named after `@=` could not be loaded, or the value nests deeper than Python's
    /// recursion limit allows (the CLI's catch-all reports these).
    Other(String),
}

/// Parse one shorthand value.
pub(crate) fn parse(value: &str) -> Result<PyVal, ShorthandError> {
    let mut p = Parser { s: value.chars().collect(), i: 0, depth: 0, resolve_files: false };
    p.parameter()
}

enum Fail {
    /// The syntax errors the parser may recover from by backtracking.
    Syntax {
        expected: String,
        actual: String,
        at: usize,
    },
    Other(ShorthandError),
}

type R<T> = Result<T, Fail>;

/// Nesting of `[...]` and `{...}` beyond which the CLI's Python runs out of recursion.
const MAX_DEPTH: usize = 300;

struct Parser {
    s: Vec<char>,
    i: usize,
    depth: usize,
    /// Set by `@=`: values that follow are loaded from `file://` and `fileb://` paths.
    resolve_files: bool,
}

impl Parser {
    fn parameter(&mut self) -> Result<PyVal, ShorthandError> {
        self.parameter_inner().map_err(|f| self.report(f))
    }

    fn report(&self, f: Fail) -> ShorthandError {
        match f {
            Fail::Syntax { expected, actual, at } => ShorthandError::Syntax(format!(
                "Expected: '{expected}', received: '{actual}' for input:\n{}",
                error_location(&self.s, at)
            )),
            Fail::Other(e) => e,
        }
    }

    fn parameter_inner(&mut self) -> R<PyVal> {
        let mut params: Vec<(String, PyVal)> = Vec::new();
        let (key, value) = self.keyval()?;
        params.push((key, value));
        let mut last_index = self.i;
        while self.i < self.s.len() {
            self.expect(',', true)?;
            let (key, value) = self.keyval()?;
            if PyVal::dict_get(&params, &key).is_some() {
                return Err(Fail::Other(ShorthandError::Syntax(format!(
                    "Second instance of key \"{key}\" encountered for input:\n{}\nThis is often because there is \
                     a preceding \",\" instead of a space.",
                    error_location(&self.s, last_index + 1)
                ))));
            }
            params.push((key, value));
            last_index = self.i;
        }
        Ok(PyVal::Dict(params, DictKind::Plain))
    }

    fn keyval(&mut self) -> R<(String, PyVal)> {
        let key = self.key();
        self.file_marker()?;
        self.expect('=', true)?;
        let values = self.values()?;
        Ok((key, values))
    }

    /// An optional `@` before `=`: the values that follow may name files.
    fn file_marker(&mut self) -> R<()> {
        self.resolve_files = false;
        match self.expect('@', true) {
            Ok(()) => self.resolve_files = true,
            Err(Fail::Syntax { .. }) => {}
            Err(other) => return Err(other),
        }
        Ok(())
    }

    fn key(&mut self) -> String {
        let start = self.i;
        while let Some(c) = self.current() {
            if !(c.is_ascii_alphanumeric() || "-_.#/:".contains(c)) {
                break;
            }
            self.i += 1;
        }
        self.s[start..self.i].iter().collect()
    }

    fn values(&mut self) -> R<PyVal> {
        match self.current() {
            None => Ok(PyVal::Str(String::new())),
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            Some(_) => self.csv_value(),
        }
    }

    fn csv_value(&mut self) -> R<PyVal> {
        let first = self.first_value()?;
        self.consume_whitespace();
        if self.at_eof() || self.s[self.i] != ',' {
            return Ok(first);
        }
        self.expect(',', true)?;
        let mut list = vec![first.clone()];
        loop {
            let attempt = (|| -> R<bool> {
                let current = self.second_value()?;
                self.consume_whitespace();
                if self.at_eof() {
                    list.push(current);
                    return Ok(true);
                }
                self.expect(',', true)?;
                list.push(current);
                Ok(false)
            })();
            match attempt {
                Ok(true) => break,
                Ok(false) => {}
                Err(Fail::Syntax { expected, actual, at }) => {
                    if self.at_eof() {
                        return Err(Fail::Syntax { expected, actual, at });
                    }
                    self.backtrack_to(',');
                    break;
                }
                Err(other) => return Err(other),
            }
        }
        if list.len() == 1 {
            return Ok(first);
        }
        Ok(PyVal::List(list))
    }

    fn value(&mut self) -> R<PyVal> {
        let len = self.match_class(first_start, first_follow);
        if len == 0 {
            return Ok(PyVal::Str(String::new()));
        }
        let consumed: String = self.s[self.i..self.i + len].iter().collect();
        self.i += len;
        let processed = consumed.replace("\\,", ",").trim_end_matches(py_isspace).to_string();
        self.maybe_resolve(processed)
    }

    fn explicit_list(&mut self) -> R<PyVal> {
        self.expect('[', true)?;
        let mut values = Vec::new();
        while self.current() != Some(']') {
            let v = self.explicit_values()?;
            values.push(v);
            self.consume_whitespace();
            if self.current() != Some(']') {
                self.expect(',', false)?;
                self.consume_whitespace();
            }
        }
        self.expect(']', false)?;
        Ok(PyVal::List(values))
    }

    fn explicit_values(&mut self) -> R<PyVal> {
        match self.current() {
            Some('[') | Some('{') => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(Fail::Other(ShorthandError::Other(
                        "maximum recursion depth exceeded".into(),
                    )));
                }
                let v = if self.current() == Some('[') { self.explicit_list() } else { self.hash_literal() };
                self.depth -= 1;
                v
            }
            _ => self.first_value(),
        }
    }

    fn hash_literal(&mut self) -> R<PyVal> {
        self.expect('{', true)?;
        let mut entries: Vec<(String, PyVal)> = Vec::new();
        while self.current() != Some('}') {
            let key = self.key();
            self.file_marker()?;
            self.expect('=', true)?;
            let v = self.explicit_values()?;
            self.consume_whitespace();
            if self.current() != Some('}') {
                self.expect(',', false)?;
                self.consume_whitespace();
            }
            PyVal::dict_set(&mut entries, key, v);
        }
        self.expect('}', false)?;
        Ok(PyVal::Dict(entries, DictKind::Plain))
    }

    fn first_value(&mut self) -> R<PyVal> {
        match self.current() {
            Some('\'') => self.quoted('\'', "singled quoted"),
            Some('"') => self.quoted('"', "double quoted"),
            _ => self.value(),
        }
    }

    fn second_value(&mut self) -> R<PyVal> {
        match self.current() {
            Some('\'') => self.quoted('\'', "singled quoted"),
            Some('"') => self.quoted('"', "double quoted"),
            _ => {
                let len = self.match_class(first_start, second_follow);
                if len == 0 {
                    return Err(self.syntax("<second>", "<none>"));
                }
                let consumed: String = self.s[self.i..self.i + len].iter().collect();
                self.i += len;
                let processed = consumed.replace("\\,", ",").trim_end_matches(py_isspace).to_string();
                self.maybe_resolve(processed)
            }
        }
    }

    /// A quoted value: the quotes removed, `\<quote>` and `\\` unescaped.
    fn quoted(&mut self, q: char, name: &str) -> R<PyVal> {
        let Some(end) = match_quoted(&self.s, self.i, q) else {
            return Err(self.syntax(&format!("<{name}>"), "<none>"));
        };
        let inner: String = self.s[self.i + 1..end - 1].iter().collect();
        self.i = end;
        let value = inner.replace(&format!("\\{q}"), &q.to_string()).replace("\\\\", "\\");
        self.maybe_resolve(value)
    }

    fn maybe_resolve(&self, value: String) -> R<PyVal> {
        if !self.resolve_files {
            return Ok(PyVal::Str(value));
        }
        match get_paramfile(&value) {
            Ok(Some(Loaded::Text(t))) => Ok(PyVal::Str(t)),
            Ok(Some(Loaded::Bytes(b))) => Ok(PyVal::Bytes(b)),
            Ok(None) => Ok(PyVal::Str(value)),
            Err(e) => Err(Fail::Other(ShorthandError::Other(e))),
        }
    }

    /// The length of the longest run at the cursor made of `\,` pairs and characters of the classes
    /// (`start` for the first character, `follow` for the others).
    fn match_class(&self, start: fn(char) -> bool, follow: fn(char) -> bool) -> usize {
        let s = &self.s;
        let mut j = self.i;
        let mut first = true;
        while j < s.len() {
            if s[j] == '\\' && s.get(j + 1) == Some(&',') {
                j += 2;
            } else if (first && start(s[j])) || (!first && follow(s[j])) {
                j += 1;
            } else {
                break;
            }
            first = false;
        }
        j - self.i
    }

    fn syntax(&self, expected: &str, actual: &str) -> Fail {
        Fail::Syntax { expected: expected.into(), actual: actual.into(), at: self.i }
    }

    fn expect(&mut self, c: char, consume_ws: bool) -> R<()> {
        if consume_ws {
            self.consume_whitespace();
        }
        match self.current() {
            None => return Err(self.syntax(&c.to_string(), "EOF")),
            Some(actual) if actual != c => return Err(self.syntax(&c.to_string(), &actual.to_string())),
            Some(_) => self.i += 1,
        }
        if consume_ws {
            self.consume_whitespace();
        }
        Ok(())
    }

    fn current(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn at_eof(&self) -> bool {
        self.i >= self.s.len()
    }

    fn backtrack_to(&mut self, c: char) {
        while self.i > 0 && self.s.get(self.i) != Some(&c) {
            self.i -= 1;
        }
    }

    fn consume_whitespace(&mut self) {
        while let Some(c) = self.current() {
            if !matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}') {
                break;
            }
            self.i += 1;
        }
    }
}

/// Characters a value may start with: printable ASCII but `"`, `'`, `,`, `=`, `[`, `{`, and any
/// character up to U+FFFF.
fn first_start(c: char) -> bool {
    matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='Z' | '\\'..='z' | '|'..='\u{ffff}')
}

/// Characters that may follow in a first value: white space and the start characters, plus `=`,
/// `[` and `{`, but not `]` and `}`.
fn first_follow(c: char) -> bool {
    py_isspace(c) || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='\\' | '^'..='|' | '~'..='\u{ffff}')
}

/// Characters that may follow in the later values of a comma-separated list: anything printable but
/// `"`, `'`, `,` and `=`.
fn second_follow(c: char) -> bool {
    py_isspace(c) || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='\u{ffff}')
}

/// Match `<q>(?:\\\\|\\<q>|[^<q>])*<q>` at `start` with a backtracking regular expression's choice of
/// match; returns the offset after the closing quote. Failures are remembered per offset, so the
/// search is linear.
fn match_quoted(s: &[char], start: usize, q: char) -> Option<usize> {
    if s.get(start) != Some(&q) {
        return None;
    }
    let n = s.len();
    let mut failed = vec![false; n + 1];
    // Each frame: the offset of one iteration of the group and the next alternative to try there.
    let mut stack: Vec<(usize, u8)> = vec![(start + 1, 0)];
    while let Some(&mut (pos, ref mut alt)) = stack.last_mut() {
        if failed[pos] {
            stack.pop();
            continue;
        }
        let choice = *alt;
        *alt += 1;
        let next = match choice {
            0 if pos + 1 < n && s[pos] == '\\' && s[pos + 1] == '\\' => Some(pos + 2),
            1 if pos + 1 < n && s[pos] == '\\' && s[pos + 1] == q => Some(pos + 2),
            2 if pos < n && s[pos] != q => Some(pos + 1),
            3 => {
                if pos < n && s[pos] == q {
                    return Some(pos + 1);
                }
                None
            }
            0..=2 => None,
            _ => {
                failed[pos] = true;
                stack.pop();
                continue;
            }
        };
        if let Some(next) = next {
            stack.push((next, 0));
        }
    }
    None
}

/// The input with a caret under the offending character, as the CLI prints it.
fn error_location(s: &[char], index: usize) -> String {
    let index = index.min(s.len());
    let mut consumed: String = s.iter().collect();
    let mut remaining = String::new();
    let mut num_spaces = index;
    if let Some(last_nl) = s[..index].iter().rposition(|c| *c == '\n') {
        num_spaces = index - last_nl - 1;
    }
    if let Some(off) = s[index..].iter().position(|c| *c == '\n') {
        let next_nl = index + off;
        consumed = s[..next_nl].iter().collect();
        remaining = s[next_nl..].iter().collect();
    }
    format!("{consumed}\n{}^{remaining}", " ".repeat(num_spaces))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> String {
        parse(text).unwrap().py_repr()
    }

    fn e(text: &str) -> String {
        match parse(text).unwrap_err() {
            ShorthandError::Syntax(m) | ShorthandError::Other(m) => m,
        }
    }

    /// Expected values were printed by awscli's `ShorthandParser().parse(...)` (awscli 1.45.11, whose
    /// shorthand module is the one the CLI v2 uses).
    #[test]
    fn parses_like_the_cli() {
        assert_eq!(p("a=b"), "{'a': 'b'}");
        assert_eq!(p("a=b,c"), "{'a': ['b', 'c']}");
        assert_eq!(p("a=b,c=d"), "{'a': 'b', 'c': 'd'}");
        assert_eq!(p("a=b,c,d=e,f"), "{'a': ['b', 'c'], 'd': ['e', 'f']}");
        assert_eq!(p("Name=x,Values=[a,b]"), "{'Name': 'x', 'Values': ['a', 'b']}");
        assert_eq!(p("a={b=c,d=[e,f]},g=h"), "{'a': {'b': 'c', 'd': ['e', 'f']}, 'g': 'h'}");
        assert_eq!(p("a='b,c',d=\"e=f\""), "{'a': 'b,c', 'd': 'e=f'}");
        assert_eq!(p("a=b\\,c"), "{'a': 'b,c'}");
        assert_eq!(p("a= b , c "), "{'a': ['b', 'c']}");
        assert_eq!(p("a="), "{'a': ''}");
        assert_eq!(p("a=[]"), "{'a': []}");
        assert_eq!(p("a=[{b=1},{b=2}]"), "{'a': [{'b': '1'}, {'b': '2'}]}");
        assert_eq!(p("a=k=v"), "{'a': 'k=v'}");
        assert_eq!(p("a-b.c#d/e:f=1"), "{'a-b.c#d/e:f': '1'}");
        assert_eq!(p("a='it\\'s'"), "{'a': \"it's\"}");
        assert_eq!(p("a=\"x\\\\y\""), "{'a': 'x\\\\y'}");
        assert_eq!(p("a=b,\nc=d"), "{'a': 'b', 'c': 'd'}");
        assert_eq!(p("a=b\nc"), "{'a': 'b\\nc'}");
    }

    #[test]
    fn reports_syntax_errors_like_the_cli() {
        assert_eq!(e("a"), "Expected: '=', received: 'EOF' for input:\na\n ^");
        assert_eq!(e("a=b,"), "Expected: '<second>', received: '<none>' for input:\na=b,\n    ^");
        assert_eq!(
            e("a=b,c=d,a=e"),
            "Second instance of key \"a\" encountered for input:\na=b,c=d,a=e\n        ^\nThis is often because there is a preceding \",\" instead of a space."
        );
        assert_eq!(e("a=[b"), "Expected: ',', received: 'EOF' for input:\na=[b\n    ^");
        assert_eq!(e("a='b"), "Expected: '<singled quoted>', received: '<none>' for input:\na='b\n  ^");
        assert_eq!(e("a=x]y"), "Expected: ',', received: ']' for input:\na=x]y\n   ^");
        assert_eq!(e("a=[b\n,c"), "Expected: ',', received: 'EOF' for input:\na=[b\n,c\n  ^");
    }

    #[test]
    fn loads_files_after_at_equals() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("v.txt");
        std::fs::write(&f, "from file").unwrap();
        let text = format!("a@=file://{},b=file://{}", f.display(), f.display());
        let v = parse(&text).unwrap();
        assert_eq!(v.py_repr(), format!("{{'a': 'from file', 'b': 'file://{}'}}", f.display()));
        let v = parse(&format!("a@=fileb://{}", f.display())).unwrap();
        assert_eq!(v.py_repr(), "{'a': b'from file'}");
        assert_eq!(p("a@=plain"), "{'a': 'plain'}");
        assert!(matches!(parse("a@=file://no/such/file"), Err(ShorthandError::Other(_))));
        let deep = format!("a={}{}", "{b=".repeat(1000), "}".repeat(1000));
        assert_eq!(parse(&deep), Err(ShorthandError::Other("maximum recursion depth exceeded".into())));
    }

    #[test]
    fn quoted_matching_backtracks_like_a_regex() {
        let s: Vec<char> = "'a\\'b'".chars().collect();
        assert_eq!(match_quoted(&s, 0, '\''), Some(6));
        let s: Vec<char> = "'ab\\'".chars().collect();
        assert_eq!(match_quoted(&s, 0, '\''), Some(5));
        let s: Vec<char> = "'ab".chars().collect();
        assert_eq!(match_quoted(&s, 0, '\''), None);
        let long: Vec<char> = std::iter::once('\'').chain(std::iter::repeat_n('\\', 5000)).collect();
        assert_eq!(match_quoted(&long, 0, '\''), None);
    }
}
