//! Retries as the AWS CLI does them: which outcomes are retryable ([`classify`]), how long to wait
//! ([`backoff`]), how many retries a client may spend ([`quota`]), and adaptive mode's client-side
//! rate limiter ([`rate_limiter`]). The loop itself lives in [`crate::client`], because each
//! attempt is rebuilt and re-signed by the caller.

pub mod backoff;
pub mod classify;
pub mod quota;
pub(crate) mod rate_limiter;

pub use classify::RetryKind;

/// The result of a request sent with retries, and how it got there.
#[derive(Debug)]
pub struct Retried<T, E> {
    /// The last response, or the last error.
    pub result: Result<T, E>,
    /// Requests sent (1 when the first attempt settled it; 0 when the first request could not even
    /// be built).
    pub attempts: u32,
    /// The last outcome was retryable but the attempts were used up (the CLI then adds
    /// `(reached max retries: N)` to a service error).
    pub max_attempts_reached: bool,
    /// The last outcome was retryable but the retry quota was empty.
    pub retry_quota_reached: bool,
}

impl<T, E> Retried<T, E> {
    /// Retries made: attempts after the first.
    pub fn retries(&self) -> u32 {
        self.attempts.saturating_sub(1)
    }

    /// The response or error alone.
    pub fn into_result(self) -> Result<T, E> {
        self.result
    }
}
