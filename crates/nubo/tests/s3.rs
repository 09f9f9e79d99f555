//! The high-level `s3` commands against s3s-fs (which verifies every signature): buckets, listings
//! compared with the Python CLI, uploads and downloads (single, recursive, multipart), filters, sync
//! in both directions, rm, mv, dry runs, and a failed download that must leave no partial file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, s3_sandbox, s3_url, stderr_of, stdout_of};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A bucket name unique to this test run.
fn bucket(tag: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("s3cmd-{tag}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// A sandbox pointed at s3s-fs, its current directory a fresh work folder, with the bucket made.
fn setup(tag: &str) -> (Sandbox, tempfile::TempDir, String) {
    let mut sb = s3_sandbox(None);
    sb.set_env("AWS_ENDPOINT_URL", &s3_url());
    let work = tempfile::tempdir().unwrap();
    let b = bucket(tag);
    let out = sb.nubo().args(["s3", "mb", &format!("s3://{b}")]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out), format!("make_bucket: {b}\n"));
    (sb, work, b)
}

/// Runs nubo in `dir`; returns (exit code, stdout lines sorted, stderr).
fn run(sb: &Sandbox, dir: &Path, args: &[&str]) -> (i32, Vec<String>, String) {
    let out = sb.nubo().current_dir(dir).args(args).output().unwrap();
    let mut lines: Vec<String> = stdout_of(&out).lines().map(str::to_string).collect();
    lines.sort();
    (out.status.code().unwrap_or(-1), lines, stderr_of(&out))
}

fn write(dir: &Path, rel: &str, data: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, data).unwrap();
}

/// Keys of the bucket, as `ls --recursive` shows them.
fn keys(sb: &Sandbox, dir: &Path, b: &str) -> Vec<String> {
    let (code, lines, err) = run(sb, dir, &["s3", "ls", &format!("s3://{b}"), "--recursive"]);
    assert_eq!(code, 0, "{err}");
    let mut k: Vec<String> = lines.iter().filter_map(|l| l.get(31..)).map(str::to_string).collect();
    k.sort();
    k
}

/// The Python CLI's output for the same command; the reference must be there and succeed.
fn aws_stdout(sb: &Sandbox, dir: &Path, args: &[&str]) -> String {
    std::env::var("NUBO_TEST_AWS_CLI")
        .expect("NUBO_TEST_AWS_CLI is not set: run the tests through scripts/test");
    let url = s3_url();
    let mut all = vec!["--endpoint-url", url.as_str()];
    all.extend_from_slice(args);
    let out = sb.aws().current_dir(dir).args(&all).output().expect("the Python AWS CLI runs");
    assert!(out.status.success(), "the Python AWS CLI failed on {args:?}: {}", stderr_of(&out));
    stdout_of(&out)
}

#[test]
fn mb_ls_rb_and_ls_formats_match_the_cli() {
    let (sb, work, b) = setup("ls");
    let dir = work.path();
    write(dir, "d/a.txt", b"hello");
    write(dir, "d/sub/b.txt", &[7u8; 3000]);
    write(dir, "d/one", b"x");
    let (code, lines, err) = run(&sb, dir, &["s3", "cp", "d", &format!("s3://{b}/top"), "--recursive"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        lines,
        [
            format!("upload: d/a.txt to s3://{b}/top/a.txt"),
            format!("upload: d/one to s3://{b}/top/one"),
            format!("upload: d/sub/b.txt to s3://{b}/top/sub/b.txt"),
        ]
    );
    // Buckets, one level, a prefix level, recursive with sizes and the summary.
    let listings: [Vec<String>; 4] = [
        vec!["s3".into(), "ls".into()],
        vec!["s3".into(), "ls".into(), format!("s3://{b}")],
        vec!["s3".into(), "ls".into(), format!("s3://{b}/top/")],
        vec![
            "s3".into(),
            "ls".into(),
            format!("s3://{b}"),
            "--recursive".into(),
            "--human-readable".into(),
            "--summarize".into(),
        ],
    ];
    for args in &listings {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = sb.nubo().current_dir(dir).args(&args).output().unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
        let ours = stdout_of(&out);
        let theirs = aws_stdout(&sb, dir, &args);
        // The bucket listing sees the buckets other tests make and remove meanwhile: compare ours.
        let mine = |t: &str| -> String {
            t.lines().filter(|l| args != ["s3", "ls"] || l.contains(&b)).map(|l| format!("{l}\n")).collect()
        };
        assert_eq!(mine(&ours), mine(&theirs), "{args:?}");
    }
    let out = sb.nubo().args(["s3", "ls", &format!("s3://{b}/top/")]).output().unwrap();
    let text = stdout_of(&out);
    assert!(text.contains("                           PRE sub/\n"), "{text}");
    assert!(text.lines().any(|l| l.len() == 19 + 1 + 10 + 1 + 5 && l.ends_with("     5 a.txt")), "{text}");
    let out = sb
        .nubo()
        .args(["s3", "ls", &format!("s3://{b}"), "--recursive", "--human-readable", "--summarize"])
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(text.contains("    5 Bytes top/a.txt") && text.contains("2.9 KiB top/sub/b.txt"), "{text}");
    assert!(text.ends_with("\nTotal Objects: 3\n   Total Size: 2.9 KiB\n"), "{text}");
    // A prefix with nothing under it exits 1.
    let (code, _, _) = run(&sb, dir, &["s3", "ls", &format!("s3://{b}/nothing-here")]);
    assert_eq!(code, 1);
    let (code, lines, err) = run(&sb, dir, &["s3", "rb", &format!("s3://{b}"), "--force"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines.last().unwrap(), &format!("remove_bucket: {b}"));
    let (_, lines, _) = run(&sb, dir, &["s3", "ls"]);
    assert!(!lines.iter().any(|l| l.ends_with(&format!(" {b}"))));
}

#[test]
fn cp_single_and_recursive_with_multipart() {
    let (sb, work, b) = setup("cp");
    let dir = work.path();
    let out = sb.nubo().args(["configure", "set", "default.s3.multipart_threshold", "5MB"]).output().unwrap();
    assert!(out.status.success());
    sb.nubo().args(["configure", "set", "default.s3.multipart_chunksize", "5MB"]).output().unwrap();
    let big: Vec<u8> = (0..12_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    write(dir, "up/big.bin", &big);
    write(dir, "up/small.txt", b"small");
    write(dir, "one.txt", b"just one");
    // Single file: to a bucket "directory", then to an explicit key.
    let (code, lines, err) = run(&sb, dir, &["s3", "cp", "one.txt", &format!("s3://{b}/")]);
    assert_eq!((code, lines), (0, vec![format!("upload: ./one.txt to s3://{b}/one.txt")]), "{err}");
    let (code, lines, _) = run(&sb, dir, &["s3", "cp", "one.txt", &format!("s3://{b}/renamed.txt")]);
    assert_eq!((code, lines), (0, vec![format!("upload: ./one.txt to s3://{b}/renamed.txt")]));
    // Recursive, with a multipart-sized file.
    let (code, lines, err) = run(&sb, dir, &["s3", "cp", "up", &format!("s3://{b}/data/"), "--recursive"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        lines,
        [
            format!("upload: up/big.bin to s3://{b}/data/big.bin"),
            format!("upload: up/small.txt to s3://{b}/data/small.txt")
        ]
    );
    let out =
        sb.nubo().args(["s3api", "head-object", "--bucket", &b, "--key", "data/big.bin"]).output().unwrap();
    let head: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(head["ETag"].as_str().unwrap().ends_with("-3\""), "multipart upload expected: {head}");
    assert_eq!(head["ContentLength"], 12_000_000);
    let out =
        sb.nubo().args(["s3api", "head-object", "--bucket", &b, "--key", "data/small.txt"]).output().unwrap();
    let head: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(head["ContentType"], "text/plain");
    // Download: single file, then recursive (multipart download by ranges).
    let (code, lines, err) = run(&sb, dir, &["s3", "cp", &format!("s3://{b}/data/big.bin"), "got.bin"]);
    assert_eq!((code, lines), (0, vec![format!("download: s3://{b}/data/big.bin to ./got.bin")]), "{err}");
    assert!(std::fs::read(dir.join("got.bin")).unwrap() == big);
    let (code, lines, err) = run(&sb, dir, &["s3", "cp", &format!("s3://{b}/data"), "down", "--recursive"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines.len(), 2);
    assert!(std::fs::read(dir.join("down/big.bin")).unwrap() == big);
    assert_eq!(std::fs::read(dir.join("down/small.txt")).unwrap(), b"small");
    // S3 to S3, with metadata and a content type.
    let (code, lines, err) = run(
        &sb,
        dir,
        &[
            "s3",
            "cp",
            &format!("s3://{b}/one.txt"),
            &format!("s3://{b}/copy/one.txt"),
            "--content-type",
            "text/x-test",
            "--metadata",
            "k=v",
        ],
    );
    assert_eq!((code, lines), (0, vec![format!("copy: s3://{b}/one.txt to s3://{b}/copy/one.txt")]), "{err}");
    let out =
        sb.nubo().args(["s3api", "head-object", "--bucket", &b, "--key", "copy/one.txt"]).output().unwrap();
    let head: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(head["ContentType"], "text/x-test");
    assert_eq!(head["Metadata"]["k"], "v");
    // A missing source.
    let (code, _, err) = run(&sb, dir, &["s3", "cp", &format!("s3://{b}/missing"), "x"]);
    assert_eq!(code, 1);
    assert!(err.contains("fatal error: An error occurred (404)"), "{err}");
    let (code, _, err) = run(&sb, dir, &["s3", "cp", "no-such-file", &format!("s3://{b}/")]);
    assert_eq!(code, 255);
    assert!(err.contains("The user-provided path no-such-file does not exist."), "{err}");
}

#[test]
fn filters_dryrun_rm_and_mv() {
    let (sb, work, b) = setup("flt");
    let dir = work.path();
    for f in ["src/a.txt", "src/b.log", "src/sub/c.txt", "src/sub/d.bin"] {
        write(dir, f, f.as_bytes());
    }
    let dest = format!("s3://{b}/");
    let (code, lines, _) = run(
        &sb,
        dir,
        &["s3", "cp", "src", &dest, "--recursive", "--exclude", "*", "--include", "*.txt", "--dryrun"],
    );
    assert_eq!(
        (code, lines),
        (
            0,
            vec![
                format!("(dryrun) upload: src/a.txt to s3://{b}/a.txt"),
                format!("(dryrun) upload: src/sub/c.txt to s3://{b}/sub/c.txt")
            ]
        )
    );
    assert!(keys(&sb, dir, &b).is_empty());
    let (code, _, _) =
        run(&sb, dir, &["s3", "cp", "src", &dest, "--recursive", "--exclude", "*", "--include", "*.txt"]);
    assert_eq!(code, 0);
    assert_eq!(keys(&sb, dir, &b), ["a.txt", "sub/c.txt"]);
    let (code, _, _) =
        run(&sb, dir, &["s3", "cp", "src", &dest, "--recursive", "--exclude", "sub/*", "--quiet"]);
    assert_eq!(code, 0);
    assert_eq!(keys(&sb, dir, &b), ["a.txt", "b.log", "sub/c.txt"]);
    // mv: local to S3 removes the local file; S3 to S3 removes the source object.
    let (code, lines, _) = run(&sb, dir, &["s3", "mv", "src/sub/d.bin", &format!("s3://{b}/moved/d.bin")]);
    assert_eq!((code, lines), (0, vec![format!("move: src/sub/d.bin to s3://{b}/moved/d.bin")]));
    assert!(!dir.join("src/sub/d.bin").exists());
    let (code, lines, _) =
        run(&sb, dir, &["s3", "mv", &format!("s3://{b}/b.log"), &format!("s3://{b}/moved/b.log")]);
    assert_eq!((code, lines), (0, vec![format!("move: s3://{b}/b.log to s3://{b}/moved/b.log")]));
    assert_eq!(keys(&sb, dir, &b), ["a.txt", "moved/b.log", "moved/d.bin", "sub/c.txt"]);
    // rm: dry run, one key, then recursive with a filter.
    let (_, lines, _) = run(&sb, dir, &["s3", "rm", &format!("s3://{b}/a.txt"), "--dryrun"]);
    assert_eq!(lines, [format!("(dryrun) delete: s3://{b}/a.txt")]);
    let (code, lines, _) = run(&sb, dir, &["s3", "rm", &format!("s3://{b}/a.txt")]);
    assert_eq!((code, lines), (0, vec![format!("delete: s3://{b}/a.txt")]));
    let (code, lines, _) =
        run(&sb, dir, &["s3", "rm", &format!("s3://{b}/moved"), "--recursive", "--exclude", "*.bin"]);
    assert_eq!((code, lines), (0, vec![format!("delete: s3://{b}/moved/b.log")]));
    let (code, _, _) = run(&sb, dir, &["s3", "rm", &dest, "--recursive"]);
    assert_eq!(code, 0);
    assert!(keys(&sb, dir, &b).is_empty());
    sb.nubo().args(["s3", "rb", &format!("s3://{b}")]).assert().success();
}

#[test]
fn sync_both_ways_with_delete() {
    let (sb, work, b) = setup("sync");
    let dir = work.path();
    for f in ["l/a.txt", "l/sub/b.txt", "l/keep.tmp"] {
        write(dir, f, f.as_bytes());
    }
    let dest = format!("s3://{b}/s");
    let (code, lines, err) = run(&sb, dir, &["s3", "sync", "l", &dest, "--exclude", "*.tmp"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        lines,
        [
            format!("upload: l/a.txt to s3://{b}/s/a.txt"),
            format!("upload: l/sub/b.txt to s3://{b}/s/sub/b.txt")
        ]
    );
    // Nothing changed: nothing to do.
    let (code, lines, _) = run(&sb, dir, &["s3", "sync", "l", &dest, "--exclude", "*.tmp"]);
    assert_eq!((code, lines), (0, Vec::<String>::new()));
    // A changed size, a new file and a deleted one.
    write(dir, "l/a.txt", b"longer content");
    write(dir, "l/new.txt", b"n");
    std::fs::remove_file(dir.join("l/sub/b.txt")).unwrap();
    let (code, lines, _) = run(&sb, dir, &["s3", "sync", "l", &dest, "--exclude", "*.tmp", "--delete"]);
    assert_eq!(code, 0);
    assert_eq!(
        lines,
        [
            format!("delete: s3://{b}/s/sub/b.txt"),
            format!("upload: l/a.txt to s3://{b}/s/a.txt"),
            format!("upload: l/new.txt to s3://{b}/s/new.txt"),
        ]
    );
    assert_eq!(keys(&sb, dir, &b), ["s/a.txt", "s/new.txt"]);
    // Down: into a fresh folder, again (no-op), then --delete removes a local extra.
    let (code, lines, err) = run(&sb, dir, &["s3", "sync", &dest, "r"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        lines,
        [
            format!("download: s3://{b}/s/a.txt to r/a.txt"),
            format!("download: s3://{b}/s/new.txt to r/new.txt")
        ]
    );
    assert_eq!(std::fs::read(dir.join("r/a.txt")).unwrap(), b"longer content");
    let (code, lines, _) = run(&sb, dir, &["s3", "sync", &dest, "r"]);
    assert_eq!((code, lines), (0, Vec::<String>::new()));
    write(dir, "r/extra/x.txt", b"x");
    let (code, lines, _) = run(&sb, dir, &["s3", "sync", &dest, "r", "--delete", "--dryrun"]);
    assert_eq!((code, lines), (0, vec!["(dryrun) delete: r/extra/x.txt".to_string()]));
    assert!(dir.join("r/extra/x.txt").exists());
    let (code, lines, _) = run(&sb, dir, &["s3", "sync", &dest, "r", "--delete"]);
    assert_eq!((code, lines), (0, vec!["delete: r/extra/x.txt".to_string()]));
    assert!(!dir.join("r/extra/x.txt").exists());
    // --size-only ignores a newer local file of the same size.
    write(dir, "r/new.txt", b"m");
    let (code, lines, _) = run(&sb, dir, &["s3", "sync", "r", &dest, "--size-only"]);
    assert_eq!((code, lines), (0, Vec::<String>::new()));
}

/// A server that answers HEAD with a 100-byte object and GET with only 10 bytes of it: then it closes
/// the connection (`stall == false`) or keeps it open without sending more (`stall == true`).
fn short_body_server(stall: bool) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let mut byte = [0u8; 1];
                while !buf.ends_with(b"\r\n\r\n") {
                    match s.read(&mut byte) {
                        Ok(1) => buf.push(byte[0]),
                        _ => return,
                    }
                }
                let head = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nLast-Modified: Mon, 01 Jan 2024 00:00:00 GMT\r\nETag: \"x\"\r\n";
                let _ = s.write_all(head);
                let _ = s.write_all(if stall {
                    b"\r\n".as_slice()
                } else {
                    b"Connection: close\r\n\r\n".as_slice()
                });
                if buf.starts_with(b"GET") {
                    let _ = s.write_all(b"0123456789");
                    let _ = s.flush();
                    if stall {
                        std::thread::sleep(std::time::Duration::from_secs(20));
                    }
                }
                let _ = s.flush();
            });
        }
    });
    format!("http://{addr}")
}

#[test]
fn an_interrupted_download_leaves_no_partial_file() {
    let work = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("nubo"))
        .env_clear()
        .env("HOME", home.path())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", short_body_server(true))
        .current_dir(work.path())
        .args(["s3", "cp", "s3://bkt/obj", "out.bin"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the temporary file exists, then interrupt.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::fs::read_dir(work.path()).unwrap().next().is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let left: Vec<_> = std::fs::read_dir(work.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_failed_download_leaves_no_partial_file() {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .set_env("AWS_SECRET_ACCESS_KEY", "secret")
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("AWS_MAX_ATTEMPTS", "1")
        .set_env("AWS_ENDPOINT_URL", &short_body_server(false));
    let work = tempfile::tempdir().unwrap();
    let out =
        sb.nubo().current_dir(work.path()).args(["s3", "cp", "s3://bkt/obj", "out.bin"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("download failed: s3://bkt/obj to ./out.bin"), "{}", stderr_of(&out));
    let left: Vec<_> = std::fs::read_dir(work.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn usage_errors_exit_252() {
    let sb = s3_sandbox(None);
    for args in [
        vec!["s3", "cp", "only-one"],
        vec!["s3", "bogus"],
        vec!["s3", "ls", "--no-such-option"],
        vec!["s3", "cp", "a", "b"],
        vec!["s3", "mb", "not-an-s3-path"],
    ] {
        let out = sb.nubo().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(252), "{args:?}: {}", stderr_of(&out));
    }
}

#[test]
fn streams_and_multipart_copy() {
    let (sb, work, b) = setup("strm");
    let dir = work.path();
    sb.nubo().args(["configure", "set", "default.s3.multipart_threshold", "5MB"]).assert().success();
    let big: Vec<u8> = (0..11_000_000u32).map(|i| (i.wrapping_mul(40_503) >> 7) as u8).collect();
    // Standard input up: multipart above the threshold, one PutObject below; nothing printed.
    let out = sb
        .nubo()
        .args(["s3", "cp", "-", &format!("s3://{b}/big.bin")])
        .write_stdin(big.clone())
        .output()
        .unwrap();
    assert_eq!((out.status.code(), stdout_of(&out)), (Some(0), String::new()), "{}", stderr_of(&out));
    let out = sb
        .nubo()
        .args(["s3", "cp", "-", &format!("s3://{b}/small.txt")])
        .write_stdin("tiny")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = sb.nubo().args(["s3api", "head-object", "--bucket", &b, "--key", "big.bin"]).output().unwrap();
    let head: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(head["ETag"].as_str().unwrap().contains('-'), "{head}");
    // Down to standard output.
    let out = sb.nubo().args(["s3", "cp", &format!("s3://{b}/big.bin"), "-"]).output().unwrap();
    assert!(out.status.success() && out.stdout == big, "{}", stderr_of(&out));
    let out = sb.nubo().args(["s3", "cp", &format!("s3://{b}/small.txt"), "-"]).output().unwrap();
    assert_eq!(out.stdout, b"tiny");
    // A copy above the threshold goes by UploadPartCopy.
    let (code, lines, err) =
        run(&sb, dir, &["s3", "cp", &format!("s3://{b}/big.bin"), &format!("s3://{b}/copy.bin")]);
    assert_eq!((code, lines), (0, vec![format!("copy: s3://{b}/big.bin to s3://{b}/copy.bin")]), "{err}");
    let out = sb.nubo().args(["s3", "cp", &format!("s3://{b}/copy.bin"), "-"]).output().unwrap();
    assert!(out.stdout == big);
    let out = sb.nubo().args(["s3", "cp", &format!("s3://{b}/missing"), "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains(&format!("download failed: s3://{b}/missing to - ")),
        "{}",
        stderr_of(&out)
    );
    // Keys with spaces and non-ASCII characters, there and back.
    write(dir, "u/a b/ü.txt", b"unicode");
    let (code, lines, err) = run(&sb, dir, &["s3", "sync", "u", &format!("s3://{b}/u")]);
    assert_eq!((code, lines), (0, vec![format!("upload: u/a b/ü.txt to s3://{b}/u/a b/ü.txt")]), "{err}");
    let (code, _, err) = run(&sb, dir, &["s3", "sync", &format!("s3://{b}/u"), "u2"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(dir.join("u2/a b/ü.txt")).unwrap(), b"unicode");
}

#[test]
fn website_configures_the_bucket() {
    let moto = std::env::var("NUBO_TEST_MOTO_URL")
        .expect("NUBO_TEST_MOTO_URL is not set: run the tests through scripts/test");
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "testing")
        .set_env("AWS_SECRET_ACCESS_KEY", "testing")
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("AWS_ENDPOINT_URL", &moto);
    let b = bucket("web");
    sb.nubo().args(["s3", "mb", &format!("s3://{b}")]).assert().success();
    let out = sb
        .nubo()
        .args([
            "s3",
            "website",
            &format!("s3://{b}"),
            "--index-document",
            "index.html",
            "--error-document",
            "e.html",
        ])
        .output()
        .unwrap();
    assert_eq!((out.status.code(), stdout_of(&out)), (Some(0), String::new()), "{}", stderr_of(&out));
    let out = sb.nubo().args(["s3api", "get-bucket-website", "--bucket", &b]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["IndexDocument"]["Suffix"], "index.html");
    assert_eq!(v["ErrorDocument"]["Key"], "e.html");
    // Archived objects are skipped (exit 2) unless the warning is turned off.
    let work = tempfile::tempdir().unwrap();
    write(work.path(), "cold.txt", b"cold");
    let (code, lines, err) = run(
        &sb,
        work.path(),
        &["s3", "cp", "cold.txt", &format!("s3://{b}/c/cold.txt"), "--storage-class", "GLACIER"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines, [format!("upload: ./cold.txt to s3://{b}/c/cold.txt")]);
    let (code, lines, err) =
        run(&sb, work.path(), &["s3", "cp", &format!("s3://{b}/c"), "down", "--recursive"]);
    assert_eq!((code, lines.len()), (2, 0), "{err}");
    assert!(err.contains("Object is of storage class GLACIER"), "{err}");
    let (code, _, err) = run(
        &sb,
        work.path(),
        &["s3", "cp", &format!("s3://{b}/c"), "down", "--recursive", "--ignore-glacier-warnings"],
    );
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(!work.path().join("down").exists());
}
