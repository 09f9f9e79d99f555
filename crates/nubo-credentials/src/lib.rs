//! The credential provider chain of the AWS CLI v2, with provenance: every link named (the TYPE
//! of `configure list`), every result with its LOCATION, and `configure explain` showing what each
//! link found and which sources the winner shadows.
//!
//! # Using it
//!
//! ```no_run
//! # async fn demo(http: nubo_http::Client) -> Result<(), nubo_credentials::CredentialsError> {
//! use nubo_credentials::{Input, resolve};
//! use nubo_settings::env::Env;
//!
//! let env = Env::from_process();
//! let files = nubo_settings::profiles::load(&env).expect("readable files");
//! // profile: `--profile`, else AWS_DEFAULT_PROFILE / AWS_PROFILE, else "default";
//! // `true` when it came from `--profile` (the environment's keys are then skipped).
//! let input = Input::new(env, files, "default", false, "us-east-1", http);
//! let resolved = resolve(&input).await?;
//! println!("{} {}", resolved.type_name(), resolved.location); // configure list's TYPE, LOCATION
//! // During a long command, ask the provider before signing each request:
//! let creds = resolved.provider.credentials().await?;
//! # let _ = creds; Ok(()) }
//! ```
//!
//! - [`resolve`] walks the chain ([`LinkKind::ALL`], the CLI v2 order): environment (skipped when
//!   `--profile` is given), assume-role, web identity, SSO, the credentials file, `login`
//!   (console credentials), `credential_process`, the config file, the container endpoint, the instance metadata service.
//!   The first configured link decides; a broken one stops the chain with an error naming it
//!   ([`ErrorKind::BrokenSource`]); nothing anywhere is [`ErrorKind::NoCredentials`]
//!   ([`NO_CREDENTIALS_MESSAGE`], with [`CredentialsError::hint`] suggesting `configure explain`).
//!   Both exit 253.
//! - [`Resolved`] holds the credentials, the link, the LOCATION, the expiry, the account id, and a
//!   [`Provider`] whose [`Provider::credentials`] refreshes them before they expire.
//! - [`explain()`] returns an [`Explanation`]; [`Explanation::render`] is the text of
//!   `configure explain`.
//! - [`export()`] prints credentials in the six `export-credentials` formats ([`Format`]), and
//!   [`recursion_guard`] is that command's guard against `credential_process` loops.
//! - [`bearer::sso_bearer_token`] is the SSO token that bearer-authenticated services take.
//! - [`console_login`] is `login` / `logout` (console credentials: PKCE, DPoP) and the `login` link.
//! - [`login`] and [`logout`] are `sso login` (device authorization, no browser) and `sso logout`.
//! - [`Input`] carries the inputs; tests replace [`Input::prompt`] (MFA codes) and [`Input::clock`].
//!
//! STS, SSO and SSO OIDC are called through nubo's own engine (`nubo-client`), so the endpoint URL
//! settings (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL_SSO_OIDC`,
//! `AWS_ENDPOINT_URL`, `[services]`, `endpoint_url`) apply to them; `--endpoint-url` does not
//! (it belongs to the command's own service).
//!
//! Modules: [`link`] (the names), [`profile_chain`] (a profile's role chain, from the files
//! alone), `providers` (one module per source), `chain` (detection and fetching in order),
//! [`provider`] (refresh), [`explain`](mod@explain), [`export`](mod@export), [`sso_login`],
//! `cache` and `sso_token` (the CLI's cache files), `aws` (calls through the engine), `timefmt`
//! and `pyjson` (the CLI's text forms).

mod aws;
pub mod bearer;
mod cache;
mod chain;
pub mod error;
pub mod explain;
pub mod export;
pub mod input;
pub mod link;
pub mod profile_chain;
pub mod provider;
mod providers;
pub mod sso_login;
mod sso_token;
pub mod timefmt;

pub use chain::resolve;
pub use error::{CredentialsError, ErrorKind, NO_CREDENTIALS_HINT, NO_CREDENTIALS_MESSAGE};
pub use explain::{ExplainOptions, Explanation, LinkReport, LinkState, explain, mask};
pub use export::{Format, RECURSION_VAR, export, recursion_guard};
pub use input::{Clock, Input, Prompt, SleepFuture, SystemClock, TerminalPrompt, display_path};
pub use link::LinkKind;
pub use provider::{Provider, Resolved};
pub use providers::container::{ContainerUriError, container_uri};
pub use providers::imds::imds_endpoint;
pub use providers::login as console_login;
pub use sso_login::{LoginOptions, LoginOutcome, LogoutOutcome, login, logout};
