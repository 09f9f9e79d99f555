//! Runs every case of botocore's response-parsing protocol tests
//! (`$NUBO_BOTOCORE_DIR/tests/unit/protocols/output/*.json`) through `de::parse_response`, comparing
//! as botocore's `tests/unit/test_protocols.py` does: the whole parsed output for successes; for
//! errors the code, the message (when the case states one) and the modeled error members.
//!
//! nubo's output conventions differ from the suite's expected values, so those are converted by
//! walking the shape before comparing: timestamps (epoch numbers in the suite) become the CLI's ISO
//! 8601 strings, blobs (decoded text in the suite) become base64, and `jsonvalue` headers (JSON text in
//! the suite) become the decoded JSON. Timestamps on both sides are compared in UTC, since the output
//! keeps the offset the wire gave.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use nubo_model::{ServiceModel, Shape, ShapeType};
use nubo_protocol::Response;
use nubo_protocol::de::{self, timestamp};
use serde_json::{Map, Value, json};
use std::path::PathBuf;

/// Cases not run, each as (file name, case id, reason). Empty: every case passes, including those
/// botocore's own ignore list skips (its parser disagrees with the Smithy expectations there, and
/// nubo follows Smithy). A case added here must say why.
const SKIPPED: &[(&str, &str, &str)] = &[];

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: Vec<String>,
    skipped: Vec<String>,
}

#[test]
fn botocore_output_protocol_suite() {
    let root = std::env::var_os("NUBO_BOTOCORE_DIR").unwrap_or_else(|| {
        panic!("NUBO_BOTOCORE_DIR is not set: it must name the extracted botocore source distribution")
    });
    let dir = PathBuf::from(root).join("tests/unit/protocols/output");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "expected the ten output suites in {}, found {}", dir.display(), files.len());

    let mut any_failed = false;
    let (mut passed, mut skipped) = (0usize, 0usize);
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text =
            std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let suites: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut tally = Tally::default();
        for (si, suite) in suites.iter().enumerate() {
            for (ci, case) in suite["cases"].as_array().into_iter().flatten().enumerate() {
                let id = case["id"].as_str().map_or_else(|| format!("{si}:{ci}"), str::to_string);
                if let Some((_, _, why)) = SKIPPED.iter().find(|(f, c, _)| *f == name && *c == id) {
                    tally.skipped.push(format!("{id}: {why}"));
                    continue;
                }
                match run_case(&name, suite, case) {
                    Ok(()) => tally.passed += 1,
                    Err(e) => tally.failed.push(format!(
                        "{id} ({}, {si}:{ci}): {e}",
                        suite["description"].as_str().unwrap_or("")
                    )),
                }
            }
        }
        println!(
            "output suite {name}: passed {}, failed {}, skipped {}",
            tally.passed,
            tally.failed.len(),
            tally.skipped.len()
        );
        for s in &tally.skipped {
            println!("  skipped {s}");
        }
        for f in &tally.failed {
            println!("  FAILED {f}");
        }
        any_failed |= !tally.failed.is_empty();
        passed += tally.passed;
        skipped += tally.skipped.len();
    }
    assert!(!any_failed, "some output protocol cases failed (see above)");
    // The pinned suite's exact counts: a suite that silently shrinks (or grows a skip) fails.
    assert_eq!((passed, skipped), (365, 0), "protocol output suite counts (passed, skipped) changed");
}

fn run_case(file: &str, suite: &Value, case: &Value) -> Result<(), String> {
    let protocol = suite["metadata"]["protocol"].as_str().unwrap_or("");
    let mut given = case["given"].clone();
    let op_name = given["name"].as_str().unwrap_or("OperationName").to_string();
    given["name"] = json!(op_name);
    let output_has_members = given["output"]["shape"]
        .as_str()
        .and_then(|s| suite["shapes"][s]["members"].as_object())
        .is_some_and(|m| !m.is_empty());
    if protocol == "query" && output_has_members && case.get("error").is_none() {
        given["output"]["resultWrapper"] = json!(format!("{op_name}Result"));
    }
    let doc = json!({ "metadata": suite["metadata"], "shapes": suite["shapes"], "operations": { &op_name: given } });
    let model = ServiceModel::from_json(doc.to_string().as_bytes()).map_err(|e| e.to_string())?;
    let op = model.operation(&op_name).ok_or("operation missing")?;

    let r = &case["response"];
    let body = match r["body"].as_str() {
        Some(b) if protocol == "smithy-rpc-v2-cbor" => {
            STANDARD.decode(b).map_err(|e| format!("{file}: bad base64 body: {e}"))?
        }
        Some(b) => b.as_bytes().to_vec(),
        None => Vec::new(),
    };
    let headers = r["headers"]
        .as_object()
        .map(|h| h.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string())).collect())
        .unwrap_or_default();
    let resp = Response { status: r["status_code"].as_u64().unwrap_or(200) as u16, headers, body };
    let parsed = de::parse_response(&model, op, &resp);

    if let Some(expected_fields) = case.get("error") {
        let err = match parsed {
            Ok(v) => return Err(format!("expected an error, got output {v}")),
            Err(e) => e,
        };
        let want_code = case["errorCode"].as_str().unwrap_or("");
        if err.code != want_code {
            return Err(format!("code {:?} != expected {want_code:?}", err.code));
        }
        // Cases that do not state a message are not checked for one (botocore's runner expects ""
        // there, although several of those bodies carry a message).
        if let Some(want) = case["errorMessage"].as_str()
            && err.message != want
        {
            return Err(format!("message {:?} != expected {want:?}", err.message));
        }
        let Some(shape) = error_shape(&model, &err.code) else {
            return if expected_fields.as_object().is_none_or(|m| m.is_empty()) {
                Ok(())
            } else {
                Err(format!("no error shape for {}, expected members {expected_fields}", err.code))
            };
        };
        let mut actual = Map::new();
        for name in shape.members.keys() {
            if let Some(v) = err.fields.get(name) {
                actual.insert(name.clone(), v.clone());
            }
        }
        let expected = convert_expected(&model, shape, expected_fields, None);
        let actual = normalize_actual(&model, shape, &Value::Object(actual));
        return compare(&actual, &expected);
    }

    let out = parsed.map_err(|e| format!("unexpected error {e:?}"))?;
    let expected = case.get("result").cloned().unwrap_or_else(|| json!({}));
    match op.output.as_ref().map(|o| model.shape(&o.shape)) {
        Some(Ok(shape)) => {
            let expected = convert_expected(&model, shape, &expected, None);
            compare(&normalize_actual(&model, shape, &out), &expected)
        }
        _ => compare(&out, &expected),
    }
}

/// The exception shape botocore's `shape_for_error_code` gives for `code`.
fn error_shape<'a>(model: &'a ServiceModel, code: &str) -> Option<&'a Shape> {
    model.shapes.iter().find_map(|(name, s)| {
        let key = s.error.as_ref().and_then(|e| e.code.as_deref()).unwrap_or(name);
        (s.exception && key == code).then_some(s)
    })
}

/// The suite's expected value in nubo's conventions. `jsonvalue` marks a header member whose value
/// is JSON text.
fn convert_expected(model: &ServiceModel, shape: &Shape, v: &Value, jsonvalue: Option<bool>) -> Value {
    match (shape.type_, v) {
        (ShapeType::Structure, Value::Object(obj)) if !shape.document => Value::Object(
            obj.iter()
                .map(|(k, item)| {
                    let converted = match shape.members.get(k) {
                        Some(m) => match model.shape(&m.shape) {
                            Ok(ms) => convert_expected(model, ms, item, Some(m.jsonvalue)),
                            Err(_) => item.clone(),
                        },
                        None => item.clone(),
                    };
                    (k.clone(), converted)
                })
                .collect(),
        ),
        (ShapeType::List, Value::Array(items)) => {
            match shape.member.as_ref().and_then(|m| model.shape(&m.shape).ok()) {
                Some(ms) => {
                    Value::Array(items.iter().map(|i| convert_expected(model, ms, i, None)).collect())
                }
                None => v.clone(),
            }
        }
        (ShapeType::Map, Value::Object(obj)) => {
            match shape.value.as_ref().and_then(|m| model.shape(&m.shape).ok()) {
                Some(vs) => Value::Object(
                    obj.iter().map(|(k, i)| (k.clone(), convert_expected(model, vs, i, None))).collect(),
                ),
                None => v.clone(),
            }
        }
        (ShapeType::Timestamp, Value::Number(n)) => n
            .as_f64()
            .and_then(timestamp::Timestamp::from_epoch)
            .map_or_else(|| v.clone(), |t| Value::String(t.to_cli_string())),
        (ShapeType::Blob, Value::String(s)) => Value::String(STANDARD.encode(s.as_bytes())),
        (ShapeType::String, Value::String(s)) if jsonvalue == Some(true) => {
            serde_json::from_str(s).unwrap_or_else(|_| v.clone())
        }
        _ => v.clone(),
    }
}

/// nubo's output with every timestamp rewritten in UTC.
fn normalize_actual(model: &ServiceModel, shape: &Shape, v: &Value) -> Value {
    match (shape.type_, v) {
        (ShapeType::Structure, Value::Object(obj)) if !shape.document => Value::Object(
            obj.iter()
                .map(|(k, item)| {
                    let n = match shape.members.get(k).and_then(|m| model.shape(&m.shape).ok()) {
                        Some(ms) => normalize_actual(model, ms, item),
                        None => item.clone(),
                    };
                    (k.clone(), n)
                })
                .collect(),
        ),
        (ShapeType::List, Value::Array(items)) => {
            match shape.member.as_ref().and_then(|m| model.shape(&m.shape).ok()) {
                Some(ms) => Value::Array(items.iter().map(|i| normalize_actual(model, ms, i)).collect()),
                None => v.clone(),
            }
        }
        (ShapeType::Map, Value::Object(obj)) => {
            match shape.value.as_ref().and_then(|m| model.shape(&m.shape).ok()) {
                Some(vs) => Value::Object(
                    obj.iter().map(|(k, i)| (k.clone(), normalize_actual(model, vs, i))).collect(),
                ),
                None => v.clone(),
            }
        }
        (ShapeType::Timestamp, Value::String(s)) => {
            timestamp::parse(s).map_or_else(|| v.clone(), |t| Value::String(t.to_utc().to_cli_string()))
        }
        _ => v.clone(),
    }
}

fn compare(actual: &Value, expected: &Value) -> Result<(), String> {
    if same(actual, expected) {
        Ok(())
    } else {
        Err(format!("\n    actual:   {actual}\n    expected: {expected}"))
    }
}

/// Deep equality with numbers compared by value (`5` equals `5.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(i, j)| same(i, j)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn comparison_is_strict_but_numeric() {
    assert!(same(&json!({"a": [1, 2.5]}), &json!({"a": [1.0, 2.5]})));
    assert!(!same(&json!({"a": 1}), &json!({"a": 1, "b": null})));
    assert!(!same(&json!({"a": "1"}), &json!({"a": 1})));
    assert!(!same(&json!([1, 2]), &json!([2, 1])));
}
