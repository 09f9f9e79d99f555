//! Micro-benchmarks of output rendering: `--output table` (the costliest format: column widths over
//! every row) and `json`, on a DescribeInstances-like result of 200 instances.
//! Run with `cargo bench -p nubo-output`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use divan::{Bencher, black_box};
use serde_json::{Value, json};

fn main() {
    divan::main();
}

fn instances() -> Value {
    let reservations: Vec<Value> = (0..200)
        .map(|i| {
            json!({"ReservationId": format!("r-{i:08x}"), "OwnerId": "123456789012", "Instances": [{
                "InstanceId": format!("i-{i:017x}"), "ImageId": "ami-12c6146b", "InstanceType": "t3.micro",
                "State": {"Code": 16, "Name": "running"}, "PrivateIpAddress": format!("10.0.{}.{}", i / 256, i % 256),
                "LaunchTime": "2025-01-01T00:00:00+00:00", "Placement": {"AvailabilityZone": "us-east-1a"},
                "Tags": [{"Key": "Name", "Value": format!("bench-{i}")}, {"Key": "Env", "Value": "prod"}]}]})
        })
        .collect();
    json!({ "Reservations": reservations })
}

#[divan::bench]
fn table_describe_instances(b: Bencher) {
    let value = instances();
    b.bench(|| nubo_output::table::render_with_width(black_box(&value), "DescribeInstances", 120).unwrap());
}

#[divan::bench]
fn json_describe_instances(b: Bencher) {
    let value = instances();
    b.bench(|| nubo_output::render("json", black_box(&value), "DescribeInstances").unwrap());
}
