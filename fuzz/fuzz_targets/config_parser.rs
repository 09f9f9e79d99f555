//! Fuzz target: the config and credentials file parser of nubo-settings (the profile file format),
//! and `configure set`'s editor on what parses.
#![no_main]

use nubo_settings::parse::{FileKind, parse};
use std::path::Path;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for kind in [FileKind::Config, FileKind::Credentials] {
        if let Err(e) = parse(text, kind, Path::new("fuzz")) {
            // The message names the file and line, never the line's text (it may hold a secret).
            let shown = e.to_string();
            assert!(shown.starts_with("Unable to"), "{shown}");
        }
    }
});
