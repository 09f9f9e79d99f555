//! The merged files as JSON for `configure dump`, with secret values masked the way the AWS CLI
//! masks them in `configure list` (sixteen `*` then the value's last four characters).

use crate::profiles::{ProfileSet, Property, Section};
use indexmap::IndexMap;
use serde_json::{Map, Value};

/// True for keys whose values are secrets: `aws_secret_access_key`, `aws_session_token`,
/// `aws_security_token`, and any key containing `secret`, `token` or `password` (any case).
pub fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["secret", "token", "password"].iter().any(|w| key.contains(w))
}

/// `value` masked as the AWS CLI masks it: sixteen `*` followed by its last four characters
/// (all of it when shorter).
pub fn mask_value(value: &str) -> String {
    let tail_start = value.char_indices().rev().nth(3).map_or(0, |(i, _)| i);
    format!("{}{}", "*".repeat(16), &value[tail_start..])
}

impl ProfileSet {
    /// `{"profiles": {NAME: {KEY: VALUE}}, "sso_sessions": {...}, "services": {...}}`. A property
    /// with sub-properties becomes an object `{SUBKEY: VALUE}`. Secret values (see
    /// [`is_secret_key`]; for a sub-property, its own key or its parent's) are masked unless
    /// `reveal`. With `only_profile`, `profiles` holds just that profile (nothing when it does not
    /// exist); the other two maps are always complete.
    pub fn dump(&self, only_profile: Option<&str>, reveal: bool) -> Value {
        let profiles = match only_profile {
            Some(name) => self
                .profiles
                .get_key_value(name)
                .map(|(k, s)| section_map([(k, s)], reveal))
                .unwrap_or_default(),
            None => section_map(&self.profiles, reveal),
        };
        let mut root = Map::new();
        root.insert("profiles".into(), Value::Object(profiles));
        root.insert("sso_sessions".into(), Value::Object(section_map(&self.sso_sessions, reveal)));
        root.insert("services".into(), Value::Object(section_map(&self.services, reveal)));
        Value::Object(root)
    }
}

fn section_map<'a>(
    sections: impl IntoIterator<Item = (&'a String, &'a Section)>,
    reveal: bool,
) -> Map<String, Value> {
    sections
        .into_iter()
        .map(|(name, section)| (name.clone(), Value::Object(section_json(&section.properties, reveal))))
        .collect()
}

fn section_json(properties: &IndexMap<String, Property>, reveal: bool) -> Map<String, Value> {
    properties
        .iter()
        .map(|(key, p)| {
            let hide = |k: &str, v: &str| {
                if !reveal && (is_secret_key(key) || is_secret_key(k)) {
                    mask_value(v)
                } else {
                    v.to_string()
                }
            };
            let value = if p.sub.is_empty() && !p.value.starts_with('\n') {
                Value::String(hide(key, &p.value))
            } else {
                Value::Object(p.sub.iter().map(|(k, v)| (k.clone(), Value::String(hide(k, v)))).collect())
            };
            (key.clone(), value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{FileKind, parse};
    use crate::profiles::merge;
    use serde_json::json;
    use std::path::Path;

    fn set(config: &str, credentials: &str) -> ProfileSet {
        merge(
            parse(config, FileKind::Config, Path::new("c")).unwrap(),
            parse(credentials, FileKind::Credentials, Path::new("k")).unwrap(),
        )
    }

    #[test]
    fn masks_like_the_cli() {
        assert_eq!(mask_value("wJalrXUtnFEMI/K7MDENG"), "****************DENG");
        assert_eq!(mask_value("abcdef"), "****************cdef");
        assert_eq!(mask_value("abc"), "****************abc");
        assert_eq!(mask_value(""), "****************");
        assert_eq!(mask_value("ééééé"), "****************éééé");
    }

    #[test]
    fn secret_keys() {
        for k in
            ["aws_secret_access_key", "aws_session_token", "aws_security_token", "db_PASSWORD", "x_secret"]
        {
            assert!(is_secret_key(k), "{k}");
        }
        for k in ["aws_access_key_id", "region", "sso_start_url"] {
            assert!(!is_secret_key(k), "{k}");
        }
    }

    #[test]
    fn dump_shape_and_masking() {
        let s = set(
            "[profile a]\nregion = r\ns3 =\n  max_concurrent_requests = 2\n  token_thing = abcdefgh\n[sso-session s]\nsso_region = r\n[services v]\ns3 =\n  endpoint_url = http://x\n",
            "[a]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret1234\n[b]\nx = 1\n",
        );
        let expected = json!({
            "profiles": {
                "a": {
                    "region": "r",
                    "s3": {"max_concurrent_requests": "2", "token_thing": "****************efgh"},
                    "aws_access_key_id": "AKIDEXAMPLE",
                    "aws_secret_access_key": "****************1234"
                },
                "b": {"x": "1"}
            },
            "sso_sessions": {"s": {"sso_region": "r"}},
            "services": {"v": {"s3": {"endpoint_url": "http://x"}}}
        });
        assert_eq!(s.dump(None, false), expected);
        let revealed = s.dump(Some("a"), true);
        assert_eq!(revealed["profiles"]["a"]["aws_secret_access_key"], "secret1234");
        assert_eq!(revealed["profiles"].as_object().unwrap().len(), 1);
        assert_eq!(s.dump(Some("zz"), false)["profiles"], json!({}));
    }

    #[test]
    fn key_order_is_file_order() {
        let s = set("[profile a]\nz = 1\na = 2\n", "");
        let text = serde_json::to_string(&s.dump(None, false)).unwrap();
        assert!(text.find("\"z\"").unwrap() < text.find("\"a\":\"2\"").unwrap(), "{text}");
    }
}
