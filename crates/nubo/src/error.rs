//! The error every command returns, and the AWS CLI exit code each kind maps to.

use std::fmt;

/// Exit codes, as the AWS CLI v2 uses them.
pub mod exit {
    pub const OK: i32 = 0;
    pub const USAGE: i32 = 252;
    pub const CONFIG: i32 = 253;
    pub const SERVICE: i32 = 254;
    pub const OTHER: i32 = 255;
}

/// A failed command: what to print on standard error and the exit code.
#[derive(Debug)]
pub enum CliError {
    /// Bad command line: printed after the usage line, exit 252.
    Usage(String),
    /// Input the model rejects (`Parameter validation failed: …`): exit 252, printed without the usage.
    Invalid(String),
    /// Bad configuration or credentials, exit 253.
    Config(String),
    /// The service answered with an error, exit 254. Printed as is.
    #[allow(dead_code)] // the operation engine reports service errors through it
    Service(String),
    /// Anything else, exit 255.
    Other(String),
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) | CliError::Invalid(_) => exit::USAGE,
            CliError::Config(_) => exit::CONFIG,
            CliError::Service(_) => exit::SERVICE,
            CliError::Other(_) => exit::OTHER,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m)
            | CliError::Invalid(m)
            | CliError::Config(m)
            | CliError::Service(m)
            | CliError::Other(m) => f.write_str(m),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Other(e.to_string())
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;

/// The usage text printed before a usage error, as the AWS CLI prints it.
pub const USAGE: &str = "usage: nubo [options] <command> <subcommand> [<subcommand> ...] [parameters]
To see help text, you can run:

  nubo help
  nubo <command> help
  nubo <command> <subcommand> help
";
