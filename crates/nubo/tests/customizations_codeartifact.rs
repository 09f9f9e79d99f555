//! `codeartifact login` next to the Python CLI. moto does not serve CodeArtifact, so a small in-test
//! server answers GetAuthorizationToken and GetRepositoryEndpoint; stand-in `npm`, `pip`, `swift`,
//! `nuget` and `dotnet` on `PATH` record the arguments they are run with. Generated files
//! (`.pypirc`, `.netrc`) are compared with what the Python CLI writes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, stderr_of, stdout_of};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;

const TOKEN: &str = "tok-ABC123";

/// Answers CodeArtifact's two calls; the endpoint's path names the format it was asked for.
fn codeartifact_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // One clock for every answer, so both CLIs see the same expiration.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let head = read_head(&stream);
            let target = head.split_whitespace().nth(1).unwrap_or("").to_string();
            let body = if target.starts_with("/v1/authorization-token") {
                let duration = query(&target, "duration").map_or(43_200, |d| d.parse().unwrap());
                serde_json::json!({"authorizationToken": TOKEN, "expiration": now + duration}).to_string()
            } else {
                let format = query(&target, "format").unwrap_or_default();
                let domain = query(&target, "domain").unwrap_or_default();
                let repo = query(&target, "repository").unwrap_or_default();
                let e = format!(
                    "https://{domain}-111122223333.d.codeartifact.us-west-2.amazonaws.com/{format}/{repo}/"
                );
                serde_json::json!({ "repositoryEndpoint": e }).to_string()
            };
            let resp = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(resp.as_bytes());
        }
    });
    url
}

fn query(target: &str, name: &str) -> Option<String> {
    let q = target.split_once('?')?.1;
    q.split('&').find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_string))
}

fn read_head(stream: &std::net::TcpStream) -> String {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = String::new();
    let mut len = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap();
        }
        head.push_str(&line);
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    head
}

/// A folder of stand-in tools that append `tool args…` to `$RECORD`. `nuget`/`dotnet` print
/// `$SOURCES` for their listing command; a tool named in `$FAIL` fails when its arguments contain
/// `$FAIL_ON`, writing to standard error.
fn tools(dir: &Path) {
    for tool in ["npm", "pip", "swift", "nuget", "dotnet"] {
        let script = format!(
            "#!/bin/sh\necho \"{tool} $*\" >> \"$RECORD\"\n\
             case \"$*\" in *list*) [ -n \"$SOURCES\" ] && cat \"$SOURCES\";; esac\n\
             if [ \"$FAIL\" = {tool} ]; then case \"$*\" in *\"$FAIL_ON\"*) echo \"{tool} broke\" >&2; exit 3;; esac; fi\n\
             exit 0\n"
        );
        let p = dir.join(tool);
        std::fs::write(&p, script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// Two sandboxes (nubo's and the CLI's own HOME) that share the server and the stand-in tools.
struct Pair {
    nubo: Sandbox,
    aws: Sandbox,
    _bin: tempfile::TempDir,
}

fn pair(extra: &[(&str, &str)]) -> Pair {
    let url = codeartifact_server();
    let bin = tempfile::tempdir().unwrap();
    tools(bin.path());
    let make = || {
        let mut sb = Sandbox::new();
        // Compared with the Python CLI v1, whose errors are in what v2 calls the legacy format.
        sb.set_env("AWS_CLI_ERROR_FORMAT", "legacy");
        let record = sb.home().join("record.txt");
        sb.set_env("AWS_ACCESS_KEY_ID", "testing")
            .set_env("AWS_SECRET_ACCESS_KEY", "testing")
            .set_env("AWS_DEFAULT_REGION", "us-west-2")
            .set_env("AWS_ENDPOINT_URL", &url)
            .set_env("PATH", &format!("{}:/usr/bin:/bin", bin.path().display()))
            .set_env("RECORD", record.to_str().unwrap());
        for (k, v) in extra {
            sb.set_env(k, v);
        }
        sb
    };
    Pair { nubo: make(), aws: make(), _bin: bin }
}

impl Pair {
    /// Runs both with `args`; returns (nubo, aws) outputs after checking their exit codes are `code`.
    fn run(&self, args: &[&str], code: i32) -> (std::process::Output, std::process::Output) {
        let a = self.aws.aws().args(args).output().unwrap();
        assert_eq!(a.status.code(), Some(code), "aws {args:?}: {}{}", stdout_of(&a), stderr_of(&a));
        let n = self.nubo.nubo().args(args).output().unwrap();
        assert_eq!(n.status.code(), Some(code), "nubo {args:?}: {}{}", stdout_of(&n), stderr_of(&n));
        (n, a)
    }

    fn records(&self) -> (String, String) {
        let read = |sb: &Sandbox| std::fs::read_to_string(sb.home().join("record.txt")).unwrap_or_default();
        (read(&self.nubo), read(&self.aws))
    }

    fn file(&self, name: &str) -> (String, String) {
        let read = |sb: &Sandbox| std::fs::read_to_string(sb.home().join(name)).unwrap();
        (read(&self.nubo), read(&self.aws))
    }
}

/// The standard outputs with each CLI's HOME replaced by `~`.
fn outs(p: &Pair, n: &std::process::Output, a: &std::process::Output) -> (String, String) {
    let home = |sb: &Sandbox| sb.home().display().to_string();
    (stdout_of(n).replace(&home(&p.nubo), "~"), stdout_of(a).replace(&home(&p.aws), "~"))
}

#[test]
fn npm_and_pip_run_the_same_commands_as_the_cli() {
    let p = pair(&[]);
    let args = ["codeartifact", "login", "--tool", "npm", "--domain", "dom", "--repository", "repo"];
    let (n, a) = p.run(&args, 0);
    assert_eq!(stdout_of(&n), stdout_of(&a));
    assert!(stdout_of(&n).starts_with(
        "Successfully configured npm to use AWS CodeArtifact repository https://dom-111122223333.d.codeartifact.us-west-2.amazonaws.com/npm/repo/ \nLogin expires in 12 hours at "
    ), "{}", stdout_of(&n));
    let ns = ["--namespace", "team", "--domain-owner", "111122223333", "--duration-seconds", "900"];
    let (n, a) = p.run(&[&args[..], &ns[..]].concat(), 0);
    assert_eq!(stdout_of(&n), stdout_of(&a));
    assert!(stdout_of(&n).contains("Login expires in 15 minutes at "), "{}", stdout_of(&n));
    let pip = ["codeartifact", "login", "--tool", "pip", "--domain", "dom", "--repository", "repo"];
    p.run(&pip, 0);
    let (rn, ra) = p.records();
    assert_eq!(rn, ra);
    assert!(rn.contains(&format!(
        "npm config set @team:registry https://dom-111122223333.d.codeartifact.us-west-2.amazonaws.com/npm/repo/\n\
         npm config set //dom-111122223333.d.codeartifact.us-west-2.amazonaws.com/npm/repo/:always-auth true\n\
         npm config set //dom-111122223333.d.codeartifact.us-west-2.amazonaws.com/npm/repo/:_authToken {TOKEN}\n"
    )));
    assert!(rn.ends_with(&format!(
        "pip config set global.index-url https://aws:{TOKEN}@dom-111122223333.d.codeartifact.us-west-2.amazonaws.com/pypi/repo/simple/\n"
    )));
}

#[test]
fn dry_runs_print_what_the_cli_prints() {
    let sources_dir = tempfile::tempdir().unwrap();
    let sources = sources_dir.path().join("sources.txt");
    std::fs::write(
        &sources,
        "Registered Sources:\n\n  1.  nuget.org [Enabled]\n      https://api.nuget.org/v3/index.json\n  \
         2.  mine [Disabled]\n      https://dom-111122223333.d.codeartifact.us-west-2.amazonaws.com/nuget/repo/v3/index.json\n",
    )
    .unwrap();
    let p = pair(&[("SOURCES", sources.to_str().unwrap())]);
    for tool in ["npm", "pip", "swift", "twine", "nuget", "dotnet"] {
        let args =
            ["codeartifact", "login", "--tool", tool, "--domain", "dom", "--repository", "repo", "--dry-run"];
        let (n, a) = p.run(&args, 0);
        let (n, a) = outs(&p, &n, &a);
        assert_eq!(n, a, "{tool}");
        assert!(n.contains(TOKEN), "{tool}: {n}");
    }
    let (n, a) =
        p.run(&["codeartifact", "login", "--tool", "npm", "--domain", "xx", "--repository", "yy"], 0);
    assert_eq!(stdout_of(&n), stdout_of(&a));
    // Dry runs write nothing; nuget and dotnet only list their sources.
    let (rn, ra) = p.records();
    assert_eq!(rn, ra);
    assert!(!p.nubo.home().join(".pypirc").exists());
    assert!(!p.nubo.home().join(".netrc").exists());
}

#[test]
fn nuget_and_dotnet_add_or_update_their_source_as_the_cli() {
    let sources_dir = tempfile::tempdir().unwrap();
    let sources = sources_dir.path().join("sources.txt");
    std::fs::write(
        &sources,
        "Registered Sources:\n\n  1.  dom/repo [Enabled]\n      https://elsewhere/v3/index.json\n",
    )
    .unwrap();
    let p = pair(&[("SOURCES", sources.to_str().unwrap())]);
    for tool in ["nuget", "dotnet"] {
        let (n, a) =
            p.run(&["codeartifact", "login", "--tool", tool, "--domain", "dom", "--repository", "repo"], 0);
        assert_eq!(stdout_of(&n), stdout_of(&a));
        assert!(
            stdout_of(&n).starts_with("Updated source dom/repo in the NuGet.Config\n"),
            "{}",
            stdout_of(&n)
        );
        let (n, a) =
            p.run(&["codeartifact", "login", "--tool", tool, "--domain", "ee", "--repository", "repo"], 0);
        assert_eq!(stdout_of(&n), stdout_of(&a));
        assert!(stdout_of(&n).starts_with("Added source ee/repo to the user level NuGet.Config\n"));
    }
    let (rn, ra) = p.records();
    assert_eq!(rn, ra);
    assert!(rn.contains("--store-password-in-clear-text"), "{rn}");
}

#[test]
fn twine_and_swift_write_the_files_the_cli_writes() {
    let p = pair(&[]);
    for sb in [&p.nubo, &p.aws] {
        std::fs::write(
            sb.home().join(".pypirc"),
            "[distutils]\nindex-servers =\n    pypi\n    local\n\n[local]\nrepository: http://l/\n",
        )
        .unwrap();
        std::fs::write(
            sb.home().join(".netrc"),
            "machine other login x password y\nmachine dom-111122223333.d.codeartifact.us-west-2.amazonaws.com login token password old",
        )
        .unwrap();
    }
    let (n, a) =
        p.run(&["codeartifact", "login", "--tool", "twine", "--domain", "dom", "--repository", "repo"], 0);
    assert_eq!(stdout_of(&n), stdout_of(&a));
    let (fn_, fa) = p.file(".pypirc");
    assert_eq!(fn_, fa);
    assert!(fn_.contains(&format!("password = {TOKEN}\n")));
    let (n, a) = p.run(
        &[
            "codeartifact",
            "login",
            "--tool",
            "swift",
            "--domain",
            "dom",
            "--repository",
            "repo",
            "--namespace",
            "my-scope",
        ],
        0,
    );
    assert_eq!(stdout_of(&n), stdout_of(&a));
    let (fn_, fa) = p.file(".netrc");
    assert_eq!(fn_, fa);
    assert!(fn_.ends_with(&format!("login token password {TOKEN}")), "{fn_}");
    let (rn, ra) = p.records();
    assert_eq!(rn, ra);
    assert!(rn.contains("swift package-registry set https://dom-111122223333.d.codeartifact.us-west-2.amazonaws.com/swift/repo/ --scope my-scope\n"));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(p.nubo.home().join(".pypirc")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // A fresh HOME gets the CLI's new files.
    let q = pair(&[]);
    q.run(&["codeartifact", "login", "--tool", "twine", "--domain", "dom", "--repository", "repo"], 0);
    q.run(&["codeartifact", "login", "--tool", "swift", "--domain", "dom", "--repository", "repo"], 0);
    let (a, b) = q.file(".pypirc");
    assert_eq!(a, b);
    let (a, b) = q.file(".netrc");
    assert_eq!(a, b);
}

#[test]
fn login_errors_as_the_cli() {
    let p = pair(&[("FAIL", "pip"), ("FAIL_ON", "global.index-url")]);
    let base = ["codeartifact", "login", "--domain", "dom", "--repository", "repo"];
    // A failing tool: the command with the token masked, and the tool's standard error.
    let (n, a) = p.run(&[&base[..], &["--tool", "pip"]].concat(), 255);
    assert_eq!(stderr_of(&n), stderr_of(&a));
    assert!(stderr_of(&n).contains("returned non-zero exit status 3. Stderr from command:\npip broke"));
    assert!(!stderr_of(&n).contains(TOKEN));
    // npm's always-auth may fail (npm 9 refuses it).
    let q = pair(&[("FAIL", "npm"), ("FAIL_ON", "always-auth")]);
    let (n, a) = q.run(&[&base[..], &["--tool", "npm"]].concat(), 0);
    assert_eq!(stdout_of(&n), stdout_of(&a));
    // --namespace with a tool that has none; bad scopes.
    let (n, a) = p.run(&[&base[..], &["--tool", "twine", "--namespace", "x"]].concat(), 255);
    assert_eq!(stderr_of(&n), stderr_of(&a));
    assert_eq!(stderr_of(&n), "\nArgument --namespace is not supported for twine\n");
    let (n, a) = p.run(&[&base[..], &["--tool", "npm", "--namespace", "_x"]].concat(), 255);
    assert_eq!(stderr_of(&n), stderr_of(&a));
    let (n, a) = p.run(&[&base[..], &["--tool", "swift", "--namespace", "a--b"]].concat(), 255);
    assert_eq!(stderr_of(&n), stderr_of(&a));
    // An unknown tool and a missing option are usage errors.
    let args = [&base[..], &["--tool", "gradle"]].concat();
    let a = p.aws.aws().args(&args).output().unwrap();
    assert_eq!(a.status.code(), Some(2), "v1's usage exit code");
    let n = p.nubo.nubo().args(&args).output().unwrap();
    assert_eq!(n.status.code(), Some(252));
    let tail = |o: &std::process::Output| stderr_of(o).split_once("error: ").unwrap().1.to_string();
    assert_eq!(tail(&n), tail(&a));
    let n =
        p.nubo.nubo().args(["codeartifact", "login", "--tool", "npm", "--domain", "dom"]).output().unwrap();
    assert_eq!(n.status.code(), Some(252));
    assert!(stderr_of(&n).contains("the following arguments are required: --repository"));
    // A tool that is not installed.
    let mut sb = Sandbox::new();
    // Compared with the Python CLI v1, whose errors are in what v2 calls the legacy format.
    sb.set_env("AWS_CLI_ERROR_FORMAT", "legacy");
    sb.env = p.nubo.env.clone();
    sb.set_env("PATH", "/nonexistent");
    let n = sb.nubo().args([&base[..], &["--tool", "npm"]].concat()).output().unwrap();
    let a = sb.aws().args([&base[..], &["--tool", "npm"]].concat()).output().unwrap();
    assert_eq!(a.status.code(), Some(255));
    assert_eq!(n.status.code(), Some(255));
    assert_eq!(stderr_of(&n), stderr_of(&a));
    assert_eq!(stderr_of(&n), "\nnpm was not found. Please verify installation.\n");
}
