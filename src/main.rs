//! The `policyweb` command: parses the arguments, hands them to the
//! command in `policyweb::commands` that prints what it found, and exits
//! with the code it returns (0 success, 1 a problem in the site, 2 a usage
//! error).

use std::io::IsTerminal;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Parser;

use policyweb::cli::{Cli, Command, Format, TemplateCommand};
use policyweb::commands;
use policyweb::commands::build::BuildOptions;

/// A build allocates many small strings and vectors on every thread at
/// once, which glibc's malloc serves slowly (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        Command::Init { dir, school, force } => {
            commands::init::run(&dir, &school, force, now, cli.quiet, color)
        }
        Command::New { what } => commands::new::run(what, now, cli.quiet, color),
        Command::Explain { topic } => commands::explain::run(topic.as_deref()),
        Command::Template { what } => match what {
            TemplateCommand::Changes { root, format, json } => commands::template::changes(
                &root,
                if json { Format::Json } else { format },
                now,
                (!no_color, color),
            ),
            TemplateCommand::Adopt { id, draft, root } => {
                commands::template::adopt(&root, &id, draft.as_deref(), now, cli.quiet, color)
            }
        },
        Command::Diff {
            old,
            new,
            root,
            view,
            format,
        } => commands::diff::run(
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
            commands::serve::run(options, open, cli.quiet)
        }
        Command::Status {
            root,
            strict,
            format,
            today,
        } if policyweb::trust::is_trust(&root) => commands::trust::run_status(
            &root,
            strict,
            format,
            today.unwrap_or(now),
            (!no_color, color),
        ),
        Command::Status {
            root,
            strict,
            format,
            today,
        } => commands::status::run(
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
        } => commands::check::run(&root, no_cache, warn_only, format, cli.quiet, color, now),
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
            commands::release::run(&root, &approval, now, cli.quiet, color)
        }
        Command::Build {
            root,
            out,
            restricted_out,
            today,
            base_url,
            school,
        } => {
            let trust = school.is_some() || policyweb::trust::is_trust(&root);
            let options = BuildOptions {
                out: out.unwrap_or_else(|| root.join("public")),
                restricted_out,
                root,
                today: today.unwrap_or(now),
                base_url,
            };
            if trust {
                let only = school.as_deref();
                commands::trust::run_build(&options, only, cli.quiet, cli.verbose, color)
            } else {
                commands::build::run(&options, cli.quiet, cli.verbose, color)
            }
        }
    }
}
