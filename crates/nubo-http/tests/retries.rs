//! The retry loop against fault-injecting servers: transient statuses, throttling codes, broken
//! connections, timeouts, the retry quota, legacy and adaptive modes. Sleeps are recorded, not
//! waited.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use std::time::Duration;

use common::{Recorder, Reply, Server, s3_classifier};
use nubo_http::{Client, ClientConfig, HttpError, HttpRequest, Proxies, RetryConfig, RetryMode};

fn config(mode: RetryMode, max_attempts: Option<u32>) -> ClientConfig {
    ClientConfig {
        retry: RetryConfig::new(mode, max_attempts),
        proxies: Proxies::Disabled,
        read_timeout: Some(Duration::from_secs(5)),
        connect_timeout: Some(Duration::from_secs(5)),
        ..ClientConfig::default()
    }
}

fn client(config: ClientConfig, rec: &Recorder) -> Client {
    Client::with_hooks(config, rec.hooks.clone()).unwrap()
}

/// A request rebuilt per attempt, carrying its attempt number as a stand-in for a fresh signature.
fn get(url: &str) -> impl FnMut(u32) -> Result<HttpRequest, HttpError> + '_ {
    move |attempt| Ok(HttpRequest::new("GET", url).with_header("x-attempt", attempt.to_string()))
}

#[tokio::test]
async fn server_error_then_success_is_retried() {
    let server = Server::start(vec![Reply::status(500), Reply::body(200, "ok")]).await;
    let rec = Recorder::new();
    let c = client(config(RetryMode::Standard, None), &rec);
    let url = server.url("/");
    let r = c.send_with_retries(get(&url), s3_classifier(RetryMode::Standard)).await;
    let resp = r.result.as_ref().unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(&resp.body[..], b"ok");
    assert_eq!(
        (r.attempts, r.retries(), r.max_attempts_reached, r.retry_quota_reached),
        (2, 1, false, false)
    );
    // Full jitter with random 0.5: 0.5 * 2^0 seconds.
    assert_eq!(rec.sleeps(), vec![Duration::from_millis(500)]);
    // Each attempt was built afresh.
    let attempts: Vec<_> =
        server.requests().iter().map(|q| q.header("x-attempt").unwrap().to_string()).collect();
    assert_eq!(attempts, ["1", "2"]);
    // The retry's 5 tokens came back with the success.
    assert_eq!(c.retry_quota_available(), 500);
}

#[tokio::test]
async fn persistent_503_gives_up_after_three_attempts_with_the_last_response() {
    let server = Server::start(vec![Reply::body(503, "busy")]).await;
    let rec = Recorder::new();
    let c = client(config(RetryMode::Standard, None), &rec);
    let url = server.url("/");
    let r = c.send_with_retries(get(&url), s3_classifier(RetryMode::Standard)).await;
    let resp = r.result.unwrap();
    assert_eq!((resp.status, &resp.body[..]), (503, &b"busy"[..]));
    assert_eq!(r.attempts, 3);
    assert!(r.max_attempts_reached);
    assert_eq!(server.requests().len(), 3);
    assert_eq!(rec.sleeps(), vec![Duration::from_millis(500), Duration::from_secs(1)]);
    assert_eq!(c.retry_quota_available(), 490);
}

#[tokio::test]
async fn throttling_code_in_a_400_is_retried() {
    let server = Server::start(vec![Reply::xml_error(400, "SlowDown"), Reply::body(200, "done")]).await;
    let rec = Recorder::new();
    let c = client(ClientConfig { debug: true, ..config(RetryMode::Standard, None) }, &rec);
    let url = server.url("/");
    let r = c.send_with_retries(get(&url), s3_classifier(RetryMode::Standard)).await;
    assert_eq!(r.result.unwrap().status, 200);
    assert_eq!(r.attempts, 2);
    assert!(rec.debug_text().contains("Retry needed: HTTP 400 is a throttling error; attempt 2 of 3"));
}

#[tokio::test]
async fn non_retryable_error_is_returned_at_once() {
    let server = Server::start(vec![Reply::xml_error(403, "AccessDenied")]).await;
    let rec = Recorder::new();
    let c = client(config(RetryMode::Standard, None), &rec);
    let url = server.url("/");
    let r = c.send_with_retries(get(&url), s3_classifier(RetryMode::Standard)).await;
    assert_eq!(r.result.unwrap().status, 403);
    assert_eq!((r.attempts, r.max_attempts_reached), (1, false));
    assert!(rec.sleeps().is_empty());
    // A failure neither takes nor gives back quota.
    assert_eq!(c.retry_quota_available(), 500);
}

#[tokio::test]
async fn retry_quota_runs_out_and_refills_on_success() {
    let mut script = vec![Reply::status(500); 102];
    script.push(Reply::status(200));
    let server = Server::start(script).await;
    let rec = Recorder::new();
    let c = client(config(RetryMode::Standard, Some(1000)), &rec);
    let url = server.url("/");

    // 500 tokens pay for 100 retries of 5.
    let r = c.send_with_retries(get(&url), s3_classifier(RetryMode::Standard)).await;
    assert_eq!(r.result.unwrap().status, 500);
    assert_eq!(r.attempts, 101);
    assert!(r.retry_quota_reached && !r.max_attempts_reached);
    assert_eq!(c.retry_quota_available(), 0);

    // With no tokens left, a failure is not retried.
    let r = c.send_with_retries(get(&url), s3_classifier(RetryMode::Standard)).await;
    assert_eq!((r.attempts, r.retry_quota_reached), (1, true));

    // A success without retries gives one token back.
    let r = c.send_with_retries(get(&url), s3_classifier(RetryMode::Standard)).await;
    assert_eq!(r.result.unwrap().status, 200);
    assert_eq!(c.retry_quota_available(), 1);
    assert_eq!(server.requests().len(), 103);
    // The backoff grew and was capped at 20 s * 0.5.
    assert_eq!(rec.sleeps().iter().max(), Some(&Duration::from_secs(10)));
}

#[tokio::test]
async fn connection_reset_is_retried() {
    let server = Server::start(vec![Reply::Reset, Reply::body(200, "ok")]).await;
    let rec = Recorder::new();
    let c = client(config(RetryMode::Standard, None), &rec);
    let url = server.url("/");
    let r = c.send_with_retries(get(&url), s3_classifier(RetryMode::Standard)).await;
    assert_eq!(r.result.unwrap().status, 200);
    assert_eq!(r.attempts, 2);
    assert_eq!(server.accepted(), 2);
}

#[tokio::test]
async fn persistent_resets_end_in_a_connection_error() {
    let server = Server::start(vec![Reply::Reset]).await;
    let rec = Recorder::new();
    let c = client(config(RetryMode::Standard, None), &rec);
    let url = server.url("/");
    let r = c.send_with_retries(get(&url), s3_classifier(RetryMode::Standard)).await;
    let err = r.result.unwrap_err();
    assert!(matches!(err, HttpError::ConnectionClosed { .. }), "{err:?}");
    assert_eq!((r.attempts, r.max_attempts_reached), (3, true));
}

#[tokio::test]
async fn timeout_retries_cost_ten_tokens() {
    let server = Server::start(vec![Reply::Stall, Reply::body(200, "late")]).await;
    let rec = Recorder::new();
    let quick = ClientConfig {
        debug: true,
        read_timeout: Some(Duration::from_millis(500)),
        ..config(RetryMode::Standard, None)
    };
    let c = client(quick, &rec);
    let url = server.url("/");
    let r = c.send_with_retries(get(&url), s3_classifier(RetryMode::Standard)).await;
    assert_eq!(&r.result.unwrap().body[..], b"late");
    assert_eq!(r.attempts, 2);
    let log = rec.debug_text();
    assert!(log.contains("Read timeout on endpoint URL"), "{log}");
    assert!(log.contains("retry quota 490 left"), "{log}");
    assert_eq!(c.retry_quota_available(), 500);
}

#[tokio::test]
async fn an_error_from_the_request_builder_stops_the_loop() {
    let server = Server::start(vec![Reply::status(500)]).await;
    let rec = Recorder::new();
    let c = client(config(RetryMode::Standard, None), &rec);
    let url = server.url("/");
    #[derive(Debug)]
    enum CallError {
        Http(HttpError),
        Signing,
    }
    impl From<HttpError> for CallError {
        fn from(e: HttpError) -> Self {
            CallError::Http(e)
        }
    }
    let make = |attempt: u32| {
        if attempt == 1 { Ok(HttpRequest::new("GET", url.as_str())) } else { Err(CallError::Signing) }
    };
    let r = c.send_with_retries(make, s3_classifier(RetryMode::Standard)).await;
    assert!(matches!(r.result, Err(CallError::Signing)));
    assert_eq!(r.attempts, 1);
    assert_eq!(server.requests().len(), 1);
    let bad = c
        .send_with_retries(|_| Ok::<_, CallError>(HttpRequest::new("GET", "nope")), |_| unreachable!())
        .await;
    assert!(matches!(bad.result, Err(CallError::Http(HttpError::InvalidRequest(_)))));
    assert_eq!(bad.attempts, 1);
}

#[tokio::test]
async fn legacy_mode_retries_429_five_times_without_quota() {
    let server = Server::start(vec![Reply::status(429)]).await;
    let rec = Recorder::new();
    let c = client(config(RetryMode::Legacy, None), &rec);
    let url = server.url("/");
    let r = c.send_with_retries(get(&url), s3_classifier(RetryMode::Legacy)).await;
    assert_eq!(r.result.unwrap().status, 429);
    assert_eq!((r.attempts, r.max_attempts_reached), (5, true));
    let secs: Vec<f64> = rec.sleeps().iter().map(Duration::as_secs_f64).collect();
    assert_eq!(secs, vec![0.5, 1.0, 2.0, 4.0]);
    assert_eq!(c.retry_quota_available(), 500);
}

#[tokio::test]
async fn adaptive_mode_slows_down_after_throttling() {
    let server = Server::start(vec![
        Reply::xml_error(400, "Throttling"),
        Reply::xml_error(400, "Throttling"),
        Reply::body(200, "a"),
        Reply::body(200, "b"),
        Reply::body(200, "c"),
    ])
    .await;
    let rec = Recorder::new();
    let c = client(ClientConfig { debug: true, ..config(RetryMode::Adaptive, None) }, &rec);
    let url = server.url("/");
    let r = c.send_with_retries(get(&url), s3_classifier(RetryMode::Adaptive)).await;
    assert_eq!(&r.result.unwrap().body[..], b"a");
    assert_eq!(r.attempts, 3);
    for expected in ["b", "c"] {
        let r = c.send_with_retries(get(&url), s3_classifier(RetryMode::Adaptive)).await;
        assert_eq!(&r.result.unwrap().body[..], expected.as_bytes());
    }
    let log = rec.debug_text();
    assert!(log.contains("Throttled: client send rate lowered"), "{log}");
    assert!(log.contains("Client-side rate limit: waiting"), "{log}");
    // Two backoff sleeps plus at least one rate-limiter wait.
    assert!(rec.sleeps().len() > 2, "{:?}", rec.sleeps());
}

#[tokio::test]
async fn streaming_download_with_retries() {
    let big = "x".repeat(300_000);
    let server = Server::start(vec![Reply::xml_error(503, "SlowDown"), Reply::body(200, &big)]).await;
    let rec = Recorder::new();
    let c = client(config(RetryMode::Standard, None), &rec);
    let url = server.url("/object");
    let r = c.send_streaming_with_retries(get(&url), s3_classifier(RetryMode::Standard)).await;
    assert_eq!(r.attempts, 2);
    let mut resp = r.result.unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body.content_length(), Some(300_000));
    let mut total = 0;
    while let Some(chunk) = resp.body.next_chunk().await.unwrap() {
        total += chunk.len();
    }
    assert_eq!(total, 300_000);
}

#[tokio::test]
async fn streaming_error_response_is_buffered() {
    let server = Server::start(vec![Reply::xml_error(404, "NoSuchKey")]).await;
    let rec = Recorder::new();
    let c = client(config(RetryMode::Standard, None), &rec);
    let url = server.url("/missing");
    let r = c.send_streaming_with_retries(get(&url), s3_classifier(RetryMode::Standard)).await;
    assert_eq!(r.attempts, 1);
    let resp = r.result.unwrap().into_buffered().await.unwrap();
    assert_eq!(resp.status, 404);
    assert_eq!(common::xml_error_code(&resp).as_deref(), Some("NoSuchKey"));
}

#[tokio::test]
async fn adaptive_mode_lowers_its_send_rate_under_sustained_throttling() {
    // A scripted series: 10 successes, then 12 throttles in a row, then 6 successes. The limiter's state
    // is read after each request (the clock is the recorder's, advanced only by sleeps).
    let mut script = vec![Reply::body(200, "ok"); 10];
    script.extend(vec![Reply::xml_error(503, "SlowDown"); 12]);
    script.extend(vec![Reply::body(200, "ok"); 6]);
    let server = Server::start(script).await;
    let rec = Recorder::new();
    // One attempt per request, so that each scripted reply is one observation.
    let c = client(config(RetryMode::Adaptive, Some(1)), &rec);
    let url = server.url("/");
    let mut rates = Vec::new();
    for _ in 0..28 {
        let _ = c.send_with_retries(get(&url), s3_classifier(RetryMode::Adaptive)).await;
        rates.push(c.adaptive_send_rate());
        // The client sends about ten requests a second.
        (rec.hooks.sleep)(Duration::from_millis(100)).await;
    }
    // Off until the first throttle.
    assert!(rates[..10].iter().all(Option::is_none), "{rates:?}");
    let throttled: Vec<f64> = rates[10..22].iter().map(|r| r.unwrap()).collect();
    // The first throttle cuts the rate below the ten a second the client was sending; sustained
    // throttling never lets it rise and drives it down to the floor of 0.5 a second.
    assert!(throttled[0] < 10.0, "{throttled:?}");
    for w in throttled.windows(2) {
        assert!(w[1] <= w[0] + 1e-9, "{throttled:?}");
    }
    assert_eq!(*throttled.last().unwrap(), 0.5, "{throttled:?}");
    // The limiter made the client wait between the throttled requests (sleeps beyond the scripted
    // 100 ms steps).
    assert!(rec.sleeps().iter().any(|d| *d != Duration::from_millis(100)), "{:?}", rec.sleeps());
    // Successes let the rate grow again along the cubic curve.
    let recovered: Vec<f64> = rates[22..].iter().map(|r| r.unwrap()).collect();
    assert!(recovered.windows(2).all(|w| w[1] >= w[0]), "{recovered:?}");
    assert!(*recovered.last().unwrap() > 0.5, "{recovered:?}");
}
