//! Finding a service's model files: directories on the search path (`AWS_DATA_PATH` entries, then
//! `~/.aws/models`) in botocore's layout, then the embedded bundle, chosen the way botocore's loader
//! chooses.
//!
//! Layout: `<dir>/<service>/<api-version>/<type>.json` or `.json.gz`, where `<type>` is `service-2`,
//! `paginators-1`, `waiters-2` or `endpoint-rule-set-1`. The bundle counts as one more directory after
//! all the others. As in botocore:
//! - the newest api version (version directory names compared as strings) that holds a service-2 file,
//!   in any directory or the bundle, wins; for one version, the first directory that has the file wins;
//! - in one directory `.json` is tried before `.json.gz`;
//! - the paginators and waiters come from that same version (a client asks for them with its model's
//!   version), the endpoint rule set from the newest version that has one;
//! - `<type>.sdk-extras.json` beside a file taken from a directory is deep-merged into it (its `merge`
//!   object); bundled files have their extras merged already.

use crate::ModelError;
use crate::bundle::{self, ServiceFiles};
use flate2::read::GzDecoder;
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

const SERVICE_2: &str = "service-2";
const PAGINATORS: &str = "paginators-1";
const WAITERS: &str = "waiters-2";
const RULE_SET: &str = "endpoint-rule-set-1";

/// Loads service models from the search path, then the bundle.
#[derive(Debug, Clone, Default)]
pub struct Loader {
    search_paths: Vec<PathBuf>,
}

/// Where one file of a service comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    /// A file on disk (`.json` or `.json.gz`).
    File(PathBuf),
    /// The embedded bundle.
    Bundle,
}

/// The search path the CLI uses: the `AWS_DATA_PATH` entries (split at `:`, each with `$VAR`/`${VAR}`
/// and then a leading `~` expanded, as botocore does), then `~/.aws/models`. `env` looks variables up.
pub fn default_search_paths(
    aws_data_path: Option<&str>,
    home: Option<&Path>,
    env: impl Fn(&str) -> Option<String>,
) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = aws_data_path
        .into_iter()
        .flat_map(|v| v.split(':'))
        .filter(|p| !p.is_empty())
        .map(|p| expand_user(&expand_vars(p, &env), home))
        .collect();
    if let Some(home) = home {
        paths.push(home.join(".aws").join("models"));
    }
    paths
}

/// `$NAME` and `${NAME}` replaced by the variable's value; unknown variables are left as written.
fn expand_vars(s: &str, env: &impl Fn(&str) -> Option<String>) -> String {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let (name, consumed) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(end) => (&braced[..end], end + 2),
                None => ("", 0),
            }
        } else {
            let end = after.find(|c: char| !is_name(c)).unwrap_or(after.len());
            (&after[..end], end)
        };
        match (!name.is_empty()).then(|| env(name)).flatten() {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[pos..pos + 1 + consumed]),
        }
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out
}

/// A leading `~` or `~/` replaced by the home directory.
fn expand_user(s: &str, home: Option<&Path>) -> PathBuf {
    match (s.strip_prefix('~'), home) {
        (Some(""), Some(home)) => home.to_path_buf(),
        (Some(rest), Some(home)) if rest.starts_with('/') => home.join(rest.trim_start_matches('/')),
        _ => PathBuf::from(s),
    }
}

impl Loader {
    /// A loader that searches `search_paths` in order before the bundle. Directories that do not exist
    /// are skipped when searched.
    pub fn new(search_paths: Vec<PathBuf>) -> Loader {
        Loader { search_paths }
    }

    /// The directories searched before the bundle.
    pub fn search_paths(&self) -> &[PathBuf] {
        &self.search_paths
    }

    /// The model files of a service (botocore name, such as `s3`), from the newest version found.
    pub fn load_service(&self, service: &str) -> Result<ServiceFiles, ModelError> {
        if !is_plain_name(service) {
            return Err(unknown(service));
        }
        let service_dirs: Vec<PathBuf> =
            self.search_paths.iter().map(|p| p.join(service)).filter(|d| d.is_dir()).collect();
        if service_dirs.is_empty() {
            return bundle::load(service).unwrap_or_else(|| Err(unknown(service)));
        }
        // A directory holds this service: the bundled files compete with it version by version.
        let mut bundled = match bundle::load(service) {
            Some(files) => Some(files?),
            None => None,
        };
        // The bundle's version for a file type, if the bundle has a file of that type.
        let bundled_version = bundle::api_version(service);
        let has = |pick: fn(&ServiceFiles) -> bool| match &bundled {
            Some(files) if pick(files) => bundled_version,
            _ => None,
        };
        let (version, source) =
            newest(&service_dirs, SERVICE_2, has(|_| true)).ok_or_else(|| unknown(service))?;
        // Paginators and waiters of that same version: from a directory, else from the bundle if the
        // bundle's version is this one.
        let at_version = |type_name: &str, in_bundle: Option<&str>| {
            find_file(&service_dirs, &version, type_name)
                .map(Source::File)
                .or_else(|| (in_bundle == Some(version.as_str())).then_some(Source::Bundle))
        };
        let paginators_src = at_version(PAGINATORS, has(|f| f.paginators.is_some()));
        let waiters_src = at_version(WAITERS, has(|f| f.waiters.is_some()));
        let rule_set_src = newest(&service_dirs, RULE_SET, has(|f| f.endpoint_rule_set.is_some()));
        let mut take = |pick: fn(&mut ServiceFiles) -> Option<Vec<u8>>| bundled.as_mut().and_then(pick);
        let (service_2, model_index) = match source {
            Source::File(path) => (read_with_extras(&path, &service_dirs, &version, SERVICE_2)?, None),
            Source::Bundle => (
                take(|f| Some(std::mem::take(&mut f.service_2))).ok_or_else(|| unknown(service))?,
                take(|f| f.model_index.take()),
            ),
        };
        let paginators = match paginators_src {
            Some(Source::File(p)) => Some(read_with_extras(&p, &service_dirs, &version, PAGINATORS)?),
            Some(Source::Bundle) => take(|f| f.paginators.take()),
            None => None,
        };
        let waiters = match waiters_src {
            Some(Source::File(p)) => Some(read_with_extras(&p, &service_dirs, &version, WAITERS)?),
            Some(Source::Bundle) => take(|f| f.waiters.take()),
            None => None,
        };
        let endpoint_rule_set = match rule_set_src {
            Some((v, Source::File(p))) => Some(read_with_extras(&p, &service_dirs, &v, RULE_SET)?),
            Some((_, Source::Bundle)) => take(|f| f.endpoint_rule_set.take()),
            None => None,
        };
        Ok(ServiceFiles { service_2, paginators, waiters, endpoint_rule_set, model_index })
    }

    /// Every service with a model on the search path or in the bundle, sorted.
    pub fn available_services(&self) -> Vec<String> {
        let mut names: BTreeSet<String> = bundle::service_names().map(str::to_string).collect();
        for dir in &self.search_paths {
            let Ok(entries) = fs::read_dir(dir) else { continue };
            for entry in entries.flatten() {
                let Ok(name) = entry.file_name().into_string() else { continue };
                let path = entry.path();
                if path.is_dir() && !versions_with(&path, SERVICE_2).is_empty() {
                    names.insert(name);
                }
            }
        }
        names.into_iter().collect()
    }
}

fn unknown(service: &str) -> ModelError {
    ModelError(format!("unknown service: {service}"))
}

/// A name that stays one path component (no separators, not `.` or `..`).
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// `<base>.json`, else `<base>.json.gz`, if it is a file.
fn existing_file(base: &Path) -> Option<PathBuf> {
    let mut name = base.as_os_str().to_os_string();
    name.push(".json");
    let json = PathBuf::from(&name);
    if json.is_file() {
        return Some(json);
    }
    name.push(".gz");
    let gz = PathBuf::from(name);
    gz.is_file().then_some(gz)
}

/// The version directories of one service directory that hold a file of `type_name`.
fn versions_with(service_dir: &Path, type_name: &str) -> Vec<String> {
    let Ok(entries) = fs::read_dir(service_dir) else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|v| existing_file(&service_dir.join(v).join(type_name)).is_some())
        .collect()
}

/// The first of the service directories that has `<version>/<type_name>`.
fn find_file(service_dirs: &[PathBuf], version: &str, type_name: &str) -> Option<PathBuf> {
    service_dirs.iter().find_map(|d| existing_file(&d.join(version).join(type_name)))
}

/// The newest version of `type_name` across the directories and the bundle (`bundled`: the bundle's
/// version if it has this type), and where to read it. On a tie the directories come first.
fn newest(service_dirs: &[PathBuf], type_name: &str, bundled: Option<&str>) -> Option<(String, Source)> {
    let on_disk = service_dirs.iter().flat_map(|d| versions_with(d, type_name)).max();
    match (on_disk, bundled) {
        (Some(v), Some(b)) if b > v.as_str() => Some((b.to_string(), Source::Bundle)),
        (Some(v), _) => {
            let file = find_file(service_dirs, &v, type_name)?;
            Some((v, Source::File(file)))
        }
        (None, Some(b)) => Some((b.to_string(), Source::Bundle)),
        (None, None) => None,
    }
}

/// Reads one JSON file (gunzipping `.json.gz`) and merges the first `<type>.sdk-extras` found for the
/// same version.
fn read_with_extras(
    path: &Path,
    service_dirs: &[PathBuf],
    version: &str,
    type_name: &str,
) -> Result<Vec<u8>, ModelError> {
    let bytes = read_json_file(path)?;
    let Some(extras_path) = find_file(service_dirs, version, &format!("{type_name}.sdk-extras")) else {
        return Ok(bytes);
    };
    let extras: Value = parse(&read_json_file(&extras_path)?, &extras_path)?;
    let Some(Value::Object(merge)) = extras.get("merge") else { return Ok(bytes) };
    let mut model: Value = parse(&bytes, path)?;
    let Value::Object(base) = &mut model else {
        return Err(ModelError(format!("{} is not a JSON object", path.display())));
    };
    deep_merge(base, merge);
    serde_json::to_vec(&model).map_err(|e| ModelError(format!("{}: {e}", path.display())))
}

fn parse(bytes: &[u8], path: &Path) -> Result<Value, ModelError> {
    serde_json::from_slice(bytes)
        .map_err(|e| ModelError(format!("{} is not valid JSON: {e}", path.display())))
}

fn read_json_file(path: &Path) -> Result<Vec<u8>, ModelError> {
    let io_err = |e: std::io::Error| ModelError(format!("cannot read {}: {e}", path.display()));
    let raw = fs::read(path).map_err(io_err)?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        GzDecoder::new(raw.as_slice()).read_to_end(&mut out).map_err(io_err)?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// botocore's `deep_merge`: objects on both sides merge recursively, anything else is replaced.
fn deep_merge(base: &mut Map<String, Value>, extra: &Map<String, Value>) {
    for (key, value) in extra {
        match (base.get_mut(key), value) {
            (Some(Value::Object(b)), Value::Object(e)) => deep_merge(b, e),
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}
