//! The `policyweb` command: parses arguments, calls the library, prints
//! what it found, and maps the outcome to an exit code (0 success, 1 a
//! problem in the site, 2 a usage error).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use policyweb::{BuildOptions, build};

#[derive(Parser)]
#[command(
    name = "policyweb",
    version,
    about = "Publish a school's online safety policy as a website"
)]
struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more about what was done.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the policy and build the website into the output folder.
    Build {
        /// The site root, holding content/ and data/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder; replaced only if the build succeeds.
        /// Default: public/ in the site root.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Treat this day (YYYY-MM-DD) as today when deciding what is overdue.
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a day: write YYYY-MM-DD"))
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
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stderr().is_terminal();
    match cli.command {
        Command::Build { root, out, today } => {
            let options = BuildOptions {
                out: out.unwrap_or_else(|| root.join("public")),
                root,
                today: today.unwrap_or_else(|| chrono::Local::now().date_naive()),
            };
            let started = std::time::Instant::now();
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
                        if written.restricted_pages > 0 {
                            eprintln!(
                                "Restricted views: {} pages in {} (never published).",
                                written.restricted_pages,
                                options.restricted_out().display()
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
                None => {
                    eprintln!(
                        "The build failed{}{}; {} was not changed.",
                        plural(errors, " with", "error"),
                        plural(warnings, ",", "warning"),
                        options.out.display()
                    );
                    ExitCode::from(1)
                }
            }
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
