//! `performance --turns` end to end: its rounds spread over worker
//! processes of the binary, every contender of every group timed, and the
//! report written.

use std::path::Path;
use std::process::Command;

use serde_json::Value as Json;

#[test]
fn every_group_gets_a_time_for_every_contender_from_worker_processes() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("turns");
    let _ = std::fs::remove_dir_all(&out);
    // Two processes of five rounds each.
    let output = Command::new(env!("CARGO_BIN_EXE_musli-alloc-bench"))
        .args(["performance", "--turns", "--rounds", "10"])
        .args(["--dataset", "messages", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let json: Json =
        serde_json::from_str(&std::fs::read_to_string(out.join("performance-turns.json")).unwrap())
            .unwrap();
    assert_eq!(json["method"], "performance-turns");
    let ratios = json["ratios"].as_array().unwrap();
    for mode in ["default", "packed"] {
        for format in ["wire", "descriptive"] {
            let group = format!("encode/{format}/{mode}/messages");
            for (ours, other) in [
                ("stack", "musli-system"),
                ("stack", "bumpalo"),
                ("stack-spill", "musli-system"),
                ("stack-spill", "stack"),
            ] {
                let ratio = ratios
                    .iter()
                    .find(|row| {
                        row["group"] == group && row["ours"] == ours && row["other"] == other
                    })
                    .and_then(|row| row["ratio"].as_f64())
                    .unwrap_or_else(|| panic!("no {ours} / {other} in {group}"));
                // A contender that no process timed would be infinitely slow.
                assert!(
                    ratio.is_finite() && ratio > 0.0,
                    "{group}: {ours} / {other} = {ratio}"
                );
            }
        }
    }
    let markdown = std::fs::read_to_string(out.join("performance-turns.md")).unwrap();
    assert!(markdown.contains("10 rounds"), "{markdown}");
    assert!(
        markdown.contains("5 rounds to a worker process"),
        "{markdown}"
    );
}
