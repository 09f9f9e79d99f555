//! Shell completion: the completer entry point called as bash's `complete -C` calls it (COMP_LINE,
//! COMP_POINT and three arguments), a real bash completing through a pseudo-terminal, the scripts, and
//! the time a Tab takes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, stderr_of, stdout_of};
use std::time::{Duration, Instant};

/// The candidates for `line` with the cursor at its end, as bash asks for them.
fn complete(sb: &Sandbox, line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split(' ').collect();
    let current = words.last().copied().unwrap_or("");
    let previous = if words.len() > 1 { words[words.len() - 2] } else { "" };
    let out = sb
        .nubo()
        .env("COMP_LINE", line)
        .env("COMP_POINT", line.len().to_string())
        .args(["aws", current, previous])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{line}: {}", stderr_of(&out));
    stdout_of(&out).lines().map(str::to_string).collect()
}

fn sandbox_with_profiles() -> Sandbox {
    let sb = Sandbox::new();
    sb.write("config", "[default]\nregion = eu-west-1\n[profile dev]\n[profile prod]\n");
    sb
}

#[test]
fn services_operations_options_and_values() {
    let sb = sandbox_with_profiles();
    let services = complete(&sb, "aws dyn");
    assert!(
        services.contains(&"dynamodb".into()) && services.contains(&"dynamodbstreams".into()),
        "{services:?}"
    );
    assert!(complete(&sb, "aws conf").contains(&"configure".into()), "nubo's own commands");
    assert_eq!(complete(&sb, "aws configure list-p"), ["list-profiles"]);
    let ops = complete(&sb, "aws sqs send-message");
    assert_eq!(ops, ["send-message", "send-message-batch"]);
    assert!(
        complete(&sb, "aws ecr get-login").contains(&"get-login-password".into()),
        "registry subcommands"
    );
    let options = complete(&sb, "aws sqs send-message --queue-url x --message-");
    assert!(options.contains(&"--message-body".into()) && options.contains(&"--message-attributes".into()));
    assert!(
        !complete(&sb, "aws sqs send-message --queue-url x --").contains(&"--queue-url".into()),
        "used once"
    );
    assert!(complete(&sb, "aws sqs send-message --reg").contains(&"--region".into()), "global options too");
    assert_eq!(
        complete(&sb, "aws dynamodb create-table --billing-mode "),
        ["PROVISIONED", "PAY_PER_REQUEST"]
    );
    assert_eq!(complete(&sb, "aws --profile d"), ["default", "dev"]);
    assert_eq!(complete(&sb, "aws --profile "), ["default", "dev", "prod"]);
    assert!(
        complete(&sb, "aws ec2 describe-instances --region ap-southeast-").contains(&"ap-southeast-2".into())
    );
    assert_eq!(complete(&sb, "aws s3 ls --output y"), ["yaml", "yaml-stream"]);
    assert_eq!(complete(&sb, "aws dynamodb wait table-e"), ["table-exists"]);
    assert!(complete(&sb, "aws no-such-service ").is_empty());
}

#[test]
fn the_cursor_may_be_inside_the_line() {
    let sb = Sandbox::new();
    let line = "aws sqs list-q --max-items 5";
    let out = sb
        .nubo()
        .env("COMP_LINE", line)
        .env("COMP_POINT", "14")
        .args(["aws", "list-q", "sqs"])
        .output()
        .unwrap();
    assert_eq!(stdout_of(&out), "list-queue-tags\nlist-queues\n");
}

#[test]
fn bash_completes_through_a_pseudo_terminal() {
    let bin_dir = assert_cmd::cargo::cargo_bin("nubo").parent().unwrap().to_path_buf();
    let home = tempfile::tempdir().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut child = std::process::Command::new("script")
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", path)
        .env("TERM", "dumb")
        .args(["-qc", "bash --norc --noprofile -i", "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    use std::io::Write;
    let mut input = child.stdin.take().unwrap();
    let mut send = |s: &str, pause: u64| {
        input.write_all(s.as_bytes()).unwrap();
        input.flush().unwrap();
        std::thread::sleep(Duration::from_millis(pause));
    };
    send("eval \"$(nubo completion bash)\"\n", 500);
    // Type a partial option, Tab, then go to the start of the line and make it an echo of itself.
    send("nubo sqs send-message --message-bo\t", 1500);
    send("\x01echo COMPLETED: \n", 1000);
    send("nubo sqs list-queue-t\t", 1500);
    send("\x01echo COMPLETED: \n", 1000);
    send("exit\n", 200);
    drop(input);
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(text.contains("COMPLETED: nubo sqs send-message --message-body"), "{text}");
    assert!(text.contains("COMPLETED: nubo sqs list-queue-tags"), "{text}");
}

#[test]
fn scripts_for_each_shell() {
    let sb = Sandbox::new();
    let script = |shell: &str| stdout_of(&sb.nubo().args(["completion", shell]).output().unwrap());
    assert!(script("bash").contains("complete -C nubo nubo\n"));
    let zsh = script("zsh");
    assert!(zsh.contains("bashcompinit") && zsh.contains("complete -C nubo nubo"));
    assert!(script("fish").contains("complete -c nubo -f -a '(__nubo_complete)'"));
    let out = sb.nubo().args(["completion", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(252));
    assert!(stderr_of(&out).contains("argument shell: Found invalid choice 'tcsh'"));
}

#[test]
fn a_tab_without_network_is_quick() {
    let sb = sandbox_with_profiles();
    // Warm the file cache, then take the best of several runs (the machine is shared).
    complete(&sb, "aws dyn");
    let best = (0..7)
        .map(|_| {
            let t = Instant::now();
            complete(&sb, "aws dyn");
            t.elapsed()
        })
        .min()
        .unwrap();
    assert!(best < Duration::from_millis(30), "a service-name completion took {best:?}");
}

#[test]
fn operations_v2_removed_are_neither_completed_nor_listed() {
    let sb = sandbox_with_profiles();
    let ses = complete(&sb, "aws ses verify-");
    assert!(ses.contains(&"verify-email-identity".into()), "{ses:?}");
    assert!(!ses.contains(&"verify-email-address".into()), "{ses:?}");
    let lambda = complete(&sb, "aws lambda invoke");
    assert!(
        lambda.contains(&"invoke".into()) && !lambda.iter().any(|c| c == "invoke-with-response-stream"),
        "{lambda:?}"
    );
    let ecr = complete(&sb, "aws ecr get-login");
    assert_eq!(ecr, ["get-login-password"]);
    let out = sb.nubo().args(["emr", "help"]).env("COLUMNS", "80").output().unwrap();
    let page = stdout_of(&out);
    assert!(page.contains("o list-clusters") && !page.contains("o run-job-flow"), "{page}");
    // Added commands are completed beside the model's operations.
    let ddb = complete(&sb, "aws ddb s");
    assert_eq!(ddb, ["select"]);
    let history = complete(&sb, "aws history ");
    assert_eq!(history, ["list", "show"]);
}
