//! Sending an operation through the session and printing its result: pagination, streaming output to
//! a file, the output customizations, and decoded authorization failures.

use crate::error::{CliError, CliResult, exit};
use nubo_client::Service;
use nubo_model::Operation;
use nubo_session::{Session, paginate};
use serde_json::Value;

/// Makes the call (all pages unless `--no-paginate`), writes a streaming member to `outfile`, prints.
pub fn send_and_print(
    ctx: &Session,
    service: &Service,
    op: &Operation,
    input: &Value,
    pagination: Option<paginate::Options>,
    outfile: Option<&str>,
) -> CliResult<i32> {
    let pager = paginate::paginator(service, &op.name).filter(|_| !ctx.globals.no_paginate);
    let result = match (pager, pagination) {
        (Some(p), Some(opts)) if !p.result_keys.is_empty() => {
            ctx.paginate(service, op, &p, input.clone(), &opts)
        }
        _ => ctx.call(service, op, input).and_then(|out| {
            if let Some(path) = outfile {
                nubo_settings::atomic::write_file(path.as_ref(), &out.response.body, None, false)
                    .map_err(|e| CliError::Other(format!("Unable to write to {path}: {e}")))?;
            }
            Ok(out.output)
        }),
    };
    let output = match result {
        Err(CliError::Service(mut f)) => {
            f.note = crate::customize::decode_auth::note(ctx, &f.message);
            return Err(CliError::Service(f));
        }
        other => other?,
    };
    if let Some(text) = crate::registry::render_output(ctx, &service.name, &op.name, &output) {
        print!("{text}");
    } else {
        crate::print::print(ctx, &output, &op.name)?;
    }
    Ok(exit::OK)
}
