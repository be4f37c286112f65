//! The control line of the report: how far `stack` and `musli-system`
//! differ where neither allocates (the `storage` groups).

use crate::contenders::Kind;
use crate::format::Format;
use crate::groups::{Group, Suite};

use super::ratios::ratio;
use super::source::Figures;

/// A line on how far `stack` and `musli-system` stray apart where neither
/// allocates (the `storage` groups), when those were measured: ratios that
/// differ from 1.00 by as much tell nothing about the allocators.
pub(super) fn storage_control(suite: &Suite, per_run: &Figures<'_>) -> String {
    let ratios: Vec<f64> = suite
        .encode_groups(&[Format::Storage])
        .iter()
        .map(Group::id)
        .filter_map(|group| {
            ratio(
                per_run(&group.bench(Kind::Stack)),
                per_run(&group.bench(Kind::MusliSystem)),
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
         `stack` / `musli-system` ranges from {low:.2} to {high:.2} in these figures.\n",
        ratios.len()
    )
}
