//! The loader against temporary directories in botocore's layout: version choice, file forms, the
//! order of directories, sdk-extras merging and the fallback to the bundle.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

use flate2::Compression;
use flate2::write::GzEncoder;
use nubo_model::loader::default_search_paths;
use nubo_model::{Loader, ServiceFiles, bundle};
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn write_json(dir: &Path, rel: &str, value: &Value) {
    write(&dir.join(rel), value.to_string().as_bytes());
}

fn write_gz(dir: &Path, rel: &str, value: &Value) {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(value.to_string().as_bytes()).unwrap();
    write(&dir.join(rel), &enc.finish().unwrap());
}

fn model(tag: &str) -> Value {
    json!({"version": "2.0", "metadata": {"protocol": "json", "apiVersion": tag}, "operations": {}, "shapes": {}})
}

fn parsed(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

fn tag(files: &ServiceFiles) -> String {
    parsed(&files.service_2)["metadata"]["apiVersion"].as_str().unwrap_or_default().to_string()
}

fn bundled(service: &str) -> ServiceFiles {
    bundle::load(service).unwrap().unwrap()
}

#[test]
fn without_directories_the_bundle_answers() {
    let loader = Loader::new(vec![]);
    assert_eq!(loader.load_service("sts").unwrap(), bundled("sts"));
    let missing = Loader::new(vec![PathBuf::from("/nonexistent/nubo/models")]);
    assert_eq!(missing.load_service("ec2").unwrap(), bundled("ec2"));
    let err = loader.load_service("no-such-service").unwrap_err();
    assert!(err.0.contains("no-such-service"), "{err}");
}

#[test]
fn a_new_service_in_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    write_json(dir.path(), "myservice/2024-01-01/service-2.json", &model("a"));
    write_json(dir.path(), "myservice/2024-01-01/paginators-1.json", &json!({"pagination": {}}));
    write_gz(dir.path(), "myservice/2024-01-01/waiters-2.json.gz", &json!({"version": 2, "waiters": {}}));
    write_json(dir.path(), "myservice/2023-01-01/endpoint-rule-set-1.json", &json!({"rules": []}));
    write_json(dir.path(), "myservice/2025-01-01/paginators-1.json", &json!({"newer": true}));
    let loader = Loader::new(vec![dir.path().to_path_buf()]);
    let files = loader.load_service("myservice").unwrap();
    assert_eq!(tag(&files), "a");
    assert_eq!(parsed(files.paginators.as_deref().unwrap()), json!({"pagination": {}}));
    assert_eq!(parsed(files.waiters.as_deref().unwrap()), json!({"version": 2, "waiters": {}}));
    assert_eq!(parsed(files.endpoint_rule_set.as_deref().unwrap()), json!({"rules": []}));
    let services = loader.available_services();
    assert!(services.iter().any(|s| s == "myservice"));
    assert!(services.iter().any(|s| s == "s3"));
    assert!(services.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn gzip_models_and_json_before_gzip() {
    let dir = tempfile::tempdir().unwrap();
    write_gz(dir.path(), "zipped/2020-01-01/service-2.json.gz", &model("gz"));
    write_gz(dir.path(), "both/2020-01-01/service-2.json.gz", &model("gz"));
    write_json(dir.path(), "both/2020-01-01/service-2.json", &model("json"));
    let loader = Loader::new(vec![dir.path().to_path_buf()]);
    let files = loader.load_service("zipped").unwrap();
    assert_eq!(tag(&files), "gz");
    assert_eq!(files.paginators, None);
    assert_eq!(files.waiters, None);
    assert_eq!(files.endpoint_rule_set, None);
    assert_eq!(tag(&loader.load_service("both").unwrap()), "json");
}

#[test]
fn newest_version_wins_across_directories_and_first_directory_on_a_tie() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    write_json(first.path(), "svc/2020-01-01/service-2.json", &model("first-2020"));
    write_json(second.path(), "svc/2020-01-01/service-2.json", &model("second-2020"));
    let loader = Loader::new(vec![first.path().to_path_buf(), second.path().to_path_buf()]);
    assert_eq!(tag(&loader.load_service("svc").unwrap()), "first-2020");
    write_json(second.path(), "svc/2021-01-01/service-2.json", &model("second-2021"));
    assert_eq!(tag(&loader.load_service("svc").unwrap()), "second-2021");
}

#[test]
fn an_older_version_than_the_bundle_loses() {
    let dir = tempfile::tempdir().unwrap();
    write_json(dir.path(), "sts/2000-01-01/service-2.json", &model("old"));
    write_json(dir.path(), "sts/2000-01-01/endpoint-rule-set-1.json", &json!({"old": true}));
    let loader = Loader::new(vec![dir.path().to_path_buf()]);
    assert_eq!(loader.load_service("sts").unwrap(), bundled("sts"));
}

#[test]
fn a_newer_version_than_the_bundle_wins_and_keeps_the_bundled_rule_set() {
    let dir = tempfile::tempdir().unwrap();
    write_json(dir.path(), "sts/2099-01-01/service-2.json", &model("new"));
    let loader = Loader::new(vec![dir.path().to_path_buf()]);
    let files = loader.load_service("sts").unwrap();
    let reference = bundled("sts");
    assert_eq!(tag(&files), "new");
    // Paginators and waiters belong to the model's own version, which the bundle does not have.
    assert_eq!(files.paginators, None);
    assert_eq!(files.waiters, None);
    // The rule set is the newest one anywhere: the bundle's.
    assert_eq!(files.endpoint_rule_set, reference.endpoint_rule_set);
}

#[test]
fn the_bundled_version_in_a_directory_replaces_only_the_files_it_has() {
    let dir = tempfile::tempdir().unwrap();
    let version = bundle::api_version("s3").unwrap();
    write_json(dir.path(), &format!("s3/{version}/service-2.json"), &model("mine"));
    let loader = Loader::new(vec![dir.path().to_path_buf()]);
    let files = loader.load_service("s3").unwrap();
    let reference = bundled("s3");
    assert_eq!(tag(&files), "mine");
    assert!(files.paginators.is_some());
    assert_eq!(files.paginators, reference.paginators);
    assert_eq!(files.waiters, reference.waiters);
    assert_eq!(files.endpoint_rule_set, reference.endpoint_rule_set);
    // The same with the waiters replaced as well.
    write_json(dir.path(), &format!("s3/{version}/waiters-2.json"), &json!({"waiters": {"Mine": {}}}));
    let files = loader.load_service("s3").unwrap();
    assert_eq!(parsed(files.waiters.as_deref().unwrap()), json!({"waiters": {"Mine": {}}}));
    assert_eq!(files.paginators, reference.paginators);
}

#[test]
fn sdk_extras_are_deep_merged() {
    let dir = tempfile::tempdir().unwrap();
    let base = json!({"metadata": {"protocol": "json", "keep": 1}, "operations": {"A": {"name": "A"}}, "shapes": {}});
    write_json(dir.path(), "ext/2020-01-01/service-2.json", &base);
    write_json(
        dir.path(),
        "ext/2020-01-01/service-2.sdk-extras.json",
        &json!({"version": 1.0, "merge": {"metadata": {"protocol": "query", "added": [1, 2]}, "shapes": 5}}),
    );
    write_json(
        dir.path(),
        "ext/2020-01-01/paginators-1.json",
        &json!({"pagination": {"A": {"input_token": "T"}}}),
    );
    write_gz(
        dir.path(),
        "ext/2020-01-01/paginators-1.sdk-extras.json.gz",
        &json!({"merge": {"pagination": {"A": {"non_aggregate_keys": ["K"]}}}}),
    );
    let loader = Loader::new(vec![dir.path().to_path_buf()]);
    let files = loader.load_service("ext").unwrap();
    assert_eq!(
        parsed(&files.service_2),
        json!({"metadata": {"protocol": "query", "keep": 1, "added": [1, 2]}, "operations": {"A": {"name": "A"}}, "shapes": 5})
    );
    assert_eq!(
        parsed(files.paginators.as_deref().unwrap()),
        json!({"pagination": {"A": {"input_token": "T", "non_aggregate_keys": ["K"]}}})
    );
}

#[test]
fn extras_without_merge_leave_the_file_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("raw/2020-01-01/service-2.json"), b"{ \"spacing\" : 1 }");
    write_json(dir.path(), "raw/2020-01-01/service-2.sdk-extras.json", &json!({"version": 1}));
    let loader = Loader::new(vec![dir.path().to_path_buf()]);
    assert_eq!(loader.load_service("raw").unwrap().service_2, b"{ \"spacing\" : 1 }");
}

#[test]
fn broken_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("badgz/2020-01-01/service-2.json.gz"), b"not gzip");
    write(&dir.path().join("badjson/2020-01-01/service-2.json"), b"{not json");
    write_json(dir.path(), "badjson/2020-01-01/service-2.sdk-extras.json", &json!({"merge": {"a": 1}}));
    write_json(dir.path(), "badextras/2020-01-01/service-2.json", &model("x"));
    write(&dir.path().join("badextras/2020-01-01/service-2.sdk-extras.json"), b"[");
    let loader = Loader::new(vec![dir.path().to_path_buf()]);
    for name in ["badgz", "badjson", "badextras"] {
        assert!(loader.load_service(name).is_err(), "{name} loaded");
    }
}

#[test]
fn directories_without_models_are_not_services() {
    let dir = tempfile::tempdir().unwrap();
    write_json(dir.path(), "onlypag/2020-01-01/paginators-1.json", &json!({"pagination": {}}));
    write(&dir.path().join("afile"), b"x");
    std::fs::create_dir_all(dir.path().join("empty")).unwrap();
    let loader = Loader::new(vec![dir.path().to_path_buf()]);
    let services = loader.available_services();
    for name in ["onlypag", "afile", "empty"] {
        assert!(!services.iter().any(|s| s == name), "{name} listed");
        assert!(loader.load_service(name).is_err(), "{name} loaded");
    }
}

#[test]
fn names_that_leave_the_directory_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_json(dir.path(), "inner/svc/2020-01-01/service-2.json", &model("x"));
    let loader = Loader::new(vec![dir.path().to_path_buf()]);
    for name in ["", ".", "..", "inner/svc", "../x", "a\\b"] {
        assert!(loader.load_service(name).is_err(), "{name:?} loaded");
    }
}

#[test]
fn search_paths_from_the_environment() {
    let home = Path::new("/home/u");
    let env = |name: &str| (name == "X").then(|| "/x".to_string());
    let paths = default_search_paths(Some("/a:~/b:$X/c:${X}/d::$NOPE/e:~"), Some(home), env);
    let expected: Vec<PathBuf> =
        ["/a", "/home/u/b", "/x/c", "/x/d", "$NOPE/e", "/home/u", "/home/u/.aws/models"]
            .iter()
            .map(PathBuf::from)
            .collect();
    assert_eq!(paths, expected);
    assert_eq!(default_search_paths(None, Some(home), env), vec![PathBuf::from("/home/u/.aws/models")]);
    assert_eq!(default_search_paths(Some("~/m"), None, env), vec![PathBuf::from("~/m")]);
    assert_eq!(default_search_paths(Some("${X"), None, env), vec![PathBuf::from("${X")]);
}
