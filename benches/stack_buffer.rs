//! `stack_buffer/{dataset}`: the time to encode a dataset against the size
//! of the slice, from 512 B to 64 KiB and the dataset's exact minimum, to
//! choose `DEFAULT_STACK_BUFFER`.
//!
//! `stack-spill` runs at every size: below the minimum it spills to the
//! heap, and the curve shows what that costs. `stack` runs where it fits.
//! Bench IDs are `stack_buffer/{dataset}/{contender}/{mode}/{bytes}`, all in
//! the `wire` format, with the size as criterion's numeric parameter and no
//! throughput, so that criterion draws time against size.

mod common;

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId};
use musli_alloc_bench::HeapBuffer;
use musli_alloc_bench::contenders::{Contender, Kind, StackFixed, StackSpill};
use musli_alloc_bench::format::{Format, Mode};
use musli_alloc_bench::workload::Workload;

/// Powers of two from 512 B to 64 KiB.
const SIZES: [usize; 8] = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];

fn main() {
    let mut criterion = common::criterion();

    for dataset in &common::datasets() {
        let mut group = criterion.benchmark_group(format!("stack_buffer/{}", dataset.name()));
        for mode in Mode::ALL {
            let workload = Workload::new(dataset, Format::Wire, mode);
            stack_buffer(&mut group, workload);
        }
        group.finish();
    }

    criterion.final_summary();
}

/// Every size for one workload.
fn stack_buffer(group: &mut BenchmarkGroup<'_, WallTime>, workload: Workload<'_>) {
    let output = workload.output().expect("musli's System never runs out");
    let minimum = workload
        .min_slices(Kind::Stack)
        .and_then(|sizes| sizes.into_iter().max())
        .expect("stack serves from a slice");

    let mut sizes = SIZES.to_vec();
    sizes.push(minimum);
    sizes.sort_unstable();
    sizes.dedup();

    for &size in &sizes {
        let contender = StackSpill::on(HeapBuffer::new(size));
        bench_size(group, workload, size, &output, contender);
    }
    for &size in sizes.iter().filter(|&&size| size >= minimum) {
        let contender = StackFixed::on(HeapBuffer::new(size));
        bench_size(group, workload, size, &output, contender);
    }
}

/// `contender`, on a slice of `size` bytes, encoding `workload`.
fn bench_size(
    group: &mut BenchmarkGroup<'_, WallTime>,
    workload: Workload<'_>,
    size: usize,
    output: &[u8],
    mut contender: impl Contender,
) {
    let name = contender.name();
    let mut out = Vec::with_capacity(output.len());
    let id = BenchmarkId::new(format!("{name}/{}", workload.mode), size);
    group.bench_function(id, |bencher| {
        bencher.iter(|| {
            out.clear();
            workload
                .encode(&mut contender, &mut out)
                .expect("stack runs where it fits, stack-spill everywhere");
            black_box(&out);
        })
    });
    assert!(
        out.is_empty() || out == output,
        "{name} on {size} bytes wrote other bytes"
    );
}
