//! `iam create-virtual-mfa-device --outfile --bootstrap-method` against moto, next to the Python CLI.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, moto_url, stderr_of, stdout_of};

fn moto() -> Sandbox {
    let mut sb = Sandbox::new();
    // Compared with the Python CLI v1, whose errors are in what v2 calls the legacy format.
    sb.set_env("AWS_CLI_ERROR_FORMAT", "legacy");
    sb.set_env("AWS_ACCESS_KEY_ID", "testing")
        .set_env("AWS_SECRET_ACCESS_KEY", "testing")
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("AWS_ENDPOINT_URL", &moto_url());
    sb
}

fn mfa(sb: &Sandbox, cli: &str, name: &str, method: &str, file: &std::path::Path) -> std::process::Output {
    let mut c = if cli == "aws" { sb.aws() } else { sb.nubo() };
    c.args(["iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", name])
        .args(["--outfile", file.to_str().unwrap(), "--bootstrap-method", method])
        .output()
        .unwrap()
}

#[test]
fn create_virtual_mfa_device_saves_the_bootstrap_data_as_the_cli() {
    let sb = moto();
    let dir = tempfile::tempdir().unwrap();
    for method in ["QRCodePNG", "Base32StringSeed"] {
        let (fa, fn_) = (dir.path().join(format!("aws-{method}")), dir.path().join(format!("nubo-{method}")));
        let a = mfa(&sb, "aws", &format!("aws-{method}"), method, &fa);
        assert_eq!(a.status.code(), Some(0), "aws: {}", stderr_of(&a));
        let n = mfa(&sb, "nubo", &format!("nubo-{method}"), method, &fn_);
        assert_eq!(n.status.code(), Some(0), "nubo: {}", stderr_of(&n));
        let (va, vn): (serde_json::Value, serde_json::Value) =
            (serde_json::from_str(&stdout_of(&a)).unwrap(), serde_json::from_str(&stdout_of(&n)).unwrap());
        let keys = |v: &serde_json::Value| {
            v["VirtualMFADevice"].as_object().unwrap().keys().cloned().collect::<Vec<_>>()
        };
        assert_eq!(keys(&vn), keys(&va));
        assert!(!keys(&vn).iter().any(|k| k == "QRCodePNG" || k == "Base32StringSeed"));
        assert_eq!(
            vn["VirtualMFADevice"]["SerialNumber"],
            "arn:aws:iam::123456789012:mfa/nubo-".to_string() + method
        );
        let (ba, bn) = (std::fs::read(&fa).unwrap(), std::fs::read(&fn_).unwrap());
        assert!(!bn.is_empty());
        assert_eq!(ba.len(), bn.len(), "{method}: same kind of content");
        if method == "Base32StringSeed" {
            assert!(bn.iter().all(|b| b.is_ascii_alphanumeric()), "{bn:?}");
        }
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&fn_).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn create_virtual_mfa_device_errors() {
    let sb = moto();
    let o = sb
        .nubo()
        .args(["iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "x"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(252));
    assert!(
        stderr_of(&o).contains("the following arguments are required: --outfile, --bootstrap-method"),
        "{}",
        stderr_of(&o)
    );
    let args = [
        "iam",
        "create-virtual-mfa-device",
        "--virtual-mfa-device-name",
        "x",
        "--outfile",
        "/nonexistent/dir/f",
    ];
    let o = sb.nubo().args(args).args(["--bootstrap-method", "Other"]).output().unwrap();
    assert_eq!(o.status.code(), Some(252));
    let a = sb.aws().args(args).args(["--bootstrap-method", "Other"]).output().unwrap();
    assert_eq!(a.status.code(), Some(2), "v1's usage exit code");
    let tail = |o: &std::process::Output| stderr_of(o).split_once("error: ").unwrap().1.to_string();
    assert_eq!(tail(&o), tail(&a));
    let o = sb.nubo().args(args).args(["--bootstrap-method", "QRCodePNG"]).output().unwrap();
    let a = sb.aws().args(args).args(["--bootstrap-method", "QRCodePNG"]).output().unwrap();
    assert_eq!(a.status.code(), Some(255));
    assert_eq!(o.status.code(), Some(255));
    assert_eq!(stderr_of(&o), stderr_of(&a));
    assert_eq!(stderr_of(&o), "\nUnable to write to file: /nonexistent/dir/f\n");
}
