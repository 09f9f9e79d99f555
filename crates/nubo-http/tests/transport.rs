//! Single sends against local servers: connection reuse, timeouts, broken connections, streamed
//! bodies, what goes over the wire, proxies and `NO_PROXY`, and `--debug` output with secrets
//! redacted.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use std::time::Duration;

use common::{Recorder, Reply, Server};
use nubo_http::{
    Client, ClientConfig, HttpError, HttpRequest, Proxies, ProxySettings, RetryConfig, RetryKind, RetryMode,
};

fn config() -> ClientConfig {
    ClientConfig {
        retry: RetryConfig::new(RetryMode::Standard, None),
        proxies: Proxies::Disabled,
        read_timeout: Some(Duration::from_secs(5)),
        connect_timeout: Some(Duration::from_secs(5)),
        ..ClientConfig::default()
    }
}

/// A configuration whose read timeout is short, for the tests that wait for it.
fn impatient() -> ClientConfig {
    ClientConfig { read_timeout: Some(Duration::from_millis(500)), ..config() }
}

fn client(config: ClientConfig, rec: &Recorder) -> Client {
    Client::with_hooks(config, rec.hooks.clone()).unwrap()
}

#[tokio::test]
async fn sequential_requests_reuse_one_connection() {
    let server = Server::start(vec![Reply::body(200, "ok")]).await;
    let rec = Recorder::new();
    let c = client(config(), &rec);
    for i in 0..5 {
        let resp = c.send(HttpRequest::new("GET", server.url(&format!("/{i}")))).await.unwrap();
        assert_eq!(&resp.body[..], b"ok");
    }
    // Clones share the pool.
    let clone = c.clone();
    clone.send(HttpRequest::new("GET", server.url("/clone"))).await.unwrap();
    assert_eq!(server.requests().len(), 6);
    assert_eq!(server.accepted(), 1);
}

#[tokio::test]
async fn request_and_response_pass_through_unchanged() {
    let server = Server::start(vec![Reply::Respond {
        status: 201,
        headers: vec![("ETag".into(), "\"abc\"".into()), ("x-amz-meta-a".into(), "1".into())],
        body: b"created".to_vec(),
    }])
    .await;
    let rec = Recorder::new();
    let c = client(config(), &rec);
    let req = HttpRequest::new("PUT", server.url("/bucket/key?x-id=PutObject"))
        .with_header("Host", server.addr.to_string())
        .with_header("X-Amz-Date", "20240101T000000Z")
        .with_header("Content-Type", "application/octet-stream")
        .with_body(&b"payload"[..]);
    let resp = c.send(req).await.unwrap();
    assert_eq!(resp.status, 201);
    assert_eq!(resp.header("etag"), Some("\"abc\""));
    assert_eq!(resp.header("X-Amz-Meta-A"), Some("1"));
    assert_eq!(&resp.body[..], b"created");
    let seen = &server.requests()[0];
    assert_eq!(seen.method, "PUT");
    assert_eq!(seen.target, "/bucket/key?x-id=PutObject");
    assert_eq!(seen.header("x-amz-date"), Some("20240101T000000Z"));
    assert_eq!(seen.header("content-length"), Some("7"));
    assert_eq!(seen.body, b"payload");
    // No compression is negotiated: bodies arrive as stored.
    assert_eq!(seen.header("accept-encoding"), None);
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = Server::start(vec![Reply::Respond {
        status: 301,
        headers: vec![("Location".into(), "http://127.0.0.1:1/elsewhere".into())],
        body: b"<Error><Code>PermanentRedirect</Code></Error>".to_vec(),
    }])
    .await;
    let rec = Recorder::new();
    let resp = client(config(), &rec).send(HttpRequest::new("GET", server.url("/"))).await.unwrap();
    assert_eq!(resp.status, 301);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn slow_body_exceeds_the_read_timeout() {
    let server =
        Server::start(vec![Reply::StallBody { declared_len: 100, sent: b"0123456789".to_vec() }]).await;
    let rec = Recorder::new();
    let c = client(impatient(), &rec);
    let err = c.send(HttpRequest::new("GET", server.url("/slow"))).await.unwrap_err();
    assert!(matches!(err, HttpError::ReadTimeout { .. }), "{err:?}");
    assert!(err.is_retryable() && err.is_timeout());
    assert_eq!(err.to_string(), format!("Read timeout on endpoint URL: \"{}\"", server.url("/slow")));
}

#[tokio::test]
async fn silent_server_exceeds_the_read_timeout() {
    let server = Server::start(vec![Reply::Stall]).await;
    let rec = Recorder::new();
    let err = client(impatient(), &rec).send(HttpRequest::new("GET", server.url("/"))).await.unwrap_err();
    assert!(matches!(err, HttpError::ReadTimeout { .. }), "{err:?}");
}

#[tokio::test]
async fn streamed_body_that_stalls_fails_while_reading() {
    let server =
        Server::start(vec![Reply::StallBody { declared_len: 100_000, sent: vec![b'x'; 1000] }]).await;
    let rec = Recorder::new();
    let mut resp =
        client(impatient(), &rec).send_streaming(HttpRequest::new("GET", server.url("/big"))).await.unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body.content_length(), Some(100_000));
    let mut got = 0;
    let err = loop {
        match resp.body.next_chunk().await {
            Ok(Some(chunk)) => got += chunk.len(),
            Ok(None) => panic!("body ended early without an error"),
            Err(e) => break e,
        }
    };
    assert_eq!(got, 1000);
    assert!(err.is_retryable(), "{err:?}");
}

#[tokio::test]
async fn closed_connection_is_reported() {
    let server = Server::start(vec![Reply::Close]).await;
    let rec = Recorder::new();
    let err = client(config(), &rec).send(HttpRequest::new("GET", server.url("/"))).await.unwrap_err();
    assert!(matches!(err, HttpError::ConnectionClosed { .. }), "{err:?}");
}

#[tokio::test]
async fn refused_connection_is_retried_then_reported() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let rec = Recorder::new();
    let c = client(config(), &rec);
    let url = format!("http://127.0.0.1:{port}/");
    let r = c
        .send_with_retries(
            |_| Ok::<_, HttpError>(HttpRequest::new("GET", url.as_str())),
            |_| RetryKind::NotRetryable,
        )
        .await;
    let err = r.result.unwrap_err();
    assert!(matches!(err, HttpError::Connect { .. }), "{err:?}");
    assert_eq!(err.to_string(), format!("Could not connect to the endpoint URL: \"{url}\""));
    assert_eq!((r.attempts, r.max_attempts_reached), (3, true));
}

fn proxied(proxy: &Server, no_proxy: Option<&str>) -> ClientConfig {
    ClientConfig {
        proxies: Proxies::Explicit(ProxySettings {
            http: Some(proxy.url("")),
            https: None,
            no_proxy: no_proxy.map(str::to_string),
        }),
        ..config()
    }
}

#[tokio::test]
async fn proxy_is_used_for_other_hosts() {
    let proxy = Server::start(vec![Reply::body(200, "via proxy")]).await;
    let target = Server::start(vec![Reply::body(200, "direct")]).await;
    let rec = Recorder::new();
    let c = client(proxied(&proxy, None), &rec);
    // 0.0.0.0 reaches this machine but is not a loopback name, so it is proxied.
    let url = format!("http://0.0.0.0:{}/p", target.addr.port());
    let resp = c.send(HttpRequest::new("GET", url.as_str())).await.unwrap();
    assert_eq!(&resp.body[..], b"via proxy");
    assert_eq!(proxy.requests()[0].target, url);
    assert_eq!(target.requests().len(), 0);
}

#[tokio::test]
async fn no_proxy_sends_direct() {
    let proxy = Server::start(vec![Reply::body(200, "via proxy")]).await;
    let target = Server::start(vec![Reply::body(200, "direct")]).await;
    let rec = Recorder::new();
    let c = client(proxied(&proxy, Some("example.com, 0.0.0.0")), &rec);
    let url = format!("http://0.0.0.0:{}/p", target.addr.port());
    let resp = c.send(HttpRequest::new("GET", url.as_str())).await.unwrap();
    assert_eq!(&resp.body[..], b"direct");
    assert_eq!(proxy.requests().len(), 0);
}

#[tokio::test]
async fn loopback_is_never_proxied() {
    let proxy = Server::start(vec![Reply::body(200, "via proxy")]).await;
    let target = Server::start(vec![Reply::body(200, "direct")]).await;
    let rec = Recorder::new();
    let c = client(proxied(&proxy, None), &rec);
    for host in ["127.0.0.1", "localhost"] {
        let url = format!("http://{host}:{}/p", target.addr.port());
        let resp = c.send(HttpRequest::new("GET", url.as_str())).await.unwrap();
        assert_eq!(&resp.body[..], b"direct", "{host}");
    }
    assert_eq!(proxy.requests().len(), 0);
}

#[tokio::test]
async fn debug_log_shows_the_exchange_with_secrets_redacted() {
    let server = Server::start(vec![
        Reply::status(500),
        Reply::Respond {
            status: 200,
            headers: vec![
                ("x-amz-request-id".into(), "REQ1".into()),
                ("Set-Cookie".into(), "sid=cookie-secret".into()),
            ],
            body: b"ok".to_vec(),
        },
    ])
    .await;
    let rec = Recorder::new();
    let c = client(ClientConfig { debug: true, ..config() }, &rec);
    let url = server.url("/k?X-Amz-Signature=sig-secret&X-Amz-Credential=AKIDSECRET%2F20240101&list-type=2");
    let make = |_| {
        Ok::<_, HttpError>(
            HttpRequest::new("GET", url.as_str())
                .with_header(
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDSECRET/x, Signature=auth-secret",
                )
                .with_header("X-Amz-Security-Token", "token-secret")
                .with_header("x-amz-server-side-encryption-customer-key", "sse-secret")
                .with_header("X-Amz-Date", "20240101T000000Z"),
        )
    };
    let r =
        c.send_with_retries(make, |resp| nubo_http::classify_status(RetryMode::Standard, resp.status)).await;
    assert_eq!(r.result.unwrap().status, 200);
    let log = rec.debug_text();
    let port = server.addr.port();
    for expected in [
        format!(
            "Sending request (attempt 1 of 3): GET http://127.0.0.1:{port}/k?X-Amz-Signature=REDACTED\
             &X-Amz-Credential=REDACTED&list-type=2"
        ),
        "  Authorization: REDACTED".to_string(),
        "  X-Amz-Security-Token: REDACTED".to_string(),
        "  x-amz-server-side-encryption-customer-key: REDACTED".to_string(),
        "  X-Amz-Date: 20240101T000000Z".to_string(),
        "Request body: 0 bytes".to_string(),
        "Response received: 500 Internal Server Error".to_string(),
        "Retry needed: HTTP 500 is a transient error; attempt 2 of 3 after 0.500 s; retry quota 495 left."
            .to_string(),
        "Sending request (attempt 2 of 3)".to_string(),
        "  x-amz-request-id: REQ1".to_string(),
        "  set-cookie: REDACTED".to_string(),
        "Response body: 2 bytes".to_string(),
        "No retry needed after attempt 2 (HTTP 200).".to_string(),
    ] {
        assert!(log.contains(&expected), "missing {expected:?} in:\n{log}");
    }
    for secret in ["sig-secret", "AKIDSECRET", "auth-secret", "token-secret", "sse-secret", "cookie-secret"] {
        assert!(!log.contains(secret), "{secret} leaked in:\n{log}");
    }
}

#[tokio::test]
async fn debug_off_logs_nothing() {
    let server = Server::start(vec![Reply::status(200)]).await;
    let rec = Recorder::new();
    client(config(), &rec).send(HttpRequest::new("GET", server.url("/"))).await.unwrap();
    assert!(rec.debug_text().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_can_be_sent_from_spawned_tasks() {
    let server = Server::start(vec![Reply::body(200, "ok")]).await;
    let rec = Recorder::new();
    let c = client(config(), &rec);
    let mut tasks = Vec::new();
    for i in 0..4 {
        let (c1, url) = (c.clone(), server.url(&format!("/{i}")));
        tasks.push(tokio::spawn(async move {
            let r = c1
                .send_with_retries(
                    move |_| Ok::<_, HttpError>(HttpRequest::new("GET", url.as_str())),
                    |resp| nubo_http::classify_status(RetryMode::Standard, resp.status),
                )
                .await;
            r.result.map(|resp| resp.status)
        }));
        let (c2, url) = (c.clone(), server.url("/stream"));
        tasks.push(tokio::spawn(async move {
            let resp = c2.send_streaming(HttpRequest::new("GET", url)).await?;
            Ok(resp.status)
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), 200);
    }
}
