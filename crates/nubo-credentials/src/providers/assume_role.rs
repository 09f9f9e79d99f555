//! `sts:AssumeRole` for one `role_arn` of a profile chain: the CLI's cache key and cache, the MFA
//! prompt, the external id, session name and duration.

use super::{Fetched, sts_cache};
use crate::aws::{self, Api, str_of};
use crate::error::CredentialsError;
use crate::input::Input;
use crate::link::LinkKind;
use crate::profile_chain::RoleStep;
use crate::timefmt;
use nubo_sign::Credentials;
use serde_json::{Map, Value, json};

/// The session name used when the profile sets none.
pub(crate) fn default_session_name(input: &Input) -> String {
    format!("nubo-session-{}", timefmt::epoch_secs(input.now()))
}

/// The arguments that identify the call (and name its cache entry).
fn cache_args(step: &RoleStep) -> Map<String, Value> {
    let mut args = Map::new();
    args.insert("RoleArn".into(), json!(step.role_arn));
    if let Some(n) = &step.session_name {
        args.insert("RoleSessionName".into(), json!(n));
    }
    if let Some(e) = &step.external_id {
        args.insert("ExternalId".into(), json!(e));
    }
    if let Some(m) = &step.mfa_serial {
        args.insert("SerialNumber".into(), json!(m));
    }
    if let Some(d) = step.duration_seconds {
        args.insert("DurationSeconds".into(), json!(d));
    }
    args
}

/// The cache key of a role step.
pub(crate) fn cache_key(step: &RoleStep) -> String {
    sts_cache::key_of_args(&cache_args(step))
}

/// Assumes `step`'s role with `source` credentials (from the cache when it holds them).
pub(crate) async fn assume(
    input: &Input,
    source: &Credentials,
    step: &RoleStep,
) -> Result<Fetched, CredentialsError> {
    let args = cache_args(step);
    let key = sts_cache::key_of_args(&args);
    if let Some(f) = sts_cache::load(input, &key) {
        return Ok(f);
    }
    let mut params = args;
    if !params.contains_key("RoleSessionName") {
        params.insert("RoleSessionName".into(), json!(default_session_name(input)));
    }
    if let Some(serial) = &step.mfa_serial {
        let code = input
            .prompt
            .mfa_code(&format!("Enter MFA code for {serial}: "))
            .map_err(|e| CredentialsError::retrieval(LinkKind::AssumeRole, e))?;
        params.insert("TokenCode".into(), json!(code));
    }
    let fail = |reason: String| {
        CredentialsError::retrieval(
            LinkKind::AssumeRole,
            format!("profile \"{}\" could not assume {}: {reason}", step.profile, step.role_arn),
        )
    };
    let out = aws::call(input, Api::Sts, &input.region, "AssumeRole", &Value::Object(params), Some(source))
        .await
        .map_err(|e| fail(e.to_string()))?;
    let fetched = from_sts_output(&out).map_err(fail)?;
    let mut extra = Map::new();
    if let Some(user) = out.get("AssumedRoleUser") {
        extra.insert("AssumedRoleUser".into(), user.clone());
    }
    sts_cache::store(input, &key, &fetched, extra, false);
    Ok(fetched)
}

/// The credentials of an `AssumeRole` or `AssumeRoleWithWebIdentity` output, with the account id
/// taken from the assumed role's ARN.
pub(crate) fn from_sts_output(out: &Value) -> Result<Fetched, String> {
    let creds = out.get("Credentials").ok_or("the STS response has no Credentials")?;
    let mut f = sts_cache::from_credentials_object(creds)?;
    if f.account_id.is_none() {
        f.account_id =
            out.get("AssumedRoleUser").and_then(|u| str_of(u, "Arn")).and_then(sts_cache::account_of_arn);
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_args_leave_out_the_default_session_name() {
        let step = RoleStep {
            profile: "a".into(),
            role_arn: "arn:r".into(),
            external_id: Some("e".into()),
            session_name: None,
            mfa_serial: None,
            duration_seconds: Some(900),
            path: Default::default(),
        };
        let args = cache_args(&step);
        assert_eq!(args.keys().collect::<Vec<_>>(), ["RoleArn", "ExternalId", "DurationSeconds"]);
        assert_eq!(
            cache_key(&step),
            crate::cache::sha1_hex(
                "{\"DurationSeconds\": 900, \"ExternalId\": \"e\", \"RoleArn\": \"arn:r\"}"
            )
        );
    }
}
