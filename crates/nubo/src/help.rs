//! Help text: for now a plain list of an operation's options with their types (the AWS CLI renders
//! its full reference documentation, which nubo's bundle does not carry).

use nubo_client::Service;
use nubo_model::Operation;

pub fn operation(service: &Service, op: &Operation, opts: &nubo_args::ArgOptions) {
    let cli_op = nubo_model::names::xform_name(&op.name);
    let mut out = format!("{} {cli_op}\n\nOPTIONS\n", opts.service);
    for o in nubo_args::options(&service.model, op, opts).iter().filter(|o| !o.hidden) {
        let req = if o.required { ", required" } else { "" };
        out.push_str(&format!("  {} ({}{req})\n", o.name, o.type_name));
    }
    print!("{out}");
}

/// `nubo <service> help`: the service's operations, by CLI name.
pub fn service(cli_service: &str, service: &Service) {
    let mut out = format!("{cli_service}\n\nAVAILABLE COMMANDS\n");
    for name in service.model.operations.keys() {
        out.push_str(&format!("  {}\n", nubo_model::names::xform_name(name)));
    }
    print!("{out}");
}
