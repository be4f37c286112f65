//! `performance`: the Stack's ratios against every contender, from the last
//! criterion run into `reports/performance.md`, from timing the contenders
//! in turns (`--turns`) into `reports/performance-turns.md`, or from
//! counting their instructions (`--instructions`) into
//! `reports/performance-instructions.md`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::contenders::Kind;
use crate::format::Format;
use crate::groups::{Group, MEASURED_FORMATS, Suite};
use crate::names::Named;

use super::criterion;
use super::{Exit, Failure, chart, instructions, turns, write_atomically};

/// Where a report's figures come from.
#[derive(Clone, Copy, Debug)]
pub enum Source {
    /// The medians of the last `cargo bench` run.
    Criterion,
    /// Each contender's fastest run, timed in turns now, over this many
    /// rounds.
    Turns {
        /// Rounds per group.
        rounds: usize,
    },
    /// The instructions of one run of each contender, counted by valgrind's
    /// callgrind.
    Instructions,
}

impl Source {
    /// The Markdown report's file name.
    pub fn file_name(self) -> &'static str {
        match self {
            Source::Criterion => "performance.md",
            Source::Turns { .. } => "performance-turns.md",
            Source::Instructions => "performance-instructions.md",
        }
    }

    /// The title of the report's chart.
    pub fn chart_title(self) -> &'static str {
        match self {
            Source::Criterion => "stack and stack-spill against each contender: criterion medians",
            Source::Turns { .. } => "stack and stack-spill against each contender: timed in turns",
            Source::Instructions => "stack and stack-spill against each contender: instructions",
        }
    }

    /// One encode run's figure, as the table shows it.
    fn encode_figure(self, figure: f64) -> String {
        match self {
            Source::Instructions => format!("{:.3}M", figure / 1e6),
            Source::Criterion | Source::Turns { .. } => format!("{:.3} ms", figure / 1e6),
        }
    }

    /// The contender with the lowest figure, as the replay table names it.
    fn best(self) -> &'static str {
        match self {
            Source::Instructions => "fewest",
            Source::Criterion | Source::Turns { .. } => "fastest",
        }
    }

    /// One replay's figure, as the table shows it.
    fn replay_figure(self, figure: f64) -> String {
        match self {
            Source::Instructions => format!("{:.3}M", figure / 1e6),
            Source::Criterion | Source::Turns { .. } => format!("{:.1} µs", figure / 1e3),
        }
    }

    /// The report's first paragraph: what the ratios are of, where they
    /// were taken, and the command that gives them.
    fn method(self, machine: &str) -> String {
        let (what, command) = match self {
            Source::Criterion => (
                "Ratios of criterion medians from one `cargo bench` run".to_owned(),
                "cargo bench --bench encode && cargo bench --bench patterns && \
                 cargo run --release -- performance"
                    .to_owned(),
            ),
            Source::Turns { rounds } => (
                format!(
                    "Ratios of each contender's time, the contenders of a group timed in \
                     turns, {rounds} rounds of about {} ms each, {} rounds to a worker process; \
                     a contender's time is the lower quartile over the processes of its fastest run",
                    turns::TURN.as_millis(),
                    turns::ROUNDS_PER_PROCESS
                ),
                format!("cargo run --release -- performance --turns --rounds {rounds}"),
            ),
            Source::Instructions => (
                "Ratios of instructions per run, counted by valgrind's callgrind in one run \
                 of each contender after an uncounted one"
                    .to_owned(),
                "cargo run --release -- performance --instructions".to_owned(),
            ),
        };
        let caveat = match self {
            Source::Instructions => {
                "\n\nOne build counts the same on every run. The counts leave out what \
                 caches, 4K aliasing and mispredicted branches cost, which the timed reports \
                 keep."
            }
            Source::Criterion | Source::Turns { .. } => "",
        };
        format!(
            "{what} (lower is better; **bold** misses the target). Machine: {machine}.\n\n\
             Reproduce: `{command}`.{caveat}"
        )
    }
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
    /// `(group, ratio, limit)`, in table order.
    ratios: Vec<(String, f64, f64)>,
}

impl Column {
    /// Notes `ratio` against `limit` and renders its cell.
    fn cell(&mut self, group: &str, ratio: Option<f64>, limit: f64) -> String {
        if let Some(ratio) = ratio {
            self.ratios.push((group.to_owned(), ratio, limit));
        }
        cell(ratio, limit)
    }

    fn geometric_mean(&self) -> Option<f64> {
        if self.ratios.is_empty() {
            return None;
        }
        let log_sum: f64 = self.ratios.iter().map(|(_, ratio, _)| ratio.ln()).sum();
        Some((log_sum / self.ratios.len() as f64).exp())
    }

    /// How many groups meet their target, of those that have one.
    fn targets_met(&self) -> (usize, usize) {
        let targeted = self.ratios.iter().filter(|(_, _, limit)| limit.is_finite());
        let met = targeted
            .clone()
            .filter(|(_, ratio, limit)| ratio <= limit)
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

/// The contenders `stack` is divided by, one column each.
const STACK_VERSUS: [Kind; 4] = [
    Kind::MusliSystem,
    Kind::Floor,
    Kind::MusliStack,
    Kind::Bumpalo,
];

/// The contenders `stack-spill` is divided by: it must beat `System`
/// everywhere, and run no more than `stack`.
const SPILL_VERSUS: [Kind; 4] = [Kind::MusliSystem, Kind::Stack, Kind::Floor, Kind::Bumpalo];

/// The geometric mean `stack-spill` / `musli-system` must stay under.
const SPILL_SYSTEM_MEAN: f64 = 0.92;

/// The report from `time`, which gives the figure per run by bench ID
/// (nanoseconds, or instructions with `Source::Instructions`), taken as
/// `source` says. An error when it has no encode group's figure for
/// `stack`.
pub fn render(
    suite: &Suite,
    time: &dyn Fn(&str) -> Option<f64>,
    source: Source,
) -> Result<String, Failure> {
    let mut text = format!(
        "# Performance of `stack` and `stack-spill`\n\n{}\n",
        source.method(&machine())
    );

    let groups = suite.encode_groups(&MEASURED_FORMATS);
    let (found, _) = encode_table(&mut text, &groups, time, source, Kind::Stack, &STACK_VERSUS);
    if found == 0 {
        return Err(Failure(
            "no encode times of `stack` to report; run `cargo bench --bench encode` first"
                .to_owned(),
        ));
    }
    text += "\n`messages` targets `/ musli-system <= 0.65`; `geo` and `mesh` target `/ musli-stack <= 0.35`.\n";

    let (found, columns) = encode_table(
        &mut text,
        &groups,
        time,
        source,
        Kind::StackSpill,
        &SPILL_VERSUS,
    );
    if found > 0 {
        text += &spill_targets(&columns[0], source);
    }

    text += &storage_control(suite, time);
    replay_table(&mut text, suite, time, source);
    Ok(text)
}

/// How many groups a timed report may leave above 1.00 of `musli-system`:
/// instruction counts are held to every group, time to all but two, for
/// what caches and branch prediction add that no count shows.
const SPILL_TIMED_MISSES: usize = 2;

/// The targets of `stack-spill` / `musli-system`, each with its verdict.
/// Counted by instructions: every group at most 1.00, the geometric mean,
/// and the groups held to a tighter target than 1.00 (`messages`). Timed:
/// all groups but [`SPILL_TIMED_MISSES`] at most 1.00; the other two are
/// shown, but their targets are on the counts.
fn spill_targets(system: &Column, source: Source) -> String {
    let verdict = |met: bool| if met { "met" } else { "**missed**" };
    let at_most_one = system
        .ratios
        .iter()
        .filter(|(_, ratio, _)| *ratio <= 1.0)
        .count();
    let mean = system.geometric_mean().unwrap_or(f64::NAN);
    let tighter: Vec<&(String, f64, f64)> = system
        .ratios
        .iter()
        .filter(|(_, _, limit)| *limit < 1.0)
        .collect();
    let tighter_limit = tighter.first().map_or(f64::NAN, |(_, _, limit)| *limit);
    let tighter_ratios: Vec<String> = tighter
        .iter()
        .map(|(group, ratio, _)| format!("{ratio:.2} on `{group}`"))
        .collect();
    let groups = system.ratios.len();
    if !matches!(source, Source::Instructions) {
        return format!(
            "\n`stack-spill` / `musli-system` target in time: at most 1.00 on all groups but \
             {SPILL_TIMED_MISSES}, {at_most_one} of {groups} ({}). Geometric mean {mean:.2}; \
             `messages`: {} (the targets of these two, at most {SPILL_SYSTEM_MEAN:.2} and \
             {tighter_limit:.2}, are on instruction counts: `performance --instructions`).\n",
            verdict(at_most_one + SPILL_TIMED_MISSES >= groups),
            tighter_ratios.join(", "),
        );
    }
    format!(
        "\n`stack-spill` / `musli-system` targets: at most 1.00 on every group, \
         {at_most_one} of {groups} ({}); a geometric mean at most {SPILL_SYSTEM_MEAN:.2}, {mean:.2} \
         ({}); at most {tighter_limit:.2} on `messages`: {} ({}).\n",
        verdict(at_most_one == groups),
        verdict(mean <= SPILL_SYSTEM_MEAN),
        tighter_ratios.join(", "),
        verdict(tighter.iter().all(|(_, ratio, limit)| ratio <= limit)),
    )
}

/// Appends the table of `ours` against each of `versus` over every group
/// of `groups` with a figure for `ours`, and the summary of each column.
/// Returns how many groups had one, and the columns.
fn encode_table(
    text: &mut String,
    groups: &[Group<'_>],
    time: &dyn Fn(&str) -> Option<f64>,
    source: Source,
    ours: Kind,
    versus: &[Kind],
) -> (usize, Vec<Column>) {
    let headings: Vec<String> = versus
        .iter()
        .map(|&other| {
            // The target most groups have: the highest.
            let usual = groups
                .iter()
                .filter_map(|group| group.target(ours, other))
                .fold(None, |usual: Option<f64>, target| {
                    Some(usual.map_or(target, |usual| usual.max(target)))
                });
            match usual {
                Some(usual) => format!("/ {other} (<= {usual:.2})"),
                None => format!("/ {other}"),
            }
        })
        .collect();
    let _ = write!(
        text,
        "\n## Encode: `{ours}`\n\n| group | {ours} | {} |\n|---|---:|{}\n",
        headings.join(" | "),
        "---:|".repeat(versus.len())
    );

    let mut found = 0;
    let mut columns: Vec<Column> = versus.iter().map(|_| Column::default()).collect();
    for group in groups {
        let id = group.id();
        let of = |kind: Kind| time(&format!("{id}/{kind}"));
        let Some(figure) = of(ours) else {
            continue;
        };
        found += 1;
        let cells: Vec<String> = versus
            .iter()
            .zip(&mut columns)
            .map(|(&other, column)| {
                let target = group.target(ours, other).unwrap_or(f64::INFINITY);
                column.cell(&id, ratio(Some(figure), of(other)), target)
            })
            .collect();
        let _ = writeln!(
            text,
            "| {id} | {} | {} |",
            source.encode_figure(figure),
            cells.join(" | ")
        );
    }
    if found > 0 {
        text.push('\n');
        for (other, column) in versus.iter().zip(&columns) {
            let _ = writeln!(text, "- `/ {other}`: {}", column.summary());
        }
    }
    (found, columns)
}

/// Appends the table of replayed traces: which contender did best, and
/// `stack` and `stack-spill` against the best of the others.
fn replay_table(
    text: &mut String,
    suite: &Suite,
    time: &dyn Fn(&str) -> Option<f64>,
    source: Source,
) {
    let ours = [Kind::Stack.name(), Kind::StackSpill.name()];
    let _ = write!(
        text,
        "\n## Replayed traces\n\n\
         | trace | {} | stack | stack-spill | next best | stack / next best | stack-spill / next best |\n\
         |---|---|---:|---:|---|---:|---:|\n",
        source.best()
    );
    for group in suite.replay_groups() {
        let group_id = group.id();
        let mut figures: Vec<(&str, f64)> = group
            .contenders()
            .into_iter()
            .filter_map(|contender| Some((contender, time(&format!("{group_id}/{contender}"))?)))
            .collect();
        figures.sort_by(|a, b| a.1.total_cmp(&b.1));
        let of = |wanted: &str| {
            figures
                .iter()
                .find(|(contender, _)| *contender == wanted)
                .map(|figure| figure.1)
        };
        let Some(stack) = of(ours[0]) else {
            continue;
        };
        let Some(best_other) = figures
            .iter()
            .find(|(contender, _)| !ours.contains(contender))
        else {
            continue;
        };
        let spill = of(ours[1]);
        let _ = writeln!(
            text,
            "| {group_id} | {} | {} | {} | {} | {} | {} |",
            figures[0].0,
            source.replay_figure(stack),
            spill.map_or_else(|| "-".to_owned(), |spill| source.replay_figure(spill)),
            best_other.0,
            cell(Some(stack / best_other.1), 1.0),
            cell(spill.map(|spill| spill / best_other.1), 1.0),
        );
    }
}

/// A line on how far `stack` and `musli-system` stray apart where neither
/// allocates (the `storage` groups), when those were timed: ratios that
/// differ from 1.00 by as much tell nothing about the allocators.
fn storage_control(suite: &Suite, time: &dyn Fn(&str) -> Option<f64>) -> String {
    let ratios: Vec<f64> = suite
        .encode_groups(&[Format::Storage])
        .iter()
        .map(Group::id)
        .filter_map(|group| {
            ratio(
                time(&format!("{group}/stack")),
                time(&format!("{group}/musli-system")),
            )
        })
        .collect();
    if ratios.is_empty() {
        return String::new();
    }
    let low = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    let high = ratios.iter().copied().fold(0.0, f64::max);
    format!(
        "\nControl: on the {} `encode/storage/...` groups, where no contender allocates, \
         `stack` / `musli-system` ranges from {low:.2} to {high:.2} in these times.\n",
        ratios.len()
    )
}

/// One ratio of the encode tables, as the JSON report and the chart have
/// it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Ratio {
    /// The encode group.
    pub group: String,
    /// `stack` or `stack-spill`.
    pub ours: String,
    /// The contender divided by.
    pub other: String,
    /// Ours over the other: time, or instructions.
    pub ratio: f64,
    /// The most the ratio may be, where a target is set.
    pub target: Option<f64>,
}

/// The ratios the chart draws, one series each.
const CHARTED: [(Kind, Kind); 6] = [
    (Kind::Stack, Kind::MusliSystem),
    (Kind::Stack, Kind::Floor),
    (Kind::Stack, Kind::MusliStack),
    (Kind::Stack, Kind::Bumpalo),
    (Kind::StackSpill, Kind::MusliSystem),
    (Kind::StackSpill, Kind::Stack),
];

/// Every ratio of the encode tables that `time` gives both figures of.
pub fn ratios(suite: &Suite, time: &dyn Fn(&str) -> Option<f64>) -> Vec<Ratio> {
    let mut ratios = Vec::new();
    for group in suite.encode_groups(&MEASURED_FORMATS) {
        let id = group.id();
        for (ours, versus) in [
            (Kind::Stack, &STACK_VERSUS),
            (Kind::StackSpill, &SPILL_VERSUS),
        ] {
            for &other in versus {
                let of = |kind: Kind| time(&format!("{id}/{kind}"));
                if let Some(value) = ratio(of(ours), of(other)) {
                    ratios.push(Ratio {
                        group: id.clone(),
                        ours: ours.to_string(),
                        other: other.to_string(),
                        ratio: value,
                        target: group.target(ours, other),
                    });
                }
            }
        }
    }
    ratios
}

/// `{"method", "command", "ratios": [...]}`: the report's ratios as JSON.
pub fn to_json(source: Source, ratios: &[Ratio]) -> String {
    let json = serde_json::json!({
        "method": source.file_name().trim_end_matches(".md"),
        "ratios": ratios,
    });
    serde_json::to_string_pretty(&json).expect("plain data serializes") + "\n"
}

/// The chart of a JSON report (see [`to_json`]): a row per encode group, a
/// dot per ratio of [`CHARTED`], a mark at each target.
pub fn chart_of_json(json: &str, title: &str) -> Result<String, Failure> {
    #[derive(serde::Deserialize)]
    struct Report {
        ratios: Vec<Ratio>,
    }
    let report: Report = serde_json::from_str(json)?;
    let series: Vec<String> = CHARTED
        .iter()
        .map(|(ours, other)| format!("{ours} / {other}"))
        .collect();
    let mut groups: Vec<&str> = Vec::new();
    for ratio in &report.ratios {
        if !groups.contains(&ratio.group.as_str()) {
            groups.push(&ratio.group);
        }
    }
    let rows: Vec<chart::Row> = groups
        .iter()
        .map(|&group| {
            let find = |(ours, other): &(Kind, Kind)| {
                report.ratios.iter().find(|ratio| {
                    ratio.group == group && ratio.ours == ours.name() && ratio.other == other.name()
                })
            };
            chart::Row {
                label: group.trim_start_matches("encode/").to_owned(),
                values: CHARTED
                    .iter()
                    .map(|pair| find(pair).map(|r| r.ratio))
                    .collect(),
                targets: CHARTED
                    .iter()
                    .map(|pair| find(pair).and_then(|r| r.target))
                    .collect(),
            }
        })
        .collect();
    Ok(chart::dots(
        title,
        "ratio (lower is better for ours; 1 = as fast as the other)",
        &series,
        &rows,
    ))
}

/// Writes `reports/performance.md` (or `performance-turns.md`, or
/// `performance-instructions.md`) under `root` and prints it, with its
/// ratios as `.json` and their chart as `.svg` beside it.
pub fn run(
    root: &Path,
    suite: &Suite,
    dataset_args: &[String],
    source: Source,
    out: &Path,
) -> Result<(), Exit> {
    let (text, ratios) = match source {
        Source::Criterion => {
            let no_results = |searched: &[PathBuf]| {
                let searched: Vec<String> = searched
                    .iter()
                    .map(|home| home.display().to_string())
                    .collect();
                Failure(format!(
                    "no bench results under {}; run `cargo bench --bench encode` first, \
                     or `performance --turns` to time the contenders now",
                    searched.join(" or ")
                ))
            };
            let home = criterion::home(root).map_err(|searched| no_results(&searched))?;
            let time = |id: &str| criterion::median(&home, id);
            let text = render(suite, &time, source)
                .map_err(|_| no_results(std::slice::from_ref(&home)))?;
            (text, ratios(suite, &time))
        }
        Source::Turns { rounds } => {
            let times = turns::measure(dataset_args, rounds)?;
            let time = |id: &str| times.get(id).copied();
            (render(suite, &time, source)?, ratios(suite, &time))
        }
        Source::Instructions => {
            let counts = instructions::measure(suite, &root.join("target/instructions"))?;
            let time = |id: &str| counts.get(id).copied();
            (render(suite, &time, source)?, ratios(suite, &time))
        }
    };
    let json = to_json(source, &ratios);
    let svg = chart_of_json(&json, source.chart_title())?;
    let markdown = out.join(source.file_name());
    write_atomically(&markdown, text.as_bytes())?;
    write_atomically(&markdown.with_extension("json"), json.as_bytes())?;
    write_atomically(&markdown.with_extension("svg"), svg.as_bytes())?;
    print!("{text}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::{Column, Source, render, spill_targets};
    use crate::datasets::{DEFAULT_SEED, Dataset};
    use crate::groups::{Entry, Suite};
    use crate::names::Named;

    /// Every dataset, small: the reports only need the groups' IDs.
    fn suite() -> Suite {
        Suite::of(
            crate::datasets::Name::ALL
                .iter()
                .map(|&name| Entry {
                    label: name.to_string(),
                    dataset: Dataset::generate(name, DEFAULT_SEED, 0.001),
                    origin: crate::groups::Origin::Builtin(name),
                })
                .collect(),
        )
    }

    #[test]
    fn the_report_divides_stack_by_each_contender_and_marks_misses() {
        let group = "encode/wire/default/geo";
        let replay = "patterns/replay/geo/default";
        let times: HashMap<String, f64> = [
            (format!("{group}/stack"), 2e6),
            (format!("{group}/musli-system"), 4e6),
            (format!("{group}/floor"), 1e6),
            (format!("{group}/musli-stack"), 8e6),
            (format!("{replay}/stack"), 3e3),
            (format!("{replay}/musli-system"), 4e3),
            (format!("{replay}/musli-next-global"), 1.5e3),
        ]
        .into_iter()
        .collect();

        let text = render(
            &suite(),
            &|id| times.get(id).copied(),
            Source::Turns { rounds: 7 },
        )
        .expect("one group has stack");

        assert!(
            text.contains(&format!(
                "| {group} | 2.000 ms | 0.50 | **2.00** | 0.25 | - |"
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "| {replay} | musli-next-global | 3.0 µs | - | musli-next-global | **2.00** | - |"
            )),
            "{text}"
        );
        assert!(text.contains("--turns --rounds 7"), "{text}");
        assert!(text.contains("Machine: "), "{text}");
        // No other group has times, so none has a row.
        assert_eq!(text.matches("| encode/").count(), 1, "{text}");
        assert_eq!(text.matches("| patterns/").count(), 1, "{text}");
    }

    #[test]
    fn instruction_counts_are_shown_in_millions_and_the_replays_by_the_fewest() {
        let group = "encode/wire/packed/mesh";
        let replay = "patterns/replay/log/packed";
        let counts: HashMap<String, f64> = [
            (format!("{group}/stack"), 19_922_000.0),
            (format!("{group}/musli-system"), 18_618_692.0),
            (format!("{replay}/stack"), 3_318_000.0),
            (format!("{replay}/musli-system"), 3_686_667.0),
        ]
        .into_iter()
        .collect();

        let text = render(
            &suite(),
            &|id| counts.get(id).copied(),
            Source::Instructions,
        )
        .expect("one group has stack");

        assert!(
            text.contains(&format!("| {group} | 19.922M | **1.07** | - | - | - |")),
            "{text}"
        );
        assert!(text.contains("| trace | fewest | stack |"), "{text}");
        assert!(
            text.contains(&format!(
                "| {replay} | stack | 3.318M | - | musli-system | 0.90 | - |"
            )),
            "{text}"
        );
        assert!(text.contains("performance --instructions`"), "{text}");
        assert!(text.contains("One build counts the same"), "{text}");
    }

    #[test]
    fn the_storage_groups_give_the_range_of_noise() {
        let stack_time = |id: &str| match id {
            "encode/wire/default/geo/stack" => Some(1.0),
            "encode/storage/default/geo/stack" => Some(1.2),
            "encode/storage/default/geo/musli-system" => Some(1.0),
            "encode/storage/packed/log/stack" => Some(0.9),
            "encode/storage/packed/log/musli-system" => Some(1.0),
            "encode/storage/packed/mesh/stack" => Some(5.0),
            _ => None,
        };
        let text = render(&suite(), &stack_time, Source::Criterion).expect("one group has stack");
        assert!(
            text.contains("Control: on the 2 `encode/storage/...` groups")
                && text.contains("ranges from 0.90 to 1.20"),
            "{text}"
        );

        let without = |id: &str| (id == "encode/wire/default/geo/stack").then_some(1.0);
        let text = render(&suite(), &without, Source::Criterion).expect("one group has stack");
        assert!(!text.contains("Control:"), "{text}");
    }

    #[test]
    fn a_report_without_times_of_stack_is_an_error() {
        let times: HashMap<String, f64> = [("encode/wire/default/geo/floor".to_owned(), 1e6)]
            .into_iter()
            .collect();
        let error = render(&suite(), &|id| times.get(id).copied(), Source::Criterion)
            .expect_err("no stack");
        assert!(
            error.0.contains("cargo bench --bench encode"),
            "{}",
            error.0
        );
    }

    #[test]
    fn the_summary_counts_only_groups_with_a_target() {
        let mut column = Column::default();
        column.cell("a", Some(0.5), 1.0);
        column.cell("b", Some(2.0), 1.0);
        column.cell("c", Some(1.0), f64::INFINITY);
        column.cell("d", None, 1.0);

        assert_eq!(column.targets_met(), (1, 2));
        let mean = column.geometric_mean().expect("three ratios");
        assert!((mean - 1.0).abs() < 1e-12, "{mean}");
        assert_eq!(
            column.summary(),
            "geometric mean 1.00, target met in 1 of 2 groups"
        );
    }

    #[test]
    fn each_of_the_spill_targets_gets_its_own_verdict() {
        let mut system = Column::default();
        system.cell("encode/wire/default/geo", Some(0.90), 1.0);
        system.cell("encode/wire/default/social", Some(1.01), 1.0);
        system.cell("encode/wire/default/messages", Some(0.59), 0.60);
        let text = spill_targets(&system, Source::Instructions);
        assert!(text.contains("2 of 3 (**missed**)"), "{text}");
        assert!(text.contains("0.81 (met)"), "{text}");
        assert!(
            text.contains("0.59 on `encode/wire/default/messages` (met)"),
            "{text}"
        );

        system.cell("encode/wire/packed/messages", Some(0.61), 0.60);
        let text = spill_targets(&system, Source::Instructions);
        assert!(
            text.contains("0.61 on `encode/wire/packed/messages` (**missed**)"),
            "{text}"
        );

        // In time, two groups may miss 1.00; a third may not.
        let turns = Source::Turns { rounds: 60 };
        let text = spill_targets(&system, turns);
        assert!(text.contains("3 of 4 (met)"), "{text}");
        system.cell("encode/wire/default/mesh", Some(1.02), 1.0);
        system.cell("encode/wire/default/log", Some(1.03), 1.0);
        let text = spill_targets(&system, turns);
        assert!(text.contains("3 of 6 (**missed**)"), "{text}");
    }
}
