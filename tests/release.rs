//! Releases and provenance: `policyweb --version` names the version and
//! the commit; every page names its generator; the schools' workflows
//! download the release's binary, check its SHA-256 sum and refuse one that
//! does not match, compile only when the release has no binary for the
//! runner; and the names the release workflow publishes are the names the
//! schools' workflows and `cargo binstall` download.
//!
//! The download step is taken out of the two workflow files themselves and
//! run with bash against a folder laid out as a release, through file://
//! addresses: nothing here goes online. `cargo` and `uname` are stand-ins
//! on PATH where a test needs them to be.

#![cfg_attr(not(unix), allow(dead_code))]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Site;
use serde_json::Value;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn yaml_file(relative: &str) -> Value {
    let text = std::fs::read_to_string(manifest_dir().join(relative)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{relative} is not YAML: {e}"))
}

#[test]
fn version_names_the_version_and_the_commit_it_was_built_from() {
    let output = Command::new(env!("CARGO_BIN_EXE_policyweb"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    let line = printed.trim_end();
    assert!(
        line == format!("policyweb {VERSION}")
            || line.starts_with(&format!("policyweb {VERSION} ")),
        "{line}"
    );
    // Built from a git checkout (as here and in CI), the commit is known.
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(manifest_dir())
        .output();
    if let Some(head) = head.ok().filter(|h| h.status.success()) {
        let head = String::from_utf8(head.stdout).unwrap();
        assert_eq!(
            line,
            format!("policyweb {VERSION} (commit {})", &head[..12])
        );
    }
}

#[test]
fn every_page_names_its_generator_and_version() {
    let site = Site::example();
    site.build().assert_success();
    let mut pages = 0;
    for folder in ["public", "restricted"] {
        for (path, bytes) in common::snapshot(&site.path(folder)) {
            if !path.ends_with(".html") {
                continue;
            }
            pages += 1;
            let text = String::from_utf8(bytes).unwrap();
            let generators: Vec<_> = policyweb::html::start_tags(&text)
                .into_iter()
                .filter(|t| t.name == "meta" && t.attribute("name") == Some("generator"))
                .collect();
            assert_eq!(generators.len(), 1, "{folder}/{path}: one generator");
            assert_eq!(
                generators[0].attribute("content"),
                Some(format!("policyweb {VERSION}").as_str()),
                "{folder}/{path}"
            );
        }
    }
    assert!(pages > 20, "only {pages} pages");
}

/// The GitHub workflow's "Install policyweb" step, as Actions runs it.
fn github_install_step() -> String {
    let workflow = yaml_file("ci/github/policyweb.yml");
    let steps = workflow["jobs"]["build"]["steps"].as_array().unwrap();
    let step = steps
        .iter()
        .find(|s| s["name"] == "Install policyweb")
        .expect("a step named Install policyweb");
    step["run"].as_str().unwrap().to_string()
}

/// The GitLab job's script line that installs policyweb.
fn gitlab_install_line() -> String {
    let pipeline = yaml_file("ci/gitlab/.gitlab-ci.yml");
    let script = pipeline["pages"]["script"].as_array().unwrap();
    script
        .iter()
        .filter_map(Value::as_str)
        .find(|line| line.contains("releases/download"))
        .expect("a script line that downloads policyweb")
        .to_string()
}

#[test]
fn both_workflows_install_policyweb_with_the_same_steps() {
    let github = github_install_step();
    let (logic, rest) = github
        .rsplit_once(')')
        .expect("the install logic ends with `)`");
    assert_eq!(
        rest.trim(),
        "echo \"$POLICYWEB_ROOT/bin\" >> \"$GITHUB_PATH\""
    );
    assert_eq!(format!("{logic})\n"), gitlab_install_line());
}

/// A folder laid out like `<repository>/releases/download/v<VERSION>/` with
/// the archives the release workflow publishes, each holding this build's
/// policyweb, and their SHA-256 files.
struct Release {
    dir: tempfile::TempDir,
}

const TARGETS: [&str; 4] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
];

/// One archive of this build's policyweb, made once for all the tests
/// (compressing a 50 MB binary is the slow part), with its SHA-256 sum.
fn archive() -> &'static (PathBuf, String) {
    static ARCHIVE: std::sync::OnceLock<(PathBuf, String)> = std::sync::OnceLock::new();
    ARCHIVE.get_or_init(|| {
        // Cargo's scratch folder for tests, so nothing is left in /tmp.
        let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("release-archive");
        let _ = std::fs::remove_dir_all(&folder);
        let staging = folder.join("staging");
        std::fs::create_dir_all(&staging).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_policyweb"), staging.join("policyweb")).unwrap();
        std::fs::write(staging.join("README.md"), "readme").unwrap();
        let archive = folder.join("policyweb.tar.gz");
        let made = Command::new("tar")
            .arg("-czf")
            .arg(&archive)
            .arg("-C")
            .arg(&staging)
            .args(["policyweb", "README.md"])
            .status()
            .unwrap();
        assert!(made.success());
        let sum = Command::new("sh")
            .arg("-c")
            .arg("sha256sum policyweb.tar.gz 2>/dev/null || shasum -a 256 policyweb.tar.gz")
            .current_dir(&folder)
            .output()
            .unwrap();
        assert!(sum.status.success());
        let sum = String::from_utf8(sum.stdout).unwrap();
        let sum = sum.split_whitespace().next().unwrap().to_string();
        assert_eq!(sum.len(), 64);
        (archive, sum)
    })
}

impl Release {
    fn new() -> Release {
        let release = Release {
            dir: tempfile::tempdir().unwrap(),
        };
        let files = release.files();
        std::fs::create_dir_all(&files).unwrap();
        let (archive, sum) = archive();
        for target in TARGETS {
            let name = format!("policyweb-{target}.tar.gz");
            std::fs::copy(archive, files.join(&name)).unwrap();
            // As sha256sum writes it, which is how the release workflow's
            // archive step writes its .sha256 files.
            std::fs::write(
                files.join(format!("policyweb-{target}.sha256")),
                format!("{sum}  {name}\n"),
            )
            .unwrap();
        }
        release
    }

    /// The repository's address, as the workflows' POLICYWEB_REPOSITORY.
    fn address(&self) -> String {
        format!("file://{}", self.dir.path().join("repository").display())
    }

    fn files(&self) -> PathBuf {
        self.dir
            .path()
            .join(format!("repository/releases/download/v{VERSION}"))
    }

    /// Every SHA-256 file says a sum the archive does not have.
    fn corrupt_sums(&self) {
        for target in TARGETS {
            let path = self.files().join(format!("policyweb-{target}.sha256"));
            let text = std::fs::read_to_string(&path).unwrap();
            let (sum, name) = text.split_once(' ').unwrap();
            let wrong: String = sum.chars().rev().collect();
            assert_ne!(wrong, sum);
            std::fs::write(&path, format!("{wrong} {name}")).unwrap();
        }
    }
}

/// What one run of an install step did.
struct Installed {
    code: i32,
    stdout: String,
    stderr: String,
    root: PathBuf,
    /// The arguments each call of the stand-in `cargo` had, one call a line.
    cargo_calls: String,
    /// What the step added to $GITHUB_PATH.
    github_path: String,
}

/// Runs an install step with bash, as both CI systems do, in a scratch
/// folder; `tools` holds stand-ins put first on PATH.
fn install(step: &str, release: &Release, root: &Path, tools: &Path) -> Installed {
    let scratch = tempfile::tempdir().unwrap();
    let calls = scratch.path().join("cargo-calls");
    let github_path = scratch.path().join("github-path");
    std::fs::write(&github_path, "").unwrap();
    let path = format!(
        "{}:{}",
        tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", step])
        .current_dir(scratch.path())
        .env("PATH", path)
        .env("POLICYWEB_VERSION", VERSION)
        .env("POLICYWEB_REPOSITORY", release.address())
        .env("POLICYWEB_ROOT", root)
        .env("GITHUB_PATH", &github_path)
        .env("CARGO_CALLS", &calls)
        .env("REAL_POLICYWEB", env!("CARGO_BIN_EXE_policyweb"))
        .output()
        .unwrap();
    Installed {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        root: root.to_path_buf(),
        cargo_calls: std::fs::read_to_string(&calls).unwrap_or_default(),
        github_path: std::fs::read_to_string(&github_path).unwrap(),
    }
}

impl Installed {
    fn binary(&self) -> PathBuf {
        self.root.join("bin/policyweb")
    }
}

/// A folder of stand-ins: `cargo` records its arguments and "compiles"
/// by copying this build's policyweb into `--root`'s bin/; `uname`, when
/// `machine` is given, reports Linux on that machine.
fn stand_ins(machine: Option<&str>) -> tempfile::TempDir {
    let tools = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = tools.path().join(name);
        std::fs::write(&path, text).unwrap();
        make_executable(&path);
    };
    write(
        "cargo",
        r#"#!/bin/sh
echo "$*" >> "$CARGO_CALLS"
root=
while [ $# -gt 0 ]; do
  if [ "$1" = --root ]; then root="$2"; fi
  shift
done
mkdir -p "$root/bin" && cp "$REAL_POLICYWEB" "$root/bin/policyweb"
"#,
    );
    if let Some(machine) = machine {
        write(
            "uname",
            &format!("#!/bin/sh\ncase \"$1\" in -m) echo {machine} ;; *) echo Linux ;; esac\n"),
        );
    }
    tools
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(not(unix))]
fn make_executable(_: &Path) {}

/// Both workflows' install steps: GitHub's and GitLab's.
fn steps() -> [(&'static str, String); 2] {
    [
        ("GitHub", github_install_step()),
        ("GitLab", gitlab_install_line()),
    ]
}

#[cfg(unix)]
#[test]
fn the_release_binary_is_installed_after_its_sum_is_checked_without_compiling() {
    let release = Release::new();
    let tools = stand_ins(None);
    for (system, step) in steps() {
        let root = tempfile::tempdir().unwrap();
        let run = install(&step, &release, root.path(), tools.path());
        assert_eq!(run.code, 0, "{system}: {}\n{}", run.stdout, run.stderr);
        assert!(run.binary().is_file(), "{system}: no binary installed");
        assert_eq!(
            run.cargo_calls, "",
            "{system}: compiled instead of downloading"
        );
        assert!(
            run.stdout.contains(&format!("policyweb {VERSION}")),
            "{system} names what it installed: {}",
            run.stdout
        );
        if system == "GitHub" {
            assert_eq!(
                run.github_path.trim(),
                root.path().join("bin").display().to_string()
            );
        }
        // The next run, with the folder restored from the cache, keeps it.
        let again = install(&step, &release, root.path(), tools.path());
        assert_eq!(again.code, 0, "{system}: {}", again.stderr);
        assert!(
            again.stdout.contains("already installed"),
            "{}",
            again.stdout
        );
    }
}

#[cfg(unix)]
#[test]
fn a_binary_that_does_not_match_its_sum_fails_the_job_and_is_never_installed() {
    let release = Release::new();
    release.corrupt_sums();
    let tools = stand_ins(None);
    for (system, step) in steps() {
        let root = tempfile::tempdir().unwrap();
        let run = install(&step, &release, root.path(), tools.path());
        assert_ne!(run.code, 0, "{system}: a mismatched binary was accepted");
        assert!(
            run.stderr.contains("does not match its SHA-256 sum"),
            "{system}: {}",
            run.stderr
        );
        assert!(!run.binary().exists(), "{system}: the binary was installed");
        assert_eq!(run.cargo_calls, "", "{system}: fell back to compiling");
        assert_eq!(run.github_path, "", "{system}: put a folder on PATH");
    }
}

#[cfg(unix)]
#[test]
fn a_binary_without_its_sum_file_is_not_installed() {
    let release = Release::new();
    for target in TARGETS {
        std::fs::remove_file(release.files().join(format!("policyweb-{target}.sha256"))).unwrap();
    }
    let tools = stand_ins(None);
    for (system, step) in steps() {
        let root = tempfile::tempdir().unwrap();
        let run = install(&step, &release, root.path(), tools.path());
        assert_ne!(run.code, 0, "{system}: installed without a sum");
        assert!(!run.binary().exists(), "{system}");
        assert_eq!(run.cargo_calls, "", "{system}");
    }
}

#[cfg(unix)]
#[test]
fn only_a_runner_without_a_release_binary_compiles_the_pinned_version() {
    let release = Release::new();
    let tools = stand_ins(Some("riscv64"));
    for (system, step) in steps() {
        let root = tempfile::tempdir().unwrap();
        let run = install(&step, &release, root.path(), tools.path());
        assert_eq!(run.code, 0, "{system}: {}", run.stderr);
        let root_arg = root.path().display().to_string();
        assert_eq!(
            run.cargo_calls.trim(),
            format!(
                "install --locked --git {} --tag v{VERSION} --root {root_arg} policyweb",
                release.address()
            ),
            "{system}"
        );
        assert!(run.binary().is_file());
    }
    // A release without this version's archives: the same.
    let tools = stand_ins(None);
    std::fs::remove_dir_all(release.files()).unwrap();
    for (system, step) in steps() {
        let root = tempfile::tempdir().unwrap();
        let run = install(&step, &release, root.path(), tools.path());
        assert_eq!(run.code, 0, "{system}: {}", run.stderr);
        assert!(
            run.cargo_calls.starts_with("install --locked --git"),
            "{system}"
        );
    }
}

/// What the release publishes, the schools download and binstall expects
/// are one set of names at one address.
#[test]
fn the_release_publishes_what_the_workflows_and_binstall_download() {
    let manifest: toml_like::Manifest = toml_like::read(&manifest_dir().join("Cargo.toml"));
    let release = yaml_file(".github/workflows/release.yml");
    let build = &release["jobs"]["build"];
    let matrix: Vec<&str> = build["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["target"].as_str().unwrap())
        .collect();
    // Each target is built and tested on a runner of its own kind, so the
    // tests run natively: GitHub's -arm Linux runners are aarch64, its
    // -intel macOS runners x86_64 and its other macOS runners arm64.
    for row in build["strategy"]["matrix"]["include"].as_array().unwrap() {
        let (target, os) = (row["target"].as_str().unwrap(), row["os"].as_str().unwrap());
        let native = match target {
            "x86_64-unknown-linux-musl" => os.starts_with("ubuntu-") && !os.ends_with("-arm"),
            "aarch64-unknown-linux-musl" => os.starts_with("ubuntu-") && os.ends_with("-arm"),
            "x86_64-apple-darwin" => os.starts_with("macos-") && os.ends_with("-intel"),
            "aarch64-apple-darwin" => os.starts_with("macos-") && !os.ends_with("-intel"),
            "x86_64-pc-windows-msvc" => os.starts_with("windows-") && !os.contains("arm"),
            _ => false,
        };
        assert!(native, "{target} is not built natively on {os}");
    }
    let tests = build["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str())
        .any(|run| run.contains("cargo test --release --locked --target \"${{ matrix.target }}\""));
    assert!(tests, "the release workflow does not test each target");
    let mut expected: Vec<&str> = TARGETS.to_vec();
    expected.push("x86_64-pc-windows-msvc");
    let mut sorted = matrix.clone();
    sorted.sort_unstable();
    expected.sort_unstable();
    assert_eq!(sorted, expected);
    let archive = build["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("taiki-e/upload-rust-binary-action@"))
        })
        .expect("an archive step");
    assert_eq!(archive["with"]["archive"], "$bin-$target");
    assert_eq!(archive["with"]["checksum"], "sha256");
    let include = archive["with"]["include"].as_str().unwrap();
    for file in include.split(',') {
        assert!(manifest_dir().join(file).is_file(), "{file} is missing");
    }
    assert!(include.contains("LICENSE-MIT") && include.contains("LICENSE-APACHE"));

    // The schools' workflows and the crate name one repository.
    let github = yaml_file("ci/github/policyweb.yml");
    let gitlab = yaml_file("ci/gitlab/.gitlab-ci.yml");
    assert_eq!(
        github["env"]["POLICYWEB_REPOSITORY"],
        manifest.repository.as_str()
    );
    assert_eq!(
        gitlab["pages"]["variables"]["POLICYWEB_REPOSITORY"],
        manifest.repository.as_str()
    );
    for target in TARGETS {
        assert!(
            github_install_step().contains(&format!("target={target} ")),
            "the install step never picks {target}"
        );
    }
    assert_eq!(
        manifest.binstall_url,
        "{ repo }/releases/download/v{ version }/{ name }-{ target }{ archive-suffix }"
    );
    assert!(
        github_install_step()
            .contains("$POLICYWEB_REPOSITORY/releases/download/v$POLICYWEB_VERSION")
    );
    assert!(github_install_step().contains("archive=\"policyweb-$target.tar.gz\""));
    assert!(github_install_step().contains("\"$release/policyweb-$target.sha256\""));
}

/// Two values from Cargo.toml, read line by line: no TOML parser is a
/// dependency, and these are plain `key = "value"` lines.
mod toml_like {
    use std::path::Path;

    pub struct Manifest {
        pub repository: String,
        pub binstall_url: String,
    }

    pub fn read(path: &Path) -> Manifest {
        let text = std::fs::read_to_string(path).unwrap();
        let value = |key: &str| {
            text.lines()
                .find_map(|line| {
                    let rest = line.strip_prefix(key)?.trim_start().strip_prefix('=')?;
                    Some(rest.trim().trim_matches('"').to_string())
                })
                .unwrap_or_else(|| panic!("Cargo.toml has no `{key} =`"))
        };
        Manifest {
            repository: value("repository"),
            binstall_url: value("pkg-url"),
        }
    }
}
