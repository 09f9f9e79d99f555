//! The settings one operation call reads: endpoint built-ins, argument parsing options, credentials
//! (static ones here; the provider chain is `nubo-credentials`' job) and the signing clock.

use crate::context::Context;
use crate::error::{CliError, CliResult};
use nubo_client::{EndpointConfig, Service};
use nubo_settings::chain::{self, Resolver};
use std::time::SystemTime;

fn flag(r: &Resolver<'_>, env: &[&str], key: &str) -> bool {
    chain::simple(r, env, key, None).is_some_and(|s| s.value.eq_ignore_ascii_case("true"))
}

fn s3_sub(r: &Resolver<'_>, sub: &str) -> Option<String> {
    r.from_profile_sub("s3", sub).map(|s| s.value)
}

/// The key a service's endpoint settings use: its service id, lower-case, spaces as `_`.
pub fn service_key(service: &Service) -> String {
    let id = service.model.metadata.service_id.clone().unwrap_or_else(|| service.name.clone());
    id.to_ascii_lowercase().replace(' ', "_")
}

/// The built-in endpoint parameters from the settings chains.
pub fn endpoint_config(ctx: &Context, r: &Resolver<'_>, service: &Service) -> CliResult<EndpointConfig> {
    let endpoint_url = chain::endpoint_url(r, ctx.globals.endpoint_url.as_deref(), &service_key(service));
    if let Some(e) = &endpoint_url
        && !(e.value.starts_with("http://") || e.value.starts_with("https://"))
    {
        return Err(CliError::Usage(format!(
            "Bad value for --endpoint-url \"{}\": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/",
            e.value
        )));
    }
    Ok(EndpointConfig {
        region: chain::region(r, ctx.globals.region.as_deref()).value,
        use_fips: flag(r, &["AWS_USE_FIPS_ENDPOINT"], "use_fips_endpoint"),
        use_dualstack: flag(r, &["AWS_USE_DUALSTACK_ENDPOINT"], "use_dualstack_endpoint")
            || s3_sub(r, "use_dualstack_endpoint").is_some_and(|v| v == "true") && service.name == "s3",
        endpoint_url: endpoint_url.map(|s| s.value),
        s3_addressing_style: s3_sub(r, "addressing_style"),
        s3_accelerate: s3_sub(r, "use_accelerate_endpoint").is_some_and(|v| v == "true"),
        s3_use_arn_region: chain::simple(r, &["AWS_S3_USE_ARN_REGION"], "s3_use_arn_region", None)
            .map(|s| s.value)
            .or_else(|| s3_sub(r, "use_arn_region"))
            .map(|v| v.eq_ignore_ascii_case("true")),
        s3_disable_multiregion_access_points: chain::simple(
            r,
            &["AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS"],
            "s3_disable_multiregion_access_points",
            None,
        )
        .is_some_and(|s| s.value.eq_ignore_ascii_case("true")),
        s3_us_east_1_regional_endpoint: chain::simple(
            r,
            &["AWS_S3_US_EAST_1_REGIONAL_ENDPOINT"],
            "s3_us_east_1_regional_endpoint",
            None,
        )
        .map(|s| s.value)
        .or_else(|| s3_sub(r, "us_east_1_regional_endpoint")),
        sts_regional_endpoints: chain::simple(
            r,
            &["AWS_STS_REGIONAL_ENDPOINTS"],
            "sts_regional_endpoints",
            None,
        )
        .map(|s| s.value),
        account_id: None,
        account_id_endpoint_mode: chain::simple(
            r,
            &["AWS_ACCOUNT_ID_ENDPOINT_MODE"],
            "account_id_endpoint_mode",
            Some("preferred"),
        )
        .map(|s| s.value),
        compression_min_size: compression(r)?,
        checksums: checksums(r)?,
    })
}

/// `request_checksum_calculation` / `response_checksum_validation` (and their environment
/// variables): `when_supported` unless set; any other value is a configuration error.
fn checksums(r: &Resolver<'_>) -> CliResult<nubo_client::Checksums> {
    let when = |env: &str, key: &str| match chain::simple(r, &[env], key, None) {
        None => Ok(nubo_client::checksum::When::default()),
        Some(s) => {
            s.value.parse().map_err(|v: String| CliError::Config(nubo_client::Checksums::invalid(key, &v)))
        }
    };
    Ok(nubo_client::Checksums {
        request: when("AWS_REQUEST_CHECKSUM_CALCULATION", "request_checksum_calculation")?,
        response: when("AWS_RESPONSE_CHECKSUM_VALIDATION", "response_checksum_validation")?,
        presign: false,
    })
}

/// `disable_request_compression` / `request_min_compression_size_bytes` (and their environment
/// variables): `None` when compression is off.
fn compression(r: &Resolver<'_>) -> CliResult<Option<usize>> {
    if flag(r, &["AWS_DISABLE_REQUEST_COMPRESSION"], "disable_request_compression") {
        return Ok(None);
    }
    match chain::simple(
        r,
        &["AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES"],
        "request_min_compression_size_bytes",
        None,
    ) {
        None => Ok(Some(nubo_client::endpoint_params::DEFAULT_COMPRESSION_MIN_SIZE)),
        Some(s) => match s.value.parse::<usize>() {
            Ok(n) if n <= 10_485_760 => Ok(Some(n)),
            _ => Err(CliError::Config(format!(
                "request_min_compression_size_bytes must be an integer from 0 to 10485760, not '{}' ({})",
                s.value, s.source
            ))),
        },
    }
}

/// How the operation's options are read: binary format, validation and pagination from the settings.
pub fn arg_options(
    ctx: &Context,
    r: &Resolver<'_>,
    cli_service: &str,
    service: &Service,
    op: &nubo_model::Operation,
) -> nubo_args::ArgOptions {
    let binary_format = ctx
        .globals
        .cli_binary_format
        .clone()
        .or_else(|| chain::simple(r, &[], "cli_binary_format", None).map(|s| s.value));
    let validation = chain::simple(r, &[], "parameter_validation", None)
        .is_none_or(|s| !s.value.eq_ignore_ascii_case("false"));
    let pager = crate::paginate::paginator(service, &op.name);
    nubo_args::ArgOptions {
        service: cli_service.to_string(),
        paginated: pager.is_some(),
        input_tokens: pager.as_ref().map(|p| p.input_tokens.clone()).unwrap_or_default(),
        limit_key: pager.and_then(|p| p.limit_key),
        no_paginate: ctx.globals.no_paginate,
        binary_format: match binary_format.as_deref() {
            Some("raw-in-base64-out") => nubo_args::BinaryFormat::RawInBase64Out,
            _ => nubo_args::BinaryFormat::Base64,
        },
        parameter_validation: validation,
    }
}

/// The credentials for this command, from the provider chain (see [`crate::credentials`]).
pub fn credentials(ctx: &Context, r: &Resolver<'_>) -> CliResult<nubo_sign::Credentials> {
    crate::credentials::credentials(ctx, r)
}

/// The signing clock: `NUBO_SIGNING_TIME` (`YYYYMMDDTHHMMSSZ`) when set, else now.
pub fn signing_time(ctx: &Context) -> CliResult<SystemTime> {
    match ctx.env.get("NUBO_SIGNING_TIME") {
        Some(v) => nubo_sign::signing_time_from_env(v)
            .map_err(|e| CliError::Usage(format!("NUBO_SIGNING_TIME: {e}"))),
        None => Ok(SystemTime::now()),
    }
}
