//! The global options of the command line as plain data (the binary parses them; the session resolves
//! every setting from them, the environment and the profile).

/// The parsed global options. `None` means "not given on the command line".
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Globals {
    pub debug: bool,
    pub endpoint_url: Option<String>,
    pub no_verify_ssl: bool,
    pub no_paginate: bool,
    pub output: Option<String>,
    pub query: Option<String>,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub version: bool,
    pub color: Option<String>,
    pub no_sign_request: bool,
    pub ca_bundle: Option<String>,
    pub cli_read_timeout: Option<u64>,
    pub cli_connect_timeout: Option<u64>,
    pub cli_binary_format: Option<String>,
    pub no_cli_pager: bool,
    pub cli_auto_prompt: Option<bool>,
    pub cli_error_format: Option<String>,
    pub show_request: bool,
}
