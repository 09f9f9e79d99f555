//! Micro-benchmarks of argument parsing: one operation's command line (shorthand, JSON, lists) to its
//! input, against the bundled models. Run with `cargo bench -p nubo-args`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use divan::{Bencher, black_box};
use nubo_args::{ArgOptions, parse};
use nubo_client::Service;
use nubo_model::Loader;

fn main() {
    divan::main();
}

fn service(name: &str) -> Service {
    let files = Loader::new(Vec::new()).load_service(name).unwrap();
    Service::from_files(name, files).unwrap()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[divan::bench]
fn ec2_describe_instances_shorthand(b: Bencher) {
    let s = service("ec2");
    let op = s.model.operation("DescribeInstances").unwrap();
    let opts = ArgOptions { service: "ec2".into(), ..ArgOptions::default() };
    let line = args(&[
        "--filters",
        "Name=instance-type,Values=t2.micro,t3.micro",
        "Name=tag:Env,Values=[prod,dev]",
        "--instance-ids",
        "i-1",
        "i-2",
        "--dry-run",
    ]);
    b.bench(|| parse(&s.model, op, black_box(&line), &opts).unwrap());
}

#[divan::bench]
fn dynamodb_put_item_json(b: Bencher) {
    let s = service("dynamodb");
    let op = s.model.operation("PutItem").unwrap();
    let opts = ArgOptions { service: "dynamodb".into(), ..ArgOptions::default() };
    let line = args(&[
        "--table-name",
        "bench",
        "--item",
        r#"{"k": {"S": "key-1"}, "n": {"N": "42"}, "l": {"L": [{"S": "a"}, {"BOOL": true}]}}"#,
        "--return-consumed-capacity",
        "TOTAL",
    ]);
    b.bench(|| parse(&s.model, op, black_box(&line), &opts).unwrap());
}
