//! Operations the CLI removes from its command tables (`removals`) give its `Invalid choice` usage
//! error in nubo too, next to the Python CLI, which removes the same ones.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, moto_url, stderr_of};

#[test]
fn removed_operations_are_invalid_choices_as_in_the_cli() {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_CLI_ERROR_FORMAT", "legacy");
    sb.set_env("AWS_ACCESS_KEY_ID", "testing")
        .set_env("AWS_SECRET_ACCESS_KEY", "testing")
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("AWS_ENDPOINT_URL", &moto_url());
    let cases: [&[&str]; 4] = [
        &["ses", "verify-email-address", "--email-address", "a@example.com"],
        &["ec2", "import-volume"],
        &["emr", "run-job-flow"],
        &["lambda", "invoke-with-response-stream", "--function-name", "f"],
    ];
    for case in cases {
        let a = sb.aws().args(case).output().unwrap();
        let n = sb.nubo().args(case).output().unwrap();
        // v1's argparse exits 2 where v2 exits 252; v2 words the error "Found invalid choice 'x'".
        assert_eq!(a.status.code(), Some(2), "aws {case:?}: {}", stderr_of(&a));
        assert_eq!(n.status.code(), Some(252), "nubo {case:?}: {}", stderr_of(&n));
        assert!(stderr_of(&a).contains("argument operation: Invalid choice"), "{}", stderr_of(&a));
        let wanted = format!("argument operation: Found invalid choice '{}'", case[1]);
        assert!(stderr_of(&n).contains(&wanted), "{}", stderr_of(&n));
    }
    // the operations next to them are still there
    let n = sb
        .nubo()
        .args(["ses", "verify-email-identity", "--email-address", "a@example.com"])
        .output()
        .unwrap();
    assert_eq!(n.status.code(), Some(0), "{}", stderr_of(&n));
}
