//! Timestamp parameter values: the forms botocore accepts (epoch seconds, ISO 8601 with or without
//! time and zone, RFC 822 dates), normalized to what the serializers take: epoch seconds as numbers,
//! anything else as an ISO 8601 UTC string (`2014-01-02T03:04:05Z`, `.ffffff` when there are
//! microseconds). A value without a zone is UTC, as in botocore.
//!
//! Hand-written: botocore parses with dateutil, whose set of accepted forms no Rust crate offers;
//! this covers the forms people write.

use serde_json::Value;

use crate::pyval::{float_json, py_float};

/// A timestamp given as text, normalized; `None` when it is not one.
pub(crate) fn normalize(text: &str) -> Option<Value> {
    let t = text.trim();
    if let Ok(f) = py_float(t) {
        if !f.is_finite() {
            return None;
        }
        if f.fract() == 0.0 && f.abs() < 9.0e15 {
            return Some(Value::from(f as i64));
        }
        return Some(float_json(f));
    }
    let dt = parse_iso(t).or_else(|| parse_named_month(t))?;
    Some(Value::String(dt.to_iso()))
}

/// A timestamp given as text (epoch seconds, ISO 8601, RFC 822) as microseconds since the epoch,
/// for commands that take a point in time (`logs tail --since`); `None` when it is not one.
pub fn epoch_micros(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(f) = py_float(t) {
        return f.is_finite().then(|| (f * 1e6).round() as i64);
    }
    let dt = parse_iso(t).or_else(|| parse_named_month(t))?;
    let days = days_from_civil(dt.year, dt.month, dt.day);
    let secs = days * 86400 + (dt.hour * 3600 + dt.minute * 60 + dt.second) as i64 - dt.offset;
    Some(secs * 1_000_000 + dt.micro as i64)
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct DateTime {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    micro: u32,
    /// Seconds east of UTC.
    offset: i64,
}

impl DateTime {
    fn valid(&self) -> bool {
        (1..=9999).contains(&self.year)
            && (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
            && self.hour < 24
            && self.minute < 60
            && self.second < 60
            && self.offset.abs() < 24 * 3600
    }

    fn to_iso(self) -> String {
        let days = days_from_civil(self.year, self.month, self.day);
        let secs = days * 86400 + (self.hour * 3600 + self.minute * 60 + self.second) as i64 - self.offset;
        let (days, rem) = (secs.div_euclid(86400), secs.rem_euclid(86400));
        let (y, m, d) = civil_from_days(days);
        let base = format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", rem / 3600, (rem % 3600) / 60, rem % 60);
        if self.micro > 0 { format!("{base}.{:06}Z", self.micro) } else { format!("{base}Z") }
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// `Z`, `UTC`, `GMT`, `+HH:MM`, `+HHMM`, `+HH` (and `-`); empty means UTC.
fn parse_zone(z: &str) -> Option<i64> {
    let z = z.trim();
    if z.is_empty()
        || z.eq_ignore_ascii_case("z")
        || z.eq_ignore_ascii_case("utc")
        || z.eq_ignore_ascii_case("gmt")
    {
        return Some(0);
    }
    let sign = match z.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = z[1..].replace(':', "");
    let (h, m) = match rest.len() {
        2 => (digits(&rest, 2)?, 0),
        4 => (digits(&rest[..2], 2)?, digits(&rest[2..], 2)?),
        _ => return None,
    };
    Some(sign * (h as i64 * 3600 + m as i64 * 60))
}

/// `HH:MM[:SS[.frac]]` or `HHMM[SS[.frac]]`.
fn parse_time(t: &str) -> Option<(u32, u32, u32, u32)> {
    let (main, frac) = match t.split_once(['.', ',']) {
        Some((m, f)) => (m, Some(f)),
        None => (t, None),
    };
    let parts: Vec<&str> = if main.contains(':') {
        main.split(':').collect()
    } else {
        match main.len() {
            2 => vec![&main[..2]],
            4 => vec![&main[..2], &main[2..]],
            6 => vec![&main[..2], &main[2..4], &main[4..]],
            _ => return None,
        }
    };
    let hour = digits(parts.first()?, 2).or_else(|| digits(parts.first()?, 1))?;
    let minute = match parts.get(1) {
        Some(m) => digits(m, 2)?,
        None => 0,
    };
    let second = match parts.get(2) {
        Some(s) => digits(s, 2)?,
        None => 0,
    };
    if parts.len() > 3 {
        return None;
    }
    let micro = match frac {
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            let mut f6: String = f.chars().take(6).collect();
            while f6.len() < 6 {
                f6.push('0');
            }
            f6.parse().ok()?
        }
        Some(_) => return None,
        None => 0,
    };
    Some((hour, minute, second, micro))
}

/// ISO 8601: `YYYY-MM-DD` or `YYYYMMDD`, then optionally `T` or a space, a time and a zone.
fn parse_iso(t: &str) -> Option<DateTime> {
    let (date, rest) = if t.len() >= 10 && t.as_bytes().get(4) == Some(&b'-') {
        (&t[..10], &t[10..])
    } else if t.len() >= 8 && t.is_char_boundary(8) && t[..8].bytes().all(|b| b.is_ascii_digit()) {
        (&t[..8], &t[8..])
    } else {
        return None;
    };
    let (year, month, day) = if date.len() == 10 {
        let b = date.as_bytes();
        if b[7] != b'-' {
            return None;
        }
        (digits(&date[..4], 4)? as i64, digits(&date[5..7], 2)?, digits(&date[8..10], 2)?)
    } else {
        (digits(&date[..4], 4)? as i64, digits(&date[4..6], 2)?, digits(&date[6..8], 2)?)
    };
    let mut dt = DateTime { year, month, day, hour: 0, minute: 0, second: 0, micro: 0, offset: 0 };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(['T', 't']).unwrap_or(rest);
    if !rest.is_empty() {
        let zone_at = rest.find(['Z', 'z', '+', '-', ' ']).unwrap_or(rest.len());
        let (time, zone) = rest.split_at(zone_at);
        if time.is_empty() {
            dt.offset = parse_zone(zone)?;
        } else {
            let (h, m, s, us) = parse_time(time)?;
            dt.hour = h;
            dt.minute = m;
            dt.second = s;
            dt.micro = us;
            dt.offset = parse_zone(zone)?;
        }
    }
    dt.valid().then_some(dt)
}

const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| w.starts_with(m)).map(|i| i as u32 + 1)
}

/// RFC 822 and similar: `[Wed,] 01 Jan 2014 [00:00:00] [GMT|+0000]`, `Jan 1, 2014 [10:00]`.
fn parse_named_month(t: &str) -> Option<DateTime> {
    let words: Vec<&str> =
        t.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let mut words: &[&str] = &words;
    if let Some(first) = words.first()
        && DAYS.iter().any(|d| first.to_ascii_lowercase().starts_with(d))
    {
        words = &words[1..];
    }
    if words.len() < 3 {
        return None;
    }
    let (day, month) = if let Some(m) = month_number(words[0]) {
        (words[1].parse::<u32>().ok()?, m)
    } else {
        (words[0].parse::<u32>().ok()?, month_number(words[1])?)
    };
    let year = digits(words[2], 4)? as i64;
    let mut dt = DateTime { year, month, day, hour: 0, minute: 0, second: 0, micro: 0, offset: 0 };
    let mut rest = &words[3..];
    if let Some(time) = rest.first()
        && time.contains(':')
    {
        let (h, m, s, us) = parse_time(time)?;
        dt.hour = h;
        dt.minute = m;
        dt.second = s;
        dt.micro = us;
        rest = &rest[1..];
    }
    match rest {
        [] => {}
        [zone] => dt.offset = parse_zone(zone)?,
        _ => return None,
    }
    dt.valid().then_some(dt)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Option<String> {
        normalize(s).map(|v| match v {
            Value::String(s) => s,
            other => other.to_string(),
        })
    }

    #[test]
    fn accepts_botocore_forms() {
        assert_eq!(n("1400000000").as_deref(), Some("1400000000"));
        assert_eq!(n("1400000000.5").as_deref(), Some("1400000000.5"));
        assert_eq!(n("2014-01-02").as_deref(), Some("2014-01-02T00:00:00Z"));
        assert_eq!(n("2014-01-02T03:04:05Z").as_deref(), Some("2014-01-02T03:04:05Z"));
        assert_eq!(n("2014-01-02T03:04:05.123Z").as_deref(), Some("2014-01-02T03:04:05.123000Z"));
        assert_eq!(n("2014-01-02 03:04").as_deref(), Some("2014-01-02T03:04:00Z"));
        assert_eq!(n("2014-01-02T03:04:05+01:00").as_deref(), Some("2014-01-02T02:04:05Z"));
        assert_eq!(n("2014-01-01T00:30:00-0100").as_deref(), Some("2014-01-01T01:30:00Z"));
        assert_eq!(n("2014-01-01T00:30:00+01").as_deref(), Some("2013-12-31T23:30:00Z"));
        assert_eq!(n("20140102T030405Z").as_deref(), Some("2014-01-02T03:04:05Z"));
        assert_eq!(n("Wed, 01 Jan 2014 10:00:00 GMT").as_deref(), Some("2014-01-01T10:00:00Z"));
        assert_eq!(n("Jan 5, 2014").as_deref(), Some("2014-01-05T00:00:00Z"));
        assert_eq!(n("5 January 2014 10:00 +0200").as_deref(), Some("2014-01-05T08:00:00Z"));
    }

    #[test]
    fn refuses_other_text() {
        for bad in
            ["abc", "", "2014-13-01", "2014-02-30", "2014-01-01T25:00:00", "2014-01-01Tx", "nan", "inf"]
        {
            assert_eq!(n(bad), None, "{bad}");
        }
    }

    #[test]
    fn civil_day_conversion_round_trips() {
        for days in [-800_000i64, -1, 0, 1, 11_016, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }
}
