//! EC2 dry runs against moto, and the decoding of encoded authorization failures through an in-test
//! server that denies a call with an encoded message and decodes it like STS.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, moto_url, stderr_of};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

fn keys(sb: &mut Sandbox) {
    sb.set_env("AWS_ACCESS_KEY_ID", "testing-key-id").set_env("AWS_SECRET_ACCESS_KEY", "testing-secret");
}

#[test]
fn dry_runs_report_like_the_cli() {
    let mut sb = Sandbox::new();
    keys(&mut sb);
    sb.set_env("AWS_ENDPOINT_URL", &moto_url());
    for args in [
        &["ec2", "describe-instances", "--dry-run"][..],
        &["ec2", "run-instances", "--image-id", "ami-12345678", "--dry-run"],
        &["ec2", "describe-vpcs", "--dry-run"],
    ] {
        let out = sb.nubo().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(254), "{args:?}: {}", stderr_of(&out));
        let op = match args[1] {
            "describe-instances" => "DescribeInstances",
            "run-instances" => "RunInstances",
            _ => "DescribeVpcs",
        };
        let line = format!(
            "An error occurred (DryRunOperation) when calling the {op} operation: Request would have succeeded, but DryRun flag is set."
        );
        // CLI v2's default (enhanced) error format, and its legacy one: the line alone.
        assert_eq!(stderr_of(&out).trim(), format!("nubo: [ERROR]: {line}"));
        let out = sb.nubo().args(args).args(["--cli-error-format", "legacy"]).output().unwrap();
        assert_eq!((out.status.code(), stderr_of(&out).trim()), (Some(254), line.as_str()));
    }
}

#[test]
fn structured_error_formats() {
    let mut sb = Sandbox::new();
    keys(&mut sb);
    sb.set_env("AWS_ENDPOINT_URL", &moto_url());
    let args = ["ec2", "describe-vpcs", "--dry-run"];
    let out = sb.nubo().args(args).args(["--cli-error-format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(254));
    let v: serde_json::Value = serde_json::from_str(&stderr_of(&out)).unwrap();
    assert_eq!(v["Code"], "DryRunOperation");
    assert_eq!(v["Message"], "Request would have succeeded, but DryRun flag is set.");
    sb.set_env("AWS_CLI_ERROR_FORMAT", "yaml");
    let out = sb.nubo().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(254));
    assert!(stderr_of(&out).contains("Code: DryRunOperation\n"), "{}", stderr_of(&out));
    let out = sb.nubo().args(args).args(["--cli-error-format", "xml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(252), "{}", stderr_of(&out));
}

/// Reads one request's head and returns its body.
fn read_body(stream: &std::net::TcpStream) -> String {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut len = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    String::from_utf8_lossy(&body).into_owned()
}

/// A one-request-per-connection server: EC2 calls are denied with an encoded message, STS
/// DecodeAuthorizationMessage answers (or is itself denied when `deny_decode`).
fn auth_server(deny_decode: bool, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            let body = read_body(&stream);
            let (status, xml) = if body.contains("Action=DecodeAuthorizationMessage") {
                if deny_decode {
                    ("403 Forbidden", "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed to decode</Message></Error></ErrorResponse>".to_string())
                } else {
                    let decoded = r#"{"allowed":false,"explicitDeny":false,"matchedStatements":{"items":[]},"context":{"principal":{"id":"AIDEXAMPLE","arn":"arn:aws:iam::123456789012:user/dev"},"action":"ec2:RunInstances","resource":"arn:aws:ec2:us-east-1:123456789012:instance/*","conditions":{"items":[]}}}"#;
                    let escaped = decoded.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
                    (
                        "200 OK",
                        format!(
                            "<DecodeAuthorizationMessageResponse><DecodeAuthorizationMessageResult><DecodedMessage>{escaped}</DecodedMessage></DecodeAuthorizationMessageResult></DecodeAuthorizationMessageResponse>"
                        ),
                    )
                }
            } else {
                ("403 Forbidden", "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation. Encoded authorization failure message: ENC0DED-msg_123</Message></Error></Errors><RequestID>r</RequestID></Response>".to_string())
            };
            let resp = format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
                xml.len()
            );
            stream.write_all(resp.as_bytes()).unwrap();
        }
    });
    url
}

#[test]
fn encoded_authorization_failures_are_decoded() {
    let mut sb = Sandbox::new();
    keys(&mut sb);
    sb.set_env("AWS_ENDPOINT_URL", &auth_server(false, 2)).set_env("AWS_MAX_ATTEMPTS", "1");
    let out = sb.nubo().args(["ec2", "run-instances", "--image-id", "ami-12345678"]).output().unwrap();
    assert_eq!(out.status.code(), Some(254));
    let err = stderr_of(&out);
    assert!(err.contains("An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. Encoded authorization failure message: ENC0DED-msg_123"), "{err}");
    assert!(err.contains("Decoded authorization failure message:"), "{err}");
    assert!(err.contains("action:         ec2:RunInstances"), "{err}");
    assert!(err.contains("principal:      arn:aws:iam::123456789012:user/dev"), "{err}");
}

#[test]
fn a_denied_decode_is_one_line_and_keeps_the_error() {
    let mut sb = Sandbox::new();
    keys(&mut sb);
    sb.set_env("AWS_ENDPOINT_URL", &auth_server(true, 2)).set_env("AWS_MAX_ATTEMPTS", "1");
    let out = sb.nubo().args(["ec2", "run-instances", "--image-id", "ami-12345678"]).output().unwrap();
    assert_eq!(out.status.code(), Some(254));
    let err = stderr_of(&out);
    assert!(err.contains("(UnauthorizedOperation)"), "{err}");
    let line = err.lines().find(|l| l.starts_with("Could not decode")).expect("one line about the decode");
    assert!(line.contains("AccessDenied"), "{line}");
}

#[test]
fn decoding_can_be_turned_off() {
    let mut sb = Sandbox::new();
    keys(&mut sb);
    sb.set_env("AWS_ENDPOINT_URL", &auth_server(false, 1))
        .set_env("AWS_MAX_ATTEMPTS", "1")
        .set_env("NUBO_DECODE_AUTHORIZATION_MESSAGES", "false");
    let out = sb.nubo().args(["ec2", "run-instances", "--image-id", "ami-12345678"]).output().unwrap();
    assert_eq!(out.status.code(), Some(254));
    assert!(!stderr_of(&out).contains("Decoded"));
}

#[test]
fn decode_authorization_message_json_and_readable() {
    let mut sb = Sandbox::new();
    keys(&mut sb);
    sb.set_env("AWS_ENDPOINT_URL", &auth_server(false, 2)).set_env("AWS_MAX_ATTEMPTS", "1");
    let out =
        sb.nubo().args(["sts", "decode-authorization-message", "--encoded-message", "ENC"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["DecodedMessage"].as_str().unwrap().contains("ec2:RunInstances"));
    let out = sb
        .nubo()
        .args(["sts", "decode-authorization-message", "--encoded-message", "ENC", "--output", "text"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Decoded authorization failure message:\n"), "{text}");
    assert!(text.contains("allowed:        false"), "{text}");
}

/// A failing call that was retried says so, as the CLI does: `(reached max retries: N)`.
#[test]
fn retried_errors_name_the_retries() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(2) {
            let mut stream = stream.unwrap();
            read_body(&stream);
            let xml = "<Response><Errors><Error><Code>InternalError</Code><Message>try later</Message></Error></Errors></Response>";
            let resp = format!(
                "HTTP/1.1 500 Internal Server Error\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
                xml.len()
            );
            stream.write_all(resp.as_bytes()).unwrap();
        }
    });
    let mut sb = Sandbox::new();
    keys(&mut sb);
    sb.set_env("AWS_ENDPOINT_URL", &url).set_env("AWS_MAX_ATTEMPTS", "2");
    let out = sb.nubo().args(["ec2", "describe-vpcs"]).output().unwrap();
    assert_eq!(out.status.code(), Some(254));
    assert!(
        stderr_of(&out).contains(
            "An error occurred (InternalError) when calling the DescribeVpcs operation (reached max retries: 1): try later"
        ),
        "{}",
        stderr_of(&out)
    );
}
