//! `ec2 run-instances`: the CLI's `--count N` / `--count MIN:MAX` option, and one instance when no
//! count is given at all (the model requires `MinCount` and `MaxCount`).

use crate::error::{CliError, CliResult};

/// Turns `--count` into `--min-count`/`--max-count` and supplies `1` for whichever count is missing.
pub fn rewrite(args: &[String]) -> CliResult<Vec<String>> {
    let usage = |m: &str| CliError::Usage(m.to_string());
    let mut out = Vec::with_capacity(args.len() + 4);
    let mut count: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--count" {
            count = Some(it.next().cloned().ok_or_else(|| usage("argument --count: expected one argument"))?);
        } else if let Some(v) = a.strip_prefix("--count=") {
            count = Some(v.to_string());
        } else {
            out.push(a.clone());
        }
    }
    let has = |name: &str| out.iter().any(|a| a == name || a.starts_with(&format!("{name}=")));
    let (has_min, has_max) = (has("--min-count"), has("--max-count"));
    if let Some(c) = count {
        if has_min || has_max {
            return Err(usage("The --count option cannot be used with --min-count or --max-count"));
        }
        let (min, max) = match c.split_once(':') {
            Some((a, b)) => (a.to_string(), b.to_string()),
            None => (c.clone(), c.clone()),
        };
        for v in [&min, &max] {
            if v.parse::<u32>().is_err() {
                return Err(usage(&format!("count must be an integer or a range like 1:3, not '{c}'")));
            }
        }
        out.extend(["--min-count".to_string(), min, "--max-count".to_string(), max]);
    } else {
        if !has_min {
            out.extend(["--min-count".to_string(), "1".to_string()]);
        }
        if !has_max {
            out.extend(["--max-count".to_string(), "1".to_string()]);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    fn r(a: &[&str]) -> crate::error::CliResult<Vec<String>> {
        rewrite(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn counts() {
        assert_eq!(
            r(&["--image-id", "x"]).unwrap(),
            ["--image-id", "x", "--min-count", "1", "--max-count", "1"]
        );
        assert_eq!(r(&["--count", "2:5"]).unwrap(), ["--min-count", "2", "--max-count", "5"]);
        assert_eq!(r(&["--count=3"]).unwrap(), ["--min-count", "3", "--max-count", "3"]);
        assert_eq!(r(&["--max-count", "4"]).unwrap(), ["--max-count", "4", "--min-count", "1"]);
        assert!(r(&["--count", "2", "--min-count", "1"]).is_err());
        assert!(r(&["--count", "x"]).is_err());
        assert!(r(&["--count"]).is_err());
    }
}
