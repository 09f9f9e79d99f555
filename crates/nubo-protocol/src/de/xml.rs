//! A small XML element tree built with quick-xml, in the form the response walkers need: element
//! names without namespace prefixes, attributes by qualified name, children in document order, and
//! the element's own text (entities and character references resolved, CDATA included, line ends
//! normalized as XML requires). Comments, processing instructions and declarations are dropped.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// Nesting deeper than this is refused rather than risking the stack in the shape walkers.
const MAX_DEPTH: usize = 256;

/// One element.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    /// The local name (`Error` for `<s3:Error>`).
    pub name: String,
    /// Attributes by qualified name (`xsi:type`), namespace declarations included.
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// All character data directly inside this element.
    pub text: String,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child named `name`, in order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The value of the attribute written `name` (`test`, `xsi:type`); a prefixed name also matches
    /// the same local name under another prefix, as namespace prefixes are not significant.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        if let Some((_, v)) = self.attributes.iter().find(|(k, _)| k == name) {
            return Some(v);
        }
        let local = local_part(name);
        self.attributes
            .iter()
            .find(|(k, _)| {
                k.contains(':') && !k.starts_with("xmlns") && local_part(k) == local && name.contains(':')
            })
            .map(|(_, v)| v.as_str())
    }
}

fn local_part(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

/// Parse a document into its root element.
pub fn parse(body: &[u8]) -> Result<Element, String> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let text = String::from_utf8_lossy(body);
    let mut reader = Reader::from_str(&text);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader.read_event().map_err(|e| format!("invalid XML: {e}"))?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err("invalid XML: content after the document element".into());
                }
                if stack.len() >= MAX_DEPTH {
                    return Err("invalid XML: elements nested too deeply".into());
                }
                stack.push(open(&start)?);
            }
            Event::Empty(start) => {
                if root.is_some() {
                    return Err("invalid XML: content after the document element".into());
                }
                let element = open(&start)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::End(_) => {
                let element = stack.pop().ok_or("invalid XML: unexpected end tag")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    let raw = String::from_utf8_lossy(&t);
                    let normalized = normalize_line_ends(&raw);
                    let unescaped =
                        quick_xml::escape::unescape(&normalized).map_err(|e| format!("invalid XML: {e}"))?;
                    top.text.push_str(&unescaped);
                }
            }
            Event::CData(c) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&normalize_line_ends(&String::from_utf8_lossy(&c)));
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err("invalid XML: unclosed element".into());
    }
    root.ok_or_else(|| "invalid XML: no element found".into())
}

fn open(start: &BytesStart<'_>) -> Result<Element, String> {
    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let mut attributes = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| format!("invalid XML attribute: {e}"))?;
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = attr.unescape_value().map_err(|e| format!("invalid XML attribute: {e}"))?;
        attributes.push((key, value.into_owned()));
    }
    Ok(Element { name, attributes, children: Vec::new(), text: String::new() })
}

/// XML processors turn `\r\n` and lone `\r` into `\n` before anything else (character references
/// such as `&#xD;` still give a carriage return).
fn normalize_line_ends(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.contains('\r') { raw.replace("\r\n", "\n").replace('\r', "\n").into() } else { raw.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_tree_without_prefixes() {
        let root = parse(
            br#"<?xml version="1.0"?><s3:Root xmlns:s3="u" a="1"><!-- c --><s3:A>x &amp; y&#xD;&#10;</s3:A><B/><![CDATA[<z>]]></s3:Root>"#,
        )
        .unwrap();
        assert_eq!(root.name, "Root");
        assert_eq!(root.attribute("a"), Some("1"));
        assert_eq!(root.child("A").unwrap().text, "x & y\r\n");
        assert_eq!(root.child("B").unwrap().text, "");
        assert_eq!(root.text, "<z>");
    }

    #[test]
    fn attributes_match_across_prefixes() {
        let root =
            parse(br#"<G xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"/>"#)
                .unwrap();
        assert_eq!(root.attribute("xsi:type"), Some("CanonicalUser"));
        assert_eq!(root.attribute("foo:type"), Some("CanonicalUser"));
        assert_eq!(root.attribute("type"), None);
    }

    #[test]
    fn line_ends_are_normalized() {
        assert_eq!(parse(b"<a>1\r\n2\r3</a>").unwrap().text, "1\n2\n3");
    }

    #[test]
    fn malformed_documents_are_errors() {
        for doc in [
            &b""[..],
            b"<a>",
            b"<a></b>",
            b"</a>",
            b"<a/><b/>",
            b"<a>&bogus;</a>",
            b"not xml",
            b"<a x='1' x='2'/>",
        ] {
            assert!(parse(doc).is_err(), "{}", String::from_utf8_lossy(doc));
        }
        let deep = "<a>".repeat(1000) + &"</a>".repeat(1000);
        assert!(parse(deep.as_bytes()).is_err());
    }
}
