//! `ssm start-session` next to the Python CLI (its session-manager hand-off is the same in v1 and
//! v2): a small in-test server answers StartSession and TerminateSession (moto serves neither), and a
//! stand-in `session-manager-plugin` on `PATH` records the arguments and environment it gets.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, stderr_of, stdout_of};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// Answers StartSession and TerminateSession; records each operation name with its body.
fn ssm_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let (mut target, mut len) = (String::new(), 0);
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
                if let Some(v) = lower.strip_prefix("x-amz-target:") {
                    target = v.trim().to_string();
                }
            }
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            log.lock().unwrap().push(format!("{target} {}", String::from_utf8_lossy(&body)));
            let text = if target.ends_with("startsession") {
                r#"{"SessionId": "s-0123", "TokenValue": "tok", "StreamUrl": "wss://ssmmessages.example/v1/data-channel/s-0123"}"#
            } else {
                r#"{"SessionId": "s-0123"}"#
            };
            let resp = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
            let _ = stream.write_all(resp.as_bytes());
        }
    });
    (url, seen)
}

/// A folder holding a stand-in plugin reporting `version`, recording its arguments to `$RECORD`.
fn plugin(version: &str, exit_code: i32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("session-manager-plugin");
    std::fs::write(
        &p,
        format!(
            "#!/bin/sh\nif [ \"$1\" = --version ]; then echo {version}; exit 0; fi\n\
             for a in \"$@\"; do echo \"arg: $a\" >> \"$RECORD\"; done\n\
             echo \"env: $AWS_SSM_START_SESSION_RESPONSE\" >> \"$RECORD\"\nexit {exit_code}\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

fn sandbox(url: &str, bin: &std::path::Path) -> Sandbox {
    let mut sb = Sandbox::new();
    // Compared with the Python CLI v1, whose errors are in what v2 calls the legacy format.
    sb.set_env("AWS_CLI_ERROR_FORMAT", "legacy");
    let record = sb.home().join("record.txt");
    sb.set_env("AWS_ACCESS_KEY_ID", "testing")
        .set_env("AWS_SECRET_ACCESS_KEY", "testing")
        .set_env("AWS_DEFAULT_REGION", "eu-west-1")
        .set_env("AWS_ENDPOINT_URL", url)
        .set_env("PATH", &format!("{}:/usr/bin:/bin", bin.display()))
        .set_env("RECORD", record.to_str().unwrap());
    sb
}

fn record(sb: &Sandbox) -> String {
    std::fs::read_to_string(sb.home().join("record.txt")).unwrap_or_default()
}

const ARGS: [&str; 8] = [
    "ssm",
    "start-session",
    "--target",
    "i-0123456789abcdef0",
    "--parameters",
    "portNumber=80,localPortNumber=8080",
    "--document-name",
    "AWS-StartPortForwardingSession",
];

#[test]
fn start_session_hands_the_plugin_what_the_cli_hands_it() {
    let (url, _) = ssm_server();
    for version in ["1.2.707.0", "1.2.497.0"] {
        let bin = plugin(version, 0);
        let (n, a) = (sandbox(&url, bin.path()), sandbox(&url, bin.path()));
        let ao = a.aws().args(ARGS).args(["--profile", "p"]).output().unwrap();
        let no = n.nubo().args(ARGS).args(["--profile", "p"]).output().unwrap();
        // The profile does not exist: both CLIs refuse before calling anything.
        assert_eq!(ao.status.code(), Some(255), "v1 exits 255 here: {}", stderr_of(&ao));
        assert_eq!(no.status.code(), Some(253), "{}", stderr_of(&no));
        for sb in [&n, &a] {
            sb.write("config", "[profile p]\nregion = eu-west-1\naws_access_key_id = testing\naws_secret_access_key = testing\n");
        }
        let ao = a.aws().args(ARGS).args(["--profile", "p"]).output().unwrap();
        assert_eq!(ao.status.code(), Some(0), "aws: {}", stderr_of(&ao));
        let no = n.nubo().args(ARGS).args(["--profile", "p"]).output().unwrap();
        assert_eq!(no.status.code(), Some(0), "nubo: {}", stderr_of(&no));
        assert_eq!(stdout_of(&no), stdout_of(&ao));
        assert_eq!(record(&n), record(&a), "plugin {version}");
        let got = record(&n);
        if version == "1.2.707.0" {
            assert!(got.starts_with("arg: AWS_SSM_START_SESSION_RESPONSE\n"), "{got}");
            assert!(got.ends_with("env: {\"SessionId\": \"s-0123\", \"TokenValue\": \"tok\", \"StreamUrl\": \"wss://ssmmessages.example/v1/data-channel/s-0123\"}\n"), "{got}");
        } else {
            assert!(got.starts_with("arg: {\"SessionId\": \"s-0123\""), "{got}");
        }
        assert!(got.contains(&format!(
            "arg: eu-west-1\narg: StartSession\narg: p\narg: {{\"Target\": \"i-0123456789abcdef0\", \"DocumentName\": \"AWS-StartPortForwardingSession\", \"Parameters\": {{\"portNumber\": [\"80\"], \"localPortNumber\": [\"8080\"]}}}}\narg: {url}\n"
        )), "{got}");
    }
}

#[test]
fn start_session_without_the_plugin_terminates_the_session() {
    let (url, seen) = ssm_server();
    let empty = tempfile::tempdir().unwrap();
    let (n, a) = (sandbox(&url, empty.path()), sandbox(&url, empty.path()));
    let ao = a.aws().args(ARGS).output().unwrap();
    assert_eq!(ao.status.code(), Some(255));
    let no = n.nubo().args(ARGS).output().unwrap();
    assert_eq!(no.status.code(), Some(255));
    assert_eq!(stderr_of(&no), stderr_of(&ao));
    assert_eq!(
        stderr_of(&no),
        "\nSessionManagerPlugin is not found. Please refer to SessionManager Documentation here: http://docs.aws.amazon.com/console/systems-manager/session-manager-plugin-not-found\n"
    );
    let seen = seen.lock().unwrap().clone();
    let terminates: Vec<&String> =
        seen.iter().filter(|l| l.starts_with("amazonssm.terminatesession")).collect();
    assert_eq!(terminates.len(), 2, "{seen:?}");
    assert!(
        terminates[1].contains("\"SessionId\":\"s-0123\"")
            || terminates[1].contains("\"SessionId\": \"s-0123\"")
    );

    // A plugin that fails: exit 255 with the command named; a missing --target is a usage error.
    let bin = plugin("1.2.707.0", 3);
    let sb = sandbox(&url, bin.path());
    let o = sb.nubo().args(ARGS).output().unwrap();
    assert_eq!(o.status.code(), Some(255));
    assert!(
        stderr_of(&o).contains("'session-manager-plugin', 'AWS_SSM_START_SESSION_RESPONSE', 'eu-west-1'"),
        "{}",
        stderr_of(&o)
    );
    assert!(stderr_of(&o).trim_end().ends_with("returned non-zero exit status 3."), "{}", stderr_of(&o));
    let o = sb.nubo().args(["ssm", "start-session"]).output().unwrap();
    assert_eq!(o.status.code(), Some(252));
    assert!(stderr_of(&o).contains("--target"), "{}", stderr_of(&o));
}
