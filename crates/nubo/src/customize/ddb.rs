//! The AWS CLI v2's high-level DynamoDB commands, `ddb put` and `ddb select`: items written as
//! YAML-ish values (maps, lists, numbers, strings, booleans, null, `!!binary`, `!!set`), v2's
//! expression syntax (names and literals written inline, sent as `#nN`/`:nN` substitutions), and
//! results printed as plain YAML with the DynamoDB type wrappers removed.

use crate::customize::api;
use crate::customize::args::{self, Opt};
use crate::error::{CliError, CliResult};
use nubo_session::Session;
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------------------------
// Values: plain values (what the user writes and reads) and DynamoDB's typed attribute values.

/// A value in v2's item syntax: what a YAML item or an expression literal holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Null,
    Bool(bool),
    /// A number, kept as its text (DynamoDB numbers are decimals).
    Number(String),
    Str(String),
    /// Bytes, as base64.
    Binary(String),
    List(Vec<Item>),
    Map(Vec<(String, Item)>),
    /// A set of strings, numbers or binaries (all of one kind).
    Set(Vec<Item>),
}

impl Item {
    /// The DynamoDB attribute value (`{"S": …}`, `{"N": …}`, …).
    pub fn to_attribute(&self) -> Result<Value, String> {
        Ok(match self {
            Item::Null => json!({"NULL": true}),
            Item::Bool(b) => json!({"BOOL": b}),
            Item::Number(n) => json!({"N": n}),
            Item::Str(s) => json!({"S": s}),
            Item::Binary(b) => json!({"B": b}),
            Item::List(l) => json!({"L": l.iter().map(Item::to_attribute).collect::<Result<Vec<_>, _>>()?}),
            Item::Map(m) => {
                let mut out = Map::new();
                for (k, v) in m {
                    out.insert(k.clone(), v.to_attribute()?);
                }
                json!({ "M": out })
            }
            Item::Set(s) => {
                let (key, values): (&str, Vec<Value>) = match s.first() {
                    Some(Item::Number(_)) | None => {
                        ("NS", s.iter().map(set_member).collect::<Result<_, _>>()?)
                    }
                    Some(Item::Str(_)) => ("SS", s.iter().map(set_member).collect::<Result<_, _>>()?),
                    Some(Item::Binary(_)) => ("BS", s.iter().map(set_member).collect::<Result<_, _>>()?),
                    Some(_) => return Err("Sets may only contain numbers, strings, or bytes".into()),
                };
                if s.iter().any(|v| std::mem::discriminant(v) != std::mem::discriminant(&s[0])) {
                    return Err("Set values must all be of the same type".into());
                }
                json!({ key: values })
            }
        })
    }

    /// The item as a map of attribute values (a top-level item must be a map).
    pub fn to_item(&self) -> Result<Value, String> {
        match self.to_attribute()? {
            Value::Object(mut o) if o.contains_key("M") => Ok(o.remove("M").unwrap_or_default()),
            _ => Err("each item must be a mapping of attribute names to values".into()),
        }
    }
}

fn set_member(v: &Item) -> Result<Value, String> {
    match v {
        Item::Number(s) | Item::Str(s) | Item::Binary(s) => Ok(Value::String(s.clone())),
        _ => Err("Sets may only contain numbers, strings, or bytes".into()),
    }
}

/// Reads the items of `ddb put`: one YAML mapping, or a list of them.
pub fn parse_items(text: &str) -> Result<Vec<Item>, String> {
    // The YAML parser resolves the standard `!!binary` and `!!set` tags away; as local tags they
    // reach us as tagged values.
    let text = text.replace("!!binary", "!binary").replace("!!set", "!set");
    let doc: yaml_serde::Value =
        yaml_serde::from_str(&text).map_err(|e| format!("Error parsing parameter 'items': {e}"))?;
    let item = from_yaml(&doc)?;
    Ok(match item {
        Item::List(l) => l,
        other => vec![other],
    })
}

fn from_yaml(v: &yaml_serde::Value) -> Result<Item, String> {
    use yaml_serde::Value as Y;
    Ok(match v {
        Y::Null => Item::Null,
        Y::Bool(b) => Item::Bool(*b),
        Y::Number(n) => Item::Number(n.to_string()),
        Y::String(s) => Item::Str(s.clone()),
        Y::Sequence(s) => Item::List(s.iter().map(from_yaml).collect::<Result<_, _>>()?),
        Y::Mapping(m) => {
            let mut out = Vec::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s.clone(),
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    _ => return Err("item keys must be strings".into()),
                };
                out.push((key, from_yaml(v)?));
            }
            Item::Map(out)
        }
        Y::Tagged(t) => {
            let tag = t.tag.to_string();
            let tag = tag.trim_start_matches('!');
            match (tag, &t.value) {
                ("binary", Y::String(s)) => Item::Binary(s.split_whitespace().collect()),
                ("set", Y::Mapping(m)) => {
                    Item::Set(m.iter().map(|(k, _)| from_yaml(k)).collect::<Result<_, _>>()?)
                }
                ("set", Y::Sequence(s)) => Item::Set(s.iter().map(from_yaml).collect::<Result<_, _>>()?),
                _ => return Err(format!("unsupported YAML tag !{tag}")),
            }
        }
    })
}

/// An attribute value as the plain value v2 prints, with binaries and sets marked for [`render_yaml`].
fn plain(attr: &Value) -> Value {
    let Some((kind, v)) = attr.as_object().and_then(|o| o.iter().next()) else {
        return attr.clone();
    };
    match kind.as_str() {
        "S" => v.clone(),
        "N" => number(v.as_str().unwrap_or_default()),
        "BOOL" => v.clone(),
        "NULL" => Value::Null,
        "B" => Value::String(format!("{BINARY_MARK}{}", v.as_str().unwrap_or_default())),
        "L" => Value::Array(v.as_array().map(|l| l.iter().map(plain).collect()).unwrap_or_default()),
        "M" => plain_item(v),
        "SS" => set_map(v, SET_MARK_S),
        "NS" => set_map(v, SET_MARK_N),
        "BS" => Value::Array(
            v.as_array()
                .map(|l| {
                    l.iter()
                        .map(|b| Value::String(format!("{BINARY_MARK}{}", b.as_str().unwrap_or_default())))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        _ => attr.clone(),
    }
}

fn plain_item(item: &Value) -> Value {
    match item.as_object() {
        Some(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), plain(v))).collect()),
        None => item.clone(),
    }
}

/// A DynamoDB number as v2 prints a `Decimal`: an integer when it is whole, else a float.
fn number(text: &str) -> Value {
    if let Ok(i) = text.parse::<i64>() {
        return Value::from(i);
    }
    match text.parse::<f64>() {
        Ok(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
        Ok(f) => {
            serde_json::Number::from_f64(f).map(Value::Number).unwrap_or_else(|| Value::String(text.into()))
        }
        Err(_) => Value::String(text.into()),
    }
}

const BINARY_MARK: &str = "NUBODDBBINARY";

/// A string or number set as v2 prints a Python set: a `!!set` mapping of its members to null. The
/// marker key (sorted first) is turned into the tag by [`render_yaml`].
fn set_map(members: &Value, mark: &str) -> Value {
    let mut m = Map::new();
    m.insert(mark.to_string(), Value::Null);
    for v in members.as_array().into_iter().flatten() {
        m.insert(v.as_str().unwrap_or_default().to_string(), Value::Null);
    }
    Value::Object(m)
}

const SET_MARK_S: &str = "\u{1}NUBODDBSETS";
const SET_MARK_N: &str = "\u{1}NUBODDBSETN";

/// Turns the set markers into `!!set` tags; a number set's members lose the quotes that kept them
/// strings, as v2 prints numbers.
fn tag_sets(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut numbers_at: Option<usize> = None;
    for line in text.lines() {
        if line.contains("NUBODDBSET") {
            let indent = line.len() - line.trim_start().len();
            numbers_at = None;
            let is_numbers = line.contains("NUBODDBSETN");
            if line.trim_start().starts_with("- ") {
                out.push(format!("{}- !!set", &line[..indent]));
                if is_numbers {
                    numbers_at = Some(indent + 2);
                }
            } else {
                if let Some(prev) = out.last_mut() {
                    prev.push_str(" !!set");
                }
                if is_numbers {
                    numbers_at = Some(indent);
                }
            }
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        match numbers_at {
            Some(n) if indent == n => {
                let body = line.trim_start();
                let unquoted = body
                    .strip_prefix('\'')
                    .and_then(|b| b.split_once("': "))
                    .filter(|(k, _)| k.parse::<f64>().is_ok())
                    .map(|(k, v)| format!("{}{k}: {v}", &line[..indent]));
                out.push(unquoted.unwrap_or_else(|| line.to_string()));
                continue;
            }
            Some(_) => numbers_at = None,
            None => {}
        }
        out.push(line.to_string());
    }
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    joined
}

/// The YAML v2 prints, binaries as `!!binary "…"`, sets as `!!set` mappings.
fn render_yaml(value: &Value) -> String {
    let text = tag_sets(&nubo_output::yaml::render(value));
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(BINARY_MARK) {
        let mut head = &rest[..at];
        let quote = head.ends_with(['\'', '"']);
        if quote {
            head = &head[..head.len() - 1];
        }
        out.push_str(head);
        let tail = &rest[at + BINARY_MARK.len()..];
        let end =
            tail.find(|c: char| !(c.is_ascii_alphanumeric() || "+/=".contains(c))).unwrap_or(tail.len());
        out.push_str(&format!("!!binary \"{}\"", &tail[..end]));
        rest = &tail[end..];
        if quote && rest.starts_with(['\'', '"']) {
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Expressions: v2's syntax, lexed, parsed and rewritten with substitutions.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Dot,
    Comma,
    Colon,
    LParen,
    RParen,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Cmp(&'static str),
    And,
    Or,
    Not,
    In,
    Between,
    /// A name: unquoted (`a`) or quoted (`'a b'`).
    Ident(String),
    Literal(Item),
    Eof,
}

fn lex(expr: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = expr.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |msg: String, pos: usize| format!("{msg} at position {pos} in expression: {expr}");
    while i < chars.len() {
        let c = chars[i];
        let simple = match c {
            '.' => Some(Tok::Dot),
            ',' => Some(Tok::Comma),
            ':' => Some(Tok::Colon),
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            '{' => Some(Tok::LBrace),
            '}' => Some(Tok::RBrace),
            '[' => Some(Tok::LBracket),
            ']' => Some(Tok::RBracket),
            '=' => Some(Tok::Cmp("=")),
            _ => None,
        };
        if let Some(t) = simple {
            out.push(t);
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
        } else if (c == 'b' || c == 'B') && chars.get(i + 1) == Some(&'"') {
            let (s, next) = quoted(&chars, i + 1, '"').ok_or_else(|| err("Unterminated string".into(), i))?;
            use base64::Engine as _;
            if base64::engine::general_purpose::STANDARD.decode(&s).is_err() {
                return Err(err(format!("Invalid base64 string b\"{s}\""), i));
            }
            out.push(Tok::Literal(Item::Binary(s)));
            i = next;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push(match word.to_ascii_lowercase().as_str() {
                "and" => Tok::And,
                "or" => Tok::Or,
                "not" => Tok::Not,
                "in" => Tok::In,
                "between" => Tok::Between,
                "true" => Tok::Literal(Item::Bool(true)),
                "false" => Tok::Literal(Item::Bool(false)),
                "null" => Tok::Literal(Item::Null),
                _ => Tok::Ident(word),
            });
        } else if c == '\'' {
            let (s, next) =
                quoted(&chars, i, '\'').ok_or_else(|| err("Unterminated identifier".into(), i))?;
            out.push(Tok::Ident(s));
            i = next;
        } else if c == '"' {
            let (s, next) = quoted(&chars, i, '"').ok_or_else(|| err("Unterminated string".into(), i))?;
            out.push(Tok::Literal(Item::Str(s)));
            i = next;
        } else if c.is_ascii_digit() || c == '-' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if c == '-' && i == start + 1 {
                return Err(err("Unknown token -".into(), i));
            }
            if chars.get(i) == Some(&'.') {
                i += 1;
                if !chars.get(i).is_some_and(char::is_ascii_digit) {
                    return Err(err(
                        format!("Invalid fractional character {}", chars.get(i).unwrap_or(&' ')),
                        i,
                    ));
                }
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if chars.get(i).is_some_and(|c| *c == 'e' || *c == 'E') {
                i += 1;
                if chars.get(i).is_some_and(|c| *c == '-' || *c == '+') {
                    i += 1;
                }
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            out.push(Tok::Literal(Item::Number(chars[start..i].iter().collect())));
        } else if c == '<' || c == '>' {
            let next = chars.get(i + 1).copied();
            let (t, len) = match (c, next) {
                ('<', Some('>')) => ("<>", 2),
                ('<', Some('=')) => ("<=", 2),
                ('>', Some('=')) => (">=", 2),
                ('<', _) => ("<", 1),
                _ => (">", 1),
            };
            out.push(Tok::Cmp(t));
            i += len;
        } else {
            return Err(err(format!("Unrecognized character {c}"), i));
        }
    }
    out.push(Tok::Eof);
    Ok(out)
}

/// The text between the quote at `start` and its closing quote (a backslash escapes the quote),
/// and the index after the closing quote.
fn quoted(chars: &[char], start: usize, q: char) -> Option<(String, usize)> {
    let mut s = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' if chars.get(i + 1) == Some(&q) => {
                s.push(q);
                i += 2;
            }
            c if c == q => return Some((s, i + 1)),
            c => {
                s.push(c);
                i += 1;
            }
        }
    }
    None
}

/// A parsed expression.
#[derive(Debug, Clone)]
enum Node {
    Ident(String),
    Path(Box<Node>, Box<Node>),
    Index(Box<Node>, String),
    Literal(Item),
    Compare(&'static str, Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Sub(Box<Node>),
    Function(String, Vec<Node>),
    In(Box<Node>, Vec<Node>),
    Between(Box<Node>, Box<Node>, Box<Node>),
    Sequence(Vec<Node>),
}

struct Parser<'e> {
    toks: Vec<Tok>,
    pos: usize,
    expr: &'e str,
}

impl Parser<'_> {
    fn cur(&self) -> &Tok {
        self.toks.get(self.pos).unwrap_or(&Tok::Eof)
    }
    fn peek(&self) -> &Tok {
        self.toks.get(self.pos + 1).unwrap_or(&Tok::Eof)
    }
    fn advance(&mut self) {
        self.pos += 1;
    }
    fn unexpected(&self, expected: &str) -> String {
        format!("Expected {expected} but found {:?} in expression: {}", self.cur(), self.expr)
    }
    fn expect(&mut self, t: &Tok, name: &str) -> Result<(), String> {
        if self.cur() == t {
            self.advance();
            Ok(())
        } else {
            Err(self.unexpected(name))
        }
    }

    fn expression(&mut self) -> Result<Node, String> {
        if *self.cur() == Tok::Eof {
            return Err("Expressions must not be empty".into());
        }
        let first = self.simple()?;
        if matches!(first, Node::Ident(_) | Node::Path(..) | Node::Index(..)) && *self.cur() == Tok::Comma {
            self.advance();
            return self.sequence(Some(first));
        }
        let mut e = first;
        while matches!(self.cur(), Tok::And | Tok::Or) {
            let and = *self.cur() == Tok::And;
            self.advance();
            let right = self.simple()?;
            e = if and {
                Node::And(Box::new(e), Box::new(right))
            } else {
                Node::Or(Box::new(e), Box::new(right))
            };
        }
        Ok(e)
    }

    fn simple(&mut self) -> Result<Node, String> {
        match self.cur() {
            Tok::LParen => {
                self.advance();
                let e = self.expression()?;
                self.expect(&Tok::RParen, "rparen")?;
                Ok(Node::Sub(Box::new(e)))
            }
            Tok::Not => {
                self.advance();
                Ok(Node::Not(Box::new(self.simple()?)))
            }
            _ => self.condition(),
        }
    }

    fn condition(&mut self) -> Result<Node, String> {
        if let (Tok::Ident(name), Tok::LParen) = (self.cur().clone(), self.peek()) {
            self.advance();
            self.advance();
            let Node::Sequence(args) = self.sequence(None)? else { unreachable!() };
            self.expect(&Tok::RParen, "rparen")?;
            return Ok(Node::Function(name, args));
        }
        if !matches!(self.cur(), Tok::Literal(_) | Tok::Ident(_) | Tok::LBracket | Tok::LBrace) {
            return Err(format!(
                "Unknown expression type starting at {:?} in expression: {}",
                self.cur(),
                self.expr
            ));
        }
        let left = self.operand()?;
        match self.cur().clone() {
            Tok::In => {
                self.advance();
                self.expect(&Tok::LParen, "lparen")?;
                let Node::Sequence(items) = self.sequence(None)? else { unreachable!() };
                self.expect(&Tok::RParen, "rparen")?;
                Ok(Node::In(Box::new(left), items))
            }
            Tok::Between => {
                self.advance();
                let low = self.operand()?;
                self.expect(&Tok::And, "and")?;
                let high = self.operand()?;
                Ok(Node::Between(Box::new(left), Box::new(low), Box::new(high)))
            }
            Tok::Cmp(c) => {
                self.advance();
                let right = self.operand()?;
                Ok(Node::Compare(c, Box::new(left), Box::new(right)))
            }
            _ => Ok(left),
        }
    }

    fn sequence(&mut self, first: Option<Node>) -> Result<Node, String> {
        let mut items: Vec<Node> = first.into_iter().collect();
        loop {
            items.push(self.operand()?);
            if *self.cur() != Tok::Comma {
                break;
            }
            self.advance();
        }
        Ok(Node::Sequence(items))
    }

    fn operand(&mut self) -> Result<Node, String> {
        match self.cur() {
            Tok::Literal(_) | Tok::LBracket | Tok::LBrace => Ok(Node::Literal(self.literal()?)),
            Tok::Ident(_) => {
                let mut id = self.identifier()?;
                while *self.cur() == Tok::Dot {
                    self.advance();
                    let right = self.identifier()?;
                    id = Node::Path(Box::new(id), Box::new(right));
                }
                Ok(id)
            }
            _ => Err(self.unexpected("a literal or an identifier")),
        }
    }

    fn identifier(&mut self) -> Result<Node, String> {
        let Tok::Ident(name) = self.cur().clone() else { return Err(self.unexpected("identifier")) };
        self.advance();
        let mut id = Node::Ident(name);
        if *self.cur() == Tok::LBracket {
            self.advance();
            match self.literal()? {
                Item::Number(n) if n.parse::<u64>().is_ok() => id = Node::Index(Box::new(id), n),
                _ => return Err(format!("List indices must be whole numbers in expression: {}", self.expr)),
            }
            self.expect(&Tok::RBracket, "rbracket")?;
        }
        Ok(id)
    }

    fn literal(&mut self) -> Result<Item, String> {
        match self.cur().clone() {
            Tok::Literal(v) => {
                self.advance();
                Ok(v)
            }
            Tok::LBracket => {
                self.advance();
                let mut items = Vec::new();
                if *self.cur() != Tok::RBracket {
                    loop {
                        items.push(self.literal()?);
                        if *self.cur() != Tok::Comma {
                            break;
                        }
                        self.advance();
                    }
                }
                self.expect(&Tok::RBracket, "rbracket")?;
                Ok(Item::List(items))
            }
            Tok::LBrace => {
                self.advance();
                let value = if *self.cur() == Tok::RBrace {
                    Item::Map(Vec::new())
                } else if *self.peek() == Tok::Colon {
                    let mut entries = Vec::new();
                    loop {
                        let Tok::Literal(Item::Str(key)) = self.cur().clone() else {
                            return Err(format!("Keys must be of type `str` in expression: {}", self.expr));
                        };
                        self.advance();
                        self.expect(&Tok::Colon, "colon")?;
                        entries.push((key, self.literal()?));
                        if *self.cur() != Tok::Comma {
                            break;
                        }
                        self.advance();
                    }
                    Item::Map(entries)
                } else {
                    let mut items: Vec<Item> = Vec::new();
                    loop {
                        let Tok::Literal(v) = self.cur().clone() else {
                            return Err(self.unexpected("literal"));
                        };
                        if !matches!(v, Item::Str(_) | Item::Number(_) | Item::Binary(_)) {
                            return Err(format!(
                                "Sets may only contain numbers, strings, or bytes in expression: {}",
                                self.expr
                            ));
                        }
                        if !items.contains(&v) {
                            items.push(v);
                        }
                        self.advance();
                        if *self.cur() != Tok::Comma {
                            break;
                        }
                        self.advance();
                    }
                    Item::Set(items)
                };
                self.expect(&Tok::RBrace, "rbrace")?;
                Ok(value)
            }
            _ => Err(self.unexpected("literal")),
        }
    }
}

/// An expression rewritten for the API: the text with `#nN` names and `:nN` values, and both maps.
#[derive(Debug, Default)]
pub struct Extracted {
    pub expression: String,
    pub names: Vec<(String, String)>,
    pub values: Vec<(String, Item)>,
}

/// Parses `expr` and replaces its names and literals, numbering from `offset` as v2 does.
pub fn extract(expr: &str, offset: usize) -> Result<Extracted, String> {
    let toks = lex(expr)?;
    let mut p = Parser { toks, pos: 0, expr };
    let root = p.expression()?;
    if *p.cur() != Tok::Eof {
        return Err(p.unexpected("eof"));
    }
    let mut x = Extracted::default();
    let text = visit(&root, &mut x, offset);
    x.expression = text.trim().to_string();
    Ok(x)
}

fn visit(node: &Node, x: &mut Extracted, offset: usize) -> String {
    let index = |x: &Extracted| x.names.len() + x.values.len() + offset;
    match node {
        Node::Ident(name) => {
            let key = format!("#n{}", index(x));
            x.names.push((key.clone(), name.clone()));
            format!("{key} ")
        }
        Node::Path(l, r) => {
            let left = visit(l, x, offset).trim().to_string();
            format!("{left}.{}", visit(r, x, offset))
        }
        Node::Index(l, i) => format!("{}[{i}] ", visit(l, x, offset).trim()),
        Node::Literal(v) => {
            let key = format!(":n{}", index(x));
            x.values.push((key.clone(), v.clone()));
            format!("{key} ")
        }
        Node::Compare(c, l, r) => {
            let left = visit(l, x, offset);
            format!("{left}{c} {}", visit(r, x, offset))
        }
        Node::And(l, r) => {
            let left = visit(l, x, offset);
            format!("{left}AND {}", visit(r, x, offset))
        }
        Node::Or(l, r) => {
            let left = visit(l, x, offset);
            format!("{left}OR {}", visit(r, x, offset))
        }
        Node::Not(e) => format!("NOT {}", visit(e, x, offset)),
        Node::Sub(e) => format!("( {}) ", visit(e, x, offset)),
        Node::Function(name, args) => format!("{name}({}) ", sequence(args, x, offset)),
        Node::In(l, items) => {
            let left = visit(l, x, offset);
            format!("{left}IN ({}) ", sequence(items, x, offset))
        }
        Node::Between(a, b, c) => {
            let a = visit(a, x, offset);
            let b = visit(b, x, offset);
            format!("{a}BETWEEN {b}AND {}", visit(c, x, offset))
        }
        Node::Sequence(items) => sequence(items, x, offset),
    }
}

fn sequence(items: &[Node], x: &mut Extracted, offset: usize) -> String {
    items.iter().map(|n| visit(n, x, offset).trim().to_string()).collect::<Vec<_>>().join(", ")
}

/// Adds an expression and its substitutions to `input` under `key`; the number of substitutions.
fn add_expression(input: &mut Value, key: &str, words: &[String], offset: usize) -> CliResult<usize> {
    let x = extract(&words.join(" "), offset).map_err(CliError::Usage)?;
    input[key] = Value::String(x.expression);
    for (k, v) in &x.names {
        input["ExpressionAttributeNames"][k] = Value::String(v.clone());
    }
    for (k, v) in &x.values {
        input["ExpressionAttributeValues"][k] = v.to_attribute().map_err(CliError::Usage)?;
    }
    Ok(x.names.len() + x.values.len())
}

// ---------------------------------------------------------------------------------------------
// The commands.

const PUT_OPTS: &[Opt] = &[
    args::positional("table_name"),
    args::positional("items"),
    args::list("condition"),
    args::flag("return-consumed-capacity"),
    args::flag("no-return-consumed-capacity"),
];

/// `ddb put TABLE ITEMS [--condition …]`: PutItem for one item (or with a condition), else
/// BatchWriteItem in batches of 25, resending what comes back unprocessed.
pub fn put(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    let p = args::parse(argv, PUT_OPTS)?;
    let table = p.get("table_name").unwrap_or_default().to_string();
    let raw = p.get("items").unwrap_or_default();
    let text = if raw == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        s
    } else {
        raw.to_string()
    };
    let items = parse_items(&text).map_err(CliError::Usage)?;
    let items = items.iter().map(Item::to_item).collect::<Result<Vec<_>, _>>().map_err(CliError::Usage)?;
    let client = api::client(ctx, "dynamodb")?;
    let mut base = json!({});
    if p.has("condition") {
        add_expression(&mut base, "ConditionExpression", p.list("condition"), 0)?;
    }
    let capacity = if p.has("return-consumed-capacity") { "TOTAL" } else { "NONE" };
    if items.len() > 1 && !p.has("condition") {
        let mut requests: Vec<Value> =
            items.into_iter().map(|i| json!({"PutRequest": {"Item": i}})).collect();
        while !requests.is_empty() {
            let rest = requests.split_off(requests.len().min(25));
            let input =
                json!({"RequestItems": {table.as_str(): requests}, "ReturnConsumedCapacity": capacity});
            let out = client.call("BatchWriteItem", &input)?;
            requests = rest;
            if let Some(more) = out["UnprocessedItems"][table.as_str()].as_array() {
                requests.extend(more.iter().cloned());
            }
        }
    } else {
        if items.len() > 1 {
            return Err(CliError::Usage("--condition is not supported for multiple items".into()));
        }
        for item in items {
            let mut input = base.clone();
            input["TableName"] = Value::String(table.clone());
            input["Item"] = item;
            input["ReturnConsumedCapacity"] = Value::String(capacity.into());
            client.call("PutItem", &input)?;
        }
    }
    Ok(0)
}

const SELECT_OPTS: &[Opt] = &[
    args::positional("table_name"),
    args::value("index-name"),
    args::list("projection"),
    args::list("filter"),
    args::list("key-condition"),
    args::value("attributes"),
    args::flag("consistent-read"),
    args::flag("no-consistent-read"),
    args::flag("return-consumed-capacity"),
    args::flag("no-return-consumed-capacity"),
    args::value("max-items"),
    args::value("starting-token"),
    args::value("page-size"),
];

/// The input of `ddb select`: Query when a key condition is given, else Scan.
pub fn select_input(p: &args::Parsed) -> CliResult<(&'static str, Value)> {
    let mut input = json!({"TableName": p.get("table_name").unwrap_or_default()});
    // The last of --consistent-read / --no-consistent-read wins in v2; on by default.
    input["ConsistentRead"] = Value::Bool(!p.has("no-consistent-read") || p.has("consistent-read"));
    if let Some(i) = p.get("index-name") {
        input["IndexName"] = Value::String(i.into());
    }
    let mut count = 0;
    if p.has("projection") {
        count = add_expression(&mut input, "ProjectionExpression", p.list("projection"), count)?;
    }
    if p.has("filter") {
        count += add_expression(&mut input, "FilterExpression", p.list("filter"), count)?;
    }
    if p.has("key-condition") {
        add_expression(&mut input, "KeyConditionExpression", p.list("key-condition"), count)?;
    }
    if let Some(a) = p.get("attributes") {
        let select = match a {
            "ALL" => "ALL_ATTRIBUTES",
            "ALL_PROJECTED" => "ALL_PROJECTED_ATTRIBUTES",
            "COUNT" => "COUNT",
            _ => return Err(args::invalid_choice("attributes", &["ALL", "ALL_PROJECTED", "COUNT"])),
        };
        input["Select"] = Value::String(select.into());
    }
    input["ReturnConsumedCapacity"] = Value::String(
        match (p.has("return-consumed-capacity"), p.has("index-name")) {
            (true, true) => "INDEXES",
            (true, false) => "TOTAL",
            _ => "NONE",
        }
        .into(),
    );
    let op = if p.has("key-condition") { "Query" } else { "Scan" };
    Ok((op, input))
}

/// `ddb select TABLE [options]`: every page merged (or up to `--max-items`), printed as YAML.
pub fn select(ctx: &Session, argv: &[String]) -> CliResult<i32> {
    let p = args::parse(argv, SELECT_OPTS)?;
    if let Some(o) = ctx.globals.output.as_deref().filter(|o| *o != "yaml") {
        return Err(CliError::Usage(format!("{o} output format is not supported for ddb commands")));
    }
    let (op, input) = select_input(&p)?;
    let client = api::client(ctx, "dynamodb")?;
    let max_items = p.int("max-items")?.map(|n| n.max(0) as usize);
    let page_size = p.int("page-size")?;
    let paging = max_items.is_some() || page_size.is_some() || p.has("starting-token");
    let mut out = if ctx.globals.no_paginate {
        if paging {
            return Err(CliError::Usage(
                "Cannot specify --no-paginate along with pagination arguments: --max-items, --page-size, --starting-token"
                    .into(),
            ));
        }
        client.call(op, &input)?
    } else {
        client.paginate_all(op, &input, max_items, p.get("starting-token").map(str::to_string), page_size)?
    };
    if let Some(o) = out.as_object_mut() {
        if o.get("ConsumedCapacity").is_some_and(Value::is_null) {
            o.remove("ConsumedCapacity");
        }
        if let Some(items) = o.get_mut("Items").and_then(Value::as_array_mut) {
            for i in items.iter_mut() {
                *i = plain_item(i);
            }
        }
        if let Some(k) = o.get_mut("LastEvaluatedKey") {
            *k = plain_item(k);
        }
    }
    let text = match &ctx.globals.query {
        Some(q) => {
            let v = nubo_output::query::apply(q, &out)
                .map_err(|e| CliError::Usage(format!("Bad value for --query {q}: {}", e.0)))?;
            render_yaml(&v)
        }
        None => render_yaml(&out),
    };
    crate::print::write_out(ctx, &text)?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(x: &Extracted) -> Vec<(&str, &str)> {
        x.names.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
    }

    #[test]
    fn comparisons_and_functions() {
        let x = extract("a = 1 AND begins_with(b, \"x\")", 0).unwrap();
        assert_eq!(x.expression, "#n0 = :n1 AND begins_with(#n2, :n3)");
        assert_eq!(names(&x), [("#n0", "a"), ("#n2", "b")]);
        assert_eq!(x.values[0].1, Item::Number("1".into()));
        assert_eq!(x.values[1].1, Item::Str("x".into()));
    }

    #[test]
    fn projections_paths_and_offsets() {
        let x = extract("a, b.c, d[2]", 0).unwrap();
        assert_eq!(x.expression, "#n0, #n1.#n2, #n3[2]");
        let x = extract("a BETWEEN 1 AND 5 OR NOT (b IN (\"x\", \"y\"))", 4).unwrap();
        assert_eq!(x.expression, "#n4 BETWEEN :n5 AND :n6 OR NOT ( #n7 IN (:n8, :n9) )");
        let x = extract("a <> {1, 2} and 'my name' >= {\"k\": [true, null, b\"AAE=\"]}", 0).unwrap();
        assert_eq!(x.expression, "#n0 <> :n1 AND #n2 >= :n3");
        assert_eq!(x.values[0].1.to_attribute().unwrap(), json!({"NS": ["1", "2"]}));
        assert_eq!(
            x.values[1].1.to_attribute().unwrap(),
            json!({"M": {"k": {"L": [{"BOOL": true}, {"NULL": true}, {"B": "AAE="}]}}})
        );
        assert!(extract("", 0).is_err());
        assert!(extract("a = ", 0).is_err());
        assert!(extract("a = 1 )", 0).is_err());
    }

    #[test]
    fn yaml_items() {
        let items = parse_items("[{id: 1, name: x, ok: true, none: null, f: 1.5, l: [a, 2], b: !!binary AAE=, s: !!set {a, b}}, {id: 2}]").unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0].to_item().unwrap(),
            json!({"id": {"N": "1"}, "name": {"S": "x"}, "ok": {"BOOL": true}, "none": {"NULL": true},
                   "f": {"N": "1.5"}, "l": {"L": [{"S": "a"}, {"N": "2"}]}, "b": {"B": "AAE="},
                   "s": {"SS": ["a", "b"]}})
        );
        assert!(parse_items("[1]").unwrap()[0].to_item().is_err());
    }

    #[test]
    fn printed_values() {
        let item = json!({"a": {"N": "3"}, "b": {"N": "2.5"}, "c": {"B": "AAE="}, "d": {"NULL": true}});
        let text = render_yaml(&json!({"Items": [plain_item(&item)]}));
        assert_eq!(text, "Items:\n- a: 3\n  b: 2.5\n  c: !!binary \"AAE=\"\n  d: null\n");
        let item = json!({"n": {"NS": ["10", "2"]}, "s": {"SS": ["b", "a"]}});
        let text = render_yaml(&json!({"Items": [plain_item(&item)], "L": [plain(&json!({"SS": ["x"]}))]}));
        assert_eq!(
            text,
            "Items:\n- n: !!set\n    10: null\n    2: null\n  s: !!set\n    a: null\n    b: null\nL:\n- !!set\n  x: null\n"
        );
    }
}
