//! `nubo <service> wait <waiter> [options]`: the waiter's command line; the polling is the session's
//! ([`nubo_session::waiter`]).

use crate::error::{CliError, CliResult, exit};
use nubo_client::Service;
use nubo_session::Session;
use nubo_session::waiter::waiters;

/// `nubo <cli_service> wait <waiter> [options]` (`args` starts after `wait`).
pub fn run(ctx: &Session, cli_service: &str, service: &Service, args: &[String]) -> CliResult<i32> {
    let all = waiters(service);
    let Some(cli_name) = args.first() else {
        let names: Vec<String> = all.iter().map(|w| nubo_model::names::xform_name(&w.name)).collect();
        return Err(CliError::Usage(format!(
            "the following arguments are required: waiter (one of: {})",
            names.join(", ")
        )));
    };
    let Some(waiter) = all.into_iter().find(|w| nubo_model::names::xform_name(&w.name) == *cli_name) else {
        return Err(CliError::Usage(format!("argument subcommand: Invalid choice: '{cli_name}'")));
    };
    let op = service.model.operations.get(&waiter.operation).ok_or_else(|| {
        CliError::Other(format!("the waiter's operation {} is not in the model", waiter.operation))
    })?;
    let mut arg_opts = crate::op_lookup::arg_options(ctx, cli_service, service, op);
    arg_opts.paginated = false;
    let parsed = nubo_args::parse(&service.model, op, &args[1..], &arg_opts)?;
    if parsed.help {
        return crate::help::operation(ctx, service, op, &arg_opts);
    }
    ctx.wait(service, &waiter, &parsed.input)?;
    Ok(exit::OK)
}
