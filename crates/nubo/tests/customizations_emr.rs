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

/// A cluster on moto. CLI v2 (and nubo) removed `emr run-job-flow` in favour of `create-cluster`, so
/// botocore from the Python CLI's environment makes it.
fn cluster(_sb: &Sandbox) -> String {
    let aws = std::env::var("NUBO_TEST_AWS_CLI")
        .expect("NUBO_TEST_AWS_CLI is not set: run the tests through scripts/test");
    let python = std::path::Path::new(&aws).with_file_name("python");
    let script = "import botocore.session, sys\n\
        c = botocore.session.get_session().create_client('emr', region_name='us-east-1', endpoint_url=sys.argv[1],\n\
            aws_access_key_id='testing', aws_secret_access_key='testing')\n\
        r = c.run_job_flow(Name='c', ReleaseLabel='emr-6.0.0', Instances={'InstanceCount': 1, 'MasterInstanceType': 'm5.xlarge'})\n\
        print(r['JobFlowId'])\n";
    let o = std::process::Command::new(python).args(["-c", script, &moto_url()]).output().unwrap();
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
