//! What the s3 commands print: result lines (respecting `--quiet` and `--only-show-errors`),
//! times in local time, human-readable sizes, and local paths shown relative to the current
//! directory as the CLI shows them.

use crate::args::Opts;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use time::{OffsetDateTime, UtcOffset};

/// Prints result lines.
pub struct Printer {
    quiet: bool,
    errors_only: bool,
    pub dryrun: bool,
}

impl Printer {
    pub fn new(o: &Opts) -> Printer {
        Printer {
            quiet: o.flag("--quiet"),
            errors_only: o.flag("--only-show-errors"),
            dryrun: o.flag("--dryrun"),
        }
    }

    /// A successful (or dry-run) result line on standard output.
    pub fn done(&self, line: &str) {
        if self.quiet || self.errors_only {
            return;
        }
        let prefix = if self.dryrun { "(dryrun) " } else { "" };
        let _ = writeln!(std::io::stdout().lock(), "{prefix}{line}");
    }

    /// A failure or warning line on standard error.
    pub fn error(&self, line: &str) {
        if self.quiet {
            return;
        }
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }
}

/// Plain output (for `ls`).
pub fn out(line: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// The local time offset: UTC when `TZ` is unset or the offset cannot be known.
pub fn local_offset() -> UtcOffset {
    if std::env::var_os("TZ").is_none() {
        return UtcOffset::UTC;
    }
    UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC)
}

/// Parses a timestamp from the engine's output, with the one lenient timestamp reader.
pub fn parse_time(s: &str) -> Option<OffsetDateTime> {
    let t = nubo_protocol::de::timestamp::parse(s)?;
    let at = OffsetDateTime::from_unix_timestamp(t.epoch_seconds).ok()?;
    Some(at + time::Duration::microseconds(i64::from(t.micros)))
}

/// `YYYY-MM-DD HH:MM:SS` in `offset`.
pub fn time_str(t: OffsetDateTime, offset: UtcOffset) -> String {
    let t = t.to_offset(offset);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The CLI's base-2 human-readable size (`1 Byte`, `10 Bytes`, `1.0 KiB`).
pub fn human_size(n: u64) -> String {
    const SUFFIXES: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let v = n as f64;
    if n == 1 {
        return "1 Byte".into();
    }
    if n < 1024 {
        return format!("{n} Bytes");
    }
    for (i, s) in SUFFIXES.iter().enumerate() {
        let unit = 1024f64.powi(i as i32 + 2);
        if ((v / unit) * 1024.0).round() < 1024.0 {
            return format!("{:.1} {s}", 1024.0 * v / unit);
        }
    }
    format!("{:.1} EiB", v / 1024f64.powi(6))
}

/// A local path as the CLI shows it: its directory relative to the current one, then its name
/// (`./a.txt`, `dir/b.txt`, `../x/c.txt`).
pub fn display_local(path: &Path) -> String {
    let abs = absolute(path);
    let name = abs.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let cwd = std::env::current_dir().map(|c| absolute(&c)).unwrap_or_default();
    let rel = relative(&dir, &cwd);
    let rel = if rel.is_empty() { ".".to_string() } else { rel };
    if path.to_string_lossy().ends_with('/') { format!("{rel}/{name}/") } else { format!("{rel}/{name}") }
}

/// `path` made absolute and normalised (no `.` or `..`), without touching the file system.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn relative(path: &Path, base: &Path) -> String {
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); b.len() - common];
    parts.extend(p[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_the_cli() {
        assert_eq!(human_size(1), "1 Byte");
        assert_eq!(human_size(10), "10 Bytes");
        assert_eq!(human_size(1024), "1.0 KiB");
        assert_eq!(human_size(1024 * 1024), "1.0 MiB");
        assert_eq!(human_size(1_500_000), "1.4 MiB");
    }

    #[test]
    fn times_and_paths() {
        let t = parse_time("2024-01-02T03:04:05+00:00").unwrap();
        assert_eq!(time_str(t, UtcOffset::UTC), "2024-01-02 03:04:05");
        assert!(parse_time("2024-01-02T03:04:05.123000+00:00").is_some());
        assert_eq!(display_local(Path::new("a.txt")), "./a.txt");
        assert_eq!(display_local(Path::new("d/b.txt")), "d/b.txt");
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/c")), "../b");
    }
}
