//! The error every command returns, the AWS CLI exit code each kind maps to, and the mapping of the
//! lower layers' errors (calls, credentials, arguments) to those kinds: one place decides that a
//! credentials failure is 253 wherever it happens.

use nubo_client::ClientError;
use nubo_client::call::CallError;
use nubo_credentials::CredentialsError;

/// Exit codes, as the AWS CLI v2 uses them.
pub mod exit {
    pub const OK: i32 = 0;
    pub const USAGE: i32 = 252;
    pub const CONFIG: i32 = 253;
    pub const SERVICE: i32 = 254;
    pub const OTHER: i32 = 255;
}

/// A failed command: what to print on standard error and the exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad command line: printed after the usage line, exit 252.
    #[error("{0}")]
    Usage(String),
    /// Input the model rejects (`Parameter validation failed: …`): exit 252, printed without the usage.
    #[error("{0}")]
    Invalid(String),
    /// Bad configuration, exit 253.
    #[error("{0}")]
    Config(String),
    /// No usable credentials, or a link of the chain failed: exit 253, with the chain's hint.
    #[error("{}", credentials_text(.0))]
    Credentials(#[from] CredentialsError),
    /// The service answered with an error, exit 254. Printed as is.
    #[error("{0}")]
    Service(String),
    /// Anything else, exit 255.
    #[error("{0}")]
    Other(String),
}

fn credentials_text(e: &CredentialsError) -> String {
    match e.hint() {
        Some(h) => format!("{e}\n{h}"),
        None => e.to_string(),
    }
}

pub type Result<T = (), E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::Invalid(_) => exit::USAGE,
            Error::Config(_) | Error::Credentials(_) => exit::CONFIG,
            Error::Service(_) => exit::SERVICE,
            Error::Other(_) => exit::OTHER,
        }
    }

    /// The AWS CLI's error for a failed call of operation `op`.
    pub fn call(e: CallError, op: &str) -> Error {
        match e {
            // A body that could not be parsed is no service error: the CLI reports it as it does any
            // other failure (exit 255).
            CallError::Service(s, _) if s.code == "ResponseParserError" => Error::Other(s.message),
            CallError::Service(s, retries) => {
                // The CLI names the retries when there were any: `… operation (reached max retries: 2): …`.
                let retried =
                    if retries > 0 { format!(" (reached max retries: {retries})") } else { String::new() };
                Error::Service(format!(
                    "An error occurred ({}) when calling the {op} operation{retried}: {}",
                    s.code, s.message
                ))
            }
            CallError::Http(h) => Error::Other(h.to_string()),
            CallError::Client(c) => c.into(),
        }
    }
}

impl From<ClientError> for Error {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Serialize(m) => Error::Usage(m),
            ClientError::Credentials(m) => Error::Config(m),
            other => Error::Other(other.to_string()),
        }
    }
}

impl From<nubo_args::ArgsError> for Error {
    fn from(e: nubo_args::ArgsError) -> Self {
        match e.kind {
            nubo_args::ErrorKind::Validation => Error::Invalid(e.to_string()),
            nubo_args::ErrorKind::Other => Error::Other(e.to_string()),
            _ => Error::Usage(e.to_string()),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Other(e.to_string())
    }
}

impl From<nubo_http::HttpError> for Error {
    fn from(e: nubo_http::HttpError) -> Self {
        Error::Other(e.to_string())
    }
}
