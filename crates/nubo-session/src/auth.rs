//! The identity each auth scheme signs with: the credential chain's keys (SigV4, SigV4a, SigV2), an
//! S3 Express session made with them ([`crate::express`]), a bearer token (`AWS_BEARER_TOKEN_<NAME>`
//! or the profile's SSO token), or nothing. Also the auth scheme preference the resolution in
//! `nubo_client::auth` starts from, and the reason line `--debug` and `--show-request` print.

use crate::error::Result;
use crate::session::Session;
use nubo_client::{Auth, Prepared, Service};
use nubo_settings::chain::{self, Resolver};

/// The environment variable holding a bearer token for a signing name: `bedrock` →
/// `AWS_BEARER_TOKEN_BEDROCK`, as the SDKs name it.
pub fn bearer_env_var(signing_name: &str) -> String {
    format!("AWS_BEARER_TOKEN_{}", signing_name.replace(['-', ' '], "_").to_ascii_uppercase())
}

impl Session {
    /// The scheme preference for `service`: `httpBearerAuth` first when the service allows bearer
    /// auth and its `AWS_BEARER_TOKEN_<NAME>` is set, then `auth_scheme_preference`
    /// (`AWS_AUTH_SCHEME_PREFERENCE`), with where it came from.
    pub(crate) fn auth_preference(&self, r: &Resolver<'_>, service: &Service) -> (Vec<String>, String) {
        let mut list = Vec::new();
        let mut sources = Vec::new();
        let var = bearer_env_var(service.model.signing_name());
        let bearer_allowed = service.model.metadata.auth.iter().any(|a| a == "smithy.api#httpBearerAuth");
        if bearer_allowed && self.env.get(&var).is_some_and(|v| !v.is_empty()) {
            list.push("httpBearerAuth".to_string());
            sources.push(format!("{var} being set"));
        }
        if let Some(s) = chain::simple(r, &["AWS_AUTH_SCHEME_PREFERENCE"], "auth_scheme_preference", None) {
            list.extend(s.value.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()));
            sources.push(format!("auth_scheme_preference ({})", s.source));
        }
        (list, sources.join(" and "))
    }

    /// The identity to sign `auth` with now, from inside the runtime. The credential chain must have
    /// been resolved first for the schemes that use it ([`Session::identity_blocking`] does that).
    pub async fn identity(&self, service: &Service, auth: &Auth) -> Result<Option<nubo_sign::Credentials>> {
        match auth {
            Auth::Anonymous => Ok(None),
            Auth::Bearer { signing_name } => {
                let token = match self.env.get(&bearer_env_var(signing_name)).filter(|v| !v.is_empty()) {
                    Some(t) => t.to_string(),
                    None => nubo_credentials::bearer::sso_bearer_token(&self.credentials_input()?).await?,
                };
                Ok(Some(nubo_client::auth::bearer_credentials(token)))
            }
            Auth::S3Express { bucket, .. } => {
                Ok(Some(Box::pin(self.express_credentials(service, bucket)).await?))
            }
            _ => Ok(Some(self.fresh_credentials().await?)),
        }
    }

    /// [`Session::identity`] from outside the runtime.
    pub fn identity_blocking(
        &self,
        service: &Service,
        auth: &Auth,
    ) -> Result<Option<nubo_sign::Credentials>> {
        if auth.uses_aws_credentials() {
            self.resolved()?;
        }
        self.runtime()?.block_on(self.identity(service, auth))
    }

    /// Prints which scheme `prepared` uses and why: with `--debug` as a debug line, with
    /// `--show-request` on standard error.
    pub(crate) fn say_auth(&self, prepared: &Prepared) {
        if self.globals.show_request {
            eprintln!("{}", prepared.auth_why);
        } else if self.globals.debug {
            nubo_http::debug_log::write_stderr(&prepared.auth_why);
        }
    }
}

/// Hides a bearer token in a request that is printed (`--show-request`).
pub(crate) fn hide_bearer(headers: &mut [(String, String)]) {
    for (name, value) in headers.iter_mut() {
        if name.eq_ignore_ascii_case("authorization") && value.starts_with("Bearer ") {
            *value = "Bearer <token, not shown>".to_string();
        }
    }
}
