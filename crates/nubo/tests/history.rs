//! The command history: with `cli_history = enabled` each command is recorded in v2's SQLite
//! database (read back here with Python's sqlite3, an independent reader), `history list` and
//! `history show` print it as v2 does, secrets are masked, and nothing is recorded when history is off.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, moto_url, stderr_of, stdout_of};

fn sandbox(enabled: bool) -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_ACCESS_KEY_ID", "testing")
        .set_env("AWS_SECRET_ACCESS_KEY", "testing")
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("AWS_ENDPOINT_URL", &moto_url());
    let history = if enabled { "cli_history = enabled\n" } else { "" };
    sb.write("config", &format!("[default]\n{history}"));
    sb
}

fn python() -> std::path::PathBuf {
    let aws = std::env::var("NUBO_TEST_AWS_CLI").expect("NUBO_TEST_AWS_CLI (scripts/test sets it)");
    std::path::Path::new(&aws).parent().unwrap().join("python")
}

/// The rows of the history database as Python's sqlite3 reads them: `event_type|payload` lines.
fn rows(db: &std::path::Path) -> Vec<String> {
    let script = "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\n\
                  for r in c.execute('select id, request_id, source, event_type, timestamp, payload from records order by timestamp'):\n    print(r[3] + '|' + r[5])\n";
    let out =
        std::process::Command::new(python()).args(["-c", script, db.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
}

#[test]
fn commands_are_recorded_and_shown_as_v2_shows_them() {
    let sb = sandbox(true);
    let out = sb.nubo().args(["sts", "get-caller-identity"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let out = sb
        .nubo()
        .args(["configure", "set", "aws_secret_access_key", "SentinelHistorySecret0001"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let out =
        sb.nubo().args(["dynamodb", "describe-table", "--table-name", "no-such-table"]).output().unwrap();
    assert_eq!(out.status.code(), Some(254));

    let db = sb.aws_dir().join("cli/history/history.db");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&db).unwrap().permissions().mode() & 0o777, 0o600);
    let rows = rows(&db);
    let events: Vec<&str> = rows.iter().map(|r| r.split('|').next().unwrap()).collect();
    assert_eq!(
        events,
        [
            "CLI_VERSION",
            "CLI_ARGUMENTS",
            "API_CALL",
            "CLI_RC",
            "CLI_VERSION",
            "CLI_ARGUMENTS",
            "CLI_RC",
            "CLI_VERSION",
            "CLI_ARGUMENTS",
            "API_CALL",
            "CLI_RC"
        ]
    );
    assert_eq!(rows[1], r#"CLI_ARGUMENTS|["sts","get-caller-identity"]"#);
    assert!(rows[2].contains(r#""operation":"GetCallerIdentity""#), "{}", rows[2]);
    assert_eq!(rows[3], "CLI_RC|0");
    assert_eq!(rows[5], r#"CLI_ARGUMENTS|["configure","set","aws_secret_access_key","****"]"#);
    assert_eq!(rows[10], "CLI_RC|254");
    assert!(!std::fs::read_to_string(&db).unwrap_or_default().contains("SentinelHistorySecret"));
    assert!(!String::from_utf8_lossy(&std::fs::read(&db).unwrap()).contains("SentinelHistorySecret"));

    // history list: newest first, id, time, the first two words, the return code.
    let out = sb.nubo().args(["history", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let list = stdout_of(&out);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 3, "{list}");
    assert_eq!(&lines[0][62..], format!("{:<50}254", "dynamodb describe-table"));
    assert_eq!(&lines[2][62..], format!("{:<50}0", "sts get-caller-identity"));
    assert_eq!(lines[2].as_bytes()[36], b' ');
    // history show ID: that command's events; show alone: the latest.
    let id = &lines[2][..36];
    let out = sb.nubo().args(["history", "show", id]).output().unwrap();
    let show = stdout_of(&out);
    assert!(show.starts_with("\nAWS CLI command entered\nat time: "), "{show}");
    assert!(show.contains("\nwith arguments: ['sts', 'get-caller-identity']\n"), "{show}");
    assert!(show.contains("\n[0] API call made\nat time: "), "{show}");
    assert!(show.contains("\nto service: sts\nusing operation: GetCallerIdentity\n"), "{show}");
    assert!(show.ends_with("\nwith return code: 0\n"), "{show}");
    let out = sb.nubo().args(["history", "show", "--include", "CLI_RC"]).output().unwrap();
    let latest = stdout_of(&out);
    assert!(
        latest.starts_with("\nAWS CLI command exited\nat time: ")
            && latest.ends_with("with return code: 254\n"),
        "{latest}"
    );
    let out =
        sb.nubo().args(["history", "show", "--include", "CLI_RC", "--exclude", "API_CALL"]).output().unwrap();
    assert_eq!(out.status.code(), Some(252));
    // history commands themselves are not recorded.
    assert_eq!(self::rows(&db).len(), 11);
}

#[test]
fn nothing_is_recorded_unless_enabled() {
    let sb = sandbox(false);
    let out = sb.nubo().args(["sts", "get-caller-identity"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(!sb.aws_dir().join("cli/history").exists());
    let out = sb.nubo().args(["history", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(255));
    assert!(stderr_of(&out).contains("Could not locate history"), "{}", stderr_of(&out));
    // AWS_CLI_HISTORY_FILE moves the database.
    let mut sb = sandbox(true);
    let file = sb.home().join("elsewhere.db");
    sb.set_env("AWS_CLI_HISTORY_FILE", file.to_str().unwrap());
    let out = sb.nubo().args(["sts", "get-caller-identity"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(rows(&file).len(), 4);
}
