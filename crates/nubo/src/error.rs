//! The binary's names for the session's error type (one home: `nubo_session::error`, where every
//! lower layer's error is mapped to its exit code), and the usage text printed before a usage error.

pub use nubo_session::error::{Error as CliError, Result as CliResult, exit};

/// The usage text printed before a usage error, as the AWS CLI prints it.
pub const USAGE: &str = "usage: nubo [options] <command> <subcommand> [<subcommand> ...] [parameters]
To see help text, you can run:

  nubo help
  nubo <command> help
  nubo <command> <subcommand> help
";
