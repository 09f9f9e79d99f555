//! Fuzz target: `nubo sign`'s raw HTTP request parser (nubo-sign raw), and signing what it accepts.
#![no_main]

use nubo_sign::{Credentials, SigningOptions, raw, sign};
use std::time::{Duration, SystemTime};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(request) = raw::parse_request(data) else { return };
    let Ok(mut request) = request.into_signing_request() else { return };
    let creds = Credentials::new("AKIDEXAMPLE", "fuzz-secret", Some("fuzz-token".into()));
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let mut options = SigningOptions::new("s3", "us-east-1", time);
    options.sign_all_headers = true;
    options.s3_rules = data.len() % 2 == 0;
    if let Ok(signed) = sign(&mut request, &creds, &options) {
        let _ = signed;
    }
});
