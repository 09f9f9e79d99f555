//! `nubo sign --service S --region R [--region-set R1,R2|*] [--signing-time T] [--show-canonical] <
//! request.txt`: signs one raw HTTP/1.1 request read from standard input (SigV4, or SigV4a for a
//! region set) and prints it signed, in the `--show-request` format; the scheme and why on stderr.

use crate::error::{CliError, CliResult, exit};
use nubo_session::Session;
use std::io::{Read, Write};

pub fn run(ctx: &Session, args: &[String]) -> CliResult<i32> {
    use crate::customize::args::{flag, parse, required, value};
    let a = parse(
        args,
        &[required("service"), value("signing-time"), flag("show-canonical"), value("region-set")],
    )?;
    // `--region` is a global option, so it was taken out before this command saw its arguments.
    let mut region = ctx.globals.region.clone();
    let service = a.get("service").unwrap_or_default().to_string();
    let time_arg = a.get("signing-time").map(str::to_string);
    let show_canonical = a.has("show-canonical");
    let region_set = a.get("region-set").map(str::to_string);
    if region.is_none() {
        region = Some(ctx.region()?.value);
    }
    let time = match time_arg.as_deref() {
        Some(t) => nubo_sign::signing_time_from_env(t)
            .map_err(|e| CliError::Usage(format!("argument --signing-time: {e}")))?,
        None => ctx.signing_time()?,
    };
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input)?;
    let raw = nubo_sign::raw::parse_request(&input).map_err(|e| CliError::Usage(e.to_string()))?;
    let mut req = raw.into_signing_request().map_err(|e| CliError::Usage(e.to_string()))?;
    let creds = ctx.credentials()?;
    let mut opts = nubo_sign::SigningOptions::new(service.clone(), region.unwrap_or_default(), time);
    opts.sign_all_headers = true;
    opts.s3_rules = service == "s3";
    opts.content_sha256_header = service == "s3";
    let why = match region_set {
        Some(set) => {
            opts.sigv4a = true;
            opts.region = set;
            "because --region-set was given"
        }
        None => "because nubo sign signs with SigV4 unless --region-set is given",
    };
    let scope = if opts.sigv4a { "region set" } else { "region" };
    eprintln!(
        "auth: {} (signing name {service}, {scope} {}) {why}",
        if opts.sigv4a { "sigv4a" } else { "sigv4" },
        opts.region
    );
    let out = nubo_sign::sign(&mut req, &creds, &opts).map_err(|e| CliError::Other(e.to_string()))?;
    if show_canonical {
        let mut err = std::io::stderr().lock();
        writeln!(err, "----- canonical request -----")?;
        writeln!(err, "{}", out.canonical_request().unwrap_or("(unavailable)"))?;
        writeln!(err, "----- string to sign -----")?;
        writeln!(err, "{}", out.string_to_sign().unwrap_or("(unavailable)"))?;
        writeln!(err, "----- end -----")?;
    }
    let body = match &req.body {
        nubo_sign::Body::Bytes(b) => b.clone(),
        _ => Vec::new(),
    };
    let text = nubo_sign::raw::format_request(&req.method, &req.url, &req.headers, &body);
    std::io::stdout().write_all(&text)?;
    Ok(exit::OK)
}
