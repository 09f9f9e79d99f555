//! Help pages as the AWS CLI v2 shows them: `nubo help`, `nubo <service> help`, `nubo <service>
//! <operation> help`, the added commands' pages from the command registry, and `nubo help topics`.
//! The text comes from the documentation bundle (`nubo_model::docs`, decompressed only here), rendered
//! to the terminal's width and sent through the pager on a terminal.
//!
//! - [`syntax`]: type names, shorthand and JSON syntax, member trees from the shapes;
//! - [`text`]: HTML and reStructuredText to wrapped terminal text;
//! - [`topics`]: the topics and the global options' descriptions, written for nubo;
//! - [`suggest`]: the closest names to a mistyped one, for usage errors.

pub mod suggest;
pub mod syntax;
pub mod text;
pub mod topics;

use crate::error::{CliError, CliResult, exit};
use nubo_args::{OptionKind, OptionSpec};
use nubo_client::Service;
use nubo_model::docs::{Examples, ServiceDocs};
use nubo_model::names::xform_name;
use nubo_model::{Operation, ServiceModel};
use nubo_session::Session;

/// Body text starts this far in, as in the CLI's rendered man pages.
const BODY: usize = 7;
/// Option and member descriptions start this far in.
const DETAIL: usize = 10;
/// How deep member trees go before they stop (the models have recursive shapes).
const MAX_DEPTH: usize = 8;

/// The width help is rendered to: `COLUMNS`, else the terminal's, else 80 (kept between 40 and 160).
pub fn width() -> usize {
    let from_env = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok());
    let from_tty = || terminal_size::terminal_size().map(|(w, _)| usize::from(w.0));
    from_env.or_else(from_tty).unwrap_or(80).clamp(40, 160)
}

/// Shows a finished page: through the pager on a terminal, else straight to standard output.
fn show(ctx: &Session, page: &str) -> CliResult<i32> {
    let less = ctx.env.get("LESS").unwrap_or("FRX");
    match nubo_output::pager::write(page, ctx.pager().as_deref(), less) {
        // A reader that stops early (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(exit::OK),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(exit::OK),
    }
}

/// Ends `out` with exactly one empty line.
fn blank_line(out: &mut String) {
    while out.ends_with("\n\n") {
        out.pop();
    }
    out.push('\n');
}

fn heading(out: &mut String, title: &str) {
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(title);
    out.push_str("\n\n");
}

fn docs_for(service: &str) -> Option<ServiceDocs> {
    nubo_model::docs::service(service).and_then(Result::ok)
}

fn examples_for(command: &str) -> Option<Examples> {
    nubo_model::docs::examples(command).and_then(Result::ok)
}

fn global_options(out: &mut String, width: usize) {
    heading(out, "GLOBAL OPTIONS");
    for (name, ty, what) in topics::GLOBAL_OPTIONS {
        out.push_str(&format!("{}{name} ({ty})\n", " ".repeat(BODY)));
        out.push_str(&text::wrap(what, width, DETAIL));
        out.push('\n');
    }
}

/// `nubo help`, `nubo help topics`, `nubo help <topic>` (the registry's `help` command).
pub fn top(ctx: &Session, args: &[String]) -> CliResult<i32> {
    let width = width();
    match args {
        [] => show(ctx, &top_page(ctx, width)),
        [t] if t == "topics" => show(ctx, &topics_page(width)),
        [t] if t == "notice" => notice(ctx),
        [t] => match topics::TOPICS.iter().find(|x| x.name == t) {
            Some(topic) => show(ctx, &topic_page(topic, width)),
            None => Err(CliError::Usage(suggest::invalid_choice(
                "topic",
                t,
                topics::TOPICS.iter().map(|x| x.name).chain(["topics", "notice"]),
            ))),
        },
        _ => Err(CliError::Usage(format!("Unknown options: {}", args[1..].join(", ")))),
    }
}

fn top_page(ctx: &Session, width: usize) -> String {
    let mut out = String::new();
    heading(&mut out, "NAME");
    out.push_str(&format!("{}nubo -\n", " ".repeat(BODY)));
    heading(&mut out, "DESCRIPTION");
    out.push_str(&text::wrap(
        "nubo is a fast, single-binary command-line client for AWS that does what the AWS CLI v2 does: \
         the same commands, options, configuration files, credentials and output. `alias aws=nubo` works.",
        width,
        BODY,
    ));
    heading(&mut out, "SYNOPSIS");
    out.push_str(&format!("{}nubo [options] <command> <subcommand> [parameters]\n", " ".repeat(BODY)));
    out.push('\n');
    out.push_str(&text::wrap(
        "Use `nubo <command> help` for a service's operations and `nubo <command> <subcommand> help` for \
         one operation's options, examples and output.",
        width,
        BODY,
    ));
    global_options(&mut out, width);
    heading(&mut out, "AVAILABLE SERVICES");
    let mut services: Vec<String> = ctx
        .loader()
        .available_services()
        .iter()
        .filter_map(|s| {
            nubo_model::names::cli_name_to_service(&nubo_model::names::service_to_cli_name(s))
                .map(|_| nubo_model::names::service_to_cli_name(s))
        })
        .collect();
    services.extend(
        crate::registry::COMMANDS.iter().filter(|c| c.path.len() == 1).map(|c| c.path[0].to_string()),
    );
    services.sort();
    services.dedup();
    for s in services {
        out.push_str(&format!("{}o {s}\n\n", " ".repeat(BODY)));
    }
    heading(&mut out, "COMMANDS ADDED TO THE MODELS' SERVICES");
    for c in crate::registry::COMMANDS.iter().filter(|c| c.path != ["help"]) {
        out.push_str(&format!("{}{:<36} {}\n", " ".repeat(BODY), c.path.join(" "), c.summary));
    }
    heading(&mut out, "SEE ALSO");
    out.push_str(&text::wrap("nubo help topics", width, BODY));
    heading(&mut out, "ATTRIBUTION");
    out.push_str(&text::wrap(
        "The service documentation comes from botocore and the examples from the AWS CLI's awscli \
         package, both under the Apache License 2.0; `nubo help topics` lists `notice` for their NOTICE.",
        width,
        BODY,
    ));
    out
}

fn topics_page(width: usize) -> String {
    let mut out = String::new();
    heading(&mut out, "NAME");
    out.push_str(&format!("{}topics -\n", " ".repeat(BODY)));
    heading(&mut out, "DESCRIPTION");
    out.push_str(&text::wrap("Run `nubo help <topic>` to read one of these.", width, BODY));
    heading(&mut out, "AVAILABLE TOPICS");
    for t in topics::TOPICS {
        out.push_str(&format!("{}o {}: {}\n\n", " ".repeat(BODY), t.name, t.summary));
    }
    out.push_str(&format!(
        "{}o notice: where the bundled documentation comes from, and its licence\n",
        " ".repeat(BODY)
    ));
    out
}

fn topic_page(topic: &topics::Topic, width: usize) -> String {
    let mut out = String::new();
    heading(&mut out, "NAME");
    out.push_str(&format!("{}{} - {}\n", " ".repeat(BODY), topic.name, topic.summary));
    heading(&mut out, "DESCRIPTION");
    for para in topic.body.split("\n\n") {
        if para.lines().all(|l| l.starts_with("  ") || l.is_empty())
            || para.lines().any(|l| l.starts_with("  "))
        {
            // Tables and examples keep their lines; the intro line before them is wrapped.
            for line in para.lines() {
                if line.starts_with("  ") {
                    out.push_str(&format!("{}{line}\n", " ".repeat(BODY)));
                } else {
                    out.push_str(&text::wrap(line, width, BODY));
                }
            }
        } else {
            out.push_str(&text::wrap(&para.replace('\n', " "), width, BODY));
        }
        out.push('\n');
    }
    out
}

/// `nubo help notice`: the attribution texts of the bundled data.
fn notice_page() -> String {
    let mut out = String::new();
    for (source, text) in nubo_model::docs::notices() {
        heading(&mut out, &source.to_uppercase());
        out.push_str(&text::indent_lines(&text, BODY));
    }
    out
}

/// `nubo <service> help`.
pub fn service(ctx: &Session, cli_service: &str, service: &Service) -> CliResult<i32> {
    let width = width();
    let docs = docs_for(&service.name);
    let mut out = String::new();
    heading(&mut out, "NAME");
    out.push_str(&format!("{}{cli_service} -\n", " ".repeat(BODY)));
    heading(&mut out, "DESCRIPTION");
    if let Some(d) = docs.as_ref().and_then(|d| d.service()) {
        out.push_str(&text::html(d, width, BODY));
    }
    heading(&mut out, "AVAILABLE COMMANDS");
    for name in service_commands(cli_service, &service.model) {
        out.push_str(&format!("{}o {name}\n\n", " ".repeat(BODY)));
    }
    show(ctx, &out)
}

/// A service's subcommands: the model's operations, the registry's additions and `wait`, sorted,
/// without the operations v2 removed (`registry::REMOVED_OPERATIONS`).
pub fn service_commands(cli_service: &str, model: &ServiceModel) -> Vec<String> {
    let mut names: Vec<String> = model.operations.keys().map(|n| xform_name(n)).collect();
    names.extend(crate::registry::subcommands(cli_service).map(|c| c.path[1].to_string()));
    names.retain(|n| !crate::registry::is_removed(cli_service, n));
    names.push("wait".into());
    names.sort();
    names.dedup();
    names
}

/// `nubo <service> <operation> help`.
pub fn operation(
    ctx: &Session,
    service: &Service,
    op: &Operation,
    opts: &nubo_args::ArgOptions,
) -> CliResult<i32> {
    show(ctx, &operation_page(service, op, opts, width()))
}

/// The page of one operation, as a string (the tests read it without a terminal).
pub fn operation_page(
    service: &Service,
    op: &Operation,
    opts: &nubo_args::ArgOptions,
    width: usize,
) -> String {
    let model = &service.model;
    let cli_op = xform_name(&op.name);
    let docs = docs_for(&service.name);
    let specs = nubo_args::options(model, op, opts);
    let visible: Vec<&OptionSpec> = specs.iter().filter(|o| !o.hidden).collect();
    let negated = |name: &str| {
        visible
            .iter()
            .any(|o| o.kind == OptionKind::NegatedBoolean && o.name == format!("--no-{}", &name[2..]))
    };
    let pad = |n: usize| " ".repeat(n);
    let mut out = String::new();

    heading(&mut out, "NAME");
    out.push_str(&format!("{}{cli_op} -\n", pad(BODY)));
    heading(&mut out, "DESCRIPTION");
    if let Some(d) = docs.as_ref().and_then(|d| d.operation(&op.name)) {
        out.push_str(&text::html(d, width, BODY));
    }
    if op.deprecated {
        out.push_str(&format!("\n{}This operation is deprecated.\n", pad(BODY)));
    }

    heading(&mut out, "SYNOPSIS");
    out.push_str(&format!("{}{cli_op}\n", pad(BODY + 5)));
    for o in &visible {
        let line = match o.kind {
            OptionKind::NegatedBoolean | OptionKind::CliInputYaml => continue,
            OptionKind::CliInputJson => "[--cli-input-json | --cli-input-yaml]".to_string(),
            OptionKind::Outfile => "<outfile>".to_string(),
            _ if o.type_name == "boolean" && negated(&o.name) => {
                format!("[{} | --no-{}]", o.name, &o.name[2..])
            }
            _ if o.required => format!("{} <value>", o.name),
            _ => format!("[{} <value>]", o.name),
        };
        out.push_str(&format!("{}{line}\n", pad(BODY + 3)));
    }
    out.push_str(&format!("{}[--debug] [--endpoint-url <value>] ... (GLOBAL OPTIONS)\n", pad(BODY + 3)));

    heading(&mut out, "OPTIONS");
    let input = op.input.as_ref().map(|r| r.shape.as_str()).unwrap_or("");
    for o in &visible {
        if o.kind == OptionKind::NegatedBoolean || o.kind == OptionKind::CliInputYaml {
            continue;
        }
        let name = if o.type_name == "boolean" && negated(&o.name) {
            format!("{} | --no-{}", o.name, &o.name[2..])
        } else {
            o.name.clone()
        };
        let req = if o.required { " [required]" } else { "" };
        out.push_str(&format!("{}{name} ({}){req}\n", pad(BODY), o.type_name));
        match (&o.member, o.kind) {
            (Some(member), OptionKind::Member) => {
                let target =
                    model.shapes.get(input).and_then(|s| s.members.get(member)).map(|r| r.shape.clone());
                let doc = docs.as_ref().and_then(|d| {
                    d.member(input, member).or_else(|| target.as_deref().and_then(|t| d.shape(t)))
                });
                if let Some(doc) = doc {
                    out.push_str(&text::html(doc, width, DETAIL));
                }
                if let Some(t) = target {
                    option_syntax(&mut out, model, docs.as_ref(), &t, width);
                }
            }
            _ => out.push_str(&text::wrap(builtin_option_doc(o.kind), width, DETAIL)),
        }
        out.push('\n');
    }

    global_options(&mut out, width);

    let examples = examples_for(&opts.service);
    if let Some(ex) = examples.as_ref().and_then(|e| e.get(&cli_op)) {
        heading(&mut out, "EXAMPLES");
        out.push_str(&text::rst(ex, width, BODY));
    }

    heading(&mut out, "OUTPUT");
    let output = op.output.as_ref().and_then(|r| model.shapes.get(&r.shape).map(|s| (r.shape.as_str(), s)));
    match output {
        Some((name, shape)) if !shape.members.is_empty() => {
            let mut stack = vec![name.to_string()];
            for (member, r) in shape.members.iter() {
                tree(&mut out, model, docs.as_ref(), Some(member), name, r, BODY, width, &mut stack);
            }
        }
        _ => out.push_str(&format!("{}None\n", pad(BODY))),
    }
    out
}

/// Enum values, shorthand and JSON syntax, and the member tree of one option's shape.
fn option_syntax(
    out: &mut String,
    model: &ServiceModel,
    docs: Option<&ServiceDocs>,
    shape_name: &str,
    width: usize,
) {
    let Some(shape) = model.shapes.get(shape_name) else { return };
    let pad = |n: usize| " ".repeat(n);
    if !shape.enum_.is_empty() {
        out.push_str(&format!("\n{}Possible values:\n\n", pad(DETAIL)));
        for v in &shape.enum_ {
            out.push_str(&format!("{}o {v}\n\n", pad(DETAIL + 3)));
        }
    }
    let children = syntax::children(model, shape);
    if !children.is_empty() {
        out.push('\n');
        let mut stack = vec![shape_name.to_string()];
        for (name, r) in children {
            tree(out, model, docs, name, shape_name, r, DETAIL, width, &mut stack);
        }
    }
    let scalar_list = shape.member.as_ref().and_then(|m| model.shapes.get(&m.shape)).filter(|member| {
        !syntax::supports_shorthand(model, shape)
            && shape.type_ == nubo_model::ShapeType::List
            && !member.document
    });
    if let Some(member) = scalar_list {
        blank_line(out);
        out.push_str(&format!("{}Syntax:\n\n", pad(DETAIL)));
        let ty = syntax::type_name(member);
        let item = if member.enum_.is_empty() {
            format!("\"{ty}\"")
        } else {
            member.enum_.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join("|")
        };
        out.push_str(&format!("{}{item} {item} ...\n", pad(DETAIL + 3)));
    }
    if let Some(sh) = syntax::shorthand(model, shape) {
        blank_line(out);
        out.push_str(&format!("{}Shorthand Syntax:\n\n", pad(DETAIL)));
        out.push_str(&text::indent_lines(&sh, DETAIL + 3));
    }
    if syntax::supports_shorthand(model, shape)
        || shape.document
        || matches!(shape.type_, nubo_model::ShapeType::Structure | nubo_model::ShapeType::Map)
    {
        blank_line(out);
        out.push_str(&format!("{}JSON Syntax:\n\n", pad(DETAIL)));
        out.push_str(&text::indent_lines(&syntax::json_syntax(model, shape_name), DETAIL + 3));
    }
}

/// One member and, below it, the members of its shape: `Name -> (type)`, its documentation, and so on
/// down (a list's element as `(type)`), stopping at recursion and at [`MAX_DEPTH`].
#[allow(clippy::too_many_arguments)]
fn tree(
    out: &mut String,
    model: &ServiceModel,
    docs: Option<&ServiceDocs>,
    name: Option<&str>,
    parent: &str,
    r: &nubo_model::ShapeRef,
    indent: usize,
    width: usize,
    stack: &mut Vec<String>,
) {
    let Some(shape) = model.shapes.get(&r.shape) else { return };
    let ty = syntax::type_name(shape);
    let pad = " ".repeat(indent);
    match name {
        Some(n) => out.push_str(&format!("{pad}{n} -> ({ty})\n")),
        None => out.push_str(&format!("{pad}({ty})\n")),
    }
    let doc = docs.and_then(|d| name.and_then(|n| d.member(parent, n)).or_else(|| d.shape(&r.shape)));
    if let Some(doc) = doc {
        out.push_str(&text::html(doc, width, indent + 3));
    }
    if !shape.enum_.is_empty() {
        out.push_str(&format!("{pad}   Possible values: {}\n", shape.enum_.join(", ")));
    }
    out.push('\n');
    if stack.contains(&r.shape) || stack.len() >= MAX_DEPTH {
        if !syntax::children(model, shape).is_empty() {
            out.push_str(&format!("{pad}   ( ... recursive ... )\n\n"));
        }
        return;
    }
    stack.push(r.shape.clone());
    for (child, cr) in syntax::children(model, shape) {
        tree(out, model, docs, child, &r.shape, cr, indent + 3, width, stack);
    }
    stack.pop();
}

fn builtin_option_doc(kind: OptionKind) -> &'static str {
    match kind {
        OptionKind::StartingToken => {
            "A token to specify where to start paginating: the NextToken from a previously truncated response."
        }
        OptionKind::PageSize => {
            "The size of each page to get in the AWS service call. This does not affect the number of items \
             returned in the command's output; a smaller page size means more calls, each less likely to time out."
        }
        OptionKind::MaxItems => {
            "The total number of items to return in the command's output. If more are available, a NextToken \
             is given in the output to pass to --starting-token in a later command."
        }
        OptionKind::CliInputJson | OptionKind::CliInputYaml => {
            "Reads arguments from the JSON (or, with --cli-input-yaml, YAML) string given. The format is that of \
             --generate-cli-skeleton's output. Values given on the command line override the input's."
        }
        OptionKind::GenerateCliSkeleton => {
            "Prints a skeleton of the input (`input`, the default, as JSON; `yaml-input` as YAML) or a sample \
             output (`output`) without calling the service."
        }
        OptionKind::Outfile => "The file the streaming response body is written to.",
        OptionKind::Member | OptionKind::NegatedBoolean => "",
    }
}

/// The page of an added command from the registry (`nubo ecr get-login-password help`, `nubo s3 cp
/// help`): its summary and, when the AWS CLI has them, its examples.
pub fn command(ctx: &Session, words: &[String]) -> CliResult<i32> {
    let width = width();
    let found = crate::registry::find(words);
    let mut out = String::new();
    heading(&mut out, "NAME");
    out.push_str(&format!("{}{} -\n", " ".repeat(BODY), words.last().map(String::as_str).unwrap_or("")));
    heading(&mut out, "DESCRIPTION");
    if let Some((c, _)) = found {
        out.push_str(&text::wrap(&format!("{}.", upper_first(c.summary)), width, BODY));
        if let Some(usage) = own_usage(c.path) {
            heading(&mut out, "SYNOPSIS");
            for line in usage.lines() {
                match line.is_empty() {
                    true => out.push('\n'),
                    false => out.push_str(&format!("{}{line}\n", " ".repeat(BODY))),
                }
            }
        }
    }
    if let Some(first) = words.first() {
        let rest = words[1..].join("/");
        let examples = examples_for(first);
        if let Some(ex) = examples.as_ref().and_then(|e| e.get(&rest)) {
            heading(&mut out, "EXAMPLES");
            out.push_str(&text::rst(ex, width, BODY));
        } else if let Some(e) = examples.as_ref().filter(|_| words.len() == 1) {
            heading(&mut out, "AVAILABLE COMMANDS");
            let mut subs: Vec<&str> = e.paths().into_iter().filter(|p| !p.contains('/')).collect();
            subs.dedup();
            for s in subs {
                out.push_str(&format!("{}o {s}\n\n", " ".repeat(BODY)));
            }
        }
    }
    global_options(&mut out, width);
    show(ctx, &out)
}

/// The usage text of nubo's own commands that carry one.
fn own_usage(path: &[&str]) -> Option<&'static str> {
    match path {
        ["curl"] => Some(crate::curl_cmd::HELP),
        _ => None,
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// `nubo help notice` is a topic whose text is the bundle's attribution.
pub fn notice(ctx: &Session) -> CliResult<i32> {
    show(ctx, &notice_page())
}
