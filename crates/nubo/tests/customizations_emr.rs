//! The `emr` argument customizations against moto, next to the Python CLI: `add-tags --tags k=v`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, moto_url, stderr_of, stdout_of};

fn moto() -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "testing")
        .set_env("AWS_SECRET_ACCESS_KEY", "testing")
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("AWS_ENDPOINT_URL", &moto_url());
    sb
}

fn cluster(sb: &Sandbox) -> String {
    let o = sb
        .nubo()
        .args(["emr", "run-job-flow", "--name", "c", "--release-label", "emr-6.0.0"])
        .args(["--instances", "InstanceCount=1,MasterInstanceType=m5.xlarge", "--query", "JobFlowId"])
        .args(["--output", "text"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    stdout_of(&o).trim().to_string()
}

fn tags(sb: &Sandbox, id: &str) -> String {
    let o = sb
        .nubo()
        .args(["emr", "describe-cluster", "--cluster-id", id, "--query", "Cluster.Tags", "--output", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    stdout_of(&o)
}

#[test]
fn emr_add_tags_takes_key_value_words_as_the_cli() {
    let sb = moto();
    let (n, a) = (cluster(&sb), cluster(&sb));
    let words = ["a=1", "b", "c=x=y"];
    let o = sb.aws().args(["emr", "add-tags", "--resource-id", &a, "--tags"]).args(words).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "aws: {}", stderr_of(&o));
    let o = sb.nubo().args(["emr", "add-tags", "--resource-id", &n, "--tags"]).args(words).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "nubo: {}", stderr_of(&o));
    assert_eq!(stdout_of(&o), "");
    let got = tags(&sb, &n);
    assert_eq!(got, tags(&sb, &a));
    let v: serde_json::Value = serde_json::from_str(&got).unwrap();
    assert_eq!(
        v,
        serde_json::json!([{"Key": "a", "Value": "1"}, {"Key": "b", "Value": ""}, {"Key": "c", "Value": "x=y"}])
    );
    let o = sb.nubo().args(["emr", "add-tags", "--resource-id", &n, "--tags"]).output().unwrap();
    assert_eq!(o.status.code(), Some(252));
    assert!(stderr_of(&o).contains("argument --tags: expected at least one argument"), "{}", stderr_of(&o));
}
