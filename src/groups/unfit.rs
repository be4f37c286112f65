//! Why a contender has no runner in a group: the reasons `Group::runner`
//! turns into a `GroupError` naming the bench.

use std::fmt;

use crate::format::EncodeFailed;

use super::GroupError;

/// Why a contender has no runner in a group.
pub(super) enum Unfit {
    /// The group's own work failed: its reference or its sizing.
    Group(GroupError),
    /// The contender is not one of the group's.
    NotHere,
    /// An encode wrote other bytes than the reference.
    OtherBytes,
    /// An encode failed.
    Failed(EncodeFailed),
    /// Calls of a replay failed.
    CallsFailed,
    /// A pattern wrote other than its total.
    Pattern,
}

impl From<GroupError> for Unfit {
    fn from(error: GroupError) -> Self {
        Unfit::Group(error)
    }
}

impl From<EncodeFailed> for Unfit {
    fn from(error: EncodeFailed) -> Self {
        Unfit::Failed(error)
    }
}

impl fmt::Display for Unfit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unfit::Group(error) => error.fmt(f),
            Unfit::NotHere => f.write_str("not a contender of this group"),
            Unfit::OtherBytes => f.write_str("wrote other bytes than the reference"),
            Unfit::Failed(error) => error.fmt(f),
            Unfit::CallsFailed => f.write_str("calls failed"),
            Unfit::Pattern => f.write_str("wrote other than the pattern's total"),
        }
    }
}
