//! Small questions asked of the model while processing arguments: a member's resolved shape, its
//! type name as the CLI spells it, and the properties that change how a value is read (document,
//! streaming, JSON-valued header).

use nubo_model::{ServiceModel, Shape, ShapeRef, ShapeType};

/// The shape a reference points to.
pub(crate) fn resolve<'m>(model: &'m ServiceModel, r: &ShapeRef) -> Option<&'m Shape> {
    model.shapes.get(&r.shape)
}

/// The type name botocore gives a shape (`structure`, `list`, `string`…).
pub(crate) fn type_name(t: ShapeType) -> &'static str {
    match t {
        ShapeType::Structure => "structure",
        ShapeType::List => "list",
        ShapeType::Map => "map",
        ShapeType::String => "string",
        ShapeType::Integer => "integer",
        ShapeType::Long => "long",
        ShapeType::Short => "short",
        ShapeType::Byte => "byte",
        ShapeType::Boolean => "boolean",
        ShapeType::Float => "float",
        ShapeType::Double => "double",
        ShapeType::Bigdecimal => "bigdecimal",
        ShapeType::Biginteger => "biginteger",
        ShapeType::Blob => "blob",
        ShapeType::Timestamp => "timestamp",
        ShapeType::Character => "character",
        ShapeType::Unknown => "string",
    }
}

/// Integer-like types (the model's `short`, `byte` and `biginteger` are read as integers).
pub(crate) fn is_integer(t: ShapeType) -> bool {
    matches!(
        t,
        ShapeType::Integer | ShapeType::Long | ShapeType::Short | ShapeType::Byte | ShapeType::Biginteger
    )
}

/// Float-like types.
pub(crate) fn is_float(t: ShapeType) -> bool {
    matches!(t, ShapeType::Float | ShapeType::Double | ShapeType::Bigdecimal)
}

/// A document (an untyped JSON value).
pub(crate) fn is_document(shape: &Shape) -> bool {
    shape.document
}

/// A blob read from a stream (a file path on the command line).
pub(crate) fn is_streaming_blob(r: &ShapeRef, shape: &Shape) -> bool {
    shape.type_ == ShapeType::Blob && (shape.streaming || r.streaming)
}

/// A string header whose value is JSON (the CLI parses the option's value as JSON).
pub(crate) fn is_json_value_header(r: &ShapeRef, shape: &Shape) -> bool {
    r.jsonvalue && r.location.as_deref() == Some("header") && shape.type_ == ShapeType::String
}

/// A document, or lists and maps whose innermost values are documents: such values are JSON only.
pub(crate) fn is_document_container(model: &ServiceModel, shape: &Shape) -> bool {
    let mut current = shape;
    for _ in 0..64 {
        if is_document(current) {
            return true;
        }
        let next = match current.type_ {
            ShapeType::List => current.member.as_deref(),
            ShapeType::Map => current.value.as_deref(),
            _ => None,
        };
        match next.and_then(|r| resolve(model, r)) {
            Some(s) => current = s,
            None => return false,
        }
    }
    false
}

/// Whether the CLI accepts shorthand for a value of this shape: structures, maps and lists of
/// complex values, unless they hold only documents.
pub(crate) fn supports_shorthand(model: &ServiceModel, shape: &Shape) -> bool {
    if is_document_container(model, shape) {
        return false;
    }
    match shape.type_ {
        ShapeType::Structure | ShapeType::Map => true,
        ShapeType::List => shape
            .member
            .as_deref()
            .and_then(|r| resolve(model, r))
            .is_some_and(|m| matches!(m.type_, ShapeType::Structure | ShapeType::List | ShapeType::Map)),
        _ => false,
    }
}

/// The service id as the CLI's event names spell it: lower case, spaces as hyphens.
pub(crate) fn hyphenized_service_id(model: &ServiceModel) -> String {
    let id = model
        .metadata
        .service_id
        .clone()
        .or_else(|| model.metadata.endpoint_prefix.clone())
        .unwrap_or_default();
    id.to_lowercase().replace(' ', "-")
}

#[cfg(test)]
pub(crate) mod testing {
    use nubo_model::ServiceModel;

    /// A model from inline JSON for tests (operations and shapes only).
    pub(crate) fn model(json: &str) -> ServiceModel {
        ServiceModel::from_json(json.as_bytes()).expect("test model parses")
    }
}

#[cfg(test)]
mod tests {
    use super::testing::model;
    use super::*;

    #[test]
    fn documents_and_shorthand() {
        let m = model(
            r#"{"metadata":{"protocol":"json","serviceId":"Elastic Load Balancing"},"operations":{},"shapes":{
            "Doc":{"type":"structure","members":{},"document":true},
            "Docs":{"type":"list","member":{"shape":"Doc"}},
            "DocMap":{"type":"map","key":{"shape":"S"},"value":{"shape":"Docs"}},
            "S":{"type":"string"},
            "Strs":{"type":"list","member":{"shape":"S"}},
            "St":{"type":"structure","members":{"D":{"shape":"Doc"}}},
            "Sts":{"type":"list","member":{"shape":"St"}}}}"#,
        );
        let s = |n: &str| m.shape(n).unwrap();
        assert!(is_document_container(&m, s("DocMap")));
        assert!(!is_document_container(&m, s("St")));
        assert!(!supports_shorthand(&m, s("Docs")));
        assert!(!supports_shorthand(&m, s("Strs")));
        assert!(supports_shorthand(&m, s("Sts")));
        assert!(supports_shorthand(&m, s("St")));
        assert_eq!(hyphenized_service_id(&m), "elastic-load-balancing");
    }
}
