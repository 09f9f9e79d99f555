//! How a profile's credentials are made, worked out from the files alone (no I/O): the base
//! credentials (static keys, a named `credential_source`, a web identity, SSO, a process) and the
//! roles assumed on top of them, innermost first, following `source_profile` through chains of any
//! depth with cycles detected and named.
//!
//! The rules are botocore's (a role profile's own static keys are ignored; a *source* profile's
//! static keys win over its `role_arn`; a profile may name itself as source when it holds static
//! keys), checked by the cross-SDK `assume-role-tests.json` suite, whose error phrases every
//! message here contains.

use nubo_settings::parse::FileKind;
use nubo_settings::profiles::{ProfileSet, Section};
use std::fmt;
use std::path::PathBuf;

/// Static keys of one profile.
#[derive(Clone, PartialEq, Eq)]
pub struct StaticKeys {
    /// The profile they belong to.
    pub profile: String,
    pub access_key_id: String,
    pub(crate) secret_access_key: String,
    pub(crate) session_token: Option<String>,
    /// `aws_account_id`, when set.
    pub account_id: Option<String>,
    /// The file `aws_access_key_id` was read from.
    pub file: FileKind,
    pub path: PathBuf,
}

impl StaticKeys {
    /// The keys as signing credentials.
    pub fn credentials(&self) -> nubo_sign::Credentials {
        nubo_sign::Credentials::new(
            self.access_key_id.clone(),
            self.secret_access_key.clone(),
            self.session_token.clone(),
        )
    }

    /// Whether the keys include a session token.
    pub fn has_session_token(&self) -> bool {
        self.session_token.is_some()
    }

    /// The secret (for the conformance suite's comparisons; never print it).
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }
}

impl fmt::Debug for StaticKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticKeys")
            .field("profile", &self.profile)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .field("account_id", &self.account_id)
            .field("file", &self.file)
            .finish()
    }
}

/// The `credential_source` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialSource {
    Environment,
    Ec2InstanceMetadata,
    EcsContainer,
}

impl CredentialSource {
    /// Reads a `credential_source` value (case-insensitive, as botocore compares them).
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "environment" => Some(CredentialSource::Environment),
            "ec2instancemetadata" => Some(CredentialSource::Ec2InstanceMetadata),
            "ecscontainer" => Some(CredentialSource::EcsContainer),
            _ => None,
        }
    }

    /// The canonical name.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialSource::Environment => "Environment",
            CredentialSource::Ec2InstanceMetadata => "Ec2InstanceMetadata",
            CredentialSource::EcsContainer => "EcsContainer",
        }
    }
}

/// A web identity: a role assumed with a token read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebIdentity {
    pub role_arn: String,
    pub token_file: String,
    pub session_name: Option<String>,
    /// Where the settings came from: a profile name, or `None` for the environment variables.
    pub profile: Option<String>,
}

/// IAM Identity Center settings of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoConfig {
    pub profile: String,
    /// The `[sso-session]` name (`None` for the legacy inline keys).
    pub session: Option<String>,
    pub start_url: String,
    pub region: String,
    pub account_id: Option<String>,
    pub role_name: Option<String>,
    /// `sso_registration_scopes` of the session, split at commas.
    pub registration_scopes: Vec<String>,
    /// The file the profile's SSO keys are in.
    pub path: PathBuf,
}

/// A `credential_process` setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessConfig {
    pub profile: String,
    pub command: String,
    pub path: PathBuf,
    /// The profile's `aws_account_id`, used when the process gives none.
    pub account_id: Option<String>,
}

/// Where the first credentials of a chain come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    AccessKey(StaticKeys),
    NamedSource(CredentialSource),
    WebIdentity(WebIdentity),
    Sso(SsoConfig),
    Process(ProcessConfig),
}

/// One `role_arn` to assume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleStep {
    /// The profile holding the role.
    pub profile: String,
    pub role_arn: String,
    pub external_id: Option<String>,
    pub session_name: Option<String>,
    pub mfa_serial: Option<String>,
    /// `duration_seconds`, when it is a number (botocore ignores other values).
    pub duration_seconds: Option<i64>,
    /// The file `role_arn` is in.
    pub path: PathBuf,
}

/// Base credentials and the roles assumed with them, innermost first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileChain {
    pub base: Base,
    pub roles: Vec<RoleStep>,
}

/// Why no chain could be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    /// The selected profile holds no credential settings at all (the credential chain goes on).
    NotFound(String),
    /// The settings are wrong (the credential chain stops with this message).
    Invalid(String),
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainError::NotFound(m) | ChainError::Invalid(m) => f.write_str(m),
        }
    }
}

/// A non-empty value of `key`.
pub(crate) fn get<'a>(s: &'a Section, key: &str) -> Option<&'a str> {
    s.get(key).map(str::trim).filter(|v| !v.is_empty())
}

fn path_of(s: &Section, key: &str) -> PathBuf {
    s.property(key).map(|p| p.origin.path.clone()).unwrap_or_default()
}

/// Whether a profile assumes a role through `source_profile`/`credential_source` (a `role_arn`
/// without `web_identity_token_file`).
pub fn is_role_profile(s: &Section) -> bool {
    get(s, "role_arn").is_some() && get(s, "web_identity_token_file").is_none()
}

fn has_static_keys(s: &Section) -> bool {
    get(s, "aws_access_key_id").is_some() || get(s, "aws_secret_access_key").is_some()
}

/// Builds the chain of the selected profile.
pub fn build(files: &ProfileSet, selected: &str) -> Result<ProfileChain, ChainError> {
    if files.profiles.is_empty() {
        return Err(ChainError::NotFound("No profiles were defined".into()));
    }
    let Some(top) = files.profile(selected) else {
        return Err(ChainError::NotFound(format!("profile `{selected}` was not found")));
    };
    if !is_role_profile(top) {
        return match base_of(files, selected).map_err(ChainError::Invalid)? {
            Some(base) => Ok(ProfileChain { base, roles: Vec::new() }),
            None => Err(ChainError::NotFound(format!(
                "profile `{selected}` did not contain credential information"
            ))),
        };
    }
    let mut roles = Vec::new();
    let mut visited = vec![selected.to_string()];
    let mut current = selected.to_string();
    loop {
        let section = files.profile(&current).ok_or_else(|| {
            ChainError::Invalid(format!("profile `{current}` did not contain credential information"))
        })?;
        let (step, next) = role_step(&current, section)?;
        roles.push(step);
        let source = match next {
            Next::Named(source) => {
                roles.reverse();
                return Ok(ProfileChain { base: Base::NamedSource(source), roles });
            }
            Next::Profile(source) => source,
        };
        let Some(source_section) = files.profile(&source) else {
            return Err(ChainError::Invalid(format!(
                "could not find source profile {source} referenced from {current}: the profile \"{source}\" is in neither the config nor the credentials file"
            )));
        };
        if visited.contains(&source) {
            let self_reference = source == current && has_static_keys(source_section);
            if !self_reference {
                visited.push(source);
                return Err(ChainError::Invalid(format!(
                    "profile formed an infinite loop: {} (each source_profile leads back to an earlier one)",
                    visited.join(" -> ")
                )));
            }
        }
        if has_static_keys(source_section) || !is_role_profile(source_section) || source == current {
            let base = base_of(files, &source).map_err(ChainError::Invalid)?.ok_or_else(|| {
                ChainError::Invalid(format!(
                    "The source profile \"{source}\" must have credentials: profile `{source}` did not contain credential information"
                ))
            })?;
            roles.reverse();
            return Ok(ProfileChain { base, roles });
        }
        visited.push(source.clone());
        current = source;
    }
}

enum Next {
    Named(CredentialSource),
    Profile(String),
}

fn role_step(name: &str, s: &Section) -> Result<(RoleStep, Next), ChainError> {
    let step = RoleStep {
        profile: name.to_string(),
        role_arn: get(s, "role_arn").unwrap_or_default().to_string(),
        external_id: get(s, "external_id").map(str::to_string),
        session_name: get(s, "role_session_name").map(str::to_string),
        mfa_serial: get(s, "mfa_serial").map(str::to_string),
        duration_seconds: get(s, "duration_seconds").and_then(|d| d.parse().ok()),
        path: path_of(s, "role_arn"),
    };
    let next = match (get(s, "source_profile"), get(s, "credential_source")) {
        (Some(_), Some(_)) => {
            return Err(ChainError::Invalid(format!(
                "The profile \"{name}\" is invalid: profile contained both source_profile and credential_source"
            )));
        }
        (None, None) => {
            return Err(ChainError::Invalid(format!(
                "Partial credentials found in assume-role (profile \"{name}\" has a role_arn): profile must contain `source_profile` or `credential_source`"
            )));
        }
        (Some(p), None) => Next::Profile(p.to_string()),
        (None, Some(c)) => Next::Named(CredentialSource::parse(c).ok_or_else(|| {
            ChainError::Invalid(format!(
                "The credential source \"{c}\" referenced in profile \"{name}\" is not valid (expected Environment, Ec2InstanceMetadata or EcsContainer)"
            ))
        })?),
    };
    Ok((step, next))
}

/// The base credentials a profile holds by itself, in the chain's order: web identity, SSO, static
/// keys in the credentials file, `credential_process`, static keys in the config file.
pub fn base_of(files: &ProfileSet, name: &str) -> Result<Option<Base>, String> {
    let Some(s) = files.profile(name) else { return Ok(None) };
    if let Some(w) = web_identity_of(name, s)? {
        return Ok(Some(Base::WebIdentity(w)));
    }
    if let Some(sso) = sso_of(files, name)? {
        return Ok(Some(Base::Sso(sso)));
    }
    if let Some(k) = static_keys_of(name, s, FileKind::Credentials)? {
        return Ok(Some(Base::AccessKey(k)));
    }
    if let Some(p) = process_of(name, s) {
        return Ok(Some(Base::Process(p)));
    }
    Ok(static_keys_of(name, s, FileKind::Config)?.map(Base::AccessKey))
}

/// The profile's own web identity settings (`web_identity_token_file` needs `role_arn`).
pub fn web_identity_of(name: &str, s: &Section) -> Result<Option<WebIdentity>, String> {
    let Some(token_file) = get(s, "web_identity_token_file") else { return Ok(None) };
    let Some(role_arn) = get(s, "role_arn") else {
        return Err(format!(
            "`role_arn` was missing: the profile \"{name}\" sets web_identity_token_file but no role_arn"
        ));
    };
    Ok(Some(WebIdentity {
        role_arn: role_arn.to_string(),
        token_file: token_file.to_string(),
        session_name: get(s, "role_session_name").map(str::to_string),
        profile: Some(name.to_string()),
    }))
}

/// The profile's static keys when `aws_access_key_id` (or, without it, the secret) comes from a
/// file of kind `file`. Half a pair is an error.
pub fn static_keys_of(name: &str, s: &Section, file: FileKind) -> Result<Option<StaticKeys>, String> {
    // Each file is read on its own, as botocore reads it: keys and token all from this file.
    let in_file = |key: &str| s.property(key).filter(|p| !p.value.trim().is_empty() && p.origin.kind == file);
    let access = in_file("aws_access_key_id");
    let secret = in_file("aws_secret_access_key");
    let Some(first) = access.or(secret) else { return Ok(None) };
    let access_elsewhere =
        access.is_none() && s.property("aws_access_key_id").is_some_and(|p| !p.value.trim().is_empty());
    if access_elsewhere {
        // The access key is in the other file: that file's link decides.
        return Ok(None);
    }
    let link = match file {
        FileKind::Credentials => "shared-credentials-file",
        FileKind::Config => "config-file",
    };
    let (Some(access), Some(secret)) = (access, secret) else {
        let missing = if access.is_none() { "aws_access_key_id" } else { "aws_secret_access_key" };
        return Err(format!(
            "Partial credentials found in {link} (profile \"{name}\", {}): profile missing {missing}",
            first.origin.path.display()
        ));
    };
    let token =
        in_file("aws_session_token").or_else(|| in_file("aws_security_token")).map(|p| p.value.trim());
    Ok(Some(StaticKeys {
        profile: name.to_string(),
        access_key_id: access.value.trim().to_string(),
        secret_access_key: secret.value.trim().to_string(),
        session_token: token.map(str::to_string),
        account_id: get(s, "aws_account_id").map(str::to_string),
        file,
        path: access.origin.path.clone(),
    }))
}

/// The profile's `credential_process`.
pub fn process_of(name: &str, s: &Section) -> Option<ProcessConfig> {
    let command = get(s, "credential_process")?;
    Some(ProcessConfig {
        profile: name.to_string(),
        command: command.to_string(),
        path: path_of(s, "credential_process"),
        account_id: get(s, "aws_account_id").map(str::to_string),
    })
}

/// The profile's SSO settings: `sso_session` with its `[sso-session]` section, or the legacy
/// inline keys (which count only with `sso_account_id` or `sso_role_name`, as in botocore).
pub fn sso_of(files: &ProfileSet, name: &str) -> Result<Option<SsoConfig>, String> {
    let Some(p) = files.profile(name) else { return Ok(None) };
    let account_id = get(p, "sso_account_id").map(str::to_string);
    let role_name = get(p, "sso_role_name").map(str::to_string);
    let (session, start_url, region, scopes, path) = if let Some(session_name) = get(p, "sso_session") {
        let Some(session) = files.sso_session(session_name) else {
            return Err(format!(
                "sso-session named `{session_name}` (referenced by profile `{name}`) was not found"
            ));
        };
        if let Some(r) = get(p, "sso_region")
            && get(session, "sso_region") != Some(r)
        {
            return Err(format!(
                "The profile \"{name}\" is invalid: `sso_region` can only be specified in the [sso-session] config when a session name is given (the profile sets {r}, the sso-session `{session_name}` {})",
                get(session, "sso_region").map_or("does not".to_string(), |v| format!("sets {v}"))
            ));
        }
        if let Some(u) = get(p, "sso_start_url")
            && let Some(su) = get(session, "sso_start_url")
            && su != u
        {
            return Err(format!(
                "The value for sso_start_url is inconsistent between profile ({u}) and sso-session ({su})."
            ));
        }
        let missing: Vec<&str> =
            ["sso_start_url", "sso_region"].into_iter().filter(|k| get(session, k).is_none()).collect();
        if !missing.is_empty() {
            return Err(format!(
                "The sso-session \"{session_name}\" (used by profile \"{name}\") is missing required configuration: {}",
                missing.join(", ")
            ));
        }
        let scopes = get(session, "sso_registration_scopes")
            .map(|raw| raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
            .unwrap_or_default();
        (
            Some(session_name.to_string()),
            get(session, "sso_start_url").unwrap_or_default().to_string(),
            get(session, "sso_region").unwrap_or_default().to_string(),
            scopes,
            path_of(p, "sso_session"),
        )
    } else {
        if account_id.is_none() && role_name.is_none() {
            return Ok(None);
        }
        let missing: Vec<&str> =
            ["sso_start_url", "sso_region"].into_iter().filter(|k| get(p, k).is_none()).collect();
        if account_id.is_some() && role_name.is_some() && !missing.is_empty() {
            return Err(format!(
                "The profile \"{name}\" is configured to use SSO but is missing required configuration: {}",
                missing.join(", ")
            ));
        }
        (
            None,
            get(p, "sso_start_url").unwrap_or_default().to_string(),
            get(p, "sso_region").unwrap_or_default().to_string(),
            Vec::new(),
            path_of(p, if account_id.is_some() { "sso_account_id" } else { "sso_role_name" }),
        )
    };
    match (&account_id, &role_name) {
        (None, Some(_)) => {
            return Err(format!(
                "The profile \"{name}\" is configured to use SSO but is invalid: if `sso_role_name` is set, then `sso_account_id` must also be set"
            ));
        }
        (Some(_), None) => {
            return Err(format!(
                "The profile \"{name}\" is configured to use SSO but is invalid: if `sso_account_id` is set, then `sso_role_name` must also be set"
            ));
        }
        _ => {}
    }
    Ok(Some(SsoConfig {
        profile: name.to_string(),
        session,
        start_url,
        region,
        account_id,
        role_name,
        registration_scopes: scopes,
        path,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nubo_settings::parse::{FileKind, parse};
    use nubo_settings::profiles::merge;
    use std::path::Path;

    fn files(config: &str, creds: &str) -> ProfileSet {
        let c = parse(config, FileKind::Config, Path::new("/h/.aws/config")).unwrap();
        let k = parse(creds, FileKind::Credentials, Path::new("/h/.aws/credentials")).unwrap();
        merge(c, k)
    }

    #[test]
    fn static_keys_follow_their_file() {
        let f = files("[profile a]\naws_access_key_id = AK\naws_secret_access_key = SK\n", "");
        let s = f.profile("a").unwrap();
        assert_eq!(static_keys_of("a", s, FileKind::Credentials).unwrap(), None);
        let k = static_keys_of("a", s, FileKind::Config).unwrap().unwrap();
        assert_eq!(k.access_key_id, "AK");
        assert_eq!(k.path, Path::new("/h/.aws/config"));
        let shown = format!("{k:?}");
        assert!(!shown.contains("SK\""), "{shown}");
    }

    #[test]
    fn credentials_file_keys_beat_process_and_process_beats_config_keys() {
        let f = files(
            "[profile a]\ncredential_process = x\naws_access_key_id = C\naws_secret_access_key = S\n",
            "",
        );
        assert!(matches!(base_of(&f, "a").unwrap(), Some(Base::Process(_))));
        let f = files(
            "[profile a]\ncredential_process = x\n",
            "[a]\naws_access_key_id = K\naws_secret_access_key = S\n",
        );
        assert!(
            matches!(base_of(&f, "a").unwrap(), Some(Base::AccessKey(k)) if k.file == FileKind::Credentials)
        );
    }

    #[test]
    fn loops_are_named() {
        let f = files(
            "[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nrole_arn = r\nsource_profile = c\n[profile c]\nrole_arn = r\nsource_profile = a\n",
            "",
        );
        let e = build(&f, "a").unwrap_err().to_string();
        assert!(e.contains("a -> b -> c -> a"), "{e}");
    }

    #[test]
    fn legacy_sso_needs_start_url_and_region() {
        let f = files("[profile a]\nsso_account_id = 1\nsso_role_name = r\n", "");
        let e = sso_of(&f, "a").unwrap_err();
        assert!(e.contains("missing required configuration: sso_start_url, sso_region"), "{e}");
        let f = files("[profile a]\nsso_start_url = u\nsso_region = r\n", "");
        assert_eq!(sso_of(&f, "a").unwrap(), None);
    }

    #[test]
    fn duration_and_options() {
        let f = files(
            "[profile a]\nrole_arn = r\nsource_profile = b\nduration_seconds = 900\nmfa_serial = m\nexternal_id = e\n[profile b]\naws_access_key_id = k\naws_secret_access_key = s\n",
            "",
        );
        let c = build(&f, "a").unwrap();
        assert_eq!(c.roles[0].duration_seconds, Some(900));
        assert_eq!(c.roles[0].mfa_serial.as_deref(), Some("m"));
        assert_eq!(c.roles[0].external_id.as_deref(), Some("e"));
        let f = files("[profile a]\nrole_arn = r\ncredential_source = Bogus\n", "");
        assert!(build(&f, "a").unwrap_err().to_string().contains("\"Bogus\""));
    }
}
