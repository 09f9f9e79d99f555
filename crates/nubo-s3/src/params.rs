//! The command line's object settings (`--sse`, `--grants`, `--cache-control`, `--request-payer`…) as
//! the members of each S3 request a transfer makes, operation by operation as the AWS CLI maps them
//! (its `RequestParamsMapper`): content settings go only to the requests that create an object, the
//! SSE-C key to every request that reads or writes the object's data, the payer to all of them.

use crate::Error;
use crate::args::Opts;
use serde_json::{Map, Value, json};

/// The request members the command line sets, grouped as the CLI groups them.
#[derive(Debug, Default, Clone)]
pub struct RequestArgs {
    /// ACL, storage class, content headers, redirect, grants: for PutObject, CopyObject and
    /// CreateMultipartUpload.
    general: Map<String, Value>,
    metadata: Option<Value>,
    metadata_directive: Option<String>,
    /// `ServerSideEncryption`, `SSEKMSKeyId`.
    sse: Map<String, Value>,
    /// `(algorithm, key)` of the object written or read.
    sse_c: Option<(String, String)>,
    /// `(algorithm, key)` of a copy's source.
    sse_c_copy_source: Option<(String, String)>,
    request_payer: Option<String>,
    checksum_mode: Option<String>,
    /// `--copy-props`: `none`, `metadata-directive` or `default`.
    pub copy_props: String,
}

impl RequestArgs {
    pub fn from_opts(o: &Opts) -> Result<RequestArgs, Error> {
        let mut a = RequestArgs {
            copy_props: o.value("--copy-props").unwrap_or("default").to_string(),
            ..Default::default()
        };
        for (opt, member) in [
            ("--acl", "ACL"),
            ("--storage-class", "StorageClass"),
            ("--website-redirect", "WebsiteRedirectLocation"),
            ("--content-type", "ContentType"),
            ("--cache-control", "CacheControl"),
            ("--content-disposition", "ContentDisposition"),
            ("--content-encoding", "ContentEncoding"),
            ("--content-language", "ContentLanguage"),
            ("--expires", "Expires"),
        ] {
            if let Some(v) = o.value(opt).filter(|v| !v.is_empty()) {
                a.general.insert(member.into(), json!(v));
            }
        }
        for grant in o.list("--grants") {
            let (permission, grantee) = grant
                .split_once('=')
                .ok_or_else(|| Error::Usage("grants should be of the form permission=principal".into()))?;
            let member = match permission {
                "read" => "GrantRead",
                "full" => "GrantFullControl",
                "readacl" => "GrantReadACP",
                "writeacl" => "GrantWriteACP",
                _ => {
                    return Err(Error::Usage("permission must be one of: read|readacl|writeacl|full".into()));
                }
            };
            a.general.insert(member.into(), json!(grantee));
        }
        if let Some(md) = o.value("--metadata") {
            a.metadata = Some(parse_metadata(md)?);
        }
        a.metadata_directive = o.value("--metadata-directive").map(str::to_string);
        if let Some(v) = o.value("--sse") {
            a.sse.insert("ServerSideEncryption".into(), json!(v));
        }
        if let Some(v) = o.value("--sse-kms-key-id") {
            a.sse.insert("SSEKMSKeyId".into(), json!(v));
        }
        a.sse_c = sse_c_pair(o, "--sse-c", "--sse-c-key")?;
        a.sse_c_copy_source = sse_c_pair(o, "--sse-c-copy-source", "--sse-c-copy-source-key")?;
        a.request_payer = o.value("--request-payer").map(str::to_string);
        a.checksum_mode = o.value("--checksum-mode").map(str::to_string);
        Ok(a)
    }

    /// Whether the command line replaces the object's properties on a copy.
    pub fn replaces_properties(&self) -> bool {
        self.metadata.is_some() || self.general.contains_key("ContentType")
    }

    /// Adds to `input` of S3 operation `op` the members the command line sets for it.
    pub fn apply(&self, op: &str, input: &mut Value) {
        let Some(m) = input.as_object_mut() else { return };
        let general = matches!(op, "PutObject" | "CopyObject" | "CreateMultipartUpload");
        if general {
            m.extend(self.general.clone());
        }
        if op == "CopyObject"
            && let Some(d) = &self.metadata_directive
        {
            m.insert("MetadataDirective".into(), json!(d));
        }
        if general && let Some(md) = &self.metadata {
            m.insert("Metadata".into(), md.clone());
            if op == "CopyObject" && !m.contains_key("MetadataDirective") {
                m.insert("MetadataDirective".into(), json!("REPLACE"));
            }
        }
        if general {
            m.extend(self.sse.clone());
        }
        let sse_c = match op {
            "HeadSource" => self.sse_c_copy_source.as_ref(),
            "PutObject"
            | "GetObject"
            | "CopyObject"
            | "HeadObject"
            | "CreateMultipartUpload"
            | "UploadPart"
            | "UploadPartCopy"
            | "CompleteMultipartUpload" => self.sse_c.as_ref(),
            _ => None,
        };
        if let Some((alg, key)) = sse_c {
            m.insert("SSECustomerAlgorithm".into(), json!(alg));
            m.insert("SSECustomerKey".into(), json!(key));
        }
        if matches!(op, "CopyObject" | "UploadPartCopy")
            && let Some((alg, key)) = &self.sse_c_copy_source
        {
            m.insert("CopySourceSSECustomerAlgorithm".into(), json!(alg));
            m.insert("CopySourceSSECustomerKey".into(), json!(key));
        }
        if let Some(p) = &self.request_payer
            && op != "ListBuckets"
        {
            m.insert("RequestPayer".into(), json!(p));
        }
        if op == "GetObject"
            && let Some(c) = &self.checksum_mode
        {
            m.insert("ChecksumMode".into(), json!(c));
        }
    }
}

/// `--sse-c` with its key (`fileb://` reads the key's bytes from a file), as a pair; each needs the other.
fn sse_c_pair(o: &Opts, alg: &str, key: &str) -> Result<Option<(String, String)>, Error> {
    match (o.value(alg), o.value(key)) {
        (None, None) => Ok(None),
        (Some(a), Some(k)) => {
            let k = match k.strip_prefix("fileb://").or_else(|| k.strip_prefix("file://")) {
                Some(path) => {
                    let bytes = std::fs::read(path)
                        .map_err(|e| Error::Usage(format!("Unable to load paramfile {k}: {e}")))?;
                    String::from_utf8(bytes).map_err(|_| {
                        Error::Usage(format!("{key}: the key in {path} must be text (32 bytes for AES256)"))
                    })?
                }
                None => k.to_string(),
            };
            Ok(Some((a.to_string(), k)))
        }
        (Some(_), None) => {
            Err(Error::Usage(format!("It {alg} is specified, {key} must be specified as well.")))
        }
        (None, Some(_)) => {
            Err(Error::Usage(format!("It {key} is specified, {alg} must be specified as well.")))
        }
    }
}

/// `--metadata` as JSON (`{"k":"v"}`) or shorthand (`k=v,k2=v2`).
pub fn parse_metadata(s: &str) -> Result<Value, Error> {
    if s.trim_start().starts_with('{') {
        let v: Value = serde_json::from_str(s)
            .map_err(|e| Error::Usage(format!("Error parsing parameter '--metadata': Invalid JSON: {e}")))?;
        return match v {
            Value::Object(_) => Ok(v),
            _ => Err(Error::Usage("Error parsing parameter '--metadata': expected a map".into())),
        };
    }
    let mut m = Map::new();
    for pair in s.split(',').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').ok_or_else(|| {
            Error::Usage(format!("Error parsing parameter '--metadata': expected key=value: {pair}"))
        })?;
        m.insert(k.trim().to_string(), json!(v.trim()));
    }
    Ok(Value::Object(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> RequestArgs {
        let mut v: Vec<String> = vec!["a".into(), "s3://b/".into()];
        v.extend(a.iter().map(|s| s.to_string()));
        RequestArgs::from_opts(&crate::args::parse("cp", &v).unwrap()).unwrap()
    }

    #[test]
    fn each_operation_gets_its_members() {
        let a = args(&[
            "--sse",
            "aws:kms",
            "--sse-kms-key-id",
            "k1",
            "--cache-control",
            "max-age=1",
            "--grants",
            "read=uri=http://acs/AllUsers",
            "--request-payer",
            "--metadata",
            "a=1",
        ]);
        let mut put = json!({});
        a.apply("PutObject", &mut put);
        assert_eq!(
            put,
            json!({"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "k1", "CacheControl": "max-age=1",
            "GrantRead": "uri=http://acs/AllUsers", "RequestPayer": "requester", "Metadata": {"a": "1"}})
        );
        let mut part = json!({});
        a.apply("UploadPart", &mut part);
        assert_eq!(part, json!({"RequestPayer": "requester"}));
        let mut copy = json!({});
        a.apply("CopyObject", &mut copy);
        assert_eq!(copy["MetadataDirective"], "REPLACE");
        let c = args(&["--sse-c", "--sse-c-key", "k", "--sse-c-copy-source", "--sse-c-copy-source-key", "s"]);
        let mut get = json!({});
        c.apply("GetObject", &mut get);
        assert_eq!(get, json!({"SSECustomerAlgorithm": "AES256", "SSECustomerKey": "k"}));
        let mut head = json!({});
        c.apply("HeadSource", &mut head);
        assert_eq!(head["SSECustomerKey"], "s");
        let mut upc = json!({});
        c.apply("UploadPartCopy", &mut upc);
        assert_eq!(upc["CopySourceSSECustomerKey"], "s");
        assert!(
            RequestArgs::from_opts(
                &crate::args::parse("cp", &["a".into(), "s3://b".into(), "--sse-c".into()]).unwrap()
            )
            .is_err()
        );
    }

    #[test]
    fn metadata_parses_both_ways() {
        assert_eq!(parse_metadata("a=1,b=2").unwrap(), json!({"a": "1", "b": "2"}));
        assert_eq!(parse_metadata(r#"{"a":"1"}"#).unwrap(), json!({"a": "1"}));
        assert!(parse_metadata("oops").is_err());
    }
}
