//! Key order after `--query`. The jmespath crate keeps objects in sorted-key maps, while the AWS CLI
//! prints them in response order (and a multi-select hash in the expression's order). The order is
//! put back afterwards: an object whose set of keys is the set of an object in the response (or of a
//! multi-select hash in the expression) takes that object's order.

use jmespath::ast::Ast;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Known key orders, by their sorted key set.
#[derive(Default)]
pub struct Orders(HashMap<Vec<String>, Vec<String>>);

impl Orders {
    fn add(&mut self, keys: Vec<String>) {
        let mut sorted = keys.clone();
        sorted.sort();
        self.0.entry(sorted).or_insert(keys);
    }

    /// The orders of every object in `value`.
    pub fn learn_value(&mut self, value: &Value) {
        match value {
            Value::Object(m) => {
                self.add(m.keys().cloned().collect());
                m.values().for_each(|v| self.learn_value(v));
            }
            Value::Array(a) => a.iter().for_each(|v| self.learn_value(v)),
            _ => {}
        }
    }

    /// The orders of the multi-select hashes in an expression (they win over the response's).
    pub fn learn_expression(&mut self, ast: &Ast) {
        match ast {
            Ast::MultiHash { elements, .. } => {
                let keys: Vec<String> = elements.iter().map(|kv| kv.key.clone()).collect();
                let mut sorted = keys.clone();
                sorted.sort();
                self.0.insert(sorted, keys);
                elements.iter().for_each(|kv| self.learn_expression(&kv.value));
            }
            Ast::Comparison { lhs, rhs, .. }
            | Ast::Projection { lhs, rhs, .. }
            | Ast::And { lhs, rhs, .. }
            | Ast::Or { lhs, rhs, .. }
            | Ast::Subexpr { lhs, rhs, .. } => {
                self.learn_expression(lhs);
                self.learn_expression(rhs);
            }
            Ast::Condition { predicate, then, .. } => {
                self.learn_expression(predicate);
                self.learn_expression(then);
            }
            Ast::Expref { ast, .. } => self.learn_expression(ast),
            Ast::Flatten { node, .. } | Ast::Not { node, .. } | Ast::ObjectValues { node, .. } => {
                self.learn_expression(node)
            }
            Ast::Function { args, .. } | Ast::MultiList { elements: args, .. } => {
                args.iter().for_each(|a| self.learn_expression(a))
            }
            _ => {}
        }
    }

    /// `value` with every object's keys in a known order (unknown sets stay as they are).
    pub fn apply(&self, value: Value) -> Value {
        match value {
            Value::Object(m) => {
                let mut sorted: Vec<String> = m.keys().cloned().collect();
                sorted.sort();
                let mut m = m;
                let mut out = Map::new();
                if let Some(order) = self.0.get(&sorted) {
                    for k in order {
                        if let Some(v) = m.remove(k) {
                            out.insert(k.clone(), self.apply(v));
                        }
                    }
                }
                for (k, v) in m {
                    out.insert(k, self.apply(v));
                }
                Value::Object(out)
            }
            Value::Array(a) => Value::Array(a.into_iter().map(|v| self.apply(v)).collect()),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn response_and_expression_order_come_back() {
        let input = json!({"Vpcs": [{"VpcId": "v", "CidrBlock": "c", "State": "s"}]});
        let expr = jmespath::compile("Vpcs[].{Id: VpcId, Cidr: CidrBlock, Z: State}").unwrap();
        let mut orders = Orders::default();
        orders.learn_value(&input);
        orders.learn_expression(expr.as_ast());
        let sorted = json!([{"Cidr": "c", "Id": "v", "Z": "s"}]);
        let fixed = orders.apply(sorted);
        assert_eq!(serde_json::to_string(&fixed).unwrap(), r#"[{"Id":"v","Cidr":"c","Z":"s"}]"#);
        let obj = orders.apply(json!({"State": "s", "CidrBlock": "c", "VpcId": "v"}));
        assert_eq!(serde_json::to_string(&obj).unwrap(), r#"{"VpcId":"v","CidrBlock":"c","State":"s"}"#);
    }
}
