//! Help text: for now a plain list of an operation's options with their types (the AWS CLI renders
//! its full reference documentation, which nubo's bundle does not carry).

use crate::error::{CliResult, exit};
use nubo_client::Service;
use nubo_model::Operation;
use nubo_session::Session;

pub fn operation(service: &Service, op: &Operation, opts: &nubo_args::ArgOptions) {
    let cli_op = nubo_model::names::xform_name(&op.name);
    let mut out = format!("{} {cli_op}\n\nOPTIONS\n", opts.service);
    for o in nubo_args::options(&service.model, op, opts).iter().filter(|o| !o.hidden) {
        let req = if o.required { ", required" } else { "" };
        out.push_str(&format!("  {} ({}{req})\n", o.name, o.type_name));
    }
    print!("{out}");
}

/// `nubo <service> help`: the service's operations by CLI name, and the commands the registry adds.
pub fn service(cli_service: &str, service: &Service) {
    let mut names: Vec<String> =
        service.model.operations.keys().map(|n| nubo_model::names::xform_name(n)).collect();
    names.extend(crate::registry::subcommands(cli_service).map(|c| c.path[1].to_string()));
    names.push("wait".into());
    names.sort();
    names.dedup();
    let mut out = format!("{cli_service}\n\nAVAILABLE COMMANDS\n");
    for name in names {
        out.push_str(&format!("  {name}\n"));
    }
    print!("{out}");
}

/// `nubo help`: the usage, the commands the registry adds, and the services of the models.
pub fn top(ctx: &Session, _args: &[String]) -> CliResult<i32> {
    let mut out = String::from(crate::error::USAGE);
    out.push_str("\nCOMMANDS ADDED TO THE MODELS' SERVICES\n");
    for c in crate::registry::COMMANDS.iter().filter(|c| c.path != ["help"]) {
        out.push_str(&format!("  {:<28} {}\n", c.path.join(" "), c.summary));
    }
    out.push_str("\nSERVICES\n");
    let mut services: Vec<String> =
        ctx.loader().available_services().iter().map(|s| nubo_model::names::service_to_cli_name(s)).collect();
    services.sort();
    services.dedup();
    for s in services {
        out.push_str(&format!("  {s}\n"));
    }
    print!("{out}");
    Ok(exit::OK)
}
