//! What a resolution reads: the environment snapshot, the merged profile files, the selected
//! profile (and whether `--profile` chose it), the region for STS, the HTTP client, the model
//! loader, and the two links to the outside world that tests replace (the MFA prompt and the clock).

use nubo_settings::chain::{self, Resolver, Setting};
use nubo_settings::env::Env;
use nubo_settings::location;
use nubo_settings::profiles::{ProfileSet, Section};
use std::fmt;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Asks the user for an MFA code.
pub trait Prompt: Send + Sync {
    /// Shows `prompt` (`Enter MFA code for <serial>: `) and returns the code typed, or why none
    /// could be read.
    fn mfa_code(&self, prompt: &str) -> Result<String, String>;
}

/// Reads the code from the terminal without echo (as the CLI's `getpass` does).
#[derive(Debug, Clone, Copy, Default)]
pub struct TerminalPrompt;

impl Prompt for TerminalPrompt {
    fn mfa_code(&self, prompt: &str) -> Result<String, String> {
        rpassword::prompt_password(prompt)
            .map(|s| s.trim().to_string())
            .map_err(|e| format!("cannot read the MFA code from the terminal: {e}"))
    }
}

/// A boxed future that sleeps.
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The wall clock and the way to wait.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> SystemTime;
    /// Waits for `d` (container retries, SSO polling).
    fn sleep(&self, d: Duration) -> SleepFuture;
}

/// The system clock and `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
    fn sleep(&self, d: Duration) -> SleepFuture {
        Box::pin(tokio::time::sleep(d))
    }
}

/// Everything a resolution needs. Cheap to clone (the large parts are shared), and owned, so that a
/// [`crate::Provider`] can keep it to refresh credentials during a long command.
#[derive(Clone)]
pub struct Input {
    /// The environment snapshot.
    pub env: Env,
    /// The merged config and credentials files.
    pub files: Arc<ProfileSet>,
    /// The selected profile's name (`default` when none was chosen).
    pub profile: String,
    /// Whether `--profile` was given on the command line: the environment's keys (and its
    /// web-identity variables) are then skipped, as in the CLI.
    pub profile_from_cli: bool,
    /// The region of the command; STS is called there (SSO uses the `sso_region`).
    pub region: String,
    /// The HTTP client (STS, SSO, the container endpoint and IMDS go through it).
    pub http: nubo_http::Client,
    /// Where the STS, SSO and SSO OIDC models come from (the bundle by default).
    pub models: nubo_model::Loader,
    /// How to ask for an MFA code.
    pub prompt: Arc<dyn Prompt>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Extra environment variables for `credential_process` children (for example the recursion
    /// guard of `configure export-credentials`).
    pub process_env: Vec<(String, String)>,
}

impl Input {
    /// An input with the terminal prompt, the system clock and the bundled models.
    pub fn new(
        env: Env,
        files: impl Into<Arc<ProfileSet>>,
        profile: impl Into<String>,
        profile_from_cli: bool,
        region: impl Into<String>,
        http: nubo_http::Client,
    ) -> Input {
        Input {
            env,
            files: files.into(),
            profile: profile.into(),
            profile_from_cli,
            region: region.into(),
            http,
            models: nubo_model::Loader::default(),
            prompt: Arc::new(TerminalPrompt),
            clock: Arc::new(SystemClock),
            process_env: Vec::new(),
        }
    }

    /// The selected profile's section, if it exists.
    pub(crate) fn section(&self) -> Option<&Section> {
        self.files.profile(&self.profile)
    }

    /// A settings resolver over the selected profile.
    pub(crate) fn resolver(&self) -> Resolver<'_> {
        Resolver { env: &self.env, files: &self.files, profile: &self.profile }
    }

    /// A setting from the environment variables `vars`, then the selected profile's `key`.
    pub(crate) fn setting(&self, vars: &[&str], key: &str) -> Option<Setting> {
        chain::simple(&self.resolver(), vars, key, None)
    }

    /// A path as `configure list` shows it: `~/…` when under the home directory.
    pub(crate) fn display_path(&self, path: &Path) -> String {
        display_path(&self.env, path)
    }

    pub(crate) fn now(&self) -> SystemTime {
        self.clock.now()
    }
}

/// A path as `configure list` shows it: `~/…` when under the home directory.
pub fn display_path(env: &Env, path: &Path) -> String {
    if let Some(home) = location::home_dir(env)
        && let Ok(rel) = path.strip_prefix(&home)
        && !rel.as_os_str().is_empty()
    {
        return format!("~/{}", rel.display());
    }
    path.display().to_string()
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Input")
            .field("profile", &self.profile)
            .field("profile_from_cli", &self.profile_from_cli)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_home_are_shortened() {
        let env = Env::from_pairs([("HOME", "/home/u")]);
        assert_eq!(display_path(&env, Path::new("/home/u/.aws/config")), "~/.aws/config");
        assert_eq!(display_path(&env, Path::new("/etc/x")), "/etc/x");
        assert_eq!(display_path(&Env::default(), Path::new("/home/u/x")), "/home/u/x");
    }
}
