//! The command line: bad input is one clear line, exit code 2, no panic,
//! and nothing written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_musli-alloc-bench"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A fresh, empty directory for one test's outputs.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a command that must fail and returns its one line of stderr.
fn refused(args: &[&str]) -> String {
    let output = run(args);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert_eq!(
        stderr.lines().count(),
        1,
        "{args:?}: one line, got {stderr:?}"
    );
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

#[test]
fn unknown_names_are_refused_with_what_is_accepted() {
    let out = scratch("names");
    let out = out.to_str().unwrap();

    let cases: [(&[&str], &str); 12] = [
        (
            &[],
            "report, sizes, compare, history, bisect, samples, performance",
        ),
        (
            &["report", "--out", out, "--dataset", "nope"],
            "geo, social, catalog, mesh, log, messages",
        ),
        (
            &["report", "--out", out, "--format", "json"],
            "wire, descriptive, storage",
        ),
        (
            &["report", "--out", out, "--mode", "fast"],
            "default, packed",
        ),
        (
            &["report", "--out", out, "--contender", "malloc"],
            "stack, stack-spill, musli-stack, musli-system, bumpalo, floor",
        ),
        (
            &["frobnicate"],
            "report, sizes, compare, history, bisect, samples",
        ),
        (&["performance", "--turns", "--rounds", "0"], "1..=1000"),
        (&["compare", "HEAD", "--pairs", "5"], "6..=200"),
        (&["performance", "--rounds", "5"], "not provided: --turns"),
        (
            &["performance", "--instructions", "--turns"],
            "cannot be used with",
        ),
        (
            &["performance", "--instructions", "--rounds", "5"],
            "cannot be used with",
        ),
        (
            &["count-instructions", "nope"],
            "geo, social, catalog, mesh, log, messages",
        ),
    ];
    for (args, accepted) in cases {
        let line = refused(args);
        assert!(line.contains(accepted), "{line}");
    }

    assert_eq!(
        std::fs::read_dir(out).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn history_and_bisect_refuse_bad_input_before_any_build() {
    let messages = ["--dataset", "messages"];
    let stack = "encode/wire/default/messages/stack";
    let cases: [(&[&str], &str); 9] = [
        (&["history", "nope..HEAD"], "unknown revision \"nope\""),
        (&["history", "HEAD"], "accepted: BASE..HEAD"),
        (&["history", "HEAD..HEAD"], "holds no commit"),
        (
            &["history", "HEAD~1..HEAD", "--threshold", "0"],
            "a percentage above 0",
        ),
        (
            &["history", "HEAD~1..HEAD", "--filter", "("],
            "not a regular expression",
        ),
        (
            &[
                "history",
                "HEAD~1..HEAD",
                "--filter",
                "^nothing$",
                messages[0],
                messages[1],
            ],
            "matches no bench",
        ),
        (
            &["bisect", "HEAD~1", "HEAD", "--bench", "bogus"],
            "is not a bench ID",
        ),
        (
            &[
                "bisect",
                "HEAD~1",
                "HEAD",
                "--bench",
                "encode/wire/default/nope/stack",
                messages[0],
                messages[1],
            ],
            "no bench encode/wire/default/nope/stack",
        ),
        (
            &[
                "bisect",
                "HEAD~1",
                "HEAD",
                "--bench",
                stack,
                "--threshold",
                "x",
            ],
            "a percentage",
        ),
    ];
    for (args, expected) in cases {
        let line = refused(args);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
}

#[test]
fn bad_files_are_refused_naming_the_file() {
    let out = scratch("files");
    let malformed = out.join("malformed.json");
    std::fs::write(&malformed, "{\"statuses\": [").unwrap();
    let other = out.join("other.json");
    std::fs::write(&other, "[1, 2, 3]").unwrap();
    let reports = out.join("reports");
    let reports = reports.to_str().unwrap();

    let missing = refused(&[
        "report",
        "--out",
        reports,
        "--dataset",
        "/no/such/file.json",
    ]);
    assert!(
        missing.contains("/no/such/file.json") && missing.contains("cannot read"),
        "{missing}"
    );

    let broken = refused(&[
        "report",
        "--out",
        reports,
        "--dataset",
        malformed.to_str().unwrap(),
    ]);
    assert!(
        broken.contains("malformed.json") && broken.contains("not valid JSON"),
        "{broken}"
    );

    // A document of no typed shape is measured as generic JSON values.
    let sized = out.join("sized");
    let output = run(&[
        "sizes",
        "--out",
        sized.to_str().unwrap(),
        "--dataset",
        other.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    assert!(
        sized.join("sizes.svg").exists(),
        "its chart, where it was asked"
    );
    assert!(!Path::new(reports).exists(), "nothing written");
}

/// Hostile files get one line and exit code 2 from every command that
/// reads datasets, before anything is measured or written.
#[test]
fn hostile_files_are_refused_before_anything_runs() {
    let out = scratch("hostile");
    let write = |name: &str, text: &str| {
        let path = out.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let deep = write("deep.json", &("[".repeat(100_000) + &"]".repeat(100_000)));
    let empty = write("empty.json", "");
    let huge_number = write("number.json", r#"{"id": 18446744073709551616}"#);
    let infinite = write("infinite.json", "[1, 2, 1e999]");
    let large = out.join("large.json");
    // Sparse: no disk space is taken, and it is refused before it is read.
    std::fs::File::create(&large)
        .unwrap()
        .set_len(65 << 20)
        .unwrap();
    let reports = out.join("reports");
    let reports = reports.to_str().unwrap();

    let cases = [
        (&deep, "deeper than 64 levels"),
        (&empty, "is empty"),
        (&huge_number, "fits no JSON kind"),
        (&infinite, "fits no JSON kind"),
        (&large, "at most 67108864 bytes"),
    ];
    for (file, reason) in cases {
        let file = file.to_str().unwrap();
        let commands: [&[&str]; 4] = [
            &["report", "--out", reports, "--dataset", file],
            &["sizes", "--dataset", file],
            &[
                "performance",
                "--instructions",
                "--out",
                reports,
                "--dataset",
                file,
            ],
            &["compare", "HEAD", "--dataset", file],
        ];
        for command in commands {
            let error = refused(command);
            assert!(error.contains(file) && error.contains(reason), "{error}");
            assert!(error.contains("accepted"), "{error}");
        }
    }
    assert!(!Path::new(reports).exists(), "nothing written");
}

#[test]
fn a_report_on_a_json_file_writes_all_three_files() {
    let out = scratch("report");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/social-sample.json");
    let output = run(&[
        "report",
        "--out",
        out.to_str().unwrap(),
        "--dataset",
        sample.to_str().unwrap(),
        "--format",
        "wire",
        "--contender",
        "stack",
        "--contender",
        "musli-system",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let table = String::from_utf8(output.stdout).unwrap();
    // `stack` names ours on both musli versions; `musli-system` is 0.0.122's.
    assert_eq!(
        table.lines().count(),
        2 + 2 * 3,
        "header, rule, 2 modes x (stack, musli-system on 0.0.122, stack on 0.2)"
    );
    assert!(table.contains("| 0.0.122 | stack |") && table.contains("social-sample.json"));
    assert!(table.contains("| 0.2 | stack |"), "{table}");
    assert!(!table.contains("musli-global"), "{table}");

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("counters.json")).unwrap()).unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    for key in [
        "dataset",
        "mode",
        "format",
        "musli",
        "contender",
        "moves",
        "max_reserved_bytes",
        "min_stack_buffer",
    ] {
        assert!(rows[0].get(key).is_some(), "{key}");
    }
    let csv = std::fs::read_to_string(out.join("counters.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 6);
    assert!(out.join("counters.md").exists());
}

#[test]
fn sizes_recommends_a_buffer() {
    // Its chart goes to a scratch directory, not over the committed one.
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sizes");
    let output = run(&[
        "sizes",
        "--dataset",
        "messages",
        "--mode",
        "packed",
        "--format",
        "wire",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("| messages | packed | wire | 1000 |"),
        "{text}"
    );
    assert!(
        text.contains("recommended: DEFAULT_STACK_BUFFER=") && out.join("sizes.svg").is_file(),
        "{text}"
    );
}

#[test]
fn compare_refuses_a_revision_git_does_not_know() {
    let line = refused(&["compare", "no-such-revision-anywhere"]);
    assert!(line.contains("no-such-revision-anywhere"), "{line}");
}
