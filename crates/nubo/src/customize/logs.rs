//! `logs tail GROUP`: the log group's events since `--since` (10 minutes by default), in the
//! `detailed`, `short` or `json` format, optionally filtered; with `--follow`, polls every 5 seconds
//! for new events (never showing one twice) until interrupted.

use super::{api, args};
use crate::error::{CliError, CliResult, exit};
use nubo_session::Session;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long `--follow` waits between polls.
const POLL: Duration = Duration::from_secs(5);
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";
const FORMATS: [&str; 3] = ["detailed", "short", "json"];

const OPTIONS: &[args::Opt] = &[
    args::positional("group_name"),
    args::value("since"),
    args::flag("follow"),
    args::value("format"),
    args::value("filter-pattern"),
    args::list("log-stream-names"),
    args::value("log-stream-name-prefix"),
];

/// `nubo logs tail GROUP [--since S] [--follow] [--format F] [--filter-pattern P]
/// [--log-stream-names N…] [--log-stream-name-prefix P]`.
pub fn tail(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    let p = args::parse(argv, OPTIONS)?;
    let format = p.get("format").unwrap_or("detailed");
    if !FORMATS.contains(&format) {
        return Err(CliError::Usage(format!(
            "argument --format: invalid choice: '{format}' (choose from 'detailed', 'short', 'json')"
        )));
    }
    let start = start_millis(p.get("since").unwrap_or("10m"))?;
    let mut input = json!({"logGroupName": p.get("group_name").unwrap_or_default(), "interleaved": true,
        "startTime": start});
    if let Some(f) = p.get("filter-pattern") {
        input["filterPattern"] = json!(f);
    }
    if p.has("log-stream-names") {
        input["logStreamNames"] = json!(p.list("log-stream-names"));
    }
    if let Some(prefix) = p.get("log-stream-name-prefix") {
        input["logStreamNamePrefix"] = json!(prefix);
    }
    let printer = Printer { format, color: api::color(ctx) };
    let client = api::client(ctx, "logs")?;
    let mut out = std::io::stdout().lock();
    if !p.has("follow") {
        client.paginate("FilterLogEvents", &input, |page| {
            for event in page["events"].as_array().into_iter().flatten() {
                out.write_all(printer.event(event).as_bytes())?;
            }
            out.flush()?;
            Ok(true)
        })?;
        return Ok(exit::OK);
    }
    // Follow: remember the ids seen at the newest timestamp, and restart from it after each last page.
    let mut newest: Option<i64> = None;
    let mut seen: HashSet<String> = HashSet::new();
    loop {
        let page = client.call("FilterLogEvents", &input)?;
        for event in page["events"].as_array().into_iter().flatten() {
            let ts = event["timestamp"].as_i64().unwrap_or(0);
            let id = event["eventId"].as_str().unwrap_or_default().to_string();
            if newest == Some(ts) && seen.contains(&id) {
                continue;
            }
            if newest.is_none_or(|n| ts > n) {
                newest = Some(ts);
                seen.clear();
            }
            if newest == Some(ts) {
                seen.insert(id);
            }
            out.write_all(printer.event(event).as_bytes())?;
        }
        out.flush()?;
        match page.get("nextToken").filter(|t| !t.is_null()) {
            Some(token) => input["nextToken"] = token.clone(),
            None => {
                if let Some(n) = newest {
                    input["startTime"] = json!(n);
                }
                if let Some(m) = input.as_object_mut() {
                    m.remove("nextToken");
                }
                std::thread::sleep(POLL);
            }
        }
    }
}

/// `--since`: `<n>s|m|h|d|w` ago, or a timestamp; in milliseconds since the epoch.
fn start_millis(since: &str) -> CliResult<i64> {
    let unit = since.chars().last().and_then(|u| match u {
        's' => Some(1),
        'm' => Some(60),
        'h' => Some(3600),
        'd' => Some(86_400),
        'w' => Some(7 * 86_400),
        _ => None,
    });
    let amount = &since[..since.len().saturating_sub(1)];
    if let Some(unit) = unit
        && !amount.is_empty()
        && amount.bytes().all(|b| b.is_ascii_digit())
    {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or(0);
        let back = amount.parse::<i64>().unwrap_or(i64::MAX / 2_000_000).saturating_mul(unit * 1_000_000);
        return Ok(now.saturating_sub(back) / 1000);
    }
    api::parse_timestamp_micros(since)
        .map(|us| us.div_euclid(1000))
        .ok_or_else(|| CliError::Usage(format!("argument --since: Invalid timestamp: \"{since}\"")))
}

struct Printer<'a> {
    format: &'a str,
    color: bool,
}

impl Printer<'_> {
    fn paint(&self, text: &str, color: &str) -> String {
        match self.color {
            true => format!("{color}{text}{RESET}"),
            false => text.to_string(),
        }
    }

    /// One event, as the format shows it, ending in exactly one newline.
    fn event(&self, e: &Value) -> String {
        let ms = e["timestamp"].as_i64().unwrap_or(0);
        let message = e["message"].as_str().unwrap_or_default();
        let stream = e["logStreamName"].as_str().unwrap_or_default();
        let line = match self.format {
            "short" => format!("{} {message}", self.paint(&timestamp(ms, TimeStyle::Seconds), GREEN)),
            "json" => format!(
                "{} {} {}",
                self.paint(&timestamp(ms, TimeStyle::Iso), GREEN),
                self.paint(stream, CYAN),
                pretty_json(message)
            ),
            _ => format!(
                "{} {} {message}",
                self.paint(&timestamp(ms, TimeStyle::Micros), GREEN),
                self.paint(stream, CYAN)
            ),
        };
        format!("{}\n", line.trim_end())
    }
}

#[derive(Clone, Copy)]
enum TimeStyle {
    /// `2025-01-01T00:00:00`
    Seconds,
    /// `2025-01-01T00:00:00.123000+00:00`
    Micros,
    /// As `Micros`, without the fraction when it is zero.
    Iso,
}

/// A millisecond epoch time in UTC, as Python's `datetime` prints it.
fn timestamp(ms: i64, style: TimeStyle) -> String {
    let secs = ms.div_euclid(1000);
    let micros = ms.rem_euclid(1000) * 1000;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let base = format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60);
    match style {
        TimeStyle::Seconds => base,
        TimeStyle::Iso if micros == 0 => format!("{base}+00:00"),
        _ => format!("{base}.{micros:06}+00:00"),
    }
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A message that is entirely JSON, on a new line and indented by four as Python's `json.dumps`
/// does (non-ASCII escaped); any other message as it is.
fn pretty_json(message: &str) -> String {
    let Ok(value) = serde_json::from_str::<Value>(message) else {
        return message.to_string();
    };
    let text = match &value {
        Value::Object(m) if m.is_empty() => "{}".to_string(),
        v => nubo_output::json::render(v).trim_end_matches('\n').to_string(),
    };
    let mut out = String::from("\n");
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_as_python_prints_them() {
        assert_eq!(timestamp(1_735_689_600_123, TimeStyle::Micros), "2025-01-01T00:00:00.123000+00:00");
        assert_eq!(timestamp(1_735_689_600_000, TimeStyle::Iso), "2025-01-01T00:00:00+00:00");
        assert_eq!(timestamp(1_735_689_600_120, TimeStyle::Iso), "2025-01-01T00:00:00.120000+00:00");
        assert_eq!(timestamp(1_735_689_661_999, TimeStyle::Seconds), "2025-01-01T00:01:01");
    }

    #[test]
    fn since() {
        assert_eq!(start_millis("2025-01-01T00:00:00Z").unwrap(), 1_735_689_600_000);
        assert_eq!(start_millis("2025-01-01T01:00:00+01:00").unwrap(), 1_735_689_600_000);
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64;
        let ten = start_millis("10m").unwrap();
        assert!((now - 600_000 - ten).abs() < 5_000);
        assert!(start_millis("5h30m").is_err());
        assert!(start_millis("yesterday").is_err());
    }

    #[test]
    fn json_messages() {
        assert_eq!(pretty_json("plain"), "plain");
        assert_eq!(
            pretty_json(r#"{"a": [1, "é"]}"#),
            "\n{\n    \"a\": [\n        1,\n        \"\\u00e9\"\n    ]\n}"
        );
        assert_eq!(pretty_json("{}"), "\n{}");
    }
}
