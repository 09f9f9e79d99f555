//! The generic operation command: `nubo <service> <operation> [options]` for any service in the models.
//! Loads the model, parses the operation's options, prepares and signs the request, then shows it
//! (`--show-request`) or sends it and prints the response.

use crate::error::{CliError, CliResult, exit};
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

pub fn run(ctx: &Session, cli_service: &str, args: &[String]) -> CliResult<i32> {
    let service = ctx.cli_service(cli_service)?;
    let Some(cli_op) = args.first() else {
        return Err(CliError::Usage("the following arguments are required: operation".into()));
    };
    if cli_op == "wait" {
        return crate::wait::run(ctx, cli_service, &service, &args[1..]);
    }
    if cli_op == "help" {
        return crate::help::service(ctx, cli_service, &service);
    }
    let op = find_operation(&service, cli_service, cli_op)?;
    ctx.resolver()?;
    let arg_opts = arg_options(ctx, cli_service, &service, op);
    let op_args = crate::registry::rewrite_args(cli_service, cli_op, &args[1..])?;
    let mut parsed = nubo_args::parse(&service.model, op, &op_args, &arg_opts)?;
    for w in &parsed.warnings {
        eprintln!("{w}");
    }
    if parsed.help {
        return crate::help::operation(ctx, &service, op, &arg_opts);
    }
    if let Some(kind) = parsed.skeleton {
        return match nubo_args::skeleton(&service.model, op, kind) {
            nubo_args::Skeleton::Text(t) => {
                print!("{t}");
                Ok(exit::OK)
            }
            nubo_args::Skeleton::Output(v) => crate::print::print(ctx, &v, &op.name).map(|_| exit::OK),
        };
    }
    if let Some(stream) = &parsed.streaming_input {
        // The whole file goes into the request for now; the s3 transfer engine streams large files.
        use base64::Engine;
        let bytes = std::fs::read(&stream.path)
            .map_err(|e| CliError::Usage(format!("Unable to read {}: {e}", stream.path)))?;
        parsed.input[stream.member.as_str()] =
            serde_json::Value::String(base64::engine::general_purpose::STANDARD.encode(bytes));
    }
    if ctx.globals.show_request {
        let call = ctx.prepare_call(&service, op, &parsed.input)?;
        let signed = ctx.sign_prepared(&call, None)?;
        let text = nubo_sign::raw::format_request(&signed.method, &signed.url, &signed.headers, &signed.body);
        use std::io::Write;
        std::io::stdout().write_all(&text)?;
        return Ok(exit::OK);
    }
    let p = &parsed.pagination;
    let pagination = p.enabled.then(|| paginate::Options {
        max_items: p.max_items.map(|m| m.max(0) as usize),
        starting_token: p.starting_token.clone(),
        page_size: p.page_size.clone(),
    });
    crate::send::send_and_print(ctx, &service, op, &parsed.input, pagination, parsed.outfile.as_deref())
}
