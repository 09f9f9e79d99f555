//! The command line of one operation (`nubo <service> <operation> --kebab-options…`) turned into the
//! operation's input, exactly as the AWS CLI v2 does it, driven by the service model: option names
//! (with the CLI's renames), scalars, booleans (`--x`/`--no-x`), lists, shorthand syntax, JSON,
//! `file://` and `fileb://` values, `--cli-input-json`/`--cli-input-yaml`, `--generate-cli-skeleton`,
//! streaming input and output files, pagination options, blob formats and validation against the
//! model, with the CLI's error messages.
//!
//! Entry points: [`parse`], [`skeleton`] and [`options`].
//!
//! How the binary uses it: it removes the global options, then calls [`parse`] with the service
//! model, the operation, the remaining arguments and [`ArgOptions`] (the CLI service name, the
//! operation's paginator keys, `--no-paginate`, `cli_binary_format`, `parameter_validation`). The
//! result is one of: `help` (show the operation's help); `skeleton` set (print [`skeleton`] of that
//! kind instead of calling; `Output` is printed like a response); or the call to make:
//! `input` for the serializer, `streaming_input` (a file to send as the payload),
//! `outfile` (where to write a streaming payload), `pagination`, and `warnings` for standard error.
//! Errors carry the CLI's message and [`ErrorKind`] (how the CLI prints it, and its exit code).
//!
//! Value conventions of `input` (those of nubo-protocol): keys are member names; blobs are base64
//! strings; timestamps are ISO 8601 UTC strings or epoch seconds; documents and JSON-valued headers
//! are the JSON value given.

mod argtable;
mod argv;
mod autofill;
mod backfill;
mod blobs;
mod cliinput;
mod convert;
mod error;
mod paramfile;
mod parse;
mod pyjson;
mod pyval;
mod renames;
mod shapes;
mod shorthand;
mod skeleton;
mod timestamp;
mod unpack;
mod validate;

pub use argtable::{OptionKind, OptionSpec};
pub use blobs::BinaryFormat;
pub use error::{ArgsError, ErrorKind};
pub use parse::{ArgOptions, Pagination, ParsedArgs, StreamingInput, options, parse};
pub use skeleton::{Skeleton, SkeletonKind, skeleton};
pub use timestamp::epoch_micros;

/// Entry points for the fuzz targets (`fuzz/`) and property tests: the text-only parsers, outside any
/// model. Not part of the crate's interface.
#[doc(hidden)]
pub mod fuzzing {
    /// Parses one shorthand value (`Key=k,Values=[a,b]`) into JSON, without a model's types;
    /// `file://` values are not loaded.
    pub fn shorthand_to_json(text: &str) -> Result<serde_json::Value, String> {
        match crate::shorthand::parse(text) {
            Ok(v) => Ok(v.to_json_plain()),
            Err(crate::shorthand::ShorthandError::Syntax(m) | crate::shorthand::ShorthandError::Other(m)) => {
                Err(m)
            }
        }
    }
}
