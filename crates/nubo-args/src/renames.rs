//! The AWS CLI's argument renames and hidden aliases, as data: options whose name the CLI changes
//! from the one the model gives (`--no-no-reboot` is `--reboot`), and old names it still accepts
//! without documenting them. Keys are (CLI service command, CLI operation name or `*`, option name
//! without `--`).

/// (service, operation, original option, new option). The original option is removed.
pub(crate) const ARGUMENT_RENAMES: &[(&str, &str, &str, &str)] = &[
    ("ec2", "create-image", "no-no-reboot", "reboot"),
    ("ec2", "*", "no-egress", "ingress"),
    ("ec2", "*", "no-disable-api-termination", "enable-api-termination"),
    ("opsworks", "*", "region", "stack-region"),
    ("elastictranscoder", "*", "output", "job-output"),
    ("swf", "register-activity-type", "version", "activity-version"),
    ("swf", "register-workflow-type", "version", "workflow-version"),
    ("datapipeline", "*", "query", "objects-query"),
    ("datapipeline", "get-pipeline-definition", "version", "pipeline-version"),
    ("emr", "*", "job-flow-ids", "cluster-ids"),
    ("emr", "*", "job-flow-id", "cluster-id"),
    ("cloudsearchdomain", "search", "query", "search-query"),
    ("cloudsearchdomain", "suggest", "query", "suggest-query"),
    ("sns", "subscribe", "endpoint", "notification-endpoint"),
    ("deploy", "*", "s-3-location", "s3-location"),
    ("deploy", "*", "ec-2-tag-filters", "ec2-tag-filters"),
    ("codepipeline", "get-pipeline", "version", "pipeline-version"),
    ("codepipeline", "create-custom-action-type", "version", "action-version"),
    ("codepipeline", "delete-custom-action-type", "version", "action-version"),
    ("kinesisanalytics", "add-application-output", "output", "application-output"),
    ("kinesisanalyticsv2", "add-application-output", "output", "application-output"),
    ("route53", "delete-traffic-policy", "version", "traffic-policy-version"),
    ("route53", "get-traffic-policy", "version", "traffic-policy-version"),
    ("route53", "update-traffic-policy-comment", "version", "traffic-policy-version"),
    ("gamelift", "create-build", "version", "build-version"),
    ("gamelift", "update-build", "version", "build-version"),
    ("gamelift", "create-script", "version", "script-version"),
    ("gamelift", "update-script", "version", "script-version"),
    ("route53domains", "view-billing", "start", "start-time"),
    ("route53domains", "view-billing", "end", "end-time"),
    ("apigateway", "create-rest-api", "version", "api-version"),
    ("apigatewayv2", "create-api", "version", "api-version"),
    ("apigatewayv2", "update-api", "version", "api-version"),
    ("pinpoint", "get-campaign-version", "version", "campaign-version"),
    ("pinpoint", "get-segment-version", "version", "segment-version"),
    ("pinpoint", "delete-email-template", "version", "template-version"),
    ("pinpoint", "delete-in-app-template", "version", "template-version"),
    ("pinpoint", "delete-push-template", "version", "template-version"),
    ("pinpoint", "delete-sms-template", "version", "template-version"),
    ("pinpoint", "delete-voice-template", "version", "template-version"),
    ("pinpoint", "get-email-template", "version", "template-version"),
    ("pinpoint", "get-in-app-template", "version", "template-version"),
    ("pinpoint", "get-push-template", "version", "template-version"),
    ("pinpoint", "get-sms-template", "version", "template-version"),
    ("pinpoint", "get-voice-template", "version", "template-version"),
    ("pinpoint", "update-email-template", "version", "template-version"),
    ("pinpoint", "update-in-app-template", "version", "template-version"),
    ("pinpoint", "update-push-template", "version", "template-version"),
    ("pinpoint", "update-sms-template", "version", "template-version"),
    ("pinpoint", "update-voice-template", "version", "template-version"),
    ("stepfunctions", "send-task-success", "output", "task-output"),
    ("clouddirectory", "publish-schema", "version", "schema-version"),
    ("mturk", "list-qualification-types", "query", "types-query"),
    ("workdocs", "create-notification-subscription", "endpoint", "notification-endpoint"),
    ("workdocs", "describe-users", "query", "user-query"),
    ("lex-models", "delete-bot", "version", "bot-version"),
    ("lex-models", "delete-intent", "version", "intent-version"),
    ("lex-models", "delete-slot-type", "version", "slot-type-version"),
    ("lex-models", "get-intent", "version", "intent-version"),
    ("lex-models", "get-slot-type", "version", "slot-type-version"),
    ("lex-models", "delete-bot-version", "version", "bot-version"),
    ("lex-models", "delete-intent-version", "version", "intent-version"),
    ("lex-models", "delete-slot-type-version", "version", "slot-type-version"),
    ("lex-models", "get-export", "version", "resource-version"),
    ("license-manager", "get-grant", "version", "grant-version"),
    ("license-manager", "delete-grant", "version", "grant-version"),
    ("license-manager", "get-license", "version", "license-version"),
    ("mobile", "create-project", "region", "project-region"),
    ("rekognition", "create-stream-processor", "output", "stream-processor-output"),
    ("eks", "create-cluster", "version", "kubernetes-version"),
    ("eks", "update-cluster-version", "version", "kubernetes-version"),
    ("eks", "create-nodegroup", "version", "kubernetes-version"),
    ("eks", "update-nodegroup-version", "version", "kubernetes-version"),
    ("eks", "update-cluster-components-version", "version", "kubernetes-version"),
    ("schemas", "*", "version", "schema-version"),
    ("sagemaker", "delete-image-version", "version", "version-number"),
    ("sagemaker", "describe-image-version", "version", "version-number"),
    ("sagemaker", "list-aliases", "version", "version-number"),
    ("sagemaker", "update-image-version", "version", "version-number"),
    ("iotwireless", "*", "lo-ra-wan", "lorawan"),
    ("codepipeline", "get-action-type", "version", "action-version"),
    ("ecs", "*", "no-enable-execute-command", "disable-execute-command"),
    ("ecs", "execute-command", "no-interactive", "non-interactive"),
    ("controltower", "create-landing-zone", "version", "landing-zone-version"),
    ("controltower", "update-landing-zone", "version", "landing-zone-version"),
    ("glue", "get-unfiltered-partition-metadata", "region", "resource-region"),
    ("glue", "get-unfiltered-partitions-metadata", "region", "resource-region"),
    ("glue", "get-unfiltered-table-metadata", "region", "resource-region"),
];

/// (service, operation, existing option, alias): the alias is accepted but not documented.
pub(crate) const HIDDEN_ALIASES: &[(&str, &str, &str, &str)] = &[
    (
        "cognito-identity",
        "create-identity-pool",
        "open-id-connect-provider-arns",
        "open-id-connect-provider-ar-ns",
    ),
    ("storagegateway", "describe-tapes", "tape-arns", "tape-ar-ns"),
    ("storagegateway", "describe-tape-archives", "tape-arns", "tape-ar-ns"),
    ("storagegateway", "describe-vtl-devices", "vtl-device-arns", "vtl-device-ar-ns"),
    ("storagegateway", "describe-cached-iscsi-volumes", "volume-arns", "volume-ar-ns"),
    ("storagegateway", "describe-stored-iscsi-volumes", "volume-arns", "volume-ar-ns"),
    ("route53domains", "view-billing", "start-time", "start"),
    ("deploy", "create-deployment-group", "ec2-tag-set", "ec-2-tag-set"),
    ("deploy", "list-application-revisions", "s3-bucket", "s-3-bucket"),
    ("deploy", "list-application-revisions", "s3-key-prefix", "s-3-key-prefix"),
    ("deploy", "update-deployment-group", "ec2-tag-set", "ec-2-tag-set"),
    ("iam", "enable-mfa-device", "authentication-code1", "authentication-code-1"),
    ("iam", "enable-mfa-device", "authentication-code2", "authentication-code-2"),
    ("iam", "resync-mfa-device", "authentication-code1", "authentication-code-1"),
    ("iam", "resync-mfa-device", "authentication-code2", "authentication-code-2"),
    ("importexport", "get-shipping-label", "street1", "street-1"),
    ("importexport", "get-shipping-label", "street2", "street-2"),
    ("importexport", "get-shipping-label", "street3", "street-3"),
    ("lambda", "publish-version", "code-sha256", "code-sha-256"),
    ("lightsail", "import-key-pair", "public-key-base64", "public-key-base-64"),
    ("opsworks", "register-volume", "ec2-volume-id", "ec-2-volume-id"),
    ("mgn", "*", "replication-servers-security-groups-ids", "replication-servers-security-groups-i-ds"),
    ("mgn", "*", "source-server-ids", "source-server-i-ds"),
    ("mgn", "*", "replication-configuration-template-ids", "replication-configuration-template-i-ds"),
    (
        "elasticache",
        "create-replication-group",
        "preferred-cache-cluster-azs",
        "preferred-cache-cluster-a-zs",
    ),
];

/// Whether a table entry applies to `operation` of `service`.
pub(crate) fn applies(entry_service: &str, entry_op: &str, service: &str, operation: &str) -> bool {
    entry_service == service && (entry_op == "*" || entry_op == operation)
}

/// Lists of structures of one member that the CLI still reads as bare values (`--instances i-1 i-2`
/// is `[{"InstanceId": "i-1"}, {"InstanceId": "i-2"}]`): (hyphenated service id, operation, option).
const OLD_LIST_CASES: &[(&str, &str, &str)] = &[
    ("firehose", "put-record-batch", "records"),
    ("workspaces", "reboot-workspaces", "reboot-workspace-requests"),
    ("workspaces", "rebuild-workspaces", "rebuild-workspace-requests"),
    ("workspaces", "terminate-workspaces", "terminate-workspace-requests"),
    ("elastic-load-balancing", "remove-tags", "tags"),
    ("elastic-load-balancing", "describe-instance-health", "instances"),
    ("elastic-load-balancing", "deregister-instances-from-load-balancer", "instances"),
    ("elastic-load-balancing", "register-instances-with-load-balancer", "instances"),
];

pub(crate) fn uses_old_list_case(service_id: &str, operation: &str, option: &str) -> bool {
    OLD_LIST_CASES.iter().any(|(s, o, a)| *s == service_id && *o == operation && *a == option)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert!(applies("ec2", "*", "ec2", "run-instances"));
        assert!(!applies("ec2", "create-image", "ec2", "run-instances"));
        assert!(uses_old_list_case("elastic-load-balancing", "remove-tags", "tags"));
        assert!(!uses_old_list_case("elastic-load-balancing-v2", "remove-tags", "tags"));
        // Every alias and rename target differs from its source.
        for (_, _, a, b) in ARGUMENT_RENAMES.iter().chain(HIDDEN_ALIASES) {
            assert_ne!(a, b);
        }
    }
}
