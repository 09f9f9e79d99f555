//! A call whose response body is streamed rather than held: `GetObject` into a file or standard
//! output. The body goes to the caller's sink piece by piece as it arrives, checked against the
//! response's checksum; the output members are parsed from the status and headers alone.

use crate::call::CallError;
use crate::error::ClientError;
use crate::prepare::{Prepared, sign};
use crate::service::Service;
use nubo_http::{HttpRequest, HttpResponse};
use nubo_model::Operation;
use nubo_sign::Credentials;
use serde_json::Value;
use std::time::SystemTime;

/// Sends `prepared` with retries (re-signed per attempt), then hands the 2xx body to `sink` as it
/// arrives and returns the parsed output (header members) and the body's length. The body is
/// verified against the response checksum the request asked for, after the last byte: the caller
/// must not keep what it wrote when this fails. A service error is read whole and parsed.
pub async fn call_streaming(
    http: &nubo_http::Client,
    service: &Service,
    op: &Operation,
    prepared: &Prepared,
    credentials: Option<&Credentials>,
    time: Option<SystemTime>,
    mut sink: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> Result<(Value, u64), CallError> {
    let mode = http.config().retry.mode;
    let make = |_attempt: u32| -> Result<HttpRequest, CallError> {
        let signed = sign(prepared, credentials, time.unwrap_or_else(SystemTime::now), None)
            .map_err(CallError::Client)?;
        let mut req = HttpRequest::new(signed.method, signed.url).with_body(signed.body);
        req.headers = signed.headers;
        Ok(req)
    };
    let classify = |r: &HttpResponse| {
        let code = service_error(service, op, r).map(|e| e.code);
        nubo_http::classify(mode, &service.name, r.status, code.as_deref())
    };
    let retried = http.send_streaming_with_retries(make, classify).await;
    let retries = retried.retries();
    let mut resp = retried.result?;
    let head =
        nubo_protocol::Response { status: resp.status, headers: resp.headers.clone(), body: Vec::new() };
    if !(200..300).contains(&resp.status) {
        let buffered = resp.into_buffered().await?;
        let err = service_error(service, op, &buffered).unwrap_or_else(|| nubo_protocol::ServiceError {
            code: buffered.status.to_string(),
            message: String::from_utf8_lossy(&buffered.body).into_owned(),
            status: buffered.status,
            fields: Value::Null,
        });
        return Err(CallError::Service(Box::new(err), retries));
    }
    let output = nubo_protocol::de::parse_response(&service.model, op, &head)
        .map_err(|e| CallError::Service(Box::new(e), retries))?;
    let algorithms = &prepared.response.checksum_algorithms;
    let mut check = crate::checksum::Validator::for_response(algorithms, &resp.headers);
    let mut written = 0u64;
    while let Some(chunk) = resp.body.next_chunk().await? {
        if let Some(c) = check.as_mut() {
            c.update(&chunk);
        }
        sink(&chunk).map_err(|e| CallError::Client(ClientError::Io(e.to_string())))?;
        written += chunk.len() as u64;
    }
    if let Some(c) = check {
        c.finish().map_err(|e| CallError::Client(ClientError::Checksum(e.to_string())))?;
    }
    Ok((output, written))
}

fn service_error(service: &Service, op: &Operation, r: &HttpResponse) -> Option<nubo_protocol::ServiceError> {
    if r.status < 300 {
        return None;
    }
    let resp =
        nubo_protocol::Response { status: r.status, headers: r.headers.clone(), body: r.body.to_vec() };
    nubo_protocol::de::parse_response(&service.model, op, &resp).err()
}
