//! The `~/.aws/cli/cache` entries of temporary credentials (assumed roles, web identities, SSO
//! role credentials): their keys, reading them while they have more than 15 minutes left (the
//! CLI's window), and writing them in the CLI's layout (`{"Credentials": {...}}`).

use super::Fetched;
use crate::aws::str_of;
use crate::cache::{self, FileCache};
use crate::input::Input;
use crate::timefmt;
use nubo_py::json::{self as pyjson, Style};
use nubo_sign::Credentials;
use serde_json::{Map, Value, json};

/// Cached credentials are reused only while they have more than this many seconds left.
pub(crate) const EXPIRY_WINDOW_SECS: f64 = 15.0 * 60.0;

/// The key of an STS call's arguments: SHA-1 of `json.dumps(args, sort_keys=True)`.
pub(crate) fn key_of_args(args: &Map<String, Value>) -> String {
    cache::file_safe(&cache::sha1_hex(&pyjson::dumps(&Value::Object(args.clone()), Style::Default, true)))
}

/// The key of SSO role credentials: SHA-1 of the compact, sorted JSON of account, role and the
/// session name (or, for the legacy keys, the start URL).
pub(crate) fn key_of_sso(
    account_id: &str,
    role_name: &str,
    session: Option<&str>,
    start_url: &str,
) -> String {
    let mut args = Map::new();
    args.insert("roleName".into(), json!(role_name));
    args.insert("accountId".into(), json!(account_id));
    match session {
        Some(s) => args.insert("sessionName".into(), json!(s)),
        None => args.insert("startUrl".into(), json!(start_url)),
    };
    cache::file_safe(&cache::sha1_hex(&pyjson::dumps(&Value::Object(args), Style::Compact, true)))
}

/// The cached credentials under `key`, if present and not about to expire.
pub(crate) fn load(input: &Input, key: &str) -> Option<Fetched> {
    let entry = FileCache::cli(&input.env)?.get(key)?;
    let f = from_credentials_object(entry.get("Credentials")?).ok()?;
    let left = timefmt::seconds_until(f.expiry?, input.now());
    (left >= EXPIRY_WINDOW_SECS).then_some(f)
}

/// Stores credentials under `key`; `extra` members (such as `AssumedRoleUser` or `ProviderType`)
/// go beside `Credentials`. A cache that cannot be written is not an error: the credentials are
/// good, they just are not kept.
pub(crate) fn store(input: &Input, key: &str, f: &Fetched, extra: Map<String, Value>, z_form: bool) {
    let Some(cache) = FileCache::cli(&input.env) else { return };
    let mut creds = Map::new();
    creds.insert("AccessKeyId".into(), json!(f.credentials.access_key_id));
    creds.insert("SecretAccessKey".into(), json!(f.credentials.secret_access_key));
    if let Some(t) = &f.credentials.session_token {
        creds.insert("SessionToken".into(), json!(t));
    }
    if let Some(exp) = f.expiry {
        let text = if z_form { timefmt::iso_z(exp) } else { timefmt::python_iso(exp) };
        creds.insert("Expiration".into(), json!(text));
    }
    if let Some(a) = &f.account_id {
        creds.insert("AccountId".into(), json!(a));
    }
    let mut entry = extra;
    entry.insert("Credentials".into(), Value::Object(creds));
    let _ = cache.put(key, &Value::Object(entry));
}

/// Reads an STS-style `Credentials` object (`AccessKeyId`, `SecretAccessKey`, `SessionToken`,
/// `Expiration` as text or epoch seconds, optional `AccountId`).
pub(crate) fn from_credentials_object(c: &Value) -> Result<Fetched, String> {
    let access = str_of(c, "AccessKeyId").ok_or("the response has no AccessKeyId")?;
    let secret = str_of(c, "SecretAccessKey").ok_or("the response has no SecretAccessKey")?;
    let token = str_of(c, "SessionToken").map(str::to_string);
    let expiry = match c.get("Expiration") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            Some(timefmt::parse(s).ok_or_else(|| format!("Expiration {s:?} is not a timestamp"))?)
        }
        Some(Value::Number(n)) => Some(
            n.as_f64()
                .and_then(timefmt::from_epoch_secs)
                .ok_or_else(|| format!("Expiration {n} is not a timestamp"))?,
        ),
        Some(other) => return Err(format!("Expiration {other} is not a timestamp")),
    };
    Ok(Fetched {
        credentials: Credentials::new(access, secret, token),
        expiry,
        account_id: str_of(c, "AccountId").map(str::to_string),
    })
}

/// The account id in an ARN (`arn:aws:sts::123456789012:assumed-role/...`).
pub(crate) fn account_of_arn(arn: &str) -> Option<String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    (parts.len() == 6 && parts[0] == "arn" && !parts[4].is_empty()).then(|| parts[4].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_the_cli() {
        // json.dumps({"RoleArn": "arn:aws:iam::123456789012:role/r"}, sort_keys=True) hashed.
        let mut args = Map::new();
        args.insert("RoleArn".into(), json!("arn:aws:iam::123456789012:role/r"));
        assert_eq!(
            key_of_args(&args),
            cache::sha1_hex("{\"RoleArn\": \"arn:aws:iam::123456789012:role/r\"}")
        );
        assert_eq!(
            key_of_sso("1", "r", Some("s"), "u"),
            cache::sha1_hex("{\"accountId\":\"1\",\"roleName\":\"r\",\"sessionName\":\"s\"}")
        );
        assert_eq!(
            key_of_sso("1", "r", None, "u"),
            cache::sha1_hex("{\"accountId\":\"1\",\"roleName\":\"r\",\"startUrl\":\"u\"}")
        );
    }

    #[test]
    fn credentials_objects() {
        let f = from_credentials_object(&json!({
            "AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "T",
            "Expiration": "2030-01-01T00:00:00UTC", "AccountId": "1"
        }))
        .unwrap();
        assert_eq!(f.credentials.access_key_id, "A");
        assert!(f.expiry.is_some());
        assert!(from_credentials_object(&json!({"AccessKeyId": "A"})).is_err());
        assert!(
            from_credentials_object(&json!({"AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "x"}))
                .is_err()
        );
        assert_eq!(
            account_of_arn("arn:aws:sts::123456789012:assumed-role/r/s").as_deref(),
            Some("123456789012")
        );
        assert_eq!(account_of_arn("nope"), None);
    }
}
