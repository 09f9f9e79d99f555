//! Request bodies: bytes already in memory, or a byte range of a file that is read on demand while
//! the request is sent (and opened and read again for every retry), so a large upload never sits in
//! memory and is never copied to be signed or sent.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;

/// How much of a file one read takes while a request is sent.
const CHUNK: usize = 256 * 1024;

/// The body of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// Bytes in memory (cheap to clone: reference-counted).
    Bytes(Bytes),
    /// A byte range of a file, read as it is sent.
    File(FileRange),
}

impl Default for Body {
    fn default() -> Self {
        Body::Bytes(Bytes::new())
    }
}

impl Body {
    /// The body's length in bytes.
    pub fn len(&self) -> u64 {
        match self {
            Body::Bytes(b) => b.len() as u64,
            Body::File(f) => f.len,
        }
    }

    /// Whether the body has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes, when they are in memory.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match self {
            Body::Bytes(b) => Some(b),
            Body::File(_) => None,
        }
    }

    /// Hands the body to `f` piece by piece (reading a file range from disk).
    pub fn for_each_chunk(&self, mut f: impl FnMut(&[u8])) -> std::io::Result<()> {
        match self {
            Body::Bytes(b) => {
                f(b);
                Ok(())
            }
            Body::File(r) => r.for_each_chunk(f),
        }
    }

    /// The whole body in memory (reads a file range; for printing a request, not for sending it).
    pub fn to_bytes(&self) -> std::io::Result<Bytes> {
        match self {
            Body::Bytes(b) => Ok(b.clone()),
            Body::File(r) => {
                let mut all = Vec::with_capacity(r.len as usize);
                r.for_each_chunk(|c| all.extend_from_slice(c))?;
                Ok(all.into())
            }
        }
    }

    /// reqwest's body: the bytes, or a reader of the file range that reports its exact length (so
    /// `Content-Length` is sent, as S3 requires).
    pub(crate) fn to_reqwest(&self) -> std::io::Result<reqwest::Body> {
        match self {
            Body::Bytes(b) => Ok(reqwest::Body::from(b.clone())),
            Body::File(r) => Ok(reqwest::Body::wrap(FileBody::open(r)?)),
        }
    }
}

impl From<Bytes> for Body {
    fn from(b: Bytes) -> Self {
        Body::Bytes(b)
    }
}
impl From<Vec<u8>> for Body {
    fn from(b: Vec<u8>) -> Self {
        Body::Bytes(b.into())
    }
}
impl From<String> for Body {
    fn from(s: String) -> Self {
        Body::Bytes(s.into())
    }
}
impl From<&'static str> for Body {
    fn from(s: &'static str) -> Self {
        Body::Bytes(Bytes::from_static(s.as_bytes()))
    }
}
impl From<&'static [u8]> for Body {
    fn from(s: &'static [u8]) -> Self {
        Body::Bytes(Bytes::from_static(s))
    }
}
impl From<FileRange> for Body {
    fn from(r: FileRange) -> Self {
        Body::File(r)
    }
}

/// `len` bytes of the file at `path` from `offset`.
#[derive(Clone, Debug)]
pub struct FileRange {
    pub path: Arc<PathBuf>,
    pub offset: u64,
    pub len: u64,
    /// Counts the bytes read while the request is sent (progress display); retries count again.
    pub progress: Option<Arc<AtomicU64>>,
    /// The range's SHA-256 (hex), when the caller already computed it (off the async thread), so
    /// signing need not read the range again.
    pub sha256: Option<String>,
}

impl PartialEq for FileRange {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && self.offset == other.offset && self.len == other.len
    }
}
impl Eq for FileRange {}

impl FileRange {
    /// The range `offset..offset + len` of `path`.
    pub fn new(path: impl Into<PathBuf>, offset: u64, len: u64) -> FileRange {
        FileRange { path: Arc::new(path.into()), offset, len, progress: None, sha256: None }
    }

    /// The whole file at `path`, its length read now.
    pub fn whole(path: &Path) -> std::io::Result<FileRange> {
        let len = std::fs::metadata(path)?.len();
        Ok(FileRange::new(path, 0, len))
    }

    /// This range, with the bytes read counted in `counter`.
    pub fn with_progress(mut self, counter: Arc<AtomicU64>) -> FileRange {
        self.progress = Some(counter);
        self
    }

    fn open(&self) -> std::io::Result<std::fs::File> {
        let mut f = std::fs::File::open(self.path.as_ref())?;
        f.seek(SeekFrom::Start(self.offset))?;
        Ok(f)
    }

    /// Reads the range piece by piece into `f`; a file shorter than the range is an error.
    pub fn for_each_chunk(&self, mut f: impl FnMut(&[u8])) -> std::io::Result<()> {
        let mut file = self.open()?;
        let mut buf = vec![0u8; CHUNK.min(self.len as usize).max(1)];
        let mut left = self.len;
        while left > 0 {
            let want = buf.len().min(left as usize);
            let n = file.read(&mut buf[..want])?;
            if n == 0 {
                return Err(shrunk(&self.path));
            }
            f(&buf[..n]);
            left -= n as u64;
        }
        Ok(())
    }
}

fn shrunk(path: &Path) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::UnexpectedEof,
        format!("{} changed while it was being read", path.display()),
    )
}

/// A file range as an HTTP body, read a chunk at a time as the connection takes it. Reads are
/// blocking, like every file read under tokio; a chunk from the page cache takes microseconds.
struct FileBody {
    file: std::fs::File,
    left: u64,
    path: Arc<PathBuf>,
    progress: Option<Arc<AtomicU64>>,
}

impl FileBody {
    fn open(r: &FileRange) -> std::io::Result<FileBody> {
        Ok(FileBody { file: r.open()?, left: r.len, path: r.path.clone(), progress: r.progress.clone() })
    }
}

impl http_body::Body for FileBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        let this = self.get_mut();
        if this.left == 0 {
            return Poll::Ready(None);
        }
        let want = CHUNK.min(this.left as usize);
        let mut buf = vec![0u8; want];
        let mut got = 0;
        while got < want {
            match this.file.read(&mut buf[got..]) {
                Ok(0) => return Poll::Ready(Some(Err(shrunk(&this.path)))),
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Poll::Ready(Some(Err(e))),
            }
        }
        this.left -= got as u64;
        if let Some(p) = &this.progress {
            p.fetch_add(got as u64, Ordering::Relaxed);
        }
        Poll::Ready(Some(Ok(http_body::Frame::data(Bytes::from(buf)))))
    }

    fn is_end_stream(&self) -> bool {
        self.left == 0
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_ranges_read_their_bytes_only() {
        let dir = std::env::temp_dir().join(format!("nubo-body-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f");
        let data: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let body = Body::File(FileRange::new(&path, 1000, 300_000));
        assert_eq!(body.len(), 300_000);
        assert_eq!(body.to_bytes().unwrap(), &data[1000..301_000]);
        let short = Body::File(FileRange::new(&path, 500_000, 200_000));
        assert!(short.to_bytes().is_err());
        assert_eq!(Body::from("ab").to_bytes().unwrap(), &b"ab"[..]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
