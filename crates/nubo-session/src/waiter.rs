//! Waiters (`nubo <service> wait <waiter>`): the model's `waiters-2.json` acceptors (`path`, `pathAll`,
//! `pathAny`, `status`, `error`), polled as botocore's waiters poll, with the model's delay and attempts.

use crate::error::{Error, Result};
use crate::session::Session;
use nubo_client::Service;
use nubo_client::call::CallError;
use nubo_output::query::search;
use serde_json::Value;
use std::time::Duration;

/// One acceptor of a waiter.
pub struct Acceptor {
    pub matcher: String,
    pub argument: String,
    pub expected: Value,
    pub state: String,
}

impl Acceptor {
    /// Whether it matches an answer: the parsed output (or `None` for an error) with its status and
    /// error code.
    pub fn matches(&self, output: Option<&Value>, status: u16, error: Option<&str>) -> bool {
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
    pub fn explanation(&self) -> String {
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
pub struct Waiter {
    pub name: String,
    pub operation: String,
    pub delay: u64,
    pub max_attempts: u64,
    pub acceptors: Vec<Acceptor>,
}

pub fn waiters(service: &Service) -> Vec<Waiter> {
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

/// The waiter of `service` whose CLI name is `cli_name` (`instance-running`).
pub fn find(service: &Service, cli_name: &str) -> Option<Waiter> {
    waiters(service).into_iter().find(|w| nubo_model::names::xform_name(&w.name) == cli_name)
}

impl Session {
    /// Polls `waiter` with `input` until an acceptor says success (Ok) or failure, or the attempts run
    /// out (an error worded as botocore words it, exit 255). `NUBO_WAITER_DELAY` overrides the delay.
    pub fn wait(&self, service: &Service, waiter: &Waiter, input: &Value) -> Result<()> {
        let op = service.model.operations.get(&waiter.operation).ok_or_else(|| {
            Error::Other(format!("the waiter's operation {} is not in the model", waiter.operation))
        })?;
        let call = self.prepare_call(service, op, input)?;
        let delay = self.env.get("NUBO_WAITER_DELAY").and_then(|d| d.parse().ok()).unwrap_or(waiter.delay);
        let mut last: Option<&Acceptor> = None;
        for attempt in 1..=waiter.max_attempts {
            let answer = match self.runtime()?.block_on(self.send_prepared(&call)) {
                Ok(out) => Ok(out),
                Err(CallError::Service(e, _)) => Err(e),
                Err(other) => return Err(Error::call(other, &op.name)),
            };
            let (output, status, code, message) = match &answer {
                Ok(out) => (Some(&out.output), out.response.status, None, None),
                Err(e) => (None, e.status, Some(e.code.as_str()), Some(e.message.as_str())),
            };
            match waiter.acceptors.iter().find(|a| a.matches(output, status, code)) {
                Some(a) if a.state == "success" => return Ok(()),
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
}

fn fail(name: &str, reason: &str) -> Error {
    Error::Other(format!("Waiter {name} failed: {reason}"))
}
