//! Shutdown: the signals that start it, and the two steps that follow (drain, then cut).
//!
//! On SIGINT or SIGTERM the server stops accepting connections and `/readyz` turns 503; the
//! requests in flight go on for the grace period, then every stream still running is cut (an
//! unfinished streaming body would otherwise hold the server open for as long as it lasts).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};

use super::state::Lifecycle;

/// Resolves when the process receives SIGINT (Ctrl-C) or SIGTERM.
pub async fn signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("SIGINT received"),
        () = terminate => tracing::info!("SIGTERM received"),
    }
}

/// Waits for `trigger`, then drains: marks the service as not ready at once, and cuts the
/// streams still running after `grace`. The returned future resolves when draining begins
/// (what `axum::serve(..).with_graceful_shutdown` wants).
pub async fn drain_on(trigger: impl Future<Output = ()>, lifecycle: Lifecycle, grace: Duration) {
    trigger.await;
    tracing::info!(
        grace_ms = grace.as_millis() as u64,
        "shutting down: draining"
    );
    lifecycle.draining.cancel();
    tokio::spawn(async move {
        tokio::time::sleep(grace).await;
        if !lifecycle.cut.is_cancelled() {
            tracing::warn!("grace period over: cutting the streams still running");
            lifecycle.cut.cancel();
        }
    });
}

/// A listener whose connections all break when `cut` is cancelled.
///
/// Graceful shutdown waits for every response to finish, and a streaming response whose
/// client has stopped reading is never polled again (its socket is full), so watching the
/// token in the body is not enough: the connection itself must fail. Each accepted stream
/// therefore fails its next read or write once the token is cancelled, and wakes up to do so.
#[derive(Debug)]
pub struct CutListener {
    inner: tokio::net::TcpListener,
    cut: CancellationToken,
}

impl CutListener {
    /// Wraps `inner`; its connections break when `cut` is cancelled.
    pub fn new(inner: tokio::net::TcpListener, cut: CancellationToken) -> Self {
        CutListener { inner, cut }
    }
}

impl axum::serve::Listener for CutListener {
    type Io = CutStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = axum::serve::Listener::accept(&mut self.inner).await;
        let stream = CutStream {
            inner: io,
            cut: Box::pin(self.cut.clone().cancelled_owned()),
            token: self.cut.clone(),
        };
        (stream, addr)
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// A TCP connection that fails once the shutdown deadline has passed.
#[derive(Debug)]
pub struct CutStream {
    inner: tokio::net::TcpStream,
    cut: Pin<Box<WaitForCancellationFutureOwned>>,
    token: CancellationToken,
}

impl CutStream {
    /// The error to return if the deadline has passed; otherwise registers for a wake-up.
    fn cut(&mut self, cx: &mut Context<'_>) -> Option<io::Error> {
        let passed = self.token.is_cancelled() || self.cut.as_mut().poll(cx).is_ready();
        passed.then(|| io::Error::new(io::ErrorKind::ConnectionAborted, "shutdown deadline"))
    }
}

impl AsyncRead for CutStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(e) = this.cut(cx) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for CutStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Some(e) = this.cut(cx) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Some(e) = this.cut(cx) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(e) = this.cut(cx) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
