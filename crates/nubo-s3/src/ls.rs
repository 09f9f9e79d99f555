//! `s3 ls` (buckets, one level of a prefix, or everything under it), `s3 mb`, `s3 rb` and `s3 website`.

use crate::args::Opts;
use crate::fmt::{self, Printer};
use crate::{Error, S3Client, TransferConfig, exit};
use serde_json::{Value, json};

/// `s3://bucket/key` (or `bucket/key`) as bucket and key.
pub fn split_s3(path: &str) -> (String, String) {
    let p = path.strip_prefix("s3://").unwrap_or(path);
    match p.split_once('/') {
        Some((b, k)) => (b.to_string(), k.to_string()),
        None => (p.to_string(), String::new()),
    }
}

fn str_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn u64_of(v: &Value, k: &str) -> u64 {
    v.get(k).and_then(|x| x.as_u64().or_else(|| x.as_str().and_then(|s| s.parse().ok()))).unwrap_or(0)
}

fn time_of(v: &Value, k: &str, offset: time::UtcOffset) -> String {
    fmt::parse_time(str_of(v, k)).map(|t| fmt::time_str(t, offset)).unwrap_or_else(|| format!("{:19}", ""))
}

/// `s3 ls [s3://bucket[/prefix]] [--recursive] [--human-readable] [--summarize]`.
pub async fn ls(c: &S3Client<'_>, o: &Opts, _out: &Printer) -> Result<i32, Error> {
    let offset = fmt::local_offset();
    let path = o.paths.first().map(String::as_str).unwrap_or("s3://");
    let (bucket, key) = split_s3(path);
    let human = o.flag("--human-readable");
    let size_str = |n: u64| if human { fmt::human_size(n) } else { n.to_string() };
    if bucket.is_empty() {
        let mut input = json!({});
        if let Some(p) = o.value("--bucket-name-prefix") {
            input["Prefix"] = json!(p);
        }
        if let Some(r) = o.value("--bucket-region") {
            input["BucketRegion"] = json!(r);
        }
        c.pages("ListBuckets", &input, |page| {
            for b in page.get("Buckets").and_then(Value::as_array).into_iter().flatten() {
                fmt::out(&format!("{} {}", time_of(b, "CreationDate", offset), str_of(b, "Name")));
            }
            Ok(true)
        })
        .await?;
        return Ok(exit::OK);
    }
    let recursive = o.flag("--recursive");
    let mut input = json!({"Bucket": bucket, "Prefix": key});
    if !recursive {
        input["Delimiter"] = json!("/");
    }
    if let Some(p) = o.value("--page-size") {
        let n: i64 = p.parse().map_err(|_| Error::Usage(format!("invalid page size: {p}")))?;
        input["MaxKeys"] = json!(n);
    }
    if let Some(p) = o.value("--request-payer") {
        input["RequestPayer"] = json!(p);
    }
    let (mut total, mut count, mut first_empty, mut first) = (0u64, 0u64, false, true);
    c.pages("ListObjectsV2", &input, |page| {
        let prefixes = page.get("CommonPrefixes").and_then(Value::as_array).cloned().unwrap_or_default();
        let contents = page.get("Contents").and_then(Value::as_array).cloned().unwrap_or_default();
        if first && prefixes.is_empty() && contents.is_empty() {
            first_empty = true;
        }
        first = false;
        for p in &prefixes {
            let pre = str_of(p, "Prefix");
            let parts: Vec<&str> = pre.split('/').collect();
            let name = if parts.len() >= 2 { parts[parts.len() - 2] } else { pre };
            fmt::out(&format!("{:>30} {name}/", "PRE"));
        }
        for obj in &contents {
            let size = u64_of(obj, "Size");
            total += size;
            count += 1;
            let k = str_of(obj, "Key");
            let name = if recursive { k } else { k.rsplit('/').next().unwrap_or(k) };
            fmt::out(&format!("{} {:>10} {name}", time_of(obj, "LastModified", offset), size_str(size)));
        }
        Ok(true)
    })
    .await?;
    if o.flag("--summarize") {
        fmt::out(&format!("\nTotal Objects: {count}"));
        fmt::out(&format!("   Total Size: {}", size_str(total)));
    }
    Ok(if !key.is_empty() && first_empty { exit::FAILED } else { exit::OK })
}

fn bucket_arg(o: &Opts, command: &str) -> Result<String, Error> {
    let path = o.paths.first().map(String::as_str).unwrap_or("");
    if !path.starts_with("s3://") {
        return Err(Error::Usage(format!(
            "<S3Uri>\nError: Invalid argument type for {command}: s3:// path required"
        )));
    }
    let (bucket, _) = split_s3(path);
    if bucket.is_empty() {
        return Err(Error::Usage("<S3Uri>\nError: s3 bucket name required".into()));
    }
    Ok(bucket)
}

/// `s3 mb s3://bucket`.
pub async fn mb(c: &S3Client<'_>, o: &Opts, out: &Printer) -> Result<i32, Error> {
    let bucket = bucket_arg(o, "mb")?;
    let mut input = json!({"Bucket": bucket});
    if c.region() != "us-east-1" {
        input["CreateBucketConfiguration"] = json!({"LocationConstraint": c.region()});
    }
    match c.call("CreateBucket", &input).await {
        Ok(_) => {
            fmt::out(&format!("make_bucket: {bucket}"));
            Ok(exit::OK)
        }
        Err(e) => {
            out.error(&format!("make_bucket failed: s3://{bucket} {e}"));
            Ok(exit::FAILED)
        }
    }
}

/// `s3 rb s3://bucket [--force]`.
pub async fn rb(c: &S3Client<'_>, cfg: TransferConfig, o: &Opts, out: &Printer) -> Result<i32, Error> {
    let bucket = bucket_arg(o, "rb")?;
    let (_, key) = split_s3(o.paths.first().map(String::as_str).unwrap_or(""));
    if !key.is_empty() {
        return Err(Error::Usage("Please specify a valid bucket name only. E.g. s3://bucket".into()));
    }
    if o.flag("--force") {
        let rm = crate::args::parse("rm", &[format!("s3://{bucket}"), "--recursive".into()])?;
        let code = crate::transfer::run(c, cfg, "rm", &rm, out).await?;
        if code != exit::OK {
            out.error(&format!(
                "remove_bucket failed: Unable to delete all objects in bucket s3://{bucket}."
            ));
            return Ok(exit::FAILED);
        }
    }
    match c.call("DeleteBucket", &json!({"Bucket": bucket})).await {
        Ok(_) => {
            fmt::out(&format!("remove_bucket: {bucket}"));
            Ok(exit::OK)
        }
        Err(e) => {
            out.error(&format!("remove_bucket failed: s3://{bucket} {e}"));
            Ok(exit::FAILED)
        }
    }
}

/// `s3 website s3://bucket [--index-document D] [--error-document E]`.
pub async fn website(c: &S3Client<'_>, o: &Opts) -> Result<i32, Error> {
    let (bucket, _) = split_s3(o.paths.first().map(String::as_str).unwrap_or(""));
    let mut conf = json!({});
    if let Some(d) = o.value("--index-document") {
        conf["IndexDocument"] = json!({"Suffix": d});
    }
    if let Some(e) = o.value("--error-document") {
        conf["ErrorDocument"] = json!({"Key": e});
    }
    c.call("PutBucketWebsite", &json!({"Bucket": bucket, "WebsiteConfiguration": conf})).await?;
    Ok(exit::OK)
}
