//! What a JSON file must be before it is parsed: not too large, not empty,
//! not nested too deep, and no number that none of JSON's kinds holds.
//!
//! The parser and the generic model ([`super::generic`]) recurse once per
//! level of nesting, so depth is bounded here, by a scan that does not
//! recurse: a file nested a hundred thousand levels deep is refused with a
//! line, never a stack overflow. Numbers are checked on their text because
//! `serde_json` reads an integer past `u64::MAX` as a float, silently.

use std::num::IntErrorKind;

/// The most levels of arrays and objects inside each other that a file
/// may have. Real documents stay far below it (the public corpora the
/// typed datasets mirror nest at most 8 deep); the tests encode a document
/// this deep through every contender, in a test thread's stack.
pub const MAX_DEPTH: usize = 64;

/// The largest file read, in bytes: parsed, a document takes several times
/// its size in memory, and the typed datasets are about 1 MB.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Refuses a file of `bytes` bytes, before it is read.
pub fn check_size(bytes: u64) -> Result<(), String> {
    if bytes > MAX_FILE_BYTES {
        return Err(format!(
            "is {bytes} bytes; accepted: files of at most {MAX_FILE_BYTES} bytes ({} MiB)",
            MAX_FILE_BYTES >> 20
        ));
    }
    Ok(())
}

/// Refuses `text` when it is empty, nested deeper than [`MAX_DEPTH`], or
/// holds a number that fits no JSON kind. Anything else that is not JSON is
/// left to the parser, which names it.
pub fn check_text(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("is empty; accepted: a JSON document".to_owned());
    }
    let mut in_string = false;
    let mut depth = 0;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if in_string {
            match byte {
                b'\\' => at += 1,
                b'"' => in_string = false,
                _ => {}
            }
            at += 1;
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!(
                        "nests arrays and objects deeper than {MAX_DEPTH} levels (at byte \
                         {at}); accepted: at most {MAX_DEPTH}"
                    ));
                }
            }
            b']' | b'}' => depth = usize::saturating_sub(depth, 1),
            b'-' | b'0'..=b'9' => {
                let end = bytes[at..]
                    .iter()
                    .position(|byte| {
                        !matches!(byte, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                    })
                    .map_or(bytes.len(), |length| at + length);
                check_number(&text[at..end], at)?;
                at = end;
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    Ok(())
}

/// Refuses the number `token`, found at byte `at`, when it is well formed
/// but too large for its kind: an integer outside `i64::MIN..=u64::MAX`, or
/// a float beyond `f64`'s range. A malformed one is the parser's to name.
fn check_number(token: &str, at: usize) -> Result<(), String> {
    let refuse = |kind: &str| {
        Err(format!(
            "has the number {} at byte {at}, which fits no JSON kind ({kind}); accepted: \
             integers from {} to {}, and numbers with a fraction or exponent within \
             ±{:e}",
            shortened(token),
            i64::MIN,
            u64::MAX,
            f64::MAX
        ))
    };
    let is_float = token.contains(['.', 'e', 'E']);
    if is_float {
        if token.parse::<f64>().is_ok_and(f64::is_infinite) {
            return refuse("past f64's range");
        }
        return Ok(());
    }
    let overflows =
        |kind: &IntErrorKind| matches!(kind, IntErrorKind::PosOverflow | IntErrorKind::NegOverflow);
    let fits = if token.starts_with('-') {
        token.parse::<i64>().map(drop)
    } else {
        token.parse::<u64>().map(drop)
    };
    match fits {
        Err(error) if overflows(error.kind()) => refuse("an integer past i64 and u64"),
        _ => Ok(()),
    }
}

/// A number's text as an error shows it: whole if short.
fn shortened(token: &str) -> String {
    const SHOWN: usize = 40;
    if token.len() <= SHOWN {
        token.to_owned()
    } else {
        format!("{}... ({} digits)", &token[..SHOWN], token.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        "[".repeat(depth) + &"]".repeat(depth)
    }

    #[test]
    fn depth_up_to_the_limit_passes_and_one_more_is_refused() {
        assert_eq!(check_text(&nested(MAX_DEPTH)), Ok(()));
        let error = check_text(&nested(MAX_DEPTH + 1)).expect_err("too deep");
        assert!(error.contains("deeper than 64 levels"), "{error}");
        let error = check_text(&nested(100_000)).expect_err("far too deep");
        assert!(error.contains(&format!("at byte {MAX_DEPTH}")), "{error}");
    }

    #[test]
    fn brackets_and_digits_inside_strings_do_not_count() {
        let inside = format!(r#"{{"a": "{}\"99999999999999999999999"}}"#, "[".repeat(500));
        assert_eq!(check_text(&inside), Ok(()));
    }

    #[test]
    fn numbers_of_every_kind_pass_up_to_their_limits() {
        for text in [
            "18446744073709551615",
            "-9223372036854775808",
            "-0",
            "1e308",
            "-1.7976931348623157e308",
            "1e-400",
            "[0, -1, 2.5, 3E2]",
        ] {
            assert_eq!(check_text(text), Ok(()), "{text}");
        }
    }

    #[test]
    fn numbers_past_every_kind_are_refused() {
        for text in [
            "18446744073709551616",
            "[-9223372036854775809]",
            "1e309",
            "{\"x\": -2e400}",
        ] {
            let error = check_text(text).expect_err(text);
            assert!(error.contains("fits no JSON kind"), "{text}: {error}");
        }
    }

    #[test]
    fn empty_text_and_large_files_are_refused() {
        assert!(check_text("").unwrap_err().contains("is empty"));
        assert!(check_text(" \n\t").unwrap_err().contains("is empty"));
        assert_eq!(check_size(MAX_FILE_BYTES), Ok(()));
        let error = check_size(MAX_FILE_BYTES + 1).expect_err("too large");
        assert!(error.contains("at most 67108864 bytes (64 MiB)"), "{error}");
    }
}
