//! `s3://bucket/key` (or `bucket/key`) into a bucket and a key, as the AWS CLI's `s3` commands read
//! them: access point ARNs (S3 and Outposts) are buckets whose name holds `/` or `:`; Object Lambda
//! access points and Outposts bucket ARNs are refused.

use crate::error::{CliError, CliResult};

/// The bucket and key of an S3 path, both non-empty.
pub fn bucket_and_key(arg: &str) -> CliResult<(String, String)> {
    let path = arg.strip_prefix("s3://").unwrap_or(arg);
    let (bucket, key) = split(path)?;
    let bad =
        |why: &str| CliError::Usage(format!("Invalid S3 path \"{arg}\": {why}; expected s3://bucket/key"));
    if bucket.is_empty() {
        return Err(bad("no bucket"));
    }
    let plain_name = bucket.len() <= 255
        && bucket.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if !bucket.starts_with("arn:") && !plain_name {
        return Err(bad("the bucket name may hold only letters, digits, '.', '-' and '_'"));
    }
    if key.is_empty() {
        return Err(bad("no key"));
    }
    Ok((bucket.to_string(), key.to_string()))
}

/// The ARN's fields `arn:partition:service:region:account:resource`, when `path` is an ARN.
fn arn_fields(path: &str) -> Option<[&str; 6]> {
    let mut it = path.splitn(6, ':');
    let f = [it.next()?, it.next()?, it.next()?, it.next()?, it.next()?, it.next()?];
    (f[0] == "arn" && f[1].starts_with("aws")).then_some(f)
}

fn split(path: &str) -> CliResult<(&str, &str)> {
    if let Some(f) = arn_fields(path) {
        let resource = f[5];
        let account_ok = f[4].len() == 12 && f[4].bytes().all(|b| b.is_ascii_digit());
        let prefix_len = path.len() - resource.len();
        match f[2] {
            "s3-object-lambda" => {
                return Err(CliError::Usage(
                    "s3 commands do not support S3 Object Lambda resources; use s3api commands instead"
                        .into(),
                ));
            }
            "s3" if account_ok => {
                if let Some(rest) = resource.strip_prefix("accesspoint").filter(|r| r.starts_with([':', '/']))
                {
                    // accesspoint[:/]NAME, then an optional '/' and the key.
                    let name_end = rest[1..].find('/').map(|i| i + 1).unwrap_or(rest.len());
                    let bucket_end = prefix_len + "accesspoint".len() + name_end;
                    if name_end > 1 {
                        let key = path[bucket_end..].strip_prefix('/').unwrap_or(&path[bucket_end..]);
                        return Ok((&path[..bucket_end], key));
                    }
                }
            }
            "s3-outposts" if account_ok => {
                let parts: Vec<&str> = resource.splitn(5, ['/', ':']).collect();
                if parts.len() >= 4 && parts[0] == "outpost" {
                    if parts[2] == "bucket" {
                        return Err(CliError::Usage(
                            "s3 commands do not support Outposts bucket ARNs; use s3control commands instead"
                                .into(),
                        ));
                    }
                    if parts[2] == "accesspoint" && !parts[3].is_empty() {
                        let bucket_len = prefix_len + parts[..4].iter().map(|p| p.len()).sum::<usize>() + 3;
                        let rest = &path[bucket_len..];
                        let key = rest.strip_prefix(['/', ':']).unwrap_or(rest);
                        return Ok((&path[..bucket_len], key));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(path.split_once('/').unwrap_or((path, "")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(p: &str) -> (String, String) {
        bucket_and_key(p).unwrap()
    }

    #[test]
    fn plain_paths() {
        assert_eq!(ok("s3://bkt/a/b c.txt"), ("bkt".into(), "a/b c.txt".into()));
        assert_eq!(ok("bkt/k"), ("bkt".into(), "k".into()));
        for bad in ["s3://", "s3://bkt", "s3://bkt/", "s3:///key", "s3://bad bucket/k", ""] {
            assert!(matches!(bucket_and_key(bad), Err(CliError::Usage(_))), "{bad}");
        }
    }

    #[test]
    fn access_points() {
        let ap = "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap";
        assert_eq!(ok(&format!("s3://{ap}/dir/k")), (ap.into(), "dir/k".into()));
        let ap2 = "arn:aws:s3:us-west-2:123456789012:accesspoint:my-ap";
        assert_eq!(ok(&format!("{ap2}/k")), (ap2.into(), "k".into()));
        let op = "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01/accesspoint/ap";
        assert_eq!(ok(&format!("s3://{op}/k")), (op.into(), "k".into()));
        let ob = "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01/bucket/b/k";
        assert!(bucket_and_key(ob).is_err());
        let ol = "arn:aws:s3-object-lambda:us-west-2:123456789012:accesspoint/ol/k";
        assert!(bucket_and_key(ol).is_err());
    }
}
