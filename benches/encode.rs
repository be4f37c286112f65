//! `encode/{format}/{mode}/{dataset}`: the time to encode a whole dataset,
//! each value on a fresh allocator, one bench per contender.

mod common;

use musli_alloc_bench::format::Format;
use musli_alloc_bench::names::Named;

fn main() {
    let mut criterion = common::criterion();
    let suite = common::suite();

    for group in suite.encode_groups(Format::ALL) {
        common::bench_group(&mut criterion, &group);
    }

    criterion.final_summary();
}
