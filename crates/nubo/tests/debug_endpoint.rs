//! `nubo debug resolve-endpoint --batch` against every case of the botocore endpoint rules suites:
//! the interface outside checks use, fed through the binary in one process.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, stdout_of};
use serde_json::{Value, json};

#[test]
fn batch_resolves_every_botocore_case() {
    let root =
        std::path::PathBuf::from(std::env::var("NUBO_BOTOCORE_DIR").expect("NUBO_BOTOCORE_DIR is not set"));
    let suites = root.join("tests/functional/endpoint-rules");
    let mut input = String::new();
    let mut expected = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&suites).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    for dir in dirs {
        let service = dir.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(text) = std::fs::read_to_string(dir.join("endpoint-tests-1.json")) else { continue };
        let doc: Value = serde_json::from_str(&text).unwrap();
        for case in doc["testCases"].as_array().unwrap() {
            let params = case.get("params").cloned().unwrap_or(json!({}));
            input.push_str(&json!({"service": service, "params": params}).to_string());
            input.push('\n');
            expected.push((service.clone(), case["documentation"].clone(), case["expect"].clone()));
        }
    }
    let out = Sandbox::new()
        .nubo()
        .args(["debug", "resolve-endpoint", "--batch"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = stdout_of(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), expected.len());
    let mut failures = Vec::new();
    for (line, (service, doc, expect)) in lines.iter().zip(&expected) {
        let got: Value = serde_json::from_str(line).unwrap();
        let ok = match (expect.get("endpoint"), expect.get("error")) {
            (Some(ep), _) => {
                got["url"] == ep["url"]
                    && got["properties"] == ep.get("properties").cloned().unwrap_or(json!({}))
                    && got["headers"] == ep.get("headers").cloned().unwrap_or(json!({}))
            }
            (None, Some(err)) => got["error"] == *err,
            _ => true,
        };
        if !ok {
            failures.push(format!("{service}: {doc}: expected {expect}, got {got}"));
        }
    }
    println!("debug resolve-endpoint: {} cases, {} failed", expected.len(), failures.len());
    assert!(
        failures.is_empty(),
        "{} failures, first: {:?}",
        failures.len(),
        failures.iter().take(3).collect::<Vec<_>>()
    );
}
