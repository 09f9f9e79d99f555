//! Presigned URLs and EKS tokens: `nubo s3 presign`, `nubo presign <service> <operation>` and
//! `nubo eks get-token` must give, byte for byte, the URL the AWS SDK for Python gives for the same
//! inputs at the same pinned time; the URLs must work (and fail when tampered with or expired)
//! against s3s-fs, which checks every signature; and usage errors exit 252.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, stderr_of, stdout_of};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

const TIME: &str = "20250101T000000Z";
const KEY_ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// Presigns one call with botocore at a frozen clock. Reads a JSON spec from argv[1]:
/// time, service, region, endpoint_url, token, config (botocore Config arguments), op (the client
/// method), params, expires, method, header ([name, value] injected before signing).
/// botocore is configured as the AWS CLI v2 configures its own: S3's us-east-1 endpoint regional,
/// and presigned S3 URLs not moved to the global endpoint (v1 does both).
const BOTOCORE_PRESIGN: &str = r#"
import sys, json, datetime
from unittest import mock
import botocore.session
from botocore.config import Config
spec = json.loads(sys.argv[1])
now = datetime.datetime.strptime(spec["time"], "%Y%m%dT%H%M%SZ")
config = spec.get("config", {})
if spec["service"] == "s3":
    config.setdefault("s3", {}).setdefault("us_east_1_regional_endpoint", "regional")
client = botocore.session.get_session().create_client(
    spec["service"], region_name=spec.get("region", "us-east-1"),
    endpoint_url=spec.get("endpoint_url"), aws_access_key_id=spec["key_id"],
    aws_secret_access_key=spec["secret"], aws_session_token=spec.get("token"),
    config=Config(**config))
header = spec.get("header")
if header:
    def add_header(request, **kwargs):
        request.headers[header[0]] = header[1]
    client.meta.events.register("before-sign.%s" % spec["service"], add_header)
with mock.patch("botocore.auth.get_current_datetime", return_value=now), \
        mock.patch("botocore.signers._should_use_global_endpoint", return_value=False):
    print(client.generate_presigned_url(spec["op"], Params=spec.get("params", {}),
        ExpiresIn=spec.get("expires", 3600), HttpMethod=spec.get("method")))
"#;

/// The Python of the virtual environment that holds the Python AWS CLI (and botocore).
fn python() -> PathBuf {
    let aws = std::env::var("NUBO_TEST_AWS_CLI")
        .expect("NUBO_TEST_AWS_CLI is not set: run the tests through scripts/test");
    PathBuf::from(aws).with_file_name("python")
}

/// botocore's presigned URL for `spec` (the keys and the pinned time added).
fn botocore_url(spec: Value) -> String {
    let mut spec = spec;
    spec["time"] = json!(TIME);
    spec["key_id"] = json!(KEY_ID);
    spec["secret"] = json!(SECRET);
    let out = std::process::Command::new(python())
        .env_clear()
        .env("HOME", std::env::temp_dir())
        .args(["-c", BOTOCORE_PRESIGN, &spec.to_string()])
        .output()
        .expect("run python");
    assert!(out.status.success(), "botocore failed for {spec}: {}", stderr_of(&out));
    stdout_of(&out).trim_end().to_string()
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

fn nubo_url(sb: &Sandbox, args: &[&str]) -> String {
    let out = sb.nubo().args(args).output().unwrap();
    assert!(out.status.success(), "nubo {args:?} failed: {}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(text.ends_with('\n') && text.lines().count() == 1, "one line expected: {text:?}");
    text.trim_end().to_string()
}

/// The spec of an s3 client as the AWS CLI v2 makes it: SigV4 always.
fn s3_spec(region: &str, op: &str, params: Value) -> Value {
    json!({"service": "s3", "region": region, "op": op, "params": params,
           "config": {"signature_version": "s3v4"}})
}

#[test]
fn s3_presign_matches_botocore_in_us_east_1() {
    let sb = sandbox("us-east-1");
    let got = nubo_url(&sb, &["s3", "presign", "s3://my-bucket/dir/file.txt"]);
    assert!(
        got.starts_with("https://my-bucket.s3.us-east-1.amazonaws.com/dir/file.txt?X-Amz-Algorithm="),
        "{got}"
    );
    let want = botocore_url(s3_spec(
        "us-east-1",
        "get_object",
        json!({"Bucket": "my-bucket", "Key": "dir/file.txt"}),
    ));
    assert_eq!(got, want);
    // `us_east_1_regional_endpoint = legacy` changes nothing in v2; the region aws-global gives
    // the global host, signed for us-east-1.
    sb.write("config", "[default]\ns3 =\n    us_east_1_regional_endpoint = legacy\n");
    assert_eq!(nubo_url(&sb, &["s3", "presign", "s3://my-bucket/dir/file.txt"]), want);
    let got = nubo_url(&sb, &["s3", "presign", "s3://my-bucket/k", "--region", "aws-global"]);
    assert!(got.starts_with("https://my-bucket.s3.amazonaws.com/k?"), "{got}");
    assert!(got.contains("%2Fus-east-1%2Fs3%2F"), "{got}");
    let want = botocore_url(s3_spec("aws-global", "get_object", json!({"Bucket": "my-bucket", "Key": "k"})));
    assert_eq!(got, want);
}

#[test]
fn s3_presign_virtual_hosted_in_a_region() {
    // Default addressing: the regional virtual host, as the AWS CLI v2 presigns (v1: the global one).
    let sb = sandbox("eu-west-1");
    let got = nubo_url(&sb, &["s3", "presign", "s3://my-bucket/k"]);
    let want = botocore_url(s3_spec("eu-west-1", "get_object", json!({"Bucket": "my-bucket", "Key": "k"})));
    assert_eq!(got, want);
    // addressing_style = virtual: the regional virtual host.
    let sb = sandbox("ap-southeast-2");
    sb.write("config", "[default]\ns3 =\n    addressing_style = virtual\n");
    let got = nubo_url(&sb, &["s3", "presign", "s3://my-bucket/k"]);
    assert!(got.starts_with("https://my-bucket.s3.ap-southeast-2.amazonaws.com/k?"), "{got}");
    let mut spec = s3_spec("ap-southeast-2", "get_object", json!({"Bucket": "my-bucket", "Key": "k"}));
    spec["config"]["s3"] = json!({"addressing_style": "virtual"});
    assert_eq!(got, botocore_url(spec));
}

#[test]
fn s3_presign_path_style() {
    // From the profile's s3 addressing_style, with --region.
    let sb = sandbox("us-east-1");
    sb.write("config", "[default]\ns3 =\n    addressing_style = path\n");
    let got = nubo_url(&sb, &["s3", "presign", "s3://my-bucket/k", "--region", "us-west-2"]);
    assert!(got.starts_with("https://s3.us-west-2.amazonaws.com/my-bucket/k?"), "{got}");
    let mut spec = s3_spec("us-west-2", "get_object", json!({"Bucket": "my-bucket", "Key": "k"}));
    spec["config"]["s3"] = json!({"addressing_style": "path"});
    assert_eq!(got, botocore_url(spec));
    // Buckets the rules cannot put in a host name (upper case, too short) stay in the path.
    let sb = sandbox("eu-west-1");
    for bucket in ["UPPER", "b"] {
        let got = nubo_url(&sb, &["s3", "presign", &format!("s3://{bucket}/k")]);
        let want = botocore_url(s3_spec("eu-west-1", "get_object", json!({"Bucket": bucket, "Key": "k"})));
        assert_eq!(got, want, "{bucket}");
    }
    // A bucket that is not a host label goes path style on its own.
    let sb = sandbox("us-west-2");
    let got = nubo_url(&sb, &["s3", "presign", "s3://my.dotted.bucket/k"]);
    let want =
        botocore_url(s3_spec("us-west-2", "get_object", json!({"Bucket": "my.dotted.bucket", "Key": "k"})));
    assert_eq!(got, want);
}

#[test]
fn s3_presign_with_a_custom_endpoint() {
    let endpoint = "http://127.0.0.1:9000";
    let sb = sandbox("us-east-1");
    let got = nubo_url(&sb, &["--endpoint-url", endpoint, "s3", "presign", "s3://bkt/obj"]);
    assert!(got.starts_with("http://127.0.0.1:9000/bkt/obj?"), "{got}");
    let mut spec = s3_spec("us-east-1", "get_object", json!({"Bucket": "bkt", "Key": "obj"}));
    spec["endpoint_url"] = json!(endpoint);
    assert_eq!(got, botocore_url(spec.clone()));
    // The same endpoint from the environment.
    let mut sb = sandbox("us-east-1");
    sb.set_env("AWS_ENDPOINT_URL_S3", endpoint);
    assert_eq!(nubo_url(&sb, &["s3", "presign", "s3://bkt/obj"]), botocore_url(spec));
}

#[test]
fn s3_presign_keys_with_spaces_and_unicode() {
    let sb = sandbox("eu-central-1");
    for key in ["a b/c d.txt", "ünï/cödé €.bin", "x+y=z&q?r#s", "sp  ace/~!*()'", "dir//double/"] {
        let got = nubo_url(&sb, &["s3", "presign", &format!("s3://bkt/{key}")]);
        let want = botocore_url(s3_spec("eu-central-1", "get_object", json!({"Bucket": "bkt", "Key": key})));
        assert_eq!(got, want, "key {key:?}");
    }
}

#[test]
fn s3_presign_with_a_session_token() {
    let mut sb = sandbox("us-west-2");
    let token = "FwoGZXIvYXdzE+/token==with/odd+chars";
    sb.set_env("AWS_SESSION_TOKEN", token);
    let got = nubo_url(&sb, &["s3", "presign", "s3://bkt/k"]);
    assert!(got.contains("&X-Amz-Security-Token="), "{got}");
    let mut spec = s3_spec("us-west-2", "get_object", json!({"Bucket": "bkt", "Key": "k"}));
    spec["token"] = json!(token);
    assert_eq!(got, botocore_url(spec));
}

#[test]
fn s3_presign_expires_in_variants() {
    let sb = sandbox("us-east-1");
    for expires in [1, 60, 900, 86_400, 604_800] {
        let got = nubo_url(&sb, &["s3", "presign", "s3://bkt/k", "--expires-in", &expires.to_string()]);
        assert!(got.contains(&format!("&X-Amz-Expires={expires}&")), "{got}");
        let mut spec = s3_spec("us-east-1", "get_object", json!({"Bucket": "bkt", "Key": "k"}));
        spec["expires"] = json!(expires);
        assert_eq!(got, botocore_url(spec), "expires {expires}");
    }
    // `--expires-in=N` and before the path.
    let got = nubo_url(&sb, &["s3", "presign", "--expires-in=120", "s3://bkt/k"]);
    assert!(got.contains("&X-Amz-Expires=120&"), "{got}");
}

#[test]
fn presign_put_object_matches_botocore() {
    let sb = sandbox("eu-west-1");
    let got = nubo_url(&sb, &["presign", "s3api", "put-object", "--bucket", "bkt", "--key", "up/load.txt"]);
    let want =
        botocore_url(s3_spec("eu-west-1", "put_object", json!({"Bucket": "bkt", "Key": "up/load.txt"})));
    assert_eq!(got, want);
    // Headers given become signed headers, in the URL's SignedHeaders.
    let got = nubo_url(
        &sb,
        &[
            "presign",
            "s3api",
            "put-object",
            "--bucket",
            "bkt",
            "--key",
            "k",
            "--content-type",
            "text/plain",
            "--metadata",
            "owner=me",
            "--expires-in",
            "300",
        ],
    );
    assert!(got.contains("X-Amz-SignedHeaders=content-type%3Bhost%3Bx-amz-meta-owner"), "{got}");
    let mut spec = s3_spec(
        "eu-west-1",
        "put_object",
        json!({"Bucket": "bkt", "Key": "k", "ContentType": "text/plain", "Metadata": {"owner": "me"}}),
    );
    spec["expires"] = json!(300);
    assert_eq!(got, botocore_url(spec));
}

#[test]
fn presign_get_object_with_query_parameters_matches_botocore() {
    let mut sb = sandbox("us-east-2");
    sb.set_env("AWS_SESSION_TOKEN", "session-token");
    let got = nubo_url(
        &sb,
        &[
            "presign",
            "s3api",
            "get-object",
            "--bucket",
            "bkt",
            "--key",
            "k",
            "--version-id",
            "v+1",
            "--response-content-type",
            "text/plain; charset=utf-8",
            "--range",
            "bytes=0-9",
        ],
    );
    let mut spec = s3_spec(
        "us-east-2",
        "get_object",
        json!({"Bucket": "bkt", "Key": "k", "Range": "bytes=0-9",
               "ResponseContentType": "text/plain; charset=utf-8", "VersionId": "v+1"}),
    );
    spec["token"] = json!("session-token");
    assert_eq!(got, botocore_url(spec));
    // `?uploads` style subresources keep their (empty) value.
    let got = nubo_url(&sb, &["presign", "s3api", "list-multipart-uploads", "--bucket", "bkt"]);
    let mut spec = s3_spec("us-east-2", "list_multipart_uploads", json!({"Bucket": "bkt"}));
    spec["token"] = json!("session-token");
    assert_eq!(got, botocore_url(spec));
}

#[test]
fn presign_sts_get_caller_identity_matches_botocore() {
    for region in ["us-east-1", "eu-west-1"] {
        let sb = sandbox(region);
        let got = nubo_url(&sb, &["presign", "sts", "get-caller-identity"]);
        assert!(got.contains("/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm="), "{got}");
        let want = botocore_url(json!({"service": "sts", "region": region, "op": "get_caller_identity",
                                       "method": "GET"}));
        assert_eq!(got, want, "{region}");
    }
    let sb = sandbox("us-east-1");
    let got =
        nubo_url(&sb, &["presign", "sts", "get-caller-identity", "--method", "POST", "--expires-in", "900"]);
    let want = botocore_url(json!({"service": "sts", "op": "get_caller_identity", "method": "POST",
                                   "expires": 900}));
    assert_eq!(got, want);
}

#[test]
fn presign_ec2_query_parameters_match_botocore() {
    let sb = sandbox("eu-west-1");
    let got = nubo_url(
        &sb,
        &[
            "presign",
            "ec2",
            "describe-instances",
            "--instance-ids",
            "i-1",
            "i-2",
            "--filters",
            "Name=tag:Name,Values=a b",
        ],
    );
    // The CLI hands botocore the members in the model's order.
    let want = botocore_url(json!({"service": "ec2", "region": "eu-west-1", "op": "describe_instances",
        "method": "GET",
        "params": {"InstanceIds": ["i-1", "i-2"], "Filters": [{"Name": "tag:Name", "Values": ["a b"]}]}}));
    assert_eq!(got, want);
}

#[test]
fn eks_get_token_matches_botocore_and_the_cli() {
    let sb = sandbox("eu-west-1");
    let out = sb.nubo().args(["eks", "get-token", "--cluster-name", "my-cluster"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    let cred: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(cred["status"]["expirationTimestamp"], "2025-01-01T00:14:00Z");
    let token = cred["status"]["token"].as_str().unwrap();
    let url = decode_token(token);
    let want = botocore_url(json!({"service": "sts", "region": "eu-west-1", "op": "get_caller_identity",
        "method": "GET", "expires": 60, "header": ["x-k8s-aws-id", "my-cluster"]}));
    assert_eq!(url, want);
    assert!(url.contains("X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&"), "{url}");

    // The same shape and layout as the Python CLI, but for the time-dependent values.
    let py = sb.aws().args(["eks", "get-token", "--cluster-name", "my-cluster"]).output().unwrap();
    assert!(py.status.success(), "{}", stderr_of(&py));
    let blank = |s: &str| {
        let v: Value = serde_json::from_str(s).unwrap();
        let ts = v["status"]["expirationTimestamp"].as_str().unwrap().to_string();
        let tok = v["status"]["token"].as_str().unwrap().to_string();
        assert!(tok.starts_with("k8s-aws-v1.") && !tok.contains('='), "{tok}");
        assert_eq!(ts.len(), "2025-01-01T00:14:00Z".len(), "{ts}");
        s.replace(&ts, "TIME").replace(&tok, "TOKEN")
    };
    assert_eq!(blank(&text), blank(&stdout_of(&py)));
}

#[test]
fn eks_get_token_by_cluster_id_and_api_version() {
    let mut sb = sandbox("us-west-2");
    sb.set_env(
        "KUBERNETES_EXEC_INFO",
        r#"{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential"}"#,
    );
    let out = sb.nubo().args(["eks", "get-token", "--cluster-id", "0123-abcd"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let cred: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(cred["apiVersion"], "client.authentication.k8s.io/v1");
    let url = decode_token(cred["status"]["token"].as_str().unwrap());
    let want = botocore_url(json!({"service": "sts", "region": "us-west-2", "op": "get_caller_identity",
        "method": "GET", "expires": 60, "header": ["x-k8s-aws-id", "0123-abcd"]}));
    assert_eq!(url, want);

    let bad = sandbox("us-west-2");
    let out = bad.nubo().args(["eks", "get-token"]).output().unwrap();
    assert_eq!(out.status.code(), Some(252));
    let out =
        bad.nubo().args(["eks", "get-token", "--cluster-name", "a", "--cluster-id", "b"]).output().unwrap();
    assert_eq!(out.status.code(), Some(252));
}

#[test]
fn eks_get_token_with_a_role_assumes_it() {
    let Ok(moto) = std::env::var("NUBO_TEST_MOTO_URL") else {
        panic!("NUBO_TEST_MOTO_URL is not set: run the tests through scripts/test");
    };
    let mut sb = sandbox("us-east-1");
    sb.set_env("AWS_ENDPOINT_URL", &moto);
    let role = "arn:aws:iam::123456789012:role/eks-admin";
    let out =
        sb.nubo().args(["eks", "get-token", "--cluster-name", "c", "--role-arn", role]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let cred: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let url = decode_token(cred["status"]["token"].as_str().unwrap());
    assert!(url.starts_with(&format!("{moto}/?Action=GetCallerIdentity&")), "{url}");
    assert!(!url.contains(KEY_ID), "signed with the role's keys, not the caller's: {url}");
    assert!(url.contains("&X-Amz-Security-Token="), "{url}");
}

fn decode_token(token: &str) -> String {
    let b64 = token.strip_prefix("k8s-aws-v1.").expect("token prefix");
    let padded = format!("{b64}{}", "=".repeat((4 - b64.len() % 4) % 4));
    let out = std::process::Command::new(python())
        .args(["-c", "import sys, base64; print(base64.urlsafe_b64decode(sys.argv[1]).decode())", &padded])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    stdout_of(&out).trim_end().to_string()
}

#[test]
fn usage_errors_exit_252() {
    let sb = sandbox("us-east-1");
    let cases: &[&[&str]] = &[
        &["s3", "presign", "s3://"],
        &["s3", "presign", "s3://bucket-only"],
        &["s3", "presign", "s3://bkt/"],
        &["s3", "presign", "s3://bad bucket/k"],
        &["s3", "presign"],
        &["s3", "presign", "s3://bkt/k", "extra"],
        &["s3", "presign", "s3://bkt/k", "--expires-in", "604801"],
        &["s3", "presign", "s3://bkt/k", "--expires-in", "0"],
        &["s3", "presign", "s3://bkt/k", "--expires-in", "soon"],
        &["presign", "s3api", "put-object", "--bucket", "b", "--key", "k", "--expires-in", "700000"],
        &["presign", "dynamodb", "list-tables"],
        &["presign", "s3api", "put-bucket-policy", "--bucket", "b", "--policy", "{}"],
        &["presign", "s3api", "get-object", "--bucket", "b"],
        &["presign", "sts", "get-caller-identity", "--method", "PATCH"],
        &["presign", "no-such-service", "op"],
        &["presign"],
    ];
    for args in cases {
        let out = sb.nubo().args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(252), "{args:?}: {}", stderr_of(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = sb.nubo().args(["s3", "presign", "s3://bkt/k", "--expires-in", "604801"]).output().unwrap();
    assert!(stderr_of(&out).contains("604800"), "{}", stderr_of(&out));
    let out = sb.nubo().args(["presign", "dynamodb", "list-tables"]).output().unwrap();
    let err = stderr_of(&out);
    let last = err.trim_end().lines().last().unwrap_or_default();
    assert!(last.starts_with("nubo: error: ListTables cannot be presigned: its request has a body"), "{err}");
}

#[test]
fn no_credentials_is_a_configuration_error() {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_DEFAULT_REGION", "us-east-1");
    let out = sb.nubo().args(["s3", "presign", "s3://bkt/k"]).output().unwrap();
    assert_eq!(out.status.code(), Some(253), "{}", stderr_of(&out));
}

// ----- against s3s-fs, which verifies signatures and expiry -----

struct S3 {
    url: String,
    sb: Sandbox,
}

fn s3() -> S3 {
    let url = std::env::var("NUBO_TEST_S3_URL")
        .expect("NUBO_TEST_S3_URL is not set: run the tests through scripts/test");
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", &std::env::var("NUBO_TEST_S3_ACCESS_KEY").unwrap())
        .set_env("AWS_SECRET_ACCESS_KEY", &std::env::var("NUBO_TEST_S3_SECRET_KEY").unwrap())
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("AWS_ENDPOINT_URL", &url);
    S3 { url, sb }
}

/// A bucket of its own for each test.
fn new_bucket(s3: &S3) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = format!("presign-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
    let out = s3.sb.nubo().args(["s3api", "create-bucket", "--bucket", &name]).output().unwrap();
    assert!(out.status.success(), "create-bucket: {}", stderr_of(&out));
    name
}

/// Sends one HTTP/1.1 request to an `http://` URL and returns the status and body.
fn http(method: &str, url: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (authority, target) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut conn = TcpStream::connect(authority).expect("connect");
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).unwrap();
    conn.write_all(body).unwrap();
    let mut raw = Vec::new();
    conn.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("response head");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status: u16 = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status");
    let mut body = raw[split + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    (status, body)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..eol]).to_string();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
    out
}

#[test]
fn presigned_get_works_against_s3s_fs() {
    let s3 = s3();
    let bucket = new_bucket(&s3);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hello.txt");
    std::fs::write(&file, b"hello from nubo\n").unwrap();
    let key = "dir/hello world ü.txt";
    let out = s3
        .sb
        .nubo()
        .args(["s3api", "put-object", "--bucket", &bucket, "--key", key, "--body", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "put-object: {}", stderr_of(&out));

    let mut sb = Sandbox::new();
    for (k, v) in &s3.sb.env {
        if k != "AWS_ENDPOINT_URL" {
            sb.set_env(k, v);
        }
    }
    let url = nubo_url(&sb, &["--endpoint-url", &s3.url, "s3", "presign", &format!("s3://{bucket}/{key}")]);
    assert!(url.starts_with(&format!("{}/{bucket}/dir/hello%20world%20%C3%BC.txt?", s3.url)), "{url}");
    let (status, body) = http("GET", &url, b"");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(body, b"hello from nubo\n");

    // One character of the signature changed: refused.
    let last = url.chars().last().unwrap();
    let tampered = format!("{}{}", &url[..url.len() - 1], if last == '0' { '1' } else { '0' });
    let (status, _) = http("GET", &tampered, b"");
    assert_eq!(status, 403);

    // Signed long ago for 60 seconds: expired.
    let mut old = Sandbox::new();
    for (k, v) in &s3.sb.env {
        old.set_env(k, v);
    }
    old.set_env("NUBO_SIGNING_TIME", "20200101T000000Z");
    let expired = nubo_url(&old, &["s3", "presign", &format!("s3://{bucket}/{key}"), "--expires-in", "60"]);
    let (status, _) = http("GET", &expired, b"");
    assert_eq!(status, 403);
}

#[test]
fn presigned_put_uploads_to_s3s_fs() {
    let s3 = s3();
    let bucket = new_bucket(&s3);
    let url = nubo_url(&s3.sb, &["presign", "s3api", "put-object", "--bucket", &bucket, "--key", "up.bin"]);
    let payload: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    let (status, body) = http("PUT", &url, &payload);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));

    let dir = tempfile::tempdir().unwrap();
    let back = dir.path().join("back.bin");
    let out = s3
        .sb
        .nubo()
        .args(["s3api", "get-object", "--bucket", &bucket, "--key", "up.bin", back.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "get-object: {}", stderr_of(&out));
    assert_eq!(std::fs::read(&back).unwrap(), payload);

    // The GET URL for the same object works, and a PUT URL is no GET URL.
    let get = nubo_url(&s3.sb, &["presign", "s3api", "get-object", "--bucket", &bucket, "--key", "up.bin"]);
    let (status, body) = http("GET", &get, b"");
    assert_eq!((status, body.len()), (200, payload.len()));
    let (status, _) = http("GET", &url, b"");
    assert_eq!(status, 403);
}
