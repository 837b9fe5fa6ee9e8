//! The shape of the code: imports run one way, from the commands at the top
//! down to the plain data and shared rules at the bottom. Every file under
//! src/ is read, each `crate::` path in it (and, in lib.rs and main.rs, each
//! path through one of the crate's modules) is mapped to a module and the
//! module to a layer from the one list below, and the test fails naming the
//! file, the line and the arrow when a module reaches a layer above its own,
//! or when modules in one layer import each other round in a circle.
//!
//! A new module joins a layer here; a module that needs one above it is a
//! sign that something belongs further down.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Bottom to top. A module may use its own layer and those below it.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "helpers",
        &[
            "ansi",
            "diagnostics",
            "ids",
            "address",
            "urls",
            "html",
            "slug",
            "prose",
            "provenance",
            "explain",
            "hash",
        ],
    ),
    ("model", &["model"]),
    ("load", &["load"]),
    ("markdown", &["markdown"]),
    ("validate", &["validate"]),
    ("derived", &["curriculum", "schedule", "changes"]),
    ("output", &["output"]),
    ("links", &["links"]),
    ("render", &["render"]),
    (
        "commands",
        &[
            "lib",
            // The commands take the parsed arguments' own types (`Format`).
            "cli",
            "commands",
            "links::external",
            "release",
            "adopt",
            "status",
            "scaffold",
            "serve",
            // trust.yaml and a trust's own pages, from its schools' status.
            "trust",
        ],
    ),
    ("main", &["main"]),
];

/// One import: where it is written and what module it reaches.
struct Import {
    file: String,
    line: usize,
    from: String,
    to: String,
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

fn layer_name(layer: usize) -> &'static str {
    LAYERS[layer].0
}

/// The module a file belongs to: `src/links/external/check.rs` is
/// `links::external`, `src/model/date.rs` is `model`, `src/lib.rs` is `lib`.
fn module_of_file(relative: &Path) -> String {
    let parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let first = parts[0].trim_end_matches(".rs").to_string();
    if first == "links" && parts.len() > 2 && parts[1] == "external" {
        return "links::external".into();
    }
    first
}

/// The module a path inside the crate names: `links::external::Report` is
/// `links::external`, `links::classify` is `links`, and a name that is not
/// one of the crate's modules (`crate::generate`) is the crate root, `lib`.
fn module_of_path(path: &[&str], modules: &BTreeSet<String>) -> String {
    let Some(first) = path.first() else {
        return "lib".into();
    };
    if !modules.contains(*first) {
        return "lib".into();
    }
    if *first == "links" && path.get(1) == Some(&"external") {
        return "links::external".into();
    }
    first.to_string()
}

/// The paths written after `prefix::` on a line: `crate::a::b` gives
/// `[a, b]`, and `crate::{a::b, c}` gives `[a, b]` and `[c]`.
fn paths_after<'a>(line: &'a str, prefix: &str) -> Vec<Vec<&'a str>> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().last();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                out.push(segments(item.trim()));
            }
        } else {
            out.push(segments(rest));
        }
    }
    out
}

fn segments(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        out.push(&rest[..end]);
        match rest[end..].strip_prefix("::") {
            Some(next) => rest = next,
            None => break,
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ can be read") {
        let path = entry.expect("src/ can be read").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The crate's top-level modules, from the `pub mod` lines of lib.rs.
fn crate_modules(src: &Path) -> BTreeSet<String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("src/lib.rs can be read");
    lib.lines()
        .filter_map(|line| {
            let line = line.trim();
            let name = line
                .strip_prefix("pub mod ")
                .or_else(|| line.strip_prefix("mod "))?;
            Some(name.trim_end_matches(';').to_string())
        })
        .collect()
}

fn imports(src: &Path) -> Vec<Import> {
    let modules = crate_modules(src);
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let relative = path.strip_prefix(src).expect("under src/");
        let from = module_of_file(relative);
        let text = std::fs::read_to_string(&path).expect("a source file can be read");
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") || code.starts_with("mod ") || code.starts_with("pub mod ") {
                continue;
            }
            let mut paths = paths_after(line, "crate::");
            // The crate root names its modules directly, and the binary
            // reaches the library by its name.
            if from == "lib" {
                for module in &modules {
                    paths.extend(paths_after(line, &format!("{module}::")).into_iter().map(
                        |mut p| {
                            p.insert(0, module.as_str());
                            p
                        },
                    ));
                }
                paths.retain(|p| p.first().is_some_and(|m| modules.contains(*m)));
            } else if from == "main" {
                paths.extend(paths_after(line, "policyweb::"));
            }
            for p in paths {
                let to = module_of_path(&p, &modules);
                if to != from {
                    out.push(Import {
                        file: format!("src/{}", relative.display()),
                        line: n + 1,
                        from: from.clone(),
                        to,
                    });
                }
            }
        }
    }
    out
}

/// Every way an import breaks the shape, one line each.
fn problems(src: &Path) -> Vec<String> {
    let imports = imports(src);
    let mut problems = Vec::new();
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for import in &imports {
        let (Some(from), Some(to)) = (layer_of(&import.from), layer_of(&import.to)) else {
            let unknown = if layer_of(&import.from).is_none() {
                &import.from
            } else {
                &import.to
            };
            problems.push(format!(
                "{}:{}: the module `{unknown}` is in no layer; add it to LAYERS in tests/layers.rs",
                import.file, import.line
            ));
            continue;
        };
        if to > from {
            problems.push(format!(
                "{}:{}: {} → {}: `{}` ({}) imports `{}` ({}), a layer above it",
                import.file,
                import.line,
                import.from,
                import.to,
                import.from,
                layer_name(from),
                import.to,
                layer_name(to)
            ));
        }
        graph
            .entry(import.from.as_str())
            .or_default()
            .insert(import.to.as_str());
    }
    let reaches = |start: &str, goal: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start];
        while let Some(module) = todo.pop() {
            if module == goal {
                return true;
            }
            if seen.insert(module) {
                todo.extend(graph.get(module).into_iter().flatten().copied());
            }
        }
        false
    };
    for import in &imports {
        if reaches(&import.to, &import.from) {
            problems.push(format!(
                "{}:{}: {} → {}: `{}` imports `{}`, whose imports lead back to `{}` (a cycle)",
                import.file,
                import.line,
                import.from,
                import.to,
                import.from,
                import.to,
                import.from
            ));
        }
    }
    problems
}

#[test]
fn imports_run_one_way_from_the_commands_down_to_the_model() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems = problems(&src);
    assert!(
        problems.is_empty(),
        "{} imports break the layers (bottom to top: {}):\n{}",
        problems.len(),
        LAYERS
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", "),
        problems.join("\n")
    );
}

#[test]
fn the_reader_finds_each_kind_of_import() {
    let modules: BTreeSet<String> = ["model", "links", "load"]
        .iter()
        .map(|m| m.to_string())
        .collect();
    let found = |line: &str| -> Vec<String> {
        paths_after(line, "crate::")
            .iter()
            .map(|p| module_of_path(p, &modules))
            .collect()
    };
    assert_eq!(found("use crate::model::{Site, View};"), ["model"]);
    assert_eq!(
        found("use crate::{links::external::Report, load};"),
        ["links::external", "load"]
    );
    assert_eq!(
        found("    link_report: Option<crate::links::Target>, x: crate::load::Asset"),
        ["links", "load"]
    );
    assert_eq!(found("let x = crate::generate(site);"), ["lib"]);
    assert_eq!(
        found("let x = notcrate::model::Site;"),
        Vec::<String>::new()
    );
    assert_eq!(
        module_of_file(Path::new("links/external/check.rs")),
        "links::external"
    );
    assert_eq!(module_of_file(Path::new("links/internal.rs")), "links");
    assert_eq!(module_of_file(Path::new("model/date.rs")), "model");
    assert_eq!(module_of_file(Path::new("lib.rs")), "lib");
}
