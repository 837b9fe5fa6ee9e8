//! The render cache between builds: what `RenderCache` keeps within one
//! `serve` process, kept in `.policyweb/render-cache` in the site root
//! (beside the link check's cache, git-ignored) for the next `build`:
//! each render job's output (its pages, where its links came from and its
//! diagnostics, its files' lengths and hashes, not their bytes), and each
//! page's start tags by a hash of
//! its path and HTML as written, and the comparisons' word similarities
//! (`changes::text::Alike`) and what the views' lists of changes said of
//! each comparison (`changes_view::Outline`), and the internal link
//! check's verdict on each page of either tree (`links::internal::Kept`),
//! its tags as the finished page they are. So a rebuild renders only the
//! jobs an edit touched, of those reads only the pages whose HTML changed,
//! and checks the links only of the pages whose verdict could differ.
//!
//! A job is reused when its fingerprint (`Job::identity`, all it reads
//! within one process) is the one stored and the file's stamp is this
//! process's: the format, this binary's exact version and commit, the
//! binary file itself (its size and time, so a rebuilt binary of the same
//! commit never trusts an older one's pages) and the site root. Anything
//! else about the file that is not as written (missing, unreadable, cut
//! short, damaged, another stamp) and the build renders every job, as a
//! first build does; a job whose diagnostics point into a file this build
//! did not read is rendered again too, and so is one whose files are not
//! in the output being replaced exactly as written (their length and
//! 64-bit hash, read back: gone, edited by hand, a link, another build's):
//! a reused job's files are linked from there (`output::Linked`), never
//! held in memory nor in this file. Diagnostics are stored with the
//! path of the file they point into, not its `SourceId`, which is a
//! position in one build's list of files.
//!
//! The file is written only after a build succeeded (`Pending`), beside
//! and renamed into place, never into an output folder. Owns nothing of
//! what a job reads: that is `Fingerprints`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::changes_view::{KeptOutlines, Outline};
use super::{Finished, FinishedPages, RenderCache, ViewOutput};
use crate::changes::text::Alike;
use crate::diagnostics::{Diagnostic, Place, Severity, SourceId};
use crate::html::StartTag;
use crate::links::internal::{Kept, Verdict};
use crate::model::Site;
use crate::output::Linked;
use crate::validate::{SectionReads, section_reads};

/// Where the cache is, from the site root (a trust's school: its own).
pub const FILE: &str = ".policyweb/render-cache";

/// The file's first line; the number is the layout's, raised on a change.
const MAGIC: &str = "policyweb render cache 10\n";

/// What, beyond a job's fingerprint, the stored output was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    version: String,
    /// The binary's size and modification time, in nanoseconds.
    binary: Option<(u64, u128)>,
    root: String,
}

impl Stamp {
    fn now(site: &Site) -> Stamp {
        let binary = std::env::current_exe()
            .and_then(std::fs::metadata)
            .ok()
            .and_then(|m| {
                let time = m
                    .modified()
                    .ok()?
                    .duration_since(std::time::UNIX_EPOCH)
                    .ok()?;
                Some((m.len(), time.as_nanos()))
            });
        Stamp {
            version: env!("POLICYWEB_LONG_VERSION").to_string(),
            binary,
            root: site.root.to_string_lossy().into_owned(),
        }
    }
}

/// One job's output as stored: its HTML pages by path and the key of
/// each in the finished pages (in the order of `ViewOutput::finished`),
/// all its files, pages too, by path, length and hash (`Linked::sum_of`)
/// of their bytes, not the bytes, which the previous output holds; whether
/// they are in the restricted tree; the rest as it is in `ViewOutput`.
#[derive(Serialize, Deserialize)]
struct StoredJob {
    key: String,
    fingerprint: u64,
    pages: Vec<String>,
    finished: Vec<u64>,
    files: Vec<(String, u64, u64)>,
    restricted: bool,
    links: Vec<((String, String), Vec<StoredDiagnostic>)>,
    diagnostics: Vec<StoredDiagnostic>,
    images: Vec<String>,
}

/// A finished page: its key, and the length of its start tags
/// (`write_tags`) in the body.
#[derive(Serialize, Deserialize)]
struct StoredPage {
    key: u64,
    tags: u64,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    pages: Vec<StoredPage>,
    jobs: Vec<StoredJob>,
    /// The comparisons' word similarities, each its two texts' hashes
    /// and lengths and the score's bits.
    alike: Vec<(u64, u64, u64, u64, u32)>,
    /// What the views' lists of changes said of each comparison, by its
    /// fingerprint.
    outlines: Vec<(u64, Outline)>,
    /// Every text of the diagnostics, once: each is a number here.
    strings: Vec<String>,
    /// The link check's verdicts, of the public and the restricted tree.
    links: [StoredCheck; 2],
    /// Each edition's reading of its sections: the problems it found.
    sections: Vec<StoredSections>,
}

/// `validate::section_reads::Stored`, its problems as stored.
#[derive(Serialize, Deserialize)]
struct StoredSections {
    view: String,
    revision: String,
    base: String,
    trial: bool,
    fingerprint: u64,
    problems: Vec<StoredDiagnostic>,
}

/// One tree's link check (`links::internal::Kept`): every file it
/// checked (by its key there) and each page's verdict.
#[derive(Serialize, Deserialize, Default)]
struct StoredCheck {
    files: Vec<u64>,
    verdicts: Vec<StoredVerdict>,
}

/// A page's verdict: its path (a number in `Stored::strings`), the key of
/// its tags among the finished pages, the hashes it was reached under,
/// the length of the files it read in the body (each its key, eight
/// bytes), and the problems it found.
#[derive(Serialize, Deserialize)]
struct StoredVerdict {
    page: u32,
    key: u64,
    ids: u64,
    sources: u64,
    read: u64,
    problems: Vec<StoredDiagnostic>,
}

/// A diagnostic, its texts as numbers in `Stored::strings`: a site's
/// thousands of internal links each keep the diagnostic of their being
/// broken, and their few distinct texts, written out for each, were most
/// of the file but its pages' bytes, and a tenth of a rebuild's time.
#[derive(Serialize, Deserialize)]
struct StoredDiagnostic {
    error: bool,
    message: u32,
    place: Option<StoredPlace>,
    label: Option<u32>,
    help: Option<u32>,
}

#[derive(Serialize, Deserialize)]
enum StoredPlace {
    /// A span in the file with this path (`SourceFile::path`), a number
    /// in `Stored::strings`.
    Span(u32, usize, usize),
    File(PathBuf),
}

/// What was found where the cache should be, said in `build --verbose`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// No cache yet (a first build), or it could not be read.
    Nothing,
    /// A cache that is not this binary's or this site root's, or is
    /// damaged: not used.
    Unusable(&'static str),
    /// A usable cache, of so many jobs.
    Jobs(usize),
}

/// The cache a build starts from, and how many of its jobs it reused.
pub struct Loaded {
    pub found: Found,
    kept: HashMap<String, Arc<ViewOutput>>,
    pages: std::collections::HashSet<u64>,
    /// The link check's verdicts on the public and the restricted tree,
    /// for this build's check to start from (`take_links`).
    links: Option<Box<[Kept; 2]>>,
    /// The problems of each edition's reading, for this build's reading
    /// of the sections to start from (`take_sections`).
    sections: SectionReads,
}

impl Loaded {
    /// The stored link checks (none kept: empty ones), for this build's
    /// check to judge again only what they cannot vouch for.
    pub fn take_links(&mut self) -> Box<[Kept; 2]> {
        self.links.take().unwrap_or_default()
    }

    /// The stored readings of the sections (none kept: none), for this
    /// build's reading to take each unchanged edition's problems from.
    pub fn take_sections(&mut self) -> SectionReads {
        std::mem::take(&mut self.sections)
    }

    /// How many of this render's jobs came from the stored cache.
    pub fn reused(&self, cache: &RenderCache) -> usize {
        cache
            .jobs
            .iter()
            .filter(|(key, (_, output))| {
                self.kept.get(*key).is_some_and(|k| Arc::ptr_eq(k, output))
            })
            .count()
    }

    /// Whether the render changed nothing the file holds: every job it
    /// has, and only those, reused, and the same finished pages.
    fn unchanged(&self, cache: &RenderCache) -> bool {
        self.kept.len() == cache.jobs.len()
            && self.reused(cache) == cache.jobs.len()
            && self.pages.len() == cache.pages.len()
            && cache.pages.keys().all(|key| self.pages.contains(key))
    }
}

/// A render cache for one `build` that starts from the stored one (if it
/// is usable) and keeps what it renders for the next build, as `serve`
/// keeps it for its next render. A stored job's files are looked for in
/// `previous` (the output being replaced, public and restricted).
pub fn load(site: &Site, previous: [&Path; 2]) -> (RenderCache, Loaded) {
    let mut cache = RenderCache::default();
    let (found, (jobs, pages, alike, outlines, links, sections)) =
        match std::fs::read(site.root.join(FILE)) {
            Err(_) => (Found::Nothing, Default::default()),
            Ok(bytes) => match decode(site, &bytes, previous) {
                Ok(stored) => (Found::Jobs(stored.0.len()), stored),
                Err(why) => (Found::Unusable(why), Default::default()),
            },
        };
    let kept = jobs
        .iter()
        .map(|(key, (_, output))| (key.clone(), Arc::clone(output)))
        .collect();
    let loaded = Loaded {
        found,
        kept,
        pages: pages.keys().copied().collect(),
        links,
        sections,
    };
    cache.jobs = jobs;
    cache.pages = pages;
    cache.alike = alike;
    cache.outlines = outlines;
    (cache, loaded)
}

type Jobs = HashMap<String, (u64, Arc<ViewOutput>)>;

type Decoded = (
    Jobs,
    FinishedPages,
    Alike,
    KeptOutlines,
    Option<Box<[Kept; 2]>>,
    SectionReads,
);

fn decode(site: &Site, bytes: &[u8], previous: [&Path; 2]) -> Result<Decoded, &'static str> {
    let damaged = "it is damaged";
    let rest = bytes
        .strip_prefix(MAGIC.as_bytes())
        .ok_or("it is not one")?;
    let (stamp, rest) = line(rest).ok_or(damaged)?;
    let stamp: Stamp = serde_json::from_slice(stamp).map_err(|_| damaged)?;
    let now = Stamp::now(site);
    if stamp.version != now.version {
        return Err("another version of policyweb wrote it");
    }
    if stamp != now {
        return Err("another build of policyweb, or another site root, wrote it");
    }
    let (rest, trailer) = rest
        .split_at_checked(rest.len().wrapping_sub(4))
        .ok_or(damaged)?;
    if crc32fast::hash(rest).to_le_bytes() != trailer {
        return Err(damaged);
    }
    let (stored, body) = line(rest).ok_or(damaged)?;
    let stored: Stored = serde_json::from_slice(stored).map_err(|_| damaged)?;
    let mut at = 0usize;
    let mut take = |len: u64| -> Result<&[u8], &'static str> {
        let len = usize::try_from(len).map_err(|_| damaged)?;
        let end = at
            .checked_add(len)
            .filter(|end| *end <= body.len())
            .ok_or(damaged)?;
        let bytes = &body[at..end];
        at = end;
        Ok(bytes)
    };
    let mut stored_pages = Vec::with_capacity(stored.pages.len());
    for page in &stored.pages {
        stored_pages.push((page.key, take(page.tags)?));
    }
    // Most of the reading: in parallel, a page at a time.
    let pages = stored_pages
        .into_par_iter()
        .map(|(key, tags)| {
            let finished = Finished {
                tags: Arc::new(read_tags(tags)?),
            };
            Some((key, Arc::new(finished)))
        })
        .collect::<Option<FinishedPages>>()
        .ok_or(damaged)?;
    let mut reads = Vec::new();
    for check in &stored.links {
        for verdict in &check.verdicts {
            reads.push(take(verdict.read)?);
        }
    }
    if at != body.len() {
        return Err(damaged);
    }
    let paths = source_paths(site);
    // Whether a job's files are in the previous output as it wrote them
    // is asked only of a job the render would reuse (`render_cached`).
    let jobs = stored
        .jobs
        .par_iter()
        .map(|job| {
            let output = restore(job, previous, &pages, &stored.strings, &paths)?;
            Some((job.key.clone(), (job.fingerprint, Arc::new(output))))
        })
        .collect::<Option<Jobs>>()
        .ok_or(damaged)?;
    let links = restore_links(&stored, &reads, &pages, &paths).ok_or(damaged)?;
    let alike = stored
        .alike
        .into_iter()
        .map(|(a, b, c, d, score)| ((a, b, c, d), f32::from_bits(score)))
        .collect();
    let outlines = stored
        .outlines
        .into_iter()
        .map(|(key, outline)| (key, Arc::new(outline)))
        .collect();
    // A reading whose problems point into a file this build did not read
    // is not kept: its edition is read again.
    let sections = stored
        .sections
        .into_iter()
        .filter_map(|read| {
            let problems = read
                .problems
                .iter()
                .map(|d| restore_diagnostic(d, &stored.strings, &paths))
                .collect::<Option<_>>()?;
            Some(section_reads::Stored {
                view: read.view,
                revision: read.revision,
                base: read.base,
                trial: read.trial,
                fingerprint: read.fingerprint,
                problems,
            })
        })
        .collect();
    let sections = SectionReads::from_stored(sections);
    Ok((
        jobs,
        pages,
        alike,
        outlines,
        Some(Box::new(links)),
        sections,
    ))
}

/// The stored link checks as they were kept; `None` when a number in
/// them is not in the file. A verdict whose tags are not among the
/// finished pages, or whose problems point into a file this build did not
/// read, is left out: its page is checked again.
fn restore_links(
    stored: &Stored,
    reads: &[&[u8]],
    pages: &FinishedPages,
    paths: &HashMap<&str, Option<SourceId>>,
) -> Option<[Kept; 2]> {
    let strings = &stored.strings;
    let text = |at: u32| strings.get(at as usize).cloned();
    let mut reads = reads.iter();
    let mut checks = stored.links.iter().map(|check| {
        let files = check.files.iter().copied().collect();
        let mut verdicts = HashMap::with_capacity(check.verdicts.len());
        for verdict in &check.verdicts {
            let read = reads.next()?;
            let read: Vec<u64> = read
                .chunks(8)
                .map(|eight| Some(u64::from_le_bytes(eight.try_into().ok()?)))
                .collect::<Option<_>>()?;
            let page = text(verdict.page)?;
            let problems: Option<Vec<Diagnostic>> = verdict
                .problems
                .iter()
                .map(|d| restore_diagnostic(d, strings, paths))
                .collect();
            let (Some(finished), Some(problems)) = (pages.get(&verdict.key), problems) else {
                continue;
            };
            let kept = Verdict {
                tags: Arc::clone(&finished.tags),
                ids: verdict.ids,
                sources: verdict.sources,
                read: Arc::new(read),
                problems: Arc::new(problems),
            };
            verdicts.insert(page, kept);
        }
        Some(Kept::from_parts(verdicts, files))
    });
    Some([checks.next()??, checks.next()??])
}

/// The link checks as stored (`StoredCheck`), the files each verdict read
/// as they go into the body. A verdict on a page that is not among the
/// finished pages (one rendered for this build alone) is not kept.
fn store_links<'a>(
    site: &'a Site,
    cache: &RenderCache,
    links: &'a [Kept; 2],
    strings: &mut Strings<'a>,
) -> ([StoredCheck; 2], Vec<u8>) {
    let keys: HashMap<*const Vec<StartTag>, u64> = cache
        .pages
        .iter()
        .map(|(key, page)| (Arc::as_ptr(&page.tags), *key))
        .collect();
    let mut body = Vec::new();
    let mut store = |kept: &'a Kept| {
        let mut files: Vec<u64> = kept.files().iter().copied().collect();
        files.sort_unstable();
        let mut pages: Vec<(&String, &Verdict)> = kept.verdicts().iter().collect();
        pages.sort_unstable_by_key(|(page, _)| *page);
        let mut verdicts = Vec::with_capacity(pages.len());
        for (page, verdict) in pages {
            let Some(key) = keys.get(&Arc::as_ptr(&verdict.tags)) else {
                continue;
            };
            for file in verdict.read.iter() {
                body.extend_from_slice(&file.to_le_bytes());
            }
            verdicts.push(StoredVerdict {
                page: strings.number(page),
                key: *key,
                ids: verdict.ids,
                sources: verdict.sources,
                read: 8 * verdict.read.len() as u64,
                problems: verdict
                    .problems
                    .iter()
                    .map(|d| store_diagnostic(site, d, strings))
                    .collect(),
            });
        }
        StoredCheck { files, verdicts }
    };
    let public = store(&links[0]);
    let restricted = store(&links[1]);
    ([public, restricted], body)
}

/// A page's start tags as stored: each a string (its name), a count of
/// attributes and two strings an attribute, each string its length (four
/// bytes, little-endian) and its bytes; JSON for them took longer to read
/// than the rest of the cache together.
fn write_tags(tags: &[StartTag], into: &mut Vec<u8>) {
    let string = |text: &str, into: &mut Vec<u8>| {
        into.extend_from_slice(&(text.len() as u32).to_le_bytes());
        into.extend_from_slice(text.as_bytes());
    };
    into.extend_from_slice(&(tags.len() as u32).to_le_bytes());
    for tag in tags {
        string(&tag.name, into);
        into.extend_from_slice(&(tag.attributes.len() as u32).to_le_bytes());
        for (name, value) in &tag.attributes {
            string(name, into);
            string(value, into);
        }
    }
}

/// `write_tags` read back; `None` if the bytes are not what it writes.
fn read_tags(mut bytes: &[u8]) -> Option<Vec<StartTag>> {
    let number = |bytes: &mut &[u8]| -> Option<usize> {
        let (four, rest) = bytes.split_first_chunk::<4>()?;
        *bytes = rest;
        Some(u32::from_le_bytes(*four) as usize)
    };
    let string = |bytes: &mut &[u8], len: usize| -> Option<String> {
        let (text, rest) = bytes.split_at_checked(len)?;
        *bytes = rest;
        String::from_utf8(text.to_vec()).ok()
    };
    let count = number(&mut bytes)?;
    let mut tags = Vec::with_capacity(count.min(bytes.len()));
    for _ in 0..count {
        let len = number(&mut bytes)?;
        let name = string(&mut bytes, len)?;
        let attributes = number(&mut bytes)?;
        let mut tag = StartTag {
            name,
            attributes: Vec::with_capacity(attributes.min(bytes.len())),
        };
        for _ in 0..attributes {
            let len = number(&mut bytes)?;
            let name = string(&mut bytes, len)?;
            let len = number(&mut bytes)?;
            let value = string(&mut bytes, len)?;
            tag.attributes.push((name, value));
        }
        tags.push(tag);
    }
    bytes.is_empty().then_some(tags)
}

/// The text up to the next newline, and what follows it.
fn line(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let end = bytes.iter().position(|b| *b == b'\n')?;
    Some((&bytes[..end], &bytes[end + 1..]))
}

/// Each file this build read by its path; `None` for a path two files
/// share, which no stored diagnostic can then be put back into.
fn source_paths(site: &Site) -> HashMap<&str, Option<SourceId>> {
    let mut paths = HashMap::new();
    for (id, file) in site.sources.iter() {
        paths
            .entry(file.path.as_str())
            .and_modify(|seen| *seen = None)
            .or_insert(Some(id));
    }
    paths
}

/// A stored job as it was rendered, its files linked from the previous
/// output (`previous`, public and restricted), or `None` when a page of it
/// is not among the finished pages or a diagnostic of it points into a
/// file this build did not read.
fn restore(
    job: &StoredJob,
    previous: [&Path; 2],
    pages: &FinishedPages,
    strings: &[String],
    paths: &HashMap<&str, Option<SourceId>>,
) -> Option<ViewOutput> {
    let mut output = ViewOutput::default();
    if job.pages.len() != job.finished.len() {
        return None;
    }
    for (path, key) in job.pages.iter().zip(&job.finished) {
        let page = pages.get(key)?;
        output.tags.insert(path.clone(), Arc::clone(&page.tags));
    }
    output.finished = job.finished.clone();
    let folder = previous[usize::from(job.restricted)];
    for (path, len, sum) in &job.files {
        let linked = Linked {
            from: folder.join(path),
            len: *len,
            sum: *sum,
        };
        output.tree.linked.insert(path.clone(), linked);
    }
    output.restricted = job.restricted;
    let diagnostic = |d: &StoredDiagnostic| restore_diagnostic(d, strings, paths);
    for (link, found) in &job.links {
        let found = found.iter().map(diagnostic).collect::<Option<Vec<_>>>()?;
        output.links.insert(link.clone(), found);
    }
    output.diagnostics = job
        .diagnostics
        .iter()
        .map(diagnostic)
        .collect::<Option<_>>()?;
    output.images = job.images.iter().cloned().collect();
    Some(output)
}

fn restore_diagnostic(
    stored: &StoredDiagnostic,
    strings: &[String],
    paths: &HashMap<&str, Option<SourceId>>,
) -> Option<Diagnostic> {
    let text = |at: u32| strings.get(at as usize).cloned();
    let optional = |at: Option<u32>| at.map(text).map_or(Some(None), |t| t.map(Some));
    let place = match &stored.place {
        None => None,
        Some(StoredPlace::File(path)) => Some(Place::File(path.clone())),
        Some(StoredPlace::Span(path, start, end)) => Some(Place::Span {
            source: (*paths.get(strings.get(*path as usize)?.as_str())?)?,
            bytes: *start..*end,
        }),
    };
    Some(Diagnostic {
        severity: if stored.error {
            Severity::Error
        } else {
            Severity::Warning
        },
        message: text(stored.message)?,
        place,
        label: optional(stored.label)?,
        help: optional(stored.help)?,
    })
}

/// The texts of the diagnostics being stored, each given a number once.
#[derive(Default)]
struct Strings<'a> {
    numbers: HashMap<&'a str, u32>,
    list: Vec<&'a str>,
}

impl<'a> Strings<'a> {
    fn number(&mut self, text: &'a str) -> u32 {
        *self.numbers.entry(text).or_insert_with(|| {
            self.list.push(text);
            (self.list.len() - 1) as u32
        })
    }
}

fn store_diagnostic<'a>(
    site: &'a Site,
    diagnostic: &'a Diagnostic,
    strings: &mut Strings<'a>,
) -> StoredDiagnostic {
    StoredDiagnostic {
        error: diagnostic.severity == Severity::Error,
        message: strings.number(&diagnostic.message),
        place: diagnostic.place.as_ref().map(|place| match place {
            Place::Span { source, bytes } => StoredPlace::Span(
                strings.number(&site.sources.get(*source).path),
                bytes.start,
                bytes.end,
            ),
            Place::File(path) => StoredPlace::File(path.clone()),
        }),
        label: diagnostic.label.as_deref().map(|l| strings.number(l)),
        help: diagnostic.help.as_deref().map(|h| strings.number(h)),
    }
}

/// `Stored` as it is written: borrowed, not copied.
#[derive(Serialize)]
struct Storing<'a> {
    pages: Vec<StoredPage>,
    jobs: Vec<StoringJob<'a>>,
    alike: Vec<(u64, u64, u64, u64, u32)>,
    outlines: Vec<(u64, &'a Outline)>,
    strings: Vec<&'a str>,
    links: [StoredCheck; 2],
    sections: Vec<StoredSections>,
}

#[derive(Serialize)]
struct StoringJob<'a> {
    key: &'a str,
    fingerprint: u64,
    pages: Vec<&'a str>,
    finished: &'a [u64],
    files: Vec<(&'a str, u64, u64)>,
    restricted: bool,
    links: Vec<(&'a (String, String), Vec<StoredDiagnostic>)>,
    diagnostics: Vec<StoredDiagnostic>,
    images: Vec<&'a str>,
}

/// Writes the cache file: the stamp, the pages' and jobs' facts, the
/// finished pages' tags and then the jobs' files, one after another, and
/// a checksum of all after the stamp (which can then be changed, by a
/// person or a test, and is still read, and refused). CRC-32, not
/// SipHash: the file is read and written whole by every rebuild, and
/// SipHash over it was 2.6% of a rebuild's samples.
fn encode(
    site: &Site,
    cache: &RenderCache,
    links: &[Kept; 2],
    into: impl Write,
) -> std::io::Result<()> {
    let readings = cache.sections.stored();
    let mut strings = Strings::default();
    let sections = readings
        .iter()
        .map(|read| StoredSections {
            view: read.view.clone(),
            revision: read.revision.clone(),
            base: read.base.clone(),
            trial: read.trial,
            fingerprint: read.fingerprint,
            problems: read
                .problems
                .iter()
                .map(|d| store_diagnostic(site, d, &mut strings))
                .collect(),
        })
        .collect();
    let (checks, reads) = store_links(site, cache, links, &mut strings);
    let mut keys: Vec<&u64> = cache.pages.keys().collect();
    keys.sort();
    // Each page's facts, and its tags as they are written.
    let pages: Vec<(StoredPage, Vec<u8>)> = keys
        .into_par_iter()
        .map(|key| {
            let page = &cache.pages[key];
            let mut tags = Vec::new();
            write_tags(&page.tags, &mut tags);
            let stored = StoredPage {
                key: *key,
                tags: tags.len() as u64,
            };
            (stored, tags)
        })
        .collect();
    let mut keys: Vec<&String> = cache.jobs.keys().collect();
    keys.sort();
    let jobs: Vec<StoringJob> = keys
        .into_iter()
        .map(|key| {
            let (fingerprint, output) = &cache.jobs[key];
            // A trial's pages are never written, nor finished: only its
            // problems are used.
            let trial = key.starts_with("trial:");
            let mut files: Vec<(&str, u64, u64)> = output
                .tree
                .files
                .iter()
                .filter(|_| !trial)
                .map(|(path, bytes)| (path.as_str(), bytes.len() as u64, Linked::sum_of(bytes)))
                .chain(
                    output
                        .tree
                        .linked
                        .iter()
                        .filter(|_| !trial)
                        .map(|(path, linked)| (path.as_str(), linked.len, linked.sum)),
                )
                .collect();
            files.sort_unstable_by_key(|(path, ..)| *path);
            let pages: Vec<&str> = files
                .iter()
                .map(|(path, ..)| *path)
                .filter(|path| path.ends_with(".html"))
                .collect();
            let mut links: Vec<_> = output
                .links
                .iter()
                .filter(|_| !trial)
                .map(|(link, found)| {
                    let found = found
                        .iter()
                        .map(|d| store_diagnostic(site, d, &mut strings))
                        .collect();
                    (link, found)
                })
                .collect();
            links.sort_by(|a: &(&(String, String), Vec<StoredDiagnostic>), b| a.0.cmp(b.0));
            StoringJob {
                key,
                fingerprint: *fingerprint,
                pages,
                finished: &output.finished,
                files,
                restricted: output.restricted,
                links,
                diagnostics: output
                    .diagnostics
                    .iter()
                    .map(|d| store_diagnostic(site, d, &mut strings))
                    .collect(),
                images: output.images.iter().map(String::as_str).collect(),
            }
        })
        .collect();
    let mut into = std::io::BufWriter::new(into);
    into.write_all(MAGIC.as_bytes())?;
    serde_json::to_writer(&mut into, &Stamp::now(site))?;
    into.write_all(b"\n")?;
    let mut summed = Summed {
        into,
        checksum: crc32fast::Hasher::new(),
    };
    let (pages, finished): (Vec<_>, Vec<_>) = pages.into_iter().unzip();
    let mut alike: Vec<_> = cache
        .alike
        .iter()
        .map(|(&(a, b, c, d), score)| (a, b, c, d, score.to_bits()))
        .collect();
    alike.sort_unstable();
    let mut outlines: Vec<_> = cache
        .outlines
        .iter()
        .map(|(key, outline)| (*key, outline.as_ref()))
        .collect();
    outlines.sort_unstable_by_key(|(key, _)| *key);
    let stored = Storing {
        pages,
        jobs,
        alike,
        outlines,
        strings: strings.list,
        links: checks,
        sections,
    };
    serde_json::to_writer(&mut summed, &stored)?;
    summed.write_all(b"\n")?;
    for tags in finished {
        summed.write_all(&tags)?;
    }
    summed.write_all(&reads)?;
    let Summed { mut into, checksum } = summed;
    into.write_all(&checksum.finalize().to_le_bytes())?;
    into.flush()
}

/// A writer that sums what passes through it.
struct Summed<W> {
    into: W,
    checksum: crc32fast::Hasher,
}

impl<W: Write> Write for Summed<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.into.write(bytes)?;
        self.checksum.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.into.flush()
    }
}

/// The next build's cache, written beside its place and moved into it
/// only by `commit`, once the build has succeeded; dropped, it is removed
/// and the old cache stays as it was.
pub struct Pending {
    staged: Option<(tempfile::TempPath, PathBuf)>,
}

impl Pending {
    /// Nothing to write: the stored cache is already this render's, or
    /// it would land inside an output folder (`outputs`), where it would
    /// be published.
    fn none() -> Pending {
        Pending { staged: None }
    }

    /// Writes the cache `cache` holds for the next build beside its place
    /// in the site root. A cache that cannot be written costs the next
    /// build its speed, nothing else: no error.
    pub fn stage(
        site: &Site,
        cache: &RenderCache,
        links: &[Kept; 2],
        loaded: &Loaded,
        outputs: &[&Path],
    ) -> Pending {
        let file = site.root.join(FILE);
        if loaded.unchanged(cache) || inside_any(&file, outputs) {
            return Pending::none();
        }
        let staged = (|| {
            let folder = file.parent()?;
            std::fs::create_dir_all(folder).ok()?;
            let mut staged = tempfile::NamedTempFile::new_in(folder).ok()?;
            encode(site, cache, links, staged.as_file_mut()).ok()?;
            Some(staged.into_temp_path())
        })();
        Pending {
            staged: staged.map(|staged| (staged, file)),
        }
    }

    /// Moves the staged cache into place (nothing when none was staged).
    pub fn commit(self) {
        if let Some((staged, file)) = self.staged {
            let _ = staged.persist(file);
        }
    }
}

/// Whether `file` would be written inside one of `folders` (or is one):
/// compared as the folders are on disk, through links.
fn inside_any(file: &Path, folders: &[&Path]) -> bool {
    let real = |path: &Path| {
        path.canonicalize().ok().or_else(|| {
            let parent = path.parent()?.canonicalize().ok()?;
            Some(parent.join(path.file_name()?))
        })
    };
    let Some(folder) = file.parent().and_then(real) else {
        return true;
    };
    folders
        .iter()
        .filter_map(|f| real(f))
        .any(|output| folder.starts_with(&output) || output.starts_with(&folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(message: u32, help: Option<u32>) -> StoredDiagnostic {
        StoredDiagnostic {
            error: true,
            message,
            place: Some(StoredPlace::File("content/a.md".into())),
            label: None,
            help,
        }
    }

    #[test]
    fn a_diagnostic_comes_back_with_its_texts_and_a_number_past_them_is_damage() {
        let strings = vec!["the link `x` is broken".to_string(), "fix it".to_string()];
        let paths = HashMap::new();
        let back = restore_diagnostic(&stored(0, Some(1)), &strings, &paths).unwrap();
        assert_eq!(back.message, "the link `x` is broken");
        assert_eq!(back.help.as_deref(), Some("fix it"));
        assert_eq!(back.label, None);
        assert!(restore_diagnostic(&stored(2, None), &strings, &paths).is_none());
        assert!(restore_diagnostic(&stored(0, Some(7)), &strings, &paths).is_none());
    }
}
