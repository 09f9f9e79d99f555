//! `s3 cp`, `s3 mv`, `s3 rm` and `s3 sync`: list the source (and for sync the destination), filter,
//! decide what to do with each file, then run the uploads, downloads, copies and deletes
//! concurrently. Requests in flight are bounded by `max_concurrent_requests` (so memory by that times
//! the part size); large files go in parts; a download is written to a temporary file beside its
//! destination and renamed only when complete; a failed multipart upload is aborted.

use crate::args::Opts;
use crate::filter;
use crate::fmt::{self, Printer};
use crate::ls::split_s3;
use crate::params::RequestArgs;
use crate::progress::Progress;
use crate::{Error, S3Client, TransferConfig, exit};
use futures_util::stream::{self, StreamExt};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};
use time::OffsetDateTime;
use tokio::sync::Semaphore;

/// Where a file lives.
#[derive(Debug, Clone)]
enum Loc {
    Local(PathBuf),
    S3 { bucket: String, key: String },
}

impl Loc {
    fn parse(path: &str) -> Loc {
        if path.starts_with("s3://") {
            let (bucket, key) = split_s3(path);
            Loc::S3 { bucket, key }
        } else {
            Loc::Local(PathBuf::from(path))
        }
    }

    fn show(&self) -> String {
        match self {
            Loc::Local(p) => fmt::display_local(p),
            Loc::S3 { bucket, key } => format!("s3://{bucket}/{key}"),
        }
    }

    /// This location with `rel` (a `/`-separated relative path) appended.
    fn join(&self, rel: &str) -> Loc {
        match self {
            Loc::Local(p) => {
                let mut p = p.clone();
                for part in rel.split('/').filter(|s| !s.is_empty()) {
                    p.push(part);
                }
                Loc::Local(p)
            }
            Loc::S3 { bucket, key } => Loc::S3 { bucket: bucket.clone(), key: format!("{key}{rel}") },
        }
    }
}

/// One file found at the source or destination.
#[derive(Debug, Clone)]
struct Item {
    loc: Loc,
    /// The path relative to the root, `/`-separated.
    rel: String,
    size: u64,
    /// Last modification, whole seconds.
    mtime: i64,
    /// An S3 object in an archive storage class (GLACIER, DEEP_ARCHIVE) that must be restored first.
    archived: bool,
}

enum Action {
    Transfer { src: Item, dest: Loc },
    Delete(Loc),
}

/// What the transfers share.
struct Engine<'a> {
    c: &'a S3Client<'a>,
    cfg: TransferConfig,
    permits: Semaphore,
    args: RequestArgs,
    progress: Progress,
    bandwidth: Option<Bandwidth>,
    guess_type: bool,
    is_move: bool,
    /// The checksum uploads name in `ChecksumAlgorithm` (CLI v2: CRC64NVME unless
    /// `request_checksum_calculation = when_required`).
    checksum: Option<nubo_client::checksum::Algorithm>,
}

impl<'a> Engine<'a> {
    fn new(c: &'a S3Client<'a>, cfg: TransferConfig, o: &Opts, command: &str) -> Result<Engine<'a>, Error> {
        Ok(Engine {
            c,
            cfg,
            permits: Semaphore::new(cfg.max_concurrent_requests),
            args: RequestArgs::from_opts(o)?,
            progress: Progress::new(
                !(o.flag("--quiet")
                    || o.flag("--only-show-errors")
                    || o.flag("--no-progress")
                    || o.flag("--dryrun")),
            ),
            bandwidth: cfg.max_bandwidth.map(Bandwidth::new),
            guess_type: !o.flag("--no-guess-mime-type") && o.value("--content-type").is_none(),
            is_move: command == "mv",
            checksum: match o.value("--checksum-algorithm") {
                Some(name) => nubo_client::checksum::Algorithm::parse(name),
                None => c.session.endpoint_config(&c.service)?.checksums.upload_algorithm(),
            },
        })
    }
}

/// `cp - s3://bucket/key` (standard input up) and `cp s3://bucket/key -` (down to standard output).
/// Like the CLI, only errors are printed.
async fn stream_cp(c: &S3Client<'_>, cfg: TransferConfig, o: &Opts, out: &Printer) -> Result<i32, Error> {
    let engine = Engine::new(c, cfg, o, "cp")?;
    let (src, dest) = (Loc::parse(&o.paths[0]), Loc::parse(&o.paths[1]));
    let (result, line) = match (&src, &dest) {
        (Loc::Local(p), Loc::S3 { bucket, key }) if p.as_os_str() == "-" => {
            if key.is_empty() || key.ends_with('/') {
                return Err(Error::Usage("Streaming currently is only compatible with non-recursive cp commands and needs an object key".into()));
            }
            let expected = match o.value("--expected-size") {
                Some(v) => Some(
                    v.parse::<u64>().map_err(|_| Error::Usage(format!("invalid --expected-size: {v}")))?,
                ),
                None => None,
            };
            if out.dryrun {
                return Ok(exit::OK);
            }
            (
                engine.upload_stream(bucket, key, expected).await,
                format!("upload failed: - to {}", dest.show()),
            )
        }
        (Loc::S3 { bucket, key }, Loc::Local(p)) if p.as_os_str() == "-" => {
            if out.dryrun {
                return Ok(exit::OK);
            }
            let mut stdout = std::io::stdout().lock();
            let input = json!({"Bucket": bucket, "Key": key});
            let r = c.get_with(&input, |chunk| std::io::Write::write_all(&mut stdout, chunk)).await;
            let r = r.and_then(|_| std::io::Write::flush(&mut stdout).map_err(io_err));
            (r, format!("download failed: {} to -", src.show()))
        }
        _ => return Err(Error::Usage("<LocalPath> <LocalPath>\nError: Invalid argument type".into())),
    };
    match result {
        Ok(()) => Ok(exit::OK),
        Err(e) => {
            out.error(&format!("{line} {e}"));
            Ok(exit::FAILED)
        }
    }
}

fn io_err(e: std::io::Error) -> Error {
    Error::Other(e.to_string())
}

/// Runs `cp`, `mv`, `rm` or `sync`.
pub async fn run(
    c: &S3Client<'_>,
    cfg: TransferConfig,
    command: &str,
    o: &Opts,
    out: &Printer,
) -> Result<i32, Error> {
    if command == "cp" && o.paths.iter().any(|p| p == "-") {
        return stream_cp(c, cfg, o, out).await;
    }
    let recursive = o.flag("--recursive") || command == "sync";
    let follow = !o.flag("--no-follow-symlinks");
    let page_size = match o.value("--page-size") {
        Some(v) => Some(v.parse::<i64>().map_err(|_| Error::Usage(format!("invalid --page-size: {v}")))?),
        None => None,
    };
    let src = Loc::parse(&o.paths[0]);
    let dest = o.paths.get(1).map(|p| Loc::parse(p));
    if let Some(d) = &dest
        && matches!((&src, d), (Loc::Local(_), Loc::Local(_)))
    {
        return Err(Error::Usage("<LocalPath> <LocalPath>\nError: Invalid argument type".into()));
    }
    if command == "rm" && matches!(src, Loc::Local(_)) {
        return Err(Error::Usage("<S3Uri>\nError: Invalid argument type".into()));
    }
    if recursive
        && let Loc::Local(p) = &src
        && !p.is_dir()
    {
        return Err(Error::Other(format!("The user-provided path {} does not exist.", p.display())));
    }
    let rargs = RequestArgs::from_opts(o)?;
    let head_op = if matches!(dest, Some(Loc::S3 { .. })) { "HeadSource" } else { "HeadObject" };
    let mut warnings = 0usize;
    let src_root = if recursive { dir_root(&src) } else { src.clone() };
    // The source files.
    let items = if recursive {
        match &src_root {
            Loc::Local(p) => list_local(p, follow, out, &mut warnings),
            Loc::S3 { bucket, key } => match list_s3(c, bucket, key, page_size, &rargs).await {
                Ok(v) => v,
                Err(e) => return fatal(out, e),
            },
        }
    } else {
        match single(c, &src, command, &rargs, head_op).await {
            Ok(i) => vec![i],
            Err(Error::Usage(m)) => return Err(Error::Usage(m)),
            Err(Error::Other(m)) if m.starts_with("The user-provided path") => return Err(Error::Other(m)),
            Err(e) => return fatal(out, e),
        }
    };
    let downloading = matches!(dest, Some(Loc::Local(_)));
    let items: Vec<Item> = items
        .into_iter()
        .filter(|i| filter::included(&o.filters, &i.rel))
        .filter(|i| !(downloading && recursive && i.rel.ends_with('/')))
        .filter(|i| {
            let escapes = downloading && recursive && i.rel.split('/').any(|p| p == "..");
            if escapes {
                warnings += 1;
                out.error(&format!(
                    "warning: Skipping file {}. File references a parent directory.",
                    i.loc.show()
                ));
            }
            !escapes
        })
        .collect();
    // Archived objects cannot be read until restored: skipped with a warning, as the CLI does.
    let items: Vec<Item> = if dest.is_some() && !o.flag("--force-glacier-transfer") {
        items
            .into_iter()
            .filter(|i| {
                if !i.archived {
                    return true;
                }
                if !o.flag("--ignore-glacier-warnings") {
                    warnings += 1;
                    let op = if downloading { "download" } else { "copy" };
                    out.error(&format!(
                        "warning: Skipping file {}. Object is of storage class GLACIER. Unable to perform {op} operations on GLACIER objects. You must restore the object to be able to perform the operation. See aws s3 {op} help for additional parameter options to ignore or force these transfers.",
                        i.loc.show()
                    ));
                }
                false
            })
            .collect()
    } else {
        items
    };
    let mut actions = Vec::new();
    match (&dest, command) {
        (None, _) => actions.extend(items.into_iter().map(|i| Action::Delete(i.loc))),
        (Some(d), "sync") => {
            let dest_root = dir_root(d);
            let existing = match &dest_root {
                Loc::Local(p) => list_local(p, follow, &Printer::new(&Opts::default()), &mut 0),
                Loc::S3 { bucket, key } => match list_s3(c, bucket, key, page_size, &rargs).await {
                    Ok(v) => v,
                    Err(e) => return fatal(out, e),
                },
            };
            let mut at_dest: BTreeMap<String, Item> = existing
                .into_iter()
                .filter(|i| filter::included(&o.filters, &i.rel))
                .map(|i| (i.rel.clone(), i))
                .collect();
            for src_item in items {
                let dest_loc = dest_root.join(&src_item.rel);
                match at_dest.remove(&src_item.rel) {
                    Some(d_item) if !should_sync(o, &src_item, &d_item, downloading) => {}
                    _ => actions.push(Action::Transfer { src: src_item, dest: dest_loc }),
                }
            }
            if o.flag("--delete") {
                actions.extend(at_dest.into_values().map(|i| Action::Delete(i.loc)));
            }
        }
        (Some(d), _) => {
            for i in items {
                let target = if recursive { dir_root(d).join(&i.rel) } else { single_dest(d, &i) };
                actions.push(Action::Transfer { src: i, dest: target });
            }
        }
    }
    let engine = Engine::new(c, cfg, o, command)?;
    for a in &actions {
        if let Action::Transfer { src, .. } = a {
            engine.progress.queue(src.size);
        }
    }
    let verb = if command == "mv" { "move" } else { "" };
    let engine = &engine;
    let credentials_error = std::sync::Mutex::new(None);
    let kept = &credentials_error;
    let stop = std::sync::atomic::AtomicBool::new(false);
    let work = stream::iter(actions)
        .map(|a| async move {
            match a {
                Action::Delete(loc) => {
                    let shown = loc.show();
                    if out.dryrun {
                        out.done(&format!("delete: {shown}"));
                        return true;
                    }
                    match engine.delete(&loc).await {
                        Ok(()) => {
                            out.done(&format!("delete: {shown}"));
                            true
                        }
                        Err(e) => {
                            out.error(&format!("delete failed: {shown} {e}"));
                            keep_credentials_error(kept, e);
                            false
                        }
                    }
                }
                Action::Transfer { src, dest } => {
                    let kind = match (&src.loc, &dest) {
                        (Loc::Local(_), _) => "upload",
                        (_, Loc::Local(_)) => "download",
                        _ => "copy",
                    };
                    let kind = if verb.is_empty() { kind } else { verb };
                    let line = format!("{kind}: {} to {}", src.loc.show(), dest.show());
                    if out.dryrun {
                        out.done(&line);
                        return true;
                    }
                    let result = engine.transfer(&src, &dest).await;
                    engine.progress.finish_file();
                    engine.progress.clear();
                    match result {
                        Ok(()) => {
                            out.done(&line);
                            true
                        }
                        Err(e) => {
                            out.error(&format!("{kind} failed: {} to {} {e}", src.loc.show(), dest.show()));
                            keep_credentials_error(kept, e);
                            false
                        }
                    }
                }
            }
        })
        .buffer_unordered(cfg.max_concurrent_requests)
        .collect::<Vec<bool>>();
    let work = async {
        let r = work.await;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        r
    };
    let (results, ()) = futures_util::future::join(work, engine.progress.run(&stop)).await;
    // Transfers that failed for want of credentials make the command a credentials failure (253).
    if let Some(e) = credentials_error.into_inner().ok().flatten() {
        return Err(e);
    }
    Ok(if results.iter().any(|ok| !ok) {
        exit::FAILED
    } else if warnings > 0 {
        exit::SKIPPED
    } else {
        exit::OK
    })
}

/// A directory-like root: S3 keys and local paths get a trailing `/`.
fn dir_root(loc: &Loc) -> Loc {
    match loc {
        Loc::S3 { bucket, key } if !key.is_empty() && !key.ends_with('/') => {
            Loc::S3 { bucket: bucket.clone(), key: format!("{key}/") }
        }
        other => other.clone(),
    }
}

/// The destination of a single file: the path given, or the file's name inside it when it names a
/// directory (a trailing `/`, an existing local directory, or a bucket).
fn single_dest(dest: &Loc, item: &Item) -> Loc {
    let name = item.rel.rsplit('/').next().unwrap_or(&item.rel).to_string();
    match dest {
        Loc::S3 { key, .. } if key.is_empty() || key.ends_with('/') => dest.join(&name),
        Loc::Local(p) if p.is_dir() || p.to_string_lossy().ends_with('/') => dest.join(&name),
        other => other.clone(),
    }
}

/// The CLI's sync decision for a file present on both sides.
fn should_sync(o: &Opts, src: &Item, dest: &Item, downloading: bool) -> bool {
    if src.size != dest.size {
        return true;
    }
    if o.flag("--size-only") {
        return false;
    }
    let delta = dest.mtime - src.mtime;
    let same = if downloading {
        if o.flag("--exact-timestamps") { delta == 0 } else { delta <= 0 }
    } else {
        delta >= 0
    };
    !same
}

fn secs(t: SystemTime) -> i64 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs_f64().ceil() as i64),
    }
}

/// Every file under `root`, sorted, relative paths `/`-separated.
fn list_local(root: &Path, follow: bool, out: &Printer, warnings: &mut usize) -> Vec<Item> {
    let mut items = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut names: Vec<_> = entries.flatten().collect();
        names.sort_by_key(|e| e.file_name());
        for e in names {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            let r = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
            let meta = if follow { std::fs::metadata(&path) } else { std::fs::symlink_metadata(&path) };
            if !follow && meta.as_ref().is_ok_and(|m| m.file_type().is_symlink()) {
                continue;
            }
            match meta {
                Ok(m) if m.is_dir() => stack.push((path, r)),
                Ok(m) if m.is_file() => items.push(Item {
                    loc: Loc::Local(path),
                    rel: r,
                    size: m.len(),
                    mtime: m.modified().map(secs).unwrap_or(0),
                    archived: false,
                }),
                Ok(_) => {
                    *warnings += 1;
                    out.error(&format!(
                        "warning: Skipping file {}. File is character special device, block special device, FIFO, or socket.",
                        fmt::display_local(&path)
                    ));
                }
                Err(_) => {
                    *warnings += 1;
                    out.error(&format!(
                        "warning: Skipping file {}. File does not exist.",
                        fmt::display_local(&path)
                    ));
                }
            }
        }
    }
    items.sort_by(|a, b| a.rel.cmp(&b.rel));
    items
}

/// Every object under `prefix`.
async fn list_s3(
    c: &S3Client<'_>,
    bucket: &str,
    prefix: &str,
    page_size: Option<i64>,
    rargs: &RequestArgs,
) -> Result<Vec<Item>, Error> {
    let mut items = Vec::new();
    let mut input = json!({"Bucket": bucket, "Prefix": prefix});
    rargs.apply("ListObjectsV2", &mut input);
    if let Some(n) = page_size {
        input["MaxKeys"] = json!(n);
    }
    c.pages("ListObjectsV2", &input, |page| {
        for obj in page.get("Contents").and_then(Value::as_array).into_iter().flatten() {
            let key = obj.get("Key").and_then(Value::as_str).unwrap_or("").to_string();
            let Some(rel) = key.strip_prefix(prefix).map(str::to_string) else { continue };
            if rel.is_empty() {
                continue;
            }
            items.push(Item {
                loc: Loc::S3 { bucket: bucket.to_string(), key },
                rel,
                size: obj.get("Size").and_then(Value::as_u64).unwrap_or(0),
                mtime: obj_time(obj, "LastModified"),
                archived: matches!(
                    obj.get("StorageClass").and_then(Value::as_str),
                    Some("GLACIER" | "DEEP_ARCHIVE")
                ) && obj.get("RestoreStatus").and_then(|r| r.get("RestoreExpiryDate")).is_none(),
            });
        }
        Ok(true)
    })
    .await?;
    Ok(items)
}

fn obj_time(v: &Value, k: &str) -> i64 {
    v.get(k).and_then(Value::as_str).and_then(fmt::parse_time).map_or(0, OffsetDateTime::unix_timestamp)
}

/// The one file a command without `--recursive` works on.
async fn single(
    c: &S3Client<'_>,
    src: &Loc,
    command: &str,
    rargs: &RequestArgs,
    head_op: &str,
) -> Result<Item, Error> {
    match src {
        Loc::Local(p) => {
            let m = std::fs::metadata(p).map_err(|_| {
                Error::Other(format!("The user-provided path {} does not exist.", p.display()))
            })?;
            let rel = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            Ok(Item {
                loc: src.clone(),
                rel,
                size: m.len(),
                mtime: m.modified().map(secs).unwrap_or(0),
                archived: false,
            })
        }
        Loc::S3 { bucket, key } => {
            let rel = key.rsplit('/').next().unwrap_or(key).to_string();
            if command == "rm" {
                return Ok(Item { loc: src.clone(), rel, size: 0, mtime: 0, archived: false });
            }
            if key.is_empty() {
                return Err(Error::Other(format!(
                    "An error occurred (404) when calling the HeadObject operation: Key \"{key}\" does not exist"
                )));
            }
            let mut head_input = json!({"Bucket": bucket, "Key": key});
            // The source of a copy is read with the copy source's SSE-C key.
            rargs.apply(head_op, &mut head_input);
            let head = c.call("HeadObject", &head_input).await.map_err(|e| match e {
                Error::Service(mut f) if f.code == "404" => {
                    f.message = format!("Key \"{key}\" does not exist");
                    Error::Service(f)
                }
                other => other,
            })?;
            let size = head.get("ContentLength").and_then(Value::as_u64).unwrap_or(0);
            Ok(Item {
                loc: src.clone(),
                rel,
                size,
                mtime: obj_time(&head, "LastModified"),
                archived: matches!(
                    head.get("StorageClass").and_then(Value::as_str),
                    Some("GLACIER" | "DEEP_ARCHIVE")
                ) && !head
                    .get("Restore")
                    .and_then(Value::as_str)
                    .is_some_and(|r| r.contains("ongoing-request=\"false\"")),
            })
        }
    }
}

/// A content type from a file's extension, for the common ones.
fn guess_type(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "txt" | "text" | "log" => "text/plain",
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "csv" => "text/csv",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" | "tgz" => "application/gzip",
        "tar" => "application/x-tar",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "ico" => "image/vnd.microsoft.icon",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        "md" => "text/markdown",
        "yaml" | "yml" => "application/yaml",
        _ => return None,
    })
}

fn read_range(path: &Path, offset: u64, len: u64) -> Result<Vec<u8>, Error> {
    let mut f = std::fs::File::open(path).map_err(io_err)?;
    f.seek(SeekFrom::Start(offset)).map_err(io_err)?;
    let mut buf = Vec::with_capacity(len as usize);
    f.take(len).read_to_end(&mut buf).map_err(io_err)?;
    if (buf.len() as u64) != len {
        return Err(Error::Other(format!("{} changed while it was being read", path.display())));
    }
    Ok(buf)
}

/// Tags as the `x-amz-tagging` header carries them: `k=v&k2=v2`, URL-encoded.
fn tagging_header(pairs: &[(String, String)]) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const SET: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    let enc = |s: &str| utf8_percent_encode(s, SET).to_string();
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

/// Percent-encodes a copy source (`bucket/key`), keeping `/`.
fn copy_source(bucket: &str, key: &str) -> String {
    format!("{}/{}", nubo_uri::encode_path(bucket), nubo_uri::encode_path(key))
}

impl Engine<'_> {
    async fn call(&self, op: &str, input: &Value) -> Result<Value, Error> {
        let _permit = self.permits.acquire().await.map_err(|e| Error::Other(e.to_string()))?;
        self.c.call(op, input).await
    }

    /// The input of S3 operation `op` on `bucket/key` with the command line's members for it (and
    /// a content type guessed from `path`'s extension for uploads).
    fn object_input(&self, op: &str, bucket: &str, key: &str, path: Option<&Path>) -> Value {
        let mut input = json!({"Bucket": bucket, "Key": key});
        self.args.apply(op, &mut input);
        if self.guess_type
            && let Some(t) = path.and_then(guess_type)
        {
            input["ContentType"] = json!(t);
        }
        input
    }

    fn add_request_args(&self, input: &mut Value, op: &str) {
        self.args.apply(op, input);
    }

    /// The input of an upload (PutObject, CreateMultipartUpload): the object's input and the
    /// checksum algorithm, as s3transfer sets it.
    fn upload_input(&self, bucket: &str, key: &str, path: Option<&Path>) -> Value {
        let mut input = self.object_input("PutObject", bucket, key, path);
        if let Some(a) = self.checksum
            && input.get("ChecksumAlgorithm").is_none()
        {
            input["ChecksumAlgorithm"] = json!(a.name());
        }
        input
    }

    async fn delete(&self, loc: &Loc) -> Result<(), Error> {
        match loc {
            Loc::Local(p) => std::fs::remove_file(p).map_err(io_err),
            Loc::S3 { bucket, key } => {
                let input = self.object_input("DeleteObject", bucket, key, None);
                self.call("DeleteObject", &input).await.map(drop)
            }
        }
    }

    async fn transfer(&self, src: &Item, dest: &Loc) -> Result<(), Error> {
        match (&src.loc, dest) {
            (Loc::Local(p), Loc::S3 { bucket, key }) => self.upload(p, src.size, bucket, key).await?,
            (Loc::S3 { bucket, key }, Loc::Local(p)) => self.download(bucket, key, src, p).await?,
            (Loc::S3 { bucket: sb, key: sk }, Loc::S3 { bucket, key }) => {
                self.copy(src, sb, sk, bucket, key).await?
            }
            (Loc::Local(_), Loc::Local(_)) => {
                return Err(Error::Other("cannot copy a local file to a local file".into()));
            }
        }
        if self.is_move {
            self.delete(&src.loc).await?;
        }
        Ok(())
    }

    async fn upload(&self, path: &Path, size: u64, bucket: &str, key: &str) -> Result<(), Error> {
        let base = self.upload_input(bucket, key, Some(path));
        if size < self.cfg.multipart_threshold {
            let _permit = self.permits.acquire().await.map_err(|e| Error::Other(e.to_string()))?;
            // Small files are read whole (one read, then hashed and sent from memory); no base64.
            let body = read_range(path, 0, size)?;
            self.throttle(size).await;
            self.progress.add(size);
            return self.c.call_with_payload("PutObject", &base, body.into()).await.map(drop);
        }
        let upload_id = self.create_multipart(&base).await?;
        let part = self.cfg.part_size(size);
        let count = size.div_ceil(part).max(1);
        let parts: Vec<Result<Value, Error>> = stream::iter(0..count)
            .map(|i| {
                let upload_id = &upload_id;
                async move {
                    let _permit = self.permits.acquire().await.map_err(|e| Error::Other(e.to_string()))?;
                    let offset = i * part;
                    self.throttle(part.min(size - offset)).await;
                    let range = nubo_http::FileRange::new(path, offset, part.min(size - offset))
                        .with_progress(self.progress.counter());
                    let (range, sum) = digest_range(range, self.checksum).await?;
                    self.upload_part_with_sum(bucket, key, upload_id, i + 1, range.into(), sum).await
                }
            })
            .buffer_unordered(self.cfg.max_concurrent_requests)
            .collect()
            .await;
        self.finish_multipart(bucket, key, &upload_id, parts).await
    }

    /// Uploads standard input to `bucket/key`: one PutObject when it is smaller than the multipart
    /// threshold, else parts as they are read.
    async fn upload_stream(&self, bucket: &str, key: &str, expected: Option<u64>) -> Result<(), Error> {
        let base = self.upload_input(bucket, key, None);
        let part = expected.map_or(self.cfg.multipart_chunksize, |s| self.cfg.part_size(s)).max(1);
        let mut stdin = std::io::stdin().lock();
        let threshold = self.cfg.multipart_threshold.max(1);
        let mut pending = read_up_to(&mut stdin, threshold)?;
        if (pending.len() as u64) < threshold {
            let _permit = self.permits.acquire().await.map_err(|e| Error::Other(e.to_string()))?;
            return self.c.call_with_payload("PutObject", &base, pending.into()).await.map(drop);
        }
        let upload_id = self.create_multipart(&base).await?;
        let mut inflight = futures_util::stream::FuturesUnordered::new();
        let mut results = Vec::new();
        let (mut number, mut eof) = (0u64, false);
        loop {
            while !eof && (pending.len() as u64) < part {
                match read_up_to(&mut stdin, part - pending.len() as u64) {
                    Ok(more) if more.is_empty() => eof = true,
                    Ok(more) => pending.extend_from_slice(&more),
                    Err(e) => {
                        results.push(Err(e));
                        eof = true;
                        pending.clear();
                    }
                }
            }
            if pending.is_empty() {
                break;
            }
            let take = pending.len().min(part as usize);
            let body: Vec<u8> = pending.drain(..take).collect();
            number += 1;
            inflight.push(self.upload_part(bucket, key, &upload_id, number, body.into()));
            if inflight.len() >= self.cfg.max_concurrent_requests
                && let Some(r) = inflight.next().await
            {
                results.push(r);
            }
        }
        while let Some(r) = inflight.next().await {
            results.push(r);
        }
        self.finish_multipart(bucket, key, &upload_id, results).await
    }

    async fn create_multipart(&self, input: &Value) -> Result<String, Error> {
        let created = self.call("CreateMultipartUpload", input).await?;
        let id = created
            .get("UploadId")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| Error::Other("CreateMultipartUpload returned no UploadId".into()))?;
        let s = |k: &str| input.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        track_upload(&s("Bucket"), &s("Key"), &id, true);
        Ok(id)
    }

    async fn upload_part(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        number: u64,
        body: nubo_http::Body,
    ) -> Result<Value, Error> {
        self.upload_part_with_sum(bucket, key, upload_id, number, body, None).await
    }

    /// [`Engine::upload_part`] with the part's checksum already computed (base64), if it was.
    async fn upload_part_with_sum(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        number: u64,
        body: nubo_http::Body,
        sum: Option<String>,
    ) -> Result<Value, Error> {
        let mut input = json!({"Bucket": bucket, "Key": key, "UploadId": upload_id, "PartNumber": number});
        self.add_request_args(&mut input, "UploadPart");
        if let Some(a) = self.checksum {
            input["ChecksumAlgorithm"] = json!(a.name());
            if let Some(sum) = sum {
                input[a.member().as_str()] = json!(sum);
            }
        }
        let out = self.c.call_with_payload("UploadPart", &input, body).await?;
        let etag = out.get("ETag").cloned().unwrap_or(Value::Null);
        let mut part = json!({"ETag": etag, "PartNumber": number});
        // The part's checksum goes back in CompleteMultipartUpload, as s3transfer sends it; S3
        // derives the object's checksum (full-object for CRC64NVME) from the parts'.
        if let Some(member) = self.checksum.map(|a| a.member())
            && let Some(sum) = out.get(&member)
        {
            part[member.as_str()] = sum.clone();
        }
        Ok(part)
    }

    /// Completes the upload when every part made it, else aborts it.
    async fn finish_multipart(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        parts: Vec<Result<Value, Error>>,
    ) -> Result<(), Error> {
        let mut done = Vec::with_capacity(parts.len());
        let mut failure = None;
        for p in parts {
            match p {
                Ok(v) => done.push(v),
                Err(e) => failure = failure.or(Some(e)),
            }
        }
        let complete = match failure {
            Some(e) => Err(e),
            None => {
                done.sort_by_key(|p| p.get("PartNumber").and_then(Value::as_u64).unwrap_or(0));
                let mut input = json!({"Bucket": bucket, "Key": key, "UploadId": upload_id,
                    "MultipartUpload": {"Parts": done}});
                self.args.apply("CompleteMultipartUpload", &mut input);
                self.call("CompleteMultipartUpload", &input).await.map(drop)
            }
        };
        if complete.is_err() {
            let mut abort = json!({"Bucket": bucket, "Key": key, "UploadId": upload_id});
            self.args.apply("AbortMultipartUpload", &mut abort);
            let _ = self.call("AbortMultipartUpload", &abort).await;
        }
        track_upload(bucket, key, upload_id, false);
        complete
    }

    /// Copies `src` to `bucket/key` inside S3: CopyObject, or UploadPartCopy by ranges for objects
    /// at or above the multipart threshold (keeping the source's content headers and metadata unless
    /// the command line replaces them).
    async fn copy(&self, src: &Item, sb: &str, sk: &str, bucket: &str, key: &str) -> Result<(), Error> {
        let source = copy_source(sb, sk);
        let props = self.args.copy_props.as_str();
        if src.size < self.cfg.multipart_threshold {
            // CopyObject copies metadata and tags itself; `--copy-props` says which to leave behind.
            let mut input = self.object_input("CopyObject", bucket, key, None);
            input["CopySource"] = json!(source);
            if props == "none" && input.get("MetadataDirective").is_none() {
                input["MetadataDirective"] = json!("REPLACE");
            }
            if props != "default" {
                input["TaggingDirective"] = json!("REPLACE");
            }
            return self.call("CopyObject", &input).await.map(drop);
        }
        // A multipart copy starts a new object: its properties and tags are read from the source and
        // set on it, as CLI v2 does.
        let mut input = self.object_input("CreateMultipartUpload", bucket, key, None);
        let head_source = || {
            let mut h = json!({"Bucket": sb, "Key": sk});
            self.args.apply("HeadSource", &mut h);
            h
        };
        if props != "none" && !self.args.replaces_properties() {
            let head = self.call("HeadObject", &head_source()).await?;
            for k in [
                "ContentType",
                "Metadata",
                "CacheControl",
                "ContentDisposition",
                "ContentEncoding",
                "ContentLanguage",
            ] {
                if let Some(v) = head.get(k)
                    && input.get(k).is_none()
                {
                    input[k] = v.clone();
                }
            }
        }
        let mut late_tags = None;
        if props == "default" {
            let mut t = json!({"Bucket": sb, "Key": sk});
            self.args.apply("GetObjectTagging", &mut t);
            // S3-compatible servers without tagging (s3s-fs) answer NotImplemented: no tags to copy.
            let tags = match self.call("GetObjectTagging", &t).await {
                Err(Error::Service(f)) if f.code == "NotImplemented" => json!({}),
                other => other?,
            };
            let set = tags.get("TagSet").cloned().unwrap_or(json!([]));
            let pairs: Vec<(String, String)> = set
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| {
                    let f = |k: &str| t.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                    (f("Key"), f("Value"))
                })
                .collect();
            if !pairs.is_empty() {
                let header = tagging_header(&pairs);
                // S3 takes at most 2 KiB of tags in the header; more are set once the copy is done.
                if header.len() <= 2048 {
                    input["Tagging"] = json!(header);
                } else {
                    late_tags = Some(set);
                }
            }
        }
        let upload_id = self.create_multipart(&input).await?;
        let size = src.size;
        let part = self.cfg.part_size(size);
        let parts: Vec<Result<Value, Error>> = stream::iter(0..size.div_ceil(part))
            .map(|i| {
                let (upload_id, source) = (&upload_id, &source);
                async move {
                    let start = i * part;
                    let end = (start + part).min(size) - 1;
                    let mut input = json!({"Bucket": bucket, "Key": key, "UploadId": upload_id, "PartNumber": i + 1,
                        "CopySource": source, "CopySourceRange": format!("bytes={start}-{end}")});
                    self.args.apply("UploadPartCopy", &mut input);
                    let out = self.call("UploadPartCopy", &input).await?;
                    let etag = out.pointer("/CopyPartResult/ETag").cloned().unwrap_or(Value::Null);
                    Ok(json!({"ETag": etag, "PartNumber": i + 1}))
                }
            })
            .buffer_unordered(self.cfg.max_concurrent_requests)
            .collect()
            .await;
        self.finish_multipart(bucket, key, &upload_id, parts).await?;
        if let Some(set) = late_tags {
            let mut t = json!({"Bucket": bucket, "Key": key, "Tagging": {"TagSet": set}});
            self.args.apply("PutObjectTagging", &mut t);
            self.call("PutObjectTagging", &t).await?;
        }
        Ok(())
    }

    async fn download(&self, bucket: &str, key: &str, src: &Item, dest: &Path) -> Result<(), Error> {
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io_err)?;
        }
        let temp = temp_name(dest);
        let file = std::fs::File::create(&temp).map_err(io_err)?;
        track_partial(&temp, true);
        let file = Mutex::new(file);
        let result = self.fetch(bucket, key, src.size, &file).await;
        drop(file);
        let finish = result.and_then(|_| {
            let f = std::fs::OpenOptions::new().write(true).open(&temp).map_err(io_err)?;
            let t = SystemTime::UNIX_EPOCH + Duration::from_secs(src.mtime.max(0) as u64);
            let _ = f.set_modified(t);
            drop(f);
            std::fs::rename(&temp, dest).map_err(io_err)
        });
        if finish.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        track_partial(&temp, false);
        finish
    }

    async fn fetch(
        &self,
        bucket: &str,
        key: &str,
        size: u64,
        file: &Mutex<std::fs::File>,
    ) -> Result<(), Error> {
        let input = self.object_input("GetObject", bucket, key, None);
        if size < self.cfg.multipart_threshold {
            return self.get_part(&input, None, size, file).await;
        }
        let part = self.cfg.part_size(size);
        let results: Vec<Result<(), Error>> = stream::iter(0..size.div_ceil(part))
            .map(|i| {
                let input = &input;
                async move {
                    let start = i * part;
                    self.get_part(input, Some(start), part.min(size - start), file).await
                }
            })
            .buffer_unordered(self.cfg.max_concurrent_requests)
            .collect()
            .await;
        results.into_iter().collect()
    }

    /// Downloads `len` bytes (the whole object, or the range from `start`) into `file`; a body cut
    /// short is fetched again, up to [`BODY_ATTEMPTS`] times in all (service errors are not).
    async fn get_part(
        &self,
        input: &Value,
        start: Option<u64>,
        len: u64,
        file: &Mutex<std::fs::File>,
    ) -> Result<(), Error> {
        let _permit = self.permits.acquire().await.map_err(|e| Error::Other(e.to_string()))?;
        let mut ranged = input.clone();
        if let Some(s) = start {
            ranged["Range"] = json!(format!("bytes={s}-{}", s + len - 1));
        }
        self.throttle(len).await;
        let mut attempt = 1;
        loop {
            let result = match self.c.get_into(&ranged, file, start.unwrap_or(0)).await {
                Ok(n) if n == len => {
                    self.progress.add(len);
                    return Ok(());
                }
                Ok(n) => Err(Error::Other(format!("expected {len} bytes, got {n}"))),
                Err(e) => Err(e),
            };
            match result {
                Err(Error::Other(_)) if attempt < BODY_ATTEMPTS => attempt += 1,
                other => return other,
            }
        }
    }
}

impl Engine<'_> {
    /// Waits for `max_bandwidth` to allow `bytes` more.
    async fn throttle(&self, bytes: u64) {
        if let Some(b) = &self.bandwidth {
            b.take(bytes).await;
        }
    }
}

/// `max_bandwidth`: a schedule that hands out send slots at the configured rate, all transfers
/// together (each part or small file waits for its turn before it goes).
struct Bandwidth {
    per_second: u64,
    next: Mutex<tokio::time::Instant>,
}

impl Bandwidth {
    fn new(per_second: u64) -> Bandwidth {
        Bandwidth { per_second: per_second.max(1), next: Mutex::new(tokio::time::Instant::now()) }
    }

    async fn take(&self, bytes: u64) {
        let at = {
            let Ok(mut next) = self.next.lock() else { return };
            let at = (*next).max(tokio::time::Instant::now());
            *next = at + Duration::from_secs_f64(bytes as f64 / self.per_second as f64);
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

/// Reads a part once on a blocking thread (the runtime has one thread for the network), computing
/// its SHA-256 for the signature and its checksum in the same pass; the part is then sent from the
/// file without being hashed again.
async fn digest_range(
    range: nubo_http::FileRange,
    algorithm: Option<nubo_client::checksum::Algorithm>,
) -> Result<(nubo_http::FileRange, Option<String>), Error> {
    tokio::task::spawn_blocking(move || {
        use sha2::Digest;
        let mut sha = sha2::Sha256::new();
        let mut sum = algorithm.map(|a| a.hasher());
        range
            .for_each_chunk(|c| {
                sha.update(c);
                if let Some(h) = sum.as_mut() {
                    h.update(c);
                }
            })
            .map_err(io_err)?;
        let hex: String = sha.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let mut range = range;
        range.sha256 = Some(hex);
        Ok((range, sum.map(|h| h.finish_base64())))
    })
    .await
    .map_err(|e| Error::Other(e.to_string()))?
}

/// How many times a download whose body fails part-way is tried.
const BODY_ATTEMPTS: u32 = 3;

/// Reads up to `n` bytes (fewer only at the end of the input).
fn read_up_to(r: &mut impl Read, n: u64) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::new();
    r.take(n).read_to_end(&mut buf).map_err(io_err)?;
    Ok(buf)
}

/// The temporary files of downloads in progress, removed on Ctrl-C.
static PARTIAL: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn track_partial(path: &Path, add: bool) {
    if let Ok(mut list) = PARTIAL.lock() {
        if add {
            list.push(path.to_path_buf());
        } else {
            list.retain(|p| p != path);
        }
    }
}

/// Removes every download's temporary file (the command was interrupted).
pub fn remove_partial_downloads() {
    if let Ok(mut list) = PARTIAL.lock() {
        for p in list.drain(..) {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Multipart uploads started and not yet completed or aborted: `(bucket, key, upload id)`.
static OPEN_UPLOADS: Mutex<Vec<(String, String, String)>> = Mutex::new(Vec::new());

fn track_upload(bucket: &str, key: &str, id: &str, add: bool) {
    if let Ok(mut list) = OPEN_UPLOADS.lock() {
        if add {
            list.push((bucket.to_string(), key.to_string(), id.to_string()));
        } else {
            list.retain(|(_, _, i)| i != id);
        }
    }
}

/// Aborts every multipart upload still open (the command was interrupted).
pub async fn abort_open_uploads(c: &S3Client<'_>) {
    let open: Vec<_> = OPEN_UPLOADS.lock().map(|mut l| l.drain(..).collect()).unwrap_or_default();
    for (bucket, key, id) in open {
        let _ = c.call("AbortMultipartUpload", &json!({"Bucket": bucket, "Key": key, "UploadId": id})).await;
    }
}

/// A temporary name beside `dest`, unique to this process and moment.
fn temp_name(dest: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let tag = format!("{:x}{:x}{:x}", std::process::id(), nanos, N.fetch_add(1, Ordering::Relaxed));
    let mut name = dest.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".{tag}"));
    dest.with_file_name(name)
}

/// A listing or a single source that fails ends the command: a credentials or configuration error
/// keeps its own exit code (253); anything else is the CLI's `fatal error` (exit 1).
fn fatal(out: &Printer, e: Error) -> Result<i32, Error> {
    if matches!(e, Error::Credentials(_) | Error::Config(_)) {
        return Err(e);
    }
    out.error(&format!("fatal error: {e}"));
    Ok(exit::FAILED)
}

/// Keeps the first credentials or configuration error among failed transfers.
fn keep_credentials_error(slot: &std::sync::Mutex<Option<Error>>, e: Error) {
    if matches!(e, Error::Credentials(_) | Error::Config(_))
        && let Ok(mut kept) = slot.lock()
        && kept.is_none()
    {
        *kept = Some(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_and_sources() {
        let item = Item {
            loc: Loc::Local("d/a.txt".into()),
            rel: "a.txt".into(),
            size: 1,
            mtime: 0,
            archived: false,
        };
        let d = single_dest(&Loc::parse("s3://b/"), &item);
        assert_eq!(d.show(), "s3://b/a.txt");
        assert_eq!(single_dest(&Loc::parse("s3://b/x"), &item).show(), "s3://b/x");
        assert_eq!(dir_root(&Loc::parse("s3://b/p")).join("q/r").show(), "s3://b/p/q/r");
        assert_eq!(copy_source("b", "a b/c+d"), "b/a%20b/c%2Bd");
        assert_eq!(guess_type(Path::new("x.TXT")), Some("text/plain"));
    }

    #[test]
    fn sync_decisions() {
        let o = Opts::default();
        let mk =
            |size, mtime| Item { loc: Loc::parse("s3://b/k"), rel: "k".into(), size, mtime, archived: false };
        assert!(should_sync(&o, &mk(1, 0), &mk(2, 0), false));
        assert!(!should_sync(&o, &mk(1, 10), &mk(1, 10), false));
        assert!(should_sync(&o, &mk(1, 20), &mk(1, 10), false));
        assert!(!should_sync(&o, &mk(1, 20), &mk(1, 10), true));
        assert!(should_sync(&o, &mk(1, 10), &mk(1, 20), true));
    }
}
