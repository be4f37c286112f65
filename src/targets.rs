//! The targets `stack` and `stack-spill` must meet on the encode groups,
//! written once: the groups, the reports' tables, their prose and their
//! charts all read this table ([`TARGETS`], and [`NEXT_TARGETS`] on musli
//! 0.2). `docs/design.md` says why these.

use crate::contenders::{Kind, NextKind};
use crate::datasets::{Name, Shape};
use crate::names::Named;

/// Which encode groups a target holds on, by the kind of their dataset (a
/// file's, by its shape).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On {
    /// Every encode group.
    Every,
    /// The groups of these datasets.
    Datasets(&'static [Name]),
}

/// The most `ours` may take of `other`'s time or instructions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    /// `stack` or `stack-spill`.
    pub ours: Kind,
    /// The contender divided by.
    pub other: Kind,
    /// Where it holds.
    pub on: On,
    /// The most the ratio may be.
    pub at_most: f64,
}

const fn target(ours: Kind, other: Kind, on: On, at_most: f64) -> Target {
    Target {
        ours,
        other,
        on,
        at_most,
    }
}

/// Every target; for a pair and a group, the first that holds on it.
pub const TARGETS: &[Target] = &[
    target(
        Kind::Stack,
        Kind::MusliSystem,
        On::Datasets(&[Name::Messages]),
        0.65,
    ),
    target(Kind::Stack, Kind::MusliSystem, On::Every, 1.00),
    target(Kind::Stack, Kind::Floor, On::Every, 1.05),
    target(
        Kind::Stack,
        Kind::MusliStack,
        On::Datasets(&[Name::Geo, Name::Mesh]),
        0.35,
    ),
    target(Kind::Stack, Kind::Bumpalo, On::Every, 0.90),
    target(
        Kind::StackSpill,
        Kind::MusliSystem,
        On::Datasets(&[Name::Messages]),
        0.60,
    ),
    target(Kind::StackSpill, Kind::MusliSystem, On::Every, 1.00),
    target(Kind::StackSpill, Kind::Stack, On::Every, 1.00),
];

/// The geometric mean of `stack-spill` / `musli-system` over the encode
/// groups must stay at or under this, counted by instructions.
pub const SPILL_SYSTEM_MEAN: f64 = 0.92;

/// How many encode groups a timed report may leave above 1.00 of
/// `musli-system` for `stack-spill`: instruction counts are held to every
/// group, time to all but these, for what caches and branch prediction add
/// that no count shows.
pub const SPILL_TIMED_MISSES: usize = 2;

/// A target of ours on every `musli-0.2/encode/...` group that allocates
/// (`wire`, `descriptive`), counted by instructions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NextTarget {
    /// Ours on musli 0.2.
    pub ours: NextKind,
    /// musli 0.2's allocator divided by.
    pub other: NextKind,
    /// The most the ratio may be on any group.
    pub at_most: f64,
    /// The most the geometric mean over the groups may be.
    pub mean_at_most: f64,
}

/// Every target on musli 0.2: `stack-spill` against musli 0.2's `Global`,
/// which pools nothing, and its `Slice`, whose buffers grow exactly.
pub const NEXT_TARGETS: [NextTarget; 2] = [
    NextTarget {
        ours: NextKind::StackSpill,
        other: NextKind::MusliGlobal,
        at_most: 1.00,
        mean_at_most: 0.70,
    },
    NextTarget {
        ours: NextKind::StackSpill,
        other: NextKind::MusliSlice,
        at_most: 0.90,
        mean_at_most: 0.30,
    },
];

/// The most `ours` may take of `other` on an encode group of `dataset`.
pub fn limit(ours: Kind, other: Kind, shape: Shape) -> Option<f64> {
    TARGETS
        .iter()
        .filter(|target| target.ours == ours && target.other == other)
        .find(|target| match target.on {
            On::Every => true,
            On::Datasets(names) => shape.typed().is_some_and(|name| names.contains(&name)),
        })
        .map(|target| target.at_most)
}

/// The pairs that have a target, in the table's order, each once: the
/// series of the reports' charts.
pub fn pairs() -> Vec<(Kind, Kind)> {
    let mut pairs: Vec<(Kind, Kind)> = Vec::new();
    for target in TARGETS {
        if !pairs.contains(&(target.ours, target.other)) {
            pairs.push((target.ours, target.other));
        }
    }
    pairs
}

/// The targets of `ours` that hold on some datasets only, in words:
/// "`messages` targets `/ musli-system <= 0.65`; `geo` and `mesh` target
/// `/ musli-stack <= 0.35`."
pub fn special_cases(ours: Kind) -> Option<String> {
    let sentences: Vec<String> = TARGETS
        .iter()
        .filter(|target| target.ours == ours)
        .filter_map(|target| {
            let On::Datasets(names) = target.on else {
                return None;
            };
            let names: Vec<String> = names
                .iter()
                .map(|name| format!("`{}`", name.name()))
                .collect();
            let (subject, verb) = match names.split_last() {
                Some((last, [])) => (last.clone(), "targets"),
                Some((last, rest)) => (format!("{} and {last}", rest.join(", ")), "target"),
                None => return None,
            };
            Some(format!(
                "{subject} {verb} `/ {} <= {:.2}`",
                target.other, target.at_most
            ))
        })
        .collect();
    (!sentences.is_empty()).then(|| sentences.join("; ") + ".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_target_that_holds_on_a_dataset_is_its_limit() {
        assert_eq!(
            limit(Kind::Stack, Kind::MusliSystem, Shape::Messages),
            Some(0.65)
        );
        assert_eq!(
            limit(Kind::Stack, Kind::MusliSystem, Shape::Geo),
            Some(1.00)
        );
        assert_eq!(
            limit(Kind::Stack, Kind::MusliStack, Shape::Mesh),
            Some(0.35)
        );
        assert_eq!(limit(Kind::Stack, Kind::MusliStack, Shape::Log), None);
        assert_eq!(
            limit(Kind::StackSpill, Kind::MusliSystem, Shape::Messages),
            Some(0.60)
        );
        assert_eq!(limit(Kind::StackSpill, Kind::Floor, Shape::Geo), None);
    }

    #[test]
    fn the_prose_and_the_series_come_from_the_table() {
        assert_eq!(
            special_cases(Kind::Stack).as_deref(),
            Some(
                "`messages` targets `/ musli-system <= 0.65`; `geo` and `mesh` target \
                 `/ musli-stack <= 0.35`."
            )
        );
        assert_eq!(
            special_cases(Kind::StackSpill).as_deref(),
            Some("`messages` targets `/ musli-system <= 0.60`.")
        );
        assert_eq!(
            pairs(),
            [
                (Kind::Stack, Kind::MusliSystem),
                (Kind::Stack, Kind::Floor),
                (Kind::Stack, Kind::MusliStack),
                (Kind::Stack, Kind::Bumpalo),
                (Kind::StackSpill, Kind::MusliSystem),
                (Kind::StackSpill, Kind::Stack),
            ]
        );
    }
}
