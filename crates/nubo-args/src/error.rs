//! The error type of argument processing, with the kinds the AWS CLI v2 tells apart when it reports
//! them (how it prints them and which exit code it uses).

use std::fmt;

/// How the AWS CLI v2 reports an error of this kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// An error of the option parser (argparse): the CLI prints its usage block, then
    /// `aws: error: <message>`. Exit code 252.
    Usage,
    /// Options or positional values the operation does not take: the CLI prints its usage block, then
    /// the message (`Unknown options: --foo, bar`). Exit code 252.
    UnknownOptions,
    /// A parameter that could not be parsed or failed validation against the model (`Error parsing
    /// parameter '--item': ...`, `Parameter validation failed:\n...`): printed as is. Exit code 252.
    Validation,
    /// An error that the CLI only reports through its catch-all handler (an integer that Python's
    /// `int()` refuses, invalid base64 in a blob, an unreadable `--cli-input-json` file). Exit code 255.
    Other,
}

/// An error turning a command line into an operation input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgsError {
    /// The message as the CLI prints it (without the usage block or the `aws: error: ` prefix).
    pub message: String,
    pub kind: ErrorKind,
}

impl ArgsError {
    pub(crate) fn usage(message: impl Into<String>) -> ArgsError {
        ArgsError { message: message.into(), kind: ErrorKind::Usage }
    }
    pub(crate) fn validation(message: impl Into<String>) -> ArgsError {
        ArgsError { message: message.into(), kind: ErrorKind::Validation }
    }
    pub(crate) fn other(message: impl Into<String>) -> ArgsError {
        ArgsError { message: message.into(), kind: ErrorKind::Other }
    }
    /// `Error parsing parameter '<cli_name>': <message>`, the CLI's `ParamError`.
    pub(crate) fn param(cli_name: &str, message: impl fmt::Display) -> ArgsError {
        ArgsError::validation(format!("Error parsing parameter '{cli_name}': {message}"))
    }

    /// The exit code the AWS CLI v2 uses for this error.
    pub fn exit_code(&self) -> i32 {
        match self.kind {
            ErrorKind::Usage | ErrorKind::UnknownOptions | ErrorKind::Validation => 252,
            ErrorKind::Other => 255,
        }
    }
}

impl fmt::Display for ArgsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArgsError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn param_errors_name_the_option() {
        let e = ArgsError::param("--item", "Invalid JSON");
        assert_eq!(e.message, "Error parsing parameter '--item': Invalid JSON");
        assert_eq!(e.kind, ErrorKind::Validation);
        assert_eq!(e.exit_code(), 252);
        assert_eq!(ArgsError::other("x").exit_code(), 255);
        assert_eq!(ArgsError::usage("x").to_string(), "x");
    }
}
