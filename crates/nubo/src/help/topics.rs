//! `nubo help topics` and the topics themselves, written for nubo: what each setting, exit code and
//! s3 transfer setting means here. Also the global options' descriptions that every help page lists.

/// One help topic: its name, a one-line summary and its text (paragraphs separated by blank lines;
/// lines starting with two spaces are kept as they are).
pub struct Topic {
    pub name: &'static str,
    pub summary: &'static str,
    pub body: &'static str,
}

pub static TOPICS: &[Topic] = &[
    Topic {
        name: "config-vars",
        summary: "Configuration variables: where each setting is read from, in which order",
        body: CONFIG_VARS,
    },
    Topic { name: "return-codes", summary: "What nubo's exit codes mean", body: RETURN_CODES },
    Topic {
        name: "s3-config",
        summary: "The s3 transfer settings (the `s3 =` section of a profile)",
        body: S3_CONFIG,
    },
];

const CONFIG_VARS: &str = "\
nubo reads its settings from four places, and the first one that has a value wins: the command line \
(global options such as --region, --output, --profile), environment variables, the profile in the \
config and credentials files, and a built-in default. `nubo configure explain` shows, for the \
credentials, every source in that order and which one won; `nubo configure list` shows the main \
settings with the place each came from.

The files are ~/.aws/config and ~/.aws/credentials; AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE \
point elsewhere. In the config file a profile is written [profile NAME] (the default one as \
[default]); in the credentials file it is just [NAME]. [sso-session NAME] sections hold IAM Identity \
Center sign-in settings and [services NAME] sections hold per-service endpoint URLs.

The profile in use is --profile, else AWS_PROFILE, else `default`.

Settings and their environment variables:

  region                      AWS_REGION, AWS_DEFAULT_REGION    (nubo defaults to us-east-1)
  output                      AWS_DEFAULT_OUTPUT                json, text, table, yaml, yaml-stream, off
  aws_access_key_id           AWS_ACCESS_KEY_ID
  aws_secret_access_key       AWS_SECRET_ACCESS_KEY
  aws_session_token           AWS_SESSION_TOKEN
  cli_pager                   AWS_PAGER                         empty: no pager
  cli_binary_format           -                                 base64 or raw-in-base64-out
  ca_bundle                   AWS_CA_BUNDLE
  endpoint_url                AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>
  ignore_configure_endpoint_urls  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
  retry_mode                  AWS_RETRY_MODE                    standard (default), legacy, adaptive
  max_attempts                AWS_MAX_ATTEMPTS
  role_arn, source_profile, credential_source, external_id, mfa_serial, role_session_name,
  duration_seconds            assume a role from another profile's credentials
  web_identity_token_file     AWS_WEB_IDENTITY_TOKEN_FILE       with role_arn / AWS_ROLE_ARN
  sso_session, sso_account_id, sso_role_name, sso_start_url, sso_region
                              IAM Identity Center (`nubo sso login`)
  credential_process          a program that prints credentials as JSON
  request_checksum_calculation    AWS_REQUEST_CHECKSUM_CALCULATION  when_supported or when_required
  response_checksum_validation    AWS_RESPONSE_CHECKSUM_VALIDATION  when_supported or when_required
  parameter_validation        -                                 true or false
  use_fips_endpoint           AWS_USE_FIPS_ENDPOINT
  use_dualstack_endpoint      AWS_USE_DUALSTACK_ENDPOINT
  sts_regional_endpoints      AWS_STS_REGIONAL_ENDPOINTS
  AWS_EC2_METADATA_DISABLED   (environment only) true: never ask the instance metadata service

Model files: directories in AWS_DATA_PATH, then ~/.aws/models (`nubo configure add-model`), are \
searched before the bundled models, in botocore's layout.

nubo's own: NUBO_SIGNING_TIME=YYYYMMDDTHHMMSSZ pins the signing clock of --show-request, sign and \
presigning so that their output can be compared.";

const RETURN_CODES: &str = "\
Every nubo command ends with one of these exit codes, the same ones the AWS CLI v2 uses, so that \
scripts can tell what went wrong without reading the message:

  0    The command succeeded.
  1    s3 commands: one or more transfers failed (the others were done).
  2    s3 commands: some files were skipped (unreadable, a special file, or excluded by a rule that \
could not be applied), or the command line could not be parsed by s3's own parser.
  130  The command was interrupted (Ctrl-C).
  252  The command line is wrong: an unknown command or option, a missing required option, or a \
value that cannot be read. The message names the argument.
  253  The configuration or the credentials are wrong or missing: an unknown profile, a file that \
cannot be parsed, no credentials found.
  254  The service answered with an error. The message is `An error occurred (Code) when calling \
the Operation operation: ...`.
  255  Anything else: a network failure, a timeout, an internal error.

`echo $?` in a POSIX shell shows the last command's code.";

const S3_CONFIG: &str = "\
The high-level s3 commands (cp, mv, sync, rm, ls) read their transfer settings from the `s3` \
sub-section of the profile in the config file, for example:

  [profile fast]
  s3 =
    max_concurrent_requests = 20
    multipart_threshold = 64MB
    multipart_chunksize = 16MB

Sizes take a unit (KB, MB, GB, KiB, MiB, GiB) or are bytes. The settings:

  max_concurrent_requests     How many requests run at once (default 10).
  max_queue_size              How many tasks may wait to run (default 1000); it bounds memory.
  multipart_threshold         Files at least this large go in parts (default 8MB).
  multipart_chunksize         The size of each part (default 8MB); raised when a file would need \
more than 10,000 parts.
  max_bandwidth               An upper bound on bytes per second, such as 50MB/s.
  use_accelerate_endpoint     true: use S3 Transfer Acceleration.
  addressing_style            path, virtual or auto: how the bucket goes into the URL.
  payload_signing_enabled     true: sign the body's SHA-256 rather than send it unsigned.

Set them with `nubo configure set s3.max_concurrent_requests 20` (add --profile for another \
profile). The s3api commands are single API calls and do not read these settings.";

/// The global options: name, type, and what each does (shown on every help page).
pub static GLOBAL_OPTIONS: &[(&str, &str, &str)] = &[
    ("--debug", "boolean", "Log each step and the HTTP traffic to standard error (secrets redacted)."),
    ("--endpoint-url", "string", "Send requests to this URL instead of the service's endpoint."),
    ("--no-verify-ssl", "boolean", "Do not verify the server's TLS certificate."),
    ("--no-paginate", "boolean", "Make one call only instead of following the pages."),
    ("--output", "string", "The output format: json, text, table, yaml, yaml-stream or off."),
    ("--query", "string", "A JMESPath expression applied to the response before it is printed."),
    ("--profile", "string", "Use this profile of the config and credentials files."),
    ("--region", "string", "The AWS Region to send requests to."),
    ("--version", "string", "Print nubo's version and exit."),
    ("--color", "string", "Colour in the output: on, off or auto (a terminal only)."),
    ("--no-sign-request", "boolean", "Send requests unsigned (no credentials are looked up)."),
    ("--ca-bundle", "string", "A PEM file of certificate authorities to trust for TLS."),
    ("--cli-read-timeout", "int", "Seconds to wait for a read; 0 waits forever (default 60)."),
    ("--cli-connect-timeout", "int", "Seconds to wait for a connection; 0 waits forever (default 60)."),
    ("--cli-binary-format", "string", "How blob parameters are read: base64 or raw-in-base64-out."),
    ("--no-cli-pager", "boolean", "Do not send output through the pager."),
    ("--cli-error-format", "string", "How errors are printed: enhanced, json, yaml, text, table or legacy."),
    (
        "--show-request",
        "boolean",
        "Build and sign the request, print it, and exit without sending it (nubo).",
    ),
];
