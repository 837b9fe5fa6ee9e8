//! Colour for the terminal reports (diff, status, check): the few ANSI
//! codes they use, applied only when the caller says colour is wanted
//! (stdout is a terminal and NO_COLOR is unset).

pub const RED: &str = "\x1b[31m";
pub const GREEN: &str = "\x1b[32m";
pub const YELLOW: &str = "\x1b[33m";
pub const BOLD: &str = "\x1b[1m";
pub const RESET: &str = "\x1b[0m";

/// A painter: `text` in `code` when `color`, else `text` unchanged.
pub fn painter(color: bool) -> impl Fn(&str, &str) -> String {
    move |code, text| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}
