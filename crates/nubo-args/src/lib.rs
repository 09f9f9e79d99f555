//! The command line of one operation (`nubo <service> <operation> --kebab-options…`) turned into the
//! operation's input, exactly as the AWS CLI v2 does it, driven by the service model: option names
//! (with the CLI's renames), scalars, booleans (`--x`/`--no-x`), lists, shorthand syntax, JSON,
//! `file://` and `fileb://` values, `--cli-input-json`/`--cli-input-yaml`, `--generate-cli-skeleton`,
//! streaming input and output files, pagination options, blob formats and validation against the
//! model, with the CLI's error messages.
//!
//! Entry points: [`parse`], [`skeleton`] and [`options`].

mod argtable;
mod argv;
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
