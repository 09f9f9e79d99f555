//! Micro-benchmarks of request signing: SigV4 of a small JSON call and of an S3 PUT with its payload
//! hash, and SigV4a (ECDSA). Run with `cargo bench -p nubo-sign`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use divan::{Bencher, black_box};
use nubo_sign::{Body, Credentials, SigningOptions, SigningRequest, sign};
use std::time::{Duration, SystemTime};

fn main() {
    divan::main();
}

fn time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_735_689_600)
}

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "bench-secret-not-a-real-one", None)
}

fn dynamodb_request() -> SigningRequest {
    SigningRequest {
        method: "POST".into(),
        url: "https://dynamodb.us-east-1.amazonaws.com/".into(),
        headers: vec![
            ("content-type".into(), "application/x-amz-json-1.0".into()),
            ("x-amz-target".into(), "DynamoDB_20120810.ListTables".into()),
        ],
        body: Body::Bytes(b"{}".to_vec()),
    }
}

#[divan::bench]
fn sigv4_json_call(b: Bencher) {
    let creds = creds();
    let options = SigningOptions::new("dynamodb", "us-east-1", time());
    b.with_inputs(dynamodb_request).bench_local_refs(|req| sign(req, black_box(&creds), &options).unwrap());
}

/// An S3 PUT of 64 KiB: the payload's SHA-256 is part of the cost.
#[divan::bench]
fn sigv4_s3_put_64k(b: Bencher) {
    let creds = creds();
    let mut options = SigningOptions::new("s3", "us-east-1", time());
    options.s3_rules = true;
    options.content_sha256_header = true;
    let body = vec![7u8; 64 * 1024];
    b.with_inputs(|| SigningRequest {
        method: "PUT".into(),
        url: "https://bench-bucket.s3.us-east-1.amazonaws.com/some/key.bin".into(),
        headers: vec![("content-type".into(), "application/octet-stream".into())],
        body: Body::Bytes(body.clone()),
    })
    .bench_local_refs(|req| sign(req, black_box(&creds), &options).unwrap());
}

/// SigV4a over the region set `*`: an ECDSA P-256 signature per request.
#[divan::bench]
fn sigv4a_json_call(b: Bencher) {
    let creds = creds();
    let mut options = SigningOptions::new("dynamodb", "*", time());
    options.sigv4a = true;
    b.with_inputs(dynamodb_request).bench_local_refs(|req| sign(req, black_box(&creds), &options).unwrap());
}
