//! The endpoint rule-set interpreter: evaluates a service's `endpoint-rule-set-1` document with the given
//! parameters against the partitions, and returns the URL, properties and headers (or the rule set's error).
//!
//! Hand-written because no Rust crate interprets botocore's `endpoint-rule-set-1` JSON at run time (the AWS
//! SDK for Rust compiles its rule sets into code ahead of time). Behaviour follows botocore's
//! `endpoint_provider`, down to its treatment of unset values and its error messages, so that the official
//! endpoint test suites pass as they do for botocore.
//!
//! ```
//! use nubo_endpoint::{Param, Params, Partitions, RuleSet, resolve};
//!
//! let rules = RuleSet::from_json(br#"{"version": "1.0",
//!     "parameters": {"Region": {"type": "String", "builtIn": "AWS::Region"}},
//!     "rules": [{"conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
//!                "endpoint": {"url": "https://svc.{Region}.{P#dnsSuffix}"}, "type": "endpoint"}]}"#).unwrap();
//! let partitions = Partitions::from_json(br#"{"partitions": [{"id": "aws", "regionRegex": "^us\\-\\w+\\-\\d+$",
//!     "regions": {}, "outputs": {"dnsSuffix": "amazonaws.com"}}]}"#).unwrap();
//! let params = Params::from([("Region".to_owned(), Param::from("us-west-2"))]);
//! let endpoint = resolve(&rules, &partitions, &params).unwrap();
//! assert_eq!(endpoint.url, "https://svc.us-west-2.amazonaws.com");
//! ```

mod aws;
mod endpoint;
mod error;
mod eval;
mod functions;
mod param;
mod partitions;
mod python;
mod ruleset;
mod template;
mod url;

pub use endpoint::Endpoint;
pub use error::EndpointError;
pub use eval::resolve;
pub use param::{Param, Params, params_from_json};
pub use partitions::Partitions;
pub use ruleset::{ParamType, ParameterSpec, RuleSet};
