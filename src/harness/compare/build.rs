//! The two revisions: resolving them, checking them out in worktrees and
//! building their harness, each build kept under its commit ID for the next
//! comparison.
//!
//! Layout under `target/compare/`:
//!
//! | path | what |
//! |---|---|
//! | `worktrees/{commit}` | a checkout of the commit |
//! | `target/` | the cargo target directory every build shares, so that dependencies build once |
//! | `builds/{commit}/musli-alloc-bench` | the commit's harness, reused while it exists |
//! | `logs/{commit}.log` | cargo's output of the build |

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::harness::{Exit, Failure, last_line};

/// git, run in the crate's repository.
pub struct Git<'a> {
    /// The crate's directory.
    pub root: &'a Path,
}

impl Git<'_> {
    fn output(&self, args: &[&str]) -> Result<Output, Failure> {
        Command::new("git")
            .arg("-C")
            .arg(self.root)
            .args(args)
            .output()
            .map_err(|error| {
                Failure(format!(
                    "cannot run git: {error}; compare needs git on the PATH"
                ))
            })
    }

    /// The commit `revision` names.
    pub fn resolve(&self, revision: &str) -> Result<String, Failure> {
        let output = self.output(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{revision}^{{commit}}"),
        ])?;
        if !output.status.success() {
            return Err(Failure(format!(
                "unknown revision {revision:?}; accepted: a commit, branch or tag git knows here (for example HEAD~1)"
            )));
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    /// Whether tracked files differ from the commit checked out.
    pub fn is_dirty(&self) -> Result<bool, Failure> {
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

/// The harness built from `revision`, and whether it was built now (not
/// reused). A commit's build is kept under its ID and reused; the working
/// tree is built every time (cargo rebuilds only what changed).
pub fn build(root: &Path, git: &Git<'_>, revision: &Revision) -> Result<(PathBuf, bool), Exit> {
    let scratch = root.join("target/compare");
    let kept = scratch
        .join("builds")
        .join(revision.key())
        .join("musli-alloc-bench");
    if matches!(revision, Revision::Commit(_)) && kept.is_file() {
        return Ok((kept, false));
    }

    let tree = match revision {
        Revision::Commit(commit) => git.worktree(&scratch, commit)?,
        Revision::WorkingTree => root.to_owned(),
    };
    let target = scratch.join("target");
    let log = scratch.join("logs").join(format!("{}.log", revision.key()));
    let io = |what: &str, path: &Path, error: std::io::Error| {
        Exit::failed(format!("cannot {what} {}: {error}", path.display()))
    };
    let log_dir = log.parent().expect("a file in logs/");
    std::fs::create_dir_all(log_dir).map_err(|error| io("make", log_dir, error))?;
    let log_file = std::fs::File::create(&log).map_err(|error| io("write", &log, error))?;
    let log_err = log_file
        .try_clone()
        .map_err(|error| io("write", &log, error))?;

    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .current_dir(&tree)
        .args(["build", "--release", "--bin", "musli-alloc-bench"])
        .env("CARGO_TARGET_DIR", &target)
        .stdout(log_file)
        .stderr(log_err)
        .status()
        .map_err(|error| Exit::failed(format!("cannot run cargo: {error}")))?;
    if !status.success() {
        return Err(Exit::failed(format!(
            "building {} failed ({status}); cargo's output is in {}",
            tree.display(),
            log.display()
        )));
    }

    let built = target.join("release/musli-alloc-bench");
    let kept_dir = kept.parent().expect("a file in builds/");
    std::fs::create_dir_all(kept_dir).map_err(|error| io("make", kept_dir, error))?;
    std::fs::copy(&built, &kept).map_err(|error| io("copy the build to", &kept, error))?;
    Ok((kept, true))
}
