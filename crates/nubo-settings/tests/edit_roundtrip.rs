//! Property test: config edit → parse. Random values set with `configure set`'s editor into random
//! existing files are read back by the parser exactly, and every other profile keeps its values.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

use nubo_settings::edit::{SectionName, apply_values};
use nubo_settings::parse::{FileKind, ParsedFile, parse};
use nubo_settings::profiles::merge;
use proptest::prelude::*;
use std::path::Path;

fn read(text: &str) -> nubo_settings::profiles::ProfileSet {
    let config = parse(text, FileKind::Config, Path::new("config")).unwrap();
    merge(config, ParsedFile::empty(Path::new("credentials"), FileKind::Credentials))
}

proptest! {
    #[test]
    fn values_set_are_read_back(
        others in prop::collection::vec(("[a-z][a-z0-9]{0,6}", "[a-z_]{1,8}", "[A-Za-z0-9/+=:._-]{1,12}"), 0..4),
        profile in "[a-z][a-z0-9-]{0,8}",
        key in "[a-z][a-z_]{0,12}",
        value in "[A-Za-z0-9/+=:._-][A-Za-z0-9/+=:._ -]{0,20}[A-Za-z0-9/+=:._-]",
    ) {
        // An existing file with other profiles (and a comment).
        let mut text = String::from("# kept\n");
        for (name, k, v) in &others {
            if *name != profile {
                text.push_str(&format!("[profile {name}]\n{k} = {v}\n"));
            }
        }
        let before = read(&text);
        let edited = apply_values(&text, FileKind::Config, &SectionName::Profile(profile.clone()), &[(&key, &value)]).unwrap();
        prop_assert!(edited.starts_with("# kept\n"));
        let after = read(&edited);
        let name = if profile == "default" { "default" } else { profile.as_str() };
        prop_assert_eq!(after.profile(name).unwrap().get(&key), Some(value.as_str()), "{}", edited);
        for (name, section) in &before.profiles {
            for (k, _) in section.properties.iter() {
                prop_assert_eq!(after.profile(name).unwrap().get(k), section.get(k));
            }
        }
    }
}
