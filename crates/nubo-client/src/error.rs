//! Errors from preparing or making a call, each mapped by the session to an AWS CLI exit code.

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// The model is missing or broken (exit 255).
    #[error("{0}")]
    Model(String),
    /// The input cannot be serialized (exit 252: it is the user's input).
    #[error("{0}")]
    Serialize(String),
    /// No endpoint could be resolved for these settings (exit 255; the message is the rule set's).
    #[error("{0}")]
    Endpoint(String),
    /// Signing failed (exit 255).
    #[error("{0}")]
    Sign(String),
    /// No credentials could be had for the call, or refreshing them failed (exit 253).
    #[error("{0}")]
    Credentials(String),
    /// The operation needs an auth scheme nubo cannot use.
    #[error("{0}")]
    Unsupported(String),
    /// A response body does not match the checksum the service sent with it (exit 255).
    #[error("{0}")]
    Checksum(String),
    /// A local file (a request body, a download's destination) could not be read or written (exit 255).
    #[error("{0}")]
    Io(String),
}
