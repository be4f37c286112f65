//! `encode/{format}/{mode}/{dataset}`: the time to encode a whole dataset,
//! each value on a fresh allocator, one bench per contender.

mod common;

use std::cell::OnceCell;
use std::hint::black_box;

use criterion::{Criterion, Throughput};
use musli_alloc_bench::contenders::{AnyContender, Kind};
use musli_alloc_bench::format::{Format, Mode};
use musli_alloc_bench::workload::Workload;

fn main() {
    let mut criterion = common::criterion();
    let datasets = common::datasets();

    for format in Format::ALL {
        for mode in Mode::ALL {
            for dataset in &datasets {
                encode(&mut criterion, Workload::new(dataset, format, mode));
            }
        }
    }

    criterion.final_summary();
}

/// One group: every contender on one workload.
fn encode(criterion: &mut Criterion, workload: Workload<'_>) {
    let Workload {
        dataset,
        format,
        mode,
    } = workload;
    let output = workload.output().expect("musli's System never runs out");

    let mut group = criterion.benchmark_group(format!("encode/{format}/{mode}/{}", dataset.name()));
    group.throughput(Throughput::Bytes(output.len() as u64));

    // Sizing a workload encodes it a few dozen times; only do it if a bench
    // of this group is selected by the filter, and only once.
    let sizing = OnceCell::new();

    for kind in Kind::ALL {
        let mut contender: Option<AnyContender> = None;
        let mut out = Vec::with_capacity(output.len());

        group.bench_function(kind.name(), |bencher| {
            let contender = contender.get_or_insert_with(|| {
                kind.build(sizing.get_or_init(|| workload.sizing().expect("sizing runs on System")))
            });

            bencher.iter(|| {
                out.clear();
                workload.encode(contender, &mut out).expect("sized to fit");
                black_box(&out);
            });

            assert!(out == output, "{kind} wrote other bytes");
        });
    }

    group.finish();
}
