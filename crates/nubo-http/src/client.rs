//! The client: one connection pool per [`Client`], single sends (buffered or streamed), and the
//! retry loop that asks the caller for a freshly built and signed request on every attempt.

use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::config::{ClientConfig, RetryMode};
use crate::debug_log::DebugLog;
use crate::error::HttpError;
use crate::hooks::Hooks;
use crate::message::{BodyStream, HttpRequest, HttpResponse, StreamingResponse};
use crate::retry::backoff::{legacy_delay, standard_delay};
use crate::retry::quota::{NO_RETRY_INCREMENT, RetryQuota};
use crate::retry::rate_limiter::RateLimiter;
use crate::retry::{Retried, RetryKind};
use crate::{proxy, redact, tls};

/// The warning printed for every request sent without verifying certificates, worded as the AWS CLI
/// prints it.
pub fn insecure_warning(host: &str) -> String {
    format!(
        "InsecureRequestWarning: Unverified HTTPS request is being made to host '{host}'. \
         Adding certificate verification is strongly advised."
    )
}

/// An HTTP client: a connection pool, the TLS and proxy set-up, and the retry state (quota and
/// adaptive rate limiter) shared by every request sent through it. Cheap to clone; clones share
/// everything.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    config: ClientConfig,
    hooks: Hooks,
    quota: Mutex<RetryQuota>,
    limiter: Option<RateLimiter>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Client {
    /// Builds a client. Fails on an unreadable CA bundle or an invalid proxy URL.
    pub fn new(config: ClientConfig) -> Result<Client, HttpError> {
        Self::with_hooks(config, Hooks::default())
    }

    /// Builds a client whose sleeping, randomness, clock and output go through `hooks`.
    pub fn with_hooks(config: ClientConfig, hooks: Hooks) -> Result<Client, HttpError> {
        let tls = tls::client_tls_config(&config)?;
        let mut builder = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .http1_only()
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never());
        if let Some(t) = config.connect_timeout {
            builder = builder.connect_timeout(t);
        }
        if let Some(t) = config.read_timeout {
            builder = builder.read_timeout(t);
        }
        builder = proxy::apply(builder, &config.proxies)?;
        let http = builder.build().map_err(|e| HttpError::Config(crate::error::error_chain(&e)))?;
        let limiter = (config.retry.mode == RetryMode::Adaptive).then(|| RateLimiter::new((hooks.clock)()));
        Ok(Client {
            inner: Arc::new(Inner { http, config, hooks, quota: Mutex::new(RetryQuota::default()), limiter }),
        })
    }

    /// The configuration the client was built with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Adaptive mode's client-side send rate limit, in requests per second: `None` in the other modes
    /// and until the service first throttles.
    pub fn adaptive_send_rate(&self) -> Option<f64> {
        self.inner.limiter.as_ref().and_then(RateLimiter::send_rate)
    }

    /// Tokens left in the retry quota.
    pub fn retry_quota_available(&self) -> u32 {
        lock(&self.inner.quota).available()
    }

    fn log(&self) -> DebugLog {
        DebugLog::new(self.inner.config.debug, self.inner.hooks.debug.clone())
    }

    /// Sends one request, once, and reads the whole response.
    pub async fn send(&self, req: HttpRequest) -> Result<HttpResponse, HttpError> {
        self.send_buffered(&req, 1, 1).await
    }

    /// Sends one request, once, and returns as soon as the response head has arrived; the body is
    /// read through [`StreamingResponse::body`].
    pub async fn send_streaming(&self, req: HttpRequest) -> Result<StreamingResponse, HttpError> {
        self.execute(&req, 1, 1, true).await
    }

    /// Sends a request with retries. `make(attempt)` builds (and signs) the request for each
    /// attempt (1-based); an error from it ends the loop at once. `classify` judges each complete
    /// response (see [`crate::retry::classify`]); failures to get one are judged here (connection
    /// errors and timeouts are transient). Returns the last response or error and the attempt
    /// count.
    pub async fn send_with_retries<M, C, E>(&self, make: M, classify: C) -> Retried<HttpResponse, E>
    where
        M: FnMut(u32) -> Result<HttpRequest, E>,
        C: Fn(&HttpResponse) -> RetryKind,
        E: From<HttpError>,
    {
        let classify = &classify;
        self.retry_loop(make, move |req: HttpRequest, attempt: u32, max: u32| async move {
            let response = self.send_buffered(&req, attempt, max).await?;
            let kind = classify(&response);
            Ok((response.status, kind, response))
        })
        .await
    }

    /// Like [`Client::send_with_retries`], for large downloads: a 2xx response is returned as soon
    /// as its head arrives, with its body unread (a failure while reading it is the caller's to
    /// handle); other responses are read whole, classified, and returned with the body in memory.
    pub async fn send_streaming_with_retries<M, C, E>(
        &self,
        make: M,
        classify: C,
    ) -> Retried<StreamingResponse, E>
    where
        M: FnMut(u32) -> Result<HttpRequest, E>,
        C: Fn(&HttpResponse) -> RetryKind,
        E: From<HttpError>,
    {
        let classify = &classify;
        self.retry_loop(make, move |req: HttpRequest, attempt: u32, max: u32| async move {
            let mut response = self.execute(&req, attempt, max, true).await?;
            if (200..300).contains(&response.status) {
                return Ok((response.status, RetryKind::NotRetryable, response));
            }
            response.body.set_streaming(false);
            let buffered = self.read_body(response).await?;
            let kind = classify(&buffered);
            Ok((buffered.status, kind, StreamingResponse::from_buffered(buffered)))
        })
        .await
    }

    async fn retry_loop<T, E, M, F, Fut>(&self, mut make: M, mut attempt_once: F) -> Retried<T, E>
    where
        M: FnMut(u32) -> Result<HttpRequest, E>,
        E: From<HttpError>,
        F: FnMut(HttpRequest, u32, u32) -> Fut,
        Fut: Future<Output = Result<(u16, RetryKind, T), HttpError>>,
    {
        let retry = self.inner.config.retry;
        let max = retry.attempts_allowed();
        let uses_quota = retry.mode != RetryMode::Legacy;
        let log = self.log();
        let mut acquired: Option<u32> = None;
        let mut attempt: u32 = 1;
        loop {
            self.wait_for_send_token(&log).await;
            let req = match make(attempt) {
                Ok(req) => req,
                Err(e) => return finish(Err(e), attempt - 1, false, false),
            };
            let outcome = attempt_once(req, attempt, max).await;
            let (kind, after_timeout, status, what) = match &outcome {
                Ok((status, kind, _)) => (*kind, false, Some(*status), format!("HTTP {status}")),
                Err(e) => {
                    let kind = if e.is_retryable() { RetryKind::Transient } else { RetryKind::NotRetryable };
                    (kind, e.is_timeout(), None, e.to_string())
                }
            };
            if let Some(limiter) = &self.inner.limiter {
                let rate = limiter.on_response(kind == RetryKind::Throttling, (self.inner.hooks.clock)());
                if kind == RetryKind::Throttling {
                    log.decision(&format!(
                        "Throttled: client send rate lowered to {rate:.2} requests per second."
                    ));
                }
            }
            let result = outcome.map(|(_, _, t)| t).map_err(E::from);
            if !kind.is_retryable() {
                if uses_quota && status.is_some_and(|s| (200..300).contains(&s)) {
                    lock(&self.inner.quota).release(acquired.unwrap_or(NO_RETRY_INCREMENT));
                }
                log.decision(&format!("No retry needed after attempt {attempt} ({what})."));
                return finish(result, attempt, false, false);
            }
            if attempt >= max {
                log.decision(&format!(
                    "Not retrying: {what} is a {}, but all {max} attempts are used.",
                    kind.as_str()
                ));
                return finish(result, attempt, true, false);
            }
            let mut quota_note = String::new();
            if uses_quota {
                let cost = RetryQuota::cost(after_timeout);
                let mut quota = lock(&self.inner.quota);
                if !quota.acquire(cost) {
                    let left = quota.available();
                    drop(quota);
                    log.decision(&format!(
                        "Not retrying: {what} is a {}, but the retry quota is exhausted ({left} left, {cost} needed).",
                        kind.as_str()
                    ));
                    return finish(result, attempt, false, true);
                }
                acquired = Some(cost);
                quota_note = format!("; retry quota {} left", quota.available());
            }
            drop(result);
            let random = (self.inner.hooks.random)();
            let delay = match retry.mode {
                RetryMode::Legacy => legacy_delay(attempt, random, retry.legacy_base),
                RetryMode::Standard | RetryMode::Adaptive => standard_delay(attempt, random),
            };
            log.decision(&format!(
                "Retry needed: {what} is a {}; attempt {} of {max} after {:.3} s{quota_note}.",
                kind.as_str(),
                attempt + 1,
                delay.as_secs_f64()
            ));
            (self.inner.hooks.sleep)(delay).await;
            attempt += 1;
        }
    }

    /// Adaptive mode: waits until the rate limiter lets an attempt go.
    async fn wait_for_send_token(&self, log: &DebugLog) {
        let Some(limiter) = &self.inner.limiter else {
            return;
        };
        loop {
            let wait = match limiter.try_acquire((self.inner.hooks.clock)()) {
                Ok(()) => return,
                Err(wait) => wait,
            };
            log.decision(&format!(
                "Client-side rate limit: waiting {:.3} s before sending.",
                wait.as_secs_f64()
            ));
            (self.inner.hooks.sleep)(wait).await;
        }
    }

    async fn send_buffered(
        &self,
        req: &HttpRequest,
        attempt: u32,
        max: u32,
    ) -> Result<HttpResponse, HttpError> {
        let response = self.execute(req, attempt, max, false).await?;
        self.read_body(response).await
    }

    async fn read_body(&self, response: StreamingResponse) -> Result<HttpResponse, HttpError> {
        let log = self.log();
        match response.into_buffered().await {
            Ok(r) => {
                if log.enabled() {
                    log.response_body(r.body.len());
                }
                Ok(r)
            }
            Err(e) => {
                log.error(&e);
                Err(e)
            }
        }
    }

    /// Sends once; returns when the response head has arrived.
    async fn execute(
        &self,
        req: &HttpRequest,
        attempt: u32,
        max: u32,
        streaming: bool,
    ) -> Result<StreamingResponse, HttpError> {
        let log = self.log();
        let shown_url = redact::url(&req.url);
        log.request(req, attempt, max);
        let request = match build_request(req) {
            Ok(r) => r,
            Err(e) => {
                log.error(&e);
                return Err(e);
            }
        };
        self.warn_if_insecure(request.url());
        let started = Instant::now();
        match self.inner.http.execute(request).await {
            Ok(response) => {
                let status = response.status();
                let headers = response_headers(response.headers());
                log.response_head(
                    status.as_u16(),
                    status.canonical_reason().unwrap_or(""),
                    &headers,
                    started.elapsed(),
                );
                Ok(StreamingResponse {
                    status: status.as_u16(),
                    headers,
                    body: BodyStream::live(response, shown_url, streaming),
                })
            }
            Err(e) => {
                let err = HttpError::from_reqwest(&e, &shown_url, false, streaming);
                log.error(&err);
                Err(err)
            }
        }
    }

    fn warn_if_insecure(&self, url: &reqwest::Url) {
        if self.inner.config.verify_ssl || url.scheme() != "https" {
            return;
        }
        // Every request, not once per host: each one is exposed, and a long command's log shows it.
        (self.inner.hooks.warning)(&insecure_warning(url.host_str().unwrap_or_default()));
    }
}

fn finish<T, E>(
    result: Result<T, E>,
    attempts: u32,
    max_reached: bool,
    quota_reached: bool,
) -> Retried<T, E> {
    Retried { result, attempts, max_attempts_reached: max_reached, retry_quota_reached: quota_reached }
}

/// Converts the crate's request into reqwest's.
fn build_request(req: &HttpRequest) -> Result<reqwest::Request, HttpError> {
    let method = reqwest::Method::from_bytes(req.method.as_bytes())
        .map_err(|_| HttpError::InvalidRequest(format!("invalid method {:?}", req.method)))?;
    let url = reqwest::Url::parse(&req.url)
        .map_err(|e| HttpError::InvalidRequest(format!("invalid URL {:?}: {e}", redact::url(&req.url))))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(HttpError::InvalidRequest(format!("unsupported URL scheme {:?}", url.scheme())));
    }
    let mut headers = HeaderMap::with_capacity(req.headers.len());
    for (name, value) in &req.headers {
        let header_name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| HttpError::InvalidRequest(format!("invalid header name {name:?}")))?;
        let header_value = HeaderValue::from_bytes(value.as_bytes())
            .map_err(|_| HttpError::InvalidRequest(format!("invalid value for header {name}")))?;
        headers.append(header_name, header_value);
    }
    let mut request = reqwest::Request::new(method, url);
    *request.headers_mut() = headers;
    let method_has_body = matches!(request.method().as_str(), "POST" | "PUT" | "PATCH");
    if !req.body.is_empty() || method_has_body {
        let body =
            req.body.to_reqwest().map_err(|e| HttpError::InvalidRequest(format!("request body: {e}")))?;
        *request.body_mut() = Some(body);
    }
    Ok(request)
}

fn response_headers(map: &HeaderMap) -> Vec<(String, String)> {
    map.iter()
        .map(|(name, value)| {
            (name.as_str().to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_requests_are_rejected_before_sending() {
        let cases = [
            HttpRequest::new("GE T", "http://h/"),
            HttpRequest::new("GET", "not a url"),
            HttpRequest::new("GET", "ftp://h/"),
            HttpRequest::new("GET", "http://h/").with_header("bad name", "v"),
            HttpRequest::new("GET", "http://h/").with_header("x", "line\nbreak"),
        ];
        for req in cases {
            let err = build_request(&req).unwrap_err();
            assert!(matches!(err, HttpError::InvalidRequest(_)), "{err}");
            assert!(!err.is_retryable());
        }
    }

    #[test]
    fn bodies_are_attached_when_needed() {
        let get = build_request(&HttpRequest::new("GET", "http://h/")).unwrap();
        assert!(get.body().is_none());
        let put = build_request(&HttpRequest::new("PUT", "http://h/")).unwrap();
        assert!(put.body().is_some());
        let get_with_body = build_request(&HttpRequest::new("GET", "http://h/").with_body("x")).unwrap();
        assert!(get_with_body.body().is_some());
    }

    #[test]
    fn repeated_headers_are_kept() {
        let req = HttpRequest::new("GET", "http://h/").with_header("x-a", "1").with_header("X-A", "2");
        let built = build_request(&req).unwrap();
        let values: Vec<_> = built.headers().get_all("x-a").iter().collect();
        assert_eq!(values.len(), 2);
    }

    #[test]
    fn warning_text() {
        assert_eq!(
            insecure_warning("localhost"),
            "InsecureRequestWarning: Unverified HTTPS request is being made to host 'localhost'. \
             Adding certificate verification is strongly advised."
        );
    }
}
