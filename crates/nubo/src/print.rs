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
            let found = serde_json::to_value(&*r).map_err(|e| CliError::Other(e.to_string()))?;
            let mut orders = crate::query_order::Orders::default();
            orders.learn_expression(expr.as_ast());
            orders.learn_value(output);
            orders.apply(found)
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
    write_out(ctx, &text)
}

/// Writes the output, through the pager when standard output is a terminal: `--no-cli-pager` turns it
/// off; else `AWS_PAGER`, the profile's `cli_pager`, `PAGER`, then `less -R` (an empty value means none).
fn write_out(ctx: &Context, text: &str) -> CliResult<()> {
    let mut stdout = std::io::stdout();
    if ctx.globals.no_cli_pager || text.is_empty() || !stdout.is_terminal() {
        stdout.write_all(text.as_bytes())?;
        return Ok(());
    }
    let pager = ctx
        .env
        .get_raw("AWS_PAGER")
        .map(str::to_string)
        .or_else(|| ctx.resolver().ok().and_then(|r| r.from_profile("cli_pager")).map(|s| s.value))
        .or_else(|| ctx.env.get_raw("PAGER").map(str::to_string))
        .unwrap_or_else(|| "less -R".to_string());
    if pager.trim().is_empty() {
        stdout.write_all(text.as_bytes())?;
        return Ok(());
    }
    let child = std::process::Command::new("sh")
        .arg("-c")
        .arg(&pager)
        .env("LESS", ctx.env.get("LESS").unwrap_or("FRX"))
        .stdin(std::process::Stdio::piped())
        .spawn();
    match child {
        Ok(mut child) => {
            if let Some(mut input) = child.stdin.take() {
                // A pager that quits early closes its input: not an error for us.
                let _ = input.write_all(text.as_bytes());
            }
            let _ = child.wait();
            Ok(())
        }
        Err(_) => {
            stdout.write_all(text.as_bytes())?;
            Ok(())
        }
    }
}
