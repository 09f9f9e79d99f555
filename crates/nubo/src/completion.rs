//! Shell completion as the AWS CLI v2's completer does it: bash (and zsh through `bashcompinit`) run
//! `complete -C nubo nubo`, which calls nubo with `COMP_LINE`/`COMP_POINT` set and three arguments (the
//! command name, the word being completed, the word before it); nubo prints the candidates, one a line.
//! fish calls the same entry point from its own script. `nubo completion bash|zsh|fish` prints the
//! script to install.
//!
//! Candidates: services and nubo's commands, a service's operations (and `wait`'s waiters), an
//! operation's options, enum values of the option being given, and the values of `--profile`,
//! `--region`, `--output` and the other global options with fixed choices. S3 keys are not completed
//! (that would need the network). Nothing here makes a network call.

use crate::error::{CliError, CliResult, exit};
use crate::globals::{ERROR_FORMATS, OUTPUT_FORMATS};
use nubo_model::names::{service_to_cli_name, xform_name};
use nubo_session::Session;
use nubo_settings::env::Env;

/// Global options that take a value.
const GLOBAL_VALUE_OPTIONS: &[&str] = &crate::globals::VALUE_OPTIONS;

/// Subcommands of nubo's own commands that have them.
fn own_subcommands(command: &str) -> &'static [&'static str] {
    match command {
        "s3" => &["cp", "ls", "mb", "mv", "presign", "rb", "rm", "sync", "website"],
        "configure" => &[
            "add-model",
            "dump",
            "explain",
            "export-credentials",
            "get",
            "import",
            "list",
            "list-profiles",
            "set",
        ],
        "debug" => &["resolve-endpoint"],
        "completion" => &["bash", "fish", "zsh"],
        "help" => &["config-vars", "notice", "return-codes", "s3-config", "topics"],
        _ => &[],
    }
}

/// The completer entry point: when the process was started by a shell's `complete -C` (three
/// arguments and `COMP_LINE` set), prints the candidates and returns the exit code.
pub fn from_env(args: &[String], env: &Env) -> Option<i32> {
    let line = env.get_raw("COMP_LINE")?;
    if args.len() != 3 {
        return None;
    }
    let point = env.get_raw("COMP_POINT").and_then(|p| p.parse::<usize>().ok()).unwrap_or(line.len());
    // COMP_POINT counts bytes in bash; keep the cut on a character boundary.
    let mut cut = point.min(line.len());
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    let ctx = Session::new(Default::default(), env.clone());
    let mut out = String::new();
    for c in complete(&ctx, &line[..cut]) {
        out.push_str(&c);
        out.push('\n');
    }
    use std::io::Write;
    let _ = std::io::stdout().write_all(out.as_bytes());
    Some(exit::OK)
}

/// Every top-level command: the services' CLI names and nubo's own commands, sorted.
pub fn commands(ctx: &Session) -> Vec<String> {
    let mut names: Vec<String> = ctx
        .loader()
        .available_services()
        .iter()
        .filter(|s| nubo_model::names::cli_name_to_service(&service_to_cli_name(s)).is_some())
        .map(|s| service_to_cli_name(s))
        .collect();
    // Every added command's first word: `configure`, and groups with no model such as `ddb`.
    names.extend(crate::registry::COMMANDS.iter().map(|c| c.path[0].to_string()));
    names.sort();
    names.dedup();
    names
}

/// The candidates for a command line cut at the cursor (the first word is the program's name).
pub fn complete(ctx: &Session, line: &str) -> Vec<String> {
    let mut words: Vec<&str> = line.split_whitespace().collect();
    let current =
        if line.ends_with(char::is_whitespace) || words.len() <= 1 { "" } else { words.pop().unwrap_or("") };
    if !words.is_empty() {
        words.remove(0);
    }
    let previous = words.last().copied();
    // A global option waiting for its value.
    if let Some(prev) = previous.filter(|p| GLOBAL_VALUE_OPTIONS.contains(p)) {
        return filter(global_values(ctx, prev), current);
    }
    // The command path: words that are not options or option values.
    let mut path: Vec<&str> = Vec::new();
    let mut used: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if GLOBAL_VALUE_OPTIONS.contains(&w) {
            i += 2;
            continue;
        }
        if w.starts_with('-') {
            used.push(w);
        } else if path.len() < 2 || (path.len() == 2 && path[1] == "wait") {
            // Positional words after the operation are option values, not commands.
            if used.is_empty() {
                path.push(w);
            }
        }
        i += 1;
    }
    let globals = || global_options().into_iter().filter(|g| !used.contains(&g.as_str())).collect::<Vec<_>>();
    match path.as_slice() {
        [] => {
            if current.starts_with('-') {
                filter(globals(), current)
            } else {
                filter(commands(ctx), current)
            }
        }
        [command] => {
            if current.starts_with('-') {
                return filter(globals(), current);
            }
            let own = own_subcommands(command);
            if !own.is_empty() {
                return filter(own.iter().map(|s| s.to_string()).collect(), current);
            }
            match ctx.cli_service(command) {
                Ok(service) => filter(crate::help::service_commands(command, &service.model), current),
                // A group of added commands without a model (`ddb`, `history`).
                Err(_) => filter(
                    crate::registry::subcommands(command).map(|c| c.path[1].to_string()).collect(),
                    current,
                ),
            }
        }
        [command, "wait"] => match ctx.cli_service(command) {
            Ok(service) if !current.starts_with('-') => filter(
                nubo_session::waiter::waiters(&service).iter().map(|w| xform_name(&w.name)).collect(),
                current,
            ),
            _ => Vec::new(),
        },
        [command, op, ..] => {
            if !own_subcommands(command).is_empty()
                || crate::registry::find(&[command.to_string(), op.to_string()])
                    .is_some_and(|(c, _)| c.path.len() == 2)
            {
                return if current.starts_with('-') { filter(globals(), current) } else { Vec::new() };
            }
            let Ok(service) = ctx.cli_service(command) else { return Vec::new() };
            let waiter;
            let op_name = if *op == "wait" {
                let Some(w) = path.get(2).and_then(|n| nubo_session::waiter::find(&service, n)) else {
                    return Vec::new();
                };
                waiter = w;
                waiter.operation.as_str()
            } else {
                match crate::op_lookup::find_operation(&service, command, op) {
                    Ok(o) => o.name.as_str(),
                    Err(_) => return Vec::new(),
                }
            };
            let Some(operation) = service.model.operations.get(op_name) else { return Vec::new() };
            let opts = crate::op_lookup::arg_options(ctx, command, &service, operation);
            let specs = nubo_args::options(&service.model, operation, &opts);
            // The value of the option just given: its enum values, if it has any.
            if let Some(spec) = previous
                .filter(|p| p.starts_with("--"))
                .and_then(|prev| specs.iter().find(|s| s.name == prev))
                .filter(|spec| spec.type_name != "boolean")
            {
                return filter(enum_values(&service.model, operation, spec), current);
            }
            if !current.is_empty() && !current.starts_with('-') {
                return Vec::new();
            }
            let mut names: Vec<String> = specs
                .iter()
                .filter(|s| !s.hidden && s.name.starts_with("--") && !used.contains(&s.name.as_str()))
                .map(|s| s.name.clone())
                .collect();
            if current.starts_with('-') {
                names.extend(globals());
            }
            filter(names, current)
        }
    }
}

fn enum_values(
    model: &nubo_model::ServiceModel,
    op: &nubo_model::Operation,
    spec: &nubo_args::OptionSpec,
) -> Vec<String> {
    let Some(member) = &spec.member else { return Vec::new() };
    let input = op.input.as_ref().and_then(|r| model.shapes.get(&r.shape));
    let Some(target) = input.and_then(|s| s.members.get(member)).and_then(|r| model.shapes.get(&r.shape))
    else {
        return Vec::new();
    };
    let shape = match target.member.as_ref() {
        Some(m) if target.type_ == nubo_model::ShapeType::List => {
            model.shapes.get(&m.shape).unwrap_or(target)
        }
        _ => target,
    };
    shape.enum_.clone()
}

fn global_options() -> Vec<String> {
    crate::help::topics::GLOBAL_OPTIONS.iter().map(|(n, _, _)| n.to_string()).collect()
}

fn global_values(ctx: &Session, option: &str) -> Vec<String> {
    let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    match option {
        "--output" => list(&OUTPUT_FORMATS),
        "--color" => list(&["on", "off", "auto"]),
        "--cli-binary-format" => list(&["base64", "raw-in-base64-out"]),
        "--cli-error-format" => list(&ERROR_FORMATS),
        "--profile" => ctx.files().map(|f| f.profiles.keys().cloned().collect()).unwrap_or_default(),
        "--region" => regions(),
        _ => Vec::new(),
    }
}

/// Every region of every partition in the bundled `partitions.json`, sorted.
fn regions() -> Vec<String> {
    let bytes = nubo_model::bundle::partitions();
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(&bytes) else { return Vec::new() };
    let mut out: Vec<String> = doc["partitions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["regions"].as_object())
        .flat_map(|r| r.keys().cloned())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn filter(mut candidates: Vec<String>, prefix: &str) -> Vec<String> {
    candidates.retain(|c| c.starts_with(prefix));
    candidates
}

/// `nubo completion bash|zsh|fish`: the script that makes the shell complete nubo.
pub fn script(_ctx: &Session, args: &[String]) -> CliResult<i32> {
    let text = match args {
        [s] if s == "bash" => BASH,
        [s] if s == "zsh" => ZSH,
        [s] if s == "fish" => FISH,
        [s] => {
            return Err(CliError::Usage(crate::help::suggest::invalid_choice(
                "shell",
                s,
                ["bash", "zsh", "fish"],
            )));
        }
        _ => {
            return Err(CliError::Usage(
                "the following arguments are required: shell (bash, zsh or fish)".into(),
            ));
        }
    };
    print!("{text}");
    Ok(exit::OK)
}

const BASH: &str = "\
# nubo completion for bash: add `eval \"$(nubo completion bash)\"` to ~/.bashrc.
complete -C nubo nubo
# With `alias aws=nubo`, complete aws the same way:
if alias aws 2>/dev/null | grep -q \"nubo\"; then complete -C nubo aws; fi
";

const ZSH: &str = "\
# nubo completion for zsh: add `eval \"$(nubo completion zsh)\"` to ~/.zshrc.
autoload -Uz bashcompinit && bashcompinit
complete -C nubo nubo
if alias aws 2>/dev/null | grep -q \"nubo\"; then complete -C nubo aws; fi
";

const FISH: &str = "\
# nubo completion for fish: run `nubo completion fish > ~/.config/fish/completions/nubo.fish`.
function __nubo_complete
    set -l line (commandline -cp)
    COMP_LINE=$line COMP_POINT=(string length -- $line) nubo nubo (commandline -ct) ''
end
complete -c nubo -f -a '(__nubo_complete)'
complete -c aws -f -a '(__nubo_complete)' -n 'functions -q aws; and functions aws | string match -q \"*nubo*\"'
";

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Session {
        Session::new(
            Default::default(),
            Env::from_pairs([
                ("AWS_CONFIG_FILE", "/nonexistent/c"),
                ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/k"),
            ]),
        )
    }

    #[test]
    fn services_operations_options_and_values() {
        let c = ctx();
        let s = complete(&c, "aws ec");
        assert!(s.contains(&"ec2".to_string()) && s.contains(&"ecr".to_string()), "{s:?}");
        assert!(complete(&c, "aws s3").contains(&"s3api".to_string()));
        let ops = complete(&c, "aws ec2 describe-instanc");
        assert!(
            ops.contains(&"describe-instances".to_string())
                && ops.contains(&"describe-instance-status".to_string())
        );
        assert!(ops.iter().all(|o| o.starts_with("describe-instanc")), "{ops:?}");
        assert!(complete(&c, "aws ec2 describe-instances --inst").contains(&"--instance-ids".to_string()));
        assert_eq!(complete(&c, "aws --output t"), ["text", "table"]);
        assert!(complete(&c, "aws --region eu-west-").contains(&"eu-west-1".to_string()));
        let v = complete(&c, "aws ec2 describe-instances --region us-east-1 --dry-run --fil");
        assert_eq!(v, ["--filters"]);
        assert!(complete(&c, "aws ec2 wait instance-r").contains(&"instance-running".to_string()));
        assert_eq!(complete(&c, "aws s3 s"), ["sync"]);
    }

    #[test]
    fn enum_values_of_the_option_given() {
        let c = ctx();
        let v = complete(&c, "aws ec2 run-instances --instance-type t3.mic");
        assert_eq!(v, ["t3.micro"]);
    }
}
