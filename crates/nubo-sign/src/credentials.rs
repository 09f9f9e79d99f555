//! The access key, secret key and optional session token that sign a request.

use std::fmt;

/// Credentials for SigV4. `Debug` shows the access key id only; the secret and the token are redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl Credentials {
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secret_and_token() {
        let creds = Credentials::new("AKIDEXAMPLE", "very-secret-key", Some("session-token-value".into()));
        let shown = format!("{creds:?} {creds:#?}");
        assert!(shown.contains("AKIDEXAMPLE"));
        assert!(!shown.contains("very-secret-key"));
        assert!(!shown.contains("session-token-value"));
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn debug_without_token_says_none() {
        let creds = Credentials::new("AKID", "secret", None);
        assert!(format!("{creds:?}").contains("session_token: None"));
    }
}
