//! The musli 0.2 section of the report: the `musli-0.2/encode/...` groups,
//! `stack-spill` against musli 0.2's `Global` and `Slice` with the
//! verdicts on [`NEXT_TARGETS`], and their ratios as JSON and a chart.

use std::fmt::Write as _;

use crate::bench_id::ContenderId;
use crate::contenders::NextKind;
use crate::groups::{MEASURED_FORMATS, Suite};
use crate::harness::chart;
use crate::names::Named;
use crate::targets::{NEXT_TARGETS, NextTarget};

use super::ratios::{Column, in_first_order, ratio};
use super::source::{Figures, Source};

/// One ratio of the musli 0.2 table.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NextRatio {
    /// The `musli-0.2/encode/...` group.
    pub group: String,
    /// Ours, by its name in that group (`stack`, `stack-spill`).
    #[serde(serialize_with = "plain_name", deserialize_with = "by_plain_name")]
    pub ours: NextKind,
    /// musli 0.2's allocator divided by.
    #[serde(serialize_with = "plain_name", deserialize_with = "by_plain_name")]
    pub other: NextKind,
    /// Ours over the other.
    pub ratio: f64,
    /// The most it may be.
    pub target: f64,
}

fn plain_name<S: serde::Serializer>(kind: &NextKind, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(kind.plain_name())
}

fn by_plain_name<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<NextKind, D::Error> {
    let name = <String as serde::Deserialize>::deserialize(deserializer)?;
    NextKind::ALL
        .iter()
        .copied()
        .find(|kind| kind.plain_name() == name)
        .ok_or_else(|| serde::de::Error::custom(format!("no musli 0.2 contender {name:?}")))
}

/// The musli 0.2 ratios of a JSON report (`next_ratios`), empty when it
/// has none.
pub fn next_from_json(json: &str) -> Result<Vec<NextRatio>, serde_json::Error> {
    #[derive(serde::Deserialize)]
    struct Report {
        #[serde(default)]
        next_ratios: Vec<NextRatio>,
    }
    Ok(serde_json::from_str::<Report>(json)?.next_ratios)
}

/// Every ratio of [`NEXT_TARGETS`] that `per_run` gives both figures of.
pub fn next_ratios(suite: &Suite, per_run: &Figures<'_>) -> Vec<NextRatio> {
    let mut ratios = Vec::new();
    for group in suite.next_encode_groups(&MEASURED_FORMATS) {
        let id = group.id();
        let of = |kind: NextKind| per_run(&id.bench(ContenderId::OnNext(kind)));
        for target in NEXT_TARGETS {
            if let Some(value) = ratio(of(target.ours), of(target.other)) {
                ratios.push(NextRatio {
                    group: id.to_string(),
                    ours: target.ours,
                    other: target.other,
                    ratio: value,
                    target: target.at_most,
                });
            }
        }
    }
    ratios
}

/// Appends the musli 0.2 section: each allocator's figure per group, the
/// ratios of [`NEXT_TARGETS`], and each target's verdict. Nothing when no
/// group has a figure for `stack-spill`.
pub fn next_table(text: &mut String, suite: &Suite, per_run: &Figures<'_>, source: Source) {
    let contenders = NextKind::ALL;
    let mut rows = String::new();
    let mut columns: Vec<Column> = NEXT_TARGETS.iter().map(|_| Column::default()).collect();
    for group in suite.next_encode_groups(&MEASURED_FORMATS) {
        let id = group.id();
        let of = |kind: NextKind| per_run(&id.bench(ContenderId::OnNext(kind)));
        if of(NextKind::StackSpill).is_none() {
            continue;
        }
        let figures: Vec<String> = contenders
            .iter()
            .map(|&kind| of(kind).map_or_else(|| "-".to_owned(), |f| source.encode_figure(f)))
            .collect();
        let cells: Vec<String> = NEXT_TARGETS
            .iter()
            .zip(&mut columns)
            .map(|(target, column)| {
                let value = ratio(of(target.ours), of(target.other));
                column.note(&id.to_string(), value, target.at_most);
                match value {
                    None => "-".to_owned(),
                    Some(value) if value <= target.at_most => format!("{value:.2}"),
                    Some(value) => format!("**{value:.2}**"),
                }
            })
            .collect();
        let _ = writeln!(
            rows,
            "| {id} | {} | {} |",
            figures.join(" | "),
            cells.join(" | ")
        );
    }
    if rows.is_empty() {
        return;
    }

    let names: Vec<&str> = contenders.iter().map(|kind| kind.plain_name()).collect();
    let headings: Vec<String> = NEXT_TARGETS
        .iter()
        .map(|target| {
            format!(
                "{} / {} (<= {:.2})",
                target.ours.plain_name(),
                target.other.plain_name(),
                target.at_most
            )
        })
        .collect();
    let _ = write!(
        text,
        "\n## Encode on musli 0.2\n\n\
         The same values encoded with musli 0.2.1, on its allocators: this crate's `Stack` and \
         `SpillStack` through musli 0.2's trait, and musli 0.2's `Slice` and `Global`.\n\n\
         | group | {} | {} |\n|---|{}{}\n{rows}\n",
        names.join(" | "),
        headings.join(" | "),
        "---:|".repeat(names.len()),
        "---:|".repeat(headings.len()),
    );
    let verdict = |met: bool| if met { "met" } else { "**missed**" };
    if !source.counts_instructions() {
        text.push_str(
            "These targets are on instruction counts (`performance --instructions`); in time:\n\n",
        );
    }
    for (target, column) in NEXT_TARGETS.iter().zip(&columns) {
        let (met, targeted) = column.targets_met();
        let mean = column.geometric_mean().unwrap_or(f64::NAN);
        let (name, limit, mean_limit) = (
            format!(
                "`{} / {}`",
                target.ours.plain_name(),
                target.other.plain_name()
            ),
            target.at_most,
            target.mean_at_most,
        );
        let _ = if source.counts_instructions() {
            writeln!(
                text,
                "- {name}: at most {limit:.2} on every group, {met} of {targeted} ({}); \
                 a geometric mean at most {mean_limit:.2}, {mean:.2} ({}).",
                verdict(met == targeted),
                verdict(mean <= mean_limit),
            )
        } else {
            writeln!(
                text,
                "- {name}: at or under {limit:.2} on {met} of {targeted} groups; \
                 geometric mean {mean:.2}.",
            )
        };
    }
}

/// The chart of `ratios`: a row per musli 0.2 group, a dot per target.
pub fn next_chart(ratios: &[NextRatio], title: &str) -> String {
    let series: Vec<String> = NEXT_TARGETS
        .iter()
        .map(|target| {
            format!(
                "{} / {}",
                target.ours.plain_name(),
                target.other.plain_name()
            )
        })
        .collect();
    let groups = in_first_order(ratios.iter().map(|ratio| ratio.group.as_str()));
    let rows: Vec<chart::Row> = groups
        .iter()
        .map(|&group| {
            let find = |target: &NextTarget| {
                ratios.iter().find(|ratio| {
                    ratio.group == group && ratio.ours == target.ours && ratio.other == target.other
                })
            };
            chart::Row {
                label: group.trim_start_matches("musli-0.2/encode/").to_owned(),
                values: NEXT_TARGETS
                    .iter()
                    .map(|t| find(t).map(|r| r.ratio))
                    .collect(),
                targets: NEXT_TARGETS
                    .iter()
                    .map(|t| find(t).map(|r| r.target))
                    .collect(),
            }
        })
        .collect();
    chart::dots(
        title,
        "ratio (lower is better for ours; 1 = as fast as musli 0.2's)",
        &series,
        &rows,
    )
}
