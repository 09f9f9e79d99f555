//! Template strings such as `https://{Bucket}.s3.{PartitionResult#dnsSuffix}`: telling them from plain
//! strings and filling them in from the variables in scope.

use serde_json::Value;

use crate::error::EndpointError;
use crate::python::py_str;

/// Whether `s` holds a `{name}` placeholder (letters and `#` only), the test botocore uses to decide that a
/// string is a template at all. Other strings are taken literally, braces included.
pub(crate) fn is_template(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'{') {
        let start = i + off + 1;
        let mut j = start;
        while j < bytes.len() && (bytes[j].is_ascii_alphabetic() || bytes[j] == b'#') {
            j += 1;
        }
        if j > start && j < bytes.len() && bytes[j] == b'}' {
            return true;
        }
        i = start;
    }
    false
}

/// Fills in a template: `{{` and `}}` stand for literal braces, `{a#b}` is attribute `b` of variable `a`.
/// `lookup` gives a variable's value; a missing variable or attribute is an error.
pub(crate) fn render<'v>(
    template: &str,
    lookup: impl Fn(&str) -> Option<&'v Value>,
) -> Result<String, EndpointError> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(pos) = rest.find(['{', '}']) {
        out.push_str(&rest[..pos]);
        let brace = rest.as_bytes()[pos];
        let after = &rest[pos + 1..];
        if after.as_bytes().first() == Some(&brace) {
            out.push(brace as char);
            rest = &after[1..];
            continue;
        }
        if brace == b'}' {
            return Err(bad(template, "single '}' encountered"));
        }
        let end = after.find('}').ok_or_else(|| bad(template, "unmatched '{'"))?;
        let field = &after[..end];
        // As in Python's format strings, a conversion or format spec may follow the name; it is ignored.
        let name = field.split(['!', ':']).next().unwrap_or_default();
        let mut parts = name.split('#');
        let first = parts.next().unwrap_or_default();
        let mut value = lookup(first).ok_or_else(|| bad(template, &format!("no variable {first:?}")))?;
        for part in parts {
            value = value
                .as_object()
                .and_then(|o| o.get(part))
                .ok_or_else(|| bad(template, &format!("no attribute {part:?} in {name:?}")))?;
        }
        match value {
            Value::String(s) => out.push_str(s),
            other => out.push_str(&py_str(other)),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn bad(template: &str, why: &str) -> EndpointError {
    EndpointError::Invalid(format!("cannot fill in template {template:?}: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn detects_templates() {
        assert!(is_template("https://{Region}.x"));
        assert!(is_template("{PartitionResult#dnsSuffix}"));
        assert!(is_template("a{b}{{c}}"));
        assert!(!is_template("https://example.com"));
        assert!(!is_template("{a_b}"));
        assert!(!is_template("{}"));
        assert!(!is_template("{abc"));
        assert!(!is_template("{{"));
    }

    #[test]
    fn renders() {
        let vars =
            json!({"Region": "us-east-1", "P": {"dnsSuffix": "amazonaws.com", "fips": true}, "N": null});
        let look = |k: &str| vars.get(k);
        assert_eq!(
            render("https://svc.{Region}.{P#dnsSuffix}", look).unwrap(),
            "https://svc.us-east-1.amazonaws.com"
        );
        assert_eq!(render("{{x}} {P#fips} {N}", look).unwrap(), "{x} True None");
        assert_eq!(render("plain", look).unwrap(), "plain");
        assert!(render("{Missing}", look).is_err());
        assert!(render("{P#missing}", look).is_err());
        assert!(render("{Region", look).is_err());
        assert!(render("a}b", look).is_err());
    }
}
