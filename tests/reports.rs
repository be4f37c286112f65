//! The committed `reports/counters.*` are what the code measures now, so
//! `git log -p reports/` shows every change in allocator behaviour.

use std::path::Path;

use musli_alloc_bench::bench_id::ContenderId;
use musli_alloc_bench::contenders::{Kind, NextKind};
use musli_alloc_bench::datasets::{DEFAULT_SEED, Dataset, Name};
use musli_alloc_bench::format::{Format, Mode};
use musli_alloc_bench::harness::Selection;
use musli_alloc_bench::harness::report::{self, Row};
use musli_alloc_bench::names::Named;

fn everything() -> Selection {
    Selection {
        datasets: Name::ALL
            .iter()
            .map(|&name| (name.to_string(), Dataset::generate(name, DEFAULT_SEED, 1.0)))
            .collect(),
        formats: Format::ALL.to_vec(),
        modes: Mode::ALL.to_vec(),
        contenders: Selection::every_contender(),
    }
}

fn committed(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("reports")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// musli's `System` grows its vectors with `realloc`, which moves them or
/// not depending on the state of the process's heap: its `moves` and
/// `bytes_moved` differ from run to run, and so do musli 0.2's `Global`'s. They are taken from the committed
/// JSON; every other cell must match exactly. (`stack-spill` would too, but
/// here it runs on a slice that fits, and never reaches the heap.)
fn keep_committed_heap_moves(rows: &mut [Row], committed_json: &str) {
    let json: serde_json::Value = serde_json::from_str(committed_json).unwrap();
    let committed = json["rows"].as_array().unwrap();
    assert_eq!(
        committed.len(),
        rows.len(),
        "counters.json has another number of rows"
    );
    for (row, old) in rows.iter_mut().zip(committed) {
        let on_heap = [
            ContenderId::Kind(Kind::MusliSystem),
            ContenderId::OnNext(NextKind::MusliGlobal),
        ];
        if on_heap.contains(&row.contender) {
            row.counts.moves = old["moves"].as_u64().unwrap();
            row.counts.bytes_moved = old["bytes_moved"].as_u64().unwrap();
        }
    }
}

#[test]
fn the_committed_counters_are_current() {
    let mut rows = report::rows(&everything(), false).unwrap();
    check_promises(&rows);
    keep_committed_heap_moves(&mut rows, &committed("counters.json"));
    let stale = "is stale: run `cargo run --release -- report` and commit reports/";

    assert!(
        report::to_markdown(&rows) == committed("counters.md"),
        "counters.md {stale}"
    );
    assert!(
        report::to_json(&rows) == committed("counters.json"),
        "counters.json {stale}"
    );
    assert!(
        report::to_csv(&rows).unwrap() == committed("counters.csv"),
        "counters.csv {stale}"
    );
}

/// What the counters promise about the Stack on every dataset encode, on
/// both musli versions.
fn check_promises(rows: &[Row]) {
    check_ours(
        rows,
        ContenderId::Kind(Kind::Stack),
        ContenderId::Kind(Kind::StackSpill),
    );
    check_ours(
        rows,
        ContenderId::OnNext(NextKind::Stack),
        ContenderId::OnNext(NextKind::StackSpill),
    );
    let spilling = [
        ContenderId::Kind(Kind::StackSpill),
        ContenderId::OnNext(NextKind::StackSpill),
    ];
    for row in rows.iter().filter(|row| !spilling.contains(&row.contender)) {
        assert_eq!(row.spills.spills + row.spills.spilled_bytes, 0);
    }

    // Every contender sees the same calls from the encoder.
    let on_next = |row: &&Row| matches!(row.contender, ContenderId::OnNext(_));
    let (old, next) = rows.split_at(rows.iter().filter(|row| !on_next(row)).count());
    assert!(next.iter().all(|row| on_next(&row)), "0.2 rows come last");
    for (rows, contenders) in [(old, Kind::ALL.len()), (next, NextKind::ALL.len())] {
        for group in rows.chunks(contenders) {
            let first = &group[0];
            for row in group {
                assert_eq!(row.counts.allocations, first.counts.allocations);
                assert_eq!(row.counts.bytes_written, first.counts.bytes_written);
                assert_eq!(row.output_bytes, first.output_bytes);
            }
        }
    }
}

/// What the counters promise about `stack` and `stack-spill` of one musli
/// version.
fn check_ours(rows: &[Row], stack: ContenderId, spill: ContenderId) {
    for row in rows.iter().filter(|row| row.contender == stack) {
        let what = format!("{}/{}/{}", row.dataset, row.mode, row.format);
        assert_eq!(
            row.counts.failed_allocations + row.counts.failed_writes,
            0,
            "{what}"
        );
        assert_eq!(
            row.counts.bytes_moved, 0,
            "{what}: the Stack moves no bytes"
        );
        let slack =
            row.counts.max_live_buffers * (musli_alloc_bench::Stack::HEADER_SIZE as u64 + 7);
        assert!(
            row.max_reserved_bytes <= row.counts.max_live_bytes + slack,
            "{what}: reserved {} for {} live bytes",
            row.max_reserved_bytes,
            row.counts.max_live_bytes
        );
    }

    for row in rows.iter().filter(|row| row.contender == spill) {
        let what = format!("{}/{}/{}", row.dataset, row.mode, row.format);
        assert_eq!(
            row.counts.failed_allocations + row.counts.failed_writes,
            0,
            "{what}: a SpillStack never fails"
        );
        // It runs on the slice `stack` runs on, which fits: no spills,
        // and the same layout, so the same peak.
        assert_eq!(row.spills.spills, 0, "{what}");
        let stack = rows
            .iter()
            .find(|other| {
                other.contender == stack
                    && (&other.dataset, other.mode, other.format)
                        == (&row.dataset, row.mode, row.format)
            })
            .expect("stack has a row for every workload");
        assert_eq!(row.max_reserved_bytes, stack.max_reserved_bytes, "{what}");
    }
}

/// `reports/sizes.svg` is what `cargo run --release -- sizes` draws now.
#[test]
fn the_committed_sizes_chart_is_current() {
    let mut selection = everything();
    selection.formats = vec![Format::Wire, Format::Descriptive];
    let sizes = musli_alloc_bench::harness::sizes::measure(&selection).unwrap();
    assert!(
        musli_alloc_bench::harness::sizes::chart(&sizes) == committed("sizes.svg"),
        "reports/sizes.svg is stale: run `cargo run --release -- sizes`"
    );
}

/// Each committed performance chart draws its committed JSON report, so
/// the two cannot part (the reports themselves come from timing or
/// valgrind, which a test does not rerun).
#[test]
fn the_committed_performance_charts_draw_their_reports() {
    use musli_alloc_bench::harness::performance::{
        Source, chart, from_json, next_chart, next_from_json,
    };

    let mut checked = 0;
    for source in [
        Source::Criterion,
        Source::Turns { rounds: 1 },
        Source::Instructions,
    ] {
        let markdown = Path::new(source.file_name());
        let json_path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("reports")
            .join(markdown.with_extension("json"));
        let Ok(json) = std::fs::read_to_string(&json_path) else {
            continue;
        };
        let svg = committed(&markdown.with_extension("svg").display().to_string());
        assert!(
            chart(&from_json(&json).unwrap(), &source.chart_title()) == svg,
            "{} does not draw {}: rerun the command in its report",
            markdown.with_extension("svg").display(),
            json_path.display()
        );
        checked += 1;

        // The musli 0.2 chart, where the report has that section.
        let next_ratios = next_from_json(&json).unwrap();
        let stem = source.file_name().trim_end_matches(".md");
        let next_svg = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("reports/{stem}-0.2.svg")),
        );
        match next_svg {
            Ok(svg) => assert!(
                next_chart(&next_ratios, &source.next_chart_title()) == svg,
                "reports/{stem}-0.2.svg does not draw {}: rerun the command in its report",
                json_path.display()
            ),
            Err(_) => assert!(next_ratios.is_empty(), "reports/{stem}-0.2.svg is missing"),
        }
    }
    assert!(checked >= 1, "no performance chart is committed");
}
