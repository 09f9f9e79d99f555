//! `configure list`: the profile, keys and region in use, with where each came from.

use crate::configure::{mask, no_more_args};
use crate::error::{CliResult, exit};
use nubo_session::Session;
use nubo_settings::chain::{self, Source};
use nubo_settings::location;

struct Row {
    value: String,
    kind: String,
    location: String,
}

impl Row {
    fn not_set() -> Row {
        Row { value: "<not set>".into(), kind: "None".into(), location: "None".into() }
    }
}

pub fn run(ctx: &Session, rest: &[String]) -> CliResult<i32> {
    no_more_args(rest)?;
    let resolver = ctx.resolver()?;
    let profile = ctx.profile();
    let profile_row = match &profile.source {
        Source::CommandLine(opt) => {
            Row { value: profile.value.clone(), kind: "manual".into(), location: opt.to_string() }
        }
        Source::Env(var) => Row { value: profile.value.clone(), kind: "env".into(), location: var.clone() },
        _ => Row::not_set(),
    };
    let (access, secret) = match crate::credentials::for_list(ctx)? {
        Some(res) => {
            let kind = res.type_name().to_string();
            let c = &res.credentials;
            (
                Row { value: mask(&c.access_key_id), kind: kind.clone(), location: res.location.clone() },
                Row { value: mask(&c.secret_access_key), kind, location: res.location.clone() },
            )
        }
        None => (Row::not_set(), Row::not_set()),
    };
    let region = chain::region(&resolver, ctx.globals.region.as_deref());
    let region_row = row_for(&region.value, &region.source, ctx);

    let mut out = String::new();
    line(&mut out, "Name", &Row { value: "Value".into(), kind: "Type".into(), location: "Location".into() });
    line(&mut out, "----", &Row { value: "-----".into(), kind: "----".into(), location: "--------".into() });
    line(&mut out, "profile", &profile_row);
    line(&mut out, "access_key", &access);
    line(&mut out, "secret_key", &secret);
    line(&mut out, "region", &region_row);
    print!("{out}");
    Ok(exit::OK)
}

fn row_for(value: &str, source: &Source, ctx: &Session) -> Row {
    match source {
        Source::CommandLine(opt) => {
            Row { value: value.into(), kind: "parameter".into(), location: opt.to_string() }
        }
        Source::Env(var) => Row { value: value.into(), kind: "env".into(), location: var.clone() },
        Source::Profile { path, .. } => Row {
            value: value.into(),
            kind: if *path == location::credentials_file(&ctx.env) {
                "shared-credentials-file".into()
            } else {
                "config-file".into()
            },
            location: display_path(ctx, path),
        },
        Source::Default => Row { value: value.into(), kind: "default".into(), location: "None".into() },
    }
}

/// A path as the AWS CLI shows it: `~/.aws/config` when under the home directory.
fn display_path(ctx: &Session, path: &std::path::Path) -> String {
    if let Some(home) = location::home_dir(&ctx.env)
        && let Ok(rel) = path.strip_prefix(&home)
    {
        return format!("~/{}", rel.display());
    }
    path.display().to_string()
}

fn line(out: &mut String, name: &str, r: &Row) {
    out.push_str(&format!("{name:>10} {:>24} {:>16}    {}\n", r.value, r.kind, r.location));
}
