//! `stack_buffer/{dataset}`: `stack` on slices from 512 B to 64 KiB and on
//! the dataset's exact minimum, to choose `DEFAULT_STACK_BUFFER`.
//!
//! Bench IDs are `stack_buffer/{dataset}/{mode}/{bytes}`, all in the `wire`
//! format. A size too small for the workload is reported once and not
//! timed.

mod common;

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Throughput};
use musli_alloc_bench::HeapBuffer;
use musli_alloc_bench::contenders::{Kind, StackContender};
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

    group.throughput(Throughput::Bytes(output.len() as u64));
    for size in sizes {
        let id = format!("{}/{size}", workload.mode);
        if size < minimum {
            eprintln!(
                "{}/{id}: too small, needs {minimum} bytes; not timed",
                group_name(workload)
            );
            continue;
        }

        let mut contender = StackContender::on(HeapBuffer::new(size));
        let mut out = Vec::with_capacity(output.len());
        group.bench_function(id, |bencher| {
            bencher.iter(|| {
                out.clear();
                workload.encode(&mut contender, &mut out).expect("fits");
                black_box(&out);
            })
        });
    }
}

fn group_name(workload: Workload<'_>) -> String {
    format!("stack_buffer/{}", workload.dataset.name())
}
