//! The JSON file caches the AWS CLI keeps: `~/.aws/cli/cache` (assumed-role, web-identity and SSO
//! role credentials) and `~/.aws/sso/cache` (SSO tokens and client registrations). One file per
//! key, `<key>.json`, written atomically (temporary file + rename) with mode 0600 in a 0700
//! directory. The keys are SHA-1 digests computed exactly as the CLI computes them, so nubo and the
//! CLI share each other's cache entries.

use nubo_py::json::{self as pyjson, Style};
use nubo_settings::env::Env;
use nubo_settings::location;
use serde_json::Value;
use sha1::{Digest, Sha1};
use std::path::{Path, PathBuf};

/// One cache directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCache {
    dir: PathBuf,
}

impl FileCache {
    /// A cache in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FileCache { dir: dir.into() }
    }

    /// `~/.aws/cli/cache`, when there is a home directory.
    pub fn cli(env: &Env) -> Option<FileCache> {
        location::aws_dir(env).map(|d| FileCache::new(d.join("cli").join("cache")))
    }

    /// `~/.aws/sso/cache`, when there is a home directory.
    pub fn sso(env: &Env) -> Option<FileCache> {
        location::aws_dir(env).map(|d| FileCache::new(d.join("sso").join("cache")))
    }

    /// The directory.
    #[cfg(test)]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of `key`.
    pub fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// The entry of `key`; `None` when absent, unreadable or not JSON (as the CLI treats them).
    pub fn get(&self, key: &str) -> Option<Value> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Stores `value` under `key`.
    pub fn put(&self, key: &str, value: &Value) -> Result<(), String> {
        let text = pyjson::dumps(value, Style::Default, false);
        write_private(&self.dir, &self.path(key), text.as_bytes())
            .map_err(|e| format!("cannot write the cache file {}: {e}", self.path(key).display()))
    }

    /// Every `*.json` file in the directory with its parsed content (unparsable ones skipped).
    pub fn entries(&self) -> Vec<(PathBuf, Value)> {
        let Ok(dir) = std::fs::read_dir(&self.dir) else { return Vec::new() };
        let mut out: Vec<(PathBuf, Value)> = dir
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
            .filter_map(|p| {
                let v = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
                Some((p, v))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// Writes `bytes` to `path` atomically, the file readable by its owner only.
fn write_private(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    create_private_dir(dir)?;
    nubo_settings::atomic::write_file(path, bytes, Some(0o600), true)
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// The lower-case hex SHA-1 of `text`.
pub fn sha1_hex(text: &str) -> String {
    let digest = Sha1::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The CLI's file-name-safe form of a key (`:` and path separators become `_`).
pub fn file_safe(key: &str) -> String {
    key.replace([':', '/', '\\'], "_")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_is_private_and_atomic() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FileCache::new(dir.path().join("a").join("b"));
        assert_eq!(cache.get("k"), None);
        cache.put("k", &json!({"x": 1})).unwrap();
        assert_eq!(cache.get("k"), Some(json!({"x": 1})));
        assert_eq!(std::fs::read_to_string(cache.path("k")).unwrap(), "{\"x\": 1}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(cache.path("k")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let mode = std::fs::metadata(cache.dir()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        std::fs::write(cache.path("bad"), "not json").unwrap();
        assert_eq!(cache.get("bad"), None);
        assert_eq!(cache.entries().len(), 1);
        std::fs::remove_file(cache.path("k")).unwrap();
        assert_eq!(cache.get("k"), None);
    }

    #[test]
    fn sha1_and_locations() {
        assert_eq!(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(file_safe("a:b/c"), "a_b_c");
        let env = Env::from_pairs([("HOME", "/h")]);
        assert_eq!(FileCache::cli(&env).unwrap().path("x"), PathBuf::from("/h/.aws/cli/cache/x.json"));
        assert_eq!(FileCache::sso(&env).unwrap().dir(), Path::new("/h/.aws/sso/cache"));
        assert_eq!(FileCache::cli(&Env::default()), None);
    }
}
