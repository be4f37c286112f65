//! Every contender produces the bytes musli's `System` does, and they decode
//! back to the value encoded.

use musli_alloc_bench::HeapBuffer;
use musli_alloc_bench::contenders::{Contender, Kind, SpillStackContender};
use musli_alloc_bench::datasets::{DEFAULT_SEED, Dataset, Name, Visitor};
use musli_alloc_bench::format::{Format, Mode, Value, decode};
use musli_alloc_bench::names::Named;
use musli_alloc_bench::sizing::Sizing;
use musli_alloc_bench::workload::Workload;

/// Small enough for debug builds, large enough for every field and a few
/// thousand buffers.
const SCALE: f64 = 0.1;

/// Decodes `bytes` as one value after another and compares them with the
/// values encoded.
struct DecodesTo<'a> {
    bytes: &'a [u8],
    format: Format,
    mode: Mode,
}

impl Visitor for DecodesTo<'_> {
    type Output = ();

    fn visit<T: Value>(self, values: &[T]) {
        let mut rest = self.bytes;
        for (at, expected) in values.iter().enumerate() {
            let (decoded, after): (T, _) = decode(self.format, self.mode, rest)
                .unwrap_or_else(|error| panic!("value {at}: {error}"));
            assert!(&decoded == expected, "value {at} decodes to something else");
            rest = after;
        }
        assert!(rest.is_empty(), "{} bytes left over", rest.len());
    }
}

#[test]
fn every_contender_writes_the_same_bytes_and_they_decode_back() {
    for &name in Name::ALL {
        let dataset = Dataset::generate(name, DEFAULT_SEED, SCALE);
        for &format in Format::ALL {
            for &mode in Mode::ALL {
                let workload = Workload::new(&dataset, format, mode);
                let reference = workload.output().unwrap();
                dataset.visit(DecodesTo {
                    bytes: &reference,
                    format,
                    mode,
                });

                let sizing = workload.sizing().unwrap();
                for &kind in Kind::ALL {
                    let mut contender = kind.build(&sizing);
                    let mut out = Vec::new();
                    workload
                        .encode(&mut contender, &mut out)
                        .unwrap_or_else(|error| panic!("{name}/{format}/{mode}/{kind}: {error}"));
                    assert!(
                        out == reference,
                        "{name}/{format}/{mode}/{kind}: bytes differ"
                    );
                }
            }
        }
    }
}

#[test]
fn contenders_built_too_small_fail_cleanly() {
    let dataset = Dataset::generate(Name::Catalog, DEFAULT_SEED, SCALE);
    let workload = Workload::new(&dataset, Format::Wire, Mode::Packed);
    let sizing = workload.sizing().unwrap();

    let tight = Sizing {
        stack_slice: sizing.stack_slice - 8,
        musli_stack_slice: sizing.musli_stack_slice - 8,
        max_buffer_len: sizing.max_buffer_len - 1,
        ..sizing
    };
    // On the heap only when larger than the default buffer; this one is.
    assert!(tight.stack_slice > musli_alloc_bench::DEFAULT_STACK_BUFFER);

    for kind in [Kind::Stack, Kind::MusliStack, Kind::Floor] {
        let mut out = Vec::new();
        let result = workload.encode(&mut kind.build(&tight), &mut out);
        assert!(result.is_err(), "{kind} should run out");
        let mut out = Vec::new();
        assert!(
            workload.encode(&mut kind.build(&sizing), &mut out).is_ok(),
            "{kind}"
        );
    }
}

#[test]
fn a_spill_stack_writes_the_same_bytes_on_any_slice() {
    for &name in Name::ALL {
        let dataset = Dataset::generate(name, DEFAULT_SEED, SCALE);
        for format in [Format::Wire, Format::Descriptive] {
            for &mode in Mode::ALL {
                let workload = Workload::new(&dataset, format, mode);
                let reference = workload.output().unwrap();
                let minimum = workload.sizing().unwrap().stack_slice;

                for size in [0, 512, 4096, minimum] {
                    let what = format!("{name}/{format}/{mode} on {size} bytes");
                    let mut contender = SpillStackContender::on(HeapBuffer::new(size));
                    let (counts, out) = workload
                        .count(&mut contender)
                        .unwrap_or_else(|error| panic!("{what}: {error}"));
                    assert!(out == reference, "{what}: bytes differ");
                    assert_eq!(
                        counts.failed_allocations + counts.failed_writes,
                        0,
                        "{what}"
                    );

                    // Below the minimum something spills; at it, nothing.
                    let spills = contender.spills().spills;
                    if size >= minimum {
                        assert_eq!(spills, 0, "{what}");
                    } else {
                        assert!(spills > 0, "{what}");
                    }
                }
            }
        }
    }
}
