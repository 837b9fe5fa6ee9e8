//! The preview's connections, each with limits, so that idle, half-sent or
//! stalled connections cannot pile up until the computer's file limit is
//! reached: at most `Limits::connections` are open (at the cap, a new one
//! takes the place of the oldest that has not been answered anything, such
//! as an idle or half-sent one; if every open one has been answered, it
//! waits until one closes); a request's headers must arrive in full within
//! `Limits::header` of the connection opening or of the previous response
//! ending (hyper's header timeout, which also closes a kept-alive
//! connection that sends no next request); and a connection on which no
//! byte has moved either way for `Limits::idle` is closed. A reload stream
//! is long-lived but never idle: it sends a comment every
//! `Limits::heartbeat()`, well within the idle timeout.
//!
//! `axum::serve` has no such settings, so the accept loop is here, on
//! hyper's HTTP/1 connection builder (hyper is what axum serves with).

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore};

/// How long a connection may wait and how many may be open.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// To receive a request's headers in full, counted from the
    /// connection's opening or from the end of the previous response.
    pub header: Duration,
    /// With no byte moving either way, in the middle of a request or not.
    pub idle: Duration,
    /// Open at once. At the cap a new connection replaces the oldest one
    /// that has had no answer, or waits for one to close.
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
    /// Both timeouts `each` long, for tests that must not wait 5 seconds.
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

/// How many connections never answered are closed at once when a new one
/// arrives at the cap.
const GIVE_WAY: usize = 16;

/// Accepts and serves connections until the runtime stops.
pub async fn accept(listener: TcpListener, app: axum::Router, limits: Limits) {
    let open = Arc::new(Semaphore::new(limits.connections.max(1)));
    // Every open connection, oldest first (closed ones are dropped when
    // the list is next looked through).
    let mut opened: VecDeque<Weak<Activity>> = VecDeque::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header);
    loop {
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
        let permit = match Arc::clone(&open).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                // At the cap: connections that were never answered (idle,
                // half-sent, dripped) give way to new ones, so a flood of
                // them cannot keep the browser out. A few go at once, so
                // that a queue of new ones need not wait for each to close.
                opened.retain(|activity| activity.strong_count() > 0);
                for oldest in opened
                    .iter()
                    .filter_map(Weak::upgrade)
                    .filter(|activity| !activity.answered.load(Ordering::Relaxed))
                    .take(GIVE_WAY)
                {
                    oldest.close.notify_one();
                }
                let Ok(permit) = Arc::clone(&open).acquire_owned().await else {
                    return;
                };
                permit
            }
        };
        let _ = stream.set_nodelay(true);
        let http = http.clone();
        let service = TowerToHyperService::new(app.clone());
        let activity = Arc::new(Activity::new());
        opened.push_back(Arc::downgrade(&activity));
        if opened.len() > 2 * limits.connections {
            opened.retain(|activity| activity.strong_count() > 0);
        }
        tokio::spawn(async move {
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
                    // Given way to a new connection.
                    () = activity.close.notified() => break,
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

/// When a byte last moved on a connection, and whether it has been
/// answered anything.
struct Activity {
    opened: Instant,
    /// Milliseconds after `opened`.
    last: AtomicU64,
    answered: AtomicBool,
    /// Told when the connection is to give way to a new one.
    close: Notify,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            last: AtomicU64::new(0),
            answered: AtomicBool::new(false),
            close: Notify::new(),
        }
    }

    fn answered(&self) {
        self.answered.store(true, Ordering::Relaxed);
        self.touch();
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
            self.activity.answered();
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
            self.activity.answered();
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
