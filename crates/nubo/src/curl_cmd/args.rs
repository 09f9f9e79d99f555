//! The command line of `nubo curl`, read the way curl reads its own: short options with the value
//! attached or apart (`-XPUT`, `-X PUT`), clusters of short flags (`-si`), `--long=value`, and the
//! URL anywhere. Also turns `-d`/`--data-binary`/`--data-raw` and `-H` into a body and headers.

use crate::error::{CliError, CliResult};
use std::io::Read;

/// One `-d`-like argument, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    /// `-d`/`--data`: `@file` (`@-` for standard input) read with line breaks removed, else literal.
    Ascii(String),
    /// `--data-binary`: `@file` read as is, else literal.
    Binary(String),
    /// `--data-raw`: literal, `@` included.
    Raw(String),
}

/// One `-H` argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderArg {
    /// `Name: value` (or `Name;` for an empty value).
    Set(String, String),
    /// `Name:` with nothing after the colon: do not send the header nubo would add.
    Remove(String),
}

/// The parsed options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Args {
    pub method: Option<String>,
    pub headers: Vec<HeaderArg>,
    pub data: Vec<Data>,
    pub include: bool,
    pub output: Option<String>,
    pub fail_with_body: bool,
    pub service: Option<String>,
    pub presign: bool,
    pub expires_in: Option<u64>,
    pub url: String,
}

/// The longest lifetime of a presigned URL, in seconds (7 days).
const MAX_EXPIRES: u64 = 604_800;

/// Short options that take a value.
fn short_with_value(c: char) -> Option<&'static str> {
    Some(match c {
        'X' => "-X",
        'H' => "-H",
        'd' => "-d",
        'o' => "-o",
        _ => return None,
    })
}

/// Reads the command line (what follows `nubo curl`, global options already taken out).
pub fn parse(argv: &[String]) -> CliResult<Args> {
    let mut a = Args::default();
    let mut urls = Vec::new();
    let mut i = 0;
    while i < argv.len() {
        let arg = &argv[i];
        i += 1;
        if arg == "--" {
            urls.extend(argv[i..].iter().cloned());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let flag = |a: &mut Args| -> bool {
                match name {
                    "include" => a.include = true,
                    "fail-with-body" => a.fail_with_body = true,
                    "presign" => a.presign = true,
                    // Accepted for curl habits: nubo never shows a progress meter and always fails on HTTP errors.
                    "silent" | "show-error" | "fail" => {}
                    _ => return false,
                }
                true
            };
            if inline.is_none() && flag(&mut a) {
                continue;
            }
            let value = match inline {
                Some(v) => v,
                None => match argv.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None if is_value_option(name) => {
                        return Err(CliError::Usage(format!("argument --{name}: expected one argument")));
                    }
                    None => return Err(CliError::Usage(format!("Unknown options: {arg}"))),
                },
            };
            match name {
                "request" => a.method = Some(value),
                "header" => a.headers.push(header_arg(&value)?),
                "data" | "data-ascii" => a.data.push(Data::Ascii(value)),
                "data-binary" => a.data.push(Data::Binary(value)),
                "data-raw" => a.data.push(Data::Raw(value)),
                "service" => a.service = Some(value),
                "expires-in" => a.expires_in = Some(expires_in(&value)?),
                _ => return Err(CliError::Usage(format!("Unknown options: {arg}"))),
            }
            continue;
        }
        if arg.len() > 1 && arg.starts_with('-') {
            let cluster = &arg[1..];
            for (pos, c) in cluster.char_indices() {
                if let Some(name) = short_with_value(c) {
                    let rest = &cluster[pos + c.len_utf8()..];
                    let value = if !rest.is_empty() {
                        rest.to_string()
                    } else if let Some(v) = argv.get(i) {
                        i += 1;
                        v.clone()
                    } else {
                        return Err(CliError::Usage(format!("argument {name}: expected one argument")));
                    };
                    match c {
                        'X' => a.method = Some(value),
                        'H' => a.headers.push(header_arg(&value)?),
                        'd' => a.data.push(Data::Ascii(value)),
                        _ => a.output = Some(value),
                    }
                    break;
                }
                match c {
                    'i' => a.include = true,
                    's' | 'S' | 'f' => {}
                    _ => return Err(CliError::Usage(format!("Unknown options: {arg}"))),
                }
            }
            continue;
        }
        urls.push(arg.clone());
    }
    a.url = match urls.len() {
        0 => return Err(CliError::Usage("the following arguments are required: URL".into())),
        1 => urls.remove(0),
        _ => return Err(CliError::Usage(format!("only one URL is allowed, got: {}", urls.join(" ")))),
    };
    if a.expires_in.is_some() && !a.presign {
        return Err(CliError::Usage("argument --expires-in: only allowed with --presign".into()));
    }
    if let Some(m) = &a.method
        && (m.is_empty() || !m.bytes().all(is_token_byte))
    {
        return Err(CliError::Usage(format!("argument -X: invalid method: '{m}'")));
    }
    Ok(a)
}

fn is_value_option(name: &str) -> bool {
    matches!(
        name,
        "request" | "header" | "data" | "data-ascii" | "data-binary" | "data-raw" | "service" | "expires-in"
    )
}

fn expires_in(v: &str) -> CliResult<u64> {
    match v.parse::<u64>() {
        Ok(n) if (1..=MAX_EXPIRES).contains(&n) => Ok(n),
        _ => Err(CliError::Usage(format!(
            "argument --expires-in: must be a whole number of seconds from 1 to {MAX_EXPIRES} (7 days), got '{v}'"
        ))),
    }
}

/// RFC 9110 token characters (header names and methods).
pub fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Reads `Name: value`, `Name;` (empty value) or `Name:` (remove).
fn header_arg(raw: &str) -> CliResult<HeaderArg> {
    let bad = || CliError::Usage(format!("argument -H: expected 'Name: value', got '{raw}'"));
    let (name, value) = match (raw.find(':'), raw.find(';')) {
        (Some(c), semi) if semi.is_none_or(|s| c < s) => (&raw[..c], Some(raw[c + 1..].trim())),
        (_, Some(s)) if raw[s + 1..].trim().is_empty() => (&raw[..s], None),
        _ => return Err(bad()),
    };
    let name = name.trim();
    if name.is_empty() || !name.bytes().all(is_token_byte) {
        return Err(bad());
    }
    if let Some(v) = value
        && v.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0)
    {
        return Err(bad());
    }
    Ok(match value {
        Some("") => HeaderArg::Remove(name.to_string()),
        Some(v) => HeaderArg::Set(name.to_string(), v.to_string()),
        None => HeaderArg::Set(name.to_string(), String::new()),
    })
}

/// The request body from the data arguments, joined with `&` as curl joins them; `None` when none
/// was given. Files that cannot be read are usage errors.
pub fn body(data: &[Data]) -> CliResult<Option<Vec<u8>>> {
    if data.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for (n, d) in data.iter().enumerate() {
        if n > 0 {
            out.push(b'&');
        }
        match d {
            Data::Ascii(v) => match v.strip_prefix('@') {
                Some(path) => {
                    out.extend(read_source(path)?.into_iter().filter(|b| *b != b'\r' && *b != b'\n'))
                }
                None => out.extend_from_slice(v.as_bytes()),
            },
            Data::Binary(v) => match v.strip_prefix('@') {
                Some(path) => out.extend(read_source(path)?),
                None => out.extend_from_slice(v.as_bytes()),
            },
            Data::Raw(v) => out.extend_from_slice(v.as_bytes()),
        }
    }
    Ok(Some(out))
}

fn read_source(path: &str) -> CliResult<Vec<u8>> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| CliError::Usage(format!("Unable to read standard input: {e}")))?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| CliError::Usage(format!("Unable to read file {path}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> CliResult<Args> {
        parse(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn curl_shapes() {
        let a =
            p(&["-XPUT", "-H", "X-A: 1", "-HX-B:2", "-si", "-d", "x=1", "--data-binary=@f", "http://h/p"])
                .unwrap();
        assert_eq!(a.method.as_deref(), Some("PUT"));
        assert_eq!(
            a.headers,
            [HeaderArg::Set("X-A".into(), "1".into()), HeaderArg::Set("X-B".into(), "2".into())]
        );
        assert!(a.include);
        assert_eq!(a.data, [Data::Ascii("x=1".into()), Data::Binary("@f".into())]);
        assert_eq!(a.url, "http://h/p");
        let a = p(&["http://h/", "-o", "out", "--service", "s3", "--presign", "--expires-in", "60"]).unwrap();
        assert_eq!(a.output.as_deref(), Some("out"));
        assert_eq!(a.service.as_deref(), Some("s3"));
        assert!(a.presign);
        assert_eq!(a.expires_in, Some(60));
        let a = p(&["--request", "DELETE", "--header", "Accept:", "--include", "--", "-weird"]).unwrap();
        assert_eq!(a.method.as_deref(), Some("DELETE"));
        assert_eq!(a.headers, [HeaderArg::Remove("Accept".into())]);
        assert_eq!(a.url, "-weird");
        let a = p(&["-H", "X-Empty;", "u"]).unwrap();
        assert_eq!(a.headers, [HeaderArg::Set("X-Empty".into(), String::new())]);
    }

    #[test]
    fn usage_errors() {
        for bad in [
            &["-X"][..],
            &[],
            &["a", "b"],
            &["-Z", "u"],
            &["--nope", "u"],
            &["--expires-in", "5", "u"],
            &["--presign", "--expires-in", "0", "u"],
            &["--presign", "--expires-in", "604801", "u"],
            &["--presign", "--expires-in", "x", "u"],
            &["-H", "no colon", "u"],
            &["-H", ": v", "u"],
            &["-H", "Bad Name: v", "u"],
            &["-X", "GE T", "u"],
            &["--service"],
        ] {
            assert!(matches!(p(bad), Err(CliError::Usage(_))), "{bad:?}");
        }
    }

    #[test]
    fn bodies() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("b");
        std::fs::write(&f, b"a=1\r\nb=2\n").unwrap();
        let at = format!("@{}", f.display());
        assert_eq!(body(&[]).unwrap(), None);
        assert_eq!(body(&[Data::Ascii(at.clone())]).unwrap().unwrap(), b"a=1b=2");
        assert_eq!(body(&[Data::Binary(at.clone())]).unwrap().unwrap(), b"a=1\r\nb=2\n");
        assert_eq!(body(&[Data::Raw(at.clone())]).unwrap().unwrap(), at.as_bytes());
        assert_eq!(body(&[Data::Ascii("x".into()), Data::Raw("y".into())]).unwrap().unwrap(), b"x&y");
        assert!(matches!(body(&[Data::Binary("@/nonexistent/x".into())]), Err(CliError::Usage(_))));
    }
}
