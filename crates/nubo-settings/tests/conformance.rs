//! The cross-SDK conformance suites for the profile file format and file locations, read from the
//! directory named by `NUBO_CONFORMANCE_DIR` (the suites are not copied into this repository).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

use nubo_settings::env::Env;
use nubo_settings::location::{self, Platform};
use nubo_settings::parse::{FileKind, parse};
use nubo_settings::profiles::{ProfileSet, Section, merge};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

fn suite(name: &str) -> Value {
    let dir = std::env::var_os("NUBO_CONFORMANCE_DIR").unwrap_or_else(|| {
        panic!("NUBO_CONFORMANCE_DIR is not set: point it at the directory holding the cross-SDK {name}")
    });
    let path = PathBuf::from(dir).join(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn tests_of(suite: &Value) -> &Vec<Value> {
    suite["tests"].as_array().expect("a `tests` array")
}

/// The suite's shape of one group of sections: name → key → value (sub-properties as raw text).
fn as_json<'a>(sections: impl IntoIterator<Item = (&'a String, &'a Section)>) -> Value {
    let map: Map<String, Value> = sections
        .into_iter()
        .map(|(name, s)| {
            let props: Map<String, Value> =
                s.properties.iter().map(|(k, p)| (k.clone(), Value::String(p.value.clone()))).collect();
            (name.clone(), Value::Object(props))
        })
        .collect();
    Value::Object(map)
}

fn load(input: &Value) -> Result<ProfileSet, String> {
    let text = |key: &str| input.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let config = parse(&text("configFile"), FileKind::Config, Path::new("/h/.aws/config"))
        .map_err(|e| e.to_string())?;
    let creds = parse(&text("credentialsFile"), FileKind::Credentials, Path::new("/h/.aws/credentials"))
        .map_err(|e| e.to_string())?;
    Ok(merge(config, creds))
}

#[test]
fn conformance_profile_parser_suite() {
    let suite = suite("profile-parser-tests.json");
    let cases = tests_of(&suite);
    assert_eq!(cases.len(), 65, "the pinned suite has 65 cases");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let output = &case["output"];
        match (load(&case["input"]), output.get("errorContaining").and_then(Value::as_str)) {
            (Err(e), Some(want)) => {
                if !e.contains(want) {
                    failures.push(format!("{name}: error {e:?} does not contain {want:?}"));
                }
                if !e.contains("/h/.aws/") || !e.contains(" line ") {
                    failures.push(format!("{name}: error {e:?} does not name the file and line"));
                }
            }
            (Err(e), None) => failures.push(format!("{name}: unexpected error {e}")),
            (Ok(_), Some(want)) => failures.push(format!("{name}: expected an error containing {want:?}")),
            (Ok(set), None) => {
                let want = &output["config"];
                let got = as_json(&set.profiles);
                if got != want["profiles"] {
                    failures.push(format!("{name}: profiles {got} != {}", want["profiles"]));
                }
                if let Some(expected) = want.get("sso_sessions") {
                    let got = as_json(&set.sso_sessions);
                    if got != *expected {
                        failures.push(format!("{name}: sso_sessions {got} != {expected}"));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn conformance_file_location_suite() {
    let suite = suite("file-location-tests.json");
    let cases = tests_of(&suite);
    assert_eq!(cases.len(), 9, "the pinned suite has 9 cases");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let vars = case["environment"].as_object().expect("environment");
        let env =
            Env::from_pairs(vars.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string())));
        let platform = match case["platform"].as_str() {
            Some("windows") => Platform::Windows,
            Some("linux" | "macos") => Platform::Unix,
            other => panic!("{name}: unknown platform {other:?}"),
        };
        let config = location::config_file_for(&env, platform);
        let credentials = location::credentials_file_for(&env, platform);
        if config != case["configLocation"].as_str().unwrap_or("") {
            failures.push(format!("{name}: config {config} != {}", case["configLocation"]));
        }
        if credentials != case["credentialsLocation"].as_str().unwrap_or("") {
            failures.push(format!("{name}: credentials {credentials} != {}", case["credentialsLocation"]));
        }
        if let Some(want) = case.get("profile").and_then(Value::as_str) {
            let got = location::profile_from_env(&env).unwrap_or("default");
            if got != want {
                failures.push(format!("{name}: profile {got} != {want}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
