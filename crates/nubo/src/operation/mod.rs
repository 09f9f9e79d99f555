//! The generic operation command: `nubo <service> <operation> [options]` for any service in the models.
//! Loads the model, parses the operation's options, prepares and signs the request, then shows it
//! (`--show-request`) or sends it and prints the response.

mod settings;

use crate::context::Context;
use crate::error::{CliError, CliResult, exit};
use nubo_client::{Auth, ClientError, Service};
use nubo_model::{Loader, Operation, names};

pub use settings::{arg_options, credentials, endpoint_config, signing_time};

/// The model loader: `AWS_DATA_PATH`, then `~/.aws/models`, then the bundle.
pub fn loader(ctx: &Context) -> Loader {
    let env = &ctx.env;
    let home = nubo_settings::location::home_dir(env);
    Loader::new(nubo_model::loader::default_search_paths(env.get("AWS_DATA_PATH"), home.as_deref(), |v| {
        env.get(v).map(str::to_string)
    }))
}

/// Loads the service botocore calls `service` (`s3`, `ec2`).
pub fn load_by_service_name(ctx: &Context, service: &str) -> CliResult<Service> {
    let loader = loader(ctx);
    let files = loader.load_service(service).map_err(|e| {
        match loader.available_services().iter().any(|s| s == service) {
            true => CliError::Other(e.to_string()),
            false => CliError::Usage(format!("Unknown service: '{service}'")),
        }
    })?;
    Service::from_files(service, files).map_err(client_error)
}

/// Loads the service whose CLI command is `cli_service` (`s3api`, `ec2`).
pub fn load_service(ctx: &Context, cli_service: &str) -> CliResult<Service> {
    let Some(service) = names::cli_name_to_service(cli_service) else {
        return Err(CliError::Usage(format!("argument command: Invalid choice: '{cli_service}'")));
    };
    load_by_service_name(ctx, &service).map_err(|e| match e {
        CliError::Usage(_) => CliError::Usage(format!("argument command: Invalid choice: '{cli_service}'")),
        other => other,
    })
}

/// The operation whose CLI name is `cli_op`.
pub fn find_operation<'a>(service: &'a Service, cli_service: &str, cli_op: &str) -> CliResult<&'a Operation> {
    let wanted = names::operation_alias(cli_service, cli_op).unwrap_or(cli_op);
    service
        .model
        .operations
        .keys()
        .find(|name| names::xform_name(name) == wanted)
        .and_then(|name| service.model.operations.get(name))
        .ok_or_else(|| CliError::Usage(format!("argument operation: Invalid choice: '{cli_op}'")))
}

/// Argument errors are usage errors (252), printed as the CLI prints them.
fn args_error(e: nubo_args::ArgsError) -> CliError {
    match e.kind {
        nubo_args::ErrorKind::Validation => CliError::Invalid(e.to_string()),
        nubo_args::ErrorKind::Other => CliError::Other(e.to_string()),
        _ => CliError::Usage(e.to_string()),
    }
}

/// Maps a client error to the CLI's exit code.
pub fn client_error(e: ClientError) -> CliError {
    match e {
        ClientError::Serialize(m) => CliError::Usage(m),
        other => CliError::Other(other.to_string()),
    }
}

pub fn run(ctx: &Context, cli_service: &str, args: &[String]) -> CliResult<i32> {
    let service = load_service(ctx, cli_service)?;
    let Some(cli_op) = args.first() else {
        return Err(CliError::Usage("the following arguments are required: operation".into()));
    };
    if cli_op == "wait" {
        return crate::wait::run(ctx, cli_service, &service, &args[1..]);
    }
    if cli_op == "help" {
        crate::help::service(cli_service, &service);
        let added: Vec<_> = crate::customize::COMMANDS.iter().filter(|c| c.service == cli_service).collect();
        if !added.is_empty() {
            println!("\nAdded by the CLI:");
            for c in added {
                println!("  {:<40} {}", c.name, c.summary);
            }
        }
        return Ok(exit::OK);
    }
    let op = find_operation(&service, cli_service, cli_op)?;
    let resolver = ctx.resolver()?;
    let arg_opts = settings::arg_options(ctx, &resolver, cli_service, &service, op);
    let op_args = crate::customize::rewrite_args(cli_service, cli_op, &args[1..]).map_err(CliError::Usage)?;
    let mut parsed = nubo_args::parse(&service.model, op, &op_args, &arg_opts).map_err(args_error)?;
    for w in &parsed.warnings {
        eprintln!("{w}");
    }
    if parsed.help {
        crate::help::operation(&service, op, &arg_opts);
        return Ok(exit::OK);
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
    let mut cfg = endpoint_config(ctx, &resolver, &service)?;
    let mut prepared = nubo_client::prepare(&service, op, &parsed.input, &cfg, ctx.globals.no_sign_request)
        .map_err(client_error)?;
    let resolved = match prepared.auth {
        Auth::Anonymous => None,
        Auth::SigV4 { .. } => Some(crate::credentials::resolve(ctx, &resolver)?),
    };
    // Rule sets that route by account (DynamoDB) use the account the credentials belong to, when known.
    if let Some(account) = resolved.as_ref().and_then(|r| r.account_id.clone()) {
        cfg.account_id = Some(account);
        prepared = nubo_client::prepare(&service, op, &parsed.input, &cfg, ctx.globals.no_sign_request)
            .map_err(client_error)?;
    }
    let creds = resolved.as_ref().map(|r| r.credentials.clone());
    let pinned = ctx.env.get("NUBO_SIGNING_TIME").is_some();
    let time = signing_time(ctx)?;
    if ctx.globals.show_request {
        let signed = nubo_client::sign(&prepared, creds.as_ref(), time, None).map_err(client_error)?;
        let text = nubo_sign::raw::format_request(&signed.method, &signed.url, &signed.headers, &signed.body);
        use std::io::Write;
        std::io::stdout().write_all(&text)?;
        return Ok(exit::OK);
    }
    let http = crate::send::http_client(ctx, &resolver, &service.name)?;
    let call = crate::send::Call {
        service: &service,
        op,
        cfg: &cfg,
        credentials: creds,
        provider: resolved.map(|r| r.provider),
        time: pinned.then_some(time),
    };
    let p = &parsed.pagination;
    let pagination = p.enabled.then(|| crate::paginate::Options {
        max_items: p.max_items.map(|m| m.max(0) as usize),
        starting_token: p.starting_token.clone(),
        page_size: p.page_size.clone(),
    });
    crate::send::send_and_print(ctx, &http, &call, &parsed.input, pagination, parsed.outfile.as_deref())
}
