//! `sts:AssumeRoleWithWebIdentity`: the token file and role from `AWS_WEB_IDENTITY_TOKEN_FILE`,
//! `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME` (not when `--profile` is given) or the profile's
//! `web_identity_token_file`, `role_arn`, `role_session_name`; each setting separately, the
//! environment first, as botocore reads them. The call is anonymous; results are cached like
//! assumed roles.

use super::{Fetched, assume_role, sts_cache};
use crate::aws::{self, Api};
use crate::error::CredentialsError;
use crate::input::Input;
use crate::link::LinkKind;
use crate::profile_chain::{WebIdentity, get};
use serde_json::{Map, Value, json};

/// The web identity settings of the selected profile and environment, if the token file is set.
pub(crate) fn detect(input: &Input) -> Result<Option<WebIdentity>, CredentialsError> {
    let section = input.section();
    let env = |var: &str| if input.profile_from_cli { None } else { input.env.get(var) };
    let profile = |key: &str| section.and_then(|s| get(s, key));
    let (token_file, from_profile) =
        match (env("AWS_WEB_IDENTITY_TOKEN_FILE"), profile("web_identity_token_file")) {
            (Some(t), _) => (t, false),
            (None, Some(t)) => (t, true),
            (None, None) => return Ok(None),
        };
    let Some(role_arn) = env("AWS_ROLE_ARN").or_else(|| profile("role_arn")) else {
        return Err(CredentialsError::broken(
            Some(LinkKind::AssumeRoleWithWebIdentity),
            format!(
                "`role_arn` was missing: {} configured to assume a role with a web identity but has no role ARN. Set role_arn in the profile or the AWS_ROLE_ARN environment variable.",
                if from_profile {
                    format!("the profile \"{}\" is", input.profile)
                } else {
                    "the environment is".into()
                }
            ),
        ));
    };
    Ok(Some(WebIdentity {
        role_arn: role_arn.to_string(),
        token_file: token_file.to_string(),
        session_name: env("AWS_ROLE_SESSION_NAME")
            .or_else(|| profile("role_session_name"))
            .map(str::to_string),
        profile: from_profile.then(|| input.profile.clone()),
    }))
}

fn cache_args(w: &WebIdentity) -> Map<String, Value> {
    let mut args = Map::new();
    args.insert("RoleArn".into(), json!(w.role_arn));
    if let Some(n) = &w.session_name {
        args.insert("RoleSessionName".into(), json!(n));
    }
    args
}

/// The cache key of a web identity.
pub(crate) fn cache_key(w: &WebIdentity) -> String {
    sts_cache::key_of_args(&cache_args(w))
}

/// Reads the token and calls STS (or takes the cached result).
pub(crate) async fn fetch(input: &Input, w: &WebIdentity) -> Result<Fetched, CredentialsError> {
    let link = LinkKind::AssumeRoleWithWebIdentity;
    let args = cache_args(w);
    let key = sts_cache::key_of_args(&args);
    if let Some(f) = sts_cache::load(input, &key) {
        return Ok(f);
    }
    let token = std::fs::read_to_string(&w.token_file).map_err(|e| {
        CredentialsError::retrieval(
            link,
            format!("cannot read the web identity token file {}: {e}", w.token_file),
        )
    })?;
    let mut params = args;
    if !params.contains_key("RoleSessionName") {
        params.insert("RoleSessionName".into(), json!(assume_role::default_session_name(input)));
    }
    params.insert("WebIdentityToken".into(), json!(token.trim()));
    let fail = |reason: String| {
        CredentialsError::retrieval(link, format!("could not assume {}: {reason}", w.role_arn))
    };
    let out =
        aws::call(input, Api::Sts, &input.region, "AssumeRoleWithWebIdentity", &Value::Object(params), None)
            .await
            .map_err(|e| fail(e.to_string()))?;
    let fetched = assume_role::from_sts_output(&out).map_err(fail)?;
    let mut extra = Map::new();
    if let Some(user) = out.get("AssumedRoleUser") {
        extra.insert("AssumedRoleUser".into(), user.clone());
    }
    sts_cache::store(input, &key, &fetched, extra, false);
    Ok(fetched)
}
