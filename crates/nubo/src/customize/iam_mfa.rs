//! `iam create-virtual-mfa-device --outfile PATH --bootstrap-method QRCodePNG|Base32StringSeed`: the
//! operation with two added, required options. The chosen bootstrap field of the answer is decoded
//! from base64 into the file (mode 0600), and both bootstrap fields are left out of the printed
//! result, as the CLI's after-call hook does.

use super::{api, args};
use crate::error::{CliError, CliResult, exit};
use base64::Engine;
use nubo_session::Session;
use serde_json::Value;

const CHOICES: [&str; 2] = ["QRCodePNG", "Base32StringSeed"];

/// Takes `--name value` / `--name=value` out of `argv`, returning its last value.
fn take(argv: &mut Vec<String>, name: &str) -> CliResult<Option<String>> {
    let flag = format!("--{name}");
    let mut value = None;
    let mut i = 0;
    while i < argv.len() {
        if argv[i] == flag {
            match argv.get(i + 1).filter(|v| !v.starts_with("--")) {
                Some(v) => value = Some(v.clone()),
                None => return Err(CliError::Usage(format!("argument {flag}: expected one argument"))),
            }
            argv.drain(i..i + 2);
        } else if let Some(v) = argv[i].strip_prefix(&format!("{flag}=")) {
            value = Some(v.to_string());
            argv.remove(i);
        } else {
            i += 1;
        }
    }
    Ok(value)
}

/// `nubo iam create-virtual-mfa-device`.
pub fn create_virtual_mfa_device(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    let mut rest = argv.to_vec();
    let outfile = take(&mut rest, "outfile")?;
    let method = take(&mut rest, "bootstrap-method")?;
    let help = rest.iter().any(|a| a == "help");
    let Some(input) = api::operation_input(ctx, "iam", "CreateVirtualMFADevice", &rest)? else {
        return Ok(exit::OK);
    };
    if help {
        return Ok(exit::OK);
    }
    let missing: Vec<&str> = [("--outfile", &outfile), ("--bootstrap-method", &method)]
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
    if !missing.is_empty() {
        return Err(CliError::Usage(format!("the following arguments are required: {}", missing.join(", "))));
    }
    let (outfile, method) = (outfile.unwrap_or_default(), method.unwrap_or_default());
    if !CHOICES.contains(&method.as_str()) {
        return Err(args::invalid_choice("bootstrap-method", &CHOICES));
    }
    let path = expand_home(ctx, &outfile);
    let dir = std::path::absolute(&path)
        .ok()
        .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
        .unwrap_or_default();
    let writable = std::fs::metadata(&dir).is_ok_and(|m| m.is_dir() && !m.permissions().readonly());
    if !writable {
        return Err(CliError::Other(format!("Unable to write to file: {}", path.display())));
    }
    let mut output = api::call(ctx, "iam", "CreateVirtualMFADevice", &input)?;
    let device = output.get_mut("VirtualMFADevice").and_then(Value::as_object_mut);
    if let Some(device) = device
        && let Some(body) = device.get(&method).and_then(Value::as_str)
    {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|e| CliError::Other(format!("the {method} in the answer is not base64: {e}")))?;
        write_private(&path, &bytes)?;
        for c in CHOICES {
            device.remove(c);
        }
    }
    api::print(ctx, &output, "CreateVirtualMFADevice")?;
    Ok(exit::OK)
}

/// `~/x` with the home directory, as Python's `expanduser`.
fn expand_home(ctx: &Session, path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), api::home_dir(ctx)) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => std::path::PathBuf::from(path),
    }
}

fn write_private(path: &std::path::Path, bytes: &[u8]) -> CliResult<()> {
    nubo_settings::atomic::write_file(path, bytes, Some(0o600), false)
        .map_err(|e| CliError::Other(format!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_added_options_out() {
        let mut v: Vec<String> =
            ["--outfile", "a", "--virtual-mfa-device-name", "m", "--bootstrap-method=QRCodePNG"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        assert_eq!(take(&mut v, "outfile").unwrap().as_deref(), Some("a"));
        assert_eq!(take(&mut v, "bootstrap-method").unwrap().as_deref(), Some("QRCodePNG"));
        assert_eq!(v, ["--virtual-mfa-device-name", "m"]);
        let mut v = vec!["--outfile".to_string()];
        assert!(take(&mut v, "outfile").is_err());
    }
}
