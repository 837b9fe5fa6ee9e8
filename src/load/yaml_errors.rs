//! YAML mistakes in plain words. When a data file or a front matter block
//! does not parse, the library names the parser's state ("expected mapping
//! start"); a school's lead needs to hear what is out of place and to see
//! the right shape. This module reads the text around the error (a tab, a
//! line out of line with the one above, the key whose value has the wrong
//! shape) and says so, with an example taken from the starter site that
//! `policyweb init` writes, so the examples cannot drift from it.

use std::ops::Range;

/// A mistake found in a document's text; `bytes` are offsets into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub bytes: Range<usize>,
    pub message: String,
    pub label: String,
    pub help: String,
}

/// The starter files `init` writes, as the examples of each file's shape.
const STARTER: &[(&str, &str)] = &[
    (
        "site.yaml",
        include_str!("../scaffold/starter/data/site.yaml"),
    ),
    (
        "roles.yaml",
        include_str!("../scaffold/starter/data/roles.yaml"),
    ),
    (
        "people.yaml",
        include_str!("../scaffold/starter/data/people.yaml"),
    ),
    (
        "organisations.yaml",
        include_str!("../scaffold/starter/data/organisations.yaml"),
    ),
    (
        "documents.yaml",
        include_str!("../scaffold/starter/data/documents.yaml"),
    ),
    (
        "reviews.yaml",
        include_str!("../scaffold/starter/data/reviews.yaml"),
    ),
    (
        "versions.yaml",
        include_str!("../scaffold/starter/data/versions.yaml"),
    ),
    (
        "curriculum.yaml",
        include_str!("../scaffold/starter/data/curriculum.yaml"),
    ),
    ("strands.yaml", include_str!("default-strands.yaml")),
    (
        "front matter",
        include_str!("../scaffold/starter/content/040-teaching-online-safety.md"),
    ),
];

/// One line of a document: where it starts, its 1-based number, how many
/// spaces indent it, and what follows them (without a trailing comment).
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    number: usize,
    start: usize,
    indent: usize,
    content: &'a str,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let body = raw.trim_end_matches(['\n', '\r']);
        let content = body.trim_start_matches(' ');
        out.push(Line {
            number: index + 1,
            start,
            indent: body.len() - content.len(),
            content: without_comment(content).trim_end(),
        });
        start += raw.len();
    }
    out
}

/// The text before a ` #` comment (a `#` inside quotes is kept).
fn without_comment(content: &str) -> &str {
    if content.starts_with('#') {
        return "";
    }
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in content.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') if previous == ' ' || previous == ':' || previous == '[' => {
                quote = Some(c);
            }
            (Some(q), _) if c == q => quote = None,
            (None, '#') if previous == ' ' || previous == '\t' => return &content[..i],
            _ => {}
        }
        previous = c;
    }
    content
}

/// A tab where YAML needs spaces: in a line's indentation up to the line
/// after the error (the library may stop on the line before the tab), or,
/// when the library's message is about a tab, the tab nearest the error.
pub fn tab(text: &str, error_line: Option<usize>, about_tab: bool) -> Option<Explained> {
    let last = error_line.map_or(usize::MAX, |line| line + 1);
    let mut start = 0;
    let mut nearest = None;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let number = index + 1;
        let indent = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        if number <= last
            && let Some(at) = raw[..indent].find('\t')
        {
            return Some(tab_at(start + at));
        }
        let near = error_line.is_none_or(|line| number + 1 >= line && number <= line + 1);
        if about_tab
            && near
            && nearest.is_none()
            && let Some(at) = raw.find('\t')
        {
            nearest = Some(start + at);
        }
        start += raw.len();
    }
    nearest.map(tab_at)
}

fn tab_at(offset: usize) -> Explained {
    Explained {
        bytes: offset..offset + 1,
        message: "a tab where YAML needs spaces".into(),
        label: "a tab, shown as →".into(),
        help: "indent with spaces: YAML does not accept tabs for indentation (most editors can turn tabs into spaces)".into(),
    }
}

/// A `[` or `{` opened on a line and not closed on it, where the next line
/// does not carry the list on (it starts a key or an entry of its own).
pub fn unclosed(text: &str, error_line: Option<usize>) -> Option<Explained> {
    let all: Vec<Line> = lines(text)
        .into_iter()
        .filter(|l| !l.content.is_empty())
        .collect();
    let last = error_line.map_or(usize::MAX, |line| line + 1);
    for (i, line) in all.iter().enumerate() {
        if line.number > last {
            break;
        }
        let content = line.content.trim_start_matches(['-', ' ']);
        let (key, value) = split_key(content);
        if !(value.starts_with('[') || value.starts_with('{')) || brackets(value) <= 0 {
            continue;
        }
        let next = all.get(i + 1);
        if next.is_some_and(|n| n.indent > line.indent && !starts_structure(n.content)) {
            continue;
        }
        let at = line.start
            + line.indent
            + (line.content.len() - content.len())
            + (content.len() - value.len());
        let close = if value.starts_with('[') { ']' } else { '}' };
        let open = &value[..1];
        let fixed = match key {
            Some(key) => format!("`{key}: {}{close}`", value.trim_end_matches(',')),
            None => format!("`{}{close}`", value.trim_end_matches(',')),
        };
        return Some(Explained {
            bytes: at..at + 1,
            message: format!("the `{open}` on line {} is never closed", line.number),
            label: "opened here".into(),
            help: format!("end it with `{close}` on the same line: {fixed}"),
        });
    }
    None
}

/// One level of indentation in force: its column and the last line at it.
#[derive(Debug, Clone, Copy)]
struct Level {
    column: usize,
    line: usize,
}

/// The first line, up to the line after the error, whose indentation
/// matches neither the line above it (when that line opens a block) nor
/// any level it could return to.
pub fn out_of_line(text: &str, error_line: Option<usize>) -> Option<Explained> {
    let all = lines(text);
    let last = error_line.map_or(usize::MAX, |line| line + 1);
    let mut levels: Vec<Level> = Vec::new();
    let mut opens = true;
    let mut after_key = false;
    // A block scalar (`|`, `>`) or a plain value running on: lines indented
    // more than this column belong to the value.
    let mut value_of: Option<(usize, bool)> = None;
    let mut flow_depth = 0i64;
    let mut previous: Option<Line> = None;
    for line in all.iter().filter(|l| !l.content.is_empty()) {
        if line.number > last {
            break;
        }
        if flow_depth > 0 {
            flow_depth += brackets(line.content);
            continue;
        }
        if let Some((column, block)) = value_of {
            let runs_on = block || !starts_structure(line.content);
            if line.indent > column && runs_on {
                continue;
            }
            value_of = None;
        }
        if line.content.starts_with("---") || line.content.starts_with("...") {
            levels.clear();
            opens = true;
            continue;
        }
        let column = line.indent;
        let top = levels.last().map(|l| l.column);
        let compact = after_key && top == Some(column) && line.content.starts_with('-');
        if opens && (top.is_none_or(|t| column > t) || compact) {
            if !compact {
                levels.push(Level {
                    column,
                    line: line.number,
                });
            }
        } else if let Some(at) = levels.iter().rposition(|l| l.column == column) {
            levels.truncate(at + 1);
            levels[at].line = line.number;
        } else {
            return Some(misaligned(&all, line, previous, &levels));
        }
        // What this line opens: a list item's own keys, a block under a key.
        let mut content = line.content;
        let mut key_column = column;
        while let Some(rest) = content.strip_prefix('-') {
            if !(rest.is_empty() || rest.starts_with(' ')) {
                break;
            }
            let trimmed = rest.trim_start();
            key_column += 1 + (rest.len() - trimmed.len());
            content = trimmed;
            if !content.is_empty() {
                levels.push(Level {
                    column: key_column,
                    line: line.number,
                });
            }
        }
        let (key, value) = split_key(content);
        opens = content.is_empty() || (key.is_some() && value.is_empty());
        after_key = key.is_some() && value.is_empty();
        if value.starts_with('[') || value.starts_with('{') {
            flow_depth = brackets(value);
        } else if value.starts_with('|') || value.starts_with('>') {
            value_of = Some((key_column, true));
        } else if !value.is_empty() || (key.is_none() && !content.is_empty()) {
            value_of = Some((key_column, false));
        }
        previous = Some(*line);
    }
    None
}

/// Whether a line more indented than a plain value starts something of
/// its own (a key or a list item) rather than carrying the value on.
fn starts_structure(content: &str) -> bool {
    content.starts_with("- ") || content == "-" || split_key(content).0.is_some()
}

/// `key: value` split at the first `: ` (or a `:` ending the line).
fn split_key(content: &str) -> (Option<&str>, &str) {
    if content.starts_with(['"', '\'', '[', '{']) {
        return (None, content);
    }
    if let Some(key) = content.strip_suffix(':') {
        return (Some(key.trim()), "");
    }
    match content.find(": ") {
        Some(i) => (Some(content[..i].trim()), content[i + 2..].trim()),
        None => (None, content),
    }
}

fn brackets(text: &str) -> i64 {
    let opened = text.matches(['[', '{']).count() as i64;
    let closed = text.matches([']', '}']).count() as i64;
    opened - closed
}

fn spaces(n: usize) -> String {
    match n {
        1 => "1 space".into(),
        n => format!("{n} spaces"),
    }
}

fn misaligned(all: &[Line], line: &Line, previous: Option<Line>, levels: &[Level]) -> Explained {
    // A list under a key that already has its value on its own line.
    if let Some(previous) = previous.filter(|p| line.indent > p.indent)
        && line.content.starts_with('-')
        && let (Some(key), value) = split_key(previous.content.trim_start_matches(['-', ' ']))
        && !value.is_empty()
    {
        return Explained {
            bytes: line.start + line.indent..line.start + line.indent + 1,
            message: format!(
                "the list on line {} is under `{key}:` on line {}, which already has a value",
                line.number, previous.number
            ),
            label: "a list".into(),
            help: format!("remove `{value}` after `{key}:`, so that the list below is its value"),
        };
    }
    // The level it most likely belongs to: the nearest column, the deeper
    // one on a tie (a key one space short belongs with the keys above).
    let level = levels
        .iter()
        .min_by_key(|l| (l.column.abs_diff(line.indent), std::cmp::Reverse(l.column)))
        .copied();
    let (column, other) = match (level, previous) {
        (Some(_), Some(previous)) if line.indent > previous.indent => {
            (previous.indent, previous.number)
        }
        (Some(level), _) => (level.column, level.line),
        (None, Some(previous)) => (previous.indent, previous.number),
        (None, None) => (0, line.number),
    };
    let other_text = all
        .iter()
        .find(|l| l.number == other)
        .map_or("", |l| l.content);
    let other_key = first_key(other_text);
    let this_key = first_key(line.content);
    let what = match this_key {
        Some(key) => format!("`{key}:`"),
        None => "this line".into(),
    };
    let like = match other_key {
        Some(key) => format!("`{key}:` on line {other}"),
        None => format!("line {other}"),
    };
    Explained {
        bytes: line.start + line.indent..line.start + line.indent + 1,
        message: format!(
            "line {} is indented {}, out of line with line {other} above it ({})",
            line.number,
            spaces(line.indent),
            spaces(column)
        ),
        label: "out of line".into(),
        help: format!(
            "keys of the same entry start in the same column: indent {what} with {}, like {like}",
            spaces(column)
        ),
    }
}

/// The key a line starts, after any `- `.
fn first_key(content: &str) -> Option<&str> {
    let content = content.trim_start_matches(['-', ' ']);
    split_key(content).0.filter(|k| !k.is_empty())
}

/// A value that cannot be one: a `: ` inside it (read as a new key), or a
/// key without its `:`, on the line the library stopped at.
pub fn punctuation(text: &str, error_line: Option<usize>, message: &str) -> Option<Explained> {
    let line = *lines(text).iter().find(|l| Some(l.number) == error_line)?;
    let dash = line.content.len() - line.content.trim_start_matches(['-', ' ']).len();
    let content = &line.content[dash..];
    let at = line.start + line.indent + dash;
    if message.contains("mapping values are not allowed") {
        let (Some(key), value) = split_key(content) else {
            return None;
        };
        let inner = value.find(": ")?;
        let offset = at + (content.len() - value.len()) + inner;
        return Some(Explained {
            bytes: offset..offset + 1,
            message: format!("the `: ` in the value of `{key}` reads as the start of another key"),
            label: "inside the value".into(),
            help: format!("put the value in quotes: `{key}: \"{value}\"`"),
        });
    }
    if message.contains("expected ':'") && split_key(content).0.is_none() {
        let (key, rest) = content.split_once(' ')?;
        return Some(Explained {
            bytes: at + key.len()..at + key.len() + 1,
            message: format!("`{key}` has no `:` after it"),
            label: "a `:` goes here".into(),
            help: format!(
                "write a colon and a space after the key: `{key}: {}`",
                rest.trim()
            ),
        });
    }
    None
}

/// A value of the wrong kind for a key that takes one value: true or
/// false, a whole number, or one piece of text rather than a list.
pub fn single(text: &str, file: &str, offset: usize, message: &str) -> Option<Explained> {
    let what = if message.contains("boolean") {
        "true or false"
    } else if ["u8", "u16", "u32", "u64", "usize", "integer"]
        .iter()
        .any(|ty| message.contains(&format!("invalid {ty}")) || message.ends_with(ty))
    {
        "a whole number"
    } else if message.contains("expected string") || message.contains("expected a string") {
        "one value"
    } else {
        return None;
    };
    let offset = offset.min(text.len());
    let (key, _) = owner(text, offset)?;
    let found = match found_at(text, offset) {
        Found::List => "a list".to_string(),
        Found::Mapping => "keys and values".to_string(),
        Found::Single(value) => format!("`{value}`"),
    };
    let help = match (what, example(file, Some(&key))) {
        ("true or false", _) => format!("write `{key}: true` or `{key}: false`"),
        (_, Some(example)) => format!("for example: `{}`", example.trim()),
        ("a whole number", None) => format!("write a number, such as `{key}: 10`"),
        _ => format!("write it on the same line: `{key}: …`"),
    };
    Some(Explained {
        bytes: offset..offset + 1,
        message: format!("`{key}` takes {what}, not {found}"),
        label: format!("not {what}"),
        help,
    })
}

/// What a file or key needs, as the library says it expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    List,
    Mapping,
}

fn needs(message: &str) -> Option<Needs> {
    if ["unknown field", "missing field", "duplicate"]
        .iter()
        .any(|other| message.starts_with(other))
    {
        return None;
    }
    let expected = &message[message.find("expected")?..];
    if expected.contains("sequence") || expected.contains("list") {
        Some(Needs::List)
    } else if expected.contains("mapping")
        || expected.contains("struct")
        || expected.contains("map")
    {
        Some(Needs::Mapping)
    } else {
        None
    }
}

/// What the text holds where a node starts.
#[derive(Debug, PartialEq, Eq)]
enum Found<'a> {
    List,
    Mapping,
    Single(&'a str),
}

fn found_at(text: &str, offset: usize) -> Found<'_> {
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let rest = without_comment(text[offset..line_end].trim()).trim_end();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..offset].trim();
    if rest.starts_with("- ") || rest == "-" || rest.starts_with('[') || before.ends_with('-') {
        Found::List
    } else if rest.starts_with('{') || split_key(rest).0.is_some() {
        Found::Mapping
    } else {
        Found::Single(rest)
    }
}

/// The key whose value starts at `offset`, and that key's line; `None` for
/// the top of the file (or an entry of a list).
fn owner(text: &str, offset: usize) -> Option<(String, usize)> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..offset].trim();
    let all = lines(text);
    let here = all.iter().rposition(|l| l.start <= line_start)?;
    if let Some(head) = before.strip_suffix(':') {
        let key = head.trim_start_matches(['-', ' ']).trim();
        return (!key.is_empty()).then(|| (key.to_string(), all[here].number));
    }
    let line = all[here];
    let dash = line.content.starts_with('-');
    for above in all[..here].iter().rev().filter(|l| !l.content.is_empty()) {
        if above.indent < line.indent || (dash && above.indent == line.indent) {
            let (key, value) = split_key(above.content.trim_start_matches(['-', ' ']));
            return match key {
                Some(key) if value.is_empty() && above.content.ends_with(':') => {
                    Some((key.to_string(), above.number))
                }
                _ => None,
            };
        }
    }
    None
}

/// A list where keys and values are expected, or the reverse, or a single
/// value where a list is expected: which the file or key needs, with an
/// example of the right shape. `file` is the file's name (`people.yaml`)
/// or `front matter`.
pub fn shape(text: &str, file: &str, offset: usize, message: &str) -> Option<Explained> {
    let needs = needs(message)?;
    let offset = offset.min(text.len());
    let found = found_at(text, offset);
    let owner = owner(text, offset);
    let width = match &found {
        Found::Single(value) => value.len().max(1),
        _ => 1,
    };
    let bytes = offset..offset + width;
    let subject = match &owner {
        Some((key, _)) => format!("`{key}`"),
        None if file == "front matter" => "the front matter".to_string(),
        None => file.to_string(),
    };
    let key = owner.as_ref().map(|(key, _)| key.as_str());
    let example = example(file, key)
        .map(|e| format!(", for example:\n{e}"))
        .unwrap_or_default();
    let (message, label, help) = match (needs, &found) {
        (Needs::List, Found::Single(value)) => (
            format!("{subject} needs a list, even of one"),
            "a single value".to_string(),
            match key {
                Some(key) => format!("write the list in square brackets: `{key}: [{value}]`"),
                None => format!("start each entry on its own line with `- `{example}"),
            },
        ),
        (Needs::List, _) => (
            format!("{subject} needs a list, not keys and values"),
            "keys and values".to_string(),
            format!("start each entry on its own line with `- `{example}"),
        ),
        (Needs::Mapping, Found::List) => (
            format!("{subject} needs keys and values, not a list"),
            "a list".to_string(),
            format!("write each `key: value` on its own line, without `- `{example}"),
        ),
        (Needs::Mapping, _) => (
            format!("{subject} needs keys and values, not a single value"),
            "a single value".to_string(),
            format!("write each `key: value` on its own line{example}"),
        ),
    };
    Some(Explained {
        bytes,
        message,
        label,
        help,
    })
}

/// Two lines of the starter site showing `key` (or, without one, the top
/// of `file`) in the right shape.
fn example(file: &str, key: Option<&str>) -> Option<String> {
    let (_, text) = STARTER.iter().find(|(name, _)| *name == file)?;
    let text = text.replace("@@SCHOOL@@", "Hillside Primary School");
    let text = match file {
        "front matter" => text
            .strip_prefix("---\n")?
            .split("\n---")
            .next()?
            .to_string(),
        _ => text,
    };
    let all: Vec<Line> = lines(&text)
        .into_iter()
        .filter(|l| !l.content.is_empty() && !l.content.contains("@@"))
        .collect();
    let shown = |line: &Line, from: usize| {
        let column = line.indent.saturating_sub(from);
        format!("  {}{}", " ".repeat(column), line.content)
    };
    let Some(key) = key else {
        let first = all.first()?;
        let second = all.get(1)?;
        return Some(format!(
            "{}\n{}",
            shown(first, first.indent),
            shown(second, first.indent)
        ));
    };
    let at = all.iter().position(|l| {
        first_key(l.content) == Some(key) && l.content.contains(&format!("{key}:"))
    })?;
    let line = &all[at];
    let dash = line.content.len() - line.content.trim_start_matches(['-', ' ']).len();
    let key_column = line.indent + dash;
    let own = format!("  {}", line.content.trim_start_matches(['-', ' ']));
    match all.get(at + 1).filter(|next| next.indent > key_column) {
        Some(next) if split_key(own.trim()).1.is_empty() => {
            Some(format!("{own}\n{}", shown(next, key_column)))
        }
        _ => Some(own),
    }
}

/// "did you mean `title`?" for a misspelt key, from the library's message
/// `unknown field `tilte`, expected one of `title`, `summary``.
pub fn unknown_key_help(message: &str) -> Option<String> {
    let field = message.split('`').nth(1)?;
    let (_, keys) = message.split_once("expected one of ")?;
    let keys: Vec<&str> = keys
        .split(',')
        .map(|k| k.trim().trim_matches('`'))
        .filter(|k| !k.is_empty())
        .collect();
    let listed = keys
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(match crate::ids::closest(field, keys.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? The keys allowed here are {listed}"),
        None => format!("the keys allowed here are {listed}; check the spelling"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tab_in_the_indentation_is_found_on_its_own_line() {
        let text = "- id: a\n  name: A\n\troles: [x]\n";
        let found = tab(text, Some(2), true).expect("a tab");
        assert_eq!(found.bytes, 18..19);
        assert_eq!(found.message, "a tab where YAML needs spaces");
    }

    #[test]
    fn a_line_indented_one_space_too_many_or_too_few_is_named_with_its_neighbour() {
        let text = "- id: a\n  name: A\n   roles: [x]\n";
        let found = out_of_line(text, Some(3)).expect("out of line");
        assert_eq!(
            found.message,
            "line 3 is indented 3 spaces, out of line with line 2 above it (2 spaces)"
        );
        let text = "- id: a\n  name: A\n roles: [x]\n";
        let found = out_of_line(text, Some(2)).expect("out of line");
        assert_eq!(
            found.message,
            "line 3 is indented 1 space, out of line with line 2 above it (2 spaces)"
        );
        assert_eq!(
            found.help,
            "keys of the same entry start in the same column: indent `roles:` with 2 spaces, like `name:` on line 2"
        );
    }

    #[test]
    fn well_indented_files_are_not_out_of_line() {
        for (_, text) in STARTER {
            let text = text.strip_prefix("---\n").unwrap_or(text);
            let text = text.split("\n---\n").next().unwrap_or(text);
            assert_eq!(out_of_line(text, None), None, "{text}");
        }
        let text = "a:\n- x\n- y\nb: |\n  one\n    two\nc: plain\n  runs on\nd: [a,\n  b]\n";
        assert_eq!(out_of_line(text, None), None);
    }

    #[test]
    fn examples_come_from_the_starter_site() {
        assert_eq!(
            example("site.yaml", Some("school")).as_deref(),
            Some("  school:\n    name: Hillside Primary School")
        );
        assert_eq!(
            example("roles.yaml", None).as_deref(),
            Some("  - id: headteacher\n    title: Headteacher")
        );
        assert_eq!(
            example("people.yaml", Some("roles")).as_deref(),
            Some("  roles: [headteacher, online-safety-group]")
        );
    }

    #[test]
    fn a_misspelt_key_gets_a_did_you_mean() {
        assert_eq!(
            unknown_key_help("unknown field `tilte`, expected one of `title`, `summary`")
                .as_deref(),
            Some("did you mean `title`? The keys allowed here are `title`, `summary`")
        );
    }
}
