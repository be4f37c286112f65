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

/// One ratio column of the encode table: every group's ratio with its
/// target (infinite where the group has none), for the summary under it.
#[derive(Default)]
struct Column {
    ratios: Vec<(f64, f64)>,
}

impl Column {
    /// Notes `ratio` against `limit` and renders its cell.
    fn cell(&mut self, ratio: Option<f64>, limit: f64) -> String {
        if let Some(ratio) = ratio {
            self.ratios.push((ratio, limit));
        }
        cell(ratio, limit)
    }

    fn geometric_mean(&self) -> Option<f64> {
        if self.ratios.is_empty() {
            return None;
        }
        let log_sum: f64 = self.ratios.iter().map(|(ratio, _)| ratio.ln()).sum();
        Some((log_sum / self.ratios.len() as f64).exp())
    }

    /// How many groups meet their target, of those that have one.
    fn targets_met(&self) -> (usize, usize) {
        let targeted = self.ratios.iter().filter(|(_, limit)| limit.is_finite());
        let met = targeted
            .clone()
            .filter(|(ratio, limit)| ratio <= limit)
            .count();
        (met, targeted.count())
    }

    /// `geometric mean 0.99, target met in 9 of 24 groups`.
    fn summary(&self) -> String {
        let mean = self
            .geometric_mean()
            .map_or_else(|| "-".to_owned(), |mean| format!("{mean:.2}"));
        match self.targets_met() {
            (_, 0) => format!("geometric mean {mean}"),
            (met, targeted) => {
                format!("geometric mean {mean}, target met in {met} of {targeted} groups")
            }
        }
    }
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
    let [mut system, mut floor, mut musli_stack, mut bumpalo] = [(); 4].map(|()| Column::default());
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
                    system.cell(ratio(Some(stack), of(Kind::MusliSystem)), system_limit),
                    floor.cell(ratio(Some(stack), of(Kind::Floor)), 1.05),
                    musli_stack.cell(ratio(Some(stack), of(Kind::MusliStack)), musli_stack_limit),
                    bumpalo.cell(ratio(Some(stack), of(Kind::Bumpalo)), 0.90),
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

    text += "\n`messages` targets `/ musli-system <= 0.65`; `geo` and `mesh` target `/ musli-stack <= 0.35`.\n\n";
    for (name, column) in [
        ("musli-system", &system),
        ("floor", &floor),
        ("musli-stack", &musli_stack),
        ("bumpalo", &bumpalo),
    ] {
        let _ = writeln!(text, "- `/ {name}`: {}", column.summary());
    }
    text += "\n## Replayed traces\n\n\
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

#[cfg(test)]
mod tests {
    use super::Column;

    #[test]
    fn the_summary_counts_only_groups_with_a_target() {
        let mut column = Column::default();
        column.cell(Some(0.5), 1.0);
        column.cell(Some(2.0), 1.0);
        column.cell(Some(1.0), f64::INFINITY);
        column.cell(None, 1.0);

        assert_eq!(column.targets_met(), (1, 2));
        let mean = column.geometric_mean().expect("three ratios");
        assert!((mean - 1.0).abs() < 1e-12, "{mean}");
        assert_eq!(
            column.summary(),
            "geometric mean 1.00, target met in 1 of 2 groups"
        );
    }
}
