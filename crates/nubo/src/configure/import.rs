//! `configure import --csv file://PATH [--skip-invalid] [--profile-prefix P]`: turns the IAM console's
//! access-key CSV into credentials-file profiles named after each user.

use crate::configure::file_path;
use crate::error::{CliError, CliResult, exit};
use nubo_session::Session;
use nubo_settings::edit::{self, SectionName};
use nubo_settings::parse::FileKind;

/// One credential row of the CSV.
#[derive(Debug, PartialEq)]
pub struct Row {
    pub user: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

pub fn run(ctx: &Session, rest: &[String]) -> CliResult<i32> {
    let mut csv_arg = None;
    let mut skip_invalid = false;
    let mut prefix = String::new();
    let mut i = 0;
    while i < rest.len() {
        match rest[i].as_str() {
            "--csv" => {
                i += 1;
                csv_arg = Some(rest.get(i).ok_or_else(|| usage("argument --csv: expected one argument"))?);
            }
            "--skip-invalid" => skip_invalid = true,
            "--profile-prefix" => {
                i += 1;
                prefix = rest
                    .get(i)
                    .ok_or_else(|| usage("argument --profile-prefix: expected one argument"))?
                    .clone();
            }
            other => return Err(usage(&format!("Unknown options: {other}"))),
        }
        i += 1;
    }
    let csv_arg = csv_arg.ok_or_else(|| usage("the following arguments are required: --csv"))?;
    let text = if let Some(path) = csv_arg.strip_prefix("file://") {
        std::fs::read_to_string(path).map_err(|e| {
            CliError::Usage(format!(
                "Error parsing parameter '--csv': Unable to load paramfile {csv_arg}: {e}"
            ))
        })?
    } else {
        csv_arg.clone()
    };
    let rows = parse(&text, skip_invalid)?;
    let path = file_path(ctx, FileKind::Credentials);
    for r in &rows {
        edit::set_values(
            &path,
            FileKind::Credentials,
            &SectionName::Profile(format!("{prefix}{}", r.user)),
            &[("aws_access_key_id", &r.access_key_id), ("aws_secret_access_key", &r.secret_access_key)],
        )
        .map_err(|e| CliError::Config(e.to_string()))?;
    }
    println!("Successfully imported {} profile(s)", rows.len());
    Ok(exit::OK)
}

fn usage(m: &str) -> CliError {
    CliError::Usage(m.to_string())
}

/// Parses the CSV: a header naming `User name`, `Access key ID` and `Secret access key` (any case, any
/// order, other columns ignored), then one user per row.
pub fn parse(text: &str, skip_invalid: bool) -> CliResult<Vec<Row>> {
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| CliError::Usage(format!("Invalid CSV: {e}")))?.clone();
    let col =
        |name: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name));
    let missing = |name: &str| CliError::Usage(format!("Expected header \"{name}\" not found in the CSV"));
    let user_col = col("User name").ok_or_else(|| missing("User name"))?;
    let akid_col = col("Access key ID").ok_or_else(|| missing("Access key ID"))?;
    let sak_col = col("Secret access key").ok_or_else(|| missing("Secret access key"))?;
    let mut rows = Vec::new();
    for (n, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| CliError::Usage(format!("Invalid CSV: {e}")))?;
        let get = |c: usize| rec.get(c).unwrap_or("").to_string();
        let row = Row { user: get(user_col), access_key_id: get(akid_col), secret_access_key: get(sak_col) };
        if row.user.is_empty() || row.access_key_id.is_empty() || row.secret_access_key.is_empty() {
            if skip_invalid {
                continue;
            }
            return Err(CliError::Usage(format!(
                "Failed to create profile from CSV row {}: a user name, access key ID and secret access key \
                 are required (use --skip-invalid to skip such rows)",
                n + 2
            )));
        }
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_csv() {
        let rows = parse(
            "User name,Password,Access key ID,Secret access key,Console login link\nalice,,AK1,SK1,x\n",
            false,
        )
        .unwrap();
        assert_eq!(
            rows,
            [Row { user: "alice".into(), access_key_id: "AK1".into(), secret_access_key: "SK1".into() }]
        );
    }

    #[test]
    fn invalid_rows() {
        let csv = "User Name,Access Key ID,Secret Access Key\nbob,,SK\ncarol,AK,SK\n";
        assert!(parse(csv, false).is_err());
        assert_eq!(parse(csv, true).unwrap().len(), 1);
        assert!(parse("a,b\n1,2\n", false).is_err());
    }
}
