//! Crashes: a nubo killed (SIGKILL, no clean-up) in the middle of a download leaves the old file
//! intact, and the leftovers of writers killed mid-write (a config file's temporary file and lock
//! sidecar, a credential cache's temporary file) trouble no later run.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::faults::{FaultServer, Reply};
use common::{Sandbox, stderr_of, stdout_of};
use std::time::{Duration, Instant};

#[test]
fn a_download_killed_half_way_leaves_the_old_file() {
    let data = vec![b'n'; 200_000];
    let d = data.clone();
    let stall = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let s = stall.clone();
    let server = FaultServer::start(move |req, _| match req.method.as_str() {
        "HEAD" => Reply::with(200, &[("content-length-override", "200000"), ("etag", "\"e\"")], Vec::new()),
        // Half the body, then nothing until the client is gone.
        "GET" if s.load(std::sync::atomic::Ordering::SeqCst) => {
            Reply::StallAfter { declared: d.len(), sent: d[..100_000].to_vec() }
        }
        _ => Reply::with(200, &[("etag", "\"e\"")], d.clone()),
    });
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "AKIDCRASH")
        .set_env("AWS_SECRET_ACCESS_KEY", "crash-secret")
        .set_env("AWS_DEFAULT_REGION", "us-east-1");
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("k");
    std::fs::write(&dest, b"old").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("nubo");
    let mut child = std::process::Command::new(bin)
        .env_clear()
        .env("HOME", sb.home())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(sb.env.iter().map(|(k, v)| (k, v)))
        .args(["--endpoint-url", &server.url(), "s3", "cp", "s3://b/k", dest.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the body is half delivered, then kill without warning.
    let start = Instant::now();
    while !server.requests().iter().any(|r| r.method == "GET") {
        assert!(start.elapsed() < Duration::from_secs(20), "no GET arrived");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), b"old");

    // The next run completes and replaces the file whole.
    stall.store(false, std::sync::atomic::Ordering::SeqCst);
    let out = sb
        .nubo()
        .args(["--endpoint-url", &server.url(), "s3", "cp", "s3://b/k", dest.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(std::fs::read(&dest).unwrap(), data);
}

#[test]
fn a_config_writer_killed_before_its_rename_troubles_no_later_run() {
    let sb = Sandbox::new();
    sb.write("config", "[default]\nregion = eu-west-1\n");
    // What a writer killed between writing its temporary file and the rename leaves: the temporary
    // file (half written) and the lock sidecar.
    std::fs::write(sb.aws_dir().join(".config.Xk3j9a.tmp"), "[default]\nregion = ").unwrap();
    std::fs::write(sb.aws_dir().join("config.lock"), "").unwrap();
    let get = || sb.nubo().args(["configure", "get", "region"]).output().unwrap();
    assert_eq!(stdout_of(&get()).trim(), "eu-west-1");
    let out = sb.nubo().args(["configure", "set", "region", "us-west-2"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&get()).trim(), "us-west-2");
    assert_eq!(sb.read("config"), "[default]\nregion = us-west-2\n");
}

#[test]
fn a_stale_credential_cache_temporary_file_is_ignored() {
    let exp = {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
            as i64
            + 3600;
        let d = common::faults::amz_date(secs);
        format!("{}-{}-{}T{}:{}:{}Z", &d[0..4], &d[4..6], &d[6..8], &d[9..11], &d[11..13], &d[13..15])
    };
    let server = FaultServer::start(move |req, _| match req.operation().as_str() {
        "AssumeRole" => Reply::with(
            200,
            &[("content-type", "text/xml")],
            format!(
                "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>AKIDROLE</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>{exp}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>A:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>"
            ),
        ),
        _ => Reply::with(
            200,
            &[("content-type", "text/xml")],
            "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account><Arn>a</Arn><UserId>U</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>",
        ),
    });
    let mut sb = Sandbox::new();
    sb.write("config", "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nregion = us-east-1\n");
    sb.write("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
    sb.set_env("AWS_ENDPOINT_URL", &server.url());
    let cache = sb.aws_dir().join("cli").join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(cache.join(".nubo-Ab12Cd.tmp"), "{\"Credentials\": {\"AccessKeyId\": \"AKI").unwrap();
    for _ in 0..2 {
        let out = sb.nubo().args(["--profile", "r", "sts", "get-caller-identity"]).output().unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
    }
    // One AssumeRole: the second run read the cache the first one wrote, next to the stale file.
    let assumed = server.requests().iter().filter(|r| r.operation() == "AssumeRole").count();
    assert_eq!(assumed, 1);
}
