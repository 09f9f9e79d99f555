//! The session layer seen from outside: every command path (model operations, waiters, the s3
//! commands) signs at `NUBO_SIGNING_TIME`, a credentials failure in the middle of a long s3 command is
//! a credentials error (253), and global options take argparse's unambiguous prefixes. A small
//! in-test server records each request's signing date and answers with canned bodies.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, moto_url, stderr_of, stdout_of};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// One request as the server saw it: the request line and its `X-Amz-Date`.
#[derive(Debug, Clone)]
struct Seen {
    line: String,
    amz_date: String,
}

/// Serves `answer(request line) -> (status, content type, body)` on 127.0.0.1 until the test ends.
fn server(answer: fn(&str) -> (u16, &'static str, String)) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                continue;
            }
            let (mut len, mut amz_date) = (0usize, String::new());
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                let (name, value) = h.split_once(':').unwrap();
                match name.to_ascii_lowercase().as_str() {
                    "content-length" => len = value.trim().parse().unwrap(),
                    "x-amz-date" => amz_date = value.trim().to_string(),
                    _ => {}
                }
            }
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            let line = line.trim_end().to_string();
            log.lock().unwrap().push(Seen { line: line.clone(), amz_date });
            let (status, kind, body) = answer(&line);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, seen)
}

fn sandbox(url: &str) -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .set_env("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
        .set_env("AWS_DEFAULT_REGION", "eu-west-1")
        .set_env("AWS_ENDPOINT_URL", url)
        .set_env("NUBO_SIGNING_TIME", "20250102T030405Z");
    sb
}

#[test]
fn waiters_sign_at_the_pinned_time() {
    let (url, seen) = server(|_| {
        (
            200,
            "application/x-amz-json-1.0",
            r#"{"Table": {"TableName": "t", "TableStatus": "ACTIVE"}}"#.into(),
        )
    });
    let sb = sandbox(&url);
    let out = sb.nubo().args(["dynamodb", "wait", "table-exists", "--table-name", "t"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let seen = seen.lock().unwrap().clone();
    assert!(!seen.is_empty());
    assert!(seen.iter().all(|s| s.amz_date == "20250102T030405Z"), "{seen:?}");
}

#[test]
fn s3_commands_sign_at_the_pinned_time() {
    let (url, seen) = server(|_| {
        let body = r#"<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bkt</Name><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated><Contents><Key>a.txt</Key><LastModified>2025-01-02T03:04:05.000Z</LastModified><Size>3</Size></Contents></ListBucketResult>"#;
        (200, "application/xml", body.into())
    });
    let sb = sandbox(&url);
    let out = sb.nubo().args(["s3", "ls", "s3://bkt/"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("a.txt"), "{}", stdout_of(&out));
    let seen = seen.lock().unwrap().clone();
    assert!(seen.iter().any(|s| s.line.starts_with("GET /bkt?list-type=2")), "{seen:?}");
    assert!(seen.iter().all(|s| s.amz_date == "20250102T030405Z"), "{seen:?}");
}

/// A `credential_process` that answers once, with credentials about to expire (so every later call
/// asks again), and fails from then on: `s3 sync` stops with the credentials error and exit 253.
#[test]
fn a_credentials_failure_during_s3_sync_is_a_credentials_error() {
    let (url, _seen) = server(|line| {
        if line.starts_with("GET /bkt?list-type=2") {
            let body = r#"<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bkt</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>"#;
            (200, "application/xml", body.into())
        } else {
            (200, "application/xml", String::new())
        }
    });
    let mut sb = Sandbox::new();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), b"abc").unwrap();
    let counter = sb.home().join("calls");
    let script = sb.home().join("creds.sh");
    let expiry = time_in(300);
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nif [ -e '{c}' ]; then echo 'token service unavailable' >&2; exit 3; fi\ntouch '{c}'\n\
             echo '{{\"Version\": 1, \"AccessKeyId\": \"AKIDEXAMPLE\", \"SecretAccessKey\": \"not-a-real-secret\", \"SessionToken\": \"tok\", \"Expiration\": \"{expiry}\"}}'\n",
            c = counter.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    sb.write(
        "config",
        &format!("[default]\nregion = eu-west-1\ncredential_process = {}\n", script.display()),
    );
    sb.set_env("AWS_ENDPOINT_URL", &url);
    let out = sb.nubo().current_dir(dir.path()).args(["s3", "sync", ".", "s3://bkt/"]).output().unwrap();
    assert_eq!(out.status.code(), Some(253), "{}\n{}", stdout_of(&out), stderr_of(&out));
    assert!(
        stderr_of(&out).contains("credential_process") || stderr_of(&out).contains("token service"),
        "{}",
        stderr_of(&out)
    );
}

/// An RFC 3339 UTC time `secs` seconds from now.
fn time_in(secs: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::seconds(secs);
    t.replace_nanosecond(0).unwrap().format(&time::format_description::well_known::Rfc3339).unwrap()
}

#[test]
fn global_options_take_unambiguous_prefixes() {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "testing").set_env("AWS_SECRET_ACCESS_KEY", "testing");
    let out = sb
        .nubo()
        .args([
            "--endpoint",
            &moto_url(),
            "sts",
            "get-caller-identity",
            "--reg",
            "eu-west-1",
            "--out",
            "text",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("arn:aws:sts::"), "{}", stdout_of(&out));
    let out = sb.nubo().args(["--c", "x", "sts", "get-caller-identity"]).output().unwrap();
    assert_eq!(out.status.code(), Some(252));
    assert!(stderr_of(&out).contains("ambiguous option: --c could match"), "{}", stderr_of(&out));
}

/// `--debug` says where each setting came from, which endpoint and auth each call used and which
/// credential link won; never the secret.
#[test]
fn debug_shows_the_whole_path_without_secrets() {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE").set_env("AWS_SECRET_ACCESS_KEY", "sentinel-secret-value");
    let out = sb
        .nubo()
        .args(["--debug", "--region", "eu-west-2", "--show-request", "sqs", "list-queues"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("settings: region eu-west-2 (from command line (--region))"), "{err}");
    assert!(err.contains("endpoint: sqs ListQueues -> POST https://sqs.eu-west-2.amazonaws.com/\n"), "{err}");
    assert!(err.contains("auth: sigv4 (signing name sqs, region eu-west-2)"), "{err}");
    assert!(err.contains("credentials: from env (AWS_ACCESS_KEY_ID)"), "{err}");
    assert!(!err.contains("sentinel-secret-value") && !stdout_of(&out).contains("sentinel-secret-value"));
}
