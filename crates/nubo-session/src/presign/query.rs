//! The query string of a presigned URL in the form the AWS SDK for Python writes it: the request's
//! own query parameters (decoded, one value per name, in first-seen order), then a form-encoded body
//! moved into the query, every name and value percent-encoded except `A-Z a-z 0-9 - _ . ~`.

/// Decoded `name=value` pairs, in order.
pub type Pairs = Vec<(String, String)>;

/// Parses a query string or form body: `&`-separated, `+` is a space, `%XX` escapes decoded as
/// UTF-8 (invalid sequences become U+FFFD); a piece without `=` has an empty value; empty pieces
/// are skipped.
pub fn parse(text: &str) -> Pairs {
    text.split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// Merges `extra` into `base` as a dictionary update: a name already present keeps its place and
/// takes the new value; a new name goes last. `base` keeps only the first value of a repeated name.
pub fn merge(base: Pairs, extra: Pairs) -> Pairs {
    let mut out: Pairs = Vec::with_capacity(base.len() + extra.len());
    for (name, value) in base {
        if !out.iter().any(|(n, _)| *n == name) {
            out.push((name, value));
        }
    }
    for (name, value) in extra {
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => out.push((name, value)),
        }
    }
    out
}

/// `name=value&...`, both percent-encoded.
pub fn encode(pairs: &Pairs) -> String {
    pairs
        .iter()
        .map(|(n, v)| format!("{}={}", nubo_uri::encode(n), nubo_uri::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if let (Some(h), Some(l)) = (hex_at(bytes, i + 1), hex_at(bytes, i + 2)) => {
                out.push(h * 16 + l);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_at(bytes: &[u8], i: usize) -> Option<u8> {
    bytes.get(i).and_then(|b| (*b as char).to_digit(16)).map(|d| d as u8)
}

/// Splits `url` into the part before the query and the query (without `?`).
pub fn split_url(url: &str) -> (&str, &str) {
    url.split_once('?').unwrap_or((url, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_a_form() {
        assert_eq!(
            parse("a=1&b&&c=x+y%2Fz&a=2&d=%zz"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "".into()),
                ("c".into(), "x y/z".into()),
                ("a".into(), "2".into()),
                ("d".into(), "%zz".into()),
            ]
        );
        assert_eq!(parse("e=%C3%BC%FF")[0].1, "ü\u{FFFD}");
        assert_eq!(parse("t=%4"), vec![("t".into(), "%4".into())]);
    }

    #[test]
    fn merges_as_a_dictionary() {
        let base = parse("a=1&b=2&a=3");
        let merged = merge(base, parse("b=x&c=y"));
        assert_eq!(encode(&merged), "a=1&b=x&c=y");
    }

    #[test]
    fn encodes_all_but_unreserved() {
        let pairs = vec![("uploads".into(), String::new()), ("k".into(), "a b/ü~*'".into())];
        assert_eq!(encode(&pairs), "uploads=&k=a%20b%2F%C3%BC~%2A%27");
    }
}
