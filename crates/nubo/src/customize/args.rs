//! The options of the added commands, read one way for all of them: `--name value`, `--name=value`,
//! flags, lists (`--paths a b c`), with the AWS CLI's wording for what goes wrong ("expected one
//! argument", "the following arguments are required", "Unknown options") and the usage exit code.

use crate::error::{CliError, CliResult};
use std::collections::HashMap;

/// What an option takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// One value.
    Value,
    /// No value; present or not.
    Flag,
    /// One or more values, up to the next option.
    List,
    /// A value given without an option name, in the order these are declared.
    Positional,
}

/// One option of a command.
#[derive(Clone, Copy, Debug)]
pub struct Opt {
    /// The name without dashes (`hostname`).
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

/// A value option.
pub const fn value(name: &'static str) -> Opt {
    Opt { name, kind: Kind::Value, required: false }
}

/// A required value option.
pub const fn required(name: &'static str) -> Opt {
    Opt { name, kind: Kind::Value, required: true }
}

/// A flag.
pub const fn flag(name: &'static str) -> Opt {
    Opt { name, kind: Kind::Flag, required: false }
}

/// A list option (one or more values).
pub const fn list(name: &'static str) -> Opt {
    Opt { name, kind: Kind::List, required: false }
}

/// A required positional argument.
pub const fn positional(name: &'static str) -> Opt {
    Opt { name, kind: Kind::Positional, required: true }
}

/// The options given on a command line.
#[derive(Debug, Default)]
pub struct Parsed {
    values: HashMap<&'static str, Vec<String>>,
}

impl Parsed {
    /// The value of a value option (the last one given).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(|v| v.last()).map(String::as_str)
    }

    /// Whether a flag (or any option) was given.
    pub fn has(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// The values of a list option (empty when not given).
    pub fn list(&self, name: &str) -> &[String] {
        self.values.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The value of an integer option, checked as the CLI checks `integer` options.
    pub fn int(&self, name: &str) -> CliResult<Option<i64>> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| CliError::Usage(format!("argument --{name}: invalid int value: '{v}'"))),
        }
    }
}

/// Reads `args` against `opts`.
pub fn parse(args: &[String], opts: &[Opt]) -> CliResult<Parsed> {
    let mut parsed = Parsed::default();
    let mut unknown: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        let Some(body) = arg.strip_prefix("--") else {
            match opts.iter().find(|o| o.kind == Kind::Positional && !parsed.has(o.name)) {
                Some(o) => {
                    parsed.values.insert(o.name, vec![arg.clone()]);
                }
                None => unknown.push(arg.clone()),
            }
            continue;
        };
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let Some(opt) = opts.iter().find(|o| o.name == name && o.kind != Kind::Positional) else {
            unknown.push(arg.clone());
            continue;
        };
        let entry = parsed.values.entry(opt.name).or_default();
        match opt.kind {
            Kind::Flag => {
                if inline.is_some() {
                    return Err(CliError::Usage(format!(
                        "argument --{name}: ignored explicit argument '{}'",
                        inline.unwrap_or_default()
                    )));
                }
            }
            Kind::Value => match inline {
                Some(v) => entry.push(v),
                None => match args.get(i) {
                    Some(v) if !is_option(v) => {
                        entry.push(v.clone());
                        i += 1;
                    }
                    _ => return Err(CliError::Usage(format!("argument --{name}: expected one argument"))),
                },
            },
            Kind::Positional => {}
            Kind::List => {
                entry.clear();
                if let Some(v) = inline {
                    entry.push(v);
                }
                while let Some(v) = args.get(i).filter(|v| !is_option(v)) {
                    entry.push(v.clone());
                    i += 1;
                }
                if entry.is_empty() {
                    return Err(CliError::Usage(format!(
                        "argument --{name}: expected at least one argument"
                    )));
                }
            }
        }
    }
    let missing: Vec<String> = opts
        .iter()
        .filter(|o| o.required && !parsed.has(o.name))
        .map(|o| match o.kind {
            Kind::Positional => o.name.to_string(),
            _ => format!("--{}", o.name),
        })
        .collect();
    if !missing.is_empty() {
        return Err(CliError::Usage(format!("the following arguments are required: {}", missing.join(", "))));
    }
    if !unknown.is_empty() {
        return Err(CliError::Usage(format!("Unknown options: {}", unknown.join(", "))));
    }
    Ok(parsed)
}

/// The valid values of an option as the CLI lists them after "Invalid choice, valid choices are:":
/// two columns, each name padded to 40.
pub fn choices_table(choices: &[&str]) -> String {
    choices
        .chunks(2)
        .map(|pair| pair.iter().map(|c| format!("{c:<40}")).collect::<Vec<_>>().join(" | "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The usage error for a value outside `choices`.
pub fn invalid_choice(name: &str, choices: &[&str]) -> CliError {
    CliError::Usage(format!(
        "argument --{name}: Invalid choice, valid choices are:\n\n{}",
        choices_table(choices)
    ))
}

/// An option name, not a value: `--x`, but not a negative number such as `-5`.
fn is_option(s: &str) -> bool {
    s.starts_with("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    const OPTS: &[Opt] = &[required("hostname"), value("port"), flag("dry-run"), list("paths")];

    #[test]
    fn forms() {
        let p = parse(&strings(&["--hostname", "h", "--port=5", "--dry-run", "--paths", "/a", "/b"]), OPTS)
            .unwrap();
        assert_eq!(p.get("hostname"), Some("h"));
        assert_eq!(p.int("port").unwrap(), Some(5));
        assert!(p.has("dry-run"));
        assert_eq!(p.list("paths"), strings(&["/a", "/b"]));
    }

    #[test]
    fn positionals() {
        let opts = [positional("group_name"), value("since")];
        let p = parse(&strings(&["--since", "1h", "g"]), &opts).unwrap();
        assert_eq!(p.get("group_name"), Some("g"));
        let e = parse(&strings(&["--since", "1h"]), &opts).unwrap_err();
        assert_eq!(e.to_string(), "the following arguments are required: group_name");
        let e = parse(&strings(&["g", "h"]), &opts).unwrap_err();
        assert_eq!(e.to_string(), "Unknown options: h");
    }

    #[test]
    fn errors_in_the_cli_wording() {
        let e = parse(&strings(&["--port", "1"]), OPTS).unwrap_err();
        assert_eq!(e.to_string(), "the following arguments are required: --hostname");
        let e = parse(&strings(&["--hostname"]), OPTS).unwrap_err();
        assert_eq!(e.to_string(), "argument --hostname: expected one argument");
        let e = parse(&strings(&["--hostname", "h", "--bogus", "x"]), OPTS).unwrap_err();
        assert_eq!(e.to_string(), "Unknown options: --bogus, x");
        let e = parse(&strings(&["--hostname", "h", "--port", "x"]), OPTS).unwrap().int("port").unwrap_err();
        assert_eq!(e.to_string(), "argument --port: invalid int value: 'x'");
        assert!(matches!(e, CliError::Usage(_)));
    }
}
