//! Ctrl-C and `kill` during a build: nothing half-written is left behind.
//!
//! While an output is being written, a signal only raises a flag; the
//! writer sees it between files, removes its staging folder and reports
//! the interruption, and the last good output stays as it was. When
//! nothing is being written, the process ends at once: there is nothing to
//! clean up. (A SIGKILL cannot be caught: the staging folder it leaves is
//! removed by the next build; see `guard::remove_leftovers`.)

use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, Ordering};

/// How many outputs are being written now.
static WRITING: Mutex<usize> = Mutex::new(0);
/// The exit code the interrupting signal asks for (130 for SIGINT, 143 for
/// SIGTERM), or 0.
static STOP: AtomicI32 = AtomicI32::new(0);

/// Asks the build to stop, as a signal does: exits now with `code` if no
/// output is being written, or else has the writer stop and clean up.
pub fn stop(code: i32) {
    let writing = WRITING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    STOP.store(code, Ordering::SeqCst);
    if *writing == 0 {
        // Held while exiting, so that no write can start meanwhile.
        std::process::exit(code);
    }
}

/// The exit code of the signal that stopped the build, if one did.
pub fn stopped() -> Option<i32> {
    match STOP.load(Ordering::SeqCst) {
        0 => None,
        code => Some(code),
    }
}

/// Marks an output as being written until the guard is dropped. `None`
/// when a stop was already asked for.
pub fn writing() -> Option<Writing> {
    let mut writing = WRITING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if stopped().is_some() {
        return None;
    }
    *writing += 1;
    Some(Writing(()))
}

/// Runs `step` unless a stop was asked for; while it runs, a signal waits
/// (the swap itself is never cut in two by our own cleanup).
pub fn unless_stopped<T>(step: impl FnOnce() -> T) -> Option<T> {
    let _writing = WRITING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if stopped().is_some() {
        return None;
    }
    Some(step())
}

pub struct Writing(());

impl Drop for Writing {
    fn drop(&mut self) {
        let mut writing = WRITING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *writing = writing.saturating_sub(1);
    }
}

/// Turns SIGINT and SIGTERM (Ctrl-C elsewhere) into `stop`, on a thread of
/// its own; returns once the handlers are in place, so that no signal
/// arrives before they are.
pub fn watch_signals() {
    let (ready, wait) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                let _ = ready.send(());
                return;
            };
            runtime.block_on(async move {
                #[cfg(unix)]
                {
                    use tokio::signal::unix::{SignalKind, signal};
                    let (Ok(mut interrupt), Ok(mut terminate)) = (
                        signal(SignalKind::interrupt()),
                        signal(SignalKind::terminate()),
                    ) else {
                        let _ = ready.send(());
                        return;
                    };
                    let _ = ready.send(());
                    loop {
                        tokio::select! {
                            _ = interrupt.recv() => stop(130),
                            _ = terminate.recv() => stop(143),
                        }
                    }
                }
                #[cfg(not(unix))]
                {
                    let _ = ready.send(());
                    while tokio::signal::ctrl_c().await.is_ok() {
                        stop(130);
                    }
                }
            });
        });
    if spawned.is_ok() {
        let _ = wait.recv();
    }
}
