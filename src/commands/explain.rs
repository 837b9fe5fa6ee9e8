//! `policyweb explain [TOPIC]`: a part of the reference, or the topics.

use std::io::Write;
use std::process::ExitCode;

/// `policyweb explain`: a part of the reference on stdout, or the topics.
pub fn run(topic: Option<&str>) -> ExitCode {
    let Some(wanted) = topic else {
        let mut out = String::from("Topics (policyweb explain TOPIC):\n");
        for topic in crate::explain::topics() {
            out.push_str(&format!("  {}\n", topic.name));
        }
        let _ = std::io::stdout().lock().write_all(out.as_bytes());
        return ExitCode::SUCCESS;
    };
    match crate::explain::find(wanted) {
        Some(topic) => {
            let _ = writeln!(std::io::stdout().lock(), "{}", topic.text);
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: the reference has no topic `{wanted}`");
            eprintln!("  help: {}", crate::explain::unknown(wanted));
            ExitCode::from(2)
        }
    }
}
