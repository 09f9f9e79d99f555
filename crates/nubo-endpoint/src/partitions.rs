//! The partitions document (`partitions.json`) and `aws.partition`: which partition a region belongs to,
//! by explicit region list first and by the partition's region pattern second.

use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Map, Value};

use crate::error::EndpointError;
use crate::python::py_type;

/// The parsed partitions document.
#[derive(Debug)]
pub struct Partitions {
    partitions: Vec<Partition>,
}

#[derive(Debug)]
struct Partition {
    id: String,
    region_regex: String,
    /// Compiled on first use: most look-ups are answered by the explicit region list.
    compiled: OnceLock<Result<Regex, String>>,
    regions: Vec<String>,
    /// The partition's `outputs` with `name` set to its id: what `aws.partition` returns.
    outputs: Value,
}

impl Partitions {
    /// Parses the text of `partitions.json`.
    pub fn from_json(bytes: &[u8]) -> Result<Partitions, EndpointError> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| EndpointError::Parse(format!("partitions: {e}")))?;
        Partitions::from_value(&value)
    }

    /// Reads an already parsed partitions document.
    pub fn from_value(value: &Value) -> Result<Partitions, EndpointError> {
        let bad = |why: &str| EndpointError::Parse(format!("partitions: {why}"));
        let list =
            value.get("partitions").and_then(Value::as_array).ok_or_else(|| bad("no `partitions` list"))?;
        if list.is_empty() {
            return Err(bad("empty `partitions` list"));
        }
        let mut partitions = Vec::with_capacity(list.len());
        for p in list {
            let id = p.get("id").and_then(Value::as_str).ok_or_else(|| bad("a partition has no `id`"))?;
            let region_regex = p
                .get("regionRegex")
                .and_then(Value::as_str)
                .ok_or_else(|| bad(&format!("partition {id} has no `regionRegex`")))?;
            let regions = match p.get("regions") {
                Some(Value::Object(r)) => r.keys().cloned().collect(),
                None => Vec::new(),
                Some(_) => return Err(bad(&format!("partition {id}: `regions` is not an object"))),
            };
            let mut outputs: Map<String, Value> = match p.get("outputs") {
                Some(Value::Object(o)) => o.clone(),
                _ => return Err(bad(&format!("partition {id} has no `outputs`"))),
            };
            outputs.insert("name".into(), Value::String(id.to_owned()));
            partitions.push(Partition {
                id: id.to_owned(),
                region_regex: region_regex.to_owned(),
                compiled: OnceLock::new(),
                regions,
                outputs: Value::Object(outputs),
            });
        }
        Ok(Partitions { partitions })
    }

    /// The ids of the partitions, in document order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.partitions.iter().map(|p| p.id.as_str())
    }

    /// The outputs of the partition that `region` belongs to (`name`, `dnsSuffix`, `supportsFIPS`, ...);
    /// the first partition when none matches.
    pub fn partition_of(&self, region: &str) -> Result<&Value, EndpointError> {
        for p in &self.partitions {
            if p.regions.iter().any(|r| r == region) || p.matches(region)? {
                return Ok(&p.outputs);
            }
        }
        Ok(&self.partitions[0].outputs)
    }

    /// `aws.partition(value)`: `None` in gives the first partition, as in botocore.
    pub(crate) fn call(&self, value: &Value) -> Result<Value, EndpointError> {
        match value {
            Value::Null => Ok(self.partitions[0].outputs.clone()),
            Value::String(region) => self.partition_of(region).cloned(),
            other => Err(EndpointError::Invalid(format!(
                "aws.partition: region must be a string, not {}",
                py_type(other)
            ))),
        }
    }
}

impl Partition {
    fn matches(&self, region: &str) -> Result<bool, EndpointError> {
        let re = self
            .compiled
            .get_or_init(|| Regex::new(&self.region_regex).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| EndpointError::Invalid(format!("partition {}: bad regionRegex: {e}", self.id)))?;
        // Python's `$` also matches before one final newline.
        Ok(re.is_match(region) || region.strip_suffix('\n').is_some_and(|r| re.is_match(r)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Partitions {
        Partitions::from_value(&json!({"partitions": [
            {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
             "regions": {"aws-global": {}, "us-east-1": {}},
             "outputs": {"dnsSuffix": "amazonaws.com", "name": "aws", "supportsFIPS": true}},
            {"id": "aws-cn", "regionRegex": "^cn\\-\\w+\\-\\d+$", "regions": {"aws-cn-global": {}},
             "outputs": {"dnsSuffix": "amazonaws.com.cn", "name": "x", "supportsFIPS": true}}
        ]}))
        .unwrap()
    }

    #[test]
    fn matches_by_list_then_pattern() {
        let p = sample();
        assert_eq!(p.ids().collect::<Vec<_>>(), ["aws", "aws-cn"]);
        assert_eq!(p.partition_of("us-east-1").unwrap()["name"], json!("aws"));
        assert_eq!(p.partition_of("eu-west-9").unwrap()["name"], json!("aws"));
        assert_eq!(p.partition_of("aws-cn-global").unwrap()["name"], json!("aws-cn"));
        assert_eq!(p.partition_of("cn-north-1").unwrap()["dnsSuffix"], json!("amazonaws.com.cn"));
        // The id wins over any `name` in the outputs.
        assert_eq!(p.partition_of("cn-north-1").unwrap()["name"], json!("aws-cn"));
        // No match: the first partition.
        assert_eq!(p.partition_of("mars-east-1").unwrap()["name"], json!("aws"));
        assert_eq!(p.call(&json!(null)).unwrap()["name"], json!("aws"));
        assert!(p.call(&json!(true)).is_err());
    }

    #[test]
    fn rejects_bad_documents() {
        assert!(Partitions::from_json(b"{}").is_err());
        assert!(Partitions::from_json(br#"{"partitions": []}"#).is_err());
        assert!(Partitions::from_json(br#"{"partitions": [{"id": "a"}]}"#).is_err());
        let bad_regex = Partitions::from_value(&json!({"partitions": [
            {"id": "a", "regionRegex": "(", "outputs": {}}]}))
        .unwrap();
        assert!(bad_regex.partition_of("x").is_err());
    }
}
