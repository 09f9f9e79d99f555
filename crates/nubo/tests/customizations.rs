//! The commands the AWS CLI adds on top of the models: `ecr get-login-password`,
//! `ecr-public get-login-password`, `rds generate-db-auth-token`, the `dsql` token commands, … .
//! Each runs against moto (or a small in-test server where moto lacks the service) next to the Python
//! CLI on the same endpoint where it has the same command; both exit codes are checked before the
//! outputs are compared. Offline tokens are compared byte for byte with botocore's at a pinned clock.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, moto_url, stderr_of, stdout_of};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;

const TIME: &str = "20250101T000000Z";
const KEY_ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// The Python of the virtual environment that holds the Python AWS CLI (and botocore).
fn python() -> PathBuf {
    let aws = std::env::var("NUBO_TEST_AWS_CLI")
        .expect("NUBO_TEST_AWS_CLI is not set: run the tests through scripts/test");
    PathBuf::from(aws).with_file_name("python")
}

/// A sandbox with the example keys, the pinned clock and a region.
fn sandbox(region: &str) -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", KEY_ID)
        .set_env("AWS_SECRET_ACCESS_KEY", SECRET)
        .set_env("AWS_DEFAULT_REGION", region)
        .set_env("NUBO_SIGNING_TIME", TIME);
    sb
}

/// A sandbox pointed at moto, with test keys.
fn moto(region: &str) -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "testing")
        .set_env("AWS_SECRET_ACCESS_KEY", "testing")
        .set_env("AWS_DEFAULT_REGION", region)
        .set_env("AWS_ENDPOINT_URL", &moto_url());
    sb
}

/// Runs nubo and the Python CLI with `args`; both must succeed; returns (nubo, aws) standard outputs.
fn both(sb: &Sandbox, args: &[&str]) -> (String, String) {
    let n = sb.nubo().args(args).output().unwrap();
    let a = sb.aws().args(args).output().unwrap();
    assert_eq!(a.status.code(), Some(0), "aws {args:?}: {}", stderr_of(&a));
    assert_eq!(n.status.code(), Some(0), "nubo {args:?}: {}", stderr_of(&n));
    (stdout_of(&n), stdout_of(&a))
}

/// Runs nubo; returns (exit code, stdout, stderr).
fn nubo(sb: &Sandbox, args: &[&str]) -> (i32, String, String) {
    let o = sb.nubo().args(args).output().unwrap();
    (o.status.code().unwrap_or(-1), stdout_of(&o), stderr_of(&o))
}

// ---- ecr, ecr-public ----

#[test]
fn ecr_get_login_password_matches_the_cli_on_moto() {
    let sb = moto("us-west-2");
    let (n, a) = both(&sb, &["ecr", "get-login-password"]);
    assert!(!n.trim().is_empty());
    assert_eq!(n, a);
}

#[test]
fn ecr_get_login_password_takes_no_options() {
    let sb = moto("us-west-2");
    let (code, _, err) = nubo(&sb, &["ecr", "get-login-password", "--registry-ids", "1"]);
    assert_eq!(code, 252, "{err}");
    assert!(err.contains("Unknown options: --registry-ids, 1"), "{err}");
}

#[test]
fn ecr_get_login_is_removed_as_in_v2() {
    let sb = moto("us-west-2");
    let (code, out, err) = nubo(&sb, &["ecr", "get-login", "--no-include-email"]);
    assert_eq!(code, 252, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("argument operation: Invalid choice: 'get-login'"), "{err}");
    assert!(err.contains("get-login-password | docker login --username AWS --password-stdin"), "{err}");
}

/// Reads one HTTP request (head and body) from `stream`.
fn read_request(stream: &std::net::TcpStream) -> (String, String) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = String::new();
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
        head.push_str(&line);
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    (head, String::from_utf8_lossy(&body).into_owned())
}

/// A server answering every request with `status` and the JSON `body`; the request heads it saw are
/// sent back through the returned channel.
fn json_server(status: &'static str, body: Value) -> (String, std::sync::mpsc::Receiver<(String, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let req = read_request(&stream);
            let _ = tx.send(req);
            let text = body.to_string();
            let resp = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
            let _ = stream.write_all(resp.as_bytes());
        }
    });
    (url, rx)
}

#[test]
fn ecr_public_get_login_password_calls_us_east_1() {
    // moto does not serve ECR Public: a stand-in answers with a token.
    let (url, seen) = json_server(
        "200 OK",
        json!({"authorizationData": {"authorizationToken": "QVdTOnB1YmxpYy1zZWNyZXQ=", "expiresAt": 1.7e9}}),
    );
    let mut sb = sandbox("eu-west-1");
    sb.set_env("AWS_ENDPOINT_URL", &url);
    let (n, a) = both(&sb, &["ecr-public", "get-login-password", "--region", "us-east-1"]);
    assert_eq!(n, "public-secret\n");
    assert_eq!(n, a);
    let (head, body) = seen.recv().unwrap();
    assert!(
        head.contains("x-amz-target: SpencerFrontendService.GetAuthorizationToken")
            || head
                .to_ascii_lowercase()
                .contains("x-amz-target: spencerfrontendservice.getauthorizationtoken"),
        "{head}"
    );
    assert_eq!(body, "{}");
    let _ = seen.recv().unwrap(); // the Python CLI's request
    // Without --region, nubo still goes to us-east-1, the only region ECR Public's API is in.
    let (code, out, err) = nubo(&sb, &["ecr-public", "get-login-password"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "public-secret\n");
    let (head, _) = seen.recv().unwrap();
    assert!(head.contains("/20250101/us-east-1/ecr-public/aws4_request"), "{head}");
}

#[test]
fn ecr_service_errors_exit_254() {
    let (url, _seen) =
        json_server("400 Bad Request", json!({"__type": "InvalidParameterException", "message": "nope"}));
    let mut sb = sandbox("us-east-1");
    sb.set_env("AWS_ENDPOINT_URL", &url).set_env("AWS_MAX_ATTEMPTS", "1");
    let (code, out, err) = nubo(&sb, &["ecr", "get-login-password"]);
    assert_eq!(code, 254, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("An error occurred (InvalidParameterException) when calling the GetAuthorizationToken operation: nope"),
        "{err}"
    );
}

// ---- rds, dsql: offline tokens ----

/// Makes a token with botocore at the pinned clock: `spec` names the service (`rds`, `dsql`), the
/// client's region, the host and the rest of the method's arguments.
const BOTOCORE_TOKEN: &str = r#"
import sys, json, datetime
from unittest import mock
import botocore.session
spec = json.loads(sys.argv[1])
now = datetime.datetime.strptime(spec["time"], "%Y%m%dT%H%M%SZ")
client = botocore.session.get_session().create_client(
    spec["service"], region_name=spec["client_region"], aws_access_key_id=spec["key_id"],
    aws_secret_access_key=spec["secret"], aws_session_token=spec.get("token"))
with mock.patch("botocore.auth.get_current_datetime", return_value=now):
    if spec["service"] == "rds":
        print(client.generate_db_auth_token(spec["host"], spec["port"], spec["user"]))
    elif spec["admin"]:
        print(client.generate_db_connect_admin_auth_token(spec["host"], None, spec.get("expires", 900)))
    else:
        print(client.generate_db_connect_auth_token(spec["host"], None, spec.get("expires", 900)))
"#;

fn botocore_token(mut spec: Value) -> String {
    spec["time"] = json!(TIME);
    spec["key_id"] = json!(KEY_ID);
    spec["secret"] = json!(SECRET);
    let out = std::process::Command::new(python())
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .args(["-c", BOTOCORE_TOKEN, &spec.to_string()])
        .output()
        .expect("run python");
    assert!(out.status.success(), "botocore failed for {spec}: {}", stderr_of(&out));
    stdout_of(&out)
}

#[test]
fn rds_generate_db_auth_token_equals_botocores() {
    let sb = sandbox("us-east-1");
    let (code, out, err) = nubo(
        &sb,
        &[
            "rds",
            "generate-db-auth-token",
            "--hostname",
            "db.example.com",
            "--port",
            "5432",
            "--username",
            "app user@x",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let want = botocore_token(
        json!({"service": "rds", "client_region": "us-east-1", "host": "db.example.com", "port": 5432, "user": "app user@x"}),
    );
    assert_eq!(out, want);
    assert!(
        out.starts_with("db.example.com:5432/?Action=connect&DBUser=app%20user%40x&X-Amz-Algorithm="),
        "{out}"
    );
}

#[test]
fn rds_token_in_another_region_with_a_session_token() {
    let mut sb = sandbox("us-east-1");
    sb.set_env("AWS_SESSION_TOKEN", "session/token+=");
    let (code, out, err) = nubo(
        &sb,
        &[
            "rds",
            "generate-db-auth-token",
            "--hostname=mydb.abc.eu-west-1.rds.amazonaws.com",
            "--port=03306",
            "--username",
            "admin",
            "--region",
            "eu-west-1",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let want =
        botocore_token(json!({"service": "rds", "client_region": "eu-west-1", "token": "session/token+=",
        "host": "mydb.abc.eu-west-1.rds.amazonaws.com", "port": 3306, "user": "admin"}));
    assert_eq!(out, want);
}

#[test]
fn rds_token_usage_errors() {
    let sb = sandbox("us-east-1");
    let (code, _, err) = nubo(&sb, &["rds", "generate-db-auth-token", "--hostname", "h"]);
    assert_eq!(code, 252);
    assert!(err.contains("the following arguments are required: --port, --username"), "{err}");
    let (code, _, err) =
        nubo(&sb, &["rds", "generate-db-auth-token", "--hostname", "h", "--port", "x", "--username", "u"]);
    assert_eq!(code, 252);
    assert!(err.contains("argument --port: invalid int value: 'x'"), "{err}");
    let (code, _, err) = nubo(&sb, &["rds", "generate-db-auth-token", "--hostname"]);
    assert_eq!(code, 252);
    assert!(err.contains("argument --hostname: expected one argument"), "{err}");
}

#[test]
fn rds_token_without_credentials_exits_253() {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_DEFAULT_REGION", "us-east-1");
    let (code, out, err) =
        nubo(&sb, &["rds", "generate-db-auth-token", "--hostname", "h", "--port", "1", "--username", "u"]);
    assert_eq!(code, 253, "{err}");
    assert!(out.is_empty());
}

#[test]
fn dsql_tokens_equal_botocores() {
    let sb = sandbox("us-east-2");
    let host = "abcdefghijklmnopqrst.dsql.us-east-2.on.aws";
    for (cmd, admin) in
        [("generate-db-connect-auth-token", false), ("generate-db-connect-admin-auth-token", true)]
    {
        let (code, out, err) = nubo(&sb, &["dsql", cmd, "--hostname", host]);
        assert_eq!(code, 0, "{err}");
        let want = botocore_token(
            json!({"service": "dsql", "client_region": "us-east-2", "host": host, "admin": admin}),
        );
        assert_eq!(out, want, "{cmd}");
        let (code, out, err) = nubo(&sb, &["dsql", cmd, "--hostname", host, "--expires-in", "3600"]);
        assert_eq!(code, 0, "{err}");
        let want = botocore_token(
            json!({"service": "dsql", "client_region": "us-east-2", "host": host, "admin": admin, "expires": 3600}),
        );
        assert_eq!(out, want, "{cmd} --expires-in");
    }
    assert!(nubo(&sb, &["dsql", "generate-db-connect-auth-token"]).2.contains("required: --hostname"));
    let (code, _, err) =
        nubo(&sb, &["dsql", "generate-db-connect-auth-token", "--hostname", host, "--expires-in", "0"]);
    assert_eq!(code, 252, "{err}");
}

// ---- eks update-kubeconfig ----

/// Creates the EKS cluster `name` on moto (idempotent across tests sharing the server).
fn eks_cluster(sb: &Sandbox, name: &str) {
    let out = sb
        .nubo()
        .args(["eks", "create-cluster", "--name", name, "--role-arn", "arn:aws:iam::123456789012:role/eks"])
        .args(["--resources-vpc-config", "subnetIds=subnet-1"])
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert!(out.status.success() || err.contains("ResourceInUseException"), "{err}");
}

/// Runs `eks update-kubeconfig` with both CLIs, each writing its own file in `dir` (`aws.yaml`,
/// `nubo.yaml`, each seeded with `seed` when given); both must succeed. Returns the two files (the
/// Python CLI's with its exec command renamed to the one nubo writes) and the two standard outputs
/// (paths replaced by `PATH`).
fn kubeconfigs(sb: &Sandbox, args: &[&str], seed: Option<&str>) -> ((String, String), (String, String)) {
    let dir = sb.home().join("kube");
    std::fs::create_dir_all(&dir).unwrap();
    let (pa, pn) = (dir.join("aws.yaml"), dir.join("nubo.yaml"));
    if let Some(s) = seed {
        std::fs::write(&pa, s).unwrap();
        std::fs::write(&pn, s).unwrap();
    }
    let n = sb
        .nubo()
        .args(["eks", "update-kubeconfig"])
        .args(args)
        .arg("--kubeconfig")
        .arg(&pn)
        .output()
        .unwrap();
    let a =
        sb.aws().args(["eks", "update-kubeconfig"]).args(args).arg("--kubeconfig").arg(&pa).output().unwrap();
    assert_eq!(a.status.code(), Some(0), "aws: {}", stderr_of(&a));
    assert_eq!(n.status.code(), Some(0), "nubo: {}", stderr_of(&n));
    let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap_or_default();
    let files = (read(&pn), read(&pa).replace("command: aws\n", "command: nubo\n"));
    let outs = (
        stdout_of(&n).replace(&pn.display().to_string(), "PATH"),
        stdout_of(&a).replace(&pa.display().to_string(), "PATH").replace("command: aws\n", "command: nubo\n"),
    );
    (files, outs)
}

#[test]
fn eks_update_kubeconfig_writes_what_the_cli_writes() {
    let sb = moto("us-west-2");
    eks_cluster(&sb, "kc-one");
    let ((n, a), (on, oa)) = kubeconfigs(&sb, &["--name", "kc-one"], None);
    assert_eq!(n, a);
    assert!(n.contains("command: nubo\n"), "{n}");
    assert!(n.contains("- get-token\n      - --cluster-name\n      - kc-one\n"), "{n}");
    assert_eq!(on, oa);
    assert_eq!(on, "Added new context arn:aws:eks:us-west-2:123456789012:cluster/kc-one to PATH\n");
    // Again: the same entries are updated in place.
    let ((n2, a2), (on, oa)) = kubeconfigs(&sb, &["--name", "kc-one"], None);
    assert_eq!(n2, a2);
    assert_eq!(n2, n);
    assert_eq!(on, oa);
    assert!(on.starts_with("Updated context "), "{on}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(sb.home().join("kube/nubo.yaml")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn eks_update_kubeconfig_merges_into_an_existing_file() {
    let sb = moto("us-west-2");
    eks_cluster(&sb, "kc-merge");
    let seed = "apiVersion: v1\nclusters:\n- cluster:\n    server: https://other.example.com\n  name: other\ncontexts:\n- context:\n    cluster: other\n    user: someone\n  name: other\ncurrent-context: other\nkind: Config\npreferences: {}\nusers:\n- name: someone\n  user:\n    token: abc\n";
    let ((n, a), (on, oa)) = kubeconfigs(
        &sb,
        &[
            "--name",
            "kc-merge",
            "--alias",
            "dev",
            "--user-alias",
            "dev-user",
            "--role-arn",
            "arn:aws:iam::123456789012:role/k8s",
            "--verbose",
        ],
        Some(seed),
    );
    assert_eq!(n, a);
    assert!(n.contains("name: other\n") && n.contains("current-context: dev\n"), "{n}");
    assert!(n.contains("- --role\n      - arn:aws:iam::123456789012:role/k8s\n"), "{n}");
    assert_eq!(on, oa);
    assert!(on.contains("Entries:\n\n"), "{on}");
}

#[test]
fn eks_update_kubeconfig_dry_run_profile_and_kubeconfig_variable() {
    let mut sb = moto("us-west-2");
    eks_cluster(&sb, "kc-dry");
    sb.write("config", "[profile dev]\nregion = us-west-2\n");
    sb.set_env("AWS_PROFILE", "dev");
    let (n, a) = both(&sb, &["eks", "update-kubeconfig", "--name", "kc-dry", "--dry-run"]);
    assert_eq!(n, a.replace("command: aws\n", "command: nubo\n"));
    assert!(n.contains("env:\n      - name: AWS_PROFILE\n        value: dev\n"), "{n}");
    assert!(!sb.home().join(".kube/config").exists());
    // KUBECONFIG: the first file, when none holds the cluster.
    let first = sb.home().join("k1");
    let second = sb.home().join("k2");
    let list = format!("{}:{}", first.display(), second.display());
    let mut sb2 = moto("us-west-2");
    sb2.set_env("KUBECONFIG", &list);
    let (code, out, err) = nubo(&sb2, &["eks", "update-kubeconfig", "--name", "kc-dry"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with(&format!(" to {}\n", first.display())), "{out}");
    assert!(first.exists() && !second.exists());
}

#[test]
fn eks_update_kubeconfig_errors() {
    let sb = moto("us-west-2");
    let (code, _, err) = nubo(&sb, &["eks", "update-kubeconfig"]);
    assert_eq!(code, 252);
    assert!(err.contains("the following arguments are required: --name"), "{err}");
    let (code, _, err) = nubo(&sb, &["eks", "update-kubeconfig", "--name", "no-such-cluster", "--dry-run"]);
    assert_eq!(code, 254, "{err}");
    assert!(err.contains("when calling the DescribeCluster operation"), "{err}");
}

// ---- logs tail ----

/// Millisecond epoch time now.
fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

/// Creates `group` with streams `a` and `b` on moto and puts `events` (stream, ms, message).
fn log_group(sb: &Sandbox, group: &str, events: &[(&str, i64, &str)]) {
    let run = |args: &[&str]| {
        let o = sb.nubo().args(args).output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr_of(&o));
    };
    run(&["logs", "create-log-group", "--log-group-name", group]);
    for s in ["a", "b"] {
        run(&["logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", s]);
        let evs: Vec<Value> =
            events.iter().filter(|e| e.0 == s).map(|e| json!({"timestamp": e.1, "message": e.2})).collect();
        if !evs.is_empty() {
            let evs = Value::Array(evs).to_string();
            run(&[
                "logs",
                "put-log-events",
                "--log-group-name",
                group,
                "--log-stream-name",
                s,
                "--log-events",
                &evs,
            ]);
        }
    }
}

/// What Python's `datetime.isoformat()` prints for a millisecond time in UTC (`micros`: always the
/// fraction), computed by Python itself.
fn py_times(ms: &[i64]) -> Vec<(String, String, String)> {
    let script = "import sys, datetime\nfor a in sys.argv[1:]:\n    t = datetime.datetime.fromtimestamp(int(a) / 1000.0, datetime.timezone.utc)\n    print(t.isoformat(timespec='microseconds'), t.isoformat(), t.strftime('%Y-%m-%dT%H:%M:%S'))";
    let out = std::process::Command::new(python())
        .arg("-c")
        .arg(script)
        .args(ms.iter().map(|m| m.to_string()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    stdout_of(&out)
        .lines()
        .map(|l| {
            let p: Vec<&str> = l.split(' ').collect();
            (p[0].to_string(), p[1].to_string(), p[2].to_string())
        })
        .collect()
}

#[test]
fn logs_tail_formats() {
    let sb = moto("eu-central-1");
    let t = now_ms() - 60_000;
    let (t1, t2) = (t - 120_000 + 5, t);
    log_group(
        &sb,
        "/tail/formats",
        &[("a", t1, "first line  \n"), ("b", t2, r#"{"k": "v", "n": [1, 2.5]}"#)],
    );
    let tm = py_times(&[t1, t2]);
    let (code, out, err) = nubo(&sb, &["logs", "tail", "/tail/formats"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("{} a first line\n{} b {{\"k\": \"v\", \"n\": [1, 2.5]}}\n", tm[0].0, tm[1].0));
    let (_, out, _) = nubo(&sb, &["logs", "tail", "/tail/formats", "--format", "short"]);
    assert_eq!(out, format!("{} first line\n{} {{\"k\": \"v\", \"n\": [1, 2.5]}}\n", tm[0].2, tm[1].2));
    let (_, out, _) = nubo(&sb, &["logs", "tail", "/tail/formats", "--format=json"]);
    assert_eq!(
        out,
        format!(
            "{} a first line\n{} b \n{{\n    \"k\": \"v\",\n    \"n\": [\n        1,\n        2.5\n    ]\n}}\n",
            tm[0].1, tm[1].1
        )
    );
    // --since: only the newer event is within the last two minutes; the older one within 3m.
    let (_, out, _) = nubo(&sb, &["logs", "tail", "/tail/formats", "--since", "2m", "--format", "short"]);
    assert_eq!(out.lines().count(), 1, "{out}");
    let (_, out, _) =
        nubo(&sb, &["logs", "tail", "/tail/formats", "--since", "1d", "--log-stream-names", "a"]);
    assert_eq!(out, format!("{} a first line\n", tm[0].0));
    // (moto ignores logStreamNamePrefix in FilterLogEvents, so --log-stream-name-prefix is only
    // checked to be accepted.)
    let (code, _, err) = nubo(&sb, &["logs", "tail", "/tail/formats", "--log-stream-name-prefix", "b"]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) =
        nubo(&sb, &["logs", "tail", "/tail/formats", "--filter-pattern", "first", "--format", "short"]);
    assert_eq!(out, format!("{} first line\n", tm[0].2));
    // Colour only when asked for (or on a terminal).
    let (_, out, _) = nubo(
        &sb,
        &["--color", "on", "logs", "tail", "/tail/formats", "--format", "short", "--log-stream-names", "a"],
    );
    assert_eq!(out, format!("\x1b[32m{}\x1b[0m first line\n", tm[0].2));
}

#[test]
fn logs_tail_errors() {
    let sb = moto("eu-central-1");
    let (code, _, err) = nubo(&sb, &["logs", "tail"]);
    assert_eq!(code, 252);
    assert!(err.contains("the following arguments are required: group_name"), "{err}");
    let (code, _, err) = nubo(&sb, &["logs", "tail", "g", "--format", "xml"]);
    assert_eq!(code, 252);
    assert!(err.contains("argument --format: invalid choice: 'xml'"), "{err}");
    let (code, _, err) = nubo(&sb, &["logs", "tail", "g", "--since", "5h30m"]);
    assert_eq!(code, 252, "{err}");
    let (code, _, err) = nubo(&sb, &["logs", "tail", "/tail/no-such-group"]);
    assert_eq!(code, 254, "{err}");
    assert!(err.contains("when calling the FilterLogEvents operation"), "{err}");
}

#[test]
fn logs_tail_follow_shows_new_events_once() {
    let sb = moto("eu-central-1");
    let t = now_ms() - 1000;
    log_group(&sb, "/tail/follow", &[("a", t, "before")]);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_nubo"));
    cmd.env_clear().env("HOME", sb.home()).env("AWS_EC2_METADATA_DISABLED", "true");
    for (k, v) in &sb.env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .args(["logs", "tail", "/tail/follow", "--follow", "--format", "short"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.ends_with(" before"), "{first}");
    let evs = json!([{"timestamp": now_ms(), "message": "after"}]).to_string();
    let o = sb
        .nubo()
        .args([
            "logs",
            "put-log-events",
            "--log-group-name",
            "/tail/follow",
            "--log-stream-name",
            "b",
            "--log-events",
            &evs,
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr_of(&o));
    let second = lines.next().unwrap().unwrap();
    assert!(second.ends_with(" after"), "{second}");
    child.kill().unwrap();
    let _ = child.wait();
}

// ---- option shortcuts: cloudwatch put-metric-data, emr list-clusters, cloudfront create-invalidation ----

#[test]
fn put_metric_data_shortcuts_match_the_cli() {
    let sb = moto("us-east-1");
    for (cli, name) in [("nubo", "m-nubo"), ("aws", "m-aws")] {
        let args = [
            "cloudwatch",
            "put-metric-data",
            "--namespace",
            "shortcuts",
            "--metric-name",
            name,
            "--value",
            "1.5",
            "--unit",
            "Count",
            "--dimensions",
            "Host=a,Role=web",
            "--timestamp",
            "2025-01-01T00:00:00Z",
        ];
        let out =
            if cli == "nubo" { sb.nubo().args(args).output() } else { sb.aws().args(args).output() }.unwrap();
        assert_eq!(out.status.code(), Some(0), "{cli}: {}", stderr_of(&out));
    }
    let (n, _) = both(&sb, &["cloudwatch", "list-metrics", "--namespace", "shortcuts"]);
    let v: Value = serde_json::from_str(&n).unwrap();
    let metrics = v["Metrics"].as_array().unwrap();
    assert_eq!(metrics.len(), 2, "{n}");
    let dims = |name: &str| metrics.iter().find(|m| m["MetricName"] == name).map(|m| m["Dimensions"].clone());
    assert_eq!(dims("m-nubo"), dims("m-aws"));
    assert_eq!(
        dims("m-nubo").unwrap(),
        json!([{"Name": "Host", "Value": "a"}, {"Name": "Role", "Value": "web"}])
    );
    let (code, _, err) = nubo(
        &sb,
        &["cloudwatch", "put-metric-data", "--namespace", "x", "--metric-name", "m", "--metric-data", "[]"],
    );
    assert_eq!(code, 255, "{err}");
    assert!(
        err.contains("cannot be specified when one of the following keys are also specified: metric_data"),
        "{err}"
    );
}

#[test]
fn put_metric_data_request_body() {
    let sb = sandbox("us-east-1");
    let (code, out, err) = nubo(
        &sb,
        &[
            "--show-request",
            "cloudwatch",
            "put-metric-data",
            "--namespace",
            "ns",
            "--metric-name",
            "m",
            "--value",
            "2",
            "--statistic-values",
            "Sum=10,Minimum=1,Maximum=5,SampleCount=4",
            "--storage-resolution",
            "1",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let body: Value =
        serde_json::from_str(out.rsplit("\r\n\r\n").next().unwrap().rsplit("\n\n").next().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"Namespace": "ns", "MetricData": [{"MetricName": "m", "Value": 2, "StatisticValues":
            {"Sum": 10, "Minimum": 1, "Maximum": 5, "SampleCount": 4}, "StorageResolution": 1}]})
    );
}

#[test]
fn emr_list_clusters_state_filters() {
    let sb = moto("us-east-1");
    let (n, a) = both(&sb, &["emr", "list-clusters", "--active"]);
    assert_eq!(n, a);
    let (code, _, err) = nubo(&sb, &["emr", "list-clusters", "--active", "--failed"]);
    assert_eq!(code, 252);
    assert!(err.contains("You can specify only one of the cluster state filters"), "{err}");
    let sb = sandbox("us-east-1");
    let (code, out, err) = nubo(&sb, &["--show-request", "emr", "list-clusters", "--terminated"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.ends_with(r#"{"ClusterStates": ["TERMINATED"]}"#)
            || out.contains(r#""ClusterStates":["TERMINATED"]"#),
        "{out}"
    );
}

#[test]
fn cloudfront_create_invalidation_paths() {
    let sb = sandbox("us-east-1");
    let (code, out, err) = nubo(
        &sb,
        &[
            "--show-request",
            "cloudfront",
            "create-invalidation",
            "--distribution-id",
            "EDFDVBD6EXAMPLE",
            "--paths",
            "/index.html",
            "/img/*",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "<Paths><Quantity>2</Quantity><Items><Path>/index.html</Path><Path>/img/*</Path></Items></Paths>"
        ),
        "{out}"
    );
    assert!(out.contains("<CallerReference>cli-"), "{out}");
    let (code, _, err) = nubo(
        &sb,
        &[
            "cloudfront",
            "create-invalidation",
            "--distribution-id",
            "E",
            "--paths",
            "/a",
            "--invalidation-batch",
            "{}",
        ],
    );
    assert_eq!(code, 255, "{err}");
}
