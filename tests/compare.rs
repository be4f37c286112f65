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
//! The commits are the scratch chain of `tests/common/mod.rs`, which
//! `tests/history.rs` builds on too.

mod common;

use std::process::Command;

use serde_json::Value as Json;

use common::root;

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
    let chain = common::chain();
    let (base, readme, slower) = (&chain.base, &chain.readme[0], &chain.slower);

    let same = verdicts(&compare(base, readme, "2"));
    assert_eq!(same.len(), 6, "{same:?}");
    for (bench, verdict) in &same {
        assert_eq!(verdict, "no change", "{bench} in an A/A comparison");
    }

    // Code that grows anywhere moves the rest of the binary, and with it the
    // other contenders' times, by a few percent either way while their
    // instructions barely move (docs/measuring.md, "Comparing two builds").
    // A 5% threshold tells that apart from the slowdown the loop injects.
    let changed = compare(base, slower, "5");
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
