//! Replays every input in `fuzz/regressions/phone_parse/` (minimized crashers of the
//! `phone_parse` fuzz target) and hand-picked hostile inputs through the target's checks.

#[path = "../../../fuzz/checks/phone_parse.rs"]
mod checks;

use std::path::Path;

#[test]
fn committed_fuzz_regressions_pass() {
    let directory =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/phone_parse");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&directory).expect("regressions directory") {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|name| name == ".gitkeep") {
            continue;
        }
        checks::check(&std::fs::read(&path).unwrap());
        replayed += 1;
    }
    // An empty or misplaced directory must not pass for a clean run.
    assert!(
        replayed > 0,
        "no regression input in {}",
        directory.display()
    );
    eprintln!("replayed {replayed} regression inputs");
}

#[test]
fn hostile_inputs_pass() {
    let inputs: [&[u8]; 10] = [
        b"",
        b"\x00+",
        b"\x15+32 470 12 34 56",
        b"\x15 0470 12 34 56",
        b"\xff00000000000000000000000000000000",
        b"\x00+999999999999999999999",
        b"\x00\xef\xbc\x8b\xef\xbc\x93\xef\xbc\x92",
        b"\x01tel:+1-800-FLOWERS",
        b"\x02+7 (812) 123-45-67 ext. 12",
        b"\x03((((((((((((((((((((((((((((((((((((((((",
    ];
    for input in inputs {
        checks::check(input);
    }
    checks::check(format!("\x04{}", "9".repeat(10_000)).as_bytes());
}
