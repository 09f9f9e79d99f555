//! Glue between the binary and `nubo-s3`: builds the S3 client (model, endpoint settings, HTTP
//! client, credential provider) and the `s3 =` transfer settings from the profile, runs the command
//! and maps its errors to the CLI's exit codes.

use crate::context::Context;
use crate::error::{CliError, CliResult};

/// `nubo s3 <ls|mb|rb|cp|mv|rm|sync|website> …`.
pub fn run(ctx: &Context, args: &[String]) -> CliResult<i32> {
    let Some(command) = args.first() else {
        return Err(CliError::Usage("the following arguments are required: subcommand".into()));
    };
    if command == "help" {
        println!("nubo s3 <command>: ls, mb, rb, cp, mv, rm, sync, website, presign");
        return Ok(crate::error::exit::OK);
    }
    if !matches!(command.as_str(), "ls" | "mb" | "rb" | "cp" | "mv" | "rm" | "sync" | "website") {
        return Err(CliError::Usage(format!("argument subcommand: Invalid choice: '{command}'")));
    }
    let resolver = ctx.resolver()?;
    let mut config = nubo_s3::TransferConfig::default();
    for name in ["max_concurrent_requests", "multipart_threshold", "multipart_chunksize"] {
        if let Some(s) = resolver.from_profile_sub("s3", name) {
            config.set(name, &s.value).map_err(CliError::Config)?;
        }
    }
    let service = crate::operation::load_by_service_name(ctx, "s3")?;
    let cfg = crate::operation::endpoint_config(ctx, &resolver, &service)?;
    let no_sign = ctx.globals.no_sign_request;
    let provider = if no_sign { None } else { Some(crate::credentials::resolve(ctx, &resolver)?.provider) };
    let http = crate::send::http_client(ctx, &resolver, "s3")?;
    let client = nubo_s3::S3Client { service, cfg, http, provider, no_sign };
    let rt = ctx.runtime()?;
    nubo_s3::run(&client, rt, config, command, &args[1..]).map_err(|e| match e {
        nubo_s3::Error::Usage(m) => CliError::Usage(m),
        nubo_s3::Error::Service(m) => CliError::Service(m),
        nubo_s3::Error::Other(m) => CliError::Other(m),
    })
}
