//! `cloudformation package`: uploads the local artifacts a template names (Lambda code, layers, API
//! definitions, nested stack templates, `AWS::Include` files, …) to S3 and writes the template with
//! their S3 locations, as YAML or (`--use-json`) JSON. Folders are zipped; files the resource type
//! wants zipped (Lambda code) are zipped alone; nested templates are packaged in turn.

use super::cfn_s3::{Uploader, key_of};
use super::{args, cfn_template};
use crate::error::{CliError, CliResult, exit};
use nubo_session::Session;
use serde_json::{Map, Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};

const OPTS: &[args::Opt] = &[
    args::required("template-file"),
    args::required("s3-bucket"),
    args::value("s3-prefix"),
    args::value("kms-key-id"),
    args::value("output-template-file"),
    args::flag("use-json"),
    args::flag("force-upload"),
    args::value("metadata"),
];

/// How one resource type's property is exported.
struct Export {
    resource_type: &'static str,
    /// Dotted for nested properties (`Command.ScriptLocation`).
    property: &'static str,
    /// Whether an absent property means "the template's folder".
    package_null: bool,
    force_zip: bool,
    /// `Some((bucket, key, version))` when the property becomes a `{Bucket, Key}` object.
    s3_dict: Option<(&'static str, &'static str, Option<&'static str>)>,
    /// A nested template (packaged, then uploaded; the property becomes its HTTPS URL).
    nested: bool,
}

const fn url(
    resource_type: &'static str,
    property: &'static str,
    package_null: bool,
    force_zip: bool,
) -> Export {
    Export { resource_type, property, package_null, force_zip, s3_dict: None, nested: false }
}

const fn dict(
    resource_type: &'static str,
    property: &'static str,
    package_null: bool,
    force_zip: bool,
    names: (&'static str, &'static str, Option<&'static str>),
) -> Export {
    Export { resource_type, property, package_null, force_zip, s3_dict: Some(names), nested: false }
}

const fn nested(resource_type: &'static str, property: &'static str) -> Export {
    Export { resource_type, property, package_null: true, force_zip: false, s3_dict: None, nested: true }
}

/// The CLI's list of exportable resource properties, in its order.
const RESOURCES: &[Export] = &[
    url("AWS::Serverless::Function", "CodeUri", true, true),
    url("AWS::Serverless::Api", "DefinitionUri", false, false),
    url("AWS::AppSync::GraphQLSchema", "DefinitionS3Location", false, false),
    url("AWS::AppSync::Resolver", "RequestMappingTemplateS3Location", false, false),
    url("AWS::AppSync::Resolver", "ResponseMappingTemplateS3Location", false, false),
    url("AWS::AppSync::FunctionConfiguration", "RequestMappingTemplateS3Location", false, false),
    url("AWS::AppSync::FunctionConfiguration", "ResponseMappingTemplateS3Location", false, false),
    dict("AWS::ApiGateway::RestApi", "BodyS3Location", false, false, ("Bucket", "Key", Some("Version"))),
    dict("AWS::Lambda::Function", "Code", true, true, ("S3Bucket", "S3Key", Some("S3ObjectVersion"))),
    dict(
        "AWS::ElasticBeanstalk::ApplicationVersion",
        "SourceBundle",
        true,
        false,
        ("S3Bucket", "S3Key", None),
    ),
    nested("AWS::CloudFormation::Stack", "TemplateURL"),
    nested("AWS::Serverless::Application", "Location"),
    url("AWS::Serverless::LayerVersion", "ContentUri", true, true),
    dict("AWS::Lambda::LayerVersion", "Content", true, true, ("S3Bucket", "S3Key", Some("S3ObjectVersion"))),
    url("AWS::Glue::Job", "Command.ScriptLocation", true, false),
    dict(
        "AWS::StepFunctions::StateMachine",
        "DefinitionS3Location",
        false,
        false,
        ("Bucket", "Key", Some("Version")),
    ),
    dict("AWS::Serverless::StateMachine", "DefinitionUri", false, false, ("Bucket", "Key", Some("Version"))),
    dict("AWS::CodeCommit::Repository", "Code.S3", false, true, ("Bucket", "Key", Some("ObjectVersion"))),
];

/// The metadata entries whose properties are artifacts.
const METADATA: &[Export] = &[
    url("AWS::ServerlessRepo::Application", "ReadmeUrl", false, false),
    url("AWS::ServerlessRepo::Application", "LicenseUrl", false, false),
];

/// `nubo cloudformation package`.
pub fn package(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    let p = args::parse(argv, OPTS)?;
    let template_file = p.get("template-file").unwrap_or_default();
    if !Path::new(template_file).is_file() {
        return Err(CliError::Other(format!("Invalid template path {template_file}")));
    }
    let mut uploader = Uploader::new(
        ctx,
        p.get("s3-bucket").unwrap_or_default(),
        p.get("s3-prefix"),
        p.get("kms-key-id"),
        p.has("force-upload"),
    )?;
    if let Some(m) = p.get("metadata") {
        uploader.metadata = Some(metadata(m)?);
    }
    let cwd = std::env::current_dir()?;
    let exported = export_template(&uploader, &cwd.join(template_file))?;
    let text =
        if p.has("use-json") { json_dump(&exported) } else { nubo_output::yaml::dump_template(&exported) };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(b"\n");
    match p.get("output-template-file") {
        None => {
            let _ = out.write_all(text.as_bytes());
        }
        Some(file) => {
            nubo_settings::atomic::write_file(file.as_ref(), text.as_bytes(), None, false)
                .map_err(|e| CliError::Other(format!("{file}: {e}")))?;
            let abs = cwd.join(file);
            let _ = write!(
                out,
                "Successfully packaged artifacts and wrote output template to file {file}.\n\
                 Execute the following command to deploy the packaged template\n\
                 aws cloudformation deploy --template-file {} --stack-name <YOUR STACK NAME>\n",
                abs.display()
            );
        }
    }
    let _ = out.flush();
    Ok(exit::OK)
}

/// `--metadata`: a JSON object or `key=value,key=value`.
fn metadata(text: &str) -> CliResult<Value> {
    if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(text) {
        return Ok(v);
    }
    let mut map = Map::new();
    for pair in text.split(',').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').ok_or_else(|| {
            CliError::Usage(format!(
                "Error parsing parameter '--metadata': Expected: '=', received: '{pair}'"
            ))
        })?;
        map.insert(k.to_string(), Value::String(v.to_string()));
    }
    Ok(Value::Object(map))
}

/// JSON with four-space indentation, non-ASCII kept (Python's `json.dumps(indent=4, ensure_ascii=False)`),
/// as the CLI's JSON output writes it.
fn json_dump(v: &Value) -> String {
    nubo_output::json::render(v).trim_end_matches('\n').to_string()
}

/// Reads the template at `path` and exports its artifacts (paths relative to its folder).
fn export_template(up: &Uploader, path: &Path) -> CliResult<Value> {
    let text =
        std::fs::read_to_string(path).map_err(|e| CliError::Other(format!("{}: {e}", path.display())))?;
    let mut t =
        cfn_template::parse(&text).map_err(|e| CliError::Other(format!("{}: {e}", path.display())))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    if let Some(meta) = t.get_mut("Metadata").and_then(Value::as_object_mut) {
        for (kind, entry) in meta.iter_mut() {
            for e in METADATA.iter().filter(|e| e.resource_type == kind) {
                export_property(up, e, kind, entry, &dir)?;
            }
        }
    }
    if t.get("Resources").is_none() {
        return Ok(t);
    }
    export_includes(up, &mut t, &dir)?;
    if let Some(resources) = t.get_mut("Resources").and_then(Value::as_object_mut) {
        export_resources(up, resources, &dir)?;
    }
    Ok(t)
}

fn export_resources(up: &Uploader, resources: &mut Map<String, Value>, dir: &Path) -> CliResult<()> {
    for (id, resource) in resources.iter_mut() {
        if id.starts_with("Fn::ForEach::") {
            match resource.as_array_mut().filter(|a| a.len() == 3).and_then(|a| a[2].as_object_mut()) {
                Some(inner) => export_resources(up, inner, dir)?,
                None => {
                    return Err(CliError::Other(format!(
                        "The value of {id} has an invalid \"Fn::ForEach::\" format: Must be a list of three entries"
                    )));
                }
            }
            continue;
        }
        let kind = resource.get("Type").and_then(Value::as_str).unwrap_or_default().to_string();
        let Some(props) = resource.get_mut("Properties") else { continue };
        for e in RESOURCES.iter().filter(|e| e.resource_type == kind) {
            export_property(up, e, id, props, dir)?;
        }
    }
    Ok(())
}

/// `Fn::Transform` of `AWS::Include` anywhere in the template: a local `Location` is uploaded.
fn export_includes(up: &Uploader, v: &mut Value, dir: &Path) -> CliResult<()> {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if k == "Fn::Transform" {
                    if val.get("Name").and_then(Value::as_str) != Some("AWS::Include") {
                        continue;
                    }
                    let Some(loc) = val.pointer("/Parameters/Location").and_then(Value::as_str) else {
                        continue;
                    };
                    if loc.is_empty() || is_s3_url(loc) {
                        continue;
                    }
                    let path = dir.join(loc);
                    if !path.is_file() {
                        return Err(invalid_local_path("AWS::Include", "Location", &path));
                    }
                    let url = up.upload_with_dedup(&read(&path)?, None)?;
                    val["Parameters"]["Location"] = url.into();
                } else {
                    export_includes(up, val, dir)?;
                }
            }
        }
        Value::Array(items) => {
            for i in items.iter_mut().filter(|i| i.is_object()) {
                export_includes(up, i, dir)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn invalid_local_path(id: &str, property: &str, path: &Path) -> CliError {
    CliError::Other(format!(
        "Parameter {property} of resource {id} refers to a file or folder that does not exist {}",
        path.display()
    ))
}

fn read(path: &Path) -> CliResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| CliError::Other(format!("{}: {e}", path.display())))
}

fn is_s3_url(s: &str) -> bool {
    s.strip_prefix("s3://")
        .and_then(|r| r.split_once('/'))
        .is_some_and(|(b, k)| !b.is_empty() && !k.is_empty())
}

fn get_path<'a>(v: &'a Value, dotted: &str) -> Option<&'a Value> {
    dotted.split('.').try_fold(v, |v, k| v.get(k))
}

fn set_path(v: &mut Value, dotted: &str, new: Value) {
    let mut cur = v;
    let parts: Vec<&str> = dotted.split('.').collect();
    for k in &parts[..parts.len() - 1] {
        if !cur.get(*k).is_some_and(Value::is_object) {
            cur[*k] = json!({});
        }
        cur = &mut cur[*k];
    }
    cur[parts[parts.len() - 1]] = new;
}

fn export_property(up: &Uploader, e: &Export, id: &str, props: &mut Value, dir: &Path) -> CliResult<()> {
    if props.is_null() {
        return Ok(());
    }
    let value = get_path(props, e.property).cloned();
    let empty = match &value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Bool(b)) => !b,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
    };
    if empty && !e.package_null {
        return Ok(());
    }
    if value.as_ref().is_some_and(Value::is_object) {
        return Ok(());
    }
    let shown = match &value {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => "None".into(),
        Some(other) => other.to_string(),
    };
    let result =
        if e.nested { export_nested(up, e, id, props, dir) } else { export_artifact(up, e, id, props, dir) };
    result.map_err(|ex| {
        CliError::Other(format!(
            "Unable to upload artifact {shown} referenced by {} parameter of {id} resource.\n{ex}",
            e.property
        ))
    })
}

fn export_artifact(up: &Uploader, e: &Export, id: &str, props: &mut Value, dir: &Path) -> CliResult<()> {
    let local = match get_path(props, e.property) {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => dir.to_string_lossy().into_owned(),
        Some(other) => {
            return Err(invalid_local_path(id, e.property, Path::new(&other.to_string())));
        }
    };
    let url = if is_s3_url(&local) {
        local
    } else {
        let path = dir.join(&local);
        if path.is_dir() {
            up.upload_with_dedup(&zip_folder(&path)?, None)?
        } else if path.is_file() {
            let bytes = read(&path)?;
            if e.force_zip && !is_zip(&bytes) {
                up.upload_with_dedup(&zip_files(&[(file_name(&path), bytes)])?, None)?
            } else {
                up.upload_with_dedup(&bytes, None)?
            }
        } else {
            return Err(invalid_local_path(id, e.property, &path));
        }
    };
    let new = match e.s3_dict {
        None => Value::String(url),
        Some((bucket, key, _version)) => {
            let (b, k) = url.trim_start_matches("s3://").split_once('/').unwrap_or_default();
            json!({ bucket: b, key: k })
        }
    };
    set_path(props, e.property, new);
    Ok(())
}

fn export_nested(up: &Uploader, e: &Export, id: &str, props: &mut Value, dir: &Path) -> CliResult<()> {
    let Some(Value::String(location)) = props.get(e.property).cloned() else { return Ok(()) };
    if is_s3_url(&location) || location.starts_with("http://") || location.starts_with("https://") {
        return Ok(());
    }
    let path = dir.join(&location);
    if !path.is_file() {
        return Err(CliError::Other(format!(
            "{} parameter of {id} resource is invalid. It must be a S3 URL or path to CloudFormation template \
             file. Actual: {}",
            e.property,
            path.display()
        )));
    }
    let exported = export_template(up, &path)?;
    let text = nubo_output::yaml::dump_template(&exported);
    let url = up.upload_with_dedup(text.as_bytes(), Some("template"))?;
    props[e.property] = up.path_style_url(key_of(&url), None)?.into();
    Ok(())
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Every file under `root` (following links), named relative to it, in a walk order.
fn zip_folder(root: &Path) -> CliResult<Vec<u8>> {
    let mut files = Vec::new();
    walk(root, root, &mut files)?;
    zip_files(&files)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> CliResult<()> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    let (dirs, files): (Vec<PathBuf>, Vec<PathBuf>) = entries.into_iter().partition(|p| p.is_dir());
    for f in files {
        let rel = f.strip_prefix(root).unwrap_or(&f).to_string_lossy().replace('\\', "/");
        out.push((rel, read(&f)?));
    }
    for d in dirs {
        walk(root, &d, out)?;
    }
    Ok(())
}

/// A zip archive (deflated entries, fixed 1980-01-01 times so equal content gives equal bytes).
fn zip_files(files: &[(String, Vec<u8>)]) -> CliResult<Vec<u8>> {
    use flate2::write::DeflateEncoder;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let mut enc = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data)?;
        let packed = enc.finish()?;
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes()); // made by
            }
            h.extend(20u16.to_le_bytes()); // needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(8u16.to_le_bytes()); // deflate
            h.extend(0u16.to_le_bytes()); // time
            h.extend(0x21u16.to_le_bytes()); // date: 1980-01-01
            h.extend(crc.sum().to_le_bytes());
            h.extend((packed.len() as u32).to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend(0u16.to_le_bytes()); // comment
                h.extend(0u16.to_le_bytes()); // disk
                h.extend(0u16.to_le_bytes()); // internal attributes
                h.extend((0o100644u32 << 16).to_le_bytes()); // external: a regular file, rw-r--r--
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(&packed);
        central.extend(header(0x0201_4b50, true));
    }
    let start = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((files.len() as u16).to_le_bytes());
    out.extend((files.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_paths() {
        let mut v = json!({"Command": {"Name": "x", "ScriptLocation": "a.py"}});
        assert_eq!(get_path(&v, "Command.ScriptLocation"), Some(&json!("a.py")));
        set_path(&mut v, "Command.ScriptLocation", json!("s3://b/k"));
        assert_eq!(v, json!({"Command": {"Name": "x", "ScriptLocation": "s3://b/k"}}));
        set_path(&mut v, "Code.S3", json!({"Bucket": "b"}));
        assert_eq!(v["Code"], json!({"S3": {"Bucket": "b"}}));
    }

    #[test]
    fn s3_urls_and_metadata() {
        assert!(is_s3_url("s3://b/k/x"));
        assert!(!is_s3_url("s3://b"));
        assert!(!is_s3_url("./code"));
        assert_eq!(metadata("a=1,b=2").unwrap(), json!({"a": "1", "b": "2"}));
        assert_eq!(metadata(r#"{"a":"1"}"#).unwrap(), json!({"a": "1"}));
        assert!(metadata("a").is_err());
    }

    #[test]
    fn json_like_python() {
        assert_eq!(
            json_dump(&json!({"a": [1, "é"]})),
            "{\n    \"a\": [\n        1,\n        \"é\"\n    ]\n}"
        );
    }
}
