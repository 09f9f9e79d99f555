//! The command registry, like the AWS CLI's table of handlers: every command and argument that is not
//! generated from a model is listed here, and only here. Dispatch looks a command line up in it before
//! falling back to the model's operations; help and completion read the same tables, so what exists is
//! what is listed.
//!
//! - [`COMMANDS`]: added commands, each with its path (`["s3"]`, `["ecr", "get-login-password"]`).
//!   A path of one word owns that whole command (`configure`, `s3`); a longer path adds one
//!   subcommand to a service whose other operations come from its model.
//! - [`ARGUMENT_HOOKS`]: operations whose command line the CLI extends (added or renamed arguments),
//!   rewritten into the model's own arguments before parsing.
//! - [`OUTPUT_HOOKS`]: operations whose result the CLI (or nubo) shows in its own way.
//!
//! Request hooks that change the wire form (checksums, id prefixes, idempotency tokens) belong to the
//! client layer (`nubo-client`), since presigning and every caller need them too.

use crate::customize;
use crate::error::CliResult;
use nubo_session::Session;
use serde_json::Value;

/// What runs a command: the session and the arguments after the command's path.
pub type Run = fn(&Session, &[String]) -> CliResult<i32>;

/// One added command.
pub struct Command {
    /// The words that name it: `["configure"]`, `["s3", "presign"]`.
    pub path: &'static [&'static str],
    /// One line for `help`.
    pub summary: &'static str,
    pub run: Run,
}

/// Every added command. Longer paths win over shorter ones (`s3 presign` over `s3`).
pub static COMMANDS: &[Command] = &[
    Command {
        path: &["configure"],
        summary: "set, show and explain profiles and credentials",
        run: crate::configure::run,
    },
    Command {
        path: &["s3"],
        summary: "high-level S3 commands: ls, cp, mv, rm, sync, mb, rb, website",
        run: crate::s3_cmd::run,
    },
    Command {
        path: &["s3", "presign"],
        summary: "a presigned URL for an object",
        run: crate::presign::s3_presign,
    },
    Command {
        path: &["presign"],
        summary: "a presigned URL for any operation a URL can express (nubo)",
        run: crate::presign::general,
    },
    Command {
        path: &["sign"],
        summary: "sign a raw HTTP request read from standard input (nubo)",
        run: crate::sign_cmd::run,
    },
    Command { path: &["curl"], summary: "sign and send any HTTP request (nubo)", run: crate::curl_cmd::run },
    Command {
        path: &["debug"],
        summary: "resolve-endpoint: evaluate a service's endpoint rules (nubo)",
        run: crate::debug_cmd::run,
    },
    Command {
        path: &["login"],
        summary: "sign in with console credentials (browser, PKCE)",
        run: crate::login_cmd::login,
    },
    Command {
        path: &["logout"],
        summary: "remove the cached console login credentials",
        run: crate::login_cmd::logout,
    },
    Command { path: &["sso", "login"], summary: "sign in to IAM Identity Center", run: sso_login },
    Command { path: &["sso", "logout"], summary: "remove the cached SSO tokens", run: sso_logout },
    Command {
        path: &["eks", "get-token"],
        summary: "a token for kubectl to authenticate to an EKS cluster",
        run: crate::presign::eks_get_token,
    },
    Command { path: &["help"], summary: "the list of commands", run: crate::help::top },
    Command {
        path: &["completion"],
        summary: "the shell completion script: bash, zsh or fish (nubo)",
        run: crate::completion::script,
    },
    Command {
        path: &["ecr", "get-login-password"],
        summary: "a password for docker login to an Amazon ECR registry",
        run: customize::ecr::get_login_password,
    },
    Command {
        path: &["ecr", "get-login"],
        summary: "removed in AWS CLI v2: use get-login-password",
        run: customize::ecr::get_login_removed,
    },
    Command {
        path: &["ecr-public", "get-login-password"],
        summary: "a password for docker login to Amazon ECR Public",
        run: customize::ecr::public_get_login_password,
    },
    Command {
        path: &["rds", "generate-db-auth-token"],
        summary: "an auth token to connect to a database with IAM credentials",
        run: customize::rds::generate_db_auth_token,
    },
    Command {
        path: &["dsql", "generate-db-connect-auth-token"],
        summary: "a token to connect to an Aurora DSQL cluster with IAM credentials",
        run: customize::dsql::generate_db_connect_auth_token,
    },
    Command {
        path: &["dsql", "generate-db-connect-admin-auth-token"],
        summary: "an admin token to connect to an Aurora DSQL cluster with IAM credentials",
        run: customize::dsql::generate_db_connect_admin_auth_token,
    },
    Command {
        path: &["eks", "update-kubeconfig"],
        summary: "writes the kubeconfig entries that let kubectl reach an EKS cluster",
        run: customize::eks_kubeconfig::update_kubeconfig,
    },
    Command {
        path: &["logs", "tail"],
        summary: "a log group's recent events, and with --follow new ones as they arrive",
        run: customize::logs::tail,
    },
    Command {
        path: &["cloudformation", "deploy"],
        summary: "deploys a template through a change set, creating or updating the stack",
        run: customize::cfn_deploy::deploy,
    },
    Command {
        path: &["cloudformation", "package"],
        summary: "uploads a template's local artifacts to S3 and writes the template that points at them",
        run: customize::cfn_package::package,
    },
    Command {
        path: &["codeartifact", "login"],
        summary: "configures npm, pip, twine, nuget, dotnet or swift to use a CodeArtifact repository",
        run: customize::codeartifact::login,
    },
    Command {
        path: &["ssm", "start-session"],
        summary: "starts a Session Manager session through session-manager-plugin",
        run: customize::ssm::start_session,
    },
    Command {
        path: &["iam", "create-virtual-mfa-device"],
        summary: "creates a virtual MFA device and saves its QR code or seed to --outfile",
        run: customize::iam_mfa::create_virtual_mfa_device,
    },
    Command {
        path: &["ddb", "put"],
        summary: "puts one or more items into a DynamoDB table",
        run: customize::ddb::put,
    },
    Command {
        path: &["ddb", "select"],
        summary: "searches a DynamoDB table or index (query with --key-condition, else scan)",
        run: customize::ddb::select,
    },
    Command {
        path: &["history", "list"],
        summary: "the commands recorded in the local history",
        run: crate::history::list,
    },
    Command {
        path: &["history", "show"],
        summary: "the events of one recorded command (the latest by default)",
        run: crate::history::show,
    },
    Command {
        path: &["ec2", "get-password-data"],
        summary: "an instance's Windows password, decrypted with --priv-launch-key",
        run: customize::ec2::get_password_data,
    },
    Command {
        path: &["lambda", "create-function"],
        summary: "creates a function; --zip-file fileb://code.zip gives its code",
        run: customize::lambda::create_function,
    },
    Command {
        path: &["lambda", "publish-layer-version"],
        summary: "publishes a layer version; --zip-file fileb://layer.zip gives its content",
        run: customize::lambda::publish_layer_version,
    },
];

fn sso_login(ctx: &Session, args: &[String]) -> CliResult<i32> {
    crate::credentials::sso(ctx, "login", args)
}

fn sso_logout(ctx: &Session, args: &[String]) -> CliResult<i32> {
    crate::credentials::sso(ctx, "logout", args)
}

/// The added command a command line names, with the arguments after its path.
pub fn find(words: &[String]) -> Option<(&'static Command, &[String])> {
    COMMANDS
        .iter()
        .filter(|c| c.path.len() <= words.len() && c.path.iter().zip(words).all(|(p, w)| p == w))
        .max_by_key(|c| c.path.len())
        .map(|c| (c, &words[c.path.len()..]))
}

/// The commands added to `service` (its subcommands beside the model's operations).
pub fn subcommands(service: &str) -> impl Iterator<Item = &'static Command> + '_ {
    COMMANDS.iter().filter(move |c| c.path.len() == 2 && c.path[0] == service)
}

/// The operations the AWS CLI v2 removes from its command tables (`awscli/customizations/removals.py`,
/// deprecated or event-stream operations it does not support) and the v1 commands it dropped
/// (`ecr get-login`): `(CLI service, CLI operation)`. Help and completion leave them out.
pub static REMOVED_OPERATIONS: &[(&str, &str)] = &[
    ("ses", "delete-verified-email-address"),
    ("ses", "list-verified-email-addresses"),
    ("ses", "verify-email-address"),
    ("ec2", "import-instance"),
    ("ec2", "import-volume"),
    ("emr", "run-job-flow"),
    ("emr", "describe-job-flows"),
    ("emr", "add-job-flow-steps"),
    ("emr", "terminate-job-flows"),
    ("emr", "list-bootstrap-actions"),
    ("emr", "list-instance-groups"),
    ("emr", "set-termination-protection"),
    ("emr", "set-keep-job-flow-alive-when-no-steps"),
    ("emr", "set-visible-to-all-users"),
    ("emr", "set-unhealthy-node-replacement"),
    ("kinesis", "subscribe-to-shard"),
    ("lexv2-runtime", "start-conversation"),
    ("lambda", "invoke-with-response-stream"),
    ("sagemaker-runtime", "invoke-endpoint-with-response-stream"),
    ("bedrock-runtime", "invoke-model-with-bidirectional-stream"),
    ("bedrock-runtime", "invoke-model-with-response-stream"),
    ("bedrock-runtime", "converse-stream"),
    ("bedrock-agent-runtime", "agentic-retrieve-stream"),
    ("bedrock-agent-runtime", "invoke-agent"),
    ("bedrock-agent-runtime", "invoke-flow"),
    ("bedrock-agent-runtime", "invoke-inline-agent"),
    ("bedrock-agent-runtime", "optimize-prompt"),
    ("bedrock-agent-runtime", "retrieve-and-generate-stream"),
    ("bedrock-agentcore", "invoke-code-interpreter"),
    ("bedrock-agentcore", "invoke-agent-runtime-command"),
    ("bedrock-agentcore", "invoke-harness"),
    ("qbusiness", "chat"),
    ("iotsitewise", "invoke-assistant"),
    ("logs", "get-log-object"),
    ("polly", "start-speech-synthesis-stream"),
    ("connecthealth", "start-medical-scribe-listening-session"),
    ("devops-agent", "send-message"),
    ("ecr", "get-login"),
];

/// Whether v2 removed `cli_op` from `cli_service`'s commands.
pub fn is_removed(cli_service: &str, cli_op: &str) -> bool {
    REMOVED_OPERATIONS.iter().any(|(s, o)| *s == cli_service && *o == cli_op)
}

/// Rewrites an operation's command line into the model's arguments. A hook fails with the error the CLI
/// gives for that input: usually a usage error (252), or `Other` (255) where the CLI raises a value error.
pub type Rewrite = fn(&[String]) -> CliResult<Vec<String>>;

/// An operation whose arguments the CLI extends.
pub struct ArgumentHook {
    /// The CLI names: `ec2`, `run-instances`.
    pub service: &'static str,
    pub operation: &'static str,
    pub rewrite: Rewrite,
}

pub static ARGUMENT_HOOKS: &[ArgumentHook] = &[
    ArgumentHook {
        service: "ec2",
        operation: "run-instances",
        rewrite: customize::ec2_run_instances::rewrite,
    },
    ArgumentHook {
        service: "cloudwatch",
        operation: "put-metric-data",
        rewrite: customize::shortcuts::put_metric_data,
    },
    ArgumentHook { service: "emr", operation: "list-clusters", rewrite: customize::shortcuts::list_clusters },
    ArgumentHook { service: "emr", operation: "add-tags", rewrite: customize::shortcuts::emr_add_tags },
    ArgumentHook {
        service: "cloudfront",
        operation: "create-invalidation",
        rewrite: customize::shortcuts::create_invalidation,
    },
    ArgumentHook {
        service: "ec2",
        operation: "authorize-security-group-ingress",
        rewrite: customize::ec2::security_group_rule,
    },
    ArgumentHook {
        service: "ec2",
        operation: "authorize-security-group-egress",
        rewrite: customize::ec2::security_group_rule,
    },
    ArgumentHook {
        service: "ec2",
        operation: "revoke-security-group-ingress",
        rewrite: customize::ec2::security_group_rule,
    },
    ArgumentHook {
        service: "ec2",
        operation: "revoke-security-group-egress",
        rewrite: customize::ec2::security_group_rule,
    },
    ArgumentHook {
        service: "lambda",
        operation: "update-function-code",
        rewrite: customize::lambda::update_function_code,
    },
    ArgumentHook {
        service: "deploy",
        operation: "register-application-revision",
        rewrite: customize::hoists::revision_location,
    },
    ArgumentHook {
        service: "deploy",
        operation: "get-application-revision",
        rewrite: customize::hoists::revision_location,
    },
    ArgumentHook {
        service: "deploy",
        operation: "create-deployment",
        rewrite: customize::hoists::revision_location,
    },
    ArgumentHook {
        service: "configservice",
        operation: "put-configuration-recorder",
        rewrite: customize::hoists::recording_group,
    },
    ArgumentHook { service: "ses", operation: "send-email", rewrite: customize::hoists::send_email },
];

/// Applies the argument hook of an operation, if it has one.
pub fn rewrite_args(cli_service: &str, cli_op: &str, args: &[String]) -> CliResult<Vec<String>> {
    match ARGUMENT_HOOKS.iter().find(|h| h.service == cli_service && h.operation == cli_op) {
        Some(h) => (h.rewrite)(args),
        None => Ok(args.to_vec()),
    }
}

/// Renders an operation's result in place of the generic output, or declines (`None`).
pub type Render = fn(&Session, &Value) -> Option<String>;

/// An operation whose result is shown in its own way.
pub struct OutputHook {
    /// The botocore service name and the model's operation name.
    pub service: &'static str,
    pub operation: &'static str,
    pub render: Render,
}

pub static OUTPUT_HOOKS: &[OutputHook] = &[OutputHook {
    service: "sts",
    operation: "DecodeAuthorizationMessage",
    render: customize::decode_auth::render_decode_output,
}];

/// The output hook's rendering of a result, when the operation has one and `--query` is not given.
pub fn render_output(ctx: &Session, service: &str, op: &str, output: &Value) -> Option<String> {
    if ctx.globals.query.is_some() {
        return None;
    }
    let hook = OUTPUT_HOOKS.iter().find(|h| h.service == service && h.operation == op)?;
    (hook.render)(ctx, output)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn longest_path_wins() {
        let w = words(&["s3", "presign", "s3://b/k"]);
        let (c, rest) = find(&w).unwrap();
        assert_eq!(c.path, ["s3", "presign"]);
        assert_eq!(rest, ["s3://b/k"]);
        let w = words(&["s3", "ls"]);
        assert_eq!(find(&w).unwrap().0.path, ["s3"]);
        assert!(find(&words(&["ec2", "describe-instances"])).is_none());
        assert!(find(&words(&["eks"])).is_none());
    }

    #[test]
    fn paths_are_unique() {
        for (i, a) in COMMANDS.iter().enumerate() {
            assert!(COMMANDS[i + 1..].iter().all(|b| b.path != a.path), "{:?} twice", a.path);
        }
    }
}
