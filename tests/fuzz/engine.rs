//! The fuzzing engine shared by every target: the committed corpus, a
//! structure-aware mutator seeded from it, and a runner that turns a
//! panic, an invariant broken or a slow input into a saved, minimised
//! finding.
//!
//! It runs on stable Rust inside the normal test build: `arbtest` supplies
//! the random bytes and the time budget, and the mutator turns them into a
//! site, a section or a data file. There is no coverage feedback; instead
//! an input that makes the build say something new (a diagnostic message
//! not seen before) joins the pool that later inputs are mutated from.

use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

use arbtest::arbitrary::{Result as ArbResult, Unstructured};

/// What one run of a target observed: messages whose first words are new
/// make the input worth keeping in the pool.
pub type Signal = Vec<String>;

/// One fuzz target: a name (the corpus folder), whether its input is one
/// file or a bundle of files (see `Bundle`), the words its mutator likes
/// to insert, and the property to check.
pub struct Target {
    pub name: &'static str,
    pub bundle: bool,
    pub dictionary: &'static [&'static str],
    /// Panics when the property does not hold.
    pub run: fn(&[u8]) -> Signal,
    /// Inputs of a class another change is fixing: not run, counted.
    pub pending: fn(&[u8]) -> Option<&'static str>,
}

/// Longest input the mutator makes. Far below the sizes where the known
/// pending classes start (a line past column 65,535, thousands of nested
/// blocks), so that a short run keeps to new ground.
const MAX_INPUT: usize = 24 * 1024;

/// A hang in the replay: far beyond any input in the corpus.
const REPLAY_LIMIT: Duration = Duration::from_secs(30);

pub fn corpus_dir(kind: &str, target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(kind)
        .join(target)
}

/// The files of `tests/fuzz/<kind>/<target>/`, sorted, with their names.
pub fn inputs(kind: &str, target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = corpus_dir(kind, target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("corpus file readable");
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

// ---------------------------------------------------------------------
// Panics: caught and described, never printed in the middle of a run.

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Above 0 while a replay or a minimisation runs (tests run in parallel): targets then take their slowest,
/// most thorough path every time (see `tests/fuzz.rs`, `thorough`).
pub static THOROUGH: AtomicUsize = AtomicUsize::new(0);

/// How many checks are running (tests run in parallel): while any is, a
/// panic is recorded, not printed.
static CHECKING: AtomicUsize = AtomicUsize::new(0);

fn quiet_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CHECKING.load(Ordering::SeqCst) == 0 {
                return default(info);
            }
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let place = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let mut short: String = message.chars().take(300).collect();
            if short.len() < message.len() {
                short.push('…');
            }
            *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(format!("panic at {place}: {short}"));
        }));
    });
}

/// What went wrong with one input, if anything: a panic (with where it
/// happened) or a run longer than `limit`.
pub fn check(target: &Target, input: &[u8], limit: Duration) -> (Result<Signal, String>, Duration) {
    quiet_panics();
    let started = Instant::now();
    CHECKING.fetch_add(1, Ordering::SeqCst);
    let result = panic::catch_unwind(AssertUnwindSafe(|| (target.run)(input)));
    CHECKING.fetch_sub(1, Ordering::SeqCst);
    let took = started.elapsed();
    let result = match result {
        Ok(_) if took > limit => Err(format!("slow: {} ms", took.as_millis())),
        Ok(signal) => Ok(signal),
        Err(_) => Err(LAST_PANIC
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .unwrap_or_else(|| "panic".into())),
    };
    (result, took)
}

// ---------------------------------------------------------------------
// Replay: every corpus and crash input, in the normal test run.

/// Runs every committed input of `target` (its corpus and the minimised
/// crashes fixed since) and fails naming each one that breaks the property.
pub fn replay(target: &Target) -> usize {
    let started = Instant::now();
    THOROUGH.fetch_add(1, Ordering::SeqCst);
    let mut failures = Vec::new();
    let mut count = 0;
    for kind in ["corpus", "crashes"] {
        for (name, bytes) in inputs(kind, target.name) {
            count += 1;
            if let (Err(problem), _) = check(target, &bytes, REPLAY_LIMIT) {
                failures.push(format!(
                    "tests/fuzz/{kind}/{}/{name}: {problem}",
                    target.name
                ));
            }
        }
    }
    THOROUGH.fetch_sub(1, Ordering::SeqCst);
    eprintln!(
        "replay {}: {count} inputs in {} ms",
        target.name,
        started.elapsed().as_millis()
    );
    if !failures.is_empty() {
        let report = format!(
            "{} of {count} inputs fail:\n{}",
            failures.len(),
            failures.join("\n")
        );
        eprintln!("{report}");
        panic!("{report}");
    }
    count
}

// ---------------------------------------------------------------------
// Random runs: a short one in every test run, as long as asked for by hand.

/// Settings from the environment (documented in docs/fuzzing.md).
struct Session {
    /// `POLICYWEB_FUZZ_SECONDS`: a long run that saves what it finds and
    /// goes on; without it, a short run that fails at the first finding.
    long: Option<Duration>,
    findings: PathBuf,
    seed: Option<u64>,
    slow: Duration,
}

impl Session {
    fn from_env(target: &str) -> Session {
        let long = std::env::var("POLICYWEB_FUZZ_SECONDS")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .map(Duration::from_secs);
        let findings = std::env::var_os("POLICYWEB_FUZZ_FINDINGS")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-findings"))
            .join(target);
        let seed = std::env::var("POLICYWEB_FUZZ_SEED").ok().and_then(|s| {
            let s = s.trim_start_matches("0x");
            u64::from_str_radix(s, 16).ok()
        });
        Session {
            long,
            findings,
            seed,
            slow: Duration::from_secs(10),
        }
    }
}

#[derive(Default)]
struct Stats {
    executions: u64,
    pending: u64,
    slowest: Duration,
    pool_added: usize,
    findings: Vec<(String, PathBuf)>,
}

/// A random run of `target`, `short` long unless `POLICYWEB_FUZZ_SECONDS`
/// says otherwise. Prints what it did; fails on the first finding in a
/// short run, and at the end of a long one if anything was found.
pub fn fuzz(target: &Target, short: Duration) {
    let session = Session::from_env(target.name);
    let mut seeds: Vec<Vec<u8>> = inputs("corpus", target.name)
        .into_iter()
        .chain(inputs("crashes", target.name))
        .map(|(_, bytes)| bytes)
        .collect();
    if seeds.is_empty() {
        seeds.push(Vec::new());
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut known: HashSet<String> = HashSet::new();
    let mut stats = Stats::default();
    let started = Instant::now();
    let budget = session.long.unwrap_or(short);
    if session.long.is_some() {
        std::fs::create_dir_all(&session.findings).expect("findings folder");
    }
    let current = session.findings.with_extension("current");

    let property = |u: &mut Unstructured<'_>| -> ArbResult<()> {
        let input = mutate(u, target, &seeds)?;
        if (target.pending)(&input).is_some() {
            stats.pending += 1;
            return Ok(());
        }
        if session.long.is_some() {
            // An abort (stack overflow) ends the process: this file is
            // then the input that did it.
            let _ = std::fs::write(&current, &input);
        }
        stats.executions += 1;
        let (result, took) = check(target, &input, session.slow);
        if took > stats.slowest {
            stats.slowest = took;
            if session.long.is_some() {
                let _ = std::fs::write(session.findings.with_extension("slowest"), &input);
            }
        }
        match result {
            Ok(signal) => {
                let mut new = false;
                for word in signal {
                    new |= seen.insert(word);
                }
                if new && seeds.len() < 2_000 && input.len() < MAX_INPUT {
                    seeds.push(input);
                    stats.pool_added += 1;
                }
            }
            Err(problem) => {
                let key = problem_key(&problem);
                if known.insert(key) {
                    let small = minimise(target, &input, &problem, &session);
                    let saved = save(&session, &small, &problem);
                    eprintln!(
                        "fuzz {}: {problem}\n  minimised to {} bytes: {}",
                        target.name,
                        small.len(),
                        saved.display()
                    );
                    stats.findings.push((problem.clone(), saved));
                }
                if session.long.is_none() {
                    eprintln!("fuzz {}: {problem}", target.name);
                    panic!(
                        "fuzz {}: {problem}\ninput ({} bytes):\n{}",
                        target.name,
                        input.len(),
                        String::from_utf8_lossy(&input[..input.len().min(2_000)])
                    );
                }
            }
        }
        Ok(())
    };
    let mut test = arbtest::arbtest(property).budget(budget).size_max(4_096);
    if let Some(seed) = session.seed {
        test = test.seed(seed);
    }
    test.run();
    let _ = std::fs::remove_file(&current);
    eprintln!(
        "fuzz {}: {:.0} s, {} executions, {} skipped as pending, slowest {} ms, pool {} (+{}), {} finding(s)",
        target.name,
        started.elapsed().as_secs_f64(),
        stats.executions,
        stats.pending,
        stats.slowest.as_millis(),
        seeds.len(),
        stats.pool_added,
        stats.findings.len()
    );
    for (problem, path) in &stats.findings {
        eprintln!("  {problem}\n    {}", path.display());
    }
    assert!(
        stats.findings.is_empty(),
        "fuzz {}: {} finding(s), saved under {}",
        target.name,
        stats.findings.len(),
        session.findings.display()
    );
}

/// The smallest input that fails as `input` does, with the problem; `None`
/// when it passes.
pub fn minimised(target: &Target, input: &[u8]) -> Option<(Vec<u8>, String)> {
    let session = Session {
        long: None,
        findings: PathBuf::new(),
        seed: None,
        slow: Duration::from_secs(10),
    };
    let (Err(problem), _) = check(target, input, session.slow) else {
        return None;
    };
    Some((minimise(target, input, &problem, &session), problem))
}

/// Findings are told apart by where they panic, not by their message
/// (which often quotes the input).
fn problem_key(problem: &str) -> String {
    if let Some(rest) = problem.strip_prefix("panic at ") {
        rest.split(':').take(2).collect::<Vec<_>>().join(":")
    } else {
        problem.split(':').next().unwrap_or(problem).to_string()
    }
}

fn save(session: &Session, input: &[u8], problem: &str) -> PathBuf {
    let _ = std::fs::create_dir_all(&session.findings);
    let name: String = problem_key(problem)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let path = session.findings.join(format!("{name}.txt"));
    let _ = std::fs::write(&path, input);
    let _ = std::fs::write(path.with_extension("problem"), problem);
    path
}

/// Delta debugging on lines, then on bytes: the smallest input that still
/// fails the same way, within a few seconds (a minute in a long run).
fn minimise(target: &Target, input: &[u8], problem: &str, session: &Session) -> Vec<u8> {
    let key = problem_key(problem);
    let deadline = Instant::now()
        + if session.long.is_some() {
            Duration::from_secs(60)
        } else {
            Duration::from_secs(5)
        };
    THOROUGH.fetch_add(1, Ordering::SeqCst);
    let fails = |candidate: &[u8]| -> bool {
        (target.pending)(candidate).is_none()
            && matches!(check(target, candidate, session.slow).0, Err(p) if problem_key(&p) == key)
    };
    let mut best = input.to_vec();
    let _thorough = Thorough;
    for by_lines in [true, false] {
        let mut chunk = best.len() / 2;
        while chunk >= 1 && Instant::now() < deadline {
            let pieces = split(&best, by_lines);
            let n = pieces.len();
            let size = chunk.min(n).max(1);
            let mut improved = false;
            let mut start = 0;
            while start < n && Instant::now() < deadline {
                let candidate: Vec<u8> = pieces[..start]
                    .iter()
                    .chain(&pieces[(start + size).min(n)..])
                    .flat_map(|piece| piece.iter().copied())
                    .collect();
                if candidate.len() < best.len() && fails(&candidate) {
                    best = candidate;
                    improved = true;
                    break;
                }
                start += size;
            }
            if !improved {
                if size == 1 {
                    break;
                }
                chunk = size / 2;
            }
        }
    }
    best
}

/// Ends the thorough mode when minimising is done.
struct Thorough;

impl Drop for Thorough {
    fn drop(&mut self) {
        THOROUGH.fetch_sub(1, Ordering::SeqCst);
    }
}

fn split(bytes: &[u8], by_lines: bool) -> Vec<&[u8]> {
    if by_lines {
        bytes.split_inclusive(|&b| b == b'\n').collect()
    } else {
        bytes.chunks(1).collect()
    }
}

// ---------------------------------------------------------------------
// Bundles: several files in one input, for the whole-site targets.

/// A bundle is text: each file starts with a line `=== path`, and a line
/// `=== -path` removes that file from the fixture.
pub struct Bundle {
    pub files: Vec<(String, Vec<u8>)>,
}

impl Bundle {
    pub fn parse(input: &[u8]) -> Bundle {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for line in input.split_inclusive(|&b| b == b'\n') {
            if let Some(path) = line.strip_prefix(b"=== ") {
                let path = String::from_utf8_lossy(path).trim_end().to_string();
                files.push((path, Vec::new()));
            } else if let Some((_, text)) = files.last_mut() {
                text.extend_from_slice(line);
            }
        }
        Bundle { files }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (path, text) in &self.files {
            out.extend_from_slice(format!("=== {path}\n").as_bytes());
            out.extend_from_slice(text);
            if !text.is_empty() && !text.ends_with(b"\n") {
                out.push(b'\n');
            }
        }
        out
    }
}

// ---------------------------------------------------------------------
// The mutator.

/// Characters that have broken parsers before: controls, BOMs, bidi
/// overrides, a combining mark, line separators, wide and astral letters.
const ODD_CHARS: &[&str] = &[
    "\0",
    "\r",
    "\r\n",
    "\t",
    "\u{feff}",
    "\u{200b}",
    "\u{202e}",
    "\u{301}",
    "\u{85}",
    "\u{2028}",
    "é",
    "😀",
    "ﬃ",
    "İ",
    "\u{10ffff}",
    "\\",
    "\"",
    "'",
    "`",
    "&",
    "<",
    ">",
    "#",
    ":",
    "|",
    "[",
    "]",
    "{",
    "}",
    "%",
    "*",
    "_",
    "~",
    "^",
    "!",
    "=",
    "-",
    "\n",
    "  ",
    "    ",
];

/// Numbers at the edges of what dates, intervals, editions and counts hold.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "12",
    "13",
    "29",
    "30",
    "31",
    "32",
    "59",
    "60",
    "99",
    "100",
    "255",
    "256",
    "365",
    "366",
    "1000",
    "1899",
    "1900",
    "2024",
    "9999",
    "0x10",
    "1e3",
    "1.5",
    "-0",
    "007",
    "2024-02-29",
    "2023-02-29",
    "2024-13",
    "2024-00",
    "2024-06",
    "2024-06-31",
    "0000-01-01",
    "9999-12-31",
];

fn char_boundary(text: &[u8], mut at: usize) -> usize {
    // Keeps UTF-8 whole unless a mutation means to break it.
    at = at.min(text.len());
    while at < text.len() && (text[at] & 0xC0) == 0x80 {
        at += 1;
    }
    at
}

fn position(u: &mut Unstructured<'_>, text: &[u8]) -> ArbResult<usize> {
    let at = u.int_in_range(0..=text.len())?;
    if u.ratio(1, 2)? {
        // The start of a line: where block syntax (---, :::, -, >, #) lives.
        let line_start = text[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        return Ok(line_start);
    }
    Ok(char_boundary(text, at))
}

fn range(u: &mut Unstructured<'_>, text: &[u8]) -> ArbResult<(usize, usize)> {
    let start = position(u, text)?;
    let len = if u.ratio(1, 3)? {
        // To the end of the line.
        text[start..]
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(text.len() - start)
    } else {
        u.int_in_range(0..=64usize)?
    };
    Ok((start, char_boundary(text, start + len)))
}

fn token<'a>(u: &mut Unstructured<'_>, target: &'a Target) -> ArbResult<&'a str> {
    match u.int_in_range(0..=9u8)? {
        0..=5 if !target.dictionary.is_empty() => u.choose(target.dictionary).copied(),
        6 | 7 => u.choose(ODD_CHARS).copied(),
        _ => u.choose(NUMBERS).copied(),
    }
}

/// One change to one text.
fn mutate_text(
    u: &mut Unstructured<'_>,
    target: &Target,
    text: &mut Vec<u8>,
    seeds: &[Vec<u8>],
) -> ArbResult<()> {
    match u.int_in_range(0..=11u8)? {
        0..=2 => {
            let at = position(u, text)?;
            let word = token(u, target)?;
            text.splice(at..at, word.bytes());
        }
        3 => {
            let (start, end) = range(u, text)?;
            text.drain(start..end);
        }
        4 => {
            let (start, end) = range(u, text)?;
            let word = token(u, target)?;
            text.splice(start..end, word.bytes());
        }
        5 => {
            // Duplicate a piece, a few times: lists, nesting, repeats.
            let (start, end) = range(u, text)?;
            let piece = text[start..end].to_vec();
            let times = if u.ratio(1, 8)? {
                u.int_in_range(2..=200usize)?
            } else {
                u.int_in_range(1..=3usize)?
            };
            let at = position(u, text)?;
            for _ in 0..times {
                text.splice(at..at, piece.iter().copied());
            }
        }
        6 => {
            // A line of another input.
            let other = u.choose(seeds)?;
            let lines: Vec<&[u8]> = other.split_inclusive(|&b| b == b'\n').collect();
            if !lines.is_empty() {
                let line = u.choose(&lines)?.to_vec();
                let at = position(u, text)?;
                text.splice(at..at, line);
            }
        }
        7 => {
            // A number at an edge.
            let digits: Vec<usize> = text
                .iter()
                .enumerate()
                .filter(|(i, b)| b.is_ascii_digit() && (*i == 0 || !text[i - 1].is_ascii_digit()))
                .map(|(i, _)| i)
                .collect();
            if !digits.is_empty() {
                let start = *u.choose(&digits)?;
                let end = start
                    + text[start..]
                        .iter()
                        .take_while(|b| b.is_ascii_digit() || **b == b'-')
                        .count();
                let number = u.choose(NUMBERS)?;
                text.splice(start..end, number.bytes());
            }
        }
        8 => {
            // Swap two lines.
            let mut lines: Vec<Vec<u8>> = text
                .split_inclusive(|&b| b == b'\n')
                .map(<[u8]>::to_vec)
                .collect();
            if lines.len() > 1 {
                let a = u.choose_index(lines.len())?;
                let b = u.choose_index(lines.len())?;
                lines.swap(a, b);
                *text = lines.concat();
            }
        }
        9 => {
            // Indent or dedent a line.
            let at = position(u, text)?;
            let line_start = text[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            if u.ratio(1, 2)? {
                let spaces = u.int_in_range(1..=8usize)?;
                text.splice(line_start..line_start, std::iter::repeat_n(b' ', spaces));
            } else {
                while text.get(line_start) == Some(&b' ') {
                    text.remove(line_start);
                }
            }
        }
        10 => {
            let at = char_boundary(text, u.int_in_range(0..=text.len())?);
            text.truncate(at);
        }
        _ => {
            // A raw byte: invalid UTF-8 now and then.
            let at = u.int_in_range(0..=text.len())?;
            let byte: u8 = u.arbitrary()?;
            text.insert(at, byte);
        }
    }
    Ok(())
}

/// Paths a generated site may add a file at.
const NEW_PATHS: &[&str] = &[
    "content/015-extra.md",
    "content/030-procedures/005-first.md",
    "content/030-procedures/_index.md",
    "content/040-new-folder/_index.md",
    "content/040-new-folder/010-inner.md",
    "content/_index.md",
    "content/999-last.md",
    "content/notes.txt",
    "content/image.png",
    "data/strands.yaml",
    "data/curriculum.yaml",
    "data/unknown.yaml",
    "versions/2023-24/content/010-introduction.md",
    "versions/2023-24/data/roles.yaml",
];

/// A new input for `target`, made from one of `seeds` by a few changes.
pub fn mutate(u: &mut Unstructured<'_>, target: &Target, seeds: &[Vec<u8>]) -> ArbResult<Vec<u8>> {
    let mut input = u.choose(seeds)?.clone();
    let changes = u.int_in_range(1..=8u8)?;
    if !target.bundle {
        for _ in 0..changes {
            mutate_text(u, target, &mut input, seeds)?;
        }
    } else {
        let mut bundle = Bundle::parse(&input);
        for _ in 0..changes {
            match u.int_in_range(0..=9u8)? {
                0 => {
                    // A new file, its text from another input's file.
                    let path = u.choose(NEW_PATHS)?.to_string();
                    let other = Bundle::parse(u.choose(seeds)?);
                    let text = if other.files.is_empty() {
                        Vec::new()
                    } else {
                        u.choose(&other.files)?.1.clone()
                    };
                    bundle.files.push((path, text));
                }
                1 if !bundle.files.is_empty() => {
                    let i = u.choose_index(bundle.files.len())?;
                    let path = bundle.files[i].0.trim_start_matches('-').to_string();
                    bundle.files[i] = (format!("-{path}"), Vec::new());
                }
                _ if !bundle.files.is_empty() => {
                    let i = u.choose_index(bundle.files.len())?;
                    mutate_text(u, target, &mut bundle.files[i].1, seeds)?;
                }
                _ => {}
            }
        }
        input = bundle.to_bytes();
    }
    input.truncate(MAX_INPUT);
    Ok(input)
}
