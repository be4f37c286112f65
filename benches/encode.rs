//! `encode/{format}/{mode}/{dataset}`: the time to encode a whole dataset,
//! each value on a fresh allocator, one bench per contender; and
//! `musli-0.2/encode/{format}/{mode}/{dataset}`, the same with musli 0.2.

mod common;

use musli_alloc_bench::format::Format;
use musli_alloc_bench::names::Named;

fn main() {
    let mut criterion = common::criterion();
    let suite = common::suite();

    let groups = suite.encode_groups(Format::ALL);
    for group in groups.iter().chain(&suite.next_encode_groups(Format::ALL)) {
        common::bench_group(&mut criterion, group);
    }

    criterion.final_summary();
}
