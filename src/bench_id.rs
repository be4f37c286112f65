//! Bench IDs, built and parsed here and nowhere else.
//!
//! A bench is one contender in one group: `{group}/{contender}`, as
//! criterion shows it (its group, then its function). The group part has
//! a fixed layout per kind of group, so every part is found by position,
//! never by searching the text: a dataset file named `default.json` is the
//! dataset `default`, not a mode.
//!
//! | group | layout |
//! |---|---|
//! | encode | `encode/{format}/{mode}/{dataset}` |
//! | encode on musli 0.2 | `musli-0.2/encode/{format}/{mode}/{dataset}` |
//! | replayed trace | `patterns/replay/{dataset}/{mode}` |
//! | synthetic pattern | `patterns/{pattern}` |
//!
//! The `stack_buffer` sweep and the placement bench live in criterion only
//! (`crate::groups::Sweep`, `benches/patterns.rs`): no harness command
//! reads their IDs back.

use std::fmt;
use std::str::FromStr;

use crate::contenders::{Kind, NextKind};
use crate::format::{Format, Mode};
use crate::names::{Named, UnknownName};
use crate::patterns::Pattern;

/// Which group a bench belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupId {
    /// `encode/{format}/{mode}/{dataset}`.
    Encode {
        /// The format.
        format: Format,
        /// The mode.
        mode: Mode,
        /// The dataset's label: a built-in name or a file's stem.
        dataset: String,
    },
    /// `musli-0.2/encode/{format}/{mode}/{dataset}`: the same on musli 0.2.
    NextEncode {
        /// The format.
        format: Format,
        /// The mode.
        mode: Mode,
        /// The dataset's label.
        dataset: String,
    },
    /// `patterns/replay/{dataset}/{mode}`: the `wire` encode's calls.
    Replay {
        /// The dataset's label.
        dataset: String,
        /// The mode.
        mode: Mode,
    },
    /// `patterns/{pattern}`.
    Pattern(Pattern),
}

impl GroupId {
    /// The dataset the group measures, if it measures one.
    pub fn dataset(&self) -> Option<&str> {
        match self {
            GroupId::Encode { dataset, .. }
            | GroupId::NextEncode { dataset, .. }
            | GroupId::Replay { dataset, .. } => Some(dataset),
            GroupId::Pattern(_) => None,
        }
    }

    /// Its contenders, in report order: every [`Kind`], and musli 0.2's
    /// allocators (as [`ContenderId::Next`]) in the replayed traces; in a
    /// musli 0.2 group, musli 0.2's alone ([`ContenderId::OnNext`]).
    pub fn contenders(&self) -> Vec<ContenderId> {
        let kinds = Kind::ALL.iter().map(|&kind| ContenderId::Kind(kind));
        match self {
            GroupId::NextEncode { .. } => NextKind::ALL
                .iter()
                .map(|&next| ContenderId::OnNext(next))
                .collect(),
            GroupId::Replay { .. } => kinds
                .chain(NextKind::ALL.iter().map(|&next| ContenderId::Next(next)))
                .collect(),
            GroupId::Encode { .. } | GroupId::Pattern(_) => kinds.collect(),
        }
    }

    /// Its contender named `name`.
    pub fn contender(&self, name: &str) -> Result<ContenderId, UnknownName> {
        let contenders = self.contenders();
        contenders
            .iter()
            .copied()
            .find(|contender| contender.name() == name)
            .ok_or_else(|| UnknownName {
                kind: "contender",
                given: name.to_owned(),
                accepted: contenders
                    .iter()
                    .map(|contender| contender.name())
                    .collect(),
            })
    }

    /// The ID of `contender`'s bench in this group.
    pub fn bench(&self, contender: impl Into<ContenderId>) -> BenchId {
        BenchId {
            group: self.clone(),
            contender: contender.into(),
        }
    }
}

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupId::Encode {
                format,
                mode,
                dataset,
            } => write!(f, "encode/{format}/{mode}/{dataset}"),
            GroupId::NextEncode {
                format,
                mode,
                dataset,
            } => write!(f, "musli-0.2/encode/{format}/{mode}/{dataset}"),
            GroupId::Replay { dataset, mode } => write!(f, "patterns/replay/{dataset}/{mode}"),
            GroupId::Pattern(pattern) => write!(f, "patterns/{pattern}"),
        }
    }
}

/// A text that is no bench or group ID: what it was and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadId {
    /// The text given.
    pub given: String,
    /// What was wrong with it.
    pub reason: String,
}

impl fmt::Display for BadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a bench ID ({}); accepted: encode/FORMAT/MODE/DATASET/CONTENDER, \
             musli-0.2/encode/FORMAT/MODE/DATASET/CONTENDER, \
             patterns/replay/DATASET/MODE/CONTENDER or patterns/PATTERN/CONTENDER",
            self.given, self.reason
        )
    }
}

impl std::error::Error for BadId {}

impl FromStr for GroupId {
    type Err = BadId;

    fn from_str(given: &str) -> Result<Self, BadId> {
        let bad = |reason: String| BadId {
            given: given.to_owned(),
            reason,
        };
        let named = |error: UnknownName| bad(error.to_string());
        let dataset = |label: &str| {
            if label.is_empty() {
                Err(bad("the dataset is empty".to_owned()))
            } else {
                Ok(label.to_owned())
            }
        };
        match given.split('/').collect::<Vec<_>>()[..] {
            ["encode", format, mode, label] => Ok(GroupId::Encode {
                format: format.parse().map_err(named)?,
                mode: mode.parse().map_err(named)?,
                dataset: dataset(label)?,
            }),
            ["musli-0.2", "encode", format, mode, label] => Ok(GroupId::NextEncode {
                format: format.parse().map_err(named)?,
                mode: mode.parse().map_err(named)?,
                dataset: dataset(label)?,
            }),
            ["patterns", "replay", label, mode] => Ok(GroupId::Replay {
                dataset: dataset(label)?,
                mode: mode.parse().map_err(named)?,
            }),
            ["patterns", pattern] => Ok(GroupId::Pattern(pattern.parse().map_err(named)?)),
            _ => Err(bad("no group has this layout".to_owned())),
        }
    }
}

/// Which contender a bench runs: one of ours or of musli 0.0.122's
/// ([`Kind`]), or musli 0.2's ([`NextKind`]) beside them in the replayed
/// traces or alone in a musli 0.2 group. A name means a contender within
/// its group: `stack` in `musli-0.2/...` is ours on musli 0.2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContenderId {
    /// A contender behind musli 0.0.122's allocator trait.
    Kind(Kind),
    /// musli 0.2's allocators, replaying traces, named by version
    /// (`stack-0.2`, `musli-0.2-slice`, ...).
    Next(NextKind),
    /// musli 0.2's allocators in a musli 0.2 group, named plainly
    /// (`stack`, `musli-slice`, ...).
    OnNext(NextKind),
}

impl ContenderId {
    /// Its name in bench IDs.
    pub fn name(self) -> &'static str {
        match self {
            ContenderId::Kind(kind) => kind.name(),
            ContenderId::Next(next) => next.name(),
            ContenderId::OnNext(next) => next.plain_name(),
        }
    }

    /// Whether it is this crate's allocator, through either version's
    /// trait: `stack`, `stack-spill`, `stack-0.2` or `stack-spill-0.2`.
    pub fn is_ours(self) -> bool {
        matches!(
            self,
            ContenderId::Kind(Kind::Stack | Kind::StackSpill)
                | ContenderId::Next(NextKind::Stack | NextKind::StackSpill)
                | ContenderId::OnNext(NextKind::Stack | NextKind::StackSpill)
        )
    }
}

impl From<Kind> for ContenderId {
    fn from(kind: Kind) -> Self {
        ContenderId::Kind(kind)
    }
}

impl fmt::Display for ContenderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One bench: a contender in a group, `{group}/{contender}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BenchId {
    /// Its group: criterion's group name.
    pub group: GroupId,
    /// Its contender: criterion's function name.
    pub contender: ContenderId,
}

impl fmt::Display for BenchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.group, self.contender)
    }
}

impl FromStr for BenchId {
    type Err = BadId;

    fn from_str(given: &str) -> Result<Self, BadId> {
        let (group, contender) = given.rsplit_once('/').ok_or_else(|| BadId {
            given: given.to_owned(),
            reason: "it has no `/`".to_owned(),
        })?;
        let group: GroupId = group.parse().map_err(|error: BadId| BadId {
            given: given.to_owned(),
            reason: error.reason,
        })?;
        let contender = group.contender(contender).map_err(|error| BadId {
            given: given.to_owned(),
            reason: error.to_string(),
        })?;
        Ok(BenchId { group, contender })
    }
}

impl serde::Serialize for BenchId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_id_parses_back_to_itself() {
        for text in [
            "encode/wire/default/geo/stack",
            "encode/descriptive/packed/default/musli-system",
            "encode/storage/packed/my-orders/floor",
            "patterns/replay/messages/packed/musli-0.2-slice",
            "patterns/replay/default/default/stack-spill",
            "patterns/interleaved_k4/bumpalo",
        ] {
            let id: BenchId = text.parse().unwrap_or_else(|error| panic!("{error}"));
            assert_eq!(id.to_string(), text);
        }
    }

    #[test]
    fn parts_are_read_by_position_not_by_search() {
        // A dataset named like a mode is a dataset.
        let id: BenchId = "encode/wire/packed/default/stack".parse().expect("an ID");
        assert_eq!(id.group.dataset(), Some("default"));
        assert_eq!(
            id.group,
            GroupId::Encode {
                format: Format::Wire,
                mode: Mode::Packed,
                dataset: "default".to_owned()
            }
        );
        assert!(id.contender.is_ours());
        let other: BenchId = "encode/wire/packed/stack/musli-system"
            .parse()
            .expect("an ID");
        assert!(!other.contender.is_ours(), "a dataset named stack");
        let next: BenchId = "patterns/replay/geo/packed/stack-0.2"
            .parse()
            .expect("an ID");
        assert!(next.contender.is_ours());
    }

    #[test]
    fn a_bad_id_says_which_part_is_wrong() {
        let error = |text: &str| text.parse::<BenchId>().expect_err(text).to_string();
        assert!(error("encode/wire/default/geo/malloc").contains("unknown contender \"malloc\""));
        assert!(error("encode/json/default/geo/stack").contains("unknown format \"json\""));
        assert!(error("encode/wire/default/stack").contains("no group has this layout"));
        assert!(error("patterns/zigzag/stack").contains("unknown pattern"));
        assert!(error("stack").contains("no `/`"));
        assert!(error("encode/wire/default//stack").contains("dataset is empty"));
        assert!(error("x/stack").contains("accepted: encode/FORMAT/MODE/DATASET/CONTENDER"));
    }
}
