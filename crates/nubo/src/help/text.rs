//! Turning the bundled documentation into terminal text: the models' HTML through `html2text`, the CLI's
//! reStructuredText examples by a small line-based pass, both wrapped to the width they are given and
//! indented as the help page's sections are.

/// The models' HTML as plain text wrapped to `width` columns, each line indented by `indent` spaces.
pub fn html(doc: &str, width: usize, indent: usize) -> String {
    let wrap = width.saturating_sub(indent).max(20);
    let text = html2text::config::plain_no_decorate()
        .link_footnotes(false)
        .string_from_read(doc.as_bytes(), wrap)
        .unwrap_or_else(|_| doc.to_string());
    indent_lines(text.trim_end(), indent)
}

/// Every line of `text` with `indent` spaces before it (empty lines stay empty); ends with a newline.
pub fn indent_lines(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.lines() {
        if !line.trim().is_empty() {
            out.push_str(&pad);
            out.push_str(line.trim_end());
        }
        out.push('\n');
    }
    out
}

/// Wraps plain text (one paragraph per line) to `width`, indented by `indent` spaces.
pub fn wrap(text: &str, width: usize, indent: usize) -> String {
    let room = width.saturating_sub(indent).max(10);
    let mut out = String::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
                out.push_str(&format!("{}{line}\n", " ".repeat(indent)));
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            out.push_str(&format!("{}{line}\n", " ".repeat(indent)));
        } else {
            out.push('\n');
        }
    }
    out
}

/// The CLI's example files (reStructuredText) as terminal text: `aws` becomes `nubo` only where it is
/// the command name at the start of a command line, inline markup is dropped (``code``, **bold**,
/// `links <url>`_), `::` literal-block markers are folded into their paragraph, section underlines are
/// removed, and prose is wrapped to `width` while literal blocks keep their lines.
pub fn rst(text: &str, width: usize, indent: usize) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut para = String::new();
    let flush = |para: &mut String, out: &mut String| {
        if !para.is_empty() {
            out.push_str(&wrap(para, width, indent));
            out.push('\n');
            para.clear();
        }
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let next = lines.get(i + 1).copied().unwrap_or("");
        let is_underline = |l: &str| {
            let t = l.trim();
            t.len() >= 3 && t.chars().all(|c| "=-~^*+#".contains(c))
        };
        if is_underline(line) {
            i += 1;
            continue;
        }
        if line.trim().is_empty() {
            flush(&mut para, &mut out);
            i += 1;
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            // A literal block (or an indented paragraph): keep its lines.
            flush(&mut para, &mut out);
            while i < lines.len() && (lines[i].starts_with(' ') || lines[i].trim().is_empty()) {
                let l = lines[i];
                if l.trim().is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("{}{}\n", " ".repeat(indent), command_name(l.trim_end())));
                }
                i += 1;
            }
            continue;
        }
        if is_underline(next) && !line.trim().is_empty() {
            // A section title.
            flush(&mut para, &mut out);
            out.push_str(&format!("{}{}\n\n", " ".repeat(indent), inline(line.trim())));
            i += 2;
            continue;
        }
        if !para.is_empty() {
            para.push(' ');
        }
        para.push_str(&inline(line.trim()));
        i += 1;
    }
    flush(&mut para, &mut out);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// `aws ` at the start of a (possibly prompt-prefixed) command line becomes `nubo `.
fn command_name(line: &str) -> String {
    let trimmed = line.trim_start();
    let lead = &line[..line.len() - trimmed.len()];
    for prefix in ["aws ", "$ aws ", "> aws "] {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            return format!("{lead}{}nubo {rest}", &prefix[..prefix.len() - 4]);
        }
    }
    line.to_string()
}

/// Drops reStructuredText inline markup from one line of prose.
fn inline(line: &str) -> String {
    let mut s = line.replace("``", "").replace("**", "");
    // `text <url>`_ → text (url); `text`_ → text
    while let Some(start) = s.find('`') {
        let Some(len) = s[start + 1..].find('`') else { break };
        let inner = s[start + 1..start + 1 + len].to_string();
        let mut end = start + 1 + len + 1;
        while s[end..].starts_with('_') {
            end += 1;
        }
        let shown = match inner.rsplit_once(" <") {
            Some((text, url)) => format!("{text} ({})", url.trim_end_matches('>')),
            None => inner,
        };
        s.replace_range(start..end, &shown);
    }
    if let Some(stripped) = s.strip_suffix("::") {
        s = format!("{}:", stripped.trim_end());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_wrapped_and_indented() {
        let t =
            html("<p>The <code>InstanceId</code> of the instance, which is long enough to wrap.</p>", 30, 4);
        assert!(t.lines().all(|l| l.is_empty() || (l.starts_with("    ") && l.len() <= 30)), "{t}");
        assert!(t.contains("InstanceId"));
        assert!(!t.contains('<'));
    }

    #[test]
    fn rst_examples_become_text() {
        let src = "**To describe an instance**\n\nThe following ``describe-instances`` example shows `docs <https://x>`__.::\n\n    aws ec2 describe-instances \\\n        --instance-ids i-1\n\nOutput::\n\n    {\n        \"A\": 1\n    }\n";
        let t = rst(src, 80, 2);
        assert!(t.contains("  To describe an instance\n"), "{t}");
        assert!(t.contains("The following describe-instances example shows docs (https://x).:"), "{t}");
        assert!(t.contains("      nubo ec2 describe-instances \\\n"), "{t}");
        assert!(t.contains("          --instance-ids i-1\n"), "{t}");
        assert!(t.contains("  Output:\n"), "{t}");
    }

    #[test]
    fn wrap_keeps_words_whole() {
        assert_eq!(wrap("aaa bbb ccc", 30, 20), format!("{0}aaa bbb\n{0}ccc\n", " ".repeat(20)));
    }
}
