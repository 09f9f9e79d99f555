//! Sending an operation and printing its result: the HTTP client from the settings, pagination,
//! streaming output to a file, `--query`, and the AWS CLI's error line for service errors.

use crate::context::Context;
use crate::error::{CliError, CliResult, exit};
use crate::paginate;
use nubo_client::call::{CallError, CallOutput};
use nubo_client::{EndpointConfig, Service};
use nubo_http::{ClientConfig, RetryConfig, RetryMode};
use nubo_model::Operation;
use nubo_settings::chain::{self, Resolver};
use serde_json::Value;
use std::time::SystemTime;

/// The HTTP client configured from the global options and the settings chains.
pub fn http_client(ctx: &Context, r: &Resolver<'_>, service: &str) -> CliResult<nubo_http::Client> {
    let g = &ctx.globals;
    let mode = match chain::simple(r, &["AWS_RETRY_MODE"], "retry_mode", None) {
        Some(s) => s.value.parse::<RetryMode>().map_err(|e| CliError::Config(e.to_string()))?,
        None => RetryMode::Standard,
    };
    let attempts = match chain::simple(r, &["AWS_MAX_ATTEMPTS"], "max_attempts", None) {
        Some(s) => Some(s.value.parse::<u32>().map_err(|_| {
            CliError::Config(format!("max_attempts must be a positive integer, got '{}'", s.value))
        })?),
        None => None,
    };
    let ca_bundle = g
        .ca_bundle
        .clone()
        .or_else(|| chain::simple(r, &["AWS_CA_BUNDLE"], "ca_bundle", None).map(|s| s.value))
        .map(|p| nubo_settings::location::expand_tilde(&p, &ctx.env));
    let mut cfg = ClientConfig {
        ca_bundle,
        verify_ssl: !g.no_verify_ssl,
        retry: RetryConfig::for_service(mode, service, attempts),
        debug: g.debug,
        ..Default::default()
    };
    if let Some(t) = g.cli_connect_timeout {
        cfg.connect_timeout = nubo_http::timeout_from_secs(t);
    }
    if let Some(t) = g.cli_read_timeout {
        cfg.read_timeout = nubo_http::timeout_from_secs(t);
    }
    nubo_http::Client::new(cfg).map_err(|e| CliError::Other(e.to_string()))
}

/// What one call needs besides its input.
pub struct Call<'a> {
    pub service: &'a Service,
    pub op: &'a Operation,
    pub cfg: &'a EndpointConfig,
    pub credentials: Option<nubo_sign::Credentials>,
    /// Refreshes the credentials before each call of a long command (pages), when they expire.
    pub provider: Option<nubo_credentials::Provider>,
    pub time: Option<SystemTime>,
}

/// Makes the call (all pages unless `--no-paginate`), writes a streaming member to `outfile`, prints.
pub fn send_and_print(
    ctx: &Context,
    http: &nubo_http::Client,
    call: &Call<'_>,
    input: &Value,
    pagination: Option<paginate::Options>,
    outfile: Option<&str>,
) -> CliResult<i32> {
    let rt = ctx.runtime()?;
    let one = |input: &Value| -> CliResult<CallOutput> {
        let prepared =
            nubo_client::prepare(call.service, call.op, input, call.cfg, ctx.globals.no_sign_request)
                .map_err(crate::operation::client_error)?;
        let fresh = match &call.provider {
            Some(p) => Some(rt.block_on(p.credentials()).map_err(crate::credentials::error)?),
            None => call.credentials.clone(),
        };
        rt.block_on(nubo_client::call::call(
            http,
            call.service,
            call.op,
            &prepared,
            fresh.as_ref(),
            call.time,
        ))
        .map_err(|e| call_error(e, &call.op.name))
    };
    let pager = paginate::paginator(call.service, &call.op.name).filter(|_| !ctx.globals.no_paginate);
    let result = match (pager, pagination) {
        (Some(p), Some(opts)) if !p.result_keys.is_empty() => {
            paginate::run(&p, input.clone(), &opts, |i| one(i).map(|o| o.output))
        }
        _ => one(input).and_then(|out| {
            if let Some(path) = outfile {
                std::fs::write(path, &out.response.body)
                    .map_err(|e| CliError::Other(format!("Unable to write to {path}: {e}")))?;
            }
            Ok(out.output)
        }),
    };
    let output = match result {
        Err(CliError::Service(m)) => {
            return Err(CliError::Service(crate::customize::decode_auth::decorate(ctx, http, rt, call, m)));
        }
        other => other?,
    };
    if let Some(text) = crate::customize::render_output(ctx, &call.service.name, &call.op.name, &output) {
        print!("{text}");
    } else {
        crate::print::print(ctx, &output, &call.op.name)?;
    }
    Ok(exit::OK)
}

/// The AWS CLI's error for a failed call.
pub fn call_error(e: CallError, op: &str) -> CliError {
    match e {
        CallError::Service(s, retries) => {
            // The CLI names the retries when there were any: `… operation (reached max retries: 2): …`.
            let retried =
                if retries > 0 { format!(" (reached max retries: {retries})") } else { String::new() };
            CliError::Service(format!(
                "An error occurred ({}) when calling the {op} operation{retried}: {}",
                s.code, s.message
            ))
        }
        CallError::Http(h) => CliError::Other(h.to_string()),
        CallError::Client(c) => crate::operation::client_error(c),
    }
}
