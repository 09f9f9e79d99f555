//! `configure set VARNAME VALUE`: writes one value; credential keys to the credentials file, the rest to
//! the config file, exactly where the AWS CLI would put them.

use crate::configure::get::PREDEFINED_SECTIONS;
use crate::configure::{CREDENTIAL_KEYS, file_path};
use crate::error::{CliError, CliResult, exit};
use nubo_session::Session;
use nubo_settings::edit::{self, SectionName};
use nubo_settings::parse::FileKind;

/// Where one `configure set` goes.
#[derive(Debug, PartialEq)]
pub struct Write {
    pub kind: FileKind,
    pub section: SectionName,
    /// The key, dotted (`s3.max_concurrent_requests`) for a sub-property.
    pub key: String,
}

pub fn run(ctx: &Session, rest: &[String]) -> CliResult<i32> {
    let [varname, value] = rest else {
        return Err(CliError::Usage(match rest.len() {
            0 => "the following arguments are required: varname, value".into(),
            1 => "the following arguments are required: value".into(),
            _ => format!("Unknown options: {}", rest[2..].join(", ")),
        }));
    };
    let selected = ctx.globals.profile.clone().or_else(|| {
        let p = ctx.profile();
        (p.source != nubo_settings::chain::Source::Default).then_some(p.value)
    });
    let w = plan(varname, selected.as_deref())?;
    let path = file_path(ctx, w.kind);
    edit::set_values(&path, w.kind, &w.section, &[(w.key.as_str(), value.as_str())])
        .map_err(|e| CliError::Config(e.to_string()))?;
    Ok(exit::OK)
}

/// Decides the file, section and key for `configure set varname` with the selected profile (if any).
pub fn plan(varname: &str, selected: Option<&str>) -> CliResult<Write> {
    let parts: Vec<&str> = varname.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(CliError::Usage(format!("argument varname: invalid name '{varname}'")));
    }
    let profile_or_default = |p: Option<&str>| p.unwrap_or("default").to_string();
    let (profile, key): (String, String) = match parts.as_slice() {
        [_] => (profile_or_default(selected), varname.to_string()),
        ["default", rest @ ..] if !rest.is_empty() => ("default".into(), rest.join(".")),
        ["profile", name, rest @ ..] if !rest.is_empty() => (name.to_string(), rest.join(".")),
        [section, key] if PREDEFINED_SECTIONS.contains(section) => {
            return Ok(Write {
                kind: FileKind::Config,
                section: SectionName::Profile(section.to_string()),
                key: key.to_string(),
            });
        }
        _ => (profile_or_default(selected), varname.to_string()),
    };
    if key.split('.').count() > 2 {
        return Err(CliError::Usage(format!("argument varname: too many parts in '{varname}'")));
    }
    let kind = if CREDENTIAL_KEYS.contains(&key.as_str()) { FileKind::Credentials } else { FileKind::Config };
    Ok(Write { kind, section: SectionName::Profile(profile), key })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(kind: FileKind, p: &str, k: &str) -> Write {
        Write { kind, section: SectionName::Profile(p.into()), key: k.into() }
    }

    #[test]
    fn where_values_go() {
        assert_eq!(plan("region", None).unwrap(), w(FileKind::Config, "default", "region"));
        assert_eq!(plan("region", Some("dev")).unwrap(), w(FileKind::Config, "dev", "region"));
        assert_eq!(
            plan("aws_access_key_id", Some("dev")).unwrap(),
            w(FileKind::Credentials, "dev", "aws_access_key_id")
        );
        assert_eq!(
            plan("profile.x.aws_session_token", None).unwrap(),
            w(FileKind::Credentials, "x", "aws_session_token")
        );
        assert_eq!(
            plan("default.s3.max_concurrent_requests", Some("dev")).unwrap(),
            w(FileKind::Config, "default", "s3.max_concurrent_requests")
        );
        assert_eq!(
            plan("s3.multipart_threshold", Some("dev")).unwrap(),
            w(FileKind::Config, "dev", "s3.multipart_threshold")
        );
        assert!(plan("a..b", None).is_err());
    }
}
