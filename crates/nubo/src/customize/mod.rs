//! The per-service behaviour the AWS CLI adds by hand, one module each: added commands (listed in
//! [`COMMANDS`], looked up before the model's operations), argument rewrites and output renderings.
//! Added commands reach the engine only through [`api`].

pub mod api;
pub mod args;
pub mod decode_auth;
pub mod dsql;
pub mod ec2_run_instances;
pub mod ecr;
pub mod eks_kubeconfig;
pub mod logs;
pub mod rds;
pub mod shortcuts;

use crate::context::Context;
use crate::error::CliResult;

/// One command the CLI adds to a service's command table.
pub struct Command {
    /// The service command (`ecr`, `ecr-public`).
    pub service: &'static str,
    /// The subcommand (`get-login-password`).
    pub name: &'static str,
    /// One line saying what it does (help lists it).
    pub summary: &'static str,
    /// Runs it with the arguments after the subcommand; returns the exit code.
    pub run: fn(&Context, &[String]) -> CliResult<i32>,
}

/// Every added command, in the order help lists them.
pub const COMMANDS: &[Command] = &[
    Command {
        service: "ecr",
        name: "get-login-password",
        summary: "Prints a password for docker login to an Amazon ECR registry",
        run: ecr::get_login_password,
    },
    Command {
        service: "ecr",
        name: "get-login",
        summary: "Removed in AWS CLI v2: use get-login-password",
        run: ecr::get_login_removed,
    },
    Command {
        service: "ecr-public",
        name: "get-login-password",
        summary: "Prints a password for docker login to Amazon ECR Public",
        run: ecr::public_get_login_password,
    },
    Command {
        service: "rds",
        name: "generate-db-auth-token",
        summary: "Generates an auth token to connect to a database with IAM credentials",
        run: rds::generate_db_auth_token,
    },
    Command {
        service: "dsql",
        name: "generate-db-connect-auth-token",
        summary: "Generates a token to connect to an Aurora DSQL cluster with IAM credentials",
        run: dsql::generate_db_connect_auth_token,
    },
    Command {
        service: "dsql",
        name: "generate-db-connect-admin-auth-token",
        summary: "Generates an admin token to connect to an Aurora DSQL cluster with IAM credentials",
        run: dsql::generate_db_connect_admin_auth_token,
    },
    Command {
        service: "eks",
        name: "update-kubeconfig",
        summary: "Writes the kubeconfig entries that let kubectl reach an EKS cluster",
        run: eks_kubeconfig::update_kubeconfig,
    },
    Command {
        service: "logs",
        name: "tail",
        summary: "Shows a log group's recent events, and with --follow new ones as they arrive",
        run: logs::tail,
    },
];

/// The added command `service subcommand`, if there is one.
pub fn find(service: &str, name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.service == service && c.name == name)
}

/// Rewrites an operation's arguments before they are parsed, where the CLI adds options of its own.
pub fn rewrite_args(cli_service: &str, cli_op: &str, args: &[String]) -> Result<Vec<String>, String> {
    match (cli_service, cli_op) {
        ("ec2", "run-instances") => ec2_run_instances::rewrite(args),
        ("cloudwatch", "put-metric-data") => shortcuts::put_metric_data(args),
        ("emr", "list-clusters") => shortcuts::list_clusters(args),
        ("cloudfront", "create-invalidation") => shortcuts::create_invalidation(args),
        _ => Ok(args.to_vec()),
    }
}

/// A rendering of an operation's result that replaces the generic output, where the CLI (or nubo)
/// shows something more readable.
pub fn render_output(
    ctx: &crate::context::Context,
    service: &str,
    op: &str,
    output: &serde_json::Value,
) -> Option<String> {
    match (service, op) {
        ("sts", "DecodeAuthorizationMessage") if ctx.globals.query.is_none() => {
            decode_auth::render_decode_output(ctx, output)
        }
        _ => None,
    }
}
