//! `policyweb serve`: a live preview. Builds the site in memory, serves it
//! on 127.0.0.1 (another address only when asked), watches content/,
//! data/, themes/ and versions/ (and a template's content/, data/ and
//! versions/, a chain's too), rebuilds after each change (waiting for an
//! editor's several writes to settle), and tells open pages to reload. A
//! change with an error leaves the last good site served, with the error
//! shown over it; nothing is written to disk. Only requests addressed to
//! the preview are answered, every connection has timeouts, and restricted
//! views are not served to the network unless that is asked for.

mod connections;
mod host;
mod http;
pub mod rebuild;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock, mpsc};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use notify::{RecursiveMode, Watcher};
use tokio::sync::broadcast;

pub use connections::Limits;
use http::{Served, Shared};
use rebuild::{Rebuilder, Rebuilt};

/// The folders whose changes trigger a rebuild.
pub const WATCHED: [&str; 4] = ["content", "data", "themes", "versions"];

/// How long the files must be quiet before a rebuild: editors often save
/// in several steps (a temporary file, then a rename), which take a few
/// milliseconds. A save that takes longer is caught after the build: a
/// build during which more changes arrived is not shown but done again.
pub const SETTLE: Duration = Duration::from_millis(10);

pub struct Options {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 for any free port.
    pub port: u16,
    pub today: NaiveDate,
    /// Serve restricted views even when `bind` is not a loopback address.
    pub allow_restricted_on_network: bool,
    pub limits: Limits,
}

/// What the error overlay says when the preview can be reached from
/// other computers (and restricted views were not allowed there): the
/// errors' text quotes restricted sections and drafts, so it stays in the
/// terminal.
pub const ERRORS_WITHHELD: &str = "The errors are shown in the terminal where policyweb serve runs. This preview can be reached from other computers, so it does not quote the site's files here.";

/// The restricted views as serving starts.
pub enum Restricted<'a> {
    /// Served at these addresses (relative to the preview's).
    Served(&'a [String]),
    /// Not served, because the preview can be reached from other
    /// computers and `allow_restricted_on_network` was not given.
    Withheld(&'a [String]),
}

/// What the preview tells the person running it.
pub trait Reporter: Send + 'static {
    /// Serving has started at `address`.
    fn listening(&mut self, address: SocketAddr, restricted: Restricted<'_>);
    /// A build finished: `Ok(pages, milliseconds, warnings)` or the errors.
    fn built(&mut self, result: Result<(usize, u128, String), String>);
    /// A request addressed to `host` (escaped for the terminal) was
    /// refused, after `untold` others that were not told, so that a flood
    /// of them cannot flood the terminal.
    fn refused(&mut self, host: &str, untold: usize);
}

pub enum ServeFailure {
    /// The port is taken by another program.
    PortInUse(SocketAddr),
    Other(String),
}

/// Serves until Ctrl-C. The first build happens before the server starts.
pub fn serve(options: Options, reporter: impl Reporter) -> Result<(), ServeFailure> {
    let root = options
        .root
        .canonicalize()
        .map_err(|e| ServeFailure::Other(format!("cannot open {}: {e}", options.root.display())))?;
    let reporter = Arc::new(Mutex::new(reporter));
    let mut rebuilder = Rebuilder::new(root.clone(), options.today);
    let served = Arc::new(RwLock::new(Served::default()));
    let (events, _) = broadcast::channel(16);
    // Restricted views are kept out of memory altogether when they are not
    // to be served, so no path can reach them.
    let restricted_served = options.bind.is_loopback() || options.allow_restricted_on_network;
    let started = Instant::now();
    let restricted = publish(
        rebuilder.rebuild(),
        started,
        &served,
        restricted_served,
        &mut *http::lock(&reporter),
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeFailure::Other(format!("cannot start the server: {e}")))?;
    let address = SocketAddr::new(options.bind, options.port);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(address))
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AddrInUse => ServeFailure::PortInUse(address),
            _ => ServeFailure::Other(format!("cannot listen on {address}: {e}")),
        })?;
    let bound = listener
        .local_addr()
        .map_err(|e| ServeFailure::Other(e.to_string()))?;
    // Ctrl-C is caught from before the address is announced, so that an
    // interrupt never finds the default handler (which would stop the
    // process without a word).
    let interrupted = {
        let _entered = runtime.enter();
        interrupt().map_err(|e| ServeFailure::Other(format!("cannot catch Ctrl-C: {e}")))?
    };

    // Watching runs on its own thread; it rebuilds and signals the pages.
    let (changes, changed) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = changes.send(event);
    })
    .map_err(|e| ServeFailure::Other(format!("cannot watch the site's files: {e}")))?;
    for folder in WATCHED {
        let path = root.join(folder);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| ServeFailure::Other(format!("cannot watch {folder}/: {e}")))?;
        }
    }
    // A template's files (and a chain's) are the site's too: a change to
    // one is a change to the school's pages.
    let mut roots = vec![root.clone()];
    watch_templates(&mut watcher, &mut roots, rebuilder.templates());
    let watcher = Arc::new(Mutex::new(watcher));
    // Announced once the files are watched, so no change is missed.
    http::lock(&reporter).listening(
        bound,
        if restricted_served {
            Restricted::Served(&restricted)
        } else {
            Restricted::Withheld(&restricted)
        },
    );
    let shared = Shared {
        served: Arc::clone(&served),
        events: events.clone(),
        bound,
        restricted_served,
        heartbeat: options.limits.heartbeat(),
        refusals: Arc::default(),
        reporter: Arc::clone(&reporter) as Arc<Mutex<dyn Reporter>>,
    };
    let watching = Arc::clone(&watcher);
    std::thread::spawn(move || {
        while let Some(()) = next_change(&changed, &roots) {
            let started = Instant::now();
            let mut result = rebuilder.rebuild();
            while changed_again(&changed, &roots) {
                while let Ok(_more) = changed.recv_timeout(SETTLE) {}
                result = rebuilder.rebuild();
            }
            // site.yaml may name a template it did not (or another).
            watch_templates(
                &mut *http::lock(&watching),
                &mut roots,
                rebuilder.templates(),
            );
            publish(
                result,
                started,
                &served,
                restricted_served,
                &mut *http::lock(&reporter),
            );
            let _ = events.send(());
        }
    });

    let app = http::router(shared);
    runtime.block_on(async {
        tokio::select! {
            () = connections::accept(listener, app, options.limits) => {
                Err(ServeFailure::Other("the server stopped".into()))
            }
            () = interrupted => Ok(()),
        }
    })?;
    drop(watcher);
    // Open event streams would hold the runtime; stop without waiting.
    runtime.shutdown_background();
    Ok(())
}

/// Watches the content/, data/ and versions/ of each template root not
/// watched yet, adding it to `roots` (the site's own root first). A
/// folder that cannot be watched is skipped: the template's problems are
/// the build's to report.
fn watch_templates(watcher: &mut impl Watcher, roots: &mut Vec<PathBuf>, templates: &[PathBuf]) {
    for template in templates {
        if roots.contains(template) {
            continue;
        }
        roots.push(template.clone());
        for folder in ["content", "data", "versions"] {
            let path = template.join(folder);
            if path.is_dir() {
                let _ = watcher.watch(&path, RecursiveMode::Recursive);
            }
        }
    }
}

/// A future that ends at Ctrl-C, with the handler installed now.
#[cfg(unix)]
fn interrupt() -> std::io::Result<impl std::future::Future<Output = ()>> {
    let mut signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    Ok(async move {
        signal.recv().await;
    })
}

#[cfg(not(unix))]
fn interrupt() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// On success replaces what is served with a build's result (the
/// restricted views only if they are served); on failure keeps the last
/// good site and records the error. Returns the restricted views'
/// addresses.
fn publish(
    result: Result<Rebuilt, String>,
    started: Instant,
    served: &RwLock<Served>,
    restricted_served: bool,
    reporter: &mut impl Reporter,
) -> Vec<String> {
    let mut served = match served.write() {
        Ok(served) => served,
        Err(poisoned) => poisoned.into_inner(),
    };
    match result {
        Ok(rebuilt) => {
            let pages = rebuilt.public.html_pages() + rebuilt.restricted.html_pages();
            let views = restricted_views(&rebuilt.restricted);
            served.public = rebuilt.public;
            if restricted_served {
                served.restricted = rebuilt.restricted;
            }
            served.error = None;
            reporter.built(Ok((pages, started.elapsed().as_millis(), rebuilt.warnings)));
            views
        }
        Err(errors) => {
            // The errors quote the site's files, restricted sections and
            // drafts included: to other computers the overlay says only
            // that there are errors, and where to read them.
            served.error = Some(if restricted_served {
                errors.clone()
            } else {
                ERRORS_WITHHELD.to_string()
            });
            reporter.built(Err(errors));
            restricted_views(&served.restricted)
        }
    }
}

/// The addresses of the restricted views in a built tree.
fn restricted_views(restricted: &crate::output::Tree) -> Vec<String> {
    let mut views: Vec<String> = restricted
        .files
        .keys()
        .filter_map(|p| p.strip_suffix("/index.html"))
        .filter(|p| !p.contains('/') && format!("{p}/") != crate::urls::accessibility())
        .map(|view| format!("restricted/{view}/"))
        .collect();
    views.dedup();
    views
}

/// Waits for a change worth a rebuild, then for the files to settle.
/// `None` when the watcher has gone.
fn next_change(
    changed: &mpsc::Receiver<notify::Result<notify::Event>>,
    roots: &[PathBuf],
) -> Option<()> {
    loop {
        let event = changed.recv().ok()?;
        if !matters(&event, roots) {
            continue;
        }
        while let Ok(_more) = changed.recv_timeout(SETTLE) {}
        return Some(());
    }
}

/// Whether a change worth a rebuild has arrived since the last one was
/// taken, without waiting.
fn changed_again(
    changed: &mpsc::Receiver<notify::Result<notify::Event>>,
    roots: &[PathBuf],
) -> bool {
    let mut again = false;
    while let Ok(event) = changed.try_recv() {
        again |= matters(&event, roots);
    }
    again
}

/// Whether an event touches a file the site is built from, rather than an
/// editor's swap or backup file (in the site or one of its templates).
fn matters(event: &notify::Result<notify::Event>, roots: &[PathBuf]) -> bool {
    let Ok(event) = event else {
        return true;
    };
    if event.kind.is_access() {
        return false;
    }
    event.paths.iter().any(|path| {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let scratch = name.starts_with(".#")
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name == "4913";
        !scratch && roots.iter().any(|root| path.strip_prefix(root).is_ok())
    })
}
