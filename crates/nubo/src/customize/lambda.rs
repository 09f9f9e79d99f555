//! `lambda --zip-file`: on `create-function` and `publish-layer-version` the CLI hoists the nested
//! `ZipFile` blob of `--code` / `--content` to a top-level `--zip-file fileb://code.zip`; on
//! `update-function-code` (where `--zip-file` is the model's own) it checks the bytes are a zip.

use super::{api, shortcuts};
use crate::error::{CliError, CliResult, exit};
use base64::Engine;
use nubo_session::Session;
use serde_json::{Value, json};

const NOT_A_ZIP: &str = "--zip-file must be a zip file with the fileb:// prefix.\nExample usage:  --zip-file fileb://path/to/file.zip";

/// The bytes a `--zip-file` value stands for: the file's for `fileb://` and `file://`, else the text.
fn value_bytes(value: &str) -> CliResult<Vec<u8>> {
    let read = |p: &str| {
        std::fs::read(p).map_err(|e| {
            CliError::Usage(format!(
                "Error parsing parameter '--zip-file': Unable to load paramfile {value}: {e}"
            ))
        })
    };
    match (value.strip_prefix("fileb://"), value.strip_prefix("file://")) {
        (Some(p), _) | (_, Some(p)) => read(p),
        _ => Ok(value.as_bytes().to_vec()),
    }
}

/// Whether `bytes` hold a zip archive: an end-of-central-directory record within the last 64 KiB.
pub fn is_zip(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(65_557)..];
    tail.windows(4).rposition(|w| w == b"PK\x05\x06").is_some_and(|i| tail.len() - i >= 22)
}

fn zip_bytes(value: &str) -> CliResult<Vec<u8>> {
    let bytes = value_bytes(value)?;
    match is_zip(&bytes) {
        true => Ok(bytes),
        false => Err(CliError::Other(NOT_A_ZIP.into())),
    }
}

/// `update-function-code --zip-file`: refused unless it is a zip, as the CLI does.
pub fn update_function_code(args: &[String]) -> CliResult<Vec<String>> {
    let mut probe = args.to_vec();
    if let Some(v) = shortcuts::take(&mut probe, "zip-file", false)? {
        zip_bytes(&v.into_iter().next().unwrap_or_default())?;
    }
    Ok(args.to_vec())
}

/// `nubo lambda create-function`: `--zip-file` into `Code.ZipFile`.
pub fn create_function(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    hoisted(ctx, argv, "CreateFunction", "Code")
}

/// `nubo lambda publish-layer-version`: `--zip-file` into `Content.ZipFile`.
pub fn publish_layer_version(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    hoisted(ctx, argv, "PublishLayerVersion", "Content")
}

fn hoisted(ctx: &Session, argv: &[String], op: &str, member: &str) -> CliResult<i32> {
    let option = format!("--{}", member.to_ascii_lowercase());
    let mut rest = argv.to_vec();
    let zip = shortcuts::take(&mut rest, "zip-file", false)?.and_then(|v| v.into_iter().next());
    let placeholder = zip.is_some() && !shortcuts::given(&rest, &option[2..]);
    if placeholder {
        rest.extend([option.clone(), "{}".to_string()]);
    }
    let Some(mut input) = api::operation_input(ctx, "lambda", op, &rest)? else { return Ok(exit::OK) };
    if !placeholder && input.get(member).and_then(|c| c.get("ZipFile")).is_some() {
        return Err(CliError::Other(format!(
            "ZipFile cannot be provided as part of the {option} argument.  Please use the '--zip-file' option instead to specify a zip file."
        )));
    }
    if let Some(z) = zip {
        let bytes = zip_bytes(&z)?;
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        match input.get_mut(member).and_then(Value::as_object_mut) {
            Some(obj) => {
                obj.insert("ZipFile".into(), json!(encoded));
            }
            None => input[member] = json!({"ZipFile": encoded}),
        }
    }
    let output = api::call(ctx, "lambda", op, &input)?;
    api::print(ctx, &output, op)?;
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zips_are_recognised() {
        let mut empty_zip = b"PK\x05\x06".to_vec();
        empty_zip.extend([0u8; 18]);
        assert!(is_zip(&empty_zip));
        assert!(!is_zip(b"not a zip"));
        assert!(!is_zip(b"PK\x05\x06short"));
        assert!(matches!(zip_bytes("plain text"), Err(CliError::Other(m)) if m == NOT_A_ZIP));
    }
}
