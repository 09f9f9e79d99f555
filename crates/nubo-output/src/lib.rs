//! Output: json, text, table and yaml renderings of a response, JMESPath `--query`, the pager.

pub mod json;
pub mod pager;
pub mod query;
pub mod query_order;
/// Python's `str()`/`repr()` of values, shared with the argument parser and the endpoint rules.
pub use nubo_py as pystr;
pub mod table;
pub mod text;
pub mod width;
pub mod yaml;

use serde_json::Value;

/// The `--output` values the CLI v2 accepts.
pub const FORMATS: &[&str] = &["json", "text", "table", "yaml", "yaml-stream", "off"];

/// Renders `value` in the `--output` `format` (`json`, `text`, `table`, `yaml`, `yaml-stream`, `off`);
/// `title` is the operation name the `table` format prints on top. Errors on an unknown format or
/// where the CLI's own formatter fails (a table of ragged rows).
pub fn render(format: &str, value: &Value, title: &str) -> Result<String, String> {
    match format {
        "json" => Ok(json::render(value)),
        "text" => Ok(text::render(value)),
        "table" => table::render(value, title),
        "yaml" => Ok(yaml::render(value)),
        "yaml-stream" => Ok(yaml::render_stream(value)),
        "off" => Ok(String::new()),
        other => Err(format!("Unknown output type: {other} (expected one of: {})", FORMATS.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dispatch() {
        let v = json!({"A": 1});
        assert_eq!(render("json", &v, "Op").unwrap(), "{\n    \"A\": 1\n}\n");
        assert_eq!(render("text", &v, "Op").unwrap(), "1\n");
        assert_eq!(render("yaml", &v, "Op").unwrap(), "A: 1\n");
        assert_eq!(render("yaml-stream", &v, "Op").unwrap(), "- A: 1\n");
        assert_eq!(render("off", &v, "Op").unwrap(), "");
        assert!(render("table", &v, "Op").unwrap().contains("Op"));
        assert!(render("xml", &v, "Op").is_err());
    }
}
