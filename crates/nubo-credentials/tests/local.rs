//! Scenarios with the sources that need no server: the environment, the two files,
//! `credential_process`; their precedence, `--profile` against the environment, every error path,
//! `configure explain` and `export-credentials`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Fixture, assert_no_secret};
use nubo_credentials::{
    ErrorKind, ExplainOptions, Format, LinkKind, LinkState, NO_CREDENTIALS_MESSAGE, explain, export, resolve,
};

const ENV_SECRET: &str = "env-secret-key-value";
const FILE_SECRET: &str = "file-secret-key-value";
const CONFIG_SECRET: &str = "config-secret-key-value";
const PROCESS_SECRET: &str = "process-secret-key-value";

fn with_env_keys(f: &mut Fixture) {
    f.set("AWS_ACCESS_KEY_ID", "AKIDENV00000000ENV1").set("AWS_SECRET_ACCESS_KEY", ENV_SECRET);
}

fn process_script(f: &Fixture, body: &str) -> String {
    f.script("creds.sh", body).display().to_string()
}

fn process_json(expiration: Option<&str>) -> String {
    let exp = expiration.map(|e| format!(", \"Expiration\": \"{e}\"")).unwrap_or_default();
    format!(
        "echo '{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS0000PRC1\", \"SecretAccessKey\": \"{PROCESS_SECRET}\", \"SessionToken\": \"ptoken\"{exp}}}'"
    )
}

#[tokio::test]
async fn nothing_anywhere_is_no_credentials() {
    let f = Fixture::new();
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoCredentials);
    assert_eq!(e.to_string(), NO_CREDENTIALS_MESSAGE);
    assert_eq!(
        e.to_string(),
        "Unable to locate credentials. You can configure credentials by running \"nubo configure\"."
    );
    assert!(e.hint().unwrap().contains("nubo configure explain"));
    assert_eq!(e.exit_code(), 253);
}

#[tokio::test]
async fn environment_keys() {
    let mut f = Fixture::new();
    with_env_keys(&mut f);
    f.set("AWS_SESSION_TOKEN", "env-token").set("AWS_ACCOUNT_ID", "111122223333");
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.type_name(), "env");
    assert_eq!(r.link, LinkKind::Env);
    assert_eq!(r.location, "AWS_ACCESS_KEY_ID");
    assert_eq!(r.credentials.access_key_id, "AKIDENV00000000ENV1");
    assert_eq!(r.credentials.session_token.as_deref(), Some("env-token"));
    assert_eq!(r.account_id.as_deref(), Some("111122223333"));
    assert_eq!(r.expiry, None);
    assert_no_secret(&format!("{r:?}"), &[ENV_SECRET, "env-token"]);
}

#[tokio::test]
async fn security_token_and_expiration_variables() {
    let mut f = Fixture::new();
    with_env_keys(&mut f);
    f.set("AWS_SECURITY_TOKEN", "legacy-token").set("AWS_CREDENTIAL_EXPIRATION", "2999-01-01T00:00:00Z");
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.credentials.session_token.as_deref(), Some("legacy-token"));
    assert!(r.expiry.is_some());
    f.set("AWS_CREDENTIAL_EXPIRATION", "2001-01-01T00:00:00Z");
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BrokenSource);
    assert!(e.to_string().contains("from env") && e.to_string().contains("expired"), "{e}");
}

#[tokio::test]
async fn environment_wins_over_the_profile_unless_profile_is_on_the_command_line() {
    let mut f = Fixture::new();
    with_env_keys(&mut f);
    f.credentials(&format!(
        "[dev]\naws_access_key_id = AKIDFILE0000000FIL1\naws_secret_access_key = {FILE_SECRET}\n"
    ));
    f.set("AWS_PROFILE", "dev");
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.link, LinkKind::Env, "AWS_PROFILE does not skip the environment");
    let r = resolve(&f.input(Some("dev"))).await.unwrap();
    assert_eq!(r.link, LinkKind::SharedCredentialsFile);
    assert_eq!(r.location, "~/.aws/credentials");
    assert_eq!(r.credentials.access_key_id, "AKIDFILE0000000FIL1");
}

#[tokio::test]
async fn profile_on_the_command_line_without_credentials_does_not_fall_back_to_the_environment() {
    let mut f = Fixture::new();
    with_env_keys(&mut f);
    f.config("[profile empty]\nregion = eu-west-1\n");
    let e = resolve(&f.input(Some("empty"))).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoCredentials);
}

#[tokio::test]
async fn credentials_file_then_process_then_config_file() {
    let f = Fixture::new();
    let script = process_script(&f, &process_json(None));
    f.config(&format!(
        "[default]\naws_access_key_id = AKIDCONFIG00000CFG1\naws_secret_access_key = {CONFIG_SECRET}\ncredential_process = {script}\n"
    ));
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.link, LinkKind::CustomProcess, "credential_process comes before the config file's keys");
    assert_eq!(r.location, "~/.aws/config");
    assert_eq!(r.credentials.access_key_id, "AKIDPROCESS0000PRC1");
    assert_eq!(r.credentials.session_token.as_deref(), Some("ptoken"));

    f.credentials(&format!(
        "[default]\naws_access_key_id = AKIDFILE0000000FIL1\naws_secret_access_key = {FILE_SECRET}\n"
    ));
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(
        r.link,
        LinkKind::SharedCredentialsFile,
        "the credentials file comes before credential_process"
    );

    f.credentials("");
    f.config(&format!(
        "[default]\naws_access_key_id = AKIDCONFIG00000CFG1\naws_secret_access_key = {CONFIG_SECRET}\n"
    ));
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.link, LinkKind::ConfigFile);
    assert_eq!(r.type_name(), "config-file");
    assert_eq!(r.location, "~/.aws/config");
}

#[tokio::test]
async fn static_keys_with_token_and_account() {
    let f = Fixture::new();
    f.credentials(&format!(
        "[default]\naws_access_key_id = AKIDFILE0000000FIL1\naws_secret_access_key = {FILE_SECRET}\naws_session_token = ftoken\naws_account_id = 444455556666\n"
    ));
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.credentials.session_token.as_deref(), Some("ftoken"));
    assert_eq!(r.account_id.as_deref(), Some("444455556666"));
    assert_no_secret(&format!("{r:?}"), &[FILE_SECRET, "ftoken"]);
}

#[tokio::test]
async fn partial_keys_are_broken_sources() {
    let mut f = Fixture::new();
    f.set("AWS_ACCESS_KEY_ID", "AKIDENV00000000ENV1");
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BrokenSource);
    assert_eq!(e.to_string(), "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY");

    let f = Fixture::new();
    f.credentials("[default]\naws_access_key_id = AKIDFILE0000000FIL1\n");
    f.config(&format!(
        "[default]\naws_access_key_id = AKIDCONFIG00000CFG1\naws_secret_access_key = {CONFIG_SECRET}\n"
    ));
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert_eq!(e.link(), Some(LinkKind::SharedCredentialsFile));
    assert!(e.to_string().contains("profile missing aws_secret_access_key"), "{e}");
    assert!(e.to_string().contains("shared-credentials-file"), "{e}");
}

#[tokio::test]
async fn process_expiration_is_honoured() {
    let f = Fixture::new();
    let script = process_script(&f, &process_json(Some("2999-01-01T00:00:00Z")));
    f.config(&format!("[default]\ncredential_process = {script}\n"));
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.expiry, Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(32_472_144_000)));

    let script = process_script(&f, &process_json(Some("2001-01-01T00:00:00Z")));
    f.config(&format!("[default]\ncredential_process = {script}\n"));
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert!(e.to_string().contains("custom-process") && e.to_string().contains("expired"), "{e}");
}

#[tokio::test]
async fn process_gets_arguments_environment_and_the_profile_account() {
    let mut f = Fixture::new();
    f.set("NUBO_TEST_VALUE", "from-env");
    let script = f.script(
        "args.sh",
        "echo 'a message for the user' >&2; printf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s-%s\"}' \"$1\" \"$NUBO_TEST_VALUE\" \"$EXTRA\"",
    );
    f.config(&format!(
        "[default]\ncredential_process = {} 'first arg'\naws_account_id = 999988887777\n",
        script.display()
    ));
    let mut input = f.input(None);
    input.process_env.push(("EXTRA".into(), "extra".into()));
    let r = resolve(&input).await.unwrap();
    assert_eq!(r.credentials.access_key_id, "first arg");
    assert_eq!(r.credentials.secret_access_key, "from-env-extra");
    assert_eq!(r.account_id.as_deref(), Some("999988887777"));
}

#[tokio::test]
async fn process_failures_stop_the_chain_and_name_the_source() {
    let f = Fixture::new();
    f.config(&format!(
        "[default]\naws_access_key_id = AKIDCONFIG00000CFG1\naws_secret_access_key = {CONFIG_SECRET}\n"
    ));
    let cases = [
        ("echo 'something went wrong' >&2; exit 3", "exited with status 3"),
        (&format!("echo 'not json {PROCESS_SECRET}'") as &str, "not JSON"),
        (
            &format!(
                "echo '{{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"{PROCESS_SECRET}\"}}'"
            ),
            "Version '2'",
        ),
        ("echo '{\"Version\": 1, \"AccessKeyId\": \"A\"}'", "SecretAccessKey"),
    ];
    for (body, want) in cases {
        let script = process_script(&f, body);
        f.config(&format!(
            "[default]\ncredential_process = {script}\naws_access_key_id = AKIDCONFIG00000CFG1\naws_secret_access_key = {CONFIG_SECRET}\n"
        ));
        let e = resolve(&f.input(None)).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BrokenSource, "{body}");
        assert_eq!(e.link(), Some(LinkKind::CustomProcess));
        let text = e.to_string();
        assert!(text.starts_with("Error when retrieving credentials from custom-process:"), "{text}");
        assert!(text.contains(want), "{text} should contain {want}");
        assert_no_secret(&format!("{text} {e:?}"), &[PROCESS_SECRET]);
    }
    f.config("[default]\ncredential_process = /nonexistent/program --flag\n");
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert!(e.to_string().contains("could not be started"), "{e}");
    f.config("[default]\ncredential_process = 'unbalanced\n");
    let e = resolve(&f.input(None)).await.unwrap_err();
    assert!(e.to_string().contains("cannot be split"), "{e}");
}

#[tokio::test]
async fn invalid_profile_configuration_stops_the_chain() {
    let mut f = Fixture::new();
    with_env_keys(&mut f);
    f.config("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n");
    let e = resolve(&f.input(Some("a"))).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BrokenSource);
    assert_eq!(e.link(), Some(LinkKind::AssumeRole));
    assert!(e.to_string().contains("infinite loop: a -> b -> a"), "{e}");

    f.config("[profile a]\nrole_arn = arn:aws:iam::1:role/a\n");
    let e = resolve(&f.input(Some("a"))).await.unwrap_err();
    assert!(e.to_string().contains("source_profile"), "{e}");

    f.config("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = missing\n");
    let e = resolve(&f.input(Some("a"))).await.unwrap_err();
    assert!(e.to_string().contains("could not find source profile missing referenced from a"), "{e}");

    f.config("[profile a]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = r\n");
    let e = resolve(&f.input(Some("a"))).await.unwrap_err();
    assert_eq!(e.link(), Some(LinkKind::Sso));
    assert!(e.to_string().contains("sso-session named `nope`"), "{e}");

    f.config("[profile a]\nweb_identity_token_file = /tmp/t\n");
    let e = resolve(&f.input(Some("a"))).await.unwrap_err();
    assert_eq!(e.link(), Some(LinkKind::AssumeRoleWithWebIdentity));
    assert!(e.to_string().contains("`role_arn` was missing"), "{e}");
}

#[tokio::test]
async fn credential_source_environment_uses_the_environment_even_with_profile() {
    let mut f = Fixture::new();
    with_env_keys(&mut f);
    f.set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9");
    f.config("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = Environment\n");
    // The environment's keys are found (then STS, here unreachable, is called with them).
    let e = resolve(&f.input(Some("r"))).await.unwrap_err();
    assert_eq!(e.link(), Some(LinkKind::AssumeRole));
    assert!(e.to_string().contains("could not assume arn:aws:iam::123456789012:role/r"), "{e}");
    f.unset("AWS_ACCESS_KEY_ID");
    let e = resolve(&f.input(Some("r"))).await.unwrap_err();
    assert!(
        e.to_string().contains("No credentials found in credential_source referenced in profile r"),
        "{e}"
    );
}

#[tokio::test]
async fn explain_shows_every_link_and_warns_about_shadowed_sources() {
    let mut f = Fixture::new();
    with_env_keys(&mut f);
    f.set("AWS_PROFILE", "dev");
    f.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
    f.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-secret-token");
    f.credentials(&format!(
        "[dev]\naws_access_key_id = AKIDFILE0000000FIL1\naws_secret_access_key = {FILE_SECRET}\n"
    ));
    let x = explain(&f.input(None), ExplainOptions::default()).await;
    assert_eq!(x.links.len(), 10);
    let order: Vec<LinkKind> = x.links.iter().map(|l| l.link).collect();
    assert_eq!(order, LinkKind::ALL.to_vec());
    assert_eq!(x.winner, Some(LinkKind::Env));
    assert_eq!(x.links[0].state, LinkState::Won);
    assert_eq!(x.links[4].state, LinkState::Shadowed);
    assert_eq!(x.links[8].state, LinkState::Shadowed);
    assert_eq!(x.links[9].state, LinkState::Skipped, "the fixture disables IMDS");
    assert!(x.error.is_none());
    let text = x.render();
    assert!(text.contains("hide the keys ****************FIL1 of profile \"dev\" in ~/.aws/credentials (shared-credentials-file)."), "{text}");
    assert!(
        text.contains("AWS_PROFILE selects the profile \"dev\", but the environment's keys come first"),
        "{text}"
    );
    assert_eq!(x.warnings.len(), 3, "{:?}", x.warnings);
    assert!(text.contains("hide the container role (http://127.0.0.1:9/creds) (container-role)."), "{text}");
    assert!(text.contains("Credentials come from env (AWS_ACCESS_KEY_ID)."), "{text}");
    for l in LinkKind::ALL {
        assert!(text.contains(l.as_str()), "{text}");
    }
    assert_no_secret(
        &format!("{text}{x:?}"),
        &[ENV_SECRET, FILE_SECRET, "container-secret-token", "AKIDFILE0000000FIL1"],
    );
}

#[tokio::test]
async fn explain_warns_about_static_keys_hidden_by_role_arn() {
    let f = Fixture::new();
    f.config("[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\n[profile base]\nregion = x\n");
    f.credentials(&format!(
        "[dev]\naws_access_key_id = AKIDFILE0000000FIL1\naws_secret_access_key = {FILE_SECRET}\n[base]\naws_access_key_id = AKIDBASE0000000BAS1\naws_secret_access_key = base-secret\n"
    ));
    let x = explain(&f.input(Some("dev")), ExplainOptions { probe_imds: false }).await;
    assert_eq!(x.winner, Some(LinkKind::AssumeRole));
    assert_eq!(x.links[0].state, LinkState::Skipped);
    let text = x.render();
    assert!(
        text.contains("The static keys of profile \"dev\" in ~/.aws/credentials are not used: the profile's role_arn takes precedence"),
        "{text}"
    );
    assert!(text.contains("role arn:aws:iam::123456789012:role/dev of profile \"dev\""), "{text}");
    assert!(text.contains("****************BAS1 of profile \"base\""), "{text}");
    assert_no_secret(&text, &[FILE_SECRET, "base-secret"]);
}

#[tokio::test]
async fn explain_reports_broken_and_missing_sources() {
    let f = Fixture::new();
    f.config("[default]\naws_access_key_id = AKIDCONFIG00000CFG1\n");
    let x = explain(&f.input(None), ExplainOptions::default()).await;
    assert_eq!(x.winner, None);
    assert_eq!(x.links[7].state, LinkState::Broken);
    assert!(x.error.as_ref().unwrap().to_string().contains("profile missing aws_secret_access_key"));
    let f = Fixture::new();
    let x = explain(&f.input(None), ExplainOptions::default()).await;
    assert_eq!(x.error.as_ref().unwrap().kind(), ErrorKind::NoCredentials);
    assert!(x.render().contains("No credentials: Unable to locate credentials."), "{}", x.render());
}

#[tokio::test]
async fn explain_does_not_run_processes_and_mentions_the_profile_flag() {
    let mut f = Fixture::new();
    with_env_keys(&mut f);
    let marker = f.home.path().join("ran");
    let script = f.script("p.sh", &format!("touch {}; exit 1", marker.display()));
    f.config(&format!("[profile p]\ncredential_process = {} --secret-arg\n", script.display()));
    let x = explain(&f.input(Some("p")), ExplainOptions::default()).await;
    assert!(!marker.exists(), "explain must not run credential_process");
    assert_eq!(x.winner, Some(LinkKind::CustomProcess));
    let text = x.render();
    assert!(text.contains("not run by explain"), "{text}");
    assert!(!text.contains("--secret-arg"), "{text}");
    assert!(text.contains("AWS_ACCESS_KEY_ID is set in the environment but not used: --profile p"), "{text}");
}

#[tokio::test]
async fn export_of_resolved_credentials() {
    let mut f = Fixture::new();
    with_env_keys(&mut f);
    f.set("AWS_SESSION_TOKEN", "tok").set("AWS_CREDENTIAL_EXPIRATION", "2999-01-01T00:00:00Z");
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(
        export(&r.credentials, r.expiry, Format::Env),
        format!(
            "export AWS_ACCESS_KEY_ID=AKIDENV00000000ENV1\nexport AWS_SECRET_ACCESS_KEY={ENV_SECRET}\nexport AWS_SESSION_TOKEN=tok\nexport AWS_CREDENTIAL_EXPIRATION=2999-01-01T00:00:00+00:00\n"
        )
    );
    let doc: serde_json::Value =
        serde_json::from_str(&export(&r.credentials, r.expiry, Format::Process)).unwrap();
    assert_eq!(doc["Version"], 1);
    assert_eq!(doc["Expiration"], "2999-01-01T00:00:00+00:00");
    assert_eq!(r.export(Format::Fish), export(&r.credentials, r.expiry, Format::Fish));
    for format in Format::ALL {
        assert!(export(&r.credentials, r.expiry, format).ends_with('\n'));
    }
}

#[tokio::test]
async fn static_credentials_never_need_a_refresh() {
    let f = Fixture::new();
    f.credentials(&format!(
        "[default]\naws_access_key_id = AKIDFILE0000000FIL1\naws_secret_access_key = {FILE_SECRET}\n"
    ));
    let r = resolve(&f.input(None)).await.unwrap();
    f.clock.advance(std::time::Duration::from_secs(100 * 3600));
    let c = r.provider.credentials().await.unwrap();
    assert_eq!(c.access_key_id, "AKIDFILE0000000FIL1");
    assert_eq!(r.provider.expiry().await, None);
    assert_eq!(r.provider.link(), LinkKind::SharedCredentialsFile);
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn process_standard_error_is_the_users() {
    let f = Fixture::new();
    // The process fails unless its standard error is nubo's own (passed through, not captured).
    let script = process_script(
        &f,
        &format!(
            "[ \"$(readlink /proc/self/fd/2)\" = \"$(readlink /proc/$PPID/fd/2)\" ] || exit 9\n{}",
            process_json(None)
        ),
    );
    f.config(&format!("[default]\ncredential_process = {script}\n"));
    let r = resolve(&f.input(None)).await.unwrap();
    assert_eq!(r.link, LinkKind::CustomProcess);
}
