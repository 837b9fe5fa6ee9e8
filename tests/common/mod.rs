//! Shared by the integration tests: copy a fixture site to a temporary
//! folder, edit it, run the real `policyweb` binary, and read the output.

#![allow(dead_code)]

pub mod preview;
pub mod server;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const TODAY: &str = "2024-06-01";

pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fixture site copied into a temporary folder the test may change.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn copy_of(name: &str) -> Site {
        Site::copy_from(&fixture_path(name))
    }

    /// A copy of the repository's own example site (content/, data/ and
    /// the frozen revisions in versions/).
    pub fn example() -> Site {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        for folder in ["content", "data", "versions"] {
            copy_tree(&root.join(folder), &site.root().join(folder));
        }
        site
    }

    pub fn copy_from(from: &Path) -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        copy_tree(from, site.root());
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

    pub fn write(&self, relative: &str, text: impl AsRef<[u8]>) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Replaces the only occurrence of `from` in a file.
    pub fn replace(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` must occur once in {relative}"
        );
        self.write(relative, text.replace(from, to));
    }

    pub fn remove(&self, relative: &str) {
        let path = self.path(relative);
        if path.is_dir() {
            std::fs::remove_dir_all(path).unwrap();
        } else {
            std::fs::remove_file(path).unwrap();
        }
    }

    /// Runs `policyweb build` on this site into public/.
    pub fn build(&self) -> Run {
        self.run(&["build", "--today", TODAY])
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_policyweb"));
        command.args(args);
        if args.first() == Some(&"build") {
            command
                .arg("--root")
                .arg(self.root())
                .arg("--out")
                .arg(self.out());
        }
        let output = command
            .env("NO_COLOR", "1")
            .output()
            .expect("policyweb runs");
        Run {
            code: output
                .status
                .code()
                .expect("policyweb exits, not killed by a signal"),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs a command that takes `--root`, on this site.
    pub fn run_here(&self, args: &[&str]) -> Run {
        let root = self.root().to_string_lossy().into_owned();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--root", &root]);
        self.run(&all)
    }

    /// A page of the built public site, as text.
    pub fn page(&self, path: &str) -> String {
        std::fs::read_to_string(self.out().join(path))
            .unwrap_or_else(|e| panic!("public/{path}: {e}"))
    }

    /// Every file of the site root itself (not its output), with its bytes.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(self.root())
            .into_iter()
            .filter(|(path, _)| !path.starts_with("public") && !path.starts_with("restricted"))
            .collect()
    }

    /// Every file under public/ with its bytes.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.out())
    }
}

pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (relative, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_success(&self) -> &Self {
        assert_eq!(self.code, 0, "build failed:\n{}", self.stderr);
        self
    }
}

/// Copies a folder's files and folders into `to`, which may exist.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Text of an HTML page with tags removed and whitespace folded, for
/// "the page says …" assertions.
pub fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
