//! Test support: a small HTTP/1.1 server on 127.0.0.1 answering from a closure (the stand-in for
//! the instance metadata service, the container endpoint, the SSO portal and SSO OIDC, and a
//! refusing STS), a fixture with its own home directory and files, and a clock and MFA prompt that
//! tests control.
//!
//! Hand-written: each stand-in needs exact control over status codes, headers and delays, in a
//! few lines, with every request recorded.

#![allow(dead_code)]

use nubo_credentials::{Clock, Input, Prompt, SleepFuture};
use nubo_http::{ClientConfig, Proxies, RetryConfig, RetryMode};
use nubo_settings::env::Env;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Option<Duration>,
}

impl Response {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response { status, headers: Vec::new(), body: body.into(), delay: None }
    }
    pub fn json(status: u16, v: &serde_json::Value) -> Response {
        Response::new(status, v.to_string()).header("Content-Type", "application/json")
    }
    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }
    pub fn delayed(mut self, d: Duration) -> Response {
        self.delay = Some(d);
        self
    }
}

type Handler = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

/// A running server.
pub struct Server {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
    pub fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path() == path).count()
    }
}

/// Starts a server on a free 127.0.0.1 port; it lives as long as the test's runtime.
pub async fn serve(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let handler: Handler = Arc::new(handler);
    let recorded = requests.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let handler = handler.clone();
            let recorded = recorded.clone();
            tokio::spawn(async move {
                let _ = connection(stream, handler, recorded).await;
            });
        }
    });
    Server { url, requests }
}

async fn connection(
    mut stream: TcpStream,
    handler: Handler,
    recorded: Arc<Mutex<Vec<Request>>>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_string();
    let target = first.next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize =
        headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let req = Request { method, target, headers, body };
    recorded.lock().unwrap().push(req.clone());
    let resp = handler(&req);
    if let Some(d) = resp.delay {
        tokio::time::sleep(d).await;
    }
    let mut out =
        format!("HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n", resp.status, resp.body.len());
    for (k, v) in &resp.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes()).await?;
    stream.write_all(&resp.body).await?;
    stream.shutdown().await
}

/// A clock the test moves; sleeping advances it at once and is recorded.
#[derive(Clone)]
pub struct TestClock {
    pub now: Arc<Mutex<SystemTime>>,
    pub sleeps: Arc<Mutex<Vec<Duration>>>,
}

impl TestClock {
    pub fn new() -> TestClock {
        TestClock { now: Arc::new(Mutex::new(SystemTime::now())), sleeps: Arc::new(Mutex::new(Vec::new())) }
    }
    pub fn advance(&self, d: Duration) {
        *self.now.lock().unwrap() += d;
    }
    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }
}

impl Clock for TestClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap()
    }
    fn sleep(&self, d: Duration) -> SleepFuture {
        self.sleeps.lock().unwrap().push(d);
        self.advance(d);
        Box::pin(async {})
    }
}

/// An MFA prompt that answers with a fixed code and records what it was asked.
#[derive(Clone, Default)]
pub struct TestPrompt {
    pub asked: Arc<Mutex<Vec<String>>>,
    pub answer: Option<String>,
}

impl Prompt for TestPrompt {
    fn mfa_code(&self, prompt: &str) -> Result<String, String> {
        self.asked.lock().unwrap().push(prompt.to_string());
        self.answer.clone().ok_or_else(|| "no terminal to read the MFA code from".to_string())
    }
}

/// A home directory with `.aws/config` and `.aws/credentials`, and an environment pointing at it.
/// The instance metadata service is disabled and `AWS_ENDPOINT_URL` points at a closed local port,
/// so that no test ever reaches a real AWS address; tests that want them override both.
pub struct Fixture {
    pub home: tempfile::TempDir,
    pub vars: Vec<(String, String)>,
    pub clock: TestClock,
    pub prompt: TestPrompt,
}

impl Fixture {
    pub fn new() -> Fixture {
        let home = tempfile::tempdir().expect("a temporary home");
        std::fs::create_dir_all(home.path().join(".aws")).unwrap();
        let mut vars = vec![
            ("HOME".to_string(), home.path().display().to_string()),
            ("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string()),
            ("AWS_ENDPOINT_URL".to_string(), "http://127.0.0.1:9".to_string()),
        ];
        if let Ok(path) = std::env::var("PATH") {
            vars.push(("PATH".into(), path));
        }
        Fixture { home, vars, clock: TestClock::new(), prompt: TestPrompt::default() }
    }

    pub fn aws_dir(&self) -> PathBuf {
        self.home.path().join(".aws")
    }

    pub fn config(&self, text: &str) -> &Self {
        std::fs::write(self.aws_dir().join("config"), text).unwrap();
        self
    }

    pub fn credentials(&self, text: &str) -> &Self {
        std::fs::write(self.aws_dir().join("credentials"), text).unwrap();
        self
    }

    pub fn set(&mut self, k: &str, v: &str) -> &mut Self {
        self.vars.retain(|(n, _)| n != k);
        self.vars.push((k.into(), v.into()));
        self
    }

    pub fn unset(&mut self, k: &str) -> &mut Self {
        self.vars.retain(|(n, _)| n != k);
        self
    }

    /// Writes an executable script in the home directory and returns its path.
    pub fn script(&self, name: &str, body: &str) -> PathBuf {
        let path = self.home.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        path
    }

    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.home.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn env(&self) -> Env {
        Env::from_pairs(self.vars.clone())
    }

    /// The input for `--profile P` (`Some`) or for the profile the environment selects.
    pub fn input(&self, cli_profile: Option<&str>) -> Input {
        let env = self.env();
        let files = nubo_settings::profiles::load(&env).expect("the fixture's files parse");
        let profile = nubo_settings::chain::selected_profile(cli_profile, &env).value;
        let mut input = Input::new(env, files, profile, cli_profile.is_some(), "us-east-1", http());
        input.clock = Arc::new(self.clock.clone());
        input.prompt = Arc::new(self.prompt.clone());
        input
    }

    pub fn cli_cache(&self) -> PathBuf {
        self.aws_dir().join("cli").join("cache")
    }

    pub fn sso_cache(&self) -> PathBuf {
        self.aws_dir().join("sso").join("cache")
    }
}

/// One attempt per call, no proxies: tests talk to 127.0.0.1 only.
pub fn http() -> nubo_http::Client {
    nubo_http::Client::new(ClientConfig {
        proxies: Proxies::Disabled,
        retry: RetryConfig::new(RetryMode::Standard, Some(1)),
        connect_timeout: Some(Duration::from_secs(5)),
        read_timeout: Some(Duration::from_secs(10)),
        ..Default::default()
    })
    .expect("an HTTP client")
}

/// The moto server of `scripts/test`.
pub fn moto_url() -> String {
    std::env::var("NUBO_TEST_MOTO_URL")
        .expect("NUBO_TEST_MOTO_URL is not set: run the tests through scripts/test (it starts moto)")
}

/// The JSON files of a directory.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut v: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    v
}

/// Fails when `text` contains any of `secrets`.
pub fn assert_no_secret(text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!text.contains(s), "a secret ({s}) leaked into: {text}");
    }
}

/// A time as the credential documents write it: `2024-01-01T00:00:00Z` (whole seconds, UTC).
pub fn iso(t: std::time::SystemTime) -> String {
    let dt = time::OffsetDateTime::from(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}
