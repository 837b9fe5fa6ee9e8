//! External links: every outside address the policy uses, with the file,
//! line and column it comes from (`collect`), checked over reqwest
//! (`check` schedules, `ask` makes one attempt by the redirect rules,
//! `fragment` reads a page for its #fragment within a size limit, `reason`
//! words failures), remembered between runs (`cache`), and reported
//! (`report`).
//! Only `policyweb check` goes online (`commands::check` runs these
//! stages); the build reads the last report.

pub mod ask;
pub mod cache;
pub mod check;
pub mod collect;
pub mod fragment;
pub mod reason;
pub mod report;

pub use crate::model::link_report::{Counts, LinkOutcome, LinkResult, Report};
