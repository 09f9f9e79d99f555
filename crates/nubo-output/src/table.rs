//! The `table` output format, laid out as the AWS CLI lays it out (colour off): a title row with the
//! operation name, then one section per object or list of objects. An object's scalar keys (sorted) are
//! column headers over one row of values; a lone scalar key prints as a `key | value` row; its lists and
//! objects become indented sub-sections titled by their key. Lists of objects share the union of their
//! scalar keys as headers. Columns are scaled to the widest section; when the table is wider than the
//! terminal (80 columns when not a terminal), single-row sections are turned into `header | value` rows.
//! Widths count East Asian wide and ambiguous characters as two columns, as the CLI does.

use crate::pystr::str_of;
use crate::width::text_width;
use serde_json::{Map, Value};

/// Width the CLI assumes when standard output is not a terminal.
pub const DEFAULT_TERMINAL_WIDTH: usize = 80;

/// Renders `value` as a table titled `title`, for a terminal [`DEFAULT_TERMINAL_WIDTH`] wide.
pub fn render(value: &Value, title: &str) -> Result<String, String> {
    render_with_width(value, title, DEFAULT_TERMINAL_WIDTH)
}

/// Renders `value` as a table titled `title` for a terminal `terminal_width` columns wide. Empty for
/// an empty or false-like response. Errors where the CLI fails too (rows of differing lengths, a list
/// mixing objects and non-objects).
pub fn render_with_width(value: &Value, title: &str, terminal_width: usize) -> Result<String, String> {
    render_styled(value, title, terminal_width, false)
}

/// The table in `terminal_width` columns, coloured as the CLI colours it when `color` is on (cells
/// bright blue, the indentation bars of nested sections dim yellow; the widths are the plain text's).
pub fn render_styled(
    value: &Value,
    title: &str,
    terminal_width: usize,
    color: bool,
) -> Result<String, String> {
    let mut table = Builder::default();
    if !table.build(Some(title), value, 0)? {
        return Ok(String::new());
    }
    Ok(table.render(terminal_width, color))
}

/// ANSI: bright blue for a cell, dim yellow for an indentation bar, reset (colorama's codes).
const CELL_STYLE: &str = "\x1b[1m\x1b[34m";
const BAR_STYLE: &str = "\x1b[2m\x1b[33m";
const RESET: &str = "\x1b[0m";

/// One titled block of the table: optional headers and rows of cells.
#[derive(Default, Clone)]
struct Section {
    /// `None` for sections the CLI creates without a title (it still measures them as "None").
    title: Option<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    num_cols: Option<usize>,
    max_widths: Vec<usize>,
}

impl Section {
    fn titled(title: Option<&str>, indent: usize) -> Self {
        Section { title: title.map(str::to_string), indent, ..Section::default() }
    }

    fn title_width(&self) -> usize {
        self.title.as_deref().map_or(4, text_width)
    }

    fn add_header(&mut self, headers: Vec<String>) -> Result<(), String> {
        self.update_widths(&headers)?;
        if self.num_cols.is_none() {
            self.num_cols = Some(headers.len());
        }
        self.headers = headers;
        Ok(())
    }

    fn add_row(&mut self, row: Vec<String>) -> Result<(), String> {
        let n = *self.num_cols.get_or_insert(row.len());
        if row.len() != n {
            return Err(format!("Row should have {n} elements, instead it has {}", row.len()));
        }
        self.update_widths(&row)?;
        self.rows.push(row);
        Ok(())
    }

    fn update_widths(&mut self, row: &[String]) -> Result<(), String> {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|c| text_width(c)).collect();
            return Ok(());
        }
        for (i, cell) in row.iter().enumerate() {
            let w = self
                .max_widths
                .get_mut(i)
                .ok_or_else(|| "table row is wider than its section".to_string())?;
            *w = (*w).max(text_width(cell));
        }
        Ok(())
    }

    /// Column widths (each plus `padding`) scaled so that they sum to `max_width`.
    fn column_widths(&self, padding: usize, max_width: usize) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + padding).collect();
        let total: usize = unscaled.iter().sum();
        if unscaled.is_empty() || total == 0 {
            return unscaled;
        }
        let factor = max_width as f64 / total as f64;
        let mut scaled: Vec<i64> =
            unscaled.iter().map(|&w| (factor * w as f64).round_ties_even() as i64).collect();
        let mut off_by: i64 = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let order: Vec<usize> =
                if off_by < 0 { (0..scaled.len()).rev().collect() } else { (0..scaled.len()).collect() };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    /// Width of the section with 4 columns of padding per cell, its border and its indentation.
    fn total_width(&self) -> usize {
        let cols: usize = self.max_widths.iter().map(|w| w + 4).sum();
        let outer = 2 * self.indent;
        (self.title_width() + 2 + outer).max(cols + 2 + outer)
    }
}

#[derive(Default)]
struct Builder {
    sections: Vec<Section>,
}

impl Builder {
    fn current(&mut self) -> Result<&mut Section, String> {
        self.sections.last_mut().ok_or_else(|| "table has no section to add to".to_string())
    }

    fn new_section(&mut self, title: Option<&str>, indent: usize) {
        self.sections.push(Section::titled(title, indent));
    }

    fn build(&mut self, title: Option<&str>, current: &Value, indent: usize) -> Result<bool, String> {
        if falsy(current) {
            return Ok(false);
        }
        if title.is_some() {
            self.new_section(title, indent);
        }
        match current {
            Value::Array(items) => {
                if items.first().is_some_and(Value::is_object) {
                    self.list_of_objects(items, indent, title)?;
                } else {
                    for item in items {
                        match item {
                            Value::Array(inner) if !inner.iter().all(is_scalar) => {
                                self.build(None, item, 0)?;
                            }
                            Value::Array(inner) => {
                                let row = inner.iter().map(str_of).collect();
                                self.current()?.add_row(row)?;
                            }
                            // Python iterates an object's keys here: a row of its keys.
                            Value::Object(map) => {
                                let row = map.keys().cloned().collect();
                                self.current()?.add_row(row)?;
                            }
                            scalar => self.current()?.add_row(vec![str_of(scalar)])?,
                        }
                    }
                }
            }
            Value::Object(map) => self.object(map, indent)?,
            _ => {}
        }
        Ok(true)
    }

    fn object(&mut self, map: &Map<String, Value>, indent: usize) -> Result<(), String> {
        let (headers, more) = group_keys(map);
        if headers.len() == 1 {
            let v = map.get(&headers[0]).map(str_of).unwrap_or_default();
            self.current()?.add_row(vec![headers[0].clone(), v])?;
        } else if !headers.is_empty() {
            let row = headers.iter().map(|k| map.get(k).map(str_of).unwrap_or_default()).collect();
            let section = self.current()?;
            section.add_header(headers)?;
            section.add_row(row)?;
        }
        for key in more {
            if let Some(v) = map.get(&key) {
                self.build(Some(&key), v, indent + 1)?;
            }
        }
        Ok(())
    }

    fn list_of_objects(&mut self, items: &[Value], indent: usize, title: Option<&str>) -> Result<(), String> {
        let mut headers: Vec<String> = Vec::new();
        let mut more: Vec<String> = Vec::new();
        let mut maps = Vec::with_capacity(items.len());
        for item in items {
            let map = item
                .as_object()
                .ok_or_else(|| "cannot tabulate a list mixing objects and other values".to_string())?;
            let (h, m) = group_keys(map);
            headers.extend(h);
            more.extend(m);
            maps.push(map);
        }
        headers.sort();
        headers.dedup();
        more.sort();
        more.dedup();
        self.current()?.add_header(headers.clone())?;
        for (i, map) in maps.into_iter().enumerate() {
            if i > 0 && !more.is_empty() {
                self.new_section(title, indent);
                self.current()?.add_header(headers.clone())?;
            }
            let row = headers.iter().map(|h| map.get(h).map(str_of).unwrap_or_default()).collect();
            self.current()?.add_row(row)?;
            for key in &more {
                if let Some(v) = map.get(key) {
                    self.build(Some(key), v, indent + 1)?;
                }
            }
        }
        Ok(())
    }

    fn render(mut self, terminal_width: usize, color: bool) -> String {
        let mut max_width = self.max_width();
        if max_width > terminal_width {
            for section in &mut self.sections {
                if section.rows.len() == 1 && !section.headers.is_empty() {
                    let mut vertical = Section::titled(section.title.as_deref(), section.indent);
                    for (h, v) in section.headers.iter().zip(&section.rows[0]) {
                        // Two cells per row and widths from the same cells: cannot fail.
                        let _ = vertical.add_row(vec![h.clone(), v.clone()]);
                    }
                    *section = vertical;
                }
            }
            max_width = self.max_width();
        }
        let mut out = "-".repeat(max_width);
        out.push('\n');
        for section in &self.sections {
            render_section(section, max_width, color, &mut out);
        }
        out
    }

    fn max_width(&self) -> usize {
        self.sections.iter().map(Section::total_width).max().unwrap_or(0)
    }
}

fn render_section(section: &Section, max_width: usize, color: bool, out: &mut String) {
    let bar = if color { format!("{BAR_STYLE}|{RESET}") } else { "|".to_string() };
    let bars = bar.repeat(section.indent);
    let mut line = |text: String| {
        out.push_str(&bars);
        out.push_str(&text);
        out.push_str(&bars);
        out.push('\n');
    };
    let width = max_width.saturating_sub(section.indent * 2);
    if let Some(title) = section.title.as_deref().filter(|t| !t.is_empty()) {
        line(center(title, width, "|", "|"));
        if section.headers.is_empty() && section.rows.is_empty() {
            line(format!("+{}+", "-".repeat(width.saturating_sub(2))));
        }
    }
    if !section.headers.is_empty() {
        let widths = section.column_widths(4, width);
        let mut cells = String::new();
        for (i, (w, h)) in widths.iter().zip(&section.headers).enumerate() {
            cells.push_str(&center(h, *w, if i == 0 { "|" } else { "" }, "|"));
        }
        line(line_break(&widths));
        line(cells);
    }
    if !section.rows.is_empty() {
        let widths = section.column_widths(4, width);
        if widths.is_empty() {
            return;
        }
        line(line_break(&widths));
        for row in &section.rows {
            let mut cells = String::new();
            for (i, (w, cell)) in widths.iter().zip(row).enumerate() {
                let style = (color && !cell.is_empty()).then_some(CELL_STYLE);
                cells.push_str(&align_left(cell, *w, if i == 0 { "|" } else { "" }, "|", style));
            }
            line(cells);
        }
        line(line_break(&widths));
    }
}

/// `+----+------+` for the given column widths (the first column also holds the left border).
fn line_break(widths: &[usize]) -> String {
    let mut s = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            s.push('+');
            s.push_str(&"-".repeat(w.saturating_sub(2)));
        } else {
            s.push_str(&"-".repeat(w.saturating_sub(1)));
        }
        s.push('+');
    }
    s
}

/// `text` centred in `length` columns between the edges, biased left as the CLI biases it.
fn center(text: &str, length: usize, left: &str, right: &str) -> String {
    let tw = text_width(text) as i64;
    let length = length as i64;
    let start = (length.div_euclid(2) - tw.div_euclid(2) - 1).max(0);
    let so_far = text_width(left) as i64 + start + tw;
    let right_spaces = (length - text_width(right) as i64 - so_far).max(0);
    format!("{left}{}{text}{}{right}", " ".repeat(start as usize), " ".repeat(right_spaces as usize))
}

/// `text` after two spaces of padding (none if it does not fit), filled to `length` columns.
/// `text` after the left edge and two spaces, filled to `length`; wrapped in an ANSI `style` when
/// given (the widths are the plain text's).
fn align_left(text: &str, length: usize, left: &str, right: &str, style: Option<&str>) -> String {
    let tw = text_width(text);
    let edges = left.chars().count() + right.chars().count();
    let padding = if tw + 2 + edges <= length { 2 } else { 0 };
    let so_far = left.chars().count() + padding + tw;
    let fill = length.saturating_sub(so_far + right.chars().count());
    let text = match style {
        Some(st) => format!("{st}{text}{RESET}"),
        None => text.to_string(),
    };
    format!("{left}{}{text}{}{right}", " ".repeat(padding), " ".repeat(fill))
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// Python truthiness: null, false, zero, "" and empty containers are false.
fn falsy(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

/// The object's keys split into those with scalar values and the rest, each sorted.
fn group_keys(map: &Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let (mut scalars, mut rest): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for (k, v) in map {
        if is_scalar(v) {
            scalars.push(k.clone());
        } else {
            rest.push(k.clone());
        }
    }
    scalars.sort();
    rest.sort();
    (scalars, rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn colour_wraps_cells_and_bars_only() {
        let v = serde_json::json!({"A": [{"B": "x", "C": {"D": "y"}}]});
        let plain = render_styled(&v, "Op", 80, false).unwrap();
        let coloured = render_styled(&v, "Op", 80, true).unwrap();
        assert!(coloured.contains("\x1b[1m\x1b[34mx\x1b[0m"), "{coloured}");
        assert!(coloured.contains("\x1b[2m\x1b[33m|\x1b[0m"), "{coloured}");
        let stripped =
            coloured.replace("\x1b[1m\x1b[34m", "").replace("\x1b[2m\x1b[33m", "").replace("\x1b[0m", "");
        assert_eq!(stripped, plain);
    }

    #[test]
    fn single_object() {
        let got = render(&json!({"Name": "a", "Size": 3}), "Op").unwrap();
        assert_eq!(
            got,
            // As awscli's TableFormatter prints it (colour off, 80 columns).
            "------------------\n\
             |       Op       |\n\
             +-------+--------+\n\
             | Name  | Size   |\n\
             +-------+--------+\n\
             |  a    |  3     |\n\
             +-------+--------+\n"
        );
    }

    #[test]
    fn empty_and_false_print_nothing() {
        for v in [json!({}), json!([]), json!(null), json!(false), json!(0), json!("")] {
            assert_eq!(render(&v, "Op").unwrap(), "");
        }
    }

    #[test]
    fn ragged_rows_are_an_error() {
        assert!(render(&json!([["a"], ["b", "c"]]), "Op").is_err());
        assert!(render(&json!([{"a": 1}, 2]), "Op").is_err());
    }
}
