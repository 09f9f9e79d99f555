//! Auth scheme resolution, as the AWS SDKs do it: the operation's `auth` list (or its legacy
//! `authtype`), else the service's `auth` list (or its `signatureVersion`), reordered by the
//! preference (`auth_scheme_preference`, or a bearer token in `AWS_BEARER_TOKEN_<NAME>`); the first
//! scheme nubo supports wins. A SigV4-family choice then takes the endpoint's `authSchemes` property
//! (the first supported entry: `sigv4`, `sigv4a` or `sigv4-s3express`, with its signing name, region
//! or region set, and its double-encoding and normalisation flags). `--no-sign-request` and
//! `smithy.api#noAuth` leave the request unsigned. Every resolution carries a one-line reason, which
//! `--debug`, `--show-request` and `nubo sign` print.
//!
//! [`sign`] applies the non-SigV4 schemes (bearer, SigV2) and the S3 Express session token.

mod sign;

pub use sign::{S3_SESSION_TOKEN_HEADER, apply, bearer_credentials, sign_other, sigv4_identity};

use crate::error::ClientError;
use nubo_model::{Operation, ServiceModel};
use serde_json::{Map, Value};

/// The parameters of a SigV4-family signature.
#[derive(Debug, Clone, PartialEq)]
pub struct SigV4Params {
    pub signing_name: String,
    /// The region, or for SigV4a the region set (`us-east-1,us-west-2`, `*`).
    pub signing_region: String,
    /// S3's rules: single URI encoding, no path normalisation, `x-amz-content-sha256`.
    pub s3_rules: bool,
    /// The model says the body is not signed (`v4-unsigned-body`, `unsignedPayload`): the
    /// signature covers `UNSIGNED-PAYLOAD`, announced in `X-Amz-Content-SHA256`.
    pub unsigned_payload: bool,
    /// The endpoint's `disableDoubleEncoding`.
    pub disable_double_encoding: bool,
    /// The endpoint's `disableNormalizePath`.
    pub disable_normalize_path: bool,
}

/// How a request is authenticated.
#[derive(Debug, Clone, PartialEq)]
pub enum Auth {
    /// Not signed (`--no-sign-request`, or an operation the model marks as anonymous).
    Anonymous,
    SigV4(SigV4Params),
    /// SigV4a (ECDSA), for a region set: Multi-Region Access Points, global endpoints.
    SigV4a(SigV4Params),
    /// S3 Express One Zone: SigV4 with the credentials of a `CreateSession` on `bucket`, whose token
    /// goes in `x-amz-s3session-token`.
    S3Express {
        params: SigV4Params,
        bucket: String,
    },
    /// `Authorization: Bearer <token>` (SSO token, or `AWS_BEARER_TOKEN_<NAME>`).
    Bearer {
        signing_name: String,
    },
    /// Signature Version 2 (`sdb`).
    SigV2,
}

impl Auth {
    /// The SigV4-family parameters, for the schemes that have them.
    pub fn sigv4(&self) -> Option<&SigV4Params> {
        match self {
            Auth::SigV4(p) | Auth::SigV4a(p) | Auth::S3Express { params: p, .. } => Some(p),
            _ => None,
        }
    }

    /// True when the request is signed with the credential chain's keys (directly, or through an
    /// S3 Express session made with them).
    pub fn uses_aws_credentials(&self) -> bool {
        !matches!(self, Auth::Anonymous | Auth::Bearer { .. })
    }

    /// The scheme's short name, as the endpoint rules and `auth_scheme_preference` spell it.
    pub fn name(&self) -> &'static str {
        match self {
            Auth::Anonymous => "none",
            Auth::SigV4(_) => "sigv4",
            Auth::SigV4a(_) => "sigv4a",
            Auth::S3Express { .. } => "sigv4-s3express",
            Auth::Bearer { .. } => "bearer",
            Auth::SigV2 => "sigv2",
        }
    }
}

/// Why a scheme was chosen: where the list came from and what it held.
const SUPPORTED: &[&str] = &["sigv4", "sigv4a", "httpBearerAuth", "noAuth", "sigv2"];
const ENDPOINT_SUPPORTED: &[&str] = &["sigv4", "sigv4a", "sigv4-s3express"];

/// The model's list of scheme ids for `op`, and where it came from.
fn model_schemes(model: &ServiceModel, op: &Operation) -> (Vec<String>, String) {
    if !op.auth.is_empty() {
        return (op.auth.clone(), format!("operation {} auth", op.name));
    }
    let legacy = |t: &str| -> Option<&'static str> {
        Some(match t {
            "none" => "smithy.api#noAuth",
            "v4" | "v4-unsigned-body" | "s3" | "s3v4" => "aws.auth#sigv4",
            "v4a" => "aws.auth#sigv4a",
            "bearer" => "smithy.api#httpBearerAuth",
            "v2" => "aws.auth#sigv2",
            _ => return None,
        })
    };
    if let Some(t) = op.authtype.as_deref()
        && let Some(id) = legacy(t)
    {
        return (vec![id.to_string()], format!("operation {} authtype {t}", op.name));
    }
    if !model.metadata.auth.is_empty() {
        return (model.metadata.auth.clone(), "service auth".into());
    }
    let sv = model.metadata.signature_version.as_deref().unwrap_or("v4");
    let id = legacy(sv).unwrap_or("aws.auth#sigv4");
    (vec![id.to_string()], format!("service signatureVersion {sv}"))
}

/// `aws.auth#sigv4` → `sigv4`.
fn short(id: &str) -> &str {
    id.rsplit('#').next().unwrap_or(id)
}

/// What [`resolve`] needs besides the model.
pub struct AuthInput<'a> {
    pub region: &'a str,
    pub no_sign_request: bool,
    /// Scheme short names in order of preference (`auth_scheme_preference`, bearer tokens).
    pub preference: &'a [String],
    /// Where the preference came from, for the reason line.
    pub preference_source: &'a str,
    /// The operation's input (for the S3 Express bucket).
    pub input: &'a Value,
}

/// Resolves the scheme for `op` on an endpoint whose properties are `props`: the scheme and the
/// one-line reason.
pub fn resolve(
    model: &ServiceModel,
    op: &Operation,
    props: &Map<String, Value>,
    a: &AuthInput<'_>,
) -> Result<(Auth, String), ClientError> {
    if a.no_sign_request {
        return Ok((Auth::Anonymous, "auth: none because --no-sign-request".into()));
    }
    let (mut list, source) = model_schemes(model, op);
    let listed = list.iter().map(|s| short(s)).collect::<Vec<_>>().join(", ");
    let mut why = format!("{source}: {listed}");
    if !a.preference.is_empty() {
        let before = list.clone();
        let mut ordered = Vec::new();
        for p in a.preference {
            if let Some(i) = list.iter().position(|s| short(s) == p) {
                ordered.push(list.remove(i));
            }
        }
        ordered.append(&mut list);
        list = ordered;
        if list != before {
            why.push_str(&format!("; reordered by {}", a.preference_source));
        }
    }
    let chosen = list
        .iter()
        .map(|s| short(s))
        .find(|s| SUPPORTED.contains(s))
        .ok_or_else(|| ClientError::Sign(format!("no supported auth scheme among {listed}")))?;
    let signing_name = model.signing_name().to_string();
    let unsigned_payload = op.authtype.as_deref() == Some("v4-unsigned-body") || op.unsigned_payload;
    let mut params = SigV4Params {
        s3_rules: is_s3_family(&signing_name),
        signing_name,
        signing_region: a.region.to_string(),
        unsigned_payload,
        disable_double_encoding: false,
        disable_normalize_path: false,
    };
    let auth = match chosen {
        "noAuth" => return Ok((Auth::Anonymous, format!("auth: none because {why}"))),
        "httpBearerAuth" => {
            let auth = Auth::Bearer { signing_name: params.signing_name };
            return Ok((auth, format!("auth: bearer (signing name {}) because {why}", model.signing_name())));
        }
        "sigv4a" => Auth::SigV4a(params.clone()),
        "sigv2" => Auth::SigV2,
        _ => Auth::SigV4(params.clone()),
    };
    // The endpoint's schemes win over a signing model's choice (botocore: ImportExport's v2 model
    // is signed with SigV4 as its rule set says).
    let Some(schemes) = props.get("authSchemes").and_then(Value::as_array).filter(|s| !s.is_empty()) else {
        if auth == Auth::SigV2 {
            return Ok((Auth::SigV2, format!("auth: sigv2 because {why}")));
        }
        return Ok(described(auth, &why));
    };
    let names: Vec<&str> = schemes.iter().filter_map(|s| s.get("name").and_then(Value::as_str)).collect();
    let scheme = schemes
        .iter()
        .find(|s| s.get("name").and_then(Value::as_str).is_some_and(|n| ENDPOINT_SUPPORTED.contains(&n)))
        .ok_or_else(|| {
            ClientError::Sign(format!(
                "none of the endpoint's auth schemes ({}) is supported",
                names.join(", ")
            ))
        })?;
    let name = scheme.get("name").and_then(Value::as_str).unwrap_or("sigv4");
    if let Some(n) = scheme.get("signingName").and_then(Value::as_str) {
        params.signing_name = n.to_string();
        params.s3_rules = is_s3_family(n);
    }
    if let Some(r) = scheme.get("signingRegion").and_then(Value::as_str) {
        params.signing_region = r.to_string();
    } else if let Some(set) = scheme.get("signingRegionSet").and_then(Value::as_array)
        && !set.is_empty()
    {
        let set: Vec<&str> = set.iter().filter_map(Value::as_str).collect();
        params.signing_region = set.join(",");
    }
    let flag = |k: &str| scheme.get(k).and_then(Value::as_bool).unwrap_or(false);
    params.disable_double_encoding = flag("disableDoubleEncoding");
    params.disable_normalize_path = flag("disableNormalizePath");
    why.push_str(&format!("; endpoint authSchemes: {}, first supported: {name}", names.join(", ")));
    let auth = match name {
        "sigv4a" => Auth::SigV4a(params),
        "sigv4-s3express" => {
            let bucket = a.input.get("Bucket").and_then(Value::as_str).unwrap_or_default().to_string();
            Auth::S3Express { params, bucket }
        }
        _ => Auth::SigV4(params),
    };
    Ok(described(auth, &why))
}

fn is_s3_family(name: &str) -> bool {
    matches!(name, "s3" | "s3-object-lambda" | "s3-outposts" | "s3express")
}

/// The scheme with its reason line: `auth: sigv4a (signing name s3, region set *): why`.
fn described(auth: Auth, why: &str) -> (Auth, String) {
    let detail = match &auth {
        Auth::SigV4(p) => format!("signing name {}, region {}", p.signing_name, p.signing_region),
        Auth::SigV4a(p) => format!("signing name {}, region set {}", p.signing_name, p.signing_region),
        Auth::S3Express { params: p, bucket } => {
            format!(
                "signing name {}, region {}, session of bucket {bucket}",
                p.signing_name, p.signing_region
            )
        }
        _ => String::new(),
    };
    let line = format!("auth: {} ({detail}) because {why}", auth.name());
    (auth, line)
}

#[cfg(test)]
mod tests;
