//! The typed form of a botocore `service-2` model: metadata, operations, shapes and the references
//! (members) that carry each value's wire location. Unknown keys are ignored, so newer models load.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// One service model (`service-2.json`).
///
/// Operations and shapes are parsed on first use from the model's own text: a command touches a
/// handful of the thousands a large model (EC2) holds, and parsing them all would dominate its
/// start-up time.
#[derive(Debug, Clone, Default)]
pub struct ServiceModel {
    pub metadata: Metadata,
    pub operations: Operations,
    pub shapes: Shapes,
}

/// The JSON text of a model, shared by its lazily parsed parts.
type Source = Arc<String>;

/// One lazily parsed part: where its JSON is in the source, and the parsed value once asked for (boxed:
/// a model holds thousands of parts and only a few are ever parsed, so unparsed ones stay small).
#[derive(Debug, Clone)]
struct Lazy<T> {
    source: Source,
    range: Range<usize>,
    parsed: OnceLock<Option<Box<T>>>,
}

impl<T: for<'de> Deserialize<'de>> Lazy<T> {
    fn get(&self) -> Option<&T> {
        self.get_with(|_| {})
    }

    /// The parsed value, `fix` applied once when it is first parsed.
    fn get_with(&self, fix: impl FnOnce(&mut T)) -> Option<&T> {
        self.parsed
            .get_or_init(|| {
                let mut v: Box<T> = serde_json::from_str(&self.source[self.range.clone()]).ok()?;
                fix(&mut v);
                Some(v)
            })
            .as_deref()
    }
}

/// An operation named by its key in the model, as botocore names it (`OperationModel.name`): CloudFront's
/// operations carry a dated `name` (`ListDistributions2020_05_31`) that is never on the wire for its
/// protocol, while paginators, waiters and error messages use the key (`ListDistributions`).
fn named(key: &str) -> impl FnOnce(&mut Operation) + '_ {
    move |op| {
        if op.name != key {
            op.name = key.to_string();
        }
    }
}

/// The operations of a model, in model order, each parsed on first use.
#[derive(Debug, Clone, Default)]
pub struct Operations(Vec<(String, Lazy<Operation>)>);

impl Operations {
    /// The operation named `name` (the model's PascalCase name); `None` when absent or malformed.
    pub fn get(&self, name: &str) -> Option<&Operation> {
        let (key, op) = self.0.iter().find(|(k, _)| k == name)?;
        op.get_with(named(key))
    }

    /// Operation names, in model order, without parsing any operation.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// Every (well-formed) operation, in model order, parsing each as it goes.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Operation)> {
        self.0.iter().filter_map(|(k, v)| Some((k, v.get_with(named(k))?)))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

/// The shapes of a model, each parsed on first use.
#[derive(Debug, Clone, Default)]
pub struct Shapes(HashMap<String, Lazy<Shape>>);

impl Shapes {
    /// The shape named `name`; `None` when absent or malformed.
    pub fn get(&self, name: &str) -> Option<&Shape> {
        self.0.get(name)?.get()
    }

    /// The shape named `name` with the model's own copy of the name.
    pub fn get_key_value(&self, name: &str) -> Option<(&String, &Shape)> {
        let (k, v) = self.0.get_key_value(name)?;
        Some((k, v.get()?))
    }

    /// Every (well-formed) shape; parses all of them, so only for error paths and tests.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Shape)> {
        self.0.iter().filter_map(|(k, v)| Some((k, v.get()?)))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

/// The top level of a model as read: metadata parsed, the rest left as text borrowed from the source.
#[derive(Deserialize)]
struct RawModel<'a> {
    #[serde(default)]
    metadata: Metadata,
    #[serde(default, borrow)]
    operations: indexmap_like::Ordered<&'a RawValue>,
    #[serde(default, borrow)]
    shapes: HashMap<String, &'a RawValue>,
}

/// The model's `metadata` block.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Metadata {
    pub api_version: Option<String>,
    pub endpoint_prefix: Option<String>,
    pub protocol: String,
    pub protocols: Vec<String>,
    pub json_version: Option<String>,
    pub target_prefix: Option<String>,
    pub service_id: Option<String>,
    pub service_full_name: Option<String>,
    pub signature_version: Option<String>,
    pub signing_name: Option<String>,
    pub global_endpoint: Option<String>,
    pub uid: Option<String>,
    pub xml_namespace: Option<XmlNamespace>,
    pub auth: Vec<String>,
    pub aws_query_compatible: Option<Value>,
}

/// An XML namespace: a bare URI (metadata) or `{ "prefix", "uri" }` (shapes and members).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum XmlNamespace {
    Uri(String),
    Full {
        #[serde(default)]
        prefix: Option<String>,
        #[serde(default)]
        uri: String,
    },
}

impl XmlNamespace {
    pub fn uri(&self) -> &str {
        match self {
            XmlNamespace::Uri(u) => u,
            XmlNamespace::Full { uri, .. } => uri,
        }
    }
    pub fn prefix(&self) -> Option<&str> {
        match self {
            XmlNamespace::Uri(_) => None,
            XmlNamespace::Full { prefix, .. } => prefix.as_deref(),
        }
    }
}

/// One operation.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Operation {
    pub name: String,
    pub http: Http,
    pub input: Option<ShapeRef>,
    pub output: Option<ShapeRef>,
    pub errors: Vec<ShapeRef>,
    pub endpoint: Option<OperationEndpoint>,
    pub authtype: Option<String>,
    pub auth: Vec<String>,
    pub http_checksum: Option<Value>,
    pub http_checksum_required: bool,
    pub static_context_params: HashMap<String, StaticContextParam>,
    pub context_params: HashMap<String, Value>,
    #[serde(rename = "requestcompression")]
    pub request_compression: Option<Value>,
    pub deprecated: bool,
    pub endpointdiscovery: Option<Value>,
    pub unsigned_payload: bool,
}

/// `http` block of an operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Http {
    pub method: String,
    pub request_uri: String,
    pub response_code: Option<u16>,
}

impl Default for Http {
    fn default() -> Self {
        Http { method: "POST".into(), request_uri: "/".into(), response_code: None }
    }
}

/// `endpoint` block of an operation (host prefix template such as `{AccountId}.`).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct OperationEndpoint {
    pub host_prefix: Option<String>,
}

/// A static endpoint context parameter of an operation.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct StaticContextParam {
    #[serde(default)]
    pub value: Value,
}

/// A reference to a shape: a structure member, list member, map key/value, or operation input/output.
/// It carries where the value goes on the wire.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ShapeRef {
    pub shape: String,
    pub location: Option<String>,
    pub location_name: Option<String>,
    pub xml_namespace: Option<XmlNamespace>,
    pub xml_attribute: bool,
    pub flattened: bool,
    pub query_name: Option<String>,
    pub idempotency_token: bool,
    pub jsonvalue: bool,
    pub host_label: bool,
    pub eventpayload: bool,
    pub timestamp_format: Option<String>,
    pub streaming: bool,
    pub context_param: Option<ContextParam>,
    pub result_wrapper: Option<String>,
    pub deprecated: bool,
}

/// `contextParam` of a member: its value feeds the endpoint rule parameter `name`.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct ContextParam {
    pub name: String,
}

/// The type of a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ShapeType {
    #[default]
    Structure,
    List,
    Map,
    String,
    Integer,
    Long,
    Short,
    Byte,
    Boolean,
    Float,
    Double,
    Bigdecimal,
    Biginteger,
    Blob,
    Timestamp,
    Character,
    #[serde(other)]
    Unknown,
}

/// One shape.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Shape {
    #[serde(rename = "type")]
    pub type_: ShapeType,
    pub members: OrderedMembers,
    pub required: Vec<String>,
    pub payload: Option<String>,
    pub member: Option<Box<ShapeRef>>,
    pub key: Option<Box<ShapeRef>>,
    pub value: Option<Box<ShapeRef>>,
    pub flattened: bool,
    pub location_name: Option<String>,
    #[serde(rename = "enum")]
    pub enum_: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<String>,
    pub timestamp_format: Option<String>,
    pub streaming: bool,
    pub requires_length: bool,
    pub eventstream: bool,
    pub event: bool,
    pub exception: bool,
    pub error: Option<ErrorInfo>,
    pub fault: bool,
    pub union: bool,
    pub document: bool,
    pub sensitive: bool,
    pub xml_namespace: Option<XmlNamespace>,
    pub xml_order: Vec<String>,
}

/// The `error` block of an exception shape.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ErrorInfo {
    pub code: Option<String>,
    pub http_status_code: Option<u16>,
    pub sender_fault: bool,
}

/// Members of a structure, in model order.
pub type OrderedMembers = indexmap_like::Members;

/// Ordered maps without a dependency on indexmap: a `Vec` of pairs, looked up linearly (structures
/// are small) and deserialized from a JSON object in document order.
pub mod indexmap_like {
    use super::ShapeRef;
    use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
    use std::fmt;
    use std::marker::PhantomData;

    #[derive(Debug, Clone)]
    pub struct Ordered<V>(pub Vec<(String, V)>);

    impl<V> Default for Ordered<V> {
        fn default() -> Self {
            Ordered(Vec::new())
        }
    }

    impl<V> Ordered<V> {
        pub fn get(&self, key: &str) -> Option<&V> {
            self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
        }
        pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
            self.0.iter().map(|(k, v)| (k, v))
        }
        pub fn keys(&self) -> impl Iterator<Item = &String> {
            self.0.iter().map(|(k, _)| k)
        }
        pub fn len(&self) -> usize {
            self.0.len()
        }
        pub fn is_empty(&self) -> bool {
            self.0.is_empty()
        }
        pub fn contains_key(&self, key: &str) -> bool {
            self.get(key).is_some()
        }
    }

    impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V2<V>(PhantomData<V>);
            impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
                type Value = Ordered<V>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                    let mut out = Vec::with_capacity(m.size_hint().unwrap_or(0));
                    while let Some((k, v)) = m.next_entry::<String, V>()? {
                        out.push((k, v));
                    }
                    Ok(Ordered(out))
                }
            }
            d.deserialize_map(V2(PhantomData))
        }
    }

    pub type Members = Ordered<ShapeRef>;
}

/// Errors from loading or walking a model.
#[derive(Debug)]
pub struct ModelError(pub String);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for ModelError {}

impl ServiceModel {
    /// Parse a `service-2.json` document.
    pub fn from_json(bytes: &[u8]) -> Result<ServiceModel, ModelError> {
        let text =
            std::str::from_utf8(bytes).map_err(|e| ModelError(format!("invalid service model: {e}")))?;
        let source: Source = Arc::new(text.to_string());
        let raw: RawModel<'_> =
            serde_json::from_str(&source).map_err(|e| ModelError(format!("invalid service model: {e}")))?;
        fn lazy<T>(source: &Source, r: &RawValue) -> Lazy<T> {
            let start = r.get().as_ptr() as usize - source.as_ptr() as usize;
            Lazy { source: source.clone(), range: start..start + r.get().len(), parsed: OnceLock::new() }
        }
        let operations =
            Operations(raw.operations.0.iter().map(|(k, v)| (k.clone(), lazy(&source, v))).collect());
        let shapes = Shapes(raw.shapes.iter().map(|(k, v)| (k.clone(), lazy(&source, v))).collect());
        Ok(ServiceModel { metadata: raw.metadata, operations, shapes })
    }

    /// Loads a model whose parts' byte ranges are given by `index` (the bundle's model index: u32
    /// metadata start and length; then for operations and for shapes a u32 count and, per member, u32
    /// name offset, u16 name length, u32 value length, the value starting two bytes after the name).
    /// Nothing but the metadata is parsed until it is used.
    pub fn from_indexed_json(bytes: Vec<u8>, index: &[u8]) -> Result<ServiceModel, ModelError> {
        let bad = |what: &str| ModelError(format!("invalid model index: {what}"));
        let text = String::from_utf8(bytes).map_err(|e| ModelError(format!("invalid service model: {e}")))?;
        let source: Source = Arc::new(text);
        let mut at = 0usize;
        let mut take = |n: usize| -> Result<&[u8], ModelError> {
            let s = index.get(at..at + n).ok_or_else(|| bad("truncated"))?;
            at += n;
            Ok(s)
        };
        let u32_at = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        let slice = |start: usize, len: usize| -> Result<Range<usize>, ModelError> {
            let end = start.checked_add(len).filter(|&e| e <= source.len()).ok_or_else(|| bad("range"))?;
            if !source.is_char_boundary(start) || !source.is_char_boundary(end) {
                return Err(bad("range"));
            }
            Ok(start..end)
        };
        let meta = {
            let b = take(8)?;
            slice(u32_at(b), u32_at(&b[4..]))?
        };
        let metadata = if meta.is_empty() {
            Metadata::default()
        } else {
            serde_json::from_str(&source[meta])
                .map_err(|e| ModelError(format!("invalid service model: {e}")))?
        };
        let mut parts: [Vec<(String, Range<usize>)>; 2] = Default::default();
        for part in &mut parts {
            let count = u32_at(take(4)?);
            part.reserve(count.min(1 << 16));
            for _ in 0..count {
                let b = take(10)?;
                let key_start = u32_at(b);
                let key_len = u16::from_le_bytes([b[4], b[5]]) as usize;
                let key = slice(key_start, key_len)?;
                let raw = &source[key.clone()];
                let name = if raw.contains('\\') {
                    serde_json::from_str(&format!("\"{raw}\"")).map_err(|_| bad("name"))?
                } else {
                    raw.to_string()
                };
                part.push((name, slice(key.end + 2, u32_at(&b[6..]))?));
            }
        }
        let [ops, shapes] = parts;
        fn lazy<T>(source: &Source, range: Range<usize>) -> Lazy<T> {
            Lazy { source: source.clone(), range, parsed: OnceLock::new() }
        }
        Ok(ServiceModel {
            metadata,
            operations: Operations(ops.into_iter().map(|(k, r)| (k, lazy(&source, r))).collect()),
            shapes: Shapes(shapes.into_iter().map(|(k, r)| (k, lazy(&source, r))).collect()),
        })
    }

    /// The shape named `name`.
    pub fn shape(&self, name: &str) -> Result<&Shape, ModelError> {
        self.shapes.get(name).ok_or_else(|| ModelError(format!("shape {name} is not in the model")))
    }

    /// The operation named `name` (the model's PascalCase name).
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.get(name)
    }

    /// The protocol to use, chosen as botocore chooses it: the first protocol in its priority order
    /// that `metadata.protocols` lists, else `metadata.protocol`.
    pub fn protocol(&self) -> &str {
        const PRIORITY: [&str; 6] = ["json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2"];
        PRIORITY
            .into_iter()
            .find(|p| self.metadata.protocols.iter().any(|m| m == p))
            .unwrap_or(&self.metadata.protocol)
    }

    /// The name used to sign requests (`signingName`, else `endpointPrefix`).
    pub fn signing_name(&self) -> &str {
        self.metadata.signing_name.as_deref().or(self.metadata.endpoint_prefix.as_deref()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_named_by_their_key_as_in_botocore() {
        let m = ServiceModel::from_json(
            br#"{"metadata":{"protocol":"rest-xml"},"operations":{
              "ListThings":{"name":"ListThings2020_05_31","http":{"method":"GET","requestUri":"/"}}},"shapes":{}}"#,
        )
        .unwrap();
        assert_eq!(m.operation("ListThings").unwrap().name, "ListThings");
        assert_eq!(m.operations.iter().next().unwrap().1.name, "ListThings");
    }

    #[test]
    fn parses_a_small_model_in_order() {
        let m = ServiceModel::from_json(
            br#"{"metadata":{"protocol":"json","protocols":["smithy-rpc-v2-cbor","json"],"jsonVersion":"1.1",
            "xmlNamespace":"http://x/"},
            "operations":{"B":{"name":"B","http":{"method":"POST","requestUri":"/"},"input":{"shape":"In"}},
                          "A":{"name":"A","http":{"method":"GET","requestUri":"/a/{Id}"}}},
            "shapes":{"In":{"type":"structure","required":["Z"],"members":{"Z":{"shape":"S","location":"header","locationName":"x-z"},
            "Y":{"shape":"L","xmlNamespace":{"prefix":"p","uri":"u"}}}},
            "S":{"type":"string","enum":["a"]},"L":{"type":"list","member":{"shape":"S"},"flattened":true},
            "W":{"type":"weird"}}}"#,
        )
        .unwrap();
        assert_eq!(m.protocol(), "json");
        assert_eq!(m.operations.keys().collect::<Vec<_>>(), ["B", "A"]);
        let input = m.shape("In").unwrap();
        assert_eq!(input.members.keys().collect::<Vec<_>>(), ["Z", "Y"]);
        assert_eq!(input.members.get("Z").unwrap().location.as_deref(), Some("header"));
        assert_eq!(input.members.get("Y").unwrap().xml_namespace.as_ref().unwrap().prefix(), Some("p"));
        assert_eq!(m.shape("L").unwrap().type_, ShapeType::List);
        assert_eq!(m.shape("W").unwrap().type_, ShapeType::Unknown);
        assert!(m.shape("Missing").is_err());
        assert_eq!(m.shapes.iter().count(), 4);
        assert_eq!(m.metadata.xml_namespace.as_ref().unwrap().uri(), "http://x/");
    }
}
