//! One module per credential source. Each reads its settings (`detect`-style functions, no I/O
//! beyond the files already loaded) and fetches credentials (environment, files, processes, STS,
//! SSO, HTTP endpoints).

pub(crate) mod assume_role;
pub(crate) mod container;
pub(crate) mod env;
pub(crate) mod imds;
pub mod login;
pub(crate) mod process;
pub(crate) mod sso;
pub(crate) mod sts_cache;
pub(crate) mod web_identity;

use nubo_sign::Credentials;
use std::time::SystemTime;

/// Credentials as one source gave them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fetched {
    pub credentials: Credentials,
    pub expiry: Option<SystemTime>,
    pub account_id: Option<String>,
}

impl Fetched {
    pub(crate) fn permanent(credentials: Credentials, account_id: Option<String>) -> Self {
        Fetched { credentials, expiry: None, account_id }
    }
}
