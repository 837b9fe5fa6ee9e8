//! What changed inside one section: its Markdown as plain-text blocks
//! (paragraphs, headings, list items, table rows, code), the blocks of two
//! revisions aligned, and word-level changes inside each changed block.

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use similar::{Algorithm, ChangeTag, DiffTag, TextDiff, capture_diff_slices};

/// What kind of block a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    Paragraph,
    Heading,
    ListItem,
    TableRow,
    Code,
}

impl BlockKind {
    pub fn describe(self) -> &'static str {
        match self {
            BlockKind::Paragraph => "paragraph",
            BlockKind::Heading => "heading",
            BlockKind::ListItem => "list item",
            BlockKind::TableRow => "table row",
            BlockKind::Code => "code block",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

/// Splits Markdown into blocks of plain text. `name` gives the words a
/// `[[kind:id]]` reference stands for (`role:dsl` → "Designated
/// Safeguarding Lead"); a reference with its own label keeps the label.
pub fn blocks(markdown: &str, name: &dyn Fn(&str) -> String) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<(BlockKind, String)> = None;
    let mut in_item = 0usize;
    let mut wikilink: Option<(String, bool, String)> = None;
    let flush = |current: &mut Option<(BlockKind, String)>, out: &mut Vec<Block>| {
        if let Some((kind, text)) = current.take() {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.is_empty() {
                out.push(Block { kind, text });
            }
        }
    };
    let parser = Parser::new_ext(markdown, crate::markdown::options());
    for event in parser {
        match event {
            Event::Start(tag) => match tag {
                Tag::Heading { .. } => {
                    flush(&mut current, &mut out);
                    current = Some((BlockKind::Heading, String::new()));
                }
                Tag::Paragraph => {
                    // A list item's first paragraph continues the item.
                    let continues = in_item > 0
                        && current
                            .as_ref()
                            .is_some_and(|(k, t)| *k == BlockKind::ListItem && t.trim().is_empty());
                    if !continues {
                        flush(&mut current, &mut out);
                        let kind = if in_item > 0 {
                            BlockKind::ListItem
                        } else {
                            BlockKind::Paragraph
                        };
                        current = Some((kind, String::new()));
                    }
                }
                Tag::Item => {
                    flush(&mut current, &mut out);
                    in_item += 1;
                    current = Some((BlockKind::ListItem, String::new()));
                }
                Tag::List(_) => flush(&mut current, &mut out),
                Tag::TableHead | Tag::TableRow => {
                    flush(&mut current, &mut out);
                    current = Some((BlockKind::TableRow, String::new()));
                }
                Tag::CodeBlock(_) => {
                    flush(&mut current, &mut out);
                    current = Some((BlockKind::Code, String::new()));
                }
                Tag::Link {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url,
                    ..
                } => wikilink = Some((dest_url.to_string(), has_pothole, String::new())),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Item => {
                    flush(&mut current, &mut out);
                    in_item = in_item.saturating_sub(1);
                }
                TagEnd::Heading(_) | TagEnd::TableHead | TagEnd::TableRow | TagEnd::CodeBlock => {
                    flush(&mut current, &mut out)
                }
                TagEnd::Paragraph if in_item == 0 => flush(&mut current, &mut out),
                TagEnd::TableCell => push(&mut current, " | "),
                TagEnd::Link => {
                    if let Some((target, labelled, label)) = wikilink.take() {
                        let words = if labelled { label } else { name(&target) };
                        push(&mut current, &words);
                    }
                }
                _ => {}
            },
            Event::Text(text) | Event::Code(text) => match &mut wikilink {
                Some((_, _, label)) => label.push_str(&text),
                None => push(&mut current, &text),
            },
            Event::SoftBreak | Event::HardBreak => push(&mut current, " "),
            Event::TaskListMarker(done) => push(&mut current, if done { "[x] " } else { "[ ] " }),
            _ => {}
        }
    }
    flush(&mut current, &mut out);
    for block in &mut out {
        if block.kind == BlockKind::TableRow {
            block.text = block.text.trim_end_matches(" |").trim().to_string();
        }
    }
    out
}

fn push(current: &mut Option<(BlockKind, String)>, text: &str) {
    current
        .get_or_insert_with(|| (BlockKind::Paragraph, String::new()))
        .1
        .push_str(text);
}

/// A run of text in a changed block: kept, added or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    Same,
    Added,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub mark: Mark,
    pub text: String,
}

/// One block of the new text, or of the old one where it was removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockChange {
    pub kind: BlockKind,
    pub mark: BlockMark,
    /// The block's words; for a changed block, old and new interleaved.
    pub pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockMark {
    Same,
    Added,
    Removed,
    Changed,
}

impl BlockChange {
    fn whole(kind: BlockKind, mark: BlockMark, text: &str) -> BlockChange {
        let piece = match mark {
            BlockMark::Added => Mark::Added,
            BlockMark::Removed => Mark::Removed,
            BlockMark::Same | BlockMark::Changed => Mark::Same,
        };
        BlockChange {
            kind,
            mark,
            pieces: vec![Piece {
                mark: piece,
                text: text.to_string(),
            }],
        }
    }

    /// Words added and removed, counted on the pieces.
    pub fn words(&self) -> (usize, usize) {
        let count = |mark: Mark| {
            self.pieces
                .iter()
                .filter(|p| p.mark == mark)
                .map(|p| p.text.split_whitespace().count())
                .sum()
        };
        (count(Mark::Added), count(Mark::Removed))
    }

    /// The text on one side: the old (`Removed` kept) or the new.
    pub fn side(&self, old: bool) -> String {
        let skip = if old { Mark::Added } else { Mark::Removed };
        self.pieces
            .iter()
            .filter(|p| p.mark != skip)
            .map(|p| p.text.as_str())
            .collect()
    }
}

/// Two blocks this alike are the same block edited, not one removed and
/// another added.
const SAME_BLOCK: f32 = 0.5;

/// Aligns the blocks of two revisions of a section, in the new order, with
/// removed blocks where they stood.
pub fn align(old: &[Block], new: &[Block]) -> Vec<BlockChange> {
    let old_texts: Vec<&str> = old.iter().map(|b| b.text.as_str()).collect();
    let new_texts: Vec<&str> = new.iter().map(|b| b.text.as_str()).collect();
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &old_texts, &new_texts) {
        let (tag, olds, news) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => out.extend(
                news.map(|i| BlockChange::whole(new[i].kind, BlockMark::Same, &new[i].text)),
            ),
            DiffTag::Delete => out.extend(
                olds.map(|i| BlockChange::whole(old[i].kind, BlockMark::Removed, &old[i].text)),
            ),
            DiffTag::Insert => out.extend(
                news.map(|i| BlockChange::whole(new[i].kind, BlockMark::Added, &new[i].text)),
            ),
            DiffTag::Replace => pair_up(&old[olds], &new[news], &mut out),
        }
    }
    out
}

/// Each word diff of two differing texts made once: the views of a site
/// mostly show a section alike (only audience blocks differ), so each
/// view's comparison of two revisions would otherwise diff the same words
/// again, block by block (`align`) and, for a section with a new id and
/// title, whole section by whole section (`similarity`). Kept by the
/// texts themselves, so a hit is the same input.
#[derive(Default)]
pub struct Diffs {
    aligned: Made<TwoTexts<Vec<Block>>, Aligned>,
    /// The last render's `align`s (`Diffs::keeping`), by the same texts.
    aligned_before: KeptAligned,
    alike: Likeness,
}

/// `align`'s answers by the two sections' blocks, as a render leaves them
/// for the next (`Diffs::into_aligned`): `serve`'s rebuild after an edit
/// aligns again the blocks of every section the edit did not touch.
pub type KeptAligned = HashMap<TwoTexts<Vec<Block>>, Aligned>;

/// Two texts as `similarity`'s answers are kept: each text's hash
/// (`hash_of`) and length.
pub type TwoHashed = (u64, u64, u64, u64);

/// `similarity`'s answers by the two texts' hashes, as a render leaves
/// them for the next (`Diffs::remembering`): a rebuild after one edit
/// compares the same whole sections again, one side new at most, and
/// whole-section word diffs were most of its comparisons' time.
pub type Alike = HashMap<TwoHashed, f32>;

/// The last render's answers (read only) and this render's.
#[derive(Default)]
struct Likeness {
    before: Alike,
    now: Mutex<Alike>,
}

/// How many answers a render keeps for the next at most: its own, and
/// the last render's it did not ask again (a reused job's, for when it
/// runs again) while all together are no more than this; past it (texts
/// long gone, a section edited again and again in `serve`), its own only.
/// About 3 MB.
const KEPT_AT_MOST: usize = 1 << 16;

/// How many alignments a render keeps for the next at most, as
/// `KEPT_AT_MOST` for similarities: each holds both sections' words, so
/// far fewer (a policy has some hundreds of sections in all its
/// revisions).
const KEPT_ALIGNED_AT_MOST: usize = 1 << 11;

/// The old text and the new.
pub type TwoTexts<T> = (T, T);

/// `align`'s blocks, kept.
pub type Aligned = Arc<Vec<BlockChange>>;

/// What a render leaves the next of something it keeps by key: all it
/// asked for (`now`), and the last render's it did not ask again
/// (`before`) while all together are no more than `at_most`, so that
/// what an edit made again and again does not pile up.
pub fn kept_for_next<K: Eq + std::hash::Hash, V>(
    mut now: HashMap<K, V>,
    before: HashMap<K, V>,
    at_most: usize,
) -> HashMap<K, V> {
    if before.len() + now.len() <= at_most {
        for (key, value) in before {
            now.entry(key).or_insert(value);
        }
    }
    now
}

/// Values made once for each key by whichever thread asks first, and
/// given to every later ask. Made outside the lock, so that other threads
/// do not wait: two asking at once may both make it, and either's is kept.
pub struct Made<K, V>(Mutex<HashMap<K, V>>);

impl<K, V> Default for Made<K, V> {
    fn default() -> Self {
        Made(Mutex::new(HashMap::new()))
    }
}

impl<K: Eq + std::hash::Hash, V: Clone> Made<K, V> {
    pub fn get_or_make(&self, key: K, make: impl FnOnce(&K) -> V) -> V {
        if let Some(value) = self.kept().get(&key) {
            return value.clone();
        }
        let value = make(&key);
        self.kept().insert(key, value.clone());
        value
    }

    /// Every value made, by its key.
    pub fn into_inner(self) -> HashMap<K, V> {
        self.0.into_inner().unwrap_or_else(PoisonError::into_inner)
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, HashMap<K, V>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Diffs {
    /// `align`, or what it gave for the same two texts before.
    pub fn align(&self, old: &[Block], new: &[Block]) -> Vec<BlockChange> {
        // Unchanged text aligns at once; keeping it would only copy it.
        if old == new {
            return align(old, new);
        }
        let aligned = self
            .aligned
            .get_or_make((old.to_vec(), new.to_vec()), |key| {
                match self.aligned_before.get(key) {
                    Some(aligned) => Arc::clone(aligned),
                    None => Arc::new(align(&key.0, &key.1)),
                }
            });
        aligned.as_ref().clone()
    }

    /// `similarity`, or what it gave for the same two texts before (in
    /// this render or the last).
    pub fn similarity(&self, old: &str, new: &str) -> f32 {
        if old == new {
            return 1.0;
        }
        let key = (
            crate::hash::hash_of(old),
            crate::hash::hash_of(new),
            old.len() as u64,
            new.len() as u64,
        );
        let now = || {
            self.alike
                .now
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        };
        if let Some(score) = now().get(&key) {
            return *score;
        }
        let score = match self.alike.before.get(&key) {
            Some(score) => *score,
            None => similarity(old, new),
        };
        now().insert(key, score);
        score
    }

    /// Word diffs that start from the answers a last render left
    /// (`into_alike`).
    pub fn remembering(before: Alike) -> Diffs {
        Diffs {
            alike: Likeness {
                before,
                now: Mutex::default(),
            },
            ..Diffs::default()
        }
    }

    /// These word diffs, starting also from the alignments a last render
    /// left (`into_aligned`).
    pub fn keeping(self, aligned: KeptAligned) -> Diffs {
        Diffs {
            aligned_before: aligned,
            ..self
        }
    }

    /// This render's alignments, and the last render's it did not ask
    /// again while they are few (`KEPT_ALIGNED_AT_MOST`), for the next render;
    /// then what `into_alike` gives.
    pub fn into_kept(self) -> (KeptAligned, Alike) {
        let aligned = kept_for_next(
            self.aligned.into_inner(),
            self.aligned_before,
            KEPT_ALIGNED_AT_MOST,
        );
        let alike = Diffs {
            alike: self.alike,
            ..Diffs::default()
        };
        (aligned, alike.into_alike())
    }

    /// This render's answers of `similarity`, and the last render's it did
    /// not ask again while they are few (`KEPT_AT_MOST`), for the next
    /// render.
    pub fn into_alike(self) -> Alike {
        let now = self
            .alike
            .now
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        kept_for_next(now, self.alike.before, KEPT_AT_MOST)
    }
}

/// How far past the last paired block an old block's edited form is looked
/// for. Without a bound, a section rewritten whole compared every old
/// block with every new one (1,000 paragraphs: 14 s); a block edited and
/// moved further than this reads as removed and added, which it nearly is.
const LOOKAHEAD: usize = 32;

/// Within a run of replaced blocks, pairs each old block with the next new
/// block like it (in order, within `LOOKAHEAD`), and marks the rest
/// removed or added.
fn pair_up(old: &[Block], new: &[Block], out: &mut Vec<BlockChange>) {
    // Each new block's words are counted once, for the bound that lets most
    // candidates be passed over without a diff.
    let new_words: Vec<std::cell::OnceCell<Words>> =
        new.iter().map(|_| std::cell::OnceCell::new()).collect();
    let mut next_new = 0;
    for block in old {
        let old_words = Words::of(&block.text);
        // The diff that paired the blocks is the one that marks their words.
        let found = (next_new..new.len().min(next_new + LOOKAHEAD)).find_map(|j| {
            if new[j].kind != block.kind
                || old_words.bound(new_words[j].get_or_init(|| Words::of(&new[j].text)))
                    < SAME_BLOCK
            {
                return None;
            }
            let diff = word_diff(&block.text, &new[j].text);
            (diff.ratio() >= SAME_BLOCK).then(|| (j, pieces(&diff)))
        });
        match found {
            Some((j, pieces)) => {
                for added in &new[next_new..j] {
                    out.push(BlockChange::whole(
                        added.kind,
                        BlockMark::Added,
                        &added.text,
                    ));
                }
                out.push(BlockChange {
                    kind: new[j].kind,
                    mark: BlockMark::Changed,
                    pieces,
                });
                next_new = j + 1;
            }
            None => out.push(BlockChange::whole(
                block.kind,
                BlockMark::Removed,
                &block.text,
            )),
        }
    }
    for added in &new[next_new..] {
        out.push(BlockChange::whole(
            added.kind,
            BlockMark::Added,
            &added.text,
        ));
    }
}

/// How alike two texts are, from 0 to 1, by the words they share.
pub fn similarity(old: &str, new: &str) -> f32 {
    if old == new {
        return 1.0;
    }
    word_diff(old, new).ratio()
}

/// The words of a text (and the spaces between them, as the word diff
/// counts them), ready to bound `similarity` from above without the diff.
/// The diff's ratio is twice the words it keeps over the words of both
/// texts, and what it keeps, in order on both sides, is at most their
/// longest common subsequence: that length is the bound. Found a machine
/// word of positions at a time (Allison and Dix's bit-parallel LCS, in
/// Hyyrö's form), so two sections of 300 words cost some thousands of
/// word operations where the diff of two unlike ones costs a million.
/// Written here because no crate the build has gives an LCS length of
/// token sequences; `similar` gives only the diff.
pub struct Words<'a> {
    tokens: Vec<&'a str>,
    /// For each distinct word, the positions it stands at, as bits.
    /// foldhash: every word of both texts is looked up here.
    positions: crate::hash::Map<&'a str, Vec<u64>>,
}

impl<'a> Words<'a> {
    pub fn of(text: &'a str) -> Words<'a> {
        let tokens = similar::DiffableStr::tokenize_words(text);
        let blocks = tokens.len().div_ceil(64);
        let mut positions: crate::hash::Map<&str, Vec<u64>> = Default::default();
        for (i, token) in tokens.iter().enumerate() {
            positions.entry(token).or_insert_with(|| vec![0; blocks])[i / 64] |= 1 << (i % 64);
        }
        Words { tokens, positions }
    }

    /// At least `similarity` of this text (the old) and `other` (the new):
    /// a candidate whose bound is below what it must reach can be passed
    /// over undiffed. Computed as the diff's ratio is, so that a diff
    /// keeping as much as can be kept gives the equal number.
    pub fn bound(&self, other: &Words) -> f32 {
        let len = self.tokens.len() + other.tokens.len();
        if len == 0 {
            return 1.0;
        }
        2.0 * self.longest_common(other) as f32 / len as f32
    }

    /// The length of the longest common subsequence of the two texts'
    /// words. Each bit of `row` is a position of this text, 0 where the
    /// subsequence so far could end; each word of `other` moves the 0s on.
    fn longest_common(&self, other: &Words) -> usize {
        let blocks = self.tokens.len().div_ceil(64);
        let mut row = vec![u64::MAX; blocks];
        for token in &other.tokens {
            let Some(at) = self.positions.get(token) else {
                continue;
            };
            // row = (row + (row & at)) | (row & !at), across the blocks.
            let mut carry = false;
            for (v, &m) in row.iter_mut().zip(at) {
                let u = *v & m;
                let (sum, over) = v.overflowing_add(u);
                let (sum, over_too) = sum.overflowing_add(u64::from(carry));
                carry = over || over_too;
                *v = sum | (*v & !m);
            }
        }
        let ones: usize = row.iter().map(|v| v.count_ones() as usize).sum();
        // The bits past the last position stay set.
        blocks * 64 - ones
    }
}

/// Of the candidates (an index, a text and its words), the one most like
/// `new` by `similarity`, at `floor` or above; the later of equals. A
/// candidate whose bound is below the best so far cannot win, and is not
/// diffed: most sections left unmatched share few words with most others.
pub fn most_alike<'a>(
    candidates: impl Iterator<Item = (usize, &'a str, &'a Words<'a>)>,
    new: &str,
    floor: f32,
    similarity: impl Fn(&str, &str) -> f32,
) -> Option<usize> {
    let new_words = Words::of(new);
    let mut best: Option<(f32, usize)> = None;
    for (index, text, words) in candidates {
        let floor = best.map_or(floor, |(score, _)| score);
        if words.bound(&new_words) < floor {
            continue;
        }
        let score = similarity(text, new);
        if score >= floor {
            best = Some((score, index));
        }
    }
    best.map(|(_, index)| index)
}

/// The word diff `similarity` and `words` read. Myers finds the fewest
/// changes; patience diffing, good for blocks that are mostly unique, goes
/// astray on words, which repeat.
fn word_diff<'a>(old: &'a str, new: &'a str) -> TextDiff<'a, 'a, str> {
    TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_words(old, new)
}

/// Word-level changes from `old` to `new`. Changes separated only by
/// spaces are one change: "[-Purple Mash-]{+Project Evolve+}", never
/// "[-Purple-]{+Project+} [-Mash-]{+Evolve+}".
pub fn words(old: &str, new: &str) -> Vec<Piece> {
    pieces(&word_diff(old, new))
}

/// `words`, from the diff already made.
fn pieces(diff: &TextDiff<'_, '_, str>) -> Vec<Piece> {
    let tokens: Vec<(Mark, &str)> = diff
        .iter_all_changes()
        .map(|change| {
            let mark = match change.tag() {
                ChangeTag::Equal => Mark::Same,
                ChangeTag::Insert => Mark::Added,
                ChangeTag::Delete => Mark::Removed,
            };
            (mark, change.value())
        })
        .collect();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let (mark, text) = tokens[i];
        if mark == Mark::Same {
            append(&mut pieces, Mark::Same, text);
            i += 1;
            continue;
        }
        // A run of changes, with the spaces kept between them, up to the
        // last change before an unchanged word.
        let mut end = i;
        let mut j = i;
        while j < tokens.len() {
            let (m, t) = tokens[j];
            if m != Mark::Same {
                end = j + 1;
            } else if !t.trim().is_empty() {
                break;
            }
            j += 1;
        }
        let run = &tokens[i..end];
        let side = |skip: Mark| -> String {
            run.iter()
                .filter(|(m, _)| *m != skip)
                .map(|(_, t)| *t)
                .collect()
        };
        let (removed, added) = (side(Mark::Added), side(Mark::Removed));
        if !removed.trim().is_empty() {
            append(&mut pieces, Mark::Removed, &removed);
        }
        if !added.trim().is_empty() {
            append(&mut pieces, Mark::Added, &added);
        }
        i = end;
    }
    pieces
}

fn append(pieces: &mut Vec<Piece>, mark: Mark, text: &str) {
    match pieces.last_mut() {
        Some(last) if last.mark == mark => last.text.push_str(text),
        _ => pieces.push(Piece {
            mark,
            text: text.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(id: &str) -> String {
        id.to_string()
    }

    fn marked(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p.mark {
                Mark::Same => p.text.clone(),
                Mark::Added => format!("{{+{}+}}", p.text),
                Mark::Removed => format!("[-{}-]", p.text),
            })
            .collect()
    }

    /// Texts of a few words from a small vocabulary, so that they share
    /// words, repeat them and sometimes match whole.
    fn random_text(u: &mut arbtest::arbitrary::Unstructured) -> arbtest::arbitrary::Result<String> {
        const WORDS: [&str; 6] = ["the", "school", "staff", "report", "é", "\n"];
        let len = u.int_in_range(0..=12)?;
        let mut text = String::new();
        for _ in 0..len {
            text.push_str(u.choose(&WORDS)?);
            text.push_str(u.choose(&[" ", "  ", "\n", ""])?);
        }
        Ok(text)
    }

    #[test]
    fn the_longest_common_subsequence_is_the_textbook_ones() {
        // Long enough to cross machine words (64 positions), where the
        // carry between them matters.
        fn textbook(a: &[&str], b: &[&str]) -> usize {
            let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
            for i in 1..=a.len() {
                for j in 1..=b.len() {
                    table[i][j] = if a[i - 1] == b[j - 1] {
                        table[i - 1][j - 1] + 1
                    } else {
                        table[i - 1][j].max(table[i][j - 1])
                    };
                }
            }
            table[a.len()][b.len()]
        }
        arbtest::arbtest(|u| {
            let words =
                |u: &mut arbtest::arbitrary::Unstructured| -> arbtest::arbitrary::Result<String> {
                    let len = u.int_in_range(0..=150)?;
                    let mut text = String::new();
                    for _ in 0..len {
                        text.push_str(u.choose(&["a", "b", "c", "dd"])?);
                        text.push(' ');
                    }
                    Ok(text)
                };
            let (a, b) = (words(u)?, words(u)?);
            let (old, new) = (Words::of(&a), Words::of(&b));
            assert_eq!(
                old.longest_common(&new),
                textbook(&old.tokens, &new.tokens),
                "{a:?} {b:?}"
            );
            Ok(())
        })
        .budget_ms(300);
    }

    #[test]
    fn the_bound_is_never_below_the_similarity() {
        arbtest::arbtest(|u| {
            let (a, b) = (random_text(u)?, random_text(u)?);
            let bound = Words::of(&a).bound(&Words::of(&b));
            assert!(bound >= similarity(&a, &b), "{a:?} {b:?}");
            Ok(())
        })
        .budget_ms(300);
    }

    #[test]
    fn the_bounded_search_finds_what_diffing_every_candidate_finds() {
        arbtest::arbtest(|u| {
            let new = random_text(u)?;
            let count = u.int_in_range(0..=6)?;
            let olds = (0..count)
                .map(|_| random_text(u))
                .collect::<Result<Vec<_>, _>>()?;
            let floor = *u.choose(&[0.0, 0.5, 0.6, 1.0])?;
            let everyone = (0..olds.len())
                .map(|o| (similarity(&olds[o], &new), o))
                .filter(|(score, _)| *score >= floor)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, o)| o);
            let words: Vec<Words> = olds.iter().map(|t| Words::of(t)).collect();
            let candidates = (0..olds.len()).map(|o| (o, olds[o].as_str(), &words[o]));
            assert_eq!(most_alike(candidates, &new, floor, similarity), everyone);
            Ok(())
        })
        .budget_ms(300);
    }

    #[test]
    fn blocks_pair_as_they_did_when_every_candidate_was_diffed() {
        // The pairing before the bound: every candidate of the same kind
        // diffed, and the words diffed again to mark them.
        fn paired_by_diffing(old: &[Block], new: &[Block]) -> Vec<BlockChange> {
            let mut out = Vec::new();
            let mut next_new = 0;
            for block in old {
                let found = (next_new..new.len().min(next_new + LOOKAHEAD)).find(|&j| {
                    new[j].kind == block.kind && similarity(&block.text, &new[j].text) >= SAME_BLOCK
                });
                match found {
                    Some(j) => {
                        for added in &new[next_new..j] {
                            out.push(BlockChange::whole(
                                added.kind,
                                BlockMark::Added,
                                &added.text,
                            ));
                        }
                        out.push(BlockChange {
                            kind: new[j].kind,
                            mark: BlockMark::Changed,
                            pieces: words(&block.text, &new[j].text),
                        });
                        next_new = j + 1;
                    }
                    None => out.push(BlockChange::whole(
                        block.kind,
                        BlockMark::Removed,
                        &block.text,
                    )),
                }
            }
            for added in &new[next_new..] {
                out.push(BlockChange::whole(
                    added.kind,
                    BlockMark::Added,
                    &added.text,
                ));
            }
            out
        }
        let block =
            |u: &mut arbtest::arbitrary::Unstructured| -> arbtest::arbitrary::Result<Block> {
                Ok(Block {
                    kind: *u.choose(&[BlockKind::Paragraph, BlockKind::ListItem])?,
                    text: random_text(u)?,
                })
            };
        arbtest::arbtest(|u| {
            let (n, m) = (u.int_in_range(0..=5)?, u.int_in_range(0..=5)?);
            let old = (0..n).map(|_| block(u)).collect::<Result<Vec<_>, _>>()?;
            let new = (0..m).map(|_| block(u)).collect::<Result<Vec<_>, _>>()?;
            let mut out = Vec::new();
            pair_up(&old, &new, &mut out);
            assert_eq!(out, paired_by_diffing(&old, &new));
            Ok(())
        })
        .budget_ms(300);
    }

    #[test]
    fn a_diff_kept_for_two_texts_is_the_diff_of_those_texts() {
        let old = blocks("One two three.\n\nKept.\n", &plain);
        let new = blocks("One two four.\n\nKept.\n", &plain);
        let other = blocks("Five six.\n\nKept.\n", &plain);
        let diffs = Diffs::default();
        assert_eq!(diffs.align(&old, &new), align(&old, &new));
        // Asked again, and for another pair: each its own.
        assert_eq!(diffs.align(&old, &new), align(&old, &new));
        assert_eq!(diffs.align(&old, &other), align(&old, &other));
        assert_eq!(
            marked(&diffs.align(&old, &new)[0].pieces),
            "One two [-three.-]{+four.+}"
        );
        let (alike, unlike) = (
            ("one two three", "one two four"),
            ("one two three", "five six"),
        );
        for (a, b) in [alike, unlike, alike, unlike] {
            assert_eq!(diffs.similarity(a, b), similarity(a, b));
        }
        assert!(diffs.similarity(unlike.0, unlike.1) < diffs.similarity(alike.0, alike.1));
    }

    #[test]
    fn markdown_splits_into_blocks() {
        let text = "## Reporting\n\nTell the [[role:dsl]] at once.\n\n- first\n- second\n  - nested\n\n| Who | When |\n|---|---|\n| DSL | today |\n";
        let blocks = blocks(text, &|id| format!("<{id}>"));
        let kinds: Vec<_> = blocks.iter().map(|b| (b.kind, b.text.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                (BlockKind::Heading, "Reporting"),
                (BlockKind::Paragraph, "Tell the <role:dsl> at once."),
                (BlockKind::ListItem, "first"),
                (BlockKind::ListItem, "second"),
                (BlockKind::ListItem, "nested"),
                (BlockKind::TableRow, "Who | When"),
                (BlockKind::TableRow, "DSL | today"),
            ]
        );
    }

    #[test]
    fn a_labelled_reference_keeps_its_label() {
        let blocks = blocks("Ask [[role:dsl|the lead]].", &plain);
        assert_eq!(blocks[0].text, "Ask the lead.");
    }

    #[test]
    fn a_changed_word_is_marked_inside_its_block() {
        let pieces = words(
            "Filtering is checked each term.",
            "Filtering is checked each half term.",
        );
        assert_eq!(marked(&pieces), "Filtering is checked each {+half +}term.");
        let pieces = words("Use Purple Mash lessons.", "Use Project Evolve lessons.");
        assert_eq!(
            marked(&pieces),
            "Use [-Purple Mash-]{+Project Evolve+} lessons."
        );
    }

    #[test]
    fn blocks_align_with_inserts_removals_and_edits() {
        let old = blocks(
            "One paragraph stays.\n\nThis paragraph is edited a little.\n\n- keep\n- drop this item\n",
            &plain,
        );
        let new = blocks(
            "One paragraph stays.\n\nA new paragraph arrives.\n\nThis paragraph is edited quite a little.\n\n- keep\n",
            &plain,
        );
        let aligned = align(&old, &new);
        let marks: Vec<_> = aligned.iter().map(|b| b.mark).collect();
        assert_eq!(
            marks,
            vec![
                BlockMark::Same,
                BlockMark::Added,
                BlockMark::Changed,
                BlockMark::Same,
                BlockMark::Removed,
            ]
        );
        assert_eq!(
            marked(&aligned[2].pieces),
            "This paragraph is edited {+quite +}a little."
        );
        assert_eq!(aligned[2].words(), (1, 0));
        assert_eq!(aligned[4].side(true), "drop this item");
    }
}
