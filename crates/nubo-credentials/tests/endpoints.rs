//! The container credentials endpoint and the instance metadata service, against in-test servers
//! on 127.0.0.1 (the IMDS stand-in enforces IMDSv2 tokens); refresh of expiring credentials.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Fixture, Request, Response, assert_no_secret, iso, serve};
use nubo_credentials::{ErrorKind, ExplainOptions, LinkKind, LinkState, explain, resolve};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

fn creds_doc(n: usize, expires: SystemTime) -> serde_json::Value {
    json!({
        "AccessKeyId": format!("AKIDCONTAINER{n:06}"),
        "SecretAccessKey": format!("container-secret-{n}"),
        "Token": format!("container-token-{n}"),
        "Expiration": iso(expires),
        "AccountId": "123456789012",
    })
}

#[tokio::test]
async fn container_full_uri_with_token() {
    let mut f = Fixture::new();
    let now = f.clock.now.lock().unwrap().to_owned();
    let server = serve(move |_| Response::json(200, &creds_doc(1, now + Duration::from_secs(3600)))).await;
    f.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", &format!("{}/v1/credentials?a=1", server.url));
    f.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "auth-token-value");
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.link, LinkKind::ContainerRole);
    assert_eq!(r.type_name(), "container-role");
    assert_eq!(r.location, format!("{}/v1/credentials?a=1", server.url));
    assert_eq!(r.credentials.access_key_id, "AKIDCONTAINER000001");
    assert_eq!(r.credentials.session_token.as_deref(), Some("container-token-1"));
    assert_eq!(r.account_id.as_deref(), Some("123456789012"));
    assert!(r.expiry.is_some());
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, "GET");
    assert_eq!(reqs[0].target, "/v1/credentials?a=1");
    assert_eq!(reqs[0].header("authorization"), Some("auth-token-value"));
    assert_eq!(reqs[0].header("accept"), Some("application/json"));
    assert_no_secret(&format!("{r:?}"), &["container-secret-1", "container-token-1"]);
}

#[tokio::test]
async fn container_token_file_is_read_on_every_fetch_and_credentials_refresh() {
    let mut f = Fixture::new();
    let clock = f.clock.clone();
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let server = serve(move |_| {
        let n = h.fetch_add(1, Ordering::SeqCst) + 1;
        Response::json(
            200,
            &creds_doc(n, clock.now.lock().unwrap().to_owned() + Duration::from_secs(20 * 60)),
        )
    })
    .await;
    let token_file = f.file("token", "first-token\n");
    f.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", &format!("{}/creds", server.url));
    f.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &token_file.display().to_string());
    f.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-a-file-is-given");
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.credentials.access_key_id, "AKIDCONTAINER000001");
    assert_eq!(server.requests()[0].header("authorization"), Some("first-token"));

    // 20 minutes left: nothing to do.
    assert_eq!(r.provider.credentials().await.unwrap().access_key_id, "AKIDCONTAINER000001");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    // 14 minutes left: refreshed, with the rotated token.
    std::fs::write(&token_file, "second-token").unwrap();
    f.clock.advance(Duration::from_secs(6 * 60));
    assert_eq!(r.provider.credentials().await.unwrap().access_key_id, "AKIDCONTAINER000002");
    assert_eq!(server.requests()[1].header("authorization"), Some("second-token"));
    // The new ones have 20 minutes left again: no new request.
    f.clock.advance(Duration::from_secs(30));
    assert_eq!(r.provider.credentials().await.unwrap().access_key_id, "AKIDCONTAINER000002");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    // An hour later the old ones would be long expired: a long command keeps working.
    f.clock.advance(Duration::from_secs(3600));
    assert_eq!(r.provider.credentials().await.unwrap().access_key_id, "AKIDCONTAINER000003");
    assert_eq!(r.provider.refresh_now().await.unwrap().access_key_id, "AKIDCONTAINER000004");
}

#[tokio::test]
async fn refresh_failures_are_tolerated_until_the_mandatory_window() {
    let mut f = Fixture::new();
    let clock = f.clock.clone();
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let server = serve(move |_| {
        let n = h.fetch_add(1, Ordering::SeqCst) + 1;
        if n == 1 {
            Response::json(
                200,
                &creds_doc(n, clock.now.lock().unwrap().to_owned() + Duration::from_secs(20 * 60)),
            )
        } else {
            Response::new(503, "unavailable")
        }
    })
    .await;
    f.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", &format!("{}/creds", server.url));
    let r = resolve(&f.input(None)).await.unwrap();
    f.clock.advance(Duration::from_secs(7 * 60)); // 13 minutes left: advisory
    assert_eq!(r.provider.credentials().await.unwrap().access_key_id, "AKIDCONTAINER000001");
    assert_eq!(hits.load(Ordering::SeqCst), 1 + 3, "one refresh attempt (three requests)");
    // Within a minute of that attempt, still advisory: not tried again.
    f.clock.advance(Duration::from_secs(20));
    assert_eq!(r.provider.credentials().await.unwrap().access_key_id, "AKIDCONTAINER000001");
    assert_eq!(hits.load(Ordering::SeqCst), 4);
    f.clock.advance(Duration::from_secs(5 * 60)); // 8 minutes left: mandatory
    let e = r.provider.credentials().await.unwrap_err();
    assert_eq!(e.link(), Some(LinkKind::ContainerRole));
    assert!(e.to_string().contains("Received non 200 response 503"), "{e}");
}

#[tokio::test]
async fn container_errors_are_retried_then_reported() {
    let mut f = Fixture::new();
    let server = serve(|_| Response::new(500, "boom")).await;
    f.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", &format!("{}/creds", server.url));
    f.config("[profile later]\nregion = x\n");
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BrokenSource);
    assert!(e.to_string().starts_with("Error when retrieving credentials from container-role:"), "{e}");
    assert!(e.to_string().contains("Received non 200 response 500 from container metadata: boom"), "{e}");
    assert_eq!(server.requests().len(), 3);
    assert_eq!(f.clock.sleeps(), vec![Duration::from_secs(1); 2]);

    let server = serve(|_| Response::new(200, "not json")).await;
    f.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", &format!("{}/creds", server.url));
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert!(e.to_string().contains("Unable to parse JSON"), "{e}");

    let server = serve(|_| Response::json(200, &json!({"AccessKeyId": "A"}))).await;
    f.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", &format!("{}/creds", server.url));
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert!(e.to_string().contains("has no SecretAccessKey"), "{e}");

    f.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/nonexistent/token");
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert!(e.to_string().contains("cannot read the authorization token file /nonexistent/token"), "{e}");

    f.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds");
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert!(e.to_string().contains("Unsupported host 'example.com'"), "{e}");

    // Unreachable endpoint: reported, not skipped.
    f.unset("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    f.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert_eq!(e.link(), Some(LinkKind::ContainerRole));
}

#[tokio::test]
async fn earlier_links_win_over_the_container() {
    let mut f = Fixture::new();
    let server = serve(|_| Response::new(500, "")).await;
    f.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", &format!("{}/creds", server.url));
    f.config("[default]\naws_access_key_id = AKIDCONFIG00000CFG1\naws_secret_access_key = s\n");
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.link, LinkKind::ConfigFile);
    assert_eq!(server.requests().len(), 0);
}

/// An IMDS stand-in that enforces IMDSv2 (unless `allow_v1`), with a configurable role answer.
struct Imds {
    allow_v1: bool,
    refuse_tokens: bool,
    fail_first: usize,
    creds: serde_json::Value,
}

fn imds_handler(cfg: Imds) -> impl Fn(&Request) -> Response + Send + Sync + 'static {
    let failures = AtomicUsize::new(0);
    move |req| {
        if req.method == "PUT" && req.path() == "/latest/api/token" {
            if cfg.refuse_tokens {
                return Response::new(403, "");
            }
            if req.header("x-aws-ec2-metadata-token-ttl-seconds") != Some("21600") {
                return Response::new(400, "missing TTL");
            }
            return Response::new(200, "imds-session-token");
        }
        let token_ok = req.header("x-aws-ec2-metadata-token") == Some("imds-session-token");
        if !token_ok && !cfg.allow_v1 {
            return Response::new(401, "");
        }
        if failures.fetch_add(1, Ordering::SeqCst) < cfg.fail_first {
            return Response::new(500, "");
        }
        match req.path() {
            "/latest/meta-data/iam/security-credentials/" => Response::new(200, "my-instance-role"),
            "/latest/meta-data/iam/security-credentials/my-instance-role" => Response::json(200, &cfg.creds),
            _ => Response::new(404, ""),
        }
    }
}

fn imds_creds(expires: SystemTime) -> serde_json::Value {
    json!({
        "Code": "Success",
        "AccessKeyId": "AKIDINSTANCE0000IMD1",
        "SecretAccessKey": "imds-secret",
        "Token": "imds-token",
        "Expiration": iso(expires),
    })
}

fn imds_fixture(url: &str) -> Fixture {
    let mut f = Fixture::new();
    f.unset("AWS_EC2_METADATA_DISABLED");
    f.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", url);
    f
}

#[tokio::test]
async fn instance_role_with_imdsv2() {
    let later = SystemTime::now() + Duration::from_secs(6 * 3600);
    let server = serve(imds_handler(Imds {
        allow_v1: false,
        refuse_tokens: false,
        fail_first: 0,
        creds: imds_creds(later),
    }))
    .await;
    let f = imds_fixture(&server.url);
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.link, LinkKind::IamRole);
    assert_eq!(r.type_name(), "iam-role");
    assert_eq!(
        r.location,
        format!("{}/latest/meta-data/iam/security-credentials/my-instance-role", server.url)
    );
    assert_eq!(r.credentials.access_key_id, "AKIDINSTANCE0000IMD1");
    assert_eq!(r.credentials.session_token.as_deref(), Some("imds-token"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!((reqs[0].method.as_str(), reqs[0].path()), ("PUT", "/latest/api/token"));
    assert!(reqs[1..].iter().all(|r| r.header("x-aws-ec2-metadata-token") == Some("imds-session-token")));
    assert_no_secret(&format!("{r:?}"), &["imds-secret", "imds-token"]);
}

#[tokio::test]
async fn imds_endpoint_and_settings_from_the_profile() {
    let later = SystemTime::now() + Duration::from_secs(6 * 3600);
    let server = serve(imds_handler(Imds {
        allow_v1: false,
        refuse_tokens: false,
        fail_first: 2,
        creds: imds_creds(later),
    }))
    .await;
    let mut f = Fixture::new();
    f.unset("AWS_EC2_METADATA_DISABLED");
    f.config(&format!(
        "[default]\nec2_metadata_service_endpoint = {}\nmetadata_service_num_attempts = 3\nmetadata_service_timeout = 2\n",
        server.url
    ));
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.link, LinkKind::IamRole);
    assert_eq!(server.requests().len(), 5, "two failed role lookups were retried");

    f.config("[default]\nmetadata_service_num_attempts = many\n");
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert!(e.to_string().contains("metadata_service_num_attempts must be a positive integer"), "{e}");
    f.config("[default]\nec2_metadata_service_endpoint_mode = IPv7\n");
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert!(e.to_string().contains("`IPv7` is not a valid endpoint mode"), "{e}");
}

#[tokio::test]
async fn imds_is_never_probed_when_an_earlier_link_answered() {
    let later = SystemTime::now() + Duration::from_secs(6 * 3600);
    let server = serve(imds_handler(Imds {
        allow_v1: false,
        refuse_tokens: false,
        fail_first: 0,
        creds: imds_creds(later),
    }))
    .await;
    let mut f = imds_fixture(&server.url);
    f.set("AWS_ACCESS_KEY_ID", "AKIDENV00000000ENV1").set("AWS_SECRET_ACCESS_KEY", "env-secret");
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.link, LinkKind::Env);
    assert_eq!(server.requests().len(), 0);

    // explain asks it, and warns that the environment hides the instance role.
    let x = explain(&f.input(None), ExplainOptions::default()).await;
    assert_eq!(x.links[9].state, LinkState::Shadowed);
    let text = x.render();
    assert!(text.contains("hide the instance role my-instance-role (iam-role)."), "{text}");
    assert_no_secret(&text, &["imds-secret", "imds-token", "AKIDINSTANCE0000IMD1"]);
    let x = explain(&f.input(None), ExplainOptions { probe_imds: false }).await;
    assert_eq!(x.links[9].state, LinkState::NotChecked);
}

#[tokio::test]
async fn imds_disabled_means_no_request() {
    let server = serve(|_| Response::new(500, "")).await;
    let mut f = imds_fixture(&server.url);
    f.set("AWS_EC2_METADATA_DISABLED", "TRUE");
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoCredentials);
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn imdsv1_fallback_and_its_switch() {
    let later = SystemTime::now() + Duration::from_secs(6 * 3600);
    let server = serve(imds_handler(Imds {
        allow_v1: true,
        refuse_tokens: true,
        fail_first: 0,
        creds: imds_creds(later),
    }))
    .await;
    let mut f = imds_fixture(&server.url);
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.credentials.access_key_id, "AKIDINSTANCE0000IMD1");
    assert!(server.requests()[1..].iter().all(|r| r.header("x-aws-ec2-metadata-token").is_none()));

    f.set("AWS_EC2_METADATA_V1_DISABLED", "true");
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BrokenSource);
    assert!(e.to_string().contains("IMDSv1 has been disabled"), "{e}");
}

#[tokio::test]
async fn imds_that_does_not_answer_means_no_credentials() {
    let server = serve(|_| Response::new(200, "late").delayed(Duration::from_secs(3))).await;
    let mut f = imds_fixture(&server.url);
    f.set("AWS_METADATA_SERVICE_TIMEOUT", "0.2");
    let started = std::time::Instant::now();
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoCredentials);
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());

    f.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9");
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoCredentials);

    let server = serve(|req: &Request| {
        if req.method == "PUT" {
            Response::new(200, "imds-session-token")
        } else if req.path().ends_with('/') {
            Response::new(200, "my-instance-role")
        } else {
            Response::json(200, &json!({"Code": "AssumeRoleUnauthorizedAccess", "Message": "nope"}))
        }
    })
    .await;
    f.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url);
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoCredentials);
}

#[tokio::test]
async fn stale_instance_credentials_are_extended() {
    let f_clock_now = SystemTime::now();
    let server = serve(imds_handler(Imds {
        allow_v1: false,
        refuse_tokens: false,
        fail_first: 0,
        creds: imds_creds(f_clock_now + Duration::from_secs(60)),
    }))
    .await;
    let f = imds_fixture(&server.url);
    let r = resolve(&f.input(None)).await.unwrap();
    let left = r.expiry.unwrap().duration_since(f.clock.now.lock().unwrap().to_owned()).unwrap();
    assert!(left >= Duration::from_secs(600), "{left:?}");
}
