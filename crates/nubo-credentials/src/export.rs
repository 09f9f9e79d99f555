//! `configure export-credentials --format …`: the six formats, byte for byte as the AWS CLI v2
//! prints them (the JSON of `process` as Python's `json.dumps(indent=2)`, expiry times as Python's
//! `isoformat()`).

use crate::error::CredentialsError;
use crate::timefmt;
use nubo_py::json::{self as pyjson, Style};
use nubo_sign::Credentials;
use serde_json::{Map, Value, json};
use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The `credential_process` JSON document (the default).
    Process,
    /// `export AWS_ACCESS_KEY_ID=…` lines.
    Env,
    /// `AWS_ACCESS_KEY_ID=…` lines.
    EnvNoExport,
    /// `$Env:AWS_ACCESS_KEY_ID="…"` lines.
    Powershell,
    /// `set AWS_ACCESS_KEY_ID=…` lines.
    WindowsCmd,
    /// `set -gx AWS_ACCESS_KEY_ID "…"` lines.
    Fish,
}

impl Format {
    /// Every format, in the CLI's order of its `--format` choices.
    pub const ALL: [Format; 6] = [
        Format::Process,
        Format::Env,
        Format::EnvNoExport,
        Format::Powershell,
        Format::WindowsCmd,
        Format::Fish,
    ];

    /// The `--format` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Process => "process",
            Format::Env => "env",
            Format::EnvNoExport => "env-no-export",
            Format::Powershell => "powershell",
            Format::WindowsCmd => "windows-cmd",
            Format::Fish => "fish",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL.into_iter().find(|f| f.as_str() == s).ok_or_else(|| {
            let choices: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
            format!("argument --format: Invalid choice, valid choices are:\n\n{}", choices.join(" | "))
        })
    }
}

/// The text to print for `credentials` (with their expiry, if any) in `format`; it ends with a
/// newline.
pub fn export(credentials: &Credentials, expiry: Option<SystemTime>, format: Format) -> String {
    let expiry = expiry.map(timefmt::python_iso);
    if format == Format::Process {
        let mut doc = Map::new();
        doc.insert("Version".into(), json!(1));
        doc.insert("AccessKeyId".into(), json!(credentials.access_key_id));
        doc.insert("SecretAccessKey".into(), json!(credentials.secret_access_key));
        if let Some(t) = &credentials.session_token {
            doc.insert("SessionToken".into(), json!(t));
        }
        if let Some(e) = &expiry {
            doc.insert("Expiration".into(), json!(e));
        }
        return pyjson::dumps(&Value::Object(doc), Style::Indent2, false) + "\n";
    }
    let line = |name: &str, value: &str| match format {
        Format::Env => format!("export {name}={value}\n"),
        Format::EnvNoExport => format!("{name}={value}\n"),
        Format::Powershell => format!("$Env:{name}=\"{value}\"\n"),
        Format::WindowsCmd => format!("set {name}={value}\n"),
        Format::Fish => format!("set -gx {name} \"{value}\"\n"),
        Format::Process => String::new(),
    };
    let mut out = line("AWS_ACCESS_KEY_ID", &credentials.access_key_id);
    out += &line("AWS_SECRET_ACCESS_KEY", &credentials.secret_access_key);
    if let Some(t) = &credentials.session_token {
        out += &line("AWS_SESSION_TOKEN", t);
    }
    if let Some(e) = &expiry {
        out += &line("AWS_CREDENTIAL_EXPIRATION", e);
    }
    out
}

/// The environment variable that guards `export-credentials` against recursion through
/// `credential_process`.
pub const RECURSION_VAR: &str = "_AWS_CLI_PROFILE_CHAIN";
const MAX_RECURSION: usize = 4;

/// The CLI's recursion guard for `configure export-credentials`: fails when `profile` is already in
/// the chain recorded in `_AWS_CLI_PROFILE_CHAIN` (or the chain is 4 long), else returns the
/// variable and value to hand to `credential_process` children (see
/// [`crate::Input::process_env`]).
pub fn recursion_guard(
    env: &nubo_settings::env::Env,
    profile: &str,
) -> Result<(String, String), CredentialsError> {
    let seen: Vec<String> = env
        .get(RECURSION_VAR)
        .map(|v| v.split(',').map(|p| p.trim().trim_matches('"').to_string()).collect())
        .unwrap_or_default();
    if seen.len() >= MAX_RECURSION {
        return Err(CredentialsError::broken(
            None,
            format!(
                "Maximum recursive credential process resolution reached ({MAX_RECURSION}).\nProfiles seen: {}",
                seen.join(" -> ")
            ),
        ));
    }
    if seen.iter().any(|p| p == profile) {
        let mut cycle = seen.clone();
        cycle.push(profile.to_string());
        return Err(CredentialsError::broken(
            None,
            format!(
                "Credential process resolution detected an infinite loop, profile cycle: {}",
                cycle.join(" -> ")
            ),
        ));
    }
    let mut next = seen;
    next.push(profile.to_string());
    let value = next
        .iter()
        .map(|p| {
            if p.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", p.replace('"', "\"\""))
            } else {
                p.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    Ok((RECURSION_VAR.to_string(), value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nubo_settings::env::Env;
    use std::time::{Duration, UNIX_EPOCH};

    fn creds(token: bool) -> Credentials {
        Credentials::new("AKID", "SECRET", token.then(|| "TOKEN".to_string()))
    }

    #[test]
    fn process_json() {
        let exp = UNIX_EPOCH + Duration::from_secs(1_714_564_800);
        assert_eq!(
            export(&creds(true), Some(exp), Format::Process),
            "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"AKID\",\n  \"SecretAccessKey\": \"SECRET\",\n  \"SessionToken\": \"TOKEN\",\n  \"Expiration\": \"2024-05-01T12:00:00+00:00\"\n}\n"
        );
        assert_eq!(
            export(&creds(false), None, Format::Process),
            "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"AKID\",\n  \"SecretAccessKey\": \"SECRET\"\n}\n"
        );
    }

    #[test]
    fn shell_lines() {
        let exp = Some(UNIX_EPOCH + Duration::from_secs(1_714_564_800));
        let c = creds(true);
        assert_eq!(
            export(&c, exp, Format::Env),
            "export AWS_ACCESS_KEY_ID=AKID\nexport AWS_SECRET_ACCESS_KEY=SECRET\nexport AWS_SESSION_TOKEN=TOKEN\nexport AWS_CREDENTIAL_EXPIRATION=2024-05-01T12:00:00+00:00\n"
        );
        assert_eq!(
            export(&creds(false), None, Format::EnvNoExport),
            "AWS_ACCESS_KEY_ID=AKID\nAWS_SECRET_ACCESS_KEY=SECRET\n"
        );
        assert_eq!(
            export(&creds(false), None, Format::Powershell),
            "$Env:AWS_ACCESS_KEY_ID=\"AKID\"\n$Env:AWS_SECRET_ACCESS_KEY=\"SECRET\"\n"
        );
        assert_eq!(
            export(&creds(false), None, Format::WindowsCmd),
            "set AWS_ACCESS_KEY_ID=AKID\nset AWS_SECRET_ACCESS_KEY=SECRET\n"
        );
        assert_eq!(
            export(&creds(false), None, Format::Fish),
            "set -gx AWS_ACCESS_KEY_ID \"AKID\"\nset -gx AWS_SECRET_ACCESS_KEY \"SECRET\"\n"
        );
        assert_eq!("windows-cmd".parse::<Format>(), Ok(Format::WindowsCmd));
        assert!("xml".parse::<Format>().unwrap_err().contains("process | env | env-no-export"));
    }

    #[test]
    fn recursion() {
        let (var, value) = recursion_guard(&Env::default(), "a").unwrap();
        assert_eq!((var.as_str(), value.as_str()), (RECURSION_VAR, "a"));
        let env = Env::from_pairs([(RECURSION_VAR, "a,b")]);
        assert_eq!(recursion_guard(&env, "c").unwrap().1, "a,b,c");
        let e = recursion_guard(&env, "a").unwrap_err();
        assert!(e.to_string().contains("a -> b -> a"), "{e}");
        let env = Env::from_pairs([(RECURSION_VAR, "a,b,c,d")]);
        assert!(recursion_guard(&env, "e").unwrap_err().to_string().contains("Maximum recursive"));
    }
}
