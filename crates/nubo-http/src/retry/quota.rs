//! The retry quota of `standard` and `adaptive` modes: a client starts with 500 tokens, a retry
//! costs 5 (10 after a timeout), a success gives back what its last retry cost (1 when it needed
//! no retry), never above the start. When the tokens run out, failures are not retried.

/// Tokens a client starts with.
pub const INITIAL_CAPACITY: u32 = 500;
/// Cost of a retry.
pub const RETRY_COST: u32 = 5;
/// Cost of a retry after a connect or read timeout.
pub const TIMEOUT_RETRY_COST: u32 = 10;
/// Given back by a success that needed no retry.
pub const NO_RETRY_INCREMENT: u32 = 1;

/// The token count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryQuota {
    max: u32,
    available: u32,
}

impl Default for RetryQuota {
    fn default() -> Self {
        Self::new(INITIAL_CAPACITY)
    }
}

impl RetryQuota {
    /// A full quota of `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        RetryQuota { max: capacity, available: capacity }
    }

    /// Takes `amount` tokens if there are that many.
    pub fn acquire(&mut self, amount: u32) -> bool {
        if amount > self.available {
            return false;
        }
        self.available -= amount;
        true
    }

    /// Gives tokens back, up to the starting capacity.
    pub fn release(&mut self, amount: u32) {
        self.available = self.available.saturating_add(amount).min(self.max);
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        self.available
    }

    /// The cost of retrying after an outcome.
    pub fn cost(after_timeout: bool) -> u32 {
        if after_timeout { TIMEOUT_RETRY_COST } else { RETRY_COST }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drains_and_refills() {
        let mut q = RetryQuota::default();
        for _ in 0..100 {
            assert!(q.acquire(RETRY_COST));
        }
        assert_eq!(q.available(), 0);
        assert!(!q.acquire(RETRY_COST));
        q.release(TIMEOUT_RETRY_COST);
        assert_eq!(q.available(), 10);
        assert!(!q.acquire(11));
        assert!(q.acquire(10));
    }

    #[test]
    fn never_exceeds_capacity() {
        let mut q = RetryQuota::new(20);
        q.release(NO_RETRY_INCREMENT);
        assert_eq!(q.available(), 20);
        assert!(q.acquire(TIMEOUT_RETRY_COST));
        q.release(u32::MAX);
        assert_eq!(q.available(), 20);
        assert_eq!(RetryQuota::cost(true), 10);
        assert_eq!(RetryQuota::cost(false), 5);
    }
}
