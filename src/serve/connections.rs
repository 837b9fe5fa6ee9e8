//! The preview's connections, each with limits, so that idle, half-sent or
//! stalled connections cannot pile up until the computer's file limit is
//! reached: at most `Limits::connections` are open (more wait, unaccepted,
//! until one closes); a request's headers must arrive in full within
//! `Limits::header` of the connection opening or of the previous response
//! ending (hyper's header timeout, which also closes a kept-alive
//! connection that sends no next request); and a connection on which no
//! byte has moved either way for `Limits::idle` is closed. A reload stream
//! is long-lived but never idle: it sends a comment every
//! `Limits::heartbeat()`, well within the idle timeout.
//!
//! `axum::serve` has no such settings, so the accept loop is here, on
//! hyper's HTTP/1 connection builder (hyper is what axum serves with).

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// How long a connection may wait and how many may be open.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// To receive a request's headers in full, counted from the
    /// connection's opening or from the end of the previous response.
    pub header: Duration,
    /// With no byte moving either way, in the middle of a request or not.
    pub idle: Duration,
    /// Open at once; more wait in the system's queue until one closes.
    pub connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header: Duration::from_secs(5),
            idle: Duration::from_secs(30),
            connections: 256,
        }
    }
}

impl Limits {
    /// Both timeouts `each` long, for tests that must not wait 10 seconds.
    pub fn for_tests(each: Duration) -> Limits {
        Limits {
            header: each,
            idle: each,
            ..Limits::default()
        }
    }

    /// How often a reload stream sends a comment, so that a live stream
    /// is never idle long enough to be closed.
    pub fn heartbeat(&self) -> Duration {
        (self.idle / 3).max(Duration::from_millis(1))
    }
}

/// Accepts and serves connections until the runtime stops.
pub async fn accept(listener: TcpListener, app: axum::Router, limits: Limits) {
    let open = Arc::new(Semaphore::new(limits.connections.max(1)));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header);
    loop {
        // Taken before accepting: at the cap, new connections wait in the
        // system's queue instead of costing a file each.
        let Ok(permit) = Arc::clone(&open).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                // A connection that went before it was taken needs no
                // pause; running out of files does, as axum::serve does.
                if !matches!(
                    error.kind(),
                    io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::ConnectionReset
                        | io::ErrorKind::ConnectionRefused
                ) {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let http = http.clone();
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let activity = Arc::new(Activity::new());
            let io = TokioIo::new(Watched {
                stream,
                activity: Arc::clone(&activity),
            });
            let connection = http.serve_connection(io, service);
            let mut connection = std::pin::pin!(connection);
            loop {
                let quiet_until = activity.last() + limits.idle;
                tokio::select! {
                    _ = connection.as_mut() => break,
                    () = tokio::time::sleep_until(quiet_until.into()) => {
                        // Dropping the connection closes it.
                        if activity.last() + limits.idle <= Instant::now() {
                            break;
                        }
                    }
                }
            }
            drop(permit);
        });
    }
}

/// When a byte last moved on a connection.
struct Activity {
    opened: Instant,
    /// Milliseconds after `opened`.
    last: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            last: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let since = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(since, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.opened + Duration::from_millis(self.last.load(Ordering::Relaxed))
    }
}

/// A connection that notes each byte read or written.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        if let Poll::Ready(Ok(written)) = &polled
            && *written > 0
        {
            self.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(written)) = &polled
            && *written > 0
        {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
