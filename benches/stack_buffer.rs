//! `stack_buffer/{dataset}`: the time to encode a dataset against the size
//! of the slice, from 512 B to 64 KiB and the dataset's exact minimum, to
//! choose `DEFAULT_STACK_BUFFER`.
//!
//! `stack-spill` runs at every size: below the minimum it spills to the
//! heap, and the curve shows what that costs. `stack` runs where it fits.
//! Bench IDs are `stack_buffer/{dataset}/{contender}/{mode}/{bytes}`, all in
//! the `wire` format, with the size as criterion's numeric parameter and no
//! throughput, so that criterion draws time against size. The sweep is
//! defined in `musli_alloc_bench::groups::Sweep`.

mod common;

use criterion::BenchmarkId;

fn main() {
    let mut criterion = common::criterion();

    for sweep in common::suite().sweep_groups() {
        let mut group = criterion.benchmark_group(sweep.id());
        for point in sweep.points() {
            let mut runner = None;
            let id = BenchmarkId::new(point.function(), point.size);
            group.bench_function(id, |bencher| {
                let runner = runner.get_or_insert_with(|| {
                    sweep
                        .runner(point)
                        .unwrap_or_else(|error| panic!("{error}"))
                });
                bencher.iter(|| (runner.run)());
            });
        }
        group.finish();
    }

    criterion.final_summary();
}
