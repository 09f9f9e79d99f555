//! The pager: used only when standard output is a terminal (a pseudo-terminal from `script`, part of
//! Debian's essential util-linux), chosen by AWS_PAGER, turned off by --no-cli-pager or an empty value.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, stdout_of};

fn on_a_terminal(sb: &Sandbox, cmd: &str) -> String {
    let nubo = assert_cmd::cargo::cargo_bin("nubo");
    let mut c = std::process::Command::new("script");
    c.env_clear()
        .env("HOME", sb.home())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_EC2_METADATA_DISABLED", "true");
    for (k, v) in &sb.env {
        c.env(k, v);
    }
    let out =
        c.args(["-qc", &format!("{} {cmd}", nubo.display()), "/dev/null"]).output().expect("script runs");
    stdout_of(&out).replace('\r', "")
}

#[test]
fn pager_only_on_a_terminal() {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_PAGER", "sed s/^/PAGED:/");
    let skeleton = "sts get-caller-identity --generate-cli-skeleton output";
    assert!(on_a_terminal(&sb, skeleton).starts_with("PAGED:{\n"));
    assert!(on_a_terminal(&sb, &format!("{skeleton} --no-cli-pager")).starts_with("{\n"));
    // Not a terminal: never paged.
    let out = sb.nubo().args(skeleton.split(' ')).output().unwrap();
    assert!(stdout_of(&out).starts_with("{\n"));
    sb.set_env("AWS_PAGER", "");
    assert!(on_a_terminal(&sb, skeleton).starts_with("{\n"));
}
