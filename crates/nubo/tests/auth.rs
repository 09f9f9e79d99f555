//! Every way nubo authenticates, end to end: SigV4a headers and presigned URLs (Multi-Region Access
//! Points) checked against botocore with the awscrt package; SigV2 (`sdb`) equal to botocore's; bearer
//! tokens (`AWS_BEARER_TOKEN_BEDROCK`, the SSO token cache with its refresh) and S3 Express One Zone
//! sessions against small in-test servers; and the one-line reason for the chosen scheme.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Sandbox, stderr_of, stdout_of};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

const TIME: &str = "20250101T000000Z";
const KEY_ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const MRAP: &str = "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap";

/// The Python of the virtual environment that holds botocore.
fn python() -> PathBuf {
    let aws = std::env::var("NUBO_TEST_AWS_CLI")
        .expect("NUBO_TEST_AWS_CLI is not set: run the tests through scripts/test");
    PathBuf::from(aws).with_file_name("python")
}

fn sandbox() -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", KEY_ID)
        .set_env("AWS_SECRET_ACCESS_KEY", SECRET)
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("NUBO_SIGNING_TIME", TIME);
    sb
}

/// Runs the SigV4a check script (botocore + awscrt sign the same call; both signatures must verify
/// over the same string to sign) on nubo's request.
fn check_sigv4a(op: &str, params: Value, presign: bool, nubo: Value) {
    let crt = std::env::var("NUBO_TEST_AWSCRT")
        .expect("NUBO_TEST_AWSCRT is not set: run the tests through scripts/test (it installs awscrt)");
    assert!(std::path::Path::new(&crt).join("awscrt").is_dir(), "awscrt is not installed in {crt}");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/auth/sigv4a_check.py");
    let spec = json!({"time": TIME, "key_id": KEY_ID, "secret": SECRET, "op": op, "params": params,
        "presign": presign, "nubo": nubo});
    let out = std::process::Command::new(python())
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .env("PYTHONPATH", &crt)
        .arg(script)
        .arg(spec.to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "SigV4a check failed: {}{}", stdout_of(&out), stderr_of(&out));
    assert!(stdout_of(&out).contains("\"ok\": true"));
}

/// A `--show-request` text as {method, url, headers}.
fn parse_shown(text: &str) -> Value {
    let mut lines = text.lines();
    let first: Vec<&str> = lines.next().unwrap().split(' ').collect();
    let mut headers = Vec::new();
    for l in lines.by_ref() {
        if l.is_empty() {
            break;
        }
        let (k, v) = l.split_once(": ").unwrap();
        headers.push(json!([k, v]));
    }
    let host = headers.iter().find(|h| h[0] == "Host").unwrap()[1].as_str().unwrap().to_string();
    json!({"method": first[0], "url": format!("https://{host}{}", first[1]), "headers": headers})
}

#[test]
fn sigv4a_headers_and_presigned_urls_verify_against_awscrt() {
    let sb = sandbox();
    let out = sb
        .nubo()
        .args(["--show-request", "s3api", "get-object", "--bucket", MRAP, "--key", "a.txt", "out"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let shown = stdout_of(&out);
    assert!(shown.contains("X-Amz-Region-Set: *"), "{shown}");
    assert!(
        shown.contains(
            "Authorization: AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20250101/s3/aws4_request"
        )
    );
    let why = stderr_of(&out);
    assert_eq!(why.lines().count(), 1, "{why}");
    assert!(why.starts_with("auth: sigv4a (signing name s3, region set *) because"), "{why}");
    assert!(why.contains("endpoint authSchemes: sigv4a"), "{why}");
    let params = json!({"Bucket": MRAP, "Key": "a.txt"});
    check_sigv4a("get_object", params.clone(), false, parse_shown(&shown));

    for args in [
        vec!["s3", "presign", "s3://arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap/a.txt"],
        vec!["presign", "s3api", "get-object", "--bucket", MRAP, "--key", "a.txt"],
    ] {
        let out = sb.nubo().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr_of(&out));
        let url = stdout_of(&out).trim().to_string();
        assert!(
            url.contains("X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256") && url.contains("X-Amz-Region-Set=%2A")
        );
        check_sigv4a("get_object", params.clone(), true, json!({"method": "GET", "url": url, "headers": []}));
    }
}

/// botocore's SigV2 request for `sdb list-domains` at the pinned time: `METHOD URL` and the body.
const BOTOCORE_SIGV2: &str = r#"
import sys, time, json
from unittest import mock
import botocore.session
c = botocore.session.get_session().create_client("sdb", region_name="us-east-1",
    aws_access_key_id=sys.argv[1], aws_secret_access_key=sys.argv[2])
class Captured(Exception):
    pass
def capture(request, **kw):
    print(request.method, request.url)
    print(request.body.decode() if isinstance(request.body, bytes) else request.body)
    raise Captured()
c.meta.events.register("before-send.sdb", capture)
with mock.patch("botocore.auth.time.gmtime", return_value=time.strptime(sys.argv[3], "%Y%m%dT%H%M%SZ")):
    try:
        c.list_domains()
    except Captured:
        pass
"#;

#[test]
fn sigv2_requests_equal_botocores() {
    let sb = sandbox();
    let out = sb.nubo().args(["--show-request", "sdb", "list-domains"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).starts_with("auth: sigv2 because service signatureVersion v2"),
        "{}",
        stderr_of(&out)
    );
    let shown = stdout_of(&out);
    let body = shown.split("\n\n").nth(1).unwrap();
    let reference = std::process::Command::new(python())
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .args(["-c", BOTOCORE_SIGV2, KEY_ID, SECRET, TIME])
        .output()
        .unwrap();
    assert!(reference.status.success(), "{}", stderr_of(&reference));
    let reference = stdout_of(&reference);
    let mut lines = reference.lines();
    assert_eq!(lines.next().unwrap(), "POST https://sdb.amazonaws.com/");
    assert_eq!(body, lines.next().unwrap());
    assert!(shown.starts_with("POST / HTTP/1.1\nHost: sdb.amazonaws.com\n"), "{shown}");
}

/// One request as the in-test servers see it.
#[derive(Debug, Clone)]
struct Seen {
    line: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

type Handler = Box<dyn Fn(&Seen) -> (u16, String) + Send + Sync>;

/// Answers the requests of one connection.
fn serve(
    mut stream: std::net::TcpStream,
    handler: &(dyn Fn(&Seen) -> (u16, String) + Send + Sync),
    log: &Mutex<Vec<Seen>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).unwrap();
            if h == "\r\n" || h.is_empty() {
                break;
            }
            let (k, v) = h.trim_end().split_once(':').unwrap();
            headers.push((k.to_string(), v.trim().to_string()));
        }
        let len = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse().unwrap());
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        let req =
            Seen { line: line.trim_end().to_string(), headers, body: String::from_utf8_lossy(&body).into() };
        let (status, text) = handler(&req);
        log.lock().unwrap().push(req);
        let resp = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n{text}",
            text.len()
        );
        if stream.write_all(resp.as_bytes()).is_err() {
            return;
        }
    }
}

/// A server answering each request with `handler`, keeping what it saw.
fn server(handler: Handler) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let handler = Arc::new(handler);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let (handler, log) = (handler.clone(), log.clone());
            std::thread::spawn(move || serve(stream.unwrap(), &*handler, &log));
        }
    });
    (url, seen)
}

#[test]
fn bedrock_api_keys_are_sent_as_bearer_tokens_and_never_printed() {
    let (url, seen) = server(Box::new(|_| (200, r#"{"modelSummaries": []}"#.into())));
    let mut sb = sandbox();
    sb.set_env("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-value");
    let out = sb
        .nubo()
        .args(["bedrock", "list-foundation-models", "--endpoint-url", &url, "--debug"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let reqs = seen.lock().unwrap().clone();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].header("authorization"), Some("Bearer bedrock-api-key-value"));
    let err = stderr_of(&out);
    assert!(!err.contains("bedrock-api-key-value"), "{err}");
    assert!(err.contains("auth: bearer (signing name bedrock) because service auth: sigv4, httpBearerAuth; reordered by AWS_BEARER_TOKEN_BEDROCK being set"), "{err}");
    // Without the variable, SigV4 wins; --show-request hides a token.
    let mut plain = sandbox();
    plain.set_env("AWS_BEARER_TOKEN_CODECATALYST", "cc-token");
    let out = plain.nubo().args(["--show-request", "bedrock", "list-foundation-models"]).output().unwrap();
    assert!(stdout_of(&out).contains("Authorization: AWS4-HMAC-SHA256"));
    let out = sb.nubo().args(["--show-request", "bedrock", "list-foundation-models"]).output().unwrap();
    assert!(stdout_of(&out).contains("Authorization: Bearer <token, not shown>"));
    assert!(!stdout_of(&out).contains("bedrock-api-key-value"));
}

fn sha1_hex(s: &str) -> String {
    let out = std::process::Command::new(python())
        .args(["-c", "import hashlib,sys; print(hashlib.sha1(sys.argv[1].encode()).hexdigest())", s])
        .output()
        .unwrap();
    stdout_of(&out).trim().to_string()
}

#[test]
fn codecatalyst_takes_the_sso_token_and_refreshes_it() {
    let (url, seen) = server(Box::new(|req| {
        if req.line.starts_with("POST /token") {
            (200, r#"{"accessToken": "fresh-access-token", "expiresIn": 3600, "tokenType": "Bearer"}"#.into())
        } else {
            (200, r#"{"items": []}"#.into())
        }
    }));
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ENDPOINT_URL_SSO_OIDC", &url);
    sb.write(
        "config",
        "[default]\nsso_session = dev\nregion = us-west-2\n[sso-session dev]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n",
    );
    let cache = sb.aws_dir().join("sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    let token_file = cache.join(format!("{}.json", sha1_hex("dev")));
    let write_token = |expires: &str| {
        let doc = json!({"startUrl": "https://example.awsapps.com/start", "region": "us-east-1",
            "accessToken": "cached-access-token", "expiresAt": expires, "clientId": "cid",
            "clientSecret": "csecret", "registrationExpiresAt": "2999-01-01T00:00:00Z",
            "refreshToken": "rtoken"});
        std::fs::write(&token_file, doc.to_string()).unwrap();
    };
    write_token("2999-01-01T00:00:00Z");
    let out = sb.nubo().args(["codecatalyst", "list-spaces", "--endpoint-url", &url]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        seen.lock().unwrap().last().unwrap().header("authorization"),
        Some("Bearer cached-access-token")
    );
    // A token about to expire is refreshed through SSO OIDC CreateToken first.
    write_token("2000-01-01T00:00:00Z");
    let out = sb.nubo().args(["codecatalyst", "list-spaces", "--endpoint-url", &url]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let reqs = seen.lock().unwrap().clone();
    let refresh = &reqs[reqs.len() - 2];
    assert!(refresh.line.starts_with("POST /token"), "{refresh:?}");
    assert!(refresh.body.contains("rtoken"));
    assert_eq!(reqs.last().unwrap().header("authorization"), Some("Bearer fresh-access-token"));
    assert!(std::fs::read_to_string(&token_file).unwrap().contains("fresh-access-token"));
}

/// An S3 Express directory bucket endpoint: `CreateSession` issues session credentials (expiring
/// after `lifetime` seconds); other requests must carry the session token and be signed with the
/// session key for `s3express`.
fn express_server(lifetime: i64) -> (String, Arc<Mutex<Vec<Seen>>>) {
    server(Box::new(move |req| {
        if req.line.contains("?session") {
            let expires = time_after(lifetime);
            let xml = format!(
                "<CreateSessionResult><Credentials><SessionToken>session-token-1</SessionToken><SecretAccessKey>session-secret</SecretAccessKey><AccessKeyId>ASIASESSION</AccessKeyId><Expiration>{expires}</Expiration></Credentials></CreateSessionResult>"
            );
            return (200, xml);
        }
        let auth = req.header("authorization").unwrap_or_default();
        let ok = req.header("x-amz-s3session-token") == Some("session-token-1")
            && req.header("x-amz-security-token").is_none()
            && auth.contains("Credential=ASIASESSION/")
            && auth.contains("/s3express/aws4_request");
        if !ok {
            return (
                403,
                "<Error><Code>AccessDenied</Code><Message>no session token</Message></Error>".into(),
            );
        }
        if req.line.starts_with("GET") {
            (200, "<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>".into())
        } else {
            (200, String::new())
        }
    }))
}

fn time_after(secs: i64) -> String {
    let out = std::process::Command::new(python())
        .args([
            "-c",
            "import datetime,sys; print((datetime.datetime.now(datetime.timezone.utc)+datetime.timedelta(seconds=int(sys.argv[1]))).strftime('%Y-%m-%dT%H:%M:%SZ'))",
            &secs.to_string(),
        ])
        .output()
        .unwrap();
    stdout_of(&out).trim().to_string()
}

const BUCKET: &str = "nubo-test--usw2-az1--x-s3";

#[test]
fn s3_express_sessions_are_made_once_per_bucket_and_refreshed_near_expiry() {
    let (url, seen) = express_server(300);
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", KEY_ID)
        .set_env("AWS_SECRET_ACCESS_KEY", SECRET)
        .set_env("AWS_DEFAULT_REGION", "us-west-2");
    let out = sb
        .nubo()
        .args(["s3api", "list-objects-v2", "--bucket", BUCKET, "--endpoint-url", &url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let reqs = seen.lock().unwrap().clone();
    assert_eq!(reqs.len(), 2, "{reqs:?}");
    assert!(reqs[0].line.starts_with(&format!("GET /{BUCKET}?session")), "{:?}", reqs[0]);
    assert!(reqs[0].header("authorization").unwrap().contains(&format!("Credential={KEY_ID}/")));
    // The s3 commands: two uploads, one session.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "a").unwrap();
    std::fs::write(dir.path().join("b.txt"), "b").unwrap();
    let target = format!("s3://{BUCKET}/d/");
    let out = sb
        .nubo()
        .args(["s3", "cp", "--recursive", dir.path().to_str().unwrap(), &target, "--endpoint-url", &url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout_of(&out), stderr_of(&out));
    let reqs = seen.lock().unwrap().clone();
    let sessions = reqs[2..].iter().filter(|r| r.line.contains("?session")).count();
    assert_eq!((reqs.len() - 2, sessions), (3, 1), "{reqs:?}");

    // Sessions with less than a minute left are made again before the next request.
    let (url, seen) = express_server(30);
    let out = sb
        .nubo()
        .args(["s3", "cp", "--recursive", dir.path().to_str().unwrap(), &target, "--endpoint-url", &url])
        .output()
        .unwrap();
    assert!(out.status.success());
    let sessions = seen.lock().unwrap().iter().filter(|r| r.line.contains("?session")).count();
    assert_eq!(sessions, 2);

    // --show-request says it would call CreateSession first, and sends nothing.
    let (url, seen) = express_server(300);
    let out = sb
        .nubo()
        .args(["--show-request", "s3api", "list-objects-v2", "--bucket", BUCKET, "--endpoint-url", &url])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("auth: sigv4-s3express (signing name s3express"), "{err}");
    assert!(err.contains(&format!("would first call CreateSession for bucket {BUCKET}")), "{err}");
    assert!(stdout_of(&out).starts_with(&format!("GET /{BUCKET}?list-type=2")));
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(seen.lock().unwrap().is_empty());
}
