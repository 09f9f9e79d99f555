//! Signing end to end: `--show-request` output replayed byte for byte to s3s-fs (which verifies every
//! signature), real calls through nubo's HTTP client, wrong secrets refused, and `nubo sign` against the
//! AWS SigV4 test suite.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, s3_url, stderr_of, stdout_of};
use std::io::{Read, Write};

/// A sandbox whose calls go to s3s-fs.
fn s3_endpoint_sandbox(secret: Option<&str>) -> Sandbox {
    let mut sb = common::s3_sandbox(secret);
    sb.set_env("AWS_ENDPOINT_URL", &s3_url());
    sb
}

/// Sends raw request bytes to the S3 server and returns the status line.
fn replay(raw: &[u8]) -> String {
    let addr = s3_url().trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    // The printed request has no Content-Length or Connection header (the HTTP layer adds those).
    let text = raw.to_vec();
    let split = text.windows(2).position(|w| w == b"\n\n").expect("blank line after the headers");
    let (head, body) = (&text[..split], &text[split + 2..]);
    let mut out = Vec::new();
    for line in head.split(|b| *b == b'\n') {
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    s.write_all(&out).unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    resp.lines().next().unwrap_or_default().to_string()
}

#[test]
fn show_request_is_accepted_by_a_verifying_server() {
    let sb = s3_endpoint_sandbox(None);
    sb.nubo().args(["s3api", "create-bucket", "--bucket", "nubo-sign-replay"]).assert().success();
    let out = sb
        .nubo()
        .args(["--show-request", "s3api", "list-objects-v2", "--bucket", "nubo-sign-replay"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    // `encoding-type=url` as the AWS CLI asks for it (the keys come back decoded).
    assert!(
        text.starts_with("GET /nubo-sign-replay?list-type=2&encoding-type=url HTTP/1.1\nHost: 127.0.0.1:"),
        "{text}"
    );
    assert!(text.to_ascii_lowercase().contains("\nx-amz-content-sha256: "), "{text}");
    assert_eq!(replay(&out.stdout), "HTTP/1.1 200 OK");
}

#[test]
fn uploads_and_downloads_through_nubo_are_verified() {
    let sb = s3_endpoint_sandbox(None);
    sb.nubo().args(["s3api", "create-bucket", "--bucket", "nubo-sign-io"]).assert().success();
    let body = sb.home().join("in.bin");
    std::fs::write(&body, "payload with ünïcode").unwrap();
    for key in ["plain.txt", "with space/and ünicode €.txt"] {
        sb.nubo()
            .args([
                "s3api",
                "put-object",
                "--bucket",
                "nubo-sign-io",
                "--key",
                key,
                "--body",
                body.to_str().unwrap(),
            ])
            .assert()
            .success();
        let dest = sb.home().join("out.bin");
        let out = sb
            .nubo()
            .args(["s3api", "get-object", "--bucket", "nubo-sign-io", "--key", key, dest.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{key}: {}", stderr_of(&out));
        assert_eq!(std::fs::read(&dest).unwrap(), std::fs::read(&body).unwrap());
    }
}

#[test]
fn a_wrong_secret_is_refused() {
    let sb = s3_endpoint_sandbox(Some("not-the-secret"));
    let out = sb.nubo().args(["s3api", "list-buckets"]).output().unwrap();
    assert_eq!(out.status.code(), Some(254), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("when calling the ListBuckets operation"), "{}", stderr_of(&out));
}

#[test]
fn show_request_is_reproducible_and_sends_nothing() {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .set_env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .set_env("NUBO_SIGNING_TIME", "20150830T123600Z")
        // Nothing listens here: --show-request must not connect.
        .set_env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    let run = || {
        sb.nubo()
            .args(["--show-request", "ec2", "describe-instances", "--region", "eu-west-1"])
            .output()
            .unwrap()
    };
    let (a, b) = (run(), run());
    assert!(a.status.success(), "{}", stderr_of(&a));
    assert_eq!(a.stdout, b.stdout);
    let text = stdout_of(&a);
    assert!(text.starts_with("POST / HTTP/1.1\nHost: 127.0.0.1:9\n"), "{text}");
    assert!(
        text.contains("X-Amz-Date: 20150830T123600Z") || text.contains("x-amz-date: 20150830T123600Z"),
        "{text}"
    );
    assert!(text.contains("Credential=AKIDEXAMPLE/20150830/eu-west-1/ec2/aws4_request"), "{text}");
    assert!(text.ends_with("\n\nAction=DescribeInstances&Version=2016-11-15"), "{text}");
}

#[test]
fn sign_matches_the_sigv4_suite() {
    let dir = std::path::PathBuf::from(std::env::var("NUBO_BOTOCORE_DIR").expect("NUBO_BOTOCORE_DIR"))
        .join("tests/unit/auth/aws4_testsuite");
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .set_env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    for case in ["get-vanilla", "post-x-www-form-urlencoded", "get-vanilla-query-order-key-case"] {
        let req = std::fs::read(dir.join(case).join(format!("{case}.req"))).unwrap();
        let authz = std::fs::read_to_string(dir.join(case).join(format!("{case}.authz"))).unwrap();
        let creq = std::fs::read_to_string(dir.join(case).join(format!("{case}.creq"))).unwrap();
        let out = sb
            .nubo()
            .args([
                "sign",
                "--service",
                "service",
                "--region",
                "us-east-1",
                "--signing-time",
                "20150830T123600Z",
                "--show-canonical",
            ])
            .write_stdin(req)
            .output()
            .unwrap();
        assert!(out.status.success(), "{case}: {}", stderr_of(&out));
        assert!(
            stdout_of(&out).contains(&format!("Authorization: {}", authz.trim())),
            "{case}: {}",
            stdout_of(&out)
        );
        let err = stderr_of(&out);
        assert!(err.starts_with("auth: sigv4 (signing name service, region us-east-1) because"), "{err}");
        assert!(err.contains("\n----- canonical request -----\n"), "{err}");
        assert!(err.contains(creq.trim()), "{case}: {err}");
        assert!(err.trim_end().ends_with("----- end -----"));
    }
}

/// Rule sets that route by account (DynamoDB) get the account the credentials name, as botocore does.
#[test]
fn account_based_endpoints_use_the_credentials_account() {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE").set_env("AWS_SECRET_ACCESS_KEY", "secret");
    let host = |sb: &Sandbox| {
        let out = sb.nubo().args(["--show-request", "dynamodb", "list-tables"]).output().unwrap();
        stdout_of(&out).lines().nth(1).unwrap_or_default().to_string()
    };
    assert_eq!(host(&sb), "Host: dynamodb.us-east-1.amazonaws.com");
    sb.set_env("AWS_ACCOUNT_ID", "123456789012");
    assert_eq!(host(&sb), "Host: 123456789012.ddb.us-east-1.amazonaws.com");
    sb.set_env("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled");
    assert_eq!(host(&sb), "Host: dynamodb.us-east-1.amazonaws.com");
}

/// Operations whose model marks the body unsigned (`v4-unsigned-body`) sign `UNSIGNED-PAYLOAD` and say
/// so in `X-Amz-Content-SHA256`, as botocore does; others sign their body.
#[test]
fn unsigned_body_operations() {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .set_env("AWS_SECRET_ACCESS_KEY", "secret")
        .set_env("NUBO_SIGNING_TIME", "20250101T000000Z");
    let input = sb.home().join("in.bin");
    std::fs::write(&input, "x").unwrap();
    let out_file = sb.home().join("out.bin");
    let out = sb
        .nubo()
        .args(["--show-request", "lex-runtime", "post-content", "--bot-name", "b", "--bot-alias", "a"])
        .args(["--user-id", "uu", "--content-type", "text/plain", "--input-stream"])
        .args([input.to_str().unwrap(), out_file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(text.contains("\nX-Amz-Content-SHA256: UNSIGNED-PAYLOAD\n"), "{text}");
    assert!(text.contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date"), "{text}");
    let out = sb
        .nubo()
        .args(["--show-request", "lex-runtime", "post-text", "--bot-name", "b", "--bot-alias", "a"])
        .args(["--user-id", "uu", "--input-text", "hi"])
        .output()
        .unwrap();
    assert!(!stdout_of(&out).contains("UNSIGNED-PAYLOAD"));
}
