//! How long to wait before the next attempt: truncated binary exponential backoff with full
//! jitter, `random * min(2^(n-1), 20)` seconds after the n-th attempt in `standard` and
//! `adaptive` modes, and the uncapped `base * 2^(n-1)` of `legacy` mode.

use std::time::Duration;

/// The longest wait of `standard` and `adaptive` modes.
pub const MAX_BACKOFF: Duration = Duration::from_secs(20);

/// The wait after failed attempt `attempt` (1-based) in `standard` and `adaptive` modes, for a
/// random number in `[0, 1)`.
pub fn standard_delay(attempt: u32, random: f64) -> Duration {
    let ceiling = exp2(attempt).min(MAX_BACKOFF.as_secs_f64());
    seconds(unit(random) * ceiling)
}

/// The wait after failed attempt `attempt` (1-based) in `legacy` mode: `base` (a random number
/// in `[0, 1)` unless the service fixes it) times `2^(attempt-1)`.
pub fn legacy_delay(attempt: u32, random: f64, base: Option<f64>) -> Duration {
    let base = base.filter(|b| b.is_finite() && *b > 0.0).unwrap_or_else(|| unit(random));
    seconds(base * exp2(attempt))
}

/// `2^(attempt-1)` as a float (attempt 0 counts as 1).
fn exp2(attempt: u32) -> f64 {
    let exponent = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
    2f64.powi(exponent)
}

fn unit(random: f64) -> f64 {
    if random.is_finite() { random.clamp(0.0, 1.0) } else { 0.0 }
}

fn seconds(secs: f64) -> Duration {
    Duration::try_from_secs_f64(secs).unwrap_or(if secs > 0.0 { Duration::MAX } else { Duration::ZERO })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_grows_and_caps() {
        assert_eq!(standard_delay(1, 1.0), Duration::from_secs(1));
        assert_eq!(standard_delay(2, 1.0), Duration::from_secs(2));
        assert_eq!(standard_delay(3, 0.5), Duration::from_secs(2));
        assert_eq!(standard_delay(5, 1.0), Duration::from_secs(16));
        assert_eq!(standard_delay(6, 1.0), Duration::from_secs(20));
        assert_eq!(standard_delay(1000, 1.0), Duration::from_secs(20));
        assert_eq!(standard_delay(3, 0.0), Duration::ZERO);
    }

    #[test]
    fn bad_random_numbers_are_tamed() {
        assert_eq!(standard_delay(2, f64::NAN), Duration::ZERO);
        assert_eq!(standard_delay(2, -3.0), Duration::ZERO);
        assert_eq!(standard_delay(2, 7.0), Duration::from_secs(2));
        assert_eq!(standard_delay(0, 1.0), Duration::from_secs(1));
    }

    #[test]
    fn legacy_is_uncapped_and_may_fix_the_base() {
        assert_eq!(legacy_delay(6, 1.0, None), Duration::from_secs(32));
        assert_eq!(legacy_delay(3, 0.9, Some(0.05)), Duration::from_millis(200));
        assert_eq!(legacy_delay(u32::MAX, 1.0, None), Duration::MAX);
    }
}
