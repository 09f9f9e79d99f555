//! The argument table of one operation, built as the CLI builds it: one option per input member
//! (`--` + the member's kebab-case name; booleans get `--x` and `--no-x`; lists take several values),
//! the CLI's renames and hidden aliases, the `outfile` positional for streaming output, the
//! pagination options, `--cli-input-json`, `--cli-input-yaml` and `--generate-cli-skeleton`.

use nubo_model::{Operation, ServiceModel, ShapeType};

use crate::renames::{ARGUMENT_RENAMES, HIDDEN_ALIASES, applies};
use crate::shapes::{resolve, type_name};
use nubo_model::names::xform_name;

/// What an option is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// Sets an input member.
    Member,
    /// `--no-x`: sets a boolean member to false.
    NegatedBoolean,
    /// The positional file name where streaming output is written.
    Outfile,
    StartingToken,
    PageSize,
    MaxItems,
    CliInputJson,
    CliInputYaml,
    GenerateCliSkeleton,
}

/// One option of an operation, for help and completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionSpec {
    /// `--bucket`, or `outfile` for the positional.
    pub name: String,
    /// The input member it sets, if any.
    pub member: Option<String>,
    /// The CLI's type name: `string`, `integer`, `boolean`, `structure`, `list`, `map`, `blob`…
    pub type_name: String,
    /// Whether the CLI documents it as required.
    pub required: bool,
    /// Accepted but not documented (hidden aliases, the operation's own paging members when the CLI
    /// paginates).
    pub hidden: bool,
    pub kind: OptionKind,
}

/// How an option consumes the command line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    /// Exactly one value.
    Store,
    /// Any number of values (`nargs='*'`).
    StoreList,
    StoreTrue,
    StoreFalse,
    /// Zero or one value, `const` when none, restricted to `choices`.
    Optional {
        constant: &'static str,
        choices: &'static [&'static str],
    },
}

/// How a value is converted when it is read (argparse's `type=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Conv {
    Str,
    Int,
    Float,
}

/// Where a parsed value goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Dest {
    Member(String),
    Outfile,
    StartingToken,
    PageSize,
    MaxItems,
    CliInputJson,
    CliInputYaml,
    Skeleton,
}

#[derive(Debug, Clone)]
pub(crate) struct Arg {
    /// The name without dashes (`bucket`, `outfile`).
    pub name: String,
    pub positional: bool,
    pub action: Action,
    pub conv: Conv,
    pub dest: Dest,
    /// Required by the option parser.
    pub required: bool,
    /// Documented as required.
    pub documented_required: bool,
    pub hidden: bool,
    pub type_name: String,
    pub kind: OptionKind,
}

impl Arg {
    pub(crate) fn cli_name(&self) -> String {
        if self.positional { self.name.clone() } else { format!("--{}", self.name) }
    }

    pub(crate) fn spec(&self) -> OptionSpec {
        OptionSpec {
            name: self.cli_name(),
            member: match &self.dest {
                Dest::Member(m) => Some(m.clone()),
                _ => None,
            },
            type_name: self.type_name.clone(),
            required: self.documented_required,
            hidden: self.hidden,
            kind: self.kind,
        }
    }
}

/// The pagination keys of a paginated operation (from its `paginators-1.json` entry).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Paging<'a> {
    pub input_tokens: &'a [String],
    pub limit_key: Option<&'a str>,
}

/// The table, in the CLI's order, plus the operation-specific options that the paging options
/// shadow (restored when pagination is off).
pub(crate) struct Table {
    pub args: Vec<Arg>,
    pub shadowed: Vec<Arg>,
}

impl Table {
    fn insert(&mut self, arg: Arg) {
        if let Some(slot) =
            self.args.iter_mut().find(|a| a.name == arg.name && a.positional == arg.positional)
        {
            *slot = arg;
        } else {
            self.args.push(arg);
        }
    }
}

/// Whether the operation's output has a blob payload (written to `outfile`).
pub(crate) fn has_streaming_output(model: &ServiceModel, op: &Operation) -> bool {
    let Some(out) = op.output.as_ref().and_then(|r| resolve(model, r)) else { return false };
    let Some(payload) = out.payload.as_deref() else { return false };
    out.members.get(payload).and_then(|r| resolve(model, r)).is_some_and(|s| s.type_ == ShapeType::Blob)
}

pub(crate) fn build(model: &ServiceModel, op: &Operation, service: &str, paging: Option<&Paging>) -> Table {
    let mut table = Table { args: Vec::new(), shadowed: Vec::new() };
    let op_cli = xform_name(&op.name);
    if let Some(input) = op.input.as_ref().and_then(|r| resolve(model, r)) {
        for (member, r) in input.members.iter() {
            let Some(shape) = resolve(model, r) else { continue };
            let cli = xform_name(member);
            let required = input.required.iter().any(|m| m == member) && !r.idempotency_token;
            let base = Arg {
                name: cli.clone(),
                positional: false,
                action: Action::Store,
                conv: Conv::Str,
                dest: Dest::Member(member.clone()),
                required,
                documented_required: required,
                hidden: false,
                type_name: type_name(shape.type_).to_string(),
                kind: OptionKind::Member,
            };
            match shape.type_ {
                ShapeType::Boolean => {
                    // The parser never requires a boolean; a missing required one fails validation.
                    table.insert(Arg { action: Action::StoreTrue, required: false, ..base.clone() });
                    table.insert(Arg {
                        name: format!("no-{cli}"),
                        action: Action::StoreFalse,
                        required: false,
                        documented_required: false,
                        kind: OptionKind::NegatedBoolean,
                        ..base
                    });
                }
                ShapeType::List => table.insert(Arg { action: Action::StoreList, ..base }),
                ShapeType::Long => table.insert(Arg { conv: Conv::Int, ..base }),
                ShapeType::Float | ShapeType::Double => table.insert(Arg { conv: Conv::Float, ..base }),
                _ => table.insert(base),
            }
        }
    }
    for (svc, o, from, to) in ARGUMENT_RENAMES {
        if applies(svc, o, service, &op_cli)
            && let Some(i) = table.args.iter().position(|a| !a.positional && a.name == *from)
        {
            let mut arg = table.args.remove(i);
            arg.name = (*to).to_string();
            table.insert(arg);
        }
    }
    for (svc, o, from, alias) in HIDDEN_ALIASES {
        if applies(svc, o, service, &op_cli)
            && let Some(i) = table.args.iter().position(|a| !a.positional && a.name == *from)
        {
            let mut copy = table.args[i].clone();
            table.args[i].required = false;
            copy.name = (*alias).to_string();
            copy.required = false;
            copy.documented_required = false;
            copy.hidden = true;
            table.insert(copy);
        }
    }
    let outfile = has_streaming_output(model, op);
    if !outfile {
        for (name, dest, kind) in [
            ("cli-input-json", Dest::CliInputJson, OptionKind::CliInputJson),
            ("cli-input-yaml", Dest::CliInputYaml, OptionKind::CliInputYaml),
        ] {
            table.insert(simple(name, dest, kind, "string"));
        }
    }
    if let Some(paging) = paging {
        add_paging(model, op, paging, &mut table);
    }
    if outfile {
        table.insert(Arg {
            positional: true,
            required: true,
            documented_required: true,
            ..simple("outfile", Dest::Outfile, OptionKind::Outfile, "string")
        });
    } else {
        table.insert(Arg {
            action: Action::Optional { constant: "input", choices: &["input", "output", "yaml-input"] },
            ..simple("generate-cli-skeleton", Dest::Skeleton, OptionKind::GenerateCliSkeleton, "string")
        });
    }
    table
}

fn simple(name: &str, dest: Dest, kind: OptionKind, type_name: &str) -> Arg {
    Arg {
        name: name.to_string(),
        positional: false,
        action: Action::Store,
        conv: Conv::Str,
        dest,
        required: false,
        documented_required: false,
        hidden: false,
        type_name: type_name.to_string(),
        kind,
    }
}

/// The paging options replace the operation's own token and limit options in the documentation
/// (they stay accepted) and may shadow an operation option of the same name.
fn add_paging(model: &ServiceModel, op: &Operation, paging: &Paging, table: &mut Table) {
    let mut hidden: Vec<String> = paging.input_tokens.iter().map(|t| xform_name(t)).collect();
    if let Some(limit) = paging.limit_key {
        hidden.push(xform_name(limit));
    }
    for arg in table.args.iter_mut() {
        if !arg.positional && hidden.contains(&arg.name) {
            arg.hidden = true;
        }
    }
    let mut kind_of_limit = "integer".to_string();
    let mut conv = Conv::Int;
    if let Some(limit) = paging.limit_key {
        let limit_shape = op
            .input
            .as_ref()
            .and_then(|r| resolve(model, r))
            .and_then(|input| input.members.get(limit))
            .and_then(|r| resolve(model, r));
        if let Some(shape) = limit_shape {
            kind_of_limit = type_name(shape.type_).to_string();
            if shape.type_ == ShapeType::String {
                conv = Conv::Str;
            }
        }
    }
    let add = |arg: Arg, table: &mut Table| {
        if let Some(existing) = table.args.iter().find(|a| !a.positional && a.name == arg.name) {
            table.shadowed.push(existing.clone());
        }
        table.insert(arg);
    };
    add(simple("starting-token", Dest::StartingToken, OptionKind::StartingToken, "string"), table);
    if paging.limit_key.is_some() {
        add(Arg { conv, ..simple("page-size", Dest::PageSize, OptionKind::PageSize, &kind_of_limit) }, table);
    }
    add(Arg { conv, ..simple("max-items", Dest::MaxItems, OptionKind::MaxItems, &kind_of_limit) }, table);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shapes::testing::model;

    const MODEL: &str = r#"{"metadata":{"protocol":"json"},"operations":{
        "CreateImage":{"name":"CreateImage","input":{"shape":"In"}},
        "GetObject":{"name":"GetObject","input":{"shape":"Small"},"output":{"shape":"Out"}}},
        "shapes":{
        "In":{"type":"structure","required":["Name","Token","Flag"],"members":{
            "Name":{"shape":"S"},"NoReboot":{"shape":"B"},"Token":{"shape":"S","idempotencyToken":true},
            "Flag":{"shape":"B"},"Ids":{"shape":"L"},"Size":{"shape":"Lg"},"Ratio":{"shape":"D"},
            "NextToken":{"shape":"S"},"MaxResults":{"shape":"I"}}},
        "Small":{"type":"structure","members":{"Key":{"shape":"S"}}},
        "Out":{"type":"structure","payload":"Body","members":{"Body":{"shape":"Blob"}}},
        "Blob":{"type":"blob","streaming":true},
        "S":{"type":"string"},"B":{"type":"boolean"},"L":{"type":"list","member":{"shape":"S"}},
        "Lg":{"type":"long"},"D":{"type":"double"},"I":{"type":"integer"}}}"#;

    fn names(t: &Table) -> Vec<String> {
        t.args.iter().map(|a| a.cli_name()).collect()
    }

    #[test]
    fn builds_the_table_in_the_cli_order() {
        let m = model(MODEL);
        let op = m.operation("CreateImage").unwrap();
        let tokens = vec!["NextToken".to_string()];
        let paging = Paging { input_tokens: &tokens, limit_key: Some("MaxResults") };
        let t = build(&m, op, "ec2", Some(&paging));
        assert_eq!(
            names(&t),
            [
                "--name",
                "--no-reboot",
                "--token",
                "--flag",
                "--no-flag",
                "--ids",
                "--size",
                "--ratio",
                "--next-token",
                "--max-results",
                "--reboot",
                "--cli-input-json",
                "--cli-input-yaml",
                "--starting-token",
                "--page-size",
                "--max-items",
                "--generate-cli-skeleton"
            ]
        );
        let get = |n: &str| t.args.iter().find(|a| a.cli_name() == n).unwrap();
        assert!(get("--name").required);
        assert!(!get("--token").required, "idempotency tokens are never required");
        assert!(!get("--flag").required && get("--flag").documented_required);
        assert_eq!(get("--reboot").action, Action::StoreFalse);
        assert_eq!(get("--reboot").dest, Dest::Member("NoReboot".into()));
        assert_eq!(get("--ids").action, Action::StoreList);
        assert_eq!(get("--size").conv, Conv::Int);
        assert_eq!(get("--ratio").conv, Conv::Float);
        assert!(get("--next-token").hidden && get("--max-results").hidden);
        assert_eq!(get("--page-size").type_name, "integer");
    }

    #[test]
    fn streaming_output_takes_an_outfile_and_no_skeleton() {
        let m = model(MODEL);
        let t = build(&m, m.operation("GetObject").unwrap(), "s3api", None);
        assert_eq!(names(&t), ["--key", "outfile"]);
        assert!(t.args[1].required && t.args[1].positional);
    }
}
