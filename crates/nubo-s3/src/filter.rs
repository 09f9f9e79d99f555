//! `--exclude` / `--include` as the CLI applies them: every filter is tried in order and the last
//! one that matches decides; a path no filter matches is included. Patterns are fnmatch-style
//! (`*` also matches `/`), matched against the path relative to the command's source or
//! destination root.

/// True when `rel` survives the filters.
pub fn included(filters: &[(bool, String)], rel: &str) -> bool {
    let mut keep = true;
    for (include, pattern) in filters {
        if fnmatch(pattern.as_bytes(), rel.as_bytes()) {
            keep = *include;
        }
    }
    keep
}

/// Python's `fnmatch.fnmatch` on POSIX (case-sensitive): `*`, `?`, `[seq]`, `[!seq]`.
pub fn fnmatch(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() {
            match p[pi] {
                b'*' => {
                    star = Some((pi, si));
                    pi += 1;
                    continue;
                }
                b'?' => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                b'[' => {
                    if let Some((matched, next)) = class(p, pi, s[si]) {
                        if matched {
                            pi = next;
                            si += 1;
                            continue;
                        }
                    } else if s[si] == b'[' {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                }
                c if c == s[si] => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, ss)) => {
                pi = sp + 1;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|c| *c == b'*')
}

/// Matches `c` against the class starting at `p[start] == '['`: `(matched, index after ']')`, or
/// `None` when the class is not closed (then `[` is literal).
fn class(p: &[u8], start: usize, c: u8) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = p.get(i) == Some(&b'!');
    if negate {
        i += 1;
    }
    let first = i;
    let mut matched = false;
    while i < p.len() && (p[i] != b']' || i == first) {
        if i + 2 < p.len() && p[i + 1] == b'-' && p[i + 2] != b']' {
            if p[i] <= c && c <= p[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if p[i] == c {
                matched = true;
            }
            i += 1;
        }
    }
    if i >= p.len() {
        return None;
    }
    Some((matched != negate, i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnmatch_like_python() {
        let m = |p: &str, s: &str| fnmatch(p.as_bytes(), s.as_bytes());
        assert!(m("*.txt", "a/b.txt"));
        assert!(m("*", ""));
        assert!(!m("*.txt", "a.txt.gz"));
        assert!(m("a?c", "abc"));
        assert!(m("[a-c]x", "bx"));
        assert!(!m("[!a-c]x", "bx"));
        assert!(m("dir/*", "dir/sub/file"));
        assert!(m("[x", "[x"));
    }

    #[test]
    fn last_matching_filter_wins() {
        let f = vec![(false, "*".to_string()), (true, "*.txt".to_string())];
        assert!(included(&f, "a.txt"));
        assert!(!included(&f, "a.bin"));
        assert!(included(&[], "x"));
        let g = vec![(true, "*.txt".to_string()), (false, "*".to_string())];
        assert!(!included(&g, "a.txt"));
    }
}
