//! The signing service and region read from an AWS host name, so that `nubo curl URL` needs no
//! `--service` for `sqs.eu-west-1.amazonaws.com`, `bucket.s3.us-west-2.amazonaws.com`,
//! `id.execute-api.us-east-1.amazonaws.com`, `id.lambda-url.us-east-1.on.aws`, `x.us-west-2.es.amazonaws.com`
//! and the like.
//!
//! AWS host names take a few shapes: `<prefix>.<region>.<suffix>` (most services, where the prefix
//! may hold a resource label such as a bucket or an API id), `<resource>.<region>.<service>.<suffix>`
//! (OpenSearch, OpenSearch Serverless, Neptune, …), `<prefix>.<region>.vpce.<suffix>` (interface
//! endpoints) and `<prefix>.<suffix>` for the global endpoints (`iam.amazonaws.com`, `s3.amazonaws.com`).
//! The endpoint prefix is then mapped to the signing name where the two differ (`email` → `ses`).

/// What a host name tells: the signing name and the region, each when known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Inferred {
    pub service: Option<String>,
    pub region: Option<String>,
}

/// The AWS DNS suffixes and the region a global endpoint under each signs for.
const SUFFIXES: &[(&str, Option<&str>)] = &[
    ("amazonaws.com.cn", Some("cn-north-1")),
    ("api.amazonwebservices.com.cn", None),
    ("amazonaws.com", Some("us-east-1")),
    ("api.aws", None),
    ("on.aws", None),
    ("c2s.ic.gov", Some("us-iso-east-1")),
    ("sc2s.sgov.gov", Some("us-isob-east-1")),
    ("cloud.adc-e.uk", Some("eu-isoe-west-1")),
    ("csp.hci.ic.gov", Some("us-isof-south-1")),
    ("amazonaws.eu", Some("eusc-de-east-1")),
];

/// Labels that follow the region and name the service (`<resource>.<region>.<label>.<suffix>`).
const AFTER_REGION: &[(&str, &str)] = &[
    ("es", "es"),
    ("aoss", "aoss"),
    ("osis", "osis"),
    ("cloudsearch", "cloudsearch"),
    ("neptune", "neptune-db"),
];

/// Endpoint prefixes whose signing name differs (from the service models' metadata), plus the
/// host shapes of data planes that have no model of their own.
const SIGNING_NAMES: &[(&str, &str)] = &[
    ("a2i-runtime.sagemaker", "sagemaker"),
    ("admin.wickr", "wickr"),
    ("agreement-marketplace", "aws-marketplace"),
    ("api.detective", "detective"),
    ("api.ecr", "ecr"),
    ("api.ecr-public", "ecr-public"),
    ("api.iotdeviceadvisor", "iotdeviceadvisor"),
    ("api.iotmanagedintegrations", "iotmanagedintegrations"),
    ("api.iotwireless", "iotwireless"),
    ("api.mediatailor", "mediatailor"),
    ("api.pricing", "pricing"),
    ("api.sagemaker", "sagemaker"),
    ("api.tunneling.iot", "IoTSecuredTunneling"),
    ("appconfigdata", "appconfig"),
    ("appstream2", "appstream"),
    ("appsync-api", "appsync"),
    ("bedrock-agent", "bedrock"),
    ("bedrock-agent-runtime", "bedrock"),
    ("bedrock-agentcore-control", "bedrock-agentcore"),
    ("bedrock-data-automation", "bedrock"),
    ("bedrock-data-automation-runtime", "bedrock"),
    ("bedrock-runtime", "bedrock"),
    ("cassandra-streams", "cassandra"),
    ("catalog.marketplace", "aws-marketplace"),
    ("cloudhsmv2", "cloudhsm"),
    ("cloudsearchdomain", "cloudsearch"),
    ("contact-lens", "connect"),
    ("controlplane.payment-cryptography", "payment-cryptography"),
    ("data-ats.iot", "iotdata"),
    ("data-signer", "signer"),
    ("data.iotevents", "ioteventsdata"),
    ("data.jobs.iot", "iot-jobs-data"),
    ("data.mediastore", "mediastore"),
    ("data.qapps", "qapps"),
    ("dataplane.payment-cryptography", "payment-cryptography"),
    ("deployment-marketplace", "aws-marketplace"),
    ("discovery-marketplace", "aws-marketplace"),
    ("edge.sagemaker", "sagemaker"),
    ("email", "ses"),
    ("entitlement.marketplace", "aws-marketplace"),
    ("featurestore-runtime.sagemaker", "sagemaker"),
    ("forecastquery", "forecast"),
    ("identity-chime", "chime"),
    ("ingest.timestream", "timestream"),
    ("ivsrealtime", "ivs"),
    ("lambda-url", "lambda"),
    ("mail-manager", "ses"),
    ("media-pipelines-chime", "chime"),
    ("meetings-chime", "chime"),
    ("memory-db", "memorydb"),
    ("messaging-chime", "chime"),
    ("metering.marketplace", "aws-marketplace"),
    ("metrics.sagemaker", "sagemaker"),
    ("migrationhub-config", "mgh"),
    ("models-v2-lex", "lex"),
    ("models.lex", "lex"),
    ("oidc", "sso-oauth"),
    ("participant.connect", "execute-api"),
    ("personalize-events", "personalize"),
    ("personalize-runtime", "personalize"),
    ("pinpoint", "mobiletargeting"),
    ("portal.sso", "awsssoportal"),
    ("query.timestream", "timestream"),
    ("reporting-marketplace", "aws-marketplace"),
    ("runtime-v2-lex", "lex"),
    ("runtime.lex", "lex"),
    ("runtime.sagemaker", "sagemaker"),
    ("servicecatalog-appregistry", "servicecatalog"),
    ("sms-voice.pinpoint", "sms-voice"),
    ("streams.dynamodb", "dynamodb"),
    ("voice-chime", "chime"),
];

/// Whether `s` looks like a region name (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`).
pub fn is_region(s: &str) -> bool {
    let Some((head, number)) = s.rsplit_once('-') else {
        return false;
    };
    if number.is_empty() || number.len() > 2 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let mut parts = head.split('-');
    let first_ok =
        parts.next().is_some_and(|p| (2..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase()));
    let mut rest = 0;
    for p in parts {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_lowercase()) {
            return false;
        }
        rest += 1;
    }
    first_ok && rest >= 1
}

/// The service and region a host name implies (host without port; any case).
pub fn infer(host: &str) -> Inferred {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let Some((labels, global_region)) = split_suffix(&host) else {
        return Inferred::default();
    };
    let n = labels.len();
    if n == 0 {
        return Inferred::default();
    }
    let last = labels[n - 1];
    // `<resource>.<region>.<service>`: OpenSearch and friends.
    if n >= 2
        && is_region(labels[n - 2])
        && let Some((_, service)) = AFTER_REGION.iter().find(|(label, _)| *label == last)
    {
        return known(service, Some(labels[n - 2]));
    }
    // `<prefix>.<region>.vpce`: an interface endpoint, named like the service's own host.
    if last == "vpce" && n >= 2 && is_region(labels[n - 2]) {
        return from_prefix(&labels[..n - 2], Some(labels[n - 2].to_string()));
    }
    if is_region(last) {
        return from_prefix(&labels[..n - 1], Some(last.to_string()));
    }
    if last == "us-gov" {
        return from_prefix(&labels[..n - 1], Some("us-gov-west-1".into()));
    }
    // A global endpoint (`iam.amazonaws.com`), or S3's older forms (`s3-us-west-2.amazonaws.com`).
    let mut found = from_prefix(&labels, None);
    if found.region.is_none() && found.service.is_some() && !is_accelerate(&labels) {
        found.region = global_region.map(str::to_string);
    }
    found
}

fn known(service: &str, region: Option<&str>) -> Inferred {
    Inferred { service: Some(service.to_string()), region: region.map(str::to_string) }
}

/// The labels in front of a known AWS suffix, and the suffix's global region.
fn split_suffix(host: &str) -> Option<(Vec<&str>, Option<&'static str>)> {
    for (suffix, region) in SUFFIXES {
        if let Some(front) = host.strip_suffix(suffix).and_then(|f| f.strip_suffix('.')) {
            if front.is_empty() {
                return None;
            }
            return Some((front.split('.').collect(), *region));
        }
    }
    None
}

fn is_accelerate(labels: &[&str]) -> bool {
    labels.iter().any(|l| l.starts_with("s3-accelerate"))
}

/// The service from the labels in front of the region (`bucket.s3`, `api.ecr`, `id.execute-api`).
fn from_prefix(labels: &[&str], region: Option<String>) -> Inferred {
    let labels: Vec<&str> = labels.iter().copied().filter(|l| !matches!(*l, "dualstack" | "fips")).collect();
    let Some(&last) = labels.last() else {
        return Inferred { service: None, region };
    };
    // Endpoint prefixes of up to three labels (`api.tunneling.iot`).
    for take in (2..=3).rev() {
        if labels.len() >= take {
            let joined = labels[labels.len() - take..].join(".");
            if let Some(name) = signing_name(&joined) {
                return Inferred { service: Some(name.to_string()), region };
            }
        }
    }
    // `<endpoint>-ats.iot`: the IoT data plane of one account.
    if last == "iot" && labels.len() >= 2 && labels[labels.len() - 2].ends_with("-ats") {
        return Inferred { service: Some("iotdata".into()), region };
    }
    if last == "s3" || last.starts_with("s3-") || last.starts_with("s3express") {
        return s3_label(last, region);
    }
    let base = last.strip_suffix("-fips").unwrap_or(last);
    if base.is_empty() || !base.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Inferred { service: None, region };
    }
    let service = signing_name(base).unwrap_or(base).to_string();
    Inferred { service: Some(service), region }
}

fn signing_name(prefix: &str) -> Option<&'static str> {
    SIGNING_NAMES.iter().find(|(p, _)| *p == prefix).map(|(_, name)| *name)
}

/// S3's many host labels: `s3`, `s3-fips`, `s3-accelerate`, `s3-accesspoint`, `s3-control`,
/// `s3-object-lambda`, `s3-outposts`, `s3express-…`, and the older `s3-<region>`, `s3-external-1`.
fn s3_label(label: &str, region: Option<String>) -> Inferred {
    let s3 = |service: &str, region: Option<String>| Inferred { service: Some(service.into()), region };
    if label.starts_with("s3express") {
        return s3("s3express", region);
    }
    if label.starts_with("s3-object-lambda") {
        return s3("s3-object-lambda", region);
    }
    if label.starts_with("s3-outposts") {
        return s3("s3-outposts", region);
    }
    if label == "s3-external-1" {
        return s3("s3", region.or_else(|| Some("us-east-1".into())));
    }
    let rest = label.strip_prefix("s3-").unwrap_or("");
    let rest = rest.strip_prefix("website-").or_else(|| rest.strip_prefix("fips-")).unwrap_or(rest);
    if region.is_none() && is_region(rest) {
        return s3("s3", Some(rest.to_string()));
    }
    s3("s3", region)
}

/// Services signed with S3's rules (single URI encoding, `x-amz-content-sha256`).
pub fn uses_s3_rules(service: &str) -> bool {
    matches!(service, "s3" | "s3-object-lambda" | "s3-outposts" | "s3express")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(host: &str, service: Option<&str>, region: Option<&str>) {
        let got = infer(host);
        assert_eq!((got.service.as_deref(), got.region.as_deref()), (service, region), "host {host}");
    }

    #[test]
    fn regional_endpoints() {
        check("sqs.eu-west-1.amazonaws.com", Some("sqs"), Some("eu-west-1"));
        check("ec2.us-east-1.amazonaws.com", Some("ec2"), Some("us-east-1"));
        check("dynamodb.ap-southeast-2.amazonaws.com", Some("dynamodb"), Some("ap-southeast-2"));
        check("sts.us-gov-west-1.amazonaws.com", Some("sts"), Some("us-gov-west-1"));
        check("ec2.cn-north-1.amazonaws.com.cn", Some("ec2"), Some("cn-north-1"));
        check("SQS.EU-WEST-1.AMAZONAWS.COM.", Some("sqs"), Some("eu-west-1"));
        check("monitoring.us-west-2.amazonaws.com", Some("monitoring"), Some("us-west-2"));
        check("logs.eu-central-2.amazonaws.com", Some("logs"), Some("eu-central-2"));
        check("ec2.us-iso-east-1.c2s.ic.gov", Some("ec2"), Some("us-iso-east-1"));
        check("sqs.eusc-de-east-1.amazonaws.eu", Some("sqs"), Some("eusc-de-east-1"));
    }

    #[test]
    fn signing_names_differ_from_prefixes() {
        check("email.us-east-1.amazonaws.com", Some("ses"), Some("us-east-1"));
        check("api.ecr.eu-west-1.amazonaws.com", Some("ecr"), Some("eu-west-1"));
        check("runtime.sagemaker.us-east-1.amazonaws.com", Some("sagemaker"), Some("us-east-1"));
        check("bedrock-runtime.us-west-2.amazonaws.com", Some("bedrock"), Some("us-west-2"));
        check("streams.dynamodb.us-east-1.amazonaws.com", Some("dynamodb"), Some("us-east-1"));
        check("api.tunneling.iot.us-east-1.amazonaws.com", Some("IoTSecuredTunneling"), Some("us-east-1"));
        check("a1b2c3-ats.iot.eu-west-1.amazonaws.com", Some("iotdata"), Some("eu-west-1"));
        check("abc.appsync-api.us-east-1.amazonaws.com", Some("appsync"), Some("us-east-1"));
        check("portal.sso.us-east-1.amazonaws.com", Some("awsssoportal"), Some("us-east-1"));
    }

    #[test]
    fn fips_and_dualstack() {
        check("sqs-fips.us-east-1.amazonaws.com", Some("sqs"), Some("us-east-1"));
        check("sqs.us-east-1.api.aws", Some("sqs"), Some("us-east-1"));
        check("dynamodb-fips.us-gov-west-1.amazonaws.com", Some("dynamodb"), Some("us-gov-west-1"));
        check("s3.dualstack.eu-west-1.amazonaws.com", Some("s3"), Some("eu-west-1"));
        check("s3-fips.dualstack.us-east-2.amazonaws.com", Some("s3"), Some("us-east-2"));
        check("ec2.cn-northwest-1.api.amazonwebservices.com.cn", Some("ec2"), Some("cn-northwest-1"));
    }

    #[test]
    fn global_endpoints() {
        check("iam.amazonaws.com", Some("iam"), Some("us-east-1"));
        check("sts.amazonaws.com", Some("sts"), Some("us-east-1"));
        check("route53.amazonaws.com", Some("route53"), Some("us-east-1"));
        check("cloudfront.amazonaws.com", Some("cloudfront"), Some("us-east-1"));
        check("iam.us-gov.amazonaws.com", Some("iam"), Some("us-gov-west-1"));
        check("iam.amazonaws.com.cn", Some("iam"), Some("cn-north-1"));
    }

    #[test]
    fn s3_hosts() {
        check("s3.amazonaws.com", Some("s3"), Some("us-east-1"));
        check("bucket.s3.amazonaws.com", Some("s3"), Some("us-east-1"));
        check("bucket.s3.us-west-2.amazonaws.com", Some("s3"), Some("us-west-2"));
        check("my.dotted.bucket.s3.eu-west-1.amazonaws.com", Some("s3"), Some("eu-west-1"));
        check("us-west-2.s3.amazonaws.com", Some("s3"), Some("us-east-1"));
        check("s3-us-west-2.amazonaws.com", Some("s3"), Some("us-west-2"));
        check("bucket.s3-eu-west-1.amazonaws.com", Some("s3"), Some("eu-west-1"));
        check("s3-external-1.amazonaws.com", Some("s3"), Some("us-east-1"));
        check("bucket.s3-accelerate.amazonaws.com", Some("s3"), None);
        check("bucket.s3-accelerate.dualstack.amazonaws.com", Some("s3"), None);
        check("ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com", Some("s3"), Some("us-west-2"));
        check("123456789012.s3-control.us-west-2.amazonaws.com", Some("s3"), Some("us-west-2"));
        check(
            "ol-123456789012.s3-object-lambda.us-east-1.amazonaws.com",
            Some("s3-object-lambda"),
            Some("us-east-1"),
        );
        check(
            "bucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com",
            Some("s3express"),
            Some("us-west-2"),
        );
        check("bucket.s3.cn-north-1.amazonaws.com.cn", Some("s3"), Some("cn-north-1"));
        check("bucket.s3-website-us-east-1.amazonaws.com", Some("s3"), Some("us-east-1"));
        assert!(uses_s3_rules("s3"));
        assert!(uses_s3_rules("s3-object-lambda"));
        assert!(!uses_s3_rules("sqs"));
    }

    #[test]
    fn api_gateway_lambda_and_search() {
        check("abc123.execute-api.us-east-1.amazonaws.com", Some("execute-api"), Some("us-east-1"));
        check(
            "abc-vpce-0123.execute-api.eu-west-1.vpce.amazonaws.com",
            Some("execute-api"),
            Some("eu-west-1"),
        );
        check("vpce-0123-abcd.sqs.us-east-1.vpce.amazonaws.com", Some("sqs"), Some("us-east-1"));
        check("abcdefghij.lambda-url.us-east-1.on.aws", Some("lambda"), Some("us-east-1"));
        check("lambda.us-east-1.amazonaws.com", Some("lambda"), Some("us-east-1"));
        check("search-mydomain-abc123.us-west-2.es.amazonaws.com", Some("es"), Some("us-west-2"));
        check("vpc-mydomain-abc123.eu-west-1.es.amazonaws.com", Some("es"), Some("eu-west-1"));
        check("abc123xyz.us-east-1.aoss.amazonaws.com", Some("aoss"), Some("us-east-1"));
        check("my-pipeline-abc.us-east-1.osis.amazonaws.com", Some("osis"), Some("us-east-1"));
        check("db.cluster-abc.us-east-1.neptune.amazonaws.com", Some("neptune-db"), Some("us-east-1"));
    }

    #[test]
    fn not_aws() {
        check("localhost", None, None);
        check("127.0.0.1", None, None);
        check("example.com", None, None);
        check("amazonaws.com", None, None);
        check("notamazonaws.com", None, None);
        check("", None, None);
        check("[::1]", None, None);
        check("x.elb.us-east-1.on", None, None);
        // A region but no service label.
        check("us-east-1.amazonaws.com", None, Some("us-east-1"));
    }

    #[test]
    fn region_shapes() {
        for r in [
            "us-east-1",
            "us-gov-west-1",
            "us-iso-east-1",
            "eusc-de-east-1",
            "ap-southeast-7",
            "il-central-1",
        ] {
            assert!(is_region(r), "{r}");
        }
        for r in
            ["s3", "us-east", "s3-external-1", "execute-api", "us-east-123", "-east-1", "us--1", "x1-east-1"]
        {
            assert!(!is_region(r), "{r}");
        }
    }
}
