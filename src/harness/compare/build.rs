//! The two revisions: resolving them, checking them out in worktrees and
//! building their harness, each build kept under its commit ID for the next
//! comparison.
//!
//! Layout under `target/compare/`:
//!
//! | path | what |
//! |---|---|
//! | `worktrees/{commit}` | a checkout of the commit |
//! | `target-base/`, `target-head/` | the cargo target directories of the two builds, made from the dependencies of the build that runs `compare` |
//! | `builds/{commit}/musli-alloc-bench` | the commit's harness, reused while it exists |
//! | `logs/{commit}.log` | cargo's output of the build |

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

use crate::harness::exit::Exit;
use crate::harness::output::last_line;

/// git, run in the crate's repository.
pub struct Git<'a> {
    /// The crate's directory.
    pub root: &'a Path,
}

impl Git<'_> {
    /// git with `args`, run in the crate's repository.
    pub fn output(&self, args: &[&str]) -> Result<Output, Exit> {
        Command::new("git")
            .arg("-C")
            .arg(self.root)
            .args(args)
            .output()
            .map_err(|error| {
                Exit::failed(format!(
                    "cannot run git: {error}; compare needs git on the PATH"
                ))
            })
    }

    /// The commit `revision` names.
    pub fn resolve(&self, revision: &str) -> Result<String, Exit> {
        let output = self.output(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{revision}^{{commit}}"),
        ])?;
        if !output.status.success() {
            return Err(Exit::bad_input(format!(
                "unknown revision {revision:?}; accepted: a commit, branch or tag git knows here (for example HEAD~1)"
            )));
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    /// Whether tracked files differ from the commit checked out.
    pub fn is_dirty(&self) -> Result<bool, Exit> {
        let output = self.output(&["status", "--porcelain", "--untracked-files=no"])?;
        Ok(!output.stdout.is_empty())
    }

    /// A file as committed, if it exists there.
    pub fn show(&self, commit: &str, path: &str) -> Option<String> {
        let output = self.output(&["show", &format!("{commit}:{path}")]).ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// A fresh worktree of `commit` under `scratch`. A leftover one of an
    /// earlier comparison is removed first, changes and all: it is ours.
    pub fn worktree(&self, scratch: &Path, commit: &str) -> Result<PathBuf, Exit> {
        let path = scratch.join("worktrees").join(commit);
        let path_text = path.to_string_lossy().into_owned();
        if path.exists() {
            let _ = self.output(&["worktree", "remove", "--force", &path_text]);
            let _ = std::fs::remove_dir_all(&path);
        }
        let _ = self.output(&["worktree", "prune"]);

        let output =
            self.output(&["worktree", "add", "--detach", "--force", &path_text, commit])?;
        if !output.status.success() {
            return Err(Exit::failed(format!(
                "git worktree add {path_text} failed: {}",
                last_line(&output.stderr)
            )));
        }
        Ok(path)
    }
}

/// What to build: a commit, or the working tree as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revision {
    /// A commit, by its full ID.
    Commit(String),
    /// The working tree with its uncommitted changes.
    WorkingTree,
}

impl Revision {
    /// The name its build and log are kept under.
    fn key(&self) -> &str {
        match self {
            Revision::Commit(commit) => commit,
            Revision::WorkingTree => "working-tree",
        }
    }
}

/// The harnesses of BASE and HEAD, in that order (see [`build_each`]).
pub fn build_both(
    root: &Path,
    git: &Git<'_>,
    revisions: &[Revision; 2],
) -> Result<[PathBuf; 2], Exit> {
    let distinct = if revisions[0] == revisions[1] {
        &revisions[..1]
    } else {
        &revisions[..]
    };
    let mut built = build_each(root, git, distinct, |_| {}).into_iter();
    let base = built.next().expect("one build per revision")?;
    let head = built.next().unwrap_or_else(|| Ok(base.clone()))?;
    Ok([base, head])
}

/// Whether `revision` is a commit whose harness is kept from an earlier
/// build, which [`build_each`] reuses.
pub fn is_kept(root: &Path, revision: &Revision) -> bool {
    matches!(revision, Revision::Commit(_)) && kept_path(root, revision).is_file()
}

fn kept_path(root: &Path, revision: &Revision) -> PathBuf {
    root.join("target/compare/builds")
        .join(revision.key())
        .join("musli-alloc-bench")
}

/// The harness of each of `revisions`, in order, or why its build failed;
/// `done` is told each index as it is ready. A commit's build is kept
/// under its ID and reused; the working tree is built every time (cargo
/// rebuilds only what changed).
///
/// What must be built is built two at a time, each in a target directory
/// of its own: most of a build is LLVM optimising one large codegen unit
/// of this crate on one core, so two builds at once take little longer
/// than one (`docs/measuring.md`, "How long compare takes"). A target
/// directory seen for the first time starts with a copy of the
/// dependencies of the build that runs this, so that they are not built
/// again. Every build of a pair runs to its end, so that a failure of one
/// leaves no half-written files of the other.
pub fn build_each(
    root: &Path,
    git: &Git<'_>,
    revisions: &[Revision],
    mut done: impl FnMut(usize),
) -> Vec<Result<PathBuf, Exit>> {
    let scratch = root.join("target/compare");
    let kept = |revision: &Revision| kept_path(root, revision);
    let mut results: Vec<Option<Result<PathBuf, Exit>>> = revisions.iter().map(|_| None).collect();
    let mut pending: Vec<usize> = Vec::new();
    for (at, revision) in revisions.iter().enumerate() {
        if is_kept(root, revision) {
            results[at] = Some(Ok(kept(revision)));
            done(at);
        } else {
            pending.push(at);
        }
    }

    for pair in pending.chunks(2) {
        let started: Vec<(usize, Result<Build, Exit>)> = pair
            .iter()
            .zip(["base", "head"])
            .map(|(&at, side)| {
                let target = scratch.join(format!("target-{side}"));
                let build = seed(&target).and_then(|()| {
                    Build::start(&scratch, git, &revisions[at], target, kept(&revisions[at]))
                });
                (at, build)
            })
            .collect();
        for (at, build) in started {
            results[at] = Some(build.and_then(Build::finish).map(|()| kept(&revisions[at])));
            done(at);
        }
    }
    results
        .into_iter()
        .map(|result| result.expect("every revision built or reused"))
        .collect()
}

/// A cargo build running in the background.
struct Build {
    cargo: Child,
    tree: PathBuf,
    log: PathBuf,
    built: PathBuf,
    kept: PathBuf,
}

impl Build {
    /// Starts building `revision` in `target`, cargo's output going to its
    /// log.
    fn start(
        scratch: &Path,
        git: &Git<'_>,
        revision: &Revision,
        target: PathBuf,
        kept: PathBuf,
    ) -> Result<Self, Exit> {
        let tree = match revision {
            Revision::Commit(commit) => git.worktree(scratch, commit)?,
            Revision::WorkingTree => git.root.to_owned(),
        };
        let log = scratch.join("logs").join(format!("{}.log", revision.key()));
        let log_dir = log.parent().expect("a file in logs/");
        fs::create_dir_all(log_dir).map_err(|error| io("make", log_dir, error))?;
        let log_file = fs::File::create(&log).map_err(|error| io("write", &log, error))?;
        let log_err = log_file
            .try_clone()
            .map_err(|error| io("write", &log, error))?;

        let cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .current_dir(&tree)
            .args(["build", "--release", "--bin", "musli-alloc-bench"])
            .env("CARGO_TARGET_DIR", &target)
            .stdout(log_file)
            .stderr(log_err)
            .spawn()
            .map_err(|error| Exit::failed(format!("cannot run cargo: {error}")))?;
        Ok(Self {
            cargo,
            tree,
            log,
            built: target.join("release/musli-alloc-bench"),
            kept,
        })
    }

    /// Waits for the build and keeps what it made.
    fn finish(mut self) -> Result<(), Exit> {
        let status = self
            .cargo
            .wait()
            .map_err(|error| Exit::failed(format!("cannot wait for cargo: {error}")))?;
        if !status.success() {
            return Err(Exit::failed(format!(
                "building {} failed ({status}); cargo's output is in {}",
                self.tree.display(),
                self.log.display()
            )));
        }
        let kept_dir = self.kept.parent().expect("a file in builds/");
        fs::create_dir_all(kept_dir).map_err(|error| io("make", kept_dir, error))?;
        fs::copy(&self.built, &self.kept)
            .map_err(|error| io("copy the build to", &self.kept, error))?;
        Ok(())
    }
}

/// Gives a new target directory the dependencies this harness was built
/// with: what `release/` beside the running program holds, but this
/// crate's own files, copied with their times (cargo compares them).
/// Nothing to copy, when this program was not built by cargo, is no error:
/// the build then makes its dependencies itself.
fn seed(target: &Path) -> Result<(), Exit> {
    let release = target.join("release");
    if release.join(".fingerprint").exists() {
        return Ok(());
    }
    let Some(ours) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_owned))
        .filter(|dir| dir.join(".fingerprint").is_dir())
    else {
        return Ok(());
    };
    // `.fingerprint` last: cargo takes a directory that has it as built.
    for part in ["deps", "build", ".fingerprint"] {
        copy_tree(&ours.join(part), &release.join(part))?;
    }
    Ok(())
}

/// Copies the files under `from` to `to`, keeping their modification
/// times, and leaving out this crate's own.
fn copy_tree(from: &Path, to: &Path) -> Result<(), Exit> {
    fs::create_dir_all(to).map_err(|error| io("make", to, error))?;
    let entries = fs::read_dir(from).map_err(|error| io("read", from, error))?;
    for entry in entries {
        let entry = entry.map_err(|error| io("read", from, error))?;
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        if name_text.contains("musli_alloc_bench") || name_text.contains("musli-alloc-bench") {
            continue;
        }
        let (source, copy) = (entry.path(), to.join(&name));
        let kind = entry
            .file_type()
            .map_err(|error| io("read", &source, error))?;
        if kind.is_dir() {
            copy_tree(&source, &copy)?;
        } else if kind.is_file() {
            fs::copy(&source, &copy).map_err(|error| io("copy", &source, error))?;
            let modified = entry
                .metadata()
                .and_then(|metadata| metadata.modified())
                .map_err(|error| io("read", &source, error))?;
            fs::File::options()
                .write(true)
                .open(&copy)
                .and_then(|file| file.set_modified(modified))
                .map_err(|error| io("write", &copy, error))?;
        }
    }
    Ok(())
}

fn io(what: &str, path: &Path, error: std::io::Error) -> Exit {
    Exit::failed(format!("cannot {what} {}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::copy_tree;

    #[test]
    fn a_copied_tree_keeps_times_and_leaves_out_this_crate() {
        let root = std::env::temp_dir().join(format!("compare-copy-{}", std::process::id()));
        let (from, to) = (root.join("from"), root.join("to"));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(from.join("build/serde-1234")).unwrap();
        std::fs::write(from.join("libserde-1234.rlib"), b"serde").unwrap();
        std::fs::write(from.join("build/serde-1234/output"), b"out").unwrap();
        std::fs::write(from.join("libmusli_alloc_bench-99.rlib"), b"ours").unwrap();
        std::fs::create_dir_all(from.join("musli-alloc-bench-99")).unwrap();
        let then = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        std::fs::File::options()
            .write(true)
            .open(from.join("libserde-1234.rlib"))
            .unwrap()
            .set_modified(then)
            .unwrap();

        copy_tree(&from, &to).unwrap();

        assert_eq!(
            std::fs::read(to.join("libserde-1234.rlib")).unwrap(),
            b"serde"
        );
        assert_eq!(
            std::fs::read(to.join("build/serde-1234/output")).unwrap(),
            b"out"
        );
        let modified = std::fs::metadata(to.join("libserde-1234.rlib"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(modified, then, "cargo compares these times");
        assert!(!to.join("libmusli_alloc_bench-99.rlib").exists());
        assert!(!to.join("musli-alloc-bench-99").exists());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
