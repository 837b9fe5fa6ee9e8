//! `policyweb serve`: the live preview, and what it says as it goes.

use std::process::ExitCode;

/// What `serve` prints: where it is, and each rebuild's result.
struct ServeReporter {
    quiet: bool,
    open: bool,
}

impl crate::serve::Reporter for ServeReporter {
    fn listening(
        &mut self,
        address: std::net::SocketAddr,
        restricted: crate::serve::Restricted<'_>,
    ) {
        eprintln!("Serving on http://{address}/ (Ctrl-C to stop)");
        match restricted {
            crate::serve::Restricted::Served(views) => {
                let reach = if address.ip().is_loopback() {
                    ", this computer only"
                } else {
                    ""
                };
                for view in views {
                    eprintln!("  restricted view{reach}: http://{address}/{view}");
                }
                if !address.ip().is_loopback() {
                    eprintln!(
                        "warning: the preview, restricted views included (--allow-restricted-on-network), can be reached from other computers at {address}"
                    );
                }
            }
            crate::serve::Restricted::Withheld(views) => {
                eprintln!("warning: the preview can be reached from other computers at {address}");
                if !views.is_empty() {
                    eprintln!(
                        "  restricted views are not served, because other computers could see them; add --allow-restricted-on-network to serve them: {}",
                        views.join(", ")
                    );
                }
            }
        }
        if self.open {
            let url = format!("http://{address}/");
            let opener = if cfg!(target_os = "macos") {
                "open"
            } else {
                "xdg-open"
            };
            if std::process::Command::new(opener)
                .arg(&url)
                .spawn()
                .is_err()
            {
                eprintln!("Could not open a browser; open {url} yourself.");
            }
        }
    }

    fn refused(&mut self, host: &str, untold: usize) {
        let more = match untold {
            0 => String::new(),
            1 => " (and 1 more before it, not shown)".into(),
            n => format!(" (and {n} more before it, not shown)"),
        };
        eprintln!(
            "refused a request for \"{host}\": the preview answers only at the address above (a page elsewhere may be trying to read it){more}"
        );
    }

    fn built(&mut self, result: Result<(usize, u128, String), String>) {
        match result {
            Ok((pages, ms, warnings)) => {
                if !self.quiet {
                    eprint!("{warnings}");
                    eprintln!("Built {pages} pages in {ms} ms.");
                }
            }
            Err(errors) => {
                eprint!("{errors}");
                eprintln!(
                    "The build failed; the last good site is still served, with the error shown on every page."
                );
            }
        }
    }
}

/// `policyweb serve`: until Ctrl-C.
pub fn run(options: crate::serve::Options, open: bool, quiet: bool) -> ExitCode {
    let reporter = ServeReporter { quiet, open };
    match crate::serve::serve(options, reporter) {
        Ok(()) => {
            eprintln!("Stopped.");
            ExitCode::SUCCESS
        }
        Err(crate::serve::ServeFailure::PortInUse(address)) => {
            eprintln!(
                "error: port {} on {} is already in use (another preview?); try another: policyweb serve --port {}",
                address.port(),
                address.ip(),
                address.port().wrapping_add(1).max(1024)
            );
            ExitCode::from(2)
        }
        Err(crate::serve::ServeFailure::Other(problem)) => {
            eprintln!("error: {problem}");
            ExitCode::from(1)
        }
    }
}
