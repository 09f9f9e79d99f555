//! The streaming payload path and the transfer engine against s3s-fs (which verifies every
//! signature, so a file-range body whose hash or length were wrong would be refused): `s3api
//! put-object --body` and `get-object outfile` streamed, a failed `get-object` that leaves no file,
//! multipart uploads at exactly the threshold and one byte over it, and the `s3 cp` object flags
//! compared header by header with what the Python CLI sends for the same command.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, s3_sandbox, s3_url, stderr_of, stdout_of};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

fn setup(tag: &str) -> (Sandbox, tempfile::TempDir, String) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let mut sb = s3_sandbox(None);
    sb.set_env("AWS_ENDPOINT_URL", &s3_url());
    let work = tempfile::tempdir().unwrap();
    let b = format!("s3strm-{tag}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
    let out = sb.nubo().args(["s3", "mb", &format!("s3://{b}")]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    (sb, work, b)
}

fn ok(sb: &Sandbox, dir: &Path, args: &[&str]) -> String {
    let out = sb.nubo().current_dir(dir).args(args).output().unwrap();
    assert!(out.status.success(), "nubo {args:?}: {}", stderr_of(&out));
    stdout_of(&out)
}

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[test]
fn put_object_and_get_object_stream_through_files() {
    let (sb, work, b) = setup("api");
    let dir = work.path();
    let body = data(3 * 1024 * 1024 + 17);
    std::fs::write(dir.join("in.bin"), &body).unwrap();
    let out = ok(&sb, dir, &["s3api", "put-object", "--bucket", &b, "--key", "k", "--body", "in.bin"]);
    assert!(out.contains("ETag"), "{out}");
    let out = ok(&sb, dir, &["s3api", "get-object", "--bucket", &b, "--key", "k", "out.bin"]);
    assert!(out.contains("\"ContentLength\": 3145745"), "{out}");
    assert_eq!(std::fs::read(dir.join("out.bin")).unwrap(), body);
    // Only the finished file is left in the folder: no temporary file.
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["in.bin", "out.bin"]);
    // A missing key: exit 254, and no file at all.
    let out = sb
        .nubo()
        .current_dir(dir)
        .args(["s3api", "get-object", "--bucket", &b, "--key", "nope", "gone.bin"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(254), "{}", stderr_of(&out));
    assert_eq!(std::fs::read_dir(dir).unwrap().count(), 2);
    // A missing body file is a usage error naming the argument.
    let out = sb
        .nubo()
        .current_dir(dir)
        .args(["s3api", "put-object", "--bucket", &b, "--key", "x", "--body", "missing.bin"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(252));
    assert!(stderr_of(&out).contains("--body"), "{}", stderr_of(&out));
}

#[test]
fn multipart_at_the_threshold_and_one_byte_over() {
    let (mut sb, work, b) = setup("mp");
    let dir = work.path();
    sb.write("config", "[default]\ns3 =\n  multipart_threshold = 5MB\n  multipart_chunksize = 5MB\n");
    sb.set_env("AWS_CONFIG_FILE", sb.config_path().to_str().unwrap());
    let threshold = 5 * 1024 * 1024;
    for (name, len) in [("at", threshold), ("over", threshold + 1), ("under", threshold - 1)] {
        let body = data(len);
        std::fs::write(dir.join(name), &body).unwrap();
        ok(&sb, dir, &["s3", "cp", name, &format!("s3://{b}/{name}")]);
        let head = ok(&sb, dir, &["s3api", "head-object", "--bucket", &b, "--key", name]);
        // A multipart object's ETag ends in `-<parts>`: at the threshold and above, parts are used.
        let multipart = head.contains("-1\\\"") || head.contains("-2\\\"");
        assert_eq!(multipart, len >= threshold, "{name}: {head}");
        ok(&sb, dir, &["s3", "cp", &format!("s3://{b}/{name}"), &format!("{name}.back")]);
        assert_eq!(std::fs::read(dir.join(format!("{name}.back"))).unwrap(), body, "{name}");
    }
}

/// The request headers of the first request with `method` in a `--debug` log: nubo's (`  name: value`
/// lines) or botocore's (`headers={'name': b'value', ...}`), names lower-cased.
fn debug_headers(log: &str, method: &str, python: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if python {
        let marker = format!("method={method}, url=");
        let Some(line) = log.lines().find(|l| l.contains("Sending http request") && l.contains(&marker))
        else {
            return out;
        };
        let Some(start) = line.find("headers={") else { return out };
        let inner = &line[start + 9..line[start..].find('}').map_or(line.len(), |e| start + e)];
        for pair in inner.split(", '") {
            let pair = pair.trim_start_matches('\'');
            if let Some((k, v)) = pair.split_once("': ") {
                let v = v.trim_start_matches('b').trim_matches('\'');
                out.push((k.to_ascii_lowercase(), v.to_string()));
            }
        }
    } else {
        let body = |l: &str| l.split_once(" - DEBUG - ").map_or(l, |(_, rest)| rest).to_string();
        let wanted = format!(": {method} ");
        let mut lines =
            log.lines().map(body).skip_while(|l| !(l.starts_with("Sending request") && l.contains(&wanted)));
        lines.next();
        for l in lines.take_while(|l| l.starts_with("  ")) {
            if let Some((k, v)) = l.trim().split_once(": ") {
                out.push((k.to_ascii_lowercase(), v.to_string()));
            }
        }
    }
    out
}

#[test]
fn cp_flags_set_the_headers_the_python_cli_sets() {
    let cli = std::env::var("NUBO_TEST_AWS_CLI").expect("NUBO_TEST_AWS_CLI: the Python CLI to compare with");
    assert!(Path::new(&cli).exists(), "{cli}");
    let (sb, work, b) = setup("flags");
    let dir = work.path();
    std::fs::write(dir.join("f.txt"), b"hello").unwrap();
    let flags = [
        "--cache-control",
        "max-age=60",
        "--content-disposition",
        "attachment",
        "--content-encoding",
        "identity",
        "--content-language",
        "en",
        "--website-redirect",
        "/other",
        "--storage-class",
        "STANDARD",
        "--grants",
        "read=uri=http://acs.amazonaws.com/groups/global/AllUsers",
        "--sse",
        "AES256",
        "--request-payer",
        "--metadata",
        "a=1",
    ];
    let dest = format!("s3://{b}/f.txt");
    let mut args = vec!["--debug", "s3", "cp", "f.txt", dest.as_str()];
    args.extend(flags);
    let ours = sb.nubo().current_dir(dir).args(&args).output().unwrap();
    let ours_log = stderr_of(&ours);
    let url = s3_url();
    let mut theirs_args = vec!["--endpoint-url", url.as_str()];
    theirs_args.extend(&args);
    let theirs = sb.aws().current_dir(dir).args(&theirs_args).output().unwrap();
    let theirs_log = stderr_of(&theirs);
    let ours_h = debug_headers(&ours_log, "PUT", false);
    let theirs_h = debug_headers(&theirs_log, "PUT", true);
    assert!(!theirs_h.is_empty(), "no PUT in the Python CLI's log:\n{theirs_log}");
    assert!(!ours_h.is_empty(), "no PUT in nubo's log:\n{ours_log}");
    for name in [
        "cache-control",
        "content-disposition",
        "content-encoding",
        "content-language",
        "x-amz-website-redirect-location",
        "x-amz-storage-class",
        "x-amz-grant-read",
        "x-amz-server-side-encryption",
        "x-amz-request-payer",
        "x-amz-meta-a",
        "content-type",
    ] {
        let get = |h: &[(String, String)]| h.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        assert_eq!(get(&ours_h), get(&theirs_h), "{name}");
        assert!(get(&ours_h).is_some(), "{name} missing");
    }
}
