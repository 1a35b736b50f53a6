//! URL finding past what is not a URL: candidates linkify offers that the SMS rules refuse
//! (other schemes, a host that does not start with a letter or digit, an emoji for a host) are
//! skipped and the search resumes right after their scheme, so a URL glued behind one is
//! still found; and hosts written with combining marks of many scripts stay whole, up to the
//! sentence punctuation (danda) that ends them.

use smskit_links::find_urls;

fn urls(text: &str) -> Vec<&str> {
    find_urls(text).map(|url| url.as_str()).collect()
}

#[test]
fn skipped_candidates_resume_after_their_scheme() {
    let cases: [(&str, &[&str]); 9] = [
        (
            "ftp://files.example/a then https://shop.example/b",
            &["https://shop.example/b"],
        ),
        ("file://x https://ok.example", &["https://ok.example"]),
        (
            "mailto://é.example https://é.example/ü",
            &["https://é.example/ü"],
        ),
        // The host starts with a bracket, a dash, a dot or an emoji: not a URL, and the one
        // glued right after it is found.
        ("https://)https://b.example/c", &["https://b.example/c"]),
        ("https://🎉https://b.example", &["https://b.example"]),
        (
            "https://-x.example https://y.example",
            &["https://y.example"],
        ),
        ("https://.example https://y.example", &["https://y.example"]),
        (
            "https://🎉.example/a https://ok.example",
            &["https://ok.example"],
        ),
        // An http URL inside another scheme's path belongs to that URL: not found alone.
        ("ftp://a.example/https://b.example x", &[]),
    ];
    for (text, expected) in cases {
        assert_eq!(urls(text), expected, "{text:?}");
    }
}

#[test]
fn an_emoji_glued_to_the_host_ends_the_url_and_the_search_goes_on() {
    assert_eq!(
        urls("https://x.example🎉 and https://z.example/q"),
        ["https://x.example", "https://z.example/q"]
    );
    assert_eq!(
        urls("HTTPS://UP.example/X, hTTp://mixed.example"),
        ["HTTPS://UP.example/X", "hTTp://mixed.example"]
    );
}

#[test]
fn hosts_keep_their_combining_marks() {
    for host in [
        "नमस्ते",         // Devanagari virama and vowel sign
        "ที่นี่",           // Thai vowel and tone marks
        "שָׁלוֹם",         // Hebrew points
        "مَرحبا",        // Arabic fatha
        "e\u{301}cole", // combining acute accent
        "и\u{483}",     // Cyrillic combining titlo
        "か\u{3099}",   // kana voicing mark
        "a\u{1AB0}b",   // combining diacritical marks extended
        "a\u{1DC0}b",   // combining diacritical marks supplement
        "a\u{FE20}b",   // combining half marks
        "ا",            // Arabic letter
    ] {
        let url = format!("https://{host}.example/a");
        let text = format!("see {url} now");
        assert_eq!(urls(&text), [url.as_str()], "{host:?}");
    }
}

#[test]
fn a_danda_ends_a_url_like_a_full_stop() {
    assert_eq!(
        urls("see https://नमस्ते.example। next"),
        ["https://नमस्ते.example"]
    );
    assert_eq!(
        urls("see https://नमस्ते.example॥ next"),
        ["https://नमस्ते.example"]
    );
    assert_eq!(urls("see https://x.example।next"), ["https://x.example"]);
}
