//! Output: json, text, table and yaml renderings of a response, JMESPath `--query`, the pager.

pub mod json;
