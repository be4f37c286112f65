//! `stack_buffer/{dataset}`: the `wire` encode of a dataset against the
//! size of the slice, for criterion alone (`benches/stack_buffer.rs`).

use std::hint::black_box;

use crate::HeapBuffer;
use crate::contenders::{Contender, Kind, SpillStackContender, StackContender};
use crate::format::{Format, Mode};
use crate::names::Named;
use crate::sizing::SliceAllocator;
use crate::workload::Workload;

use super::{Entry, GroupError, Runner};

/// Slice sizes of the `stack_buffer` sweep besides the dataset's own
/// minimum: powers of two from 512 B to 64 KiB.
pub const SWEEP_SIZES: [usize; 8] = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];

/// `stack_buffer/{dataset}`: the `wire` encode at slice sizes from 512 B to
/// 64 KiB and the dataset's exact minimum, in both modes. `stack-spill`
/// runs at every size (below the minimum it spills), `stack` where it fits.
pub struct Sweep<'d> {
    /// The dataset.
    pub entry: &'d Entry,
}

/// One bench of a [`Sweep`]: a contender at one size in one mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SweepPoint {
    /// `stack` or `stack-spill`.
    pub contender: Kind,
    /// The mode.
    pub mode: Mode,
    /// The slice's length in bytes.
    pub size: usize,
}

impl SweepPoint {
    /// The bench function's name, before the size: `{contender}/{mode}`.
    pub fn function(&self) -> String {
        format!("{}/{}", self.contender, self.mode)
    }
}

impl<'d> Sweep<'d> {
    /// The group's ID.
    pub fn id(&self) -> String {
        format!("stack_buffer/{}", self.entry.label)
    }

    /// The workload of `mode`.
    pub fn workload(&self, mode: Mode) -> Workload<'d> {
        Workload::new(&self.entry.dataset, Format::Wire, mode)
    }

    /// Every bench of the sweep, in order: per mode, `stack-spill` at each
    /// size, then `stack` at each size it fits.
    pub fn points(&self) -> Vec<SweepPoint> {
        let mut points = Vec::new();
        for &mode in Mode::ALL {
            let minimum = self
                .workload(mode)
                .min_slices(SliceAllocator::Stack)
                .into_iter()
                .max()
                .unwrap_or(0);
            let mut sizes = SWEEP_SIZES.to_vec();
            sizes.push(minimum);
            sizes.sort_unstable();
            sizes.dedup();

            for &size in &sizes {
                points.push(SweepPoint {
                    contender: Kind::StackSpill,
                    mode,
                    size,
                });
            }
            for &size in sizes.iter().filter(|&&size| size >= minimum) {
                points.push(SweepPoint {
                    contender: Kind::Stack,
                    mode,
                    size,
                });
            }
        }
        points
    }

    /// The runner of `point`, after one run that checks its output.
    pub fn runner(&self, point: SweepPoint) -> Result<Runner<'d, String>, GroupError> {
        let id = format!("{}/{}/{}", self.id(), point.function(), point.size);
        let slice = HeapBuffer::new(point.size);
        let workload = self.workload(point.mode);
        match point.contender {
            Kind::Stack => sweep_runner(id, workload, StackContender::on(slice)),
            Kind::StackSpill => sweep_runner(id, workload, SpillStackContender::on(slice)),
            other => Err(GroupError(format!(
                "{id}: {other} does not serve from a slice of a chosen size"
            ))),
        }
    }
}

/// The runner of `contender` encoding `workload`, under `id`, after one
/// run that checks its output.
fn sweep_runner<'d>(
    id: String,
    workload: Workload<'d>,
    mut contender: impl Contender + 'd,
) -> Result<Runner<'d, String>, GroupError> {
    let expected = workload.output()?;
    let mut out = Vec::with_capacity(expected.len());
    workload.encode(&mut contender, &mut out)?;
    if out != expected {
        return Err(GroupError(format!("{id}: wrote other bytes")));
    }
    Ok(Runner {
        id,
        run: Box::new(move || {
            out.clear();
            workload
                .encode(&mut contender, &mut out)
                .expect("stack runs where it fits, stack-spill everywhere");
            black_box(&out);
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::groups::tests::small_suite;

    #[test]
    fn a_sweep_runs_stack_only_where_it_fits() {
        let suite = small_suite();
        let sweep = &suite.sweep_groups()[0];
        let points = sweep.points();
        for &mode in Mode::ALL {
            let minimum = sweep
                .workload(mode)
                .min_slices(SliceAllocator::Stack)
                .into_iter()
                .max()
                .expect("the dataset has values");
            let of = |kind| {
                points
                    .iter()
                    .filter(|point| point.mode == mode && point.contender == kind)
                    .map(|point| point.size)
                    .collect::<Vec<_>>()
            };
            let spilling = of(Kind::StackSpill);
            assert!(spilling.contains(&minimum) && spilling.contains(&512));
            assert!(of(Kind::Stack).iter().all(|&size| size >= minimum));
            assert_eq!(of(Kind::Stack)[0], minimum);
        }
        for point in points.iter().filter(|point| point.size == 512) {
            let mut runner = sweep.runner(*point).expect("spills where it must");
            (runner.run)();
        }
    }
}
