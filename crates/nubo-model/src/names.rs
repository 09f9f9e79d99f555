//! The CLI's names: service command names (botocore's service directory names with the AWS CLI's
//! renames), the hidden aliases it keeps for old names, and the kebab-case form of operation, parameter
//! and waiter names that botocore's `xform_name(name, '-')` produces.
//!
//! Hand-written: the conversion must match botocore's two regular-expression passes and its table of
//! exceptions character for character, and the renames are the CLI's own decisions, so no crate does it.

/// Services whose CLI command is not their botocore name: (service, command).
const SERVICE_RENAMES: &[(&str, &str)] =
    &[("s3", "s3api"), ("codedeploy", "deploy"), ("config", "configservice")];

/// Hidden top-level aliases the CLI accepts for backward compatibility: (alias, service).
const SERVICE_ALIASES: &[(&str, &str)] = &[("runtime.sagemaker", "sagemaker-runtime")];

/// Hidden operation aliases: (service command, alias, the operation's CLI name).
const OPERATION_ALIASES: &[(&str, &str, &str)] = &[
    ("cloudwatch", "get-o-tel-enrichment", "get-otel-enrichment"),
    ("cloudwatch", "start-o-tel-enrichment", "start-otel-enrichment"),
    ("cloudwatch", "stop-o-tel-enrichment", "stop-otel-enrichment"),
    ("mturk", "list-hi-ts-for-qualification-type", "list-hits-for-qualification-type"),
    ("socialmessaging", "delete-whatsapp-media-message", "delete-whatsapp-message-media"),
];

/// Names whose kebab form botocore fixes by hand because the regular passes split them badly. Each
/// entry is (name, form with `-`); the form for another separator replaces the dashes.
const SPECIAL_CASES: &[(&str, &str)] = &[
    ("CreateCachediSCSIVolume", "create-cached-iscsi-volume"),
    ("DescribeCachediSCSIVolumes", "describe-cached-iscsi-volumes"),
    ("DescribeStorediSCSIVolumes", "describe-stored-iscsi-volumes"),
    ("CreateStorediSCSIVolume", "create-stored-iscsi-volume"),
    ("ListHITsForQualificationType", "list-hits-for-qualification-type"),
    ("ExecutePartiQLStatement", "execute-partiql-statement"),
    ("ExecutePartiQLTransaction", "execute-partiql-transaction"),
    ("ExecutePartiQLBatch", "execute-partiql-batch"),
    ("AssociateWhatsAppBusinessAccount", "associate-whatsapp-business-account"),
    ("CreateWhatsAppMessageTemplate", "create-whatsapp-message-template"),
    ("CreateWhatsAppMessageTemplateFromLibrary", "create-whatsapp-message-template-from-library"),
    ("CreateWhatsAppMessageTemplateMedia", "create-whatsapp-message-template-media"),
    ("DeleteWhatsAppMessageMedia", "delete-whatsapp-message-media"),
    ("DeleteWhatsAppMessageTemplate", "delete-whatsapp-message-template"),
    ("DisassociateWhatsAppBusinessAccount", "disassociate-whatsapp-business-account"),
    ("GetLinkedWhatsAppBusinessAccount", "get-linked-whatsapp-business-account"),
    ("GetLinkedWhatsAppBusinessAccountPhoneNumber", "get-linked-whatsapp-business-account-phone-number"),
    ("GetOTelEnrichment", "get-otel-enrichment"),
    ("GetWhatsAppMessageMedia", "get-whatsapp-message-media"),
    ("GetWhatsAppMessageTemplate", "get-whatsapp-message-template"),
    ("ListLinkedWhatsAppBusinessAccounts", "list-linked-whatsapp-business-accounts"),
    ("ListWhatsAppMessageTemplates", "list-whatsapp-message-templates"),
    ("ListWhatsAppTemplateLibrary", "list-whatsapp-template-library"),
    ("PostWhatsAppMessageMedia", "post-whatsapp-message-media"),
    ("PutWhatsAppBusinessAccountEventDestinations", "put-whatsapp-business-account-event-destinations"),
    ("SendWhatsAppMessage", "send-whatsapp-message"),
    ("StartOTelEnrichment", "start-otel-enrichment"),
    ("StopOTelEnrichment", "stop-otel-enrichment"),
    ("UpdateWhatsAppMessageTemplate", "update-whatsapp-message-template"),
];

/// The CLI command for a service (botocore directory name): `s3` → `s3api`, `codedeploy` → `deploy`,
/// `config` → `configservice`, any other name unchanged.
pub fn service_to_cli_name(service: &str) -> String {
    SERVICE_RENAMES.iter().find(|(s, _)| *s == service).map_or(service, |(_, cli)| cli).to_string()
}

/// The service (botocore directory name) behind a CLI command name, including the hidden aliases.
/// `None` for the original name of a renamed service (`s3` is the high-level command, `codedeploy` and
/// `config` are no command). Whether the service exists is the loader's question.
pub fn cli_name_to_service(cli_name: &str) -> Option<String> {
    if let Some((service, _)) = SERVICE_RENAMES.iter().find(|(_, cli)| *cli == cli_name) {
        return Some((*service).to_string());
    }
    if let Some((_, service)) = SERVICE_ALIASES.iter().find(|(alias, _)| *alias == cli_name) {
        return Some((*service).to_string());
    }
    if SERVICE_RENAMES.iter().any(|(s, _)| *s == cli_name) {
        return None;
    }
    Some(cli_name.to_string())
}

/// The operation CLI name that a hidden alias of a service command stands for, such as
/// `cloudwatch get-o-tel-enrichment` → `get-otel-enrichment`.
pub fn operation_alias(cli_service: &str, cli_operation: &str) -> Option<&'static str> {
    OPERATION_ALIASES.iter().find(|(s, a, _)| *s == cli_service && *a == cli_operation).map(|(_, _, op)| *op)
}

/// The CLI's kebab-case form of an operation, parameter or waiter name, as botocore's
/// `xform_name(name, '-')`: `DescribeDBInstances` → `describe-db-instances`, `ListObjectsV2` →
/// `list-objects-v2`, `GatewayARNs` → `gateway-arns`.
pub fn xform_name(name: &str) -> String {
    xform_name_sep(name, '-')
}

/// `xform_name` with another separator (`_` gives botocore's Python method names).
pub fn xform_name_sep(name: &str, sep: char) -> String {
    // A name that already holds the separator is taken as transformed.
    if name.contains(sep) {
        return name.to_string();
    }
    if let Some((_, dashed)) = SPECIAL_CASES.iter().find(|(n, _)| *n == name) {
        return dashed.chars().map(|c| if c == '-' { sep } else { c }).collect();
    }
    let mut chars: Vec<char> = name.chars().collect();
    split_plural_acronym(&mut chars, sep);
    let chars = split_before_capitalized_words(&chars, sep);
    let chars = split_lower_upper(&chars, sep);
    chars.into_iter().collect::<String>().to_lowercase()
}

fn is_upper(c: char) -> bool {
    c.is_ascii_uppercase()
}
fn is_lower(c: char) -> bool {
    c.is_ascii_lowercase()
}

/// An acronym made plural at the end (`ARNs`, `ACLs`, `CNAMEs`: two or more capitals then `s`, the end of
/// the name or a final newline after it) becomes one lower-case word: `GatewayARNs` → `Gateway-arns`.
/// As in botocore, the characters removed are counted from the very end of the name, newline included.
fn split_plural_acronym(chars: &mut Vec<char>, sep: char) {
    let n = chars.len();
    let s_at = match chars.last() {
        Some('s') => n - 1,
        Some('\n') if n >= 2 && chars[n - 2] == 's' => n - 2,
        _ => return,
    };
    let run = chars[..s_at].iter().rev().take_while(|c| is_upper(**c)).count();
    if run < 2 {
        return;
    }
    let matched: String = chars[s_at - run..=s_at].iter().collect::<String>().to_lowercase();
    chars.truncate(n - (run + 1));
    chars.push(sep);
    chars.extend(matched.chars());
}

/// botocore's first pass: any character (not a newline) followed by a capitalized word (one capital
/// then lower-case letters) gets the separator between them; matches do not overlap.
fn split_before_capitalized_words(chars: &[char], sep: char) -> Vec<char> {
    let n = chars.len();
    let mut out = Vec::with_capacity(n + n / 2);
    let mut i = 0;
    while i < n {
        if chars[i] != '\n' && i + 2 < n && is_upper(chars[i + 1]) && is_lower(chars[i + 2]) {
            let mut end = i + 3;
            while end < n && is_lower(chars[end]) {
                end += 1;
            }
            out.push(chars[i]);
            out.push(sep);
            out.extend_from_slice(&chars[i + 1..end]);
            i = end;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// botocore's second pass: a lower-case letter or digit followed by a capital gets the separator
/// between them; matches do not overlap.
fn split_lower_upper(chars: &[char], sep: char) -> Vec<char> {
    let n = chars.len();
    let mut out = Vec::with_capacity(n + n / 2);
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if (is_lower(c) || c.is_ascii_digit()) && i + 1 < n && is_upper(chars[i + 1]) {
            out.push(c);
            out.push(sep);
            out.push(chars[i + 1]);
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tricky names and the output of Python botocore 1.43.11's `xform_name(name, '-')`, obtained by
    /// running `python3 -c "from botocore import xform_name; print(xform_name(NAME, '-'))"` for each.
    const EXPECTED: &[(&str, &str)] = &[
        ("DescribeDBInstances", "describe-db-instances"),
        ("ListObjectsV2", "list-objects-v2"),
        ("GatewayARNs", "gateway-arns"),
        ("ListWebACLs", "list-web-acls"),
        ("SomeCNAMEs", "some-cnames"),
        ("CreateCachediSCSIVolume", "create-cached-iscsi-volume"),
        ("ListHITsForQualificationType", "list-hits-for-qualification-type"),
        ("ExecutePartiQLStatement", "execute-partiql-statement"),
        ("GetOTelEnrichment", "get-otel-enrichment"),
        ("SendWhatsAppMessage", "send-whatsapp-message"),
        ("ARNs", "-arns"),
        ("IPs", "-ips"),
        ("Ns", "ns"),
        ("s", "s"),
        ("", ""),
        ("A", "a"),
        ("AB", "ab"),
        ("ABs", "-abs"),
        ("aBs", "a-bs"),
        ("DBInstanceIdentifier", "db-instance-identifier"),
        ("SSEKMSKeyId", "ssekms-key-id"),
        ("SSECustomerKeyMD5", "sse-customer-key-md5"),
        ("ContentMD5", "content-md5"),
        ("VpcId", "vpc-id"),
        ("MaxResults", "max-results"),
        ("HTTPResponseCode", "http-response-code"),
        ("Ipv6CidrBlock", "ipv6-cidr-block"),
        ("AssignIpv6AddressOnCreation", "assign-ipv6-address-on-creation"),
        ("EC2InstanceId", "ec2-instance-id"),
        ("S3Bucket", "s3-bucket"),
        ("Base64String", "base64-string"),
        ("IAMRoleARN", "iam-role-arn"),
        ("ListIPSets", "list-ip-sets"),
        ("GetIPSet", "get-ip-set"),
        ("ListMFADevices", "list-mfa-devices"),
        ("UploadSSHPublicKey", "upload-ssh-public-key"),
        ("GetSAMLProvider", "get-saml-provider"),
        ("CreateDBClusterParameterGroup", "create-db-cluster-parameter-group"),
        ("DescribeDBSnapshots", "describe-db-snapshots"),
        ("DBSubnetGroups", "db-subnet-groups"),
        ("AttachedENIs", "attached-enis"),
        ("ResourceARNList", "resource-arn-list"),
        ("TagKeys", "tag-keys"),
        ("x-amz-meta", "x-amz-meta"),
        ("already-kebab", "already-kebab"),
        ("snake_case_name", "snake_case_name"),
        ("lowercase", "lowercase"),
        ("Bucket", "bucket"),
        ("NextToken", "next-token"),
        ("NoEcho", "no-echo"),
        ("Type2Name", "type2-name"),
        ("V2", "v2"),
        ("ABCDef", "abc-def"),
        ("AbCdEf", "ab-cd-ef"),
        ("ABcDe", "a-bc-de"),
        ("aaBBcc", "aa-b-bcc"),
        ("X509Certificate", "x509-certificate"),
        ("KMSKeyARNs", "kms-key-arns"),
        ("IDs", "-ids"),
        ("UserIDs", "user-ids"),
        ("AWSAccountIDs", "aws-account-ids"),
        ("CACertificateIdentifier", "ca-certificate-identifier"),
        ("ÄbcDef", "äbc-def"),
        ("Name\n", "name\n"),
        ("GetARNs\n", "get-a-arns"),
    ];

    #[test]
    fn matches_botocore_on_tricky_names() {
        let mut wrong = Vec::new();
        for (name, expected) in EXPECTED {
            let got = xform_name(name);
            if got != *expected {
                wrong.push(format!("{name:?}: got {got:?}, botocore gives {expected:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn other_separators() {
        assert_eq!(xform_name_sep("DescribeDBInstances", '_'), "describe_db_instances");
        assert_eq!(xform_name_sep("CreateCachediSCSIVolume", '_'), "create_cached_iscsi_volume");
        assert_eq!(xform_name_sep("GatewayARNs", '_'), "gateway_arns");
        assert_eq!(xform_name_sep("already_snake", '_'), "already_snake");
    }

    #[test]
    fn service_names_round_trip() {
        assert_eq!(service_to_cli_name("s3"), "s3api");
        assert_eq!(service_to_cli_name("codedeploy"), "deploy");
        assert_eq!(service_to_cli_name("config"), "configservice");
        assert_eq!(service_to_cli_name("ec2"), "ec2");
        assert_eq!(cli_name_to_service("s3api").as_deref(), Some("s3"));
        assert_eq!(cli_name_to_service("deploy").as_deref(), Some("codedeploy"));
        assert_eq!(cli_name_to_service("configservice").as_deref(), Some("config"));
        assert_eq!(cli_name_to_service("runtime.sagemaker").as_deref(), Some("sagemaker-runtime"));
        assert_eq!(cli_name_to_service("ec2").as_deref(), Some("ec2"));
        assert_eq!(cli_name_to_service("s3"), None);
        assert_eq!(cli_name_to_service("codedeploy"), None);
        assert_eq!(cli_name_to_service("config"), None);
    }

    #[test]
    fn operation_aliases() {
        assert_eq!(operation_alias("cloudwatch", "get-o-tel-enrichment"), Some("get-otel-enrichment"));
        assert_eq!(
            operation_alias("mturk", "list-hi-ts-for-qualification-type"),
            Some("list-hits-for-qualification-type")
        );
        assert_eq!(operation_alias("ec2", "get-o-tel-enrichment"), None);
    }
}
