//! One bench in both revisions: the figures, the change, the verdict.

use crate::bench_id::BenchId;

use super::paired::{self, Change, Verdict};

/// One bench in both revisions.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The bench.
    pub bench: BenchId,
    /// BASE's figure in nanoseconds: its fastest run (paired) or criterion's
    /// median.
    pub base: Option<f64>,
    /// HEAD's.
    pub head: Option<f64>,
    /// The change from BASE to HEAD, with its interval.
    pub change: Option<Change>,
    /// BASE's instructions per run, where counted.
    pub base_instructions: Option<f64>,
    /// HEAD's.
    pub head_instructions: Option<f64>,
    /// What the figures say.
    pub verdict: Verdict,
}

impl Row {
    /// The change of the instruction count, in percent.
    pub fn instruction_change(&self) -> Option<f64> {
        Some((self.head_instructions? / self.base_instructions? - 1.0) * 100.0)
    }

    /// The verdict the instruction counts give where it differs from the
    /// time's, read against the same noise threshold and by the same rule
    /// (a count is its own interval): a time that moved while the count
    /// stayed points at caches or code placement, not at work done, and a
    /// count that moved while the time stayed, at work too small to see in
    /// time. `None` where they agree or nothing was counted.
    pub fn disagreement(&self, noise: f64) -> Option<Verdict> {
        let change = self.instruction_change()?;
        let counted = paired::verdict(
            &Change {
                change,
                low: change,
                high: change,
            },
            noise,
        );
        (counted != self.verdict).then_some(counted)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A row of `bench` whose change is `low + 1%`, within `[low, low + 2]`.
    pub(in crate::harness::compare) fn row(bench: &str, low: f64, verdict: Verdict) -> Row {
        Row {
            bench: bench.parse().expect("a bench ID"),
            base: Some(1.0),
            head: Some(1.1),
            change: Some(Change {
                change: low + 1.0,
                low,
                high: low + 2.0,
            }),
            base_instructions: None,
            head_instructions: None,
            verdict,
        }
    }

    #[test]
    fn a_row_says_when_time_and_instructions_disagree() {
        let mut slower = row("patterns/churn/stack", 5.0, Verdict::Slower);
        slower.base_instructions = Some(100.0);
        slower.head_instructions = Some(90.0);
        assert_eq!(
            slower.disagreement(2.0),
            Some(Verdict::Faster),
            "opposite ways"
        );
        slower.head_instructions = Some(101.0);
        assert_eq!(
            slower.disagreement(2.0),
            Some(Verdict::NoChange),
            "time moved, count within the noise"
        );
        slower.head_instructions = Some(110.0);
        assert_eq!(slower.disagreement(2.0), None, "both slower");

        let mut same = row("patterns/churn/stack", -1.0, Verdict::NoChange);
        same.base_instructions = Some(100.0);
        same.head_instructions = Some(101.0);
        assert_eq!(same.disagreement(2.0), None, "both within the noise");
        same.head_instructions = Some(95.0);
        assert_eq!(
            same.disagreement(2.0),
            Some(Verdict::Faster),
            "count moved, time did not"
        );

        let mut uncounted = row("patterns/churn/stack", 5.0, Verdict::Slower);
        uncounted.base_instructions = None;
        assert_eq!(
            uncounted.disagreement(2.0),
            None,
            "nothing to disagree with"
        );
    }
}
