//! The bearer token of a profile, for services whose model authenticates with
//! `smithy.api#httpBearerAuth` (CodeCatalyst): the SSO access token of the profile's `sso_session`,
//! read from the SSO token cache and refreshed with its refresh token as the SSO credentials are.

use crate::error::CredentialsError;
use crate::input::Input;
use crate::link::LinkKind;
use crate::profile_chain;
use crate::providers::sso;

/// The profile's SSO access token, refreshed when it nears expiry. A profile without SSO settings
/// is an error that says how to configure one.
pub async fn sso_bearer_token(input: &Input) -> Result<String, CredentialsError> {
    let cfg = profile_chain::sso_of(&input.files, &input.profile)
        .map_err(|e| CredentialsError::retrieval(LinkKind::Sso, e))?
        .ok_or_else(|| {
            CredentialsError::retrieval(
                LinkKind::Sso,
                format!(
                    "Unable to locate a bearer token: the profile \"{}\" has no sso_session (this service authenticates with an SSO token; run \"nubo configure sso\" or set sso_session)",
                    input.profile
                ),
            )
        })?;
    sso::access_token(input, &cfg).await
}
