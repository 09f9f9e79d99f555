//! The cross-SDK conformance suites for credentials, read from the directory named by
//! `NUBO_CONFORMANCE_DIR` (not copied into this repository): assume-role chains, container
//! credential URIs and the instance metadata endpoint.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

use nubo_credentials::profile_chain::{Base, ChainError, ProfileChain, build};
use nubo_credentials::{ContainerUriError, container_uri, imds_endpoint};
use nubo_settings::env::Env;
use nubo_settings::parse::FileKind;
use nubo_settings::profiles::{Origin, ProfileSet, Property, Section};
use serde_json::{Map, Value, json};
use std::path::PathBuf;

fn suite(name: &str) -> Value {
    let dir = std::env::var_os("NUBO_CONFORMANCE_DIR").unwrap_or_else(|| {
        panic!("NUBO_CONFORMANCE_DIR is not set: point it at the directory holding the cross-SDK {name}")
    });
    let path = PathBuf::from(dir).join(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn sections(v: Option<&Value>) -> indexmap::IndexMap<String, Section> {
    let mut out = indexmap::IndexMap::new();
    for (name, props) in v.and_then(Value::as_object).into_iter().flatten() {
        let mut s = Section::default();
        for (k, val) in props.as_object().into_iter().flatten() {
            let origin = Origin { path: PathBuf::from("/h/.aws/config"), line: 1, kind: FileKind::Config };
            let value = val.as_str().unwrap_or_default().to_string();
            s.properties.insert(k.to_ascii_lowercase(), Property { value, sub: Vec::new(), origin });
        }
        out.insert(name.clone(), s);
    }
    out
}

fn opt(map: &mut Map<String, Value>, key: &str, v: &Option<String>) {
    if let Some(v) = v {
        map.insert(key.into(), json!(v));
    }
}

fn chain_json(chain: &ProfileChain) -> Value {
    let mut out = Vec::new();
    out.push(match &chain.base {
        Base::AccessKey(k) => {
            let mut m = Map::new();
            m.insert("access_key_id".into(), json!(k.access_key_id));
            m.insert("secret_access_key".into(), json!(k.secret_access_key()));
            opt(&mut m, "account_id", &k.account_id);
            json!({ "AccessKey": m })
        }
        Base::NamedSource(s) => json!({ "NamedSource": s.as_str() }),
        Base::WebIdentity(w) => {
            let mut m = Map::new();
            m.insert("role_arn".into(), json!(w.role_arn));
            m.insert("web_identity_token_file".into(), json!(w.token_file));
            opt(&mut m, "role_session_name", &w.session_name);
            json!({ "WebIdentityToken": m })
        }
        Base::Sso(s) => {
            let mut m = Map::new();
            opt(&mut m, "sso_session", &s.session);
            opt(&mut m, "sso_account_id", &s.account_id);
            m.insert("sso_region".into(), json!(s.region));
            opt(&mut m, "sso_role_name", &s.role_name);
            m.insert("sso_start_url".into(), json!(s.start_url));
            json!({ "Sso": m })
        }
        Base::Process(p) => json!({ "CredentialProcess": p.command }),
    });
    for r in &chain.roles {
        let mut m = Map::new();
        m.insert("role_arn".into(), json!(r.role_arn));
        opt(&mut m, "external_id", &r.external_id);
        opt(&mut m, "role_session_name", &r.session_name);
        out.push(json!({ "AssumeRole": m }));
    }
    Value::Array(out)
}

#[test]
fn conformance_assume_role_suite() {
    let cases = suite("assume-role-tests.json");
    let cases = cases.as_array().expect("an array of cases");
    assert_eq!(cases.len(), 28, "the pinned suite has 28 cases");
    let mut failures = Vec::new();
    for case in cases {
        let docs = case["docs"].as_str().unwrap_or("?");
        let input = &case["input"];
        let files = ProfileSet {
            profiles: sections(input.get("profiles")),
            sso_sessions: sections(input.get("sso_sessions")),
            ..Default::default()
        };
        let selected = input["selected_profile"].as_str().unwrap_or("default");
        let got = build(&files, selected);
        match (&got, case["output"].get("ProfileChain"), case["output"].get("Error").and_then(Value::as_str))
        {
            (Ok(chain), Some(want), _) => {
                let have = chain_json(chain);
                if &have != want {
                    failures.push(format!("{docs}: chain {have} != {want}"));
                }
            }
            (Err(e @ (ChainError::Invalid(_) | ChainError::NotFound(_))), _, Some(want)) => {
                if !e.to_string().contains(want) {
                    failures.push(format!("{docs}: error {e:?} does not contain {want:?}"));
                }
            }
            (got, _, _) => failures.push(format!("{docs}: unexpected {got:?} for {}", case["output"])),
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

fn env_of(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
        .collect()
}

#[test]
fn conformance_ecs_suite() {
    let suite = suite("ecs-tests.json");
    let cases = suite["tests"].as_array().expect("a `tests` array");
    assert_eq!(cases.len(), 11, "the pinned suite has 11 cases");
    let mut failures = Vec::new();
    for case in cases {
        let docs = case["docs"].as_str().unwrap_or("?");
        let env = Env::from_pairs(env_of(&case["env"]));
        let got = container_uri(&env);
        let result = &case["result"];
        match (
            &got,
            result.get("Ok").and_then(Value::as_str),
            result.get("ErrorContains").and_then(Value::as_str),
        ) {
            (Ok(uri), Some(want), _) if uri == want => {}
            (Err(e), _, Some(want)) if e.to_string().contains(want) => {
                if want.starts_with("No environment variables") && *e != ContainerUriError::NotConfigured {
                    failures.push(format!("{docs}: {e:?} should mean 'not configured'"));
                }
            }
            (got, _, _) => failures.push(format!("{docs}: got {got:?}, want {result}")),
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
fn conformance_imds_endpoint_suite() {
    let suite = suite("imds-endpoint-tests.json");
    let cases = suite["tests"].as_array().expect("a `tests` array");
    assert_eq!(cases.len(), 14, "the pinned suite has 14 cases");
    let mut failures = Vec::new();
    for case in cases {
        let docs = case["docs"].as_str().unwrap_or("?");
        let dir = tempfile::tempdir().expect("a temporary directory");
        for (name, text) in case["fs"].as_object().into_iter().flatten() {
            std::fs::write(dir.path().join(name), text.as_str().unwrap_or_default()).expect("writable");
        }
        let mut pairs = env_of(&case["env"]);
        for (k, v) in pairs.iter_mut() {
            if k == "AWS_CONFIG_FILE" || k == "AWS_SHARED_CREDENTIALS_FILE" {
                *v = dir.path().join(&*v).display().to_string();
            }
        }
        pairs.push(("HOME".into(), dir.path().join("home").display().to_string()));
        let env = Env::from_pairs(pairs);
        let files = nubo_settings::profiles::load(&env).expect("the suite's files parse");
        let profile = nubo_settings::location::profile_from_env(&env).unwrap_or("default");
        let got = imds_endpoint(
            &env,
            files.profile(profile),
            case.get("endpoint_override").and_then(Value::as_str),
            case.get("mode_override").and_then(Value::as_str),
        )
        .map(|base| format!("{base}/latest/api/token"));
        let result = &case["result"];
        match (&got, result.get("Ok").and_then(Value::as_str), result.get("Err").and_then(Value::as_str)) {
            (Ok(url), Some(want), _) if url == want => {}
            (Err(e), _, Some(want)) if e.contains(want) => {}
            (got, _, _) => failures.push(format!("{docs}: got {got:?}, want {result}")),
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
