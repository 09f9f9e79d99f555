//! `eks update-kubeconfig`: writes (or merges into) a kubeconfig the cluster, user and context entries
//! that let kubectl reach an EKS cluster, as the AWS CLI v2 writes them: entries named by the
//! cluster's ARN (or `--alias` / `--user-alias`), a user whose `exec` runs `eks get-token` with the
//! program nubo was run as (kubectl does not see shell aliases), the file chosen from `--kubeconfig`,
//! `KUBECONFIG` (the file that already holds the cluster, else the first) or `~/.kube/config`.

use super::{api, args};
use crate::error::{CliError, CliResult, exit};
use nubo_session::Session;
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

/// The `exec` API version v2 writes.
const API_VERSION: &str = "client.authentication.k8s.io/v1beta1";

const OPTIONS: &[args::Opt] = &[
    args::required("name"),
    args::value("kubeconfig"),
    args::value("role-arn"),
    args::value("proxy-url"),
    args::flag("dry-run"),
    args::flag("verbose"),
    args::value("alias"),
    args::value("user-alias"),
    args::value("assume-role-arn"),
];

/// `nubo eks update-kubeconfig --name N [options]`.
pub fn update_kubeconfig(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    let p = args::parse(argv, OPTIONS)?;
    let name = p.get("name").unwrap_or_default();
    let cluster = describe(ctx, name, p.get("assume-role-arn"))?;
    let arn = cluster.get("arn").and_then(Value::as_str).unwrap_or_default().to_string();

    let mut cluster_body = Map::new();
    cluster_body.insert(
        "certificate-authority-data".into(),
        cluster.get("certificateAuthority").and_then(|c| c.get("data")).cloned().unwrap_or(json!("")),
    );
    cluster_body.insert("server".into(), cluster.get("endpoint").cloned().unwrap_or(Value::Null));
    if let Some(proxy) = p.get("proxy-url") {
        cluster_body.insert("proxy-url".into(), json!(proxy));
    }
    let cluster_entry = json!({"cluster": cluster_body, "name": arn});
    let user_entry = user_entry(ctx, &cluster, name, &arn, p.get("role-arn"), p.get("user-alias"));

    let paths = candidate_paths(ctx, p.get("kubeconfig"))?;
    let (path, mut content) = choose(&paths, &arn)?;
    let updating = has_cluster(&content, &arn);
    let context_entry = insert_pair(&mut content, cluster_entry.clone(), user_entry.clone(), p.get("alias"))?;
    let context_name = context_entry["name"].as_str().unwrap_or_default().to_string();
    if p.has("dry-run") {
        print!("{}", nubo_output::yaml::dump_ordered(&Value::Object(content)));
        return Ok(exit::OK);
    }
    write(&path, &content)?;
    let shown = path.display();
    match updating {
        true => println!("Updated context {context_name} in {shown}"),
        false => println!("Added new context {context_name} to {shown}"),
    }
    if p.has("verbose") {
        print!("Entries:\n\n");
        for entry in [&context_entry, &user_entry, &cluster_entry] {
            println!("{}", nubo_output::yaml::dump_ordered(entry));
        }
    }
    Ok(exit::OK)
}

/// The cluster's description; it must be ACTIVE or UPDATING.
fn describe(ctx: &Session, name: &str, assume_role_arn: Option<&str>) -> CliResult<Map<String, Value>> {
    let mut client = api::client(ctx, "eks")?;
    if let Some(role) = assume_role_arn {
        client = client.with_credentials(api::assume_role(ctx, role, "EKSDescribeClusterSession")?);
    }
    let out = client.call("DescribeCluster", &json!({"name": name}))?;
    let cluster = match out.get("cluster") {
        Some(Value::Object(c)) if c.contains_key("status") => c.clone(),
        _ => return Err(CliError::Other("Cluster not found".into())),
    };
    let status = cluster["status"].as_str().unwrap_or_default();
    if status != "ACTIVE" && status != "UPDATING" {
        return Err(CliError::Other(format!("Cluster status is {status}")));
    }
    Ok(cluster)
}

/// The user entry: `exec` runs `<program> --region R eks get-token --cluster-name N --output json`
/// (`--cluster-id` for a local cluster on Outposts), with `--role` and `AWS_PROFILE` as needed.
fn user_entry(
    ctx: &Session,
    cluster: &Map<String, Value>,
    name: &str,
    arn: &str,
    role_arn: Option<&str>,
    user_alias: Option<&str>,
) -> Value {
    let region = arn.split(':').nth(3).unwrap_or_default();
    let local_on_outposts = cluster
        .get("outpostConfig")
        .is_some_and(|o| !o.is_null() && o.get("etcdInstanceType").is_none_or(Value::is_null));
    let (id_option, id_value) = match local_on_outposts {
        true => ("--cluster-id", cluster.get("id").and_then(Value::as_str).unwrap_or_default()),
        false => ("--cluster-name", name),
    };
    let mut exec_args = vec!["--region", region, "eks", "get-token", id_option, id_value, "--output", "json"];
    if let Some(role) = role_arn {
        exec_args.extend(["--role", role]);
    }
    let mut exec = Map::new();
    exec.insert("apiVersion".into(), json!(API_VERSION));
    exec.insert("args".into(), json!(exec_args));
    exec.insert("command".into(), json!(api::program_name()));
    if let Some(profile) = api::chosen_profile(ctx) {
        exec.insert("env".into(), json!([{"name": "AWS_PROFILE", "value": profile}]));
    }
    json!({"name": user_alias.unwrap_or(arn), "user": {"exec": exec}})
}

/// The files to consider, absolute: `--kubeconfig`, else `KUBECONFIG`'s list, else `~/.kube/config`.
fn candidate_paths(ctx: &Session, given: Option<&str>) -> CliResult<Vec<PathBuf>> {
    let home = api::home_dir(ctx);
    let expand = |p: &str| -> PathBuf {
        let p = match (p.strip_prefix("~/"), &home) {
            (Some(rest), Some(h)) => h.join(rest),
            _ if p == "~" => home.clone().unwrap_or_else(|| PathBuf::from(p)),
            _ => PathBuf::from(p),
        };
        absolute(&p)
    };
    let default = || expand("~/.kube/config");
    if let Some(p) = given {
        return Ok(vec![expand(p)]);
    }
    let list: Vec<PathBuf> = ctx
        .env
        .get("KUBECONFIG")
        .unwrap_or("")
        .split(':')
        .filter(|e| !e.trim().is_empty())
        .map(expand)
        .collect();
    Ok(if list.is_empty() { vec![default()] } else { list })
}

/// `path` made absolute against the working directory, `.` and `..` resolved as Python's abspath does.
fn absolute(path: &Path) -> PathBuf {
    let joined = match path.is_absolute() {
        true => path.to_path_buf(),
        false => std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf()),
    };
    let mut out = PathBuf::from("/");
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(n) => out.push(n),
            _ => {}
        }
    }
    out
}

/// The file that already holds the cluster, else the first one (created when missing).
fn choose(paths: &[PathBuf], arn: &str) -> CliResult<(PathBuf, Map<String, Value>)> {
    for p in paths {
        if let Ok(content) = load(p)
            && has_cluster(&content, arn)
        {
            return Ok((p.clone(), content));
        }
    }
    let first = paths[0].clone();
    let content = load(&first)?;
    Ok((first, content))
}

/// A new kubeconfig's content, in the order the CLI writes its keys.
fn new_content() -> Map<String, Value> {
    let v = json!({"apiVersion": "v1", "clusters": [], "contexts": [], "current-context": "", "kind": "Config",
        "preferences": {}, "users": []});
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Reads and checks a kubeconfig; a missing or empty file is a new one.
fn load(path: &Path) -> CliResult<Map<String, Value>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(new_content()),
        Err(e) => return Err(CliError::Other(format!("Can't open kubeconfig for reading: {e}"))),
    };
    let value: Value = match text.trim().is_empty() {
        true => Value::Null,
        false => yaml_serde::from_str(&text).map_err(|e| {
            CliError::Other(format!("YamlError while loading kubeconfig {}: {e}", path.display()))
        })?,
    };
    let content = match value {
        Value::Null => return Ok(new_content()),
        Value::Object(m) => m,
        _ => return Err(corrupted(path, "Content not a mapping.")),
    };
    for (key, want) in new_content() {
        let Some(have) = content.get(&key).filter(|v| !v.is_null()) else { continue };
        let same = matches!(
            (&want, have),
            (Value::String(_), Value::String(_))
                | (Value::Array(_), Value::Array(_))
                | (Value::Object(_), Value::Object(_))
        );
        if !same {
            return Err(corrupted(path, &format!("{key} is the wrong type")));
        }
        if let Value::Array(items) = have
            && items.iter().any(|i| !i.is_object())
        {
            return Err(corrupted(path, &format!("Entry in {key} not a mapping.")));
        }
    }
    Ok(content)
}

fn corrupted(path: &Path, why: &str) -> CliError {
    CliError::Other(format!("Kubeconfig {} is corrupted: {why}", path.display()))
}

fn has_cluster(content: &Map<String, Value>, arn: &str) -> bool {
    content
        .get("clusters")
        .and_then(Value::as_array)
        .is_some_and(|cs| cs.iter().any(|c| c.get("name").and_then(Value::as_str) == Some(arn)))
}

/// Puts the cluster, user and their context in (replacing entries of the same name), makes the
/// context current, and returns it.
fn insert_pair(
    content: &mut Map<String, Value>,
    cluster: Value,
    user: Value,
    alias: Option<&str>,
) -> CliResult<Value> {
    let user_name = user["name"].clone();
    let context = json!({
        "context": {"cluster": cluster["name"].clone(), "user": user_name.clone()},
        "name": alias.map(Value::from).unwrap_or(user_name),
    });
    insert_entry(content, "clusters", cluster)?;
    insert_entry(content, "users", user)?;
    insert_entry(content, "contexts", context.clone())?;
    content.insert("current-context".into(), context["name"].clone());
    Ok(context)
}

fn insert_entry(content: &mut Map<String, Value>, key: &str, entry: Value) -> CliResult<()> {
    let slot = content.entry(key.to_string()).or_insert(Value::Null);
    if slot.is_null() || slot.as_array().is_some_and(Vec::is_empty) {
        *slot = json!([]);
    }
    let Value::Array(entries) = slot else {
        return Err(CliError::Other(format!("Tried to insert into {key}, which is not a list")));
    };
    let name = entry.get("name");
    match entries.iter().position(|e| name.is_some() && e.get("name") == name) {
        Some(i) => entries[i] = entry,
        None => entries.push(entry),
    }
    Ok(())
}

/// Writes the kubeconfig (mode 0600), creating its directory.
fn write(path: &Path, content: &Map<String, Value>) -> CliResult<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::Other(format!("Can't create directory for writing: {e}")))?;
    }
    let text = nubo_output::yaml::dump_ordered(&Value::Object(content.clone()));
    nubo_settings::atomic::write_file(path, text.as_bytes(), Some(0o600), true)
        .map_err(|e| CliError::Other(format!("Can't open kubeconfig for writing: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_replace_by_name_and_the_context_becomes_current() {
        let mut c = new_content();
        let cluster = json!({"cluster": {"server": "https://a"}, "name": "arn:c"});
        let user = json!({"name": "arn:c", "user": {}});
        insert_pair(&mut c, cluster.clone(), user.clone(), None).unwrap();
        insert_pair(&mut c, cluster, user, Some("dev")).unwrap();
        assert_eq!(c["clusters"].as_array().unwrap().len(), 1);
        assert_eq!(c["contexts"].as_array().unwrap().len(), 2);
        assert_eq!(c["current-context"], "dev");
    }

    #[test]
    fn absolute_paths() {
        assert_eq!(absolute(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
    }
}
