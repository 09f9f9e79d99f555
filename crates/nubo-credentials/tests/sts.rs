//! Assumed roles and web identities: against moto (the URL in `NUBO_TEST_MOTO_URL`, set by
//! `scripts/test`; moto accepts any role) for the real calls, and against a recording stand-in
//! where the exact request or a refusal matters. Chains, the cache, MFA, refresh, errors.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Fixture, Request, Response, TestPrompt, assert_no_secret, json_files, moto_url, serve};
use nubo_credentials::{ErrorKind, LinkKind, resolve};
use serde_json::json;
use std::time::{Duration, SystemTime};

const BASE_SECRET: &str = "base-secret-key";

fn moto_fixture() -> Fixture {
    let mut f = Fixture::new();
    f.set("AWS_ENDPOINT_URL_STS", &moto_url());
    f
}

fn role_config(f: &Fixture, extra: &str) {
    f.config(&format!(
        "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\n{extra}\n[profile base]\nregion = us-west-2\n"
    ));
    f.credentials(&format!(
        "[base]\naws_access_key_id = AKIDBASE0000000BAS1\naws_secret_access_key = {BASE_SECRET}\n"
    ));
}

fn sha1_hex(text: &str) -> String {
    use sha1::Digest;
    sha1::Sha1::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn assume_role_with_a_source_profile_is_cached() {
    let mut f = moto_fixture();
    role_config(&f, "");
    let r = resolve(&f.input(Some("dev"))).await.unwrap();
    assert_eq!(r.link, LinkKind::AssumeRole);
    assert_eq!(r.type_name(), "assume-role");
    assert_eq!(r.location, "~/.aws/config");
    assert_eq!(r.account_id.as_deref(), Some("123456789012"));
    assert!(r.credentials.access_key_id.starts_with("ASIA"), "{r:?}");
    assert!(r.credentials.session_token.is_some());
    assert!(r.expiry.is_some());
    assert_no_secret(&format!("{r:?}"), &[&r.credentials.secret_access_key, BASE_SECRET]);

    let key = sha1_hex("{\"RoleArn\": \"arn:aws:iam::123456789012:role/dev\"}");
    let file = f.cli_cache().join(format!("{key}.json"));
    assert!(file.is_file(), "the cache file is named as the CLI names it: {:?}", json_files(&f.cli_cache()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let cached: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(cached["Credentials"]["AccessKeyId"], json!(r.credentials.access_key_id));
    assert!(cached["AssumedRoleUser"]["Arn"].as_str().unwrap().contains("assumed-role/dev"));

    // STS unreachable: the cache answers.
    f.set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9");
    let again = resolve(&f.input(Some("dev"))).await.unwrap();
    assert_eq!(again.credentials, r.credentials);
    // Close to expiry the cache is not used.
    f.clock
        .advance(r.expiry.unwrap().duration_since(SystemTime::now()).unwrap() - Duration::from_secs(10 * 60));
    let e = resolve(&f.input(Some("dev"))).await.unwrap_err();
    assert_eq!(e.link(), Some(LinkKind::AssumeRole));
    assert!(e.to_string().contains("Could not connect"), "{e}");
}

#[tokio::test]
async fn chained_roles() {
    let f = moto_fixture();
    f.config(
        "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n\
         [profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = c\n\
         [profile c]\nrole_arn = arn:aws:iam::123456789012:role/c\nsource_profile = d\n",
    );
    f.credentials(&format!(
        "[d]\naws_access_key_id = AKIDBASE0000000BAS1\naws_secret_access_key = {BASE_SECRET}\n"
    ));
    let r = resolve(&f.input(Some("a"))).await.unwrap();
    assert_eq!(r.link, LinkKind::AssumeRole);
    assert_eq!(json_files(&f.cli_cache()).len(), 3, "each role of the chain is cached");
}

#[tokio::test]
async fn assume_role_through_the_services_section() {
    let mut f = Fixture::new();
    f.unset("AWS_ENDPOINT_URL");
    f.config(&format!(
        "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\nservices = local\n[profile base]\n[services local]\nsts =\n  endpoint_url = {}\n",
        moto_url()
    ));
    f.credentials(&format!(
        "[base]\naws_access_key_id = AKIDBASE0000000BAS1\naws_secret_access_key = {BASE_SECRET}\n"
    ));
    let r = resolve(&f.input(Some("dev"))).await.unwrap();
    assert_eq!(r.link, LinkKind::AssumeRole);
}

#[tokio::test]
async fn mfa_prompt_once_then_cache() {
    let mut f = moto_fixture();
    f.prompt = TestPrompt { answer: Some("123456".into()), ..Default::default() };
    role_config(&f, "mfa_serial = arn:aws:iam::123456789012:mfa/me");
    let r = resolve(&f.input(Some("dev"))).await.unwrap();
    assert_eq!(r.link, LinkKind::AssumeRole);
    let asked = f.prompt.asked.lock().unwrap().clone();
    assert_eq!(asked, ["Enter MFA code for arn:aws:iam::123456789012:mfa/me: "]);
    resolve(&f.input(Some("dev"))).await.unwrap();
    assert_eq!(f.prompt.asked.lock().unwrap().len(), 1, "the cached credentials need no new code");

    let mut f = moto_fixture();
    f.prompt = TestPrompt::default();
    role_config(&f, "mfa_serial = arn:aws:iam::123456789012:mfa/me");
    let e = resolve(&f.input(Some("dev"))).await.unwrap_err();
    assert_eq!(e.link(), Some(LinkKind::AssumeRole));
    assert!(e.to_string().contains("no terminal to read the MFA code from"), "{e}");
}

fn sts_ok(account: &str) -> Response {
    Response::new(
        200,
        format!(
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult><Credentials>\
             <AccessKeyId>ASIAFAKE0000000000001</AccessKeyId><SecretAccessKey>fake-role-secret</SecretAccessKey>\
             <SessionToken>fake-role-token</SessionToken><Expiration>2999-01-01T00:00:00Z</Expiration></Credentials>\
             <AssumedRoleUser><AssumedRoleId>AROA:s</AssumedRoleId><Arn>arn:aws:sts::{account}:assumed-role/r/s</Arn>\
             </AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>"
        ),
    )
    .header("Content-Type", "text/xml")
}

fn form(req: &Request) -> Vec<(String, String)> {
    req.body_text()
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.replace("%3A", ":").replace("%2F", "/")))
        .collect()
}

#[tokio::test]
async fn the_assume_role_request_carries_every_setting_and_the_source_signature() {
    let server = serve(|_| sts_ok("210987654321")).await;
    let mut f = Fixture::new();
    f.set("AWS_ENDPOINT_URL_STS", &server.url);
    f.prompt = TestPrompt { answer: Some("654321".into()), ..Default::default() };
    role_config(
        &f,
        "role_session_name = my-session\nexternal_id = ext-123\nduration_seconds = 900\nmfa_serial = arn:aws:iam::123456789012:mfa/me",
    );
    let r = resolve(&f.input(Some("dev"))).await.unwrap();
    assert_eq!(r.account_id.as_deref(), Some("210987654321"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let params = form(&reqs[0]);
    for (k, v) in [
        ("Action", "AssumeRole"),
        ("RoleArn", "arn:aws:iam::123456789012:role/dev"),
        ("RoleSessionName", "my-session"),
        ("ExternalId", "ext-123"),
        ("DurationSeconds", "900"),
        ("SerialNumber", "arn:aws:iam::123456789012:mfa/me"),
        ("TokenCode", "654321"),
    ] {
        assert!(params.contains(&(k.to_string(), v.to_string())), "{k}={v} missing from {params:?}");
    }
    let auth = reqs[0].header("authorization").unwrap();
    assert!(auth.contains("Credential=AKIDBASE0000000BAS1/"), "signed with the source keys: {auth}");
    assert!(auth.contains("/sts/aws4_request"), "{auth}");
    // The cache key holds every argument but the generated session name, as the CLI's does.
    let key = sha1_hex(
        "{\"DurationSeconds\": 900, \"ExternalId\": \"ext-123\", \"RoleArn\": \"arn:aws:iam::123456789012:role/dev\", \"RoleSessionName\": \"my-session\", \"SerialNumber\": \"arn:aws:iam::123456789012:mfa/me\"}",
    );
    assert!(f.cli_cache().join(format!("{key}.json")).is_file(), "{:?}", json_files(&f.cli_cache()));
}

#[tokio::test]
async fn an_sts_refusal_is_reported() {
    let server = serve(|_| {
        Response::new(
            403,
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>\
             <Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message></Error>\
             <RequestId>r</RequestId></ErrorResponse>",
        )
        .header("Content-Type", "text/xml")
    })
    .await;
    let mut f = Fixture::new();
    f.set("AWS_ENDPOINT_URL_STS", &server.url);
    role_config(&f, "");
    let e = resolve(&f.input(Some("dev"))).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BrokenSource);
    assert_eq!(e.link(), Some(LinkKind::AssumeRole));
    let text = e.to_string();
    assert!(text.starts_with("Error when retrieving credentials from assume-role:"), "{text}");
    assert!(text.contains("profile \"dev\" could not assume arn:aws:iam::123456789012:role/dev"), "{text}");
    assert!(
        text.contains(
            "An error occurred (AccessDenied) when calling the AssumeRole operation: User is not authorized"
        ),
        "{text}"
    );
    assert_no_secret(&text, &[BASE_SECRET]);
}

#[tokio::test]
async fn assumed_role_credentials_are_refreshed_before_they_expire() {
    let f = moto_fixture();
    role_config(&f, "");
    let r = resolve(&f.input(Some("dev"))).await.unwrap();
    let first = r.credentials.access_key_id.clone();
    let until_expiry = r.expiry.unwrap().duration_since(SystemTime::now()).unwrap();
    f.clock.advance(until_expiry - Duration::from_secs(20 * 60));
    assert_eq!(r.provider.credentials().await.unwrap().access_key_id, first);
    f.clock.advance(Duration::from_secs(6 * 60));
    let fresh = r.provider.credentials().await.unwrap();
    assert_ne!(fresh.access_key_id, first, "a new AssumeRole call gave new credentials");
    assert!(r.provider.expiry().await.unwrap() > r.expiry.unwrap());
}

#[tokio::test]
async fn web_identity_from_the_environment() {
    let mut f = moto_fixture();
    let token = f.file("token.jwt", "header.payload.signature\n");
    f.set("AWS_WEB_IDENTITY_TOKEN_FILE", &token.display().to_string());
    f.set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web");
    f.set("AWS_ROLE_SESSION_NAME", "web-session");
    f.credentials(&format!(
        "[default]\naws_access_key_id = AKIDFILE0000000FIL1\naws_secret_access_key = {BASE_SECRET}\n"
    ));
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.link, LinkKind::AssumeRoleWithWebIdentity);
    assert_eq!(r.type_name(), "assume-role-with-web-identity");
    assert_eq!(r.location, token.display().to_string());
    assert!(r.credentials.session_token.is_some());
    let key = sha1_hex(
        "{\"RoleArn\": \"arn:aws:iam::123456789012:role/web\", \"RoleSessionName\": \"web-session\"}",
    );
    assert!(f.cli_cache().join(format!("{key}.json")).is_file());

    // --profile skips the environment's web identity as it skips its keys.
    let r = resolve(&f.input(Some("default"))).await.unwrap();
    assert_eq!(r.link, LinkKind::SharedCredentialsFile);
}

#[tokio::test]
async fn web_identity_from_the_profile_is_anonymous() {
    let server = serve(|_| {
        Response::new(
            200,
            "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleWithWebIdentityResult>\
             <Credentials><AccessKeyId>ASIAWEB000000000001</AccessKeyId><SecretAccessKey>web-secret</SecretAccessKey>\
             <SessionToken>web-token</SessionToken><Expiration>2999-01-01T00:00:00Z</Expiration></Credentials>\
             <AssumedRoleUser><AssumedRoleId>AROA:s</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/web/s</Arn></AssumedRoleUser>\
             </AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>",
        )
        .header("Content-Type", "text/xml")
    })
    .await;
    let mut f = Fixture::new();
    f.set("AWS_ENDPOINT_URL_STS", &server.url);
    let token = f.file("token.jwt", "the-web-identity-token");
    f.config(&format!(
        "[profile w]\nrole_arn = arn:aws:iam::123456789012:role/web\nweb_identity_token_file = {}\n",
        token.display()
    ));
    let r = resolve(&f.input(Some("w"))).await.unwrap();
    assert_eq!(r.link, LinkKind::AssumeRoleWithWebIdentity);
    assert_eq!(r.account_id.as_deref(), Some("123456789012"));
    let reqs = server.requests();
    assert!(reqs[0].header("authorization").is_none(), "the call is not signed");
    let params = form(&reqs[0]);
    assert!(params.contains(&("WebIdentityToken".into(), "the-web-identity-token".into())), "{params:?}");
    assert!(
        params.iter().any(|(k, v)| k == "RoleSessionName" && v.starts_with("nubo-session-")),
        "{params:?}"
    );

    std::fs::remove_file(&token).unwrap();
    std::fs::remove_dir_all(f.cli_cache()).unwrap();
    let e = resolve(&f.input(Some("w"))).await.unwrap_err();
    assert_eq!(e.link(), Some(LinkKind::AssumeRoleWithWebIdentity));
    assert!(e.to_string().contains("cannot read the web identity token file"), "{e}");
}

#[tokio::test]
async fn web_identity_as_a_source_profile() {
    let f = moto_fixture();
    let token = f.file("token.jwt", "t");
    f.config(&format!(
        "[profile top]\nrole_arn = arn:aws:iam::123456789012:role/top\nsource_profile = web\n\
         [profile web]\nrole_arn = arn:aws:iam::123456789012:role/web\nweb_identity_token_file = {}\n",
        token.display()
    ));
    let r = resolve(&f.input(Some("top"))).await.unwrap();
    assert_eq!(r.link, LinkKind::AssumeRole);
    assert_eq!(json_files(&f.cli_cache()).len(), 2);
}

#[tokio::test]
async fn credential_source_ecs_container() {
    let now = SystemTime::now();
    let container = serve(move |_| {
        let exp = time::OffsetDateTime::from(now + Duration::from_secs(3600));
        Response::json(
            200,
            &json!({
                "AccessKeyId": "AKIDCONTAINER000001", "SecretAccessKey": "c-secret", "Token": "c-token",
                "Expiration": format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", exp.year(), u8::from(exp.month()), exp.day(), exp.hour(), exp.minute(), exp.second()),
            }),
        )
    })
    .await;
    let mut f = moto_fixture();
    f.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", &format!("{}/creds", container.url));
    f.config("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = EcsContainer\n");
    let r = resolve(&f.input(Some("r"))).await.unwrap();
    assert_eq!(r.link, LinkKind::AssumeRole);
    assert_eq!(container.requests().len(), 1);
}
