//! `login`, `logout` and the `login` link of the credential chain against a small in-test server
//! standing in for the sign-in service: `/v1/authorize` redirects to the callback with a code,
//! `/v1/token` exchanges it only for the right PKCE verifier and a DPoP proof whose ES256 signature
//! verifies with the key in its header (and, on refresh, the same key as at login), and refreshes.
//! The test plays the browser: it reads the URL nubo prints and follows the redirect.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::{Sandbox, stderr_of, stdout_of};
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

const SESSION: &str = "arn:aws:iam::111122223333:user/dev";

#[derive(Default)]
struct State {
    /// code -> (code_challenge, redirect_uri, client_id)
    codes: HashMap<String, (String, String, String)>,
    /// The DPoP public key (x, y) seen at the code exchange.
    key: Option<(String, String)>,
    /// What the server refused, for the test to show.
    problems: Vec<String>,
    refreshes: usize,
    /// When set, refreshes answer with this OAuth error.
    refresh_error: Option<String>,
}

struct Server {
    url: String,
    state: Arc<Mutex<State>>,
}

fn query(q: &str) -> HashMap<String, String> {
    q.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), decode(v))).collect()
}

fn decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 3 <= b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn read_request(stream: &TcpStream) -> (String, HashMap<String, String>, String) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers.get("content-length").map_or(0, |v| v.parse().unwrap());
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    (first.trim().to_string(), headers, String::from_utf8(body).unwrap())
}

/// Checks a DPoP proof as the service would; returns the key's (x, y).
fn check_dpop(jwt: &str, url: &str) -> Result<(String, String), String> {
    let parts: Vec<&str> = jwt.split('.').collect();
    if parts.len() != 3 {
        return Err("the DPoP proof is not a JWT".into());
    }
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    let payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    if header["typ"] != "dpop+jwt" || header["alg"] != "ES256" || header["jwk"]["kty"] != "EC" {
        return Err(format!("bad DPoP header {header}"));
    }
    if payload["htm"] != "POST" || payload["htu"] != format!("{url}/v1/token") {
        return Err(format!("bad DPoP payload {payload}"));
    }
    if payload["jti"].as_str().is_none_or(str::is_empty) || payload["iat"].as_u64().is_none() {
        return Err(format!("DPoP payload without jti/iat {payload}"));
    }
    let (x, y) = (header["jwk"]["x"].as_str().unwrap(), header["jwk"]["y"].as_str().unwrap());
    let mut sec1 = vec![4u8];
    sec1.extend(URL_SAFE_NO_PAD.decode(x).unwrap());
    sec1.extend(URL_SAFE_NO_PAD.decode(y).unwrap());
    let vk = VerifyingKey::from_sec1_bytes(&sec1).map_err(|e| e.to_string())?;
    let sig = Signature::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap()).map_err(|e| e.to_string())?;
    vk.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig)
        .map_err(|_| "the DPoP signature does not verify".to_string())?;
    Ok((x.to_string(), y.to_string()))
}

fn id_token() -> String {
    let p = URL_SAFE_NO_PAD.encode(json!({"sub": SESSION}).to_string());
    format!("eyJhbGciOiJub25lIn0.{p}.sig")
}

fn creds(n: usize) -> Value {
    json!({"accessKeyId": format!("ASIALOGIN{n}"), "secretAccessKey": format!("secret{n}"), "sessionToken": format!("token{n}")})
}

fn start() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = Arc::new(Mutex::new(State::default()));
    let (st, base) = (state.clone(), url.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let (line, headers, body) = read_request(&stream);
            let target = line.split(' ').nth(1).unwrap_or("").to_string();
            let mut s = st.lock().unwrap();
            let reply = |status: u16, extra: &str, body: &str| {
                format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
            };
            let resp = if let Some(q) = target.strip_prefix("/v1/authorize?") {
                let q = query(q);
                let code = format!("code-{}", s.codes.len() + 1);
                let ok = q.get("response_type").map(String::as_str) == Some("code")
                    && q.get("code_challenge_method").map(String::as_str) == Some("SHA-256")
                    && q.get("scope").map(String::as_str) == Some("openid");
                if !ok {
                    s.problems.push(format!("bad authorize query {q:?}"));
                }
                s.codes.insert(
                    code.clone(),
                    (q["code_challenge"].clone(), q["redirect_uri"].clone(), q["client_id"].clone()),
                );
                let location = format!("{}?code={code}&state={}", q["redirect_uri"], q["state"]);
                format!(
                    "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
            } else if target == "/v1/token" && line.starts_with("POST") {
                let input: Value = serde_json::from_str(&body).unwrap();
                match check_dpop(headers.get("dpop").map_or("", String::as_str), &base) {
                    Err(p) => {
                        s.problems.push(p.clone());
                        reply(
                            400,
                            "x-amzn-ErrorType: ValidationException\r\n",
                            &json!({"message": p}).to_string(),
                        )
                    }
                    Ok(key) => match input["grantType"].as_str() {
                        Some("authorization_code") => {
                            let code = input["code"].as_str().unwrap_or_default();
                            let verifier = input["codeVerifier"].as_str().unwrap_or_default();
                            let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
                            match s.codes.get(code).cloned() {
                                Some((c, redirect, client))
                                    if c == challenge
                                        && input["redirectUri"] == redirect
                                        && input["clientId"] == client =>
                                {
                                    s.key = Some(key);
                                    let out = json!({"accessToken": creds(1), "tokenType": "aws_sigv4", "expiresIn": 900,
                                                     "refreshToken": "refresh-1", "idToken": id_token()});
                                    reply(200, "", &out.to_string())
                                }
                                _ => {
                                    s.problems.push(format!("code exchange refused: {input}"));
                                    reply(
                                        400,
                                        "x-amzn-ErrorType: ValidationException\r\n",
                                        r#"{"message":"bad code or verifier"}"#,
                                    )
                                }
                            }
                        }
                        Some("refresh_token") => {
                            if s.key.as_ref() != Some(&key) {
                                s.problems.push("refresh signed with another key".into());
                            }
                            s.refreshes += 1;
                            let n = s.refreshes;
                            if let Some(err) = s.refresh_error.clone() {
                                reply(
                                    401,
                                    "x-amzn-ErrorType: AccessDeniedException\r\n",
                                    &json!({"error": err, "message": "denied"}).to_string(),
                                )
                            } else if input["refreshToken"] != format!("refresh-{n}")
                                || input["clientId"] != "arn:aws:signin:::devtools/same-device"
                            {
                                s.problems.push(format!("bad refresh {input}"));
                                reply(
                                    400,
                                    "x-amzn-ErrorType: ValidationException\r\n",
                                    r#"{"message":"bad refresh"}"#,
                                )
                            } else {
                                let out = json!({"accessToken": creds(n + 1), "tokenType": "aws_sigv4", "expiresIn": 900,
                                                 "refreshToken": format!("refresh-{}", n + 1)});
                                reply(200, "", &out.to_string())
                            }
                        }
                        _ => {
                            reply(400, "x-amzn-ErrorType: ValidationException\r\n", r#"{"message":"grant"}"#)
                        }
                    },
                }
            } else {
                reply(404, "", "{}")
            };
            drop(s);
            let _ = stream.write_all(resp.as_bytes());
        }
    });
    Server { url, state }
}

/// A GET returning (status, Location header).
fn get(url: &str) -> (u16, Option<String>) {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut s = TcpStream::connect(host).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text.split(' ').nth(1).unwrap().parse().unwrap();
    let location =
        text.lines().find_map(|l| l.strip_prefix("Location: ").or_else(|| l.strip_prefix("location: ")));
    (status, location.map(str::to_string))
}

fn sandbox(server: &Server) -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ENDPOINT_URL_SIGNIN", &server.url);
    sb
}

fn nubo_std(sb: &Sandbox, args: &[&str]) -> Command {
    let bin = assert_cmd::cargo::cargo_bin("nubo");
    let mut c = Command::new(bin);
    c.env_clear().env("HOME", sb.home()).env("AWS_EC2_METADATA_DISABLED", "true");
    for (k, v) in &sb.env {
        c.env(k, v);
    }
    c.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

/// Reads standard error until the authorization URL appears.
fn authorize_url(stderr: &mut BufReader<std::process::ChildStderr>) -> String {
    loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "nubo printed no authorization URL");
        if line.contains("/v1/authorize?") {
            return line.trim().to_string();
        }
    }
}

fn cache_path(dir: &std::path::Path) -> std::path::PathBuf {
    let hex: String = Sha256::digest(SESSION.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    dir.join(format!("{hex}.json"))
}

fn problems(server: &Server) -> Vec<String> {
    server.state.lock().unwrap().problems.clone()
}

fn login_same_device(sb: &Sandbox, server: &Server, args: &[&str]) -> std::process::Output {
    let mut child = nubo_std(sb, args).spawn().unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let url = authorize_url(&mut err);
    assert!(url.starts_with(&format!("{}/v1/authorize?", server.url)), "{url}");
    // The browser: the authorization page redirects to nubo's callback, which answers the page.
    let (status, location) = get(&url);
    assert_eq!(status, 302);
    let callback = location.unwrap();
    assert!(callback.starts_with("http://127.0.0.1:"), "{callback}");
    assert_eq!(get(&callback).0, 200);
    let mut rest = String::new();
    err.read_to_string(&mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{} / {rest} / {:?}", stdout_of(&out), problems(server));
    out
}

#[test]
fn login_refresh_and_logout() {
    let server = start();
    let sb = sandbox(&server);
    sb.write("config", "[profile dev]\nregion = eu-west-1\n");
    let out = login_same_device(&sb, &server, &["login", "--profile", "dev"]);
    assert!(problems(&server).is_empty(), "{:?}", problems(&server));
    assert!(stdout_of(&out).contains(&format!("Updated profile dev to use {SESSION} credentials.")));
    let config = sb.read("config");
    assert!(config.contains(&format!("login_session = {SESSION}")), "{config}");
    assert!(!config.contains("us-east-1"), "the configured region is kept: {config}");

    // The cache: 0600, the CLI's fields, the key as SEC1 PEM.
    let cache = cache_path(&sb.aws_dir().join("login").join("cache"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&cache).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    assert_eq!(doc["accessToken"]["accessKeyId"], "ASIALOGIN1");
    assert_eq!(doc["accessToken"]["accountId"], "111122223333");
    assert_eq!(doc["clientId"], "arn:aws:signin:::devtools/same-device");
    assert_eq!(doc["refreshToken"], "refresh-1");
    assert!(doc["dpopKey"].as_str().unwrap().starts_with("-----BEGIN EC PRIVATE KEY-----\n"));

    // The link: fresh credentials come from the cache, no call.
    let out = sb.nubo().args(["configure", "export-credentials", "--profile", "dev"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let creds: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(creds["AccessKeyId"], "ASIALOGIN1");
    assert_eq!(server.state.lock().unwrap().refreshes, 0);
    let list = stdout_of(&sb.nubo().args(["configure", "list", "--profile", "dev"]).output().unwrap());
    assert!(list.lines().any(|l| l.contains("access_key") && l.contains(" login ")), "{list}");
    let explain = stdout_of(&sb.nubo().args(["configure", "explain", "--profile", "dev"]).output().unwrap());
    assert!(explain.contains("login") && explain.contains(SESSION), "{explain}");

    // Near expiry: refreshed with the refresh token and a DPoP proof from the cached key.
    let mut doc = doc;
    doc["accessToken"]["expiresAt"] = json!("2020-01-01T00:00:00Z");
    std::fs::write(&cache, doc.to_string()).unwrap();
    let out = sb.nubo().args(["configure", "export-credentials", "--profile", "dev"]).output().unwrap();
    assert!(out.status.success(), "{} {:?}", stderr_of(&out), problems(&server));
    let creds: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(creds["AccessKeyId"], "ASIALOGIN2");
    assert_eq!(creds["SessionToken"], "token2");
    assert!(problems(&server).is_empty(), "{:?}", problems(&server));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    assert_eq!(doc["refreshToken"], "refresh-2");
    assert_eq!(doc["accessToken"]["accountId"], "111122223333");

    // An expired session: exit 253 with the reason, no secret printed.
    doc_expire(&cache);
    server.state.lock().unwrap().refresh_error = Some("TOKEN_EXPIRED".into());
    let out = sb.nubo().args(["configure", "export-credentials", "--profile", "dev"]).output().unwrap();
    assert_eq!(out.status.code(), Some(253));
    assert!(stderr_of(&out).contains("session has expired"), "{}", stderr_of(&out));
    assert!(!stderr_of(&out).contains("secret"));

    // logout removes the cache file.
    let out = sb.nubo().args(["logout", "--profile", "dev"]).output().unwrap();
    assert!(out.status.success());
    assert!(stdout_of(&out).contains("Removed cached login credentials for profile 'dev'"));
    assert!(!cache.exists());
    let out = sb.nubo().args(["configure", "export-credentials", "--profile", "dev"]).output().unwrap();
    assert_eq!(out.status.code(), Some(253));
}

fn doc_expire(cache: &std::path::Path) {
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(cache).unwrap()).unwrap();
    doc["accessToken"]["expiresAt"] = json!("2020-01-01T00:00:00Z");
    std::fs::write(cache, doc.to_string()).unwrap();
}

#[test]
fn remote_login_reads_the_pasted_code_and_the_cache_directory_variable() {
    let server = start();
    let mut sb = sandbox(&server);
    let dir = sb.home().join("logins");
    sb.set_env("AWS_LOGIN_CACHE_DIRECTORY", dir.to_str().unwrap());
    let mut child = nubo_std(&sb, &["login", "--remote"]).spawn().unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let url = authorize_url(&mut err);
    // The browser shows base64("state=…&code=…") after the redirect to the confirmation page.
    let (status, location) = get(&url);
    assert_eq!(status, 302);
    let location = location.unwrap();
    assert!(location.starts_with(&format!("{}/v1/sessions/confirmation?", server.url)), "{location}");
    let q = query(location.split_once('?').unwrap().1);
    let pasted = STANDARD.encode(format!("state={}&code={}", q["state"], q["code"]));
    child.stdin.take().unwrap().write_all(format!("{pasted}\n").as_bytes()).unwrap();
    let mut rest = String::new();
    err.read_to_string(&mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{rest} {:?}", problems(&server));
    assert!(problems(&server).is_empty(), "{:?}", problems(&server));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(cache_path(&dir)).unwrap()).unwrap();
    assert_eq!(doc["clientId"], "arn:aws:signin:::devtools/cross-device");
    // No region was configured: us-east-1 is written with the session (CLI v2 offers it as the default).
    let config = sb.read("config");
    assert!(config.contains("[default]") && config.contains("region = us-east-1"), "{config}");
    assert!(config.contains(&format!("login_session = {SESSION}")), "{config}");
}

#[test]
fn a_wrong_state_is_refused_and_other_credentials_block_login() {
    let server = start();
    let sb = sandbox(&server);
    let mut child = nubo_std(&sb, &["login", "--remote"]).spawn().unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let _ = authorize_url(&mut err);
    let pasted = STANDARD.encode("state=not-the-state&code=code-1");
    child.stdin.take().unwrap().write_all(format!("{pasted}\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(253));
    assert!(!sb.config_path().exists());

    let sb = sandbox(&server);
    sb.write("credentials", "[keys]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = abc\n");
    sb.write("config", "[profile keys]\naws_access_key_id = AKIDEXAMPLE\n");
    let out = sb.nubo().args(["login", "--profile", "keys"]).output().unwrap();
    assert_eq!(out.status.code(), Some(253));
    assert!(
        stderr_of(&out).contains("already configured with Access Key credentials"),
        "{}",
        stderr_of(&out)
    );
}
