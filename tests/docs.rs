//! The documentation's examples, run, so the docs cannot drift from the
//! code. docs/reference.md, getting-started.md, guide.md, status.md,
//! revisions.md, links.md and serve.md are each played as one scenario,
//! top to bottom, in an empty folder:
//!
//! - a fence whose info string is a language and a path, such as
//!   ```` ```yaml data/people.yaml ````, is written as that whole file; with
//!   `append` after the path it is added to the end of the file; with
//!   `result` it is what the commands before it left in the file, which
//!   must contain it, line for line;
//! - a `diff` fence naming a file changes it: its `-` lines (with the
//!   unmarked lines around them) must occur once, and become its `+` lines;
//! - every `yaml` and `markdown` fence must name its file, so no example
//!   goes unchecked (an illustration that is not a file is a `text` fence);
//! - in an `sh` fence, each `policyweb …` line is parsed as policyweb parses
//!   its command line, then run (`serve` is only parsed, since it never
//!   ends); `cd DIR` changes folder; other lines (git, rsync, cargo) are
//!   left alone. No command may go online: each runs with its proxy set to
//!   a closed port on 127.0.0.1, so a `check` that asked a site anything
//!   would print "refused" where the doc shows none (a doc shows `check`
//!   on a site whose outside addresses are all excluded);
//! - an `sh synopsis` fence shows a command's form, such as `policyweb
//!   status [--strict] [--format text|json]`: it is not run, but each line
//!   must be accepted with every `[optional part]` left out and with each
//!   put in (its first choice where it offers `a|b`);
//! - a `text output` fence right after an `sh` fence is the whole of what
//!   its last command printed, exactly (every command sees the same day,
//!   `POLICYWEB_TODAY`; only how long a build took and the time a link
//!   check ran are not compared); a command that fails must be followed by
//!   one, since the docs must then be showing the failure;
//! - a doc whose `sh` fences show no real command is refused;
//! - when the file ends, `policyweb build` must succeed without a warning
//!   (other than for the starter's example people and addresses).
//!
//! The reference is also checked the other way round: every place in its
//! example files is given a key that nothing reads, and every key the
//! build then says is allowed there must be named in the reference.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use clap::Parser as _;
use policyweb::cli::{Cli, Command};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// A fenced code block of a doc, with the line its fence opens on.
struct Fence {
    info: String,
    text: String,
    line: usize,
}

impl Fence {
    fn words(&self) -> Vec<&str> {
        self.info.split_whitespace().collect()
    }
}

/// A doc's text, its fences, and its inline code spans.
struct Doc {
    name: String,
    text: String,
    fences: Vec<Fence>,
    code_spans: Vec<String>,
}

fn read_doc(name: &str) -> Doc {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut fences = Vec::new();
    let mut code_spans = Vec::new();
    let mut open: Option<Fence> = None;
    for (event, range) in Parser::new(&text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some(Fence {
                    info: info.to_string(),
                    text: String::new(),
                    line: text[..range.start].matches('\n').count() + 1,
                });
            }
            Event::Text(piece) if open.is_some() => open.as_mut().unwrap().text.push_str(&piece),
            Event::End(TagEnd::CodeBlock) => fences.extend(open.take()),
            Event::Code(code) => code_spans.push(code.to_string()),
            _ => {}
        }
    }
    Doc {
        name: name.to_string(),
        text,
        fences,
        code_spans,
    }
}

/// What a command printed, and how it ended.
struct Output {
    command: String,
    code: i32,
    text: String,
}

fn policyweb(args: &[String], folder: &Path, today: &str) -> Output {
    // Nothing is sent to the world: a request goes to a closed port here.
    let nowhere = "http://127.0.0.1:9";
    // stdout and stderr share one pipe, as they share a terminal, so the
    // text is in the order a reader sees it.
    let (mut reader, writer) = std::io::pipe().expect("a pipe");
    let mut child = Process::new(env!("CARGO_BIN_EXE_policyweb"))
        .args(args)
        .current_dir(folder)
        .env("NO_COLOR", "1")
        .env("POLICYWEB_TODAY", today)
        .env_remove("COLUMNS")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .envs(
            ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]
                .iter()
                .flat_map(|name| [name.to_string(), name.to_lowercase()])
                .map(|name| (name, nowhere)),
        )
        .stdin(std::process::Stdio::null())
        .stdout(writer.try_clone().expect("a pipe"))
        .stderr(writer)
        .spawn()
        .expect("policyweb runs");
    // The command, and with it this side's writer, is gone: the read ends
    // when policyweb exits.
    let mut text = Vec::new();
    std::io::Read::read_to_end(&mut reader, &mut text).expect("policyweb's output");
    let status = child.wait().expect("policyweb exits");
    Output {
        command: format!("policyweb {}", args.join(" ")),
        code: status.code().expect("policyweb exits"),
        text: String::from_utf8_lossy(&text).into_owned(),
    }
}

/// A doc played from an empty folder.
struct Scenario {
    home: tempfile::TempDir,
    folder: PathBuf,
    today: &'static str,
}

impl Scenario {
    /// Plays a doc with every command seeing `today` as the day, so that
    /// what the doc shows does not change as the years pass.
    fn play(doc: &Doc, today: &'static str) -> Scenario {
        let home = tempfile::tempdir().unwrap();
        let mut scenario = Scenario {
            folder: home.path().to_path_buf(),
            home,
            today,
        };
        // The last command run, kept until the next fence, which may show
        // its output.
        let mut last: Option<(usize, Output)> = None;
        let mut commands = 0;
        for fence in &doc.fences {
            let at = format!("{}:{}", doc.name, fence.line);
            let words = fence.words();
            let shown = words == ["text", "output"];
            if let Some((line, output)) = last.take() {
                if shown {
                    expect_lines(&at, &output, &fence.text);
                    continue;
                }
                assert_eq!(
                    output.code, 0,
                    "{}:{line}: `{}` failed, and no `text output` fence shows it:\n{}",
                    doc.name, output.command, output.text
                );
            }
            match words.as_slice() {
                ["sh", "synopsis"] => check_synopsis(&at, &fence.text),
                ["sh", ..] => {
                    last = scenario
                        .run_commands(&at, &fence.text)
                        .map(|o| (fence.line, o));
                    commands += usize::from(last.is_some());
                }
                ["text", "output"] => {
                    panic!("{at}: a `text output` fence must follow an `sh` fence")
                }
                ["diff", path] => scenario.change(&at, path, &fence.text),
                [_, path] => scenario.write(&at, path, &fence.text, false),
                [_, path, "append"] => scenario.write(&at, path, &fence.text, true),
                [_, path, "result"] => scenario.compare(&at, path, &fence.text),
                ["yaml" | "markdown" | "md", ..] => panic!(
                    "{at}: a {} example must name its file (```yaml data/people.yaml) so this test can check it",
                    words[0]
                ),
                _ => {}
            }
        }
        if let Some((line, output)) = last {
            assert_eq!(
                output.code, 0,
                "{}:{line}: `{}` failed:\n{}",
                doc.name, output.command, output.text
            );
        }
        assert!(
            commands > 0,
            "{}: the doc shows no command that is run, so nothing it shows is checked",
            doc.name
        );
        let build = policyweb(&["build".to_string()], &scenario.folder, today);
        assert_eq!(
            build.code, 0,
            "{}: the site the doc leaves does not build:\n{}",
            doc.name, build.text
        );
        // A practice site keeps the starter's example people; every other
        // warning means the doc leaves something to fix.
        let warnings = build
            .text
            .lines()
            .filter(|l| l.trim_start().starts_with('⚠'))
            .filter(|l| !l.contains("is a placeholder from `policyweb init`"))
            .filter(|l| !l.contains("this line is marked REPLACE"))
            .count();
        assert!(
            warnings == 0,
            "{}: the site the doc leaves builds with warnings:\n{}",
            doc.name,
            build.text
        );
        scenario
    }

    fn file(&self, at: &str, path: &str) -> PathBuf {
        let relative = Path::new(path);
        assert!(
            relative.is_relative() && !path.contains(".."),
            "{at}: `{path}` must be a path inside the site"
        );
        self.folder.join(relative)
    }

    fn write(&self, at: &str, path: &str, text: &str, append: bool) {
        let file = self.file(at, path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let mut whole = if append {
            std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{at}: appending to {path}: {e}"))
        } else {
            String::new()
        };
        if !whole.is_empty() && !whole.ends_with('\n') {
            whole.push('\n');
        }
        whole.push_str(text);
        std::fs::write(file, whole).unwrap();
    }

    /// A `diff` fence: its `-` lines (with the ` ` lines around them) must
    /// occur once in the file, and become its `+` lines.
    fn change(&self, at: &str, path: &str, text: &str) {
        let file = self.file(at, path);
        let actual = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{at}: {path}: {e}"));
        let (mut old, mut new) = (String::new(), String::new());
        for line in text.lines() {
            let (sign, rest) = line.split_at(line.len().min(1));
            match sign {
                "-" => old.push_str(&format!("{rest}\n")),
                "+" => new.push_str(&format!("{rest}\n")),
                _ => {
                    old.push_str(&format!("{rest}\n"));
                    new.push_str(&format!("{rest}\n"));
                }
            }
        }
        assert_eq!(
            actual.matches(&old).count(),
            1,
            "{at}: {path} does not hold, once, the lines the doc changes:\n{old}"
        );
        std::fs::write(file, actual.replacen(&old, &new, 1)).unwrap();
    }

    fn compare(&self, at: &str, path: &str, text: &str) {
        let file = self.file(at, path);
        let actual = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{at}: {path}: {e}"));
        assert!(
            actual.contains(text.trim_end()),
            "{at}: the commands before leave {path} reading\n{actual}\nwithout the lines the doc shows:\n{text}"
        );
    }

    /// Runs an `sh` fence's policyweb lines; returns the last one's output.
    fn run_commands(&mut self, at: &str, text: &str) -> Option<Output> {
        let mut last = None;
        for line in text.lines() {
            let words = shlex::split(line).unwrap_or_else(|| panic!("{at}: cannot split `{line}`"));
            let words: Vec<String> = words
                .into_iter()
                .take_while(|w| !w.starts_with('#'))
                .collect();
            match words.first().map(String::as_str) {
                Some("cd") => {
                    assert_eq!(words.len(), 2, "{at}: `{line}`");
                    self.folder = self.folder.join(&words[1]);
                    assert!(self.folder.is_dir(), "{at}: `{line}`: no such folder");
                }
                Some("policyweb") => {
                    if let Some(output) = last.take() {
                        let output: Output = output;
                        assert_eq!(
                            output.code, 0,
                            "{at}: `{}` failed:\n{}",
                            output.command, output.text
                        );
                    }
                    // `--help` is a command that prints, and is run.
                    let runs = match Cli::try_parse_from(&words) {
                        Ok(cli) => !matches!(cli.command, Command::Serve { .. }),
                        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => true,
                        Err(e) => panic!("{at}: policyweb does not accept `{line}`:\n{e}"),
                    };
                    if runs {
                        last = Some(policyweb(&words[1..], &self.folder, self.today));
                    }
                }
                _ => {}
            }
        }
        last
    }
}

/// The doc shows the whole of what the command printed (stdout and stderr
/// as they came), line for line; only spaces at the ends of lines, blank lines
/// at the end and how long a build took are not compared.
fn expect_lines(at: &str, output: &Output, shown: &str) {
    // How long a build took, and when a link check ran (to the second),
    // are the only things no doc can fix.
    let took = regex::Regex::new(r"\bin \d+(\.\d+)? (ms|s)\b").unwrap();
    let checked = regex::Regex::new(r"\bchecked \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").unwrap();
    let tidy = |text: &str| {
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        let text = lines.join("\n");
        let text = took.replace_all(text.trim_end(), "in (time)");
        checked.replace_all(&text, "checked (time)").into_owned()
    };
    assert_eq!(
        tidy(shown),
        tidy(&output.text),
        "{at}: `{}` printed something else than the doc shows (left: the doc, right: what it printed)",
        output.command
    );
}

/// The reference's examples are a policy of the 2024-25 school year.
const REFERENCE_DAY: &str = "2024-06-01";
/// The guides start from `policyweb init`, which dates its starter policy
/// from today.
const GUIDE_DAY: &str = "2026-11-22";

#[test]
fn the_reference_examples_make_a_site_that_builds_cleanly() {
    Scenario::play(&read_doc("docs/reference.md"), REFERENCE_DAY);
}

/// An `sh synopsis` fence: each `policyweb` line is one policyweb accepts,
/// both with every `[optional part]` left out and with each put in (its
/// first choice where it offers `a|b`, `YYYY-MM-DD` as a day).
fn check_synopsis(at: &str, text: &str) {
    let optional = regex::Regex::new(r"\s*\[[^\]]*\]").unwrap();
    let other_choices = regex::Regex::new(r"\|\S+").unwrap();
    let mut checked = 0;
    for line in text.lines().filter(|l| l.starts_with("policyweb ")) {
        let line = line.replace("YYYY-MM-DD", "2024-06-01");
        let bare = optional.replace_all(&line, "");
        let full = line.replace(['[', ']'], "");
        let full = other_choices.replace_all(&full, "");
        for form in [bare.to_string(), full.to_string()] {
            let words =
                shlex::split(&form).unwrap_or_else(|| panic!("{at}: cannot split `{form}`"));
            if let Err(error) = Cli::try_parse_from(&words) {
                panic!("{at}: policyweb does not accept `{form}` (from `{line}`):\n{error}");
            }
        }
        checked += 1;
    }
    assert!(
        checked > 0,
        "{at}: a synopsis fence without a `policyweb` line"
    );
}

#[test]
fn the_status_doc_runs_as_written() {
    Scenario::play(&read_doc("docs/status.md"), GUIDE_DAY);
}

#[test]
fn the_revisions_doc_runs_as_written() {
    Scenario::play(&read_doc("docs/revisions.md"), GUIDE_DAY);
}

#[test]
fn the_links_doc_runs_as_written() {
    Scenario::play(&read_doc("docs/links.md"), GUIDE_DAY);
}

#[test]
fn the_serve_doc_runs_as_written() {
    Scenario::play(&read_doc("docs/serve.md"), GUIDE_DAY);
}

#[test]
fn getting_started_runs_as_written() {
    Scenario::play(&read_doc("docs/getting-started.md"), GUIDE_DAY);
}

#[test]
fn the_guide_runs_as_written() {
    Scenario::play(&read_doc("docs/guide.md"), GUIDE_DAY);
}

/// Every `[[kind:id]]` form the reference lists is used in one of its
/// example files, so each one is known to resolve.
#[test]
fn every_reference_form_the_reference_lists_is_in_an_example() {
    let doc = read_doc("docs/reference.md");
    let examples: String = doc
        .fences
        .iter()
        .filter(|f| f.words().len() >= 2 && f.words()[0] == "markdown")
        .map(|f| f.text.as_str())
        .collect();
    let forms: Vec<&String> = doc
        .code_spans
        .iter()
        .filter(|c| {
            c.starts_with("[[")
                && c.ends_with("]]")
                && !c.starts_with("[[kind:")
                && !c.contains('…')
        })
        .collect();
    assert!(
        forms.len() >= 10,
        "the reference lists its reference forms: {forms:?}"
    );
    let missing: Vec<_> = forms
        .iter()
        .filter(|f| !examples.contains(f.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "not used in any content example of the reference: {missing:?}"
    );
}

/// The key a probe adds; nothing reads it.
const PROBE: &str = "zz_probe";

/// Every key the build allows, anywhere in the reference's example site,
/// is named in the reference: a key added to the code without a word in
/// the docs fails here.
#[test]
fn every_key_the_build_allows_is_in_the_reference() {
    let doc = read_doc("docs/reference.md");
    let scenario = Scenario::play(&doc, REFERENCE_DAY);
    let probe_out = scenario.home.path().join("probe-out");
    let mut allowed = BTreeSet::new();
    let mut probes = 0;
    for path in example_files(&doc) {
        let file = scenario.folder.join(&path);
        let original = std::fs::read_to_string(&file).unwrap();
        for (index, line) in original.lines().enumerate() {
            let Some(probe) = probed(&original, index, line, path.ends_with(".md")) else {
                continue;
            };
            std::fs::write(&file, probe).unwrap();
            let build = policyweb(
                &[
                    "build".into(),
                    "--out".into(),
                    probe_out.display().to_string(),
                ],
                &scenario.folder,
                scenario.today,
            );
            std::fs::write(&file, &original).unwrap();
            let at = format!("{path}:{}", index + 1);
            assert!(
                build.text.contains(&format!("unknown key `{PROBE}`")),
                "{at}: a key nothing reads was not refused before `{}`:\n{}",
                line.trim(),
                build.text
            );
            allowed.extend(keys_allowed(&build.text).unwrap_or_else(|| {
                panic!(
                    "{at}: the error does not list the keys allowed:\n{}",
                    build.text
                )
            }));
            probes += 1;
        }
    }
    assert!(probes > 20, "only {probes} places were probed");
    assert!(
        allowed.len() > 50,
        "only these keys were listed: {allowed:?}"
    );
    let undocumented: Vec<_> = allowed
        .iter()
        .filter(|key| !doc.text.contains(&format!("{key}:")) && !doc.code_spans.contains(key))
        .collect();
    assert!(
        undocumented.is_empty(),
        "keys the build allows but docs/reference.md never names: {undocumented:?}"
    );
}

/// The keys an unknown key's error lists as allowed (its help may be
/// wrapped over several lines).
fn keys_allowed(printed: &str) -> Option<Vec<String>> {
    let start = printed.find("the keys allowed here are ")? + "the keys allowed here are ".len();
    // The list ends at the `;` before "check the spelling", which the
    // wrapping may have moved to the next line.
    let end = start + printed[start..].find(';')?;
    let list: String = printed[start..end]
        .lines()
        .map(|line| line.trim().trim_start_matches('│').trim())
        .collect::<Vec<_>>()
        .join(" ");
    Some(
        list.split(',')
            .map(|key| key.trim().trim_matches('`').to_string())
            .collect(),
    )
}

/// The files the reference's examples write.
fn example_files(doc: &Doc) -> BTreeSet<String> {
    doc.fences
        .iter()
        .filter_map(|f| match f.words().as_slice() {
            ["yaml" | "markdown", path, ..] => Some(path.to_string()),
            _ => None,
        })
        .collect()
}

/// The file with a key nothing reads added beside the key on line `index`,
/// or `None` when that line holds no key (or is outside a Markdown file's
/// front matter).
fn probed(text: &str, index: usize, line: &str, markdown: bool) -> Option<String> {
    if markdown {
        let fences_before = text.lines().take(index).filter(|l| *l == "---").count();
        if fences_before != 1 {
            return None;
        }
    }
    let indent = line.len() - line.trim_start().len();
    let (item, rest) = match line.trim_start().strip_prefix("- ") {
        Some(rest) => (true, rest),
        None => (false, line.trim_start()),
    };
    let key: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let after = &rest[key.len()..];
    if key.is_empty() || !(after == ":" || after.starts_with(": ")) {
        return None;
    }
    let probe = if item {
        format!(
            "{}- {PROBE}: 1\n{}  {rest}",
            " ".repeat(indent),
            " ".repeat(indent)
        )
    } else {
        format!("{}{PROBE}: 1\n{line}", " ".repeat(indent))
    };
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[index] = probe;
    Some(lines.join("\n") + "\n")
}
