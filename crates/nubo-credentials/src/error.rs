//! The one error type of the chain: either nothing anywhere gave credentials, or a source that was
//! configured is broken (the chain stops there, as the AWS CLI does, rather than falling through).
//! Both map to exit code 253. Messages name the source and the reason and never hold a secret.

use crate::link::LinkKind;
use std::fmt;

/// The AWS CLI's message when no link gave credentials (with `nubo` for `aws`).
pub const NO_CREDENTIALS_MESSAGE: &str =
    "Unable to locate credentials. You can configure credentials by running \"nubo configure\".";

/// The hint that goes with [`NO_CREDENTIALS_MESSAGE`].
pub const NO_CREDENTIALS_HINT: &str =
    "Run \"nubo configure explain\" to see every place nubo looked for credentials.";

/// What kind of failure an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// No link of the chain found anything.
    NoCredentials,
    /// A configured source failed: bad configuration, an unreadable file, a refused STS call, a
    /// failing process, an unreachable endpoint, an expired SSO session…
    BrokenSource,
}

/// A credentials failure. `Display` is the message to print; [`CredentialsError::hint`] is an
/// optional second line (what to run next).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    kind: ErrorKind,
    link: Option<LinkKind>,
    message: String,
    hint: Option<String>,
}

impl CredentialsError {
    /// Nothing found anywhere.
    pub fn no_credentials() -> Self {
        CredentialsError {
            kind: ErrorKind::NoCredentials,
            link: None,
            message: NO_CREDENTIALS_MESSAGE.to_string(),
            hint: Some(NO_CREDENTIALS_HINT.to_string()),
        }
    }

    /// A broken source, with a message that names it and says why.
    pub fn broken(link: Option<LinkKind>, message: impl Into<String>) -> Self {
        CredentialsError { kind: ErrorKind::BrokenSource, link, message: message.into(), hint: None }
    }

    /// The AWS CLI's wording for a provider that failed: `Error when retrieving credentials from
    /// LINK: REASON`.
    pub fn retrieval(link: LinkKind, reason: impl fmt::Display) -> Self {
        Self::broken(Some(link), format!("Error when retrieving credentials from {link}: {reason}"))
    }

    /// The AWS CLI's wording for half a key pair: `Partial credentials found in LINK, missing:
    /// WHAT`.
    pub fn partial(link: LinkKind, missing: &str) -> Self {
        Self::broken(Some(link), format!("Partial credentials found in {link}, missing: {missing}"))
    }

    /// This error with a hint (what to run to fix it).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// No credentials, or a broken source.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The link that failed, when one did.
    pub fn link(&self) -> Option<LinkKind> {
        self.link
    }

    /// The message (same as `Display`).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What to run next, when there is advice.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// The AWS CLI's exit code for every credentials failure.
    pub fn exit_code(&self) -> i32 {
        253
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_wording() {
        let e = CredentialsError::no_credentials();
        assert_eq!(e.kind(), ErrorKind::NoCredentials);
        assert_eq!(e.to_string(), NO_CREDENTIALS_MESSAGE);
        assert!(e.hint().unwrap().contains("configure explain"));
        let e = CredentialsError::retrieval(LinkKind::CustomProcess, "boom");
        assert_eq!(e.kind(), ErrorKind::BrokenSource);
        assert_eq!(e.link(), Some(LinkKind::CustomProcess));
        assert_eq!(e.to_string(), "Error when retrieving credentials from custom-process: boom");
        let e = CredentialsError::partial(LinkKind::Env, "AWS_SECRET_ACCESS_KEY");
        assert_eq!(e.message(), "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY");
        assert_eq!(e.exit_code(), 253);
    }
}
