//! `nubo curl` end to end: requests signed for s3s-fs (which verifies every signature) and moto,
//! curl's exit codes for HTTP errors and connection failures, `-i`, `-o`, `--fail-with-body`,
//! presigned URLs fetched by a plain client, and the service and region read from AWS host names.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, moto_url, s3_sandbox, s3_url, stderr_of, stdout_of};
use std::io::{Read, Write};

/// A sandbox with made-up keys and a pinned signing clock, for requests that are only printed.
fn offline_sandbox() -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .set_env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .set_env("AWS_DEFAULT_REGION", "ap-south-1")
        .set_env("NUBO_SIGNING_TIME", "20240102T030405Z")
        .set_env("AWS_EC2_METADATA_DISABLED", "true");
    sb
}

/// Runs `nubo curl ARGS` and returns the output.
fn curl(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    sb.nubo().arg("curl").args(args).output().unwrap()
}

/// Runs `nubo curl ARGS`, requires success, returns standard output.
fn curl_ok(sb: &Sandbox, args: &[&str]) -> Vec<u8> {
    let out = curl(sb, args);
    assert!(out.status.success(), "nubo curl {args:?} failed: {}", stderr_of(&out));
    out.stdout
}

/// Creates a bucket on s3s-fs through `nubo curl` (an existing one is fine).
fn make_bucket(sb: &Sandbox, bucket: &str) {
    let out = curl(
        sb,
        &["-X", "PUT", "--service", "s3", "--region", "us-east-1", &format!("{}/{bucket}", s3_url())],
    );
    assert!(
        out.status.success() || stderr_of(&out).contains("409"),
        "create bucket failed: {}",
        stderr_of(&out)
    );
}

/// GETs a URL with a plain HTTP/1.1 client (no signing): status code and body.
fn plain_get(url: &str) -> (u16, Vec<u8>) {
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (authority, target) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut s = std::net::TcpStream::connect(authority).unwrap();
    write!(s, "GET {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n").unwrap();
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).unwrap();
    let split = resp.windows(4).position(|w| w == b"\r\n\r\n").expect("end of the response head");
    let head = String::from_utf8_lossy(&resp[..split]).into_owned();
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, resp[split + 4..].to_vec())
}

#[test]
fn s3_put_get_list_against_a_verifying_server() {
    let sb = s3_sandbox(None);
    let bucket = format!("{}/nubo-curl-io", s3_url());
    make_bucket(&sb, "nubo-curl-io");
    // Binary content, line breaks included, goes up byte for byte with --data-binary.
    let payload: Vec<u8> = b"line one\r\nline two\n\x00\xff\xfe binary tail".to_vec();
    let file = sb.home().join("payload.bin");
    std::fs::write(&file, &payload).unwrap();
    let at_file = format!("@{}", file.display());
    for key in ["plain.bin", "with%20space/%C3%BCnicode.bin"] {
        let url = format!("{bucket}/{key}");
        let put = curl_ok(
            &sb,
            &["-X", "PUT", "--data-binary", &at_file, "--service", "s3", "--region", "us-east-1", &url],
        );
        assert!(put.is_empty(), "{}", String::from_utf8_lossy(&put));
        let got = curl_ok(&sb, &["--service", "s3", "--region", "us-east-1", &url]);
        assert_eq!(got, payload, "{key}");
    }

    // The region comes from the settings chain when neither the host nor --region gives it.
    let mut with_region = s3_sandbox(None);
    with_region.set_env("AWS_DEFAULT_REGION", "us-east-1");
    let listing =
        String::from_utf8(curl_ok(&with_region, &["--service", "s3", &format!("{bucket}?list-type=2")]))
            .unwrap();
    assert!(listing.contains("<ListBucketResult"), "{listing}");
    assert!(listing.contains("<Key>plain.bin</Key>"), "{listing}");
    assert!(listing.contains("<Key>with space/ünicode.bin</Key>"), "{listing}");

    // -i: the status line and headers, CRLF-terminated, then the body.
    let url = format!("{bucket}/plain.bin");
    let included = curl_ok(&sb, &["-i", "--service", "s3", "--region", "us-east-1", &url]);
    let split = included.windows(4).position(|w| w == b"\r\n\r\n").expect("headers end");
    let head = String::from_utf8_lossy(&included[..split]).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200 ok\r\n"), "{head}");
    assert!(head.contains(&format!("\r\ncontent-length: {}", payload.len())), "{head}");
    assert_eq!(&included[split + 4..], &payload[..]);

    // -o FILE: the body goes to the file, nothing to standard output.
    let dest = sb.home().join("out.bin");
    let out = curl_ok(&sb, &["-o", dest.to_str().unwrap(), "--service", "s3", "--region", "us-east-1", &url]);
    assert!(out.is_empty());
    assert_eq!(std::fs::read(&dest).unwrap(), payload);

    // -d: the data is sent (line breaks of an @file removed), POST unless -X says otherwise.
    let text_file = sb.home().join("form.txt");
    std::fs::write(&text_file, "a=1\nb=2\n").unwrap();
    let form_url = format!("{bucket}/form.txt");
    curl_ok(
        &sb,
        &[
            "-X",
            "PUT",
            "-d",
            &format!("@{}", text_file.display()),
            "--service",
            "s3",
            "--region",
            "us-east-1",
            &form_url,
        ],
    );
    assert_eq!(curl_ok(&sb, &["--service", "s3", "--region", "us-east-1", &form_url]), b"a=1b=2");

    // An HTTP error: exit 22, nothing on standard output.
    let out = curl(&sb, &["--service", "s3", "--region", "us-east-1", &format!("{bucket}/missing-key")]);
    assert_eq!(out.status.code(), Some(22), "{}", stderr_of(&out));
    assert!(out.stdout.is_empty());
    assert!(stderr_of(&out).contains("404"), "{}", stderr_of(&out));
}

#[test]
fn a_wrong_secret_exits_22_and_prints_nothing() {
    let good = s3_sandbox(None);
    make_bucket(&good, "nubo-curl-auth");
    let url = format!("{}/nubo-curl-auth?list-type=2", s3_url());
    let bad = s3_sandbox(Some("not-the-secret"));
    let out = curl(&bad, &["--service", "s3", "--region", "us-east-1", &url]);
    assert_eq!(out.status.code(), Some(22), "{}", stderr_of(&out));
    assert!(out.stdout.is_empty(), "{}", stdout_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("403"), "{err}");
    assert!(!err.contains("not-the-secret"), "{err}");

    // --fail-with-body prints the service's XML error, still exiting 22.
    let out = curl(&bad, &["--fail-with-body", "--service", "s3", "--region", "us-east-1", &url]);
    assert_eq!(out.status.code(), Some(22), "{}", stderr_of(&out));
    let body = stdout_of(&out);
    assert!(body.contains("<Code>SignatureDoesNotMatch</Code>"), "{body}");

    // With -i the head comes first.
    let out = curl(&bad, &["-i", "--fail-with-body", "--service", "s3", "--region", "us-east-1", &url]);
    assert_eq!(out.status.code(), Some(22));
    assert!(stdout_of(&out).starts_with("HTTP/1.1 403 Forbidden\r\n"), "{}", stdout_of(&out));
}

#[test]
fn presigned_urls_work_with_a_plain_client() {
    let sb = s3_sandbox(None);
    make_bucket(&sb, "nubo-curl-presign");
    let url = format!("{}/nubo-curl-presign/shared%20file.txt", s3_url());
    curl_ok(
        &sb,
        &["-X", "PUT", "--data-binary", "shared content", "--service", "s3", "--region", "us-east-1", &url],
    );

    let presigned = String::from_utf8(curl_ok(
        &sb,
        &["--presign", "--expires-in", "120", "--service", "s3", "--region", "us-east-1", &url],
    ))
    .unwrap();
    let presigned = presigned.trim_end();
    assert!(presigned.starts_with(&format!("{url}?")), "{presigned}");
    assert!(presigned.contains("X-Amz-Expires=120"), "{presigned}");
    assert!(presigned.contains("X-Amz-Signature="), "{presigned}");
    assert_eq!(plain_get(presigned), (200, b"shared content".to_vec()));

    // Signed with the wrong secret, the server refuses it.
    let bad = s3_sandbox(Some("not-the-secret"));
    let wrong =
        String::from_utf8(curl_ok(&bad, &["--presign", "--service", "s3", "--region", "us-east-1", &url]))
            .unwrap();
    assert!(wrong.contains("X-Amz-Expires=3600"), "{wrong}");
    assert_eq!(plain_get(wrong.trim_end()).0, 403);
}

#[test]
fn sts_get_caller_identity_on_moto() {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "testing-key-id")
        .set_env("AWS_SECRET_ACCESS_KEY", "testing-secret")
        .set_env("AWS_DEFAULT_REGION", "us-east-1");
    let out = curl_ok(
        &sb,
        &[
            "-X",
            "POST",
            "-d",
            "Action=GetCallerIdentity&Version=2011-06-15",
            "-H",
            "Content-Type: application/x-www-form-urlencoded",
            "--service",
            "sts",
            &format!("{}/", moto_url()),
        ],
    );
    let xml = String::from_utf8(out).unwrap();
    assert!(xml.contains("<GetCallerIdentityResponse"), "{xml}");
    assert!(xml.contains("<Account>123456789012</Account>"), "{xml}");
    assert!(xml.contains("<Arn>arn:aws:sts::123456789012:user/moto</Arn>"), "{xml}");
}

#[test]
fn connection_refused_exits_7() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let sb = offline_sandbox();
    let out = curl(&sb, &["--service", "s3", &format!("http://127.0.0.1:{port}/bucket/key")]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr_of(&out));
    assert!(out.stdout.is_empty());
    assert!(stderr_of(&out).contains("Could not connect"), "{}", stderr_of(&out));
}

#[test]
fn usage_and_credential_errors() {
    let sb = offline_sandbox();
    // The service of a non-AWS host cannot be guessed.
    let out = curl(&sb, &["http://127.0.0.1:9/x"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(stderr_of(&out).contains("--service"), "{}", stderr_of(&out));
    for args in [&["--service", "s3"][..], &["--bogus", "http://h/"], &["a", "b"], &["-X"], &["ftp://h/x"]] {
        assert_eq!(curl(&sb, args).status.code(), Some(252), "{args:?}");
    }
    // No credentials anywhere: 253, before any connection is tried.
    let mut empty = Sandbox::new();
    empty.set_env("AWS_EC2_METADATA_DISABLED", "true");
    let out = curl(&empty, &["--service", "s3", "http://127.0.0.1:9/x"]);
    assert_eq!(out.status.code(), Some(253), "{}", stderr_of(&out));
    assert!(out.stdout.is_empty());
}

/// `--show-request` prints the signed request; its scope shows what was inferred from the host.
fn shown(sb: &Sandbox, args: &[&str]) -> String {
    let out = sb.nubo().arg("--show-request").arg("curl").args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr_of(&out));
    stdout_of(&out)
}

#[test]
fn service_and_region_come_from_the_host() {
    let sb = offline_sandbox();
    let cases = [
        ("https://sqs.eu-west-1.amazonaws.com/?Action=ListQueues", "/eu-west-1/sqs/"),
        ("https://bucket.s3.us-west-2.amazonaws.com/key", "/us-west-2/s3/"),
        ("https://s3.amazonaws.com/bucket/key", "/us-east-1/s3/"),
        ("https://abc123.execute-api.eu-central-1.amazonaws.com/prod/items", "/eu-central-1/execute-api/"),
        ("https://abcdefgh.lambda-url.us-east-2.on.aws/", "/us-east-2/lambda/"),
        ("https://search-d-abc.ca-central-1.es.amazonaws.com/_search", "/ca-central-1/es/"),
        ("https://coll123.us-west-1.aoss.amazonaws.com/index/_doc/1", "/us-west-1/aoss/"),
        ("https://email.sa-east-1.amazonaws.com/", "/sa-east-1/ses/"),
        ("iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08", "/us-east-1/iam/"),
    ];
    for (url, scope) in cases {
        let text = shown(&sb, &[url]);
        assert!(
            text.contains(&format!("Credential=AKIDEXAMPLE/20240102{scope}aws4_request")),
            "{url}:\n{text}"
        );
    }
    // S3 hosts sign with S3's rules.
    let text = shown(&sb, &["https://bucket.s3.us-west-2.amazonaws.com/a%20b"]);
    assert!(text.starts_with("GET /a%20b HTTP/1.1\nHost: bucket.s3.us-west-2.amazonaws.com\n"), "{text}");
    assert!(text.to_ascii_lowercase().contains("\nx-amz-content-sha256: e3b0c442"), "{text}");
    let text = shown(&sb, &["https://sqs.eu-west-1.amazonaws.com/"]);
    assert!(!text.to_ascii_lowercase().contains("x-amz-content-sha256"), "{text}");
    // --region (global) wins over the host; --service names the signing service.
    let text = shown(
        &sb,
        &["--region", "eu-north-1", "--service", "execute-api", "https://sqs.eu-west-1.amazonaws.com/"],
    );
    assert!(text.contains("/20240102/eu-north-1/execute-api/aws4_request"), "{text}");
    // Otherwise an unknown host takes the region from the settings chain.
    let text = shown(&sb, &["--service", "execute-api", "https://api.example.com/v1"]);
    assert!(text.contains("/20240102/ap-south-1/execute-api/aws4_request"), "{text}");
    // Data: POST by default, a form content type unless one is given, the body as given.
    let text =
        shown(&sb, &["-d", "Action=ListQueues", "-H", "X-Extra: 1", "https://sqs.eu-west-1.amazonaws.com/"]);
    assert!(text.starts_with("POST / HTTP/1.1\n"), "{text}");
    assert!(text.contains("\nContent-Type: application/x-www-form-urlencoded\n"), "{text}");
    assert!(text.contains("\nX-Extra: 1\n"), "{text}");
    assert!(text.contains("SignedHeaders=accept;content-type;host;x-amz-date;x-extra,"), "{text}");
    assert!(text.ends_with("\n\nAction=ListQueues"), "{text}");
    // The same inputs sign the same way.
    assert_eq!(
        text,
        shown(&sb, &["-d", "Action=ListQueues", "-H", "X-Extra: 1", "https://sqs.eu-west-1.amazonaws.com/"])
    );
}

#[test]
fn presign_of_an_inferred_host_is_reproducible() {
    let sb = offline_sandbox();
    let url = curl_ok(
        &sb,
        &["--presign", "--expires-in", "300", "https://bucket.s3.eu-west-3.amazonaws.com/k.txt"],
    );
    let url = String::from_utf8(url).unwrap();
    assert!(
        url.starts_with(
            "https://bucket.s3.eu-west-3.amazonaws.com/k.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Feu-west-3%2Fs3%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature="
        ),
        "{url}"
    );
    assert!(!url.contains("secret"), "{url}");
    let help = sb.nubo().args(["curl", "help"]).output().unwrap();
    assert!(stdout_of(&help).contains("--presign"));
}
