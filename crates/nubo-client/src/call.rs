//! Sending a prepared request with retries (re-signed for every attempt, since the signing time
//! changes) and parsing the response or the service error.

use crate::error::ClientError;
use crate::prepare::{Prepared, sign};
use crate::service::Service;
use crate::skew::SigningClock;
use nubo_http::{HttpError, HttpRequest, HttpResponse};
use nubo_model::Operation;
use nubo_protocol::{Response, ServiceError};
use nubo_sign::Credentials;
use serde_json::Value;
use std::time::SystemTime;

/// Why a call failed.
#[derive(Debug)]
pub enum CallError {
    /// The service answered with an error, after this many retries.
    Service(Box<ServiceError>, u32),
    /// No answer: connection failure, timeout, TLS.
    Http(HttpError),
    Client(ClientError),
}

impl From<HttpError> for CallError {
    fn from(e: HttpError) -> Self {
        CallError::Http(e)
    }
}

/// A successful call's parsed output, with the raw response kept for streaming members.
pub struct CallOutput {
    pub output: Value,
    pub response: Response,
}

fn to_response(r: &HttpResponse) -> Response {
    Response { status: r.status, headers: r.headers.clone(), body: r.body.to_vec() }
}

/// Sends `prepared` (signing each attempt at `time` or the current time) and parses the answer.
pub async fn call(
    http: &nubo_http::Client,
    service: &Service,
    op: &Operation,
    prepared: &Prepared,
    credentials: Option<&Credentials>,
    time: Option<SystemTime>,
) -> Result<CallOutput, CallError> {
    call_with_clock(http, service, op, prepared, credentials, &SigningClock::new(time)).await
}

/// [`call`] signing with `clock`: an answer that shows the clock skewed corrects it (for every clone of
/// it) and the call is made once more.
pub async fn call_with_clock(
    http: &nubo_http::Client,
    service: &Service,
    op: &Operation,
    prepared: &Prepared,
    credentials: Option<&Credentials>,
    clock: &SigningClock,
) -> Result<CallOutput, CallError> {
    let mode = http.config().retry.mode;
    let make = |_attempt: u32| -> Result<HttpRequest, CallError> {
        let signed = sign(prepared, credentials, clock.now(), None).map_err(CallError::Client)?;
        let mut req = HttpRequest::new(signed.method, signed.url).with_body(signed.body);
        req.headers = signed.headers;
        Ok(req)
    };
    let error_code = |r: &HttpResponse| {
        if r.status >= 300 {
            nubo_protocol::de::parse_response(&service.model, op, &to_response(r)).err().map(|e| e.code)
        } else {
            None
        }
    };
    let classify =
        |r: &HttpResponse| nubo_http::classify(mode, &service.name, r.status, error_code(r).as_deref());
    let mut retries = 0;
    let mut corrected = false;
    let resp = loop {
        let retried = http.send_with_retries(make, classify).await;
        retries += retried.retries();
        let resp = retried.result?;
        if !corrected
            && let Some(code) = error_code(&resp)
            && clock.correct(&code, header(&resp, "date"))
        {
            corrected = true;
            retries += 1;
            continue;
        }
        break resp;
    };
    let response = to_response(&resp);
    let mut output = match nubo_protocol::de::parse_response(&service.model, op, &response) {
        Ok(output) => output,
        Err(e) => return Err(CallError::Service(Box::new(e), retries)),
    };
    let hooks = &prepared.response;
    crate::checksum::check_response(&hooks.checksum_algorithms, &response.headers, &response.body)
        .map_err(|e| CallError::Client(ClientError::Checksum(e.to_string())))?;
    if hooks.decode_keys {
        crate::s3_encoding::decode(&op.name, &mut output);
    }
    Ok(CallOutput { output, response })
}

fn header<'a>(r: &'a HttpResponse, name: &str) -> Option<&'a str> {
    r.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}
