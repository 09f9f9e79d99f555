//! The parameters an endpoint rule set is evaluated with: built-ins from settings (region, FIPS,
//! dual-stack, `--endpoint-url`, S3 options), the operation's static context parameters, and the
//! input members marked as context parameters. Mirrors what the AWS CLI feeds its rule sets.

use nubo_endpoint::{Param, Params, RuleSet};
use nubo_model::{Operation, ServiceModel};
use serde_json::Value;

/// Settings that feed the rule sets' built-in parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointConfig {
    pub region: String,
    pub use_fips: bool,
    pub use_dualstack: bool,
    /// `--endpoint-url` or a configured endpoint URL.
    pub endpoint_url: Option<String>,
    /// S3 `addressing_style`: `auto` (default), `path` or `virtual`.
    pub s3_addressing_style: Option<String>,
    pub s3_accelerate: bool,
    pub s3_use_arn_region: Option<bool>,
    pub s3_disable_multiregion_access_points: bool,
    /// S3 `us_east_1_regional_endpoint`. Read, but like the AWS CLI v2 nubo ignores it: us-east-1
    /// always uses the regional `s3.us-east-1.amazonaws.com`; the region `aws-global` gives the
    /// global `s3.amazonaws.com`.
    pub s3_us_east_1_regional_endpoint: Option<String>,
    /// `sts_regional_endpoints` (`regional` by default).
    pub sts_regional_endpoints: Option<String>,
    pub account_id: Option<String>,
    pub account_id_endpoint_mode: Option<String>,
    /// Request compression (not an endpoint setting, but it travels with the per-call settings):
    /// `None` when `disable_request_compression` is set, else the smallest body worth compressing
    /// (`request_min_compression_size_bytes`).
    pub compression_min_size: Option<usize>,
    /// Flexible checksum settings (not an endpoint setting either; see [`crate::checksum`]).
    pub checksums: crate::checksum::Checksums,
    /// Auth scheme short names in order of preference (`auth_scheme_preference`, or `httpBearerAuth`
    /// first when an `AWS_BEARER_TOKEN_<NAME>` token is set), and where that came from.
    pub auth_scheme_preference: Vec<String>,
    pub auth_scheme_preference_source: String,
}

/// The AWS CLI's default `request_min_compression_size_bytes`.
pub const DEFAULT_COMPRESSION_MIN_SIZE: usize = 10240;

/// Regions whose STS calls go to the global endpoint when `sts_regional_endpoints = legacy`.
const LEGACY_GLOBAL_STS_REGIONS: [&str; 16] = [
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "aws-global",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

impl Default for EndpointConfig {
    fn default() -> Self {
        EndpointConfig {
            region: String::new(),
            use_fips: false,
            use_dualstack: false,
            endpoint_url: None,
            s3_addressing_style: None,
            s3_accelerate: false,
            s3_use_arn_region: None,
            s3_disable_multiregion_access_points: false,
            s3_us_east_1_regional_endpoint: None,
            sts_regional_endpoints: None,
            account_id: None,
            account_id_endpoint_mode: None,
            compression_min_size: Some(DEFAULT_COMPRESSION_MIN_SIZE),
            checksums: Default::default(),
            auth_scheme_preference: Vec::new(),
            auth_scheme_preference_source: String::new(),
        }
    }
}

impl EndpointConfig {
    fn force_path_style(&self) -> bool {
        let style = self.s3_addressing_style.as_deref();
        if self.s3_accelerate {
            false
        } else if self.endpoint_url.is_some() {
            style != Some("virtual")
        } else {
            style == Some("path")
        }
    }

    /// The value of one built-in, when nubo knows it.
    fn builtin(&self, name: &str) -> Option<Param> {
        let given = self.endpoint_url.is_some();
        Some(match name {
            "AWS::Region" => Param::String(self.region.clone()),
            "AWS::UseFIPS" => Param::Bool(!given && self.use_fips),
            "AWS::UseDualStack" => Param::Bool(!given && self.use_dualstack),
            "SDK::Endpoint" => Param::String(self.endpoint_url.clone()?),
            "AWS::STS::UseGlobalEndpoint" => Param::Bool(
                !given
                    && self.sts_regional_endpoints.as_deref() == Some("legacy")
                    && LEGACY_GLOBAL_STS_REGIONS.contains(&self.region.as_str()),
            ),
            // CLI v2 never asks for S3's global endpoint (v1 did, for us-east-1).
            "AWS::S3::UseGlobalEndpoint" => Param::Bool(false),
            "AWS::S3::Accelerate" => Param::Bool(self.s3_accelerate),
            "AWS::S3::ForcePathStyle" => Param::Bool(self.force_path_style()),
            "AWS::S3::UseArnRegion" => Param::Bool(self.s3_use_arn_region.unwrap_or(true)),
            "AWS::S3Control::UseArnRegion" => Param::Bool(self.s3_use_arn_region.unwrap_or(false)),
            "AWS::S3::DisableMultiRegionAccessPoints" => {
                Param::Bool(self.s3_disable_multiregion_access_points)
            }
            "AWS::Auth::AccountId" => Param::String(self.account_id.clone()?),
            "AWS::Auth::AccountIdEndpointMode" => Param::String(self.account_id_endpoint_mode.clone()?),
            _ => return None,
        })
    }
}

/// Builds the parameters for one call of `op` with `input`.
pub fn build(
    rule_set: &RuleSet,
    model: &ServiceModel,
    op: &Operation,
    input: &Value,
    cfg: &EndpointConfig,
) -> Params {
    let mut params = Params::new();
    for spec in rule_set.parameters() {
        if let Some(b) = spec.built_in.as_deref()
            && let Some(v) = cfg.builtin(b)
        {
            params.insert(spec.name.clone(), v);
        }
    }
    for (name, p) in &op.static_context_params {
        if let Some(v) = json_param(&p.value) {
            params.insert(name.clone(), v);
        }
    }
    if let Some(input_ref) = &op.input
        && let Ok(shape) = model.shape(&input_ref.shape)
    {
        for (member, r) in shape.members.iter() {
            if let (Some(cp), Some(v)) = (&r.context_param, input.get(member))
                && let Some(p) = json_param(v)
            {
                params.insert(cp.name.clone(), p);
            }
        }
    }
    if model.metadata.endpoint_prefix.as_deref() == Some("s3") {
        s3_adjust(&mut params, op, input);
    }
    params
}

/// Per-operation S3 addressing rules the AWS CLI applies on top of the settings.
fn s3_adjust(params: &mut Params, op: &Operation, input: &Value) {
    let bucket = input.get("Bucket").and_then(Value::as_str);
    let is_arn = bucket.is_some_and(|b| b.starts_with("arn:"));
    if op.name == "GetBucketLocation" {
        params.insert("ForcePathStyle".into(), Param::Bool(true));
    } else if is_arn {
        params.insert("ForcePathStyle".into(), Param::Bool(false));
    }
}

fn json_param(v: &Value) -> Option<Param> {
    match v {
        Value::String(s) => Some(Param::String(s.clone())),
        Value::Bool(b) => Some(Param::Bool(*b)),
        Value::Array(items) => {
            Some(Param::StringArray(items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_style_with_a_custom_endpoint() {
        let mut c = EndpointConfig { region: "us-east-1".into(), ..Default::default() };
        assert!(!c.force_path_style());
        c.endpoint_url = Some("http://127.0.0.1:9000".into());
        assert!(c.force_path_style());
        c.s3_addressing_style = Some("virtual".into());
        assert!(!c.force_path_style());
        assert_eq!(c.builtin("AWS::UseFIPS"), Some(Param::Bool(false)));
        assert_eq!(c.builtin("Unknown::Thing"), None);
        // us-east-1 is regional, whatever `us_east_1_regional_endpoint` says, as in CLI v2.
        c.s3_us_east_1_regional_endpoint = Some("legacy".into());
        assert_eq!(c.builtin("AWS::S3::UseGlobalEndpoint"), Some(Param::Bool(false)));
    }
}
