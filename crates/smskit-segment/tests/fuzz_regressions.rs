//! Replays every input in `fuzz/regressions/segment/` (minimized crashers of the `segment`
//! fuzz target) and a few hand-picked hostile inputs through the fuzz target's checks.

#[path = "../../../fuzz/checks/segment.rs"]
mod checks;

use std::path::Path;

#[test]
fn committed_fuzz_regressions_pass() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/segment");
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
    let inputs: [&[u8]; 8] = [
        b"",
        b"\xff\xff\xff",
        b"\x00\x00\x1b\x1b\x1b",
        &[0xff, 0xff, 0xf0, 0x9f, 0x98, 0x80],
        &[0x88, 0x21, b'\r', b'\n', b'\r'],
        "\u{0}\u{0}\u{301}\u{301}\u{301}".as_bytes(),
        &[0xf8, 0x00, 0xe2, 0x80, 0x99, 0xe2, 0x80, 0x94],
        &[0x0f, 0xff, b'a'],
    ];
    for input in inputs {
        checks::check(input);
    }
    let long_cluster = format!("\u{8}\u{0}a{}", "\u{301}".repeat(500));
    checks::check(long_cluster.as_bytes());
}
