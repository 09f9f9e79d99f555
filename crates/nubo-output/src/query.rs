//! JMESPath for `--query`, paginators and waiters, with the AWS CLI's key order kept (the jmespath
//! crate returns objects with sorted keys; [`crate::query_order`] puts the response's order back).

use crate::query_order::Orders;
use serde_json::Value;

/// A `--query` expression that does not compile, with the parser's reason.
#[derive(Debug, Clone, PartialEq)]
pub struct BadExpression(pub String);

/// Applies a user's `--query` to `value`, in the CLI's key order.
pub fn apply(expression: &str, value: &Value) -> Result<Value, BadExpression> {
    let expr = jmespath::compile(expression).map_err(|e| BadExpression(e.to_string()))?;
    let var = jmespath::Variable::from_serializable(value).map_err(|e| BadExpression(e.to_string()))?;
    let found = expr.search(var).map_err(|e| BadExpression(e.to_string()))?;
    let found = serde_json::to_value(&*found).map_err(|e| BadExpression(e.to_string()))?;
    let mut orders = Orders::default();
    orders.learn_expression(expr.as_ast());
    orders.learn_value(value);
    Ok(orders.apply(found))
}

/// Evaluates a model's expression (paginator keys, waiter arguments) on a response: plain paths
/// (`Contents`, `A.B`) are followed directly, others go through JMESPath; `null` when nothing matches
/// or the expression is invalid.
pub fn search(expr: &str, page: &Value) -> Value {
    let plain = !expr.is_empty()
        && expr.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    if plain {
        return expr.split('.').try_fold(page, |v, key| v.get(key)).cloned().unwrap_or(Value::Null);
    }
    let Ok(e) = jmespath::compile(expr) else { return Value::Null };
    let Ok(var) = jmespath::Variable::from_serializable(page) else { return Value::Null };
    match e.search(var) {
        Ok(r) => {
            let mut orders = Orders::default();
            orders.learn_value(page);
            orders.apply(serde_json::to_value(&*r).unwrap_or(Value::Null))
        }
        Err(_) => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_keep_key_order() {
        let page = json!({"Items": [{"Z": 1, "A": 2}], "Next": {"Token": "t"}});
        assert_eq!(serde_json::to_string(&search("Items", &page)).unwrap(), r#"[{"Z":1,"A":2}]"#);
        assert_eq!(search("Next.Token", &page), json!("t"));
        assert_eq!(serde_json::to_string(&search("Items[0]", &page)).unwrap(), r#"{"Z":1,"A":2}"#);
        assert_eq!(search("Missing.Path", &page), Value::Null);
    }

    #[test]
    fn queries_keep_expression_order() {
        let v = json!({"A": {"z": 1, "b": 2}});
        assert_eq!(
            serde_json::to_string(&apply("{y: A.z, a: A.b}", &v).unwrap()).unwrap(),
            r#"{"y":1,"a":2}"#
        );
        assert!(apply("A[", &v).is_err());
    }
}
