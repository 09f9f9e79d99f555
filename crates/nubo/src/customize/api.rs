//! The one door between the added commands (`ecr get-login-password`, `logs tail`, …) and the engine:
//! calling an operation by its model name with JSON in and out, paging, the credentials, region and
//! signing clock, presigning a raw URL, and printing a result. The command modules use only this
//! module plus `ctx.env` and `ctx.globals`, so the engine behind it can change without touching them.

use crate::error::{CliError, CliResult};
use nubo_client::Service;
use nubo_model::Operation;
use nubo_session::Overrides;
use nubo_session::Session;
use serde_json::Value;
use std::time::{Duration, SystemTime};

/// One service, ready to call through the session, with the command's overrides.
pub struct Client<'c> {
    ctx: &'c Session,
    service: Service,
    overrides: Overrides,
}

/// A client for the service botocore names `service` (`ecr`, `logs`), in the configured region.
pub fn client<'c>(ctx: &'c Session, service: &str) -> CliResult<Client<'c>> {
    client_in(ctx, service, None)
}

/// A client for `service` in `region` (when given) instead of the configured region.
pub fn client_in<'c>(ctx: &'c Session, service: &str, region: Option<&str>) -> CliResult<Client<'c>> {
    let service = ctx.service(service)?;
    let overrides = Overrides { region: region.map(str::to_string), credentials: None };
    Ok(Client { ctx, service, overrides })
}

impl Client<'_> {
    /// Signs this client's calls with `credentials` instead of the chain's.
    pub fn with_credentials(mut self, credentials: nubo_sign::Credentials) -> Self {
        self.overrides.credentials = Some(credentials);
        self
    }

    fn operation(&self, op: &str) -> CliResult<&Operation> {
        self.service
            .model
            .operations
            .get(op)
            .ok_or_else(|| CliError::Other(format!("the {} model has no {op} operation", self.service.name)))
    }

    /// Calls `op` (the model's name, `GetAuthorizationToken`) with `input`; a service error is the
    /// CLI's `An error occurred (…)` line (exit 254).
    pub fn call(&self, op: &str, input: &Value) -> CliResult<Value> {
        let operation = self.operation(op)?;
        Ok(self.ctx.call_with(&self.service, operation, input, &self.overrides)?.output)
    }

    /// Calls `op` page after page, handing each page to `each`, until the last page or until `each`
    /// returns false. The input token is filled from the model's paginator.
    pub fn paginate(
        &self,
        op: &str,
        input: &Value,
        each: impl FnMut(&Value) -> CliResult<bool>,
    ) -> CliResult<()> {
        let operation = self.operation(op)?;
        self.ctx.for_each_page(&self.service, operation, input, &self.overrides, each)
    }
}

impl Client<'_> {
    /// Calls `op` page after page and merges the pages as the CLI does, honouring `--max-items`
    /// (with a resume `NextToken`), `--starting-token` and `--page-size`; one call when the
    /// operation does not paginate.
    pub fn paginate_all(
        &self,
        op: &str,
        input: &Value,
        max_items: Option<usize>,
        starting_token: Option<String>,
        page_size: Option<i64>,
    ) -> CliResult<Value> {
        let operation = self.operation(op)?;
        let Some(pager) = nubo_session::paginate::paginator(&self.service, op) else {
            return self.call(op, input);
        };
        let opts = nubo_session::paginate::Options {
            max_items,
            starting_token,
            page_size: page_size.map(Value::from),
        };
        self.ctx.paginate(&self.service, operation, &pager, input.clone(), &opts)
    }
}

impl Client<'_> {
    /// Polls the model's waiter `name` (`ChangeSetCreateComplete`) with `input`, every `delay`
    /// seconds (the model's when `None`) up to `max_attempts` times (the model's when `None`), as
    /// botocore's waiters with a `WaiterConfig`. `NUBO_WAITER_DELAY` still overrides the delay.
    pub fn wait(
        &self,
        name: &str,
        input: &Value,
        delay: Option<u64>,
        max_attempts: Option<u64>,
    ) -> CliResult<()> {
        let mut waiter =
            nubo_session::waiter::waiters(&self.service).into_iter().find(|w| w.name == name).ok_or_else(
                || CliError::Other(format!("the {} model has no {name} waiter", self.service.name)),
            )?;
        if let Some(d) = delay {
            waiter.delay = d;
        }
        if let Some(m) = max_attempts {
            waiter.max_attempts = m;
        }
        self.ctx.wait(&self.service, &waiter, input)
    }

    /// The scheme and host (with port) a call of `op` with `input` goes to: the service endpoint the
    /// SDK names `endpoint_url` (`https://s3.us-west-2.amazonaws.com`, or the configured endpoint).
    pub fn endpoint_url(&self, op: &str, input: &Value) -> CliResult<String> {
        let operation = self.operation(op)?;
        let call = self.ctx.prepare_call_with(&self.service, operation, input, &self.overrides)?;
        let url = url::Url::parse(&call.prepared.url).map_err(|e| CliError::Other(e.to_string()))?;
        Ok(url.origin().ascii_serialization())
    }
}

/// Calls `op` of `service` with `input`, in the configured region.
pub fn call(ctx: &Session, service: &str, op: &str, input: &Value) -> CliResult<Value> {
    client(ctx, service)?.call(op, input)
}

/// Temporary keys for `role_arn` from STS AssumeRole, signed with the chain's credentials.
pub fn assume_role(ctx: &Session, role_arn: &str, session_name: &str) -> CliResult<nubo_sign::Credentials> {
    let out = call(
        ctx,
        "sts",
        "AssumeRole",
        &serde_json::json!({"RoleArn": role_arn, "RoleSessionName": session_name}),
    )?;
    let c = &out["Credentials"];
    let field = |name: &str| {
        c.get(name)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| CliError::Other(format!("the AssumeRole response has no Credentials.{name}")))
    };
    Ok(nubo_sign::Credentials::new(
        field("AccessKeyId")?,
        field("SecretAccessKey")?,
        field("SessionToken").ok(),
    ))
}

/// The home directory (`HOME`), for files the added commands write under it.
pub fn home_dir(ctx: &Session) -> Option<std::path::PathBuf> {
    nubo_settings::location::home_dir(&ctx.env)
}

/// The credentials the command signs with, from the provider chain.
pub fn credentials(ctx: &Session) -> CliResult<nubo_sign::Credentials> {
    ctx.credentials()
}

/// The configured region (`--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile, else us-east-1).
pub fn region(ctx: &Session) -> CliResult<String> {
    Ok(ctx.region()?.value)
}

/// The selected profile's name when one was chosen (`--profile`, `AWS_PROFILE`), as the CLI's session
/// reports it.
pub fn chosen_profile(ctx: &Session) -> Option<String> {
    ctx.profile_chosen().then(|| ctx.profile().value)
}

/// The signing clock: `NUBO_SIGNING_TIME` when set, else now.
pub fn signing_time(ctx: &Session) -> CliResult<SystemTime> {
    ctx.signing_time()
}

/// Signs `url` (absolute, query already encoded) in its query string for `GET`, as the SDKs presign
/// a request that has no model operation (database auth tokens): scope `signing_name`/`region`,
/// valid `expires_in`, with the command's credentials at the signing clock.
pub fn presign_url(
    ctx: &Session,
    url: &str,
    signing_name: &str,
    region: &str,
    expires_in: Duration,
) -> CliResult<String> {
    let creds = credentials(ctx)?;
    let mut req = nubo_sign::SigningRequest {
        method: "GET".into(),
        url: url.to_string(),
        headers: Vec::new(),
        body: nubo_sign::Body::empty(),
    };
    let mut opts = nubo_sign::SigningOptions::new(signing_name, region, signing_time(ctx)?);
    opts.expires_in = Some(expires_in);
    nubo_sign::sign(&mut req, &creds, &opts).map_err(|e| CliError::Other(e.to_string()))?;
    Ok(req.url)
}

/// The file name the program was run as (`nubo`, or `aws` through a symbolic link), for commands
/// that write a command line for other programs to run (kubeconfig's `exec`).
pub fn program_name() -> String {
    std::env::args_os()
        .next()
        .map(std::path::PathBuf::from)
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "nubo".into())
}

/// `name=value&…`, each side percent-encoded as SigV4 wants (everything but `A-Z a-z 0-9 - _ . ~`).
pub fn encode_query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", nubo_uri::encode(k), nubo_uri::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A point in time given as text (ISO 8601, RFC 822, epoch seconds), in microseconds since the epoch.
pub fn parse_timestamp_micros(text: &str) -> Option<i64> {
    nubo_args::epoch_micros(text)
}

/// Whether output is coloured: `--color on|off`, else when standard output is a terminal.
pub fn color(ctx: &Session) -> bool {
    ctx.color()
}

/// Reads `argv` as the options of the model operation `op` of the CLI command `cli_service` (shorthand,
/// JSON, `file://`, `--cli-input-json`), as the generic operation command reads them, for added
/// commands that replace an operation but keep its options (`ssm start-session`). The input's keys
/// follow the model's member order, as the CLI builds its parameters. `None` when help was asked for
/// (and printed).
pub fn operation_input(
    ctx: &Session,
    cli_service: &str,
    op: &str,
    argv: &[String],
) -> CliResult<Option<Value>> {
    let service = ctx.cli_service(cli_service)?;
    let operation = service
        .model
        .operations
        .get(op)
        .ok_or_else(|| CliError::Other(format!("the {} model has no {op} operation", service.name)))?;
    let opts = crate::op_lookup::arg_options(ctx, cli_service, &service, operation);
    let parsed = nubo_args::parse(&service.model, operation, argv, &opts)?;
    for w in &parsed.warnings {
        eprintln!("{w}");
    }
    if parsed.help {
        crate::help::operation(ctx, &service, operation, &opts)?;
        return Ok(None);
    }
    let mut ordered = serde_json::Map::new();
    if let (Some(input), Value::Object(given)) = (&operation.input, &parsed.input) {
        if let Ok(shape) = service.model.shape(&input.shape) {
            for name in shape.members.keys() {
                if let Some(v) = given.get(name) {
                    ordered.insert(name.clone(), v.clone());
                }
            }
        }
        for (k, v) in given {
            if !ordered.contains_key(k) {
                ordered.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(Some(Value::Object(ordered)))
}

/// Prints an operation's result as the generic command does (`--query`, `--output`).
pub fn print(ctx: &Session, output: &Value, op: &str) -> CliResult<()> {
    crate::print::print(ctx, output, op)
}
