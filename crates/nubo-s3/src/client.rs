//! One S3 operation call through the generic engine (`nubo-client`), with credentials refreshed
//! before each request and the AWS CLI's error text; plus the streaming download of an object (or a
//! byte range of it) straight into a file.

use crate::Error;
use nubo_client::Service;
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

    /// Calls operation `name` page after page (the session's one pagination loop), handing each page
    /// to `each` until the last one or until `each` returns false.
    pub async fn pages(
        &self,
        name: &str,
        input: &Value,
        each: impl FnMut(&Value) -> Result<bool, Error>,
    ) -> Result<(), Error> {
        let op = self.op(name)?;
        self.session.for_each_page_async(&self.service, op, input, each).await
    }

    /// Calls operation `name` with `input` and its streaming payload (bytes, or a file range read as
    /// it is sent).
    pub async fn call_with_payload(
        &self,
        name: &str,
        input: &Value,
        payload: nubo_http::Body,
    ) -> Result<Value, Error> {
        let op = self.op(name)?;
        Ok(self.session.call_async_with_payload(&self.service, op, input, Some(payload)).await?.output)
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

    /// Downloads object `input`, handing each piece to `sink` as it arrives (checked against the
    /// response checksum at the end); returns the bytes read.
    pub async fn get_with(
        &self,
        input: &Value,
        sink: impl FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<u64, Error> {
        let op = self.op("GetObject")?;
        let (_, n) = self.session.call_streaming_async(&self.service, op, input, None, sink).await?;
        Ok(n)
    }
}
