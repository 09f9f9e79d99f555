//! Options the CLI adds to model operations, turned into the operation's own options before they are
//! parsed: `cloudwatch put-metric-data --metric-name --value …`, `emr list-clusters --active`,
//! `cloudfront create-invalidation --paths …`.

use crate::error::{CliError, CliResult};
use serde_json::{Map, Number, Value, json};

/// Takes `name`'s value(s) out of `args`: `Some(values)` when given (one value, or all up to the next
/// option when `many`).
pub(super) fn take(args: &mut Vec<String>, name: &str, many: bool) -> CliResult<Option<Vec<String>>> {
    let flag = format!("--{name}");
    let Some(i) = args.iter().position(|a| *a == flag || a.starts_with(&format!("{flag}="))) else {
        return Ok(None);
    };
    let first = args.remove(i);
    let mut values = Vec::new();
    if let Some(v) = first.strip_prefix(&format!("{flag}=")) {
        values.push(v.to_string());
    }
    while i < args.len() && !args[i].starts_with("--") && (many || values.is_empty()) {
        values.push(args.remove(i));
    }
    if values.is_empty() {
        return Err(CliError::Usage(match many {
            true => format!("argument {flag}: expected at least one argument"),
            false => format!("argument {flag}: expected one argument"),
        }));
    }
    Ok(Some(values))
}

/// Takes a flag out of `args`.
fn take_flag(args: &mut Vec<String>, name: &str) -> bool {
    let flag = format!("--{name}");
    let before = args.len();
    args.retain(|a| *a != flag);
    args.len() != before
}

pub(super) fn given(args: &[String], name: &str) -> bool {
    let flag = format!("--{name}");
    args.iter().any(|a| *a == flag || a.starts_with(&format!("{flag}=")))
}

/// The CLI's message when options of two exclusive groups are mixed (a value error: 255).
pub(super) fn exclusive(key: &str, group: &[&str]) -> CliError {
    CliError::Other(format!(
        "The key \"{}\" cannot be specified when one of the following keys are also specified: {}",
        key.replace('-', "_"),
        group.iter().map(|g| g.replace('-', "_")).collect::<Vec<_>>().join(", ")
    ))
}

/// A decimal number as the CLI reads one (`1`, `2.50`, `1e3`).
fn number(option: &str, text: &str) -> CliResult<Value> {
    let t = text.trim();
    if let Ok(n) = serde_json::from_str::<Number>(t) {
        return Ok(Value::Number(n));
    }
    t.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
        .ok_or_else(|| CliError::Usage(format!("argument --{option}: invalid decimal value: '{text}'")))
}

/// `Name=Value,Name=Value` pairs.
fn pairs(option: &str, text: &str) -> CliResult<Vec<(String, String)>> {
    text.split(',')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split('=').collect::<Vec<_>>().as_slice() {
            [k, v] => Ok((k.trim().to_string(), v.trim().to_string())),
            _ => Err(CliError::Usage(format!(
                "argument --{option}: expected Name=Value pairs separated by commas, not '{p}'"
            ))),
        })
        .collect()
}

const METRIC_SHORTCUTS: [&str; 7] =
    ["metric-name", "timestamp", "unit", "value", "dimensions", "statistic-values", "storage-resolution"];

/// `cloudwatch put-metric-data`: the first datum from `--metric-name --value --unit --timestamp
/// --dimensions --statistic-values --storage-resolution`.
pub fn put_metric_data(args: &[String]) -> CliResult<Vec<String>> {
    let mut args = args.to_vec();
    let mut datum = Map::new();
    let mut used = None;
    for name in METRIC_SHORTCUTS {
        let Some(v) = take(&mut args, name, false)? else { continue };
        used.get_or_insert(name);
        let v = v.into_iter().next().unwrap_or_default();
        let (key, value) =
            match name {
                "metric-name" => ("MetricName", json!(v)),
                "timestamp" => ("Timestamp", json!(v)),
                "unit" => ("Unit", json!(v)),
                "value" => ("Value", number(name, &v)?),
                "dimensions" => (
                    "Dimensions",
                    Value::Array(
                        pairs(name, &v)?.into_iter().map(|(k, v)| json!({"Name": k, "Value": v})).collect(),
                    ),
                ),
                "statistic-values" => {
                    let mut stats = Map::new();
                    for (k, val) in pairs(name, &v)? {
                        stats.insert(k, number(name, &val)?);
                    }
                    ("StatisticValues", Value::Object(stats))
                }
                _ => (
                    "StorageResolution",
                    json!(v.trim().parse::<i64>().map_err(|_| CliError::Usage(format!(
                        "argument --{name}: invalid int value: '{v}'"
                    )))?),
                ),
            };
        datum.insert(key.into(), value);
    }
    let Some(first) = used else { return Ok(args) };
    if given(&args, "metric-data") {
        return Err(exclusive(first, &["metric-data"]));
    }
    args.extend(["--metric-data".to_string(), Value::Array(vec![Value::Object(datum)]).to_string()]);
    Ok(args)
}

const ACTIVE_STATES: [&str; 5] = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING", "TERMINATING"];

/// `emr list-clusters --active | --terminated | --failed`: one cluster-state filter.
pub fn list_clusters(args: &[String]) -> CliResult<Vec<String>> {
    let mut args = args.to_vec();
    let mut states: Vec<&[&str]> = Vec::new();
    if take_flag(&mut args, "active") {
        states.push(&ACTIVE_STATES);
    }
    if take_flag(&mut args, "terminated") {
        states.push(&["TERMINATED"]);
    }
    if take_flag(&mut args, "failed") {
        states.push(&["TERMINATED_WITH_ERRORS"]);
    }
    if states.len() + usize::from(given(&args, "cluster-states")) > 1 {
        return Err(CliError::Usage(
            "You can specify only one of the cluster state filters: --cluster-states, --active, --terminated, --failed."
                .into(),
        ));
    }
    if let Some(s) = states.first() {
        args.push("--cluster-states".into());
        args.extend(s.iter().map(|s| s.to_string()));
    }
    Ok(args)
}

/// `cloudfront create-invalidation --paths P…`: the invalidation batch with a fresh caller reference.
pub fn create_invalidation(args: &[String]) -> CliResult<Vec<String>> {
    let mut args = args.to_vec();
    let Some(paths) = take(&mut args, "paths", true)? else { return Ok(args) };
    if given(&args, "invalidation-batch") {
        return Err(exclusive("paths", &["invalidation-batch"]));
    }
    let batch =
        json!({"CallerReference": caller_reference(), "Paths": {"Quantity": paths.len(), "Items": paths}});
    args.extend(["--invalidation-batch".to_string(), batch.to_string()]);
    Ok(args)
}

/// `emr add-tags --tags k=v k2 …`: each word is a tag (`Key=Value`, or a key with an empty value).
pub fn emr_add_tags(args: &[String]) -> CliResult<Vec<String>> {
    let mut args = args.to_vec();
    let Some(words) = take(&mut args, "tags", true)? else { return Ok(args) };
    let tags: Vec<serde_json::Value> = words
        .iter()
        .map(|w| {
            let (k, v) = w.split_once('=').unwrap_or((w, ""));
            json!({"Key": k, "Value": v})
        })
        .collect();
    args.extend(["--tags".to_string(), serde_json::Value::Array(tags).to_string()]);
    Ok(args)
}

/// `cli-<epoch seconds>-<1..=1000000>`, unique enough for one caller, as the CLI makes it.
fn caller_reference() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let random = u64::from(now.subsec_nanos()) ^ u64::from(std::process::id()).wrapping_mul(2_654_435_761);
    format!("cli-{}-{}", now.as_secs(), random % 1_000_000 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn emr_tags() {
        let out = emr_add_tags(&s(&["--resource-id", "j-1", "--tags", "a=1", "b", "c=x=y"])).unwrap();
        assert_eq!(
            out,
            s(&[
                "--resource-id",
                "j-1",
                "--tags",
                r#"[{"Key":"a","Value":"1"},{"Key":"b","Value":""},{"Key":"c","Value":"x=y"}]"#
            ])
        );
    }

    #[test]
    fn metric_shortcuts() {
        let out = put_metric_data(&s(&[
            "--namespace",
            "ns",
            "--metric-name",
            "m",
            "--value",
            "1.5",
            "--dimensions",
            "A=1,B=2",
            "--statistic-values",
            "Sum=3,Minimum=1,Maximum=2,SampleCount=2",
            "--unit=Count",
        ]))
        .unwrap();
        assert_eq!(out[..2], s(&["--namespace", "ns"]));
        assert_eq!(out[2], "--metric-data");
        let v: Value = serde_json::from_str(&out[3]).unwrap();
        assert_eq!(
            v,
            json!([{"MetricName": "m", "Unit": "Count", "Value": 1.5, "Dimensions": [{"Name": "A", "Value": "1"},
                {"Name": "B", "Value": "2"}], "StatisticValues": {"Sum": 3, "Minimum": 1, "Maximum": 2, "SampleCount": 2}}])
        );
        assert!(put_metric_data(&s(&["--metric-name", "m", "--metric-data", "[]"])).is_err());
        assert!(put_metric_data(&s(&["--value", "x"])).is_err());
        assert_eq!(put_metric_data(&s(&["--metric-data", "[]"])).unwrap(), s(&["--metric-data", "[]"]));
    }

    #[test]
    fn cluster_state_filters() {
        assert_eq!(
            list_clusters(&s(&["--active"])).unwrap(),
            s(&["--cluster-states", "STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING", "TERMINATING"])
        );
        assert!(list_clusters(&s(&["--active", "--failed"])).is_err());
        assert!(list_clusters(&s(&["--terminated", "--cluster-states", "RUNNING"])).is_err());
    }

    #[test]
    fn invalidation_paths() {
        let out = create_invalidation(&s(&["--distribution-id", "D", "--paths", "/a", "/b*"])).unwrap();
        let v: Value = serde_json::from_str(&out[3]).unwrap();
        assert_eq!(v["Paths"], json!({"Quantity": 2, "Items": ["/a", "/b*"]}));
        assert!(v["CallerReference"].as_str().unwrap().starts_with("cli-"));
        assert!(create_invalidation(&s(&["--paths"])).is_err());
    }
}
