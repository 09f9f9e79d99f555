//! `cloudformation deploy`: creates a change set for a template (CREATE for a new stack, UPDATE for an
//! existing one), waits for it, then executes it and waits for the stack, printing the CLI's messages.
//! As in CLI v2, a change set with no changes is not an error unless `--fail-on-empty-changeset`.

use super::cfn_s3::{Uploader, key_of};
use super::{api, args, cfn_template};
use crate::error::{CliError, CliResult, exit};
use nubo_session::Session;
use serde_json::{Map, Value, json};
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

const OPTS: &[args::Opt] = &[
    args::required("template-file"),
    args::required("stack-name"),
    args::value("s3-bucket"),
    args::flag("force-upload"),
    args::value("s3-prefix"),
    args::value("kms-key-id"),
    args::list("parameter-overrides"),
    args::list("capabilities"),
    args::flag("no-execute-changeset"),
    args::flag("disable-rollback"),
    args::flag("no-disable-rollback"),
    args::value("role-arn"),
    args::list("notification-arns"),
    args::flag("fail-on-empty-changeset"),
    args::flag("no-fail-on-empty-changeset"),
    args::list("tags"),
];

/// Templates larger than this must go through S3.
const MAX_BODY: u64 = 51_200;

/// `nubo cloudformation deploy`.
pub fn deploy(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    let p = args::parse(argv, OPTS)?;
    let path = expand_user(ctx, p.get("template-file").unwrap_or_default());
    if !std::path::Path::new(&path).is_file() {
        return Err(CliError::Other(format!("Invalid template path {path}")));
    }
    let template_str = std::fs::read_to_string(&path).map_err(|e| CliError::Other(format!("{path}: {e}")))?;
    let template = cfn_template::parse(&template_str).map_err(|e| CliError::Other(format!("{path}: {e}")))?;
    let stack = p.get("stack-name").unwrap_or_default().to_string();
    let overrides = parameter_overrides(p.list("parameter-overrides"))?;
    let tags: Vec<Value> =
        key_values(p.list("tags"), "tags")?.into_iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
    let parameters = merge_parameters(&template, &overrides);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let bucket = p.get("s3-bucket");
    if size > MAX_BODY && bucket.is_none() {
        return Err(CliError::Other(
            "Templates with a size greater than 51,200 bytes must be deployed via an S3 Bucket. Please add \
             the --s3-bucket parameter to your command. The local template will be copied to that S3 bucket \
             and then deployed."
                .into(),
        ));
    }
    let uploader = match bucket {
        Some(b) => {
            Some(Uploader::new(ctx, b, p.get("s3-prefix"), p.get("kms-key-id"), p.has("force-upload"))?)
        }
        None => None,
    };
    // The last of a pair of opposite flags wins, as argparse's shared destination does.
    let fail_on_empty = last_of(argv, "--fail-on-empty-changeset", "--no-fail-on-empty-changeset");
    let disable_rollback = last_of(argv, "--disable-rollback", "--no-disable-rollback");
    let cfn = api::client(ctx, "cloudformation")?;

    let notification_arns = p.has("notification-arns").then(|| p.list("notification-arns").to_vec());
    let request = ChangeSet {
        stack: &stack,
        template: &template_str,
        parameters,
        capabilities: p.list("capabilities").to_vec(),
        role_arn: p.get("role-arn"),
        notification_arns,
        tags,
    };
    let (id, kind) = create_change_set(&cfn, request, uploader.as_ref())?;
    match wait_for_change_set(&cfn, &id, &stack) {
        Ok(()) => {}
        Err(Empty) if !fail_on_empty => {
            println!("\n{}", empty_message(&stack));
            return Ok(exit::OK);
        }
        Err(Empty) => return Err(CliError::Other(format!("\n{}", empty_message(&stack)))),
        Err(Failed(e)) => return Err(e),
    }
    if p.has("no-execute-changeset") {
        print!(
            "Changeset created successfully. Run the following command to review changes:\n\
             aws cloudformation describe-change-set --change-set-name {id}\n"
        );
        flush();
        return Ok(exit::OK);
    }
    cfn.call(
        "ExecuteChangeSet",
        &json!({"ChangeSetName": id, "StackName": stack, "DisableRollback": disable_rollback}),
    )?;
    println!("Waiting for stack create/update to complete");
    flush();
    let waiter = if kind == "CREATE" { "StackCreateComplete" } else { "StackUpdateComplete" };
    if cfn.wait(waiter, &json!({"StackName": stack}), Some(30), Some(120)).is_err() {
        return Err(CliError::Other(format!(
            "\nFailed to create/update the stack. Run the following command\n\
             to fetch the list of events leading up to the failure\n\
             aws cloudformation describe-stack-events --stack-name {stack}"
        )));
    }
    println!("Successfully created/updated stack - {stack}");
    flush();
    Ok(exit::OK)
}

fn flush() {
    let _ = std::io::stdout().flush();
}

fn empty_message(stack: &str) -> String {
    format!("No changes to deploy. Stack {stack} is up to date")
}

/// Whether `yes` was given after the last `no` (false when neither was given).
fn last_of(argv: &[String], yes: &str, no: &str) -> bool {
    argv.iter().rev().find(|a| *a == yes || *a == no).is_some_and(|a| a == yes)
}

/// `~/x` with the home directory.
fn expand_user(ctx: &Session, path: &str) -> String {
    match (path.strip_prefix("~/"), api::home_dir(ctx)) {
        (Some(rest), Some(home)) => home.join(rest).to_string_lossy().into_owned(),
        _ => path.to_string(),
    }
}

/// `Key=Value` strings as ordered pairs (a repeated key keeps its first place and its last value).
fn key_values(items: &[String], argname: &str) -> CliResult<Map<String, Value>> {
    let mut out = Map::new();
    for item in items {
        match item.split_once('=') {
            Some((k, v)) => {
                out.insert(k.to_string(), Value::String(v.to_string()));
            }
            None => {
                return Err(CliError::Other(format!(
                    "['{item}'] value passed to --{argname} must be of format Key=Value"
                )));
            }
        }
    }
    Ok(out)
}

/// `--parameter-overrides`: `Key=Value …`, or JSON (inline or `file://`) in one of the formats v2
/// takes: `["K=V", …]`, `[{"ParameterKey": …, "ParameterValue": …}, …]`, `{"Parameters": {…}}`.
fn parameter_overrides(items: &[String]) -> CliResult<Map<String, Value>> {
    let json = match items {
        [one] => match one.strip_prefix("file://") {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    CliError::Usage(format!("Error parsing parameter '--parameter-overrides': {path}: {e}"))
                })?;
                Some(serde_json::from_str::<Value>(&text).map_err(|e| {
                    CliError::Usage(format!("Error parsing parameter '--parameter-overrides': {e}"))
                })?)
            }
            None => serde_json::from_str::<Value>(one).ok(),
        },
        [first, ..] => serde_json::from_str::<Value>(first).ok(),
        [] => None,
    };
    let Some(data) = json.filter(|d| d.is_array() || d.is_object()) else {
        return key_values(items, "parameter-overrides");
    };
    let bad = || {
        CliError::Usage(
            "JSON passed to --parameter-overrides must be one of the formats: [\"Key1=Value1\",\"Key2=Value2\", \
             ...] , [{\"ParameterKey\": \"Key1\", \"ParameterValue\": \"Value1\"}, ...] , [\"Parameters\": \
             {\"Key1\": \"Value1\", \"Key2\": \"Value2\", ...}]"
                .into(),
        )
    };
    match &data {
        Value::Array(list)
            if list.iter().all(|p| {
                p.as_object().is_some_and(|o| {
                    o.contains_key("ParameterKey") && o.contains_key("ParameterValue") && o.len() == 2
                })
            }) =>
        {
            Ok(list
                .iter()
                .map(|p| {
                    (p["ParameterKey"].as_str().unwrap_or_default().to_string(), p["ParameterValue"].clone())
                })
                .collect())
        }
        Value::Object(o) if o.contains_key("Parameters") => match &o["Parameters"] {
            Value::Object(m) => Ok(m.clone()),
            _ => Err(bad()),
        },
        Value::Array(list) if list.iter().all(|p| p.as_str().is_some_and(|s| s.contains('='))) => {
            let strings: Vec<String> = list.iter().filter_map(Value::as_str).map(str::to_string).collect();
            key_values(&strings, "parameter-overrides")
        }
        _ => Err(bad()),
    }
}

/// Every parameter of the template: the override's value, else the previous value.
fn merge_parameters(template: &Value, overrides: &Map<String, Value>) -> Vec<Value> {
    let Some(params) = template.get("Parameters").and_then(Value::as_object) else { return Vec::new() };
    params
        .keys()
        .map(|k| match overrides.get(k) {
            Some(v) => json!({"ParameterKey": k, "ParameterValue": v}),
            None => json!({"ParameterKey": k, "UsePreviousValue": true}),
        })
        .collect()
}

struct ChangeSet<'a> {
    stack: &'a str,
    template: &'a str,
    parameters: Vec<Value>,
    capabilities: Vec<String>,
    role_arn: Option<&'a str>,
    notification_arns: Option<Vec<String>>,
    tags: Vec<Value>,
}

/// Whether the stack exists (a stack left in REVIEW_IN_PROGRESS by a first change set does not).
fn has_stack(cfn: &api::Client, stack: &str) -> CliResult<bool> {
    match cfn.call("DescribeStacks", &json!({"StackName": stack})) {
        Ok(out) => {
            let stacks = out["Stacks"].as_array().cloned().unwrap_or_default();
            Ok(stacks.len() == 1 && stacks[0]["StackStatus"] != "REVIEW_IN_PROGRESS")
        }
        Err(e) if e.to_string().contains(&format!("Stack with id {stack} does not exist")) => Ok(false),
        Err(e) => Err(e),
    }
}

/// CreateChangeSet; returns its id and type (CREATE or UPDATE).
fn create_change_set(
    cfn: &api::Client,
    req: ChangeSet,
    uploader: Option<&Uploader>,
) -> CliResult<(String, &'static str)> {
    let now = SystemTime::now();
    let epoch = now.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let name = format!("awscli-cloudformation-package-deploy-{epoch}");
    let description = format!("Created by AWS CLI at {} UTC", naive_iso(now));
    let mut parameters = req.parameters;
    let kind = if has_stack(cfn, req.stack)? {
        let summary = cfn.call("GetTemplateSummary", &json!({"StackName": req.stack}))?;
        let existing: Vec<&Value> = summary["Parameters"]
            .as_array()
            .map(|a| a.iter().map(|p| &p["ParameterKey"]).collect())
            .unwrap_or_default();
        parameters.retain(|p| p.get("UsePreviousValue").is_none() || existing.contains(&&p["ParameterKey"]));
        "UPDATE"
    } else {
        parameters.retain(|p| p.get("UsePreviousValue").is_none());
        "CREATE"
    };
    let mut input = json!({
        "ChangeSetName": name,
        "StackName": req.stack,
        "TemplateBody": req.template,
        "ChangeSetType": kind,
        "Parameters": parameters,
        "Capabilities": req.capabilities,
        "Description": description,
        "Tags": req.tags,
    });
    if let Some(up) = uploader {
        let url = up.upload_with_dedup(req.template.as_bytes(), Some("template"))?;
        input.as_object_mut().map(|o| o.remove("TemplateBody"));
        input["TemplateURL"] = up.path_style_url(key_of(&url), None)?.into();
    }
    if let Some(r) = req.role_arn {
        input["RoleARN"] = r.into();
    }
    if let Some(n) = req.notification_arns {
        input["NotificationARNs"] = n.into();
    }
    let out = cfn.call("CreateChangeSet", &input)?;
    let id = out["Id"].as_str().unwrap_or_default().to_string();
    Ok((id, kind))
}

enum WaitError {
    Empty,
    Failed(CliError),
}
use WaitError::{Empty, Failed};

/// Waits for the change set (every 5 s); an empty one is [`Empty`].
fn wait_for_change_set(cfn: &api::Client, id: &str, stack: &str) -> Result<(), WaitError> {
    println!("\nWaiting for changeset to be created..");
    flush();
    let input = json!({"ChangeSetName": id, "StackName": stack});
    let Err(waiter_error) = cfn.wait("ChangeSetCreateComplete", &input, Some(5), None) else { return Ok(()) };
    let last = cfn.call("DescribeChangeSet", &input).map_err(|_| Failed(waiter_error_of(&waiter_error)))?;
    let status = last["Status"].as_str().unwrap_or_default();
    let reason = last["StatusReason"].as_str().unwrap_or_default();
    if (status == "FAILED" && reason.contains("The submitted information didn't contain changes."))
        || reason.contains("No updates are to be performed")
    {
        return Err(Empty);
    }
    Err(Failed(CliError::Other(format!(
        "Failed to create the changeset: {waiter_error} Status: {status}. Reason: {reason}"
    ))))
}

fn waiter_error_of(e: &CliError) -> CliError {
    CliError::Other(e.to_string())
}

/// Python's `datetime.utcnow().isoformat()`: `2025-01-01T00:00:00.123456` (no fraction when zero).
fn naive_iso(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let micros = d.subsec_micros();
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let base =
        format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60);
    if micros == 0 { base } else { format!("{base}.{micros:06}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn overrides_in_every_form() {
        let want: Map<String, Value> = serde_json::from_str(r#"{"A":"1","B":"x=y"}"#).unwrap();
        assert_eq!(parameter_overrides(&strings(&["A=1", "B=x=y"])).unwrap(), want);
        assert_eq!(parameter_overrides(&strings(&[r#"["A=1","B=x=y"]"#])).unwrap(), want);
        let cfn =
            r#"[{"ParameterKey":"A","ParameterValue":"1"},{"ParameterKey":"B","ParameterValue":"x=y"}]"#;
        assert_eq!(parameter_overrides(&strings(&[cfn])).unwrap(), want);
        assert_eq!(parameter_overrides(&strings(&[r#"{"Parameters":{"A":"1","B":"x=y"}}"#])).unwrap(), want);
        let e = parameter_overrides(&strings(&["A"])).unwrap_err();
        assert_eq!(e.to_string(), "['A'] value passed to --parameter-overrides must be of format Key=Value");
        assert!(matches!(parameter_overrides(&strings(&[r#"[{"x":1}]"#])), Err(CliError::Usage(_))));
    }

    #[test]
    fn merged_parameters_keep_the_template_order() {
        let t = json!({"Parameters": {"Z": {}, "A": {}}});
        let o: Map<String, Value> = serde_json::from_str(r#"{"A":"1"}"#).unwrap();
        assert_eq!(
            Value::Array(merge_parameters(&t, &o)),
            json!([{"ParameterKey":"Z","UsePreviousValue":true},{"ParameterKey":"A","ParameterValue":"1"}])
        );
    }

    #[test]
    fn python_isoformat() {
        assert_eq!(naive_iso(UNIX_EPOCH + Duration::from_secs(1_735_689_600)), "2025-01-01T00:00:00");
        assert_eq!(
            naive_iso(UNIX_EPOCH + Duration::from_micros(951_827_696_000_123)),
            "2000-02-29T12:34:56.000123"
        );
    }

    #[test]
    fn opposite_flags() {
        assert!(!last_of(&strings(&[]), "--a", "--no-a"));
        assert!(last_of(&strings(&["--no-a", "--a"]), "--a", "--no-a"));
        assert!(!last_of(&strings(&["--a", "--no-a"]), "--a", "--no-a"));
    }
}
