//! The counts of a range laid out per bench, and its steps: a count that
//! moved by more than the threshold from one commit to the next.

use std::collections::BTreeMap;

use crate::bench_id::{BenchId, GroupId};

/// How far a count may move from one commit to the next without it being
/// a step, as a fraction (0.005 for `--threshold 0.5`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Threshold(f64);

impl Threshold {
    /// The default: half a percent.
    pub const DEFAULT: Threshold = Threshold(0.005);

    /// `--threshold PCT`: a percentage above 0 and below 100.
    pub fn parse(given: &str) -> Result<Self, String> {
        match given.trim().parse::<f64>() {
            Ok(percent) if percent > 0.0 && percent < 100.0 => Ok(Threshold(percent / 100.0)),
            _ => Err(format!(
                "{given:?} is not a threshold; accepted: a percentage above 0 and below 100, \
                 such as 0.5"
            )),
        }
    }

    /// Whether `after` is a step from `before`.
    pub fn is_step(self, before: f64, after: f64) -> bool {
        (after / before - 1.0).abs() > self.0
    }

    /// As a percentage.
    pub fn percent(self) -> f64 {
        self.0 * 100.0
    }
}

/// Every bench's count per commit, in the order of the commits; `None`
/// where a commit has no count (its build failed, or it has no such
/// bench).
pub type Rows = BTreeMap<BenchId, Vec<Option<f64>>>;

/// One step: `bench`'s count at commit number `at` against the count of
/// the last commit before it that has one.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The bench.
    pub bench: BenchId,
    /// The index of the commit it moved at.
    pub at: usize,
    /// The count before.
    pub before: f64,
    /// The count at that commit.
    pub after: f64,
}

impl Step {
    /// `after / before - 1`.
    pub fn change(&self) -> f64 {
        self.after / self.before - 1.0
    }
}

/// The steps of every row, by bench, then commit.
pub fn steps(rows: &Rows, threshold: Threshold) -> Vec<Step> {
    let mut steps = Vec::new();
    for (bench, counts) in rows {
        let mut last: Option<f64> = None;
        for (at, count) in counts.iter().enumerate() {
            let Some(count) = *count else { continue };
            if let Some(before) = last
                && threshold.is_step(before, count)
            {
                steps.push(Step {
                    bench: bench.clone(),
                    at,
                    before,
                    after: count,
                });
            }
            last = Some(count);
        }
    }
    steps
}

/// One bench's counts per commit.
pub type Row<'a> = (&'a BenchId, &'a Vec<Option<f64>>);

/// The rows grouped by their group, in ID order: one chart each.
pub fn by_group(rows: &Rows) -> BTreeMap<GroupId, Vec<Row<'_>>> {
    let mut groups: BTreeMap<GroupId, Vec<_>> = BTreeMap::new();
    for (bench, counts) in rows {
        groups
            .entry(bench.group.clone())
            .or_default()
            .push((bench, counts));
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> BenchId {
        text.parse().expect("an ID")
    }

    #[test]
    fn a_step_is_a_move_past_the_threshold_from_the_last_count() {
        let threshold = Threshold::parse("0.5").unwrap();
        let rows = Rows::from([
            (
                id("patterns/churn/stack"),
                vec![Some(1000.0), Some(1004.0), None, Some(1100.0), Some(1100.0)],
            ),
            (
                id("patterns/churn/floor"),
                vec![Some(10.0), Some(10.0), None, Some(10.0), Some(10.0)],
            ),
        ]);
        let found = steps(&rows, threshold);
        assert_eq!(found.len(), 1, "{found:?}");
        // Across the commit without a count, from the last one that has.
        assert_eq!(
            (found[0].at, found[0].before, found[0].after),
            (3, 1004.0, 1100.0)
        );
        assert!((found[0].change() - 0.0956).abs() < 1e-3);
    }

    #[test]
    fn a_threshold_is_a_percentage_between_0_and_100() {
        assert_eq!(Threshold::parse("0.5").unwrap(), Threshold::DEFAULT);
        for bad in ["0", "-1", "100", "NaN", "inf", "half", ""] {
            let error = Threshold::parse(bad).expect_err(bad);
            assert!(error.contains("accepted: a percentage"), "{error}");
        }
    }
}
