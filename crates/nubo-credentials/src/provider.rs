//! What a resolution returns: the credentials with their provenance ([`Resolved`]), and a handle
//! ([`Provider`]) that hands out credentials for as long as a command runs, refreshing them from
//! the same source before they expire (botocore's windows: refresh is tried when less than 15
//! minutes are left, at most once a minute, and failures are tolerated until 10 minutes are left).

use crate::chain::{self, Plan};
use crate::error::CredentialsError;
use crate::input::Input;
use crate::link::LinkKind;
use crate::providers::Fetched;
use crate::timefmt;
use nubo_sign::Credentials;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Refresh is tried when fewer seconds than this are left.
pub const ADVISORY_REFRESH_SECS: u64 = 15 * 60;
/// Below this many seconds a refresh must succeed.
pub const MANDATORY_REFRESH_SECS: u64 = 10 * 60;
/// Advisory refreshes are tried at most this often.
const RETRY_INTERVAL: Duration = Duration::from_secs(60);

/// The winning link's credentials and where they came from.
#[derive(Clone)]
pub struct Resolved {
    /// The credentials (their `Debug` hides the secret and token).
    pub credentials: Credentials,
    /// The link that gave them; [`LinkKind::as_str`] is the TYPE column of `configure list`.
    pub link: LinkKind,
    /// The LOCATION: a file (`~/.aws/credentials`), an environment variable, a token file, a URI.
    pub location: String,
    /// When they expire (temporary credentials).
    pub expiry: Option<SystemTime>,
    /// The account they belong to, when the source says.
    pub account_id: Option<String>,
    /// The handle that refreshes them.
    pub provider: Provider,
}

impl Resolved {
    pub(crate) fn new(
        input: Input,
        plan: Plan,
        link: LinkKind,
        location: String,
        fetched: Fetched,
    ) -> Resolved {
        let provider = Provider {
            inner: Arc::new(Inner {
                input,
                plan,
                link,
                state: tokio::sync::Mutex::new(State { current: fetched.clone(), next_attempt: None }),
            }),
        };
        Resolved {
            credentials: fetched.credentials,
            link,
            location,
            expiry: fetched.expiry,
            account_id: fetched.account_id,
            provider,
        }
    }

    /// The TYPE name (`env`, `assume-role`, `shared-credentials-file`, …).
    pub fn type_name(&self) -> &'static str {
        self.link.as_str()
    }

    /// `configure export-credentials --format <format>` of these credentials.
    pub fn export(&self, format: crate::export::Format) -> String {
        crate::export::export(&self.credentials, self.expiry, format)
    }
}

impl fmt::Debug for Resolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolved")
            .field("credentials", &self.credentials)
            .field("link", &self.link)
            .field("location", &self.location)
            .field("expiry", &self.expiry)
            .field("account_id", &self.account_id)
            .finish_non_exhaustive()
    }
}

/// Hands out the current credentials, refreshing them from their source when they near expiry.
/// Cheap to clone; clones share the credentials. `Send + Sync`, so transfer tasks can share it.
#[derive(Clone)]
pub struct Provider {
    inner: Arc<Inner>,
}

struct Inner {
    input: Input,
    plan: Plan,
    link: LinkKind,
    state: tokio::sync::Mutex<State>,
}

struct State {
    current: Fetched,
    next_attempt: Option<SystemTime>,
}

impl fmt::Debug for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Provider").field("link", &self.inner.link).finish_non_exhaustive()
    }
}

impl Provider {
    /// The link the credentials come from.
    pub fn link(&self) -> LinkKind {
        self.inner.link
    }

    /// Credentials good for the next request: the current ones, or fresh ones when they are near
    /// expiry. Fails only when they cannot be refreshed and are about to expire (or have).
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let mut state = self.inner.state.lock().await;
        self.maybe_refresh(&mut state, false).await?;
        Ok(state.current.credentials.clone())
    }

    /// The expiry of the current credentials.
    pub async fn expiry(&self) -> Option<SystemTime> {
        self.inner.state.lock().await.current.expiry
    }

    /// Fetches new credentials from the source now (for example after the service said the token
    /// expired), whatever their expiry says.
    pub async fn refresh_now(&self) -> Result<Credentials, CredentialsError> {
        let mut state = self.inner.state.lock().await;
        self.maybe_refresh(&mut state, true).await?;
        Ok(state.current.credentials.clone())
    }

    async fn maybe_refresh(&self, state: &mut State, force: bool) -> Result<(), CredentialsError> {
        let input = &self.inner.input;
        let now = input.now();
        let left = match state.current.expiry {
            Some(exp) => timefmt::seconds_until(exp, now),
            None if force => f64::INFINITY,
            None => return Ok(()),
        };
        let mandatory = left < MANDATORY_REFRESH_SECS as f64;
        if !force {
            if left >= ADVISORY_REFRESH_SECS as f64 {
                return Ok(());
            }
            if !mandatory && state.next_attempt.is_some_and(|t| now < t) {
                return Ok(());
            }
        }
        state.next_attempt = Some(now + RETRY_INTERVAL);
        let fetched = match chain::fetch(input, &self.inner.plan).await {
            Ok(Some((f, _))) => Ok(f),
            Ok(None) => {
                Err(CredentialsError::retrieval(self.inner.link, "the source gave no credentials on refresh"))
            }
            Err(e) => Err(e),
        };
        match fetched {
            Ok(f) => {
                if let Some(exp) = f.expiry
                    && timefmt::seconds_until(exp, input.now()) <= 0.0
                {
                    return Err(CredentialsError::retrieval(
                        self.inner.link,
                        "Credentials were refreshed, but the refreshed credentials are still expired.",
                    ));
                }
                state.current = f;
                Ok(())
            }
            Err(e) if mandatory || force => Err(e),
            Err(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>(_: &T) {}
    fn assert_send<T: Send>(_: &T) {}

    /// Transfer tasks share a provider and await it from spawned tasks.
    #[allow(dead_code)]
    fn provider_and_its_futures_are_send(p: &Provider, input: &Input) {
        assert_send_sync(p);
        assert_send(&p.credentials());
        assert_send(&p.refresh_now());
        assert_send(&crate::resolve(input));
        assert_send(&crate::explain(input, Default::default()));
    }
}
