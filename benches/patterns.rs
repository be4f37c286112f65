//! `patterns/...`: allocator work alone, without an encoder.
//!
//! * `patterns/tail_growth`: one buffer grown to 64 KiB by writes of 1 to 16
//!   bytes.
//! * `patterns/churn`: 1,000 short-lived buffers, each written three times.
//! * `patterns/nested_merge`: buffers nested 16 deep, each merged back into
//!   its parent with `write_buffer` in LIFO order, 64 times over.
//! * `patterns/interleaved_k{2,4,8}`: k buffers written 8 bytes at a time in
//!   turn, 64 KiB in all.
//!
//!   These four are in `src/patterns.rs`, where `profile` reaches them too.
//! * `patterns/placement`: `stack` encoding `geo` (wire, default) with its
//!   slice at the same page offset as the output vector, and 2048 bytes
//!   apart.
//! * `patterns/replay/{dataset}/{mode}`: the exact allocator calls of each
//!   dataset's `wire` encode, replayed on every contender and on musli 0.2's
//!   `Slice` and `Global`.

mod common;

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput};
use musli_alloc_bench::HeapBuffer;
use musli_alloc_bench::contenders::{Contender, Kind, StackFixed, Task};
use musli_alloc_bench::datasets::Name;
use musli_alloc_bench::format::{Format, Mode};
use musli_alloc_bench::patterns::{
    Churn, Interleaved, NestedMerge, Pattern, SIZING, TOTAL, TailGrowth,
};
use musli_alloc_bench::trace::{Replay, Trace, musli_next_slice_len, replay_next};
use musli_alloc_bench::workload::Workload;

fn main() {
    let mut criterion = common::criterion();

    // Each pattern's own type, not the `Pattern` that `profile` takes, so
    // that no dispatch sits in the timed loop.
    synthetic(&mut criterion, Pattern::TailGrowth, TailGrowth);
    synthetic(&mut criterion, Pattern::Churn, Churn);
    synthetic(&mut criterion, Pattern::NestedMerge, NestedMerge);
    synthetic(
        &mut criterion,
        Pattern::InterleavedK2,
        Interleaved { ways: 2 },
    );
    synthetic(
        &mut criterion,
        Pattern::InterleavedK4,
        Interleaved { ways: 4 },
    );
    synthetic(
        &mut criterion,
        Pattern::InterleavedK8,
        Interleaved { ways: 8 },
    );
    placement(&mut criterion);
    for dataset in &common::datasets() {
        for mode in Mode::ALL {
            replay(&mut criterion, Workload::new(dataset, Format::Wire, mode));
        }
    }

    criterion.final_summary();
}

/// One group: a synthetic pattern on every contender, `task` being the
/// `pattern`'s own type.
fn synthetic<P: Task<Output = usize> + Copy>(criterion: &mut Criterion, pattern: Pattern, task: P) {
    let mut group = criterion.benchmark_group(format!("patterns/{}", pattern.name()));
    group.throughput(Throughput::Bytes(TOTAL as u64));
    for kind in Kind::ALL {
        let mut contender = kind.build(&SIZING);
        group.bench_function(kind.name(), |bencher| {
            bencher.iter(|| assert_eq!(contender.run(black_box(task)), TOTAL))
        });
    }
    group.finish();
}

/// The same encode with the Stack's slice at the output's page offset, and
/// 2048 bytes away from it.
fn placement(criterion: &mut Criterion) {
    let dataset = musli_alloc_bench::datasets::Dataset::generate(
        Name::Geo,
        musli_alloc_bench::datasets::DEFAULT_SEED,
        1.0,
    );
    let workload = Workload::new(&dataset, Format::Wire, Mode::Default);
    let output = workload.output().expect("musli's System never runs out");
    let mut out = Vec::with_capacity(output.len());
    let out_offset = out.as_ptr() as usize % 4096 / 8 * 8;

    let mut group = criterion.benchmark_group("patterns/placement");
    group.throughput(Throughput::Bytes(output.len() as u64));
    for (id, offset) in [
        ("same_page_offset", out_offset),
        ("offset_by_2048", (out_offset + 2048) % 4096),
    ] {
        let mut contender = StackFixed::on(HeapBuffer::at_page_offset(64 * 1024, offset));
        group.bench_function(id, |bencher| {
            bencher.iter(|| {
                out.clear();
                workload.encode(&mut contender, &mut out).expect("fits");
                black_box(&out);
            })
        });
    }
    group.finish();
}

/// One group: a dataset's trace replayed on every contender.
fn replay(criterion: &mut Criterion, workload: Workload<'_>) {
    let trace = workload.trace().expect("musli's System never runs out");
    if trace.ops.is_empty() {
        return;
    }
    let source = trace.source();
    let sizing = workload.sizing().expect("sizing runs on System");

    let mut group = criterion.benchmark_group(format!(
        "patterns/replay/{}/{}",
        workload.dataset.name(),
        workload.mode
    ));
    group.throughput(Throughput::Bytes(trace.bytes_written()));

    for kind in Kind::ALL {
        let mut contender = kind.build(&sizing);
        let replay = || Replay {
            trace: &trace,
            source: &source,
        };
        group.bench_function(kind.name(), |bencher| {
            bencher.iter(|| assert_eq!(contender.run(replay()), 0))
        });
    }
    replay_on_musli_next(&mut group, &trace, &source, sizing.stack_slice);
    group.finish();
}

/// musli 0.2's allocators, which have another `Allocator` trait.
fn replay_on_musli_next(
    group: &mut BenchmarkGroup<'_, WallTime>,
    trace: &Trace,
    source: &[u8],
    slice_len: usize,
) {
    let mut slice = HeapBuffer::new(musli_next_slice_len(slice_len));
    group.bench_function("musli-next-slice", |bencher| {
        bencher.iter(|| {
            let alloc = musli_next::alloc::Slice::new(&mut *slice);
            assert_eq!(replay_next(&alloc, trace, source), 0)
        })
    });
    group.bench_function("musli-next-global", |bencher| {
        bencher.iter(|| {
            assert_eq!(
                replay_next(musli_next::alloc::Global::new(), trace, source),
                0
            )
        })
    });
}
