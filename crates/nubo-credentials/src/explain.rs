//! `configure explain`: every link of the chain in order with what it found (never a secret; at
//! most the last four characters of an access key id), which one won, and a warning for each
//! source that would have given other credentials but is shadowed by the winner (environment keys
//! hiding a profile, a container role or an instance role; a profile's static keys hidden by its
//! `role_arn`).
//!
//! Explaining reads files and the environment only, except that it asks the instance metadata
//! service for its role when [`ExplainOptions::probe_imds`] is set (the one source that cannot be
//! seen otherwise). It runs no `credential_process` and calls neither STS nor SSO.

use crate::chain::{self, Detection, Plan};
use crate::error::CredentialsError;
use crate::input::Input;
use crate::link::LinkKind;
use crate::profile_chain::{Base, CredentialSource, ProfileChain, SsoConfig, StaticKeys};
use crate::providers::{assume_role, env, imds, sso, sts_cache, web_identity};
use crate::sso_token;
use crate::timefmt;
use std::fmt::Write as _;

/// What `explain` may do beyond reading files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExplainOptions {
    /// Ask the instance metadata service for its role (up to its timeout on a machine without one).
    pub probe_imds: bool,
}

impl Default for ExplainOptions {
    fn default() -> Self {
        ExplainOptions { probe_imds: true }
    }
}

/// The state of one link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// Its credentials are the ones used.
    Won,
    /// Configured, but an earlier link won.
    Shadowed,
    /// Configured, but broken: the chain stops here.
    Broken,
    /// Nothing configured for it.
    NotFound,
    /// Not consulted (`--profile` skips the environment; IMDS disabled).
    Skipped,
    /// Not asked (the instance metadata service without probing).
    NotChecked,
}

impl LinkState {
    fn label(self) -> &'static str {
        match self {
            LinkState::Won => "USED",
            LinkState::Shadowed => "shadowed",
            LinkState::Broken => "BROKEN",
            LinkState::NotFound => "not found",
            LinkState::Skipped => "skipped",
            LinkState::NotChecked => "not checked",
        }
    }
}

/// One link's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkReport {
    pub link: LinkKind,
    pub state: LinkState,
    /// What it found, or why not.
    pub detail: String,
    /// Where (a file, variable or URI), when it found something.
    pub location: Option<String>,
}

/// The whole explanation.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// The selected profile.
    pub profile: String,
    /// Whether `--profile` chose it.
    pub profile_from_cli: bool,
    /// Every link, in chain order.
    pub links: Vec<LinkReport>,
    /// The link whose credentials are used.
    pub winner: Option<LinkKind>,
    /// The error a command would stop with (a broken winner, or no credentials at all).
    pub error: Option<CredentialsError>,
    /// Shadowed sources and other traps.
    pub warnings: Vec<String>,
}

/// The CLI's masking of a key: sixteen stars and the last four characters.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("{}{tail}", "*".repeat(16))
}

/// One found source: its description, location, and the access key id when it can be known now.
struct Found {
    detail: String,
    /// A few words naming the source, for warnings.
    short: String,
    location: String,
    access_key: Option<String>,
    /// The profile whose static keys these are (for the "hidden by role_arn" warning).
    static_profile: Option<String>,
}

fn describe_static(input: &Input, k: &StaticKeys) -> String {
    format!(
        "aws_access_key_id {} of profile \"{}\" in {}{}",
        mask(&k.access_key_id),
        k.profile,
        input.display_path(&k.path),
        if k.has_session_token() { ", with aws_session_token" } else { "" }
    )
}

fn describe_sso(input: &Input, cfg: &SsoConfig) -> String {
    let mut s = format!(
        "role {} in account {} of profile \"{}\" through {} ({}, {})",
        cfg.role_name.as_deref().unwrap_or("?"),
        cfg.account_id.as_deref().unwrap_or("?"),
        cfg.profile,
        cfg.session
            .as_ref()
            .map_or("the legacy sso_start_url".to_string(), |s| format!("sso-session \"{s}\"")),
        cfg.start_url,
        cfg.region
    );
    if let Some(key) = sso::cache_key(cfg)
        && let Some(f) = sts_cache::load(input, &key)
        && let Some(exp) = f.expiry
    {
        let _ = write!(s, "; cached role credentials valid until {}", timefmt::iso_z(exp));
        return s;
    }
    match sso_token::load(input, &cfg.start_url, cfg.session.as_deref()) {
        Err(_) => s.push_str("; no cached token: run \"nubo sso login\""),
        Ok(t) if timefmt::seconds_until(t.expires_at, input.now()) > 0.0 => {
            let _ = write!(s, "; cached token valid until {}", timefmt::iso_z(t.expires_at));
        }
        Ok(t) => {
            let refreshable = cfg.session.is_some() && t.doc.get("refreshToken").is_some();
            let _ = write!(
                s,
                "; cached token expired at {}{}",
                timefmt::iso_z(t.expires_at),
                if refreshable { " (it will be refreshed)" } else { ": run \"nubo sso login\"" }
            );
        }
    }
    s
}

fn describe_base(input: &Input, base: &Base) -> String {
    match base {
        Base::AccessKey(k) => format!("static keys: {}", describe_static(input, k)),
        Base::NamedSource(CredentialSource::Environment) => {
            "credential_source Environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)".into()
        }
        Base::NamedSource(CredentialSource::EcsContainer) => {
            "credential_source EcsContainer (the container role)".into()
        }
        Base::NamedSource(CredentialSource::Ec2InstanceMetadata) => {
            "credential_source Ec2InstanceMetadata (the instance role)".into()
        }
        Base::WebIdentity(w) => format!(
            "web identity: role {} with the token in {}{}",
            w.role_arn,
            w.token_file,
            w.profile.as_ref().map(|p| format!(" (profile \"{p}\")")).unwrap_or_default()
        ),
        Base::Sso(cfg) => format!("SSO: {}", describe_sso(input, cfg)),
        Base::Process(p) => format!("credential_process of profile \"{}\" (not run by explain)", p.profile),
    }
}

fn describe_chain(input: &Input, chain: &ProfileChain) -> String {
    let mut s = String::new();
    for (i, step) in chain.roles.iter().rev().enumerate() {
        if i > 0 {
            s.push_str(", assumed with ");
        }
        let _ = write!(s, "role {} of profile \"{}\"", step.role_arn, step.profile);
        if let Some(m) = &step.mfa_serial {
            let _ = write!(s, " (MFA {m})");
        }
        if i == 0
            && let Some(f) = sts_cache::load(input, &assume_role::cache_key(step))
            && let Some(exp) = f.expiry
        {
            let _ = write!(s, " [cached credentials valid until {}]", timefmt::iso_z(exp));
        }
    }
    let _ = write!(s, ", from {}", describe_base(input, &chain.base));
    s
}

fn describe(input: &Input, plan: &Plan) -> Found {
    let path = |p: &std::path::Path| input.display_path(p);
    let mut found = Found {
        detail: String::new(),
        short: String::new(),
        location: String::new(),
        access_key: None,
        static_profile: None,
    };
    match plan {
        Plan::Env => {
            if let Ok(Some(f)) = env::read(&input.env) {
                found.detail = format!(
                    "AWS_ACCESS_KEY_ID {} and AWS_SECRET_ACCESS_KEY{}{}",
                    mask(&f.credentials.access_key_id),
                    if f.credentials.session_token.is_some() { ", with a session token" } else { "" },
                    f.expiry.map(|e| format!(", expiring at {}", timefmt::iso_z(e))).unwrap_or_default()
                );
                found.access_key = Some(f.credentials.access_key_id);
            }
            found.short = "the environment's keys".into();
            found.location = "AWS_ACCESS_KEY_ID".into();
        }
        Plan::Chain(chain) => {
            found.detail = describe_chain(input, chain);
            if let Some(top) = chain.roles.last() {
                found.short = format!("the role {} of profile \"{}\"", top.role_arn, top.profile);
            }
            found.location = chain.roles.last().map(|r| path(&r.path)).unwrap_or_default();
        }
        Plan::WebIdentity(w) => {
            found.detail = format!(
                "role {} with the token in {} ({})",
                w.role_arn,
                w.token_file,
                w.profile
                    .as_ref()
                    .map_or("from AWS_WEB_IDENTITY_TOKEN_FILE".to_string(), |p| format!("profile \"{p}\""))
            );
            if let Some(f) = sts_cache::load(input, &web_identity::cache_key(w))
                && let Some(exp) = f.expiry
            {
                let _ = write!(found.detail, " [cached credentials valid until {}]", timefmt::iso_z(exp));
            } else if let Err(e) = std::fs::metadata(&w.token_file) {
                let _ = write!(found.detail, "; the token file cannot be read: {e}");
            }
            found.short = format!("the role {} with a web identity", w.role_arn);
            found.location = w.token_file.clone();
        }
        Plan::Sso(cfg) => {
            found.detail = describe_sso(input, cfg);
            found.short = format!("the SSO credentials of profile \"{}\"", cfg.profile);
            found.location = path(&cfg.path);
        }
        Plan::Static(k) => {
            found.detail = describe_static(input, k);
            found.short = format!(
                "the keys {} of profile \"{}\" in {}",
                mask(&k.access_key_id),
                k.profile,
                input.display_path(&k.path)
            );
            found.location = path(&k.path);
            found.access_key = Some(k.access_key_id.clone());
            found.static_profile = Some(k.profile.clone());
        }
        Plan::Login(session) => {
            found.location = crate::providers::login::cache_file(input, session);
            let cached = crate::providers::login::cached_expiry(input, session);
            found.detail = match cached {
                Some(exp) => format!(
                    "console login session {session} [cached credentials valid until {}, refreshed with the refresh token]",
                    timefmt::iso_z(exp)
                ),
                None => format!(
                    "console login session {session}; no cached token in {} (run \"nubo login\")",
                    found.location
                ),
            };
            found.short = format!("the console login session of profile \"{}\"", input.profile);
        }
        Plan::Process(p) => {
            let program = shlex::split(&p.command).and_then(|w| w.into_iter().next()).unwrap_or_default();
            found.detail =
                format!("credential_process `{program}` of profile \"{}\" (not run by explain)", p.profile);
            found.location = path(&p.path);
        }
        Plan::Container(ep) => {
            found.detail = format!("the container endpoint {} {}", ep.uri, ep.auth_description());
            found.short = format!("the container role ({})", ep.uri);
            found.location = ep.uri.clone();
        }
        Plan::Imds(cfg) => {
            found.detail = format!("the instance metadata service at {}", cfg.base);
            found.location = cfg.base.clone();
        }
    }
    found
}

/// Explains the chain for `input`.
pub async fn explain(input: &Input, opts: ExplainOptions) -> Explanation {
    let mut links = Vec::new();
    let mut winner: Option<(LinkKind, Found)> = None;
    let mut error: Option<CredentialsError> = None;
    let mut warnings = Vec::new();
    let mut stopped = false;
    for link in LinkKind::ALL {
        let mut report =
            LinkReport { link, state: LinkState::NotFound, detail: String::new(), location: None };
        match chain::detect(link, input) {
            Detection::Skipped(why) => {
                report.state = LinkState::Skipped;
                report.detail = why;
            }
            Detection::NotFound(why) => report.detail = why,
            Detection::Invalid(e) => {
                report.state = if stopped { LinkState::Shadowed } else { LinkState::Broken };
                report.detail = e.to_string();
                if !stopped {
                    stopped = true;
                    error = Some(e);
                }
            }
            Detection::Found(plan) => {
                let mut found = describe(input, &plan);
                if let Plan::Imds(cfg) = &plan {
                    if !opts.probe_imds {
                        report.state = LinkState::NotChecked;
                        report.detail = format!("{} (not probed)", found.detail);
                        links.push(report);
                        continue;
                    }
                    match imds::fetch(input, cfg).await {
                        Ok(Some((f, role))) => {
                            found.detail = format!("instance role {role} at {}", cfg.base);
                            found.short = format!("the instance role {role}");
                            found.location = imds::role_url(cfg, &role);
                            found.access_key = Some(f.credentials.access_key_id);
                        }
                        Ok(None) => {
                            report.detail =
                                format!("{} gave no credentials (no instance role here)", found.detail);
                            links.push(report);
                            continue;
                        }
                        Err(e) => {
                            report.state = if stopped { LinkState::Shadowed } else { LinkState::Broken };
                            report.detail = e.to_string();
                            if !stopped {
                                stopped = true;
                                error = Some(e);
                            }
                            links.push(report);
                            continue;
                        }
                    }
                }
                report.detail = found.detail.clone();
                report.location = Some(found.location.clone());
                if stopped {
                    report.state = LinkState::Shadowed;
                    if let Some((w, wf)) = &winner {
                        shadow_warning(input, *w, wf, link, &found, &mut report, &mut warnings);
                    }
                } else {
                    report.state = LinkState::Won;
                    stopped = true;
                    winner = Some((link, found));
                }
            }
        }
        links.push(report);
    }
    let env_shadows = winner.as_ref().is_some_and(|(w, _)| *w == LinkKind::Env)
        && links.iter().any(|r: &LinkReport| r.state == LinkState::Shadowed);
    if env_shadows
        && let Some(var) = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"]
            .into_iter()
            .find(|v| input.env.get(v) == Some(input.profile.as_str()))
    {
        warnings.push(format!(
            "{var} selects the profile \"{}\", but the environment's keys come first: unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or pass --profile {}) to use the profile.",
            input.profile, input.profile
        ));
    }
    if input.profile_from_cli && input.env.get("AWS_ACCESS_KEY_ID").is_some() {
        warnings.push(format!(
            "AWS_ACCESS_KEY_ID is set in the environment but not used: --profile {} was given on the command line.",
            input.profile
        ));
    }
    if winner.is_none() && error.is_none() {
        error = Some(CredentialsError::no_credentials());
    }
    Explanation {
        profile: input.profile.clone(),
        profile_from_cli: input.profile_from_cli,
        links,
        winner: winner.map(|(w, _)| w),
        error,
        warnings,
    }
}

fn shadow_warning(
    input: &Input,
    winner: LinkKind,
    wf: &Found,
    link: LinkKind,
    found: &Found,
    report: &mut LinkReport,
    warnings: &mut Vec<String>,
) {
    if let (Some(a), Some(b)) = (&wf.access_key, &found.access_key)
        && a == b
    {
        report.detail.push_str(" (the same access key as the winner)");
        return;
    }
    let what = format!("{} ({link})", found.short);
    let warning = match winner {
        LinkKind::Env => {
            format!("The environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY hide {what}.")
        }
        LinkKind::AssumeRole if found.static_profile.as_deref() == Some(input.profile.as_str()) => format!(
            "The static keys of profile \"{}\" in {} are not used: the profile's role_arn takes precedence (assume-role).",
            input.profile, found.location
        ),
        _ => {
            let mut w =
                format!("{what} would give other credentials, but {winner} comes first in the chain.");
            if let Some(first) = w.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            w
        }
    };
    warnings.push(warning);
}

impl Explanation {
    /// The explanation as text for a terminal.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Credential chain for profile \"{}\"{}:",
            self.profile,
            if self.profile_from_cli { " (--profile: environment keys are skipped)" } else { "" }
        );
        out.push('\n');
        let width = LinkKind::ALL.iter().map(|k| k.as_str().len()).max().unwrap_or(0);
        for r in &self.links {
            let _ = writeln!(
                out,
                "  {}. {:<width$}  {:<11}  {}",
                r.link.position(),
                r.link.as_str(),
                r.state.label(),
                r.detail
            );
            if let Some(loc) =
                r.location.as_ref().filter(|_| matches!(r.state, LinkState::Won | LinkState::Shadowed))
            {
                let _ = writeln!(out, "     {:<width$}  {:<11}  location: {loc}", "", "");
            }
        }
        out.push('\n');
        match (&self.winner, &self.error) {
            (Some(w), _) => {
                let loc = self
                    .links
                    .iter()
                    .find(|r| r.link == *w)
                    .and_then(|r| r.location.clone())
                    .unwrap_or_default();
                let _ = writeln!(out, "Credentials come from {w} ({loc}).");
            }
            (None, Some(e)) => {
                let _ = writeln!(out, "No credentials: {e}");
            }
            (None, None) => {}
        }
        if !self.warnings.is_empty() {
            out.push_str("\nWarnings:\n");
            for w in &self.warnings {
                let _ = writeln!(out, "  - {w}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking() {
        assert_eq!(mask("AKIAABCDEFGH1234"), "****************1234");
        assert_eq!(mask("ab"), "****************ab");
    }
}
