//! The AWS CLI v2's command history: when the profile says `cli_history = enabled`, each command is
//! recorded in a local SQLite database (`~/.aws/cli/history/history.db`, or `AWS_CLI_HISTORY_FILE`)
//! with v2's table and event types, and `history list` / `history show` read it back as v2 prints
//! them. What is recorded: the version, the command line (option values that may be secrets
//! masked), each API call's service and operation (never its parameters or the HTTP exchange, which
//! can hold secrets) and the return code, each with its time.

use crate::customize::args;
use crate::error::{CliError, CliResult};
use nubo_session::Session;
use rusqlite::Connection;
use serde_json::{Value, json};
use std::path::PathBuf;

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS records (id TEXT, request_id TEXT, source TEXT, \
                            event_type TEXT, timestamp INTEGER, payload TEXT)";

/// Milliseconds since the epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// The history database's path: `AWS_CLI_HISTORY_FILE`, else `~/.aws/cli/history/history.db`.
fn db_path(ctx: &Session) -> Option<PathBuf> {
    if let Some(p) = ctx.env.get("AWS_CLI_HISTORY_FILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    nubo_settings::location::home_dir(&ctx.env)
        .map(|h| h.join(".aws").join("cli").join("history").join("history.db"))
}

fn enabled(ctx: &Session) -> bool {
    ctx.resolver()
        .ok()
        .and_then(|r| r.from_profile("cli_history"))
        .is_some_and(|s| s.value.trim().eq_ignore_ascii_case("enabled"))
}

fn open(path: &std::path::Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{suffix}", path.display()));
            if p.exists() {
                let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600));
            }
        }
    }
    conn.execute(CREATE_TABLE, [])?;
    let _ = conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()));
    Ok(conn)
}

/// Option names whose values are masked in the recorded command line.
fn is_secret_option(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["secret", "password", "session-token", "private-key", "key-material", "passphrase", "auth-token"]
        .iter()
        .any(|s| n.contains(s))
}

/// The command line as recorded: values of secret-looking options, and of `configure set` for
/// secret-looking keys, replaced by `****`.
pub fn masked_args(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut mask_next = false;
    for (i, a) in args.iter().enumerate() {
        if mask_next && !a.starts_with("--") {
            out.push("****".to_string());
            mask_next = false;
            continue;
        }
        mask_next = false;
        if let Some(body) = a.strip_prefix("--") {
            match body.split_once('=') {
                Some((name, _)) if is_secret_option(name) => out.push(format!("--{name}=****")),
                _ => {
                    mask_next = is_secret_option(body);
                    out.push(a.clone());
                }
            }
            continue;
        }
        let configure_set_value = i >= 3
            && args[i - 3] == "configure"
            && args[i - 2] == "set"
            && (is_secret_option(&args[i - 1].replace('_', "-")) || args[i - 1].contains("token"));
        out.push(if configure_set_value { "****".into() } else { a.clone() });
    }
    out
}

/// Records a finished command (`args`: the whole command line, `command`: its words after the global
/// options) when history is enabled; `history` commands are not recorded. Failures to record are
/// reported with `--debug` only, as they must not change the command's outcome.
pub fn record(ctx: &Session, args: &[String], command: &[String], rc: i32, started_ms: i64) {
    if command.first().is_some_and(|a| a == "history") || !enabled(ctx) {
        return;
    }
    let Some(path) = db_path(ctx) else { return };
    if let Err(e) = write(ctx, &path, args, rc, started_ms)
        && ctx.globals.debug
    {
        eprintln!("history: could not record the command in {}: {e}", path.display());
    }
}

fn write(
    ctx: &Session,
    path: &std::path::Path,
    args: &[String],
    rc: i32,
    started_ms: i64,
) -> rusqlite::Result<()> {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let conn = open(path)?;
    let id = uuid::Uuid::new_v4().to_string();
    let insert = |request_id: Option<&str>, event: &str, ts: i64, payload: &Value| {
        conn.execute(
            "INSERT INTO records(id, request_id, source, event_type, timestamp, payload) VALUES (?,?,?,?,?,?)",
            rusqlite::params![id, request_id, "CLI", event, ts, payload.to_string()],
        )
    };
    insert(None, "CLI_VERSION", started_ms, &Value::String(crate::app::version_line()))?;
    insert(None, "CLI_ARGUMENTS", started_ms, &json!(masked_args(args)))?;
    for call in ctx.api_calls() {
        let request_id = uuid::Uuid::new_v4().to_string();
        let payload = json!({"service": call.service, "operation": call.operation, "params": {}});
        conn.execute(
            "INSERT INTO records(id, request_id, source, event_type, timestamp, payload) VALUES (?,?,?,?,?,?)",
            rusqlite::params![id, request_id, "BOTOCORE", "API_CALL", call.started_ms, payload.to_string()],
        )?;
    }
    insert(None, "CLI_RC", now_ms(), &json!(rc))?;
    Ok(())
}

/// One stored record.
struct Row {
    request_id: Option<String>,
    event_type: String,
    timestamp: i64,
    payload: Value,
}

fn reader(ctx: &Session) -> CliResult<Connection> {
    let path = db_path(ctx).filter(|p| p.exists()).ok_or_else(|| {
        CliError::Other(
            "Could not locate history. Make sure cli_history is set to enabled in the ~/.aws/config file"
                .into(),
        )
    })?;
    open(&path).map_err(|e| CliError::Other(format!("{}: {e}", path.display())))
}

fn sql_err(e: rusqlite::Error) -> CliError {
    CliError::Other(format!("history database: {e}"))
}

/// `history list`: one line per command, newest first.
pub fn list(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    args::parse(argv, &[])?;
    let conn = reader(ctx)?;
    let mut stmt = conn
        .prepare(
            "SELECT a.id, a.timestamp, a.payload, b.payload FROM records a, records b \
             WHERE a.event_type = 'CLI_ARGUMENTS' AND b.event_type = 'CLI_RC' AND a.id = b.id \
             ORDER BY a.timestamp DESC",
        )
        .map_err(sql_err)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })
        .map_err(sql_err)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql_err)?;
    if rows.is_empty() {
        return Err(CliError::Other(
            "No commands were found in your history. Make sure you have enabled history mode by adding \
             \"cli_history = enabled\" to the config file."
                .into(),
        ));
    }
    let mut out = String::new();
    for (id, ts, args, rc) in rows {
        let words: Vec<String> = serde_json::from_str(&args).unwrap_or_default();
        let mut shown = words.iter().take(2).cloned().collect::<Vec<_>>().join(" ");
        if shown.chars().count() >= 50 {
            shown = format!("{}...", shown.chars().take(46).collect::<String>());
        }
        out.push_str(&format!(
            "{id:<38}{:<24}{shown:<50}{rc}\n",
            local_time(ts, "[year]-[month]-[day] [hour repr:12]:[minute]:[second] [period]")
        ));
    }
    crate::print::write_out(ctx, &out)?;
    Ok(0)
}

/// A time in milliseconds as local time in `format` (UTC when the local offset is unknown).
fn local_time(ms: i64, format: &str) -> String {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000) else {
        return ms.to_string();
    };
    let t = time::UtcOffset::current_local_offset().map(|o| t.to_offset(o)).unwrap_or(t);
    let Ok(f) = time::format_description::parse_borrowed::<1>(format) else { return ms.to_string() };
    t.format(&f).unwrap_or_else(|_| ms.to_string())
}

const SHOW_OPTS: &[args::Opt] = &[
    args::Opt { name: "command_id", kind: args::Kind::Positional, required: false },
    args::list("include"),
    args::list("exclude"),
    args::value("format"),
];

/// `history show [ID] [--include …|--exclude …]`: the events of one command (the latest by default).
pub fn show(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    let p = args::parse(argv, SHOW_OPTS)?;
    if p.has("include") && p.has("exclude") {
        return Err(CliError::Usage("Either --exclude or --include can be provided but not both".into()));
    }
    if p.get("format").is_some_and(|f| f != "detailed") {
        return Err(args::invalid_choice("format", &["detailed"]));
    }
    let conn = reader(ctx)?;
    let id = p.get("command_id").unwrap_or("latest");
    let sql = if id == "latest" {
        "SELECT request_id, event_type, timestamp, payload FROM records WHERE id = \
         (SELECT id FROM records WHERE timestamp = (SELECT max(timestamp) FROM records)) ORDER BY timestamp"
    } else {
        "SELECT request_id, event_type, timestamp, payload FROM records WHERE id = ?1 ORDER BY timestamp"
    };
    let mut stmt = conn.prepare(sql).map_err(sql_err)?;
    let map = |r: &rusqlite::Row<'_>| {
        Ok(Row {
            request_id: r.get(0)?,
            event_type: r.get(1)?,
            timestamp: r.get(2)?,
            payload: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or(Value::Null),
        })
    };
    let rows = if id == "latest" { stmt.query_map([], map) } else { stmt.query_map([id], map) }
        .map_err(sql_err)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql_err)?;
    let include = p.list("include");
    let exclude = p.list("exclude");
    let mut api_nums: Vec<String> = Vec::new();
    let mut out = String::new();
    for row in rows {
        if (!include.is_empty() && !include.contains(&row.event_type)) || exclude.contains(&row.event_type) {
            continue;
        }
        let mut title = |t: &str, out: &mut String| {
            let mut t = t.to_string();
            if let Some(r) = &row.request_id {
                let n = api_nums.iter().position(|x| x == r).unwrap_or_else(|| {
                    api_nums.push(r.clone());
                    api_nums.len() - 1
                });
                t = format!("[{n}] {t}");
            }
            out.push_str(&format!(
                "\n{t}\nat time: {}\n",
                local_time(
                    row.timestamp,
                    "[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:3]"
                )
            ));
        };
        let field = |k: &str| row.payload.get(k).map(py_str).unwrap_or_default();
        match row.event_type.as_str() {
            "CLI_VERSION" => {
                title("AWS CLI command entered", &mut out);
                out.push_str(&format!("with AWS CLI version: {}\n", py_str(&row.payload)));
            }
            "CLI_ARGUMENTS" => out.push_str(&format!("with arguments: {}\n", py_str(&row.payload))),
            "API_CALL" => {
                title("API call made", &mut out);
                out.push_str(&format!("to service: {}\n", field("service")));
                out.push_str(&format!("using operation: {}\n", field("operation")));
                let params = row.payload.get("params").cloned().unwrap_or(json!({}));
                out.push_str(&format!("with parameters: {}\n", py_json(&params)));
            }
            "CLI_RC" => {
                title("AWS CLI command exited", &mut out);
                out.push_str(&format!("with return code: {}\n", py_str(&row.payload)));
            }
            _ => {}
        }
    }
    crate::print::write_out(ctx, &out)?;
    Ok(0)
}

/// A value as Python's `str()` shows it (strings bare; lists as `['a', 'b']`).
fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let q = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
            let mut out = String::from(q);
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    c if c == q => {
                        out.push('\\');
                        out.push(c);
                    }
                    c => out.push(c),
                }
            }
            out.push(q);
            out
        }
        Value::Array(a) => format!("[{}]", a.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => {
            format!(
                "{{{}}}",
                o.iter()
                    .map(|(k, v)| format!("{}: {}", py_repr(&json!(k)), py_repr(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}

/// `json.dumps(obj, sort_keys=True, indent=4)`.
fn py_json(v: &Value) -> String {
    match v {
        Value::Object(o) if o.is_empty() => "{}".into(),
        _ => {
            let sorted: std::collections::BTreeMap<_, _> =
                v.as_object().map(|o| o.iter().collect()).unwrap_or_default();
            serde_json::to_string_pretty(&sorted).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn secrets_are_masked() {
        assert_eq!(
            masked_args(&s(&["secretsmanager", "create-secret", "--name", "n", "--secret-string", "hush"])),
            s(&["secretsmanager", "create-secret", "--name", "n", "--secret-string", "****"])
        );
        assert_eq!(masked_args(&s(&["x", "y", "--password=hush"])), s(&["x", "y", "--password=****"]));
        assert_eq!(
            masked_args(&s(&["configure", "set", "aws_secret_access_key", "hush"])),
            s(&["configure", "set", "aws_secret_access_key", "****"])
        );
        assert_eq!(masked_args(&s(&["configure", "set", "region", "eu-west-1"]))[3], "eu-west-1");
    }

    #[test]
    fn python_reprs() {
        assert_eq!(py_str(&json!(["s3", "it's"])), "['s3', \"it's\"]");
        assert_eq!(py_str(&json!(0)), "0");
        assert_eq!(py_json(&json!({})), "{}");
    }
}
