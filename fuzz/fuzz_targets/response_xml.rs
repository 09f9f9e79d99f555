//! Fuzz target: the XML response parsers (success and error bodies) of nubo-protocol, on real
//! operations from the bundled models.
#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::OnceLock;

static SERVICES: OnceLock<common::Services> = OnceLock::new();

fn init() -> common::Services {
    common::load(&[
        (
            "s3",
            &[
                "ListObjectsV2",
                "GetBucketAcl",
                "GetObject",
                "CompleteMultipartUpload",
                "GetBucketLifecycleConfiguration",
            ],
        ),
        ("sts", &["AssumeRole"]),
        ("ec2", &["DescribeInstances", "DescribeSecurityGroups"]),
        ("sqs", &["ReceiveMessage"]),
    ])
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(&SERVICES, init, "text/xml", data));
