//! `configure sso` and `configure sso-session`: the AWS CLI v2's prompts for an IAM Identity Center
//! profile or sso-session. `configure sso` asks for the sso-session (or the legacy start URL and
//! region), signs in with the device flow, lists the accounts and roles the token may use (the `sso`
//! service's ListAccounts and ListAccountRoles, called through the session with the bearer token),
//! asks which to use when there are several, then the default region, output format and profile name,
//! and writes the profile and sso-session sections. Prompts read one line each from standard input,
//! so a script can answer them; Enter keeps the value shown in brackets.
//!
//! Not done: v2 resolves a vanity start URL (not on an AWS domain) to its region; nubo always asks
//! for the region.

use crate::configure::file_path;
use crate::customize::{api, args};
use crate::error::{CliError, CliResult, exit};
use nubo_session::Session;
use nubo_settings::chain::Source;
use nubo_settings::edit::{self, SectionName};
use nubo_settings::parse::FileKind;
use nubo_settings::profiles::{Origin, Property, Section};
use serde_json::{Value, json};
use std::io::{BufRead, Write};

const DEFAULT_SCOPE: &str = "sso:account:access";

/// Reads answers from standard input and writes prompts to standard output.
struct Prompter {
    input: std::io::StdinLock<'static>,
}

/// What an answer must satisfy.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    None,
    Required,
    StartUrl,
    Scopes,
}

impl Prompter {
    fn new() -> Self {
        Prompter { input: std::io::stdin().lock() }
    }

    /// Shows `text [current]: ` (or `shown` when given), reads one line; an empty answer keeps
    /// `current`. An answer the check refuses is said and asked again; end of input with no usable
    /// answer is an error naming the prompt.
    fn ask(
        &mut self,
        text: &str,
        current: Option<&str>,
        shown: Option<&str>,
        check: Check,
    ) -> CliResult<Option<String>> {
        loop {
            let label = match shown {
                Some(s) => s.to_string(),
                None => format!("{text} [{}]: ", current.unwrap_or("None")),
            };
            let mut out = std::io::stdout().lock();
            write!(out, "{label}")?;
            out.flush()?;
            let mut line = String::new();
            let eof = self.input.read_line(&mut line)? == 0;
            if eof {
                writeln!(out)?;
            }
            let answer = line.trim();
            let value =
                if answer.is_empty() { current.map(str::to_string) } else { Some(answer.to_string()) };
            let problem = match (check, answer.is_empty() && current.is_some()) {
                (_, true) | (Check::None, _) => None,
                (Check::Required, _) => value.is_none().then_some("A value is required"),
                (Check::StartUrl, _) => (!valid_url(answer)).then_some("Not a valid Start URL"),
                (Check::Scopes, _) => {
                    (!valid_scopes(answer)).then_some("Scope values must be separated by commas")
                }
            };
            match problem {
                None => return Ok(value),
                Some(p) if eof => return Err(CliError::Other(format!("{text}: {p} (end of input)"))),
                Some(p) => writeln!(out, "{p}")?,
            }
        }
    }

    /// Picks one of `items` (shown by `label`): a list numbered from 1, then the number or the value
    /// itself; Enter takes the first, as the CLI's menu starts on it.
    fn select(&mut self, items: &[String], labels: &[String]) -> CliResult<String> {
        loop {
            let mut out = std::io::stdout().lock();
            for (i, l) in labels.iter().enumerate() {
                writeln!(out, "  {}) {l}", i + 1)?;
            }
            write!(out, "Select [1-{}]: ", items.len())?;
            out.flush()?;
            let mut line = String::new();
            let eof = self.input.read_line(&mut line)? == 0;
            if eof {
                writeln!(out)?;
            }
            let answer = line.trim();
            if answer.is_empty() {
                return Ok(items[0].clone());
            }
            if let Some(i) = answer.parse::<usize>().ok().filter(|i| (1..=items.len()).contains(i)) {
                return Ok(items[i - 1].clone());
            }
            if let Some(v) = items.iter().find(|v| *v == answer) {
                return Ok(v.clone());
            }
            if eof {
                return Err(CliError::Other(format!("no such choice: {answer}")));
            }
            writeln!(out, "Not one of the choices: {answer}")?;
        }
    }
}

/// A start URL botocore accepts: http(s) with a host.
fn valid_url(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

fn valid_scopes(text: &str) -> bool {
    text.split(',').all(|s| !s.trim().contains(char::is_whitespace))
}

/// The answers for an sso-session section, in the order they are written.
#[derive(Default)]
struct SessionConfig {
    values: Vec<(String, String)>,
}

impl SessionConfig {
    fn get(&self, k: &str) -> Option<&str> {
        self.values.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str())
    }

    fn set(&mut self, k: &str, v: &str) {
        match self.values.iter_mut().find(|(key, _)| key == k) {
            Some(kv) => kv.1 = v.to_string(),
            None => self.values.push((k.to_string(), v.to_string())),
        }
    }

    fn from_section(s: Option<&Section>) -> Self {
        let values = s
            .map(|s| s.properties.iter().map(|(k, p)| (k.clone(), p.value.clone())).collect())
            .unwrap_or_default();
        SessionConfig { values }
    }
}

/// Asks start URL, region and (for a session) scopes, keeping what `cfg` already holds as defaults.
fn ask_session_values(p: &mut Prompter, cfg: &mut SessionConfig, scopes: bool) -> CliResult<()> {
    if let Some(v) = p.ask("SSO start URL", cfg.get("sso_start_url"), None, Check::StartUrl)? {
        cfg.set("sso_start_url", &v);
    }
    if let Some(v) = p.ask("SSO region", cfg.get("sso_region"), None, Check::Required)? {
        cfg.set("sso_region", &v);
    }
    if scopes {
        if cfg.get("sso_registration_scopes").is_none() {
            cfg.set("sso_registration_scopes", DEFAULT_SCOPE);
        }
        if let Some(v) =
            p.ask("SSO registration scopes", cfg.get("sso_registration_scopes"), None, Check::Scopes)?
        {
            cfg.set("sso_registration_scopes", &v);
        }
    }
    Ok(())
}

fn write_section(ctx: &Session, section: SectionName, values: &[(String, String)]) -> CliResult<()> {
    let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    edit::set_values(&file_path(ctx, FileKind::Config), FileKind::Config, &section, &pairs)
        .map_err(|e| CliError::Config(e.to_string()))
}

/// `nubo configure sso-session`.
pub fn sso_session(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    args::parse(argv, &[])?;
    let files = ctx.files()?;
    let mut p = Prompter::new();
    let name =
        p.ask("SSO session name", None, Some("SSO session name: "), Check::Required)?.unwrap_or_default();
    let mut cfg = SessionConfig::from_section(files.sso_session(&name));
    ask_session_values(&mut p, &mut cfg, true)?;
    write_section(ctx, SectionName::SsoSession(name.clone()), &cfg.values)?;
    let prog = api::program_name();
    print!(
        "\nCompleted configuring SSO session: {name}\nRun the following to login and refresh access token for this session:\n\n{prog} sso login --sso-session {name}\n"
    );
    Ok(exit::OK)
}

/// `nubo configure sso [--profile P] [--no-browser] [--use-device-code]`.
pub fn sso(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    // nubo always uses the device flow and never opens a browser; both options are accepted.
    args::parse(argv, &[args::flag("no-browser"), args::flag("use-device-code")])?;
    let files = ctx.files()?.clone();
    let selected = ctx.profile();
    let chosen = (selected.source != Source::Default).then(|| selected.value.clone());
    let profile_cfg = chosen.as_deref().and_then(|n| files.profile(n));
    let from_profile = |k: &str| profile_cfg.and_then(|s| s.get(k)).map(str::to_string);
    let mut p = Prompter::new();
    let mut profile_values = SessionConfig::default();

    let existing_session = from_profile("sso_session");
    let shown = existing_session.is_none().then_some("SSO session name (Recommended): ");
    let session = p.ask("SSO session name", existing_session.as_deref(), shown, Check::None)?;
    let mut session_cfg = SessionConfig::from_section(session.as_deref().and_then(|s| files.sso_session(s)));
    let known_session = session.as_deref().is_some_and(|s| files.sso_session(s).is_some());
    match &session {
        None => {
            println!(
                "WARNING: Configuring using legacy format (e.g. without an SSO session).\n\
                 Consider re-running \"configure sso\" command and providing a session name."
            );
            let mut legacy = SessionConfig::default();
            for k in ["sso_start_url", "sso_region"] {
                if let Some(v) = from_profile(k) {
                    legacy.set(k, &v);
                }
            }
            ask_session_values(&mut p, &mut legacy, false)?;
            profile_values = legacy;
        }
        Some(name) => {
            profile_values.set("sso_session", name);
            if !known_session {
                for k in ["sso_start_url", "sso_region"] {
                    if let Some(v) = from_profile(k) {
                        session_cfg.set(k, &v);
                    }
                }
                ask_session_values(&mut p, &mut session_cfg, true)?;
            }
        }
    }
    let start_url = profile_values
        .get("sso_start_url")
        .or(session_cfg.get("sso_start_url"))
        .unwrap_or_default()
        .to_string();
    let sso_region =
        profile_values.get("sso_region").or(session_cfg.get("sso_region")).unwrap_or_default().to_string();
    if start_url.is_empty() || sso_region.is_empty() {
        return Err(CliError::Config(format!(
            "The sso-session {} has no sso_start_url or sso_region",
            session.as_deref().unwrap_or_default()
        )));
    }

    // As the CLI does, the sign-in and the portal calls use no profile: the one being configured may
    // not exist yet.
    let unscoped = without_profile(ctx);
    let token = login(&unscoped, session.as_deref(), &session_cfg, &start_url, &sso_region)?;

    let client = api::client_in(&unscoped, "sso", Some(&sso_region))?;
    let (account, role) = match pick_account_and_role(&client, &mut p, &token) {
        Ok(pair) => (Some(pair.0), Some(pair.1)),
        Err(CliError::Service(f)) if f.code == "UnauthorizedException" => {
            println!(
                "Unable to list AWS accounts and/or roles. Skipping configuring AWS credential provider for profile."
            );
            (None, None)
        }
        Err(e) => return Err(e),
    };
    if let (Some(a), Some(r)) = (&account, &role) {
        profile_values.set("sso_account_id", a);
        profile_values.set("sso_role_name", r);
    }
    let region_now = from_profile("region");
    if let Some(v) = p.ask("Default client Region", region_now.as_deref(), None, Check::None)? {
        profile_values.set("region", &v);
    }
    let output_now = from_profile("output");
    if let Some(v) =
        p.ask("CLI default output format (json if not specified)", output_now.as_deref(), None, Check::None)?
    {
        profile_values.set("output", &v);
    }
    let profile = match &chosen {
        Some(n) => n.clone(),
        None => {
            let default = match (&account, &role) {
                (Some(a), Some(r)) => Some(format!("{r}-{a}")),
                _ => None,
            };
            p.ask("Profile name", default.as_deref(), None, Check::Required)?.unwrap_or_default()
        }
    };
    if !profile_values.values.is_empty() {
        write_section(ctx, SectionName::Profile(profile.clone()), &profile_values.values)?;
    }
    if let Some(name) = &session {
        write_section(ctx, SectionName::SsoSession(name.clone()), &session_cfg.values)?;
    }
    let prog = api::program_name();
    if account.is_some() && role.is_some() {
        if profile.eq_ignore_ascii_case("default") {
            print!(
                "The AWS CLI is now configured to use the default profile.\nRun the following command to verify your configuration:\n\n{prog} sts get-caller-identity\n"
            );
        } else {
            print!(
                "To use this profile, specify the profile name using --profile, as shown:\n\n{prog} sts get-caller-identity --profile {profile}\n"
            );
        }
    } else {
        println!("Successfully configured SSO for profile: {profile}");
    }
    Ok(exit::OK)
}

/// The command's session with no profile selected (`--profile` and `AWS_PROFILE` dropped).
fn without_profile(ctx: &Session) -> Session {
    let mut globals = ctx.globals.clone();
    globals.profile = None;
    let env = nubo_settings::env::Env::from_pairs(
        ctx.env.iter().filter(|(k, _)| *k != "AWS_PROFILE").map(|(k, v)| (k.to_string(), v.to_string())),
    );
    Session::new(globals, env)
}

/// Signs in with the device flow for the answers given (not yet written to the config file) and
/// returns the access token.
fn login(
    ctx: &Session,
    session: Option<&str>,
    session_cfg: &SessionConfig,
    start_url: &str,
    region: &str,
) -> CliResult<String> {
    let mut input = ctx.credentials_input()?;
    let mut files = (*input.files).clone();
    let section = |values: &[(String, String)]| {
        let mut s = Section::default();
        for (k, v) in values {
            let origin = Origin { path: file_path(ctx, FileKind::Config), line: 0, kind: FileKind::Config };
            s.properties.insert(k.clone(), Property { value: v.clone(), sub: Vec::new(), origin });
        }
        s
    };
    let mut opts = nubo_credentials::LoginOptions::default();
    match session {
        Some(name) => {
            files.sso_sessions.insert(name.to_string(), section(&session_cfg.values));
            opts.sso_session = Some(name.to_string());
        }
        None => {
            let name = "nubo configure sso".to_string();
            let values = [
                ("sso_start_url".to_string(), start_url.to_string()),
                ("sso_region".to_string(), region.to_string()),
            ];
            files.profiles.insert(name.clone(), section(&values));
            input.profile = name;
        }
    }
    input.files = std::sync::Arc::new(files);
    let rt = ctx.runtime()?;
    let mut err = std::io::stderr();
    let outcome = rt.block_on(nubo_credentials::login(&input, &opts, &mut err))?;
    let text = std::fs::read_to_string(&outcome.token_file)?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| CliError::Other(e.to_string()))?;
    doc["accessToken"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| CliError::Other(format!("{} has no accessToken", outcome.token_file.display())))
}

/// Every item of `key` in the pages of `op`.
fn all(client: &api::Client, op: &str, input: &Value, key: &str) -> CliResult<Vec<Value>> {
    let mut items = Vec::new();
    client.paginate(op, input, |page| {
        if let Some(list) = page[key].as_array() {
            items.extend(list.iter().cloned());
        }
        Ok(true)
    })?;
    Ok(items)
}

/// How the CLI shows an account in its menu.
fn account_label(a: &Value) -> String {
    let id = a["accountId"].as_str().unwrap_or_default();
    match (a["accountName"].as_str(), a["emailAddress"].as_str()) {
        (None, None) => id.to_string(),
        (Some(n), None) => format!("{n} ({id})"),
        (None, Some(e)) => format!("{e} ({id})"),
        (Some(n), Some(e)) => format!("{n}, {e} ({id})"),
    }
}

/// The CLI's menu order: by name, else e-mail, else id (case-insensitive); bare ids last.
fn account_key(a: &Value) -> (bool, String) {
    let only_id = a.get("accountName").is_none() && a.get("emailAddress").is_none();
    let v = ["accountName", "emailAddress", "accountId"]
        .iter()
        .find_map(|k| a[*k].as_str())
        .unwrap_or_default()
        .to_lowercase();
    (only_id, v)
}

fn pick_account_and_role(client: &api::Client, p: &mut Prompter, token: &str) -> CliResult<(String, String)> {
    let mut accounts = all(client, "ListAccounts", &json!({"accessToken": token}), "accountList")?;
    if accounts.is_empty() {
        return Err(CliError::Other("No AWS accounts are available to you.".into()));
    }
    let account = if accounts.len() == 1 {
        let id = accounts[0]["accountId"].as_str().unwrap_or_default().to_string();
        println!("The only AWS account available to you is: {id}");
        id
    } else {
        println!("There are {} AWS accounts available to you.", accounts.len());
        accounts.sort_by_key(account_key);
        let ids: Vec<String> =
            accounts.iter().map(|a| a["accountId"].as_str().unwrap_or_default().to_string()).collect();
        let labels: Vec<String> = accounts.iter().map(account_label).collect();
        p.select(&ids, &labels)?
    };
    println!("Using the account ID {account}");
    let roles =
        all(client, "ListAccountRoles", &json!({"accessToken": token, "accountId": account}), "roleList")?;
    let mut names: Vec<String> =
        roles.iter().filter_map(|r| r["roleName"].as_str().map(str::to_string)).collect();
    if names.is_empty() {
        return Err(CliError::Other(format!("No roles are available for the account {account}")));
    }
    let role = if names.len() == 1 {
        println!("The only role available to you is: {}", names[0]);
        names[0].clone()
    } else {
        println!("There are {} roles available to you.", names.len());
        names.sort_by_key(|n| n.to_lowercase());
        p.select(&names, &names.clone())?
    };
    println!("Using the role name \"{role}\"");
    Ok((account, role))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks() {
        assert!(valid_url("https://d-1234.awsapps.com/start"));
        assert!(!valid_url("d-1234.awsapps.com"));
        assert!(valid_scopes("sso:account:access, codewhisperer:completions"));
        assert!(!valid_scopes("a b"));
    }

    #[test]
    fn account_menu() {
        let a = json!({"accountId": "1", "accountName": "Prod", "emailAddress": "p@x"});
        assert_eq!(account_label(&a), "Prod, p@x (1)");
        assert_eq!(account_label(&json!({"accountId": "2"})), "2");
        assert!(account_key(&json!({"accountId": "2"})) > account_key(&a));
    }
}
