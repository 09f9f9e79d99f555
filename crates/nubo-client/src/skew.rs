//! The signing clock and its correction for clock skew. A service whose clock differs from ours by more
//! than it tolerates answers `RequestTimeTooSkewed` (S3), `SignatureDoesNotMatch` or
//! `InvalidSignatureException` ("Signature expired"), `RequestExpired`, `RequestInTheFuture` or
//! `AuthFailure`; when such an answer's `Date` header shows our clock at least four minutes off, the
//! difference is kept as an offset that every later signature adds to the local time, and the call is
//! retried once, as the Java, JavaScript and Go SDKs do. Clones share the offset, so one correction
//! holds for the rest of the command.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Error codes with which services refuse a request signed at a time too far from theirs.
pub const SKEW_ERROR_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// The smallest difference between the server's `Date` and our clock treated as skew.
pub const SKEW_THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// The clock requests are signed with: a pinned time (`NUBO_SIGNING_TIME`) or the local time, plus the
/// correction learned from the services.
#[derive(Clone, Debug, Default)]
pub struct SigningClock {
    pinned: Option<SystemTime>,
    /// Milliseconds to add to the base time.
    offset_ms: Arc<AtomicI64>,
}

impl SigningClock {
    /// A clock at `pinned`, or at the local time when `None`, with no correction yet.
    pub fn new(pinned: Option<SystemTime>) -> SigningClock {
        SigningClock { pinned, offset_ms: Arc::new(AtomicI64::new(0)) }
    }

    /// The same correction with another base (clones share the offset).
    pub fn with_pinned(&self, pinned: Option<SystemTime>) -> SigningClock {
        SigningClock { pinned, offset_ms: self.offset_ms.clone() }
    }

    fn base(&self) -> SystemTime {
        self.pinned.unwrap_or_else(SystemTime::now)
    }

    /// The correction in effect, in milliseconds (positive: the services' clocks are ahead of ours).
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// The time to sign a request at now.
    pub fn now(&self) -> SystemTime {
        shift(self.base(), self.offset_ms())
    }

    /// Learns the offset from a response refused with `code`, whose `Date` header is `date`. Returns
    /// true when the clock changed (the request is worth one more attempt).
    pub fn correct(&self, code: &str, date: Option<&str>) -> bool {
        if !SKEW_ERROR_CODES.contains(&code) {
            return false;
        }
        let Some(server) = date.and_then(parse_http_date) else { return false };
        let signed_at = self.now();
        let diff_ms = millis_since_epoch(server) - millis_since_epoch(signed_at);
        if diff_ms.unsigned_abs() < SKEW_THRESHOLD.as_millis() as u64 {
            return false;
        }
        self.offset_ms.fetch_add(diff_ms, Ordering::Relaxed);
        true
    }
}

fn shift(t: SystemTime, ms: i64) -> SystemTime {
    let d = Duration::from_millis(ms.unsigned_abs());
    if ms >= 0 { t + d } else { t.checked_sub(d).unwrap_or(UNIX_EPOCH) }
}

fn millis_since_epoch(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i64,
        Err(e) => -(e.duration().as_millis() as i64),
    }
}

/// An HTTP `Date` (`Sun, 06 Nov 1994 08:49:37 GMT`, or any form the timestamp parser reads).
fn parse_http_date(text: &str) -> Option<SystemTime> {
    let ts = nubo_protocol::de::timestamp::parse(text)?.to_utc();
    let secs = u64::try_from(ts.epoch_seconds).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn http_dates_parse() {
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(at(784111777)));
        assert_eq!(parse_http_date("garbage"), None);
    }

    #[test]
    fn a_skewed_server_moves_the_clock_for_every_clone() {
        // Pinned at 1994-11-06T08:29:37Z; the server says 20 minutes later.
        let clock = SigningClock::new(Some(at(784111777 - 1200)));
        let other = clock.with_pinned(Some(at(784111777 - 1200)));
        assert!(clock.correct("RequestTimeTooSkewed", Some("Sun, 06 Nov 1994 08:49:37 GMT")));
        assert_eq!(clock.offset_ms(), 1_200_000);
        assert_eq!(other.now(), at(784111777));
        // Once corrected, the same answer is no longer skew.
        assert!(!clock.correct("RequestTimeTooSkewed", Some("Sun, 06 Nov 1994 08:49:37 GMT")));
    }

    #[test]
    fn behind_servers_give_a_negative_offset() {
        let clock = SigningClock::new(Some(at(784111777 + 1200)));
        assert!(clock.correct("InvalidSignatureException", Some("Sun, 06 Nov 1994 08:49:37 GMT")));
        assert_eq!(clock.now(), at(784111777));
    }

    #[test]
    fn other_errors_and_small_differences_change_nothing() {
        let clock = SigningClock::new(Some(at(784111777 - 120)));
        assert!(!clock.correct("SignatureDoesNotMatch", Some("Sun, 06 Nov 1994 08:49:37 GMT")));
        let clock = SigningClock::new(Some(at(784111777 - 1200)));
        assert!(!clock.correct("AccessDenied", Some("Sun, 06 Nov 1994 08:49:37 GMT")));
        assert!(!clock.correct("SignatureDoesNotMatch", None));
        assert_eq!(clock.offset_ms(), 0);
    }
}
