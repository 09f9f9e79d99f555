//! `nubo eks get-token`: the bearer token Kubernetes clients send to an EKS cluster, printed as an
//! `ExecCredential`. The token is `k8s-aws-v1.` and, base64url without padding, a presigned STS
//! `GetCallerIdentity` URL (GET, valid 60 seconds) with the cluster's name signed in as the
//! `x-k8s-aws-id` header; the credential says it expires in 14 minutes, before STS stops honouring it.

use super::{take_value, unknown_options};
use crate::error::{CliError, CliResult, exit};
use base64::Engine;
use nubo_client::Service;
use nubo_session::Session;
use nubo_session::presign::Presign;
use serde_json::{Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const TOKEN_PREFIX: &str = "k8s-aws-v1.";
const CLUSTER_HEADER: &str = "x-k8s-aws-id";
/// How long the presigned URL inside the token is valid.
const URL_EXPIRES_IN: u64 = 60;
/// When the credential says it expires, from the signing time.
const TOKEN_LIFETIME: Duration = Duration::from_secs(14 * 60);
/// The session name of `--role-arn`'s AssumeRole call.
const ROLE_SESSION_NAME: &str = "EKSGetTokenAuth";

const V1: &str = "client.authentication.k8s.io/v1";
const V1BETA1: &str = "client.authentication.k8s.io/v1beta1";
const V1ALPHA1: &str = "client.authentication.k8s.io/v1alpha1";

/// `nubo eks get-token --cluster-name C | --cluster-id I [--role-arn R]`.
pub fn eks_get_token(ctx: &Session, args: &[String]) -> CliResult<i32> {
    let mut args = args.to_vec();
    let cluster_name = take_value(&mut args, "--cluster-name")?;
    let cluster_id = take_value(&mut args, "--cluster-id")?;
    // `eks update-kubeconfig` writes `--role` (argparse takes it as an abbreviation of `--role-arn`).
    let role_arn = take_value(&mut args, "--role-arn")?.or(take_value(&mut args, "--role")?);
    if !args.is_empty() {
        return Err(unknown_options(&args));
    }
    let cluster = match (cluster_name, cluster_id) {
        (Some(_), Some(_)) => {
            return Err(CliError::Invalid("--cluster-name and --cluster-id cannot be given together".into()));
        }
        (Some(c), None) | (None, Some(c)) => c,
        (None, None) => {
            return Err(CliError::Usage(
                "Either parameter --cluster-name or --cluster-id must be specified.".into(),
            ));
        }
    };
    let api_version = api_version(ctx.env.get("KUBERNETES_EXEC_INFO").unwrap_or(""));
    let sts = ctx.service("sts")?;
    let op = sts
        .model
        .operations
        .get("GetCallerIdentity")
        .ok_or_else(|| CliError::Other("the sts model has no GetCallerIdentity operation".into()))?;
    let assumed = match &role_arn {
        Some(arn) => Some(assume_role(ctx, &sts, arn)?),
        None => None,
    };
    let p = Presign {
        service: &sts,
        op,
        input: &json!({}),
        method: Some("GET".into()),
        expires_in: URL_EXPIRES_IN,
        headers: vec![(CLUSTER_HEADER.into(), cluster)],
        credentials: assumed,
    };
    let url = ctx.presign(p)?;
    let token = format!("{TOKEN_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(url));
    let expires = rfc3339_seconds(ctx.signing_time()? + TOKEN_LIFETIME);
    let credential = json!({
        "kind": "ExecCredential",
        "apiVersion": api_version,
        "spec": {},
        "status": {"expirationTimestamp": expires, "token": token},
    });
    crate::print::print(ctx, &credential, "GetToken")?;
    // The AWS CLI ends the credential with a blank line.
    println!();
    Ok(exit::OK)
}

/// The `ExecCredential` API version the Kubernetes client asks for in `KUBERNETES_EXEC_INFO`;
/// v1beta1 when it asks for none or for one nubo does not know (with a note on standard error).
fn api_version(exec_info: &str) -> &'static str {
    if exec_info.is_empty() {
        return V1BETA1;
    }
    let Ok(info) = serde_json::from_str::<Value>(exec_info) else {
        eprintln!(
            "KUBERNETES_EXEC_INFO is not valid JSON; using {V1BETA1}. The Kubernetes client that set it likely has a bug: update it."
        );
        return V1BETA1;
    };
    match info.get("apiVersion").and_then(Value::as_str) {
        Some(V1) => V1,
        Some(V1BETA1) => V1BETA1,
        Some(V1ALPHA1) => {
            eprintln!(
                "The kubeconfig user entry uses the deprecated API version {V1ALPHA1}; run 'nubo eks update-kubeconfig' to update it."
            );
            V1ALPHA1
        }
        _ => {
            eprintln!("KUBERNETES_EXEC_INFO asks for an API version nubo does not know; using {V1BETA1}.");
            V1BETA1
        }
    }
}

/// The role's temporary keys, from STS AssumeRole signed with the chain's credentials.
fn assume_role(ctx: &Session, sts: &Service, role_arn: &str) -> CliResult<nubo_sign::Credentials> {
    let op = sts
        .model
        .operations
        .get("AssumeRole")
        .ok_or_else(|| CliError::Other("the sts model has no AssumeRole operation".into()))?;
    let input = json!({"RoleArn": role_arn, "RoleSessionName": ROLE_SESSION_NAME});
    let out = ctx.call(sts, op, &input)?;
    let c = &out.output["Credentials"];
    let field = |name: &str| {
        c.get(name)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| CliError::Other(format!("the AssumeRole response has no Credentials.{name}")))
    };
    Ok(nubo_sign::Credentials::new(
        field("AccessKeyId")?,
        field("SecretAccessKey")?,
        field("SessionToken").ok(),
    ))
}

/// `YYYY-MM-DDTHH:MM:SSZ` in UTC.
fn rfc3339_seconds(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339_seconds(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_735_689_600 + 14 * 60);
        assert_eq!(rfc3339_seconds(t), "2025-01-01T00:14:00Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400 + 86_399);
        assert_eq!(rfc3339_seconds(leap), "2000-02-29T23:59:59Z");
        let end = UNIX_EPOCH + Duration::from_secs(253_402_300_799);
        assert_eq!(rfc3339_seconds(end), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn api_versions() {
        assert_eq!(api_version(""), V1BETA1);
        assert_eq!(api_version(r#"{"apiVersion": "client.authentication.k8s.io/v1"}"#), V1);
        assert_eq!(api_version(r#"{"apiVersion": "client.authentication.k8s.io/v1alpha1"}"#), V1ALPHA1);
        assert_eq!(api_version(r#"{"apiVersion": "other"}"#), V1BETA1);
        assert_eq!(api_version("not json"), V1BETA1);
        assert_eq!(api_version("[1]"), V1BETA1);
    }
}
