//! `compare`'s acceptance test: two commits that differ in the README only
//! say `no change` on every row, and a slowdown put into the Stack's
//! `alloc` says `slower` on `stack` and `no change` on `musli-system`.
//!
//! It builds three revisions and takes minutes, so it is ignored by
//! default; `.ci/run` runs it:
//!
//! ```sh
//! cargo test --release --test compare -- --ignored
//! ```
//!
//! The two commits are made from HEAD with git's plumbing, in a scratch
//! index: neither the working tree nor any branch changes.

use std::path::Path;
use std::process::Command;

use serde_json::Value as Json;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn git(args: &[&str], index: &Path, input: Option<&str>) -> String {
    let mut command = Command::new("git");
    command
        .current_dir(root())
        .args(args)
        .env("GIT_INDEX_FILE", index)
        .env("GIT_AUTHOR_NAME", "compare test")
        .env("GIT_AUTHOR_EMAIL", "compare@test")
        .env("GIT_COMMITTER_NAME", "compare test")
        .env("GIT_COMMITTER_EMAIL", "compare@test");
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

/// A commit on top of HEAD whose file `path` is `edit` of HEAD's.
fn commit_with(path: &str, edit: impl Fn(String) -> String, message: &str) -> String {
    let index = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compare-index");
    let _ = std::fs::remove_file(&index);
    git(&["read-tree", "HEAD"], &index, None);
    let before = git(&["show", &format!("HEAD:{path}")], &index, None);
    let after = edit(before.clone() + "\n");
    assert_ne!(after, before + "\n", "the edit of {path} changed nothing");
    let blob = git(&["hash-object", "-w", "--stdin"], &index, Some(&after));
    git(
        &[
            "update-index",
            "--cacheinfo",
            &format!("100644,{blob},{path}"),
        ],
        &index,
        None,
    );
    let tree = git(&["write-tree"], &index, None);
    git(
        &["commit-tree", &tree, "-p", "HEAD", "-m", message],
        &index,
        None,
    )
}

/// `compare BASE HEAD` on the messages with noise threshold `noise`, and
/// its summary.json.
fn compare(base: &str, head: &str, noise: &str) -> Json {
    let started = std::time::Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_musli-alloc-bench"))
        .current_dir(root())
        .args([
            "compare",
            base,
            head,
            "--filter",
            "^encode/wire/default/messages/",
        ])
        .args(["--noise", noise])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!(
        "compare {}..{} took {:.0} s:\n{}",
        &base[..12],
        &head[..12],
        started.elapsed().as_secs_f64(),
        String::from_utf8_lossy(&output.stdout)
    );
    let summary = root()
        .join("reports/compare")
        .join(format!("{base}..{head}"))
        .join("summary.json");
    serde_json::from_str(&std::fs::read_to_string(summary).unwrap()).unwrap()
}

fn verdicts(summary: &Json) -> Vec<(String, String)> {
    summary["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["bench"].as_str().unwrap().to_owned(),
                row["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
#[ignore = "builds three revisions: minutes; .ci/run runs it"]
fn a_readme_change_is_no_change_and_a_slower_alloc_is_slower() {
    let base = git(&["rev-parse", "HEAD"], Path::new("/dev/null"), None);
    let readme = commit_with(
        "README.md",
        |text| text + "\nA line that changes nothing.\n",
        "README only",
    );
    let slower = commit_with(
        "src/stack/regions/place.rs",
        |text| {
            let anchor = "pub(in crate::stack) fn alloc<P: Overflow>(&self) -> Option<Placed> {";
            assert!(
                text.contains(anchor),
                "alloc's signature moved: update this test"
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

    let same = verdicts(&compare(&base, &readme, "2"));
    assert_eq!(same.len(), 6, "{same:?}");
    for (bench, verdict) in &same {
        assert_eq!(verdict, "no change", "{bench} in an A/A comparison");
    }

    // Code that grows anywhere moves the rest of the binary, and with it the
    // other contenders' times, by a few percent either way while their
    // instructions barely move (docs/measuring.md, "Comparing two builds").
    // A 5% threshold tells that apart from the slowdown the loop injects.
    let changed = compare(&base, &slower, "5");
    let of = |contender: &str| {
        verdicts(&changed)
            .into_iter()
            .find(|(bench, _)| bench.ends_with(&format!("/{contender}")))
            .map(|(_, verdict)| verdict)
    };
    assert_eq!(of("stack").as_deref(), Some("slower"), "{changed}");
    assert_eq!(
        of("musli-system").as_deref(),
        Some("no change"),
        "{changed}"
    );
    let stack = changed["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["bench"] == "encode/wire/default/messages/stack")
        .unwrap();
    if let (Some(base), Some(head)) = (
        stack["base_instructions"].as_f64(),
        stack["head_instructions"].as_f64(),
    ) {
        assert!(head > base, "the loop adds instructions: {stack}");
    }
}
