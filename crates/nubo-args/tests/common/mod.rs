//! Loading the pinned botocore models for the tests, from `$NUBO_BOTOCORE_DIR/botocore/data`.

#![allow(dead_code)]

use std::path::PathBuf;

use nubo_args::{ArgOptions, ArgsError, ParsedArgs};
use nubo_model::ServiceModel;
use nubo_model::names::xform_name;

/// `$NUBO_BOTOCORE_DIR/botocore/data`; a missing variable or directory fails the test.
pub fn data_dir() -> PathBuf {
    let dir = std::env::var_os("NUBO_BOTOCORE_DIR").unwrap_or_else(|| {
        panic!("NUBO_BOTOCORE_DIR is not set: it must name the pinned botocore source distribution (scripts/test sets it)")
    });
    let data = PathBuf::from(dir).join("botocore").join("data");
    assert!(
        data.is_dir(),
        "{} is not a directory: NUBO_BOTOCORE_DIR must name the botocore source distribution",
        data.display()
    );
    data
}

/// The newest API version directory of a service.
pub fn service_dir(service: &str) -> PathBuf {
    let dir = data_dir().join(service);
    let mut versions: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("service-2.json").is_file())
        .collect();
    versions.sort();
    versions.pop().unwrap_or_else(|| panic!("no service-2.json under {}", dir.display()))
}

pub fn load(service: &str) -> ServiceModel {
    let path = service_dir(service).join("service-2.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    ServiceModel::from_json(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The operation whose CLI name is `cli_op`.
pub fn operation<'m>(model: &'m ServiceModel, cli_op: &str) -> &'m nubo_model::Operation {
    model
        .operations
        .iter()
        .find(|(name, _)| xform_name(name) == cli_op)
        .map(|(_, op)| op)
        .unwrap_or_else(|| panic!("no operation {cli_op}"))
}

/// Options for `cli_service` with the operation's paginator from `paginators-1.json`, if any.
pub fn options_for(service: &str, cli_service: &str, op_name: &str) -> ArgOptions {
    let mut opts = ArgOptions { service: cli_service.to_string(), ..ArgOptions::default() };
    let path = service_dir(service).join("paginators-1.json");
    if let Ok(bytes) = std::fs::read(&path) {
        let doc: serde_json::Value = serde_json::from_slice(&bytes).expect("paginators-1.json parses");
        if let Some(p) = doc.get("pagination").and_then(|p| p.get(op_name)) {
            opts.paginated = true;
            opts.input_tokens = match p.get("input_token") {
                Some(serde_json::Value::String(s)) => vec![s.clone()],
                Some(serde_json::Value::Array(a)) => {
                    a.iter().filter_map(|v| v.as_str().map(String::from)).collect()
                }
                _ => Vec::new(),
            };
            opts.limit_key = p.get("limit_key").and_then(|v| v.as_str()).map(String::from);
        }
    }
    opts
}

/// Parse `args` for `cli_op` of `service` (botocore directory name) called as `cli_service`.
pub fn run_with(
    service: &str,
    cli_service: &str,
    cli_op: &str,
    args: &[&str],
    tweak: impl FnOnce(&mut ArgOptions),
) -> Result<ParsedArgs, ArgsError> {
    let model = load(service);
    let op = operation(&model, cli_op);
    let mut opts = options_for(service, cli_service, &op.name);
    tweak(&mut opts);
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let mut parsed = nubo_args::parse(&model, op, &args, &opts)?;
    // The expected inputs were captured before botocore fills idempotency tokens; a token filled
    // here (a UUID v4, not given on the command line) is checked and left out of the comparison.
    let input_shape = op.input.as_ref().and_then(|r| model.shapes.get(&r.shape));
    if let (Some(shape), Some(map)) = (input_shape, parsed.input.as_object_mut()) {
        for (name, member) in shape.members.iter() {
            let flag = format!("--{}", xform_name(name));
            if member.idempotency_token
                && !args.contains(&flag)
                && !args.iter().any(|a| a.contains(name.as_str()))
                && let Some(v) = map.remove(name.as_str())
            {
                assert_eq!(v.as_str().map(str::len), Some(36), "{name} is a UUID: {v}");
            }
        }
    }
    Ok(parsed)
}

pub fn run(service: &str, cli_service: &str, cli_op: &str, args: &[&str]) -> Result<ParsedArgs, ArgsError> {
    run_with(service, cli_service, cli_op, args, |_| {})
}
