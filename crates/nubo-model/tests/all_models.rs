//! Every bundled service: its files parse, its model loads as a `ServiceModel`, and the CLI names of its
//! operations, members and waiters have the properties botocore's `xform_name` guarantees.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

use nubo_model::names::{xform_name, xform_name_sep};
use nubo_model::{ServiceModel, bundle};
use serde_json::Value;
use std::collections::HashMap;

/// Properties of `xform_name` that hold for any name without the separator: the result only inserts
/// separators and lower-cases, it is all lower-case, and applying it again changes nothing.
fn check_name(name: &str, problems: &mut Vec<String>) {
    let cli = xform_name(name);
    if cli.replace('-', "") != name.to_lowercase() && !name.contains('-') {
        problems.push(format!("{name} -> {cli}: not the same letters"));
    }
    if cli.chars().any(|c| c.is_ascii_uppercase()) {
        problems.push(format!("{name} -> {cli}: upper-case left"));
    }
    if xform_name(&cli) != cli {
        problems.push(format!("{name} -> {cli}: not idempotent"));
    }
    if !name.contains('_') && xform_name_sep(name, '_') != cli.replace('-', "_") {
        problems.push(format!("{name}: '_' and '-' forms differ"));
    }
}

#[test]
fn every_bundled_service_loads_and_names_convert() {
    let mut problems = Vec::new();
    let mut counts = (0, 0, 0, 0);
    for service in bundle::service_names() {
        let files = bundle::load(service).unwrap().unwrap_or_else(|e| panic!("{service}: {e}"));
        let model: Value = serde_json::from_slice(&files.service_2).unwrap();
        ServiceModel::from_json(&files.service_2).unwrap_or_else(|e| panic!("{service}: {e}"));
        for extra in [&files.paginators, &files.waiters, &files.endpoint_rule_set].into_iter().flatten() {
            serde_json::from_slice::<Value>(extra).unwrap_or_else(|e| panic!("{service}: {e}"));
        }
        let ops = model["operations"].as_object().unwrap();
        let mut by_cli: HashMap<String, &str> = HashMap::new();
        for name in ops.keys() {
            check_name(name, &mut problems);
            if let Some(other) = by_cli.insert(xform_name(name), name) {
                problems.push(format!("{service}: {name} and {other} have the same CLI name"));
            }
            counts.0 += 1;
        }
        for shape in model["shapes"].as_object().unwrap().values() {
            for member in shape.get("members").and_then(Value::as_object).into_iter().flat_map(|m| m.keys()) {
                check_name(member, &mut problems);
                counts.1 += 1;
            }
        }
        if let Some(waiters) = &files.waiters {
            let waiters: Value = serde_json::from_slice(waiters).unwrap();
            for name in waiters["waiters"].as_object().unwrap().keys() {
                check_name(name, &mut problems);
                counts.2 += 1;
            }
        }
        counts.3 += 1;
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    assert!(counts.3 > 400 && counts.0 > 15_000 && counts.1 > 200_000 && counts.2 > 300, "{counts:?}");
}

#[test]
fn well_known_cli_names() {
    let ops = |service: &str| -> Vec<String> {
        let files = bundle::load(service).unwrap().unwrap();
        let model: Value = serde_json::from_slice(&files.service_2).unwrap();
        model["operations"].as_object().unwrap().keys().map(|k| xform_name(k)).collect()
    };
    let s3 = ops("s3");
    for name in ["list-objects-v2", "get-object", "put-bucket-acl", "get-bucket-cors"] {
        assert!(s3.iter().any(|o| o == name), "s3 lacks {name}");
    }
    let rds = ops("rds");
    assert!(rds.iter().any(|o| o == "describe-db-instances"));
    let ec2 = ops("ec2");
    assert!(ec2.iter().any(|o| o == "describe-instances"));
    let sgw = ops("storagegateway");
    assert!(sgw.iter().any(|o| o == "create-cached-iscsi-volume"));
}

/// The bundle's model index describes exactly what a full parse of the text finds: the same
/// operations in the same order, the same shapes, each part the same JSON.
#[test]
fn model_index_matches_the_text() {
    for service in nubo_model::bundle::service_names() {
        let files = nubo_model::bundle::load(service).unwrap().unwrap();
        let index = files.model_index.as_deref().expect("bundled models carry an index");
        let indexed = nubo_model::ServiceModel::from_indexed_json(files.service_2.clone(), index).unwrap();
        let full: serde_json::Value = serde_json::from_slice(&files.service_2).unwrap();
        let ops = full["operations"].as_object().unwrap();
        assert_eq!(
            indexed.operations.keys().collect::<Vec<_>>(),
            ops.keys().collect::<Vec<_>>(),
            "{service}"
        );
        assert_eq!(indexed.shapes.len(), full["shapes"].as_object().unwrap().len(), "{service}");
        assert_eq!(
            indexed.metadata.protocol,
            full["metadata"]["protocol"].as_str().unwrap_or(""),
            "{service}"
        );
        for name in ops.keys().take(3) {
            // Operations are named by their key, as in botocore; the index must point at the right text.
            let op = indexed.operations.get(name).unwrap();
            assert_eq!(&op.name, name, "{service}");
            assert_eq!(
                op.http.request_uri,
                ops[name]["http"]["requestUri"].as_str().unwrap_or(""),
                "{service} {name}"
            );
        }
        for name in full["shapes"].as_object().unwrap().keys().take(5) {
            assert!(indexed.shapes.get(name).is_some(), "{service} {name}");
        }
    }
}

#[test]
fn a_broken_index_is_an_error_not_a_panic() {
    let files = nubo_model::bundle::load("sts").unwrap().unwrap();
    let index = files.model_index.unwrap();
    for cut in [0, 3, 8, 11, index.len() - 1] {
        assert!(nubo_model::ServiceModel::from_indexed_json(files.service_2.clone(), &index[..cut]).is_err());
    }
    let mut wrong = index.clone();
    wrong[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(nubo_model::ServiceModel::from_indexed_json(files.service_2.clone(), &wrong).is_err());
}
