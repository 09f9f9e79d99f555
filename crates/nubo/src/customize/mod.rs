//! The per-service behaviour the AWS CLI adds by hand, one module each; [`crate::registry`] lists
//! where each one plugs in.

pub mod decode_auth;
pub mod ec2_run_instances;
