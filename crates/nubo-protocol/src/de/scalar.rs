//! Scalars written as text (XML character data and HTTP header values), turned into output values by
//! their shape type: numbers, booleans, timestamps, blobs and strings. Special floats come out as
//! the strings `NaN`, `Infinity` and `-Infinity`, since JSON numbers cannot hold them.

use super::timestamp;
use nubo_model::ShapeType;
use serde_json::{Number, Value};

/// The value of a scalar of type `ty` written as `text`. Text that does not parse as the type is
/// kept as a string (an empty one is dropped: `Value::Null`), so that nothing the service sent is
/// lost; the AWS CLI would fail on such responses instead.
pub(crate) fn from_text(ty: ShapeType, text: &str) -> Value {
    match ty {
        ShapeType::Integer | ShapeType::Long | ShapeType::Short | ShapeType::Byte | ShapeType::Biginteger => {
            integer(text)
        }
        ShapeType::Float | ShapeType::Double | ShapeType::Bigdecimal => float(text),
        ShapeType::Boolean => Value::Bool(text.trim().eq_ignore_ascii_case("true")),
        ShapeType::Timestamp => match timestamp::parse(text) {
            Some(ts) => Value::String(ts.to_cli_string()),
            None if text.trim().is_empty() => Value::Null,
            None => Value::String(text.to_string()),
        },
        // Blobs stay base64 as sent; strings, characters and anything newer stay as written.
        _ => Value::String(text.to_string()),
    }
}

/// An integer written in decimal.
pub(crate) fn integer(text: &str) -> Value {
    let t = text.trim();
    if t.is_empty() {
        return Value::Null;
    }
    let digits = t.strip_prefix('+').unwrap_or(t);
    if let Ok(i) = digits.parse::<i64>() {
        return Value::Number(i.into());
    }
    if let Ok(u) = digits.parse::<u64>() {
        return Value::Number(u.into());
    }
    Value::String(text.to_string())
}

/// A floating-point number written in decimal, or one of the special values.
pub(crate) fn float(text: &str) -> Value {
    let t = text.trim();
    if t.is_empty() {
        return Value::Null;
    }
    match t.parse::<f64>() {
        Ok(f) => float_value(f),
        Err(_) => Value::String(text.to_string()),
    }
}

/// A float as an output value.
pub(crate) fn float_value(f: f64) -> Value {
    if f.is_nan() {
        Value::String("NaN".into())
    } else if f.is_infinite() {
        Value::String(if f > 0.0 { "Infinity" } else { "-Infinity" }.into())
    } else {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_from_text() {
        assert_eq!(from_text(ShapeType::Integer, " 42 "), json!(42));
        assert_eq!(from_text(ShapeType::Long, "18446744073709551615"), json!(18446744073709551615u64));
        assert_eq!(from_text(ShapeType::Integer, ""), Value::Null);
        assert_eq!(from_text(ShapeType::Integer, "x1"), json!("x1"));
        assert_eq!(from_text(ShapeType::Double, "6.5"), json!(6.5));
        assert_eq!(from_text(ShapeType::Float, "5"), json!(5.0));
        assert_eq!(from_text(ShapeType::Float, "NaN"), json!("NaN"));
        assert_eq!(from_text(ShapeType::Float, "-Infinity"), json!("-Infinity"));
        assert_eq!(from_text(ShapeType::Boolean, "true"), json!(true));
        assert_eq!(from_text(ShapeType::Boolean, "nope"), json!(false));
        assert_eq!(
            from_text(ShapeType::Timestamp, "2014-04-29T18:30:38Z"),
            json!("2014-04-29T18:30:38+00:00")
        );
        assert_eq!(from_text(ShapeType::Timestamp, "soon"), json!("soon"));
        assert_eq!(from_text(ShapeType::Blob, "Zm9v"), json!("Zm9v"));
        assert_eq!(from_text(ShapeType::String, " a "), json!(" a "));
    }
}
