//! Every call path against one fault-injecting server (`common::faults`): model operations (JSON,
//! query and rest-xml protocols), pagination, waiters, the credential providers (IMDS, container, STS,
//! SSO) and the s3 commands meet 500, 503, `SlowDown`, `Throttling`, `RequestTimeout`, resets before and
//! inside a body, stalls past the read timeout, truncated and malformed bodies, wrong checksums,
//! `Retry-After` and a server clock 20 minutes off. Each test shows what was retried (the server's
//! request log and `--debug`'s retry decisions), the exit code, and what was left on disk.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::faults::{FaultServer, Reply, Req};
use common::{Sandbox, stderr_of, stdout_of};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

fn sandbox() -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "AKIDFAULTTEST")
        .set_env("AWS_SECRET_ACCESS_KEY", "fault-test-secret")
        .set_env("AWS_DEFAULT_REGION", "us-east-1");
    sb
}

fn run(sb: &Sandbox, server: &FaultServer, args: &[&str]) -> std::process::Output {
    sb.nubo().arg("--endpoint-url").arg(server.url()).args(args).output().unwrap()
}

const TABLES: &str = r#"{"TableNames":["a","b"]}"#;

fn dynamodb_ok() -> Reply {
    Reply::with(200, &[("content-type", "application/x-amz-json-1.0")], TABLES)
}

/// The retry decisions `--debug` printed.
fn retry_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains("Retry needed") || l.contains("Not retrying")).collect()
}

// ---------------------------------------------------------------- clock skew

/// A server 20 minutes ahead refuses requests signed more than 15 minutes away from its clock.
fn skew_check(server_now: i64, req: &Req) -> bool {
    req.signed_at_secs().is_some_and(|t| (t - server_now).abs() <= 15 * 60)
}

#[test]
fn s3_request_time_too_skewed_is_corrected_once_and_kept_for_the_command() {
    let skew = 20 * 60;
    let clock = Arc::new(Mutex::new(None::<i64>));
    let c = clock.clone();
    let server = FaultServer::start_skewed(skew, move |req, _| {
        let server_now = c.lock().unwrap().unwrap();
        if !skew_check(server_now, req) {
            return Reply::s3_error(
                403,
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.",
            );
        }
        // Two pages: the second request must be signed with the corrected clock at once.
        let body = if req.query_has("continuation-token") {
            "<ListBucketResult><Name>b</Name><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated><Contents><Key>two</Key><Size>2</Size><LastModified>2025-01-01T00:00:00.000Z</LastModified></Contents></ListBucketResult>"
        } else {
            "<ListBucketResult><Name>b</Name><KeyCount>1</KeyCount><IsTruncated>true</IsTruncated><NextContinuationToken>t</NextContinuationToken><Contents><Key>one</Key><Size>1</Size><LastModified>2025-01-01T00:00:00.000Z</LastModified></Contents></ListBucketResult>"
        };
        Reply::with(200, &[("content-type", "application/xml")], body)
    });
    *clock.lock().unwrap() = Some(server.now_secs());
    let sb = sandbox();
    let out = run(&sb, &server, &["s3api", "list-objects-v2", "--bucket", "b", "--query", "Contents[].Key"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let keys: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(keys, serde_json::json!(["one", "two"]));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3, "one refusal, then both pages: {reqs:?}");
    let server_now = server.now_secs();
    let signed: Vec<i64> = reqs.iter().map(|r| r.signed_at_secs().unwrap() - server_now).collect();
    assert!(signed[0] < -15 * 60, "{signed:?}");
    assert!(signed[1].abs() < 60 && signed[2].abs() < 60, "{signed:?}");
}

#[test]
fn invalid_signature_exception_with_a_skewed_date_is_retried_with_the_servers_time() {
    let skew = -20 * 60;
    let server = FaultServer::start_skewed(skew, move |req, _| {
        let server_now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
            as i64
            + skew;
        if skew_check(server_now, req) {
            dynamodb_ok()
        } else {
            Reply::json_error(400, "InvalidSignatureException", "Signature expired: is now earlier than ...")
        }
    });
    let sb = sandbox();
    let out = run(&sb, &server, &["dynamodb", "list-tables"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_signature_mismatch_with_a_correct_clock_fails_at_once() {
    let server = FaultServer::start(|_, _| {
        Reply::query_error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match")
    });
    let sb = sandbox();
    let out = run(&sb, &server, &["sts", "get-caller-identity"]);
    assert_eq!(out.status.code(), Some(254), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("(SignatureDoesNotMatch)"), "{}", stderr_of(&out));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn query_signature_expired_from_a_skewed_server_is_corrected() {
    let skew = 20 * 60;
    let server = FaultServer::start_skewed(skew, move |req, _| {
        let server_now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
            as i64
            + skew;
        if skew_check(server_now, req) {
            Reply::with(
                200,
                &[("content-type", "text/xml")],
                "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/u</Arn><UserId>U</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>",
            )
        } else {
            Reply::query_error(
                403,
                "SignatureDoesNotMatch",
                "Signature expired: 20250101T000000Z is now earlier than 20250101T001600Z",
            )
        }
    });
    let sb = sandbox();
    let out = run(&sb, &server, &["sts", "get-caller-identity", "--query", "Account"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out).trim(), "\"123456789012\"");
    assert_eq!(server.requests().len(), 2);
}

// ---------------------------------------------------------------- model operations

#[test]
fn transient_statuses_and_codes_are_retried_with_backoff() {
    // 500, then 503, then success: two retries within standard mode's three attempts.
    let server = FaultServer::start(|_, i| match i {
        0 => Reply::json_error(500, "InternalServerError", "x"),
        1 => Reply::status(503),
        _ => dynamodb_ok(),
    });
    let sb = sandbox();
    let out = run(&sb, &server, &["dynamodb", "list-tables", "--debug"]);
    let err = stderr_of(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(server.requests().len(), 3);
    let lines = retry_lines(&err);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("attempt 2 of 3"), "{lines:?}");
    assert!(lines[1].contains("attempt 3 of 3"), "{lines:?}");
    // Each attempt was signed afresh (new signature, same request).
    let sigs: Vec<_> =
        server.requests().iter().map(|r| r.header("authorization").unwrap().to_string()).collect();
    assert!(sigs.iter().all(|s| s.starts_with("AWS4-HMAC-SHA256 Credential=AKIDFAULTTEST/")));
}

#[test]
fn throttling_and_request_timeout_codes_are_retried() {
    for (reply, kind) in [
        (Reply::json_error(400, "ThrottlingException", "Rate exceeded"), "throttling error"),
        (Reply::json_error(400, "RequestTimeoutException", "slow"), "transient error"),
    ] {
        let r = reply.clone();
        let server = FaultServer::start(move |_, i| if i == 0 { r.clone() } else { dynamodb_ok() });
        let sb = sandbox();
        let out = run(&sb, &server, &["dynamodb", "list-tables", "--debug"]);
        let err = stderr_of(&out);
        assert!(out.status.success(), "{err}");
        assert_eq!(server.requests().len(), 2);
        assert!(retry_lines(&err)[0].contains(kind), "{err}");
    }
}

#[test]
fn persistent_throttling_gives_up_after_the_modes_attempts_with_exit_254() {
    for (mode, attempts) in [("standard", 3), ("legacy", 5), ("adaptive", 3)] {
        let server = FaultServer::start(|_, _| Reply::query_error(400, "Throttling", "Rate exceeded"));
        let mut sb = sandbox();
        sb.set_env("AWS_RETRY_MODE", mode);
        let out = run(&sb, &server, &["sts", "get-caller-identity"]);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(254), "{mode}: {err}");
        assert!(err.contains(&format!("(reached max retries: {})", attempts - 1)), "{mode}: {err}");
        assert_eq!(server.requests().len(), attempts, "{mode}");
    }
}

#[test]
fn non_retryable_errors_fail_at_once() {
    let server = FaultServer::start(|_, _| Reply::json_error(400, "ResourceNotFoundException", "no table"));
    let sb = sandbox();
    let out = run(&sb, &server, &["dynamodb", "describe-table", "--table-name", "t"]);
    assert_eq!(out.status.code(), Some(254));
    assert!(stderr_of(&out).contains("(ResourceNotFoundException)"));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn resets_truncation_and_retry_after_are_retried() {
    let faults = [
        Reply::Reset,
        Reply::ResetInBody {
            status: 200,
            headers: vec![("content-type".into(), "application/x-amz-json-1.0".into())],
            declared: TABLES.len(),
            sent: TABLES.as_bytes()[..5].to_vec(),
        },
        Reply::Truncated {
            status: 200,
            headers: vec![("content-type".into(), "application/x-amz-json-1.0".into())],
            declared: TABLES.len(),
            sent: TABLES.as_bytes()[..5].to_vec(),
        },
        Reply::with(503, &[("retry-after", "1")], "busy"),
    ];
    for fault in faults {
        let f = fault.clone();
        let server = FaultServer::start(move |_, i| if i == 0 { f.clone() } else { dynamodb_ok() });
        let sb = sandbox();
        let out = run(&sb, &server, &["dynamodb", "list-tables", "--debug"]);
        let err = stderr_of(&out);
        assert!(out.status.success(), "{fault:?}: {err}");
        assert_eq!(server.requests().len(), 2, "{fault:?}");
        assert_eq!(retry_lines(&err).len(), 1, "{fault:?}: {err}");
        let tables: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
        assert_eq!(tables["TableNames"], serde_json::json!(["a", "b"]));
    }
}

#[test]
fn a_stall_past_the_read_timeout_is_retried_then_reported() {
    let server = FaultServer::start(|_, i| if i < 1 { Reply::Stall } else { dynamodb_ok() });
    let sb = sandbox();
    let out = run(&sb, &server, &["dynamodb", "list-tables", "--cli-read-timeout", "1"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(server.requests().len(), 2);

    let server = FaultServer::start(|_, _| Reply::Stall);
    let out = run(&sb, &server, &["dynamodb", "list-tables", "--cli-read-timeout", "1"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(255), "{err}");
    assert!(err.contains("Read timeout on endpoint URL"), "{err}");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn malformed_bodies_fail_without_retrying() {
    for (args, ct, body) in [
        (
            &["sts", "get-caller-identity"][..],
            "text/xml",
            "<GetCallerIdentityResponse><GetCallerIdentityResult>",
        ),
        (&["ec2", "describe-regions"][..], "text/xml", "<DescribeRegionsResponse><regionInfo><item>"),
    ] {
        let server = FaultServer::start(move |_, _| Reply::with(200, &[("content-type", ct)], body));
        let sb = sandbox();
        let out = run(&sb, &server, args);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(255), "{args:?}: {err}");
        assert!(err.contains("Unable to parse response"), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert_eq!(server.requests().len(), 1, "{args:?}");
        assert!(stdout_of(&out).is_empty());
    }
    // A JSON body that does not parse is read as an empty answer, as botocore reads it.
    let server = FaultServer::start(|_, _| {
        Reply::with(200, &[("content-type", "application/x-amz-json-1.0")], "{\"TableNames\": [\"a\"")
    });
    let out = run(&sandbox(), &server, &["dynamodb", "list-tables"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------- pagination and waiters

#[test]
fn a_fault_on_a_later_page_is_retried_and_the_listing_is_complete() {
    let server = FaultServer::start(|req, i| {
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
        match (body.get("ExclusiveStartTableName").and_then(|v| v.as_str()), i) {
            (None, _) => Reply::with(200, &[], r#"{"TableNames":["a"],"LastEvaluatedTableName":"a"}"#),
            (Some("a"), 1) => Reply::json_error(400, "ProvisionedThroughputExceededException", "slow down"),
            (Some("a"), 2) => Reply::Reset,
            (Some("a"), _) => Reply::with(200, &[], r#"{"TableNames":["b"]}"#),
            _ => Reply::status(400),
        }
    });
    let sb = sandbox();
    let out = run(&sb, &server, &["dynamodb", "list-tables"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let tables: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(tables["TableNames"], serde_json::json!(["a", "b"]));
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn waiters_poll_through_faults_and_stop_on_a_non_retryable_error() {
    let server = FaultServer::start(|_, i| match i {
        0 => Reply::status(503),
        1 => Reply::with(200, &[], r#"{"Table":{"TableName":"t","TableStatus":"CREATING"}}"#),
        2 => Reply::json_error(400, "ThrottlingException", "x"),
        _ => Reply::with(200, &[], r#"{"Table":{"TableName":"t","TableStatus":"ACTIVE"}}"#),
    });
    let mut sb = sandbox();
    sb.set_env("NUBO_WAITER_DELAY", "0");
    let out = run(&sb, &server, &["dynamodb", "wait", "table-exists", "--table-name", "t"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(server.requests().len(), 4);

    let server = FaultServer::start(|_, _| Reply::json_error(400, "AccessDeniedException", "no"));
    let out = run(&sb, &server, &["dynamodb", "wait", "table-exists", "--table-name", "t"]);
    assert_eq!(out.status.code(), Some(255), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("AccessDeniedException"), "{}", stderr_of(&out));
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------- credential providers

const STS_OK: &str = "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/u</Arn><UserId>U</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>";

fn expiration() -> String {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 + 3600;
    let d = common::faults::amz_date(secs);
    format!("{}-{}-{}T{}:{}:{}Z", &d[0..4], &d[4..6], &d[6..8], &d[9..11], &d[11..13], &d[13..15])
}

/// One server for the provider and the STS call that uses its keys; returns the key that signed the
/// STS call.
fn signing_key(req: &Req) -> Option<String> {
    let auth = req.header("authorization")?;
    let cred = auth.split("Credential=").nth(1)?;
    Some(cred.split('/').next()?.to_string())
}

#[test]
fn container_credentials_survive_a_500_and_a_reset() {
    let exp = expiration();
    let server = FaultServer::start(move |req, _| {
        if req.path() == "/creds" {
            return Reply::ok(format!(
                r#"{{"AccessKeyId":"AKIDCONTAINER","SecretAccessKey":"s","Token":"t","Expiration":"{exp}"}}"#
            ));
        }
        Reply::with(200, &[("content-type", "text/xml")], STS_OK)
    });
    // The container endpoint answers 500, then resets, then succeeds: botocore's three attempts.
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let port = server.port;
    let container = FaultServer::start(move |_, _| match c.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::status(500),
        1 => Reply::Reset,
        _ => {
            let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            use std::io::{Read, Write};
            s.write_all(b"GET /creds HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
            let mut text = String::new();
            s.read_to_string(&mut text).unwrap();
            Reply::ok(text.split("\r\n\r\n").nth(1).unwrap().to_string())
        }
    });
    let mut sb = Sandbox::new();
    sb.set_env("AWS_CONTAINER_CREDENTIALS_FULL_URI", &format!("{}/role", container.url()))
        .set_env("AWS_DEFAULT_REGION", "us-east-1");
    let out = run(&sb, &server, &["sts", "get-caller-identity"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let sts: Vec<_> = server.requests().into_iter().filter(|r| r.path() != "/creds").collect();
    assert_eq!(signing_key(&sts[0]).as_deref(), Some("AKIDCONTAINER"));
}

#[test]
fn imds_credentials_survive_faults_on_the_token_and_the_role() {
    let exp = expiration();
    let server = FaultServer::start(move |req, _| {
        match (req.method.as_str(), req.path()) {
            ("PUT", "/latest/api/token") => {
                // The first token request is reset.
                Reply::with(200, &[("x-aws-ec2-metadata-token-ttl-seconds", "21600")], "TOKEN")
            }
            ("GET", "/latest/meta-data/iam/security-credentials/") => Reply::ok("role"),
            ("GET", "/latest/meta-data/iam/security-credentials/role") => Reply::ok(format!(
                r#"{{"Code":"Success","AccessKeyId":"AKIDIMDS","SecretAccessKey":"s","Token":"t","Expiration":"{exp}"}}"#
            )),
            _ => Reply::with(200, &[("content-type", "text/xml")], STS_OK),
        }
    });
    let faulty = Arc::new(AtomicUsize::new(0));
    let f = faulty.clone();
    let port = server.port;
    // A front that fails the first request of each kind (reset, then 503), then forwards.
    let front = FaultServer::start(move |req, _| {
        let n = f.fetch_add(1, Ordering::SeqCst);
        if n == 0 {
            return Reply::Reset;
        }
        if n == 2 {
            return Reply::status(503);
        }
        forward(port, req)
    });
    let mut sb = Sandbox::new();
    sb.set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &front.url())
        .set_env("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3");
    let out = sb
        .nubo()
        .env("AWS_EC2_METADATA_DISABLED", "false")
        .args(["--endpoint-url", &server.url(), "sts", "get-caller-identity"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let sts: Vec<_> = server.requests().into_iter().filter(|r| r.method == "POST").collect();
    assert_eq!(signing_key(&sts[0]).as_deref(), Some("AKIDIMDS"));
    assert!(faulty.load(Ordering::SeqCst) >= 4);
}

/// Sends `req` on to the server at `port` and returns its answer.
fn forward(port: u16, req: &Req) -> Reply {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut head = format!(
        "{} {} HTTP/1.1\r\nConnection: close\r\ncontent-length: {}\r\n",
        req.method,
        req.target,
        req.body.len()
    );
    for (n, v) in &req.headers {
        if !n.eq_ignore_ascii_case("content-length") && !n.eq_ignore_ascii_case("connection") {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(&req.body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .filter(|(n, _)| !n.eq_ignore_ascii_case("content-length") && !n.eq_ignore_ascii_case("date"))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply::Respond { status, headers, body: raw[split + 4..].to_vec() }
}

#[test]
fn assume_role_retries_sts_throttling_and_fails_253_on_access_denied() {
    let exp = expiration();
    let e = exp.clone();
    let server = FaultServer::start(move |req, i| match req.operation().as_str() {
        "AssumeRole" if i == 0 => Reply::query_error(400, "Throttling", "Rate exceeded"),
        "AssumeRole" if i == 1 => Reply::status(503),
        "AssumeRole" => Reply::with(
            200,
            &[("content-type", "text/xml")],
            format!(
                "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>AKIDROLE</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>{e}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>A:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>"
            ),
        ),
        _ => Reply::with(200, &[("content-type", "text/xml")], STS_OK),
    });
    let mut sb = Sandbox::new();
    sb.write("config", "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nregion = us-east-1\n");
    sb.write("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
    sb.set_env("AWS_ENDPOINT_URL_STS", &server.url());
    let out = sb.nubo().args(["--profile", "r", "sts", "get-caller-identity"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 4, "{reqs:?}");
    assert_eq!(signing_key(&reqs[3]).as_deref(), Some("AKIDROLE"));

    // Without the cached role credentials, AssumeRole itself is refused: a credentials error.
    std::fs::remove_dir_all(sb.aws_dir().join("cli").join("cache")).unwrap();
    let server = FaultServer::start(|_, _| Reply::query_error(403, "AccessDenied", "not allowed"));
    sb.env.retain(|(k, _)| k != "AWS_ENDPOINT_URL_STS");
    sb.set_env("AWS_ENDPOINT_URL_STS", &server.url());
    let out = sb.nubo().args(["--profile", "r", "sts", "get-caller-identity"]).output().unwrap();
    assert_eq!(out.status.code(), Some(253), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("AccessDenied"), "{}", stderr_of(&out));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn sso_role_credentials_are_retried_after_a_500() {
    let exp_ms =
        (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 3600) * 1000;
    let server = FaultServer::start(move |req, i| {
        if req.path() == "/federation/credentials" {
            if i == 0 {
                return Reply::json_error(500, "InternalServerException", "x");
            }
            return Reply::with(
                200,
                &[("content-type", "application/json")],
                format!(
                    r#"{{"roleCredentials":{{"accessKeyId":"AKIDSSO","secretAccessKey":"s","sessionToken":"t","expiration":{exp_ms}}}}}"#
                ),
            );
        }
        Reply::with(200, &[("content-type", "text/xml")], STS_OK)
    });
    let mut sb = Sandbox::new();
    sb.write(
        "config",
        "[profile s]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = r\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://example.invalid/start\nsso_region = us-east-1\n",
    );
    // The cached token of the sso-session (file named by the SHA-1 of the session name).
    let cache = sb.aws_dir().join("sso").join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    let name = sha1_hex(b"corp");
    let exp = expiration();
    std::fs::write(
        cache.join(format!("{name}.json")),
        format!(r#"{{"startUrl":"https://example.invalid/start","region":"us-east-1","accessToken":"tok","expiresAt":"{exp}"}}"#),
    )
    .unwrap();
    sb.set_env("AWS_ENDPOINT_URL", &server.url());
    let out = sb.nubo().args(["--profile", "s", "sts", "get-caller-identity"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let reqs = server.requests();
    assert_eq!(reqs.iter().filter(|r| r.path() == "/federation/credentials").count(), 2);
    assert_eq!(signing_key(reqs.last().unwrap()).as_deref(), Some("AKIDSSO"));
}

/// SHA-1 of `data` in hex, through Python's hashlib (the independent reference).
fn sha1_hex(data: &[u8]) -> String {
    let out = std::process::Command::new("python3")
        .args(["-c", "import hashlib,sys; print(hashlib.sha1(sys.stdin.buffer.read()).hexdigest())"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(data)?;
            c.wait_with_output()
        })
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

// ---------------------------------------------------------------- s3 commands

/// A small S3: objects in memory (HEAD, ranged GET, PUT, multipart, ListObjectsV2), with `fault` asked
/// first for every request.
struct S3 {
    objects: Mutex<Vec<(String, Vec<u8>)>>,
}

impl S3 {
    fn new(objects: &[(&str, &[u8])]) -> Arc<S3> {
        Arc::new(S3 {
            objects: Mutex::new(objects.iter().map(|(k, v)| (k.to_string(), v.to_vec())).collect()),
        })
    }

    fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.objects.lock().unwrap().iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    fn answer(&self, req: &Req) -> Reply {
        let path = req.path().trim_start_matches('/');
        let (_bucket, key) = path.split_once('/').unwrap_or((path, ""));
        let xml = |body: String| Reply::with(200, &[("content-type", "application/xml")], body);
        match req.method.as_str() {
            "GET" if key.is_empty() => {
                let items: String = self
                    .objects
                    .lock()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| format!("<Contents><Key>{k}</Key><Size>{}</Size><LastModified>2020-01-01T00:00:00.000Z</LastModified><ETag>\"e\"</ETag></Contents>", v.len()))
                    .collect();
                xml(format!("<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated>{items}</ListBucketResult>"))
            }
            "HEAD" => match self.get(key) {
                Some(v) => Reply::Respond {
                    status: 200,
                    headers: vec![
                        ("content-length-override".into(), v.len().to_string()),
                        ("last-modified".into(), "Wed, 01 Jan 2020 00:00:00 GMT".into()),
                        ("etag".into(), "\"e\"".into()),
                    ],
                    body: Vec::new(),
                },
                None => Reply::status(404),
            },
            "GET" => match self.get(key) {
                Some(v) => {
                    let (start, end) = match req.header("range").and_then(|r| r.strip_prefix("bytes=")) {
                        Some(r) => {
                            let (a, b) = r.split_once('-').unwrap();
                            (a.parse().unwrap(), b.parse::<usize>().unwrap_or(v.len() - 1).min(v.len() - 1))
                        }
                        None => (0, v.len().saturating_sub(1)),
                    };
                    let body = if v.is_empty() { Vec::new() } else { v[start..=end].to_vec() };
                    Reply::with(200, &[("last-modified", "Wed, 01 Jan 2020 00:00:00 GMT"), ("etag", "\"e\"")], body)
                }
                None => Reply::s3_error(404, "NoSuchKey", "The specified key does not exist."),
            },
            "POST" if req.query_has("uploads") => xml("<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>U1</UploadId></InitiateMultipartUploadResult>".into()),
            "PUT" if req.query_has("partNumber") => Reply::with(200, &[("etag", "\"p\"")], Vec::new()),
            "PUT" => {
                self.objects.lock().unwrap().push((key.to_string(), req.body.clone()));
                Reply::with(200, &[("etag", "\"e\"")], Vec::new())
            }
            "DELETE" => Reply::status(204),
            _ => Reply::status(400),
        }
    }
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn s3_download_survives_a_reset_inside_the_body() {
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let s3 = S3::new(&[("k", &data)]);
    let cut = data[..1000].to_vec();
    let gets = Arc::new(AtomicUsize::new(0));
    let g = gets.clone();
    let server = FaultServer::start(move |req, _| {
        if req.method == "GET" && req.path() == "/b/k" && g.fetch_add(1, Ordering::SeqCst) == 0 {
            return Reply::ResetInBody { status: 200, headers: vec![], declared: 100_000, sent: cut.clone() };
        }
        s3.answer(req)
    });
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("k");
    let out = run(&sb, &server, &["s3", "cp", "s3://b/k", dest.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    assert_eq!(files_in(dir.path()), ["k"]);
}

#[test]
fn s3_download_with_a_wrong_checksum_or_persistent_faults_writes_no_file() {
    let data = b"the object's real content".to_vec();
    for fault in [
        // A body whose CRC32 does not match the header.
        Reply::with(200, &[("x-amz-checksum-crc32", "AAAAAA=="), ("etag", "\"e\"")], data.clone()),
        Reply::s3_error(503, "SlowDown", "Please reduce your request rate."),
        Reply::Truncated { status: 200, headers: vec![], declared: 1000, sent: data.clone() },
    ] {
        let s3 = S3::new(&[("k", &data)]);
        let f = fault.clone();
        let server =
            FaultServer::start(move |req, _| if req.method == "GET" { f.clone() } else { s3.answer(req) });
        let sb = sandbox();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("k"), b"old").unwrap();
        let dest = dir.path().join("k");
        let out = run(&sb, &server, &["s3", "cp", "s3://b/k", dest.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{fault:?}: {}", stderr_of(&out));
        // The old file is untouched and nothing else is left behind.
        assert_eq!(std::fs::read(&dest).unwrap(), b"old", "{fault:?}");
        assert_eq!(files_in(dir.path()), ["k"], "{fault:?}");
    }
}

#[test]
fn a_failed_multipart_upload_is_aborted() {
    let s3 = S3::new(&[]);
    let server = FaultServer::start(move |req, _| {
        if req.method == "PUT" && req.query_has("partNumber") && req.target.contains("partNumber=2") {
            return Reply::s3_error(403, "AccessDenied", "Access Denied");
        }
        s3.answer(req)
    });
    let sb = sandbox();
    sb.write("config", "[default]\ns3 =\n  multipart_threshold = 5MB\n  multipart_chunksize = 5MB\n  max_concurrent_requests = 1\n");
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("big");
    std::fs::write(&src, vec![7u8; 11 * 1024 * 1024]).unwrap();
    let out = run(&sb, &server, &["s3", "cp", src.to_str().unwrap(), "s3://b/big"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("AccessDenied"), "{}", stderr_of(&out));
    let reqs = server.requests();
    let abort = reqs.iter().find(|r| r.method == "DELETE" && r.query_has("uploadId"));
    assert!(
        abort.is_some(),
        "no AbortMultipartUpload: {:?}",
        reqs.iter().map(|r| format!("{} {}", r.method, r.target)).collect::<Vec<_>>()
    );
    assert!(!reqs.iter().any(|r| r.method == "POST" && r.query_has("uploadId")), "completed anyway");
}

#[test]
fn an_interrupted_sync_resumes_where_it_stopped() {
    let objects: Vec<(String, Vec<u8>)> =
        (0..6).map(|i| (format!("f{i}"), vec![b'a' + i as u8; 1000 + i])).collect();
    let refs: Vec<(&str, &[u8])> = objects.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
    let s3 = S3::new(&refs);
    // First run: f3 and f4 fail persistently (reset, then 500); second run: all fine.
    let broken = Arc::new(Mutex::new(true));
    let b = broken.clone();
    let server = FaultServer::start(move |req, _| {
        let failing = req.method == "GET" && (req.path() == "/b/f3" || req.path() == "/b/f4");
        if failing && *b.lock().unwrap() {
            return if req.path() == "/b/f3" { Reply::Reset } else { Reply::status(500) };
        }
        s3.answer(req)
    });
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let out = run(&sb, &server, &["s3", "sync", "s3://b", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert_eq!(files_in(dir.path()), ["f0", "f1", "f2", "f5"]);
    *broken.lock().unwrap() = false;
    let before = server.requests().len();
    let out = run(&sb, &server, &["s3", "sync", "s3://b", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(files_in(dir.path()), ["f0", "f1", "f2", "f3", "f4", "f5"]);
    for (k, v) in &objects {
        assert_eq!(&std::fs::read(dir.path().join(k)).unwrap(), v);
    }
    let gets: Vec<String> = server.requests()[before..]
        .iter()
        .filter(|r| r.method == "GET" && r.path() != "/b")
        .map(|r| r.path().to_string())
        .collect();
    // Only what was missing is fetched again.
    assert!(!gets.is_empty() && gets.iter().all(|g| g == "/b/f3" || g == "/b/f4"), "{gets:?}");
}
