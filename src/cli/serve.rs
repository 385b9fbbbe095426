//! `loa serve`: the HTTP service.

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, env = "LOA_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the HTTP service is not built yet")
}
