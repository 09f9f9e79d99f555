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
