//! The whole of one operation's command line, step by step in the CLI's order: option parsing,
//! unknown options, pagination options, each member's value, `--cli-input-json`/`yaml`,
//! `--generate-cli-skeleton`, blob decoding, validation against the model, and the final JSON.

use std::collections::HashSet;

use nubo_model::names::xform_name;
use nubo_model::{Operation, ServiceModel};
use serde_json::Value;

use crate::argtable::{self, Arg, Dest, OptionKind, OptionSpec, Paging};
use crate::argv::{self, Raw};
use crate::blobs::{BinaryFormat, decode_blobs};
use crate::cliinput::{self, Format};
use crate::convert::to_json;
use crate::error::{ArgsError, ErrorKind};
use crate::pyval::{DictKind, PyVal, int_json, py_int};
use crate::shapes::{hyphenized_service_id, resolve};
use crate::skeleton::SkeletonKind;
use crate::unpack::{Context, Unpacked, unpack};
use crate::validate::{report, validate};

/// What the caller knows about the command beyond the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgOptions {
    /// The CLI command of the service (`ec2`, `s3api`, `deploy`): the CLI's argument renames are
    /// keyed by it.
    pub service: String,
    /// Whether the operation is paginated (it has an entry in the service's `paginators-1.json`).
    pub paginated: bool,
    /// The paginator's `input_token` (one or more member names), when paginated.
    pub input_tokens: Vec<String>,
    /// The paginator's `limit_key`, when it has one (it is what `--page-size` sets).
    pub limit_key: Option<String>,
    /// `--no-paginate` was given.
    pub no_paginate: bool,
    /// `--cli-binary-format` / `cli_binary_format`.
    pub binary_format: BinaryFormat,
    /// The `parameter_validation` setting: `false` skips validation against the model.
    pub parameter_validation: bool,
}

impl Default for ArgOptions {
    fn default() -> Self {
        ArgOptions {
            service: String::new(),
            paginated: false,
            input_tokens: Vec::new(),
            limit_key: None,
            no_paginate: false,
            binary_format: BinaryFormat::Base64,
            parameter_validation: true,
        }
    }
}

/// A streaming blob member given as a file path (sent from the file, not read into memory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamingInput {
    /// The member name (`Body`).
    pub member: String,
    /// The path, with `~` and `$VAR` expanded; it named a regular file when parsed.
    pub path: String,
}

/// The pagination options and whether the CLI paginates this call.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pagination {
    /// Whether to paginate: the operation is paginated, `--no-paginate` was not given, and no
    /// pagination member (token or limit) was set by hand.
    pub enabled: bool,
    /// `--starting-token`.
    pub starting_token: Option<String>,
    /// `--page-size`, typed as the limit member is (a number, or a string for string limits).
    pub page_size: Option<Value>,
    /// `--max-items`.
    pub max_items: Option<i64>,
}

/// The result of parsing one operation's command line.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedArgs {
    /// The operation input, keyed by member name (blobs base64, timestamps ISO 8601 or epoch
    /// seconds); an object. A streaming input member is not in it (see `streaming_input`).
    pub input: Value,
    pub streaming_input: Option<StreamingInput>,
    /// The file to write a streaming output to (the trailing positional).
    pub outfile: Option<String>,
    pub pagination: Pagination,
    /// `--generate-cli-skeleton` was given: print `skeleton(...)` of this kind instead of calling.
    /// For `Output` the input was validated as for a call.
    pub skeleton: Option<SkeletonKind>,
    /// `help` was asked for (`nubo <service> <operation> help`); nothing else was parsed.
    pub help: bool,
    /// Warnings the CLI prints to standard error, in order.
    pub warnings: Vec<String>,
}

impl ParsedArgs {
    fn help() -> ParsedArgs {
        ParsedArgs {
            input: Value::Object(Default::default()),
            streaming_input: None,
            outfile: None,
            pagination: Pagination::default(),
            skeleton: None,
            help: true,
            warnings: Vec::new(),
        }
    }
}

fn paging(opts: &ArgOptions) -> Option<Paging<'_>> {
    opts.paginated.then(|| Paging { input_tokens: &opts.input_tokens, limit_key: opts.limit_key.as_deref() })
}

/// The options of `op`, in the CLI's order, for help and completion.
pub fn options(model: &ServiceModel, op: &Operation, opts: &ArgOptions) -> Vec<OptionSpec> {
    argtable::build(model, op, &opts.service, paging(opts).as_ref()).args.iter().map(Arg::spec).collect()
}

/// Turn `args` (everything after `<service> <operation>`, global options removed) into the input
/// of `op`, as the AWS CLI v2 does.
pub fn parse(
    model: &ServiceModel,
    op: &Operation,
    args: &[String],
    opts: &ArgOptions,
) -> Result<ParsedArgs, ArgsError> {
    let table = argtable::build(model, op, &opts.service, paging(opts).as_ref());
    if args.len() == 1 && args[0] == "help" {
        return Ok(ParsedArgs::help());
    }
    let has = |kind: OptionKind| table.args.iter().any(|a| a.kind == kind);
    let mentions = |s: &str| args.iter().any(|a| a == s);
    let skeleton_overrides = args
        .iter()
        .position(|a| a == "--generate-cli-skeleton")
        .is_some_and(|i| args.get(i + 1).map(String::as_str) != Some("output"));
    let override_required = (has(OptionKind::CliInputJson) && mentions("--cli-input-json"))
        || (has(OptionKind::CliInputYaml) && mentions("--cli-input-yaml"))
        || (has(OptionKind::GenerateCliSkeleton) && skeleton_overrides);

    let mut parsed = argv::parse(&table.args, args, override_required)?;
    match parsed.help.take() {
        Some(h) if h == "help" => return Ok(ParsedArgs::help()),
        // An empty value is false to the CLI's check and dropped.
        Some(other) if !other.is_empty() => parsed.extras.push(other),
        _ => {}
    }
    if !parsed.extras.is_empty() {
        return Err(ArgsError {
            message: format!("Unknown options: {}", parsed.extras.join(", ")),
            kind: ErrorKind::UnknownOptions,
        });
    }

    // Pagination: setting a token or limit member by hand turns it off; with it off, the paging
    // options are refused and any operation option they shadowed is back.
    let mut pagination_enabled = opts.paginated && !opts.no_paginate;
    let input_shape = op.input.as_ref().and_then(|r| resolve(model, r));
    let mut token_members: Vec<String> = opts.input_tokens.clone();
    token_members.extend(opts.limit_key.clone());
    if opts.paginated {
        for token in &token_members {
            let cli = xform_name(token);
            if cli == "max-items" {
                continue;
            }
            if let Some(arg) = table.args.iter().find(|a| !a.positional && a.name == cli)
                && matches!(arg.dest, Dest::Member(_))
                && parsed.values.contains_key(&arg.dest)
            {
                pagination_enabled = false;
            }
        }
        if !pagination_enabled {
            let mut used = Vec::new();
            for (name, dest) in [
                ("starting-token", Dest::StartingToken),
                ("page-size", Dest::PageSize),
                ("max-items", Dest::MaxItems),
            ] {
                let shadowed = table.shadowed.iter().any(|a| a.name == name);
                let truthy = match parsed.values.get(&dest) {
                    Some(Raw::Str(s)) => !s.is_empty(),
                    Some(Raw::Int(i)) => *i != 0,
                    Some(_) => true,
                    None => false,
                };
                if !shadowed && truthy {
                    used.push(format!("--{name}"));
                }
            }
            if !used.is_empty() {
                return Err(ArgsError::validation(format!(
                    "Cannot specify --no-paginate along with pagination arguments: {}",
                    used.join(", ")
                )));
            }
            for original in &table.shadowed {
                let paging_dest = match original.name.as_str() {
                    "starting-token" => Dest::StartingToken,
                    "page-size" => Dest::PageSize,
                    _ => Dest::MaxItems,
                };
                if let Some(v) = parsed.values.remove(&paging_dest) {
                    if let Some(i) = table.args.iter().position(|a| a.name == original.name) {
                        parsed.setter.insert(original.dest.clone(), i);
                    }
                    parsed.values.insert(original.dest.clone(), v);
                }
            }
        }
    }

    // Each member's value, in the table's order.
    let ctx = Context { model, service_id: hyphenized_service_id(model), operation: xform_name(&op.name) };
    let mut params: Vec<(String, PyVal)> = Vec::new();
    let mut streaming_input = None;
    let mut done: HashSet<&str> = HashSet::new();
    let shadowed_restored = !pagination_enabled;
    for arg in table.args.iter().chain(table.shadowed.iter().filter(|_| shadowed_restored)) {
        let Dest::Member(member) = &arg.dest else { continue };
        if !done.insert(member.as_str()) {
            continue;
        }
        let Some(raw) = parsed.values.get(&arg.dest) else { continue };
        let setter = parsed.setter.get(&arg.dest).map(|&i| &table.args[i]).unwrap_or(arg);
        let Some((r, shape)) =
            input_shape.and_then(|s| s.members.get(member)).and_then(|r| resolve(model, r).map(|s| (r, s)))
        else {
            continue;
        };
        match unpack(&ctx, setter, r, shape, raw)? {
            Unpacked::Value(v) => PyVal::dict_set(&mut params, member.clone(), v),
            Unpacked::StreamPath(path) => {
                // The CLI validates an open file here; an empty placeholder stands for it.
                PyVal::dict_set(&mut params, member.clone(), PyVal::Bytes(Vec::new()));
                streaming_input = Some(StreamingInput { member: member.clone(), path });
            }
        }
    }

    let mut warnings = Vec::new();
    let pagination = pagination_values(&parsed, pagination_enabled, &mut warnings)?;
    let mut pagination = pagination;

    // --cli-input-json / --cli-input-yaml fill what the options did not set.
    let json = match parsed.values.get(&Dest::CliInputJson) {
        Some(Raw::Str(s)) => Some(s.clone()),
        _ => None,
    };
    let yaml = match parsed.values.get(&Dest::CliInputYaml) {
        Some(Raw::Str(s)) => Some(s.clone()),
        _ => None,
    };
    if json.is_some() && yaml.is_some() {
        return Err(ArgsError::validation("Only one --cli-input- parameter may be specified."));
    }
    let input_doc = json.map(|j| (Format::Json, j)).or(yaml.map(|y| (Format::Yaml, y)));
    if let Some((format, text)) = input_doc {
        for (k, v) in cliinput::load(format, &text)? {
            if PyVal::dict_get(&params, &k).is_none() {
                params.push((k, v));
            }
        }
    }

    let skeleton = match parsed.values.get(&Dest::Skeleton) {
        Some(Raw::Str(s)) if s == "yaml-input" => Some(SkeletonKind::YamlInput),
        Some(Raw::Str(s)) if s == "output" => Some(SkeletonKind::Output),
        Some(Raw::Str(_)) => Some(SkeletonKind::Input),
        _ => None,
    };
    let outfile = match parsed.values.get(&Dest::Outfile) {
        Some(Raw::Str(s)) => Some(s.clone()),
        _ => None,
    };

    if pagination.enabled && params.iter().any(|(k, _)| token_members.contains(k)) {
        pagination.enabled = false;
    }

    let input_skeleton = matches!(skeleton, Some(SkeletonKind::Input) | Some(SkeletonKind::YamlInput));
    if !input_skeleton && let Some(shape) = input_shape {
        crate::autofill::fill(model, &opts.service, shape, &mut params);
    }
    let mut params = PyVal::Dict(params, DictKind::Plain);
    if !input_skeleton && let Some(shape) = input_shape {
        if opts.binary_format == BinaryFormat::Base64 {
            decode_blobs(model, shape, &mut params).map_err(ArgsError::other)?;
        }
        if opts.parameter_validation {
            let errors = validate(model, shape, &params);
            if !errors.is_empty() {
                return Err(ArgsError::validation(report(&errors)));
            }
        }
    }

    let mut input = to_json(model, input_shape, &params);
    if let (Some(s), Value::Object(map)) = (&streaming_input, &mut input) {
        map.remove(&s.member);
    }
    Ok(ParsedArgs { input, streaming_input, outfile, pagination, skeleton, help: false, warnings })
}

fn pagination_values(
    parsed: &argv::Parsed,
    enabled: bool,
    warnings: &mut Vec<String>,
) -> Result<Pagination, ArgsError> {
    let starting_token = match parsed.values.get(&Dest::StartingToken) {
        Some(Raw::Str(s)) => Some(s.clone()),
        _ => None,
    };
    let page_size = match parsed.values.get(&Dest::PageSize) {
        Some(Raw::Int(i)) => Some(int_json(*i)),
        Some(Raw::Str(s)) => Some(Value::String(s.clone())),
        _ => None,
    };
    let max_items = match parsed.values.get(&Dest::MaxItems) {
        Some(Raw::Int(i)) => Some(*i),
        Some(Raw::Str(s)) => Some(py_int(s).map_err(ArgsError::other)?),
        _ => None,
    };
    if max_items.is_some_and(|m| m <= 0) {
        warnings
            .push("warning: Non-positive values for --max-items may result in undefined behavior.".into());
    }
    let max_items = max_items.map(|m| m.clamp(i64::MIN as i128, i64::MAX as i128) as i64);
    Ok(Pagination { enabled, starting_token, page_size, max_items })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shapes::testing::model;
    use serde_json::json;

    const MODEL: &str = r#"{"metadata":{"protocol":"rest-json","serviceId":"Storage Gateway"},"operations":{
        "DescribeTapes":{"name":"DescribeTapes","input":{"shape":"TapesIn"}},
        "ListThings":{"name":"ListThings","input":{"shape":"ListIn"}},
        "PutThing":{"name":"PutThing","input":{"shape":"PutIn"}},
        "Upload":{"name":"Upload","input":{"shape":"UploadIn"}}},
        "shapes":{
        "TapesIn":{"type":"structure","members":{"TapeARNs":{"shape":"Strs"}}},
        "ListIn":{"type":"structure","members":{"Marker":{"shape":"S"},"MaxItems":{"shape":"S"}}},
        "PutIn":{"type":"structure","required":["Name","Flag","Token"],"members":{
            "Name":{"shape":"S"},"Token":{"shape":"S","idempotencyToken":true},"Flag":{"shape":"B"},
            "Doc":{"shape":"Doc"},"Policy":{"shape":"S","location":"header","jsonvalue":true},
            "Choice":{"shape":"U"},"Config":{"shape":"Config"},"Count":{"shape":"I"}}},
        "UploadIn":{"type":"structure","required":["Body"],"payload":"Body","members":{
            "Body":{"shape":"Stream"},"Key":{"shape":"S"}}},
        "Config":{"type":"structure","members":{"Text":{"shape":"S"},"Raw":{"shape":"Blob"}}},
        "U":{"type":"structure","union":true,"members":{"A":{"shape":"S"},"B":{"shape":"S"}}},
        "Strs":{"type":"list","member":{"shape":"S"}},"S":{"type":"string"},"B":{"type":"boolean"},
        "I":{"type":"integer"},"Blob":{"type":"blob"},"Stream":{"type":"blob","streaming":true},
        "Doc":{"type":"structure","members":{},"document":true}}}"#;

    fn go(op: &str, args: &[&str], opts: &ArgOptions) -> Result<ParsedArgs, ArgsError> {
        let m = model(MODEL);
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let mut p = parse(&m, m.operation(op).unwrap(), &args, opts)?;
        // PutThing's idempotency token, filled with a fresh UUID when not given, is left out of the
        // comparisons (required_members_booleans_and_tokens checks it).
        if !args.iter().any(|a| a == "--token")
            && let Some(map) = p.input.as_object_mut()
            && let Some(t) = map.remove("Token")
        {
            assert_eq!(t.as_str().map(str::len), Some(36), "a UUID: {t}");
        }
        Ok(p)
    }

    fn sg() -> ArgOptions {
        ArgOptions { service: "storagegateway".into(), ..ArgOptions::default() }
    }

    fn paged() -> ArgOptions {
        ArgOptions {
            paginated: true,
            input_tokens: vec!["Marker".into()],
            limit_key: Some("MaxItems".into()),
            ..sg()
        }
    }

    #[test]
    fn hidden_aliases_are_accepted_but_not_listed() {
        let p = go("DescribeTapes", &["--tape-ar-ns", "a", "b"], &sg()).unwrap();
        assert_eq!(p.input, json!({"TapeARNs": ["a", "b"]}));
        let m = model(MODEL);
        let specs = options(&m, m.operation("DescribeTapes").unwrap(), &sg());
        let alias = specs.iter().find(|s| s.name == "--tape-ar-ns").unwrap();
        assert!(alias.hidden);
        assert!(!specs.iter().find(|s| s.name == "--tape-arns").unwrap().hidden);
    }

    #[test]
    fn paging_options_shadow_an_operation_member() {
        let p = go("ListThings", &["--max-items", "5", "--page-size", "2"], &paged()).unwrap();
        assert_eq!(p.input, json!({}));
        assert!(p.pagination.enabled);
        assert_eq!(p.pagination.max_items, Some(5));
        assert_eq!(p.pagination.page_size, Some(json!("2")), "string limits give string page sizes");
        // A marker given by hand: no pagination, and --max-items is the member again.
        let p = go("ListThings", &["--marker", "m", "--max-items", "5"], &paged()).unwrap();
        assert!(!p.pagination.enabled);
        assert_eq!(p.input, json!({"Marker": "m", "MaxItems": "5"}));
        let p = go("ListThings", &["--max-items", "0"], &paged()).unwrap();
        assert_eq!(
            p.warnings,
            ["warning: Non-positive values for --max-items may result in undefined behavior."]
        );
        let e = go("ListThings", &["--max-items", "x"], &paged()).unwrap_err();
        assert_eq!(e.message, "invalid literal for int() with base 10: 'x'");
        // Tokens in --cli-input-json turn pagination off too.
        let p = go("ListThings", &["--cli-input-json", r#"{"Marker": "m"}"#], &paged()).unwrap();
        assert!(!p.pagination.enabled);
    }

    #[test]
    fn required_members_booleans_and_tokens() {
        let e = go("PutThing", &["--flag"], &sg()).unwrap_err();
        assert_eq!(e.message, "the following arguments are required: --name");
        let e = go("PutThing", &["--name", "n"], &sg()).unwrap_err();
        assert_eq!(e.message, "Parameter validation failed:\nMissing required parameter in input: \"Flag\"");
        // The required idempotency token left out is filled with a UUID v4 before validation, as
        // botocore does (go() checks and drops it).
        let m = model(MODEL);
        let args = ["--name", "n", "--no-flag"].map(String::from);
        let p = parse(&m, m.operation("PutThing").unwrap(), &args, &sg()).unwrap();
        let token = p.input["Token"].as_str().expect("token filled");
        assert_eq!((token.len(), &token[14..15]), (36, "4"));
        let p = go("PutThing", &["--name", "n", "--no-flag"], &sg()).unwrap();
        assert_eq!(p.input, json!({"Name": "n", "Flag": false}));
        let p = go("PutThing", &["--name", "n", "--no-flag", "--token", "t"], &sg()).unwrap();
        assert_eq!(p.input, json!({"Name": "n", "Flag": false, "Token": "t"}));
        // --cli-input-json and --generate-cli-skeleton lift the parser's requirements.
        let e = go("PutThing", &["--cli-input-json", "{}"], &sg()).unwrap_err();
        assert!(
            e.message
                .starts_with("Parameter validation failed:\nMissing required parameter in input: \"Name\"")
        );
        let p = go("PutThing", &["--generate-cli-skeleton", "yaml-input"], &sg()).unwrap();
        assert_eq!(p.skeleton, Some(SkeletonKind::YamlInput));
        let e = go("PutThing", &["--generate-cli-skeleton=output"], &sg()).unwrap_err();
        assert_eq!(e.message, "the following arguments are required: --name");
    }

    #[test]
    fn json_documents_headers_unions_and_files() {
        let p = go(
            "PutThing",
            &[
                "--name",
                "n",
                "--flag",
                "--doc",
                r#"{"a": [1, 2.5, null]}"#,
                "--policy",
                r#"{"Version": "1"}"#,
            ],
            &sg(),
        )
        .unwrap();
        assert_eq!(
            p.input,
            json!({"Name": "n", "Flag": true, "Doc": {"a": [1, 2.5, null]}, "Policy": {"Version": "1"}})
        );
        let e = go("PutThing", &["--name", "n", "--flag", "--choice", "A=a,B=b"], &sg()).unwrap_err();
        assert_eq!(
            e.message,
            "Parameter validation failed:\nInvalid number of parameters set for tagged union structure Choice. Can only set one of the following keys: A, B."
        );
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("t.txt");
        std::fs::write(&text, "hello").unwrap();
        let value = format!("Text@=file://{},Raw@=fileb://{}", text.display(), text.display());
        let p = go("PutThing", &["--name", "n", "--flag", "--config", &value], &sg()).unwrap();
        assert_eq!(p.input["Config"], json!({"Text": "hello", "Raw": "aGVsbG8="}));
        let p = go(
            "PutThing",
            &["--name", "n", "--flag", "--count", &format!("file://{}", text.display())],
            &sg(),
        );
        assert_eq!(p.unwrap_err().message, "invalid literal for int() with base 10: 'hello'");
    }

    #[test]
    fn streaming_input() {
        let dir = tempfile::tempdir().unwrap();
        let body = dir.path().join("body");
        std::fs::write(&body, "x").unwrap();
        let p = go("Upload", &["--body", &body.display().to_string()], &sg()).unwrap();
        assert_eq!(p.input, json!({}));
        assert_eq!(p.streaming_input.unwrap().path, body.display().to_string());
        // Given through --cli-input-json the body is a blob value like any other (base64).
        let p = go("Upload", &["--cli-input-json", r#"{"Body": "aGk="}"#], &sg()).unwrap();
        assert_eq!(p.input, json!({"Body": "aGk="}));
        assert!(p.streaming_input.is_none());
        let e = go("Upload", &["--key", "k"], &sg()).unwrap_err();
        assert_eq!(e.message, "the following arguments are required: --body");
    }

    #[test]
    fn help_forms() {
        assert!(go("PutThing", &["help"], &sg()).unwrap().help);
        assert!(go("PutThing", &["--name", "n", "help"], &sg()).unwrap().help);
        let e = go("PutThing", &["--name", "n", "--flag", "extra"], &sg()).unwrap_err();
        assert_eq!(e.message, "Unknown options: extra");
        // An empty stray value is dropped as the CLI drops it.
        assert_eq!(
            go("PutThing", &["--name", "n", "--flag", ""], &sg()).unwrap().input,
            json!({"Name": "n", "Flag": true})
        );
    }
}
