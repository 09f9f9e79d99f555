//! Test support: a small HTTP/1.1 server on 127.0.0.1 that answers from a script and injects
//! faults (resets, early closes, stalls, slow bodies), optionally over TLS; and client hooks that
//! record sleeps, debug lines and warnings instead of waiting or printing.
//!
//! Hand-written so that each fault is exact (a reset right after the request, a body that stops
//! half-way), which general-purpose servers do not offer.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nubo_http::{Hooks, HttpResponse, RetryKind};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete response.
    Respond { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    /// Reset the connection (RST) without answering.
    Reset,
    /// Close the connection without answering.
    Close,
    /// Never answer.
    Stall,
    /// Send the head and the first part of a longer body, then stall.
    StallBody { declared_len: usize, sent: Vec<u8> },
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply::Respond { status, headers: vec![], body: Vec::new() }
    }

    pub fn body(status: u16, body: &str) -> Reply {
        Reply::Respond { status, headers: vec![], body: body.as_bytes().to_vec() }
    }

    /// An S3-style XML error.
    pub fn xml_error(status: u16, code: &str) -> Reply {
        Reply::body(status, &format!("<Error><Code>{code}</Code><Message>m</Message></Error>"))
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

struct State {
    script: Mutex<VecDeque<Reply>>,
    last: Mutex<Option<Reply>>,
    accepted: AtomicUsize,
    requests: Mutex<Vec<Recorded>>,
}

impl State {
    /// The next scripted reply; the last one repeats when the script runs out.
    fn next(&self) -> Reply {
        let mut script = self.script.lock().unwrap();
        let mut last = self.last.lock().unwrap();
        if let Some(reply) = script.pop_front() {
            *last = Some(reply.clone());
            return reply;
        }
        last.clone().unwrap_or(Reply::status(200))
    }
}

/// A running test server (stops with the test's runtime).
pub struct Server {
    pub addr: SocketAddr,
    state: Arc<State>,
}

pub type Acceptor = tokio_rustls::TlsAcceptor;

impl Server {
    pub async fn start(script: Vec<Reply>) -> Server {
        Self::start_inner(script, None).await
    }

    pub async fn start_tls(script: Vec<Reply>, acceptor: Acceptor) -> Server {
        Self::start_inner(script, Some(acceptor)).await
    }

    async fn start_inner(script: Vec<Reply>, tls: Option<Acceptor>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State {
            script: Mutex::new(script.into()),
            last: Mutex::new(None),
            accepted: AtomicUsize::new(0),
            requests: Mutex::new(Vec::new()),
        });
        let server_state = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                server_state.accepted.fetch_add(1, Ordering::SeqCst);
                let state = server_state.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        None => serve(stream, state).await,
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(stream).await {
                                serve(stream, state).await;
                            }
                        }
                    }
                });
            }
        });
        Server { addr, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn https_url(&self, host: &str, path: &str) -> String {
        format!("https://{host}:{}{path}", self.addr.port())
    }

    pub fn accepted(&self) -> usize {
        self.state.accepted.load(Ordering::SeqCst)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().clone()
    }
}

/// A stream the server can reset.
trait Conn: AsyncRead + AsyncWrite + Unpin + Send {
    fn reset(&self);
}

impl Conn for TcpStream {
    fn reset(&self) {
        let _ = self.set_zero_linger();
    }
}

impl Conn for tokio_rustls::server::TlsStream<TcpStream> {
    fn reset(&self) {
        let _ = self.get_ref().0.set_zero_linger();
    }
}

async fn serve<S: Conn>(mut stream: S, state: Arc<State>) {
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buf).await else { return };
        state.requests.lock().unwrap().push(request);
        match state.next() {
            Reply::Respond { status, headers, body } => {
                let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
                for (n, v) in headers {
                    head.push_str(&format!("{n}: {v}\r\n"));
                }
                head.push_str("\r\n");
                if stream.write_all(head.as_bytes()).await.is_err() || stream.write_all(&body).await.is_err()
                {
                    return;
                }
                let _ = stream.flush().await;
            }
            Reply::Reset => {
                stream.reset();
                return;
            }
            Reply::Close => {
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Stall => std::future::pending::<()>().await,
            Reply::StallBody { declared_len, sent } => {
                let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {declared_len}\r\n\r\n");
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&sent).await;
                let _ = stream.flush().await;
                std::future::pending::<()>().await
            }
        }
    }
}

/// Reads one request (head and `content-length` body); `None` at end of stream.
async fn read_request<S: Conn>(stream: &mut S, buf: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    buf.drain(..head_end + 4);
    while buf.len() < len {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body: Vec<u8> = buf.drain(..len).collect();
    Some(Recorded { method, target, headers, body })
}

/// Hooks that record instead of sleeping and printing; the clock advances by every sleep.
pub struct Recorder {
    pub hooks: Hooks,
    pub sleeps: Arc<Mutex<Vec<Duration>>>,
    pub debug: Arc<Mutex<Vec<String>>>,
    pub warnings: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    pub fn new() -> Recorder {
        let sleeps = Arc::new(Mutex::new(Vec::new()));
        let debug = Arc::new(Mutex::new(Vec::new()));
        let warnings = Arc::new(Mutex::new(Vec::new()));
        let clock = Arc::new(Mutex::new(0.0f64));
        let (s, c) = (sleeps.clone(), clock.clone());
        let (d, w) = (debug.clone(), warnings.clone());
        let c2 = clock.clone();
        let hooks = Hooks {
            sleep: Arc::new(move |dur| {
                s.lock().unwrap().push(dur);
                *c.lock().unwrap() += dur.as_secs_f64();
                Box::pin(async {})
            }),
            random: Arc::new(|| 0.5),
            clock: Arc::new(move || *c2.lock().unwrap()),
            debug: Arc::new(move |line| d.lock().unwrap().push(line.to_string())),
            warning: Arc::new(move |line| w.lock().unwrap().push(line.to_string())),
        };
        Recorder { hooks, sleeps, debug, warnings }
    }

    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }

    pub fn debug_text(&self) -> String {
        self.debug.lock().unwrap().join("\n")
    }

    pub fn warnings(&self) -> Vec<String> {
        self.warnings.lock().unwrap().clone()
    }
}

/// The error code of an S3-style XML error body, as a protocol layer would parse it.
pub fn xml_error_code(response: &HttpResponse) -> Option<String> {
    let body = std::str::from_utf8(&response.body).ok()?;
    let start = body.find("<Code>")? + "<Code>".len();
    let end = body[start..].find("</Code>")? + start;
    Some(body[start..end].to_string())
}

/// A classifier like the operation engine's: status code plus parsed error code.
pub fn s3_classifier(mode: nubo_http::RetryMode) -> impl Fn(&HttpResponse) -> RetryKind {
    move |r: &HttpResponse| nubo_http::classify(mode, "s3", r.status, xml_error_code(r).as_deref())
}
