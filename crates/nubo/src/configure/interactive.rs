//! `nubo configure [--profile P]`: prompts for the access key, secret, region and output format,
//! showing current values (keys masked); Enter keeps a value. Keys go to the credentials file, the
//! rest to the config file.

use crate::configure::{CREDENTIAL_KEYS, file_path, mask};
use crate::error::{CliError, CliResult, exit};
use nubo_session::Session;
use nubo_settings::chain::Source;
use nubo_settings::edit::{self, SectionName};
use nubo_settings::parse::FileKind;
use std::io::{BufRead, Write};

const PROMPTS: [(&str, &str); 4] = [
    ("aws_access_key_id", "AWS Access Key ID"),
    ("aws_secret_access_key", "AWS Secret Access Key"),
    ("region", "Default region name"),
    ("output", "Default output format"),
];

pub fn run(ctx: &Session) -> CliResult<i32> {
    let files = ctx.files()?;
    let selected = ctx.profile();
    let name = if selected.source == Source::Default { "default".to_string() } else { selected.value };
    let current = files.profile(&name);
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut stdout = std::io::stdout();
    let mut creds: Vec<(&str, String)> = Vec::new();
    let mut config: Vec<(&str, String)> = Vec::new();
    for (key, text) in PROMPTS {
        let now = current.and_then(|s| s.get(key));
        let shown = match now {
            None => "None".to_string(),
            Some(v) if CREDENTIAL_KEYS.contains(&key) => mask(v),
            Some(v) => v.to_string(),
        };
        write!(stdout, "{text} [{shown}]: ")?;
        stdout.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(stdout)?;
        }
        let answer = line.trim();
        if answer.is_empty() || Some(answer) == now {
            continue;
        }
        if CREDENTIAL_KEYS.contains(&key) {
            creds.push((key, answer.to_string()));
        } else {
            config.push((key, answer.to_string()));
        }
    }
    let section = SectionName::Profile(name);
    for (kind, values) in [(FileKind::Credentials, &creds), (FileKind::Config, &config)] {
        if values.is_empty() {
            continue;
        }
        let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        edit::set_values(&file_path(ctx, kind), kind, &section, &pairs)
            .map_err(|e| CliError::Config(e.to_string()))?;
    }
    Ok(exit::OK)
}
