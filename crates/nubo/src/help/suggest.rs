//! "Did you mean" for mistyped names: the closest valid choices by the similarity ratio that the AWS
//! CLI uses (Python's `difflib.get_close_matches`, cutoff 0.8, at most three), and the error messages
//! that carry them in the CLI v2's words.

/// The Ratcliff/Obershelp similarity of two strings: twice the characters in matching blocks (the
/// longest common substring, then the same on both sides of it, recursively) over the total length.
pub fn ratio(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    2.0 * matching(&a, &b) as f64 / total as f64
}

fn matching(a: &[char], b: &[char]) -> usize {
    // Longest common substring, leftmost in `a` (then in `b`) on ties, as difflib finds it.
    let (mut best, mut best_i, mut best_j) = (0, 0, 0);
    let mut prev = vec![0usize; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            if ca == cb {
                cur[j + 1] = prev[j] + 1;
                let k = cur[j + 1];
                if k > best {
                    best = k;
                    best_i = i + 1 - k;
                    best_j = j + 1 - k;
                }
            }
        }
        prev = cur;
    }
    if best == 0 {
        return 0;
    }
    best + matching(&a[..best_i], &b[..best_j]) + matching(&a[best_i + best..], &b[best_j + best..])
}

/// Up to three choices at least 80% similar to `word`, best first (ties: the later choice first, as
/// difflib's heap orders them).
pub fn close_matches<'a>(word: &str, choices: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &'a str)> =
        choices.into_iter().map(|c| (ratio(c, word), c)).filter(|(r, _)| *r >= 0.8).collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| y.1.cmp(x.1)));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// The CLI v2's message for a name that is not one of `choices`: `argument <what>: Found invalid choice
/// '<value>'`, then the close matches if there are any.
pub fn invalid_choice<'a>(what: &str, value: &str, choices: impl IntoIterator<Item = &'a str>) -> String {
    let mut msg = format!("argument {what}: Found invalid choice '{value}'");
    let close = close_matches(value, choices);
    if !close.is_empty() {
        msg.push_str(&format!("\n\nInvalid choice: '{value}', maybe you meant:\n"));
        for c in close {
            msg.push_str(&format!("\n  * {c}"));
        }
    }
    msg
}

/// The usage error for an unknown service command, with the closest service and command names; any
/// other error unchanged.
pub fn unknown_command(
    ctx: &nubo_session::Session,
    command: &str,
    e: crate::error::CliError,
) -> crate::error::CliError {
    use crate::error::CliError;
    match &e {
        CliError::Usage(m) if m.starts_with("argument command: Invalid choice") => {
            let names = crate::completion::commands(ctx);
            CliError::Usage(invalid_choice("command", command, names.iter().map(String::as_str)))
        }
        _ => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_matches_difflib() {
        // Values from Python (get_close_matches with cutoff=0.8, as the CLI calls it): difflib.SequenceMatcher(None, a, b).ratio().
        assert!((ratio("describe-instance", "describe-instances") - 0.9714285714285714).abs() < 1e-12);
        assert!((ratio("abcd", "bcde") - 0.75).abs() < 1e-12);
        assert_eq!(ratio("", ""), 1.0);
        assert_eq!(ratio("abc", "xyz"), 0.0);
    }

    #[test]
    fn close_matches_best_first() {
        let choices = ["describe-instances", "describe-images", "run-instances", "describe-instance-status"];
        assert_eq!(
            close_matches("describe-instance", choices),
            ["describe-instances", "describe-instance-status"]
        );
        assert!(close_matches("zzz", choices).is_empty());
    }

    #[test]
    fn message_lists_the_matches() {
        let m = invalid_choice("operation", "describe-instance", ["describe-instances", "start-instances"]);
        assert_eq!(
            m,
            "argument operation: Found invalid choice 'describe-instance'\n\n\
             Invalid choice: 'describe-instance', maybe you meant:\n\n  * describe-instances"
        );
        assert_eq!(invalid_choice("command", "zz", ["ec2"]), "argument command: Found invalid choice 'zz'");
    }
}
