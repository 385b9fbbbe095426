//! `loa healthcheck`: asks a running service's `/healthz` and exits 0 when it answers 200.
//! For container HEALTHCHECKs: the runtime image needs no curl.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The service's address.
    #[arg(long, env = "LOA_ADDR", default_value = "127.0.0.1:8080", value_parser = super::serve::resolve)]
    addr: SocketAddr,
    /// The path to ask.
    #[arg(long, default_value = "/healthz")]
    path: String,
    /// Seconds to wait for the answer.
    #[arg(long, default_value_t = 3)]
    timeout: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // A service bound to every interface is asked on loopback.
    let mut addr = args.addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    let timeout = Duration::from_secs(args.timeout.max(1));
    let mut stream = TcpStream::connect_timeout(&addr, timeout)
        .with_context(|| format!("connecting to {addr}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(
        stream,
        "GET {} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n",
        args.path
    )?;
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).context("reading the answer")?;
    let status_line = String::from_utf8_lossy(&head[..n]);
    let status = status_line.split_whitespace().nth(1).unwrap_or("");
    if status == "200" {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "loa: {addr}{} answered `{}`",
            args.path,
            status_line.lines().next().unwrap_or("")
        );
        Ok(ExitCode::FAILURE)
    }
}
