//! Which model operation a command line names and how its options are read (binary format,
//! validation, pagination from the settings): shared by the operation command, waiters, presign,
//! completion and the customizations, so none of them reaches into another.

use crate::error::{CliError, CliResult};
use nubo_client::Service;
use nubo_model::{Operation, names};
use nubo_session::Session;
use nubo_session::paginate;

/// The operation whose CLI name is `cli_op`.
pub fn find_operation<'a>(service: &'a Service, cli_service: &str, cli_op: &str) -> CliResult<&'a Operation> {
    let wanted = names::operation_alias(cli_service, cli_op).unwrap_or(cli_op);
    service
        .model
        .operations
        .keys()
        .find(|name| names::xform_name(name) == wanted && !crate::registry::is_removed(cli_service, cli_op))
        .and_then(|name| service.model.operations.get(name))
        .ok_or_else(|| {
            let choices = crate::help::service_commands(cli_service, &service.model);
            CliError::Usage(crate::help::suggest::invalid_choice(
                "operation",
                cli_op,
                choices.iter().map(String::as_str).filter(|c| !crate::registry::is_removed(cli_service, c)),
            ))
        })
}

/// How the operation's options are read: binary format, validation and pagination from the settings.
pub fn arg_options(
    ctx: &Session,
    cli_service: &str,
    service: &Service,
    op: &Operation,
) -> nubo_args::ArgOptions {
    let pager = paginate::paginator(service, &op.name);
    nubo_args::ArgOptions {
        service: cli_service.to_string(),
        paginated: pager.is_some(),
        input_tokens: pager.as_ref().map(|p| p.input_tokens.clone()).unwrap_or_default(),
        limit_key: pager.and_then(|p| p.limit_key),
        no_paginate: ctx.globals.no_paginate,
        binary_format: match ctx.binary_format().as_deref() {
            Some("raw-in-base64-out") => nubo_args::BinaryFormat::RawInBase64Out,
            _ => nubo_args::BinaryFormat::Base64,
        },
        parameter_validation: ctx.parameter_validation(),
    }
}
