//! Timestamps: parse the input forms (ISO 8601 / RFC 3339, HTTP dates, epoch seconds as numbers or
//! numeric strings) into an instant, and format it as the protocols' `iso8601`, `unixTimestamp` and
//! `rfc822` wire forms. Parsing is hand-written because the inputs are looser than any one format
//! the `time` crate parses (date only, space separator, offsets without colon, basic format).

use crate::SerializeError;
use serde_json::Value;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// A point in time: whole seconds since the epoch (floored) and nanoseconds past them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Instant {
    pub secs: i64,
    pub nanos: u32,
}

/// The wire format of a timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Iso8601,
    UnixTimestamp,
    Rfc822,
}

impl Format {
    /// The model's `timestampFormat` value, else `default`.
    pub fn from_model(name: Option<&str>, default: Format) -> Result<Format, SerializeError> {
        match name.map(str::to_ascii_lowercase).as_deref() {
            None => Ok(default),
            Some("iso8601") => Ok(Format::Iso8601),
            Some("unixtimestamp") => Ok(Format::UnixTimestamp),
            Some("rfc822") => Ok(Format::Rfc822),
            Some(other) => Err(SerializeError(format!("unknown timestampFormat {other:?}"))),
        }
    }
}

/// A formatted timestamp: text, or a number for `unixTimestamp`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Formatted {
    Text(String),
    Epoch(i64),
}

impl Formatted {
    pub fn into_string(self) -> String {
        match self {
            Formatted::Text(s) => s,
            Formatted::Epoch(n) => n.to_string(),
        }
    }
}

impl Instant {
    /// Parse an input timestamp value.
    pub fn from_value(v: &Value) -> Result<Instant, SerializeError> {
        match v {
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Ok(Instant { secs: i, nanos: 0 })
                } else {
                    from_epoch_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => parse(s),
            other => Err(SerializeError(format!("expected a timestamp, got {}", super::shapes::kind(other)))),
        }
    }

    fn datetime(&self) -> Result<OffsetDateTime, SerializeError> {
        OffsetDateTime::from_unix_timestamp(self.secs)
            .map_err(|_| SerializeError(format!("timestamp {} is out of range", self.secs)))
    }

    /// Format as the wire form `f` (botocore's default precision: microseconds in ISO 8601 when
    /// non-zero, whole seconds otherwise).
    pub fn format(&self, f: Format) -> Result<Formatted, SerializeError> {
        let dt = self.datetime()?;
        Ok(match f {
            Format::UnixTimestamp => Formatted::Epoch(self.secs),
            Format::Iso8601 => {
                let mut s = format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    dt.year(),
                    dt.month() as u8,
                    dt.day(),
                    dt.hour(),
                    dt.minute(),
                    dt.second()
                );
                let micros = self.nanos / 1000;
                if micros > 0 {
                    s.push_str(&format!(".{micros:06}"));
                }
                s.push('Z');
                Formatted::Text(s)
            }
            Format::Rfc822 => {
                const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
                const MONTHS: [&str; 12] =
                    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
                Formatted::Text(format!(
                    "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
                    DAYS[dt.weekday().number_days_from_monday() as usize],
                    dt.day(),
                    MONTHS[dt.month() as usize - 1],
                    dt.year(),
                    dt.hour(),
                    dt.minute(),
                    dt.second()
                ))
            }
        })
    }

    /// This instant truncated to whole seconds.
    pub fn whole_seconds(self) -> Instant {
        Instant { secs: self.secs, nanos: 0 }
    }
}

fn from_epoch_f64(f: f64) -> Result<Instant, SerializeError> {
    if !f.is_finite() || f.abs() > 1e15 {
        return Err(SerializeError(format!("timestamp {f} is out of range")));
    }
    let secs = f.floor();
    let nanos = ((f - secs) * 1e9).round().min(999_999_999.0) as u32;
    Ok(Instant { secs: secs as i64, nanos })
}

/// Parse a timestamp string: epoch seconds, ISO 8601 / RFC 3339, or an RFC 7231 / 2822 date.
pub(crate) fn parse(s: &str) -> Result<Instant, SerializeError> {
    let t = s.trim();
    let bad = || SerializeError(format!("invalid timestamp {s:?}: expected ISO 8601 or epoch seconds"));
    // Epoch seconds: digits with an optional sign and fraction (a date has inner dashes instead).
    let numeric = t.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+');
    if numeric && !t.is_empty() && !t[1..].contains(['-', '+']) {
        if let Ok(i) = t.parse::<i64>() {
            return Ok(Instant { secs: i, nanos: 0 });
        }
        return from_epoch_f64(t.parse().map_err(|_| bad())?);
    }
    if t.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) {
        return parse_http_date(t).ok_or_else(bad);
    }
    parse_iso(t).ok_or_else(bad)
}

/// A cursor over ASCII bytes for the hand parsers.
struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cur<'_> {
    fn digits(&mut self, n: usize) -> Option<u32> {
        let end = self.i.checked_add(n)?;
        let d = self.b.get(self.i..end)?;
        if !d.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i = end;
        Some(d.iter().fold(0u32, |a, c| a * 10 + u32::from(c - b'0')))
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn done(&self) -> bool {
        self.i >= self.b.len()
    }
}

fn parse_iso(s: &str) -> Option<Instant> {
    let mut c = Cur { b: s.as_bytes(), i: 0 };
    let year = c.digits(4)?;
    let ext = c.eat(b'-');
    let month = c.digits(2)?;
    if ext && !c.eat(b'-') {
        return None;
    }
    let day = c.digits(2)?;
    let (mut hour, mut minute, mut second, mut nanos) = (0, 0, 0, 0u32);
    let mut offset_secs: i32 = 0;
    if !c.done() {
        match c.peek()? {
            b'T' | b't' | b' ' => c.i += 1,
            _ => return None,
        }
        hour = c.digits(2)?;
        let colon = c.eat(b':');
        minute = c.digits(2)?;
        if matches!(c.peek(), Some(b':')) == colon
            && c.peek().is_some_and(|b| b == b':' || b.is_ascii_digit())
        {
            if colon {
                c.i += 1;
            }
            second = c.digits(2)?;
            if c.eat(b'.') || c.eat(b',') {
                let start = c.i;
                while c.peek().is_some_and(|b| b.is_ascii_digit()) {
                    c.i += 1;
                }
                let frac = &s[start..c.i];
                if frac.is_empty() {
                    return None;
                }
                let padded: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
                nanos = padded.parse().ok()?;
            }
        }
        match c.peek() {
            None => {}
            Some(b'Z' | b'z') => {
                c.i += 1;
            }
            Some(sign @ (b'+' | b'-')) => {
                c.i += 1;
                let oh = c.digits(2)?;
                c.eat(b':');
                let om = if c.done() { 0 } else { c.digits(2)? };
                let total = (oh * 3600 + om * 60) as i32;
                offset_secs = if sign == b'-' { -total } else { total };
            }
            _ => return None,
        }
        if !c.done() {
            return None;
        }
    }
    build(year as i32, month, day, hour, minute, second, nanos, offset_secs)
}

#[allow(clippy::too_many_arguments)]
fn build(
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    offset_secs: i32,
) -> Option<Instant> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
    // A leap second (:60) is taken as the next second.
    let (second, carry) = if second == 60 { (59, 1) } else { (second, 0) };
    let time =
        Time::from_hms(u8::try_from(hour).ok()?, u8::try_from(minute).ok()?, u8::try_from(second).ok()?)
            .ok()?;
    let offset = UtcOffset::from_whole_seconds(offset_secs).ok()?;
    let dt = PrimitiveDateTime::new(date, time).assume_offset(offset);
    Some(Instant { secs: dt.unix_timestamp() + carry, nanos })
}

/// `Mon, 16 Dec 2019 23:48:18 GMT` (RFC 7231 / 2822; the weekday is optional).
fn parse_http_date(s: &str) -> Option<Instant> {
    let rest = match s.split_once(',') {
        Some((_, r)) => r.trim(),
        None => s,
    };
    let parts: Vec<&str> = rest.split_whitespace().collect();
    if parts.len() < 4 {
        return None;
    }
    let day: u32 = parts[0].parse().ok()?;
    const MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let month = MONTHS.iter().position(|m| parts[1].eq_ignore_ascii_case(m))? as u32 + 1;
    let year: i32 = parts[2].parse().ok()?;
    let hms: Vec<u32> = parts[3].split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let (hour, minute, second) = match hms.as_slice() {
        [h, m] => (*h, *m, 0),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    let offset = match parts.get(4).copied() {
        None | Some("GMT" | "UT" | "UTC" | "Z" | "gmt" | "utc") => 0,
        Some(z) if (z.starts_with('+') || z.starts_with('-')) && z.len() == 5 && z.is_ascii() => {
            let h: i32 = z[1..3].parse().ok()?;
            let m: i32 = z[3..5].parse().ok()?;
            let total = h * 3600 + m * 60;
            if z.starts_with('-') { -total } else { total }
        }
        _ => return None,
    };
    build(year, month, day, hour, minute, second, 0, offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn iso(v: Value) -> String {
        Instant::from_value(&v).unwrap().format(Format::Iso8601).unwrap().into_string()
    }

    #[test]
    fn parses_the_input_forms() {
        assert_eq!(iso(json!(1422172800)), "2015-01-25T08:00:00Z");
        assert_eq!(iso(json!("1422172800")), "2015-01-25T08:00:00Z");
        assert_eq!(iso(json!(1422172800.5)), "2015-01-25T08:00:00.500000Z");
        assert_eq!(iso(json!("2015-01-25T08:00:00Z")), "2015-01-25T08:00:00Z");
        assert_eq!(iso(json!("2015-01-25T10:00:00+02:00")), "2015-01-25T08:00:00Z");
        assert_eq!(iso(json!("2015-01-25T03:00:00-0500")), "2015-01-25T08:00:00Z");
        assert_eq!(iso(json!("2015-01-25 08:00:00.123")), "2015-01-25T08:00:00.123000Z");
        assert_eq!(iso(json!("2015-01-25")), "2015-01-25T00:00:00Z");
        assert_eq!(iso(json!("20150125T080000Z")), "2015-01-25T08:00:00Z");
        assert_eq!(iso(json!("2015-01-25T08:00Z")), "2015-01-25T08:00:00Z");
        assert_eq!(iso(json!("Sun, 25 Jan 2015 08:00:00 GMT")), "2015-01-25T08:00:00Z");
        assert_eq!(iso(json!(-1.5)), "1969-12-31T23:59:58.500000Z");
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "yesterday",
            "2015-13-01",
            "2015-01-25T25:00:00Z",
            "2015-01-25T08:00:00Q",
            "1e400",
            "Sun, 25 Jan 2015 08:00:00 +1\u{e9}1",
            "2015-01-25T08:00:00.Z",
            "-",
        ] {
            assert!(Instant::from_value(&json!(bad)).is_err(), "{bad}");
        }
        assert!(Instant::from_value(&json!(true)).is_err());
    }

    #[test]
    fn never_panics_on_odd_strings() {
        let alphabet = ['0', '1', '9', '-', '+', ':', '.', 'T', 'Z', ' ', ',', '\u{e9}', 'a'];
        let mut stack = vec![String::new()];
        while let Some(s) = stack.pop() {
            let _ = parse(&s);
            if s.chars().count() < 4 {
                stack.extend(alphabet.iter().map(|c| format!("{s}{c}")));
            }
        }
        let full = "Sun, 25 Jan 2015 08:00:00 +0100 2015-01-25T08:00:00.123+01:00";
        for (i, _) in full.char_indices() {
            let _ = parse(&full[..i]);
            let _ = parse(&full[i..]);
        }
    }

    #[test]
    fn formats_each_wire_form() {
        let t = Instant { secs: 1576540098, nanos: 0 };
        assert_eq!(
            t.format(Format::Rfc822).unwrap(),
            Formatted::Text("Mon, 16 Dec 2019 23:48:18 GMT".into())
        );
        assert_eq!(t.format(Format::UnixTimestamp).unwrap(), Formatted::Epoch(1576540098));
        assert_eq!(
            Format::from_model(Some("unixTimestamp"), Format::Iso8601).unwrap(),
            Format::UnixTimestamp
        );
        assert!(Format::from_model(Some("weird"), Format::Iso8601).is_err());
        assert_eq!(
            Instant { secs: 1, nanos: 5_000 }.format(Format::Iso8601).unwrap().into_string(),
            "1970-01-01T00:00:01.000005Z"
        );
    }
}
