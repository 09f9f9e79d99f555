//! `credential_process`: the command split into words with POSIX shell rules (no shell runs it),
//! run with the terminal's standard input and standard error passed through (so it can prompt and
//! report), its standard output read as the version-1 JSON document. The output is never echoed
//! in errors: it holds the secret.

use super::Fetched;
use crate::aws::str_of;
use crate::error::CredentialsError;
use crate::input::Input;
use crate::link::LinkKind;
use crate::profile_chain::ProcessConfig;
use crate::timefmt;
use nubo_sign::Credentials;
use serde_json::Value;
use std::process::Stdio;

const LINK: LinkKind = LinkKind::CustomProcess;

/// Runs the process and reads its credentials.
pub(crate) async fn fetch(input: &Input, cfg: &ProcessConfig) -> Result<Fetched, CredentialsError> {
    let fail = |reason: String| {
        CredentialsError::retrieval(
            LINK,
            format!("the credential_process of profile \"{}\" {reason}", cfg.profile),
        )
    };
    let words = shlex::split(&cfg.command).ok_or_else(|| {
        fail("cannot be split into words (unbalanced quotes or a trailing backslash)".into())
    })?;
    let Some((program, args)) = words.split_first() else {
        return Err(fail("is empty".into()));
    };
    let output = tokio::process::Command::new(program)
        .args(args)
        .env_clear()
        .envs(input.env.iter())
        .envs(input.process_env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        // Not `output()`: it would capture standard error, which belongs to the user.
        .spawn()
        .map_err(|e| fail(format!("(`{program}`) could not be started: {e}")))?
        .wait_with_output()
        .await
        .map_err(|e| fail(format!("(`{program}`) could not be waited for: {e}")))?;
    if !output.status.success() {
        let how = match output.status.code() {
            Some(code) => format!("exited with status {code}"),
            None => "was killed by a signal".to_string(),
        };
        return Err(fail(format!("(`{program}`) {how}")));
    }
    parse_output(&output.stdout, cfg.account_id.as_deref())
        .map_err(|reason| fail(format!("(`{program}`) {reason}")))
}

/// Reads the version-1 document.
pub(crate) fn parse_output(stdout: &[u8], profile_account: Option<&str>) -> Result<Fetched, String> {
    let doc: Value = serde_json::from_slice(stdout)
        .map_err(|e| format!("printed output that is not JSON (line {}, column {})", e.line(), e.column()))?;
    if !doc.is_object() {
        return Err("printed JSON that is not an object".into());
    }
    match doc.get("Version") {
        Some(Value::Number(n)) if n.as_i64() == Some(1) => {}
        other => {
            let shown = match other {
                None => "<Version key not provided>".to_string(),
                Some(Value::String(s)) => s.clone(),
                Some(v) => v.to_string(),
            };
            return Err(format!(
                "printed an unsupported Version '{shown}' for the credential process provider, supported versions: 1"
            ));
        }
    }
    let access =
        str_of(&doc, "AccessKeyId").ok_or("printed no AccessKeyId (Missing required key in response)")?;
    let secret = str_of(&doc, "SecretAccessKey")
        .ok_or("printed no SecretAccessKey (Missing required key in response)")?;
    let expiry = match doc.get("Expiration") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(
            timefmt::parse(s)
                .ok_or_else(|| format!("printed an Expiration that is not a timestamp: {s:?}"))?,
        ),
        Some(v) => return Err(format!("printed an Expiration that is not a timestamp: {v}")),
    };
    Ok(Fetched {
        credentials: Credentials::new(access, secret, str_of(&doc, "SessionToken").map(str::to_string)),
        expiry,
        account_id: str_of(&doc, "AccountId").or(profile_account).map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_one_documents() {
        let f = parse_output(
            br#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "2030-01-01T00:00:00Z"}"#,
            Some("9"),
        )
        .unwrap();
        assert_eq!(f.credentials.session_token.as_deref(), Some("T"));
        assert_eq!(f.account_id.as_deref(), Some("9"));
        assert!(f.expiry.is_some());
        let f = parse_output(
            br#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "AccountId": "1"}"#,
            Some("9"),
        )
        .unwrap();
        assert_eq!(f.account_id.as_deref(), Some("1"));
        assert_eq!(f.expiry, None);
    }

    #[test]
    fn bad_documents_never_echo_the_output() {
        let secret = "TOPSECRETVALUE";
        for doc in [
            format!("{{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"{secret}\"}}"),
            format!("{{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"{secret}\"}}"),
            format!("{{\"Version\": 1, \"SecretAccessKey\": \"{secret}\"}}"),
            format!(
                "{{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"{secret}\", \"Expiration\": \"soon\"}}"
            ),
            format!("not json {secret}"),
            format!("[\"{secret}\"]"),
        ] {
            let e = parse_output(doc.as_bytes(), None).unwrap_err();
            assert!(!e.contains(secret), "{e}");
        }
        let e = parse_output(br#"{"AccessKeyId": "A"}"#, None).unwrap_err();
        assert!(e.contains("<Version key not provided>"), "{e}");
        let e = parse_output(br#"{"Version": "1"}"#, None).unwrap_err();
        assert!(e.contains("Version '1'"), "{e}");
    }
}
