//! What every command shares: the global options, the environment snapshot, the parsed profile files
//! (read once, on first use) and the settings chains over them.

use crate::error::{CliError, CliResult};
use crate::globals::Globals;
use nubo_settings::chain::{self, Resolver, Setting, Source};
use nubo_settings::env::Env;
use nubo_settings::profiles::{self, ProfileSet};
use std::cell::OnceCell;

pub struct Context {
    pub globals: Globals,
    pub env: Env,
    files: OnceCell<ProfileSet>,
    runtime: OnceCell<tokio::runtime::Runtime>,
}

impl Context {
    pub fn new(globals: Globals, env: Env) -> Context {
        Context { globals, env, files: OnceCell::new(), runtime: OnceCell::new() }
    }

    /// The command's one async runtime (current thread), made on first use: credential providers, calls
    /// and refreshes all run on it, so connections and caches outlive each step.
    pub fn runtime(&self) -> CliResult<&tokio::runtime::Runtime> {
        if let Some(rt) = self.runtime.get() {
            return Ok(rt);
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| CliError::Other(e.to_string()))?;
        Ok(self.runtime.get_or_init(|| rt))
    }

    /// The merged config and credentials files; a malformed file is a configuration error (253).
    pub fn files(&self) -> CliResult<&ProfileSet> {
        if let Some(f) = self.files.get() {
            return Ok(f);
        }
        let loaded = profiles::load(&self.env).map_err(|e| CliError::Config(e.to_string()))?;
        Ok(self.files.get_or_init(|| loaded))
    }

    /// The selected profile's name and where the choice came from.
    pub fn profile(&self) -> Setting {
        chain::selected_profile(self.globals.profile.as_deref(), &self.env)
    }

    /// True when a profile was chosen explicitly (command line or environment).
    pub fn profile_chosen(&self) -> bool {
        self.profile().source != Source::Default
    }

    /// The settings resolver for the selected profile. A profile chosen explicitly must exist.
    pub fn resolver(&self) -> CliResult<Resolver<'_>> {
        let files = self.files()?;
        let profile = self.profile();
        if profile.source != Source::Default && files.profile(&profile.value).is_none() {
            return Err(profile_not_found(&profile.value));
        }
        let name = match &profile.source {
            Source::Default => "default",
            _ => files
                .profiles
                .get_key_value(profile.value.as_str())
                .map(|(k, _)| k.as_str())
                .unwrap_or("default"),
        };
        Ok(Resolver { env: &self.env, files, profile: name })
    }
}

/// The AWS CLI's message for a profile that is in neither file.
pub fn profile_not_found(name: &str) -> CliError {
    CliError::Config(format!("The config profile ({name}) could not be found"))
}
