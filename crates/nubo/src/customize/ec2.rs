//! `ec2` options the CLI adds: the single-rule shortcuts of the four security-group rule operations
//! (`--protocol --port --cidr --source-group --group-owner`, built into `--ip-permissions`), and
//! `get-password-data --priv-launch-key FILE`, which decrypts the Windows password in the answer with
//! the instance's launch key (RSA, PKCS#1 v1.5).

use super::{api, shortcuts};
use crate::error::{CliError, CliResult, exit};
use base64::Engine;
use nubo_session::Session;
use serde_json::{Map, Value, json};

/// The shortcuts in the order the CLI appends them to the argument table (and applies them).
const RULE_OPTIONS: [&str; 5] = ["protocol", "port", "cidr", "source-group", "group-owner"];

/// `ec2 authorize-/revoke-security-group-ingress/egress`: one rule from the shortcuts, as
/// `--ip-permissions`. Bad values are value errors (255), as in the CLI.
pub fn security_group_rule(args: &[String]) -> CliResult<Vec<String>> {
    let mut args = args.to_vec();
    let mut values: Vec<(&str, String)> = Vec::new();
    for name in RULE_OPTIONS {
        if let Some(v) = shortcuts::take(&mut args, name, false)? {
            values.push((name, v.into_iter().next().unwrap_or_default()));
        }
    }
    if values.is_empty() {
        return Ok(args);
    }
    if shortcuts::given(&args, "ip-permissions")
        && let Some((name, _)) = values.iter().find(|(_, v)| !v.is_empty())
    {
        return Err(CliError::Other(format!(
            "The --{} option is not compatible with the --ip-permissions option ",
            name.replace('-', "_")
        )));
    }
    let mut rule = Map::new();
    let mut pair = Map::new();
    for (name, value) in values.iter().filter(|(_, v)| !v.is_empty()) {
        match *name {
            "protocol" => {
                rule.insert("IpProtocol".into(), json!(protocol(value)?));
            }
            "port" => {
                let (from, to) = ports(value)?;
                rule.insert("FromPort".into(), json!(from));
                rule.insert("ToPort".into(), json!(to));
            }
            "cidr" => {
                rule.insert("IpRanges".into(), json!([{"CidrIp": value}]));
            }
            "source-group" => {
                let key = if value.starts_with("sg-") { "GroupId" } else { "GroupName" };
                pair.insert(key.into(), json!(value));
            }
            _ => {
                pair.insert("UserId".into(), json!(value));
            }
        }
    }
    if !pair.is_empty() {
        rule.insert("UserIdGroupPairs".into(), json!([pair]));
    }
    if !rule.is_empty() {
        args.extend(["--ip-permissions".to_string(), json!([rule]).to_string()]);
    }
    Ok(args)
}

/// `tcp`, `udp`, `icmp`, `all` (sent as `-1`) or a protocol number 0–255 or -1, sent as given.
fn protocol(value: &str) -> CliResult<String> {
    if let Ok(n) = value.trim().parse::<i64>()
        && ((0..=255).contains(&n) || n == -1)
    {
        return Ok(value.to_string());
    }
    match value {
        "tcp" | "udp" | "icmp" => Ok(value.to_string()),
        "all" => Ok("-1".into()),
        _ => Err(CliError::Other(
            "protocol parameter should be one of: tcp|udp|icmp|all or any valid protocol number.".into(),
        )),
    }
}

/// `22`, `22-25`, `-1` or `all` (both -1).
fn ports(value: &str) -> CliResult<(i64, i64)> {
    let bad =
        || CliError::Other("port parameter should be of the form <from[-to]> (e.g. 22 or 22-25)".into());
    if value == "-1" || value == "all" {
        return Ok((-1, -1));
    }
    let (from, to) = value.split_once('-').unwrap_or((value, value));
    let n = |s: &str| s.trim().parse::<i64>().map_err(|_| bad());
    Ok((n(from)?, n(to)?))
}

/// `nubo ec2 get-password-data [--priv-launch-key FILE]`.
pub fn get_password_data(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    let mut rest = argv.to_vec();
    let key = shortcuts::take(&mut rest, "priv-launch-key", false)?.and_then(|v| v.into_iter().next());
    let Some(input) = api::operation_input(ctx, "ec2", "GetPasswordData", &rest)? else {
        return Ok(exit::OK);
    };
    let key_path = match key.filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => {
            let path = expand_home(ctx, &k);
            if !path.is_file() {
                return Err(CliError::Other(
                    "priv-launch-key should be a path to the local SSH private key file used to launch the instance."
                        .into(),
                ));
            }
            Some(path)
        }
    };
    let mut output = api::call(ctx, "ec2", "GetPasswordData", &input)?;
    if let Some(path) = key_path
        && let Some(data) = output.get("PasswordData").and_then(Value::as_str).filter(|d| !d.is_empty())
    {
        let clear = decrypt(&path, data).ok_or_else(|| {
            CliError::Other("Unable to decrypt password data using provided private key file.".into())
        })?;
        output["PasswordData"] = Value::String(clear);
    }
    api::print(ctx, &output, "GetPasswordData")?;
    Ok(exit::OK)
}

/// The password: base64 text decrypted with the PEM key in `path` (PKCS#1, or PKCS#8), as UTF-8.
fn decrypt(path: &std::path::Path, data: &str) -> Option<String> {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    let pem = std::fs::read_to_string(path).ok()?;
    let key = rsa::RsaPrivateKey::from_pkcs1_pem(&pem)
        .or_else(|_| rsa::RsaPrivateKey::from_pkcs8_pem(&pem))
        .ok()?;
    let cipher = base64::engine::general_purpose::STANDARD.decode(data.trim()).ok()?;
    let clear = key.decrypt(rsa::Pkcs1v15Encrypt, &cipher).ok()?;
    String::from_utf8(clear).ok()
}

/// `~/x` with the home directory, as Python's `expanduser`.
fn expand_home(ctx: &Session, path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), api::home_dir(ctx)) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => std::path::PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn one_rule_from_the_shortcuts() {
        let out = security_group_rule(&s(&[
            "--group-id",
            "sg-1",
            "--protocol",
            "tcp",
            "--port",
            "22-25",
            "--cidr",
            "10.0.0.0/8",
        ]))
        .unwrap();
        assert_eq!(out[..2], s(&["--group-id", "sg-1"]));
        let v: Value = serde_json::from_str(&out[3]).unwrap();
        assert_eq!(
            v,
            json!([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 25, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
        );
        let out =
            security_group_rule(&s(&["--protocol", "all", "--source-group", "web", "--group-owner", "1"]))
                .unwrap();
        let v: Value = serde_json::from_str(&out[1]).unwrap();
        assert_eq!(
            v,
            json!([{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupName": "web", "UserId": "1"}]}])
        );
    }

    #[test]
    fn value_errors_exit_255() {
        for bad in [&["--protocol", "300"][..], &["--port", "a-b"], &["--port", "x"]] {
            let e = security_group_rule(&s(bad)).unwrap_err();
            assert!(matches!(e, CliError::Other(_)), "{e}");
        }
        let e = security_group_rule(&s(&["--ip-permissions", "[]", "--source-group", "g"])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "The --source_group option is not compatible with the --ip-permissions option "
        );
        assert_eq!(ports("all").unwrap(), (-1, -1));
        assert_eq!(ports("8080").unwrap(), (8080, 8080));
    }
}
