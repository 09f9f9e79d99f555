//! The session layer: settings resolved once from the command line, the environment and the profile
//! (each with its source), the credential provider, the model loader and the HTTP clients; and the
//! one way every command calls AWS: [`Session::call`], [`Session::paginate`], [`Session::wait`],
//! presigning and signing for `--show-request`. Errors carry the AWS CLI's exit code ([`Error`]).

pub mod auth;
pub mod error;
pub mod express;
pub mod options;
pub mod paginate;
pub mod presign;
pub mod session;
pub mod settings;
pub mod waiter;

pub use error::{ERROR_FORMATS, Error, Result, ServiceFailure, exit};
pub use options::Globals;
pub use session::{ApiCall, Overrides, PreparedCall, Session, profile_not_found};
