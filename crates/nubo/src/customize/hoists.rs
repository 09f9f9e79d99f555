//! Options the CLI adds that fill a member of a structure argument: `deploy --s3-location
//! --github-location` (the `revision` of `register-application-revision`, `get-application-revision`
//! and `create-deployment`), `configservice put-configuration-recorder --recording-group` (the
//! recorder's `recordingGroup`) and the `ses send-email` shortcuts (`--from --to --cc --bcc
//! --subject --text --html`). Values may be JSON or shorthand; a JSON value that has to join a
//! shorthand one is written as shorthand, so the argument layer still reads the result against the model.

use super::shortcuts::{exclusive, given, take};
use crate::error::{CliError, CliResult};
use serde_json::{Map, Value, json};

/// One value option's text, with a `file://` value's file read as the CLI reads parameter files.
fn take_one(args: &mut Vec<String>, name: &str) -> CliResult<Option<String>> {
    let Some(v) = take(args, name, false)?.and_then(|v| v.into_iter().next()) else { return Ok(None) };
    match v.strip_prefix("file://") {
        Some(path) => std::fs::read_to_string(path).map(Some).map_err(|e| {
            CliError::Usage(format!("Error parsing parameter '--{name}': Unable to load paramfile {v}: {e}"))
        }),
        None => Ok(Some(v)),
    }
}

/// A value that is JSON (an object or list), else `None` for shorthand.
fn as_json(name: &str, text: &str) -> CliResult<Option<Value>> {
    let t = text.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return Ok(None);
    }
    serde_json::from_str(t).map(Some).map_err(|e| {
        CliError::Usage(format!(
            "Error parsing parameter '--{name}': Invalid JSON: {e}\nJSON received: {text}"
        ))
    })
}

/// A flat shorthand structure (`a=1,b=x`) as a map; a segment without `=` continues the last value.
fn flat_shorthand(text: &str) -> Map<String, Value> {
    let mut map = Map::new();
    let mut last: Option<String> = None;
    for seg in text.split(',') {
        match seg.split_once('=') {
            Some((k, v)) => {
                let k = k.trim().to_string();
                map.insert(k.clone(), json!(unquote(v.trim())));
                last = Some(k);
            }
            None => {
                if let Some(k) = &last
                    && let Some(Value::String(s)) = map.get_mut(k)
                {
                    s.push(',');
                    s.push_str(seg);
                }
            }
        }
    }
    map
}

fn unquote(v: &str) -> String {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v[1..v.len() - 1].to_string();
        }
    }
    v.to_string()
}

/// A JSON value written as shorthand (`{k=v,…}`, `[a,b]`, strings quoted where needed).
fn to_shorthand(v: &Value) -> String {
    match v {
        Value::Object(m) => format!("{{{}}}", members_shorthand(m)),
        Value::Array(a) => format!("[{}]", a.iter().map(to_shorthand).collect::<Vec<_>>().join(",")),
        Value::String(s) if s.is_empty() || s.chars().any(|c| ",=[]{}\"'\\ ".contains(c)) => {
            format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
        }
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn members_shorthand(m: &Map<String, Value>) -> String {
    m.iter().map(|(k, v)| format!("{k}={}", to_shorthand(v))).collect::<Vec<_>>().join(",")
}

/// `deploy … --s3-location bucket=B,key=K,bundleType=zip[,eTag=E,version=V]` or
/// `--github-location repository=R,commitId=C`: the `--revision` they stand for.
pub fn revision_location(args: &[String]) -> CliResult<Vec<String>> {
    let mut args = args.to_vec();
    let s3 = take_one(&mut args, "s3-location")?;
    let github = take_one(&mut args, "github-location")?;
    // The CLI applies --s3-location, then --github-location; the last one given wins.
    let mut revision = None;
    if let Some(text) = s3 {
        let v = location(&text, "s3-location")?;
        let valid = |k: &str| v.get(k).is_some_and(truthy);
        if !["bucket", "key", "bundleType"].iter().all(|k| valid(k)) {
            return Err(CliError::Other("--s3-location must specify bucket, key and bundleType.".into()));
        }
        let mut loc = Map::new();
        for k in ["bucket", "key", "bundleType", "eTag", "version"] {
            if let Some(x) = v.get(k) {
                loc.insert(k.into(), x.clone());
            }
        }
        revision = Some(json!({"revisionType": "S3", "s3Location": loc}));
    }
    if let Some(text) = github {
        let v = location(&text, "github-location")?;
        let valid = |k: &str| v.get(k).is_some_and(truthy);
        if !["repository", "commitId"].iter().all(|k| valid(k)) {
            return Err(CliError::Other("--github-location must specify repository and commitId.".into()));
        }
        revision = Some(json!({"revisionType": "GitHub",
            "gitHubLocation": {"repository": v["repository"], "commitId": v["commitId"]}}));
    }
    if let Some(r) = revision {
        drop_option(&mut args, "revision")?;
        args.extend(["--revision".to_string(), r.to_string()]);
    }
    Ok(args)
}

fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Null | Value::Bool(false)) && v.as_str() != Some("")
}

fn location(text: &str, name: &str) -> CliResult<Map<String, Value>> {
    match as_json(name, text)? {
        Some(Value::Object(m)) => Ok(m),
        Some(_) => Err(CliError::Usage(format!(
            "Invalid type for parameter --{name}, value: {text}, valid types: <class 'dict'>"
        ))),
        None => Ok(flat_shorthand(text)),
    }
}

/// Removes an option and its value (the added option replaces it, as in the CLI).
fn drop_option(args: &mut Vec<String>, name: &str) -> CliResult<()> {
    while given(args, name) {
        take(args, name, false)?;
    }
    Ok(())
}

/// `configservice put-configuration-recorder --recording-group G`: `G` as the recorder's
/// `recordingGroup`, beside the other members of `--configuration-recorder`.
pub fn recording_group(args: &[String]) -> CliResult<Vec<String>> {
    let mut args = args.to_vec();
    let Some(group) = take_one(&mut args, "recording-group")? else { return Ok(args) };
    let recorder = take_one(&mut args, "configuration-recorder")?;
    let group_json = as_json("recording-group", &group)?;
    let recorder_json = match &recorder {
        Some(r) => as_json("configuration-recorder", r)?,
        None => Some(json!({})),
    };
    let merged = match (recorder_json, group_json) {
        (Some(Value::Object(mut r)), Some(g)) => {
            r.insert("recordingGroup".into(), g);
            Value::Object(r).to_string()
        }
        (r, g) => {
            let recorder_sh = match (r, &recorder) {
                (Some(Value::Object(m)), _) => members_shorthand(&m),
                (_, Some(text)) => text.clone(),
                _ => String::new(),
            };
            let group_sh = match g {
                Some(v) => to_shorthand(&v),
                None => format!("{{{group}}}"),
            };
            let sep = if recorder_sh.is_empty() { "" } else { "," };
            format!("{recorder_sh}{sep}recordingGroup={group_sh}")
        }
    };
    args.extend(["--configuration-recorder".to_string(), merged]);
    Ok(args)
}

/// `ses send-email --from --to --cc --bcc --subject --text --html`: `--source`, `--destination` and
/// `--message`; `--to/--cc/--bcc` exclude `--destination`, `--text/--html` exclude `--message`.
pub fn send_email(args: &[String]) -> CliResult<Vec<String>> {
    let mut args = args.to_vec();
    if let Some(from) = take(&mut args, "from", false)? {
        args.push("--source".into());
        args.extend(from);
    }
    let mut destination = Map::new();
    for (name, key) in [("to", "ToAddresses"), ("cc", "CcAddresses"), ("bcc", "BccAddresses")] {
        if let Some(v) = take(&mut args, name, true)? {
            if given(&args, "destination") {
                return Err(exclusive(name, &["destination"]));
            }
            destination.insert(key.into(), json!(v));
        }
    }
    let mut message: Option<Value> = None;
    for (name, key) in [("subject", "Subject"), ("text", "Text"), ("html", "Html")] {
        let Some(v) = take(&mut args, name, false)?.and_then(|v| v.into_iter().next()) else { continue };
        if name != "subject" && given(&args, "message") {
            return Err(exclusive(name, &["message"]));
        }
        if v.is_empty() {
            continue;
        }
        let m = message.get_or_insert_with(|| json!({"Subject": {}, "Body": {}}));
        match key {
            "Subject" => m["Subject"] = json!({"Data": v}),
            _ => m["Body"][key] = json!({"Data": v}),
        }
    }
    if !destination.is_empty() {
        args.extend(["--destination".to_string(), Value::Object(destination).to_string()]);
    }
    if let Some(m) = message {
        args.extend(["--message".to_string(), m.to_string()]);
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn revision_from_locations() {
        let out = revision_location(&s(&[
            "--application-name",
            "a",
            "--s3-location",
            "bucket=b,key=k/x.zip,bundleType=zip",
        ]))
        .unwrap();
        assert_eq!(out[2], "--revision");
        let v: Value = serde_json::from_str(&out[3]).unwrap();
        assert_eq!(
            v,
            json!({"revisionType": "S3", "s3Location": {"bucket": "b", "key": "k/x.zip", "bundleType": "zip"}})
        );
        let out = revision_location(&s(&["--github-location", r#"{"repository": "o/r", "commitId": "c1"}"#]))
            .unwrap();
        let v: Value = serde_json::from_str(&out[1]).unwrap();
        assert_eq!(v["gitHubLocation"], json!({"repository": "o/r", "commitId": "c1"}));
        let e = revision_location(&s(&["--s3-location", "bucket=b,key=k"])).unwrap_err();
        assert_eq!(e.to_string(), "--s3-location must specify bucket, key and bundleType.");
        assert!(matches!(e, CliError::Other(_)));
    }

    #[test]
    fn recording_group_joins_the_recorder() {
        let out = recording_group(&s(&[
            "--configuration-recorder",
            r#"{"name": "default", "roleARN": "arn:r"}"#,
            "--recording-group",
            r#"{"allSupported": true}"#,
        ]))
        .unwrap();
        let v: Value = serde_json::from_str(&out[1]).unwrap();
        assert_eq!(
            v,
            json!({"name": "default", "roleARN": "arn:r", "recordingGroup": {"allSupported": true}})
        );
        let out = recording_group(&s(&[
            "--configuration-recorder",
            "name=default,roleARN=arn:r",
            "--recording-group",
            r#"{"allSupported": false, "resourceTypes": ["AWS::EC2::Instance"]}"#,
        ]))
        .unwrap();
        assert_eq!(
            out[1],
            "name=default,roleARN=arn:r,recordingGroup={allSupported=false,resourceTypes=[AWS::EC2::Instance]}"
        );
        let out = recording_group(&s(&[
            "--configuration-recorder",
            r#"{"name": "a b"}"#,
            "--recording-group",
            "allSupported=true",
        ]))
        .unwrap();
        assert_eq!(out[1], r#"name="a b",recordingGroup={allSupported=true}"#);
    }

    #[test]
    fn send_email_shortcuts() {
        let out = send_email(&s(&["--from", "a@x", "--to", "b@x", "c@x", "--subject", "S", "--text", "T"]))
            .unwrap();
        assert_eq!(out[..2], s(&["--source", "a@x"]));
        assert_eq!(serde_json::from_str::<Value>(&out[3]).unwrap(), json!({"ToAddresses": ["b@x", "c@x"]}));
        assert_eq!(
            serde_json::from_str::<Value>(&out[5]).unwrap(),
            json!({"Subject": {"Data": "S"}, "Body": {"Text": {"Data": "T"}}})
        );
        let e = send_email(&s(&["--to", "b@x", "--destination", "{}"])).unwrap_err();
        assert!(matches!(e, CliError::Other(_)));
    }
}
