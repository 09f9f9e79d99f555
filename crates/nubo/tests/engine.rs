//! The model-driven engine end to end against the local moto server: one service per protocol,
//! compared with the Python AWS CLI's JSON output for the same calls on the same server.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, moto_url, stderr_of, stdout_of};
use serde_json::Value;

/// A sandbox pointed at moto with test keys, the Python CLI set to print timestamps as CLI v2 does.
fn moto_sandbox() -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "testing-key-id")
        .set_env("AWS_SECRET_ACCESS_KEY", "testing-secret")
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("AWS_ENDPOINT_URL", &moto_url());
    sb.write("config", "[default]\ncli_timestamp_format = iso8601\n");
    sb
}

fn nubo_json(sb: &Sandbox, args: &[&str]) -> Value {
    let out = sb.nubo().args(args).output().unwrap();
    assert!(out.status.success(), "nubo {args:?} failed: {}", stderr_of(&out));
    let text = stdout_of(&out);
    if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() }
}

/// Runs a read-only call through both CLIs and requires the same output, byte for byte (key order,
/// indentation and all).
fn same(sb: &Sandbox, args: &[&str]) -> Value {
    let ours = sb.nubo().args(args).output().unwrap();
    assert!(ours.status.success(), "nubo {args:?} failed: {}", stderr_of(&ours));
    let theirs = sb.aws().args(args).args(["--endpoint-url", &moto_url()]).output().unwrap();
    assert!(theirs.status.success(), "aws {args:?} failed: {}", stderr_of(&theirs));
    assert_eq!(stdout_of(&ours), stdout_of(&theirs), "nubo and aws differ for {args:?}");
    let text = stdout_of(&ours);
    if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() }
}

#[test]
fn sts_query_protocol() {
    let sb = moto_sandbox();
    let v = same(&sb, &["sts", "get-caller-identity"]);
    assert!(v["Account"].is_string());
}

#[test]
fn iam_query_protocol_with_lists() {
    let sb = moto_sandbox();
    nubo_json(&sb, &["iam", "create-user", "--user-name", "nubo-engine-user", "--path", "/engine/"]);
    let v = same(&sb, &["iam", "list-users", "--path-prefix", "/engine/"]);
    assert_eq!(v["Users"][0]["UserName"], "nubo-engine-user");
}

#[test]
fn ec2_protocol_and_filters_shorthand() {
    let sb = moto_sandbox();
    let v = nubo_json(&sb, &["ec2", "create-vpc", "--cidr-block", "10.42.0.0/16"]);
    let vpc = v["Vpc"]["VpcId"].as_str().unwrap().to_string();
    let v = same(&sb, &["ec2", "describe-vpcs", "--filters", "Name=cidr,Values=10.42.0.0/16"]);
    assert!(v["Vpcs"].as_array().unwrap().iter().any(|x| x["VpcId"] == vpc.as_str()));
    same(&sb, &["ec2", "describe-vpcs", "--vpc-ids", &vpc]);
}

#[test]
fn dynamodb_json_protocol() {
    let sb = moto_sandbox();
    nubo_json(
        &sb,
        &[
            "dynamodb",
            "create-table",
            "--table-name",
            "nubo-engine",
            "--attribute-definitions",
            "AttributeName=pk,AttributeType=S",
            "--key-schema",
            "AttributeName=pk,KeyType=HASH",
            "--billing-mode",
            "PAY_PER_REQUEST",
        ],
    );
    nubo_json(
        &sb,
        &[
            "dynamodb",
            "put-item",
            "--table-name",
            "nubo-engine",
            "--item",
            r#"{"pk": {"S": "a"}, "n": {"N": "1"}}"#,
        ],
    );
    let v =
        same(&sb, &["dynamodb", "get-item", "--table-name", "nubo-engine", "--key", r#"{"pk": {"S": "a"}}"#]);
    assert_eq!(v["Item"]["n"]["N"], "1");
    same(&sb, &["dynamodb", "describe-table", "--table-name", "nubo-engine"]);
}

#[test]
fn sqs_and_sns() {
    let sb = moto_sandbox();
    let v = nubo_json(&sb, &["sqs", "create-queue", "--queue-name", "nubo-engine-q"]);
    let url = v["QueueUrl"].as_str().unwrap().to_string();
    nubo_json(&sb, &["sqs", "send-message", "--queue-url", &url, "--message-body", "hello"]);
    same(&sb, &["sqs", "get-queue-attributes", "--queue-url", &url, "--attribute-names", "QueueArn"]);
    nubo_json(&sb, &["sns", "create-topic", "--name", "nubo-engine-t"]);
    let v = same(&sb, &["sns", "list-topics"]);
    assert!(v["Topics"].to_string().contains("nubo-engine-t"));
}

#[test]
fn lambda_rest_json_and_kms() {
    let sb = moto_sandbox();
    same(&sb, &["lambda", "list-functions"]);
    let v = nubo_json(&sb, &["kms", "create-key", "--description", "nubo engine"]);
    let id = v["KeyMetadata"]["KeyId"].as_str().unwrap().to_string();
    same(&sb, &["kms", "describe-key", "--key-id", &id]);
}

#[test]
fn s3api_rest_xml() {
    let sb = moto_sandbox();
    nubo_json(&sb, &["s3api", "create-bucket", "--bucket", "nubo-engine-bucket"]);
    let body = sb.home().join("body.txt");
    std::fs::write(&body, "hello nubo").unwrap();
    nubo_json(
        &sb,
        &[
            "s3api",
            "put-object",
            "--bucket",
            "nubo-engine-bucket",
            "--key",
            "a/b.txt",
            "--body",
            body.to_str().unwrap(),
        ],
    );
    same(&sb, &["s3api", "list-objects-v2", "--bucket", "nubo-engine-bucket"]);
    same(&sb, &["s3api", "head-object", "--bucket", "nubo-engine-bucket", "--key", "a/b.txt"]);
    let out = sb.home().join("out.txt");
    nubo_json(
        &sb,
        &["s3api", "get-object", "--bucket", "nubo-engine-bucket", "--key", "a/b.txt", out.to_str().unwrap()],
    );
    assert_eq!(std::fs::read_to_string(out).unwrap(), "hello nubo");
}

#[test]
fn service_errors_exit_254_with_the_cli_line() {
    let sb = moto_sandbox();
    let out = sb.nubo().args(["iam", "get-user", "--user-name", "nobody-here"]).output().unwrap();
    assert_eq!(out.status.code(), Some(254));
    assert!(
        stderr_of(&out).contains("An error occurred (NoSuchEntity) when calling the GetUser operation:"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn usage_errors_for_operations() {
    let sb = moto_sandbox();
    sb.nubo().args(["nosuchservice", "x"]).assert().code(252);
    sb.nubo().args(["sts", "no-such-operation"]).assert().code(252);
    sb.nubo().args(["iam", "get-user", "--bogus", "x"]).assert().code(252);
    sb.nubo().args(["s3api", "head-object", "--bucket", "b"]).assert().code(252);
}

#[test]
fn query_applies_jmespath() {
    let sb = moto_sandbox();
    let out = sb.nubo().args(["sts", "get-caller-identity", "--query", "Account"]).output().unwrap();
    let theirs = sb.aws().args(["sts", "get-caller-identity", "--query", "Account"]).output().unwrap();
    assert_eq!(stdout_of(&out), stdout_of(&theirs));
}

#[test]
fn no_credentials_is_exit_253() {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ENDPOINT_URL", &moto_url());
    let out = sb.nubo().args(["sts", "get-caller-identity"]).output().unwrap();
    assert_eq!(out.status.code(), Some(253));
    assert!(stderr_of(&out).contains("Unable to locate credentials"));
    // Anonymous calls need none.
    sb.nubo().args(["sts", "get-caller-identity", "--no-sign-request", "--show-request"]).assert().success();
}

/// Waiters from the model: success, and a terminal failure reported as the Python CLI reports it.
#[test]
fn waiters_succeed_and_fail_like_the_cli() {
    let sb = moto_sandbox();
    let v = nubo_json(&sb, &["ec2", "create-vpc", "--cidr-block", "10.77.0.0/16"]);
    let vpc = v["Vpc"]["VpcId"].as_str().unwrap().to_string();
    sb.nubo().args(["ec2", "wait", "vpc-available", "--vpc-ids", &vpc]).assert().success().stdout("");
    let v = nubo_json(&sb, &["ec2", "run-instances", "--image-id", "ami-12345678"]);
    let id = v["Instances"][0]["InstanceId"].as_str().unwrap().to_string();
    nubo_json(&sb, &["ec2", "terminate-instances", "--instance-ids", &id]);
    // The Python CLI v1 prints errors in what v2 calls the legacy format.
    let ours = sb
        .nubo()
        .args(["ec2", "wait", "instance-running", "--instance-ids", &id, "--cli-error-format", "legacy"])
        .output()
        .unwrap();
    let theirs = sb
        .aws()
        .args(["ec2", "wait", "instance-running", "--instance-ids", &id, "--endpoint-url", &moto_url()])
        .output()
        .unwrap();
    assert_eq!((ours.status.code(), theirs.status.code()), (Some(255), Some(255)));
    assert_eq!(stderr_of(&ours).trim(), stderr_of(&theirs).trim());
    sb.nubo().args(["ec2", "wait", "no-such-waiter"]).assert().code(252);
}

/// `--output text` and `--output table` print what the Python CLI prints for the same responses.
#[test]
fn text_and_table_output_match_the_cli() {
    let sb = moto_sandbox();
    nubo_json(&sb, &["iam", "create-user", "--user-name", "nubo-output-user", "--path", "/output/"]);
    nubo_json(&sb, &["ec2", "create-vpc", "--cidr-block", "10.88.0.0/16"]);
    for args in [
        &["sts", "get-caller-identity"][..],
        &["iam", "list-users", "--path-prefix", "/output/"],
        &["ec2", "describe-vpcs", "--filters", "Name=cidr,Values=10.88.0.0/16"],
    ] {
        for format in ["text", "table"] {
            let ours = sb.nubo().args(args).args(["--output", format]).output().unwrap();
            let theirs = sb
                .aws()
                .args(args)
                .args(["--output", format, "--endpoint-url", &moto_url()])
                .output()
                .unwrap();
            assert!(ours.status.success(), "{}", stderr_of(&ours));
            assert_eq!(stdout_of(&ours), stdout_of(&theirs), "{args:?} --output {format}");
        }
    }
    let out = sb.nubo().args(["sts", "get-caller-identity", "--output", "yaml"]).output().unwrap();
    assert!(stdout_of(&out).contains("Account: "), "{}", stdout_of(&out));
    sb.nubo().args(["sts", "get-caller-identity", "--output", "off"]).assert().success().stdout("");
}

/// `--query` results keep the response's key order and a multi-select hash's order, as the CLI prints.
#[test]
fn query_results_keep_the_cli_key_order() {
    let sb = moto_sandbox();
    nubo_json(&sb, &["ec2", "create-vpc", "--cidr-block", "10.99.0.0/16"]);
    for q in [
        "Vpcs[0]",
        "Vpcs[].{Id: VpcId, Cidr: CidrBlock, Default: IsDefault}",
        "Vpcs[0].CidrBlockAssociationSet",
    ] {
        let args = ["ec2", "describe-vpcs", "--filters", "Name=cidr,Values=10.99.0.0/16", "--query", q];
        let ours = sb.nubo().args(args).output().unwrap();
        let theirs = sb.aws().args(args).args(["--endpoint-url", &moto_url()]).output().unwrap();
        assert_eq!(stdout_of(&ours), stdout_of(&theirs), "--query {q}");
    }
}
