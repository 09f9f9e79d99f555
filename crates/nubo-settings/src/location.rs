//! Where the config and credentials files live: `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`
//! (with `~` expanded), else `~/.aws/config` and `~/.aws/credentials`, the home directory coming from
//! `HOME` (and on Windows `USERPROFILE`, then `HOMEDRIVE` + `HOMEPATH`), as the cross-SDK
//! file-location tests specify.
//!
//! Only the given [`Env`] is read (never the process environment or the password database), so
//! that results are reproducible. With no home directory at all, the default paths stay
//! unexpanded (`~/.aws/config`), which names no existing file and so reads as an empty file.
//!
//! The `*_for` functions take the [`Platform`] explicitly and work on strings, so that the Windows
//! rules can be checked on any machine; the others use the platform nubo was built for.

use crate::env::Env;
use std::path::PathBuf;

/// The operating-system family whose home-directory and separator rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// Linux, macOS and the other Unix-likes: `HOME` only, `/` separators.
    Unix,
    /// Windows: `HOME`, then `USERPROFILE`, then `HOMEDRIVE` + `HOMEPATH`, `\` separators.
    Windows,
}

impl Platform {
    /// The platform this binary was built for.
    pub const fn current() -> Self {
        if cfg!(windows) { Platform::Windows } else { Platform::Unix }
    }

    fn separator(self) -> char {
        match self {
            Platform::Unix => '/',
            Platform::Windows => '\\',
        }
    }

    fn is_separator(self, c: char) -> bool {
        c == '/' || (self == Platform::Windows && c == '\\')
    }
}

/// The user's home directory on this platform, if the environment names one.
pub fn home_dir(env: &Env) -> Option<PathBuf> {
    home_dir_for(env, Platform::current()).map(PathBuf::from)
}

/// The user's home directory under `platform`'s rules.
pub fn home_dir_for(env: &Env, platform: Platform) -> Option<String> {
    if let Some(home) = env.get("HOME") {
        return Some(home.to_string());
    }
    if platform == Platform::Windows {
        if let Some(profile) = env.get("USERPROFILE") {
            return Some(profile.to_string());
        }
        if let (Some(drive), Some(path)) = (env.get("HOMEDRIVE"), env.get("HOMEPATH")) {
            return Some(format!("{drive}{path}"));
        }
    }
    None
}

/// `~/.aws`, if there is a home directory.
pub fn aws_dir(env: &Env) -> Option<PathBuf> {
    home_dir(env).map(|h| h.join(".aws"))
}

/// The config file: `AWS_CONFIG_FILE` (with `~` expanded), else `~/.aws/config`.
pub fn config_file(env: &Env) -> PathBuf {
    PathBuf::from(config_file_for(env, Platform::current()))
}

/// The credentials file: `AWS_SHARED_CREDENTIALS_FILE` (with `~` expanded), else
/// `~/.aws/credentials`.
pub fn credentials_file(env: &Env) -> PathBuf {
    PathBuf::from(credentials_file_for(env, Platform::current()))
}

/// [`config_file`] under `platform`'s rules, as a string.
pub fn config_file_for(env: &Env, platform: Platform) -> String {
    file_for(env, platform, "AWS_CONFIG_FILE", "config")
}

/// [`credentials_file`] under `platform`'s rules, as a string.
pub fn credentials_file_for(env: &Env, platform: Platform) -> String {
    file_for(env, platform, "AWS_SHARED_CREDENTIALS_FILE", "credentials")
}

fn file_for(env: &Env, platform: Platform, var: &str, name: &str) -> String {
    if let Some(path) = env.get(var) {
        return expand_tilde_for(path, env, platform);
    }
    let sep = platform.separator();
    expand_tilde_for(&format!("~{sep}.aws{sep}{name}"), env, platform)
}

/// `path` with a leading `~` (alone, or followed by a separator) replaced by the home directory.
/// `~user` forms are left alone, as are paths when there is no home directory.
pub fn expand_tilde(path: &str, env: &Env) -> PathBuf {
    PathBuf::from(expand_tilde_for(path, env, Platform::current()))
}

/// [`expand_tilde`] under `platform`'s rules, as a string.
pub fn expand_tilde_for(path: &str, env: &Env, platform: Platform) -> String {
    let Some(rest) = path.strip_prefix('~') else { return path.to_string() };
    if !(rest.is_empty() || rest.starts_with(|c| platform.is_separator(c))) {
        return path.to_string();
    }
    let Some(home) = home_dir_for(env, platform) else { return path.to_string() };
    if rest.is_empty() {
        return home;
    }
    // Avoid a doubled separator when the home directory ends with one (e.g. `/`).
    let home = home.trim_end_matches(|c| platform.is_separator(c));
    format!("{home}{rest}")
}

/// The profile the environment selects, if any: `AWS_DEFAULT_PROFILE`, then `AWS_PROFILE`
/// (botocore's order; the cross-SDK suite only uses `AWS_PROFILE`).
pub fn profile_from_env(env: &Env) -> Option<&str> {
    env.get("AWS_DEFAULT_PROFILE").or_else(|| env.get("AWS_PROFILE"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn defaults_under_home() {
        let e = env(&[("HOME", "/home/u")]);
        assert_eq!(config_file_for(&e, Platform::Unix), "/home/u/.aws/config");
        assert_eq!(credentials_file_for(&e, Platform::Unix), "/home/u/.aws/credentials");
        assert_eq!(aws_dir(&e), Some(PathBuf::from("/home/u/.aws")));
    }

    #[test]
    fn trailing_separator_in_home_is_not_doubled() {
        let e = env(&[("HOME", "/")]);
        assert_eq!(config_file_for(&e, Platform::Unix), "/.aws/config");
        let e = env(&[("HOME", "/home/u/")]);
        assert_eq!(config_file_for(&e, Platform::Unix), "/home/u/.aws/config");
    }

    #[test]
    fn overrides_expand_tilde() {
        let e =
            env(&[("HOME", "/home/u"), ("AWS_CONFIG_FILE", "~/cfg"), ("AWS_SHARED_CREDENTIALS_FILE", "~")]);
        assert_eq!(config_file_for(&e, Platform::Unix), "/home/u/cfg");
        assert_eq!(credentials_file_for(&e, Platform::Unix), "/home/u");
    }

    #[test]
    fn tilde_user_and_inner_tilde_are_kept() {
        let e = env(&[("HOME", "/home/u")]);
        assert_eq!(expand_tilde_for("~bob/x", &e, Platform::Unix), "~bob/x");
        assert_eq!(expand_tilde_for("/a/~/x", &e, Platform::Unix), "/a/~/x");
        assert_eq!(expand_tilde_for("~\\x", &e, Platform::Unix), "~\\x");
        assert_eq!(expand_tilde_for("~\\x", &e, Platform::Windows), "/home/u\\x");
    }

    #[test]
    fn no_home_leaves_paths_unexpanded() {
        let e = Env::default();
        assert_eq!(home_dir(&e), None);
        assert_eq!(aws_dir(&e), None);
        assert_eq!(config_file_for(&e, Platform::Unix), "~/.aws/config");
        assert_eq!(config_file_for(&e, Platform::Windows), "~\\.aws\\config");
    }

    #[test]
    fn windows_home_order() {
        let e = env(&[("USERPROFILE", "C:\\u"), ("HOMEDRIVE", "D:"), ("HOMEPATH", "\\p")]);
        assert_eq!(home_dir_for(&e, Platform::Windows).as_deref(), Some("C:\\u"));
        assert_eq!(home_dir_for(&e, Platform::Unix), None);
        let e = env(&[("HOMEDRIVE", "D:"), ("HOMEPATH", "\\p")]);
        assert_eq!(credentials_file_for(&e, Platform::Windows), "D:\\p\\.aws\\credentials");
        let e = env(&[("HOMEPATH", "\\p")]);
        assert_eq!(home_dir_for(&e, Platform::Windows), None);
    }

    #[test]
    fn empty_variables_are_unset() {
        let e = env(&[("HOME", "/h"), ("AWS_CONFIG_FILE", "")]);
        assert_eq!(config_file_for(&e, Platform::Unix), "/h/.aws/config");
    }

    #[test]
    fn profile_variables() {
        assert_eq!(profile_from_env(&env(&[("AWS_PROFILE", "a")])), Some("a"));
        assert_eq!(profile_from_env(&env(&[("AWS_PROFILE", "a"), ("AWS_DEFAULT_PROFILE", "b")])), Some("b"));
        assert_eq!(profile_from_env(&Env::default()), None);
    }
}
