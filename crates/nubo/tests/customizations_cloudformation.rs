//! `cloudformation deploy` (and `package`) against moto next to the Python CLI, and against a small
//! in-test CloudFormation for what moto cannot do (it answers HTTP 500 to a change set without
//! changes). Both exit codes are checked before outputs are compared; where v1 and v2 differ (an
//! empty change set is not an error in v2) nubo follows v2.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, moto_url, stderr_of, stdout_of};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;

const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Name:\n    Type: String\n    \
                        Default: abc\n  Other:\n    Type: String\n    Default: x\nResources:\n  Topic:\n    \
                        Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref Name\n";

fn moto() -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "testing")
        .set_env("AWS_SECRET_ACCESS_KEY", "testing")
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("AWS_ENDPOINT_URL", &moto_url())
        .set_env("NUBO_WAITER_DELAY", "0");
    sb
}

fn run(cmd: &mut assert_cmd::Command, dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = cmd.current_dir(dir).args(args).output().unwrap();
    (o.status.code().unwrap_or(-1), stdout_of(&o), stderr_of(&o))
}

/// The change set ARN in the CLI's "describe-change-set" hint replaced by `ID`.
fn without_ids(text: &str) -> String {
    text.lines()
        .map(|l| match l.split_once("--change-set-name ") {
            Some((head, _)) => format!("{head}--change-set-name ID"),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn unique(prefix: &str) -> String {
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{prefix}{}", n % 1_000_000_000)
}

#[test]
fn deploy_creates_and_updates_a_stack_as_the_cli_does() {
    let sb = moto();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.yaml"), TEMPLATE).unwrap();
    let (ns, as_) = (unique("nubo-stack-"), unique("aws-stack-"));
    let create = |stack: &str| {
        vec![
            "cloudformation".to_string(),
            "deploy".into(),
            "--template-file".into(),
            "t.yaml".into(),
            "--stack-name".into(),
            stack.to_string(),
            "--parameter-overrides".into(),
            "Name=first".into(),
            "--tags".into(),
            "team=a".into(),
            "env=dev".into(),
        ]
    };
    let n = create(&ns);
    let a = create(&as_);
    let n: Vec<&str> = n.iter().map(String::as_str).collect();
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let (ac, aout, aerr) = run(&mut sb.aws(), dir.path(), &a);
    assert_eq!(ac, 0, "aws: {aerr}");
    let (nc, nout, nerr) = run(&mut sb.nubo(), dir.path(), &n);
    assert_eq!(nc, 0, "nubo: {nerr}");
    assert_eq!(nout.replace(&ns, "S"), aout.replace(&as_, "S"));
    assert!(nout.ends_with(&format!("Successfully created/updated stack - {ns}\n")), "{nout}");

    // The stack has the parameters and tags the CLI gives it.
    let q =
        ["cloudformation", "describe-stacks", "--stack-name", &ns, "--query", "Stacks[0].[Parameters,Tags]"];
    let (code, out, err) = run(&mut sb.nubo(), dir.path(), &q);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let params = v[0].as_array().unwrap();
    assert!(params.iter().any(|p| p["ParameterKey"] == "Name" && p["ParameterValue"] == "first"), "{out}");
    let tags = v[1].as_array().unwrap();
    assert!(tags.iter().any(|t| t["Key"] == "team" && t["Value"] == "a"), "{out}");
    assert!(tags.iter().any(|t| t["Key"] == "env" && t["Value"] == "dev"), "{out}");

    // An update left for review.
    let upd = |stack: &str| {
        vec![
            "cloudformation".to_string(),
            "deploy".into(),
            "--template-file".into(),
            "t.yaml".into(),
            "--stack-name".into(),
            stack.to_string(),
            "--parameter-overrides".into(),
            "Name=second".into(),
            "--no-execute-changeset".into(),
        ]
    };
    let n = upd(&ns);
    let a = upd(&as_);
    let n: Vec<&str> = n.iter().map(String::as_str).collect();
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let (ac, aout, aerr) = run(&mut sb.aws(), dir.path(), &a);
    assert_eq!(ac, 0, "aws: {aerr}");
    let (nc, nout, nerr) = run(&mut sb.nubo(), dir.path(), &n);
    assert_eq!(nc, 0, "nubo: {nerr}");
    assert_eq!(without_ids(&nout), without_ids(&aout));
    assert!(nout.contains("aws cloudformation describe-change-set --change-set-name arn:"), "{nout}");
}

#[test]
fn deploy_uploads_the_template_with_s3_bucket() {
    let sb = moto();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.yaml"), TEMPLATE).unwrap();
    let bucket = unique("nubo-cfn-");
    let (code, _, err) = run(&mut sb.nubo(), dir.path(), &["s3", "mb", &format!("s3://{bucket}")]);
    assert_eq!(code, 0, "{err}");
    let stack = unique("nubo-s3-stack-");
    let args = [
        "cloudformation",
        "deploy",
        "--template-file",
        "t.yaml",
        "--stack-name",
        &stack,
        "--s3-bucket",
        &bucket,
        "--s3-prefix",
        "pre",
    ];
    // moto cannot read a TemplateURL on its own endpoint and answers NoSuchBucket to the change set;
    // the Python CLI, sending the same path-style URL, gets the same answer.
    let (code, out, err) = run(&mut sb.nubo(), dir.path(), &args);
    let mut aws_args = args.to_vec();
    let aws_stack = unique("aws-s3-stack-");
    aws_args[5] = &aws_stack;
    let (acode, _, aerr) = run(&mut sb.aws(), dir.path(), &aws_args);
    // A service error inside a custom command exits 255 in v1 and 254 in v2.
    assert_eq!((acode, code), (255, 254), "aws {aerr} / nubo {err}");
    let moto_says = "An error occurred (NoSuchBucket) when calling the CreateChangeSet operation";
    assert!(err.contains(moto_says) && aerr.contains(moto_says), "aws {aerr} / nubo {err}");
    assert_eq!(out, "");
    // The key is the MD5 of the template (as Python's hashlib computes it) with `.template`.
    let md5 = std::process::Command::new(python())
        .args(["-c", "import hashlib,sys; print(hashlib.md5(open(sys.argv[1],'rb').read()).hexdigest())"])
        .arg(dir.path().join("t.yaml"))
        .output()
        .unwrap();
    let key = format!("pre/{}.template", stdout_of(&md5).trim());
    assert!(err.contains(&format!("Uploading to {key}")), "{err}");
    let (code, out, err) =
        run(&mut sb.nubo(), dir.path(), &["s3api", "head-object", "--bucket", &bucket, "--key", &key]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"ServerSideEncryption\": \"AES256\""), "{out}");
}

#[test]
fn deploy_errors_as_the_cli() {
    let sb = moto();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.yaml"), TEMPLATE).unwrap();
    for (args, code, text) in [
        (
            vec!["--template-file", "missing.yaml", "--stack-name", "s"],
            255,
            "Invalid template path missing.yaml",
        ),
        (
            vec!["--template-file", "t.yaml", "--stack-name", "s", "--tags", "x"],
            255,
            "['x'] value passed to --tags must be of format Key=Value",
        ),
        (vec!["--template-file", "t.yaml"], 252, "the following arguments are required: --stack-name"),
    ] {
        let mut full = vec!["cloudformation", "deploy"];
        full.extend(&args);
        let (ac, _, aerr) = run(&mut sb.aws(), dir.path(), &full);
        let (nc, nout, nerr) = run(&mut sb.nubo(), dir.path(), &full);
        // The Python CLI exits 2 for argparse errors where v2 exits 252.
        assert_eq!(ac, if code == 252 { 2 } else { code }, "aws {args:?}: {aerr}");
        assert_eq!(nc, code, "nubo {args:?}: {nerr}");
        assert!(nout.is_empty());
        assert!(nerr.contains(text) && aerr.contains(text), "{args:?}: nubo {nerr} / aws {aerr}");
    }
}

fn python() -> std::path::PathBuf {
    let aws = std::env::var("NUBO_TEST_AWS_CLI")
        .expect("NUBO_TEST_AWS_CLI is not set: run the tests through scripts/test");
    std::path::PathBuf::from(aws).with_file_name("python")
}

/// A small CloudFormation (query protocol) that knows one existing stack and answers every change
/// set as CloudFormation answers one without changes. The request bodies go to the channel.
fn empty_change_set_server() -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut len = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            let body = String::from_utf8_lossy(&body).into_owned();
            let action =
                body.split('&').find_map(|p| p.strip_prefix("Action=")).unwrap_or_default().to_string();
            let _ = tx.send(body);
            let result = match action.as_str() {
                "DescribeStacks" => "<Stacks><member><StackName>s</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/s/1</StackId><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2025-01-01T00:00:00Z</CreationTime></member></Stacks>".to_string(),
                "GetTemplateSummary" => "<Parameters><member><ParameterKey>Name</ParameterKey></member></Parameters>".to_string(),
                "CreateChangeSet" => "<Id>arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/1</Id><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/s/1</StackId>".to_string(),
                "DescribeChangeSet" => "<ChangeSetName>cs</ChangeSetName><StackName>s</StackName><ExecutionStatus>UNAVAILABLE</ExecutionStatus><Status>FAILED</Status><StatusReason>The submitted information didn't contain changes. Submit different information to create a change set.</StatusReason>".to_string(),
                _ => String::new(),
            };
            let xml = format!(
                "<{action}Response xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{action}Response>"
            );
            let resp = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
                xml.len()
            );
            let _ = stream.write_all(resp.as_bytes());
        }
    });
    (url, rx)
}

#[test]
fn deploy_an_empty_change_set_is_not_an_error_in_v2() {
    let (url, seen) = empty_change_set_server();
    let mut sb = moto();
    sb.set_env("AWS_ENDPOINT_URL", &url);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.yaml"), TEMPLATE).unwrap();
    let base = ["cloudformation", "deploy", "--template-file", "t.yaml", "--stack-name", "s"];
    let message = "No changes to deploy. Stack s is up to date";

    // v2's default: exit 0, the message on standard output. (v1, the reference here, fails.)
    let (nc, nout, nerr) = run(&mut sb.nubo(), dir.path(), &base);
    assert_eq!(nc, 0, "{nerr}");
    assert_eq!(nout, format!("\nWaiting for changeset to be created..\n\n{message}\n"));
    let (ac, _, aerr) = run(&mut sb.aws(), dir.path(), &base);
    assert_eq!(ac, 255, "{aerr}");
    assert!(aerr.contains(message), "{aerr}");
    let bodies: Vec<String> = seen.try_iter().collect();
    let create = bodies.iter().find(|b| b.contains("Action=CreateChangeSet")).unwrap();
    assert!(create.contains("ChangeSetType=UPDATE"), "{create}");
    // Of the two parameters only the one the stack has keeps its previous value.
    assert!(create.contains("Parameters.member.1.ParameterKey=Name"), "{create}");
    assert!(create.contains("Parameters.member.1.UsePreviousValue=true"), "{create}");
    assert!(!create.contains("ParameterKey=Other"), "{create}");
    assert!(create.contains("Description=Created%20by%20AWS%20CLI%20at%20"), "{create}");

    // Both flags, both CLIs.
    let mut no_fail = base.to_vec();
    no_fail.push("--no-fail-on-empty-changeset");
    let (nc, nout, nerr) = run(&mut sb.nubo(), dir.path(), &no_fail);
    let (ac, aout, aerr) = run(&mut sb.aws(), dir.path(), &no_fail);
    assert_eq!((ac, nc), (0, 0), "aws {aerr} / nubo {nerr}");
    assert_eq!(nout, aout);
    let mut fail = base.to_vec();
    fail.push("--fail-on-empty-changeset");
    let (nc, nout, nerr) = run(&mut sb.nubo(), dir.path(), &fail);
    let (ac, _, aerr) = run(&mut sb.aws(), dir.path(), &fail);
    assert_eq!((ac, nc), (255, 255), "aws {aerr} / nubo {nerr}");
    assert_eq!(nout, "\nWaiting for changeset to be created..\n");
    assert!(nerr.contains(message), "{nerr}");
}

// ---- package ----

const PACKAGED: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Func:\n    Type: AWS::Serverless::Function\n    \
                        Properties:\n      CodeUri: code\n      Role: !GetAtt R.Arn\n      Environment:\n        \
                        Variables:\n          FLAG: 'yes'\n  Job:\n    Type: AWS::Glue::Job\n    Properties:\n      \
                        Command:\n        Name: glueetl\n        ScriptLocation: script.py\n  Child:\n    \
                        Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: nested/child.yaml\n";

const CHILD: &str = "Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      BodyS3Location: ../api.json\n";

/// A project folder with code, a script, an API definition and a nested template.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("code/sub")).unwrap();
    std::fs::create_dir_all(p.join("nested")).unwrap();
    std::fs::write(p.join("code/app.py"), "def h(e, c):\n    return 1\n").unwrap();
    std::fs::write(p.join("code/sub/data.txt"), "data\n").unwrap();
    std::fs::write(p.join("script.py"), "print(1)\n").unwrap();
    std::fs::write(p.join("api.json"), "{\"swagger\": \"2.0\"}\n").unwrap();
    std::fs::write(p.join("nested/child.yaml"), CHILD).unwrap();
    std::fs::write(p.join("t.yaml"), PACKAGED).unwrap();
    dir
}

/// The 32-hex-digit object names of zipped folders (which hold file times, so differ between CLIs).
fn mask_zip_keys(text: &str, zipped: &[&str]) -> String {
    let mut out = text.to_string();
    for z in zipped {
        if let Some(i) = out.find(z) {
            let start = i + z.len();
            let end = out[start..].find(|c: char| !c.is_ascii_hexdigit()).map_or(out.len(), |e| start + e);
            out.replace_range(start..end, "ZIP");
        }
    }
    out
}

#[test]
fn package_rewrites_the_template_as_the_cli_does() {
    let sb = moto();
    let dir = project();
    let bucket = unique("nubo-pkg-");
    let (code, _, err) = run(&mut sb.nubo(), dir.path(), &["s3", "mb", &format!("s3://{bucket}")]);
    assert_eq!(code, 0, "{err}");
    let args = [
        "cloudformation",
        "package",
        "--template-file",
        "t.yaml",
        "--s3-bucket",
        &bucket,
        "--s3-prefix",
        "p",
    ];
    let (ac, aout, aerr) = run(&mut sb.aws(), dir.path(), &args);
    assert_eq!(ac, 0, "aws: {aerr}");
    let (nc, nout, nerr) = run(&mut sb.nubo(), dir.path(), &args);
    assert_eq!(nc, 0, "nubo: {nerr}");
    let zipped = ["CodeUri: s3://BUCKET/p/"];
    let norm = |s: &str| mask_zip_keys(&s.replace(&bucket, "BUCKET"), &zipped);
    // The nested template holds no zip, so its packaged text, its MD5 and its URL are the CLI's.
    assert_eq!(norm(&nout), norm(&aout));
    assert!(nout.contains("FLAG: 'yes'"), "{nout}");
    assert!(nout.contains("Fn::GetAtt:\n        - R\n        - Arn"), "{nout}");
    let md5 = std::process::Command::new(python())
        .args(["-c", "import hashlib,sys; print(hashlib.md5(open(sys.argv[1],'rb').read()).hexdigest())"])
        .arg(dir.path().join("script.py"))
        .output()
        .unwrap();
    assert!(nout.contains(&format!("ScriptLocation: s3://{bucket}/p/{}", stdout_of(&md5).trim())), "{nout}");
    assert!(nout.contains(&format!("TemplateURL: {}/{bucket}/p/", moto_url())), "{nout}");

    // The code folder went up as a zip Python's zipfile reads, with every file.
    let key = nout.split("CodeUri: s3://").nth(1).unwrap().lines().next().unwrap().split_once('/').unwrap().1;
    let zip = dir.path().join("code.zip");
    let (code, _, err) = run(
        &mut sb.nubo(),
        dir.path(),
        &["s3", "cp", &format!("s3://{bucket}/{key}"), zip.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    let listing = std::process::Command::new(python())
        .args(["-c", "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); z.testzip(); print(sorted(z.namelist()), z.read('app.py').decode())"])
        .arg(&zip)
        .output()
        .unwrap();
    assert_eq!(
        stdout_of(&listing),
        "['app.py', 'sub/data.txt'] def h(e, c):\n    return 1\n\n",
        "{}",
        stderr_of(&listing)
    );

    // JSON to a file, with the CLI's message.
    let json_args = [
        "cloudformation",
        "package",
        "--template-file",
        "t.yaml",
        "--s3-bucket",
        &bucket,
        "--use-json",
        "--output-template-file",
        "out.json",
    ];
    let (nc, nout, nerr) = run(&mut sb.nubo(), dir.path(), &json_args);
    assert_eq!(nc, 0, "{nerr}");
    let abs = dir.path().join("out.json");
    assert_eq!(
        nout,
        format!(
            "\nSuccessfully packaged artifacts and wrote output template to file out.json.\nExecute the following \
             command to deploy the packaged template\naws cloudformation deploy --template-file {} --stack-name \
             <YOUR STACK NAME>\n",
            abs.display()
        )
    );
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&abs).unwrap()).unwrap();
    assert_eq!(
        written["Resources"]["Func"]["Properties"]["Role"],
        serde_json::json!({"Fn::GetAtt": ["R", "Arn"]})
    );
    assert!(std::fs::read_to_string(&abs).unwrap().starts_with("{\n    \"AWSTemplateFormatVersion\""));
}

#[test]
fn package_errors_as_the_cli() {
    let sb = moto();
    let dir = project();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code: missing-dir\n",
    )
    .unwrap();
    let args = ["cloudformation", "package", "--template-file", "bad.yaml", "--s3-bucket", "b"];
    let (ac, _, aerr) = run(&mut sb.aws(), dir.path(), &args);
    let (nc, nout, nerr) = run(&mut sb.nubo(), dir.path(), &args);
    assert_eq!((ac, nc), (255, 255), "aws {aerr} / nubo {nerr}");
    assert!(nout.is_empty());
    let missing = dir.path().join("missing-dir");
    let text = format!(
        "Unable to upload artifact missing-dir referenced by Code parameter of Fn resource.\nParameter Code of \
         resource Fn refers to a file or folder that does not exist {}",
        missing.display()
    );
    assert!(nerr.contains(&text), "{nerr}");
    assert!(aerr.contains(&text), "{aerr}");
    let (nc, _, nerr) =
        run(&mut sb.nubo(), dir.path(), &["cloudformation", "package", "--template-file", "t.yaml"]);
    assert_eq!(nc, 252, "{nerr}");
    assert!(nerr.contains("the following arguments are required: --s3-bucket"), "{nerr}");
}
