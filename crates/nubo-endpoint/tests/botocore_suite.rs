//! botocore's endpoint rule test suites: every case of
//! `tests/functional/endpoint-rules/<service>/endpoint-tests-1.json`, run against the service's newest
//! `endpoint-rule-set-1.json` and `partitions.json` from the botocore source distribution named by
//! `NUBO_BOTOCORE_DIR`.
//!
//! As in botocore's own provider test, a case's inputs are its `params` alone (none means no parameters;
//! `operationInputs` need a client and are not used). A case passes when URL, properties and headers match,
//! or when the error message matches.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nubo_endpoint::{Partitions, RuleSet, params_from_json, resolve};
use serde_json::{Map, Value};

/// Cases known not to pass, by service and the case's `documentation`, each with the reason. Empty: every
/// case passes.
const SKIPS: &[(&str, &str, &str)] = &[];

fn botocore_dir() -> PathBuf {
    match std::env::var_os("NUBO_BOTOCORE_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => panic!(
            "NUBO_BOTOCORE_DIR is not set: point it at the extracted botocore source distribution \
             (scripts/test sets it)"
        ),
    }
}

fn read_json(path: &Path) -> Value {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()))
}

/// The rule set of the newest API version that has one, as botocore's loader picks it.
fn newest_rule_set(data: &Path, service: &str) -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = fs::read_dir(data.join(service))
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("endpoint-rule-set-1.json"))
        .filter(|p| p.is_file())
        .collect();
    versions.sort();
    versions.pop()
}

#[derive(Default)]
struct Totals {
    passed: usize,
    failed: usize,
    skipped: Vec<String>,
    without_params: usize,
    without_params_passed: usize,
    failures: Vec<String>,
}

/// Runs one case; `Err` says how it differed.
fn run_case(rules: &RuleSet, partitions: &Partitions, case: &Value) -> Result<(), String> {
    let params = case.get("params").cloned().unwrap_or_else(|| Value::Object(Map::new()));
    let params = params_from_json(&params).map_err(|e| format!("bad params: {e}"))?;
    let expect = case.get("expect").ok_or("case has no `expect`")?;
    let result = resolve(rules, partitions, &params);
    if let Some(expected) = expect.get("error") {
        return match result {
            Err(e) if Value::String(e.message().to_owned()) == *expected => Ok(()),
            Err(e) => Err(format!("error {:?}, expected error {expected}", e.message())),
            Ok(ep) => Err(format!("endpoint {}, expected error {expected}", ep.to_json())),
        };
    }
    let expected = expect.get("endpoint").ok_or("case expects neither endpoint nor error")?;
    let endpoint = result.map_err(|e| format!("error {:?}, expected endpoint {expected}", e.message()))?;
    let empty = Value::Object(Map::new());
    let got = endpoint.to_json();
    let same = got["url"] == expected["url"]
        && got["properties"] == *expected.get("properties").unwrap_or(&empty)
        && got["headers"] == *expected.get("headers").unwrap_or(&empty);
    if same { Ok(()) } else { Err(format!("endpoint {got}, expected {expected}")) }
}

#[test]
fn every_botocore_endpoint_case() {
    let root = botocore_dir();
    let suites = root.join("tests/functional/endpoint-rules");
    let data = root.join("botocore/data");
    assert!(suites.is_dir(), "no endpoint suites at {} (is NUBO_BOTOCORE_DIR right?)", suites.display());
    let partitions = Partitions::from_json(&fs::read(data.join("partitions.json")).expect("partitions.json"))
        .expect("partitions.json parses");

    let mut services: Vec<String> = fs::read_dir(&suites)
        .expect("endpoint-rules directory")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("endpoint-tests-1.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    services.sort();
    assert!(services.len() > 300, "only {} endpoint suites found", services.len());

    let started = Instant::now();
    let mut totals = Totals::default();
    for service in &services {
        let suite = read_json(&suites.join(service).join("endpoint-tests-1.json"));
        let cases = suite.get("testCases").and_then(Value::as_array).cloned().unwrap_or_default();
        let rules = newest_rule_set(&data, service)
            .ok_or_else(|| "no endpoint-rule-set-1.json".to_owned())
            .and_then(|path| {
                RuleSet::from_json(&fs::read(&path).map_err(|e| e.to_string())?).map_err(|e| e.to_string())
            });
        for (i, case) in cases.iter().enumerate() {
            let doc = case.get("documentation").and_then(Value::as_str).unwrap_or("");
            if let Some((_, _, reason)) = SKIPS.iter().find(|(s, d, _)| s == service && *d == doc) {
                totals.skipped.push(format!("{service} #{i} {doc:?}: {reason}"));
                continue;
            }
            let has_params = case.get("params").is_some();
            if !has_params {
                totals.without_params += 1;
            }
            let outcome = match &rules {
                Ok(rules) => run_case(rules, &partitions, case),
                Err(e) => Err(format!("rule set: {e}")),
            };
            match outcome {
                Ok(()) => {
                    totals.passed += 1;
                    if !has_params {
                        totals.without_params_passed += 1;
                    }
                }
                Err(why) => {
                    totals.failed += 1;
                    totals.failures.push(format!("{service} #{i} {doc:?}: {why}"));
                }
            }
        }
    }

    println!(
        "botocore endpoint suites: {} services, {} cases in {:.1?}",
        services.len(),
        totals.passed + totals.failed + totals.skipped.len(),
        started.elapsed()
    );
    println!(
        "  cases without params (run with no parameters, as botocore does): {}, of which passed {}",
        totals.without_params, totals.without_params_passed
    );
    for skipped in &totals.skipped {
        println!("  skipped: {skipped}");
    }
    for failure in totals.failures.iter().take(50) {
        println!("  FAILED: {failure}");
    }
    println!("{} passed, {} failed, {} skipped", totals.passed, totals.failed, totals.skipped.len());
    assert_eq!(totals.failed, 0, "{} endpoint cases failed (first ones listed above)", totals.failed);
    // The pinned suites' exact counts: a suite that silently shrinks (or grows a skip) fails.
    assert_eq!(
        (totals.passed, totals.skipped.len()),
        (13_862, 0),
        "endpoint suite counts (passed, skipped) changed"
    );
}

/// The largest rule set (S3) must stay cheap to parse and to evaluate, even in a debug build.
#[test]
fn s3_rule_set_is_cheap() {
    let root = botocore_dir();
    let data = root.join("botocore/data");
    let path = newest_rule_set(&data, "s3").expect("s3 rule set");
    let pretty = fs::read(&path).expect("read s3 rule set");
    // The bundle ships minified documents; measure both.
    let minified = serde_json::to_vec(&read_json(&path)).expect("re-serialize");
    let partitions = Partitions::from_json(&fs::read(data.join("partitions.json")).expect("partitions.json"))
        .expect("parse");

    let time = |f: &dyn Fn()| {
        let mut best = Duration::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            f();
            best = best.min(t.elapsed());
        }
        best
    };
    let parse_pretty = time(&|| drop(RuleSet::from_json(&pretty).expect("parse")));
    let parse_min = time(&|| drop(RuleSet::from_json(&minified).expect("parse")));
    let rules = RuleSet::from_json(&minified).expect("parse");
    let cases = [
        serde_json::json!({"Region": "us-east-1", "Bucket": "my-bucket", "UseFIPS": false, "UseDualStack": false}),
        serde_json::json!({"Region": "us-west-2", "Bucket": "arn:aws:s3:us-west-2:123456789012:accesspoint/ap",
                           "UseArnRegion": true}),
        serde_json::json!({"Region": "eu-central-1", "Bucket": "mybucket--use1-az1--x-s3", "UseS3ExpressControlEndpoint": false}),
    ];
    let params: Vec<_> = cases.iter().map(|c| params_from_json(c).expect("params")).collect();
    let resolve_time = time(&|| {
        for p in &params {
            let _ = resolve(&rules, &partitions, p);
        }
    }) / params.len() as u32;
    println!(
        "s3 rule set: parse {parse_pretty:.2?} ({} KB as shipped by botocore), {parse_min:.2?} ({} KB \
         minified); resolve {resolve_time:.2?} per call",
        pretty.len() / 1024,
        minified.len() / 1024
    );
    // Generous bounds for a loaded debug build; the point is to catch a change of scale.
    assert!(parse_min < Duration::from_millis(50), "parsing the s3 rule set took {parse_min:?}");
    assert!(resolve_time < Duration::from_millis(5), "resolving with the s3 rule set took {resolve_time:?}");
}
