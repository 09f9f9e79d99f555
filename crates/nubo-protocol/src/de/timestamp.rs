//! Timestamps in responses: read every form the services send (epoch seconds as numbers or numeric
//! strings, ISO 8601, RFC 822 / HTTP dates, RFC 850 and asctime dates) and render them as the AWS CLI
//! v2 does (`datetime.isoformat()` of botocore's parsed value: `2014-04-29T18:30:38+00:00`, with
//! `.ffffff` microseconds when they are not zero, and the offset the wire gave).
//!
//! Hand-written because the CLI's rendering comes from Python's lenient date parser, which no Rust
//! crate mirrors; the `time` crate does the calendar arithmetic. Epoch values are rendered in UTC.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// A point in time with the UTC offset it was written with (`None` for a wall-clock time without
/// any zone, which the CLI prints without an offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    /// Seconds since the Unix epoch of the instant (for a zone-less value: of its wall-clock time
    /// read as UTC).
    pub epoch_seconds: i64,
    /// Microseconds past `epoch_seconds` (0..1_000_000).
    pub micros: u32,
    /// Offset from UTC in seconds, as written on the wire.
    pub offset_seconds: Option<i32>,
}

/// Python's `datetime` range, which bounds what the CLI can render.
const MIN_YEAR: i32 = 1;
const MAX_YEAR: i32 = 9999;

impl Timestamp {
    /// An instant given as epoch seconds (possibly fractional), rounded to microseconds half to even
    /// as Python's `datetime.fromtimestamp` does. `None` when not finite or out of range.
    pub fn from_epoch(seconds: f64) -> Option<Timestamp> {
        if !seconds.is_finite() {
            return None;
        }
        let whole = seconds.trunc();
        let mut micros = ((seconds - whole) * 1e6).round_ties_even();
        let mut secs = whole;
        if micros >= 1e6 {
            secs += 1.0;
            micros -= 1e6;
        } else if micros < 0.0 {
            secs -= 1.0;
            micros += 1e6;
        }
        // Years 1..=9999 span roughly ±2.5e11 seconds around the epoch.
        if secs.abs() > 3e11 {
            return None;
        }
        let ts = Timestamp { epoch_seconds: secs as i64, micros: micros as u32, offset_seconds: Some(0) };
        ts.in_range().then_some(ts)
    }

    /// The same instant written in UTC (a zone-less value is taken as UTC).
    pub fn to_utc(self) -> Timestamp {
        Timestamp { offset_seconds: Some(0), ..self }
    }

    fn in_range(&self) -> bool {
        let local = self.epoch_seconds.saturating_add(i64::from(self.offset_seconds.unwrap_or(0)));
        match OffsetDateTime::from_unix_timestamp(local) {
            Ok(dt) => (MIN_YEAR..=MAX_YEAR).contains(&dt.year()),
            Err(_) => false,
        }
    }

    /// The AWS CLI v2 rendering: `YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM]`.
    pub fn to_cli_string(&self) -> String {
        let offset = self.offset_seconds.unwrap_or(0);
        let local = self.epoch_seconds.saturating_add(i64::from(offset));
        let Ok(dt) = OffsetDateTime::from_unix_timestamp(local) else {
            return self.epoch_seconds.to_string();
        };
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            dt.year(),
            u8::from(dt.month()),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        );
        if self.micros != 0 {
            out.push_str(&format!(".{:06}", self.micros));
        }
        if let Some(off) = self.offset_seconds {
            let sign = if off < 0 { '-' } else { '+' };
            let abs = off.unsigned_abs();
            out.push_str(&format!("{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60));
            if abs % 60 != 0 {
                out.push_str(&format!(":{:02}", abs % 60));
            }
        }
        out
    }
}

/// Parse a timestamp as found in a header, an XML text node or a JSON string.
pub fn parse(text: &str) -> Option<Timestamp> {
    let s = text.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(epoch) = parse_epoch_text(s) {
        return Timestamp::from_epoch(epoch);
    }
    parse_iso8601(s).or_else(|| parse_textual(s))
}

/// Render a wire value (string or number) the CLI way; `None` when it is not a timestamp.
pub fn render(value: &serde_json::Value) -> Option<String> {
    let ts = match value {
        serde_json::Value::Number(n) => Timestamp::from_epoch(n.as_f64()?)?,
        serde_json::Value::String(s) => parse(s)?,
        _ => return None,
    };
    Some(ts.to_cli_string())
}

/// A plain decimal number (what Python's `float()` takes, without `nan`/`inf`).
fn parse_epoch_text(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty()
        || !body.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    if !body.as_bytes()[0].is_ascii_digit() && !body.starts_with('.') {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn build(
    year: i32,
    month: u8,
    day: u8,
    (hour, minute, second): (u8, u8, u8),
    micros: u32,
    offset: Option<i32>,
) -> Option<Timestamp> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return None;
    }
    let date = Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()?;
    let time = Time::from_hms(hour, minute, second).ok()?;
    let wall = PrimitiveDateTime::new(date, time).assume_utc().unix_timestamp();
    let epoch_seconds = wall - i64::from(offset.unwrap_or(0));
    Some(Timestamp { epoch_seconds, micros, offset_seconds: offset })
}

/// Digits at the front of `s`, at most `max` of them.
fn take_digits(s: &str, max: usize) -> (&str, &str) {
    let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}

fn num<T: std::str::FromStr>(digits: &str, len: usize) -> Option<T> {
    if digits.len() != len {
        return None;
    }
    digits.parse().ok()
}

/// Fractional seconds as microseconds, truncated to six digits (as dateutil does).
fn fraction_micros(digits: &str) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut six: String = digits.chars().take(6).collect();
    while six.len() < 6 {
        six.push('0');
    }
    six.parse().ok()
}

/// A zone designator: `Z`, `±HH:MM`, `±HHMM`, `±HH`, or a UTC name. `Some(None)` for an empty one.
fn parse_zone(z: &str) -> Option<Option<i32>> {
    let z = z.trim();
    if z.is_empty() {
        return Some(None);
    }
    if ["Z", "z", "GMT", "UTC", "UT"].contains(&z) {
        return Some(Some(0));
    }
    let (sign, rest) = match z.as_bytes()[0] {
        b'+' => (1, &z[1..]),
        b'-' => (-1, &z[1..]),
        _ => {
            // `GMT+01:00` style.
            let rest = z.strip_prefix("GMT").or_else(|| z.strip_prefix("UTC"))?;
            return parse_zone(rest).filter(|o| o.is_some());
        }
    };
    if !rest.is_ascii() {
        return None;
    }
    let (hh, mm) = match rest.len() {
        2 => (num::<i32>(rest, 2)?, 0),
        4 => (num::<i32>(&rest[..2], 2)?, num::<i32>(&rest[2..], 2)?),
        5 if rest.as_bytes()[2] == b':' => (num::<i32>(&rest[..2], 2)?, num::<i32>(&rest[3..], 2)?),
        _ => return None,
    };
    if hh > 23 || mm > 59 {
        return None;
    }
    Some(Some(sign * (hh * 3600 + mm * 60)))
}

/// `HH:MM[:SS[.ffffff]]` or `HHMM[SS[.ffffff]]`; returns the time, microseconds and the rest.
fn parse_clock(s: &str) -> Option<((u8, u8, u8), u32, &str)> {
    let (hh, rest) = take_digits(s, 2);
    let hour = num::<u8>(hh, 2)?;
    let extended = rest.starts_with(':');
    let rest = if extended { &rest[1..] } else { rest };
    let (mm, mut rest) = take_digits(rest, 2);
    let minute = num::<u8>(mm, 2)?;
    let mut second = 0;
    let mut micros = 0;
    let has_seconds =
        if extended { rest.starts_with(':') } else { rest.starts_with(|c: char| c.is_ascii_digit()) };
    if has_seconds {
        if extended {
            rest = &rest[1..];
        }
        let (ss, r) = take_digits(rest, 2);
        second = num::<u8>(ss, 2)?;
        rest = r;
        if let Some(r) = rest.strip_prefix(['.', ',']) {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            micros = fraction_micros(&r[..n])?;
            rest = &r[n..];
        }
    }
    Some(((hour, minute, second), micros, rest))
}

/// ISO 8601: `YYYY-MM-DD[(T| )HH:MM[:SS[.f]]][zone]` and the basic `YYYYMMDDTHHMMSS[zone]`.
fn parse_iso8601(s: &str) -> Option<Timestamp> {
    let (y, rest) = take_digits(s, 4);
    let year = num::<i32>(y, 4)?;
    let (month, day, rest) = if let Some(r) = rest.strip_prefix('-') {
        let (m, r) = take_digits(r, 2);
        let r = r.strip_prefix('-')?;
        let (d, r) = take_digits(r, 2);
        (num::<u8>(m, 2)?, num::<u8>(d, 2)?, r)
    } else {
        let (m, r) = take_digits(rest, 2);
        let (d, r) = take_digits(r, 2);
        (num::<u8>(m, 2)?, num::<u8>(d, 2)?, r)
    };
    if rest.is_empty() {
        return build(year, month, day, (0, 0, 0), 0, None);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (clock, micros, zone) = parse_clock(rest)?;
    let offset = parse_zone(zone)?;
    build(year, month, day, clock, micros, offset)
}

const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn month_number(word: &str) -> Option<u8> {
    let lower = word.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let i = MONTHS.iter().position(|m| lower.starts_with(m))?;
    (lower.len() == 3 || full[i] == lower || (i == 8 && lower == "sept")).then_some(i as u8 + 1)
}

fn is_weekday(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let full = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    WEEKDAYS.contains(&lower.as_str()) || full.contains(&lower.as_str())
}

fn two_digit_year(y: i32) -> i32 {
    if y < 76 { 2000 + y } else { 1900 + y }
}

/// RFC 822 / 1123 (`Tue, 29 Apr 2014 18:30:38 GMT`), RFC 850 (`Tuesday, 29-Apr-14 18:30:38 GMT`) and
/// asctime (`Tue Apr 29 18:30:38 2014`) dates.
fn parse_textual(s: &str) -> Option<Timestamp> {
    let mut day = None;
    let mut month = None;
    let mut year = None;
    let mut clock = None;
    let mut offset = None;
    let mut tokens: Vec<&str> = Vec::new();
    for token in s.split([' ', ',']).filter(|t| !t.is_empty()) {
        // RFC 850 dates join day, month and year with dashes.
        if token.contains('-') && token.bytes().any(|b| b.is_ascii_alphabetic()) && !token.starts_with('-') {
            tokens.extend(token.split('-'));
        } else {
            tokens.push(token);
        }
    }
    for token in tokens {
        if token.contains(':') && token.as_bytes()[0].is_ascii_digit() {
            if clock.is_some() {
                return None;
            }
            let (c, micros, rest) = parse_clock(token)?;
            if !rest.is_empty() {
                offset = Some(parse_zone(rest)?);
            }
            clock = Some((c, micros));
        } else if token.bytes().all(|b| b.is_ascii_digit()) {
            let value: i32 = token.parse().ok()?;
            if day.is_none() && token.len() <= 2 && (1..=31).contains(&value) && year.is_none() {
                day = Some(value as u8);
            } else if year.is_none() {
                year = Some(if token.len() <= 2 { two_digit_year(value) } else { value });
            } else if day.is_none() && token.len() <= 2 {
                day = Some(value as u8);
            } else {
                return None;
            }
        } else if let Some(m) = month_number(token) {
            if month.is_some() {
                return None;
            }
            month = Some(m);
        } else if is_weekday(token) {
            continue;
        } else {
            if offset.is_some() {
                return None;
            }
            offset = Some(parse_zone(token)?);
        }
    }
    let ((clock, micros), offset) = (clock.unwrap_or(((0, 0, 0), 0)), offset.flatten());
    build(year?, month?, day?, clock, micros, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(s: &str) -> String {
        parse(s).map(|t| t.to_cli_string()).unwrap_or_else(|| format!("<none: {s}>"))
    }

    #[test]
    fn iso8601_keeps_the_wire_offset() {
        assert_eq!(cli("2014-04-29T18:30:38Z"), "2014-04-29T18:30:38+00:00");
        assert_eq!(cli("2019-12-16T22:48:18-01:00"), "2019-12-16T22:48:18-01:00");
        assert_eq!(cli("2019-12-17T00:48:18+0100"), "2019-12-17T00:48:18+01:00");
        assert_eq!(cli("2000-01-02T20:34:56.123Z"), "2000-01-02T20:34:56.123000+00:00");
        assert_eq!(cli("2000-01-02T20:34:56.1234567Z"), "2000-01-02T20:34:56.123456+00:00");
        assert_eq!(cli("2000-01-02T20:34:56.000Z"), "2000-01-02T20:34:56+00:00");
        assert_eq!(cli("2000-01-02 20:34:56"), "2000-01-02T20:34:56");
        assert_eq!(cli("2000-01-02"), "2000-01-02T00:00:00");
        assert_eq!(cli("20000102T203456Z"), "2000-01-02T20:34:56+00:00");
        assert_eq!(parse("2019-12-16T22:48:18-01:00").unwrap().epoch_seconds, 1576540098);
    }

    #[test]
    fn http_dates() {
        assert_eq!(cli("Tue, 29 Apr 2014 18:30:38 GMT"), "2014-04-29T18:30:38+00:00");
        assert_eq!(cli("Tue, 29 Apr 2014 18:30:38 +0200"), "2014-04-29T18:30:38+02:00");
        assert_eq!(cli("Tuesday, 29-Apr-14 18:30:38 GMT"), "2014-04-29T18:30:38+00:00");
        assert_eq!(cli("Tue Apr 29 18:30:38 2014"), "2014-04-29T18:30:38");
        assert_eq!(cli("29 Apr 2014 18:30:38 UTC"), "2014-04-29T18:30:38+00:00");
    }

    #[test]
    fn epoch_values_render_in_utc_with_python_rounding() {
        assert_eq!(cli("1398796238"), "2014-04-29T18:30:38+00:00");
        assert_eq!(cli("946845296.123"), "2000-01-02T20:34:56.123000+00:00");
        assert_eq!(Timestamp::from_epoch(-1.5).unwrap().to_cli_string(), "1969-12-31T23:59:58.500000+00:00");
        assert_eq!(Timestamp::from_epoch(0.0000005).unwrap().micros, 0);
        assert_eq!(Timestamp::from_epoch(0.0000015).unwrap().micros, 2);
        assert!(Timestamp::from_epoch(f64::NAN).is_none());
        assert!(Timestamp::from_epoch(1e300).is_none());
        assert_eq!(render(&serde_json::json!(1398796238)).unwrap(), "2014-04-29T18:30:38+00:00");
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for s in [
            "",
            "nope",
            "2014-13-01T00:00:00Z",
            "2014-02-30",
            "Tue, 99 Foo 2014",
            "inf",
            "NaN",
            "-",
            "+1-",
            "2014-04-29T18",
            "12:00",
            "1e999",
            "Tue, 29 Apr 2014 18:30:38 PST",
            "31 31 31",
            "à",
            "2014-04-29T18:30:38+99:00",
            "2014-04-29T18:30:38+a€",
            "2014-04-29T18:30:38+é:0",
        ] {
            assert!(parse(s).is_none(), "{s}");
        }
    }

    #[test]
    fn utc_normalisation() {
        let t = parse("2019-12-17T00:48:18+01:00").unwrap().to_utc();
        assert_eq!(t.to_cli_string(), "2019-12-16T23:48:18+00:00");
    }
}
