//! Help pages from the documentation bundle: the operation, service and top pages with their sections,
//! the registry's commands, topics, the width, the pager on a terminal, and the closest-name
//! suggestions of usage errors.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, stderr_of, stdout_of};

fn help(sb: &Sandbox, args: &[&str], columns: usize) -> String {
    let out = sb.nubo().env("COLUMNS", columns.to_string()).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr_of(&out));
    stdout_of(&out)
}

/// The text between a section heading and the next one.
fn section<'a>(page: &'a str, title: &str) -> &'a str {
    let start = page.find(&format!("\n{title}\n")).or_else(|| page.starts_with(title).then_some(0));
    let start = start.unwrap_or_else(|| panic!("no {title} section in:\n{page}"));
    let body = &page[start + title.len() + 1..];
    let end = body.find("\n\n\n").map(|_| ()).and(None).unwrap_or(body.len());
    let end = body[..end]
        .match_indices('\n')
        .find(|(i, _)| body[i + 1..].chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .map_or(end, |(i, _)| i);
    &body[..end]
}

#[test]
fn operation_page_has_every_section() {
    let sb = Sandbox::new();
    let page = help(&sb, &["ec2", "describe-instances", "help"], 100);
    for title in ["NAME", "DESCRIPTION", "SYNOPSIS", "OPTIONS", "GLOBAL OPTIONS", "EXAMPLES", "OUTPUT"] {
        assert!(page.contains(&format!("\n{title}\n")) || page.starts_with(title), "{title} missing");
    }
    assert!(section(&page, "DESCRIPTION").contains("Describes the specified instances or all instances."));
    let synopsis = section(&page, "SYNOPSIS");
    assert!(synopsis.contains("[--instance-ids <value>]"), "{synopsis}");
    assert!(synopsis.contains("[--dry-run | --no-dry-run]"), "{synopsis}");
    let options = section(&page, "OPTIONS");
    assert!(options.contains("       --instance-ids (list)\n          The instance IDs."), "{options}");
    assert!(options.contains("Syntax:\n\n             \"string\" \"string\" ..."), "{options}");
    assert!(
        options.contains("Shorthand Syntax:\n\n             Name=string,Values=string,string ..."),
        "{options}"
    );
    assert!(options.contains("JSON Syntax:"), "{options}");
    assert!(options.contains("--max-items (integer)"), "{options}");
    assert!(section(&page, "GLOBAL OPTIONS").contains("--region (string)"));
    let examples = section(&page, "EXAMPLES");
    assert!(examples.contains("nubo ec2 describe-instances"), "{examples}");
    assert!(!examples.contains("``"), "reST markup left in:\n{examples}");
    let output = section(&page, "OUTPUT");
    assert!(output.contains("       Reservations -> (list)\n"), "{output}");
    assert!(output.contains("InstanceId -> (string)"), "{output}");
    assert!(!page.contains('<') || !page.contains("</p>"), "HTML left in the page");
}

#[test]
fn required_marks_enum_values_and_structure_syntax() {
    let sb = Sandbox::new();
    let page = help(&sb, &["s3api", "put-object", "help"], 100);
    let synopsis = section(&page, "SYNOPSIS");
    assert!(synopsis.contains("\n          --bucket <value>\n"), "{synopsis}");
    let options = section(&page, "OPTIONS");
    assert!(options.contains("--bucket (string) [required]"), "{options}");
    assert!(options.contains("Possible values:\n\n             o private\n"), "{options}");
    let page = help(&sb, &["ec2", "run-instances", "help"], 120);
    let options = section(&page, "OPTIONS");
    assert!(options.contains("--block-device-mappings (list)"));
    assert!(
        options.contains("Ebs={DeleteOnTermination=boolean,Iops=integer,"),
        "no shorthand for block device mappings"
    );
    assert!(options.contains("\"DeviceName\": \"string\","), "no JSON syntax");
    assert!(options.contains("\"VolumeType\": \"standard\"|\"io1\""), "enum values in the JSON syntax");
}

#[test]
fn width_is_honoured() {
    let sb = Sandbox::new();
    for columns in [60, 100] {
        let page = help(&sb, &["sqs", "send-message", "help"], columns);
        let description = section(&page, "DESCRIPTION");
        let widest = description.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(
            widest <= columns && widest > columns - 25,
            "{columns}: widest line {widest}:\n{description}"
        );
    }
}

#[test]
fn service_page_lists_operations_and_added_commands() {
    let sb = Sandbox::new();
    let page = help(&sb, &["ecr", "help"], 100);
    assert!(section(&page, "DESCRIPTION").contains("Amazon Elastic Container Registry"));
    let commands = section(&page, "AVAILABLE COMMANDS");
    for c in ["o batch-get-image", "o get-login-password", "o wait", "o describe-repositories"] {
        assert!(commands.contains(c), "{c} missing:\n{commands}");
    }
}

#[test]
fn top_page_topics_and_notice() {
    let sb = Sandbox::new();
    let page = help(&sb, &["help"], 100);
    let services = section(&page, "AVAILABLE SERVICES");
    for s in ["o ec2\n", "o s3api\n", "o s3\n", "o configure\n", "o deploy\n"] {
        assert!(services.contains(s), "{s} missing");
    }
    assert!(!services.contains("o codedeploy\n"), "the botocore name of a renamed service is no command");
    let added = section(&page, "COMMANDS ADDED TO THE MODELS' SERVICES");
    assert!(added.contains("ecr get-login-password"));
    assert!(added.contains("completion"));
    let topics = help(&sb, &["help", "topics"], 100);
    for t in ["config-vars", "return-codes", "s3-config", "notice"] {
        assert!(topics.contains(&format!("o {t}")), "{t} missing");
    }
    assert!(help(&sb, &["help", "return-codes"], 100).contains("252"));
    assert!(help(&sb, &["help", "config-vars"], 100).contains("AWS_CONFIG_FILE"));
    assert!(help(&sb, &["help", "s3-config"], 100).contains("multipart_chunksize"));
    let notice = help(&sb, &["help", "notice"], 100);
    assert!(notice.contains("botocore") && notice.contains("Apache License"));
    let out = sb.nubo().args(["help", "return-code"]).output().unwrap();
    assert_eq!(out.status.code(), Some(252));
    assert!(stderr_of(&out).contains("maybe you meant:\n\n  * return-codes"));
}

#[test]
fn registry_commands_have_pages_with_examples() {
    let sb = Sandbox::new();
    let page = help(&sb, &["s3", "cp", "help"], 100);
    assert!(section(&page, "EXAMPLES").contains("nubo s3 cp "));
    let page = help(&sb, &["ecr", "get-login-password", "help"], 100);
    assert!(section(&page, "DESCRIPTION").contains("A password for docker login"));
    assert!(section(&page, "EXAMPLES").contains("nubo ecr get-login-password"));
    let page = help(&sb, &["s3", "help"], 100);
    assert!(section(&page, "AVAILABLE COMMANDS").contains("o sync"));
}

#[test]
fn a_few_operations_of_many_services_have_documentation() {
    let sb = Sandbox::new();
    for (service, op) in [
        ("dynamodb", "put-item"),
        ("lambda", "invoke"),
        ("sts", "get-caller-identity"),
        ("iam", "create-role"),
        ("cloudformation", "create-stack"),
        ("logs", "get-log-events"),
        ("kms", "encrypt"),
        ("sns", "publish"),
    ] {
        let page = help(&sb, &[service, op, "help"], 100);
        assert!(section(&page, "DESCRIPTION").trim().len() > 40, "{service} {op}: no description");
        assert!(page.contains("\nEXAMPLES\n"), "{service} {op}: no examples");
    }
}

#[test]
fn help_goes_through_the_pager_on_a_terminal() {
    let nubo = assert_cmd::cargo::cargo_bin("nubo");
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("script")
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_PAGER", "sed s/^/PAGED:/")
        .args(["-qc", &format!("{} sts get-caller-identity help", nubo.display()), "/dev/null"])
        .output()
        .expect("script (util-linux) runs");
    let text = stdout_of(&out).replace('\r', "");
    assert!(text.starts_with("PAGED:NAME\n"), "{text}");
}

#[test]
fn mistyped_names_get_the_closest_ones() {
    let sb = Sandbox::new();
    let out = sb.nubo().args(["ec2", "describe-instance"]).output().unwrap();
    assert_eq!(out.status.code(), Some(252));
    let err = stderr_of(&out);
    assert!(
        err.contains(
            "nubo: error: argument operation: Found invalid choice 'describe-instance'\n\n\
             Invalid choice: 'describe-instance', maybe you meant:\n\n  * describe-instances\n"
        ),
        "{err}"
    );
    let out = sb.nubo().args(["dynamodbb", "list-tables"]).output().unwrap();
    assert_eq!(out.status.code(), Some(252));
    assert!(stderr_of(&out).contains("maybe you meant:\n\n  * dynamodb"), "{}", stderr_of(&out));
    let out = sb.nubo().args(["zzzz", "x"]).output().unwrap();
    assert!(
        stderr_of(&out).ends_with("argument command: Found invalid choice 'zzzz'\n"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn cli_auto_prompt_says_it_is_not_there() {
    let sb = Sandbox::new();
    let out = sb.nubo().args(["--cli-auto-prompt", "sts", "get-caller-identity"]).output().unwrap();
    assert_eq!(out.status.code(), Some(252));
    let err = stderr_of(&out);
    assert!(err.contains("nubo: error: --cli-auto-prompt: nubo has no interactive prompt"), "{err}");
    assert!(stdout_of(&out).is_empty());
}
