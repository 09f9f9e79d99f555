//! The error type of endpoint resolution: what went wrong, with the message botocore would give.

use std::fmt;

/// Why no endpoint could be resolved. `Display` prints the bare message (for an error rule, its templated
/// text exactly as the rule set words it), which is what `{"error": message}` output carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    /// An `error` rule matched; the message is the rule's templated text.
    Rule(String),
    /// No rule matched the parameters.
    NoMatch(String),
    /// A parameter is missing or has the wrong type, or a function was called with arguments it cannot
    /// take (a rule set that does not guard its calls).
    Invalid(String),
    /// The rule set or partitions document could not be read.
    Parse(String),
}

impl EndpointError {
    /// The message alone.
    pub fn message(&self) -> &str {
        match self {
            EndpointError::Rule(m)
            | EndpointError::NoMatch(m)
            | EndpointError::Invalid(m)
            | EndpointError::Parse(m) => m,
        }
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for EndpointError {}
