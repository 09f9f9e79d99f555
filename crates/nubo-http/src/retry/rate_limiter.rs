//! Adaptive mode's client-side rate limiter: a token bucket that every attempt draws from once the
//! service has throttled the client, whose fill rate follows the CUBIC curve (cut to 70 % of the
//! measured send rate on throttling, then grown back along a cubic), as the AWS SDKs define it.
//!
//! Hand-written: the behaviour is the SDKs' own algorithm, small and not offered by any crate.
//! Times are seconds on the client's clock; waiting is left to the caller, so that nothing here
//! blocks or holds a lock across an await.

use std::sync::Mutex;
use std::time::Duration;

/// The lowest fill rate, in tokens per second.
const MIN_FILL_RATE: f64 = 0.5;
/// CUBIC's scaling constant.
const SCALE_CONSTANT: f64 = 0.4;
/// CUBIC's multiplicative decrease on throttling.
const BETA: f64 = 0.7;
/// The send rate may not be set above this multiple of the measured rate.
const MAX_RATE_ADJUST_SCALE: f64 = 2.0;
/// Weight of the newest measurement in the smoothed send rate.
const SMOOTHING: f64 = 0.8;
/// The send rate is measured over half-second buckets.
const TIME_BUCKET_SCALE: f64 = 2.0;
/// Capacity short of a whole token by less than this counts as a token (float rounding).
const EPSILON: f64 = 1e-9;

/// Tokens refilled at `fill_rate` per second up to `max_capacity`.
#[derive(Clone, Debug)]
pub(crate) struct TokenBucket {
    fill_rate: f64,
    max_capacity: f64,
    capacity: f64,
    last: Option<f64>,
}

impl TokenBucket {
    pub(crate) fn new(max_rate: f64, now: f64) -> Self {
        let mut bucket =
            TokenBucket { fill_rate: MIN_FILL_RATE, max_capacity: 1.0, capacity: 0.0, last: None };
        bucket.set_max_rate(max_rate, now);
        bucket
    }

    pub(crate) fn max_rate(&self) -> f64 {
        self.fill_rate
    }

    pub(crate) fn set_max_rate(&mut self, rate: f64, now: f64) {
        self.refill(now);
        let rate = if rate.is_finite() { rate } else { MIN_FILL_RATE };
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.max_capacity = if rate >= 1.0 { rate } else { 1.0 };
        self.capacity = self.capacity.min(self.max_capacity);
    }

    /// Takes one token, or says how long until one is there.
    pub(crate) fn try_acquire(&mut self, now: f64) -> Result<(), Duration> {
        self.refill(now);
        if self.capacity + EPSILON >= 1.0 {
            self.capacity = (self.capacity - 1.0).max(0.0);
            return Ok(());
        }
        let wait = (1.0 - self.capacity) / self.fill_rate;
        // At least a millisecond: a wait that rounds to nothing would be asked for again and again.
        Err(Duration::try_from_secs_f64(wait).unwrap_or(Duration::from_secs(2)).max(Duration::from_millis(1)))
    }

    fn refill(&mut self, now: f64) {
        let Some(last) = self.last else {
            self.last = Some(now);
            return;
        };
        let elapsed = (now - last).max(0.0);
        self.capacity = (self.capacity + elapsed * self.fill_rate).min(self.max_capacity);
        self.last = Some(now.max(last));
    }
}

/// The CUBIC rate curve.
#[derive(Clone, Debug)]
pub(crate) struct Cubic {
    w_max: f64,
    k: f64,
    last_fail: f64,
}

impl Cubic {
    pub(crate) fn new(starting_max_rate: f64, start: f64) -> Self {
        Cubic { w_max: starting_max_rate, k: zero_point(starting_max_rate), last_fail: start }
    }

    /// The rate to use after a success at `now`.
    pub(crate) fn success(&self, now: f64) -> f64 {
        SCALE_CONSTANT * (now - self.last_fail - self.k).powi(3) + self.w_max
    }

    /// Records throttling at `rate` and returns the reduced rate.
    pub(crate) fn throttled(&mut self, rate: f64, now: f64) -> f64 {
        self.w_max = rate;
        self.k = zero_point(rate);
        self.last_fail = now;
        rate * BETA
    }
}

fn zero_point(w_max: f64) -> f64 {
    (w_max.max(0.0) * (1.0 - BETA) / SCALE_CONSTANT).cbrt()
}

/// The smoothed rate at which the client sends.
#[derive(Clone, Debug)]
pub(crate) struct RateClocker {
    measured: f64,
    last_bucket: f64,
    count: f64,
}

impl RateClocker {
    pub(crate) fn new(now: f64) -> Self {
        RateClocker { measured: 0.0, last_bucket: now.floor(), count: 0.0 }
    }

    /// Counts one request at `now` and returns the smoothed rate.
    pub(crate) fn record(&mut self, now: f64) -> f64 {
        let bucket = (now * TIME_BUCKET_SCALE).floor() / TIME_BUCKET_SCALE;
        self.count += 1.0;
        if bucket > self.last_bucket {
            let current = self.count / (bucket - self.last_bucket);
            self.measured = current * SMOOTHING + self.measured * (1.0 - SMOOTHING);
            self.count = 0.0;
            self.last_bucket = bucket;
        }
        self.measured
    }
}

#[derive(Debug)]
struct State {
    bucket: TokenBucket,
    cubic: Cubic,
    clocker: RateClocker,
    enabled: bool,
}

/// The limiter shared by all requests of a client.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    state: Mutex<State>,
}

impl RateLimiter {
    pub(crate) fn new(now: f64) -> Self {
        RateLimiter {
            state: Mutex::new(State {
                bucket: TokenBucket::new(1.0, now),
                cubic: Cubic::new(0.0, now),
                clocker: RateClocker::new(now),
                enabled: false,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Before an attempt: `Ok` when it may go now, or how long to wait before asking again.
    pub(crate) fn try_acquire(&self, now: f64) -> Result<(), Duration> {
        let mut state = self.lock();
        if !state.enabled {
            return Ok(());
        }
        state.bucket.try_acquire(now)
    }

    /// After an attempt: adjusts the send rate. Returns the new rate.
    pub(crate) fn on_response(&self, throttled: bool, now: f64) -> f64 {
        let mut state = self.lock();
        let measured = state.clocker.record(now);
        let new_rate = if throttled {
            let rate = if state.enabled { measured.min(state.bucket.max_rate()) } else { measured };
            state.enabled = true;
            state.cubic.throttled(rate, now)
        } else {
            state.cubic.success(now)
        };
        let rate = new_rate.min(MAX_RATE_ADJUST_SCALE * measured);
        state.bucket.set_max_rate(rate, now);
        state.bucket.max_rate()
    }

    /// The limiter's state: `None` until the first throttle switches it on, then the send rate
    /// allowed, in requests per second.
    pub(crate) fn send_rate(&self) -> Option<f64> {
        let state = self.lock();
        state.enabled.then(|| state.bucket.max_rate())
    }

    #[cfg(test)]
    fn enabled(&self) -> bool {
        self.lock().enabled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn cubic_recovers_to_the_old_maximum_at_k() {
        let mut c = Cubic::new(10.0, 0.0);
        let k = (10.0f64 * 0.3 / 0.4).cbrt();
        assert!(close(c.success(k), 10.0));
        assert!(c.success(0.0) < 10.0);
        assert!(c.success(k + 1.0) > 10.0);
        assert!(close(c.throttled(8.0, 5.0), 5.6));
        let k2 = (8.0f64 * 0.3 / 0.4).cbrt();
        assert!(close(c.success(5.0 + k2), 8.0));
        assert!(close(c.success(5.0), 8.0 - 0.4 * k2.powi(3)));
    }

    #[test]
    fn bucket_fills_at_its_rate_and_never_below_the_minimum() {
        let mut b = TokenBucket::new(1.0, 0.0);
        let wait = b.try_acquire(0.0).unwrap_err();
        assert_eq!(wait, Duration::from_secs(1));
        assert!(b.try_acquire(1.0).is_ok());
        assert!(b.try_acquire(1.0).is_err());
        b.set_max_rate(0.1, 1.0);
        assert!(close(b.max_rate(), 0.5));
        assert_eq!(b.try_acquire(1.0).unwrap_err(), Duration::from_secs(2));
        assert!(b.try_acquire(3.0).is_ok());
        b.set_max_rate(f64::NAN, 3.0);
        assert!(close(b.max_rate(), 0.5));
    }

    #[test]
    fn bucket_capacity_is_capped() {
        let mut b = TokenBucket::new(4.0, 0.0);
        assert!(b.try_acquire(100.0).is_ok());
        for _ in 0..3 {
            assert!(b.try_acquire(100.0).is_ok());
        }
        assert!(b.try_acquire(100.0).is_err());
        // The clock going backwards adds nothing.
        assert!(b.try_acquire(50.0).is_err());
    }

    #[test]
    fn clocker_smooths_per_half_second() {
        let mut c = RateClocker::new(0.0);
        assert!(close(c.record(0.1), 0.0));
        assert!(close(c.record(0.2), 0.0));
        // Third request lands in the 0.5 bucket: 3 requests over 0.5 s = 6/s, smoothed 0.8 * 6.
        assert!(close(c.record(0.6), 4.8));
        // One more in the 1.0 bucket: 1 / 0.5 = 2/s; 0.8 * 2 + 0.2 * 4.8.
        assert!(close(c.record(1.0), 2.56));
    }

    #[test]
    fn limiter_switches_on_at_the_first_throttle() {
        let l = RateLimiter::new(0.0);
        assert!(l.try_acquire(0.0).is_ok());
        assert!(l.try_acquire(0.0).is_ok());
        l.on_response(false, 0.1);
        assert!(!l.enabled());
        let rate = l.on_response(true, 0.7);
        assert!(l.enabled());
        assert!(rate >= MIN_FILL_RATE);
        // Once on, attempts draw tokens and must wait when there are none.
        let mut waited = false;
        let mut now = 0.7;
        for _ in 0..5 {
            match l.try_acquire(now) {
                Ok(()) => {}
                Err(wait) => {
                    waited = true;
                    assert!(wait <= Duration::from_secs(2));
                    now += wait.as_secs_f64();
                }
            }
        }
        assert!(waited);
    }
}
