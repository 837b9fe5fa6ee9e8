//! The command line: every command, its arguments and their help text, as
//! `clap` reads them. Kept in the library so the documentation's tests can
//! check that every command line the docs show is one policyweb accepts.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "policyweb",
    version = crate::provenance::LONG_VERSION,
    about = "Publish a school's online safety policy as a website"
)]
pub struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more about what was done.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Check the policy and build the website into the output folder.
    Build {
        /// The site root, holding content/ and data/ (or a trust's
        /// folder, holding trust.yaml: every school it lists).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder; replaced only if the build succeeds, and
        /// only if policyweb wrote it (or it is empty or missing).
        /// Default: public/ in the site root.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Where restricted views are built. Default: restricted_out in
        /// data/site.yaml, else restricted/ in the site root.
        #[arg(long, value_name = "DIR")]
        restricted_out: Option<PathBuf>,
        /// Treat this day (YYYY-MM-DD) as today when deciding what is overdue.
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
        /// The address the site will be served from, such as
        /// https://school.example/policies/online-safety/, in place of
        /// base_url in data/site.yaml (for a staging copy, say).
        #[arg(long, value_name = "URL", value_parser = parse_base_url)]
        base_url: Option<String>,
        /// In a trust's folder (one with trust.yaml): build only this
        /// school (an id from trust.yaml), for one job of a CI matrix.
        #[arg(long, value_name = "ID")]
        school: Option<String>,
    },
    /// Say what changed between two revisions (ids from data/versions.yaml).
    Diff {
        /// The earlier revision, such as 2024-25.
        old: String,
        /// The later revision, such as 2025-26.
        new: String,
        /// The site root, holding content/ and data/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Compare the text one view shows (default: every view's text).
        #[arg(long)]
        view: Option<String>,
        /// `text` for people, `json` for tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show, on one screen, the policy's approval, review dates, checks,
    /// vacant roles, curriculum gaps and link health.
    Status {
        /// The site root, holding content/ and data/ (or a trust's
        /// folder, holding trust.yaml: every school's status).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Exit 1 when anything is overdue or a role is vacant (for CI).
        #[arg(long)]
        strict: bool,
        /// `text` for people, `json` for tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Treat this day (YYYY-MM-DD) as today.
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
    /// Check every external link in content/ and data/ (this goes online).
    Check {
        /// The site root, holding content/ and data/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check every address again, ignoring results kept from earlier runs.
        #[arg(long)]
        no_cache: bool,
        /// Report broken links but exit 0.
        #[arg(long)]
        warn_only: bool,
        /// `text` for people, `json` for tools, `markdown` for a CI job summary.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Preview the site: build it, serve it on this computer, rebuild and
    /// reload the browser on every change. Writes nothing to disk.
    Serve {
        /// The site root, holding content/ and data/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to serve on (0 for any free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The address to listen on. Only this computer can reach the
        /// default; another address makes the preview visible to the
        /// network, without the restricted views.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Serve the restricted views even when --bind makes the preview
        /// visible to other computers.
        #[arg(long)]
        allow_restricted_on_network: bool,
        /// For tests: the header and idle timeouts, in milliseconds,
        /// instead of 5 and 30 seconds.
        #[arg(long, hide = true)]
        test_timeout_ms: Option<u64>,
        /// For tests: the most connections open at once, instead of 256.
        #[arg(long, hide = true)]
        test_connections: Option<usize>,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
        /// Treat this day (YYYY-MM-DD) as today.
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
    /// Record a revision's approval in data/versions.yaml and freeze its
    /// text under versions/<ID>/.
    Release {
        /// The revision's id, such as 2025-26.
        id: String,
        /// The day it was approved (YYYY-MM-DD).
        #[arg(long, value_parser = parse_day)]
        approved: NaiveDate,
        /// Who approved it, such as "the Full Governing Body".
        #[arg(long)]
        by: String,
        /// The minute recording the approval.
        #[arg(long)]
        minute: Option<String>,
        /// When it is next to be reviewed (YYYY-MM or YYYY-MM-DD).
        #[arg(long)]
        next_review: Option<String>,
        /// The site root, holding content/ and data/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Start a new site in DIR: a short example policy to rewrite, every
    /// data file with its keys explained, and the workflows that publish it.
    Init {
        /// The folder for the new site; made if missing, and it must be empty.
        dir: PathBuf,
        /// The school's name, for data/site.yaml (and [[school]] in the text).
        #[arg(long, default_value = crate::scaffold::init::PLACEHOLDER_SCHOOL)]
        school: String,
        /// Write into a folder that already has files in it: files with the
        /// same names are replaced, others are kept.
        #[arg(long)]
        force: bool,
    },
    /// Print the part of the reference about a file or topic, such as
    /// people.yaml, front-matter or references (without one: the topics).
    Explain {
        /// A data file (people.yaml), or a topic of the reference.
        topic: Option<String>,
    },
    /// Add a section, a person or an organisation to the site.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// What changed in the template the site is built on, and adopting it.
    Template {
        #[command(subcommand)]
        what: TemplateCommand,
    },
}

#[derive(Subcommand)]
pub enum TemplateCommand {
    /// Say what the template's newest approved revision changes against
    /// the one the revision in force is pinned to.
    Changes {
        /// The site root, holding content/ and data/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `text` for people, `json` for tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The same as `--format json`.
        #[arg(long, conflicts_with = "format")]
        json: bool,
    },
    /// Pin the working revision to template revision ID (an approved id
    /// from the template's versions.yaml), opening a draft revision when
    /// the newest is approved.
    Adopt {
        /// The template revision, such as 2025-26.
        id: String,
        /// The id of the draft to open when the newest revision is
        /// approved (default: the school year after it).
        #[arg(long, value_name = "REVISION-ID")]
        draft: Option<String>,
        /// The site root, holding content/ and data/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum NewCommand {
    /// Add a section: content/<number>-<id>.md, numbered after the last.
    Section {
        /// The section's title, in quotes.
        title: String,
        /// Put it inside this folder of content/ (such as 030-reporting) or
        /// section id; a section that is one file becomes a folder.
        #[arg(long, value_name = "FOLDER-OR-SECTION-ID")]
        under: Option<String>,
        /// Put it straight after this section (an id), in the same folder.
        #[arg(long, value_name = "SECTION-ID")]
        after: Option<String>,
        /// The site root, holding content/ and data/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Add a person to data/people.yaml.
    Person {
        /// Their name as readers see it, in quotes.
        name: String,
        /// A role they hold, an id from data/roles.yaml; repeat for each.
        #[arg(long = "role", value_name = "ROLE-ID")]
        roles: Vec<String>,
        /// The site root, holding content/ and data/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Add an organisation, helpline or resource to data/organisations.yaml.
    #[command(visible_alias = "org", alias = "organization")]
    Organisation {
        /// Its name as readers see it, in quotes.
        name: String,
        /// Its web address, starting https:// (or http:// if it has no other).
        #[arg(long)]
        url: Option<String>,
        /// The site root, holding content/ and data/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Markdown,
}

/// A day written YYYY-MM-DD, as `--today` and `--approved` take it.
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a day: write YYYY-MM-DD"))
}

/// `--base-url`, checked as `base_url` in data/site.yaml is, so that a
/// bad value is a usage error (exit 2) before anything is built.
fn parse_base_url(text: &str) -> Result<String, String> {
    crate::address::base_address(text)
        .map_err(|problem| format!("{problem}: {}", crate::address::NotABaseAddress::HELP))
}
