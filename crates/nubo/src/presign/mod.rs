//! Presigned URLs: `nubo s3 presign`, `nubo presign <service> <operation>`, and `nubo eks get-token`.

use crate::context::Context;
use crate::error::{CliError, CliResult};

/// `nubo s3 presign s3://bucket/key [--expires-in S]`.
pub fn s3_presign(_ctx: &Context, _args: &[String]) -> CliResult<i32> {
    Err(CliError::Other("s3 presign is not implemented yet".into()))
}

/// `nubo presign <service> <operation> [params] [--expires-in S] [--method M]`.
pub fn general(_ctx: &Context, _args: &[String]) -> CliResult<i32> {
    Err(CliError::Other("presign is not implemented yet".into()))
}

/// `nubo eks get-token --cluster-name C`.
pub fn eks_get_token(_ctx: &Context, _args: &[String]) -> CliResult<i32> {
    Err(CliError::Other("eks get-token is not implemented yet".into()))
}
