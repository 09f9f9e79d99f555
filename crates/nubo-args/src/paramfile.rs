//! Parameter values read from files: `file://path` (text) and `fileb://path` (bytes), with `~` and
//! `$VAR` expanded in the path as the CLI does. URLs (`http://`, `https://`) are values like any other
//! (the AWS CLI v2 does not fetch them). Also the list of parameters that the CLI never reads from
//! files, because their values are URIs themselves.

use crate::pyval::str_repr;

/// What a `file://` or `fileb://` value loaded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Loaded {
    Text(String),
    Bytes(Vec<u8>),
}

/// Load `value` when it starts with `file://` or `fileb://`; `Ok(None)` for any other value. The
/// error is the CLI's `ResourceLoadingError` message.
pub(crate) fn get_paramfile(value: &str) -> Result<Option<Loaded>, String> {
    if let Some(rest) = value.strip_prefix("file://") {
        let path = expand_path(rest);
        let bytes = read(&path, value)?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(Loaded::Text(universal_newlines(&text)))),
            Err(_) => Err(format!(
                "Unable to load paramfile ({path}), text contents could not be decoded.  If this is a binary \
                 file, please use the fileb:// prefix instead of the file:// prefix."
            )),
        }
    } else if let Some(rest) = value.strip_prefix("fileb://") {
        let path = expand_path(rest);
        Ok(Some(Loaded::Bytes(read(&path, value)?)))
    } else {
        Ok(None)
    }
}

fn read(path: &str, original: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("Unable to load paramfile {original}: {}", os_error(&e, path)))
}

/// An I/O error as Python prints an `OSError` about a file: `[Errno 2] No such file or directory: 'x'`.
pub(crate) fn os_error(e: &std::io::Error, path: &str) -> String {
    let text = e.to_string();
    let text = match text.rfind(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    match e.raw_os_error() {
        Some(code) => format!("[Errno {code}] {text}: {}", str_repr(path)),
        None => format!("{text}: {}", str_repr(path)),
    }
}

/// Python's text mode: `\r\n` and lone `\r` become `\n`.
fn universal_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// `os.path.expandvars(os.path.expanduser(path))`.
pub(crate) fn expand_path(path: &str) -> String {
    expand_vars(&expand_user(path))
}

/// `~` or `~/...` becomes the home directory (`$HOME`); `~user` is left as is.
fn expand_user(path: &str) -> String {
    if (path == "~" || path.starts_with("~/"))
        && let Some(home) = std::env::var_os("HOME")
    {
        let home = home.to_string_lossy().trim_end_matches('/').to_string();
        let home = if home.is_empty() { "/".to_string() } else { home };
        return format!("{home}{}", &path[1..]);
    }
    path.to_string()
}

/// `$NAME` and `${NAME}` become the variable's value; unknown variables stay as written.
fn expand_vars(path: &str) -> String {
    if !path.contains('$') {
        return path.to_string();
    }
    let chars: Vec<char> = path.chars().collect();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '$' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let (name, end) = if chars.get(i + 1) == Some(&'{') {
            match chars[i + 2..].iter().position(|c| *c == '}') {
                Some(close) => (chars[i + 2..i + 2 + close].iter().collect::<String>(), i + 3 + close),
                None => (String::new(), i + 1),
            }
        } else {
            let len = chars[i + 1..].iter().take_while(|c| c.is_alphanumeric() || **c == '_').count();
            (chars[i + 1..i + 1 + len].iter().collect::<String>(), i + 1 + len)
        };
        match (!name.is_empty()).then(|| std::env::var(&name).ok()).flatten() {
            Some(value) => {
                out.push_str(&value);
                i = end;
            }
            None => {
                if name.is_empty() {
                    out.push('$');
                    i += 1;
                } else {
                    out.extend(&chars[i..end]);
                    i = end;
                }
            }
        }
    }
    out
}

/// Parameters (`<service id>.<operation>.<parameter>`, service ids hyphenated as in the CLI's
/// events) whose values are never read from files.
const PARAMFILE_DISABLED: &[&str] = &[
    "api-gateway.put-integration.uri",
    "api-gateway.create-integration.integration-uri",
    "api-gateway.update-integration.integration-uri",
    "api-gateway.create-api.target",
    "api-gateway.update-api.target",
    "appstream.create-stack.redirect-url",
    "appstream.create-stack.feedback-url",
    "appstream.update-stack.redirect-url",
    "appstream.update-stack.feedback-url",
    "cloudformation.create-stack.template-url",
    "cloudformation.update-stack.template-url",
    "cloudformation.create-stack-set.template-url",
    "cloudformation.update-stack-set.template-url",
    "cloudformation.create-change-set.template-url",
    "cloudformation.validate-template.template-url",
    "cloudformation.estimate-template-cost.template-url",
    "cloudformation.get-template-summary.template-url",
    "cloudformation.create-stack.stack-policy-url",
    "cloudformation.update-stack.stack-policy-url",
    "cloudformation.set-stack-policy.stack-policy-url",
    "cloudformation.update-stack.stack-policy-during-update-url",
    "cloudformation.register-type.schema-handler-package",
    "guardduty.create-ip-set.location",
    "guardduty.update-ip-set.location",
    "guardduty.create-threat-intel-set.location",
    "guardduty.update-threat-intel-set.location",
    "comprehend.detect-dominant-language.text",
    "comprehend.batch-detect-dominant-language.text-list",
    "comprehend.detect-entities.text",
    "comprehend.batch-detect-entities.text-list",
    "comprehend.detect-key-phrases.text",
    "comprehend.batch-detect-key-phrases.text-list",
    "comprehend.detect-sentiment.text",
    "comprehend.batch-detect-sentiment.text-list",
    "emr.create-studio.idp-auth-url",
    "iam.create-open-id-connect-provider.url",
    "machine-learning.predict.predict-endpoint",
    "mediatailor.put-playback-configuration.ad-decision-server-url",
    "mediatailor.put-playback-configuration.slate-ad-url",
    "mediatailor.put-playback-configuration.video-content-source-url",
    "rds.copy-db-cluster-snapshot.pre-signed-url",
    "rds.create-db-cluster.pre-signed-url",
    "rds.copy-db-snapshot.pre-signed-url",
    "rds.create-db-instance-read-replica.pre-signed-url",
    "sagemaker.create-notebook-instance.default-code-repository",
    "sagemaker.create-notebook-instance.additional-code-repositories",
    "sagemaker.update-notebook-instance.default-code-repository",
    "sagemaker.update-notebook-instance.additional-code-repositories",
    "serverlessapplicationrepository.create-application.home-page-url",
    "serverlessapplicationrepository.create-application.license-url",
    "serverlessapplicationrepository.create-application.readme-url",
    "serverlessapplicationrepository.create-application.source-code-url",
    "serverlessapplicationrepository.create-application.template-url",
    "serverlessapplicationrepository.create-application-version.source-code-url",
    "serverlessapplicationrepository.create-application-version.template-url",
    "serverlessapplicationrepository.update-application.home-page-url",
    "serverlessapplicationrepository.update-application.readme-url",
    "service-catalog.create-product.support-url",
    "service-catalog.update-product.support-url",
    "ses.create-custom-verification-email-template.failure-redirection-url",
    "ses.create-custom-verification-email-template.success-redirection-url",
    "ses.put-account-details.website-url",
    "ses.update-custom-verification-email-template.failure-redirection-url",
    "ses.update-custom-verification-email-template.success-redirection-url",
    "sqs.add-permission.queue-url",
    "sqs.change-message-visibility.queue-url",
    "sqs.change-message-visibility-batch.queue-url",
    "sqs.delete-message.queue-url",
    "sqs.delete-message-batch.queue-url",
    "sqs.delete-queue.queue-url",
    "sqs.get-queue-attributes.queue-url",
    "sqs.list-dead-letter-source-queues.queue-url",
    "sqs.receive-message.queue-url",
    "sqs.remove-permission.queue-url",
    "sqs.send-message.queue-url",
    "sqs.send-message-batch.queue-url",
    "sqs.set-queue-attributes.queue-url",
    "sqs.purge-queue.queue-url",
    "sqs.list-queue-tags.queue-url",
    "sqs.tag-queue.queue-url",
    "sqs.untag-queue.queue-url",
    "s3.copy-object.website-redirect-location",
    "s3.create-multipart-upload.website-redirect-location",
    "s3.put-object.website-redirect-location",
    "sns.subscribe.notification-endpoint",
    "iot.create-job.document-source",
    "translate.translate-text.text",
    "workdocs.create-notification-subscription.notification-endpoint",
];

/// Whether the option `name` (without `--`) of `operation` (CLI name) of the service whose
/// hyphenated id is `service_id` never reads files.
pub(crate) fn paramfile_disabled(service_id: &str, operation: &str, name: &str) -> bool {
    PARAMFILE_DISABLED.iter().any(|entry| {
        let mut parts = entry.splitn(3, '.');
        parts.next() == Some(service_id) && parts.next() == Some(operation) && parts.next() == Some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_text_and_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"line1\r\nline2\rend\xff").unwrap();
        let text = dir.path().join("t.txt");
        std::fs::write(&text, "x\r\ny").unwrap();
        assert_eq!(
            get_paramfile(&format!("file://{}", text.display())).unwrap(),
            Some(Loaded::Text("x\ny".into()))
        );
        assert_eq!(
            get_paramfile(&format!("fileb://{}", p.display())).unwrap(),
            Some(Loaded::Bytes(b"line1\r\nline2\rend\xff".to_vec()))
        );
        let e = get_paramfile(&format!("file://{}", p.display())).unwrap_err();
        assert!(e.starts_with("Unable to load paramfile ("), "{e}");
        assert!(e.ends_with("please use the fileb:// prefix instead of the file:// prefix."), "{e}");
        assert_eq!(get_paramfile("https://example.com/x").unwrap(), None);
        assert_eq!(get_paramfile("plain").unwrap(), None);
    }

    #[test]
    fn missing_files_fail_as_python_does() {
        let e = get_paramfile("file://does/not/exist").unwrap_err();
        assert_eq!(
            e,
            "Unable to load paramfile file://does/not/exist: [Errno 2] No such file or directory: 'does/not/exist'"
        );
    }

    #[test]
    fn paths_expand_home_and_variables() {
        // SAFETY: tests in this module do not read these variables concurrently.
        unsafe {
            std::env::set_var("NUBO_ARGS_TEST_DIR", "some/dir");
        }
        assert_eq!(expand_vars("$NUBO_ARGS_TEST_DIR/a"), "some/dir/a");
        assert_eq!(expand_vars("${NUBO_ARGS_TEST_DIR}b"), "some/dirb");
        assert_eq!(expand_vars("$NUBO_ARGS_UNSET_VAR/a"), "$NUBO_ARGS_UNSET_VAR/a");
        assert_eq!(expand_vars("a$"), "a$");
        assert_eq!(expand_user("~user/x"), "~user/x");
        if let Ok(home) = std::env::var("HOME") {
            assert_eq!(expand_user("~/x"), format!("{}/x", home.trim_end_matches('/')));
        }
    }

    #[test]
    fn disabled_parameters() {
        assert!(paramfile_disabled("sqs", "send-message", "queue-url"));
        assert!(!paramfile_disabled("sqs", "send-message", "message-body"));
    }
}
