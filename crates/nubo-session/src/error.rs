//! The error every command returns, the AWS CLI exit code each kind maps to, and the mapping of the
//! lower layers' errors (calls, credentials, arguments) to those kinds: one place decides that a
//! credentials failure is 253 wherever it happens.

use nubo_client::ClientError;
use nubo_client::call::CallError;
use nubo_credentials::CredentialsError;

/// Exit codes, as the AWS CLI v2 uses them.
pub mod exit {
    pub const OK: i32 = 0;
    pub const USAGE: i32 = 252;
    pub const CONFIG: i32 = 253;
    pub const SERVICE: i32 = 254;
    pub const OTHER: i32 = 255;
}

/// A failed command: what to print on standard error and the exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad command line: printed after the usage line, exit 252.
    #[error("{0}")]
    Usage(String),
    /// Input the model rejects (`Parameter validation failed: …`): exit 252, printed without the usage.
    #[error("{0}")]
    Invalid(String),
    /// Bad configuration, exit 253.
    #[error("{0}")]
    Config(String),
    /// No usable credentials, or a link of the chain failed: exit 253, with the chain's hint.
    #[error("{}", credentials_text(.0))]
    Credentials(#[from] CredentialsError),
    /// The service answered with an error, exit 254.
    #[error("{0}")]
    Service(Box<ServiceFailure>),
    /// Anything else, exit 255.
    #[error("{0}")]
    Other(String),
}

fn credentials_text(e: &CredentialsError) -> String {
    match e.hint() {
        Some(h) => format!("{e}\n{h}"),
        None => e.to_string(),
    }
}

pub type Result<T = (), E = Error> = std::result::Result<T, E>;

/// A service's error answer to one call, as the CLI reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceFailure {
    pub code: String,
    pub message: String,
    /// The operation's model name (`GetObject`).
    pub operation: String,
    /// How many times the call was retried before this answer.
    pub retries: u32,
    /// The modeled error's other members (`BucketName`, `CancellationReasons`).
    pub details: serde_json::Map<String, serde_json::Value>,
    /// What nubo adds below the error (a decoded authorization failure).
    pub note: Option<String>,
}

impl ServiceFailure {
    /// The CLI's line: `An error occurred (Code) when calling the Op operation[ (reached max retries: N)]: Message`.
    pub fn line(&self) -> String {
        let retried = match self.retries {
            0 => String::new(),
            n => format!(" (reached max retries: {n})"),
        };
        format!(
            "An error occurred ({}) when calling the {} operation{retried}: {}",
            self.code, self.operation, self.message
        )
    }
}

impl std::fmt::Display for ServiceFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.line())?;
        match &self.note {
            Some(note) => write!(f, "\n\n{note}"),
            None => Ok(()),
        }
    }
}

/// The `--cli-error-format` values.
pub const ERROR_FORMATS: [&str; 6] = ["enhanced", "json", "yaml", "text", "table", "legacy"];

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::Invalid(_) => exit::USAGE,
            Error::Config(_) | Error::Credentials(_) => exit::CONFIG,
            Error::Service(_) => exit::SERVICE,
            Error::Other(_) => exit::OTHER,
        }
    }

    /// The AWS CLI's error for a failed call of operation `op`.
    pub fn call(e: CallError, op: &str) -> Error {
        match e {
            // A body that could not be parsed is no service error: the CLI reports it as it does any
            // other failure (exit 255).
            CallError::Service(s, _) if s.code == "ResponseParserError" => Error::Other(s.message),
            CallError::Service(s, retries) => {
                // The CLI names the retries when there were any: `… operation (reached max retries: 2): …`.
                let mut details = match s.fields {
                    serde_json::Value::Object(m) => m,
                    _ => serde_json::Map::new(),
                };
                details.remove("Code");
                details.remove("Message");
                Error::Service(Box::new(ServiceFailure {
                    code: s.code,
                    message: s.message,
                    operation: op.to_string(),
                    retries,
                    details,
                    note: None,
                }))
            }
            CallError::Http(h) => Error::Other(h.to_string()),
            CallError::Client(c) => c.into(),
        }
    }
}

impl Error {
    /// The error's fields for the structured formats: `Code` and `Message` (and a service error's
    /// modeled members). Errors nubo raises itself carry a code naming their kind.
    pub fn fields(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut m = serde_json::Map::new();
        let (code, message) = match self {
            Error::Service(f) => (f.code.clone(), f.message.clone()),
            Error::Usage(t) => ("UsageError".to_string(), t.clone()),
            Error::Invalid(t) => ("ParamValidation".to_string(), t.clone()),
            Error::Config(t) => ("ConfigurationError".to_string(), t.clone()),
            Error::Credentials(_) => ("NoCredentials".to_string(), self.to_string()),
            Error::Other(t) => ("Error".to_string(), t.clone()),
        };
        m.insert("Code".into(), code.into());
        m.insert("Message".into(), message.into());
        if let Error::Service(f) = self {
            m.extend(f.details.clone());
        }
        m
    }

    /// The error as `--cli-error-format` asks (`enhanced`, `json`, `yaml`, `text`, `table`, `legacy`),
    /// ending in a newline. Usage errors are printed with the usage text instead (by the binary).
    pub fn render(&self, format: &str) -> String {
        let fields = serde_json::Value::Object(self.fields());
        match format {
            "json" => nubo_output::json::render(&fields),
            "yaml" => nubo_output::yaml::render(&fields),
            "text" => nubo_output::text::render(&fields),
            "table" => nubo_output::table::render(&fields, "Error").unwrap_or_else(|_| self.legacy()),
            "legacy" => self.legacy(),
            _ => self.enhanced(),
        }
    }

    fn legacy(&self) -> String {
        format!("\n{self}\n")
    }

    /// The default: the message after `nubo: [ERROR]: `, a service error's modeled members listed
    /// under it when they are simple values (a hint to use json or yaml for the others).
    fn enhanced(&self) -> String {
        let Error::Service(f) = self else { return format!("\nnubo: [ERROR]: {self}\n") };
        let mut out = format!("\nnubo: [ERROR]: {}\n", f.line());
        if !f.details.is_empty() {
            out.push_str("\nAdditional error details:\n");
            for (k, v) in &f.details {
                let shown = match v {
                    serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
                        "<complex value> (Use --cli-error-format with json or yaml to see full details)"
                            .to_string()
                    }
                    other => nubo_output::pystr::str_of(other),
                };
                out.push_str(&format!("{k}: {shown}\n"));
            }
        }
        if let Some(note) = &f.note {
            out.push_str(&format!("\n{note}\n"));
        }
        out
    }
}

impl From<ClientError> for Error {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Serialize(m) => Error::Usage(m),
            ClientError::Credentials(m) => Error::Config(m),
            other => Error::Other(other.to_string()),
        }
    }
}

impl From<nubo_args::ArgsError> for Error {
    fn from(e: nubo_args::ArgsError) -> Self {
        match e.kind {
            nubo_args::ErrorKind::Validation => Error::Invalid(e.to_string()),
            nubo_args::ErrorKind::Other => Error::Other(e.to_string()),
            _ => Error::Usage(e.to_string()),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Other(e.to_string())
    }
}

impl From<nubo_http::HttpError> for Error {
    fn from(e: nubo_http::HttpError) -> Self {
        Error::Other(e.to_string())
    }
}
