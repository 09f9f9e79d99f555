//! `ssm start-session`: calls StartSession with the operation's own options, then hands the session
//! to AWS's `session-manager-plugin` with the arguments the CLI passes (the response, or for plugins
//! newer than 1.2.497.0 the name of the environment variable holding it; the region; `StartSession`;
//! the profile given with `--profile`; the request parameters; the endpoint URL). Keyboard signals are
//! left to the plugin while it runs. Without the plugin the session is terminated again and the
//! CLI's one-line error says where to get it.

use super::{api, codeartifact::py_list};
use crate::error::{CliError, CliResult, exit};
use nubo_py::json::{self as pyjson, Style};
use nubo_session::Session;
use serde_json::json;
use std::process::Command;

const PLUGIN: &str = "session-manager-plugin";
const LAST_VERSION_WITHOUT_ENV_VAR: &str = "1.2.497.0";
const RESPONSE_VARIABLE: &str = "AWS_SSM_START_SESSION_RESPONSE";
const NOT_FOUND: &str = "SessionManagerPlugin is not found. Please refer to SessionManager Documentation here: http://docs.aws.amazon.com/console/systems-manager/session-manager-plugin-not-found";

/// `nubo ssm start-session --target ID [--document-name D] [--parameters …] [--reason R]`.
pub fn start_session(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    let Some(input) = api::operation_input(ctx, "ssm", "StartSession", argv)? else { return Ok(exit::OK) };
    let client = api::client(ctx, "ssm")?;
    let response = client.call("StartSession", &input)?;
    let field = |k: &str| response[k].as_str().unwrap_or_default().to_string();
    let session_id = field("SessionId");
    let region = api::region(ctx)?;
    let endpoint = client.endpoint_url("StartSession", &input)?;
    let profile = ctx.globals.profile.clone().unwrap_or_default();
    let mut session_arg = pyjson::dumps(
        &json!({"SessionId": session_id, "TokenValue": field("TokenValue"), "StreamUrl": field("StreamUrl")}),
        Style::Default,
        false,
    );

    let version = match Command::new(PLUGIN).arg("--version").output() {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        Ok(o) => {
            return Err(CliError::Other(format!(
                "Command '{}' returned non-zero exit status {}.",
                py_list(&[PLUGIN.into(), "--version".into()]),
                o.status.code().unwrap_or(1)
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // The agent already started the session: end it rather than leave it open.
            client.call("TerminateSession", &json!({"SessionId": session_id}))?;
            return Err(CliError::Other(NOT_FOUND.into()));
        }
        Err(e) => return Err(e.into()),
    };
    let mut command = Command::new(PLUGIN);
    if newer_than(&version, LAST_VERSION_WITHOUT_ENV_VAR) {
        command.env(RESPONSE_VARIABLE, &session_arg);
        session_arg = RESPONSE_VARIABLE.to_string();
    }
    let args = vec![
        session_arg,
        region,
        "StartSession".to_string(),
        profile,
        pyjson::dumps(&input, Style::Default, false),
        endpoint,
    ];
    ignore_keyboard_signals();
    let status = command.args(&args).status()?;
    if !status.success() {
        let mut all = vec![PLUGIN.to_string()];
        all.extend(args);
        return Err(CliError::Other(format!(
            "Command '{}' returned non-zero exit status {}.",
            py_list(&all),
            status.code().unwrap_or(1)
        )));
    }
    Ok(exit::OK)
}

/// Interrupt, quit and stop keys go to the plugin (same terminal), not to nubo: nubo keeps waiting
/// for it instead of dying and leaving it behind.
fn ignore_keyboard_signals() {
    use signal_hook::consts::{SIGINT, SIGQUIT, SIGTSTP};
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for sig in [SIGINT, SIGQUIT, SIGTSTP] {
        // Failing to register only means the default action stays.
        let _ = signal_hook::flag::register(sig, flag.clone());
    }
}

/// Whether the plugin's `--version` (whitespace removed; up to four dotted numbers) is newer than
/// `min`, comparing part by part with missing parts as 0.
fn newer_than(version: &str, min: &str) -> bool {
    let v: String = version.chars().filter(|c| !c.is_whitespace()).collect();
    let parts: Vec<&str> = v.split('.').collect();
    if parts.len() > 4 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let parse = |s: &str| s.split('.').map(|p| p.parse::<u64>().unwrap_or(0)).collect::<Vec<_>>();
    let (mut a, mut b) = (parse(&v), parse(min));
    let n = a.len().max(b.len());
    a.resize(n, 0);
    b.resize(n, 0);
    a > b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_versions() {
        assert!(newer_than("1.2.677.0\n", "1.2.497.0"));
        assert!(!newer_than("1.2.497.0", "1.2.497.0"));
        assert!(!newer_than("1.1.61.0", "1.2.497.0"));
        assert!(newer_than("2", "1.2.497.0"));
        assert!(!newer_than("1.2.x", "1.2.497.0"));
        assert!(!newer_than("1.2.3.4.5", "1.2.497.0"));
    }
}
