//! The chain of every setting: command line, then environment, then profile, then default.
//!
//! Each resolved value remembers where it came from ([`Source`]), so that `configure list` and
//! `configure explain` can say which link won.

use crate::env::Env;
use crate::profiles::ProfileSet;
use std::fmt;
use std::path::PathBuf;

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A command-line option, e.g. `--region`.
    CommandLine(&'static str),
    /// An environment variable.
    Env(String),
    /// A key of the selected profile in one of the files.
    Profile { profile: String, path: PathBuf, line: usize },
    /// nubo's built-in default.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::CommandLine(o) => write!(f, "command line ({o})"),
            Source::Env(v) => write!(f, "environment ({v})"),
            Source::Profile { profile, path, line } => {
                write!(f, "profile {profile} ({}, line {line})", path.display())
            }
            Source::Default => f.write_str("default"),
        }
    }
}

/// One resolved setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub value: String,
    pub source: Source,
}

/// One link of a setting's chain: a command-line value, environment variables, a profile key.
pub struct Lookup<'a> {
    pub cli: Option<(&'static str, Option<&'a str>)>,
    pub env: &'a [&'a str],
    pub profile_key: Option<&'a str>,
    pub default: Option<&'a str>,
}

/// The inputs every chain reads: the environment snapshot, the parsed files, the selected profile.
pub struct Resolver<'a> {
    pub env: &'a Env,
    pub files: &'a ProfileSet,
    /// The selected profile's name (`default` when none was chosen).
    pub profile: &'a str,
}

impl Resolver<'_> {
    /// Walks one chain and returns the first value found, with its source.
    pub fn resolve(&self, l: &Lookup<'_>) -> Option<Setting> {
        if let Some((opt, Some(v))) = l.cli {
            return Some(Setting { value: v.to_string(), source: Source::CommandLine(opt) });
        }
        for var in l.env {
            if let Some(v) = self.env.get(var) {
                return Some(Setting { value: v.to_string(), source: Source::Env(var.to_string()) });
            }
        }
        if let Some(s) = l.profile_key.and_then(|key| self.from_profile(key)) {
            return Some(s);
        }
        l.default.map(|d| Setting { value: d.to_string(), source: Source::Default })
    }

    /// A key of the selected profile, with its origin.
    pub fn from_profile(&self, key: &str) -> Option<Setting> {
        let section = self.files.profile(self.profile)?;
        let prop = section.properties.get(key)?;
        Some(Setting {
            value: prop.value.clone(),
            source: Source::Profile {
                profile: self.profile.to_string(),
                path: prop.origin.path.clone(),
                line: prop.origin.line,
            },
        })
    }

    /// A sub-property (`s3 =` then `  max_concurrent_requests = 20`) of the selected profile.
    pub fn from_profile_sub(&self, key: &str, sub: &str) -> Option<Setting> {
        let section = self.files.profile(self.profile)?;
        let prop = section.properties.get(key)?;
        let v = prop.sub.iter().find(|(k, _)| k == sub).map(|(_, v)| v.clone())?;
        Some(Setting {
            value: v,
            source: Source::Profile {
                profile: self.profile.to_string(),
                path: prop.origin.path.clone(),
                line: prop.origin.line,
            },
        })
    }
}

/// The name of the selected profile: `--profile`, then `AWS_DEFAULT_PROFILE`, then `AWS_PROFILE`
/// (botocore's order), then `default`. The source is `Default` when none was chosen.
pub fn selected_profile(cli: Option<&str>, env: &Env) -> Setting {
    if let Some(p) = cli {
        return Setting { value: p.to_string(), source: Source::CommandLine("--profile") };
    }
    for var in ["AWS_DEFAULT_PROFILE", "AWS_PROFILE"] {
        if let Some(v) = env.get(var) {
            return Setting { value: v.to_string(), source: Source::Env(var.to_string()) };
        }
    }
    Setting { value: "default".to_string(), source: Source::Default }
}

/// The default region when none is configured anywhere (the AWS CLI v2 would stop with an error).
pub const DEFAULT_REGION: &str = "us-east-1";

/// Region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, then `us-east-1`.
pub fn region(r: &Resolver<'_>, cli: Option<&str>) -> Setting {
    r.resolve(&Lookup {
        cli: Some(("--region", cli)),
        env: &["AWS_REGION", "AWS_DEFAULT_REGION"],
        profile_key: Some("region"),
        default: Some(DEFAULT_REGION),
    })
    .unwrap_or_else(|| Setting { value: DEFAULT_REGION.into(), source: Source::Default })
}

/// Output format: `--output`, `AWS_DEFAULT_OUTPUT`, the profile's `output`, then `json`.
pub fn output(r: &Resolver<'_>, cli: Option<&str>) -> Setting {
    r.resolve(&Lookup {
        cli: Some(("--output", cli)),
        env: &["AWS_DEFAULT_OUTPUT"],
        profile_key: Some("output"),
        default: Some("json"),
    })
    .unwrap_or_else(|| Setting { value: "json".into(), source: Source::Default })
}

/// A setting read from the environment and the profile only, with an optional default
/// (`max_attempts`, `retry_mode`, `ca_bundle`, `cli_binary_format`, `parameter_validation`, …).
pub fn simple(r: &Resolver<'_>, env: &[&str], key: &str, default: Option<&str>) -> Option<Setting> {
    r.resolve(&Lookup { cli: None, env, profile_key: Some(key), default })
}

/// The endpoint URL for a service: `--endpoint-url`, `AWS_ENDPOINT_URL_<SERVICE_ID>`, `AWS_ENDPOINT_URL`,
/// the `[services]` section the profile names, then the profile's `endpoint_url`. The configured ones
/// (all but the command line) are ignored when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's
/// `ignore_configured_endpoint_urls` is true. `service_key` is the service id lower-cased with spaces
/// replaced by `_` (`dynamodb`, `elastic_beanstalk`).
pub fn endpoint_url(r: &Resolver<'_>, cli: Option<&str>, service_key: &str) -> Option<Setting> {
    if let Some(v) = cli {
        return Some(Setting { value: v.to_string(), source: Source::CommandLine("--endpoint-url") });
    }
    let ignore = simple(r, &["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"], "ignore_configured_endpoint_urls", None)
        .is_some_and(|s| s.value.eq_ignore_ascii_case("true"));
    if ignore {
        return None;
    }
    let var = format!("AWS_ENDPOINT_URL_{}", service_key.to_ascii_uppercase());
    if let Some(v) = r.env.get(&var) {
        return Some(Setting { value: v.to_string(), source: Source::Env(var) });
    }
    if let Some(v) = r.env.get("AWS_ENDPOINT_URL") {
        return Some(Setting { value: v.to_string(), source: Source::Env("AWS_ENDPOINT_URL".into()) });
    }
    if let Some(services) = r.from_profile("services") {
        let prop = r.files.services.get(&services.value).and_then(|s| s.properties.get(service_key));
        if let Some(prop) = prop
            && let Some((_, v)) = prop.sub.iter().find(|(k, _)| k == "endpoint_url")
        {
            return Some(Setting {
                value: v.clone(),
                source: Source::Profile {
                    profile: format!("services {}", services.value),
                    path: prop.origin.path.clone(),
                    line: prop.origin.line,
                },
            });
        }
    }
    r.from_profile("endpoint_url")
}
