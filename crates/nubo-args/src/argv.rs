//! The command line of one operation read as the CLI's option parser (Python's argparse) reads it:
//! `--name value` and `--name=value`, unambiguous prefixes of option names, `--` ending options,
//! values that start with `-` taken as options (unless they are negative numbers), list options that
//! take every value up to the next option, positionals (`outfile`, and a trailing `help`), the last
//! occurrence of an option winning, and argparse's error messages.
//!
//! Hand-written: the CLI's exact acceptance rules and messages are argparse's; clap differs in both.

use std::collections::HashMap;

use crate::argtable::{Action, Arg, Conv, Dest};
use crate::error::ArgsError;
use crate::pyval::{py_float, py_int, str_repr};

/// A value as the parser stored it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Raw {
    Str(String),
    Int(i128),
    Float(f64),
    List(Vec<String>),
    Bool(bool),
}

#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub values: HashMap<Dest, Raw>,
    /// The table entry that last set each destination (for messages naming the option used).
    pub setter: HashMap<Dest, usize>,
    /// Unrecognized options and stray values, in the order the CLI lists them.
    pub extras: Vec<String>,
    /// The value of the trailing `help` positional, if any.
    pub help: Option<String>,
}

/// One positional of the parser: the table's (`outfile`) then `help`.
#[derive(Clone, Copy, PartialEq)]
enum Pos {
    Table(usize),
    Help,
}

pub(crate) fn parse(table: &[Arg], args: &[String], override_required: bool) -> Result<Parsed, ArgsError> {
    let mut p = ArgParser { table, args, parsed: Parsed::default(), seen: vec![false; table.len()] };
    p.run()?;
    let missing: Vec<String> = table
        .iter()
        .enumerate()
        .filter(|(i, a)| a.required && !override_required && !p.seen[*i])
        .map(|(_, a)| a.cli_name())
        .collect();
    if !missing.is_empty() {
        return Err(ArgsError::usage(format!(
            "the following arguments are required: {}",
            missing.join(", ")
        )));
    }
    Ok(p.parsed)
}

/// What one command-line string is.
#[derive(Clone)]
enum Class {
    /// A value (`A`).
    Value,
    /// The `--` separator.
    Separator,
    /// An option: the table entry (or `None` when unknown), and an `=value` part.
    Option(Option<usize>, Option<String>),
}

struct ArgParser<'a> {
    table: &'a [Arg],
    args: &'a [String],
    parsed: Parsed,
    seen: Vec<bool>,
}

impl ArgParser<'_> {
    fn run(&mut self) -> Result<(), ArgsError> {
        let classes = self.classify()?;
        let pattern: Vec<char> = classes
            .iter()
            .map(|c| match c {
                Class::Value => 'A',
                Class::Separator => '-',
                Class::Option(..) => 'O',
            })
            .collect();
        let option_indices: Vec<usize> = classes
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c, Class::Option(..)))
            .map(|(i, _)| i)
            .collect();
        let mut positionals: Vec<Pos> = self
            .table
            .iter()
            .enumerate()
            .filter(|(_, a)| a.positional)
            .map(|(i, _)| Pos::Table(i))
            .chain(std::iter::once(Pos::Help))
            .collect();

        let max_option = option_indices.last().copied();
        let mut start = 0usize;
        while let Some(max) = max_option {
            if start > max {
                break;
            }
            let next_option = option_indices.iter().copied().find(|&i| i >= start).unwrap_or(max);
            if start != next_option {
                let end = self.consume_positionals(start, &pattern, &mut positionals)?;
                if end > start {
                    start = end;
                    continue;
                }
                start = end;
            }
            if !option_indices.contains(&start) {
                self.parsed.extras.extend(self.args[start..next_option].iter().cloned());
                start = next_option;
            }
            start = self.consume_optional(start, &classes, &pattern)?;
        }
        let stop = self.consume_positionals(start, &pattern, &mut positionals)?;
        self.parsed.extras.extend(self.args[stop.min(self.args.len())..].iter().cloned());
        Ok(())
    }

    fn classify(&self) -> Result<Vec<Class>, ArgsError> {
        let mut out = Vec::with_capacity(self.args.len());
        let mut after_separator = false;
        for a in self.args {
            if after_separator {
                out.push(Class::Value);
            } else if a == "--" {
                after_separator = true;
                out.push(Class::Separator);
            } else {
                out.push(self.classify_one(a)?);
            }
        }
        Ok(out)
    }

    fn find(&self, option: &str) -> Option<usize> {
        self.table.iter().position(|a| !a.positional && a.cli_name() == option)
    }

    /// argparse's `_parse_optional`.
    fn classify_one(&self, a: &str) -> Result<Class, ArgsError> {
        if a.is_empty() || !a.starts_with('-') {
            return Ok(Class::Value);
        }
        if let Some(i) = self.find(a) {
            return Ok(Class::Option(Some(i), None));
        }
        if a.len() == 1 {
            return Ok(Class::Value);
        }
        if let Some((opt, value)) = a.split_once('=')
            && let Some(i) = self.find(opt)
        {
            return Ok(Class::Option(Some(i), Some(value.to_string())));
        }
        // Unambiguous prefixes of long options.
        if a.starts_with("--") {
            let (prefix, explicit) = match a.split_once('=') {
                Some((p, v)) => (p, Some(v.to_string())),
                None => (a, None),
            };
            let matches: Vec<usize> = self
                .table
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.positional && t.cli_name().starts_with(prefix))
                .map(|(i, _)| i)
                .collect();
            if matches.len() > 1 {
                let names: Vec<String> = matches.iter().map(|&i| self.table[i].cli_name()).collect();
                return Err(ArgsError::usage(format!(
                    "ambiguous option: {a} could match {}",
                    names.join(", ")
                )));
            }
            if let Some(&i) = matches.first() {
                return Ok(Class::Option(Some(i), explicit));
            }
        }
        if is_negative_number(a) || a.contains(' ') {
            return Ok(Class::Value);
        }
        Ok(Class::Option(None, None))
    }

    fn consume_optional(
        &mut self,
        start: usize,
        classes: &[Class],
        pattern: &[char],
    ) -> Result<usize, ArgsError> {
        let Class::Option(action, explicit) = &classes[start] else { return Ok(start + 1) };
        let Some(index) = *action else {
            self.parsed.extras.push(self.args[start].clone());
            return Ok(start + 1);
        };
        let arg = &self.table[index];
        if let Some(value) = explicit {
            if matches!(arg.action, Action::StoreTrue | Action::StoreFalse) {
                return Err(self.error(arg, &format!("ignored explicit argument {}", str_repr(value))));
            }
            self.take(index, vec![value.clone()])?;
            return Ok(start + 1);
        }
        let following = &pattern[start + 1..];
        let leading_values = following.iter().take_while(|c| **c == 'A').count();
        let count = match arg.action {
            Action::StoreTrue | Action::StoreFalse => 0,
            Action::Store => {
                if leading_values == 0 {
                    return Err(self.error(arg, "expected one argument"));
                }
                1
            }
            Action::Optional { .. } => leading_values.min(1),
            Action::StoreList => leading_values,
        };
        let values = self.args[start + 1..start + 1 + count].to_vec();
        self.take(index, values)?;
        Ok(start + 1 + count)
    }

    /// Match as many of the remaining positionals as the values at `start` allow.
    fn consume_positionals(
        &mut self,
        start: usize,
        pattern: &[char],
        positionals: &mut Vec<Pos>,
    ) -> Result<usize, ArgsError> {
        let selected = &pattern[start.min(pattern.len())..];
        let mut counts: Vec<usize> = Vec::new();
        for n in (1..=positionals.len()).rev() {
            let kinds: Vec<bool> = positionals[..n].iter().map(|p| matches!(p, Pos::Help)).collect();
            if let Some(c) = match_positionals(&kinds, selected) {
                counts = c;
                break;
            }
        }
        let mut index = start;
        for (pos, count) in positionals.iter().zip(counts.iter()) {
            let values: Vec<String> =
                self.args[index..index + count].iter().filter(|s| *s != "--").cloned().collect();
            index += count;
            match pos {
                Pos::Table(i) => {
                    // A required positional that matched only separators has no value to store.
                    if let Some(v) = values.into_iter().next() {
                        self.take(*i, vec![v])?;
                    }
                }
                Pos::Help => {
                    if let Some(v) = values.into_iter().next() {
                        self.parsed.help = Some(v);
                    }
                }
            }
        }
        positionals.drain(..counts.len());
        Ok(index)
    }

    fn take(&mut self, index: usize, mut values: Vec<String>) -> Result<(), ArgsError> {
        self.seen[index] = true;
        let arg = &self.table[index];
        if let Some(i) = values.iter().position(|v| v == "--") {
            values.remove(i);
        }
        let raw = match &arg.action {
            Action::StoreTrue => Raw::Bool(true),
            Action::StoreFalse => Raw::Bool(false),
            Action::StoreList => Raw::List(values),
            Action::Store => match values.first() {
                Some(v) => self.convert(arg, v)?,
                None => return Ok(()),
            },
            Action::Optional { constant, choices } => {
                let v = values.first().map(String::as_str).unwrap_or(constant);
                if !choices.contains(&v) {
                    return Err(self.error(arg, &invalid_choice(v, choices)));
                }
                Raw::Str(v.to_string())
            }
        };
        self.parsed.values.insert(arg.dest.clone(), raw);
        self.parsed.setter.insert(arg.dest.clone(), index);
        Ok(())
    }

    fn convert(&self, arg: &Arg, v: &str) -> Result<Raw, ArgsError> {
        match arg.conv {
            Conv::Str => Ok(Raw::Str(v.to_string())),
            Conv::Int => py_int(v)
                .map(Raw::Int)
                .map_err(|_| self.error(arg, &format!("invalid int value: {}", str_repr(v)))),
            Conv::Float => py_float(v)
                .map(Raw::Float)
                .map_err(|_| self.error(arg, &format!("invalid float value: {}", str_repr(v)))),
        }
    }

    fn error(&self, arg: &Arg, message: &str) -> ArgsError {
        ArgsError::usage(format!("argument {}: {message}", arg.cli_name()))
    }
}

/// `-5`, `-1.5`, `-.5`: argparse takes these as values when no option looks like a number.
fn is_negative_number(a: &str) -> bool {
    let Some(rest) = a.strip_prefix('-') else { return false };
    if rest.is_empty() {
        return false;
    }
    if rest.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    match rest.split_once('.') {
        Some((int, frac)) => {
            int.chars().all(|c| c.is_ascii_digit())
                && !frac.is_empty()
                && frac.chars().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// Match the positional patterns (`-*A-*` for a required one, `-*A?-*` for `help`) against the
/// start of `pattern` with a regular expression's greedy choices; the characters each one takes.
fn match_positionals(optional: &[bool], pattern: &[char]) -> Option<Vec<usize>> {
    fn go(optional: &[bool], pattern: &[char], at: usize, out: &mut Vec<usize>) -> bool {
        let Some((&opt, rest)) = optional.split_first() else { return true };
        let dashes = pattern[at..].iter().take_while(|c| **c == '-').count();
        for lead in (0..=dashes).rev() {
            let after_lead = at + lead;
            let has_value = pattern.get(after_lead) == Some(&'A');
            let value_options: &[usize] = match (has_value, opt) {
                (true, true) => &[1, 0],
                (true, false) => &[1],
                (false, true) => &[0],
                (false, false) => &[],
            };
            for &v in value_options {
                let after_value = after_lead + v;
                let trail = pattern[after_value..].iter().take_while(|c| **c == '-').count();
                for t in (0..=trail).rev() {
                    out.push(lead + v + t);
                    if go(rest, pattern, after_value + t, out) {
                        return true;
                    }
                    out.pop();
                }
            }
        }
        false
    }
    let mut out = Vec::new();
    go(optional, pattern, 0, &mut out).then_some(out)
}

/// The CLI's message for a value outside an option's choices.
fn invalid_choice(value: &str, choices: &[&str]) -> String {
    let mut msg = vec!["Invalid choice, valid choices are:\n".to_string()];
    for row in choices.chunks(2) {
        let cells: Vec<String> = row.iter().map(|c| format!("{c:<40}")).collect();
        msg.push(cells.join(" | "));
    }
    let close = close_matches(value, choices);
    if !close.is_empty() {
        msg.push(format!("\n\nInvalid choice: {}, maybe you meant:\n", str_repr(value)));
        for c in close {
            msg.push(format!("  * {c}"));
        }
    }
    msg.join("\n")
}

/// Python's `difflib.get_close_matches(word, choices, cutoff=0.8)`.
fn close_matches<'a>(word: &str, choices: &[&'a str]) -> Vec<&'a str> {
    let w: Vec<char> = word.chars().collect();
    let mut scored: Vec<(f64, &str)> = choices
        .iter()
        .filter_map(|c| {
            let a: Vec<char> = c.chars().collect();
            let total = a.len() + w.len();
            if total == 0 {
                return None;
            }
            let ratio = 2.0 * matching_chars(&a, &w) as f64 / total as f64;
            (ratio >= 0.8).then_some((ratio, *c))
        })
        .collect();
    scored.sort_by(|x, y| y.0.partial_cmp(&x.0).unwrap_or(std::cmp::Ordering::Equal).then(y.1.cmp(x.1)));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// The number of characters in `SequenceMatcher(None, a, b)`'s matching blocks.
fn matching_chars(a: &[char], b: &[char]) -> usize {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    let (mut best_i, mut best_j, mut best) = (0, 0, 0);
    let mut prev = vec![0usize; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            if ca == cb {
                cur[j + 1] = prev[j] + 1;
                if cur[j + 1] > best {
                    best = cur[j + 1];
                    best_i = i + 1 - best;
                    best_j = j + 1 - best;
                }
            }
        }
        prev = cur;
    }
    if best == 0 {
        return 0;
    }
    best + matching_chars(&a[..best_i], &b[..best_j])
        + matching_chars(&a[best_i + best..], &b[best_j + best..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::argtable::OptionKind;

    fn arg(name: &str, action: Action, conv: Conv, required: bool) -> Arg {
        Arg {
            name: name.into(),
            positional: false,
            action,
            conv,
            dest: Dest::Member(name.into()),
            required,
            documented_required: required,
            hidden: false,
            type_name: "string".into(),
            kind: OptionKind::Member,
        }
    }

    fn table() -> Vec<Arg> {
        vec![
            arg("bucket", Action::Store, Conv::Str, true),
            arg("key", Action::Store, Conv::Str, false),
            arg("keys", Action::Store, Conv::Str, false),
            arg("ids", Action::StoreList, Conv::Str, false),
            Arg { dest: Dest::Member("dry".into()), ..arg("dry-run", Action::StoreTrue, Conv::Str, false) },
            Arg {
                dest: Dest::Member("dry".into()),
                ..arg("no-dry-run", Action::StoreFalse, Conv::Str, false)
            },
            arg("max-items", Action::Store, Conv::Int, false),
            arg("ratio", Action::Store, Conv::Float, false),
            Arg {
                dest: Dest::Skeleton,
                ..arg(
                    "generate-cli-skeleton",
                    Action::Optional { constant: "input", choices: &["input", "output", "yaml-input"] },
                    Conv::Str,
                    false,
                )
            },
        ]
    }

    fn run(args: &[&str]) -> Result<Parsed, ArgsError> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse(&table(), &args, false)
    }

    fn member(p: &Parsed, m: &str) -> Option<Raw> {
        p.values.get(&Dest::Member(m.into())).cloned()
    }

    #[test]
    fn reads_options_like_argparse() {
        let p = run(&["--bucket", "b", "--ids", "i-1", "i-2", "--dry-run", "--key=-x", "--max-items", "5"])
            .unwrap();
        assert_eq!(member(&p, "bucket"), Some(Raw::Str("b".into())));
        assert_eq!(member(&p, "ids"), Some(Raw::List(vec!["i-1".into(), "i-2".into()])));
        assert_eq!(member(&p, "dry"), Some(Raw::Bool(true)));
        assert_eq!(member(&p, "key"), Some(Raw::Str("-x".into())));
        assert_eq!(member(&p, "max-items"), Some(Raw::Int(5)));
        assert!(p.extras.is_empty() && p.help.is_none());
        let p = run(&["--bucket", "a", "--bucket", "b", "--dry-run", "--no-dry-run"]).unwrap();
        assert_eq!(member(&p, "bucket"), Some(Raw::Str("b".into())));
        assert_eq!(member(&p, "dry"), Some(Raw::Bool(false)));
        let p = run(&["--buck", "b", "--ratio", "-1.5", "--ids"]).unwrap();
        assert_eq!(member(&p, "bucket"), Some(Raw::Str("b".into())));
        assert_eq!(member(&p, "ratio"), Some(Raw::Float(-1.5)));
        assert_eq!(member(&p, "ids"), Some(Raw::List(vec![])));
    }

    /// Messages as Python 3.11's argparse words them for the same parser.
    #[test]
    fn fails_like_argparse() {
        let e = |args: &[&str]| run(args).unwrap_err().message;
        assert_eq!(e(&[]), "the following arguments are required: --bucket");
        assert_eq!(e(&["--bucket"]), "argument --bucket: expected one argument");
        assert_eq!(e(&["--bucket", "--key", "k"]), "argument --bucket: expected one argument");
        assert_eq!(e(&["--bucket", "b", "--max-items", "x"]), "argument --max-items: invalid int value: 'x'");
        assert_eq!(e(&["--bucket", "b", "--ratio", "x"]), "argument --ratio: invalid float value: 'x'");
        assert_eq!(
            e(&["--bucket", "b", "--dry-run=yes"]),
            "argument --dry-run: ignored explicit argument 'yes'"
        );
        assert_eq!(e(&["--bucket", "b", "--ke", "x"]), "ambiguous option: --ke could match --key, --keys");
        assert_eq!(e(&["--bucket", "b", "--ke=x"]), "ambiguous option: --ke=x could match --key, --keys");
        assert_eq!(
            e(&["--bucket", "b", "--generate-cli-skeleton", "inpt"]),
            "argument --generate-cli-skeleton: Invalid choice, valid choices are:\n\ninput                                    | output                                  \nyaml-input                              \n\n\nInvalid choice: 'inpt', maybe you meant:\n\n  * input"
        );
    }

    #[test]
    fn collects_unknown_options_and_the_help_positional() {
        let p = run(&["--bucket", "b", "--foo", "bar", "--baz"]).unwrap();
        assert_eq!(p.extras, ["--foo", "--baz"]);
        assert_eq!(p.help.as_deref(), Some("bar"));
        let p = run(&["--bucket", "b", "help"]).unwrap();
        assert_eq!(p.help.as_deref(), Some("help"));
        let p = run(&["--bucket", "b", "x", "y"]).unwrap();
        assert_eq!(p.help.as_deref(), Some("x"));
        assert_eq!(p.extras, ["y"]);
        let p = run(&["--bucket", "b", "-x"]).unwrap();
        assert_eq!(p.extras, ["-x"]);
        let p = run(&["--bucket", "b", "--generate-cli-skeleton"]).unwrap();
        assert_eq!(p.values.get(&Dest::Skeleton), Some(&Raw::Str("input".into())));
    }

    #[test]
    fn positional_patterns() {
        assert_eq!(match_positionals(&[false, true], &['A', 'A']), Some(vec![1, 1]));
        assert_eq!(match_positionals(&[false, true], &['A', 'O', 'A']), Some(vec![1, 0]));
        assert_eq!(match_positionals(&[false, true], &['O']), None);
        assert_eq!(match_positionals(&[true], &['O']), Some(vec![0]));
        assert_eq!(match_positionals(&[false], &['-', 'A']), Some(vec![2]));
    }

    #[test]
    fn close_matches_follow_difflib() {
        assert_eq!(close_matches("inpt", &["input", "output", "yaml-input"]), ["input"]);
        assert!(close_matches("zzz", &["input", "output"]).is_empty());
        assert!(is_negative_number("-5") && is_negative_number("-.5") && !is_negative_number("-x"));
    }
}
