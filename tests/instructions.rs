//! `performance --instructions`: the counts callgrind gives for one dataset,
//! run through this crate's binary as the command runs it. Needs valgrind;
//! where it does not run, the test prints that it skipped, past the test
//! harness's capture, and checks nothing.

use std::io::Write;
use std::path::Path;

use musli_alloc_bench::bench_id::BenchId;
use musli_alloc_bench::datasets::{Name, Origin};
use musli_alloc_bench::harness::instructions::{count_dataset, valgrind_runs};

/// Whether valgrind is missing, in which case the test `name` says that it
/// skipped, straight to stderr: `eprintln!` would be captured, and a skip
/// must not look like a pass.
fn skipped_without_valgrind(name: &str) -> bool {
    if valgrind_runs() {
        return false;
    }
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {name}: valgrind does not run here"
    );
    true
}

#[test]
fn each_run_gets_its_own_count_and_the_same_one_every_time() {
    if skipped_without_valgrind("each_run_gets_its_own_count_and_the_same_one_every_time") {
        return;
    }
    let program = Path::new(env!("CARGO_BIN_EXE_musli-alloc-bench"));
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("instructions");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();

    // Two processes at once, each with profiles of its own.
    let [first, second] = ["first", "second"].map(|run| scratch.join(run)).map(|dir| {
        std::fs::create_dir_all(&dir).unwrap();
        std::thread::spawn(move || {
            count_dataset(program, &dir, &Origin::Builtin(Name::Social), None)
        })
    });
    let first = first.join().unwrap().expect("callgrind runs");
    let second = second.join().unwrap().expect("callgrind runs");

    // Four encode groups of six contenders, two replays of ten, four
    // musli 0.2 encode groups of four.
    assert_eq!(first.len(), 4 * 6 + 2 * 10 + 4 * 4, "{first:?}");
    let id = |text: String| text.parse::<BenchId>().expect("an ID");
    for contender in ["stack", "stack-spill", "musli-system", "floor"] {
        assert!(
            first.contains_key(&id(format!("encode/wire/default/social/{contender}"))),
            "{first:?}"
        );
    }
    let next_global = id("patterns/replay/social/packed/musli-0.2-global".to_owned());
    assert!(first.contains_key(&next_global));
    let on_next = id("musli-0.2/encode/wire/default/social/stack".to_owned());
    assert!(first.contains_key(&on_next));
    // A count taken from the dump between two runs instead of the run
    // itself would be a few hundred instructions; the smallest run here
    // takes over a hundred thousand.
    for (id, count) in &first {
        assert!(*count > 50_000.0, "{id}: {count}");
    }
    // musli's `Stack` copies its buffers on every growth; ours does not.
    assert!(
        first[&id("encode/wire/packed/social/musli-stack".to_owned())]
            > first[&id("encode/wire/packed/social/stack".to_owned())],
        "{first:?}"
    );
    assert_eq!(first, second, "the same build counts the same every time");
}

/// A JSON file given to `performance --instructions` gets its own rows,
/// under its stem, with `stack` and `musli-system` counted.
#[test]
fn a_file_dataset_gets_its_own_rows() {
    if skipped_without_valgrind("a_file_dataset_gets_its_own_rows") {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("performance-file");
    let _ = std::fs::remove_dir_all(&out);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_musli-alloc-bench"))
        .current_dir(root)
        .args(["performance", "--instructions", "--out"])
        .arg(&out)
        .args(["--dataset", "datasets/catalog-sample.json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = std::fs::read_to_string(out.join("performance-instructions.md")).unwrap();

    for group in [
        "encode/wire/default/catalog-sample",
        "encode/descriptive/packed/catalog-sample",
    ] {
        // `| group | stack's count | / musli-system | ...`: both counted.
        let row = report
            .lines()
            .find(|line| line.starts_with(&format!("| {group} | ")))
            .unwrap_or_else(|| panic!("no row for {group}:\n{report}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert!(cells[2].ends_with('M'), "{row}");
        let versus_system: f64 = cells[3].trim_matches('*').parse().expect(row);
        assert!(versus_system > 0.0, "{row}");
    }
    assert!(report.contains("| patterns/replay/catalog-sample/packed |"));
    // Only the dataset given.
    assert!(!report.contains("/geo"), "{report}");
}

/// `calls` on one dataset: a row per trace and contender, each kind's
/// number of calls that of the trace, and the whole replay counted as
/// `performance --instructions` counts it.
#[test]
fn calls_splits_each_replay_by_kind_of_call() {
    if skipped_without_valgrind("calls_splits_each_replay_by_kind_of_call") {
        return;
    }
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("calls");
    let _ = std::fs::remove_dir_all(&out);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_musli-alloc-bench"))
        .args(["calls", "--dataset", "social", "--out"])
        .arg(&out)
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("calls.json")).unwrap()).unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2 * 3, "two traces, three contenders");

    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("calls-counts");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let program = Path::new(env!("CARGO_BIN_EXE_musli-alloc-bench"));
    let counts = count_dataset(program, &scratch, &Origin::Builtin(Name::Social), None).unwrap();

    for row in rows {
        let trace = row["trace"].as_str().unwrap();
        let contender = row["contender"].as_str().unwrap();
        let what = format!("{trace}/{contender}");
        // Every buffer of a trace is allocated and dropped once.
        let calls = |kind: &str| row[kind]["calls"].as_u64().unwrap();
        assert!(
            calls("alloc") > 0 && calls("alloc") == calls("drop"),
            "{what}"
        );
        assert!(calls("write") >= calls("alloc"), "{what}");
        for kind in ["alloc", "write", "drop"] {
            let per_call = row[kind]["instructions"].as_u64().unwrap() as f64 / calls(kind) as f64;
            assert!(per_call >= 3.0, "{what}: {kind} {per_call}");
        }
        // The same runs as the bench's, counted the same way.
        let whole = row["whole"].as_u64().unwrap() as f64;
        let bench = counts[&format!("{trace}/{contender}").parse::<BenchId>().unwrap()];
        assert!(
            (whole / bench - 1.0).abs() < 0.01,
            "{what}: {whole} against {bench}"
        );
    }
    assert!(
        std::fs::read_to_string(out.join("calls.md"))
            .unwrap()
            .contains("| patterns/replay/social/default | stack |")
    );
    let chart = std::fs::read_to_string(out.join("calls.svg")).unwrap();
    for label in [
        "social/default",
        "social/packed",
        "stack: alloc",
        "stack-spill: replay",
    ] {
        assert!(chart.contains(label), "the chart lacks {label}");
    }
    // A dot per trace and series: two traces, five series.
    assert_eq!(chart.matches("<circle").count(), 2 * 5);
}
