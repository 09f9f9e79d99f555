//! The protocol input conformance suite shipped in the botocore source distribution
//! (`tests/unit/protocols/input/*.json`, found through `NUBO_BOTOCORE_DIR`): every case is
//! serialized with `nubo_protocol::ser::serialize` and compared the way botocore's own runner
//! compares it: URI exactly, method, JSON bodies as parsed JSON, XML bodies as whitespace-stripped
//! trees with sorted attributes, query bodies exactly, CBOR bodies as decoded values, expected
//! headers as a subset, forbidden headers absent, and the host when the case names one.
//!
//! A second test serializes calls against real service models from the same distribution and
//! compares them with what botocore 1.43.11's serializers produced for the same parameters
//! (recorded below with their parameters in nubo's input convention).
//!
//! Params in the suite give blobs as raw text; our input convention is base64, so blob members are
//! converted by walking the input shape first. A case that leaves out an idempotency token gets a
//! random UUID v4, which is checked for its form and then replaced by the suite's fixed UUID.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

use nubo_model::{ServiceModel, ShapeType};
use nubo_protocol::Request;
use nubo_protocol::ser::serialize;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// Cases that are not run, as (file, case id, reason). Each entry must match a case.
const SKIP: &[(&str, &str, &str)] = &[
    // Request compression (the `requestcompression` trait) is applied to the serialized request by
    // the client layer, as botocore's RequestCompressor does, not by the serializer.
    ("ec2.json", "SDKAppliedContentEncoding_ec2Query", "request compression is the client's job"),
    (
        "ec2.json",
        "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_ec2Query",
        "request compression is the client's job",
    ),
    ("json.json", "SDKAppliedContentEncoding_awsJson1_1", "request compression is the client's job"),
    (
        "json.json",
        "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsJson1_1",
        "request compression is the client's job",
    ),
    ("json_1_0.json", "SDKAppliedContentEncoding_awsJson1_0", "request compression is the client's job"),
    (
        "json_1_0.json",
        "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsJson1_0",
        "request compression is the client's job",
    ),
    ("query.json", "SDKAppliedContentEncoding_awsQuery", "request compression is the client's job"),
    (
        "query.json",
        "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsQuery",
        "request compression is the client's job",
    ),
    ("rest-json.json", "SDKAppliedContentEncoding_restJson1", "request compression is the client's job"),
    (
        "rest-json.json",
        "SDKAppendedGzipAfterProvidedEncoding_restJson1",
        "request compression is the client's job",
    ),
    ("rest-xml.json", "SDKAppliedContentEncoding_restXml", "request compression is the client's job"),
    (
        "rest-xml.json",
        "SDKAppendedGzipAfterProvidedEncoding_restXml",
        "request compression is the client's job",
    ),
    // Checksums (Content-MD5 / flexible checksums) are computed over the finished body by the
    // client layer, as botocore's handlers do; the typed model also lacks `httpChecksumRequired`.
    ("rest-json.json", "RestJsonHttpChecksumRequired", "checksums are the client's job"),
    // botocore (and so the AWS CLI) sends `{}` when a structure payload member is absent.
    ("rest-json.json", "RestJsonHttpPayloadWithUnsetUnion", "AWS CLI sends {} for an absent JSON payload"),
    // botocore sends no header for an empty list; the suite expects an empty header.
    ("rest-json.json", "RestJsonNullAndEmptyHeaders", "AWS CLI sends no header for an empty list"),
    ("rest-xml.json", "NullAndEmptyHeaders", "AWS CLI sends no header for an empty list"),
    // botocore names the XML root of a payload after the payload member's locationName and the
    // root of a body after the operation input's locationName; the real models (S3, Route 53,
    // CloudFront) rely on that, while these cases expect the target shape's name.
    ("rest-xml.json", "BodyWithXmlName", "AWS CLI roots the body at the input's locationName"),
    ("rest-xml.json", "RestXmlHttpPayloadWithUnion", "AWS CLI roots a payload at the member's locationName"),
    ("rest-xml.json", "HttpPayloadWithXmlName", "AWS CLI roots a payload at the member's locationName"),
    ("rest-xml.json", "HttpPayloadWithXmlNamespace", "AWS CLI roots a payload at the member's locationName"),
    (
        "rest-xml.json",
        "HttpPayloadWithXmlNamespaceAndPrefix",
        "AWS CLI roots a payload at the member's locationName",
    ),
    ("rest-xml.json", "XmlAttributesOnPayload", "AWS CLI roots a payload at the member's locationName"),
];

const FIXED_UUID: &str = "00000000-0000-4000-8000-000000000000";

fn suite_dir() -> PathBuf {
    let dir = std::env::var_os("NUBO_BOTOCORE_DIR").expect(
        "NUBO_BOTOCORE_DIR is not set: point it at the extracted botocore source distribution \
         (the test runner script sets it)",
    );
    let dir = Path::new(&dir).join("tests/unit/protocols/input");
    assert!(dir.is_dir(), "{} does not exist: NUBO_BOTOCORE_DIR must hold botocore's tests/", dir.display());
    dir
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
}

#[test]
fn botocore_protocol_input_suite() {
    let dir = suite_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read the input suite directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 10, "expected the ten protocol input files in {}", dir.display());

    let mut total = Tally::default();
    let mut failures = Vec::new();
    let mut used_skips = Vec::new();
    for path in &files {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).expect("read suite file");
        let suites: Vec<Value> = serde_json::from_str(&text).expect("parse suite file");
        let mut tally = Tally::default();
        for suite in &suites {
            for (i, case) in suite["cases"].as_array().expect("cases").iter().enumerate() {
                let id = case["id"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{} #{i}", suite["description"].as_str().unwrap_or("?")));
                if let Some((_, _, reason)) = SKIP.iter().find(|(f, c, _)| *f == file && *c == id) {
                    println!("  skip {file} {id}: {reason}");
                    used_skips.push((file.clone(), id.clone()));
                    tally.skipped += 1;
                    continue;
                }
                match run_case(suite, case) {
                    Ok(()) => tally.passed += 1,
                    Err(e) => {
                        tally.failed += 1;
                        failures.push(format!("{file} {id}: {e}"));
                    }
                }
            }
        }
        println!("{file}: {} passed, {} failed, {} skipped", tally.passed, tally.failed, tally.skipped);
        total.passed += tally.passed;
        total.failed += tally.failed;
        total.skipped += tally.skipped;
    }
    for (f, c, _) in SKIP {
        if !used_skips.iter().any(|(uf, uc)| uf == f && uc == c) {
            failures.push(format!("skip list entry {f} {c} matches no case"));
        }
    }
    for f in &failures {
        println!("FAIL {f}\n");
    }
    println!("input suite: {} passed, {} failed, {} skipped", total.passed, total.failed, total.skipped);
    assert!(failures.is_empty(), "{} protocol input cases failed (see the output above)", failures.len());
    // The pinned suite's exact counts: a suite that silently shrinks (or grows a skip) fails.
    assert_eq!(
        (total.passed, total.skipped),
        (345, 22),
        "protocol input suite counts (passed, skipped) changed"
    );
}

fn run_case(suite: &Value, case: &Value) -> Result<(), String> {
    let given = &case["given"];
    let op_name = given["name"].as_str().unwrap_or("OperationName");
    let model_json = json!({
        "metadata": suite["metadata"],
        "shapes": suite["shapes"],
        "operations": { op_name: given },
    });
    let model = ServiceModel::from_json(model_json.to_string().as_bytes()).map_err(|e| e.to_string())?;
    let op = model.operation(op_name).ok_or("operation missing from the built model")?;
    let input_shape = op.input.as_ref().map(|r| r.shape.as_str());
    let params = match input_shape {
        Some(s) => blobs_to_base64(&model, s, &case["params"]),
        None => case["params"].clone(),
    };
    let mut req = serialize(&model, op, &params).map_err(|e| format!("serialize error: {e}"))?;

    // Idempotency tokens the case left out were generated: check and pin them.
    if let Some(s) = input_shape {
        let shape = model.shape(s).map_err(|e| e.to_string())?;
        let autofilled = shape
            .members
            .iter()
            .any(|(n, r)| r.idempotency_token && params.get(n.as_str()).is_none_or(Value::is_null));
        if autofilled {
            pin_uuids(&mut req)?;
        }
    }

    let expected = &case["serialized"];
    let protocol = model.protocol().to_string();
    let endpoint = suite["clientEndpoint"].as_str().unwrap_or("https://example.com");
    let (netloc, base_path) = split_endpoint(endpoint);

    let uri = format!("{base_path}{}", req.uri);
    let want_uri = expected["uri"].as_str().unwrap_or("");
    if uri != want_uri {
        return Err(format!("URI: got {uri:?}, want {want_uri:?}"));
    }
    if let Some(m) = expected["method"].as_str().filter(|m| *m != req.method) {
        return Err(format!("method: got {}, want {m}", req.method));
    }
    check_body(&protocol, &req.body, expected)?;
    check_headers(&model, op, &protocol, &req, expected)?;
    if let Some(host) = expected["host"].as_str() {
        let got = format!("{}{netloc}{base_path}", req.host_prefix.as_deref().unwrap_or(""));
        if got != host {
            return Err(format!("host: got {got:?}, want {host:?}"));
        }
    }
    Ok(())
}

/// `https://example.com/custom` → (`example.com`, `/custom`).
fn split_endpoint(url: &str) -> (String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.find('/') {
        Some(i) => (rest[..i].to_string(), rest[i..].trim_end_matches('/').to_string()),
        None => (rest.to_string(), String::new()),
    }
}

/// Walk `v` along shape `shape` and base64-encode every blob given as raw text.
fn blobs_to_base64(model: &ServiceModel, shape: &str, v: &Value) -> Value {
    use base64::Engine;
    let Ok(s) = model.shape(shape) else { return v.clone() };
    match (s.type_, v) {
        (ShapeType::Blob, Value::String(text)) => {
            Value::String(base64::engine::general_purpose::STANDARD.encode(text.as_bytes()))
        }
        (ShapeType::Structure, Value::Object(o)) if !s.document => Value::Object(
            o.iter()
                .map(|(k, x)| {
                    let x = match s.members.get(k) {
                        Some(r) => blobs_to_base64(model, &r.shape, x),
                        None => x.clone(),
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        (ShapeType::List, Value::Array(a)) => match &s.member {
            Some(r) => Value::Array(a.iter().map(|x| blobs_to_base64(model, &r.shape, x)).collect()),
            None => v.clone(),
        },
        (ShapeType::Map, Value::Object(o)) => match &s.value {
            Some(r) => Value::Object(
                o.iter().map(|(k, x)| (k.clone(), blobs_to_base64(model, &r.shape, x))).collect(),
            ),
            None => v.clone(),
        },
        _ => v.clone(),
    }
}

/// Replace each UUID v4 in the URI and body by the suite's fixed one; error if there is none.
fn pin_uuids(req: &mut Request) -> Result<(), String> {
    let (uri, a) = replace_uuids(&req.uri);
    let body = String::from_utf8(req.body.clone()).map_err(|_| "body is not UTF-8".to_string())?;
    let (body, b) = replace_uuids(&body);
    let headers: Vec<(String, String)> =
        req.headers.iter().map(|(k, v)| (k.clone(), replace_uuids(v).0)).collect();
    let c = req.headers.iter().filter(|(_, v)| replace_uuids(v).1 > 0).count();
    if a + b + c == 0 {
        return Err("an idempotency token was not generated".into());
    }
    req.uri = uri;
    req.body = body.into_bytes();
    req.headers = headers;
    Ok(())
}

fn replace_uuids(s: &str) -> (String, usize) {
    let is_v4 = |w: &[u8]| {
        w.len() == 36
            && w.iter().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => *c == b'-',
                14 => *c == b'4',
                19 => matches!(c, b'8' | b'9' | b'a' | b'b'),
                _ => c.is_ascii_hexdigit() && !c.is_ascii_uppercase(),
            })
    };
    let b = s.as_bytes();
    let mut out = String::new();
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        if i + 36 <= b.len() && is_v4(&b[i..i + 36]) {
            out.push_str(FIXED_UUID);
            i += 36;
            n += 1;
        } else {
            let ch = s[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    (out, n)
}

fn check_body(protocol: &str, body: &[u8], expected: &Value) -> Result<(), String> {
    let shown = || String::from_utf8_lossy(body).to_string();
    if protocol == "smithy-rpc-v2-cbor" && !body.is_empty() {
        use base64::Engine;
        let want_b64 = expected["body"].as_str().unwrap_or("");
        let want = base64::engine::general_purpose::STANDARD.decode(want_b64).map_err(|e| e.to_string())?;
        let got_v = cbor_norm(body).map_err(|e| format!("body is not CBOR: {e}"))?;
        let want_v = cbor_norm(&want).map_err(|e| format!("expected body is not CBOR: {e}"))?;
        if got_v != want_v {
            return Err(format!("CBOR body:\n got  {got_v:?}\n want {want_v:?}"));
        }
        return Ok(());
    }
    let Some(want) = expected["body"].as_str() else { return Ok(()) };
    match protocol {
        "json" | "rest-json" => {
            match (serde_json::from_slice::<Value>(body), serde_json::from_str::<Value>(want)) {
                (Ok(g), Ok(w)) if g == w => Ok(()),
                (Ok(g), Ok(w)) => Err(format!("JSON body:\n got  {g}\n want {w}")),
                _ if protocol == "rest-json" && body == want.as_bytes() => Ok(()),
                _ => Err(format!("body:\n got  {:?}\n want {want:?}", shown())),
            }
        }
        "rest-xml" => {
            let got = String::from_utf8_lossy(body);
            match (xml_tree(&got), xml_tree(want)) {
                (Ok(g), Ok(w)) if g == w => Ok(()),
                (Ok(g), Ok(w)) => Err(format!("XML body:\n got  {g:?}\n want {w:?}")),
                _ if body == want.as_bytes() => Ok(()),
                _ => Err(format!("body:\n got  {:?}\n want {want:?}", shown())),
            }
        }
        _ if body == want.as_bytes() => Ok(()),
        _ => Err(format!("body:\n got  {:?}\n want {want:?}", shown())),
    }
}

fn check_headers(
    model: &ServiceModel,
    op: &nubo_model::Operation,
    protocol: &str,
    req: &Request,
    expected: &Value,
) -> Result<(), String> {
    let mut want: Vec<(String, String)> = expected["headers"]
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string())).collect())
        .unwrap_or_default();
    let mut got = req.headers.clone();
    // List headers: the suite joins with ", ", botocore (and nubo) with ","; timestamps contain ", ".
    if let Some(shape) = op.input.as_ref().and_then(|r| model.shape(&r.shape).ok()) {
        for (name, m) in shape.members.iter() {
            let Ok(target) = model.shape(&m.shape) else { continue };
            if m.location.as_deref() != Some("header") || target.type_ != ShapeType::List {
                continue;
            }
            let header = m.location_name.as_deref().unwrap_or(name);
            for (k, v) in want.iter_mut() {
                if k.eq_ignore_ascii_case(header) {
                    *v = v.replace(", ", ",");
                }
            }
            let item_is_timestamp = target
                .member
                .as_ref()
                .and_then(|i| model.shape(&i.shape).ok())
                .is_some_and(|s| s.type_ == ShapeType::Timestamp);
            if item_is_timestamp {
                for (k, v) in got.iter_mut() {
                    if k.eq_ignore_ascii_case(header) {
                        *v = v.replace(", ", ",");
                    }
                }
            }
        }
    }
    match protocol {
        "query" | "ec2" => {
            for (k, v) in want.iter_mut() {
                if k.eq_ignore_ascii_case("content-type") && !v.contains("charset=utf-8") {
                    v.push_str("; charset=utf-8");
                }
            }
        }
        // Like botocore, nubo sets no Content-Type for rest-xml, nor for rest-json raw payloads.
        "rest-xml" => want.retain(|(k, _)| !k.eq_ignore_ascii_case("content-type")),
        "rest-json" => {
            want.retain(|(k, v)| !k.eq_ignore_ascii_case("content-type") || v == "application/json")
        }
        _ => {}
    }
    let find = |name: &str| got.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
    for (k, v) in &want {
        match find(k) {
            Some(g) if g == v => {}
            Some(g) => return Err(format!("header {k}: got {g:?}, want {v:?}")),
            None => return Err(format!("header {k} missing (want {v:?}); got {got:?}")),
        }
    }
    for name in expected["forbidHeaders"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap_or("");
        if find(name).is_some() {
            return Err(format!("forbidden header {name} is present"));
        }
    }
    Ok(())
}

/// An XML element with whitespace-stripped text and sorted attributes (like C14N with
/// `strip_text`).
#[derive(Debug, PartialEq)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<El>,
}

fn xml_tree(s: &str) -> Result<El, String> {
    use quick_xml::events::{BytesStart, Event};
    let start = |e: &BytesStart| -> Result<El, String> {
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|e| e.to_string())?;
            let v = a.unescape_value().map_err(|e| e.to_string())?.to_string();
            attrs.push((String::from_utf8_lossy(a.key.as_ref()).to_string(), v));
        }
        attrs.sort();
        Ok(El {
            name: String::from_utf8_lossy(e.name().as_ref()).to_string(),
            attrs,
            text: String::new(),
            children: vec![],
        })
    };
    let mut reader = quick_xml::Reader::from_str(s);
    let mut stack: Vec<El> = Vec::new();
    let mut root = None;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => stack.push(start(&e)?),
            Event::Empty(e) => {
                let el = start(&e)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or("unbalanced XML")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(t.unescape().map_err(|e| e.to_string())?.trim());
                }
            }
            Event::CData(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(String::from_utf8_lossy(&t).trim());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err("unclosed XML element".into());
    }
    root.ok_or_else(|| "no XML root element".into())
}

/// A decoded CBOR value, compared like botocore's runner does: numbers by value whatever their
/// encoding, maps regardless of order, definite and indefinite lengths alike.
#[derive(Debug, PartialEq)]
enum Norm {
    Null,
    Bool(bool),
    Num(String),
    Text(String),
    Bytes(Vec<u8>),
    Array(Vec<Norm>),
    Map(Vec<(String, Norm)>),
    Tag(u64, Box<Norm>),
}

fn cbor_norm(bytes: &[u8]) -> Result<Norm, String> {
    let v: ciborium::Value = ciborium::from_reader(bytes).map_err(|e| e.to_string())?;
    Ok(norm(&v))
}

fn norm(v: &ciborium::Value) -> Norm {
    use ciborium::Value as C;
    match v {
        C::Null => Norm::Null,
        C::Bool(b) => Norm::Bool(*b),
        C::Integer(i) => Norm::Num(format!("{:?}", i128::from(*i) as f64)),
        C::Float(f) => Norm::Num(format!("{f:?}")),
        C::Text(s) => Norm::Text(s.clone()),
        C::Bytes(b) => Norm::Bytes(b.clone()),
        C::Array(a) => Norm::Array(a.iter().map(norm).collect()),
        C::Map(m) => {
            let mut entries: Vec<(String, Norm)> =
                m.iter().map(|(k, v)| (format!("{:?}", norm(k)), norm(v))).collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Norm::Map(entries)
        }
        C::Tag(t, inner) => Norm::Tag(*t, Box::new(norm(inner))),
        _ => Norm::Null,
    }
}

/// Real-model calls and botocore's serialization of them: method, URI with query string, headers,
/// body (base64 for CBOR) and host prefix. Recorded by running botocore's serializer (without
/// validation-free shortcuts) on these parameters, converted to Python values.
const REAL_MODEL_CASES: &[&str] = &[
    r#"{"service":"s3","api":"2006-03-01","op":"PutObject","protocol":"rest-xml","params":{"Bucket":"my-bucket","Key":"dir/a b+c~ü.txt","Body":"aGVsbG8=","Metadata":{"color":"red"},"ContentType":"text/plain","Expires":"2030-01-01T00:00:00Z","ACL":"private"},"method":"PUT","uri":"/my-bucket/dir/a%20b%2Bc~%C3%BC.txt","headers":{"x-amz-meta-color":"red","Content-Type":"text/plain","Expires":"Tue, 01 Jan 2030 00:00:00 GMT","x-amz-acl":"private"},"body":"hello","host_prefix":null}"#,
    r#"{"service":"s3","api":"2006-03-01","op":"PutBucketTagging","protocol":"rest-xml","params":{"Bucket":"b","Tagging":{"TagSet":[{"Key":"k","Value":"v&<"}]}},"method":"PUT","uri":"/b?tagging","headers":{},"body":"<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>k</Key><Value>v&amp;&lt;</Value></Tag></TagSet></Tagging>","host_prefix":null}"#,
    r#"{"service":"s3","api":"2006-03-01","op":"CreateBucket","protocol":"rest-xml","params":{"Bucket":"b","CreateBucketConfiguration":{"LocationConstraint":"eu-west-1"}},"method":"PUT","uri":"/b","headers":{},"body":"<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>","host_prefix":null}"#,
    r#"{"service":"s3","api":"2006-03-01","op":"ListObjectsV2","protocol":"rest-xml","params":{"Bucket":"b","Prefix":"a/","MaxKeys":10,"ContinuationToken":"x=y"},"method":"GET","uri":"/b?list-type=2&prefix=a%2F&max-keys=10&continuation-token=x%3Dy","headers":{},"body":"","host_prefix":null}"#,
    r#"{"service":"s3","api":"2006-03-01","op":"DeleteObjects","protocol":"rest-xml","params":{"Bucket":"b","Delete":{"Objects":[{"Key":"a"},{"Key":"b","VersionId":"1"}],"Quiet":true}},"method":"POST","uri":"/b?delete","headers":{},"body":"<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>a</Key></Object><Object><Key>b</Key><VersionId>1</VersionId></Object><Quiet>true</Quiet></Delete>","host_prefix":null}"#,
    r#"{"service":"s3","api":"2006-03-01","op":"PutBucketAcl","protocol":"rest-xml","params":{"Bucket":"b","AccessControlPolicy":{"Grants":[{"Grantee":{"Type":"CanonicalUser","ID":"abc"},"Permission":"READ"}],"Owner":{"ID":"abc"}}},"method":"PUT","uri":"/b?acl","headers":{},"body":"<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>abc</ID></Grantee><Permission>READ</Permission></Grant></AccessControlList><Owner><ID>abc</ID></Owner></AccessControlPolicy>","host_prefix":null}"#,
    r#"{"service":"s3","api":"2006-03-01","op":"GetObject","protocol":"rest-xml","params":{"Bucket":"b","Key":"k","Range":"bytes=0-9","IfModifiedSince":"2020-01-02T03:04:05Z","ResponseContentType":"text/html"},"method":"GET","uri":"/b/k?response-content-type=text%2Fhtml","headers":{"Range":"bytes=0-9","If-Modified-Since":"Thu, 02 Jan 2020 03:04:05 GMT"},"body":"","host_prefix":null}"#,
    r#"{"service":"s3control","api":"2018-08-20","op":"GetPublicAccessBlock","protocol":"rest-xml","params":{"AccountId":"123456789012"},"method":"GET","uri":"/v20180820/configuration/publicAccessBlock","headers":{"x-amz-account-id":"123456789012"},"body":"","host_prefix":"123456789012."}"#,
    r#"{"service":"ec2","api":"2016-11-15","op":"DescribeInstances","protocol":"ec2","params":{"Filters":[{"Name":"tag:Name","Values":["a","b"]}],"InstanceIds":["i-1"],"MaxResults":5},"method":"POST","uri":"/","headers":{"Content-Type":"application/x-www-form-urlencoded; charset=utf-8"},"body":"Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag%3AName&Filter.1.Value.1=a&Filter.1.Value.2=b&InstanceId.1=i-1&MaxResults=5","host_prefix":null}"#,
    r#"{"service":"ec2","api":"2016-11-15","op":"RunInstances","protocol":"ec2","params":{"ImageId":"ami-1","MinCount":1,"MaxCount":1,"TagSpecifications":[{"ResourceType":"instance","Tags":[{"Key":"Name","Value":"x y"}]}],"BlockDeviceMappings":[{"DeviceName":"/dev/sda1","Ebs":{"VolumeSize":8,"DeleteOnTermination":true}}],"ClientToken":"tok"},"method":"POST","uri":"/","headers":{"Content-Type":"application/x-www-form-urlencoded; charset=utf-8"},"body":"Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1&MaxCount=1&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=x%20y&BlockDeviceMapping.1.DeviceName=%2Fdev%2Fsda1&BlockDeviceMapping.1.Ebs.VolumeSize=8&BlockDeviceMapping.1.Ebs.DeleteOnTermination=true&ClientToken=tok","host_prefix":null}"#,
    r#"{"service":"sts","api":"2011-06-15","op":"AssumeRole","protocol":"query","params":{"RoleArn":"arn:aws:iam::1:role/r","RoleSessionName":"sess","DurationSeconds":900,"Tags":[{"Key":"k","Value":"v"}]},"method":"POST","uri":"/","headers":{"Content-Type":"application/x-www-form-urlencoded; charset=utf-8"},"body":"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=sess&DurationSeconds=900&Tags.member.1.Key=k&Tags.member.1.Value=v","host_prefix":null}"#,
    r#"{"service":"sns","api":"2010-03-31","op":"Publish","protocol":"query","params":{"TopicArn":"arn:t","Message":"m","MessageAttributes":{"k":{"DataType":"String","StringValue":"v"}}},"method":"POST","uri":"/","headers":{"Content-Type":"application/x-www-form-urlencoded; charset=utf-8"},"body":"Action=Publish&Version=2010-03-31&TopicArn=arn%3At&Message=m&MessageAttributes.entry.1.Name=k&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=v","host_prefix":null}"#,
    r#"{"service":"sqs","api":"2012-11-05","op":"SendMessage","protocol":"json","params":{"QueueUrl":"https://q","MessageBody":"hi","MessageAttributes":{"a":{"DataType":"String","StringValue":"v"}}},"method":"POST","uri":"/","headers":{"X-Amz-Target":"AmazonSQS.SendMessage","Content-Type":"application/x-amz-json-1.0","x-amzn-query-mode":"true"},"body":"{\"QueueUrl\": \"https://q\", \"MessageBody\": \"hi\", \"MessageAttributes\": {\"a\": {\"DataType\": \"String\", \"StringValue\": \"v\"}}}","host_prefix":null}"#,
    r#"{"service":"dynamodb","api":"2012-08-10","op":"PutItem","protocol":"json","params":{"TableName":"t","Item":{"id":{"S":"1"},"n":{"N":"2"},"b":{"B":"aGk="}}},"method":"POST","uri":"/","headers":{"X-Amz-Target":"DynamoDB_20120810.PutItem","Content-Type":"application/x-amz-json-1.0"},"body":"{\"TableName\": \"t\", \"Item\": {\"id\": {\"S\": \"1\"}, \"n\": {\"N\": \"2\"}, \"b\": {\"B\": \"aGk=\"}}}","host_prefix":null}"#,
    r#"{"service":"lambda","api":"2015-03-31","op":"Invoke","protocol":"rest-json","params":{"FunctionName":"f","Payload":"eyJhIjoxfQ==","InvocationType":"Event","Qualifier":"1","ClientContext":"e30="},"method":"POST","uri":"/2015-03-31/functions/f/invocations?Qualifier=1","headers":{"X-Amz-Invocation-Type":"Event","X-Amz-Client-Context":"e30="},"body":"{\"a\":1}","host_prefix":null}"#,
    r#"{"service":"route53","api":"2013-04-01","op":"ChangeResourceRecordSets","protocol":"rest-xml","params":{"HostedZoneId":"Z1","ChangeBatch":{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"a.example.com","Type":"A","TTL":60,"ResourceRecords":[{"Value":"1.2.3.4"}]}}]}},"method":"POST","uri":"/2013-04-01/hostedzone/Z1/rrset/","headers":{},"body":"<ChangeResourceRecordSetsRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ChangeBatch><Changes><Change><Action>UPSERT</Action><ResourceRecordSet><Name>a.example.com</Name><Type>A</Type><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>1.2.3.4</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>","host_prefix":null}"#,
    r#"{"service":"cloudwatch","api":"2010-08-01","op":"PutMetricData","protocol":"json","params":{"Namespace":"ns","MetricData":[{"MetricName":"m","Value":1.5,"Timestamp":"2020-01-01T00:00:00Z","Dimensions":[{"Name":"d","Value":"v"}]}]},"method":"POST","uri":"/","headers":{"X-Amz-Target":"GraniteServiceVersion20100801.PutMetricData","Content-Type":"application/x-amz-json-1.0","x-amzn-query-mode":"true"},"body":"{\"Namespace\": \"ns\", \"MetricData\": [{\"MetricName\": \"m\", \"Value\": 1.5, \"Timestamp\": 1577836800, \"Dimensions\": [{\"Name\": \"d\", \"Value\": \"v\"}]}]}","host_prefix":null}"#,
    r#"{"service":"apigateway","api":"2015-07-09","op":"GetRestApis","protocol":"rest-json","params":{"limit":5,"position":"x"},"method":"GET","uri":"/restapis?limit=5&position=x","headers":{},"body":"","host_prefix":null}"#,
    r#"{"service":"kinesis","api":"2013-12-02","op":"PutRecord","protocol":"json","params":{"StreamName":"s","Data":"AAE=","PartitionKey":"p"},"method":"POST","uri":"/","headers":{"X-Amz-Target":"Kinesis_20131202.PutRecord","Content-Type":"application/x-amz-json-1.1"},"body":"{\"StreamName\": \"s\", \"Data\": \"AAE=\", \"PartitionKey\": \"p\"}","host_prefix":null}"#,
    r#"{"service":"cloudfront","api":"2020-05-31","op":"CreateInvalidation","protocol":"rest-xml","params":{"DistributionId":"D","InvalidationBatch":{"Paths":{"Quantity":1,"Items":["/a b"]},"CallerReference":"r"}},"method":"POST","uri":"/2020-05-31/distribution/D/invalidation","headers":{},"body":"<InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Paths><Quantity>1</Quantity><Items><Path>/a b</Path></Items></Paths><CallerReference>r</CallerReference></InvalidationBatch>","host_prefix":null}"#,
    r#"{"service":"cloudwatch","api":"2010-08-01","op":"PutMetricData","protocol":"smithy-rpc-v2-cbor","params":{"Namespace":"ns","MetricData":[{"MetricName":"m","Value":1.5,"Timestamp":"2020-01-01T00:00:00Z","Dimensions":[{"Name":"d","Value":"v"}]}]},"method":"POST","uri":"/service/GraniteServiceVersion20100801/operation/PutMetricData","headers":{"smithy-protocol":"rpc-v2-cbor","x-amzn-query-mode":"true","Accept":"application/cbor","Content-Type":"application/cbor"},"body":"omlOYW1lc3BhY2VibnNqTWV0cmljRGF0YYGkak1ldHJpY05hbWVhbWVWYWx1Zfs/+AAAAAAAAGlUaW1lc3RhbXDBGl4L4QBqRGltZW5zaW9uc4GiZE5hbWVhZGVWYWx1ZWF2","host_prefix":null}"#,
    r#"{"service":"cloudwatch","api":"2010-08-01","op":"GetMetricData","protocol":"smithy-rpc-v2-cbor","params":{"MetricDataQueries":[{"Id":"q","Expression":"SUM(x)"}],"StartTime":"2020-01-01T00:00:00Z","EndTime":1577840400},"method":"POST","uri":"/service/GraniteServiceVersion20100801/operation/GetMetricData","headers":{"smithy-protocol":"rpc-v2-cbor","x-amzn-query-mode":"true","Accept":"application/cbor","Content-Type":"application/cbor"},"body":"o3FNZXRyaWNEYXRhUXVlcmllc4GiYklkYXFqRXhwcmVzc2lvbmZTVU0oeClpU3RhcnRUaW1lwRpeC+EAZ0VuZFRpbWXBGl4L7xA=","host_prefix":null}"#,
];

#[test]
fn real_models_serialize_like_botocore() {
    let data = std::env::var_os("NUBO_BOTOCORE_DIR")
        .map(|d| Path::new(&d).join("botocore/data"))
        .expect("NUBO_BOTOCORE_DIR is not set: point it at the extracted botocore source distribution");
    let mut failures = Vec::new();
    for text in REAL_MODEL_CASES {
        let case: Value = serde_json::from_str(text).expect("fixture JSON");
        let (service, api, op_name) =
            (case["service"].as_str().unwrap(), case["api"].as_str().unwrap(), case["op"].as_str().unwrap());
        let protocol = case["protocol"].as_str().unwrap();
        let path = data.join(service).join(api).join("service-2.json");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let mut doc: Value = serde_json::from_slice(&bytes).expect("service model JSON");
        // Apply the distribution's SDK extras as botocore's loader does (S3's Expires is a timestamp).
        if let Ok(extras) = std::fs::read(path.with_file_name("service-2.sdk-extras.json")) {
            let extras: Value = serde_json::from_slice(&extras).expect("sdk-extras JSON");
            deep_merge(&mut doc, &extras["merge"]);
        }
        let mut model = ServiceModel::from_json(doc.to_string().as_bytes()).expect("service model");
        // Pin the protocol the fixture was recorded with (services may offer several).
        model.metadata.protocols = vec![protocol.to_string()];
        let op = model.operation(op_name).expect("operation").clone();
        let label = format!("{service} {op_name} ({protocol})");
        let req = match serialize(&model, &op, &case["params"]) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{label}: serialize error: {e}"));
                continue;
            }
        };
        if let Err(e) = compare_with_botocore(protocol, &req, &case) {
            failures.push(format!("{label}: {e}"));
        }
    }
    for f in &failures {
        println!("FAIL {f}\n");
    }
    println!("real models: {} passed, {} failed", REAL_MODEL_CASES.len() - failures.len(), failures.len());
    assert!(failures.is_empty(), "{} real-model cases differ from botocore", failures.len());
}

fn deep_merge(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(slot) if slot.is_object() && v.is_object() => deep_merge(slot, v),
                    _ => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}

fn compare_with_botocore(protocol: &str, req: &Request, case: &Value) -> Result<(), String> {
    if req.method != case["method"].as_str().unwrap_or("") {
        return Err(format!("method: got {}, want {}", req.method, case["method"]));
    }
    if req.uri != case["uri"].as_str().unwrap_or("") {
        return Err(format!("URI: got {:?}, want {}", req.uri, case["uri"]));
    }
    if req.host_prefix.as_deref() != case["host_prefix"].as_str() {
        return Err(format!("host prefix: got {:?}, want {}", req.host_prefix, case["host_prefix"]));
    }
    let mut got: Vec<(String, String)> =
        req.headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.clone())).collect();
    let mut want: Vec<(String, String)> = case["headers"]
        .as_object()
        .map(|o| {
            o.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.as_str().unwrap_or("").to_string())).collect()
        })
        .unwrap_or_default();
    got.sort();
    want.sort();
    if got != want {
        return Err(format!("headers: got {got:?}, want {want:?}"));
    }
    let mut expected = serde_json::Map::new();
    expected.insert("body".into(), case["body"].clone());
    let is_raw_payload = matches!(protocol, "rest-json" | "rest-xml")
        && !req.body.starts_with(b"{")
        && !req.body.starts_with(b"<");
    let compare_as = if is_raw_payload { "raw" } else { protocol };
    check_body(compare_as, &req.body, &Value::Object(expected))
}
