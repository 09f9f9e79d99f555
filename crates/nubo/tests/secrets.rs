//! Secrets never leave nubo: every command family runs, with and without `--debug`, against one
//! fault server, with sentinel secrets in each place credentials come from (environment keys and
//! session token, a credentials file, a `credential_process`, an assumed role), and its standard output,
//! standard error (debug log, error and panic messages) and the cache files it leaves are scanned for
//! them, the command history's database among them. Credential caches exist only where they must and are readable by their owner alone. A
//! credentials file others can read draws one warning line.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::faults::{FaultServer, Reply, Req};
use common::{Sandbox, stderr_of, stdout_of};
use std::path::Path;

const ENV_SECRET: &str = "SentinelEnvSecretKey0000000000000000000001";
const ENV_TOKEN: &str = "SentinelEnvSessionToken00000000000000000002";
const FILE_SECRET: &str = "SentinelFileSecretKey000000000000000000003";
const FILE_TOKEN: &str = "SentinelFileSessionToken000000000000000004";
const PROCESS_SECRET: &str = "SentinelProcessSecretKey00000000000000005";
const PROCESS_TOKEN: &str = "SentinelProcessSessionToken000000000000006";
const ROLE_SECRET: &str = "SentinelRoleSecretKey000000000000000000007";
const ROLE_TOKEN: &str = "SentinelRoleSessionToken000000000000000008";

fn expiration() -> String {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 + 3600;
    let d = common::faults::amz_date(secs);
    format!("{}-{}-{}T{}:{}:{}Z", &d[0..4], &d[4..6], &d[6..8], &d[9..11], &d[11..13], &d[13..15])
}

fn server() -> FaultServer {
    let exp = expiration();
    FaultServer::start(move |req: &Req, _| {
        let xml = |b: String| Reply::with(200, &[("content-type", "text/xml")], b);
        match (req.method.as_str(), req.operation().as_str(), req.path()) {
            (_, "ListTables", _) => Reply::with(200, &[], r#"{"TableNames":["t"]}"#),
            (_, "DescribeTable", _) => Reply::json_error(400, "ResourceNotFoundException", "Requested resource not found"),
            (_, "GetCallerIdentity", _) => xml("<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/u</Arn><UserId>U</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>".into()),
            (_, "AssumeRole", _) => xml(format!("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>AKIDROLE</AccessKeyId><SecretAccessKey>{ROLE_SECRET}</SecretAccessKey><SessionToken>{ROLE_TOKEN}</SessionToken><Expiration>{exp}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>A:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>")),
            (_, "DescribeCluster", _) => Reply::with(200, &[], r#"{"cluster":{"name":"c","arn":"arn:aws:eks:us-east-1:123456789012:cluster/c","endpoint":"https://k.example","certificateAuthority":{"data":"Q0E="},"status":"ACTIVE"}}"#),
            ("GET", _, "/") => Reply::with(200, &[("content-type", "application/xml")], "<ListAllMyBucketsResult><Buckets><Bucket><Name>b</Name><CreationDate>2020-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets><Owner><ID>o</ID></Owner></ListAllMyBucketsResult>"),
            ("GET", _, "/b") => Reply::with(200, &[("content-type", "application/xml")], "<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated><Contents><Key>k</Key><Size>2</Size><LastModified>2020-01-01T00:00:00.000Z</LastModified><ETag>\"e\"</ETag></Contents></ListBucketResult>"),
            ("HEAD", _, "/b/k") => Reply::with(200, &[("content-length-override", "2"), ("etag", "\"e\"")], Vec::new()),
            ("GET", _, "/b/k") => Reply::with(200, &[("etag", "\"e\"")], "hi"),
            ("PUT", _, _) => Reply::with(200, &[("etag", "\"e\"")], Vec::new()),
            _ => Reply::s3_error(403, "AccessDenied", "Access Denied"),
        }
    })
}

/// A place credentials come from: its name, the environment that selects it, the secrets it holds.
type Source = (&'static str, Vec<(String, String)>, Vec<&'static str>);

/// The places credentials come from.
fn sources(sb_dir: &Path, url: &str) -> Vec<Source> {
    let process = sb_dir.join("process.sh");
    std::fs::write(
        &process,
        format!("#!/bin/sh\necho '{{\"Version\":1,\"AccessKeyId\":\"AKIDPROCESS\",\"SecretAccessKey\":\"{PROCESS_SECRET}\",\"SessionToken\":\"{PROCESS_TOKEN}\"}}'\n"),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&process, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    vec![
        (
            "env",
            vec![
                ("AWS_ACCESS_KEY_ID".into(), "AKIDENV".into()),
                ("AWS_SECRET_ACCESS_KEY".into(), ENV_SECRET.into()),
                ("AWS_SESSION_TOKEN".into(), ENV_TOKEN.into()),
            ],
            vec![ENV_SECRET, ENV_TOKEN],
        ),
        ("file", vec![("AWS_PROFILE".into(), "file".into())], vec![FILE_SECRET, FILE_TOKEN]),
        ("process", vec![("AWS_PROFILE".into(), "process".into())], vec![PROCESS_SECRET, PROCESS_TOKEN]),
        (
            "role",
            vec![("AWS_PROFILE".into(), "role".into()), ("AWS_ENDPOINT_URL_STS".into(), url.into())],
            vec![FILE_SECRET, FILE_TOKEN, ROLE_SECRET, ROLE_TOKEN],
        ),
    ]
}

/// Every command family; `true` when the command shows the session token by design (a signed
/// request, a presigned URL, an EKS token), so only the secret keys are looked for.
fn commands(dir: &Path) -> Vec<(Vec<String>, bool)> {
    let file = dir.join("upload.txt");
    std::fs::write(&file, "data").unwrap();
    let dest = dir.join("download.txt");
    let raw = dir.join("request.txt");
    std::fs::write(&raw, "GET /b/k HTTP/1.1\nHost: example.com\n\n").unwrap();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        (s(&["dynamodb", "list-tables"]), false),
        (s(&["dynamodb", "describe-table", "--table-name", "t"]), false),
        (s(&["sts", "get-caller-identity"]), false),
        (s(&["s3api", "list-buckets"]), false),
        (s(&["s3api", "get-object", "--bucket", "b", "--key", "nope", dest.to_str().unwrap()]), false),
        (s(&["s3", "ls", "s3://b"]), false),
        (s(&["s3", "cp", "s3://b/k", dest.to_str().unwrap()]), false),
        (s(&["s3", "cp", file.to_str().unwrap(), "s3://b/up"]), false),
        (s(&["s3", "sync", dir.to_str().unwrap(), "s3://b/sync", "--dryrun"]), false),
        (s(&["dynamodb", "wait", "table-exists", "--table-name", "t"]), false),
        (s(&["configure", "list"]), false),
        (s(&["configure", "dump"]), false),
        (s(&["configure", "explain"]), false),
        (
            s(&[
                "eks",
                "update-kubeconfig",
                "--name",
                "c",
                "--kubeconfig",
                dir.join("kube").to_str().unwrap(),
            ]),
            false,
        ),
        (s(&["--show-request", "sts", "get-caller-identity"]), true),
        (s(&["s3", "presign", "s3://b/k"]), true),
        (s(&["eks", "get-token", "--cluster-name", "c"]), true),
        (s(&["sign", "--service", "s3", "--region", "us-east-1"]), true),
        (s(&["nosuchservice", "x"]), false),
    ]
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn no_command_prints_or_leaks_a_secret() {
    let server = server();
    let work = tempfile::tempdir().unwrap();
    let mut checked = 0usize;
    let mut pairs = 0usize;
    for (name, env, secrets) in sources(work.path(), &server.url()) {
        let mut sb = Sandbox::new();
        sb.write(
            "config",
            &format!(
                "[default]\nregion = us-east-1\ncli_history = enabled\n[profile file]\nregion = us-east-1\ncli_history = enabled\n[profile process]\nregion = us-east-1\ncli_history = enabled\ncredential_process = {}\n[profile role]\nregion = us-east-1\ncli_history = enabled\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = file\n",
                work.path().join("process.sh").display()
            ),
        );
        sb.write(
            "credentials",
            &format!("[file]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {FILE_SECRET}\naws_session_token = {FILE_TOKEN}\n"),
        );
        sb.set_env("AWS_DEFAULT_REGION", "us-east-1").set_env("NUBO_WAITER_DELAY", "0");
        for (k, v) in &env {
            sb.set_env(k, v);
        }
        let dir = tempfile::tempdir().unwrap();
        for (args, shows_token) in commands(dir.path()) {
            for debug in [false, true] {
                let mut cmd = sb.nubo();
                cmd.env("AWS_ENDPOINT_URL", server.url());
                if debug {
                    cmd.arg("--debug");
                }
                cmd.args(&args);
                if args[0] == "sign" {
                    cmd.write_stdin("GET /b/k HTTP/1.1\nHost: example.com\n\n");
                }
                let out = cmd.output().unwrap();
                let text = format!("{}\n{}", stdout_of(&out), stderr_of(&out));
                assert!(!text.contains("panicked"), "{name} {args:?}: {text}");
                for secret in &secrets {
                    if shows_token && secret.contains("Token") {
                        continue;
                    }
                    assert!(
                        !text.contains(secret),
                        "{name} {args:?} (debug {debug}) printed {secret}:\n{text}"
                    );
                    pairs += 1;
                }
                checked += 1;
            }
        }
        // The files commands left: only credential caches may hold secrets, and those are 0600.
        let mut files = Vec::new();
        files_under(&sb.aws_dir(), &mut files);
        // The command history (enabled in every profile above) is among them.
        assert!(files.iter().any(|f| f.ends_with("cli/history/history.db")), "{name}: no history database");
        files_under(&sb.home().join(".kube"), &mut files);
        files_under(dir.path(), &mut files);
        for f in files {
            let rel = f.strip_prefix(sb.home()).unwrap_or(&f).to_string_lossy().into_owned();
            if rel == ".aws/credentials" || f.ends_with("process.sh") {
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
            let holds = secrets.iter().any(|s| text.contains(s));
            let credential_cache = rel.starts_with(".aws/cli/cache/");
            assert!(!holds || credential_cache, "{name}: {rel} holds a secret");
            if credential_cache {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
                    assert_eq!(mode, 0o600, "{name}: {rel} has mode {mode:o}");
                }
            }
        }
    }
    // Four sources × 19 commands × with and without --debug.
    assert_eq!(checked, 4 * 19 * 2);
    eprintln!("secret scan: {checked} runs, {pairs} (run, secret) pairs checked");
}

#[test]
fn a_credentials_file_others_can_read_draws_one_warning() {
    let sb = Sandbox::new();
    let path =
        sb.write("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");
    let run = || {
        sb.nubo()
            .args(["configure", "get", "region"])
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .output()
            .unwrap()
    };
    let quiet = stderr_of(&run());
    assert!(!quiet.contains("Warning"), "{quiet}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = stderr_of(&run());
        let lines: Vec<_> = err.lines().filter(|l| l.contains("readable by group or others")).collect();
        assert_eq!(lines.len(), 1, "{err}");
        assert!(
            lines[0].starts_with("Warning: the credentials file ") && lines[0].contains("chmod 600"),
            "{err}"
        );
    }
}
