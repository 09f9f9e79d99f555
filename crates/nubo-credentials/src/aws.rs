//! Calls to STS, SSO and SSO OIDC through nubo's own engine: the model from the loader, the
//! endpoint from the rule set with the configured endpoint URL overrides (`AWS_ENDPOINT_URL_<ID>`,
//! `AWS_ENDPOINT_URL`, `[services]`, the profile's `endpoint_url`), then `nubo_client::call`.

use crate::input::Input;
use nubo_client::call::CallError;
use nubo_client::{EndpointConfig, Service};
use nubo_settings::chain;
use nubo_sign::Credentials;
use serde_json::Value;
use std::fmt;

/// One of the services the providers call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    Sts,
    Sso,
    SsoOidc,
    /// The sign-in service of `login` (`CreateOAuth2Token`).
    Signin,
}

impl Api {
    fn model_name(self) -> &'static str {
        match self {
            Api::Sts => "sts",
            Api::Sso => "sso",
            Api::SsoOidc => "sso-oidc",
            Api::Signin => "signin",
        }
    }

    /// The service id as the endpoint URL settings spell it (`AWS_ENDPOINT_URL_SSO_OIDC`).
    fn endpoint_key(self) -> &'static str {
        match self {
            Api::Sts => "sts",
            Api::Sso => "sso",
            Api::SsoOidc => "sso_oidc",
            Api::Signin => "signin",
        }
    }
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The service answered with an error.
    Service {
        code: String,
        message: String,
        operation: String,
        /// The modeled `error` member (the sign-in service's OAuth error: `TOKEN_EXPIRED`, …).
        error: Option<String>,
    },
    /// No answer, or nubo could not build the call.
    Other(String),
}

impl Failure {
    pub(crate) fn code(&self) -> Option<&str> {
        match self {
            Failure::Service { code, .. } => Some(code),
            Failure::Other(_) => None,
        }
    }

    /// The modeled `error` member of a service error.
    pub(crate) fn error_member(&self) -> Option<&str> {
        match self {
            Failure::Service { error, .. } => error.as_deref(),
            Failure::Other(_) => None,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Service { code, message, operation, .. } => {
                write!(f, "An error occurred ({code}) when calling the {operation} operation: {message}")
            }
            Failure::Other(m) => f.write_str(m),
        }
    }
}

fn flag(input: &Input, var: &str, key: &str) -> bool {
    input.setting(&[var], key).is_some_and(|s| s.value.trim().eq_ignore_ascii_case("true"))
}

/// Calls `operation` of `api` in `region` with `params`, signed with `credentials` (anonymous
/// when `None`), and returns the parsed output.
pub(crate) async fn call(
    input: &Input,
    api: Api,
    region: &str,
    operation: &str,
    params: &Value,
    credentials: Option<&Credentials>,
) -> Result<Value, Failure> {
    send(input, api, region, operation, params, credentials, |_| Vec::new()).await
}

/// An anonymous call with headers added by `headers`, which sees the request's URL (the DPoP proof
/// of `login` signs it).
pub(crate) async fn call_with(
    input: &Input,
    api: Api,
    region: &str,
    operation: &str,
    params: &Value,
    headers: impl FnOnce(&str) -> Vec<(String, String)>,
) -> Result<Value, Failure> {
    send(input, api, region, operation, params, None, headers).await
}

/// The URL a call would go to.
pub(crate) fn url_of(
    input: &Input,
    api: Api,
    region: &str,
    operation: &str,
    params: &Value,
) -> Result<String, Failure> {
    let (service, prepared) = prepare(input, api, region, operation, params, true)?;
    drop(service);
    Ok(prepared.url)
}

fn prepare(
    input: &Input,
    api: Api,
    region: &str,
    operation: &str,
    params: &Value,
    anonymous: bool,
) -> Result<(Service, nubo_client::Prepared), Failure> {
    let name = api.model_name();
    let files = input
        .models
        .load_service(name)
        .map_err(|e| Failure::Other(format!("cannot load the {name} model: {e}")))?;
    let service = Service::from_files(name, files).map_err(|e| Failure::Other(e.to_string()))?;
    let op = service
        .model
        .operation(operation)
        .ok_or_else(|| Failure::Other(format!("the {name} model has no operation {operation}")))?;
    let cfg = EndpointConfig {
        region: region.to_string(),
        use_fips: flag(input, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
        use_dualstack: flag(input, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"),
        endpoint_url: chain::endpoint_url(&input.resolver(), None, api.endpoint_key()).map(|s| s.value),
        sts_regional_endpoints: input
            .setting(&["AWS_STS_REGIONAL_ENDPOINTS"], "sts_regional_endpoints")
            .map(|s| s.value),
        ..Default::default()
    };
    let prepared = nubo_client::prepare(&service, op, params, &cfg, anonymous)
        .map_err(|e| Failure::Other(e.to_string()))?;
    Ok((service, prepared))
}

async fn send(
    input: &Input,
    api: Api,
    region: &str,
    operation: &str,
    params: &Value,
    credentials: Option<&Credentials>,
    headers: impl FnOnce(&str) -> Vec<(String, String)>,
) -> Result<Value, Failure> {
    let (service, mut prepared) = prepare(input, api, region, operation, params, credentials.is_none())?;
    let extra = headers(&prepared.url);
    prepared.headers.extend(extra);
    let op = service.model.operation(operation).ok_or_else(|| {
        Failure::Other(format!("the {} model has no operation {operation}", api.model_name()))
    })?;
    match nubo_client::call::call(&input.http, &service, op, &prepared, credentials, None).await {
        Ok(out) => Ok(out.output),
        Err(CallError::Service(e, _)) => Err(Failure::Service {
            code: e.code.clone(),
            message: e.message.clone(),
            operation: operation.into(),
            error: e.fields.get("error").and_then(Value::as_str).map(str::to_string),
        }),
        Err(CallError::Http(e)) => Err(Failure::Other(e.to_string())),
        Err(CallError::Client(e)) => Err(Failure::Other(e.to_string())),
    }
}

/// A string member of a JSON object.
pub(crate) fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}
