//! Fuzz target: the CBOR response parsers (success and error bodies) of nubo-protocol, on real
//! operations from the bundled models.
#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::OnceLock;

static SERVICES: OnceLock<common::Services> = OnceLock::new();

fn init() -> common::Services {
    common::load(&[("cloudwatch", &["GetMetricData", "DescribeAlarms", "ListMetrics"])])
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(&SERVICES, init, "application/cbor", data));
