//! The generic operation command: `nubo <service> <operation> [options]` for any service in the models.
//! Loads the model, parses the operation's options, prepares and signs the request, then shows it
//! (`--show-request`) or sends it and prints the response.

use crate::error::{CliError, CliResult, exit};
use crate::op_lookup::{arg_options, find_operation};
use nubo_client::Service;
use nubo_model::Operation;
use nubo_session::Session;
use nubo_session::paginate;

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
    let parsed = nubo_args::parse(&service.model, op, &op_args, &arg_opts)?;
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
    // A streaming input (`put-object --body FILE`) is sent from the file as it is read, never
    // loaded whole or base64-encoded.
    let payload = match &parsed.streaming_input {
        Some(stream) => Some(
            nubo_http::FileRange::whole(std::path::Path::new(&stream.path))
                .and_then(|r| std::fs::File::open(r.path.as_ref()).map(|_| r))
                .map(nubo_http::Body::File)
                .map_err(|e| CliError::Usage(format!("Unable to read {}: {e}", stream.path)))?,
        ),
        None => None,
    };
    if ctx.globals.show_request {
        let overrides = nubo_session::Overrides::default();
        let call = ctx.prepare_call_with_payload(&service, op, &parsed.input, payload, &overrides)?;
        let signed = ctx.sign_prepared(&call, None)?;
        let body = signed.body.to_bytes()?;
        let text = nubo_sign::raw::format_request(&signed.method, &signed.url, &signed.headers, &body);
        use std::io::Write;
        std::io::stdout().write_all(&text)?;
        return Ok(exit::OK);
    }
    if payload.is_some() || parsed.outfile.is_some() {
        return stream_call(ctx, &service, op, &parsed.input, payload, parsed.outfile.as_deref());
    }
    let p = &parsed.pagination;
    let pagination = p.enabled.then(|| paginate::Options {
        max_items: p.max_items.map(|m| m.max(0) as usize),
        starting_token: p.starting_token.clone(),
        page_size: p.page_size.clone(),
    });
    crate::send::send_and_print(ctx, &service, op, &parsed.input, pagination, parsed.outfile.as_deref())
}

/// Sends an operation with a streaming member: the payload from its file, the output body into
/// `outfile` through a temporary file beside it, renamed only once complete and verified (a failed
/// or corrupt download leaves no file behind).
fn stream_call(
    ctx: &Session,
    service: &Service,
    op: &Operation,
    input: &serde_json::Value,
    payload: Option<nubo_http::Body>,
    outfile: Option<&str>,
) -> CliResult<i32> {
    let rt = ctx.runtime()?;
    if !ctx.globals.no_sign_request {
        ctx.resolved()?;
    }
    let result = match outfile {
        None => rt.block_on(ctx.call_async_with_payload(service, op, input, payload)).map(|o| o.output),
        Some(path) => download(ctx, rt, service, op, input, payload, std::path::Path::new(path)),
    };
    let output = match result {
        Err(nubo_session::Error::Service(mut f)) => {
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

fn download(
    ctx: &Session,
    rt: &tokio::runtime::Runtime,
    service: &Service,
    op: &Operation,
    input: &serde_json::Value,
    payload: Option<nubo_http::Body>,
    path: &std::path::Path,
) -> Result<serde_json::Value, nubo_session::Error> {
    let io =
        |e: std::io::Error| nubo_session::Error::Other(format!("Unable to write to {}: {e}", path.display()));
    let temp = temp_beside(path);
    let file = std::fs::File::create(&temp).map_err(io)?;
    let mut writer = std::io::BufWriter::with_capacity(256 * 1024, file);
    let sent = rt.block_on(ctx.call_streaming_async(service, op, input, payload, |chunk| {
        std::io::Write::write_all(&mut writer, chunk)
    }));
    let finished = sent.and_then(|(output, _)| {
        let file = writer.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&temp, path).map_err(io)?;
        Ok(output)
    });
    if finished.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    finished
}

/// A temporary name in the same folder as `path`, unique to this process.
fn temp_beside(path: &std::path::Path) -> std::path::PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.nubo-{}.part", std::process::id()))
}
