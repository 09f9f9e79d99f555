//! The per-service behaviour the AWS CLI adds by hand, one module each.

pub mod decode_auth;
pub mod ec2_run_instances;

/// Rewrites an operation's arguments before they are parsed, where the CLI adds options of its own.
pub fn rewrite_args(cli_service: &str, cli_op: &str, args: &[String]) -> Result<Vec<String>, String> {
    match (cli_service, cli_op) {
        ("ec2", "run-instances") => ec2_run_instances::rewrite(args),
        _ => Ok(args.to_vec()),
    }
}
