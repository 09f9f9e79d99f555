//! Printing a command's result: `--query` (JMESPath) then the output format (`--output`,
//! `AWS_DEFAULT_OUTPUT`, the profile's `output`, else `json`).

use crate::context::Context;
use crate::error::{CliError, CliResult};
use serde_json::Value;
use std::io::{IsTerminal, Write};

/// The terminal's width from `COLUMNS`, when set (nubo does not query the terminal itself).
fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS").ok()?.parse().ok()
}

/// Prints `output`; `title` names the operation (the `table` format's heading).
pub fn print(ctx: &Context, output: &Value, title: &str) -> CliResult<()> {
    let value = match &ctx.globals.query {
        Some(q) => {
            let expr = jmespath::compile(q)
                .map_err(|e| CliError::Usage(format!("Bad value for --query {q}: {e}")))?;
            let var =
                jmespath::Variable::from_serializable(output).map_err(|e| CliError::Other(e.to_string()))?;
            let r = expr.search(var).map_err(|e| CliError::Other(e.to_string()))?;
            serde_json::to_value(&*r).map_err(|e| CliError::Other(e.to_string()))?
        }
        None => output.clone(),
    };
    let format = match ctx.resolver() {
        Ok(r) => nubo_settings::chain::output(&r, ctx.globals.output.as_deref()),
        Err(_) => nubo_settings::chain::Setting {
            value: ctx.globals.output.clone().unwrap_or_else(|| "json".into()),
            source: nubo_settings::chain::Source::Default,
        },
    };
    if !nubo_output::FORMATS.contains(&format.value.as_str()) {
        return Err(CliError::Config(format!(
            "Unknown output type: {} (from {}); valid types are: {}",
            format.value,
            format.source,
            nubo_output::FORMATS.join(", ")
        )));
    }
    let text = match (&value, format.value.as_str()) {
        (Value::Null, "json") if ctx.globals.query.is_some() => "null\n".to_string(),
        (v, "table") if std::io::stdout().is_terminal() => {
            let width = terminal_width().unwrap_or(nubo_output::table::DEFAULT_TERMINAL_WIDTH);
            nubo_output::table::render_with_width(v, title, width).map_err(CliError::Other)?
        }
        (v, f) => nubo_output::render(f, v, title).map_err(CliError::Other)?,
    };
    std::io::stdout().write_all(text.as_bytes())?;
    Ok(())
}
