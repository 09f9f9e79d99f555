//! IAM Identity Center: role credentials from the cached token (sso-session and legacy profiles),
//! token refresh, every error path, `sso login` (device authorization) and `sso logout`, against
//! an in-test stand-in for the portal (`GetRoleCredentials`, `Logout`) and SSO OIDC
//! (`RegisterClient`, `StartDeviceAuthorization`, `CreateToken`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Fixture, Request, Response, assert_no_secret, iso, json_files, serve};
use nubo_credentials::{ErrorKind, ExplainOptions, LinkKind, LoginOptions, explain, login, logout, resolve};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const START_URL: &str = "https://example.awsapps.com/start";

fn sha1_hex(text: &str) -> String {
    use sha1::Digest;
    sha1::Sha1::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn error(status: u16, code: &str, message: &str) -> Response {
    Response::json(status, &json!({"error": code, "message": message})).header("x-amzn-ErrorType", code)
}

/// The stand-in: `device_script` lists the answers of successive device-code `CreateToken` calls.
fn sso_server(device_script: Vec<&'static str>) -> impl Fn(&Request) -> Response + Send + Sync + 'static {
    let device_calls = AtomicUsize::new(0);
    move |req| match (req.method.as_str(), req.path()) {
        ("GET", "/federation/credentials") => {
            let token = req.header("x-amz-sso_bearer_token").unwrap_or("");
            if token != "valid-access-token" && token != "refreshed-access-token" {
                return error(401, "UnauthorizedException", "Session token not found or invalid");
            }
            let exp = SystemTime::now() + Duration::from_secs(3600);
            let ms = exp.duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
            Response::json(
                200,
                &json!({"roleCredentials": {
                    "accessKeyId": "AKIDSSO00000000SSO1", "secretAccessKey": "sso-role-secret",
                    "sessionToken": "sso-role-token", "expiration": ms
                }}),
            )
        }
        ("POST", "/logout") => Response::new(200, ""),
        ("POST", "/client/register") => {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
            Response::json(
                200,
                &json!({"clientId": "the-client-id", "clientSecret": "the-client-secret",
                        "clientIdIssuedAt": now, "clientSecretExpiresAt": now + 90 * 86400}),
            )
        }
        ("POST", "/device_authorization") => Response::json(
            200,
            &json!({"deviceCode": "the-device-code", "userCode": "ABCD-EFGH",
                    "verificationUri": "https://device.sso.example/",
                    "verificationUriComplete": "https://device.sso.example/?user_code=ABCD-EFGH",
                    "expiresIn": 600, "interval": 1}),
        ),
        ("POST", "/token") => {
            let body = req.json();
            if body["grantType"] == "refresh_token" {
                return if body["refreshToken"] == "the-refresh-token"
                    && body["clientSecret"] == "the-client-secret"
                {
                    Response::json(
                        200,
                        &json!({"accessToken": "refreshed-access-token", "expiresIn": 28800,
                                "refreshToken": "next-refresh-token", "tokenType": "Bearer"}),
                    )
                } else {
                    error(400, "InvalidGrantException", "bad refresh token")
                };
            }
            let n = device_calls.fetch_add(1, Ordering::SeqCst);
            match device_script.get(n).copied().unwrap_or("ok") {
                "pending" => error(400, "AuthorizationPendingException", "pending"),
                "slow_down" => error(400, "SlowDownException", "slow down"),
                "expired" => error(400, "ExpiredTokenException", "expired"),
                _ => Response::json(
                    200,
                    &json!({"accessToken": "valid-access-token", "expiresIn": 28800,
                            "refreshToken": "the-refresh-token", "tokenType": "Bearer"}),
                ),
            }
        }
        _ => Response::new(404, ""),
    }
}

fn sso_fixture(url: &str) -> Fixture {
    let mut f = Fixture::new();
    f.set("AWS_ENDPOINT_URL_SSO", url).set("AWS_ENDPOINT_URL_SSO_OIDC", url);
    f
}

fn session_config(f: &Fixture) {
    f.config(&format!(
        "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\nregion = eu-west-1\n\
         [sso-session corp]\nsso_start_url = {START_URL}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
    ));
}

fn write_token(f: &Fixture, key_source: &str, doc: serde_json::Value) -> std::path::PathBuf {
    std::fs::create_dir_all(f.sso_cache()).unwrap();
    let path = f.sso_cache().join(format!("{}.json", sha1_hex(key_source)));
    std::fs::write(&path, doc.to_string()).unwrap();
    path
}

fn valid_token(f: &Fixture, key_source: &str) {
    let exp = SystemTime::now() + Duration::from_secs(8 * 3600);
    write_token(
        f,
        key_source,
        json!({"startUrl": START_URL, "region": "us-east-1", "accessToken": "valid-access-token", "expiresAt": iso(exp)}),
    );
}

#[tokio::test]
async fn role_credentials_from_an_sso_session() {
    let server = serve(sso_server(vec![])).await;
    let mut f = sso_fixture(&server.url);
    session_config(&f);
    valid_token(&f, "corp");
    let r = resolve(&f.input(Some("dev"))).await.unwrap();
    assert_eq!(r.link, LinkKind::Sso);
    assert_eq!(r.type_name(), "sso");
    assert_eq!(r.location, "~/.aws/config");
    assert_eq!(r.account_id.as_deref(), Some("111122223333"));
    assert_eq!(r.credentials.access_key_id, "AKIDSSO00000000SSO1");
    assert!(r.expiry.is_some());
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].header("x-amz-sso_bearer_token"), Some("valid-access-token"));
    assert!(reqs[0].target.contains("role_name=Admin") && reqs[0].target.contains("account_id=111122223333"));
    assert!(reqs[0].header("authorization").is_none());
    assert_no_secret(&format!("{r:?}"), &["sso-role-secret", "sso-role-token", "valid-access-token"]);

    // Cached as the CLI caches SSO role credentials.
    let key = sha1_hex("{\"accountId\":\"111122223333\",\"roleName\":\"Admin\",\"sessionName\":\"corp\"}");
    let cached: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.cli_cache().join(format!("{key}.json"))).unwrap())
            .unwrap();
    assert_eq!(cached["ProviderType"], "sso");
    assert_eq!(cached["Credentials"]["AccessKeyId"], "AKIDSSO00000000SSO1");
    f.set("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9");
    assert_eq!(resolve(&f.input(Some("dev"))).await.unwrap().credentials, r.credentials);
}

#[tokio::test]
async fn role_credentials_from_legacy_keys() {
    let server = serve(sso_server(vec![])).await;
    let f = sso_fixture(&server.url);
    f.config(&format!(
        "[default]\nsso_start_url = {START_URL}\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Admin\n"
    ));
    valid_token(&f, START_URL);
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.link, LinkKind::Sso);
    let key = sha1_hex(&format!(
        "{{\"accountId\":\"111122223333\",\"roleName\":\"Admin\",\"startUrl\":\"{START_URL}\"}}"
    ));
    assert!(f.cli_cache().join(format!("{key}.json")).is_file());
}

#[tokio::test]
async fn missing_expired_and_refused_tokens() {
    let server = serve(sso_server(vec![])).await;
    let f = sso_fixture(&server.url);
    session_config(&f);
    let e = resolve(&f.input(Some("dev"))).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BrokenSource);
    assert_eq!(e.link(), Some(LinkKind::Sso));
    assert!(e.to_string().contains("Token for corp does not exist"), "{e}");
    assert_eq!(e.hint(), Some("Run \"nubo sso login --profile dev\" to sign in again."));

    // Expired, without a refresh token.
    let past = SystemTime::now() - Duration::from_secs(60);
    write_token(
        &f,
        "corp",
        json!({"startUrl": START_URL, "region": "us-east-1", "accessToken": "old", "expiresAt": iso(past)}),
    );
    let e = resolve(&f.input(Some("dev"))).await.unwrap_err();
    assert!(e.to_string().contains("has expired or is otherwise invalid"), "{e}");
    assert!(e.hint().unwrap().contains("nubo sso login"));

    // Valid by date, refused by the portal.
    let later = SystemTime::now() + Duration::from_secs(3600);
    write_token(
        &f,
        "corp",
        json!({"startUrl": START_URL, "region": "us-east-1", "accessToken": "revoked", "expiresAt": iso(later)}),
    );
    let e = resolve(&f.input(Some("dev"))).await.unwrap_err();
    assert!(e.to_string().contains("has expired or is otherwise invalid"), "{e}");
    assert_no_secret(&e.to_string(), &["revoked"]);

    // Unparsable token file.
    write_token(&f, "corp", json!({"startUrl": START_URL}));
    let e = resolve(&f.input(Some("dev"))).await.unwrap_err();
    assert!(e.to_string().contains("Token for corp is invalid"), "{e}");
}

#[tokio::test]
async fn an_expiring_session_token_is_refreshed() {
    let server = serve(sso_server(vec![])).await;
    let f = sso_fixture(&server.url);
    session_config(&f);
    let soon = SystemTime::now() + Duration::from_secs(5 * 60);
    let reg_exp = SystemTime::now() + Duration::from_secs(30 * 86400);
    let path = write_token(
        &f,
        "corp",
        json!({"startUrl": START_URL, "region": "us-east-1", "accessToken": "old-access-token", "expiresAt": iso(soon),
               "refreshToken": "the-refresh-token", "clientId": "the-client-id", "clientSecret": "the-client-secret",
               "registrationExpiresAt": iso(reg_exp)}),
    );
    let r = resolve(&f.input(Some("dev"))).await.unwrap();
    assert_eq!(r.credentials.access_key_id, "AKIDSSO00000000SSO1");
    let token: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(token["accessToken"], "refreshed-access-token");
    assert_eq!(token["refreshToken"], "next-refresh-token");
    assert_eq!(token["clientId"], "the-client-id");
    let calls: Vec<String> = server.requests().iter().map(|r| r.path().to_string()).collect();
    assert_eq!(calls, ["/token", "/federation/credentials"]);
    assert_eq!(server.requests()[1].header("x-amz-sso_bearer_token"), Some("refreshed-access-token"));
}

#[tokio::test]
async fn login_with_the_device_flow_then_logout() {
    let server = serve(sso_server(vec!["pending", "slow_down"])).await;
    let f = sso_fixture(&server.url);
    session_config(&f);
    let mut out = Vec::new();
    let outcome = login(&f.input(Some("dev")), &LoginOptions::default(), &mut out).await.unwrap();
    assert_eq!(outcome.start_url, START_URL);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text,
        "Browser will not be automatically opened.\nPlease visit the following URL:\n\nhttps://device.sso.example/\n\n\
         Then enter the code:\n\nABCD-EFGH\n\nAlternatively, you may visit the following URL which will autofill the code upon loading:\n\
         https://device.sso.example/?user_code=ABCD-EFGH\n"
    );
    assert_eq!(
        f.clock.sleeps(),
        [Duration::from_secs(1), Duration::from_secs(6)],
        "interval, then interval + 5"
    );
    let reqs = server.requests();
    let register = reqs.iter().find(|r| r.path() == "/client/register").unwrap().json();
    assert_eq!(register["clientType"], "public");
    assert_eq!(register["clientName"], "nubo-client-corp");
    assert_eq!(register["scopes"], json!(["sso:account:access"]));
    let start = reqs.iter().find(|r| r.path() == "/device_authorization").unwrap().json();
    assert_eq!(start["startUrl"], START_URL);
    let token_req = reqs.iter().find(|r| r.path() == "/token").unwrap().json();
    assert_eq!(token_req["grantType"], "urn:ietf:params:oauth:grant-type:device_code");
    assert_eq!(token_req["deviceCode"], "the-device-code");

    assert_eq!(outcome.token_file, f.sso_cache().join(format!("{}.json", sha1_hex("corp"))));
    let token: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&outcome.token_file).unwrap()).unwrap();
    assert_eq!(token["accessToken"], "valid-access-token");
    assert_eq!(token["refreshToken"], "the-refresh-token");
    assert_eq!(token["startUrl"], START_URL);
    assert_eq!(token["region"], "us-east-1");
    assert_eq!(token["clientId"], "the-client-id");
    assert!(token["expiresAt"].as_str().unwrap().ends_with('Z'));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&outcome.token_file).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // The token now gives role credentials.
    let r = resolve(&f.input(Some("dev"))).await.unwrap();
    assert_eq!(r.link, LinkKind::Sso);

    // A second login reuses the cached registration.
    let mut out = Vec::new();
    login(&f.input(Some("dev")), &LoginOptions { sso_session: Some("corp".into()) }, &mut out).await.unwrap();
    assert_eq!(server.count("/client/register"), 1);
    assert!(out.is_empty(), "authorized at the first attempt: no instructions needed");

    // Logout removes the tokens and the SSO role credentials, keeps the rest.
    std::fs::write(f.cli_cache().join("assumed-role.json"), "{\"Credentials\": {}}").unwrap();
    let before = json_files(&f.sso_cache()).len();
    assert_eq!(before, 2, "the token and the registration");
    let done = logout(&f.input(Some("dev"))).await.unwrap();
    assert_eq!(done.tokens_removed, 1);
    assert_eq!(done.credentials_removed, 1);
    assert_eq!(json_files(&f.sso_cache()).len(), 1, "the registration stays");
    assert_eq!(json_files(&f.cli_cache()), [f.cli_cache().join("assumed-role.json")]);
    let logout_req = server.requests().into_iter().find(|r| r.path() == "/logout").unwrap();
    assert_eq!(logout_req.header("x-amz-sso_bearer_token"), Some("valid-access-token"));
    let e = resolve(&f.input(Some("dev"))).await.unwrap_err();
    assert!(e.to_string().contains("does not exist"), "{e}");
}

#[tokio::test]
async fn login_errors() {
    let server = serve(sso_server(vec!["expired"])).await;
    let f = sso_fixture(&server.url);
    session_config(&f);
    let mut out = Vec::new();
    let e = login(&f.input(Some("dev")), &LoginOptions::default(), &mut out).await.unwrap_err();
    assert!(e.to_string().contains("The pending authorization to retrieve an SSO token has expired"), "{e}");

    f.config("[default]\nregion = x\n");
    let e = login(&f.input(None), &LoginOptions::default(), &mut out).await.unwrap_err();
    assert!(
        e.to_string().starts_with(
            "Missing the following required SSO configuration values: sso_start_url, sso_region."
        ),
        "{e}"
    );
    let e = login(&f.input(None), &LoginOptions { sso_session: Some("nope".into()) }, &mut out)
        .await
        .unwrap_err();
    assert_eq!(e.to_string(), "The specified sso-session does not exist: \"nope\"");
}

#[tokio::test]
async fn legacy_login_writes_the_start_url_token() {
    let server = serve(sso_server(vec![])).await;
    let f = sso_fixture(&server.url);
    f.config(&format!("[default]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n"));
    let mut out = Vec::new();
    let outcome = login(&f.input(None), &LoginOptions::default(), &mut out).await.unwrap();
    assert_eq!(outcome.token_file, f.sso_cache().join(format!("{}.json", sha1_hex(START_URL))));
    let register = server.requests().into_iter().find(|r| r.path() == "/client/register").unwrap().json();
    assert!(register["clientName"].as_str().unwrap().starts_with("nubo-client-anonymous-"));
    assert!(register.get("scopes").is_none());
}

#[tokio::test]
async fn explain_shows_the_token_state() {
    let server = serve(sso_server(vec![])).await;
    let f = sso_fixture(&server.url);
    session_config(&f);
    let text = explain(&f.input(Some("dev")), ExplainOptions::default()).await.render();
    assert!(
        text.contains("role Admin in account 111122223333 of profile \"dev\" through sso-session \"corp\""),
        "{text}"
    );
    assert!(text.contains("no cached token: run \"nubo sso login\""), "{text}");
    valid_token(&f, "corp");
    let text = explain(&f.input(Some("dev")), ExplainOptions::default()).await.render();
    assert!(text.contains("cached token valid until"), "{text}");
    assert_no_secret(&text, &["valid-access-token"]);
    assert!(server.requests().is_empty(), "explain calls no service");
}

#[tokio::test]
async fn a_token_only_profile_gives_no_credentials() {
    let f = Fixture::new();
    f.config(&format!("[default]\nsso_session = corp\n[sso-session corp]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n"));
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoCredentials);
}
