//! `--debug` output: the request line and headers, body sizes, the response status and headers,
//! and each retry decision, one line at a time, secrets redacted (see [`crate::redact`]).

use std::io::Write;
use std::time::Duration;

use time::OffsetDateTime;
use time::macros::format_description;

use crate::error::HttpError;
use crate::hooks::LineSink;
use crate::message::HttpRequest;
use crate::redact;

/// The logger name shown on every line written to standard error.
pub const LOGGER: &str = "nubo.http";

/// Writes one line to standard error as the AWS CLI's debug lines look:
/// `2024-05-01 12:00:00,123 - nubo.http - DEBUG - message` (time in UTC).
pub fn write_stderr(line: &str) {
    let now = OffsetDateTime::now_utc();
    let stamp = now
        .format(format_description!("[year]-[month]-[day] [hour]:[minute]:[second],[subsecond digits:3]"))
        .unwrap_or_default();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{stamp} - {LOGGER} - DEBUG - {line}");
}

/// Emits debug lines when enabled.
#[derive(Clone)]
pub(crate) struct DebugLog {
    sink: Option<LineSink>,
}

impl DebugLog {
    pub(crate) fn new(enabled: bool, sink: LineSink) -> Self {
        DebugLog { sink: enabled.then_some(sink) }
    }

    pub(crate) fn enabled(&self) -> bool {
        self.sink.is_some()
    }

    fn line(&self, text: &str) {
        if let Some(sink) = &self.sink {
            sink(text);
        }
    }

    pub(crate) fn request(&self, req: &HttpRequest, attempt: u32, max_attempts: u32) {
        if !self.enabled() {
            return;
        }
        for line in request_lines(req, attempt, max_attempts) {
            self.line(&line);
        }
    }

    pub(crate) fn response_head(
        &self,
        status: u16,
        reason: &str,
        headers: &[(String, String)],
        elapsed: Duration,
    ) {
        if !self.enabled() {
            return;
        }
        self.line(&format!("Response received: {status} {reason} after {} ms", elapsed.as_millis()));
        for (name, value) in headers {
            self.line(&format!("  {name}: {}", redact::header_value(name, value)));
        }
    }

    pub(crate) fn response_body(&self, len: usize) {
        self.line(&format!("Response body: {len} bytes"));
    }

    pub(crate) fn error(&self, err: &HttpError) {
        if !self.enabled() {
            return;
        }
        match err.reason() {
            Some(reason) => self.line(&format!("Request failed: {err} ({reason})")),
            None => self.line(&format!("Request failed: {err}")),
        }
    }

    /// A retry decision or rate-limiter note (built only when logging is on: callers pass text
    /// that is cheap to make, or check [`DebugLog::enabled`] first).
    pub(crate) fn decision(&self, text: &str) {
        self.line(text);
    }
}

/// The lines that describe a request: `Sending request (attempt N of M): METHOD URL`, one line per
/// header, and the body size.
pub(crate) fn request_lines(req: &HttpRequest, attempt: u32, max_attempts: u32) -> Vec<String> {
    let mut lines = Vec::with_capacity(req.headers.len() + 2);
    lines.push(format!(
        "Sending request (attempt {attempt} of {max_attempts}): {} {}",
        req.method,
        redact::url(&req.url)
    ));
    for (name, value) in &req.headers {
        lines.push(format!("  {name}: {}", redact::header_value(name, value)));
    }
    lines.push(format!("Request body: {} bytes", req.body.len()));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn request_lines_redact_secrets() {
        let req = HttpRequest::new("GET", "https://h/k?X-Amz-Signature=deadbeef&a=1")
            .with_header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/x, Signature=abc")
            .with_header("X-Amz-Security-Token", "session-secret")
            .with_header("Host", "h")
            .with_body(&b"hello"[..]);
        let lines = request_lines(&req, 1, 3);
        let all = lines.join("\n");
        assert_eq!(
            lines[0],
            "Sending request (attempt 1 of 3): GET https://h/k?X-Amz-Signature=REDACTED&a=1"
        );
        assert!(all.contains("  Authorization: REDACTED"));
        assert!(all.contains("  X-Amz-Security-Token: REDACTED"));
        assert!(all.contains("  Host: h"));
        assert!(all.ends_with("Request body: 5 bytes"));
        for secret in ["deadbeef", "AKID", "session-secret", "abc"] {
            assert!(!all.contains(secret), "{secret} leaked");
        }
    }

    #[test]
    fn disabled_log_writes_nothing() {
        let seen = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink_seen = seen.clone();
        let sink: LineSink = Arc::new(move |l| sink_seen.lock().unwrap().push(l.to_string()));
        let off = DebugLog::new(false, sink.clone());
        off.request(&HttpRequest::new("GET", "http://h/"), 1, 1);
        off.decision("x");
        assert!(seen.lock().unwrap().is_empty());
        let on = DebugLog::new(true, sink);
        on.response_head(200, "OK", &[("set-cookie".into(), "s=1".into())], Duration::from_millis(3));
        let lines = seen.lock().unwrap().clone();
        assert_eq!(
            lines,
            vec!["Response received: 200 OK after 3 ms".to_string(), "  set-cookie: REDACTED".into()]
        );
    }
}
