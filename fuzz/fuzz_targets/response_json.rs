//! Fuzz target: the JSON response parsers (success and error bodies) of nubo-protocol, on real
//! operations from the bundled models.
#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::OnceLock;

static SERVICES: OnceLock<common::Services> = OnceLock::new();

fn init() -> common::Services {
    common::load(&[
        ("dynamodb", &["DescribeTable", "Query", "BatchGetItem", "GetItem"]),
        ("lambda", &["GetFunction", "ListFunctions", "Invoke"]),
        ("logs", &["FilterLogEvents"]),
    ])
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(&SERVICES, init, "application/x-amz-json-1.0", data));
