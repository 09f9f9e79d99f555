//! S3 Express One Zone sessions: a `CreateSession` per directory bucket (signed with the credential
//! chain's keys), its credentials kept in memory for their lifetime and made again shortly before
//! they expire. Requests to the bucket are then signed with them (signing name `s3express`, the
//! token in `x-amz-s3session-token`; see `nubo_client::auth`).

use crate::error::{Error, Result};
use crate::session::Session;
use nubo_client::Service;
use nubo_sign::Credentials;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// Sessions with less than this left are made again.
const REFRESH_BEFORE: Duration = Duration::from_secs(60);

/// The sessions of one command, by bucket.
#[derive(Default)]
pub struct ExpressCache {
    sessions: Mutex<HashMap<String, (Credentials, SystemTime)>>,
    /// Held while a session is made, so that concurrent requests (s3 transfers) wait for it
    /// instead of each making their own.
    making: tokio::sync::Mutex<()>,
}

impl ExpressCache {
    fn get(&self, bucket: &str, now: SystemTime) -> Option<Credentials> {
        let map = self.sessions.lock().ok()?;
        let (creds, expires) = map.get(bucket)?;
        (expires.duration_since(now).unwrap_or_default() > REFRESH_BEFORE).then(|| creds.clone())
    }

    fn put(&self, bucket: &str, creds: Credentials, expires: SystemTime) {
        if let Ok(mut map) = self.sessions.lock() {
            map.insert(bucket.to_string(), (creds, expires));
        }
    }
}

impl Session {
    /// The session credentials for directory bucket `bucket`: cached, or from a new `CreateSession`.
    pub async fn express_credentials(&self, service: &Service, bucket: &str) -> Result<Credentials> {
        let now = SystemTime::now();
        if let Some(c) = self.express.get(bucket, now) {
            return Ok(c);
        }
        let _making = self.express.making.lock().await;
        if let Some(c) = self.express.get(bucket, SystemTime::now()) {
            return Ok(c);
        }
        let op = service
            .model
            .operation("CreateSession")
            .ok_or_else(|| Error::Other("the s3 model has no CreateSession operation".into()))?;
        let out = self.call_async(service, op, &json!({"Bucket": bucket})).await?;
        let c = out.output.get("Credentials").cloned().unwrap_or(Value::Null);
        let field = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_string);
        let (Some(id), Some(secret), Some(token)) =
            (field("AccessKeyId"), field("SecretAccessKey"), field("SessionToken"))
        else {
            return Err(Error::Other(format!("CreateSession for bucket {bucket} returned no credentials")));
        };
        let expires = match c.get("Expiration") {
            Some(Value::String(s)) => nubo_credentials::timefmt::parse(s),
            Some(Value::Number(n)) => {
                n.as_f64().map(|secs| SystemTime::UNIX_EPOCH + Duration::from_secs_f64(secs))
            }
            _ => None,
        }
        .unwrap_or(now + Duration::from_secs(300));
        let creds = Credentials::new(id, secret, Some(token));
        self.express.put(bucket, creds.clone(), expires);
        if self.globals.debug {
            nubo_http::debug_log::write_stderr(&format!("s3express: new session for bucket {bucket}"));
        }
        Ok(creds)
    }
}
