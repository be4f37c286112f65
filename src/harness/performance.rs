//! `performance`: turns the last criterion run into
//! `reports/performance.md`, the Stack's ratios against every contender.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value as Json;

use crate::contenders::Kind;
use crate::datasets::Name;
use crate::format::{Format, Mode};

use super::compare::criterion_dir;
use super::{Failure, write_atomically};

/// The median of one bench of the last run, in nanoseconds.
fn median(criterion: &Path, id: &str) -> Option<f64> {
    let path = criterion.join(criterion_dir(id)).join("new/estimates.json");
    let json: Json = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

/// What the machine is, as far as the kernel says.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|name| name.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |cores| cores.get());
    format!("{cpu}, {cores} cores, {}", std::env::consts::OS)
}

fn ratio(stack: Option<f64>, other: Option<f64>) -> Option<f64> {
    Some(stack? / other?)
}

fn cell(value: Option<f64>, limit: f64) -> String {
    match value {
        None => "-".to_owned(),
        Some(value) if value <= limit => format!("{value:.2}"),
        Some(value) => format!("**{value:.2}**"),
    }
}

/// The report, from the criterion results under `criterion`.
pub fn render(criterion: &Path) -> Result<String, Failure> {
    let mut text = format!(
        "# Performance of `stack`\n\nRatios of criterion medians from one `cargo bench` run \
         (lower is better; **bold** misses the target). Machine: {}.\n\n\
         Reproduce: `cargo bench --bench encode && cargo bench --bench patterns && \
         cargo run --release -- performance`.\n\n\
         ## Encode\n\n\
         | group | stack | / musli-system (<= 1.00) | / floor (<= 1.05) | / musli-stack | / bumpalo (<= 0.90) |\n\
         |---|---:|---:|---:|---:|---:|\n",
        machine()
    );

    let mut found = 0;
    for format in [Format::Wire, Format::Descriptive] {
        for mode in Mode::ALL {
            for name in Name::ALL {
                let group = format!("encode/{format}/{mode}/{name}");
                let of = |kind: Kind| median(criterion, &format!("{group}/{}", kind.name()));
                let Some(stack) = of(Kind::Stack) else {
                    continue;
                };
                found += 1;
                let system_limit = if name == Name::Messages { 0.65 } else { 1.00 };
                let musli_stack_limit = if matches!(name, Name::Geo | Name::Mesh) {
                    0.35
                } else {
                    f64::INFINITY
                };
                let _ = writeln!(
                    text,
                    "| {group} | {:.3} ms | {} | {} | {} | {} |",
                    stack / 1e6,
                    cell(ratio(Some(stack), of(Kind::MusliSystem)), system_limit),
                    cell(ratio(Some(stack), of(Kind::Floor)), 1.05),
                    cell(ratio(Some(stack), of(Kind::MusliStack)), musli_stack_limit),
                    cell(ratio(Some(stack), of(Kind::Bumpalo)), 0.90),
                );
            }
        }
    }
    if found == 0 {
        return Err(Failure(format!(
            "no encode results under {}; run `cargo bench --bench encode` first",
            criterion.display()
        )));
    }

    text += "\n`messages` targets `/ musli-system <= 0.65`; `geo` and `mesh` target `/ musli-stack <= 0.35`.\n\n\
             ## Replayed traces\n\n\
             | trace | fastest | stack | next best | stack / next best |\n|---|---|---:|---|---:|\n";
    let contenders: Vec<&str> = Kind::ALL
        .iter()
        .map(|kind| kind.name())
        .chain(["musli-next-slice", "musli-next-global"])
        .collect();
    for name in Name::ALL {
        for mode in Mode::ALL {
            let group = format!("patterns/replay/{name}/{mode}");
            let mut medians: Vec<(&str, f64)> = contenders
                .iter()
                .filter_map(|contender| {
                    Some((
                        *contender,
                        median(criterion, &format!("{group}/{contender}"))?,
                    ))
                })
                .collect();
            medians.sort_by(|a, b| a.1.total_cmp(&b.1));
            let Some(stack) = medians
                .iter()
                .find(|(contender, _)| *contender == "stack")
                .map(|m| m.1)
            else {
                continue;
            };
            let Some(best_other) = medians.iter().find(|(contender, _)| *contender != "stack")
            else {
                continue;
            };
            let _ = writeln!(
                text,
                "| {group} | {} | {:.1} µs | {} | {} |",
                medians[0].0,
                stack / 1e3,
                best_other.0,
                cell(Some(stack / best_other.1), 1.0),
            );
        }
    }
    Ok(text)
}

/// Writes `reports/performance.md` under `root` and prints it.
pub fn run(root: &Path) -> Result<(), Failure> {
    let criterion = std::env::var_os("CRITERION_HOME")
        .map(Into::into)
        .unwrap_or_else(|| root.join("target/criterion"));
    let text = render(&criterion)?;
    write_atomically(&root.join("reports/performance.md"), text.as_bytes())?;
    print!("{text}");
    Ok(())
}
