//! `codeartifact login`: fetches a CodeArtifact authorization token and the repository's endpoint,
//! then configures the package tool to use them as the AWS CLI does: `npm config set`, `pip config
//! set`, `nuget`/`dotnet nuget` sources, `swift package-registry` plus a `~/.netrc` entry, or a
//! `~/.pypirc` for twine. `--dry-run` prints what would be run or written instead.

use super::{api, args};
use crate::error::{CliError, CliResult, exit};
use nubo_session::Session;
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// The tools, in the CLI's order, with their repository format and whether they take `--namespace`.
const TOOLS: &[(&str, &str, bool)] = &[
    ("swift", "swift", true),
    ("nuget", "nuget", false),
    ("dotnet", "nuget", false),
    ("npm", "npm", true),
    ("pip", "pypi", false),
    ("twine", "pypi", false),
];

const OPTS: &[args::Opt] = &[
    args::required("tool"),
    args::required("domain"),
    args::value("domain-owner"),
    args::value("namespace"),
    args::value("duration-seconds"),
    args::required("repository"),
    args::value("endpoint-type"),
    args::flag("dry-run"),
];

/// What the login needs once the service has answered.
struct Login {
    tool: &'static str,
    token: String,
    /// Seconds since the epoch.
    expiration: i64,
    endpoint: String,
    domain: String,
    repository: String,
    namespace: Option<String>,
    dry_run: bool,
    home: std::path::PathBuf,
}

/// `nubo codeartifact login --tool T --domain D --repository R [...]`.
pub fn login(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    let p = args::parse(argv, OPTS)?;
    let given = p.get("tool").unwrap_or_default();
    let Some(&(tool, format, namespaces)) = TOOLS.iter().find(|t| t.0 == given) else {
        let names: Vec<&str> = TOOLS.iter().map(|t| t.0).collect();
        return Err(args::invalid_choice("tool", &names));
    };
    let duration = p.int("duration-seconds")?;
    let domain = p.get("domain").unwrap_or_default().to_string();
    let repository = p.get("repository").unwrap_or_default().to_string();

    let mut input = json!({"domain": domain});
    if let Some(owner) = p.get("domain-owner") {
        input["domainOwner"] = json!(owner);
    }
    if let Some(d) = duration.filter(|d| *d != 0) {
        input["durationSeconds"] = json!(d);
    }
    let client = api::client(ctx, "codeartifact")?;
    let auth = client.call("GetAuthorizationToken", &input)?;

    let mut input = json!({"domain": domain, "repository": repository, "format": format});
    if let Some(t) = p.get("endpoint-type") {
        input["endpointType"] = json!(t);
    }
    if let Some(owner) = p.get("domain-owner") {
        input["domainOwner"] = json!(owner);
    }
    let endpoint = client.call("GetRepositoryEndpoint", &input)?;

    let namespace = p.get("namespace").map(str::to_string);
    if namespace.is_some() && !namespaces {
        return Err(CliError::Other(format!("Argument --namespace is not supported for {tool}")));
    }
    let token = auth["authorizationToken"]
        .as_str()
        .ok_or_else(|| {
            CliError::Other("the GetAuthorizationToken response has no authorizationToken".into())
        })?
        .to_string();
    let expiration = timestamp_secs(&auth["expiration"])
        .ok_or_else(|| CliError::Other("the GetAuthorizationToken response has no expiration".into()))?;
    let endpoint = endpoint["repositoryEndpoint"]
        .as_str()
        .ok_or_else(|| {
            CliError::Other("the GetRepositoryEndpoint response has no repositoryEndpoint".into())
        })?
        .to_string();
    let home = api::home_dir(ctx).ok_or_else(|| CliError::Other("HOME is not set".into()))?;
    let login = Login {
        tool,
        token,
        expiration,
        endpoint,
        domain,
        repository,
        namespace,
        dry_run: p.has("dry-run"),
        home,
    };
    match tool {
        "npm" => login.npm()?,
        "pip" => login.pip()?,
        "twine" => login.twine()?,
        "swift" => login.swift()?,
        _ => login.nuget()?,
    }
    Ok(exit::OK)
}

/// A timestamp in a response (epoch seconds, or ISO 8601 text), in whole seconds.
fn timestamp_secs(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_f64().map(|f| f as i64),
        Value::String(s) => api::parse_timestamp_micros(s).map(|m| m.div_euclid(1_000_000)),
        _ => None,
    }
}

impl Login {
    fn npm(&self) -> CliResult<()> {
        let scope = match &self.namespace {
            None => None,
            Some(n) => Some(npm_scope(n)?),
        };
        let commands = npm_commands(&self.endpoint, &self.token, scope.as_deref());
        self.run_commands(&commands)
    }

    fn pip(&self) -> CliResult<()> {
        let (scheme, rest) = self.endpoint.split_once("://").unwrap_or(("https", &self.endpoint));
        let url = format!("{scheme}://aws:{}@{rest}simple/", self.token);
        self.run_commands(&[strings(&["pip", "config", "set", "global.index-url", &url])])
    }

    fn swift(&self) -> CliResult<()> {
        let scope = match &self.namespace {
            None => None,
            Some(n) => Some(swift_scope(n)?),
        };
        let mut set = strings(&["swift", "package-registry", "set", &self.endpoint]);
        if let Some(s) = &scope {
            set.extend(strings(&["--scope", s]));
        }
        let login = strings(&["swift", "package-registry", "login", &format!("{}login", self.endpoint)]);
        let host = url::Url::parse(&self.endpoint)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        let entry = format!("machine {host} login token password {}", self.token);
        let netrc = self.home.join(".netrc");
        if self.dry_run {
            let mut out = std::io::stdout().lock();
            write!(
                out,
                "Dryrun mode is enabled, not writing to netrc.\nThe following line would have been written to {}:\n\n{entry}\n\nAnd would have run the following commands:\n\n",
                netrc.display()
            )?;
        } else {
            update_netrc(&netrc, &host, &entry, &self.token)?;
        }
        self.run_commands(&[set, login])
    }

    fn twine(&self) -> CliResult<()> {
        let path = self.home.join(".pypirc");
        let text = match pypirc(&path, &self.endpoint, &self.token) {
            Ok(t) => t,
            Err(e) => {
                println!("{} is in an invalid state.", path.display());
                return Err(e);
            }
        };
        if self.dry_run {
            print!(
                "Dryrun mode is enabled, not writing to pypirc.\n{} would have been set to the following:\n\n{text}\n",
                path.display()
            );
            return Ok(());
        }
        write_private(&path, &text)?;
        self.success("twine")
    }

    fn nuget(&self) -> CliResult<()> {
        let tool = self.tool;
        let list: Vec<String> = if tool == "nuget" {
            strings(&["nuget", "sources", "list", "-format", "detailed"])
        } else {
            strings(&["dotnet", "nuget", "list", "source", "--format", "detailed"])
        };
        let out = match Command::new(&list[0]).args(&list[1..]).output() {
            Ok(o) => o,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(not_found(tool)),
            Err(e) => return Err(e.into()),
        };
        if !out.status.success() {
            return Err(CliError::Other(format!(
                "Command '{}' returned non-zero exit status {}.",
                py_list(&list),
                out.status.code().unwrap_or(1)
            )));
        }
        let sources = nuget_sources(&String::from_utf8_lossy(&out.stdout));
        let index = format!("{}v3/index.json", self.endpoint);
        let default_name = format!("{}/{}", self.domain, self.repository);
        let existing = sources
            .iter()
            .find(|(_, url)| *url == index)
            .or_else(|| sources.iter().find(|(name, _)| *name == default_name))
            .map(|(name, _)| name.clone());
        let (operation, name) = match existing {
            Some(name) => ("update", name),
            None => ("add", default_name),
        };
        let command = if tool == "nuget" {
            strings(&[
                "nuget",
                "sources",
                operation,
                "-name",
                &name,
                "-source",
                &index,
                "-username",
                "aws",
                "-password",
                &self.token,
            ])
        } else {
            let mut c = strings(&["dotnet", "nuget", operation, "source"]);
            if operation == "add" {
                c.extend(strings(&[&index, "--name", &name]));
            } else {
                c.extend(strings(&[&name, "--source", &index]));
            }
            c.extend(strings(&["--username", "aws", "--password", &self.token]));
            if !cfg!(windows) {
                c.push("--store-password-in-clear-text".into());
            }
            c
        };
        if self.dry_run {
            println!("{}", command.join(" "));
            return Ok(());
        }
        if let Err(e) = self.run(&command, false) {
            println!("Failed to update the NuGet.Config");
            return Err(e);
        }
        if operation == "update" {
            println!("Updated source {name} in the NuGet.Config");
        } else {
            println!("Added source {name} to the user level NuGet.Config");
        }
        self.success("nuget")
    }

    /// Prints the commands (`--dry-run`), or runs them and reports success.
    fn run_commands(&self, commands: &[Vec<String>]) -> CliResult<()> {
        if self.dry_run {
            let mut out = std::io::stdout().lock();
            for c in commands {
                write!(out, "{}\n\n", c.join(" "))?;
            }
            return Ok(());
        }
        for c in commands {
            // npm 9 and later refuse `always-auth`; the CLI goes on without it.
            let ignore = self.tool == "npm" && c.iter().any(|a| a.contains("always-auth"));
            self.run(c, ignore)?;
        }
        self.success(self.tool)
    }

    /// Runs one tool command with its output captured; a failure names the command with the token
    /// masked, followed by the tool's standard error.
    fn run(&self, command: &[String], ignore_errors: bool) -> CliResult<()> {
        let out = match Command::new(&command[0]).args(&command[1..]).output() {
            Ok(o) => o,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(not_found(self.tool)),
            Err(e) => return Err(e.into()),
        };
        if out.status.success() || ignore_errors {
            return Ok(());
        }
        let head = format!(
            "Command '{}' returned non-zero exit status {}.",
            py_list(command),
            out.status.code().unwrap_or(1)
        );
        Err(CliError::Other(format!(
            "{} Stderr from command:\n{}",
            head.replace(&self.token, "******"),
            String::from_utf8_lossy(&out.stderr)
        )))
    }

    fn success(&self, tool: &str) -> CliResult<()> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let mut out = std::io::stdout().lock();
        write!(
            out,
            "Successfully configured {tool} to use AWS CodeArtifact repository {} \nLogin expires in {} at {}\n",
            self.endpoint,
            relative(self.expiration - now + 30),
            python_utc(self.expiration)
        )?;
        Ok(())
    }
}

fn not_found(tool: &str) -> CliError {
    CliError::Other(format!("{tool} was not found. Please verify installation."))
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|s| s.to_string()).collect()
}

/// The three `npm config set` commands: registry (scoped when a scope is given), always-auth, token.
fn npm_commands(endpoint: &str, token: &str, scope: Option<&str>) -> Vec<Vec<String>> {
    let registry = match scope {
        Some(s) => format!("{s}:registry"),
        None => "registry".into(),
    };
    let bare = endpoint.split_once("://").map_or(endpoint, |(_, rest)| rest);
    vec![
        strings(&["npm", "config", "set", &registry, endpoint]),
        strings(&["npm", "config", "set", &format!("//{bare}:always-auth"), "true"]),
        strings(&["npm", "config", "set", &format!("//{bare}:_authToken"), token]),
    ]
}

/// An npm scope from `--namespace`: `@` added when missing, checked as the CLI checks it.
fn npm_scope(namespace: &str) -> CliResult<String> {
    let scope = if namespace.starts_with('@') { namespace.to_string() } else { format!("@{namespace}") };
    let ok = scope
        .chars()
        .nth(1)
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '~');
    if !ok {
        return Err(CliError::Other(
            "Invalid scope name, scope must contain URL-safe characters, no leading dots or underscores"
                .into(),
        ));
    }
    Ok(scope)
}

/// A Swift registry scope: letters, digits and single inner hyphens, up to 39 characters.
fn swift_scope(namespace: &str) -> CliResult<String> {
    let b = namespace.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= 39
        && b[0].is_ascii_alphanumeric()
        && b.iter().enumerate().all(|(i, c)| {
            c.is_ascii_alphanumeric() || (*c == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric))
        });
    if !ok {
        return Err(CliError::Other(
            "Invalid scope name, scope must contain URL-safe characters, no leading dots or underscores and no more than 39 characters"
                .into(),
        ));
    }
    Ok(namespace.to_string())
}

/// The sources `nuget sources list -format detailed` prints: `1.  Name [Enabled]` followed by the URL.
fn nuget_sources(listing: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = listing.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let (Some(name), Some(url)) = (source_name(line), lines.get(i + 1)) {
            out.push((name, url.to_string()));
        }
    }
    out
}

/// The name in `N. Name [Status]`: after the number, up to the last ` [` that a `]` follows.
fn source_name(line: &str) -> Option<String> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let rest = line[digits..].strip_prefix('.')?;
    let first = rest.chars().next().filter(|c| c.is_whitespace())?;
    let rest = &rest[first.len_utf8()..];
    let b = rest.as_bytes();
    let cut = (1..b.len().saturating_sub(1))
        .rev()
        .find(|&i| (b[i] as char).is_ascii_whitespace() && b[i + 1] == b'[' && rest[i + 2..].contains(']'))?;
    Some(rest[..cut].trim().to_string())
}

/// A list as Python prints it: `['npm', 'config']`.
pub(crate) fn py_list(words: &[String]) -> String {
    let items: Vec<String> = words.iter().map(|w| py_str(w)).collect();
    format!("[{}]", items.join(", "))
}

fn py_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::from(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// "12 hours", "1 day and 3 hours": the largest non-zero unit and the one after it, as the CLI says it.
fn relative(seconds: i64) -> String {
    let s = seconds.max(0);
    let units = [("day", s / 86_400), ("hour", s % 86_400 / 3600), ("minute", s % 3600 / 60)];
    let mut words: Vec<String> = Vec::new();
    let mut previous = false;
    for (name, value) in units {
        if value > 0 {
            if previous {
                words.push("and".into());
            }
            words.push(value.to_string());
            words.push(if value == 1 { name.to_string() } else { format!("{name}s") });
        }
        if previous {
            break;
        }
        previous = value > 0;
    }
    words.join(" ")
}

/// A moment as Python prints an aware UTC datetime: `2025-01-01 12:00:00+00:00`.
fn python_utc(secs: i64) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]+00:00");
    time::OffsetDateTime::from_unix_timestamp(secs).ok().and_then(|t| t.format(&fmt).ok()).unwrap_or_default()
}

/// Writes `text` to `path` readable by the owner only (also when the file already exists).
fn write_private(path: &Path, text: &str) -> CliResult<()> {
    nubo_settings::atomic::write_file(path, text.as_bytes(), Some(0o600), true)
        .map_err(|e| CliError::Other(format!("{}: {e}", path.display())))
}

/// Replaces the password of the `machine HOST login … password …` entry, or appends `entry` (as the
/// CLI does, also when the token was already the same).
fn update_netrc(path: &Path, host: &str, entry: &str, token: &str) -> CliResult<()> {
    if !path.is_file() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        return write_private(path, &format!("{entry}\n"));
    }
    let contents = std::fs::read_to_string(path)?;
    let pattern = format!(r"(?m)(\bmachine\s+{}\s+login\s+\S+\s+password\s+)\S+", regex::escape(host));
    let re = regex::Regex::new(&pattern).map_err(|e| CliError::Other(e.to_string()))?;
    let mut updated =
        re.replace_all(&contents, |c: &regex::Captures| format!("{}{token}", &c[1])).into_owned();
    if updated == contents {
        if !updated.ends_with('\n') {
            updated.push('\n');
        }
        updated.push_str(entry);
        updated.push('\n');
    }
    write_private(path, &updated)
}

/// One section of an INI file as Python's `RawConfigParser` keeps it: keys lower-cased, multi-line
/// values joined with newlines.
type Section = (String, Vec<(String, String)>);

/// The `.pypirc` the CLI writes: the existing file with a `codeartifact` index server added (or a new
/// file), in `RawConfigParser`'s layout.
fn pypirc(path: &Path, endpoint: &str, token: &str) -> CliResult<String> {
    let mut sections: Vec<Section> = if path.exists() {
        let text = std::fs::read_to_string(path)?;
        parse_ini(&text)?
    } else {
        vec![
            ("distutils".into(), vec![("index-servers".into(), "\npypi\ncodeartifact".into())]),
            ("codeartifact".into(), Vec::new()),
        ]
    };
    let distutils = sections
        .iter_mut()
        .find(|s| s.0 == "distutils")
        .ok_or_else(|| CliError::Other("No section: 'distutils'".into()))?;
    let servers = distutils
        .1
        .iter_mut()
        .find(|kv| kv.0 == "index-servers")
        .ok_or_else(|| CliError::Other("No option 'index-servers' in section: 'distutils'".into()))?;
    let mut list: Vec<String> =
        servers.1.split('\n').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
    if !list.iter().any(|s| s == "codeartifact") {
        list.push("codeartifact".into());
        servers.1 = format!("\n{}", list.join("\n"));
    }
    if !sections.iter().any(|s| s.0 == "codeartifact") {
        sections.push(("codeartifact".into(), Vec::new()));
    }
    if let Some(ca) = sections.iter_mut().find(|s| s.0 == "codeartifact") {
        for (k, v) in [("repository", endpoint), ("username", "aws"), ("password", token)] {
            match ca.1.iter_mut().find(|kv| kv.0 == k) {
                Some(kv) => kv.1 = v.to_string(),
                None => ca.1.push((k.to_string(), v.to_string())),
            }
        }
    }
    let mut out = String::new();
    for (name, items) in &sections {
        out.push_str(&format!("[{name}]\n"));
        for (k, v) in items {
            out.push_str(&format!("{k} = {}\n", v.replace('\n', "\n\t")));
        }
        out.push('\n');
    }
    Ok(out)
}

/// Reads an INI file as `RawConfigParser` does (comments dropped, `=` or `:`, continuation lines).
fn parse_ini(text: &str) -> CliResult<Vec<Section>> {
    let mut sections: Vec<Section> = Vec::new();
    let mut last_key = false;
    for (n, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let indented = raw.starts_with(' ') || raw.starts_with('\t');
        if trimmed.is_empty() {
            last_key = false;
            continue;
        }
        if indented && last_key {
            if let Some(kv) = sections.last_mut().and_then(|s| s.1.last_mut()) {
                kv.1.push('\n');
                kv.1.push_str(trimmed);
            }
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            sections.push((name.to_string(), Vec::new()));
            last_key = false;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            return Err(CliError::Other(format!("File contains no section headers.\nline: {}", n + 1)));
        };
        let cut = trimmed.find(['=', ':']).ok_or_else(|| {
            CliError::Other(format!("Source contains parsing errors: line {}: {trimmed}", n + 1))
        })?;
        let key = trimmed[..cut].trim().to_lowercase();
        let value = trimmed[cut + 1..].trim().to_string();
        match section.1.iter_mut().find(|kv| kv.0 == key) {
            Some(kv) => kv.1 = value,
            None => section.1.push((key, value)),
        }
        last_key = true;
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times() {
        assert_eq!(relative(12 * 3600), "12 hours");
        assert_eq!(relative(11 * 3600 + 59 * 60 + 31 + 30), "12 hours");
        assert_eq!(relative(3600 + 60), "1 hour and 1 minute");
        assert_eq!(relative(86_400 + 3 * 3600 + 5 * 60), "1 day and 3 hours");
        assert_eq!(relative(15 * 60), "15 minutes");
    }

    #[test]
    fn scopes() {
        assert_eq!(npm_scope("team").unwrap(), "@team");
        assert_eq!(npm_scope("@my-team").unwrap(), "@my-team");
        assert!(npm_scope("_x").is_err());
        assert!(npm_scope("Team").is_err());
        assert_eq!(swift_scope("a-b1").unwrap(), "a-b1");
        assert!(swift_scope("a--b").is_err());
        assert!(swift_scope("-a").is_err());
        assert!(swift_scope(&"a".repeat(40)).is_err());
    }

    #[test]
    fn nuget_listing() {
        let listing = "Registered Sources:\n\n  1.  nuget.org [Enabled]\n      https://api.nuget.org/v3/index.json\n  2.  d/r [Disabled]\n      https://x/nuget/r/v3/index.json\n";
        assert_eq!(
            nuget_sources(listing),
            vec![
                ("nuget.org".to_string(), "https://api.nuget.org/v3/index.json".to_string()),
                ("d/r".to_string(), "https://x/nuget/r/v3/index.json".to_string())
            ]
        );
    }

    #[test]
    fn python_forms() {
        assert_eq!(py_list(&strings(&["npm", "it's"])), "['npm', \"it's\"]");
        assert_eq!(python_utc(1_735_732_800), "2025-01-01 12:00:00+00:00");
    }

    #[test]
    fn pypirc_merges() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".pypirc");
        let fresh = pypirc(&p, "https://e/pypi/r/", "T").unwrap();
        assert_eq!(
            fresh,
            "[distutils]\nindex-servers = \n\tpypi\n\tcodeartifact\n\n[codeartifact]\nrepository = https://e/pypi/r/\nusername = aws\npassword = T\n\n"
        );
        std::fs::write(
            &p,
            "[distutils]\nindex-servers =\n  pypi\n  local\n# c\n[local]\nRepository: http://l\n",
        )
        .unwrap();
        let merged = pypirc(&p, "https://e/", "T").unwrap();
        assert_eq!(
            merged,
            "[distutils]\nindex-servers = \n\tpypi\n\tlocal\n\tcodeartifact\n\n[local]\nrepository = http://l\n\n[codeartifact]\nrepository = https://e/\nusername = aws\npassword = T\n\n"
        );
        std::fs::write(&p, "[other]\n").unwrap();
        assert_eq!(pypirc(&p, "https://e/", "T").unwrap_err().to_string(), "No section: 'distutils'");
    }
}
