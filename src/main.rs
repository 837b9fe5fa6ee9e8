//! The `policyweb` command: parses arguments, calls the library, prints
//! what it found, and maps the outcome to an exit code (0 success, 1 a
//! problem in the site, 2 a usage error).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Parser;

use policyweb::cli::{Cli, Command, Format, NewCommand, ReportFormat};
use policyweb::{BuildOptions, build};

/// Today, or the day `POLICYWEB_TODAY` names: one fixed day for every
/// command, for tests and for documentation that shows what a command
/// prints (the `--today` of build, status and serve still wins).
fn today() -> Result<NaiveDate, String> {
    match std::env::var("POLICYWEB_TODAY") {
        Ok(text) if !text.is_empty() => policyweb::cli::parse_day(&text)
            .map_err(|problem| format!("POLICYWEB_TODAY: {problem}")),
        _ => Ok(chrono::Local::now().date_naive()),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = !no_color && std::io::stderr().is_terminal();
    let now = match today() {
        Ok(day) => day,
        Err(problem) => {
            eprintln!("error: {problem}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Init { dir, school, force } => init(&dir, &school, force, now, cli.quiet, color),
        Command::New { what } => new(what, now, cli.quiet, color),
        Command::Explain { topic } => explain(topic.as_deref()),
        Command::Diff {
            old,
            new,
            root,
            view,
            format,
        } => diff(
            &root,
            (&old, &new),
            view.as_deref(),
            format,
            (!no_color, color),
            now,
        ),
        Command::Serve {
            root,
            port,
            bind,
            allow_restricted_on_network,
            test_timeout_ms,
            test_connections,
            open,
            today,
        } => {
            let mut limits = test_timeout_ms.map_or_else(policyweb::serve::Limits::default, |ms| {
                policyweb::serve::Limits::for_tests(std::time::Duration::from_millis(ms))
            });
            if let Some(connections) = test_connections {
                limits.connections = connections;
            }
            let options = policyweb::serve::Options {
                root,
                bind,
                port,
                today: today.unwrap_or(now),
                allow_restricted_on_network,
                limits,
            };
            serve(options, open, cli.quiet)
        }
        Command::Status {
            root,
            strict,
            format,
            today,
        } => status(
            &root,
            strict,
            format,
            today.unwrap_or(now),
            (!no_color, color),
        ),
        Command::Check {
            root,
            no_cache,
            warn_only,
            format,
        } => check(&root, no_cache, warn_only, format, cli.quiet, color, now),
        Command::Release {
            id,
            approved,
            by,
            minute,
            next_review,
            root,
        } => {
            let approval = policyweb::release::ApprovalToRecord {
                id,
                approved,
                by,
                minute,
                next_review,
            };
            match policyweb::release::release(&root, &approval, now) {
                Ok(released) => {
                    if !cli.quiet {
                        eprintln!(
                            "Recorded the approval of revision {} in data/versions.yaml{} and froze its text in {}.",
                            approval.id,
                            if released.appended {
                                " (a new entry)"
                            } else {
                                ""
                            },
                            released.frozen.display()
                        );
                        eprintln!(
                            "To start the next revision, add a draft to data/versions.yaml (id, `status: draft`, `source: working`) and edit content/ and data/."
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err((sources, diagnostics)) => {
                    eprint!("{}", diagnostics.render(&sources, color));
                    eprintln!("Nothing was changed.");
                    ExitCode::from(1)
                }
            }
        }
        Command::Build {
            root,
            out,
            restricted_out,
            today,
            base_url,
        } => {
            let options = BuildOptions {
                out: out.unwrap_or_else(|| root.join("public")),
                restricted_out,
                root,
                today: today.unwrap_or(now),
                base_url,
            };
            let started = std::time::Instant::now();
            // Ctrl-C while writing removes the half-written folder.
            policyweb::output::interrupt::watch_signals();
            let outcome = build(&options);
            let mut shown = outcome.diagnostics.clone();
            if cli.quiet {
                shown.items.retain(|d| d.is_error());
            }
            eprint!("{}", shown.render(&outcome.sources, color));
            let errors = outcome.diagnostics.error_count();
            let warnings = outcome.diagnostics.warning_count();
            match &outcome.written {
                Some(written) => {
                    if !cli.quiet {
                        let index = options.out.join("index.html");
                        eprintln!(
                            "Built {} pages into {} in {} ms{}.",
                            written.public_pages,
                            options.out.display(),
                            started.elapsed().as_millis(),
                            plural(warnings, " with", "warning"),
                        );
                        if cli.verbose {
                            for (view, pages) in &written.views {
                                eprintln!("  {view}: {pages} pages");
                            }
                        }
                        let (revision, gaps) = &written.curriculum_gaps;
                        if !gaps.is_empty() {
                            eprintln!("Curriculum gaps in revision {revision}:");
                            for gap in gaps {
                                eprintln!("  - {gap}");
                            }
                        }
                        if written.restricted_pages > 0 {
                            eprintln!(
                                "Restricted views: {} pages in {} (never published).",
                                written.restricted_pages,
                                written.restricted_out.display()
                            );
                        }
                        eprintln!(
                            "Open {} in a browser, or serve the folder: python3 -m http.server --directory {}",
                            index.display(),
                            options.out.display()
                        );
                    }
                    ExitCode::SUCCESS
                }
                None if outcome.refused => {
                    eprintln!("Nothing was built, and no folder was changed.");
                    ExitCode::from(2)
                }
                None => {
                    eprintln!(
                        "The build failed{}{}; {} was not changed.",
                        plural(errors, " with", "error"),
                        plural(warnings, ",", "warning"),
                        options.out.display()
                    );
                    let stopped = policyweb::output::interrupt::stopped();
                    ExitCode::from(
                        stopped
                            .and_then(|code| u8::try_from(code).ok())
                            .unwrap_or(1),
                    )
                }
            }
        }
    }
}

/// `policyweb diff`: the account on stdout, coloured when stdout is a
/// terminal (and NO_COLOR is unset); problems on stderr.
fn diff(
    root: &std::path::Path,
    (old, new): (&str, &str),
    view: Option<&str>,
    format: Format,
    (color_allowed, stderr_color): (bool, bool),
    now: NaiveDate,
) -> ExitCode {
    let Some(site) = load_or_report(root, now, stderr_color, "compare its revisions") else {
        return ExitCode::from(1);
    };
    let known: Vec<&str> = site.revisions.iter().map(|r| r.id.as_str()).collect();
    let find = |id: &str| {
        site.revision(id).ok_or_else(|| {
            format!(
                "there is no revision `{id}`; data/versions.yaml lists {}",
                known.join(", ")
            )
        })
    };
    let (old, new) = match (find(old), find(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(problem), _) | (_, Err(problem)) => {
            eprintln!("error: {problem}");
            return ExitCode::from(2);
        }
    };
    if let Some(view) = view
        && !site.settings.views.iter().any(|v| v.id == view)
    {
        let views: Vec<&str> = site.settings.views.iter().map(|v| v.id.as_str()).collect();
        eprintln!(
            "error: there is no view `{view}`; data/site.yaml lists {}",
            views.join(", ")
        );
        return ExitCode::from(2);
    }
    let changes = policyweb::changes::compare(&site, old, new, view);
    let text = match format {
        Format::Json => match json(&changes) {
            Some(json) => json,
            None => return ExitCode::from(1),
        },
        Format::Text => {
            let color = color_allowed && std::io::stdout().is_terminal();
            policyweb::changes::report::terminal(&changes, color)
        }
    };
    // A reader that stops early (`| head`) is not an error.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::SUCCESS
}

/// `policyweb explain`: a part of the reference on stdout, or the topics.
fn explain(topic: Option<&str>) -> ExitCode {
    let Some(wanted) = topic else {
        let mut out = String::from("Topics (policyweb explain TOPIC):\n");
        for topic in policyweb::explain::topics() {
            out.push_str(&format!("  {}\n", topic.name));
        }
        let _ = std::io::stdout().lock().write_all(out.as_bytes());
        return ExitCode::SUCCESS;
    };
    match policyweb::explain::find(wanted) {
        Some(topic) => {
            let _ = writeln!(std::io::stdout().lock(), "{}", topic.text);
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: the reference has no topic `{wanted}`");
            eprintln!("  help: {}", policyweb::explain::unknown(wanted));
            ExitCode::from(2)
        }
    }
}

/// Loads the site for a command that needs it whole; prints its errors.
fn load_or_report(
    root: &std::path::Path,
    today: NaiveDate,
    color: bool,
    doing: &str,
) -> Option<policyweb::model::Site> {
    let (site, sources, mut diagnostics) = policyweb::load_site(root, today);
    diagnostics.sort(&sources);
    diagnostics.items.retain(|d| d.is_error());
    match site.filter(|_| !diagnostics.has_errors()) {
        Some(site) => Some(site),
        None => {
            eprint!("{}", diagnostics.render(&sources, color));
            eprintln!("The site has errors; fix them to {doing}.");
            None
        }
    }
}

/// `policyweb status`: one screen on stdout; with `--strict`, exit 1 when
/// anything needs doing.
fn status(
    root: &std::path::Path,
    strict: bool,
    format: Format,
    today: NaiveDate,
    (color_allowed, stderr_color): (bool, bool),
) -> ExitCode {
    let Some(site) = load_or_report(root, today, stderr_color, "see its status") else {
        return ExitCode::from(1);
    };
    let status = policyweb::status::status(&site);
    let text = match format {
        Format::Json => match json(&status) {
            Some(json) => json,
            None => return ExitCode::from(1),
        },
        Format::Text => {
            let color = color_allowed && std::io::stdout().is_terminal();
            policyweb::status::terminal(&status, color)
        }
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    // What only rendering finds, such as a draft's reference to a section
    // one of its views will not show once it is approved.
    let (_, mut rendered) = policyweb::generate(&site);
    rendered.sort(&site.sources);
    rendered.items.retain(|d| d.is_error());
    if rendered.has_errors() {
        eprint!("{}", rendered.render(&site.sources, stderr_color));
        let count = rendered.error_count();
        let (errors, stop, them) = if count == 1 {
            ("error", "stops", "it")
        } else {
            ("errors", "stop", "them")
        };
        eprintln!(
            "The site has {count} {errors} that {stop} a build or a release; fix {them} first."
        );
        return ExitCode::from(1);
    }
    let failures = status.strict_failures();
    if strict && !failures.is_empty() {
        eprintln!(
            "status --strict: {} to attend to: {}",
            failures.len(),
            failures.join("; ")
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// What `serve` prints: where it is, and each rebuild's result.
struct ServeReporter {
    quiet: bool,
    open: bool,
}

impl policyweb::serve::Reporter for ServeReporter {
    fn listening(
        &mut self,
        address: std::net::SocketAddr,
        restricted: policyweb::serve::Restricted<'_>,
    ) {
        eprintln!("Serving on http://{address}/ (Ctrl-C to stop)");
        match restricted {
            policyweb::serve::Restricted::Served(views) => {
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
            policyweb::serve::Restricted::Withheld(views) => {
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
fn serve(options: policyweb::serve::Options, open: bool, quiet: bool) -> ExitCode {
    let reporter = ServeReporter { quiet, open };
    match policyweb::serve::serve(options, reporter) {
        Ok(()) => {
            eprintln!("Stopped.");
            ExitCode::SUCCESS
        }
        Err(policyweb::serve::ServeFailure::PortInUse(address)) => {
            eprintln!(
                "error: port {} on {} is already in use (another preview?); try another: policyweb serve --port {}",
                address.port(),
                address.ip(),
                address.port().wrapping_add(1).max(1024)
            );
            ExitCode::from(2)
        }
        Err(policyweb::serve::ServeFailure::Other(problem)) => {
            eprintln!("error: {problem}");
            ExitCode::from(1)
        }
    }
}

/// A report as JSON for tools; `None` (the problem said) if it cannot be.
fn json(value: &impl serde::Serialize) -> Option<String> {
    match serde_json::to_string_pretty(value) {
        Ok(json) => Some(json + "\n"),
        Err(error) => {
            eprintln!("error: cannot write JSON: {error}");
            None
        }
    }
}

/// " with 2 warnings", "" for none.
fn plural(count: usize, joiner: &str, noun: &str) -> String {
    match count {
        0 => String::new(),
        1 => format!("{joiner} 1 {noun}"),
        n => format!("{joiner} {n} {noun}s"),
    }
}

/// `policyweb check`: every external link, checked; the report on stdout,
/// progress on stderr (a bar on a terminal, a line per address in CI).
fn check(
    root: &std::path::Path,
    no_cache: bool,
    warn_only: bool,
    format: ReportFormat,
    quiet: bool,
    color: bool,
    today: NaiveDate,
) -> ExitCode {
    use policyweb::links::external::{self, CheckFailure, LinkResult, report};
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let progress = |done: usize, total: usize, result: &LinkResult| match &bar {
        Some(bar) => {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message(result.url.clone());
        }
        None if !quiet => {
            let state = match result.outcome {
                external::LinkOutcome::Broken { .. } => "broken",
                external::LinkOutcome::Unchecked { .. } => "not decided",
                external::LinkOutcome::Moved { .. } => "moved",
                external::LinkOutcome::Excluded => "excluded",
                _ => "ok",
            };
            eprintln!("[{done}/{total}] {state} {}", result.url);
        }
        None => {}
    };
    let outcome = external::run(root, today, !no_cache, &progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = match outcome {
        Ok(report) => report,
        Err(CheckFailure::Site(sources, diagnostics)) => {
            eprint!("{}", diagnostics.render(&sources, color));
            eprintln!("The site has errors; fix them to check its links.");
            return ExitCode::from(1);
        }
        Err(CheckFailure::Checker(problem)) => {
            eprintln!("error: {problem}");
            return ExitCode::from(1);
        }
    };
    let text = match format {
        ReportFormat::Text => report::terminal(&report, color && std::io::stdout().is_terminal()),
        ReportFormat::Markdown => report::markdown(&report),
        ReportFormat::Json => match json(&report) {
            Some(json) => json,
            None => return ExitCode::from(1),
        },
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if report.fails() && !warn_only {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `policyweb init`: the starter site, then what to do next.
fn init(
    dir: &std::path::Path,
    school: &str,
    force: bool,
    today: NaiveDate,
    quiet: bool,
    color: bool,
) -> ExitCode {
    use policyweb::scaffold::init::PLACEHOLDER_SCHOOL;
    let created = match policyweb::scaffold::init::init(dir, school, force, today) {
        Ok(created) => created,
        Err(problem) => return refused(problem, color),
    };
    if quiet {
        return ExitCode::SUCCESS;
    }
    let shown = created.dir.display().to_string();
    eprintln!(
        "Created a policy site for {} in {shown}/ ({} files):",
        school.trim(),
        created.files.len()
    );
    for (what, says) in [
        ("content/", "the policy, one Markdown file per section"),
        (
            "data/",
            "the school, roles, people, organisations, documents, dates and curriculum",
        ),
        (
            ".github/workflows/policyweb.yml",
            "publishes the site with GitHub Pages",
        ),
        (".gitlab-ci.yml", "publishes the site with GitLab Pages"),
        (".gitignore", "keeps the built website out of git"),
    ] {
        eprintln!("  {what:<32} {says}");
    }
    eprintln!(
        "The policy is a draft (revision {}); the people in data/people.yaml and the addresses marked REPLACE are examples to change.",
        created.revision
    );
    if school.trim() == PLACEHOLDER_SCHOOL {
        eprintln!(
            "The school's name is a placeholder: change it in data/site.yaml (or use --school \"Your School\")."
        );
    }
    let cd = if shown.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
        format!("\"{shown}\"")
    } else {
        shown
    };
    eprintln!("Next:");
    eprintln!("  cd {cd}");
    eprintln!("  policyweb serve    preview the site at http://127.0.0.1:8000/ while you edit");
    eprintln!("  policyweb build    build the website into public/");
    ExitCode::SUCCESS
}

/// `policyweb new …`: one new section, person or organisation, and where
/// it was written.
fn new(what: NewCommand, today: NaiveDate, quiet: bool, color: bool) -> ExitCode {
    use policyweb::scaffold::{entry, section};
    let (root, added, kind) = match what {
        NewCommand::Section {
            title,
            under,
            after,
            root,
        } => {
            let request = section::Request {
                title: &title,
                under: under.as_deref(),
                after: after.as_deref(),
            };
            let added = section::new_section(&root, &request, today);
            (root, added, "section")
        }
        NewCommand::Person { name, roles, root } => {
            let added = entry::new_person(&root, &name, &roles, today);
            (root, added, "person")
        }
        NewCommand::Organisation { name, url, root } => {
            let added = entry::new_organisation(&root, &name, url.as_deref(), today);
            (root, added, "org")
        }
    };
    let added = match added {
        Ok(added) => added,
        Err(problem) => return refused(problem, color),
    };
    if quiet {
        return ExitCode::SUCCESS;
    }
    let file = if root == std::path::Path::new(".") {
        added.file.clone()
    } else {
        root.join(&added.file)
    };
    let at = format!("{}:{}", file.display(), added.line);
    for note in &added.notes {
        eprintln!("{note}");
    }
    match kind {
        "section" => {
            eprintln!(
                "Added the section \u{201c}{}\u{201d} (id `{}`) in {}; write its text from {at}.",
                added.name,
                added.id,
                file.display()
            );
            eprintln!(
                "Its page is <view>/{}/ in each view that shows it; link to it with [[section:{}]].",
                added.id, added.id
            );
        }
        _ => {
            eprintln!("Added {} (id `{}`) at {at}.", added.name, added.id);
            eprintln!(
                "Refer to {} in the text as [[{kind}:{}]]; the lines starting # there are optional keys to fill in.",
                if kind == "person" { "them" } else { "it" },
                added.id
            );
        }
    }
    ExitCode::SUCCESS
}

/// A command that did nothing: the site's errors if any, why, and what to
/// do; exit 2 for a usage problem, 1 otherwise.
fn refused(problem: policyweb::scaffold::Problem, color: bool) -> ExitCode {
    if let Some((sources, diagnostics)) = &problem.site {
        eprint!("{}", diagnostics.render(sources, color));
    }
    eprintln!("error: {}", problem.message);
    if let Some(help) = &problem.help {
        eprintln!("help: {help}");
    }
    ExitCode::from(if problem.usage { 2 } else { 1 })
}
