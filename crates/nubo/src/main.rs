//! nubo: a fast, single-binary AWS command-line client. This file only wires the process to [`app::run`].

mod app;
mod completion;
mod configure;
mod credentials;
mod curl_cmd;
mod customize;
mod debug_cmd;
mod error;
mod globals;
mod help;
mod history;
mod login_cmd;
mod op_lookup;
mod operation;
mod presign;
mod print;
mod registry;
mod s3_cmd;
mod send;
mod sign_cmd;
mod wait;

use std::io::Write;

fn main() {
    let args: Vec<String> = match std::env::args_os().skip(1).map(|a| a.into_string()).collect() {
        Ok(a) => a,
        Err(bad) => {
            let _ = writeln!(
                std::io::stderr(),
                "nubo: error: argument is not valid UTF-8: {}",
                bad.to_string_lossy()
            );
            std::process::exit(error::exit::USAGE);
        }
    };
    let env = nubo_settings::env::Env::from_process();
    // A bug must not spill a backtrace (or anything it holds) on the user: one line, exit 255.
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let _ = writeln!(std::io::stderr(), "\nnubo: internal error{location}; please report it");
    }));
    let code = std::panic::catch_unwind(|| app::run(&args, env)).unwrap_or(error::exit::OTHER);
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}
