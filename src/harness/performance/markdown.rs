//! The Markdown report: the encode tables of `stack` and `stack-spill`,
//! the verdicts on `stack-spill`'s targets, the control, the replayed
//! traces, and the musli 0.2 section (`next.rs`).

use std::fmt::Write as _;

use crate::bench_id::ContenderId;
use crate::contenders::{Kind, NextKind};
use crate::groups::{Group, MEASURED_FORMATS, Suite};
use crate::harness::exit::Exit;
use crate::targets::{self, SPILL_SYSTEM_MEAN, SPILL_TIMED_MISSES};

use super::control::storage_control;
use super::next::next_table;
use super::ratios::{Column, SPILL_VERSUS, STACK_VERSUS, ratio};
use super::source::{Figures, Source};

/// The report from `per_run`, which gives the figure per run of each
/// bench (nanoseconds, or instructions with `Source::Instructions`), taken
/// as `source` says. An error when it has no encode group's figure for
/// `stack`.
pub fn render(suite: &Suite, per_run: &Figures<'_>, source: Source) -> Result<String, Exit> {
    let mut text = format!(
        "# Performance of `stack` and `stack-spill`\n\n{}\n",
        source.method()
    );

    let groups = suite.encode_groups(&MEASURED_FORMATS);
    let (found, _) = encode_table(
        &mut text,
        &groups,
        per_run,
        source,
        Kind::Stack,
        &STACK_VERSUS,
    );
    if found == 0 {
        return Err(Exit::failed(
            "no encode figures of `stack` to report; run `cargo bench --bench encode` first",
        ));
    }
    if let Some(cases) = targets::special_cases(Kind::Stack) {
        let _ = writeln!(text, "\n{cases}");
    }

    let (found, columns) = encode_table(
        &mut text,
        &groups,
        per_run,
        source,
        Kind::StackSpill,
        &SPILL_VERSUS,
    );
    if found > 0 {
        text += &spill_targets(&columns[0], source);
    }

    text += &storage_control(suite, per_run);
    replay_table(&mut text, suite, per_run, source);
    next_replay_table(&mut text, suite, per_run, source);
    next_table(&mut text, suite, per_run, source);
    Ok(text)
}

fn cell(value: Option<f64>, limit: f64) -> String {
    match value {
        None => "-".to_owned(),
        Some(value) if value <= limit => format!("{value:.2}"),
        Some(value) => format!("**{value:.2}**"),
    }
}

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
    if !source.counts_instructions() {
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
    per_run: &Figures<'_>,
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
        let group_name = id.to_string();
        let of = |kind: Kind| per_run(&id.bench(kind));
        let Some(figure) = of(ours) else {
            continue;
        };
        found += 1;
        let cells: Vec<String> = versus
            .iter()
            .zip(&mut columns)
            .map(|(&other, column)| {
                let limit = group.target(ours, other).unwrap_or(f64::INFINITY);
                let value = ratio(Some(figure), of(other));
                column.note(&group_name, value, limit);
                cell(value, limit)
            })
            .collect();
        let _ = writeln!(
            text,
            "| {group_name} | {} | {} |",
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
fn replay_table(text: &mut String, suite: &Suite, per_run: &Figures<'_>, source: Source) {
    let ours = [
        ContenderId::Kind(Kind::Stack),
        ContenderId::Kind(Kind::StackSpill),
    ];
    let _ = write!(
        text,
        "\n## Replayed traces\n\n\
         | trace | {} | stack | stack-spill | next best | stack / next best | stack-spill / next best |\n\
         |---|---|---:|---:|---|---:|---:|\n",
        source.best()
    );
    for group in suite.replay_groups() {
        let mut figures: Vec<(ContenderId, f64)> = group
            .benches()
            .into_iter()
            .filter_map(|bench| Some((bench.contender, per_run(&bench)?)))
            .collect();
        figures.sort_by(|a, b| a.1.total_cmp(&b.1));
        let of = |wanted: ContenderId| {
            figures
                .iter()
                .find(|(contender, _)| *contender == wanted)
                .map(|figure| figure.1)
        };
        let Some(stack) = of(ours[0]) else {
            continue;
        };
        // Ours through musli 0.2's trait is ours too: its table follows.
        let Some(best_other) = figures.iter().find(|(contender, _)| !contender.is_ours()) else {
            continue;
        };
        let spill = of(ours[1]);
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} | {} | {} | {} |",
            group.id(),
            figures[0].0,
            source.replay_figure(stack),
            spill.map_or_else(|| "-".to_owned(), |spill| source.replay_figure(spill)),
            best_other.0,
            cell(Some(stack / best_other.1), 1.0),
            cell(spill.map(|spill| spill / best_other.1), 1.0),
        );
    }
}

/// Appends the table of the same traces replayed through musli 0.2's
/// trait: each allocator's figure, and this crate's `Stack` and
/// `SpillStack` against musli 0.2's `Global` and `Slice`. Nothing when no
/// trace has a figure for `stack-0.2`.
fn next_replay_table(text: &mut String, suite: &Suite, per_run: &Figures<'_>, source: Source) {
    let mut rows = String::new();
    for group in suite.replay_groups() {
        let id = group.id();
        let of = |next: NextKind| per_run(&id.bench(ContenderId::Next(next)));
        let Some(stack) = of(NextKind::Stack) else {
            continue;
        };
        let figure = |value: Option<f64>| {
            value.map_or_else(|| "-".to_owned(), |value| source.replay_figure(value))
        };
        let (spill, slice, global) = (
            of(NextKind::StackSpill),
            of(NextKind::MusliSlice),
            of(NextKind::MusliGlobal),
        );
        let _ = writeln!(
            rows,
            "| {id} | {} | {} | {} | {} | {} | {} | {} |",
            source.replay_figure(stack),
            figure(spill),
            figure(slice),
            figure(global),
            cell(ratio(Some(stack), global), 1.0),
            cell(ratio(spill, global), 1.0),
            cell(ratio(spill, slice), 1.0),
        );
    }
    if rows.is_empty() {
        return;
    }
    let _ = write!(
        text,
        "\n## Replayed traces on musli 0.2\n\n\
         The same calls through musli 0.2's allocator trait, each buffer a musli 0.2 `Vec<u8>`.\n\n\
         | trace | stack-0.2 | stack-spill-0.2 | musli-0.2-slice | musli-0.2-global | stack-0.2 / global | stack-spill-0.2 / global | stack-spill-0.2 / slice |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n{rows}"
    );
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::super::ratios::Column;
    use super::{Source, render, spill_targets};
    use crate::bench_id::BenchId;
    use crate::datasets::{DEFAULT_SEED, Dataset};
    use crate::groups::{Entry, Suite};
    use crate::names::Named;

    /// Every dataset, small: the reports only need the groups' IDs.
    fn suite() -> Suite {
        Suite::of(
            crate::datasets::Name::ALL
                .iter()
                .map(|&name| {
                    let dataset = Dataset::generate(name, DEFAULT_SEED, 0.001);
                    Entry::new(
                        name.to_string(),
                        dataset,
                        crate::datasets::Origin::Builtin(name),
                    )
                })
                .collect(),
        )
    }

    /// The report of `figures`, given by bench ID, as `source` takes them.
    fn report(figures: &[(String, f64)], source: Source) -> String {
        let figures: HashMap<String, f64> = figures.iter().cloned().collect();
        let per_run = |id: &BenchId| figures.get(&id.to_string()).copied();
        render(&suite(), &per_run, source).expect("one group has stack")
    }

    #[test]
    fn the_report_divides_stack_by_each_contender_and_marks_misses() {
        let group = "encode/wire/default/geo";
        let replay = "patterns/replay/geo/default";
        let text = report(
            &[
                (format!("{group}/stack"), 2e6),
                (format!("{group}/musli-system"), 4e6),
                (format!("{group}/floor"), 1e6),
                (format!("{group}/musli-stack"), 8e6),
                (format!("{replay}/stack"), 3e3),
                (format!("{replay}/musli-system"), 4e3),
                (format!("{replay}/musli-0.2-global"), 1.5e3),
            ],
            Source::Turns { rounds: 7 },
        );

        assert!(
            text.contains(&format!(
                "| {group} | 2.000 ms | 0.50 | **2.00** | 0.25 | - |"
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "| {replay} | musli-0.2-global | 3.0 µs | - | musli-0.2-global | **2.00** | - |"
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
        let text = report(
            &[
                (format!("{group}/stack"), 19_922_000.0),
                (format!("{group}/musli-system"), 18_618_692.0),
                (format!("{replay}/stack"), 3_318_000.0),
                (format!("{replay}/musli-system"), 3_686_667.0),
            ],
            Source::Instructions,
        );

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
        let stack_time = |id: &BenchId| match id.to_string().as_str() {
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

        let without =
            |id: &BenchId| (id.to_string() == "encode/wire/default/geo/stack").then_some(1.0);
        let text = render(&suite(), &without, Source::Criterion).expect("one group has stack");
        assert!(!text.contains("Control:"), "{text}");
    }

    #[test]
    fn the_musli_0_2_replays_get_a_table_of_their_own() {
        let replay = "patterns/replay/geo/default";
        let text = report(
            &[
                (format!("{replay}/stack"), 3e6),
                (format!("{replay}/stack-0.2"), 2e6),
                (format!("{replay}/stack-spill-0.2"), 2.2e6),
                (format!("{replay}/musli-0.2-slice"), 8e6),
                (format!("{replay}/musli-0.2-global"), 2e6),
                ("encode/wire/default/geo/stack".to_owned(), 1e6),
            ],
            Source::Instructions,
        );
        assert!(
            text.contains(&format!(
                "| {replay} | 2.000M | 2.200M | 8.000M | 2.000M | 1.00 | **1.10** | 0.28 |"
            )),
            "{text}"
        );
        assert_eq!(text.matches("## Replayed traces on musli 0.2").count(), 1);
    }

    #[test]
    fn a_report_without_times_of_stack_is_an_error() {
        let times: HashMap<String, f64> = [("encode/wire/default/geo/floor".to_owned(), 1e6)]
            .into_iter()
            .collect();
        let error = render(
            &suite(),
            &|id: &BenchId| times.get(&id.to_string()).copied(),
            Source::Criterion,
        )
        .expect_err("no stack");
        assert!(
            error.message.contains("cargo bench --bench encode"),
            "{}",
            error.message
        );
    }

    #[test]
    fn each_of_the_spill_targets_gets_its_own_verdict() {
        let mut system = Column::default();
        system.note("encode/wire/default/geo", Some(0.90), 1.0);
        system.note("encode/wire/default/social", Some(1.01), 1.0);
        system.note("encode/wire/default/messages", Some(0.59), 0.60);
        let text = spill_targets(&system, Source::Instructions);
        assert!(text.contains("2 of 3 (**missed**)"), "{text}");
        assert!(text.contains("0.81 (met)"), "{text}");
        assert!(
            text.contains("0.59 on `encode/wire/default/messages` (met)"),
            "{text}"
        );

        system.note("encode/wire/packed/messages", Some(0.61), 0.60);
        let text = spill_targets(&system, Source::Instructions);
        assert!(
            text.contains("0.61 on `encode/wire/packed/messages` (**missed**)"),
            "{text}"
        );

        // In time, two groups may miss 1.00; a third may not.
        let turns = Source::Turns { rounds: 60 };
        let text = spill_targets(&system, turns);
        assert!(text.contains("3 of 4 (met)"), "{text}");
        system.note("encode/wire/default/mesh", Some(1.02), 1.0);
        system.note("encode/wire/default/log", Some(1.03), 1.0);
        let text = spill_targets(&system, turns);
        assert!(text.contains("3 of 6 (**missed**)"), "{text}");
    }
}
