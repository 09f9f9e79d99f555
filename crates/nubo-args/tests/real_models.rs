//! Command lines of real operations parsed against the pinned botocore models.
//!
//! Unless a test says otherwise, the expected inputs were obtained by running the Python AWS CLI
//! (awscli 1.45.11 with botocore 1.43.11, whose argument processing — argparse, shorthand, JSON,
//! `file://` — is the code the CLI v2 uses) with its `CLIOperationCaller.invoke` replaced by a
//! function printing `json.dumps(parameters)` after botocore's `ParamValidator`, e.g.
//! `python3 cliparams.py ec2 describe-instances --filters Name=instance-type,Values=t2.micro,t3.micro`.
//! Where the CLI v2 differs from v1 (blobs are base64 by default, timestamps), the test says how
//! the expectation follows from v2's rules.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{run, run_with};
use nubo_args::{BinaryFormat, ErrorKind, SkeletonKind};
use serde_json::json;

#[test]
fn ec2_describe_instances_filters_shorthand() {
    let p = run(
        "ec2",
        "ec2",
        "describe-instances",
        &[
            "--filters",
            "Name=instance-type,Values=t2.micro,t3.micro",
            "Name=tag:Env,Values=[prod,dev]",
            "--instance-ids",
            "i-1",
            "i-2",
            "--dry-run",
        ],
    )
    .unwrap();
    assert_eq!(
        p.input,
        json!({"InstanceIds": ["i-1", "i-2"], "DryRun": true, "Filters": [
            {"Name": "instance-type", "Values": ["t2.micro", "t3.micro"]},
            {"Name": "tag:Env", "Values": ["prod", "dev"]}]})
    );
    assert!(p.pagination.enabled);
    let p = run("ec2", "ec2", "describe-instances", &["--filters", "Name=a,Values="]).unwrap();
    assert_eq!(p.input, json!({"Filters": [{"Name": "a", "Values": [""]}]}));
}

#[test]
fn dynamodb_put_item_json_and_shorthand() {
    let p = run(
        "dynamodb",
        "dynamodb",
        "put-item",
        &[
            "--table-name",
            "t",
            "--item",
            r#"{"id": {"S": "1"}, "n": {"N": "5"}}"#,
            "--return-values",
            "ALL_OLD",
        ],
    )
    .unwrap();
    assert_eq!(
        p.input,
        json!({"TableName": "t", "Item": {"id": {"S": "1"}, "n": {"N": "5"}}, "ReturnValues": "ALL_OLD"})
    );
    let p = run("dynamodb", "dynamodb", "put-item", &["--table-name", "t", "--item", "id={S=1}"]).unwrap();
    assert_eq!(p.input, json!({"TableName": "t", "Item": {"id": {"S": "1"}}}));
    let e = run("dynamodb", "dynamodb", "put-item", &["--table-name", "t", "--item", r#"{"id": {"S": 1}}"#])
        .unwrap_err();
    assert_eq!(
        e.message,
        "Parameter validation failed:\nInvalid type for parameter Item.id.S, value: 1, type: <class 'int'>, valid types: <class 'str'>"
    );
    assert_eq!(e.kind, ErrorKind::Validation);
}

#[test]
fn sqs_send_message() {
    let p = run(
        "sqs",
        "sqs",
        "send-message",
        &[
            "--queue-url",
            "https://q",
            "--message-body",
            "hi",
            "--delay-seconds",
            "5",
            "--message-attributes",
            "k={DataType=String,StringValue=v}",
        ],
    )
    .unwrap();
    assert_eq!(
        p.input,
        json!({"QueueUrl": "https://q", "MessageBody": "hi", "DelaySeconds": 5,
            "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}})
    );
    let e = run(
        "sqs",
        "sqs",
        "send-message",
        &["--queue-url", "q", "--message-body", "m", "--delay-seconds", "abc"],
    )
    .unwrap_err();
    assert_eq!(e.message, "invalid literal for int() with base 10: 'abc'");
    assert_eq!(e.kind, ErrorKind::Other);
    let e = run("sqs", "sqs", "send-message", &["--queue-url", "q", "--message-body", "m", "--foo", "bar"])
        .unwrap_err();
    assert_eq!(e.message, "Unknown options: --foo, bar");
    assert_eq!(e.kind, ErrorKind::UnknownOptions);
}

#[test]
fn sqs_cli_input_json() {
    let e = run("sqs", "sqs", "send-message", &["--cli-input-json", r#"{"QueueUrl": "q"}"#]).unwrap_err();
    assert_eq!(
        e.message,
        "Parameter validation failed:\nMissing required parameter in input: \"MessageBody\""
    );
    let p = run(
        "sqs",
        "sqs",
        "send-message",
        &[
            "--cli-input-json",
            r#"{"QueueUrl": "q", "MessageBody": "from-json", "DelaySeconds": 3}"#,
            "--message-body",
            "explicit",
        ],
    )
    .unwrap();
    assert_eq!(p.input, json!({"MessageBody": "explicit", "QueueUrl": "q", "DelaySeconds": 3}));
    // The YAML form, same rules (v2 only; expectation from the JSON case above).
    let p = run(
        "sqs",
        "sqs",
        "send-message",
        &["--cli-input-yaml", "QueueUrl: q\nMessageBody: from-yaml\n", "--delay-seconds", "2"],
    )
    .unwrap();
    assert_eq!(p.input, json!({"DelaySeconds": 2, "QueueUrl": "q", "MessageBody": "from-yaml"}));
    let e =
        run("sqs", "sqs", "send-message", &["--cli-input-json", "{}", "--cli-input-yaml", "{}"]).unwrap_err();
    assert_eq!(e.message, "Only one --cli-input- parameter may be specified.");
}

/// The input skeleton as `aws sqs send-message --generate-cli-skeleton` prints it.
#[test]
fn sqs_generate_cli_skeleton() {
    let p = run("sqs", "sqs", "send-message", &["--generate-cli-skeleton"]).unwrap();
    assert_eq!(p.skeleton, Some(SkeletonKind::Input));
    let model = common::load("sqs");
    let op = common::operation(&model, "send-message");
    let text = nubo_args::skeleton(&model, op, SkeletonKind::Input);
    let expected = r#"{
    "QueueUrl": "",
    "MessageBody": "",
    "DelaySeconds": 0,
    "MessageAttributes": {
        "KeyName": {
            "StringValue": "",
            "BinaryValue": null,
            "StringListValues": [
                ""
            ],
            "BinaryListValues": [
                null
            ],
            "DataType": ""
        }
    },
    "MessageSystemAttributes": {
        "KeyName": {
            "StringValue": "",
            "BinaryValue": null,
            "StringListValues": [
                ""
            ],
            "BinaryListValues": [
                null
            ],
            "DataType": ""
        }
    },
    "MessageDeduplicationId": "",
    "MessageGroupId": ""
}
"#;
    assert_eq!(text.text(), Some(expected));
    // `output` keeps the required options required.
    let e = run("sqs", "sqs", "send-message", &["--generate-cli-skeleton", "output"]).unwrap_err();
    assert_eq!(e.message, "the following arguments are required: --queue-url, --message-body");
    let p = run(
        "sqs",
        "sqs",
        "send-message",
        &["--queue-url", "q", "--message-body", "m", "--generate-cli-skeleton", "output"],
    )
    .unwrap();
    assert_eq!(p.skeleton, Some(SkeletonKind::Output));
}

/// `--count` is an EC2 customization of the CLI (not this crate's): the reference used
/// `--count 1:2`, which the customization turns into `MinCount` 1 and `MaxCount` 2.
#[test]
fn ec2_run_instances_booleans() {
    let p = run(
        "ec2",
        "ec2",
        "run-instances",
        &[
            "--image-id",
            "ami-1",
            "--min-count",
            "1",
            "--max-count",
            "2",
            "--no-ebs-optimized",
            "--enable-api-termination",
            "--disable-api-stop",
            "--monitoring",
            "Enabled=true",
            "--tag-specifications",
            "ResourceType=instance,Tags=[{Key=Name,Value=web}]",
        ],
    )
    .unwrap();
    assert_eq!(
        p.input,
        json!({"ImageId": "ami-1", "Monitoring": {"Enabled": true}, "TagSpecifications": [{"ResourceType":
            "instance", "Tags": [{"Key": "Name", "Value": "web"}]}], "DisableApiStop": true,
            "DisableApiTermination": false, "EbsOptimized": false, "MinCount": 1, "MaxCount": 2})
    );
    let e = run("ec2", "ec2", "run-instances", &["--image-id", "ami-1"]).unwrap_err();
    assert_eq!(e.message, "the following arguments are required: --max-count, --min-count");
    let e = run(
        "ec2",
        "ec2",
        "run-instances",
        &["--min-count", "1", "--max-count", "1", "--no-disable-api-termination"],
    )
    .unwrap_err();
    assert_eq!(e.message, "Unknown options: --no-disable-api-termination");
}

#[test]
fn ec2_renamed_and_special_arguments() {
    let p =
        run("ec2", "ec2", "create-image", &["--instance-id", "i-1", "--name", "img", "--reboot"]).unwrap();
    assert_eq!(p.input, json!({"InstanceId": "i-1", "Name": "img", "NoReboot": false}));
    let p =
        run("ec2", "ec2", "create-image", &["--instance-id", "i-1", "--name", "img", "--no-reboot"]).unwrap();
    assert_eq!(p.input, json!({"InstanceId": "i-1", "Name": "img", "NoReboot": true}));
    let e = run("ec2", "ec2", "create-image", &["--instance-id", "i-1", "--name", "n"]).unwrap_err();
    assert_eq!(
        e.message,
        "Parameter validation failed:\nInvalid length for parameter Name, value: 1, valid min length: 3"
    );
    let p = run(
        "ec2",
        "ec2",
        "modify-instance-attribute",
        &["--instance-id", "i-1", "--instance-type", "t2.micro"],
    )
    .unwrap();
    assert_eq!(p.input, json!({"InstanceId": "i-1", "InstanceType": {"Value": "t2.micro"}}));
    let p = run(
        "ec2",
        "ec2",
        "authorize-security-group-ingress",
        &[
            "--group-id",
            "sg-1",
            "--ip-permissions",
            r#"IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=10.0.0.0/8,Description="ssh, admins"}]"#,
        ],
    )
    .unwrap();
    assert_eq!(
        p.input,
        json!({"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
            "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "ssh, admins"}]}]})
    );
}

#[test]
fn elb_old_list_case() {
    let p = run(
        "elb",
        "elb",
        "register-instances-with-load-balancer",
        &["--load-balancer-name", "lb", "--instances", "i-1", "i-2"],
    )
    .unwrap();
    assert_eq!(
        p.input,
        json!({"LoadBalancerName": "lb", "Instances": [{"InstanceId": "i-1"}, {"InstanceId": "i-2"}]})
    );
}

/// Timestamps: the CLI passes the text on and botocore serializes `2014-01-01T00:00:00Z` and
/// `1400000000` as those instants; this crate hands the serializer the normalized forms.
#[test]
fn cloudwatch_and_cloudtrail_numbers_and_timestamps() {
    let p = run(
        "cloudwatch",
        "cloudwatch",
        "put-metric-data",
        &[
            "--namespace",
            "ns",
            "--metric-data",
            "MetricName=m,Value=1.5,Timestamp=2014-01-01T00:00:00Z,Dimensions=[{Name=a,Value=b}],Values=1,2.5",
        ],
    )
    .unwrap();
    assert_eq!(
        p.input,
        json!({"Namespace": "ns", "MetricData": [{"MetricName": "m", "Value": 1.5, "Timestamp": "2014-01-01T00:00:00Z",
            "Dimensions": [{"Name": "a", "Value": "b"}], "Values": [1.0, 2.5]}]})
    );
    let p = run(
        "cloudtrail",
        "cloudtrail",
        "lookup-events",
        &["--start-time", "2014-01-01", "--end-time", "1400000000", "--max-results", "5"],
    )
    .unwrap();
    assert_eq!(p.input, json!({"StartTime": "2014-01-01T00:00:00Z", "EndTime": 1400000000, "MaxResults": 5}));
    assert!(!p.pagination.enabled, "a limit set by hand turns pagination off");
    let e = run("cloudtrail", "cloudtrail", "lookup-events", &["--start-time", "soon"]).unwrap_err();
    assert_eq!(
        e.message,
        "Parameter validation failed:\nInvalid type for parameter StartTime, value: soon, type: <class 'str'>, valid types: <class 'datetime.datetime'>, timestamp-string"
    );
}

#[test]
fn s3api_put_object_streams_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.txt");
    std::fs::write(&body, "hello").unwrap();
    let body_path = body.display().to_string();
    let p = run(
        "s3",
        "s3api",
        "put-object",
        &[
            "--bucket",
            "b",
            "--key",
            "k",
            "--body",
            &body_path,
            "--metadata",
            "a=b,c=d",
            "--content-length",
            "5",
        ],
    )
    .unwrap();
    assert_eq!(
        p.input,
        json!({"Bucket": "b", "ContentLength": 5, "Key": "k", "Metadata": {"a": "b", "c": "d"}})
    );
    let s = p.streaming_input.unwrap();
    assert_eq!((s.member.as_str(), s.path.as_str()), ("Body", body_path.as_str()));
    let e = run("s3", "s3api", "put-object", &["--bucket", "b"]).unwrap_err();
    assert_eq!(e.message, "the following arguments are required: --key");
    assert_eq!(e.kind, ErrorKind::Usage);
    let e = run("s3", "s3api", "put-object", &["--bucket", "b", "--key", "k", "--body", "no/such/file"])
        .unwrap_err();
    assert_eq!(e.message, "Error parsing parameter '--body': Blob values must be a path to a file.");
}

#[test]
fn outfile_positional() {
    let p = run("s3", "s3api", "get-object", &["--bucket", "b", "--key", "k", "out.txt"]).unwrap();
    assert_eq!(p.input, json!({"Bucket": "b", "Key": "k"}));
    assert_eq!(p.outfile.as_deref(), Some("out.txt"));
    let e = run("s3", "s3api", "get-object", &["--bucket", "b", "--key", "k"]).unwrap_err();
    assert_eq!(e.message, "the following arguments are required: outfile");
    let p = run("lambda", "lambda", "invoke", &["--function-name", "f", "out.json"]).unwrap();
    assert_eq!(p.input, json!({"FunctionName": "f"}));
    assert_eq!(p.outfile.as_deref(), Some("out.json"));
    let e = run("lambda", "lambda", "invoke", &["--function-name", "f", "--generate-cli-skeleton", "o.json"])
        .unwrap_err();
    assert_eq!(e.message, "Unknown options: --generate-cli-skeleton");
}

/// CLI v2 rules for blobs: base64 text by default (`Invalid base64: "..."` otherwise), raw text
/// with `raw-in-base64-out`, bytes from `fileb://` either way. The `fileb://` case matches the v1
/// reference (`{"Plaintext": <the file's bytes>}`).
#[test]
fn blobs_follow_the_binary_format() {
    let p = run("lambda", "lambda", "invoke", &["--function-name", "f", "--payload", "eyJhIjogMX0=", "o"])
        .unwrap();
    assert_eq!(p.input, json!({"FunctionName": "f", "Payload": "eyJhIjogMX0="}));
    let e = run("lambda", "lambda", "invoke", &["--function-name", "f", "--payload", r#"{"a": 1}"#, "o"])
        .unwrap_err();
    assert_eq!(e.message, r#"Invalid base64: "{"a": 1}""#);
    assert_eq!(e.kind, ErrorKind::Other);
    let p = run_with(
        "lambda",
        "lambda",
        "invoke",
        &["--function-name", "f", "--payload", r#"{"a": 1}"#, "o"],
        |o| o.binary_format = BinaryFormat::RawInBase64Out,
    )
    .unwrap();
    assert_eq!(p.input, json!({"FunctionName": "f", "Payload": "eyJhIjogMX0="}));
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("plain.bin");
    std::fs::write(&f, b"vm\n").unwrap();
    let p =
        run("kms", "kms", "encrypt", &["--key-id", "k", "--plaintext", &format!("fileb://{}", f.display())])
            .unwrap();
    assert_eq!(p.input, json!({"KeyId": "k", "Plaintext": "dm0K"}));
}

#[test]
fn pagination_options() {
    let p = run(
        "ec2",
        "ec2",
        "describe-instances",
        &["--max-items", "5", "--page-size", "10", "--starting-token", "abc"],
    )
    .unwrap();
    assert_eq!(p.input, json!({}));
    assert!(p.pagination.enabled);
    assert_eq!(p.pagination.max_items, Some(5));
    assert_eq!(p.pagination.page_size, Some(json!(10)));
    assert_eq!(p.pagination.starting_token.as_deref(), Some("abc"));
    // A token given by hand: the CLI v2 refuses the paging options (the v1 reference printed the
    // same message after "Error during pagination: ").
    let e = run("ec2", "ec2", "describe-instances", &["--next-token", "t", "--max-items", "5"]).unwrap_err();
    assert_eq!(e.message, "Cannot specify --no-paginate along with pagination arguments: --max-items");
    let e = run_with("ec2", "ec2", "describe-instances", &["--max-items", "5"], |o| o.no_paginate = true)
        .unwrap_err();
    assert_eq!(e.message, "Cannot specify --no-paginate along with pagination arguments: --max-items");
    let p = run(
        "ec2",
        "ec2",
        "describe-instances",
        &["--filters", "Name=a,Values=b", "Name=c,Values=d,e", "--max-results", "3"],
    )
    .unwrap();
    assert_eq!(
        p.input,
        json!({"Filters": [{"Name": "a", "Values": ["b"]}, {"Name": "c", "Values": ["d", "e"]}], "MaxResults": 3})
    );
    assert!(!p.pagination.enabled);
    // Options of non-paginated operations are refused.
    let e =
        run("sqs", "sqs", "send-message", &["--queue-url", "q", "--message-body", "m", "--max-items", "1"])
            .unwrap_err();
    assert_eq!(e.message, "Unknown options: --max-items, 1");
}

#[test]
fn lists_of_structures_and_nested_json() {
    let p = run(
        "logs",
        "logs",
        "put-log-events",
        &[
            "--log-group-name",
            "g",
            "--log-stream-name",
            "s",
            "--log-events",
            "timestamp=1,message=hi",
            "timestamp=2,message=yo",
        ],
    )
    .unwrap();
    assert_eq!(
        p.input,
        json!({"logGroupName": "g", "logStreamName": "s", "logEvents": [{"timestamp": 1, "message": "hi"}, {"timestamp": 2, "message": "yo"}]})
    );
    let p = run(
        "iam",
        "iam",
        "create-role",
        &[
            "--role-name",
            "r",
            "--assume-role-policy-document",
            r#"{"a":1}"#,
            "--tags",
            "Key=a,Value=b",
            "Key=c,Value=d",
        ],
    )
    .unwrap();
    assert_eq!(
        p.input,
        json!({"RoleName": "r", "AssumeRolePolicyDocument": "{\"a\":1}", "Tags": [{"Key": "a", "Value": "b"}, {"Key": "c", "Value": "d"}]})
    );
    let p = run(
        "ecs",
        "ecs",
        "run-task",
        &[
            "--task-definition",
            "td",
            "--overrides",
            r#"{"containerOverrides":[{"name":"c","environment":[{"name":"A","value":"1"}]}]}"#,
            "--count",
            "2",
            "--network-configuration",
            "awsvpcConfiguration={subnets=[s-1,s-2],assignPublicIp=ENABLED}",
        ],
    )
    .unwrap();
    assert_eq!(
        p.input,
        json!({"count": 2, "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["s-1", "s-2"], "assignPublicIp": "ENABLED"}},
            "overrides": {"containerOverrides": [{"name": "c", "environment": [{"name": "A", "value": "1"}]}]}, "taskDefinition": "td"})
    );
    let p = run(
        "route53",
        "route53",
        "change-resource-record-sets",
        &[
            "--hosted-zone-id",
            "Z",
            "--change-batch",
            "Changes=[{Action=UPSERT,ResourceRecordSet={Name=a.example.com,Type=A,TTL=60,ResourceRecords=[{Value=1.2.3.4}]}}]",
        ],
    )
    .unwrap();
    assert_eq!(
        p.input,
        json!({"HostedZoneId": "Z", "ChangeBatch": {"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {"Name": "a.example.com",
            "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "1.2.3.4"}]}}]}})
    );
}

#[test]
fn scalars_and_negative_numbers() {
    let p = run(
        "ssm",
        "ssm",
        "put-parameter",
        &["--name", "n", "--value", "a,b", "--type", "StringList", "--overwrite"],
    )
    .unwrap();
    assert_eq!(p.input, json!({"Name": "n", "Value": "a,b", "Type": "StringList", "Overwrite": true}));
    let p = run(
        "autoscaling",
        "autoscaling",
        "update-auto-scaling-group",
        &["--auto-scaling-group-name", "g", "--min-size", "0", "--max-size", "-1"],
    )
    .unwrap();
    assert_eq!(p.input, json!({"AutoScalingGroupName": "g", "MinSize": 0, "MaxSize": -1}));
}

#[test]
fn file_values() {
    let dir = tempfile::tempdir().unwrap();
    let item = dir.path().join("item.json");
    std::fs::write(&item, r#"{"id": {"S": "from-file"}}"#).unwrap();
    let p = run(
        "dynamodb",
        "dynamodb",
        "put-item",
        &["--table-name", "t", "--item", &format!("file://{}", item.display())],
    )
    .unwrap();
    assert_eq!(p.input, json!({"TableName": "t", "Item": {"id": {"S": "from-file"}}}));
    let e = run("dynamodb", "dynamodb", "put-item", &["--table-name", "t", "--item", "file://no/such.json"])
        .unwrap_err();
    assert_eq!(
        e.message,
        "Error parsing parameter '--item': Unable to load paramfile file://no/such.json: [Errno 2] No such file or directory: 'no/such.json'"
    );
    // The CLI never reads these values from files (they are URLs themselves).
    let p = run("sqs", "sqs", "send-message", &["--queue-url", "file://q", "--message-body", "m"]).unwrap();
    assert_eq!(p.input["QueueUrl"], "file://q");
    // http(s) values are not fetched by the CLI v2.
    let p =
        run("sqs", "sqs", "send-message", &["--queue-url", "q", "--message-body", "https://example.com/x"])
            .unwrap();
    assert_eq!(p.input["MessageBody"], "https://example.com/x");
}

#[test]
fn help_and_validation_switch() {
    assert!(run("s3", "s3api", "put-object", &["help"]).unwrap().help);
    let p = run_with("sqs", "sqs", "send-message", &["--cli-input-json", r#"{"QueueUrl": "q"}"#], |o| {
        o.parameter_validation = false
    })
    .unwrap();
    assert_eq!(p.input, json!({"QueueUrl": "q"}));
}
