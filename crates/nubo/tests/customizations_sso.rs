//! `configure sso`, `configure sso-session` and `sso login --use-device-code`, answered through standard
//! input. A small in-test server stands in for SSO OIDC (RegisterClient, StartDeviceAuthorization,
//! CreateToken) and the SSO portal (ListAccounts, ListAccountRoles); the Python CLI in the test
//! environment is v1, which has no `configure sso`, so the prompts and files follow CLI v2's source.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, stderr_of, stdout_of};
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

const START: &str = "https://d-1234567890.awsapps.com/start";

/// The stand-in. `accounts` is the account list; with `unauthorized` the portal refuses to list.
/// Every request line is recorded with its bearer token header.
fn server(accounts: serde_json::Value, unauthorized: bool) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let (head, _body) = read_request(&stream);
            let line = head.lines().next().unwrap_or("").to_string();
            let bearer = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("x-amz-sso_bearer_token:")
                        .map(|v| v.trim().to_string())
                })
                .unwrap_or_default();
            log.lock().unwrap().push(format!("{line} {bearer}"));
            let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
            let (status, body) = if path.starts_with("/client/register") {
                (
                    200,
                    json!({"clientId": "cid", "clientSecret": "csecret", "clientIdIssuedAt": now, "clientSecretExpiresAt": now + 86400 * 90}),
                )
            } else if path.starts_with("/device_authorization") {
                (
                    200,
                    json!({"deviceCode": "dc", "userCode": "ABCD-EFGH", "verificationUri": "https://device.example/",
                             "verificationUriComplete": "https://device.example/?user_code=ABCD-EFGH", "expiresIn": 600, "interval": 1}),
                )
            } else if path.starts_with("/token") {
                (200, json!({"accessToken": "the-access-token", "expiresIn": 28800, "tokenType": "Bearer"}))
            } else if unauthorized {
                (401, json!({"message": "Session token not found or invalid"}))
            } else if path.starts_with("/assignment/accounts") {
                (200, json!({ "accountList": accounts }))
            } else if path.starts_with("/assignment/roles") {
                let account = path
                    .split("account_id=")
                    .nth(1)
                    .unwrap_or("")
                    .split('&')
                    .next()
                    .unwrap_or("")
                    .to_string();
                let roles = if account == "222233334444" {
                    json!([{"roleName": "ReadOnly", "accountId": account}, {"roleName": "Admin", "accountId": account}])
                } else {
                    json!([{"roleName": "Dev", "accountId": account}])
                };
                (200, json!({ "roleList": roles }))
            } else {
                (404, json!({}))
            };
            let text = body.to_string();
            let error = if status == 401 { "x-amzn-ErrorType: UnauthorizedException\r\n" } else { "" };
            let resp = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{error}Content-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
            let _ = stream.write_all(resp.as_bytes());
        }
    });
    (url, seen)
}

fn read_request(stream: &std::net::TcpStream) -> (String, String) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = String::new();
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
        head.push_str(&line);
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    (head, String::from_utf8_lossy(&body).into_owned())
}

fn sandbox(url: &str) -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ENDPOINT_URL_SSO", url).set_env("AWS_ENDPOINT_URL_SSO_OIDC", url);
    sb
}

fn two_accounts() -> serde_json::Value {
    json!([
        {"accountId": "222233334444", "accountName": "Prod", "emailAddress": "prod@example.com"},
        {"accountId": "111122223333", "accountName": "dev", "emailAddress": "dev@example.com"}
    ])
}

#[test]
fn configure_sso_session_writes_the_section() {
    let (url, _) = server(json!([]), false);
    let sb = sandbox(&url);
    let o = sb
        .nubo()
        .args(["configure", "sso-session"])
        .write_stdin(format!("\ncorp\nnot a url\n{START}\nus-east-1\na b\n\n"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    let out = stdout_of(&o);
    assert!(out.starts_with("SSO session name: A value is required\nSSO session name: SSO start URL [None]: Not a valid Start URL\n"), "{out}");
    assert!(
        out.contains(
            "SSO registration scopes [sso:account:access]: Scope values must be separated by commas\n"
        ),
        "{out}"
    );
    assert!(out.ends_with(
        "\nCompleted configuring SSO session: corp\nRun the following to login and refresh access token for this session:\n\nnubo sso login --sso-session corp\n"
    ), "{out}");
    assert_eq!(
        sb.read("config"),
        format!(
            "[sso-session corp]\nsso_start_url = {START}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
        )
    );
    // Running it again shows the current values; Enter keeps them.
    let o =
        sb.nubo().args(["configure", "sso-session"]).write_stdin("corp\n\neu-west-1\n\n").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    assert!(stdout_of(&o).contains(&format!("SSO start URL [{START}]: SSO region [us-east-1]: ")));
    assert!(sb.read("config").contains("sso_region = eu-west-1\n"));
}

#[test]
fn configure_sso_with_a_new_session_logs_in_and_picks_account_and_role() {
    let (url, seen) = server(two_accounts(), false);
    let sb = sandbox(&url);
    // session, start URL, region, scopes; then account 2 of the sorted menu (Prod), role by name;
    // region, output, profile name (the default offered).
    let o = sb
        .nubo()
        .args(["configure", "sso"])
        .write_stdin(format!("corp\n{START}\nus-east-1\n\n2\nReadOnly\neu-west-1\njson\n\n"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout_of(&o), stderr_of(&o));
    let out = stdout_of(&o);
    assert!(out.starts_with("SSO session name (Recommended): SSO start URL [None]: SSO region [None]: SSO registration scopes [sso:account:access]: "), "{out}");
    assert!(out.contains(
        "There are 2 AWS accounts available to you.\n  1) dev, dev@example.com (111122223333)\n  2) Prod, prod@example.com (222233334444)\nSelect [1-2]: Using the account ID 222233334444\n"
    ), "{out}");
    assert!(out.contains(
        "There are 2 roles available to you.\n  1) Admin\n  2) ReadOnly\nSelect [1-2]: Using the role name \"ReadOnly\"\n"
    ), "{out}");
    assert!(out.contains(
        "Default client Region [None]: CLI default output format (json if not specified) [None]: Profile name [ReadOnly-222233334444]: "
    ), "{out}");
    assert!(out.ends_with(
        "To use this profile, specify the profile name using --profile, as shown:\n\nnubo sts get-caller-identity --profile ReadOnly-222233334444\n"
    ), "{out}");
    assert_eq!(
        sb.read("config"),
        format!(
            "[profile ReadOnly-222233334444]\nsso_session = corp\nsso_account_id = 222233334444\nsso_role_name = ReadOnly\nregion = eu-west-1\noutput = json\n\
             [sso-session corp]\nsso_start_url = {START}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
        )
    );
    let seen = seen.lock().unwrap().clone();
    assert!(
        seen.iter().any(|l| l.starts_with("GET /assignment/accounts") && l.ends_with(" the-access-token")),
        "{seen:?}"
    );
    assert!(
        seen.iter().any(|l| l.starts_with("GET /assignment/roles") && l.contains("account_id=222233334444")),
        "{seen:?}"
    );
    // The token is cached under the session's name, so the new profile works with sso login's cache.
    let cache = sb.home().join(".aws/sso/cache");
    assert!(std::fs::read_dir(&cache).unwrap().count() >= 1);

    // Again with the profile given and the session known: no session questions, Enter keeps values.
    let o = sb
        .nubo()
        .args(["configure", "sso", "--profile", "ReadOnly-222233334444"])
        .write_stdin("\n1\n\n\n\n")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout_of(&o), stderr_of(&o));
    let out = stdout_of(&o);
    assert!(out.starts_with("SSO session name [corp]: There are 2 AWS accounts"), "{out}");
    assert!(out.contains("Default client Region [eu-west-1]: CLI default output format (json if not specified) [json]: To use"), "{out}");
    assert!(
        sb.read("config").contains("sso_account_id = 111122223333\nsso_role_name = Dev\n"),
        "{}",
        sb.read("config")
    );
}

#[test]
fn configure_sso_legacy_profile_and_unauthorized_listing() {
    let (url, _) = server(json!([{"accountId": "111122223333"}]), false);
    let sb = sandbox(&url);
    let o = sb
        .nubo()
        .args(["configure", "sso", "--profile", "default"])
        .write_stdin(format!("\n{START}\nus-west-2\n\n\n"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout_of(&o), stderr_of(&o));
    let out = stdout_of(&o);
    assert!(out.contains("WARNING: Configuring using legacy format (e.g. without an SSO session).\nConsider re-running \"configure sso\" command and providing a session name.\n"), "{out}");
    assert!(out.contains("The only AWS account available to you is: 111122223333\nUsing the account ID 111122223333\nThe only role available to you is: Dev\nUsing the role name \"Dev\"\n"), "{out}");
    assert!(out.ends_with("The AWS CLI is now configured to use the default profile.\nRun the following command to verify your configuration:\n\nnubo sts get-caller-identity\n"), "{out}");
    assert_eq!(
        sb.read("config"),
        format!(
            "[default]\nsso_start_url = {START}\nsso_region = us-west-2\nsso_account_id = 111122223333\nsso_role_name = Dev\n"
        )
    );

    let (url, _) = server(json!([]), true);
    let sb = sandbox(&url);
    let o = sb
        .nubo()
        .args(["configure", "sso"])
        .write_stdin(format!("corp\n{START}\nus-east-1\n\n\n\nmine\n"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout_of(&o), stderr_of(&o));
    let out = stdout_of(&o);
    assert!(out.contains("Unable to list AWS accounts and/or roles. Skipping configuring AWS credential provider for profile.\n"), "{out}");
    assert!(out.contains("Profile name [None]: Successfully configured SSO for profile: mine\n"), "{out}");
    assert!(
        sb.read("config").starts_with("[profile mine]\nsso_session = corp\n[sso-session corp]\n"),
        "{}",
        sb.read("config")
    );

    // No accounts at all, or input that ends before a required answer: exit 255 with one line.
    let (url, _) = server(json!([]), false);
    let sb = sandbox(&url);
    let o = sb
        .nubo()
        .args(["configure", "sso"])
        .write_stdin(format!("corp\n{START}\nus-east-1\n\n"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(255));
    assert_eq!(stderr_of(&o).lines().last().unwrap(), "nubo: [ERROR]: No AWS accounts are available to you.");
    let o = sb.nubo().args(["configure", "sso-session"]).write_stdin("").output().unwrap();
    assert_eq!(o.status.code(), Some(255));
    assert!(
        stderr_of(&o).contains("SSO session name: A value is required (end of input)"),
        "{}",
        stderr_of(&o)
    );
    let o = sb.nubo().args(["configure", "sso", "--bogus"]).output().unwrap();
    assert_eq!(o.status.code(), Some(252));
}

#[test]
fn sso_login_with_use_device_code_runs_the_device_flow() {
    let (url, seen) = server(json!([]), false);
    let sb = sandbox(&url);
    sb.write(
        "config",
        &format!("[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n[sso-session corp]\nsso_start_url = {START}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"),
    );
    let o = sb.nubo().args(["sso", "login", "--profile", "dev", "--use-device-code"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    assert_eq!(stdout_of(&o), format!("Successfully logged into Start URL: {START}\n"));
    let seen = seen.lock().unwrap().clone();
    assert!(seen.iter().any(|l| l.starts_with("POST /device_authorization")), "{seen:?}");
}
