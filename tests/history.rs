//! `history` and `bisect`'s acceptance test, on the scratch chain of
//! `tests/common/mod.rs`: two README-only commits, a slower `alloc`, two
//! README-only commits, and one that does not build.
//!
//! `history` must show `stack`'s count flat, one step at the slower
//! commit, flat after it, no step on `musli-system`, and the broken commit
//! marked; `bisect` must name the slower commit within its bound of
//! builds; a second `history` over the same range must build nothing.
//! It builds up to six revisions (those `tests/compare.rs` made are kept),
//! so it is ignored by default; `.ci/run` runs it:
//!
//! ```sh
//! cargo test --release --test history -- --ignored --nocapture
//! ```

mod common;

use std::process::{Command, Output};
use std::time::Instant;

use serde_json::Value as Json;

use common::root;

const FILTER: &str = "^encode/wire/default/messages/(stack|musli-system)$";

/// Runs the harness with `args`, which must succeed, and shows what it
/// printed and how long it took.
fn harness(args: &[&str]) -> Output {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_musli-alloc-bench"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap();
    eprintln!(
        "{} took {:.0} s:\n{}{}",
        args[..2].join(" "),
        started.elapsed().as_secs_f64(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn history(range: &str) -> (Json, String) {
    let output = harness(&[
        "history",
        range,
        "--filter",
        FILTER,
        "--dataset",
        "messages",
    ]);
    let summary = root()
        .join("reports/history")
        .join(range)
        .join("summary.json");
    let json = serde_json::from_str(&std::fs::read_to_string(summary).unwrap()).unwrap();
    (json, String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
#[ignore = "builds up to six revisions: minutes; .ci/run runs it"]
fn history_finds_the_one_step_and_bisect_names_its_commit() {
    let chain = common::chain();
    let range = format!("{}..{}", chain.base, chain.broken);
    let (summary, _) = history(&range);

    let commits: Vec<&str> = summary["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|commit| commit["id"].as_str().unwrap())
        .collect();
    let expected = [
        &chain.base,
        &chain.readme[0],
        &chain.readme[1],
        &chain.slower,
        &chain.after[0],
        &chain.after[1],
        &chain.broken,
    ];
    assert_eq!(commits, expected.map(String::as_str));
    let failed: Vec<bool> = summary["commits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|commit| !commit["build_failed"].is_null())
        .collect();
    assert_eq!(failed, [false, false, false, false, false, false, true]);

    let counts_of = |bench: &str| -> Vec<Option<f64>> {
        let row = summary["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["bench"] == bench)
            .unwrap_or_else(|| panic!("no row {bench}: {summary}"));
        row["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(Json::as_f64)
            .collect()
    };
    let stack = counts_of("encode/wire/default/messages/stack");
    // Flat, one step up at the slower commit, flat after, none at the end.
    assert_eq!(stack[0], stack[1]);
    assert_eq!(stack[1], stack[2]);
    assert!(stack[3] > stack[2], "{stack:?}");
    assert_eq!(stack[3], stack[4]);
    assert_eq!(stack[4], stack[5]);
    assert_eq!(stack[6], None, "the broken commit has no count");

    let steps = summary["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert_eq!(steps[0]["bench"], "encode/wire/default/messages/stack");
    assert_eq!(steps[0]["commit"], chain.slower.as_str());
    let page = std::fs::read_to_string(
        root()
            .join("reports/history")
            .join(&range)
            .join("index.html"),
    )
    .unwrap();
    assert!(
        page.contains("build failed"),
        "the page marks the broken commit"
    );

    // Everything is kept: the same range again builds and counts nothing.
    let (again, stderr) = history(&range);
    assert_eq!(again, summary);
    assert!(stderr.contains(", 0 built now,"), "{stderr}");

    let output = harness(&[
        "bisect",
        &chain.base,
        &chain.after[1],
        "--bench",
        "encode/wire/default/messages/stack",
        "--dataset",
        "messages",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("first moved at {}", &chain.slower[..10])),
        "{stdout}"
    );
    // Five commits after GOOD: at most ceil(log2 5) + 2 = 5 counted.
    let visited: usize = stdout
        .split("counted ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("no count of commits visited: {stdout}"));
    assert!(visited <= 5, "{stdout}");
    assert!(stdout.contains("| function |"), "{stdout}");
}
