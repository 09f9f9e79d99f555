//! The high-level `s3` commands (`ls`, `mb`, `rb`, `cp`, `mv`, `rm`, `sync`, `website`) and their transfer engine:
//! listing, filtering, planning and running uploads, downloads, copies and deletes concurrently, with
//! multipart transfers for large files and the AWS CLI's output lines and exit codes.

mod args;
mod client;
mod filter;
mod fmt;
mod ls;
mod params;
mod progress;
mod transfer;

pub use client::S3Client;

/// Exit codes the s3 commands use besides the CLI's usual ones.
pub mod exit {
    pub const OK: i32 = 0;
    /// Some transfers failed.
    pub const FAILED: i32 = 1;
    /// Some files were skipped.
    pub const SKIPPED: i32 = 2;
    /// Interrupted (Ctrl-C).
    pub const INTERRUPTED: i32 = 130;
}

/// A command that could not run at all: the session's error, so each kind keeps its exit code
/// (a credentials failure in the middle of a `sync` is still 253).
pub use nubo_session::Error;

/// The `s3 =` transfer settings of the profile.
#[derive(Debug, Clone, Copy)]
pub struct TransferConfig {
    pub max_concurrent_requests: usize,
    pub multipart_threshold: u64,
    pub multipart_chunksize: u64,
    /// `max_bandwidth`: bytes per second, all transfers together; `None` for no limit.
    pub max_bandwidth: Option<u64>,
}

impl Default for TransferConfig {
    fn default() -> Self {
        TransferConfig {
            max_concurrent_requests: 10,
            multipart_threshold: 8 * 1024 * 1024,
            multipart_chunksize: 8 * 1024 * 1024,
            max_bandwidth: None,
        }
    }
}

/// The smallest part S3 accepts (but the last).
const MIN_PART: u64 = 5 * 1024 * 1024;
/// The most parts one upload may have.
const MAX_PARTS: u64 = 10_000;

impl TransferConfig {
    /// Sets one setting from its profile value (`64MB`, `10`); a bad value is an error message.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        match name {
            "max_concurrent_requests" => {
                let n: usize = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("Invalid value for max_concurrent_requests: {value}"))?;
                self.max_concurrent_requests = n;
            }
            "multipart_threshold" => self.multipart_threshold = parse_size(value)?,
            "multipart_chunksize" => self.multipart_chunksize = parse_size(value)?.max(MIN_PART),
            "max_bandwidth" => {
                let per_second = value.trim().strip_suffix("/s").unwrap_or(value.trim());
                self.max_bandwidth = Some(parse_size(per_second)?).filter(|n| *n > 0);
            }
            _ => {}
        }
        Ok(())
    }

    /// The part size for an object of `size` bytes: the chunk size, grown so there are at most 10,000 parts.
    fn part_size(&self, size: u64) -> u64 {
        let mut part = self.multipart_chunksize.max(1);
        while size.div_ceil(part) > MAX_PARTS {
            part *= 2;
        }
        part
    }
}

/// Parses a size such as `10MB`, `8MiB`, `1024` (bytes) the way the CLI does.
pub fn parse_size(value: &str) -> Result<u64, String> {
    let v = value.trim();
    let bad = || format!("Invalid size value: {value}");
    let lower = v.to_ascii_lowercase();
    const UNITS: [(&str, u64); 10] = [
        ("kib", 1 << 10),
        ("mib", 1 << 20),
        ("gib", 1 << 30),
        ("tib", 1 << 40),
        ("kb", 1 << 10),
        ("mb", 1 << 20),
        ("gb", 1 << 30),
        ("tb", 1 << 40),
        ("b", 1),
        ("", 1),
    ];
    for (suffix, mult) in UNITS {
        if let Some(num) = lower.strip_suffix(suffix) {
            if num.is_empty() {
                continue;
            }
            let n: u64 = num.trim().parse().map_err(|_| bad())?;
            return n.checked_mul(mult).ok_or_else(bad);
        }
    }
    Err(bad())
}

/// Runs `nubo s3 <command> <args>` on `rt` and returns the exit code.
pub fn run(
    client: &S3Client<'_>,
    rt: &tokio::runtime::Runtime,
    config: TransferConfig,
    command: &str,
    args: &[String],
) -> Result<i32, Error> {
    let opts = args::parse(command, args)?;
    let out = fmt::Printer::new(&opts);
    match command {
        "ls" => rt.block_on(ls::ls(client, &opts, &out)),
        "mb" => rt.block_on(ls::mb(client, &opts, &out)),
        "rb" => rt.block_on(ls::rb(client, config, &opts, &out)),
        "website" => rt.block_on(ls::website(client, &opts)),
        "cp" | "mv" | "rm" | "sync" => rt.block_on(async {
            // Ctrl-C stops the transfers, removes partial downloads and aborts open multipart uploads (exit 130).
            let work = Box::pin(transfer::run(client, config, command, &opts, &out));
            let interrupt = Box::pin(tokio::signal::ctrl_c());
            match futures_util::future::select(work, interrupt).await {
                futures_util::future::Either::Left((result, _)) => result,
                futures_util::future::Either::Right(_) => {
                    transfer::remove_partial_downloads();
                    transfer::abort_open_uploads(client).await;
                    Ok(exit::INTERRUPTED)
                }
            }
        }),
        other => Err(Error::Usage(format!("argument subcommand: Invalid choice: '{other}'"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_like_the_cli() {
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("5MB"), Ok(5 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("1 GB"), Ok(1 << 30));
        assert!(parse_size("MB").is_err());
        assert!(parse_size("x").is_err());
        let mut c = TransferConfig::default();
        c.set("max_bandwidth", "50MB/s").unwrap();
        assert_eq!(c.max_bandwidth, Some(50 << 20));
    }

    #[test]
    fn part_sizes_stay_under_ten_thousand_parts() {
        let c = TransferConfig::default();
        assert_eq!(c.part_size(20 << 20), 8 << 20);
        assert!((1u64 << 40).div_ceil(c.part_size(1 << 40)) <= MAX_PARTS);
    }
}
