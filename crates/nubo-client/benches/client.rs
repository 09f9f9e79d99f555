//! Micro-benchmarks of one call's hot paths in nubo-client and the layers under it: loading one
//! service's bundled model, serializing an input, resolving an endpoint, parsing a response.
//! Run with `cargo bench -p nubo-client`; a regression shows as a slower median in review.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use divan::{Bencher, black_box};
use nubo_client::Service;
use nubo_endpoint::{params_from_json, resolve};
use nubo_model::Loader;
use nubo_protocol::Response;
use serde_json::json;

fn main() {
    divan::main();
}

fn service(name: &str) -> Service {
    let files = Loader::new(Vec::new()).load_service(name).unwrap();
    Service::from_files(name, files).unwrap()
}

/// The bundled model of one service, from the bundle to a usable `Service` (what every command pays).
#[divan::bench(args = ["sts", "dynamodb", "ec2"])]
fn model_load(name: &str) -> Service {
    service(black_box(name))
}

/// DynamoDB PutItem (JSON protocol) and EC2 RunInstances (query protocol) inputs to their requests.
#[divan::bench]
fn serialize_json_put_item(b: Bencher) {
    let s = service("dynamodb");
    let op = s.model.operation("PutItem").unwrap();
    let input = json!({"TableName": "bench", "Item": {
        "k": {"S": "key-0001"}, "n": {"N": "42"}, "l": {"L": [{"S": "a"}, {"S": "b"}, {"N": "3"}]},
        "m": {"M": {"x": {"BOOL": true}, "y": {"NULL": true}}}}});
    b.bench(|| nubo_protocol::ser::serialize(&s.model, op, black_box(&input)).unwrap());
}

#[divan::bench]
fn serialize_query_run_instances(b: Bencher) {
    let s = service("ec2");
    let op = s.model.operation("RunInstances").unwrap();
    let input = json!({"ImageId": "ami-12c6146b", "MinCount": 1, "MaxCount": 1, "InstanceType": "t3.micro",
        "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "bench"}]}],
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3"}}]});
    b.bench(|| nubo_protocol::ser::serialize(&s.model, op, black_box(&input)).unwrap());
}

/// S3's endpoint rule set (the largest) for a virtual-hosted bucket, and STS's.
#[divan::bench(args = ["s3", "sts"])]
fn endpoint_resolve(b: Bencher, name: &str) {
    let rules = service(name).rule_set().unwrap();
    let partitions = nubo_client::service::partitions().unwrap();
    let params = if name == "s3" {
        json!({"Region": "eu-west-1", "Bucket": "my-bench-bucket", "UseFIPS": false, "UseDualStack": false,
               "Accelerate": false, "ForcePathStyle": false})
    } else {
        json!({"Region": "eu-west-1", "UseFIPS": false, "UseDualStack": false, "UseGlobalEndpoint": false})
    };
    let params = params_from_json(&params).unwrap();
    b.bench(|| resolve(&rules, &partitions, black_box(&params)).unwrap());
}

/// EC2 DescribeInstances (XML) with 100 instances, and DynamoDB Scan (JSON) with 100 items.
#[divan::bench]
fn parse_xml_describe_instances(b: Bencher) {
    let s = service("ec2");
    let op = s.model.operation("DescribeInstances").unwrap();
    let mut body = String::from(
        r#"<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><reservationSet>"#,
    );
    for i in 0..100 {
        body.push_str(&format!(
            "<item><reservationId>r-{i:08x}</reservationId><ownerId>123456789012</ownerId><instancesSet><item>\
             <instanceId>i-{i:017x}</instanceId><imageId>ami-12c6146b</imageId><instanceState><code>16</code>\
             <name>running</name></instanceState><privateDnsName>ip-10-0-0-{i}.ec2.internal</privateDnsName>\
             <instanceType>t3.micro</instanceType><launchTime>2025-01-01T00:00:00.000Z</launchTime>\
             <placement><availabilityZone>us-east-1a</availabilityZone></placement>\
             <tagSet><item><key>Name</key><value>bench-{i}</value></item></tagSet></item></instancesSet></item>"
        ));
    }
    body.push_str("</reservationSet></DescribeInstancesResponse>");
    let response = Response {
        status: 200,
        headers: vec![("content-type".into(), "text/xml".into())],
        body: body.into_bytes(),
    };
    b.bench(|| nubo_protocol::de::parse_response(&s.model, op, black_box(&response)).unwrap());
}

#[divan::bench]
fn parse_json_scan(b: Bencher) {
    let s = service("dynamodb");
    let op = s.model.operation("Scan").unwrap();
    let items: Vec<_> = (0..100)
        .map(|i| json!({"k": {"S": format!("key-{i:04}")}, "n": {"N": i.to_string()}, "tags": {"SS": ["a", "b"]}}))
        .collect();
    let body = serde_json::to_vec(&json!({"Items": items, "Count": 100, "ScannedCount": 100})).unwrap();
    let response = Response {
        status: 200,
        headers: vec![("content-type".into(), "application/x-amz-json-1.0".into())],
        body,
    };
    b.bench(|| nubo_protocol::de::parse_response(&s.model, op, black_box(&response)).unwrap());
}
