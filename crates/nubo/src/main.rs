//! nubo: a fast, single-binary AWS command-line client. This file only wires the process to [`app::run`].

mod app;
mod configure;
mod context;
mod credentials;
mod curl_cmd;
mod customize;
mod debug_cmd;
mod error;
mod globals;
mod help;
mod operation;
mod paginate;
mod presign;
mod print;
mod send;
mod sign_cmd;

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
    let code = app::run(&args, env);
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}
