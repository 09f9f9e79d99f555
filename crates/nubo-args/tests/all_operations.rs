//! Every operation of every service in the pinned botocore models: the option table, the three
//! skeletons and a few command lines are produced without a panic, and the skeletons are well
//! formed (the JSON parses; the YAML parses; a skeleton given back through `--cli-input-json`
//! parses too).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use nubo_args::{ArgOptions, Skeleton, SkeletonKind};

#[test]
fn every_operation_of_every_service() {
    let data = common::data_dir();
    let mut services: Vec<String> = std::fs::read_dir(&data)
        .expect("botocore data directory is readable")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    services.sort();
    assert!(services.len() > 300, "expected the full botocore data set, found {} services", services.len());
    let mut operations = 0usize;
    for service in &services {
        let model = common::load(service);
        for (name, op) in model.operations.iter() {
            operations += 1;
            let opts = common::options_for(service, service, name);
            let specs = nubo_args::options(&model, op, &opts);
            for spec in &specs {
                assert!(
                    spec.name.starts_with("--") || spec.name == "outfile",
                    "{service} {name}: {}",
                    spec.name
                );
            }
            let Skeleton::Text(json) = nubo_args::skeleton(&model, op, SkeletonKind::Input) else { panic!() };
            let parsed: serde_json::Value = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("{service} {name}: skeleton JSON: {e}"));
            assert!(parsed.is_object());
            let Skeleton::Text(yaml) = nubo_args::skeleton(&model, op, SkeletonKind::YamlInput) else {
                panic!()
            };
            let _: yaml_serde::Value = yaml_serde::from_str(&yaml)
                .unwrap_or_else(|e| panic!("{service} {name}: skeleton YAML: {e}\n{yaml}"));
            let Skeleton::Output(_) = nubo_args::skeleton(&model, op, SkeletonKind::Output) else { panic!() };

            let has_outfile = specs.iter().any(|s| s.name == "outfile");
            let no_validation = ArgOptions { parameter_validation: false, ..opts.clone() };
            if !has_outfile {
                // Skeleton values need not validate (empty strings under minimums); they must parse.
                let args = vec!["--cli-input-json".to_string(), json.clone()];
                if let Err(e) = nubo_args::parse(&model, op, &args, &no_validation) {
                    panic!("{service} {name}: {}", e.message);
                }
            }
            let _ = nubo_args::parse(&model, op, &[], &opts);
            let _ = nubo_args::parse(&model, op, &["--generate-cli-skeleton".to_string()], &opts);
        }
    }
    assert!(operations > 10_000, "only {operations} operations");
}
