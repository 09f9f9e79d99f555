//! Timestamps in the forms the credential sources write them (STS, SSO, IMDS, container endpoints,
//! `credential_process`, the CLI's cache files, `AWS_CREDENTIAL_EXPIRATION`), read leniently into a
//! `SystemTime`, and written in the forms the AWS CLI writes.
//!
//! The sources disagree (RFC 3339 with `Z` or an offset, botocore's cache files with a `UTC` suffix,
//! offsets without a colon, fractions of any length, epoch seconds): they are read by the one lenient
//! timestamp reader, `nubo_protocol::de::timestamp::parse`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};
use time::OffsetDateTime;

/// Parses an ISO 8601 / RFC 3339 timestamp (`T` or space between date and time; `Z`, `UTC`,
/// `GMT`, `±HH:MM`, `±HHMM`, `±HH` or no zone, which counts as UTC; any fraction of a second) or
/// epoch seconds. `None` when it is neither.
pub fn parse(text: &str) -> Option<SystemTime> {
    // One lenient reader for every timestamp nubo receives: the protocol layer's. A credential's
    // expiry is an instant, so a bare date does not count.
    let s = text.trim();
    if !s.contains(':') && !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let t = nubo_protocol::de::timestamp::parse(s)?;
    let base = UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(t.epoch_seconds.max(0)).ok()?))?;
    let at = base.checked_add(Duration::from_micros(u64::from(t.micros)))?;
    (t.epoch_seconds >= 0).then_some(at)
}

/// Epoch seconds (possibly fractional) as a `SystemTime`.
pub fn from_epoch_secs(secs: f64) -> Option<SystemTime> {
    if !secs.is_finite() || !(0.0..=253_402_300_799.0).contains(&secs) {
        return None;
    }
    Some(UNIX_EPOCH + Duration::from_secs_f64(secs))
}

/// Epoch milliseconds (SSO's `expiration`) as a `SystemTime`.
pub fn from_epoch_millis(ms: i64) -> Option<SystemTime> {
    let ms = u64::try_from(ms).ok()?;
    Some(UNIX_EPOCH + Duration::from_millis(ms))
}

fn to_utc(t: SystemTime) -> OffsetDateTime {
    OffsetDateTime::from(t)
}

fn ymd_hms(dt: &OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// `2024-05-01T12:00:00Z`: the form of the SSO token cache and of the CLI's SSO role credentials.
pub fn iso_z(t: SystemTime) -> String {
    format!("{}Z", ymd_hms(&to_utc(t)))
}

/// `2024-05-01T12:00:00+00:00` (with `.ffffff` when the microseconds are not zero): Python's
/// `datetime.isoformat()` of a UTC time, as `configure export-credentials` prints expiry times.
pub fn python_iso(t: SystemTime) -> String {
    let dt = to_utc(t);
    let micros = dt.microsecond();
    if micros == 0 {
        format!("{}+00:00", ymd_hms(&dt))
    } else {
        format!("{}.{micros:06}+00:00", ymd_hms(&dt))
    }
}

/// Whole seconds since the epoch (0 before it).
pub fn epoch_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Signed seconds from `now` until `t` (negative when `t` is past).
pub fn seconds_until(t: SystemTime, now: SystemTime) -> f64 {
    match t.duration_since(now) {
        Ok(d) => d.as_secs_f64(),
        Err(e) => -e.duration().as_secs_f64(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn reads_every_form() {
        let want = at(1_714_564_800); // 2024-05-01T12:00:00Z
        for s in [
            "2024-05-01T12:00:00Z",
            "2024-05-01T12:00:00z",
            "2024-05-01T12:00:00+00:00",
            "2024-05-01T12:00:00UTC",
            "2024-05-01 12:00:00",
            "2024-05-01T14:00:00+02:00",
            "2024-05-01T14:00:00+0200",
            "2024-05-01T07:00:00-05",
            "2024-05-01T12:00Z",
            "1714564800",
            " 2024-05-01T12:00:00.000Z ",
        ] {
            assert_eq!(parse(s), Some(want), "{s}");
        }
        assert_eq!(parse("2024-05-01T12:00:00.5Z"), Some(want + Duration::from_millis(500)));
        for bad in
            ["", "soon", "2024-05-01", "2024-13-01T00:00:00Z", "2024-05-01T12:00:00+25:00", "2024-05-01T1"]
        {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn writes_cli_forms() {
        let t = at(1_714_564_800);
        assert_eq!(iso_z(t), "2024-05-01T12:00:00Z");
        assert_eq!(python_iso(t), "2024-05-01T12:00:00+00:00");
        assert_eq!(python_iso(t + Duration::from_micros(250)), "2024-05-01T12:00:00.000250+00:00");
        assert_eq!(epoch_secs(t), 1_714_564_800);
        assert_eq!(from_epoch_millis(1_714_564_800_000), Some(t));
        assert_eq!(from_epoch_millis(-1), None);
        assert_eq!(seconds_until(at(10), at(4)), 6.0);
        assert_eq!(seconds_until(at(4), at(10)), -6.0);
    }

    #[test]
    fn mangled_input_never_panics() {
        let base = "2024-05-01T12:00:00.123+02:00";
        for cut in 0..=base.len() {
            let _ = parse(&base[..cut]);
            for c in ['é', ':', '-', '+', 'T', ' ', '9', '.', 'Z'] {
                let mut s: Vec<char> = base.chars().collect();
                if cut < s.len() {
                    s[cut] = c;
                }
                let _ = parse(&s.into_iter().collect::<String>());
            }
        }
        assert_eq!(parse("1e400"), None);
        assert_eq!(parse("99999999999999999999"), None);
    }
}
