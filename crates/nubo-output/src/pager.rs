//! The pager: output goes through it only when standard output is a terminal, as in the AWS CLI v2.

use std::io::{IsTerminal, Write};

/// Writes `text` to standard output, through `pager` (a shell command line) when standard output is a
/// terminal and `pager` is set and not empty; `less_env` is the `LESS` value the pager gets.
pub fn write(text: &str, pager: Option<&str>, less_env: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout();
    let pager = pager.filter(|p| !p.trim().is_empty());
    let Some(pager) = pager.filter(|_| !text.is_empty() && stdout.is_terminal()) else {
        return stdout.write_all(text.as_bytes());
    };
    let child = std::process::Command::new("sh")
        .arg("-c")
        .arg(pager)
        .env("LESS", less_env)
        .stdin(std::process::Stdio::piped())
        .spawn();
    match child {
        Ok(mut child) => {
            if let Some(mut input) = child.stdin.take() {
                // A pager that quits early closes its input: not an error for us.
                let _ = input.write_all(text.as_bytes());
            }
            let _ = child.wait();
            Ok(())
        }
        Err(_) => stdout.write_all(text.as_bytes()),
    }
}
