//! Printing a command's result: `--query` (JMESPath) then the output format.

use crate::context::Context;
use crate::error::{CliError, CliResult};
use serde_json::Value;
use std::io::Write;

pub fn print(ctx: &Context, output: &Value) -> CliResult<()> {
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
    let text = match &value {
        Value::Null if ctx.globals.query.is_some() => "null\n".to_string(),
        v => nubo_output::json::render(v),
    };
    std::io::stdout().write_all(text.as_bytes())?;
    Ok(())
}
