//! Glue between the binary and `nubo-s3`: the S3 client over the session and the `s3 =` transfer
//! settings from the profile.

use crate::error::{CliError, CliResult};
use nubo_session::Session;

/// `nubo s3 <ls|mb|rb|cp|mv|rm|sync|website> …`.
pub fn run(ctx: &Session, args: &[String]) -> CliResult<i32> {
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
    let mut config = nubo_s3::TransferConfig::default();
    for name in ["max_concurrent_requests", "multipart_threshold", "multipart_chunksize", "max_bandwidth"] {
        if let Some(v) = ctx.s3_setting(name)? {
            config.set(name, &v).map_err(CliError::Config)?;
        }
    }
    let client = nubo_s3::S3Client::new(ctx)?;
    nubo_s3::run(&client, ctx.runtime()?, config, command, &args[1..])
}
