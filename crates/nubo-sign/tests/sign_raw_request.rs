//! End to end through the public API, as `nubo sign` uses it: a raw request is parsed, signed with
//! every header, and printed in the `--show-request` format.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

use nubo_sign::{Credentials, SigningOptions, raw, sign, signing_time_from_env};

#[test]
fn raw_request_is_signed_and_printed_host_first() {
    // The SigV4 suite's post-x-www-form-urlencoded-parameters request, with CRLF line ends and the
    // Host header last; its expected Authorization is the suite's.
    let input = b"POST / HTTP/1.1\r\nContent-Type:application/x-www-form-urlencoded; charset=utf8\r\n\
X-Amz-Date:20150830T123600Z\r\nHost:example.amazonaws.com\r\n\r\nParam1=value1";
    let mut request = raw::parse_request(input).unwrap().into_signing_request().unwrap();
    let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
    let mut options =
        SigningOptions::new("service", "us-east-1", signing_time_from_env("20150830T123600Z").unwrap());
    options.sign_all_headers = true;
    let output = sign(&mut request, &credentials, &options).unwrap();

    let body = match &request.body {
        nubo_sign::Body::Bytes(bytes) => bytes.clone(),
        other => panic!("body changed to {other:?}"),
    };
    let printed = raw::format_request(&request.method, &request.url, &request.headers, &body);
    assert_eq!(
        String::from_utf8(printed).unwrap(),
        "POST / HTTP/1.1\n\
         Host: example.amazonaws.com\n\
         Content-Type: application/x-www-form-urlencoded; charset=utf8\n\
         X-Amz-Date: 20150830T123600Z\n\
         Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date, \
         Signature=1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe\n\
         \n\
         Param1=value1"
    );
    assert!(output.canonical_request().unwrap().ends_with(
        "\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"
    ));
}

#[test]
fn raw_request_with_absolute_url_gets_a_derived_host() {
    let input = b"GET http://127.0.0.1:9000/bucket/key%20one?x-id=GetObject HTTP/1.1\n\n";
    let mut request = raw::parse_request(input).unwrap().into_signing_request().unwrap();
    let credentials = Credentials::new("AKID", "secret", Some("token".into()));
    let mut options =
        SigningOptions::new("s3", "us-east-1", signing_time_from_env("20240101T000000Z").unwrap());
    options.s3_rules = true;
    options.sign_all_headers = true;
    let output = sign(&mut request, &credentials, &options).unwrap();
    let printed =
        String::from_utf8(raw::format_request(&request.method, &request.url, &request.headers, &[])).unwrap();
    assert!(
        printed.starts_with("GET /bucket/key%20one?x-id=GetObject HTTP/1.1\nHost: 127.0.0.1:9000\n"),
        "{printed}"
    );
    assert!(printed.contains("\nX-Amz-Security-Token: token\n"));
    assert!(printed.contains(
        "\nX-Amz-Content-SHA256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
    ));
    let creq = output.canonical_request().unwrap();
    assert!(creq.starts_with("GET\n/bucket/key%20one\nx-id=GetObject\nhost:127.0.0.1:9000\n"), "{creq}");
}
