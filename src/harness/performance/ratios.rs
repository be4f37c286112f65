//! The ratios of the encode tables, their statistics, and the two forms
//! they leave the program in besides Markdown: JSON and a chart.

use crate::bench_id::BenchId;
use crate::contenders::Kind;
use crate::format::Format;
use crate::groups::{MEASURED_FORMATS, Suite};
use crate::harness::chart;
use crate::names::Named;
use crate::targets;

use super::next::NextRatio;
use super::source::{Figures, Source};

/// The contenders `stack` is divided by, one column each.
pub const STACK_VERSUS: [Kind; 4] = [
    Kind::MusliSystem,
    Kind::Floor,
    Kind::MusliStack,
    Kind::Bumpalo,
];

/// The contenders `stack-spill` is divided by: it must beat `System`
/// everywhere, and run no more than `stack`.
pub const SPILL_VERSUS: [Kind; 4] = [Kind::MusliSystem, Kind::Stack, Kind::Floor, Kind::Bumpalo];

/// One ratio of the encode tables.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Ratio {
    /// The encode group.
    pub group: String,
    /// `stack` or `stack-spill`.
    pub ours: Kind,
    /// The contender divided by.
    pub other: Kind,
    /// Ours over the other: time, or instructions.
    pub ratio: f64,
    /// The most the ratio may be, where a target is set.
    pub target: Option<f64>,
}

/// `ours` over `other`, where both have a figure.
pub fn ratio(ours: Option<f64>, other: Option<f64>) -> Option<f64> {
    Some(ours? / other?)
}

/// Every ratio of the encode tables that `per_run` gives both figures of.
pub fn ratios(suite: &Suite, per_run: &Figures<'_>) -> Vec<Ratio> {
    let mut ratios = Vec::new();
    for group in suite.encode_groups(&MEASURED_FORMATS) {
        let id = group.id();
        let of = |kind: Kind| per_run(&id.bench(kind));
        for (ours, versus) in [
            (Kind::Stack, &STACK_VERSUS),
            (Kind::StackSpill, &SPILL_VERSUS),
        ] {
            for &other in versus {
                if let Some(value) = ratio(of(ours), of(other)) {
                    ratios.push(Ratio {
                        group: id.to_string(),
                        ours,
                        other,
                        ratio: value,
                        target: group.target(ours, other),
                    });
                }
            }
        }
    }
    ratios
}

/// One ratio column of an encode table: every group's ratio with its
/// limit (infinite where the group has no target), for the summary under
/// it.
#[derive(Default)]
pub struct Column {
    /// `(group, ratio, limit)`, in table order.
    pub ratios: Vec<(String, f64, f64)>,
}

impl Column {
    /// Notes `ratio` against `limit`.
    pub fn note(&mut self, group: &str, ratio: Option<f64>, limit: f64) {
        if let Some(ratio) = ratio {
            self.ratios.push((group.to_owned(), ratio, limit));
        }
    }

    /// The geometric mean of its ratios.
    pub fn geometric_mean(&self) -> Option<f64> {
        if self.ratios.is_empty() {
            return None;
        }
        let log_sum: f64 = self.ratios.iter().map(|(_, ratio, _)| ratio.ln()).sum();
        Some((log_sum / self.ratios.len() as f64).exp())
    }

    /// How many groups meet their target, of those that have one.
    pub fn targets_met(&self) -> (usize, usize) {
        let targeted = self.ratios.iter().filter(|(_, _, limit)| limit.is_finite());
        let met = targeted
            .clone()
            .filter(|(_, ratio, limit)| ratio <= limit)
            .count();
        (met, targeted.count())
    }

    /// `geometric mean 0.99, target met in 9 of 24 groups`.
    pub fn summary(&self) -> String {
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

/// One bench's figure per run, as the JSON report lists them.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Figure {
    /// The bench.
    pub bench: BenchId,
    /// Its figure per run, in the report's unit.
    pub figure: f64,
}

/// The figure of every bench of the encode groups (every format, both musli
/// versions) and the replayed traces that `per_run` has one for, in report
/// order: the tables' figures, each contender's, and not only their ratios.
pub fn figures(suite: &Suite, per_run: &Figures<'_>) -> Vec<Figure> {
    let groups = suite.encode_groups(Format::ALL);
    let replays = suite.replay_groups();
    let next_groups = suite.next_encode_groups(Format::ALL);
    groups
        .iter()
        .chain(&replays)
        .chain(&next_groups)
        .flat_map(|group| group.benches())
        .filter_map(|bench| {
            let figure = per_run(&bench)?;
            Some(Figure { bench, figure })
        })
        .collect()
}

/// `{"method", "unit", "ratios": [...], "next_ratios": [...], "figures":
/// [...]}`: the report's ratios on musli 0.0.122 and on musli 0.2, and
/// every figure they and the replay tables come from, as JSON.
pub fn to_json(
    source: Source,
    ratios: &[Ratio],
    next_ratios: &[NextRatio],
    figures: &[Figure],
) -> String {
    let json = serde_json::json!({
        "method": source.file_name().trim_end_matches(".md"),
        "unit": source.unit(),
        "ratios": ratios,
        "next_ratios": next_ratios,
        "figures": figures,
    });
    serde_json::to_string_pretty(&json).expect("plain data serializes") + "\n"
}

/// The ratios of a JSON report that [`to_json`] wrote.
pub fn from_json(json: &str) -> Result<Vec<Ratio>, serde_json::Error> {
    #[derive(serde::Deserialize)]
    struct Report {
        ratios: Vec<Ratio>,
    }
    Ok(serde_json::from_str::<Report>(json)?.ratios)
}

/// Each of `groups` once, in the order first seen: the rows of a chart.
pub fn in_first_order<'a>(groups: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    for group in groups {
        if !seen.contains(&group) {
            seen.push(group);
        }
    }
    seen
}

/// The chart of `ratios`: a row per encode group, a dot per pair that has
/// a target ([`targets::pairs`]), a mark at each target.
pub fn chart(ratios: &[Ratio], title: &str) -> String {
    let pairs = targets::pairs();
    let series: Vec<String> = pairs
        .iter()
        .map(|(ours, other)| format!("{ours} / {other}"))
        .collect();
    let groups = in_first_order(ratios.iter().map(|ratio| ratio.group.as_str()));
    let rows: Vec<chart::Row> = groups
        .iter()
        .map(|&group| {
            let find = |&(ours, other): &(Kind, Kind)| {
                ratios.iter().find(|ratio| {
                    ratio.group == group && ratio.ours == ours && ratio.other == other
                })
            };
            chart::Row {
                label: group.trim_start_matches("encode/").to_owned(),
                values: pairs
                    .iter()
                    .map(|pair| find(pair).map(|r| r.ratio))
                    .collect(),
                targets: pairs
                    .iter()
                    .map(|pair| find(pair).and_then(|r| r.target))
                    .collect(),
            }
        })
        .collect();
    chart::dots(
        title,
        "ratio (lower is better for ours; 1 = as fast as the other)",
        &series,
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_only_groups_with_a_target() {
        let mut column = Column::default();
        column.note("a", Some(0.5), 1.0);
        column.note("b", Some(2.0), 1.0);
        column.note("c", Some(1.0), f64::INFINITY);
        column.note("d", None, 1.0);

        assert_eq!(column.targets_met(), (1, 2));
        let mean = column.geometric_mean().expect("three ratios");
        assert!((mean - 1.0).abs() < 1e-12, "{mean}");
        assert_eq!(
            column.summary(),
            "geometric mean 1.00, target met in 1 of 2 groups"
        );
    }

    #[test]
    fn the_chart_draws_a_row_per_group_and_a_series_per_pair_with_a_target() {
        let ratio = |group: &str, ours, other, value| Ratio {
            group: group.to_owned(),
            ours,
            other,
            ratio: value,
            target: Some(1.0),
        };
        let ratios = [
            ratio(
                "encode/wire/default/geo",
                Kind::Stack,
                Kind::MusliSystem,
                0.8,
            ),
            ratio(
                "encode/wire/default/geo",
                Kind::StackSpill,
                Kind::Stack,
                0.9,
            ),
            ratio(
                "encode/wire/packed/geo",
                Kind::Stack,
                Kind::MusliSystem,
                1.2,
            ),
        ];
        let svg = chart(&ratios, "title");
        assert!(svg.contains(">wire/default/geo<") && svg.contains(">wire/packed/geo<"));
        assert!(
            svg.contains("stack-spill / stack"),
            "the legend names each series"
        );
        let figures = [Figure {
            bench: "patterns/replay/geo/default/stack-0.2"
                .parse()
                .expect("an ID"),
            figure: 2.5e6,
        }];
        let json: serde_json::Value =
            serde_json::from_str(&to_json(Source::Instructions, &ratios, &[], &figures))
                .expect("JSON");
        assert_eq!(json["unit"], "instructions");
        assert_eq!(
            json["figures"][0]["bench"],
            "patterns/replay/geo/default/stack-0.2"
        );
        assert_eq!(json["figures"][0]["figure"], 2.5e6);
        assert_eq!(json["ratios"][1]["ours"], "stack-spill");
        assert_eq!(json["method"], "performance-instructions");
    }
}
