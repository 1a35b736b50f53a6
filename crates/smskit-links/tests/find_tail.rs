//! Where a URL ends when linkify's own rules do not decide it: a fragment written right after
//! the host (`https://x.example#top`, which linkify leaves out), a host cut at a bracket or a
//! quote (`https://x.example.)/z`), punctuation before a prose character, and whether a
//! URL cut inside its host would run into the text after it once shortened.

use smskit_links::{MemoryLinkStore, Shortener, Tracking, Warning, find_urls};

fn urls(text: &str) -> Vec<&str> {
    find_urls(text).map(|url| url.as_str()).collect()
}

fn check(cases: &[(&str, &str)]) {
    for &(text, expected) in cases {
        assert_eq!(urls(text), [expected], "{text:?}");
    }
}

#[test]
fn a_fragment_after_the_host_follows_the_bracket_quote_and_punctuation_rules() {
    check(&[
        // brackets balance inside the URL; an unbalanced closing one ends it
        ("https://x.example#a[b] c", "https://x.example#a[b]"),
        ("https://x.example#a[[b]] c", "https://x.example#a[[b]]"),
        ("https://x.example#a]b c", "https://x.example#a"),
        ("https://x.example#a{b} c", "https://x.example#a{b}"),
        ("https://x.example#a{{b}} c", "https://x.example#a{{b}}"),
        ("https://x.example#a}b c", "https://x.example#a"),
        ("https://x.example#a(b)c d", "https://x.example#a(b)c"),
        ("https://x.example#a((b)) c", "https://x.example#a((b))"),
        ("(https://x.example#a) c", "https://x.example#a"),
        // a quote opened before the URL closes it; one opened inside belongs to it
        ("'https://x.example#a'b c", "https://x.example#a"),
        ("\"https://x.example#a\"b c", "https://x.example#a"),
        ("https://x.example#a'b'c d", "https://x.example#a'b'c"),
        ("https://x.example#a'b d", "https://x.example#a'b"),
        // a quote it opened cannot be its last character; the one closing it can
        ("https://x.example#a' b", "https://x.example#a"),
        ("https://x.example#a'b' c", "https://x.example#a'b'"),
        // sentence punctuation is not the URL's last character; a prose character ends it
        ("https://x.example#top. Next", "https://x.example#top"),
        ("https://x.example#a,b. c", "https://x.example#a,b"),
        ("https://x.example#é. c", "https://x.example#é"),
        ("https://x.example#a🎉b", "https://x.example#a"),
    ]);
}

#[test]
fn a_host_cut_at_a_bracket_or_quote_loses_its_trailing_punctuation() {
    check(&[
        ("https://x.example.)/z a", "https://x.example"),
        ("https://x.example,)/z", "https://x.example"),
        ("https://x.example!)", "https://x.example"),
        ("https://x.example;]x", "https://x.example"),
        ("https://x.example:)", "https://x.example"),
        ("https://x.example?)", "https://x.example"),
        ("https://x.example*)", "https://x.example"),
        ("https://x.example')", "https://x.example"),
    ]);
}

#[test]
fn punctuation_then_a_prose_character_ends_the_url_before_both() {
    // Given the whole text linkify finds no URL at all in the first four.
    check(&[
        ("Sale at https://x.example.🎉", "https://x.example"),
        ("Sale at https://x.example,🎉 now", "https://x.example"),
        ("Sale at https://x.example'🎉", "https://x.example"),
        ("Sale at https://x.example/a.🎉", "https://x.example/a"),
        ("Sale at https://x.example-🎉", "https://x.example"),
        ("Sale at https://x.example!?🎉", "https://x.example"),
        ("🎉https://x.example🎉", "https://x.example"),
        ("…https://x.example/a…", "https://x.example/a"),
    ]);
    assert_eq!(
        urls("🎉 https://a.example.🎉 https://b.example。https://c.example"),
        [
            "https://a.example",
            "https://b.example",
            "https://c.example"
        ]
    );
    assert_eq!(urls("🎉🎉 no link 🎉"), Vec::<&str>::new());
}

/// Whether rewriting `text` refuses its URL because the short link would run into the text
/// after it.
fn runs_into_text(text: &str) -> bool {
    let shortener = Shortener::new("https://sho.rt").unwrap();
    let mut store = MemoryLinkStore::seeded(1);
    let rewritten = shortener
        .rewrite(text, &Tracking::new(), &mut store)
        .unwrap();
    rewritten
        .warnings()
        .iter()
        .any(|warning| matches!(warning, Warning::RunsIntoText { .. }))
}

#[test]
fn a_url_cut_inside_its_host_runs_into_what_a_scanner_would_take_after_it() {
    for (text, runs) in [
        // an opening bracket and a letter after it would be taken in
        ("https://x.example![a", true),
        ("https://x.example!{a", true),
        // an unbalanced closing bracket, a space, a quote that opened before the URL, a
        // prose character or only punctuation stop a scanner first
        ("https://x.example!]a", false),
        ("https://x.example!}a", false),
        ("https://x.example! a", false),
        ("\"https://x.example!\"a", false),
        ("https://x.example!.", false),
        ("https://x.example!🎉", false),
    ] {
        assert_eq!(urls(text), ["https://x.example"], "{text:?}");
        assert_eq!(runs_into_text(text), runs, "{text:?}");
    }
}
