//! `performance --instructions`: the counts callgrind gives for one dataset,
//! run through this crate's binary as the command runs it. Needs valgrind;
//! where it does not run, the test prints that it skipped, past the test
//! harness's capture, and checks nothing.

use std::io::Write;
use std::path::Path;

use musli_alloc_bench::datasets::Name;
use musli_alloc_bench::harness::instructions::{count_dataset, valgrind_runs};

#[test]
fn each_run_gets_its_own_count_and_the_same_one_every_time() {
    if !valgrind_runs() {
        // Straight to stderr: `eprintln!` would be captured, and a skip
        // must not look like a pass.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED each_run_gets_its_own_count_and_the_same_one_every_time: \
             valgrind does not run here"
        );
        return;
    }
    let program = Path::new(env!("CARGO_BIN_EXE_musli-alloc-bench"));
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("instructions");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();

    // Two processes at once, each with profiles of its own.
    let [first, second] = ["first", "second"].map(|run| scratch.join(run)).map(|dir| {
        std::fs::create_dir_all(&dir).unwrap();
        std::thread::spawn(move || count_dataset(program, &dir, Name::Social))
    });
    let first = first.join().unwrap().expect("callgrind runs");
    let second = second.join().unwrap().expect("callgrind runs");

    // Four encode groups of six contenders, two replays of eight.
    assert_eq!(first.len(), 4 * 6 + 2 * 8, "{first:?}");
    for contender in ["stack", "stack-spill", "musli-system", "floor"] {
        assert!(
            first.contains_key(&format!("encode/wire/default/social/{contender}")),
            "{first:?}"
        );
    }
    assert!(first.contains_key("patterns/replay/social/packed/musli-next-global"));
    // A count taken from the dump between two runs instead of the run
    // itself would be a few hundred instructions; the smallest run here
    // takes over a hundred thousand.
    for (id, count) in &first {
        assert!(*count > 50_000.0, "{id}: {count}");
    }
    // musli's `Stack` copies its buffers on every growth; ours does not.
    assert!(
        first["encode/wire/packed/social/musli-stack"] > first["encode/wire/packed/social/stack"],
        "{first:?}"
    );
    assert_eq!(first, second, "the same build counts the same every time");
}
