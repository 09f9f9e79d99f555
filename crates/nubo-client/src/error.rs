//! Errors from preparing or making a call, each mapped by the binary to an AWS CLI exit code.

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// The model is missing or broken (exit 255).
    Model(String),
    /// The input cannot be serialized (exit 252: it is the user's input).
    Serialize(String),
    /// No endpoint could be resolved for these settings (exit 255; the message is the rule set's).
    Endpoint(String),
    /// Signing failed (exit 255).
    Sign(String),
    /// The operation needs an auth scheme nubo cannot use.
    Unsupported(String),
    /// A response body does not match the checksum the service sent with it (exit 255).
    Checksum(String),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Model(m)
            | ClientError::Serialize(m)
            | ClientError::Endpoint(m)
            | ClientError::Sign(m)
            | ClientError::Unsupported(m)
            | ClientError::Checksum(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ClientError {}
