//! A fault-injecting HTTP/1.1 server for the binary's tests: every request is recorded and answered by
//! the test's handler, which may answer normally, with a service error, or with a fault: a reset before
//! the response or in the middle of its body, a stall (past the client's read timeout), a body cut
//! short of its `Content-Length`, or a clock that is off (every answer carries a `Date` header from the
//! server's clock). One server stands in for S3, the JSON and query services, IMDS, the container
//! endpoint, STS and SSO.
//!
//! Hand-written on blocking sockets, one thread per connection, so that each fault is exact.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Req {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn query_has(&self, needle: &str) -> bool {
        self.target
            .split_once('?')
            .is_some_and(|(_, q)| q.split('&').any(|p| p == needle || p.starts_with(&format!("{needle}="))))
    }

    /// The JSON protocols' operation (`X-Amz-Target: DynamoDB_20120810.ListTables` → `ListTables`), or the
    /// query protocols' `Action`.
    pub fn operation(&self) -> String {
        if let Some(t) = self.header("x-amz-target") {
            return t.rsplit('.').next().unwrap_or(t).to_string();
        }
        let body = String::from_utf8_lossy(&self.body);
        body.split('&').find_map(|p| p.strip_prefix("Action=")).map(str::to_string).unwrap_or_default()
    }

    /// Seconds between the request's `X-Amz-Date` and `now`.
    pub fn signed_at_secs(&self) -> Option<i64> {
        let d = self.header("x-amz-date")?;
        parse_amz_date(d)
    }
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete response.
    Respond { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    /// Reset the connection (RST) without answering.
    Reset,
    /// Send the head and `sent` bytes of a `declared`-byte body, then reset.
    ResetInBody { status: u16, headers: Vec<(String, String)>, declared: usize, sent: Vec<u8> },
    /// Send the head and `sent` bytes of a `declared`-byte body, then close cleanly (a truncated body).
    Truncated { status: u16, headers: Vec<(String, String)>, declared: usize, sent: Vec<u8> },
    /// Never answer (the connection stays open until the client gives up).
    Stall,
    /// Send a 200 head and `sent` bytes of a `declared`-byte body, then nothing more (the client hangs
    /// until its read timeout or until it is killed).
    StallAfter { declared: usize, sent: Vec<u8> },
}

impl Reply {
    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply::Respond { status: 200, headers: vec![], body: body.into() }
    }

    pub fn with(status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> Reply {
        Reply::Respond {
            status,
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            body: body.into(),
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply::with(status, &[], Vec::new())
    }

    /// An S3 (rest-xml) error.
    pub fn s3_error(status: u16, code: &str, message: &str) -> Reply {
        Reply::with(
            status,
            &[("content-type", "application/xml")],
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>r</RequestId></Error>"
            ),
        )
    }

    /// A JSON-protocol error (DynamoDB, SSO's rest-json).
    pub fn json_error(status: u16, code: &str, message: &str) -> Reply {
        Reply::with(
            status,
            &[("content-type", "application/x-amz-json-1.0"), ("x-amzn-errortype", code)],
            format!("{{\"__type\":\"{code}\",\"message\":\"{message}\"}}"),
        )
    }

    /// A query-protocol error (STS, SQS).
    pub fn query_error(status: u16, code: &str, message: &str) -> Reply {
        Reply::with(
            status,
            &[("content-type", "text/xml")],
            format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>"
            ),
        )
    }
}

type Handler = dyn Fn(&Req, usize) -> Reply + Send + Sync;

struct State {
    handler: Box<Handler>,
    requests: Mutex<Vec<Req>>,
    /// The server's clock, relative to the machine's, in seconds.
    skew_secs: i64,
}

/// A running fault server; it lives until the test process ends.
pub struct FaultServer {
    pub port: u16,
    state: Arc<State>,
}

impl FaultServer {
    /// Starts a server whose `handler` answers each request (given its 0-based index among all the
    /// requests so far).
    pub fn start(handler: impl Fn(&Req, usize) -> Reply + Send + Sync + 'static) -> FaultServer {
        Self::start_skewed(0, handler)
    }

    /// Starts a server whose clock is `skew_secs` ahead of the machine's (negative: behind).
    pub fn start_skewed(
        skew_secs: i64,
        handler: impl Fn(&Req, usize) -> Reply + Send + Sync + 'static,
    ) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state =
            Arc::new(State { handler: Box::new(handler), requests: Mutex::new(Vec::new()), skew_secs });
        let s = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let s = s.clone();
                std::thread::spawn(move || serve(stream, &s));
            }
        });
        FaultServer { port, state }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Req> {
        self.state.requests.lock().unwrap().clone()
    }

    /// The server's clock now, in seconds since the epoch.
    pub fn now_secs(&self) -> i64 {
        now_secs() + self.state.skew_secs
    }
}

fn now_secs() -> i64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn serve(stream: TcpStream, state: &State) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut out = stream;
    loop {
        let Some(req) = read_request(&mut reader) else { return };
        let index = {
            let mut all = state.requests.lock().unwrap();
            all.push(req.clone());
            all.len() - 1
        };
        let reply = (state.handler)(&req, index);
        let date = http_date(now_secs() + state.skew_secs);
        // A `content-length-override` header (for HEAD answers) is sent as the `content-length`.
        let head = |status: u16, headers: &[(String, String)], len: usize| {
            let len = headers
                .iter()
                .find(|(n, _)| n == "content-length-override")
                .map_or(len.to_string(), |(_, v)| v.clone());
            let mut h = format!("HTTP/1.1 {status} X\r\ndate: {date}\r\ncontent-length: {len}\r\n");
            for (n, v) in headers.iter().filter(|(n, _)| n != "content-length-override") {
                h.push_str(&format!("{n}: {v}\r\n"));
            }
            h.push_str("\r\n");
            h
        };
        match reply {
            Reply::Respond { status, headers, body } => {
                let h = head(status, &headers, body.len());
                if out.write_all(h.as_bytes()).is_err() || out.write_all(&body).is_err() {
                    return;
                }
                let _ = out.flush();
                if req.header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close")) {
                    return;
                }
            }
            Reply::Reset => {
                reset(&out);
                return;
            }
            Reply::ResetInBody { status, headers, declared, sent } => {
                let _ = out.write_all(head(status, &headers, declared).as_bytes());
                let _ = out.write_all(&sent);
                let _ = out.flush();
                std::thread::sleep(Duration::from_millis(50));
                reset(&out);
                return;
            }
            Reply::Truncated { status, headers, declared, sent } => {
                let _ = out.write_all(head(status, &headers, declared).as_bytes());
                let _ = out.write_all(&sent);
                let _ = out.flush();
                let _ = out.shutdown(Shutdown::Both);
                return;
            }
            Reply::StallAfter { declared, sent } => {
                let _ = out.write_all(head(200, &[], declared).as_bytes());
                let _ = out.write_all(&sent);
                let _ = out.flush();
                let mut sink = [0u8; 64];
                let _ = reader.get_mut().set_read_timeout(Some(Duration::from_secs(30)));
                let _ = reader.read(&mut sink);
                return;
            }
            Reply::Stall => {
                // Hold the connection until the client closes it.
                let mut sink = [0u8; 64];
                let _ = reader.get_mut().set_read_timeout(Some(Duration::from_secs(30)));
                let _ = reader.read(&mut sink);
                return;
            }
        }
    }
}

/// Closes with a TCP reset (linger 0) rather than a clean FIN.
fn reset(stream: &TcpStream) {
    let _ = socket2::SockRef::from(stream).set_linger(Some(Duration::ZERO));
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Req> {
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    let mut parts = line.trim_end().splitn(3, ' ');
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 {
            return None;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    let find = |name: &str| {
        headers.iter().find(|(n, _): &&(String, String)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    };
    let mut body = Vec::new();
    if let Some(len) = find("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.resize(len, 0);
        reader.read_exact(&mut body).ok()?;
    } else if find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).ok()?;
            let n = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            if n == 0 {
                // Trailers, then the blank line.
                loop {
                    let mut t = String::new();
                    reader.read_line(&mut t).ok()?;
                    if t.trim().is_empty() {
                        break;
                    }
                }
                break;
            }
            let mut chunk = vec![0u8; n + 2];
            reader.read_exact(&mut chunk).ok()?;
            body.extend_from_slice(&chunk[..n]);
        }
    }
    Some(Req { method, target, headers, body })
}

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Days since the epoch → (year, month 1-12, day 1-31) (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(secs: i64) -> String {
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let (y, m, d) = civil(days);
    format!(
        "{}, {d:02} {} {y} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[m as usize - 1],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `20250101T000000Z` → seconds since the epoch.
pub fn parse_amz_date(s: &str) -> Option<i64> {
    if s.len() != 16 {
        return None;
    }
    let n = |a: usize, b: usize| s.get(a..b)?.parse::<i64>().ok();
    let days = days_from_civil(n(0, 4)?, n(4, 6)? as u32, n(6, 8)? as u32);
    Some(days * 86400 + n(9, 11)? * 3600 + n(11, 13)? * 60 + n(13, 15)?)
}

/// An `X-Amz-Date` for `secs`.
pub fn amz_date(secs: i64) -> String {
    let (y, m, d) = civil(secs.div_euclid(86400));
    let rem = secs.rem_euclid(86400);
    format!("{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}
