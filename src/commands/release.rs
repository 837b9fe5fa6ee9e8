//! `policyweb release ID`: records a revision's approval and freezes its
//! text, only for a site that builds, and says what to do next.

use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::release::ApprovalToRecord;

/// `policyweb release`: what was recorded and frozen, or the site's
/// errors and that nothing was changed.
pub fn run(
    root: &Path,
    approval: &ApprovalToRecord,
    today: NaiveDate,
    quiet: bool,
    color: bool,
) -> ExitCode {
    match crate::release::release(root, approval, super::build_errors(root, today)) {
        Ok(released) => {
            if !quiet {
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
