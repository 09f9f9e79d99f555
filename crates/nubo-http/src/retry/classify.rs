//! Which responses are worth another attempt: the status codes and error codes that the AWS CLI's
//! `standard` (and `adaptive`) and `legacy` modes retry, as lists and as classifying functions
//! for the caller's classifier (which alone can parse the error code out of a body).

use crate::config::RetryMode;

/// What kind of failure an outcome is, for retrying.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryKind {
    /// Final: success, or an error a retry would not fix.
    NotRetryable,
    /// A transient failure (server error, broken connection, timeout).
    Transient,
    /// The service asked the client to slow down.
    Throttling,
}

impl RetryKind {
    /// Whether another attempt may be made.
    pub fn is_retryable(self) -> bool {
        self != RetryKind::NotRetryable
    }

    /// The stronger of two verdicts (throttling over transient over not retryable), to combine
    /// classifiers.
    pub fn or(self, other: RetryKind) -> RetryKind {
        fn rank(k: RetryKind) -> u8 {
            match k {
                RetryKind::NotRetryable => 0,
                RetryKind::Transient => 1,
                RetryKind::Throttling => 2,
            }
        }
        if rank(other) > rank(self) { other } else { self }
    }

    /// A short name for `--debug`.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryKind::NotRetryable => "not retryable",
            RetryKind::Transient => "transient error",
            RetryKind::Throttling => "throttling error",
        }
    }
}

/// Error codes that mean "slow down" in `standard` and `adaptive` modes.
pub const THROTTLING_ERROR_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient failures in `standard` and `adaptive` modes.
pub const TRANSIENT_ERROR_CODES: &[&str] =
    &["RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"];

/// Status codes of transient failures in `standard` and `adaptive` modes. (A bare 429 is not among
/// them: it is retried when its error code is a throttling code, as in the AWS CLI.)
pub const TRANSIENT_STATUS_CODES: &[u16] = &[500, 502, 503, 504];

/// Status codes that `legacy` mode retries whatever the error code.
pub const LEGACY_RETRY_STATUS_CODES: &[u16] = &[429, 500, 502, 503, 504, 509];

/// `legacy` mode's error-code rules: (service or `None` for all, error code, status code).
pub const LEGACY_ERROR_RULES: &[(Option<&str>, &str, u16)] = &[
    (None, "Throttling", 400),
    (None, "ThrottlingException", 400),
    (None, "ThrottledException", 400),
    (None, "RequestThrottledException", 400),
    (None, "ProvisionedThroughputExceededException", 400),
    (Some("organizations"), "TooManyRequestsException", 400),
    (Some("dynamodb"), "ReplicatedWriteConflictException", 409),
    (Some("dynamodb"), "TransactionInProgressException", 400),
    (Some("ec2"), "RequestLimitExceeded", 503),
    (Some("ec2"), "EC2ThrottledException", 503),
    (Some("cloudsearch"), "BandwidthLimitExceeded", 509),
    (Some("kinesis"), "LimitExceededException", 400),
    (Some("sqs"), "RequestThrottled", 403),
    (Some("s3"), "RequestTimeout", 400),
    (Some("s3"), "BadDigest", 400),
    (Some("glacier"), "RequestTimeoutException", 408),
    (Some("route53"), "Throttling", 400),
    (Some("route53"), "PriorRequestNotComplete", 400),
    (Some("sts"), "IDPCommunicationError", 400),
];

/// The verdict on a status code alone: the default classifier when no error code is known.
pub fn classify_status(mode: RetryMode, status: u16) -> RetryKind {
    match mode {
        RetryMode::Standard | RetryMode::Adaptive => {
            if TRANSIENT_STATUS_CODES.contains(&status) {
                RetryKind::Transient
            } else {
                RetryKind::NotRetryable
            }
        }
        RetryMode::Legacy => match status {
            429 => RetryKind::Throttling,
            s if LEGACY_RETRY_STATUS_CODES.contains(&s) => RetryKind::Transient,
            _ => RetryKind::NotRetryable,
        },
    }
}

/// The verdict on a parsed error code. `service` is botocore's service name (`s3`, `sts`,
/// `dynamodb`...), which a few rules depend on.
pub fn classify_error_code(mode: RetryMode, service: &str, status: u16, code: &str) -> RetryKind {
    match mode {
        RetryMode::Standard | RetryMode::Adaptive => {
            if THROTTLING_ERROR_CODES.contains(&code) {
                RetryKind::Throttling
            } else if TRANSIENT_ERROR_CODES.contains(&code)
                || (service == "sts" && code == "IDPCommunicationError")
            {
                RetryKind::Transient
            } else {
                RetryKind::NotRetryable
            }
        }
        RetryMode::Legacy => {
            let hit = LEGACY_ERROR_RULES
                .iter()
                .any(|(svc, c, s)| *c == code && *s == status && svc.is_none_or(|svc| svc == service));
            if !hit {
                RetryKind::NotRetryable
            } else if THROTTLING_ERROR_CODES.contains(&code) {
                RetryKind::Throttling
            } else {
                RetryKind::Transient
            }
        }
    }
}

/// The full verdict on a response: its status code, and its error code when the caller parsed
/// one. A service's modeled `retryable` errors can be added with [`RetryKind::or`].
pub fn classify(mode: RetryMode, service: &str, status: u16, error_code: Option<&str>) -> RetryKind {
    let by_status = classify_status(mode, status);
    match error_code {
        Some(code) => by_status.or(classify_error_code(mode, service, status, code)),
        None => by_status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RetryMode::*;

    #[test]
    fn standard_statuses() {
        for s in [500, 502, 503, 504] {
            assert_eq!(classify_status(Standard, s), RetryKind::Transient, "{s}");
            assert_eq!(classify_status(Adaptive, s), RetryKind::Transient, "{s}");
        }
        for s in [200, 301, 400, 403, 404, 429, 501, 509] {
            assert_eq!(classify_status(Standard, s), RetryKind::NotRetryable, "{s}");
        }
    }

    #[test]
    fn legacy_statuses() {
        assert_eq!(classify_status(Legacy, 429), RetryKind::Throttling);
        assert_eq!(classify_status(Legacy, 509), RetryKind::Transient);
        assert_eq!(classify_status(Legacy, 501), RetryKind::NotRetryable);
    }

    #[test]
    fn standard_codes() {
        for code in THROTTLING_ERROR_CODES {
            assert_eq!(classify(Standard, "s3", 400, Some(code)), RetryKind::Throttling, "{code}");
        }
        assert_eq!(classify(Standard, "s3", 400, Some("RequestTimeout")), RetryKind::Transient);
        assert_eq!(classify(Standard, "sts", 400, Some("IDPCommunicationError")), RetryKind::Transient);
        assert_eq!(classify(Standard, "iam", 400, Some("IDPCommunicationError")), RetryKind::NotRetryable);
        assert_eq!(classify(Standard, "s3", 403, Some("AccessDenied")), RetryKind::NotRetryable);
        assert_eq!(classify(Standard, "s3", 503, Some("SlowDown")), RetryKind::Throttling);
        assert_eq!(classify(Standard, "s3", 500, Some("InternalError")), RetryKind::Transient);
        assert_eq!(classify(Standard, "s3", 429, None), RetryKind::NotRetryable);
        assert_eq!(classify(Standard, "x", 429, Some("TooManyRequestsException")), RetryKind::Throttling);
    }

    #[test]
    fn legacy_codes_depend_on_service_and_status() {
        assert_eq!(classify(Legacy, "ec2", 503, Some("RequestLimitExceeded")), RetryKind::Throttling);
        assert_eq!(classify(Legacy, "ec2", 400, Some("RequestLimitExceeded")), RetryKind::NotRetryable);
        assert_eq!(classify(Legacy, "s3", 400, Some("RequestLimitExceeded")), RetryKind::NotRetryable);
        assert_eq!(classify(Legacy, "s3", 400, Some("BadDigest")), RetryKind::Transient);
        assert_eq!(classify(Legacy, "sqs", 400, Some("Throttling")), RetryKind::Throttling);
        assert_eq!(classify(Legacy, "sqs", 400, Some("SlowDown")), RetryKind::NotRetryable);
    }

    #[test]
    fn or_keeps_the_stronger() {
        use RetryKind::*;
        assert_eq!(NotRetryable.or(Transient), Transient);
        assert_eq!(Throttling.or(Transient), Throttling);
        assert_eq!(Transient.or(NotRetryable), Transient);
        assert!(!NotRetryable.is_retryable());
    }
}
