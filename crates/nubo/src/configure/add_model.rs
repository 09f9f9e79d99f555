//! `configure add-model --service-model file://model.json [--service-name NAME]`: puts a service model
//! where the loader finds it first (`~/.aws/models/<service>/<api-version>/service-2.json`), so its
//! commands work at once, exactly like bundled ones.

use crate::error::{CliError, CliResult, exit};
use nubo_session::Session;
use serde_json::Value;

pub fn run(ctx: &Session, rest: &[String]) -> CliResult<i32> {
    use crate::customize::args::{parse, required, value};
    let a = parse(rest, &[required("service-model"), value("service-name")])?;
    let model_arg = a.get("service-model").unwrap_or_default().to_string();
    let name = a.get("service-name").map(str::to_string);
    let text = match model_arg.strip_prefix("file://") {
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            CliError::Usage(format!(
                "Error parsing parameter '--service-model': Unable to load paramfile {model_arg}: {e}"
            ))
        })?,
        None => model_arg,
    };
    let model: Value = serde_json::from_str(&text).map_err(|e| {
        CliError::Usage(format!("Error parsing parameter '--service-model': Invalid JSON: {e}"))
    })?;
    let meta = model.get("metadata");
    let field = |k: &str| meta.and_then(|m| m.get(k)).and_then(Value::as_str).map(str::to_string);
    let service = match name {
        Some(n) => n,
        None => field("endpointPrefix").ok_or_else(|| {
            CliError::Usage("the model has no metadata.endpointPrefix; give --service-name".into())
        })?,
    };
    let version =
        field("apiVersion").ok_or_else(|| CliError::Usage("the model has no metadata.apiVersion".into()))?;
    let safe = |s: &str| !s.is_empty() && !s.contains(['/', '\\']) && s != "." && s != "..";
    if !safe(&service) || !safe(&version) {
        return Err(CliError::Usage(format!("invalid service name or API version: {service} {version}")));
    }
    let aws = nubo_settings::location::aws_dir(&ctx.env)
        .ok_or_else(|| CliError::Config("cannot find the home directory for ~/.aws/models".into()))?;
    let dir = aws.join("models").join(&service).join(&version);
    nubo_settings::atomic::write_file(&dir.join("service-2.json"), text.as_bytes(), None, true)?;
    Ok(exit::OK)
}
