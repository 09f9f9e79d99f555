//! The request and response types that cross the crate boundary: plain owned data (method, URL,
//! header pairs, body bytes), and a streamed body for large downloads.

use bytes::{Bytes, BytesMut};

use crate::body::Body;

use crate::error::HttpError;

/// One HTTP request, fully built (and signed) by the caller.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// The absolute URL, query included.
    pub url: String,
    /// Header pairs in order; a name may repeat.
    pub headers: Vec<(String, String)>,
    /// The body (empty for none): bytes, or a file range read as it is sent.
    pub body: Body,
}

impl HttpRequest {
    /// A request with no headers and no body.
    pub fn new(method: impl Into<String>, url: impl Into<String>) -> Self {
        HttpRequest { method: method.into(), url: url.into(), headers: Vec::new(), body: Body::default() }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub fn with_body(mut self, body: impl Into<Body>) -> Self {
        self.body = body.into();
        self
    }

    /// The first value of a header, the name compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// A complete response.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header pairs in the order received, names in lower case; a name may repeat. Values that are
    /// not UTF-8 are converted lossily.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Bytes,
}

impl HttpResponse {
    /// The first value of a header, the name compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A response whose body is read piece by piece.
#[derive(Debug)]
pub struct StreamingResponse {
    /// The status code.
    pub status: u16,
    /// Header pairs as in [`HttpResponse::headers`].
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: BodyStream,
}

impl StreamingResponse {
    /// The first value of a header, the name compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Reads the whole body.
    pub async fn into_buffered(self) -> Result<HttpResponse, HttpError> {
        let body = self.body.collect().await?;
        Ok(HttpResponse { status: self.status, headers: self.headers, body })
    }

    pub(crate) fn from_buffered(response: HttpResponse) -> Self {
        StreamingResponse {
            status: response.status,
            headers: response.headers,
            body: BodyStream {
                inner: BodyInner::Buffered(Some(response.body)),
                url: String::new(),
                streaming: true,
            },
        }
    }
}

/// The body of a [`StreamingResponse`]: live from the connection, or already in memory.
#[derive(Debug)]
pub struct BodyStream {
    inner: BodyInner,
    url: String,
    streaming: bool,
}

#[derive(Debug)]
enum BodyInner {
    Live(reqwest::Response),
    Buffered(Option<Bytes>),
}

impl BodyStream {
    pub(crate) fn live(response: reqwest::Response, url: String, streaming: bool) -> Self {
        BodyStream { inner: BodyInner::Live(response), url, streaming }
    }

    pub(crate) fn set_streaming(&mut self, streaming: bool) {
        self.streaming = streaming;
    }

    /// The next piece of the body, `None` at its end. Errors are [`HttpError::ResponseStream`] or
    /// [`HttpError::ReadTimeout`]; a failed body cannot be resumed.
    pub async fn next_chunk(&mut self) -> Result<Option<Bytes>, HttpError> {
        match &mut self.inner {
            BodyInner::Live(response) => response
                .chunk()
                .await
                .map_err(|e| HttpError::from_reqwest(&e, &self.url, true, self.streaming)),
            BodyInner::Buffered(rest) => Ok(rest.take().filter(|b| !b.is_empty())),
        }
    }

    /// The announced body length (`Content-Length`), when known.
    pub fn content_length(&self) -> Option<u64> {
        match &self.inner {
            BodyInner::Live(response) => response.content_length(),
            BodyInner::Buffered(rest) => Some(rest.as_ref().map_or(0, |b| b.len() as u64)),
        }
    }

    /// Reads the rest of the body into memory.
    pub async fn collect(mut self) -> Result<Bytes, HttpError> {
        if let BodyInner::Buffered(rest) = &mut self.inner {
            return Ok(rest.take().unwrap_or_default());
        }
        let mut first: Option<Bytes> = None;
        let mut all: Option<BytesMut> = None;
        while let Some(chunk) = self.next_chunk().await? {
            match (&mut first, &mut all) {
                (None, None) => first = Some(chunk),
                (Some(f), None) => {
                    let mut buf = BytesMut::with_capacity(f.len() + chunk.len());
                    buf.extend_from_slice(f);
                    buf.extend_from_slice(&chunk);
                    all = Some(buf);
                    first = None;
                }
                (_, Some(buf)) => buf.extend_from_slice(&chunk),
            }
        }
        Ok(match (first, all) {
            (_, Some(buf)) => buf.freeze(),
            (Some(f), None) => f,
            (None, None) => Bytes::new(),
        })
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lookup_ignores_case() {
        let r = HttpRequest::new("GET", "http://h/")
            .with_header("X-Amz-Date", "d")
            .with_header("x-amz-date", "e");
        assert_eq!(r.header("x-amz-date"), Some("d"));
        assert_eq!(r.header("host"), None);
        let resp =
            HttpResponse { status: 204, headers: vec![("etag".into(), "\"x\"".into())], body: Bytes::new() };
        assert_eq!(resp.header("ETag"), Some("\"x\""));
        assert!(resp.is_success());
    }

    #[tokio::test]
    async fn buffered_stream_yields_once() {
        let resp = HttpResponse { status: 500, headers: vec![], body: Bytes::from_static(b"oops") };
        let mut s = StreamingResponse::from_buffered(resp);
        assert_eq!(s.body.content_length(), Some(4));
        assert_eq!(s.body.next_chunk().await.unwrap(), Some(Bytes::from_static(b"oops")));
        assert_eq!(s.body.next_chunk().await.unwrap(), None);
        let empty = StreamingResponse::from_buffered(HttpResponse::default());
        assert_eq!(empty.into_buffered().await.unwrap().body, Bytes::new());
    }
}
