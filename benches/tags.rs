//! Reading the start tags of every page of a built site, as the link check
//! does after each page is finished: `links::internal::tags_of` (html5gum)
//! against html5ever's tokenizer (`html::start_tags`, what it replaced,
//! narrowed to the same tags). Run with `PAGES=<an output folder> cargo
//! bench --bench tags`; reports the median of five passes over every
//! `.html` file under it, and checks the two agree.

use std::time::{Duration, Instant};

use policyweb::html;
use policyweb::links::internal::{ATTRIBUTES, tags_of};

const RUNS: usize = 5;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let Some(folder) = std::env::var_os("PAGES") else {
        eprintln!("set PAGES to a built site's output folder");
        return;
    };
    let pages: Vec<Vec<u8>> = walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| std::fs::read(e.path()).expect("a page of the output can be read"))
        .collect();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let (mut found, mut expected) = (0, 0);
    for _ in 0..RUNS {
        let start = Instant::now();
        found = pages.iter().map(|p| tags_of(p).len()).sum::<usize>();
        ours.push(start.elapsed());
        let start = Instant::now();
        expected = pages
            .iter()
            .map(|p| {
                html::start_tags(&String::from_utf8_lossy(p))
                    .iter()
                    .filter(|t| {
                        t.attributes
                            .iter()
                            .any(|(n, _)| ATTRIBUTES.contains(&n.as_str()))
                    })
                    .count()
            })
            .sum::<usize>();
        theirs.push(start.elapsed());
    }
    assert_eq!(found, expected, "the two readers found different tags");
    let (ours, theirs) = (median(ours), median(theirs));
    println!(
        "{} pages, {bytes} bytes, {found} tags: tags_of {ours:.1?}, html5ever {theirs:.1?} ({:.1}x)",
        pages.len(),
        theirs.as_secs_f64() / ours.as_secs_f64()
    );
}
