//! The transfer progress line the AWS CLI shows on a terminal
//! (`Completed 12.0 MiB/200.0 MiB (85.3 MiB/s) with 1 file(s) remaining`), rewritten in place a few
//! times a second; nothing when standard output is not a terminal or with `--quiet`,
//! `--only-show-errors` or `--no-progress`.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Counters the transfers update and the display reads.
#[derive(Debug)]
pub struct Progress {
    done: Arc<AtomicU64>,
    total: AtomicU64,
    files: AtomicU64,
    files_done: AtomicU64,
    /// Whether the line is shown at all.
    pub shown: bool,
    /// Whether a line is on screen now (to be cleared before a result line).
    on_screen: AtomicBool,
    start: Instant,
}

impl Progress {
    pub fn new(shown: bool) -> Progress {
        Progress {
            done: Arc::new(AtomicU64::new(0)),
            total: AtomicU64::new(0),
            files: AtomicU64::new(0),
            files_done: AtomicU64::new(0),
            shown: shown && std::io::stdout().is_terminal(),
            on_screen: AtomicBool::new(false),
            start: Instant::now(),
        }
    }

    /// The counter of bytes transferred, for bodies that count as they are read.
    pub fn counter(&self) -> Arc<AtomicU64> {
        self.done.clone()
    }

    pub fn add(&self, bytes: u64) {
        self.done.fetch_add(bytes, Ordering::Relaxed);
    }

    /// A file of `size` bytes is queued.
    pub fn queue(&self, size: u64) {
        self.total.fetch_add(size, Ordering::Relaxed);
        self.files.fetch_add(1, Ordering::Relaxed);
    }

    /// A queued file is finished (or failed).
    pub fn finish_file(&self) {
        self.files_done.fetch_add(1, Ordering::Relaxed);
    }

    /// The current line.
    pub fn line(&self) -> String {
        let done = self.done.load(Ordering::Relaxed).min(self.total.load(Ordering::Relaxed));
        let total = self.total.load(Ordering::Relaxed);
        let left = self.files.load(Ordering::Relaxed).saturating_sub(self.files_done.load(Ordering::Relaxed));
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        format!(
            "Completed {}/{} ({}/s) with {left} file(s) remaining",
            human(done as f64),
            human(total as f64),
            human(done as f64 / secs)
        )
    }

    /// Draws the line (cursor left at its start, so the next result line overwrites it).
    pub fn draw(&self) {
        if !self.shown {
            return;
        }
        let mut out = std::io::stdout().lock();
        let _ = write!(out, "{}\x1b[K\r", self.line());
        let _ = out.flush();
        self.on_screen.store(true, Ordering::Relaxed);
    }

    /// Clears the line before a result line is printed over it.
    pub fn clear(&self) {
        if self.shown && self.on_screen.swap(false, Ordering::Relaxed) {
            let mut out = std::io::stdout().lock();
            let _ = write!(out, "\x1b[K");
            let _ = out.flush();
        }
    }

    /// Redraws the line every 200 ms until `stop` is set.
    pub async fn run(&self, stop: &AtomicBool) {
        if !self.shown {
            return;
        }
        while !stop.load(Ordering::Relaxed) {
            self.draw();
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        self.clear();
    }
}

/// Sizes as the CLI's progress shows them: `12.0 MiB`, `512 Bytes`.
pub fn human(n: f64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024.0 {
        return format!("{} Bytes", n as u64);
    }
    let mut v = n / 1024.0;
    let mut unit = UNITS[0];
    for u in &UNITS[1..] {
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
        unit = u;
    }
    format!("{v:.1} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_reads_like_the_cli() {
        let p = Progress::new(false);
        p.queue(200 * 1024 * 1024);
        p.queue(10);
        p.finish_file();
        p.add(12 * 1024 * 1024);
        let line = p.line();
        assert!(line.starts_with("Completed 12.0 MiB/200.0 MiB ("), "{line}");
        assert!(line.ends_with("/s) with 1 file(s) remaining"), "{line}");
        assert_eq!(human(512.0), "512 Bytes");
        assert_eq!(human(1536.0), "1.5 KiB");
    }
}
