//! The settings a call reads, each from its chain (command line, environment, profile, default):
//! endpoint built-ins, HTTP (TLS, timeouts, retries), argument parsing, output and the `s3 =`
//! transfer settings. Every command reads them here, so `--region` or `--no-sign-request` take effect
//! in one place.

use crate::error::{Error, Result};
use crate::session::Session;
use nubo_client::{EndpointConfig, Service};
use nubo_http::{ClientConfig, RetryConfig, RetryMode};
use nubo_settings::chain::{self, Resolver, Setting};

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

impl Session {
    /// The built-in endpoint parameters from the settings chains.
    pub fn endpoint_config(&self, service: &Service) -> Result<EndpointConfig> {
        let r = &self.resolver()?;
        let endpoint_url =
            chain::endpoint_url(r, self.globals.endpoint_url.as_deref(), &service_key(service));
        if let Some(e) = &endpoint_url
            && !(e.value.starts_with("http://") || e.value.starts_with("https://"))
        {
            return Err(Error::Usage(format!(
                "Bad value for --endpoint-url \"{}\": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/",
                e.value
            )));
        }
        let (auth_scheme_preference, auth_scheme_preference_source) = self.auth_preference(r, service);
        Ok(EndpointConfig {
            region: chain::region(r, self.globals.region.as_deref()).value,
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
            auth_scheme_preference,
            auth_scheme_preference_source,
        })
    }

    /// The HTTP client's settings for calls to `service`.
    pub fn http_config(&self, service: &str) -> Result<ClientConfig> {
        let r = &self.resolver()?;
        let g = &self.globals;
        let mode = match chain::simple(r, &["AWS_RETRY_MODE"], "retry_mode", None) {
            Some(s) => s.value.parse::<RetryMode>().map_err(|e| Error::Config(e.to_string()))?,
            None => RetryMode::Standard,
        };
        let attempts = match chain::simple(r, &["AWS_MAX_ATTEMPTS"], "max_attempts", None) {
            Some(s) => Some(s.value.parse::<u32>().map_err(|_| {
                Error::Config(format!(
                    "max_attempts must be a positive integer, got '{}' ({})",
                    s.value, s.source
                ))
            })?),
            None => None,
        };
        let ca_bundle = g
            .ca_bundle
            .clone()
            .or_else(|| chain::simple(r, &["AWS_CA_BUNDLE"], "ca_bundle", None).map(|s| s.value))
            .map(|p| nubo_settings::location::expand_tilde(&p, &self.env));
        let mut cfg = ClientConfig {
            ca_bundle,
            verify_ssl: !g.no_verify_ssl,
            retry: RetryConfig::for_service(mode, service, attempts),
            debug: g.debug,
            ..Default::default()
        };
        if let Some(t) = g.cli_connect_timeout {
            cfg.connect_timeout = nubo_http::timeout_from_secs(t);
        }
        if let Some(t) = g.cli_read_timeout {
            cfg.read_timeout = nubo_http::timeout_from_secs(t);
        }
        Ok(cfg)
    }

    /// `--cli-binary-format` or the profile's `cli_binary_format`.
    pub fn binary_format(&self) -> Option<String> {
        self.globals.cli_binary_format.clone().or_else(|| {
            self.resolver()
                .ok()
                .and_then(|r| chain::simple(&r, &[], "cli_binary_format", None))
                .map(|s| s.value)
        })
    }

    /// `parameter_validation` (on unless the profile says `false`).
    pub fn parameter_validation(&self) -> bool {
        self.resolver()
            .ok()
            .and_then(|r| chain::simple(&r, &[], "parameter_validation", None))
            .is_none_or(|s| !s.value.eq_ignore_ascii_case("false"))
    }

    /// The output format and where it came from (`--output`, `AWS_DEFAULT_OUTPUT`, `output`, `json`);
    /// an unknown one is a configuration error naming its source.
    pub fn output_format(&self) -> Result<Setting> {
        let format = match self.resolver() {
            Ok(r) => chain::output(&r, self.globals.output.as_deref()),
            Err(_) => Setting {
                value: self.globals.output.clone().unwrap_or_else(|| "json".into()),
                source: chain::Source::Default,
            },
        };
        if !nubo_output::FORMATS.contains(&format.value.as_str()) {
            return Err(Error::Config(format!(
                "Unknown output type: {} (from {}); valid types are: {}",
                format.value,
                format.source,
                nubo_output::FORMATS.join(", ")
            )));
        }
        Ok(format)
    }

    /// The pager command for output on a terminal, `None` when paging is off: `--no-cli-pager`, else
    /// `AWS_PAGER`, the profile's `cli_pager`, `PAGER`, then `less -R` (an empty value turns it off).
    pub fn pager(&self) -> Option<String> {
        if self.globals.no_cli_pager {
            return None;
        }
        let pager = self
            .env
            .get_raw("AWS_PAGER")
            .map(str::to_string)
            .or_else(|| self.resolver().ok().and_then(|r| r.from_profile("cli_pager")).map(|s| s.value))
            .or_else(|| self.env.get_raw("PAGER").map(str::to_string))
            .unwrap_or_else(|| "less -R".to_string());
        (!pager.trim().is_empty()).then_some(pager)
    }

    /// `--cli-error-format`, `AWS_CLI_ERROR_FORMAT` or the profile's `cli_error_format`, else `enhanced`;
    /// an unknown value falls back to `enhanced` (the error being reported matters more).
    pub fn error_format(&self) -> String {
        let chosen = self.globals.cli_error_format.clone().or_else(|| {
            let r = self.resolver().ok()?;
            chain::simple(&r, &["AWS_CLI_ERROR_FORMAT"], "cli_error_format", None).map(|s| s.value)
        });
        chosen
            .map(|v| v.to_ascii_lowercase())
            .filter(|v| crate::error::ERROR_FORMATS.contains(&v.as_str()))
            .unwrap_or_else(|| "enhanced".into())
    }

    /// Whether output is coloured, as `--color` says: `on`, `off`, or `auto` (the default: when standard
    /// output is a terminal and `NO_COLOR` is not set).
    pub fn color(&self) -> bool {
        use std::io::IsTerminal;
        match self.globals.color.as_deref() {
            Some("on") => true,
            Some("off") => false,
            _ => self.env.get_raw("NO_COLOR").is_none_or(str::is_empty) && std::io::stdout().is_terminal(),
        }
    }

    /// A value of the profile's `s3 =` section (`max_concurrent_requests`, `multipart_chunksize`, …).
    pub fn s3_setting(&self, name: &str) -> Result<Option<String>> {
        Ok(self.resolver()?.from_profile_sub("s3", name).map(|s| s.value))
    }
}

/// `request_checksum_calculation` / `response_checksum_validation` (and their environment
/// variables): `when_supported` unless set; any other value is a configuration error.
fn checksums(r: &Resolver<'_>) -> Result<nubo_client::Checksums> {
    let when = |env: &str, key: &str| match chain::simple(r, &[env], key, None) {
        None => Ok(nubo_client::checksum::When::default()),
        Some(s) => {
            s.value.parse().map_err(|v: String| Error::Config(nubo_client::Checksums::invalid(key, &v)))
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
fn compression(r: &Resolver<'_>) -> Result<Option<usize>> {
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
            _ => Err(Error::Config(format!(
                "request_min_compression_size_bytes must be an integer from 0 to 10485760, not '{}' ({})",
                s.value, s.source
            ))),
        },
    }
}
