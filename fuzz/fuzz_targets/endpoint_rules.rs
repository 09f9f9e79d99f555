//! Fuzz target: the endpoint rules interpreter of nubo-endpoint. The first byte picks a bundled rule
//! set (or, from 0xF0 up, the input itself is a rule set); the rest is the parameters as JSON.
#![no_main]

use nubo_endpoint::{Partitions, RuleSet, params_from_json, resolve};
use nubo_model::Loader;
use std::sync::OnceLock;

const SERVICES: [&str; 5] = ["s3", "s3control", "ec2", "dynamodb", "sts"];

static RULES: OnceLock<(Vec<RuleSet>, Partitions)> = OnceLock::new();

fn init() -> (Vec<RuleSet>, Partitions) {
    let loader = Loader::new(Vec::new());
    let rules = SERVICES
        .iter()
        .map(|name| {
            let files = loader.load_service(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            let service = nubo_client::Service::from_files(name, files).unwrap_or_else(|e| panic!("{e:?}"));
            service.rule_set().unwrap_or_else(|e| panic!("{e:?}"))
        })
        .collect();
    let partitions = nubo_client::service::partitions().unwrap_or_else(|e| panic!("{e:?}"));
    (rules, partitions)
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (rules, partitions) = RULES.get_or_init(init);
    let [pick, rest @ ..] = data else { return };
    if *pick >= 0xF0 {
        let Ok(rules) = RuleSet::from_json(rest) else { return };
        let params = serde_json::json!({"Region": "us-east-1", "Bucket": "b", "UseFIPS": false});
        if let Ok(params) = params_from_json(&params) {
            let _ = resolve(&rules, partitions, &params);
        }
        return;
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(rest) else { return };
    let Ok(params) = params_from_json(&value) else { return };
    let _ = resolve(&rules[*pick as usize % rules.len()], partitions, &params);
});
