//! The `loa` command: flags → the chosen subcommand. Nothing else lives here.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("loa: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
