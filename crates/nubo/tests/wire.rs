//! Wire fidelity of botocore's request handlers: nubo's `--show-request` compared with the request the
//! Python CLI builds for the same command line (captured by botocore's `before-send` event, nothing
//! sent), on method, path, query and the headers and body the handlers touch; then end-to-end calls
//! against moto, and pagination tokens passed between nubo and the Python CLI both ways.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, moto_url, stderr_of, stdout_of};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

const TIME: &str = "20250101T000000Z";

/// Runs the Python CLI's driver with a `before-send` handler that prints the request as JSON and
/// exits before anything is sent.
const CAPTURE: &str = r#"
import base64, json, os, sys
from awscli.clidriver import create_clidriver
def capture(request, **kwargs):
    body = request.body
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode()
    headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()}
    print(json.dumps({"method": request.method, "url": request.url, "headers": headers,
                      "body": base64.b64encode(body or b"").decode()}))
    sys.stdout.flush()
    os._exit(0)
driver = create_clidriver()
driver.session.register("before-send", capture)
sys.exit(driver.main(sys.argv[1:]))
"#;

/// One request: method, path with query, headers (names lower-cased), body.
#[derive(Debug)]
struct Request {
    method: String,
    path: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The service named in the SigV4 credential scope.
    fn signing_service(&self) -> String {
        let auth = self.header("authorization").expect("signed");
        auth.split("Credential=").nth(1).unwrap().split('/').nth(3).unwrap().to_string()
    }
}

fn python() -> PathBuf {
    let aws = std::env::var("NUBO_TEST_AWS_CLI")
        .expect("NUBO_TEST_AWS_CLI is not set: run the tests through scripts/test");
    PathBuf::from(aws).with_file_name("python")
}

fn sandbox() -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .set_env("AWS_SECRET_ACCESS_KEY", "example-secret")
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("NUBO_SIGNING_TIME", TIME);
    sb
}

/// The request botocore (through the Python CLI) builds for `args`.
fn botocore(sb: &Sandbox, args: &[&str]) -> Request {
    let mut c = std::process::Command::new(python());
    c.env_clear().env("HOME", sb.home()).env("AWS_EC2_METADATA_DISABLED", "true");
    for (k, v) in &sb.env {
        c.env(k, v);
    }
    let out = c.arg("-c").arg(CAPTURE).args(args).output().expect("run python");
    assert!(out.status.success(), "the Python CLI failed for {args:?}: {}", stderr_of(&out));
    let v: Value = serde_json::from_str(stdout_of(&out).trim()).expect("captured JSON");
    let url = v["url"].as_str().unwrap();
    let after_scheme = url.split_once("://").unwrap().1;
    let path = after_scheme.find('/').map(|i| after_scheme[i..].to_string()).unwrap_or("/".into());
    use base64::Engine;
    Request {
        method: v["method"].as_str().unwrap().to_string(),
        path,
        headers: v["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str().unwrap().to_string()))
            .collect(),
        body: base64::engine::general_purpose::STANDARD.decode(v["body"].as_str().unwrap()).unwrap(),
    }
}

/// The request `nubo --show-request` prints for `args`.
fn nubo(sb: &Sandbox, args: &[&str]) -> Request {
    let out = sb.nubo().arg("--show-request").args(args).output().unwrap();
    assert!(out.status.success(), "nubo {args:?} failed: {}", stderr_of(&out));
    let text = out.stdout;
    let split = text.windows(4).position(|w| w == b"\r\n\r\n").map(|i| (i, 4));
    let split = split.or_else(|| text.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2)));
    let (end, sep) = split.expect("a blank line after the headers");
    let head = String::from_utf8(text[..end].to_vec()).unwrap();
    let mut lines = head.lines();
    let mut first = lines.next().unwrap().split(' ');
    let (method, path) = (first.next().unwrap().to_string(), first.next().unwrap().to_string());
    let headers = lines
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.trim().to_ascii_lowercase(), v.trim().to_string())
        })
        .collect();
    Request { method, path, headers, body: text[end + sep..].to_vec() }
}

/// Both requests for the same command line.
fn both(sb: &Sandbox, args: &[&str]) -> (Request, Request) {
    (nubo(sb, args), botocore(sb, args))
}

fn assert_same_line(n: &Request, b: &Request) {
    assert_eq!((&n.method, &n.path), (&b.method, &b.path));
}

fn is_uuid4(s: &str) -> bool {
    s.len() == 36 && s.as_bytes()[14] == b'4' && s.split('-').map(str::len).eq([8, 4, 4, 4, 12])
}

#[test]
fn idempotency_tokens_are_filled_like_botocore() {
    let sb = sandbox();
    let (n, b) = both(&sb, &["efs", "create-file-system"]);
    assert_same_line(&n, &b);
    let (nb, bb): (Value, Value) =
        (serde_json::from_slice(&n.body).unwrap(), serde_json::from_slice(&b.body).unwrap());
    assert!(is_uuid4(nb["CreationToken"].as_str().unwrap()), "{nb}");
    assert!(is_uuid4(bb["CreationToken"].as_str().unwrap()), "{bb}");
    assert_eq!(nb.as_object().unwrap().len(), bb.as_object().unwrap().len());

    let args = ["globalaccelerator", "create-accelerator", "--name", "a", "--region", "us-west-2"];
    let (n, b) = both(&sb, &args);
    assert_same_line(&n, &b);
    let (nb, bb): (Value, Value) =
        (serde_json::from_slice(&n.body).unwrap(), serde_json::from_slice(&b.body).unwrap());
    assert!(is_uuid4(nb["IdempotencyToken"].as_str().unwrap()) && bb["IdempotencyToken"].is_string());

    // Not required, filled all the same (query protocol: compare the form without the token).
    let (n, b) = both(&sb, &["ec2", "run-instances", "--image-id", "ami-1"]);
    let strip = |body: &[u8]| -> Vec<String> {
        let s = String::from_utf8(body.to_vec()).unwrap();
        s.split('&').filter(|p| !p.starts_with("ClientToken=")).map(str::to_string).collect()
    };
    assert_eq!(strip(&n.body), strip(&b.body));
    assert!(String::from_utf8_lossy(&n.body).contains("ClientToken="));
}

#[test]
fn route53_ids_lose_their_prefix() {
    let sb = sandbox();
    for args in [
        &["route53", "get-change", "--id", "/change/C123"][..],
        &["route53", "get-hosted-zone", "--id", "/hostedzone/Z1"],
        &["route53", "get-reusable-delegation-set", "--id", "/delegationset/N1"],
        &["route53", "list-resource-record-sets", "--hosted-zone-id", "/hostedzone/Z1"],
    ] {
        let (n, b) = both(&sb, args);
        assert_same_line(&n, &b);
    }
    assert_eq!(nubo(&sb, &["route53", "get-change", "--id", "/change/C123"]).path, "/2013-04-01/change/C123");
}

#[test]
fn glacier_version_account_and_tree_hash() {
    let sb = sandbox();
    let (n, b) = both(&sb, &["glacier", "list-vaults", "--account-id", "-"]);
    assert_same_line(&n, &b);
    assert_eq!(n.header("x-amz-glacier-version"), Some("2012-06-01"));
    assert_eq!(n.header("x-amz-glacier-version"), b.header("x-amz-glacier-version"));
    // Without --account-id (lifted by --cli-input-json) the account is `-`.
    let (n, b) = both(&sb, &["glacier", "list-vaults", "--cli-input-json", "{}"]);
    assert_same_line(&n, &b);

    // Two and a half MiB: three tree-hash leaves.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("archive");
    let data: Vec<u8> = (0..(5 << 19)).map(|i: u32| (i % 251) as u8).collect();
    std::fs::write(&file, &data).unwrap();
    let body = file.display().to_string();
    let args = ["glacier", "upload-archive", "--account-id", "-", "--vault-name", "v", "--body", &body];
    let (n, b) = both(&sb, &args);
    assert_same_line(&n, &b);
    for h in ["x-amz-glacier-version", "x-amz-content-sha256", "x-amz-sha256-tree-hash"] {
        assert!(n.header(h).is_some(), "{h} missing");
        assert_eq!(n.header(h), b.header(h), "{h}");
    }
    assert_eq!(n.body, data);
    let args = [
        "glacier",
        "upload-multipart-part",
        "--account-id",
        "-",
        "--vault-name",
        "v",
        "--upload-id",
        "u",
        "--range",
        "bytes 0-2621439/*",
        "--body",
        &body,
    ];
    let (n, b) = both(&sb, &args);
    assert_same_line(&n, &b);
    assert_eq!(n.header("x-amz-sha256-tree-hash"), b.header("x-amz-sha256-tree-hash"));
}

#[test]
fn api_gateway_accepts_json() {
    let sb = sandbox();
    let (n, b) = both(&sb, &["apigateway", "get-rest-apis"]);
    assert_same_line(&n, &b);
    assert_eq!(n.header("accept"), Some("application/json"));
    assert_eq!(n.header("accept"), b.header("accept"));
}

#[test]
fn sse_c_keys_are_encoded_with_their_md5() {
    let sb = sandbox();
    let key = "0123456789abcdef0123456789abcdef";
    let args = ["s3api", "head-object", "--bucket", "b", "--key", "k", "--sse-customer-algorithm", "AES256"];
    let (n, b) = both(&sb, &[&args[..], &["--sse-customer-key", key]].concat());
    assert_same_line(&n, &b);
    for h in ["x-amz-server-side-encryption-customer-key", "x-amz-server-side-encryption-customer-key-md5"] {
        assert!(n.header(h).is_some(), "{h} missing");
        assert_eq!(n.header(h), b.header(h), "{h}");
    }
    let copy = [
        "s3api",
        "copy-object",
        "--bucket",
        "b",
        "--key",
        "k",
        "--copy-source",
        "src/k",
        "--copy-source-sse-customer-algorithm",
        "AES256",
        "--copy-source-sse-customer-key",
        key,
    ];
    let (n, b) = both(&sb, &copy);
    for h in [
        "x-amz-copy-source-server-side-encryption-customer-key",
        "x-amz-copy-source-server-side-encryption-customer-key-md5",
    ] {
        assert!(n.header(h).is_some(), "{h} missing");
        assert_eq!(n.header(h), b.header(h), "{h}");
    }
    // An MD5 given by hand: both sent as given.
    let (n, b) =
        both(&sb, &[&args[..], &["--sse-customer-key", key, "--sse-customer-key-md5", "given"]].concat());
    assert_eq!(n.header("x-amz-server-side-encryption-customer-key"), Some(key));
    assert_eq!(
        n.header("x-amz-server-side-encryption-customer-key"),
        b.header("x-amz-server-side-encryption-customer-key")
    );
}

#[test]
fn importexport_signs_with_the_rule_sets_name() {
    let sb = sandbox();
    for region in ["us-east-1", "eu-west-1"] {
        let (n, b) = both(&sb, &["importexport", "list-jobs", "--region", region]);
        assert_same_line(&n, &b);
        assert_eq!(n.signing_service(), "IngestionService");
        assert_eq!(n.signing_service(), b.signing_service());
        assert_eq!(n.body, b.body);
    }
}

#[test]
fn max_items_is_only_a_pagination_option() {
    let sb = sandbox();
    let (n, b) = both(&sb, &["cloudfront", "list-distribution-tenants", "--max-items", "5"]);
    assert_same_line(&n, &b);
    assert_eq!(String::from_utf8_lossy(&n.body), String::from_utf8_lossy(&b.body));
    // The paginator is found (CloudFront's dated operation names): the paging options are accepted.
    let n = nubo(&sb, &["cloudfront", "list-distributions", "--page-size", "5", "--starting-token", "x"]);
    assert_eq!(n.method, "GET");
}

fn moto_sandbox() -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "testing-key-id")
        .set_env("AWS_SECRET_ACCESS_KEY", "testing-secret")
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("AWS_ENDPOINT_URL", &moto_url());
    sb
}

fn json_of(sb: &Sandbox, args: &[&str]) -> Value {
    let out = sb.nubo().args(args).output().unwrap();
    assert!(out.status.success(), "nubo {args:?}: {}", stderr_of(&out));
    serde_json::from_str(&stdout_of(&out)).unwrap()
}

fn aws_json(sb: &Sandbox, args: &[&str]) -> Value {
    let out = sb.aws().args(args).args(["--endpoint-url", &moto_url()]).output().unwrap();
    assert!(out.status.success(), "aws {args:?}: {}", stderr_of(&out));
    serde_json::from_str(&stdout_of(&out)).unwrap()
}

#[test]
fn end_to_end_on_moto() {
    let sb = moto_sandbox();
    let fs = json_of(&sb, &["efs", "create-file-system"]);
    assert!(is_uuid4(fs["CreationToken"].as_str().unwrap()), "{fs}");

    let name = format!("wire-{}.example.com", std::process::id());
    let zone = json_of(&sb, &["route53", "create-hosted-zone", "--name", &name, "--caller-reference", &name]);
    let id = zone["HostedZone"]["Id"].as_str().unwrap();
    assert!(id.starts_with("/hostedzone/"), "{id}");
    let got = json_of(&sb, &["route53", "get-hosted-zone", "--id", id]);
    assert_eq!(got["HostedZone"]["Id"], zone["HostedZone"]["Id"]);
    let change = zone["ChangeInfo"]["Id"].as_str().unwrap();
    let got = json_of(&sb, &["route53", "get-change", "--id", change]);
    assert!(got["ChangeInfo"]["Id"].as_str().unwrap().ends_with(change.rsplit('/').next().unwrap()));

    let api = json_of(&sb, &["apigateway", "create-rest-api", "--name", "wire"]);
    let apis = json_of(&sb, &["apigateway", "get-rest-apis"]);
    assert!(apis["items"].as_array().unwrap().iter().any(|a| a["id"] == api["id"]), "{apis}");
}

#[test]
fn pagination_tokens_work_across_both_clis() {
    let sb = moto_sandbox();
    let prefix = format!("/wire{}/", std::process::id());
    for i in 0..5 {
        json_of(
            &sb,
            &[
                "iam",
                "create-user",
                "--user-name",
                &format!("wire{}-{i}", std::process::id()),
                "--path",
                &prefix,
            ],
        );
    }
    let names = |v: &Value| -> Vec<String> {
        v["Users"].as_array().unwrap().iter().map(|u| u["UserName"].as_str().unwrap().to_string()).collect()
    };
    let all = names(&json_of(&sb, &["iam", "list-users", "--path-prefix", &prefix]));
    assert_eq!(all.len(), 5);
    for page_size in [None, Some("2")] {
        let mut first_args = vec!["iam", "list-users", "--path-prefix", &prefix, "--max-items", "3"];
        if let Some(s) = page_size {
            first_args.extend(["--page-size", s]);
        }
        // nubo's token resumed by the Python CLI, and the Python CLI's by nubo.
        let ours = json_of(&sb, &first_args);
        let theirs = aws_json(&sb, &first_args);
        assert_eq!(ours["NextToken"], theirs["NextToken"], "same token from both");
        let token = ours["NextToken"].as_str().unwrap();
        let rest = ["iam", "list-users", "--path-prefix", &prefix, "--starting-token", token];
        let by_aws = aws_json(&sb, &rest);
        let theirs_token = theirs["NextToken"].as_str().unwrap();
        let rest_nubo = ["iam", "list-users", "--path-prefix", &prefix, "--starting-token", theirs_token];
        let by_nubo = json_of(&sb, &rest_nubo);
        assert_eq!([names(&ours), names(&by_aws)].concat(), all);
        assert_eq!([names(&theirs), names(&by_nubo)].concat(), all);
    }
}
