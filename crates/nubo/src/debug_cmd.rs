//! `nubo debug resolve-endpoint --service S --params JSON` and `--batch` (JSON lines of
//! `{"service", "params"}` on standard input): evaluates a service's endpoint rule set with exactly
//! the given parameters and prints `{"url","properties","headers"}` or `{"error": message}` per case.

use crate::error::{CliError, CliResult, exit};
use nubo_session::Session;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, Write};

pub fn run(ctx: &Session, args: &[String]) -> CliResult<i32> {
    match args.first().map(String::as_str) {
        Some("resolve-endpoint") => resolve_endpoint(ctx, &args[1..]),
        Some(other) => Err(CliError::Usage(format!("argument subcommand: Invalid choice: '{other}'"))),
        None => Err(CliError::Usage("the following arguments are required: subcommand".into())),
    }
}

fn resolve_endpoint(ctx: &Session, args: &[String]) -> CliResult<i32> {
    use crate::customize::args::{flag, parse, value};
    let a = parse(args, &[value("service"), value("params"), flag("batch")])?;
    let service = a.get("service").map(str::to_string);
    let params = a.get("params").map(str::to_string);
    let batch = a.has("batch");
    let partitions = nubo_client::service::partitions()?;
    let mut rule_sets: HashMap<String, Result<nubo_endpoint::RuleSet, String>> = HashMap::new();
    let mut eval = |service: &str, params: &Value| -> Value {
        let rs = rule_sets.entry(service.to_string()).or_insert_with(|| {
            let svc = ctx.service(service).map_err(|e| e.to_string())?;
            svc.rule_set().map_err(|e| e.to_string())
        });
        let rs = match rs {
            Ok(rs) => rs,
            Err(e) => return json!({ "error": e.trim() }),
        };
        let params = match nubo_endpoint::params_from_json(params) {
            Ok(p) => p,
            Err(e) => return json!({ "error": e.to_string() }),
        };
        match nubo_endpoint::resolve(rs, &partitions, &params) {
            Ok(ep) => ep.to_json(),
            Err(e) => json!({ "error": e.to_string() }),
        }
    };
    let mut out = std::io::stdout().lock();
    if batch {
        for (n, line) in std::io::stdin().lock().lines().enumerate() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let case: Value = serde_json::from_str(&line)
                .map_err(|e| CliError::Usage(format!("--batch: line {}: invalid JSON: {e}", n + 1)))?;
            let Some(svc) = case.get("service").and_then(Value::as_str) else {
                return Err(CliError::Usage(format!("--batch: line {}: \"service\" is missing", n + 1)));
            };
            let result = eval(svc, case.get("params").unwrap_or(&Value::Object(Default::default())));
            writeln!(out, "{result}")?;
        }
        return Ok(exit::OK);
    }
    let service =
        service.ok_or_else(|| CliError::Usage("the following arguments are required: --service".into()))?;
    let params: Value = match params {
        Some(p) => serde_json::from_str(&p)
            .map_err(|e| CliError::Usage(format!("argument --params: invalid JSON: {e}")))?,
        None => Value::Object(Default::default()),
    };
    writeln!(out, "{}", eval(&service, &params))?;
    Ok(exit::OK)
}
