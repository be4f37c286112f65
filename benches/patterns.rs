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
//!   These are in `src/patterns.rs`, where `profile` reaches them too.
//! * `patterns/placement`: `stack` encoding `geo` (wire, default) with its
//!   slice at the same page offset as the output vector, and 2048 bytes
//!   apart.
//! * `patterns/replay/{dataset}/{mode}`: the exact allocator calls of each
//!   dataset's `wire` encode, replayed on every contender and on musli 0.2's
//!   `Slice` and `Global`.

mod common;

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use musli_alloc_bench::HeapBuffer;
use musli_alloc_bench::contenders::StackContender;
use musli_alloc_bench::datasets::{DEFAULT_SEED, Dataset, Name};
use musli_alloc_bench::format::{Format, Mode};
use musli_alloc_bench::groups::{PLACEMENT, Suite};
use musli_alloc_bench::workload::Workload;

fn main() {
    let mut criterion = common::criterion();

    for group in Suite::pattern_groups() {
        common::bench_group(&mut criterion, &group);
    }
    placement(&mut criterion);
    for group in common::suite().replay_groups() {
        common::bench_group(&mut criterion, &group);
    }

    criterion.final_summary();
}

/// The same encode with the Stack's slice at the output's page offset, and
/// 2048 bytes away from it.
fn placement(criterion: &mut Criterion) {
    let dataset = Dataset::generate(Name::Geo, DEFAULT_SEED, 1.0);
    let workload = Workload::new(&dataset, Format::Wire, Mode::Default);
    let output = workload.output().expect("musli's System never runs out");
    let mut out = Vec::with_capacity(output.len());
    let out_offset = out.as_ptr() as usize % 4096 / 8 * 8;

    let mut group = criterion.benchmark_group(PLACEMENT);
    group.throughput(Throughput::Bytes(output.len() as u64));
    for (id, offset) in [
        ("same_page_offset", out_offset),
        ("offset_by_2048", (out_offset + 2048) % 4096),
    ] {
        let mut contender = StackContender::on(HeapBuffer::at_page_offset(64 * 1024, offset));
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
