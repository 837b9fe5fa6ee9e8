//! How long the example site takes to build, in release. Run with
//! `cargo bench --bench build`. Reports the median of repeated runs of the
//! same work, and each stage's share, since one run on a busy machine says
//! little. Target: under 150 ms for the whole build.

use std::path::Path;
use std::time::{Duration, Instant};

/// The allocator `policyweb` itself runs with (src/main.rs), so that the
/// times are the command's, not glibc malloc's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 30;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let today = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
    let out = tempfile::tempdir().unwrap();
    let options = policyweb::commands::build::BuildOptions {
        root: root.to_path_buf(),
        out: out.path().join("public"),
        restricted_out: Some(out.path().join("restricted")),
        today,
        base_url: None,
    };
    // Once to warm the file cache and lazily loaded syntax definitions.
    assert!(
        policyweb::commands::build::build(&options).succeeded(),
        "the example site must build"
    );

    let (mut load, mut generate, mut write, mut whole) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut pages = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let (site, _, _) = policyweb::load_site(root, today);
        let site = site.expect("the example site loads");
        load.push(start.elapsed());

        let start = Instant::now();
        let (generated, _) = policyweb::generate(&site);
        generate.push(start.elapsed());
        pages = generated.public.html_pages();

        let start = Instant::now();
        policyweb::output::write(
            &generated.public,
            &out.path().join("written"),
            policyweb::output::guard::Kind::Public,
        )
        .unwrap();
        write.push(start.elapsed());

        // A first build: no render cache from the build before.
        let _ = std::fs::remove_file(root.join(policyweb::render::stored::FILE));
        let start = Instant::now();
        assert!(policyweb::commands::build::build(&options).succeeded());
        whole.push(start.elapsed());
    }
    println!("example site: {pages} public pages, {RUNS} runs, medians:");
    println!("  load + validate             {}", ms(median(load)));
    println!("  render + check + minify     {}", ms(median(generate)));
    println!("  write and swap in           {}", ms(median(write)));
    println!(
        "  whole build, written out    {} (target < 150 ms)",
        ms(median(whole))
    );
}
