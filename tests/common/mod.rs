//! The scratch commits the slow acceptance tests share (`tests/compare.rs`,
//! `tests/history.rs`), so that their builds, kept by commit ID, are made
//! once.
//!
//! They are made from HEAD with git's plumbing, in a scratch index: neither
//! the working tree nor any branch changes. Author, committer and dates
//! are fixed, so the same HEAD gives the same commit IDs in every test and
//! every run.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn git(args: &[&str], input: Option<&str>) -> String {
    let index = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scratch-index");
    let mut command = Command::new("git");
    command
        .current_dir(root())
        .args(args)
        .env("GIT_INDEX_FILE", &index)
        .env("GIT_AUTHOR_NAME", "acceptance test")
        .env("GIT_AUTHOR_EMAIL", "acceptance@test")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_NAME", "acceptance test")
        .env("GIT_COMMITTER_EMAIL", "acceptance@test")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z");
    let output = if let Some(input) = input {
        use std::io::Write;
        let mut child = command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    } else {
        command.output().unwrap()
    };
    assert!(output.status.success(), "git {args:?} failed");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// A commit on top of `parent` whose file `path` is `edit` of the parent's.
pub fn commit_with(
    parent: &str,
    path: &str,
    edit: impl Fn(String) -> String,
    message: &str,
) -> String {
    git(&["read-tree", parent], None);
    let before = git(&["show", &format!("{parent}:{path}")], None);
    let after = edit(before.clone() + "\n");
    assert_ne!(after, before + "\n", "the edit of {path} changed nothing");
    let blob = git(&["hash-object", "-w", "--stdin"], Some(&after));
    git(
        &[
            "update-index",
            "--cacheinfo",
            &format!("100644,{blob},{path}"),
        ],
        None,
    );
    let tree = git(&["write-tree"], None);
    git(&["commit-tree", &tree, "-p", parent, "-m", message], None)
}

/// The chain of scratch commits on HEAD: two README-only commits, then a
/// slowdown put into the Stack's `alloc`, then two more README-only
/// commits, then one that does not build.
pub struct Chain {
    /// HEAD.
    pub base: String,
    /// The first two README-only commits.
    pub readme: [String; 2],
    /// The slower `alloc`.
    pub slower: String,
    /// The two README-only commits after it.
    pub after: [String; 2],
    /// A commit whose build fails.
    pub broken: String,
}

fn readme_line(parent: &str, line: &str) -> String {
    commit_with(
        parent,
        "README.md",
        |text| text + &format!("\n{line}\n"),
        &format!("README only: {line}"),
    )
}

pub fn chain() -> Chain {
    let base = git(&["rev-parse", "HEAD"], None);
    let first = readme_line(&base, "A line that changes nothing.");
    let second = readme_line(&first, "Another line that changes nothing.");
    let slower = commit_with(
        &second,
        "src/stack/regions/place.rs",
        |text| {
            let anchor = "pub(in crate::stack) fn alloc<P: Overflow>(&self) -> Option<Placed> {";
            assert!(
                text.contains(anchor),
                "alloc's signature moved: update tests/common/mod.rs"
            );
            text.replace(
                anchor,
                &format!(
                    "{anchor}\n        for _ in 0..core::hint::black_box(40u32) {{ core::hint::black_box(0u8); }}"
                ),
            )
        },
        "a slower alloc",
    );
    let third = readme_line(&slower, "A third line that changes nothing.");
    let fourth = readme_line(&third, "A fourth line that changes nothing.");
    let broken = commit_with(
        &fourth,
        "src/lib.rs",
        |text| text + "\nfn broken(\n",
        "a commit that does not build",
    );
    Chain {
        base,
        readme: [first, second],
        slower,
        after: [third, fourth],
        broken,
    }
}
