//! Tests of [`crate::sign`] against signatures computed once with botocore 1.43.11, and of its
//! handling of tokens, header order, S3 keys, bad input and secrets.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::*;
use crate::signing_time_from_env;

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FQoGZXIvYXdzEXAMPLE/token+with=chars";

fn time() -> SystemTime {
    signing_time_from_env("20150830T123600Z").unwrap()
}

fn creds(token: Option<&str>) -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET_KEY, token.map(str::to_owned))
}

fn request(method: &str, url: &str, headers: &[(&str, &str)], body: Body) -> SigningRequest {
    SigningRequest {
        method: method.into(),
        url: url.into(),
        headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
        body,
    }
}

fn s3_presign(expires: u64) -> SigningOptions {
    let mut options = SigningOptions::new("s3", "us-east-1", time());
    options.s3_rules = true;
    options.expires_in = Some(Duration::from_secs(expires));
    options
}

fn header<'a>(req: &'a SigningRequest, name: &str) -> Option<&'a str> {
    req.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

// The expected URLs and headers below were produced once with botocore 1.43.11 (Python), its clock
// pinned to 2015-08-30T12:36:00Z by patching botocore.auth.get_current_datetime, with the access
// key and secret above:
//   session.create_client('s3', region_name='us-east-1', aws_session_token=None or TOKEN,
//       config=Config(signature_version='s3v4', s3={'addressing_style': 'virtual'}))
//     .generate_presigned_url('get_object', Params={'Bucket': 'examplebucket', 'Key': KEY}, ExpiresIn=N)
// and, for header signing, botocore.auth.S3SigV4Auth(Credentials(...), 's3', 'us-east-1').add_auth()
// on an AWSRequest (PUT, body b'hello world', Content-Type image/jpeg), with
// _should_sha256_sign_payload patched to return False for the unsigned-payload case.

#[test]
fn presigned_get_object_matches_botocore() {
    let mut req = request("GET", "https://examplebucket.s3.amazonaws.com/test.txt", &[], Body::Unsigned);
    let out = sign(&mut req, &creds(None), &s3_presign(3600)).unwrap();
    assert_eq!(
        req.url,
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request\
         &X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host\
         &X-Amz-Signature=2608dd24fb2064b015d622de5be251f41058c0fa4401eaed3807146025472f9d"
    );
    assert!(req.headers.is_empty(), "presigning adds no header");
    assert_eq!(out.signature(), "2608dd24fb2064b015d622de5be251f41058c0fa4401eaed3807146025472f9d");
    assert_eq!(
        out.canonical_request().unwrap(),
        "GET\n/test.txt\nX-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request\
         &X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host\n\
         host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD"
    );
    assert!(out.string_to_sign().unwrap().starts_with("AWS4-HMAC-SHA256\n20150830T123600Z\n"));
}

#[test]
fn presigned_get_object_with_session_token_matches_botocore() {
    let mut req = request("GET", "https://examplebucket.s3.amazonaws.com/test.txt", &[], Body::Unsigned);
    let out = sign(&mut req, &creds(Some(TOKEN)), &s3_presign(3600)).unwrap();
    assert_eq!(
        req.url,
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request\
         &X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host\
         &X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLE%2Ftoken%2Bwith%3Dchars\
         &X-Amz-Signature=26366d0b5a86a4606df4810389b5ead3b85c79f218197406f29bdb53eba63f1b"
    );
    assert!(out.canonical_request().unwrap().contains("&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLE%2Ftoken"));
}

#[test]
fn presigned_key_with_spaces_and_unicode_matches_botocore() {
    let url = "https://examplebucket.s3.amazonaws.com/photos/my%20summer%20%E2%82%AC.jpg";
    for (token, signature) in [
        (None, "cfa56e4f17f4d0da5573b331c589089d03ed3459be11414ecd372bb075260870"),
        (Some(TOKEN), "97b139f3f8d8e96652994897bb68d879ecd1de8556b3c8022b0c330025c4dfd5"),
    ] {
        let mut req = request("GET", url, &[], Body::Unsigned);
        let out = sign(&mut req, &creds(token), &s3_presign(86400)).unwrap();
        assert_eq!(out.signature(), signature);
        assert!(req.url.starts_with(&format!("{url}?X-Amz-Algorithm=AWS4-HMAC-SHA256&")));
        assert!(req.url.contains("&X-Amz-Expires=86400&"));
        assert!(req.url.ends_with(&format!("&X-Amz-Signature={signature}")));
        // S3 signs the path exactly as sent: encoded once.
        assert!(out.canonical_request().unwrap().starts_with("GET\n/photos/my%20summer%20%E2%82%AC.jpg\n"));
    }
}

#[test]
fn s3_put_with_key_with_spaces_and_unicode_matches_botocore() {
    let url = "https://examplebucket.s3.us-east-1.amazonaws.com/photos/my%20summer%20%E2%82%AC.jpg";
    let mut req =
        request("PUT", url, &[("Content-Type", "image/jpeg")], Body::Bytes(b"hello world".to_vec()));
    let mut options = SigningOptions::new("s3", "us-east-1", time());
    options.s3_rules = true;
    let out = sign(&mut req, &creds(None), &options).unwrap();
    assert_eq!(
        header(&req, "Authorization").unwrap(),
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, \
         SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, \
         Signature=d108aabf7ed6e01abd45219731b99732d1a114369410fb9abfe935ac5845d82a"
    );
    assert_eq!(
        header(&req, "x-amz-content-sha256").unwrap(),
        "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
    );
    assert_eq!(header(&req, "x-amz-date").unwrap(), "20150830T123600Z");
    assert!(out.canonical_request().is_some());
}

#[test]
fn s3_put_unsigned_payload_with_session_token_matches_botocore() {
    let url = "https://examplebucket.s3.us-east-1.amazonaws.com/photos/my%20summer%20%E2%82%AC.jpg";
    let mut req = request("PUT", url, &[("Content-Type", "image/jpeg")], Body::Unsigned);
    let mut options = SigningOptions::new("s3", "us-east-1", time());
    options.s3_rules = true;
    let out = sign(&mut req, &creds(Some(TOKEN)), &options).unwrap();
    assert_eq!(
        header(&req, "Authorization").unwrap(),
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, \
         SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, \
         Signature=b0f75bf551a0e255f5a7806cda45b577bc0d61926987bcc3c156a8c1a3af358b"
    );
    assert_eq!(header(&req, "X-Amz-Content-SHA256").unwrap(), "UNSIGNED-PAYLOAD");
    assert_eq!(header(&req, "X-Amz-Security-Token").unwrap(), TOKEN);
    assert!(out.canonical_request().unwrap().contains(&format!("\nx-amz-security-token:{TOKEN}\n")));
}

#[test]
fn precomputed_hash_signs_like_the_bytes() {
    let url = "https://examplebucket.s3.us-east-1.amazonaws.com/photos/my%20summer%20%E2%82%AC.jpg";
    let mut options = SigningOptions::new("s3", "us-east-1", time());
    options.s3_rules = true;
    let mut a = request("PUT", url, &[("Content-Type", "image/jpeg")], Body::Bytes(b"hello world".to_vec()));
    let mut b = request("PUT", url, &[("Content-Type", "image/jpeg")], Body::precomputed(b"hello world"));
    assert_eq!(
        sign(&mut a, &creds(None), &options).unwrap().signature(),
        sign(&mut b, &creds(None), &options).unwrap().signature()
    );
}

#[test]
fn session_token_header_is_added_signed_and_replaces_a_stale_one() {
    let mut req = request(
        "GET",
        "https://ec2.us-east-1.amazonaws.com/?Action=DescribeRegions&Version=2016-11-15",
        &[("x-amz-security-token", "stale"), ("X-AMZ-SECURITY-TOKEN", "stale too")],
        Body::empty(),
    );
    let options = SigningOptions::new("ec2", "us-east-1", time());
    let out = sign(&mut req, &creds(Some(TOKEN)), &options).unwrap();
    let tokens: Vec<_> =
        req.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("x-amz-security-token")).collect();
    assert_eq!(tokens, [&("x-amz-security-token".to_string(), TOKEN.to_string())]);
    assert!(
        header(&req, "Authorization")
            .unwrap()
            .contains("SignedHeaders=host;x-amz-date;x-amz-security-token,")
    );
    assert!(out.canonical_request().unwrap().contains(&format!("x-amz-security-token:{TOKEN}\n")));

    // Without a token nothing is added.
    let mut req = request("GET", "https://ec2.us-east-1.amazonaws.com/", &[], Body::empty());
    sign(&mut req, &creds(None), &options).unwrap();
    assert!(header(&req, "X-Amz-Security-Token").is_none());
    let names: Vec<_> = req.headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["X-Amz-Date", "Authorization"]);
}

#[test]
fn header_order_does_not_change_the_signature() {
    let url = "https://service.us-west-2.amazonaws.com/path?b=2&a=1";
    let headers = [("Content-Type", "application/json"), ("X-Amz-Target", "Svc.Op"), ("x-custom", " a   b ")];
    let options = SigningOptions::new("service", "us-west-2", time());
    let mut signatures = Vec::new();
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
        let shuffled: Vec<_> = order.iter().map(|&i| headers[i]).collect();
        let mut req = request("POST", url, &shuffled, Body::Bytes(b"{}".to_vec()));
        signatures.push(sign(&mut req, &creds(None), &options).unwrap().signature().to_owned());
    }
    assert!(signatures.windows(2).all(|w| w[0] == w[1]), "{signatures:?}");
    // Case of names does not matter either.
    let mut req = request(
        "POST",
        url,
        &[("content-type", "application/json"), ("x-amz-target", "Svc.Op"), ("X-CUSTOM", "a b")],
        Body::Bytes(b"{}".to_vec()),
    );
    assert_eq!(sign(&mut req, &creds(None), &options).unwrap().signature(), signatures[0]);
}

#[test]
fn unsigned_in_transit_headers_are_left_out_unless_all_are_signed() {
    let url = "https://service.us-east-1.amazonaws.com/";
    let headers = [("User-Agent", "nubo/0.1"), ("X-Amzn-Trace-Id", "Root=1"), ("Expect", "100-continue")];
    let mut options = SigningOptions::new("service", "us-east-1", time());
    let mut req = request("GET", url, &headers, Body::empty());
    sign(&mut req, &creds(None), &options).unwrap();
    assert!(header(&req, "Authorization").unwrap().contains("SignedHeaders=host;x-amz-date,"));

    options.sign_all_headers = true;
    let mut req = request("GET", url, &headers, Body::empty());
    sign(&mut req, &creds(None), &options).unwrap();
    assert!(
        header(&req, "Authorization")
            .unwrap()
            .contains("SignedHeaders=expect;host;user-agent;x-amz-date;x-amzn-trace-id,")
    );
}

#[test]
fn resigning_replaces_the_old_authorization() {
    let options = SigningOptions::new("service", "us-east-1", time());
    let mut req = request("GET", "https://h.example/", &[("Authorization", "old")], Body::empty());
    sign(&mut req, &creds(None), &options).unwrap();
    let first = req.clone();
    sign(&mut req, &creds(None), &options).unwrap();
    assert_eq!(req, first);
    assert_eq!(req.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("authorization")).count(), 1);
}

#[test]
fn content_sha256_header_for_other_services() {
    let mut options = SigningOptions::new("glacier", "us-east-1", time());
    options.content_sha256_header = true;
    let mut req = request("GET", "https://glacier.us-east-1.amazonaws.com/-/vaults", &[], Body::empty());
    let out = sign(&mut req, &creds(None), &options).unwrap();
    assert_eq!(header(&req, "X-Amz-Content-SHA256").unwrap(), crate::payload_sha256_hex(b""));
    assert!(out.canonical_request().unwrap().contains("x-amz-content-sha256:e3b0c442"));
}

#[test]
fn non_s3_paths_are_normalised_and_encoded_again() {
    let options = SigningOptions::new("service", "us-east-1", time());
    let mut req = request("GET", "https://h.example:8443/a/./b/../c%20d//e", &[], Body::empty());
    let out = sign(&mut req, &creds(None), &options).unwrap();
    assert!(out.canonical_request().unwrap().starts_with("GET\n/a/c%2520d/e\n\nhost:h.example:8443\n"));
}

#[test]
fn s3_url_without_path_signs_the_root() {
    let mut req = request("GET", "https://bucket.s3.amazonaws.com?list-type=2", &[], Body::Unsigned);
    let mut options = SigningOptions::new("s3", "us-east-1", time());
    options.s3_rules = true;
    let out = sign(&mut req, &creds(None), &options).unwrap();
    assert!(out.canonical_request().unwrap().starts_with("GET\n/\nlist-type=2\n"));
}

#[test]
fn presign_appends_to_an_existing_query() {
    let mut req = request(
        "GET",
        "https://b.s3.amazonaws.com/k?versionId=3&response-content-type=text%2Fplain",
        &[],
        Body::Unsigned,
    );
    let out = sign(&mut req, &creds(None), &s3_presign(60)).unwrap();
    assert!(req.url.starts_with(
        "https://b.s3.amazonaws.com/k?versionId=3&response-content-type=text%2Fplain&X-Amz-Algorithm="
    ));
    let creq = out.canonical_request().unwrap();
    assert!(creq.contains("&X-Amz-SignedHeaders=host&response-content-type=text%2Fplain&versionId=3\n"));
}

#[test]
fn expiry_is_limited_to_seven_days() {
    let url = "https://b.s3.amazonaws.com/k";
    let mut req = request("GET", url, &[], Body::Unsigned);
    assert!(sign(&mut req, &creds(None), &s3_presign(604_800)).is_ok());
    assert!(req.url.contains("X-Amz-Expires=604800&"));
    for seconds in [604_801, 0, 10 * 604_800] {
        let mut req = request("GET", url, &[], Body::Unsigned);
        let err = sign(&mut req, &creds(None), &s3_presign(seconds)).unwrap_err();
        assert_eq!(err, SignError::ExpiryOutOfRange { seconds });
        assert!(err.to_string().contains("7 days"), "{err}");
        assert_eq!(req.url, url, "the request is untouched on error");
    }
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    let options = SigningOptions::new("service", "us-east-1", time());
    let cases: Vec<(SigningRequest, SigningOptions)> = vec![
        (request("GET", "/relative", &[], Body::empty()), options.clone()),
        (request("GET", "ftp://h/x", &[], Body::empty()), options.clone()),
        (request("GET", "https:///nohost", &[], Body::empty()), options.clone()),
        (request("GET", "https://h/a b", &[], Body::empty()), options.clone()),
        (request("GET", "https://h/a#frag", &[], Body::empty()), options.clone()),
        (request("GET", "", &[], Body::empty()), options.clone()),
        (request("GET", "https://h/", &[("Bad Name", "v")], Body::empty()), options.clone()),
        (request("GET", "https://h/", &[("", "v")], Body::empty()), options.clone()),
        (request("GET", "https://h/", &[("X", "a\r\nInjected: 1")], Body::empty()), options.clone()),
        (request("GET", "https://h/", &[], Body::Sha256Hex("ABC".into())), options.clone()),
        (request("G T", "https://h/", &[], Body::empty()), options.clone()),
        (
            request("GET", "https://h/", &[], Body::empty()),
            SigningOptions { time: UNIX_EPOCH - Duration::from_secs(1), ..options.clone() },
        ),
        (
            request("GET", "https://h/", &[], Body::empty()),
            SigningOptions { time: UNIX_EPOCH + Duration::from_secs(400_000_000_000), ..options.clone() },
        ),
    ];
    for (mut req, opts) in cases {
        let before = req.clone();
        assert!(sign(&mut req, &creds(None), &opts).is_err(), "{before:?} should fail");
        assert_eq!(req, before);
    }
}

#[test]
fn errors_and_outputs_never_show_the_secret_or_token() {
    let secret = "SuperSecretKeyValue/with+chars";
    let token = "TopSecretToken\nwith-a-line-break";
    let creds = Credentials::new("AKID", secret, Some(token.into()));
    let options = SigningOptions::new("service", "us-east-1", time());
    let mut errors = Vec::new();
    for (url, headers, opts) in [
        ("https://h/", vec![], options.clone()),
        (&format!("https://h/?X-Amz-Security-Token={secret}#x") as &str, vec![], options.clone()),
        ("https://h/", vec![("X-Leak", format!("{secret}\n"))], options.clone()),
        (
            "https://h/",
            vec![],
            SigningOptions { expires_in: Some(Duration::from_secs(9_999_999)), ..options.clone() },
        ),
    ] {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let mut req = request("GET", url, &headers, Body::empty());
        errors.push(sign(&mut req, &creds, &opts).unwrap_err());
    }
    for err in &errors {
        let shown = format!("{err} {err:?} {err:#?}");
        assert!(!shown.contains(secret), "{shown}");
        assert!(!shown.contains("TopSecretToken"), "{shown}");
    }
    // A successful signing shows the signature, never the key.
    let good = Credentials::new("AKID", secret, Some("TopSecretToken".into()));
    let mut req = request("GET", "https://h/", &[], Body::empty());
    let out = sign(&mut req, &good, &options).unwrap();
    let shown = format!("{out:?} {good:?}");
    assert!(!shown.contains(secret) && !shown.contains("TopSecretToken"), "{shown}");
}

/// Many request shapes, chosen by a fixed pseudo-random sequence: the canonical request shown must
/// always be the one aws-sigv4 signed (else `canonical_request()` is `None`).
#[test]
fn shown_canonical_request_matches_for_many_shapes() {
    let hosts = [
        "https://h.example",
        "http://h.example:80",
        "https://h.example:0443",
        "http://[::1]:9000",
        "https://H.Example",
    ];
    let paths = [
        "",
        "/",
        "/a/./b/../c",
        "//x//y/",
        "/%2F%20%25",
        "/ሴ/€",
        "/a+b/c=d",
        "/.",
        "/..",
        "/~user/!$&'()*+,;=:@",
        "/photos/my%20summer%20%E2%82%AC.jpg",
    ];
    let queries = [
        "",
        "?",
        "?a",
        "?a=",
        "?=b",
        "?a=b=c",
        "?b=2&a=1&a=0",
        "?k=a+b%20c",
        "?%zz=1",
        "?%E2%82=x",
        "?&&a=1&",
        "?ሴ=bar",
        "?X-Amz-Date=1",
        "?versionId=null&list-type=2",
    ];
    let header_sets: [&[(&str, &str)]; 6] = [
        &[],
        &[("Host", "other.example")],
        &[("X-A", "  a   b  "), ("x-a", "c"), ("X-B", "\tt\t")],
        &[("User-Agent", "ua"), ("X-Amz-Date", "19990101T000000Z"), ("x-amz-user-agent", "u")],
        &[("X-Amz-Security-Token", "old"), ("Content-Type", "text/plain; charset=utf-8"), ("X-Uni", "ünï")],
        &[("x-amz-checksum-mode", "ENABLED"), ("Authorization", "stale"), ("Expect", "100-continue")],
    ];
    let bodies = [Body::empty(), Body::Bytes(b"payload".to_vec()), Body::Unsigned];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut pick = |n: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % n
    };
    let mut signed = 0;
    for _ in 0..3000 {
        let url = format!(
            "{}{}{}",
            hosts[pick(hosts.len())],
            paths[pick(paths.len())],
            queries[pick(queries.len())]
        );
        let headers = header_sets[pick(header_sets.len())];
        let body = bodies[pick(bodies.len())].clone();
        let mut options = SigningOptions::new(["s3", "service"][pick(2)], "eu-west-1", time());
        options.s3_rules = pick(2) == 0;
        options.content_sha256_header = pick(3) == 0;
        options.sign_all_headers = pick(2) == 0;
        options.expires_in = [None, Some(Duration::from_secs(900))][pick(2)];
        let credentials = creds([None, Some(TOKEN)][pick(2)]);
        let mut req = request(["GET", "PUT", "post"][pick(3)], &url, headers, body);
        match sign(&mut req, &credentials, &options) {
            Ok(out) => {
                signed += 1;
                assert!(
                    out.canonical_request().is_some(),
                    "display withheld for {url} {headers:?} {options:?}"
                );
            }
            Err(e) => panic!("{url} {headers:?}: {e}"),
        }
    }
    assert_eq!(signed, 3000);
}
