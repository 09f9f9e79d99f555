//! The client's links to the outside world that tests replace: how it sleeps between attempts,
//! where its random numbers and clock come from, and where `--debug` lines and warnings go.

use std::collections::hash_map::RandomState;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Waits for a duration.
pub type SleepFn = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;
/// A random number in `[0, 1)`.
pub type RandomFn = Arc<dyn Fn() -> f64 + Send + Sync>;
/// Seconds on a monotonic clock.
pub type ClockFn = Arc<dyn Fn() -> f64 + Send + Sync>;
/// Receives one line of text (without a line break).
pub type LineSink = Arc<dyn Fn(&str) + Send + Sync>;

/// The replaceable parts of a [`crate::Client`].
#[derive(Clone)]
pub struct Hooks {
    /// Backoff and rate-limiter waits (default: `tokio::time::sleep`).
    pub sleep: SleepFn,
    /// Jitter for backoff (default: a per-call random number from the standard library's hasher
    /// keys; jitter needs spread, not cryptographic strength).
    pub random: RandomFn,
    /// The adaptive rate limiter's clock (default: seconds since the hooks were made).
    pub clock: ClockFn,
    /// `--debug` lines (default: standard error, with a time stamp).
    pub debug: LineSink,
    /// Warnings such as the `--no-verify-ssl` one (default: standard error).
    pub warning: LineSink,
}

impl Default for Hooks {
    fn default() -> Self {
        let start = Instant::now();
        Hooks {
            sleep: Arc::new(|d| Box::pin(tokio::time::sleep(d))),
            random: Arc::new(random_unit),
            clock: Arc::new(move || start.elapsed().as_secs_f64()),
            debug: Arc::new(crate::debug_log::write_stderr),
            warning: Arc::new(|line| eprintln!("{line}")),
        }
    }
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hooks { .. }")
    }
}

/// A random number in `[0, 1)`.
pub fn random_unit() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_numbers_are_in_range_and_vary() {
        let values: Vec<f64> = (0..200).map(|_| random_unit()).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        assert!((0.3..0.7).contains(&mean), "mean {mean}");
    }

    #[test]
    fn default_clock_moves_forward() {
        let hooks = Hooks::default();
        let a = (hooks.clock)();
        let b = (hooks.clock)();
        assert!(b >= a && a >= 0.0);
    }
}
