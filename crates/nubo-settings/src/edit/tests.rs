//! Editor tests: byte-for-byte preservation, placement of new keys and sections, dotted keys,
//! validation, and the on-disk guarantees (modes, no stray files).

use super::*;
use crate::parse::ParsedFile;
use crate::parse::parse;
use crate::profiles::{Section, merge};
use std::fs;

fn profile(name: &str) -> SectionName {
    SectionName::Profile(name.into())
}

fn cfg(text: &str, section: &SectionName, values: &[(&str, &str)]) -> String {
    apply_values(text, FileKind::Config, section, values).unwrap()
}

fn creds(text: &str, section: &SectionName, values: &[(&str, &str)]) -> String {
    apply_values(text, FileKind::Credentials, section, values).unwrap()
}

fn read_back(text: &str, kind: FileKind) -> crate::profiles::ProfileSet {
    let parsed = parse(text, kind, Path::new("f")).unwrap();
    match kind {
        FileKind::Config => merge(parsed, ParsedFile::empty(Path::new("k"), FileKind::Credentials)),
        FileKind::Credentials => merge(ParsedFile::empty(Path::new("c"), FileKind::Config), parsed),
    }
}

const SAMPLE: &str = "# top comment\n\
[default]\n\
region = us-east-1 ; mine\n\
output=json\n\
\n\
; about dev\n\
[profile dev]\n\
region = eu-west-1\n\
s3 =\n  max_concurrent_requests = 10\n\tmultipart_threshold = 64MB\n\
\n\
# trailing comment of dev\n\
\n\
[profile prod]\n\
role_arn = arn:aws:iam::1:role/x\n";

#[test]
fn update_in_place_keeps_everything_else() {
    let out = cfg(SAMPLE, &profile("dev"), &[("region", "ap-south-1")]);
    assert_eq!(out, SAMPLE.replace("region = eu-west-1", "region = ap-south-1"));
}

#[test]
fn update_default_replaces_whole_line() {
    let out = cfg(SAMPLE, &profile("default"), &[("region", "x")]);
    assert_eq!(out, SAMPLE.replace("region = us-east-1 ; mine", "region = x"));
}

#[test]
fn new_key_goes_after_last_property_before_trailing_blanks_and_comments() {
    let out = cfg(SAMPLE, &profile("dev"), &[("output", "text")]);
    let expected =
        SAMPLE.replace("multipart_threshold = 64MB\n", "multipart_threshold = 64MB\noutput = text\n");
    assert_eq!(out, expected);
    let out = cfg(SAMPLE, &profile("default"), &[("cli_pager", "")]);
    assert_eq!(out, SAMPLE.replace("output=json\n", "output=json\ncli_pager = \n"));
}

#[test]
fn new_key_in_empty_section_goes_after_header() {
    let text = "[profile a]\n# note\n\n[profile b]\n";
    assert_eq!(cfg(text, &profile("a"), &[("k", "v")]), "[profile a]\nk = v\n# note\n\n[profile b]\n");
}

#[test]
fn new_section_at_end() {
    let out = cfg(SAMPLE, &profile("new"), &[("region", "r"), ("output", "json")]);
    assert_eq!(out, format!("{SAMPLE}[profile new]\nregion = r\noutput = json\n"));
    assert_eq!(
        cfg("[default]\nk = v", &profile("x"), &[("a", "b")]),
        "[default]\nk = v\n[profile x]\na = b\n"
    );
    assert_eq!(cfg("", &profile("default"), &[("a", "b")]), "[default]\na = b\n");
    assert_eq!(creds("", &profile("default"), &[("a", "b")]), "[default]\na = b\n");
    assert_eq!(creds("", &profile("dev"), &[("a", "b")]), "[dev]\na = b\n");
    assert_eq!(cfg("", &SectionName::SsoSession("s".into()), &[("a", "b")]), "[sso-session s]\na = b\n");
    assert_eq!(
        cfg("", &SectionName::Services("v".into()), &[("s3.endpoint_url", "u")]),
        "[services v]\ns3 =\n    endpoint_url = u\n"
    );
    assert_eq!(cfg("", &profile("e"), &[]), "[profile e]\n");
}

#[test]
fn credentials_file_headers() {
    let text = "[profile dev]\nk = 1\n[dev]\nk = 2\n";
    assert_eq!(creds(text, &profile("dev"), &[("k", "3")]), "[profile dev]\nk = 1\n[dev]\nk = 3\n");
    // In the config file `[dev]` is not a profile.
    assert_eq!(cfg("[dev]\nk = 2\n", &profile("dev"), &[("k", "3")]), "[dev]\nk = 2\n[profile dev]\nk = 3\n");
}

#[test]
fn profile_default_wins_over_bare_default_in_config() {
    let text = "[default]\na = 1\n[profile default]\nb = 2\n";
    let out = cfg(text, &profile("default"), &[("a", "9")]);
    assert_eq!(out, "[default]\na = 1\n[profile default]\nb = 2\na = 9\n");
    assert_eq!(read_back(&out, FileKind::Config).profile("default").unwrap().get("a"), Some("9"));
}

#[test]
fn headers_are_matched_as_the_parser_reads_them() {
    let text = "[ profile\tdev ] ; comment\nk = 1\n";
    assert_eq!(cfg(text, &profile("dev"), &[("k", "2")]), "[ profile\tdev ] ; comment\nk = 2\n");
    // A commented-out header is not a section.
    let text = "# [profile dev]\n";
    assert_eq!(cfg(text, &profile("dev"), &[("k", "2")]), "# [profile dev]\n[profile dev]\nk = 2\n");
}

#[test]
fn keys_match_case_insensitively_and_all_duplicates_update() {
    let text = "[profile a]\nRegion = 1\nregion = 2\n[profile a]\nREGION = 3\n";
    let out = cfg(text, &profile("a"), &[("region", "x")]);
    assert_eq!(out, "[profile a]\nregion = x\nregion = x\n[profile a]\nregion = x\n");
}

#[test]
fn new_key_goes_to_first_matching_section() {
    let text = "[profile a]\nx = 1\n[profile b]\n[profile a]\ny = 2\n";
    assert_eq!(
        cfg(text, &profile("a"), &[("z", "3")]),
        "[profile a]\nx = 1\nz = 3\n[profile b]\n[profile a]\ny = 2\n"
    );
}

#[test]
fn continuation_lines_of_an_old_value_are_removed() {
    let text = "[profile a]\nk = first\n  second\n\n  third\nnext = 1\n";
    assert_eq!(cfg(text, &profile("a"), &[("k", "new")]), "[profile a]\nk = new\n\nnext = 1\n");
}

#[test]
fn dotted_keys_update_and_add_sub_properties() {
    let out = cfg(
        SAMPLE,
        &profile("dev"),
        &[("s3.max_concurrent_requests", "20"), ("s3.addressing_style", "path")],
    );
    let expected = SAMPLE.replace(
        "  max_concurrent_requests = 10\n\tmultipart_threshold = 64MB\n",
        "  max_concurrent_requests = 20\n\tmultipart_threshold = 64MB\n    addressing_style = path\n",
    );
    assert_eq!(out, expected);
    let set = read_back(&out, FileKind::Config);
    let dev = set.profile("dev").unwrap();
    assert_eq!(dev.get_sub("s3", "max_concurrent_requests"), Some("20"));
    assert_eq!(dev.get_sub("s3", "addressing_style"), Some("path"));
    assert_eq!(dev.get_sub("s3", "multipart_threshold"), Some("64MB"));
}

#[test]
fn dotted_key_creates_the_parent_line() {
    let out = cfg(SAMPLE, &profile("prod"), &[("s3.max_bandwidth", "50MB/s"), ("region", "r")]);
    assert_eq!(out, format!("{SAMPLE}s3 =\n    max_bandwidth = 50MB/s\nregion = r\n"));
}

#[test]
fn new_sub_property_and_new_key_after_the_same_line_stay_in_the_block() {
    let text = "[profile a]\ns3 =\n  x = 1\n";
    let out = cfg(text, &profile("a"), &[("region", "r"), ("s3.y", "2")]);
    assert_eq!(out, "[profile a]\ns3 =\n  x = 1\n    y = 2\nregion = r\n");
    assert_eq!(read_back(&out, FileKind::Config).profile("a").unwrap().get_sub("s3", "y"), Some("2"));
}

#[test]
fn dotted_key_turns_a_plain_value_into_a_block() {
    let text = "[profile a]\ns3 = oops\n  more\nregion = r\n";
    assert_eq!(cfg(text, &profile("a"), &[("s3.x", "1")]), "[profile a]\ns3 =\n    x = 1\nregion = r\n");
}

#[test]
fn plain_value_replaces_a_block() {
    let text = "[profile a]\ns3 =\n  x = 1\nregion = r\n";
    assert_eq!(cfg(text, &profile("a"), &[("s3", "flat")]), "[profile a]\ns3 = flat\nregion = r\n");
}

#[test]
fn crlf_files_stay_crlf() {
    let text = "[default]\r\nregion = a\r\n";
    let out = cfg(text, &profile("default"), &[("region", "b"), ("output", "json")]);
    assert_eq!(out, "[default]\r\nregion = b\r\noutput = json\r\n");
    let out = cfg(text, &profile("x"), &[("k", "v")]);
    assert_eq!(out, "[default]\r\nregion = a\r\n[profile x]\r\nk = v\r\n");
}

#[test]
fn missing_final_newline_is_added_only_where_needed() {
    assert_eq!(
        cfg("[default]\nregion = a", &profile("default"), &[("region", "b")]),
        "[default]\nregion = b"
    );
    assert_eq!(
        cfg("[default]\nregion = a", &profile("default"), &[("k", "v")]),
        "[default]\nregion = a\nk = v\n"
    );
    assert_eq!(cfg("[default]", &profile("default"), &[("k", "v")]), "[default]\nk = v\n");
}

#[test]
fn unicode_and_malformed_lines_are_kept() {
    let text = "[default]\nnäme = 1\nthis line is junk\n[profile é]\nk = ü\n";
    let out = cfg(text, &profile("default"), &[("k", "ü2")]);
    assert_eq!(out, "[default]\nnäme = 1\nk = ü2\nthis line is junk\n[profile é]\nk = ü\n");
}

#[test]
fn later_values_for_the_same_key_win() {
    assert_eq!(
        cfg("", &profile("a"), &[("k", "1"), ("K", "2"), ("s3.x", "1"), ("s3.x", "3")]),
        "[profile a]\nk = 2\ns3 =\n    x = 3\n"
    );
}

#[test]
fn invalid_requests_are_errors_without_values() {
    let e = apply_values("", FileKind::Config, &profile("a"), &[("aws_secret_access_key", "SECRET\nX")])
        .unwrap_err();
    assert!(e.to_string().contains("aws_secret_access_key"), "{e}");
    assert!(!e.to_string().contains("SECRET"), "{e}");
    assert!(apply_values("", FileKind::Config, &profile("a"), &[("k", "a\rb")]).is_err());
    assert!(apply_values("", FileKind::Config, &profile("a b"), &[("k", "v")]).is_err());
    assert!(apply_values("", FileKind::Config, &profile("a]\n[b"), &[("k", "v")]).is_err());
    assert!(apply_values("", FileKind::Config, &profile(""), &[("k", "v")]).is_err());
    assert!(apply_values("", FileKind::Config, &profile("a"), &[("bad key", "v")]).is_err());
    assert!(apply_values("", FileKind::Config, &profile("a"), &[("k=", "v")]).is_err());
    assert!(apply_values("", FileKind::Config, &profile("a"), &[("s3.", "v")]).is_err());
    assert!(apply_values("", FileKind::Config, &profile("a"), &[("s3", "v"), ("s3.x", "v")]).is_err());
    let e = apply_values("", FileKind::Credentials, &SectionName::SsoSession("s".into()), &[]).unwrap_err();
    assert!(e.to_string().contains("config file"), "{e}");
}

#[test]
fn edited_files_parse_to_the_requested_values() {
    let out = cfg(SAMPLE, &profile("prod"), &[("region", "r1"), ("s3.max_queue_size", "100")]);
    let before = read_back(SAMPLE, FileKind::Config);
    let after = read_back(&out, FileKind::Config);
    assert_eq!(before.profile("dev"), after.profile("dev"));
    assert_eq!(before.profile("default"), after.profile("default"));
    let prod = after.profile("prod").unwrap();
    assert_eq!(prod.get("region"), Some("r1"));
    assert_eq!(prod.get_sub("s3", "max_queue_size"), Some("100"));
    assert_eq!(prod.get("role_arn"), Some("arn:aws:iam::1:role/x"));
}

fn dir_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn set_values_on_disk_creates_private_dir_and_file() {
    let home = tempfile::tempdir().unwrap();
    let aws = home.path().join(".aws");
    let path = aws.join("credentials");
    set_values(&path, FileKind::Credentials, &profile("default"), &[("aws_access_key_id", "AK")]).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "[default]\naws_access_key_id = AK\n");
    assert_eq!(dir_names(&aws), ["credentials"], "no temporary or lock files left behind");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::metadata(&aws).unwrap().permissions().mode() & 0o777, 0o700);
    }
    set_values(&path, FileKind::Credentials, &profile("dev"), &[("aws_access_key_id", "AK2")]).unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "[default]\naws_access_key_id = AK\n[dev]\naws_access_key_id = AK2\n"
    );
    assert_eq!(dir_names(&aws), ["credentials"]);
}

#[cfg(unix)]
#[test]
fn set_values_keeps_an_existing_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    for mode in [0o644, 0o640, 0o600, 0o400] {
        let path = dir.path().join(format!("config{mode:o}"));
        fs::write(&path, "[default]\nregion = a\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        set_values(&path, FileKind::Config, &profile("default"), &[("region", "b")]).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "[default]\nregion = b\n");
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o7777, mode);
    }
}

#[test]
fn set_values_reports_unreadable_files_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    fs::create_dir(&path).unwrap();
    let e = set_values(&path, FileKind::Config, &profile("a"), &[("k", "v")]).unwrap_err();
    assert!(e.to_string().contains(&path.display().to_string()), "{e}");
    fs::remove_dir(&path).unwrap();
    fs::write(&path, b"[default]\nk = \xff\n").unwrap();
    let e = set_values(&path, FileKind::Config, &profile("a"), &[("k", "v")]).unwrap_err();
    assert!(e.to_string().contains("not valid UTF-8"), "{e}");
    assert_eq!(fs::read(&path).unwrap(), b"[default]\nk = \xff\n");
}

/// A small deterministic generator (xorshift), so the property check needs no extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

#[test]
fn generated_files_read_back_what_was_set_and_keep_other_sections() {
    let lines = [
        "[default]",
        "[profile default]",
        "[profile a]",
        "[ profile a ] # c",
        "[a]",
        "[profile b]",
        "[sso-session a]",
        "region = r",
        "Region=R2",
        "s3 =",
        "S3 = flat",
        "  max_concurrent_requests = 1",
        "\tx = 2",
        "  cont",
        "",
        "  ",
        "# comment",
        "; x = y",
        "  # indented",
        "k = v ; c",
        "junk line",
    ];
    let eols = ["\n", "\n", "\n", "\r\n", ""];
    let sections = [profile("default"), profile("a"), SectionName::SsoSession("a".into())];
    let values: [&[(&str, &str)]; 4] = [
        &[("region", "new")],
        &[("s3.max_concurrent_requests", "9"), ("s3.y", "3")],
        &[("k", ""), ("s3.x", "5"), ("output", "json")],
        &[("s3", "flat2"), ("region", "z")],
    ];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut checked = 0;
    for case in 0..20_000 {
        let n = (rng.next() % 12) as usize;
        let text: String = (0..n).map(|_| format!("{}{}", rng.pick(&lines), rng.pick(&eols))).collect();
        let section = &sections[(rng.next() % 3) as usize];
        let vals = values[(rng.next() % 4) as usize];
        for kind in [FileKind::Config, FileKind::Credentials] {
            let out = match apply_values(&text, kind, section, vals) {
                Ok(out) => out,
                Err(_) => {
                    assert!(matches!(section, SectionName::SsoSession(_)) && kind == FileKind::Credentials);
                    continue;
                }
            };
            let Ok(before) = parse(&text, kind, Path::new("f")) else { continue };
            let before = read_back_parsed(before);
            let after = match parse(&out, kind, Path::new("f")) {
                Ok(p) => read_back_parsed(p),
                Err(e) => panic!("case {case}: edit broke the file: {e}\n{text:?}\n=>\n{out:?}"),
            };
            // Other sections' contents (origins aside: line numbers shift).
            let contents = |set: &crate::profiles::ProfileSet,
                            skip: Option<&String>|
             -> Vec<(String, Vec<(String, String)>)> {
                set.profiles
                    .iter()
                    .filter(|(k, _)| Some(*k) != skip)
                    .map(|(k, s)| {
                        (
                            k.clone(),
                            s.properties.iter().map(|(pk, p)| (pk.clone(), p.value.clone())).collect(),
                        )
                    })
                    .collect()
            };
            let (get, others_before, others_after): (Option<&Section>, Vec<_>, Vec<_>) = match section {
                SectionName::Profile(name) => {
                    (after.profile(name), contents(&before, Some(name)), contents(&after, Some(name)))
                }
                SectionName::SsoSession(name) => {
                    (after.sso_session(name), contents(&before, None), contents(&after, None))
                }
                SectionName::Services(_) => unreachable!(),
            };
            assert_eq!(
                others_before, others_after,
                "case {case} {kind} {section:?}: other sections changed\n{text:?}\n=>\n{out:?}"
            );
            let got = get.unwrap_or_else(|| panic!("case {case}: section missing\n{text:?}\n=>\n{out:?}"));
            for (k, v) in vals.iter() {
                let read = match k.split_once('.') {
                    Some((p, s)) => got.get_sub(p, s),
                    None => got.get(k),
                };
                assert_eq!(read, Some(*v), "case {case}: {k}\n{text:?}\n=>\n{out:?}");
            }
            checked += 1;
        }
    }
    assert!(checked > 5_000, "only {checked} generated files parsed");
}

fn read_back_parsed(parsed: ParsedFile) -> crate::profiles::ProfileSet {
    match parsed.kind {
        FileKind::Config => merge(parsed, ParsedFile::empty(Path::new("k"), FileKind::Credentials)),
        FileKind::Credentials => merge(ParsedFile::empty(Path::new("c"), FileKind::Config), parsed),
    }
}
