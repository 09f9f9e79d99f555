//! One option's value turned into the member's value, in the CLI's order of steps: `file://` and
//! `fileb://` loading, shorthand (for structures, maps and lists of them, unless the value looks
//! like JSON), then JSON for complex values and documents, Python's conversions for scalars, space
//! separated values for lists, and a file path for streaming blobs.

use nubo_model::{ServiceModel, Shape, ShapeRef, ShapeType};

use crate::argtable::Arg;
use crate::argv::Raw;
use crate::backfill::{BackfillError, backfill};
use crate::error::ArgsError;
use crate::paramfile::{Loaded, expand_path, get_paramfile, paramfile_disabled};
use crate::pyjson::{loads, loads_bytes};
use crate::pyval::{DictKind, PyVal, py_float, py_int};
use crate::renames::uses_old_list_case;
use crate::shapes::{
    is_document, is_float, is_integer, is_json_value_header, is_streaming_blob, resolve, supports_shorthand,
};
use crate::shorthand::{self, ShorthandError};

/// Where the value is used: the names the CLI's per-operation tables are keyed by.
pub(crate) struct Context<'m> {
    pub model: &'m ServiceModel,
    /// The hyphenated service id (`elastic-load-balancing`).
    pub service_id: String,
    /// The operation's CLI name (`describe-instances`).
    pub operation: String,
}

/// What an option contributed.
pub(crate) enum Unpacked {
    Value(PyVal),
    /// A streaming blob: the path of the file to send.
    StreamPath(String),
}

/// A value between the steps: the parser's value, or what a file held.
#[derive(Clone)]
enum Val {
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<String>),
    Int(i128),
    Float(f64),
}

impl Val {
    fn py(&self) -> PyVal {
        match self {
            Val::Str(s) => PyVal::Str(s.clone()),
            Val::Bytes(b) => PyVal::Bytes(b.clone()),
            Val::List(l) => PyVal::List(l.iter().map(|s| PyVal::Str(s.clone())).collect()),
            Val::Int(i) => PyVal::Int(*i),
            Val::Float(f) => PyVal::Float(*f),
        }
    }

    /// Python's `str(value)`.
    fn text(&self) -> String {
        self.py().py_str()
    }
}

pub(crate) fn unpack(
    ctx: &Context,
    arg: &Arg,
    r: &ShapeRef,
    shape: &Shape,
    raw: &Raw,
) -> Result<Unpacked, ArgsError> {
    let cli = arg.cli_name();
    let mut value = match raw {
        Raw::Bool(b) => return Ok(Unpacked::Value(PyVal::Bool(*b))),
        Raw::Str(s) => Val::Str(s.clone()),
        Raw::List(l) => Val::List(l.clone()),
        Raw::Int(i) => Val::Int(*i),
        Raw::Float(f) => Val::Float(*f),
    };

    // 1. file:// and fileb:// (a list option with one value counts as that value).
    if !paramfile_disabled(&ctx.service_id, &ctx.operation, &arg.name) {
        let candidate = match &value {
            Val::Str(s) => Some(s.clone()),
            Val::List(l) if l.len() == 1 => Some(l[0].clone()),
            _ => None,
        };
        if let Some(c) = candidate {
            match get_paramfile(&c) {
                Ok(Some(Loaded::Text(t))) => value = Val::Str(t),
                Ok(Some(Loaded::Bytes(b))) => value = Val::Bytes(b),
                Ok(None) => {}
                Err(e) => return Err(ArgsError::param(&cli, e)),
            }
        }
    }

    // 2. Shorthand.
    if let Some(parsed) = shorthand_value(ctx, arg, shape, &value)? {
        return Ok(Unpacked::Value(parsed));
    }

    // 3. The default unpacking.
    if is_streaming_blob(r, shape) {
        let path = match &value {
            Val::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            other => other.text(),
        };
        let path = expand_path(&path);
        if !std::path::Path::new(&path).is_file() {
            return Err(ArgsError::param(&cli, "Blob values must be a path to a file."));
        }
        return Ok(Unpacked::StreamPath(path));
    }
    unpack_value(ctx.model, Some(r), shape, &value, &cli, 0).map(Unpacked::Value)
}

/// The CLI's `ParamShorthandParser`: `None` when the value is not read as shorthand.
fn shorthand_value(ctx: &Context, arg: &Arg, shape: &Shape, value: &Val) -> Result<Option<PyVal>, ArgsError> {
    let check = match value {
        Val::List(l) => l.first().cloned(),
        Val::Str(s) => Some(s.clone()),
        _ => None,
    };
    if check.is_some_and(|c| c.trim().starts_with(['[', '{'])) {
        return Ok(None);
    }
    if !supports_shorthand(ctx.model, shape) {
        return Ok(None);
    }
    let cli = arg.cli_name();
    let items: Vec<String> = match value {
        Val::List(l) => l.clone(),
        Val::Str(s) => vec![s.clone()],
        Val::Bytes(b) => vec![String::from_utf8_lossy(b).into_owned()],
        other => vec![other.text()],
    };
    // Lists of one-member structures that the CLI still reads as bare values.
    if shape.type_ == ShapeType::List
        && let Some(member) = shape.member.as_deref().and_then(|r| resolve(ctx.model, r))
        && member.type_ == ShapeType::Structure
        && member.members.len() == 1
        && uses_old_list_case(&ctx.service_id, &ctx.operation, &arg.name)
    {
        let key = member.members.keys().next().cloned().unwrap_or_default();
        let elements: Vec<String> = match value {
            Val::List(l) => l.clone(),
            // A single text value is iterated character by character, as in the CLI.
            other => other.text().chars().map(String::from).collect(),
        };
        let list = elements
            .into_iter()
            .map(|v| PyVal::Dict(vec![(key.clone(), PyVal::Str(v))], DictKind::Plain))
            .collect();
        return Ok(Some(PyVal::List(list)));
    }
    // A structure of one string member `Value` takes the bare value.
    if shape.type_ == ShapeType::Structure
        && shape.members.len() == 1
        && let Some(vr) = shape.members.get("Value")
        && resolve(ctx.model, vr).is_some_and(|s| s.type_ == ShapeType::String)
        && let Val::Str(s) = value
        && !s.contains('=')
    {
        return Ok(Some(PyVal::Dict(vec![("Value".into(), PyVal::Str(s.clone()))], DictKind::Plain)));
    }
    let parse_one = |text: &str| -> Result<PyVal, ArgsError> {
        shorthand::parse(text).map_err(|e| match e {
            ShorthandError::Syntax(m) => ArgsError::param(&cli, m),
            ShorthandError::Other(m) => ArgsError::other(m),
        })
    };
    let mut parsed = if matches!(value, Val::List(_)) {
        PyVal::List(items.iter().map(|t| parse_one(t)).collect::<Result<_, _>>()?)
    } else {
        parse_one(&items[0])?
    };
    backfill(ctx.model, shape, &mut parsed).map_err(|e| match e {
        BackfillError::Param(m) => ArgsError::param(&cli, m),
        BackfillError::Other(m) => ArgsError::other(m),
    })?;
    Ok(Some(parsed))
}

fn json_value(v: &Val, cli: &str) -> Result<PyVal, ArgsError> {
    let parsed = match v {
        Val::Bytes(b) => loads_bytes(b, DictKind::Ordered),
        other => loads(&other.text(), DictKind::Ordered),
    };
    parsed.map_err(|e| ArgsError::param(cli, format!("Invalid JSON: {e}\nJSON received: {}", v.text())))
}

/// The first non-space character of a text value (`value.lstrip()[0]`); an empty value fails as
/// Python's indexing does.
fn first_char(v: &Val) -> Result<Option<char>, ArgsError> {
    let text = match v {
        Val::Str(s) => s.clone(),
        Val::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        _ => return Ok(None),
    };
    match text.trim_start().chars().next() {
        Some(c) => Ok(Some(c)),
        None => Err(ArgsError::other("string index out of range")),
    }
}

/// The CLI's `_unpack_cli_arg` for a value of `shape`.
fn unpack_value(
    model: &ServiceModel,
    r: Option<&ShapeRef>,
    shape: &Shape,
    v: &Val,
    cli: &str,
    depth: usize,
) -> Result<PyVal, ArgsError> {
    if depth > 64 {
        return Ok(v.py());
    }
    if r.is_some_and(|r| is_json_value_header(r, shape)) || is_document(shape) {
        return json_value(v, cli);
    }
    match shape.type_ {
        ShapeType::Structure | ShapeType::Map => {
            if first_char(v)? == Some('{') {
                return json_value(v, cli);
            }
            Err(ArgsError::param(cli, format!("Invalid JSON:\n{}", v.text())))
        }
        ShapeType::List => {
            let elements: Vec<Val> = match v {
                Val::Str(_) | Val::Bytes(_) => {
                    if first_char(v)? == Some('[') {
                        return json_value(v, cli);
                    }
                    v.text().chars().map(|c| Val::Str(c.to_string())).collect()
                }
                Val::List(l) => {
                    if l.len() == 1 && l[0].trim().starts_with('[') {
                        return json_value(&Val::Str(l[0].clone()), cli);
                    }
                    l.iter().map(|s| Val::Str(s.clone())).collect()
                }
                other => vec![other.clone()],
            };
            let Some(member_ref) = shape.member.as_deref() else { return Ok(v.py()) };
            let Some(member) = resolve(model, member_ref) else { return Ok(v.py()) };
            let mut out = Vec::with_capacity(elements.len());
            for e in &elements {
                match unpack_value(model, Some(member_ref), member, e, cli, depth + 1) {
                    Ok(x) => out.push(x),
                    // Python's ValueError and TypeError from a list element name the first value.
                    Err(err) if err.kind == crate::error::ErrorKind::Other => {
                        let first = elements.first().map(Val::text).unwrap_or_default();
                        return Err(ArgsError::param(cli, first));
                    }
                    Err(err) => return Err(err),
                }
            }
            Ok(PyVal::List(out))
        }
        t if is_integer(t) && matches!(t, ShapeType::Integer | ShapeType::Long) => match v {
            Val::Int(i) => Ok(PyVal::Int(*i)),
            Val::Float(f) => Ok(PyVal::Int(f.trunc() as i128)),
            Val::Bytes(b) => py_int(&String::from_utf8_lossy(b)).map(PyVal::Int).map_err(ArgsError::other),
            other => py_int(&other.text()).map(PyVal::Int).map_err(ArgsError::other),
        },
        t if is_float(t) && matches!(t, ShapeType::Float | ShapeType::Double) => match v {
            Val::Float(f) => Ok(PyVal::Float(*f)),
            Val::Int(i) => Ok(PyVal::Float(*i as f64)),
            Val::Bytes(b) => {
                py_float(&String::from_utf8_lossy(b)).map(PyVal::Float).map_err(ArgsError::other)
            }
            other => py_float(&other.text()).map(PyVal::Float).map_err(ArgsError::other),
        },
        ShapeType::Boolean => Ok(match v {
            Val::Str(s) if s.to_lowercase() == "false" => PyVal::Bool(false),
            other => PyVal::Bool(other.py().truthy()),
        }),
        ShapeType::String | ShapeType::Blob | ShapeType::Timestamp => Ok(v.py()),
        // Types the CLI does not know are passed as text.
        _ => Ok(PyVal::Str(v.text())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::argtable::{Action, Conv, Dest, OptionKind};
    use crate::shapes::testing::model;

    const MODEL: &str = r#"{"metadata":{"protocol":"json","serviceId":"Test"},"operations":{},"shapes":{
        "Filter":{"type":"structure","members":{"Name":{"shape":"S"},"Values":{"shape":"Strs"}}},
        "Filters":{"type":"list","member":{"shape":"Filter"}},
        "Strs":{"type":"list","member":{"shape":"S"}},"Ints":{"type":"list","member":{"shape":"I"}},
        "Attr":{"type":"structure","members":{"Value":{"shape":"S"}}},
        "Tags":{"type":"map","key":{"shape":"S"},"value":{"shape":"S"}},
        "Doc":{"type":"structure","members":{},"document":true},
        "S":{"type":"string"},"I":{"type":"integer"},"B":{"type":"boolean"},
        "Body":{"type":"blob","streaming":true}}}"#;

    fn arg(name: &str) -> Arg {
        Arg {
            name: name.into(),
            positional: false,
            action: Action::Store,
            conv: Conv::Str,
            dest: Dest::Member("X".into()),
            required: false,
            documented_required: false,
            hidden: false,
            type_name: "string".into(),
            kind: OptionKind::Member,
        }
    }

    fn run(shape: &str, raw: Raw) -> Result<String, ArgsError> {
        let m = model(MODEL);
        let ctx = Context { model: &m, service_id: "test".into(), operation: "op".into() };
        let r = ShapeRef { shape: shape.into(), ..Default::default() };
        match unpack(&ctx, &arg("x"), &r, m.shape(shape).unwrap(), &raw)? {
            Unpacked::Value(v) => Ok(v.py_repr()),
            Unpacked::StreamPath(p) => Ok(format!("path:{p}")),
        }
    }

    fn list(items: &[&str]) -> Raw {
        Raw::List(items.iter().map(|s| s.to_string()).collect())
    }

    /// Expected values are what awscli 1.45.11's `unpack_cli_arg` and `ParamShorthandParser` return
    /// for the same shapes.
    #[test]
    fn unpacks_like_the_cli() {
        assert_eq!(
            run("Filters", list(&["Name=a,Values=b,c", "Name=d,Values=e"])).unwrap(),
            "[{'Name': 'a', 'Values': ['b', 'c']}, {'Name': 'd', 'Values': ['e']}]"
        );
        assert_eq!(run("Filters", list(&[r#"[{"Name":"a"}]"#])).unwrap(), "[OrderedDict([('Name', 'a')])]");
        assert_eq!(
            run("Filters", list(&[r#"{"Name":"a"}"#, r#"{"Name":"b"}"#])).unwrap(),
            "[OrderedDict([('Name', 'a')]), OrderedDict([('Name', 'b')])]"
        );
        assert_eq!(run("Strs", list(&["a", "b"])).unwrap(), "['a', 'b']");
        assert_eq!(run("Strs", list(&[r#"["a","b"]"#])).unwrap(), "['a', 'b']");
        assert_eq!(run("Strs", list(&[])).unwrap(), "[]");
        assert_eq!(run("Ints", list(&["1", "2"])).unwrap(), "[1, 2]");
        assert_eq!(run("Attr", Raw::Str("t2.micro".into())).unwrap(), "{'Value': 't2.micro'}");
        assert_eq!(run("Attr", Raw::Str("Value=x".into())).unwrap(), "{'Value': 'x'}");
        assert_eq!(run("Tags", Raw::Str("a=1,b=2".into())).unwrap(), "{'a': '1', 'b': '2'}");
        assert_eq!(run("Tags", Raw::Str(r#"{"a": "1"}"#.into())).unwrap(), "OrderedDict([('a', '1')])");
        assert_eq!(
            run("Doc", Raw::Str("[1, {\"a\": null}]".into())).unwrap(),
            "[1, OrderedDict([('a', None)])]"
        );
        assert_eq!(run("I", Raw::Str(" 42 ".into())).unwrap(), "42");
        assert_eq!(run("S", Raw::Str("https://example.com".into())).unwrap(), "'https://example.com'");
    }

    #[test]
    fn fails_like_the_cli() {
        let e = |shape: &str, raw: Raw| run(shape, raw).unwrap_err();
        assert_eq!(e("Ints", list(&["1", "x"])).message, "Error parsing parameter '--x': 1");
        assert_eq!(e("I", Raw::Str("x".into())).message, "invalid literal for int() with base 10: 'x'");
        assert_eq!(e("I", Raw::Str("x".into())).kind, crate::error::ErrorKind::Other);
        assert_eq!(
            e("Tags", Raw::Str("[1]".into())).message,
            "Error parsing parameter '--x': Invalid JSON:\n[1]"
        );
        assert_eq!(
            e("Doc", Raw::Str("nope".into())).message,
            "Error parsing parameter '--x': Invalid JSON: Expecting value: line 1 column 1 (char 0)\nJSON received: nope"
        );
        assert_eq!(
            e("Tags", Raw::Str("a".into())).message,
            "Error parsing parameter '--x': Expected: '=', received: 'EOF' for input:\na\n ^"
        );
        assert_eq!(
            e("Body", Raw::Str("no/such/file".into())).message,
            "Error parsing parameter '--x': Blob values must be a path to a file."
        );
    }

    #[test]
    fn reads_files_and_paths() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("filters.json");
        std::fs::write(&f, r#"[{"Name": "n", "Values": ["v"]}]"#).unwrap();
        let file_arg = format!("file://{}", f.display());
        assert_eq!(
            run("Filters", list(&[&file_arg])).unwrap(),
            "[OrderedDict([('Name', 'n'), ('Values', ['v'])])]"
        );
        assert_eq!(
            run("S", Raw::Str(file_arg.clone())).unwrap(),
            "'[{\"Name\": \"n\", \"Values\": [\"v\"]}]'"
        );
        assert_eq!(run("Body", Raw::Str(f.display().to_string())).unwrap(), format!("path:{}", f.display()));
    }
}
