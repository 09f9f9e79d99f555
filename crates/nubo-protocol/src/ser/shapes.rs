//! Shape lookups for the serializers: the model context, and a member's serialization traits as
//! botocore sees them (the reference's traits first, then the target shape's).

use crate::SerializeError;
use nubo_model::{ServiceModel, Shape, ShapeRef, ShapeType, XmlNamespace};
use serde_json::{Map, Value};

/// The model being serialized against.
pub(crate) struct Ctx<'a> {
    pub model: &'a ServiceModel,
}

impl<'a> Ctx<'a> {
    pub fn new(model: &'a ServiceModel) -> Self {
        Ctx { model }
    }

    /// The shape named `name`, or an error naming it.
    pub fn shape(&self, name: &str) -> Result<&'a Shape, SerializeError> {
        self.model.shapes.get(name).ok_or_else(|| SerializeError(format!("shape {name} is not in the model")))
    }

    /// A reference resolved to its shape.
    pub fn resolve(&self, r: &'a ShapeRef) -> Result<Member<'a>, SerializeError> {
        Ok(Member { r, shape: self.shape(&r.shape)? })
    }

    /// The list member, map key or map value reference of `shape`.
    pub fn child(
        &self,
        r: Option<&'a ShapeRef>,
        what: &str,
        owner: &str,
    ) -> Result<Member<'a>, SerializeError> {
        let r = r.ok_or_else(|| SerializeError(format!("shape {owner} has no {what}")))?;
        self.resolve(r)
    }

    /// The members of `input` (an object, for structure `m`) that are set, in input order, each
    /// with its member reference. A key that is not a member is an error.
    pub fn set_members<'v>(
        &self,
        m: &Member<'a>,
        input: &'v Value,
    ) -> Result<Vec<(&'a str, Member<'a>, &'v Value)>, SerializeError> {
        let obj = as_object(input, &m.r.shape)?;
        let mut out = Vec::with_capacity(obj.len());
        for (key, value) in obj {
            if value.is_null() {
                continue;
            }
            let Some((name, r)) = m.shape.members.0.iter().find(|(k, _)| k == key) else {
                return Err(SerializeError(format!("unknown parameter {key:?} in {}", m.r.shape)));
            };
            out.push((name.as_str(), self.resolve(r)?, value));
        }
        Ok(out)
    }
}

/// The JSON object for a structure or map value, or an error naming the shape.
pub(crate) fn as_object<'v>(v: &'v Value, shape: &str) -> Result<&'v Map<String, Value>, SerializeError> {
    v.as_object().ok_or_else(|| SerializeError(format!("expected an object for {shape}, got {}", kind(v))))
}

/// The JSON array for a list value, or an error naming the shape.
pub(crate) fn as_array<'v>(v: &'v Value, shape: &str) -> Result<&'v Vec<Value>, SerializeError> {
    v.as_array().ok_or_else(|| SerializeError(format!("expected a list for {shape}, got {}", kind(v))))
}

/// A short name of a JSON value's type for error messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A reference together with the shape it targets.
#[derive(Clone, Copy)]
pub(crate) struct Member<'a> {
    pub r: &'a ShapeRef,
    pub shape: &'a Shape,
}

impl<'a> Member<'a> {
    pub fn type_(&self) -> ShapeType {
        self.shape.type_
    }

    /// The serialized name (`locationName` of the reference, else of the shape).
    pub fn serialized_name(&self) -> Option<&'a str> {
        self.r.location_name.as_deref().or(self.shape.location_name.as_deref())
    }

    pub fn flattened(&self) -> bool {
        self.r.flattened || self.shape.flattened
    }

    pub fn xml_namespace(&self) -> Option<&'a XmlNamespace> {
        self.r.xml_namespace.as_ref().or(self.shape.xml_namespace.as_ref())
    }

    pub fn timestamp_format(&self) -> Option<&'a str> {
        self.r.timestamp_format.as_deref().or(self.shape.timestamp_format.as_deref())
    }

    /// A `jsonvalue` string sent in a header (base64 of compact JSON).
    pub fn is_json_value_header(&self) -> bool {
        self.r.jsonvalue && self.r.location.as_deref() == Some("header") && self.type_() == ShapeType::String
    }
}
