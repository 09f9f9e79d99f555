//! `nubo <service> wait <waiter> [options]`: polls the waiter's operation until one of the model's
//! acceptors (`waiters-2.json`: `path`, `pathAll`, `pathAny`, `status`, `error`) says success or
//! failure, as botocore's waiters do, with the model's delay and attempt count.

use crate::context::Context;
use crate::error::{CliError, CliResult, exit};
use crate::paginate::search;
use nubo_client::Service;
use nubo_client::call::CallError;
use serde_json::Value;
use std::time::Duration;

/// One acceptor of a waiter.
struct Acceptor {
    matcher: String,
    argument: String,
    expected: Value,
    state: String,
}

impl Acceptor {
    /// Whether it matches an answer: the parsed output (or `None` for an error) with its status and
    /// error code.
    fn matches(&self, output: Option<&Value>, status: u16, error: Option<&str>) -> bool {
        match self.matcher.as_str() {
            "path" => output.is_some_and(|o| search(&self.argument, o) == self.expected),
            "pathAll" => output.is_some_and(|o| match search(&self.argument, o) {
                Value::Array(items) => !items.is_empty() && items.iter().all(|i| *i == self.expected),
                _ => false,
            }),
            "pathAny" => output.is_some_and(|o| match search(&self.argument, o) {
                Value::Array(items) => items.contains(&self.expected),
                _ => false,
            }),
            "status" => self.expected.as_u64() == Some(u64::from(status)),
            "error" => match &self.expected {
                Value::Bool(true) => error.is_some(),
                Value::Bool(false) => error.is_none(),
                Value::String(code) => error == Some(code.as_str()),
                _ => false,
            },
            _ => false,
        }
    }

    /// botocore's wording for what matched.
    fn explanation(&self) -> String {
        let expected = match &self.expected {
            Value::String(s) => s.clone(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            other => other.to_string(),
        };
        let arg = &self.argument;
        match self.matcher.as_str() {
            "path" => format!("For expression \"{arg}\" we matched expected path: \"{expected}\""),
            "pathAll" => {
                format!("For expression \"{arg}\" all members matched expected path: \"{expected}\"")
            }
            "pathAny" => {
                format!("For expression \"{arg}\" we matched expected path: \"{expected}\" at least once")
            }
            "status" => format!("Matched expected HTTP status code: {expected}"),
            "error" => format!("Matched expected service error code: {expected}"),
            other => format!("No explanation for unknown waiter type: \"{other}\""),
        }
    }
}

/// A waiter: its operation, delay, attempts and acceptors.
struct Waiter {
    name: String,
    operation: String,
    delay: u64,
    max_attempts: u64,
    acceptors: Vec<Acceptor>,
}

fn waiters(service: &Service) -> Vec<Waiter> {
    let Some(doc) = service.waiters_json().and_then(|b| serde_json::from_slice::<Value>(b).ok()) else {
        return Vec::new();
    };
    let Some(map) = doc.get("waiters").and_then(Value::as_object) else { return Vec::new() };
    map.iter()
        .map(|(name, w)| Waiter {
            name: name.clone(),
            operation: w["operation"].as_str().unwrap_or_default().to_string(),
            delay: w["delay"].as_u64().unwrap_or(15),
            max_attempts: w["maxAttempts"].as_u64().unwrap_or(40),
            acceptors: w["acceptors"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| Acceptor {
                            matcher: x["matcher"].as_str().unwrap_or_default().to_string(),
                            argument: x["argument"].as_str().unwrap_or_default().to_string(),
                            expected: x["expected"].clone(),
                            state: x["state"].as_str().unwrap_or_default().to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// `nubo <cli_service> wait <waiter> [options]` (`args` starts after `wait`).
pub fn run(ctx: &Context, cli_service: &str, service: &Service, args: &[String]) -> CliResult<i32> {
    let all = waiters(service);
    let Some(cli_name) = args.first() else {
        let names: Vec<String> = all.iter().map(|w| nubo_model::names::xform_name(&w.name)).collect();
        return Err(CliError::Usage(format!(
            "the following arguments are required: waiter (one of: {})",
            names.join(", ")
        )));
    };
    let Some(waiter) = all.iter().find(|w| nubo_model::names::xform_name(&w.name) == *cli_name) else {
        return Err(CliError::Usage(format!("argument subcommand: Invalid choice: '{cli_name}'")));
    };
    let op = service.model.operations.get(&waiter.operation).ok_or_else(|| {
        CliError::Other(format!("the waiter's operation {} is not in the model", waiter.operation))
    })?;
    let resolver = ctx.resolver()?;
    let mut arg_opts = crate::operation::arg_options(ctx, &resolver, cli_service, service, op);
    arg_opts.paginated = false;
    let parsed = nubo_args::parse(&service.model, op, &args[1..], &arg_opts)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let cfg = crate::operation::endpoint_config(ctx, &resolver, service)?;
    let http = crate::send::http_client(ctx, &resolver, &service.name)?;
    let rt = ctx.runtime()?;
    let prepared = nubo_client::prepare(service, op, &parsed.input, &cfg, ctx.globals.no_sign_request)
        .map_err(crate::operation::client_error)?;
    let resolved = match prepared.auth {
        nubo_client::Auth::Anonymous => None,
        nubo_client::Auth::SigV4 { .. } => Some(crate::credentials::resolve(ctx, &resolver)?),
    };
    let delay = ctx.env.get("NUBO_WAITER_DELAY").and_then(|d| d.parse().ok()).unwrap_or(waiter.delay);
    let mut last: Option<&Acceptor> = None;
    for attempt in 1..=waiter.max_attempts {
        let creds = match &resolved {
            Some(r) => Some(rt.block_on(r.provider.credentials()).map_err(crate::credentials::error)?),
            None => None,
        };
        let answer =
            rt.block_on(nubo_client::call::call(&http, service, op, &prepared, creds.as_ref(), None));
        let (output, status, code, message) = match &answer {
            Ok(out) => (Some(&out.output), out.response.status, None, None),
            Err(CallError::Service(e, _)) => {
                (None, e.status, Some(e.code.as_str()), Some(e.message.as_str()))
            }
            Err(_) => {
                return Err(crate::send::call_error(answer.err().expect("an error"), &op.name));
            }
        };
        let matched = waiter.acceptors.iter().find(|a| a.matches(output, status, code));
        match matched {
            Some(a) if a.state == "success" => return Ok(exit::OK),
            Some(a) if a.state == "failure" => {
                return Err(fail(
                    &waiter.name,
                    &format!("Waiter encountered a terminal failure state: {}", a.explanation()),
                ));
            }
            Some(a) => last = Some(a),
            None => {
                if let (Some(code), Some(message)) = (code, message) {
                    return Err(fail(&waiter.name, &format!("An error occurred ({code}): {message}")));
                }
            }
        }
        if attempt == waiter.max_attempts {
            break;
        }
        std::thread::sleep(Duration::from_secs(delay));
    }
    let reason = match last {
        None => "Max attempts exceeded".to_string(),
        Some(a) => format!("Max attempts exceeded. Previously accepted state: {}", a.explanation()),
    };
    Err(fail(&waiter.name, &reason))
}

fn fail(name: &str, reason: &str) -> CliError {
    CliError::Other(format!("Waiter {name} failed: {reason}"))
}
