//! Requests as real S3 accepts them, checked on the request itself (the local servers accept
//! requests AWS refuses): flexible checksums (`x-amz-checksum-*`, compared with Python's `zlib`
//! and `hashlib` and, for CRC32C, CRC64NVME and the xxHashes, the AWS common runtime), the
//! checksum settings, the regional us-east-1 host, and URL-encoded listings. Then end to end:
//! s3s-fs verifies the checksums it is sent, a corrupt download from a small in-test server is
//! refused and leaves no file, and keys with spaces, `+` and unicode list back intact from moto.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, moto_url, s3_sandbox, s3_url, stderr_of, stdout_of};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

const TIME: &str = "20250101T000000Z";

/// Computes checksums with Python: reads `[[ALGORITHM, base64 data], …]` on standard input and
/// prints the base64 checksums, as the headers carry them.
const REFERENCE: &str = r#"
import sys, json, base64, zlib, hashlib
from awscrt import checksums
def xx(new, data):
    h = new()
    h.update(data)
    return h.finalize()
def digest(alg, data):
    if alg == "CRC32": return zlib.crc32(data).to_bytes(4, "big")
    if alg == "CRC32C": return checksums.crc32c(data).to_bytes(4, "big")
    if alg == "CRC64NVME": return checksums.crc64nvme(data).to_bytes(8, "big")
    if alg == "XXHASH64": return xx(checksums.XXHash.new_xxhash64, data)
    if alg == "XXHASH3": return xx(checksums.XXHash.new_xxhash3_64, data)
    if alg == "XXHASH128": return xx(checksums.XXHash.new_xxhash3_128, data)
    return hashlib.new(alg.lower(), data).digest()
print(json.dumps([base64.b64encode(digest(a, base64.b64decode(b))).decode() for a, b in json.load(sys.stdin)]))
"#;

const ALGORITHMS: [&str; 10] =
    ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", "SHA512", "MD5", "XXHASH64", "XXHASH3", "XXHASH128"];

/// The reference checksums of `items` (algorithm, data).
fn reference(items: &[(&str, &[u8])]) -> Vec<String> {
    use base64::Engine;
    let aws = std::env::var("NUBO_TEST_AWS_CLI")
        .expect("NUBO_TEST_AWS_CLI is not set: run the tests through scripts/test");
    let crt = std::env::var("NUBO_TEST_AWSCRT")
        .expect("NUBO_TEST_AWSCRT is not set: run the tests through scripts/test");
    let input: Vec<Value> =
        items.iter().map(|(a, d)| json!([a, base64::engine::general_purpose::STANDARD.encode(d)])).collect();
    let mut child = std::process::Command::new(PathBuf::from(aws).with_file_name("python"))
        .env_clear()
        .env("PYTHONPATH", crt)
        .args(["-c", REFERENCE])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run python");
    child.stdin.take().unwrap().write_all(Value::Array(input).to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "reference failed: {}", stderr_of(&out));
    serde_json::from_slice(&out.stdout).expect("reference output")
}

/// One request as `--show-request` prints it.
struct Shown {
    line: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Shown {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// The names of the `x-amz-checksum-*` headers.
    fn checksum_headers(&self) -> Vec<&str> {
        self.headers.keys().filter(|k| k.starts_with("x-amz-checksum-")).map(String::as_str).collect()
    }
}

fn sandbox(region: &str) -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .set_env("AWS_SECRET_ACCESS_KEY", "example-secret-for-tests")
        .set_env("AWS_DEFAULT_REGION", region)
        .set_env("NUBO_SIGNING_TIME", TIME);
    sb
}

fn show(sb: &Sandbox, args: &[&str]) -> Shown {
    let out = sb.nubo().arg("--show-request").args(args).output().unwrap();
    assert!(out.status.success(), "nubo {args:?}: {}", stderr_of(&out));
    let raw = out.stdout;
    let split = raw.windows(2).position(|w| w == b"\n\n").expect("blank line after the headers");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.lines();
    let line = lines.next().unwrap().to_string();
    let headers = lines
        .map(|l| {
            let (k, v) = l.split_once(':').expect("header line");
            (k.trim().to_ascii_lowercase(), v.trim().to_string())
        })
        .collect();
    Shown { line, headers, body: raw[split + 2..].to_vec() }
}

#[test]
fn operations_that_require_a_checksum_send_one() {
    let sb = sandbox("us-west-2");
    let policy = r#"{"Version":"2012-10-17","Statement":[]}"#;
    let cases: Vec<Vec<&str>> = vec![
        vec!["s3api", "put-bucket-policy", "--bucket", "bkt", "--policy", policy],
        vec![
            "s3api",
            "delete-objects",
            "--bucket",
            "bkt",
            "--delete",
            "Objects=[{Key=a},{Key=b c}],Quiet=true",
        ],
        vec![
            "s3api",
            "put-public-access-block",
            "--bucket",
            "bkt",
            "--public-access-block-configuration",
            "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
        ],
        vec![
            "s3api",
            "put-bucket-versioning",
            "--bucket",
            "bkt",
            "--versioning-configuration",
            "Status=Enabled",
        ],
        vec![
            "s3api",
            "put-object-tagging",
            "--bucket",
            "bkt",
            "--key",
            "k",
            "--tagging",
            "TagSet=[{Key=a,Value=b}]",
        ],
    ];
    let mut shown = Vec::new();
    for settings in [None, Some("when_required")] {
        let mut sb = sandbox("us-west-2");
        if let Some(s) = settings {
            sb.set_env("AWS_REQUEST_CHECKSUM_CALCULATION", s);
        }
        for args in &cases {
            shown.push(show(&sb, args));
        }
    }
    let items: Vec<(&str, &[u8])> = shown.iter().map(|s| ("CRC64NVME", s.body.as_slice())).collect();
    let want = reference(&items);
    for (s, want) in shown.iter().zip(want) {
        assert!(!s.body.is_empty(), "{}", s.line);
        assert_eq!(s.header("x-amz-checksum-crc64nvme"), Some(want.as_str()), "{}", s.line);
        assert_eq!(s.header("x-amz-sdk-checksum-algorithm"), Some("CRC64NVME"), "{}", s.line);
        assert_eq!(s.checksum_headers(), ["x-amz-checksum-crc64nvme"], "{}", s.line);
    }
    // An algorithm of the caller's choice, checked against zlib.
    let s = show(
        &sb,
        &[
            "s3api",
            "put-bucket-policy",
            "--bucket",
            "bkt",
            "--policy",
            policy,
            "--checksum-algorithm",
            "CRC32",
        ],
    );
    assert_eq!(s.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
    assert_eq!(s.header("x-amz-checksum-crc32"), Some(reference(&[("CRC32", &s.body)])[0].as_str()));
    // `httpChecksumRequired` without an algorithm member (S3 Control): the checksum of the empty body.
    let s = show(
        &sb,
        &["s3control", "get-access-grant", "--account-id", "123456789012", "--access-grant-id", "g"],
    );
    assert_eq!(s.header("x-amz-checksum-crc64nvme"), Some(reference(&[("CRC64NVME", b"")])[0].as_str()));
    assert_eq!(s.header("x-amz-sdk-checksum-algorithm"), None);
}

#[test]
fn put_object_with_every_algorithm() {
    let sb = sandbox("eu-west-1");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body.bin");
    let data: Vec<u8> = (0..70_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&file, &data).unwrap();
    let path = file.to_str().unwrap();
    let items: Vec<(&str, &[u8])> = ALGORITHMS.iter().map(|a| (*a, data.as_slice())).collect();
    let want = reference(&items);
    for (alg, want) in ALGORITHMS.iter().zip(&want) {
        let s = show(
            &sb,
            &[
                "s3api",
                "put-object",
                "--bucket",
                "bkt",
                "--key",
                "k",
                "--body",
                path,
                "--checksum-algorithm",
                alg,
            ],
        );
        assert_eq!(s.body, data);
        let name = format!("x-amz-checksum-{}", alg.to_ascii_lowercase());
        assert_eq!(s.header(&name), Some(want.as_str()), "{alg}");
        assert_eq!(s.header("x-amz-sdk-checksum-algorithm"), Some(*alg));
        assert_eq!(s.checksum_headers(), [name.as_str()]);
    }
    // By default (when_supported): CRC64NVME, as CLI v2 sends it.
    let s = show(&sb, &["s3api", "put-object", "--bucket", "bkt", "--key", "k", "--body", path]);
    assert_eq!(s.header("x-amz-checksum-crc64nvme"), Some(want[2].as_str()));
    // A checksum the caller gives is sent as given, and none is computed.
    let s = show(
        &sb,
        &[
            "s3api",
            "put-object",
            "--bucket",
            "bkt",
            "--key",
            "k",
            "--body",
            path,
            "--checksum-crc32",
            "AAAAAA==",
        ],
    );
    assert_eq!(s.checksum_headers(), ["x-amz-checksum-crc32"]);
    assert_eq!(s.header("x-amz-checksum-crc32"), Some("AAAAAA=="));
    // when_required: PutObject only supports a checksum, so none is sent.
    let mut quiet = sandbox("eu-west-1");
    quiet.set_env("AWS_REQUEST_CHECKSUM_CALCULATION", "WHEN_REQUIRED");
    let s = show(&quiet, &["s3api", "put-object", "--bucket", "bkt", "--key", "k", "--body", path]);
    assert!(s.checksum_headers().is_empty(), "{:?}", s.headers);
    // A presigned PUT carries no checksum: whoever uses the URL sends the body.
    let out =
        sb.nubo().args(["presign", "s3api", "put-object", "--bucket", "bkt", "--key", "k"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(!stdout_of(&out).contains("checksum"), "{}", stdout_of(&out));
}

#[test]
fn checksum_settings_from_the_config_file_and_bad_values() {
    let sb = sandbox("us-east-1");
    sb.write(
        "config",
        "[default]\nrequest_checksum_calculation = when_required\nresponse_checksum_validation = when_required\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.txt");
    std::fs::write(&file, "hello").unwrap();
    let s = show(
        &sb,
        &["s3api", "put-object", "--bucket", "bkt", "--key", "k", "--body", file.to_str().unwrap()],
    );
    assert!(s.checksum_headers().is_empty(), "{:?}", s.headers);
    let s = show(&sb, &["s3api", "get-object", "--bucket", "bkt", "--key", "k", "out.txt"]);
    assert_eq!(s.header("x-amz-checksum-mode"), None);
    // By default GetObject asks for the checksum; the caller's own mode stays.
    let sb = sandbox("us-east-1");
    let s = show(&sb, &["s3api", "get-object", "--bucket", "bkt", "--key", "k", "out.txt"]);
    assert_eq!(s.header("x-amz-checksum-mode"), Some("ENABLED"));
    // Any other value is a configuration error that names the setting.
    for (env, key) in [
        ("AWS_REQUEST_CHECKSUM_CALCULATION", "request_checksum_calculation"),
        ("AWS_RESPONSE_CHECKSUM_VALIDATION", "response_checksum_validation"),
    ] {
        let mut bad = sandbox("us-east-1");
        bad.set_env(env, "always");
        let out = bad.nubo().args(["--show-request", "s3api", "list-buckets"]).output().unwrap();
        assert_eq!(out.status.code(), Some(253), "{}", stderr_of(&out));
        assert!(stderr_of(&out).contains(key), "{}", stderr_of(&out));
        let bad = sandbox("us-east-1");
        bad.write("config", &format!("[default]\n{key} = sometimes\n"));
        let out = bad.nubo().args(["--show-request", "s3api", "list-buckets"]).output().unwrap();
        assert_eq!(out.status.code(), Some(253), "{}", stderr_of(&out));
        assert!(stderr_of(&out).contains(&format!("{key}. Expected one of")), "{}", stderr_of(&out));
    }
}

#[test]
fn us_east_1_uses_the_regional_host() {
    let sb = sandbox("us-east-1");
    let s = show(&sb, &["s3api", "get-object", "--bucket", "my-bucket", "--key", "k", "out"]);
    assert_eq!(s.header("host"), Some("my-bucket.s3.us-east-1.amazonaws.com"));
    let s = show(&sb, &["s3api", "list-buckets"]);
    assert_eq!(s.header("host"), Some("s3.us-east-1.amazonaws.com"));
    // The v1 setting changes nothing, as in CLI v2.
    let mut legacy = sandbox("us-east-1");
    legacy.set_env("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "legacy");
    let s = show(&legacy, &["s3api", "head-bucket", "--bucket", "my-bucket"]);
    assert_eq!(s.header("host"), Some("my-bucket.s3.us-east-1.amazonaws.com"));
    // The region aws-global is the global endpoint, signed for us-east-1.
    let s = show(&sb, &["s3api", "head-bucket", "--bucket", "my-bucket", "--region", "aws-global"]);
    assert_eq!(s.header("host"), Some("my-bucket.s3.amazonaws.com"));
    assert!(s.header("authorization").unwrap().contains("/us-east-1/s3/aws4_request"));
}

#[test]
fn listings_ask_for_url_encoded_keys() {
    let sb = sandbox("eu-west-1");
    for op in ["list-objects", "list-objects-v2", "list-object-versions"] {
        let s = show(&sb, &["s3api", op, "--bucket", "bkt"]);
        assert!(s.line.contains("encoding-type=url"), "{op}: {}", s.line);
    }
    let s = show(&sb, &["s3api", "list-objects-v2", "--bucket", "bkt", "--encoding-type", "url"]);
    assert_eq!(s.line.matches("encoding-type=url").count(), 1, "{}", s.line);
    let s = show(&sb, &["s3api", "list-multipart-uploads", "--bucket", "bkt"]);
    assert!(!s.line.contains("encoding-type"), "{}", s.line);
}

// ----- end to end -----

fn new_bucket(sb: &Sandbox, prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = format!("{prefix}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
    let out = sb.nubo().args(["s3api", "create-bucket", "--bucket", &name]).output().unwrap();
    assert!(out.status.success(), "create-bucket: {}", stderr_of(&out));
    name
}

fn run_ok(sb: &Sandbox, args: &[&str]) -> String {
    let out = sb.nubo().args(args).output().unwrap();
    assert!(out.status.success(), "nubo {args:?}: {}", stderr_of(&out));
    stdout_of(&out)
}

#[test]
fn s3s_fs_verifies_what_nubo_sends() {
    let mut sb = s3_sandbox(None);
    sb.set_env("AWS_ENDPOINT_URL", &s3_url());
    sb.write("config", "[default]\ns3 =\n    multipart_threshold = 5MB\n    multipart_chunksize = 5MB\n");
    let bucket = new_bucket(&sb, "sums");
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.txt");
    std::fs::write(&small, "checked on arrival\n").unwrap();
    let small = small.to_str().unwrap();
    for alg in ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] {
        let key = format!("k-{alg}");
        let out: Value = serde_json::from_str(&run_ok(
            &sb,
            &[
                "s3api",
                "put-object",
                "--bucket",
                &bucket,
                "--key",
                &key,
                "--body",
                small,
                "--checksum-algorithm",
                alg,
            ],
        ))
        .unwrap();
        let member = format!("Checksum{alg}");
        let want = reference(&[(alg, b"checked on arrival\n")]);
        assert_eq!(out[&member], want[0], "{alg}: {out}");
        // The download is checked against the checksum s3s-fs returns.
        let got = dir.path().join(format!("got-{alg}"));
        let head: Value = serde_json::from_str(&run_ok(
            &sb,
            &["s3api", "get-object", "--bucket", &bucket, "--key", &key, got.to_str().unwrap()],
        ))
        .unwrap();
        assert_eq!(head[&member], want[0], "{head}");
        assert_eq!(std::fs::read_to_string(&got).unwrap(), "checked on arrival\n");
    }
    // A wrong checksum given by the caller is sent as given: s3s-fs refuses it.
    let out = sb
        .nubo()
        .args([
            "s3api",
            "put-object",
            "--bucket",
            &bucket,
            "--key",
            "bad",
            "--body",
            small,
            "--checksum-crc32",
            "AAAAAA==",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(254), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("BadDigest"), "{}", stderr_of(&out));
    // s3 cp: a single PutObject and a multipart upload (12 MB in 5 MB parts), both with CRC64NVME
    // checksums, and back.
    let big = dir.path().join("big.bin");
    let data: Vec<u8> = (0..12_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    std::fs::write(&big, &data).unwrap();
    for (src, key) in [(small, "cp/small.txt"), (big.to_str().unwrap(), "cp/big.bin")] {
        run_ok(&sb, &["s3", "cp", src, &format!("s3://{bucket}/{key}")]);
        let back = dir.path().join("back");
        run_ok(&sb, &["s3", "cp", &format!("s3://{bucket}/{key}"), back.to_str().unwrap()]);
        assert_eq!(std::fs::read(&back).unwrap(), std::fs::read(src).unwrap(), "{key}");
    }
    let head: Value = serde_json::from_str(&run_ok(
        &sb,
        &["s3api", "head-object", "--bucket", &bucket, "--key", "cp/small.txt", "--checksum-mode", "ENABLED"],
    ))
    .unwrap();
    assert_eq!(head["ChecksumCRC64NVME"], reference(&[("CRC64NVME", b"checked on arrival\n")])[0], "{head}");
    // DeleteObjects (s3 rm --recursive) with its required checksum.
    run_ok(&sb, &["s3", "rm", "--recursive", &format!("s3://{bucket}/")]);
    let left: Value =
        serde_json::from_str(&run_ok(&sb, &["s3api", "list-objects-v2", "--bucket", &bucket])).unwrap();
    assert!(left.get("Contents").is_none_or(|c| c.as_array().is_some_and(Vec::is_empty)), "{left}");
}

/// Serves every request with `hello` and a CRC32 header that does not match it; returns the URL.
fn corrupt_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut first = String::new();
            if reader.read_line(&mut first).is_err() {
                continue;
            }
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\
                        ETag: \"5d41402abc4b2a76b9719d911017c592\"\r\n\
                        Last-Modified: Wed, 01 Jan 2025 00:00:00 GMT\r\n\
                        x-amz-checksum-crc32: AAAAAA==\r\nConnection: close\r\n\r\n";
            let _ = conn.write_all(head.as_bytes());
            if first.starts_with("GET") {
                let _ = conn.write_all(b"hello");
            }
            let _ = conn.flush();
            let mut rest = [0u8; 1];
            let _ = conn.set_read_timeout(Some(std::time::Duration::from_millis(50)));
            let _ = conn.read(&mut rest);
        }
    });
    url
}

#[test]
fn a_corrupt_download_is_refused_and_leaves_no_file() {
    let mut sb = sandbox("us-east-1");
    sb.set_env("AWS_ENDPOINT_URL", &corrupt_server()).set_env("AWS_MAX_ATTEMPTS", "1");
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("out.txt");
    let out = sb
        .nubo()
        .args(["s3api", "get-object", "--bucket", "bkt", "--key", "k", out_file.to_str().unwrap()])
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(255), "{err}");
    let crc = reference(&[("CRC32", b"hello")]).remove(0);
    assert!(
        err.contains(&format!("Expected checksum AAAAAA== did not match calculated checksum: {crc}")),
        "{err}"
    );
    assert!(!out_file.exists());
    // The s3 commands refuse it too, and keep no partial file.
    let out = sb.nubo().args(["s3", "cp", "s3://bkt/k", out_file.to_str().unwrap()]).output().unwrap();
    assert_ne!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("Expected checksum AAAAAA=="), "{}", stderr_of(&out));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // With validation off (when_required, and the object not asking), the body is taken as it is.
    sb.set_env("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
    run_ok(&sb, &["s3api", "get-object", "--bucket", "bkt", "--key", "k", out_file.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "hello");
}

#[test]
fn encoded_keys_list_back_intact_from_moto() {
    let mut sb = sandbox("us-east-1");
    sb.set_env("AWS_ENDPOINT_URL", &moto_url());
    let bucket = new_bucket(&sb, "enc");
    let keys = ["a b.txt", "x+y=z.txt", "ünï/cödé €.bin", "100%/sure?.txt", "plain/key"];
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("b");
    std::fs::write(&body, "x").unwrap();
    for k in keys {
        run_ok(
            &sb,
            &["s3api", "put-object", "--bucket", &bucket, "--key", k, "--body", body.to_str().unwrap()],
        );
    }
    let mut want: Vec<&str> = keys.to_vec();
    want.sort();
    for (op, list) in
        [("list-objects", "Contents"), ("list-objects-v2", "Contents"), ("list-object-versions", "Versions")]
    {
        let out: Value = serde_json::from_str(&run_ok(&sb, &["s3api", op, "--bucket", &bucket])).unwrap();
        let mut got: Vec<&str> =
            out[list].as_array().unwrap().iter().map(|o| o["Key"].as_str().unwrap()).collect();
        got.sort();
        assert_eq!(got, want, "{op}: {out}");
    }
    // Prefixes and delimiters come back decoded too.
    let out: Value = serde_json::from_str(&run_ok(
        &sb,
        &["s3api", "list-objects-v2", "--bucket", &bucket, "--prefix", "ünï/", "--delimiter", "/"],
    ))
    .unwrap();
    assert_eq!(out["Prefix"], "ünï/", "{out}");
    assert_eq!(out["Contents"][0]["Key"], "ünï/cödé €.bin", "{out}");
    let out: Value = serde_json::from_str(&run_ok(
        &sb,
        &["s3api", "list-objects-v2", "--bucket", &bucket, "--delimiter", "/"],
    ))
    .unwrap();
    let prefixes: Vec<&str> =
        out["CommonPrefixes"].as_array().unwrap().iter().map(|p| p["Prefix"].as_str().unwrap()).collect();
    assert_eq!(prefixes, ["100%/", "plain/", "ünï/"], "{out}");
    // The s3 commands list the same keys.
    let ls = run_ok(&sb, &["s3", "ls", "--recursive", &format!("s3://{bucket}/")]);
    for k in keys {
        assert!(ls.lines().any(|l| l.ends_with(&format!(" {k}"))), "{k} missing from {ls}");
    }
    // Pages: the decoded marker goes back and the next page continues after it.
    let out: Value = serde_json::from_str(&run_ok(
        &sb,
        &["s3api", "list-objects", "--bucket", &bucket, "--page-size", "1"],
    ))
    .unwrap();
    let mut got: Vec<&str> =
        out["Contents"].as_array().unwrap().iter().map(|o| o["Key"].as_str().unwrap()).collect();
    got.sort();
    assert_eq!(got, want, "{out}");
    // The caller's own encoding type: what S3 sent, undecoded.
    let out: Value = serde_json::from_str(&run_ok(
        &sb,
        &["s3api", "list-objects-v2", "--bucket", &bucket, "--encoding-type", "url", "--prefix", "ünï"],
    ))
    .unwrap();
    let key = out["Contents"][0]["Key"].as_str().unwrap();
    assert!(key.contains('%') && !key.contains('ü'), "{out}");
}
