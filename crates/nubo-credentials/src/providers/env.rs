//! The environment link: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SECURITY_TOKEN` or
//! `AWS_SESSION_TOKEN` (botocore reads them in that order), `AWS_CREDENTIAL_EXPIRATION`,
//! `AWS_ACCOUNT_ID`.

use super::Fetched;
use crate::error::CredentialsError;
use crate::link::LinkKind;
use crate::timefmt;
use nubo_settings::env::Env;
use nubo_sign::Credentials;

/// Reads the variables. `Ok(None)` when `AWS_ACCESS_KEY_ID` is unset (a lone secret is ignored,
/// as in the CLI); half a pair or an unreadable expiration is an error.
pub(crate) fn read(env: &Env) -> Result<Option<Fetched>, CredentialsError> {
    let Some(access) = env.get("AWS_ACCESS_KEY_ID") else { return Ok(None) };
    let Some(secret) = env.get("AWS_SECRET_ACCESS_KEY") else {
        return Err(CredentialsError::partial(LinkKind::Env, "AWS_SECRET_ACCESS_KEY"));
    };
    let token = env.get("AWS_SECURITY_TOKEN").or_else(|| env.get("AWS_SESSION_TOKEN"));
    let expiry = match env.get("AWS_CREDENTIAL_EXPIRATION") {
        None => None,
        Some(text) => Some(timefmt::parse(text).ok_or_else(|| {
            CredentialsError::retrieval(
                LinkKind::Env,
                format!("AWS_CREDENTIAL_EXPIRATION is not a timestamp: {text:?}"),
            )
        })?),
    };
    Ok(Some(Fetched {
        credentials: Credentials::new(access, secret, token.map(str::to_string)),
        expiry,
        account_id: env.get("AWS_ACCOUNT_ID").map(str::to_string),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_token_and_expiry() {
        let env = Env::from_pairs([
            ("AWS_ACCESS_KEY_ID", "AK"),
            ("AWS_SECRET_ACCESS_KEY", "SK"),
            ("AWS_SESSION_TOKEN", "T2"),
            ("AWS_SECURITY_TOKEN", "T1"),
            ("AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z"),
            ("AWS_ACCOUNT_ID", "123"),
        ]);
        let f = read(&env).unwrap().unwrap();
        assert_eq!(f.credentials.session_token.as_deref(), Some("T1"));
        assert!(f.expiry.is_some());
        assert_eq!(f.account_id.as_deref(), Some("123"));
    }

    #[test]
    fn partial_and_absent() {
        assert_eq!(read(&Env::from_pairs([("AWS_SECRET_ACCESS_KEY", "SK")])).unwrap(), None);
        let e = read(&Env::from_pairs([("AWS_ACCESS_KEY_ID", "AK")])).unwrap_err();
        assert_eq!(e.to_string(), "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY");
        let e = read(&Env::from_pairs([
            ("AWS_ACCESS_KEY_ID", "AK"),
            ("AWS_SECRET_ACCESS_KEY", "SK"),
            ("AWS_CREDENTIAL_EXPIRATION", "tomorrow"),
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("AWS_CREDENTIAL_EXPIRATION"), "{e}");
        assert!(!e.to_string().contains("SK"));
    }
}
