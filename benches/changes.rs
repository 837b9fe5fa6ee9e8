//! What changed between two synthetic revisions of 20,000 words each, with
//! 5% of the words edited (replaced, inserted or deleted, in runs spread
//! through every section). Run with `cargo bench --bench changes`. Reports
//! medians of repeated runs of the same comparison. Target: under 50 ms.

use std::path::Path;
use std::time::{Duration, Instant};

/// The allocator `policyweb` itself runs with (src/main.rs), so that the
/// times are the command's, not glibc malloc's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 30;
const SECTIONS: usize = 40;
const WORDS_PER_SECTION: usize = 500;

/// A small deterministic generator, so every run compares the same text.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

const VOCABULARY: &[&str] = &[
    "the",
    "school",
    "online",
    "safety",
    "staff",
    "learners",
    "parents",
    "report",
    "concern",
    "filtering",
    "monitoring",
    "devices",
    "governors",
    "review",
    "policy",
    "incident",
    "record",
    "training",
    "curriculum",
    "lesson",
    "support",
    "designated",
    "lead",
    "annually",
    "checks",
    "access",
    "internet",
    "systems",
    "data",
    "images",
    "social",
    "media",
    "users",
    "agreements",
];

/// Section text from its blocks of words: every third block a list item,
/// the rest paragraphs.
fn section_text(blocks: &[Vec<String>]) -> String {
    let mut text = String::new();
    for (i, block) in blocks.iter().enumerate() {
        if i % 3 == 2 {
            text.push_str("- ");
        }
        text.push_str(&block.join(" "));
        text.push_str("\n\n");
    }
    text
}

fn write_revision(dir: &Path, sections: &[Vec<Vec<String>>]) {
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::create_dir_all(dir.join("data")).unwrap();
    for (i, blocks) in sections.iter().enumerate() {
        std::fs::write(
            dir.join("content")
                .join(format!("{:03}-section-{i}.md", i + 1)),
            format!("---\ntitle: Section {i}\n---\n{}", section_text(blocks)),
        )
        .unwrap();
    }
}

fn main() {
    let mut random = Lcg(2024);
    let word = |random: &mut Lcg| VOCABULARY[random.next() % VOCABULARY.len()].to_string();
    // Each section: ten blocks of fifty words.
    let old: Vec<Vec<Vec<String>>> = (0..SECTIONS)
        .map(|_| {
            (0..WORDS_PER_SECTION / 50)
                .map(|_| (0..50).map(|_| word(&mut random)).collect())
                .collect()
        })
        .collect();
    // 5% of words edited inside blocks, as an editor edits: runs of 1–4
    // words replaced, inserted or deleted.
    let mut new = old.clone();
    let mut edited = 0;
    let (mut added, mut removed) = (0, 0);
    let target = SECTIONS * WORDS_PER_SECTION / 20;
    while edited < target {
        let section = &mut new[random.next() % SECTIONS];
        let blocks = section.len();
        let block = &mut section[random.next() % blocks];
        let at = random.next() % (block.len() - 5);
        let run = 1 + random.next() % 4;
        match random.next() % 3 {
            0 => {
                for word in &mut block[at..at + run] {
                    *word = format!("revised{}", random.next() % 1000);
                }
                added += run;
                removed += run;
            }
            1 => {
                for k in 0..run {
                    block.insert(at + k, format!("added{}", random.next() % 1000));
                }
                added += run;
            }
            _ => {
                block.drain(at..at + run);
                removed += run;
            }
        }
        edited += run;
    }

    let root = tempfile::tempdir().unwrap();
    write_revision(&root.path().join("versions/old"), &old);
    write_revision(root.path(), &new);
    std::fs::write(
        root.path().join("data/site.yaml"),
        "school:\n  name: Bench School\npolicy:\n  title: Online Safety Policy\nbase_url: https://bench.example/\nviews:\n  - id: everyone\n    title: Everyone\n    description: All of it.\n",
    )
    .unwrap();
    std::fs::write(
        root.path().join("data/versions.yaml"),
        "- id: old\n  status: approved\n  approved: 2024-03-13\n  approved_by: FGB\n  source: versions/old\n- id: new\n  status: draft\n  source: working\n",
    )
    .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
    let (site, _, diagnostics) = policyweb::load_site(root.path(), today);
    assert!(!diagnostics.has_errors(), "the synthetic site loads");
    let site = site.unwrap();
    let (old, new) = (&site.revisions[0], &site.revisions[1]);

    let mut samples = Vec::new();
    let mut changes = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        changes = Some(policyweb::changes::compare(&site, old, new, None));
        samples.push(start.elapsed());
    }
    samples.sort();
    let median: Duration = samples[RUNS / 2];
    let summary = &changes.unwrap().summary;
    println!(
        "changes between two revisions of {} words, {edited} words edited ({:.1}%), {RUNS} runs:",
        SECTIONS * WORDS_PER_SECTION,
        100.0 * edited as f64 / (SECTIONS * WORDS_PER_SECTION) as f64
    );
    println!("  made:  {added} words added, {removed} removed (a replacement counts in both)");
    println!(
        "  found: {} sections changed, {} words added, {} removed",
        summary.changed, summary.words_added, summary.words_removed
    );
    println!(
        "  median {:.1} ms, fastest {:.1} ms, slowest {:.1} ms (target < 50 ms)",
        median.as_secs_f64() * 1000.0,
        samples[0].as_secs_f64() * 1000.0,
        samples[RUNS - 1].as_secs_f64() * 1000.0
    );
}
