//! Names of things the suite measures, as they appear in bench IDs, reports
//! and on the command line.
//!
//! Each kind of name (formats, modes, datasets, contenders, patterns) is an
//! enum that derives its names, its list and its parsing with `strum`; the
//! [`Named`] trait gives them one interface, and parsing one that does not
//! exist gives an [`UnknownName`] that lists the accepted ones.

use std::fmt;

use strum::VariantArray;

/// An enum of names: `name()` and `ALL` for every kind of name the suite
/// has.
pub trait Named: Copy + Eq + VariantArray + Into<&'static str> + 'static {
    /// What the names are of, for error messages: `"format"`, `"dataset"`...
    const WHAT: &'static str;

    /// Every value, in report order.
    const ALL: &'static [Self] = Self::VARIANTS;

    /// The name used in bench IDs, reports and on the command line.
    fn name(self) -> &'static str {
        self.into()
    }
}

/// A name that is none of the accepted ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
    /// What the name was for: "format", "mode", ...
    pub kind: &'static str,
    /// The name given.
    pub given: String,
    /// The names accepted.
    pub accepted: Vec<&'static str>,
}

/// The error of parsing `given` as a `T` that has no such name: what
/// strum's `FromStr` gives back (its `parse_err_fn`).
pub fn unknown<T: Named>(given: &str) -> UnknownName {
    UnknownName {
        kind: T::WHAT,
        given: given.to_owned(),
        accepted: T::ALL.iter().map(|&value| value.name()).collect(),
    }
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} {:?}; accepted: {}",
            self.kind,
            self.given,
            self.accepted.join(", ")
        )
    }
}

impl std::error::Error for UnknownName {}

#[cfg(test)]
mod tests {
    use super::{Named, UnknownName};
    use crate::contenders::{Kind, NextKind};
    use crate::datasets::Name;
    use crate::format::{Format, Mode};
    use crate::patterns::Pattern;

    /// Every name parses back to its value, and a wrong one is refused
    /// with the list of accepted names.
    fn round_trip<T>()
    where
        T: Named + std::fmt::Debug + std::fmt::Display + std::str::FromStr<Err = UnknownName>,
    {
        for &value in T::ALL {
            assert_eq!(value.name().parse::<T>(), Ok(value));
            assert_eq!(value.to_string(), value.name());
        }
        let error = "no-such-name".parse::<T>().expect_err("not a name");
        assert_eq!(error.kind, T::WHAT);
        assert_eq!(error.accepted.len(), T::ALL.len());
        assert!(
            error.to_string().contains(T::ALL[0].name()),
            "{error}: lists the names"
        );
    }

    #[test]
    fn every_name_parses_back_and_a_wrong_one_lists_the_right_ones() {
        round_trip::<Format>();
        round_trip::<Mode>();
        round_trip::<Name>();
        round_trip::<Kind>();
        round_trip::<NextKind>();
        round_trip::<Pattern>();
    }

    #[test]
    fn the_names_are_those_of_the_bench_ids() {
        let names = |all: &[&'static str]| all.join(" ");
        let of = |values: Vec<&'static str>| names(&values);
        assert_eq!(
            of(Kind::ALL.iter().map(|kind| kind.name()).collect()),
            "stack stack-spill musli-stack musli-system bumpalo floor"
        );
        assert_eq!(
            of(NextKind::ALL.iter().map(|kind| kind.name()).collect()),
            "stack-0.2 stack-spill-0.2 musli-0.2-slice musli-0.2-global"
        );
        assert_eq!(
            of(Pattern::ALL.iter().map(|pattern| pattern.name()).collect()),
            "tail_growth churn nested_merge interleaved_k2 interleaved_k4 interleaved_k8"
        );
        assert_eq!(
            of(Name::ALL.iter().map(|name| name.name()).collect()),
            "geo social catalog mesh log messages"
        );
        assert_eq!(
            of(Format::ALL.iter().map(|format| format.name()).collect()),
            "wire descriptive storage"
        );
    }
}
