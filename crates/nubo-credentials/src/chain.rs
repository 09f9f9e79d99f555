//! The chain itself: each link's detection (what the environment and files configure, without
//! fetching anything) and its fetch, tried in the AWS CLI v2 order. The first link that is
//! configured decides: its credentials win, or its failure stops the chain (a broken source is
//! reported, not skipped). The instance metadata service is the exception the CLI makes: when it
//! does not answer, there are simply no credentials. Nothing is probed once a link has answered.

use crate::error::CredentialsError;
use crate::input::Input;
use crate::link::LinkKind;
use crate::profile_chain::{
    self, Base, ChainError, CredentialSource, ProcessConfig, ProfileChain, SsoConfig, StaticKeys, WebIdentity,
};
use crate::provider::Resolved;
use crate::providers::{Fetched, assume_role, container, env, imds, login, process, sso, web_identity};
use crate::timefmt;
use nubo_settings::parse::FileKind;

/// What a link would do.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    Env,
    Chain(ProfileChain),
    WebIdentity(WebIdentity),
    Sso(SsoConfig),
    Static(StaticKeys),
    Login(String),
    Process(ProcessConfig),
    Container(container::Endpoint),
    Imds(imds::Config),
}

/// What detection found for one link.
#[derive(Debug, Clone)]
pub(crate) enum Detection {
    /// The link does not apply (and why).
    Skipped(String),
    /// Nothing configured for it (and why not).
    NotFound(String),
    /// Configured: fetching decides.
    Found(Plan),
    /// Configured wrongly: the chain stops here.
    Invalid(CredentialsError),
}

fn profile_keys(link: LinkKind, input: &Input) -> Detection {
    let Some(section) = input.section() else {
        return Detection::NotFound(format!("the profile \"{}\" is in neither file", input.profile));
    };
    let name = input.profile.as_str();
    let invalid = |m: String| Detection::Invalid(CredentialsError::broken(Some(link), m));
    match link {
        LinkKind::AssumeRole => {
            if !profile_chain::is_role_profile(section) {
                return Detection::NotFound(format!("the profile \"{name}\" has no role_arn"));
            }
            match profile_chain::build(&input.files, name) {
                Ok(chain) => Detection::Found(Plan::Chain(chain)),
                Err(ChainError::NotFound(m)) => Detection::NotFound(m),
                Err(ChainError::Invalid(m)) => invalid(m),
            }
        }
        LinkKind::Sso => match profile_chain::sso_of(&input.files, name) {
            Ok(Some(cfg)) if cfg.account_id.is_some() => Detection::Found(Plan::Sso(cfg)),
            Ok(Some(cfg)) => Detection::NotFound(format!(
                "the profile \"{name}\" names the sso-session \"{}\" but has no sso_account_id and sso_role_name (it serves \"nubo sso login\" only)",
                cfg.session.unwrap_or_default()
            )),
            Ok(None) => {
                Detection::NotFound(format!("the profile \"{name}\" has no sso_session or sso_account_id"))
            }
            Err(m) => invalid(m),
        },
        LinkKind::SharedCredentialsFile | LinkKind::ConfigFile => {
            let kind = if link == LinkKind::ConfigFile { FileKind::Config } else { FileKind::Credentials };
            match profile_chain::static_keys_of(name, section, kind) {
                Ok(Some(k)) => Detection::Found(Plan::Static(k)),
                Ok(None) => Detection::NotFound(format!(
                    "the profile \"{name}\" has no aws_access_key_id in the {kind} file"
                )),
                Err(m) => invalid(m),
            }
        }
        LinkKind::Login => match login::session_of(input) {
            Some(s) => Detection::Found(Plan::Login(s)),
            None => Detection::NotFound(format!("the profile \"{name}\" has no login_session")),
        },
        LinkKind::CustomProcess => match profile_chain::process_of(name, section) {
            Some(p) => Detection::Found(Plan::Process(p)),
            None => Detection::NotFound(format!("the profile \"{name}\" has no credential_process")),
        },
        _ => Detection::NotFound(String::new()),
    }
}

/// Detects what `link` would do with this input.
pub(crate) fn detect(link: LinkKind, input: &Input) -> Detection {
    match link {
        LinkKind::Env => {
            if input.profile_from_cli {
                return Detection::Skipped("--profile was given on the command line".into());
            }
            match env::read(&input.env) {
                Ok(Some(_)) => Detection::Found(Plan::Env),
                Ok(None) => Detection::NotFound("AWS_ACCESS_KEY_ID is not set".into()),
                Err(e) => Detection::Invalid(e),
            }
        }
        LinkKind::AssumeRoleWithWebIdentity => match web_identity::detect(input) {
            Ok(Some(w)) => Detection::Found(Plan::WebIdentity(w)),
            Ok(None) => Detection::NotFound(if input.profile_from_cli {
                format!("the profile \"{}\" has no web_identity_token_file", input.profile)
            } else {
                "neither AWS_WEB_IDENTITY_TOKEN_FILE nor the profile's web_identity_token_file is set".to_string()
            }),
            Err(e) => Detection::Invalid(e),
        },
        LinkKind::ContainerRole => match container::detect(&input.env) {
            Ok(Some(ep)) => Detection::Found(Plan::Container(ep)),
            Ok(None) => Detection::NotFound(
                "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set".into(),
            ),
            Err(e) => Detection::Invalid(e),
        },
        LinkKind::IamRole => match imds::detect(input) {
            Ok(Some(cfg)) => Detection::Found(Plan::Imds(cfg)),
            Ok(None) => Detection::Skipped("AWS_EC2_METADATA_DISABLED is true".into()),
            Err(e) => Detection::Invalid(e),
        },
        other => profile_keys(other, input),
    }
}

/// Fetches a plan's credentials with their LOCATION; `Ok(None)` only when the instance metadata
/// service gives none.
pub(crate) async fn fetch(input: &Input, plan: &Plan) -> Result<Option<(Fetched, String)>, CredentialsError> {
    let path = |p: &std::path::Path| input.display_path(p);
    Ok(Some(match plan {
        Plan::Env => {
            let f = env::read(&input.env)?.ok_or_else(CredentialsError::no_credentials)?;
            (f, "AWS_ACCESS_KEY_ID".into())
        }
        Plan::Chain(chain) => {
            let location = chain.roles.last().map(|r| path(&r.path)).unwrap_or_default();
            (fetch_chain(input, chain).await?, location)
        }
        Plan::WebIdentity(w) => (web_identity::fetch(input, w).await?, w.token_file.clone()),
        Plan::Sso(cfg) => (sso::fetch(input, cfg).await?, path(&cfg.path)),
        Plan::Static(k) => (Fetched::permanent(k.credentials(), k.account_id.clone()), path(&k.path)),
        Plan::Login(s) => (login::fetch(input, s).await?, login::cache_file(input, s)),
        Plan::Process(p) => (process::fetch(input, p).await?, path(&p.path)),
        Plan::Container(ep) => (container::fetch(input, ep).await?, ep.uri.clone()),
        Plan::Imds(cfg) => match imds::fetch(input, cfg).await? {
            Some((f, role)) => (f, imds::role_url(cfg, &role)),
            None => return Ok(None),
        },
    }))
}

/// The base credentials of a chain, then each role in turn.
pub(crate) async fn fetch_chain(input: &Input, chain: &ProfileChain) -> Result<Fetched, CredentialsError> {
    let referenced_by = chain.roles.first().map_or(input.profile.as_str(), |r| r.profile.as_str());
    let mut current = fetch_base(input, &chain.base, referenced_by).await?;
    for step in &chain.roles {
        current = assume_role::assume(input, &current.credentials, step).await?;
    }
    Ok(current)
}

async fn fetch_base(input: &Input, base: &Base, referenced_by: &str) -> Result<Fetched, CredentialsError> {
    let none_in = |source: CredentialSource| {
        CredentialsError::broken(
            Some(LinkKind::AssumeRole),
            format!(
                "Error when retrieving credentials from {}: No credentials found in credential_source referenced in profile {referenced_by}",
                source.as_str()
            ),
        )
    };
    match base {
        Base::AccessKey(k) => Ok(Fetched::permanent(k.credentials(), k.account_id.clone())),
        Base::WebIdentity(w) => web_identity::fetch(input, w).await,
        Base::Sso(cfg) => sso::fetch(input, cfg).await,
        Base::Process(p) => process::fetch(input, p).await,
        Base::NamedSource(source @ CredentialSource::Environment) => {
            env::read(&input.env)?.ok_or_else(|| none_in(*source))
        }
        Base::NamedSource(source @ CredentialSource::EcsContainer) => match container::detect(&input.env)? {
            Some(ep) => container::fetch(input, &ep).await,
            None => Err(none_in(*source)),
        },
        Base::NamedSource(source @ CredentialSource::Ec2InstanceMetadata) => match imds::detect(input)? {
            Some(cfg) => imds::fetch(input, &cfg).await?.map(|(f, _)| f).ok_or_else(|| none_in(*source)),
            None => Err(none_in(*source)),
        },
    }
}

/// Credentials that expired before they could be used are an error, as in the CLI.
pub(crate) fn check_not_expired(input: &Input, link: LinkKind, f: &Fetched) -> Result<(), CredentialsError> {
    match f.expiry {
        Some(exp) if timefmt::seconds_until(exp, input.now()) <= 0.0 => Err(CredentialsError::retrieval(
            link,
            format!("the credentials it gave expired at {}", timefmt::python_iso(exp)),
        )),
        _ => Ok(()),
    }
}

/// Walks the chain and returns the first credentials found.
pub async fn resolve(input: &Input) -> Result<Resolved, CredentialsError> {
    for link in LinkKind::ALL {
        match detect(link, input) {
            Detection::Skipped(_) | Detection::NotFound(_) => continue,
            Detection::Invalid(e) => return Err(e),
            Detection::Found(plan) => {
                let Some((fetched, location)) = fetch(input, &plan).await? else { continue };
                check_not_expired(input, link, &fetched)?;
                return Ok(Resolved::new(input.clone(), plan, link, location, fetched));
            }
        }
    }
    Err(CredentialsError::no_credentials())
}
