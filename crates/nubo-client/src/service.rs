//! A loaded service: its model, plus the endpoint rule set and paginators kept as raw JSON until a
//! command needs them.

use crate::error::ClientError;
use nubo_endpoint::{Partitions, RuleSet};
use nubo_model::{ServiceFiles, ServiceModel};

pub struct Service {
    /// The botocore service name (`s3`, `ec2`).
    pub name: String,
    pub model: ServiceModel,
    files: ServiceFiles,
}

impl Service {
    pub fn from_files(name: &str, mut files: ServiceFiles) -> Result<Service, ClientError> {
        let model = match &files.model_index {
            // The model text moves into the model; the service keeps only the other files.
            Some(index) => ServiceModel::from_indexed_json(std::mem::take(&mut files.service_2), index),
            None => ServiceModel::from_json(&files.service_2),
        }
        .map_err(|e| ClientError::Model(format!("{name}: {e}")))?;
        Ok(Service { name: name.to_string(), model, files })
    }

    /// The endpoint rule set, if the model came with one (every bundled service does; a model added
    /// with `configure add-model` may not).
    pub fn has_rule_set(&self) -> bool {
        self.files.endpoint_rule_set.is_some()
    }

    /// The endpoint rule set; every service in the bundle has one.
    pub fn rule_set(&self) -> Result<RuleSet, ClientError> {
        let bytes = self.files.endpoint_rule_set.as_deref().ok_or_else(|| {
            ClientError::Model(format!("{}: the model has no endpoint rule set", self.name))
        })?;
        RuleSet::from_json(bytes).map_err(|e| ClientError::Model(format!("{}: {e}", self.name)))
    }

    /// The raw `paginators-1.json`, when the service has one.
    pub fn paginators_json(&self) -> Option<&[u8]> {
        self.files.paginators.as_deref()
    }

    /// The raw `waiters-2.json`, when the service has one.
    pub fn waiters_json(&self) -> Option<&[u8]> {
        self.files.waiters.as_deref()
    }
}

/// The partitions from the bundle.
pub fn partitions() -> Result<Partitions, ClientError> {
    Partitions::from_json(&nubo_model::bundle::partitions()).map_err(|e| ClientError::Model(e.to_string()))
}
