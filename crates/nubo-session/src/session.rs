//! The session: what every command shares, resolved once. The global options, the environment
//! snapshot, the parsed profile files, the model loader, the one async runtime, the HTTP clients, the
//! credential provider (resolved lazily, on the first call that signs), and the one way to call an
//! operation ([`Session::call`], [`Session::paginate`], [`Session::wait`], [`Session::presign`] and
//! [`Session::sign_prepared`] for `--show-request`).

use crate::error::{Error, Result};
use crate::options::Globals;
use nubo_client::call::{CallError, CallOutput};
use nubo_client::{Auth, EndpointConfig, Prepared, Service};
use nubo_credentials::{Input, Resolved};
use nubo_model::{Loader, Operation, names};
use nubo_settings::chain::{self, Resolver, Setting, Source};
use nubo_settings::env::Env;
use nubo_settings::profiles::{self, ProfileSet};
use serde_json::Value;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::time::SystemTime;

pub struct Session {
    pub globals: Globals,
    pub env: Env,
    files: OnceCell<ProfileSet>,
    runtime: OnceCell<tokio::runtime::Runtime>,
    resolved: OnceCell<Resolved>,
    http: RefCell<HashMap<String, nubo_http::Client>>,
    /// Set once the settings have been written to the `--debug` log.
    settings_logged: std::cell::Cell<bool>,
    pub(crate) express: crate::express::ExpressCache,
    /// The correction for a skewed local clock, learned from the first answer that shows it and kept
    /// for the rest of the command.
    clock: nubo_client::skew::SigningClock,
    /// The operations this command called, in order, for the command history (names only: never
    /// parameters, which may hold secrets).
    calls: std::sync::Mutex<Vec<ApiCall>>,
}

/// One operation call made by the command: the service, the operation and when it started.
#[derive(Debug, Clone)]
pub struct ApiCall {
    pub service: String,
    pub operation: String,
    /// Milliseconds since the epoch.
    pub started_ms: i64,
}

/// One operation call, prepared: the request on its endpoint and what sending it needs.
pub struct PreparedCall<'a> {
    pub service: &'a Service,
    pub op: &'a Operation,
    pub prepared: Prepared,
    pub endpoint: EndpointConfig,
    /// Keys to sign with instead of the chain's.
    pub credentials: Option<nubo_sign::Credentials>,
}

/// What a command may set for its calls instead of the settings: another region (ECR Public's
/// us-east-1), other keys (a role assumed for one step).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub region: Option<String>,
    pub credentials: Option<nubo_sign::Credentials>,
}

impl Session {
    pub fn new(globals: Globals, env: Env) -> Session {
        Session {
            globals,
            env,
            files: OnceCell::new(),
            runtime: OnceCell::new(),
            resolved: OnceCell::new(),
            http: RefCell::new(HashMap::new()),
            settings_logged: std::cell::Cell::new(false),
            express: Default::default(),
            clock: nubo_client::skew::SigningClock::default(),
            calls: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The command's one async runtime (current thread), made on first use: credential providers, calls
    /// and refreshes all run on it, so connections and caches outlive each step.
    pub fn runtime(&self) -> Result<&tokio::runtime::Runtime> {
        if let Some(rt) = self.runtime.get() {
            return Ok(rt);
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Other(e.to_string()))?;
        Ok(self.runtime.get_or_init(|| rt))
    }

    /// The merged config and credentials files; a malformed file is a configuration error (253).
    pub fn files(&self) -> Result<&ProfileSet> {
        if let Some(f) = self.files.get() {
            return Ok(f);
        }
        let loaded = profiles::load(&self.env).map_err(|e| Error::Config(e.to_string()))?;
        if let Some(w) = exposed_credentials_warning(&nubo_settings::location::credentials_file(&self.env)) {
            eprintln!("{w}");
        }
        Ok(self.files.get_or_init(|| loaded))
    }

    /// The selected profile's name and where the choice came from.
    pub fn profile(&self) -> Setting {
        chain::selected_profile(self.globals.profile.as_deref(), &self.env)
    }

    /// True when a profile was chosen explicitly (command line or environment).
    pub fn profile_chosen(&self) -> bool {
        self.profile().source != Source::Default
    }

    /// The settings resolver for the selected profile. A profile chosen explicitly must exist.
    pub fn resolver(&self) -> Result<Resolver<'_>> {
        let files = self.files()?;
        let profile = self.profile();
        if profile.source != Source::Default && files.profile(&profile.value).is_none() {
            return Err(profile_not_found(&profile.value));
        }
        let name = match &profile.source {
            Source::Default => "default",
            _ => files
                .profiles
                .get_key_value(profile.value.as_str())
                .map(|(k, _)| k.as_str())
                .unwrap_or("default"),
        };
        Ok(Resolver { env: &self.env, files, profile: name })
    }

    /// The region requests go to, and where it came from.
    pub fn region(&self) -> Result<Setting> {
        Ok(chain::region(&self.resolver()?, self.globals.region.as_deref()))
    }

    /// The model loader: `AWS_DATA_PATH`, then `~/.aws/models`, then the bundle.
    pub fn loader(&self) -> Loader {
        let env = &self.env;
        let home = nubo_settings::location::home_dir(env);
        Loader::new(nubo_model::loader::default_search_paths(
            env.get("AWS_DATA_PATH"),
            home.as_deref(),
            |v| env.get(v).map(str::to_string),
        ))
    }

    /// Loads the service botocore calls `service` (`s3`, `ec2`).
    pub fn service(&self, service: &str) -> Result<Service> {
        let loader = self.loader();
        let files = loader.load_service(service).map_err(|e| {
            match loader.available_services().iter().any(|s| s == service) {
                true => Error::Other(e.to_string()),
                false => Error::Usage(format!("Unknown service: '{service}'")),
            }
        })?;
        Ok(Service::from_files(service, files)?)
    }

    /// Loads the service whose CLI command is `cli_service` (`s3api`, `ec2`).
    pub fn cli_service(&self, cli_service: &str) -> Result<Service> {
        let invalid = || Error::Usage(format!("argument command: Invalid choice: '{cli_service}'"));
        let service = names::cli_name_to_service(cli_service).ok_or_else(invalid)?;
        self.service(&service).map_err(|e| match e {
            Error::Usage(_) => invalid(),
            other => other,
        })
    }

    /// The signing clock: `NUBO_SIGNING_TIME` (`YYYYMMDDTHHMMSSZ`) when set, else `None` (now).
    pub fn pinned_time(&self) -> Result<Option<SystemTime>> {
        match self.env.get("NUBO_SIGNING_TIME") {
            Some(v) => nubo_sign::signing_time_from_env(v)
                .map(Some)
                .map_err(|e| Error::Usage(format!("NUBO_SIGNING_TIME: {e}"))),
            None => Ok(None),
        }
    }

    /// The time to sign at: the pinned one, else now.
    pub fn signing_time(&self) -> Result<SystemTime> {
        Ok(self.pinned_time()?.unwrap_or_else(SystemTime::now))
    }

    /// The clock calls are signed with: the pinned time or now, plus the skew correction learned so far
    /// (shared by every call of the command).
    pub fn signing_clock(&self) -> Result<nubo_client::skew::SigningClock> {
        Ok(self.clock.with_pinned(self.pinned_time()?))
    }

    /// The HTTP client for calls to `service` (its retry settings), made once per service.
    pub fn http(&self, service: &str) -> Result<nubo_http::Client> {
        if let Some(c) = self.http.borrow().get(service) {
            return Ok(c.clone());
        }
        let client = nubo_http::Client::new(self.http_config(service)?)?;
        self.http.borrow_mut().insert(service.to_string(), client.clone());
        Ok(client)
    }

    /// The credential chain's input for this command.
    pub fn credentials_input(&self) -> Result<Input> {
        let files = self.files()?.clone();
        let profile = self.profile();
        let region = self.region()?.value;
        let http = self.http("sts")?;
        let name = if profile.source == Source::Default { "default".to_string() } else { profile.value };
        let mut input =
            Input::new(self.env.clone(), files, name, self.globals.profile.is_some(), region, http);
        input.models = self.loader();
        Ok(input)
    }

    /// The credential chain, resolved on first use and kept for the command.
    pub fn resolved(&self) -> Result<&Resolved> {
        if let Some(r) = self.resolved.get() {
            return Ok(r);
        }
        let input = self.credentials_input()?;
        let resolved = self.runtime()?.block_on(nubo_credentials::resolve(&input))?;
        if self.globals.debug {
            nubo_http::debug_log::write_stderr(&format!(
                "credentials: from {} ({})",
                resolved.link.as_str(),
                resolved.location
            ));
        }
        Ok(self.resolved.get_or_init(|| resolved))
    }

    /// Fresh credentials (refreshed when they are about to expire), for a call made now. Must not be
    /// called from inside the runtime before [`Session::resolved`] has run once.
    pub async fn fresh_credentials(&self) -> Result<nubo_sign::Credentials> {
        let resolved = self
            .resolved
            .get()
            .ok_or_else(|| Error::Other("credentials used before they were resolved".into()))?;
        Ok(resolved.provider.credentials().await?)
    }

    /// Fresh credentials for a request signed now, resolving the chain first when needed (not from
    /// inside the runtime).
    pub fn credentials(&self) -> Result<nubo_sign::Credentials> {
        self.resolved()?;
        self.runtime()?.block_on(self.fresh_credentials())
    }

    /// Serializes `input` for `op`, resolves the endpoint (with the credentials' account where the
    /// rules route by account) and resolves the credentials when the request is signed.
    pub fn prepare_call<'a>(
        &self,
        service: &'a Service,
        op: &'a Operation,
        input: &Value,
    ) -> Result<PreparedCall<'a>> {
        self.prepare_call_with(service, op, input, &Overrides::default())
    }

    /// [`Session::prepare_call`] with a command's overrides.
    pub fn prepare_call_with<'a>(
        &self,
        service: &'a Service,
        op: &'a Operation,
        input: &Value,
        overrides: &Overrides,
    ) -> Result<PreparedCall<'a>> {
        self.prepare_call_with_payload(service, op, input, None, overrides)
    }

    /// [`Session::prepare_call_with`] with the streaming payload member apart from `input` (see
    /// [`nubo_client::prepare_with_payload`]).
    pub fn prepare_call_with_payload<'a>(
        &self,
        service: &'a Service,
        op: &'a Operation,
        input: &Value,
        payload: Option<nubo_http::Body>,
        overrides: &Overrides,
    ) -> Result<PreparedCall<'a>> {
        let mut endpoint = self.endpoint_config(service)?;
        if let Some(region) = &overrides.region {
            endpoint.region = region.clone();
        }
        let no_sign = self.globals.no_sign_request;
        let prep = |endpoint: &EndpointConfig| {
            nubo_client::prepare_with_payload(service, op, input, payload.clone(), endpoint, no_sign)
        };
        let mut prepared = prep(&endpoint)?;
        self.debug_call(service, op, &prepared);
        self.say_auth(&prepared);
        if let Some(c) = &overrides.credentials {
            return Ok(PreparedCall { service, op, prepared, endpoint, credentials: Some(c.clone()) });
        }
        if prepared.auth.uses_aws_credentials() {
            let resolved = self.resolved()?;
            // Rule sets that route by account (DynamoDB) use the account the credentials belong to.
            if let Some(account) = resolved.account_id.clone() {
                endpoint.account_id = Some(account);
                prepared = prep(&endpoint)?;
            }
        }
        Ok(PreparedCall { service, op, prepared, endpoint, credentials: None })
    }

    /// With `--debug`: the settings in force and where each came from (once per command), then the
    /// endpoint and auth of each call. Never a secret: the settings logged hold none.
    fn debug_call(&self, service: &Service, op: &Operation, prepared: &Prepared) {
        if !self.globals.debug {
            return;
        }
        let log = nubo_http::debug_log::write_stderr;
        if !self.settings_logged.replace(true) {
            let profile = self.profile();
            log(&format!("settings: profile {} (from {})", profile.value, profile.source));
            if let Ok(region) = self.region() {
                log(&format!("settings: region {} (from {})", region.value, region.source));
            }
            if let Ok(format) = self.output_format() {
                log(&format!("settings: output {} (from {})", format.value, format.source));
            }
            if let Ok(r) = self.resolver() {
                let key = crate::settings::service_key(service);
                if let Some(url) = chain::endpoint_url(&r, self.globals.endpoint_url.as_deref(), &key) {
                    log(&format!("settings: endpoint_url {} (from {})", url.value, url.source));
                }
            }
        }
        // The auth scheme and why it was chosen follow on their own line (`say_auth`).
        let url = nubo_http::redact::url(&prepared.url);
        log(&format!("endpoint: {} {} -> {} {url}", service.name, op.name, prepared.method));
    }

    /// The operations called so far, in order (for the command history).
    pub fn api_calls(&self) -> Vec<ApiCall> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// Sends a prepared call once (with the HTTP layer's retries), signing with fresh credentials.
    pub async fn send_prepared(&self, call: &PreparedCall<'_>) -> Result<CallOutput, CallError> {
        if let Ok(mut calls) = self.calls.lock() {
            let started_ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or_default();
            calls.push(ApiCall {
                service: call.service.name.clone(),
                operation: call.op.name.clone(),
                started_ms,
            });
        }
        let creds = match &call.credentials {
            Some(c) if call.prepared.auth.uses_aws_credentials() => Some(c.clone()),
            _ => self
                .identity(call.service, &call.prepared.auth)
                .await
                .map_err(|e| CallError::Client(e.into_client_error()))?,
        };
        let http = self.http(&call.service.name).map_err(|e| CallError::Client(e.into_client_error()))?;
        let clock = self.signing_clock().map_err(|e| CallError::Client(e.into_client_error()))?;
        nubo_client::call::call_with_clock(
            &http,
            call.service,
            call.op,
            &call.prepared,
            creds.as_ref(),
            &clock,
        )
        .await
    }

    /// Calls `op` once with `input`: prepare, sign, send with retries, parse.
    pub fn call(&self, service: &Service, op: &Operation, input: &Value) -> Result<CallOutput> {
        self.call_with(service, op, input, &Overrides::default())
    }

    /// [`Session::call`] with a command's overrides.
    pub fn call_with(
        &self,
        service: &Service,
        op: &Operation,
        input: &Value,
        overrides: &Overrides,
    ) -> Result<CallOutput> {
        let call = self.prepare_call_with(service, op, input, overrides)?;
        self.runtime()?.block_on(self.send_prepared(&call)).map_err(|e| self.call_error(e, &op.name))
    }

    /// Calls `op` by its model name from inside the runtime (the s3 engine, customizations that run
    /// many calls); credentials must have been resolved before entering the runtime.
    pub async fn call_async(&self, service: &Service, op: &Operation, input: &Value) -> Result<CallOutput> {
        let endpoint = self.endpoint_config_with_account(service)?;
        let prepared = nubo_client::prepare(service, op, input, &endpoint, self.globals.no_sign_request)?;
        let call = PreparedCall { service, op, prepared, endpoint, credentials: None };
        self.send_prepared(&call).await.map_err(|e| self.call_error(e, &op.name))
    }

    /// [`Session::call_async`] with the streaming payload member given apart from `input` (bytes or
    /// a file range, sent as they are).
    pub async fn call_async_with_payload(
        &self,
        service: &Service,
        op: &Operation,
        input: &Value,
        payload: Option<nubo_http::Body>,
    ) -> Result<CallOutput> {
        let endpoint = self.endpoint_config_with_account(service)?;
        let no_sign = self.globals.no_sign_request;
        let prepared = nubo_client::prepare_with_payload(service, op, input, payload, &endpoint, no_sign)?;
        let call = PreparedCall { service, op, prepared, endpoint, credentials: None };
        self.send_prepared(&call).await.map_err(|e| self.call_error(e, &op.name))
    }

    /// Calls `op` (an operation with a streaming output member) and hands the body to `sink` as it
    /// arrives, verified against the response checksum at the end; returns the output's other
    /// members and the body's length. Credentials must have been resolved before entering the runtime.
    pub async fn call_streaming_async(
        &self,
        service: &Service,
        op: &Operation,
        input: &Value,
        payload: Option<nubo_http::Body>,
        sink: impl FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<(Value, u64)> {
        let endpoint = self.endpoint_config_with_account(service)?;
        let no_sign = self.globals.no_sign_request;
        let prepared = nubo_client::prepare_with_payload(service, op, input, payload, &endpoint, no_sign)?;
        let creds = self.identity(service, &prepared.auth).await?;
        let http = self.http(&service.name)?;
        // The pinned time, or the clock corrected for a skew learned by an earlier call.
        let clock = self.signing_clock()?;
        let time = self.pinned_time()?.or_else(|| (clock.offset_ms() != 0).then(|| clock.now()));
        nubo_client::download::call_streaming(&http, service, op, &prepared, creds.as_ref(), time, sink)
            .await
            .map_err(|e| self.call_error(e, &op.name))
    }

    /// The endpoint settings, with the account of credentials already resolved.
    pub fn endpoint_config_with_account(&self, service: &Service) -> Result<EndpointConfig> {
        let mut endpoint = self.endpoint_config(service)?;
        endpoint.account_id = self.resolved.get().and_then(|r| r.account_id.clone());
        Ok(endpoint)
    }

    /// A failed call as the CLI reports it; a credentials failure stays a credentials error (253).
    pub fn call_error(&self, e: CallError, op: &str) -> Error {
        match e {
            CallError::Client(nubo_client::ClientError::Credentials(m)) => Error::Config(m),
            other => Error::call(other, op),
        }
    }

    /// Signs a prepared call at the signing time, for `--show-request` (or presigned with `expires_in`).
    pub fn sign_prepared(
        &self,
        call: &PreparedCall<'_>,
        expires_in: Option<std::time::Duration>,
    ) -> Result<nubo_client::prepare::Signed> {
        let auth = &call.prepared.auth;
        let creds = match (auth, &call.credentials) {
            (Auth::Anonymous, _) => None,
            (Auth::S3Express { bucket, .. }, _) if self.globals.show_request => {
                eprintln!(
                    "s3express: a real call would first call CreateSession for bucket {bucket} and sign with its session credentials; shown signed with your own credentials, nothing sent"
                );
                Some(call.credentials.clone().map_or_else(|| self.credentials(), Ok)?)
            }
            (a, Some(c)) if a.uses_aws_credentials() => Some(c.clone()),
            (a, _) => self.identity_blocking(call.service, a)?,
        };
        let mut signed = nubo_client::sign(&call.prepared, creds.as_ref(), self.signing_time()?, expires_in)?;
        crate::auth::hide_bearer(&mut signed.headers);
        Ok(signed)
    }
}

impl Error {
    /// Carries a session error through the client's error type (inside a call).
    pub(crate) fn into_client_error(self) -> nubo_client::ClientError {
        match self {
            Error::Credentials(_) | Error::Config(_) => {
                nubo_client::ClientError::Credentials(self.to_string())
            }
            other => nubo_client::ClientError::Sign(other.to_string()),
        }
    }
}

/// The one-line warning for a credentials file that group or others may read, or `None`.
pub fn exposed_credentials_warning(path: &std::path::Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        (mode & 0o044 != 0).then(|| {
            format!(
                "Warning: the credentials file {} is readable by group or others (mode {:o}); run: chmod 600 {}",
                path.display(),
                mode & 0o777,
                path.display()
            )
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// The AWS CLI's message for a profile that is in neither file.
pub fn profile_not_found(name: &str) -> Error {
    Error::Config(format!("The config profile ({name}) could not be found"))
}
