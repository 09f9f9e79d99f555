//! The bundle against the pinned botocore data directory (`$NUBO_BOTOCORE_DIR/botocore/data`): the
//! same services at their newest versions, and for a sample of services the same files once the
//! documentation is stripped and the sdk-extras merged.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

use flate2::read::GzDecoder;
use nubo_model::bundle;
use serde_json::{Map, Value};
use std::io::Read;
use std::path::{Path, PathBuf};

fn data_dir() -> PathBuf {
    let root = std::env::var_os("NUBO_BOTOCORE_DIR").expect(
        "NUBO_BOTOCORE_DIR must name the extracted botocore source distribution (see scripts/setup-tools)",
    );
    let dir = Path::new(&root).join("botocore").join("data");
    assert!(dir.is_dir(), "{} is not a directory: is NUBO_BOTOCORE_DIR right?", dir.display());
    dir
}

fn read_json(base: &Path) -> Option<Value> {
    let mut json = base.as_os_str().to_os_string();
    json.push(".json");
    if let Ok(bytes) = std::fs::read(&json) {
        return Some(serde_json::from_slice(&bytes).unwrap());
    }
    json.push(".gz");
    let raw = std::fs::read(&json).ok()?;
    let mut out = Vec::new();
    GzDecoder::new(raw.as_slice()).read_to_end(&mut out).unwrap();
    Some(serde_json::from_slice(&out).unwrap())
}

fn newest_model_version(service_dir: &Path) -> Option<String> {
    std::fs::read_dir(service_dir)
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|v| {
            ["service-2.json", "service-2.json.gz"].iter().any(|f| service_dir.join(v).join(f).is_file())
        })
        .max()
}

#[test]
fn same_services_at_the_newest_versions() {
    let dir = data_dir();
    let mut expected = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        if !entry.path().is_dir() {
            continue;
        }
        let name = entry.file_name().into_string().unwrap();
        if let Some(version) = newest_model_version(&entry.path()) {
            expected.push((name, version));
        }
    }
    expected.sort();
    let bundled: Vec<(String, String)> = bundle::service_names()
        .map(|s| (s.to_string(), bundle::api_version(s).unwrap().to_string()))
        .collect();
    assert_eq!(bundled, expected);
}

const DOC_KEYS: [&str; 4] = ["documentation", "documentationUrl", "deprecatedMessage", "deprecatedSince"];

fn drop_docs(v: &mut Value, extra: &[&str]) {
    if let Value::Object(m) = v {
        for k in DOC_KEYS.iter().chain(extra) {
            m.remove(*k);
        }
    }
}

fn strip_service(model: &mut Value) {
    drop_docs(model, &["examples"]);
    if let Some(ops) = model.get_mut("operations").and_then(Value::as_object_mut) {
        for op in ops.values_mut() {
            drop_docs(op, &[]);
            for k in ["input", "output"] {
                if let Some(r) = op.get_mut(k) {
                    drop_docs(r, &[]);
                }
            }
            for e in op.get_mut("errors").and_then(Value::as_array_mut).into_iter().flatten() {
                drop_docs(e, &[]);
            }
        }
    }
    for shape in model["shapes"].as_object_mut().unwrap().values_mut() {
        drop_docs(shape, &[]);
        for m in
            shape.get_mut("members").and_then(Value::as_object_mut).into_iter().flat_map(|m| m.values_mut())
        {
            drop_docs(m, &[]);
        }
        for k in ["member", "key", "value"] {
            if let Some(r) = shape.get_mut(k) {
                drop_docs(r, &[]);
            }
        }
    }
}

fn strip_rules(rules: &mut Value) {
    for rule in rules.as_array_mut().into_iter().flatten() {
        drop_docs(rule, &[]);
        if let Some(inner) = rule.get_mut("rules") {
            strip_rules(inner);
        }
    }
}

fn deep_merge(base: &mut Map<String, Value>, extra: &Map<String, Value>) {
    for (k, v) in extra {
        match (base.get_mut(k), v) {
            (Some(Value::Object(b)), Value::Object(e)) => deep_merge(b, e),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

fn expected_file(dir: &Path, type_name: &str) -> Option<Value> {
    let mut v = read_json(&dir.join(type_name))?;
    if let Some(extras) = read_json(&dir.join(format!("{type_name}.sdk-extras"))) {
        deep_merge(v.as_object_mut().unwrap(), extras["merge"].as_object().unwrap());
    }
    match type_name {
        "service-2" => strip_service(&mut v),
        "waiters-2" => {
            for w in v["waiters"].as_object_mut().unwrap().values_mut() {
                drop_docs(w, &["description"]);
            }
        }
        "endpoint-rule-set-1" => {
            for p in v["parameters"].as_object_mut().unwrap().values_mut() {
                drop_docs(p, &[]);
            }
            strip_rules(&mut v["rules"]);
        }
        _ => {}
    }
    Some(v)
}

#[test]
fn sample_services_match_botocore_without_documentation() {
    let dir = data_dir();
    // Services with sdk-extras for service-2 or paginators, both protocols families, and a big one.
    for service in ["s3", "rds", "eks", "secretsmanager", "ec2", "sts", "dynamodb", "glue", "lambda", "sqs"] {
        let version = bundle::api_version(service).unwrap();
        let vdir = dir.join(service).join(version);
        let files = bundle::load(service).unwrap().unwrap();
        let got = |b: &Option<Vec<u8>>| b.as_ref().map(|b| serde_json::from_slice::<Value>(b).unwrap());
        assert_eq!(
            Some(serde_json::from_slice(&files.service_2).unwrap()),
            expected_file(&vdir, "service-2"),
            "{service}"
        );
        assert_eq!(got(&files.paginators), expected_file(&vdir, "paginators-1"), "{service} paginators");
        assert_eq!(got(&files.waiters), expected_file(&vdir, "waiters-2"), "{service} waiters");
        assert_eq!(
            got(&files.endpoint_rule_set),
            expected_file(&vdir, "endpoint-rule-set-1"),
            "{service} rules"
        );
    }
    let partitions: Value = serde_json::from_slice(&bundle::partitions()).unwrap();
    assert_eq!(Some(partitions), read_json(&dir.join("partitions")));
}
