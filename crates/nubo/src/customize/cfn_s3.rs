//! The artifact uploader of `cloudformation package` and `deploy --s3-bucket`, as the CLI's: each file
//! goes to `PREFIX/MD5-OF-CONTENT[.EXT]` in the bucket, skipped when an object of that name already
//! exists (unless `--force-upload`), encrypted with AES256 or the given KMS key, with a progress line
//! on standard error.

use super::api;
use crate::error::{CliError, CliResult};
use base64::Engine;
use md5::Digest;
use nubo_session::Session;
use serde_json::{Value, json};

/// Where and how artifacts are uploaded.
pub struct Uploader<'c> {
    s3: api::Client<'c>,
    pub bucket: String,
    prefix: Option<String>,
    kms_key_id: Option<String>,
    force: bool,
    /// `--metadata` of `package`: attached to every uploaded object.
    pub metadata: Option<Value>,
}

impl<'c> Uploader<'c> {
    pub fn new(
        ctx: &'c Session,
        bucket: &str,
        prefix: Option<&str>,
        kms_key_id: Option<&str>,
        force: bool,
    ) -> CliResult<Self> {
        Ok(Uploader {
            s3: api::client(ctx, "s3")?,
            bucket: bucket.to_string(),
            prefix: prefix.filter(|p| !p.is_empty()).map(str::to_string),
            kms_key_id: kms_key_id.filter(|k| !k.is_empty()).map(str::to_string),
            force,
            metadata: None,
        })
    }

    /// Uploads `bytes` (read from `file`) under the MD5 of its content (with `.EXT` when given);
    /// returns `s3://bucket/key`.
    pub fn upload_with_dedup(&self, bytes: &[u8], extension: Option<&str>) -> CliResult<String> {
        let mut name = hex(&md5::Md5::digest(bytes));
        if let Some(ext) = extension {
            name = format!("{name}.{ext}");
        }
        self.upload(bytes, &name)
    }

    /// Uploads `bytes` to `remote_path` under the prefix; returns `s3://bucket/key`.
    pub fn upload(&self, bytes: &[u8], remote_path: &str) -> CliResult<String> {
        let key = match &self.prefix {
            Some(p) => format!("{p}/{remote_path}"),
            None => remote_path.to_string(),
        };
        let url = format!("s3://{}/{key}", self.bucket);
        if !self.force && self.s3.call("HeadObject", &json!({"Bucket": self.bucket, "Key": key})).is_ok() {
            return Ok(url);
        }
        let mut input = json!({
            "Bucket": self.bucket,
            "Key": key,
            "Body": base64::engine::general_purpose::STANDARD.encode(bytes),
            "ServerSideEncryption": "AES256",
        });
        if let Some(k) = &self.kms_key_id {
            input["ServerSideEncryption"] = "aws:kms".into();
            input["SSEKMSKeyId"] = k.clone().into();
        }
        if let Some(m) = &self.metadata {
            input["Metadata"] = m.clone();
        }
        match self.s3.call("PutObject", &input) {
            Ok(_) => {}
            Err(CliError::Service(f)) if f.code == "NoSuchBucket" => {
                return Err(CliError::Other(format!(
                    "S3 Bucket does not exist. Execute the command to create a new bucket\naws s3 mb s3://{}",
                    self.bucket
                )));
            }
            Err(e) => return Err(e),
        }
        let size = bytes.len();
        eprint!("\rUploading to {key}  {size} / {size}.0  (100.00%)");
        Ok(url)
    }

    /// The path-style HTTPS URL of `key` (what `TemplateURL` needs), with `?versionId=` when given.
    pub fn path_style_url(&self, key: &str, version: Option<&str>) -> CliResult<String> {
        let base = self.s3.endpoint_url("ListBuckets", &json!({}))?;
        let mut url = format!("{base}/{}/{key}", self.bucket);
        if let Some(v) = version {
            url = format!("{url}?versionId={v}");
        }
        Ok(url)
    }
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key of an `s3://bucket/key` URL.
pub fn key_of(url: &str) -> &str {
    url.strip_prefix("s3://").and_then(|r| r.split_once('/')).map(|(_, k)| k).unwrap_or(url)
}
