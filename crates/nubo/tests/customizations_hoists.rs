//! Added options that fill a structure argument (`deploy --s3-location/--github-location`,
//! `configservice put-configuration-recorder --recording-group`, `ses send-email` shortcuts, `lambda
//! --zip-file`): the request body nubo sends equals the Python CLI's, both sent to a small in-test
//! server that records them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, stderr_of};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// Records each request body; answers `{}` to JSON requests and an empty result to query ones.
fn recorder() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut len = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            let body = String::from_utf8_lossy(&body).into_owned();
            let text = match body.split('&').find_map(|p| p.strip_prefix("Action=")) {
                Some(action) => format!(
                    "<{action}Response><{action}Result><MessageId>m</MessageId></{action}Result></{action}Response>"
                ),
                None => "{}".to_string(),
            };
            log.lock().unwrap().push(body);
            let resp = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
            let _ = stream.write_all(resp.as_bytes());
        }
    });
    (url, seen)
}

/// The body each CLI sends for `args` (both must exit 0).
fn bodies(args: &[&str]) -> (String, String) {
    let (url, seen) = recorder();
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "testing")
        .set_env("AWS_SECRET_ACCESS_KEY", "testing")
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("AWS_ENDPOINT_URL", &url);
    let mut out = Vec::new();
    for cli in ["aws", "nubo"] {
        let mut c = if cli == "aws" { sb.aws() } else { sb.nubo() };
        let o = c.args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{cli} {args:?}: {}", stderr_of(&o));
        out.push(seen.lock().unwrap().pop().unwrap());
    }
    (out[0].clone(), out[1].clone())
}

fn same_json((a, n): (String, String)) -> Value {
    let (va, vn): (Value, Value) = (serde_json::from_str(&a).unwrap(), serde_json::from_str(&n).unwrap());
    assert_eq!(vn, va);
    vn
}

fn same_query((a, n): (String, String)) {
    let sorted = |s: &str| {
        // `+` and `%20` are the same space in a form body (botocore writes `%20`).
        let mut v: Vec<String> = s.split('&').map(|p| p.replace('+', "%20")).collect();
        v.sort();
        v
    };
    assert_eq!(sorted(&n), sorted(&a));
}

#[test]
fn deploy_locations_become_the_revision() {
    let v = same_json(bodies(&[
        "deploy",
        "register-application-revision",
        "--application-name",
        "app",
        "--s3-location",
        "bucket=b,key=k/app.zip,bundleType=zip,eTag=e1",
    ]));
    assert_eq!(v["revision"]["s3Location"]["eTag"], "e1");
    same_json(bodies(&[
        "deploy",
        "create-deployment",
        "--application-name",
        "app",
        "--github-location",
        r#"{"repository": "o/r", "commitId": "abc"}"#,
    ]));
}

#[test]
fn recording_group_joins_the_configuration_recorder() {
    let v = same_json(bodies(&[
        "configservice",
        "put-configuration-recorder",
        "--configuration-recorder",
        "name=default,roleARN=arn:aws:iam::123456789012:role/r",
        "--recording-group",
        r#"{"allSupported": false, "includeGlobalResourceTypes": false, "resourceTypes": ["AWS::EC2::Instance"]}"#,
    ]));
    assert_eq!(v["ConfigurationRecorder"]["recordingGroup"]["resourceTypes"][0], "AWS::EC2::Instance");
    same_json(bodies(&[
        "configservice",
        "put-configuration-recorder",
        "--configuration-recorder",
        r#"{"name": "default", "roleARN": "arn:aws:iam::123456789012:role/r"}"#,
        "--recording-group",
        "allSupported=true,includeGlobalResourceTypes=true",
    ]));
}

#[test]
fn send_email_shortcuts_build_destination_and_message() {
    same_query(bodies(&[
        "ses",
        "send-email",
        "--from",
        "a@example.com",
        "--to",
        "b@example.com",
        "c@example.com",
        "--cc",
        "d@example.com",
        "--subject",
        "Hello",
        "--text",
        "Plain body",
        "--html",
        "<p>body</p>",
    ]));
}

#[test]
fn lambda_zip_file_goes_into_the_code() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("code.zip");
    let mut bytes = b"PK\x05\x06".to_vec();
    bytes.extend([0u8; 18]);
    std::fs::write(&zip, bytes).unwrap();
    let arg = format!("fileb://{}", zip.display());
    let v = same_json(bodies(&[
        "lambda",
        "create-function",
        "--function-name",
        "f",
        "--runtime",
        "python3.12",
        "--role",
        "arn:aws:iam::123456789012:role/r",
        "--handler",
        "h.h",
        "--zip-file",
        &arg,
    ]));
    assert_eq!(v["Code"]["ZipFile"], "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==");
    same_json(bodies(&["lambda", "update-function-code", "--function-name", "f", "--zip-file", &arg]));
}
