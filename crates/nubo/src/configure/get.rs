//! `configure get VARNAME`: one value of the selected profile, or a dotted path into the files
//! (`profile.dev.region`, `default.s3.max_concurrent_requests`, `s3.multipart_threshold`, `preview.x`).

use crate::error::{CliError, CliResult, exit};
use nubo_session::{Session, profile_not_found};

/// Top-level sections that `configure get`/`set` address directly, as the AWS CLI does.
pub const PREDEFINED_SECTIONS: [&str; 2] = ["preview", "plugins"];

/// What a variable name addresses: a key of a profile, maybe a sub-key.
#[derive(Debug, PartialEq)]
pub struct Target {
    pub profile: String,
    pub key: String,
    pub sub: Option<String>,
}

pub fn run(ctx: &Session, rest: &[String]) -> CliResult<i32> {
    let [varname] = rest else {
        return Err(CliError::Usage(if rest.is_empty() {
            "the following arguments are required: varname".into()
        } else {
            format!("Unknown options: {}", rest[1..].join(", "))
        }));
    };
    let files = ctx.files()?;
    let selected = ctx.profile();
    let target = if varname.contains('.') {
        resolve_dotted(varname, &selected.value, |p| files.profile(p).is_some())
    } else {
        if ctx.profile_chosen() && files.profile(&selected.value).is_none() {
            return Err(profile_not_found(&selected.value));
        }
        Target { profile: selected.value.clone(), key: varname.clone(), sub: None }
    };
    let Some(section) = files.profile(&target.profile) else { return Ok(1) };
    let Some(prop) = section.properties.get(target.key.as_str()) else { return Ok(1) };
    match &target.sub {
        Some(sub) => match prop.sub.iter().find(|(k, _)| k == sub) {
            Some((_, v)) => println!("{v}"),
            None => return Ok(1),
        },
        None if !prop.sub.is_empty() || (prop.value.is_empty() && !prop.sub.is_empty()) => {
            eprintln!("varname ({varname}) must reference a value, not a section or sub-section.");
            return Ok(1);
        }
        None => println!("{}", prop.value),
    }
    Ok(exit::OK)
}

/// Interprets a dotted variable name the way the AWS CLI does.
pub fn resolve_dotted(varname: &str, selected: &str, profile_exists: impl Fn(&str) -> bool) -> Target {
    let parts: Vec<&str> = varname.split('.').collect();
    let (profile, rest): (String, &[&str]) = if parts.len() == 2 && PREDEFINED_SECTIONS.contains(&parts[0]) {
        (parts[0].to_string(), &parts[1..])
    } else if parts[0] == "profile" && parts.len() >= 3 {
        (parts[1].to_string(), &parts[2..])
    } else if parts[0] == "default" || profile_exists(parts[0]) {
        (parts[0].to_string(), &parts[1..])
    } else {
        (selected.to_string(), &parts[..])
    };
    Target {
        profile,
        key: rest.first().map(|s| s.to_string()).unwrap_or_default(),
        sub: rest.get(1).map(|s| s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(p: &str, k: &str, s: Option<&str>) -> Target {
        Target { profile: p.into(), key: k.into(), sub: s.map(Into::into) }
    }

    #[test]
    fn dotted_names() {
        let exists = |p: &str| p == "dev";
        assert_eq!(resolve_dotted("profile.x.region", "default", exists), t("x", "region", None));
        assert_eq!(
            resolve_dotted("default.s3.addressing_style", "dev", exists),
            t("default", "s3", Some("addressing_style"))
        );
        assert_eq!(resolve_dotted("dev.region", "default", exists), t("dev", "region", None));
        assert_eq!(
            resolve_dotted("s3.max_concurrent_requests", "dev", exists),
            t("dev", "s3", Some("max_concurrent_requests"))
        );
        assert_eq!(resolve_dotted("preview.cloudfront", "dev", exists), t("preview", "cloudfront", None));
    }
}
