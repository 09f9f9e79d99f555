//! Printing a command's result: `--query` (JMESPath) then the output format (`--output`,
//! `AWS_DEFAULT_OUTPUT`, the profile's `output`, else `json`).

use crate::error::{CliError, CliResult};
use nubo_session::Session;
use serde_json::Value;
use std::io::IsTerminal;

/// The terminal's width as Python's `shutil.get_terminal_size` finds it: `COLUMNS`, else the terminal.
fn terminal_width() -> Option<usize> {
    let from_env = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse().ok());
    from_env.or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
}

/// Prints `output`; `title` names the operation (the `table` format's heading).
pub fn print(ctx: &Session, output: &Value, title: &str) -> CliResult<()> {
    let value = match &ctx.globals.query {
        Some(q) => nubo_output::query::apply(q, output)
            .map_err(|e| CliError::Usage(format!("Bad value for --query {q}: {}", e.0)))?,
        None => output.clone(),
    };
    let format = ctx.output_format()?;
    let text = match (&value, format.value.as_str()) {
        (Value::Null, "json") if ctx.globals.query.is_some() => "null\n".to_string(),
        (v, "table") if std::io::stdout().is_terminal() || ctx.color() => {
            let width = terminal_width().unwrap_or(nubo_output::table::DEFAULT_TERMINAL_WIDTH);
            nubo_output::table::render_styled(v, title, width, ctx.color()).map_err(CliError::Other)?
        }
        (v, f) => nubo_output::render(f, v, title).map_err(CliError::Other)?,
    };
    write_out(ctx, &text)
}

/// Writes the output, through the pager when standard output is a terminal.
pub fn write_out(ctx: &Session, text: &str) -> CliResult<()> {
    let less = ctx.env.get("LESS").unwrap_or("FRX");
    Ok(nubo_output::pager::write(text, ctx.pager().as_deref(), less)?)
}
