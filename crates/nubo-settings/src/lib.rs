//! Settings: the config and credentials files (parse, merge, edit, write atomically), where they
//! live, and the chain (command line, environment, profile, default) that gives each setting its value.
//!
//! Modules, in the order data flows through them: [`env`](mod@env) (a snapshot of the environment),
//! [`location`] (where the two files are), [`parse`] (one file's text into sections), [`profiles`]
//! (both files merged into one [`profiles::ProfileSet`], with [`dump`] for `configure dump`),
//! [`edit`] (changing values in a file, written atomically under a lock) and [`chain`].

pub mod atomic;
pub mod chain;
pub mod dump;
pub mod edit;
pub mod env;
pub mod location;
pub mod parse;
pub mod profiles;
mod syntax;
