//! `ec2` security-group shortcuts against moto next to the Python CLI, and `ec2 get-password-data
//! --priv-launch-key` against a small in-test server answering with a password encrypted for a key
//! the Python `rsa` library (the one the CLI decrypts with) made.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, moto_url, stderr_of, stdout_of};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

fn sandbox(endpoint: &str) -> Sandbox {
    let mut sb = Sandbox::new();
    // Compared with the Python CLI v1, whose errors are in what v2 calls the legacy format.
    sb.set_env("AWS_CLI_ERROR_FORMAT", "legacy");
    sb.set_env("AWS_ACCESS_KEY_ID", "testing")
        .set_env("AWS_SECRET_ACCESS_KEY", "testing")
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("AWS_ENDPOINT_URL", endpoint);
    sb
}

fn run(sb: &Sandbox, cli: &str, args: &[&str]) -> std::process::Output {
    let mut c = if cli == "aws" { sb.aws() } else { sb.nubo() };
    c.args(args).output().unwrap()
}

fn group(sb: &Sandbox, name: &str) -> String {
    let out = run(sb, "aws", &["ec2", "create-security-group", "--group-name", name, "--description", "d"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    serde_json::from_str::<Value>(&stdout_of(&out)).unwrap()["GroupId"].as_str().unwrap().to_string()
}

fn ingress(sb: &Sandbox, id: &str) -> Value {
    let out = run(sb, "aws", &["ec2", "describe-security-groups", "--group-ids", id]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let mut v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let mut perms = v["SecurityGroups"][0]["IpPermissions"].take();
    for p in perms.as_array_mut().unwrap() {
        for pair in p["UserIdGroupPairs"].as_array_mut().unwrap() {
            // Each run's groups have their own ids; the rule's shape is what is compared.
            pair.as_object_mut().unwrap().remove("GroupId");
        }
    }
    perms
}

#[test]
fn security_group_shortcuts_add_the_rules_the_cli_adds() {
    let sb = sandbox(&moto_url());
    let (a, n) = (group(&sb, "sg-shortcuts-aws"), group(&sb, "sg-shortcuts-nubo"));
    let (sa, sn) = (group(&sb, "src-aws"), group(&sb, "src-nubo"));
    let rules: [(&str, &[&str]); 3] = [
        ("ingress", &["--protocol", "tcp", "--port", "22-25", "--cidr", "10.0.0.0/8"]),
        ("ingress", &["--protocol", "udp", "--port", "53", "--cidr", "0.0.0.0/0"]),
        ("ingress", &["--protocol", "all", "--source-group", "SRC", "--group-owner", "123456789012"]),
    ];
    for (cli, id, src) in [("aws", &a, &sa), ("nubo", &n, &sn)] {
        for (kind, rule) in rules {
            let op = format!("authorize-security-group-{kind}");
            let mut args = vec!["ec2", op.as_str(), "--group-id", id.as_str()];
            args.extend(rule.iter().map(|w| if *w == "SRC" { src.as_str() } else { w }));
            let out = run(&sb, cli, &args);
            assert_eq!(out.status.code(), Some(0), "{cli} {rule:?}: {}", stderr_of(&out));
        }
    }
    let (pa, pn) = (ingress(&sb, &a), ingress(&sb, &n));
    assert_eq!(pa.as_array().unwrap().len(), 3, "{pa}");
    assert_eq!(pn, pa);
    // revoke takes the same shortcuts
    for (cli, id) in [("aws", &a), ("nubo", &n)] {
        let args = [
            "ec2",
            "revoke-security-group-ingress",
            "--group-id",
            id,
            "--protocol",
            "udp",
            "--port",
            "53",
            "--cidr",
            "0.0.0.0/0",
        ];
        let out = run(&sb, cli, &args);
        assert_eq!(out.status.code(), Some(0), "{cli}: {}", stderr_of(&out));
    }
    assert_eq!(ingress(&sb, &n), ingress(&sb, &a));
    assert_eq!(ingress(&sb, &n).as_array().unwrap().len(), 2);
}

#[test]
fn security_group_shortcut_errors_are_the_clis() {
    let sb = sandbox(&moto_url());
    let cases: [&[&str]; 4] = [
        &["--protocol", "tcp", "--port", "x"],
        &["--protocol", "bogus"],
        &["--protocol", "300"],
        &["--cidr", "10.0.0.0/8", "--ip-permissions", "[]"],
    ];
    for case in cases {
        let mut args = vec!["ec2", "authorize-security-group-ingress", "--group-id", "sg-12345678"];
        args.extend(case);
        let (a, n) = (run(&sb, "aws", &args), run(&sb, "nubo", &args));
        assert_eq!(a.status.code(), Some(255), "aws {case:?}: {}", stderr_of(&a));
        assert_eq!(n.status.code(), Some(255), "nubo {case:?}: {}", stderr_of(&n));
        assert_eq!(stderr_of(&n).trim(), stderr_of(&a).trim(), "{case:?}");
    }
}

/// A key pair and a password encrypted for it by the Python `rsa` library: (PEM, base64 cipher text).
fn encrypted_password(password: &str) -> (String, String) {
    let aws = std::env::var("NUBO_TEST_AWS_CLI").expect("NUBO_TEST_AWS_CLI is not set");
    let python = std::path::Path::new(&aws).with_file_name("python");
    let script = "import rsa, base64, sys\n\
        pub, priv = rsa.newkeys(1024)\n\
        c = base64.b64encode(rsa.encrypt(sys.argv[1].encode(), pub)).decode()\n\
        print(priv.save_pkcs1().decode() + '|' + c)\n";
    let out = std::process::Command::new(python).args(["-c", script, password]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let (pem, cipher) = text.trim().split_once('|').unwrap();
    (pem.to_string(), cipher.to_string())
}

/// Answers every EC2 query with GetPasswordData's answer holding `data`.
fn password_server(data: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
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
            let text = format!(
                "<GetPasswordDataResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId>\
                 <instanceId>i-1</instanceId><timestamp>2025-01-01T00:00:00.000Z</timestamp>\
                 <passwordData>{data}</passwordData></GetPasswordDataResponse>"
            );
            let resp = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
            let _ = stream.write_all(resp.as_bytes());
        }
    });
    url
}

#[test]
fn get_password_data_decrypts_with_the_launch_key_as_the_cli() {
    let (pem, cipher) = encrypted_password("S3cret!pass");
    let sb = sandbox(&password_server(cipher.clone()));
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    std::fs::write(&key, &pem).unwrap();
    let base = ["ec2", "get-password-data", "--instance-id", "i-1"];
    let with_key = [&base[..], &["--priv-launch-key", key.to_str().unwrap()]].concat();
    let (a, n) = (run(&sb, "aws", &with_key), run(&sb, "nubo", &with_key));
    assert_eq!(a.status.code(), Some(0), "aws: {}", stderr_of(&a));
    assert_eq!(n.status.code(), Some(0), "nubo: {}", stderr_of(&n));
    let (mut va, mut vn): (Value, Value) =
        (serde_json::from_str(&stdout_of(&a)).unwrap(), serde_json::from_str(&stdout_of(&n)).unwrap());
    assert_eq!(vn["PasswordData"], "S3cret!pass");
    // v1 prints the timestamp as received, v2 (and nubo) in ISO 8601 with an offset.
    assert_eq!(vn["Timestamp"], "2025-01-01T00:00:00+00:00");
    va["Timestamp"].take();
    vn["Timestamp"].take();
    assert_eq!(vn, va);
    // without the key the cipher text is shown
    let n = run(&sb, "nubo", &base);
    assert_eq!(n.status.code(), Some(0), "{}", stderr_of(&n));
    assert_eq!(serde_json::from_str::<Value>(&stdout_of(&n)).unwrap()["PasswordData"], cipher.as_str());
    // a key that is not a file, and a key that does not fit
    let other = dir.path().join("other.pem");
    std::fs::write(&other, encrypted_password("x").0).unwrap();
    for path in [dir.path().join("missing.pem"), other] {
        let args = [&base[..], &["--priv-launch-key", path.to_str().unwrap()]].concat();
        let (a, n) = (run(&sb, "aws", &args), run(&sb, "nubo", &args));
        assert_eq!(a.status.code(), Some(255), "aws: {}", stderr_of(&a));
        assert_eq!(n.status.code(), Some(255), "nubo: {}", stderr_of(&n));
        assert_eq!(stderr_of(&n).trim(), stderr_of(&a).trim());
    }
}
