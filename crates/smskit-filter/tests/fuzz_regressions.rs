//! Replays the fuzz checks of `fuzz/checks/filter_*.rs` on every committed input of
//! `fuzz/regressions/filter_*/` plus hand-picked inputs.

#![allow(
    missing_docs,
    unreachable_pub,
    reason = "the check files are shared with the fuzz crate"
)]

use std::path::Path;

#[path = "../../../fuzz/checks/filter_parse.rs"]
mod filter_parse;
#[path = "../../../fuzz/checks/filter_roundtrip.rs"]
mod filter_roundtrip;

/// Runs `check` on every committed input of the target and asserts there was one: an empty
/// or misplaced directory must not pass for a clean run.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("regressions directory") {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == ".gitkeep") {
            continue;
        }
        check(&std::fs::read(&path).unwrap());
        count += 1;
    }
    assert!(count > 0, "no regression input in {}", dir.display());
}

#[test]
fn filter_parse_regressions() {
    replay("filter_parse", filter_parse::check);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for input in [
        "",
        "[]",
        "[('name', 'ilike', 'jo')]",
        "['!', '!', '!']",
        "[('a', 'in', [[[[]]]])]",
        "[('parent_id', 'child_of', [0, 'a', None])]",
        "[('tags', 'any', [('name', '=like', '%')]), ('t', '<=', '9999-12-31 23:59:59')]",
        "[('d', '>', 'today')]",
        "[('x', '<', 1e999), ('n', 'like', -0.0)]",
        "[('name', '=', '\\ud83d\\ude00')]",
        "[\n('name',\n'lik',\n'x')]",
        "é[",
        &deep,
    ] {
        filter_parse::check(input.as_bytes());
    }
    filter_parse::check(&[0xff, 0xfe, b'[', 0x80]);
}

#[test]
fn filter_roundtrip_regressions() {
    replay("filter_roundtrip", filter_roundtrip::check);
    for input in [
        &b""[..],
        b"\x00",
        b"\x01\x02\x03\x04\x05\x06\x07\x08\x09",
        &[0xff; 64],
        &[7; 300],
    ] {
        filter_roundtrip::check(input);
    }
}
