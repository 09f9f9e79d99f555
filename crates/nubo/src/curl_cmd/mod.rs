//! `nubo curl [-X METHOD] [-H 'Name: value']… [-d DATA|@file] [--data-binary @file] [-i] [-o FILE]
//! [--fail-with-body] [--service S] [--presign [--expires-in S]] URL`: signs any HTTP request with the
//! credentials nubo resolves and sends it (the awscurl job), or prints it presigned.
//!
//! The service and region come from the host name where it is an AWS one (see [`infer`]); the
//! region otherwise from `--region` and the settings chain. The response body goes to standard
//! output (or `-o FILE`), after the status line and headers with `-i`. Exit codes are curl's with
//! `--fail`: 22 for an HTTP status of 400 or more (the body is printed only with `--fail-with-body`),
//! 7 when no connection could be made, 6 when the host name does not resolve, 28 on a timeout,
//! 35/60 on TLS failures, 56 when the connection breaks, 23 when the output cannot be written;
//! nubo's own 252 for usage errors and 253 for missing credentials.

mod args;
pub mod infer;

use crate::error::{CliError, CliResult, exit};
use args::{Args, HeaderArg};
use nubo_http::{HttpError, HttpRequest, StreamingResponse};
use nubo_session::Session;
use std::io::Write;
use std::time::Duration;

/// How long a presigned URL lives unless `--expires-in` says otherwise.
const DEFAULT_EXPIRES: u64 = 3600;

pub const HELP: &str =
    "usage: nubo curl [-X METHOD] [-H 'Name: value']... [-d DATA|@file] [--data-binary DATA|@file]
                 [-i] [-o FILE] [--fail-with-body] [--service S] [--region R]
                 [--presign [--expires-in SECONDS]] URL

Signs an HTTP request with SigV4 using the credentials nubo resolves, sends it and prints the
response body. The service and region are read from AWS host names (sqs.eu-west-1.amazonaws.com,
bucket.s3.us-west-2.amazonaws.com, ID.execute-api.REGION.amazonaws.com, ID.lambda-url.REGION.on.aws,
DOMAIN.REGION.es.amazonaws.com, ...); give --service for other hosts.

  -X, --request METHOD      the method (default GET, or POST with data)
  -H, --header 'Name: v'    add a header ('Name:' drops a default header, 'Name;' sends it empty)
  -d, --data DATA|@file     body; @file (@- for standard input) is read with line breaks removed
  --data-binary DATA|@file  body; @file is read as is
  --data-raw DATA           body, taken literally
  -i, --include             print the status line and the headers before the body
  -o FILE                   write the output to FILE instead of standard output
  --fail-with-body          print the body of an HTTP error (status 400 or more) too
  --service S               the signing name of the service (s3, execute-api, ...)
  --presign                 print a presigned URL instead of sending (--expires-in, default 3600)

Exit codes: 0 success, 22 HTTP status 400 or more, 6 host not found, 7 connection failed,
28 timeout, 35/60 TLS failure, 56 connection broken, 23 write error, 252 usage, 253 credentials.
";

pub fn run(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    if matches!(argv.first().map(String::as_str), Some("help" | "--help" | "-h")) {
        print!("{HELP}");
        return Ok(exit::OK);
    }
    let a = args::parse(argv)?;
    let url = parse_url(&a.url)?;
    let host = url.host_str().unwrap_or_default().to_string();
    let inferred = infer::infer(&host);
    let signed = !ctx.globals.no_sign_request;
    if a.presign && !signed {
        return Err(CliError::Usage("--presign cannot be used with --no-sign-request".into()));
    }
    let service = a.service.clone().or(inferred.service);
    if signed && service.is_none() {
        return Err(CliError::Usage(format!(
            "cannot tell which service to sign for from the host '{host}': give it with --service \
             (the signing name, for example --service s3 or --service execute-api)"
        )));
    }
    let region = match (&ctx.globals.region, inferred.region) {
        (Some(r), _) => r.clone(),
        (None, Some(r)) => r,
        (None, None) => ctx.region()?.value,
    };
    let body = args::body(&a.data)?;
    let method = match &a.method {
        Some(m) => m.clone(),
        None if body.is_some() => "POST".into(),
        None => "GET".into(),
    };
    let body = body.unwrap_or_default();
    let mut req = nubo_sign::SigningRequest {
        method,
        url: url.as_str().to_string(),
        headers: headers(&a, !a.data.is_empty()),
        body: nubo_sign::Body::empty(),
    };
    if let Some(service) = &service
        && signed
    {
        let s3 = infer::uses_s3_rules(service);
        req.body = match (a.presign, s3) {
            (true, true) => nubo_sign::Body::Unsigned,
            _ => nubo_sign::Body::precomputed(&body),
        };
        let creds = ctx.credentials()?;
        let mut opts = nubo_sign::SigningOptions::new(service.clone(), region, ctx.signing_time()?);
        opts.s3_rules = s3;
        opts.content_sha256_header = s3;
        if a.presign {
            opts.expires_in = Some(Duration::from_secs(a.expires_in.unwrap_or(DEFAULT_EXPIRES)));
        }
        nubo_sign::sign(&mut req, &creds, &opts).map_err(|e| CliError::Other(e.to_string()))?;
    }
    if a.presign {
        println!("{}", req.url);
        return Ok(exit::OK);
    }
    if ctx.globals.show_request {
        let text = nubo_sign::raw::format_request(&req.method, &req.url, &req.headers, &body);
        std::io::stdout().write_all(&text)?;
        return Ok(exit::OK);
    }
    let http = ctx.http(service.as_deref().unwrap_or_default())?;
    let request = HttpRequest { method: req.method, url: req.url, headers: req.headers, body: body.into() };
    Ok(ctx.runtime()?.block_on(exchange(&http, request, &a)))
}

/// The URL as it goes on the wire: `https://` when no scheme is given, percent-encoded where it
/// must be, without a fragment.
fn parse_url(raw: &str) -> CliResult<url::Url> {
    let full = if raw.contains("://") { raw.to_string() } else { format!("https://{raw}") };
    let mut url =
        url::Url::parse(&full).map_err(|e| CliError::Usage(format!("argument URL: invalid URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(CliError::Usage(format!(
            "argument URL: unsupported scheme '{}': use http or https",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(CliError::Usage("argument URL: the URL has no host".into()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(CliError::Usage(
            "argument URL: user names and passwords in the URL are not supported (nubo signs the request)"
                .into(),
        ));
    }
    url.set_fragment(None);
    Ok(url)
}

/// The headers to send: curl's defaults (`User-Agent`, `Accept`, and a form `Content-Type` with
/// data) unless given or dropped with `-H 'Name:'`, then the user's own. A presigned URL signs only
/// the user's headers, since whoever fetches it must send exactly those.
fn headers(a: &Args, has_data: bool) -> Vec<(String, String)> {
    let mentioned = |name: &str| {
        a.headers.iter().any(|h| match h {
            HeaderArg::Set(n, _) | HeaderArg::Remove(n) => n.eq_ignore_ascii_case(name),
        })
    };
    let mut out = Vec::new();
    if !a.presign {
        for (name, value) in [("User-Agent", nubo_client::prepare::user_agent()), ("Accept", "*/*".into())] {
            if !mentioned(name) {
                out.push((name.to_string(), value));
            }
        }
    }
    out.extend(a.headers.iter().filter_map(|h| match h {
        HeaderArg::Set(n, v) => Some((n.clone(), v.clone())),
        HeaderArg::Remove(_) => None,
    }));
    if has_data && !a.presign && !mentioned("Content-Type") {
        out.push(("Content-Type".into(), "application/x-www-form-urlencoded".into()));
    }
    out
}

/// Sends the request once and writes the response; returns the exit code.
async fn exchange(http: &nubo_http::Client, request: HttpRequest, a: &Args) -> i32 {
    let resp = match http.send_streaming(request).await {
        Ok(r) => r,
        Err(e) => return transport_failure(&e),
    };
    let status = resp.status;
    if status >= 400 && !a.fail_with_body {
        // The body is not printed, but its error code says what went wrong.
        let detail = resp.into_buffered().await.ok().and_then(|r| error_detail(&r.body));
        return http_failure(status, detail.as_deref());
    }
    if let Err(code) = write_response(resp, a).await {
        return code;
    }
    if status >= 400 { http_failure(status, None) } else { exit::OK }
}

/// Writes the status line and headers (with `-i`) and the body to standard output or `-o FILE`.
async fn write_response(mut resp: StreamingResponse, a: &Args) -> Result<(), i32> {
    let target = a.output.as_deref().filter(|p| *p != "-");
    let mut out: Box<dyn Write> = match target {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => return Err(write_failure(&format!("{path}: {e}"))),
        },
        None => Box::new(std::io::stdout().lock()),
    };
    let where_to = target.unwrap_or("standard output");
    let fail = |e: std::io::Error| write_failure(&format!("{where_to}: {e}"));
    if a.include {
        out.write_all(head(resp.status, &resp.headers).as_bytes()).map_err(fail)?;
    }
    loop {
        match resp.body.next_chunk().await {
            Ok(Some(chunk)) => out.write_all(&chunk).map_err(fail)?,
            Ok(None) => break,
            Err(e) => {
                let _ = out.flush();
                return Err(transport_failure(&e));
            }
        }
    }
    out.flush().map_err(fail)
}

/// The status line and headers as they came, CRLF-terminated as on the wire.
fn head(status: u16, headers: &[(String, String)]) -> String {
    let mut text = format!("HTTP/1.1 {}\r\n", status_text(status));
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text
}

/// `403 Forbidden`.
fn status_text(status: u16) -> String {
    match http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()) {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

fn complain(code: i32, message: &str) -> i32 {
    eprintln!("nubo curl: ({code}) {message}");
    code
}

/// Exit 22, as `curl --fail` does, with the service's error code when the body holds one.
fn http_failure(status: u16, detail: Option<&str>) -> i32 {
    let mut message = format!("The requested URL returned error: {}", status_text(status));
    if let Some(d) = detail {
        message.push_str(&format!(" ({d})"));
    }
    complain(22, &message)
}

fn write_failure(what: &str) -> i32 {
    complain(23, &format!("Failure writing output to destination: {what}"))
}

/// curl's exit code for a request that got no (complete) response.
fn transport_failure(e: &HttpError) -> i32 {
    let code = match e {
        HttpError::Connect { reason, .. } if reason.contains("dns error") => 6,
        HttpError::Connect { .. } => 7,
        HttpError::ConnectTimeout { .. } | HttpError::ReadTimeout { .. } => 28,
        HttpError::Tls { reason, .. } if reason.to_ascii_lowercase().contains("certificate") => 60,
        HttpError::Tls { .. } => 35,
        HttpError::ConnectionClosed { .. } | HttpError::ResponseStream { .. } => 56,
        HttpError::InvalidRequest(_) => 3,
        HttpError::CaBundle { .. } => 77,
        HttpError::Config(_) => 2,
    };
    complain(code, &e.to_string())
}

/// `Code: Message` from an AWS error body (XML `<Code>`/`<Message>`, or JSON `__type`/`code` and
/// `message`), when there is one.
fn error_detail(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?.trim();
    let (code, message) = if text.starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let field = |names: &[&str]| names.iter().find_map(|n| v.get(*n)?.as_str().map(str::to_string));
        let code = field(&["__type", "code", "Code"])?;
        // `__type` may be namespaced: `com.amazonaws.sqs#QueueDoesNotExist`.
        let code = code.rsplit('#').next().unwrap_or(&code).to_string();
        (code, field(&["message", "Message"]))
    } else {
        (xml_element(text, "Code")?, xml_element(text, "Message"))
    };
    Some(match message.filter(|m| !m.is_empty()) {
        Some(m) => format!("{code}: {m}"),
        None => code,
    })
}

/// The text of the first `<name>…</name>` element, unescaped for the five predefined entities.
fn xml_element(text: &str, name: &str) -> Option<String> {
    let start = text.find(&format!("<{name}>"))? + name.len() + 2;
    let len = text[start..].find(&format!("</{name}>"))?;
    let raw = &text[start..start + len];
    Some(
        raw.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            parse_url("sqs.eu-west-1.amazonaws.com").unwrap().as_str(),
            "https://sqs.eu-west-1.amazonaws.com/"
        );
        assert_eq!(parse_url("http://h:80/a b?x=1 2#frag").unwrap().as_str(), "http://h/a%20b?x=1%202");
        assert_eq!(parse_url("HTTPS://H.example:8443/").unwrap().as_str(), "https://h.example:8443/");
        for bad in ["ftp://h/", "http://user:pw@h/", "http://", "http://h:99999/"] {
            assert!(matches!(parse_url(bad), Err(CliError::Usage(_))), "{bad}");
        }
    }

    #[test]
    fn default_headers() {
        let mut a =
            args::parse(&["-H".into(), "Accept:".into(), "-H".into(), "X-A: 1".into(), "u".into()]).unwrap();
        let h = headers(&a, true);
        let names: Vec<&str> = h.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["User-Agent", "X-A", "Content-Type"]);
        a.presign = true;
        assert_eq!(headers(&a, true), [("X-A".to_string(), "1".to_string())]);
        a.headers.push(HeaderArg::Set("content-type".into(), "text/plain".into()));
        a.presign = false;
        assert!(!headers(&a, true).iter().any(|(n, v)| n == "Content-Type" && v.contains("form")));
    }

    #[test]
    fn error_details() {
        let xml = b"<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>a &amp; b</Message><StringToSign>x</StringToSign></Error>";
        assert_eq!(error_detail(xml).as_deref(), Some("SignatureDoesNotMatch: a & b"));
        let json = br#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"nope"}"#;
        assert_eq!(error_detail(json).as_deref(), Some("QueueDoesNotExist: nope"));
        assert_eq!(error_detail(br#"{"code":"X"}"#).as_deref(), Some("X"));
        assert_eq!(error_detail(b"plain text"), None);
        assert_eq!(error_detail(&[0xff, 0xfe]), None);
        assert_eq!(error_detail(b"<Code>unterminated"), None);
    }

    #[test]
    fn response_head() {
        let h = head(200, &[("content-type".into(), "text/xml".into())]);
        assert_eq!(h, "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\n\r\n");
        assert_eq!(status_text(799), "799");
        assert_eq!(status_text(403), "403 Forbidden");
    }
}
