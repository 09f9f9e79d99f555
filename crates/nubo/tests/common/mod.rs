//! Shared test harness: a temporary HOME, and the nubo binary (or the Python AWS CLI) run in it with an
//! environment that holds nothing but what the test sets, so the developer's own AWS setup never leaks in.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub struct Sandbox {
    pub home: tempfile::TempDir,
    pub env: Vec<(String, String)>,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox { home: tempfile::tempdir().expect("temp HOME"), env: Vec::new() }
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    pub fn aws_dir(&self) -> PathBuf {
        self.home().join(".aws")
    }

    pub fn config_path(&self) -> PathBuf {
        self.aws_dir().join("config")
    }

    pub fn credentials_path(&self) -> PathBuf {
        self.aws_dir().join("credentials")
    }

    /// Writes `~/.aws/<name>` (creating `~/.aws`).
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        std::fs::create_dir_all(self.aws_dir()).unwrap();
        let p = self.aws_dir().join(name);
        std::fs::write(&p, text).unwrap();
        // As `configure` leaves it: a credentials file others can read draws a warning.
        #[cfg(unix)]
        if name == "credentials" {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        p
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.aws_dir().join(name)).unwrap_or_default()
    }

    pub fn set_env(&mut self, k: &str, v: &str) -> &mut Self {
        self.env.push((k.into(), v.into()));
        self
    }

    /// The nubo binary with a clean environment: HOME and what the test set.
    pub fn nubo(&self) -> Command {
        let mut c = Command::cargo_bin("nubo").expect("nubo binary");
        // Never probe the real instance metadata address from a test; tests that want IMDS point
        // AWS_EC2_METADATA_SERVICE_ENDPOINT at a local server and set this to false.
        c.env_clear().env("HOME", self.home()).env("AWS_EC2_METADATA_DISABLED", "true");
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c
    }

    /// The Python AWS CLI (reference behaviour) in the same clean environment.
    pub fn aws(&self) -> Command {
        let aws = std::env::var("NUBO_TEST_AWS_CLI")
            .expect("NUBO_TEST_AWS_CLI is not set: run the tests through scripts/test");
        let mut c = Command::new(aws);
        c.env_clear().env("HOME", self.home()).env("AWS_EC2_METADATA_DISABLED", "true");
        if let Ok(p) = std::env::var("PATH") {
            c.env("PATH", p);
        }
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c
    }
}

pub fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The moto server scripts/test started.
pub fn moto_url() -> String {
    std::env::var("NUBO_TEST_MOTO_URL")
        .expect("NUBO_TEST_MOTO_URL is not set: run the tests through scripts/test")
}

/// The s3s-fs server scripts/test started (it verifies every signature).
pub fn s3_url() -> String {
    std::env::var("NUBO_TEST_S3_URL")
        .expect("NUBO_TEST_S3_URL is not set: run the tests through scripts/test")
}

/// A sandbox holding the keys s3s-fs accepts (or a wrong secret), region us-east-1.
pub fn s3_sandbox(secret: Option<&str>) -> Sandbox {
    let mut sb = Sandbox::new();
    let key = std::env::var("NUBO_TEST_S3_ACCESS_KEY").expect("NUBO_TEST_S3_ACCESS_KEY");
    let real = std::env::var("NUBO_TEST_S3_SECRET_KEY").expect("NUBO_TEST_S3_SECRET_KEY");
    sb.set_env("AWS_ACCESS_KEY_ID", &key)
        .set_env("AWS_SECRET_ACCESS_KEY", secret.unwrap_or(&real))
        .set_env("AWS_DEFAULT_REGION", "us-east-1");
    sb
}
pub mod faults;
