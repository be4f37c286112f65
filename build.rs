//! Reads `DEFAULT_STACK_BUFFER` from the build environment and hands the
//! checked value to the crate as `MUSLI_ALLOC_BENCH_DEFAULT_STACK_BUFFER`.

use std::env;
use std::process::ExitCode;

/// Used when the build does not set `DEFAULT_STACK_BUFFER`.
const FALLBACK: usize = 4096;

/// The Stack addresses its slice with 32-bit offsets.
const LARGEST: usize = u32::MAX as usize & !7;

fn main() -> ExitCode {
    println!("cargo:rerun-if-env-changed=DEFAULT_STACK_BUFFER");

    let size = match env::var("DEFAULT_STACK_BUFFER") {
        Err(env::VarError::NotPresent) => FALLBACK,
        Err(env::VarError::NotUnicode(raw)) => {
            return reject(&format!("{raw:?} is not valid Unicode"));
        }
        Ok(text) => match parse(text.trim()) {
            Ok(size) => size,
            Err(why) => return reject(&format!("{text:?} {why}")),
        },
    };

    println!("cargo:rustc-env=MUSLI_ALLOC_BENCH_DEFAULT_STACK_BUFFER={size}");
    ExitCode::SUCCESS
}

fn parse(text: &str) -> Result<usize, &'static str> {
    let size: usize = text.parse().map_err(|_| "is not a whole number")?;

    if size == 0 {
        return Err("is zero");
    }

    if !size.is_multiple_of(8) {
        return Err("is not a multiple of 8");
    }

    if size > LARGEST {
        return Err("is larger than the Stack can address");
    }

    Ok(size)
}

fn reject(why: &str) -> ExitCode {
    eprintln!(
        "error: DEFAULT_STACK_BUFFER={why}; accepted: a positive multiple of 8 up to {LARGEST} bytes (for example 4096 or 16384)"
    );
    ExitCode::FAILURE
}
