//! The per-service behaviour the AWS CLI adds by hand, one module each: added commands, argument
//! rewrites and output renderings. [`crate::registry`] lists where each one plugs in; added commands
//! reach the engine only through [`api`].

pub mod api;
pub mod args;
pub mod cfn_deploy;
pub mod cfn_package;
pub mod cfn_s3;
pub mod cfn_template;
pub mod codeartifact;
pub mod ddb;
pub mod decode_auth;
pub mod dsql;
pub mod ec2;
pub mod ec2_run_instances;
pub mod ecr;
pub mod eks_kubeconfig;
pub mod hoists;
pub mod iam_mfa;
pub mod lambda;
pub mod logs;
pub mod rds;
pub mod shortcuts;
pub mod ssm;
