//! The links of the credential chain, in the AWS CLI v2 order, each with the TYPE name that
//! `configure list` shows.

use std::fmt;

/// One link of the chain. [`LinkKind::ALL`] lists them in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkKind {
    /// `AWS_ACCESS_KEY_ID` and friends (skipped when `--profile` is given).
    Env,
    /// The profile's `role_arn` with `source_profile` or `credential_source`.
    AssumeRole,
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`, or the profile's `web_identity_token_file`.
    AssumeRoleWithWebIdentity,
    /// IAM Identity Center (`sso_session`, or the legacy inline `sso_*` keys).
    Sso,
    /// Static keys of the profile in the credentials file.
    SharedCredentialsFile,
    /// Console credentials of `login` (the profile's `login_session`).
    Login,
    /// The profile's `credential_process`.
    CustomProcess,
    /// Static keys of the profile in the config file.
    ConfigFile,
    /// The container credentials endpoint (ECS, EKS Pod Identity).
    ContainerRole,
    /// The EC2 instance metadata service.
    IamRole,
}

impl LinkKind {
    /// Every link, in the order the chain tries them.
    pub const ALL: [LinkKind; 10] = [
        LinkKind::Env,
        LinkKind::AssumeRole,
        LinkKind::AssumeRoleWithWebIdentity,
        LinkKind::Sso,
        LinkKind::SharedCredentialsFile,
        LinkKind::Login,
        LinkKind::CustomProcess,
        LinkKind::ConfigFile,
        LinkKind::ContainerRole,
        LinkKind::IamRole,
    ];

    /// The TYPE name, as the AWS CLI names the provider (`env`, `assume-role`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            LinkKind::Env => "env",
            LinkKind::AssumeRole => "assume-role",
            LinkKind::AssumeRoleWithWebIdentity => "assume-role-with-web-identity",
            LinkKind::Sso => "sso",
            LinkKind::SharedCredentialsFile => "shared-credentials-file",
            LinkKind::Login => "login",
            LinkKind::CustomProcess => "custom-process",
            LinkKind::ConfigFile => "config-file",
            LinkKind::ContainerRole => "container-role",
            LinkKind::IamRole => "iam-role",
        }
    }

    /// The 1-based position in the chain.
    pub fn position(self) -> usize {
        LinkKind::ALL.iter().position(|k| *k == self).map_or(0, |i| i + 1)
    }
}

impl fmt::Display for LinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_order() {
        let names: Vec<_> = LinkKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "env",
                "assume-role",
                "assume-role-with-web-identity",
                "sso",
                "shared-credentials-file",
                "login",
                "custom-process",
                "config-file",
                "container-role",
                "iam-role"
            ]
        );
        assert_eq!(LinkKind::Env.position(), 1);
        assert_eq!(LinkKind::IamRole.position(), 10);
        assert_eq!(LinkKind::Sso.to_string(), "sso");
    }
}
