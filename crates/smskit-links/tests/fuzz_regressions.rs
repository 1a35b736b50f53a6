//! Replays every input in `fuzz/regressions/links_rewrite/` (minimized crashers of the
//! `links_rewrite` fuzz target) and a few hand-picked hostile inputs through its checks.

#[path = "../../../fuzz/checks/links_rewrite.rs"]
mod checks;

use std::path::Path;

#[test]
fn committed_fuzz_regressions_pass() {
    let directory =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/links_rewrite");
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
    let texts = [
        "",
        "https://",
        "https://😀",
        "http://#",
        "https://a.examplehttps://b.example/x",
        "https://a.example!sale https://a.example:",
        "((((https://a.example/((((x))))",
        "'https://a.example/it's'",
        "\"https://a.example/x\"https://b.example/y\"",
        "https://sho.rt/r/abc https://sho.rt/sms/x HTTP://SHO.RT/r/a/s/b",
        "https://a.example#https://b.example#c",
        "https://a.example/x\u{a0}https://b.example/y。https://c.example/z👍🏽",
        "https://bücher.example/ä?ö=ü#ß",
        "http://999.999.999.999/ http://[::1]/ https://user:pw@a.example:99999/",
        "https://a.example/%zz%%/?q=%",
        "https://x/ https://x.y https://-a.example https://a-.example",
        "Line\r\nhttps://a.example/x\r\n",
    ];
    for (i, text) in texts.iter().enumerate() {
        for config in [0u8, 5, 10, 15] {
            checks::check_text(config, i as u8, text);
        }
    }
    let long = "https://a.example/x?".repeat(200) + &"!".repeat(1000) + "https://b.example";
    checks::check_text(3, 1, &long);
    checks::check(&[
        0xff, 0xfe, b'h', b't', b't', b'p', b':', b'/', b'/', 0xc3, b'a',
    ]);
}
