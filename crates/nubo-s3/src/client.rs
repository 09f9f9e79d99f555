//! One S3 operation call through the generic engine (`nubo-client`), with credentials refreshed
//! before each request and the AWS CLI's error text; plus the streaming download of an object (or a
//! byte range of it) straight into a file.

use crate::Error;
use nubo_client::Service;
use nubo_client::call::CallError;
use nubo_http::HttpRequest;
use nubo_session::Session;
use serde_json::Value;
use std::io::{Seek, SeekFrom, Write};
use std::sync::Mutex;

/// What the s3 commands need to call S3: the session (settings, credentials, HTTP) and the S3 model.
pub struct S3Client<'a> {
    pub session: &'a Session,
    pub service: Service,
}

impl<'a> S3Client<'a> {
    /// The S3 client of `session`; credentials are resolved here (before any transfer starts), unless
    /// requests go unsigned.
    pub fn new(session: &'a Session) -> Result<S3Client<'a>, Error> {
        let service = session.service("s3")?;
        if !session.globals.no_sign_request {
            session.resolved()?;
        }
        Ok(S3Client { session, service })
    }

    fn op(&self, name: &str) -> Result<&nubo_model::Operation, Error> {
        self.service
            .model
            .operations
            .get(name)
            .ok_or_else(|| Error::Other(format!("the s3 model has no {name} operation")))
    }

    /// The region requests go to.
    pub fn region(&self) -> String {
        self.session.region().map(|s| s.value).unwrap_or_else(|_| "us-east-1".into())
    }

    /// Calls operation `name` with `input` and returns its parsed output.
    pub async fn call(&self, name: &str, input: &Value) -> Result<Value, Error> {
        let op = self.op(name)?;
        Ok(self.session.call_async(&self.service, op, input).await?.output)
    }

    /// Downloads object `input` (`Bucket`, `Key`, maybe `Range`) into `file` at `offset`, as it
    /// arrives; returns the bytes written.
    pub async fn get_into(
        &self,
        input: &Value,
        file: &Mutex<std::fs::File>,
        offset: u64,
    ) -> Result<u64, Error> {
        let mut at = offset;
        self.get_with(input, |chunk| {
            let mut f = file.lock().map_err(|_| std::io::Error::other("file lock poisoned"))?;
            f.seek(SeekFrom::Start(at))?;
            f.write_all(chunk)?;
            at += chunk.len() as u64;
            Ok(())
        })
        .await
    }

    /// Downloads object `input`, handing each piece to `sink` as it arrives; returns the bytes read.
    pub async fn get_with(
        &self,
        input: &Value,
        mut sink: impl FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<u64, Error> {
        let op = self.op("GetObject")?;
        let session = self.session;
        let endpoint = session.endpoint_config_with_account(&self.service)?;
        let prepared =
            nubo_client::prepare(&self.service, op, input, &endpoint, session.globals.no_sign_request)?;
        let creds = match prepared.auth {
            nubo_client::Auth::Anonymous => None,
            nubo_client::Auth::SigV4 { .. } => Some(session.fresh_credentials().await?),
        };
        let clock = session.signing_clock()?;
        let http = session.http("s3")?;
        let mode = http.config().retry.mode;
        let make = |_attempt: u32| -> Result<HttpRequest, CallError> {
            let signed =
                nubo_client::sign(&prepared, creds.as_ref(), clock.now(), None).map_err(CallError::Client)?;
            let mut req = HttpRequest::new(signed.method, signed.url).with_body(signed.body);
            req.headers = signed.headers;
            Ok(req)
        };
        let classify = |r: &nubo_http::HttpResponse| {
            let code = service_error(&self.service, op, r).map(|e| e.code);
            nubo_http::classify(mode, "s3", r.status, code.as_deref())
        };
        let retried = http.send_streaming_with_retries(make, classify).await;
        let retries = retried.retries();
        let mut resp = retried.result.map_err(|e| session.call_error(e, "GetObject"))?;
        if !(200..300).contains(&resp.status) {
            let buffered = resp.into_buffered().await?;
            let err = service_error(&self.service, op, &buffered).ok_or_else(|| {
                Error::Other(format!("GetObject failed with HTTP status {}", buffered.status))
            })?;
            return Err(session.call_error(CallError::Service(Box::new(err), retries), "GetObject"));
        }
        let algorithms = &prepared.response.checksum_algorithms;
        let mut check = nubo_client::checksum::Validator::for_response(algorithms, &resp.headers);
        let mut written = 0u64;
        while let Some(chunk) = resp.body.next_chunk().await? {
            check.iter_mut().for_each(|c| c.update(&chunk));
            sink(&chunk).map_err(|e| Error::Other(e.to_string()))?;
            written += chunk.len() as u64;
        }
        check.map_or(Ok(()), |c| c.finish()).map_err(|e| Error::Other(e.to_string()))?;
        Ok(written)
    }
}

fn service_error(
    service: &Service,
    op: &nubo_model::Operation,
    r: &nubo_http::HttpResponse,
) -> Option<nubo_protocol::ServiceError> {
    if r.status < 300 {
        return None;
    }
    let resp =
        nubo_protocol::Response { status: r.status, headers: r.headers.clone(), body: r.body.to_vec() };
    nubo_protocol::de::parse_response(&service.model, op, &resp).err()
}
