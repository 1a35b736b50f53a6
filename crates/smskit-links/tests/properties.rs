//! Property tests for the invariants the spec states.

use proptest::prelude::*;
use smskit_links::{
    Code, LinkRequest, LinkStore, MemoryLinkStore, Rewritten, Shortener, StdRng, TraceId, Tracking,
    find_urls,
};

/// The GSM 03.38 basic alphabet, written out independently of the crate.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

fn is_gsm_basic(s: &str) -> bool {
    s.chars().all(|c| GSM_BASIC.contains(c))
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "Sale", "hi", " ", " ", "\n", ".", ",", "!", "?", ":", ";", "(", ")", "[", "]", "'", "\"",
            "😀", "👍🏽", "\u{a0}", "。", "…", "é", "-", "/", "#", "&", "=", "%", "__", "~",
        ]).prop_map(str::to_owned),
        2 => prop::sample::select(vec![
            "https://a.example/x",
            "https://a.example/x?y=1&utm_campaign=old#frag",
            "HTTP://B.EXAMPLE/Path",
            "https://a.example",
            "https://a.example/x/y",
            "https://a.example/wiki/A_(b)",
            "https://sho.rt/r/abc",
            "https://sho.rt/r/abc/s/9",
            "https://sho.rt/sms/1/xy",
            "https://bücher.example/straße",
            "http://999.1.1.1/",
            "ftp://a.example/f",
            "https://",
            "http://a.example:8080/p?q=a%20b",
            "www.a.example/x",
            "https://a.example#top",
            "HTTP://A.b)/x",
            "https://a.example'x/",
            "https://)",
        ]).prop_map(str::to_owned),
        1 => "[ -~]{0,12}",
        1 => any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..24).prop_map(|parts| parts.concat())
}

fn trace() -> impl Strategy<Value = TraceId> {
    "[A-Za-z0-9_-]{1,64}".prop_map(|s| TraceId::new(s).unwrap())
}

fn setup(seed: u64) -> (Shortener, MemoryLinkStore<StdRng>, Tracking) {
    (
        Shortener::new("https://sho.rt").unwrap(),
        MemoryLinkStore::seeded(seed),
        Tracking::new()
            .with_campaign("c")
            .with_source("s")
            .with_medium("sms"),
    )
}

/// Puts the original URLs back in place of the short links, which must give the input again.
fn restore(original: &str, rewritten: &Rewritten) -> String {
    let mut out = String::new();
    let mut copied = 0;
    for occurrence in rewritten.occurrences() {
        out.push_str(&rewritten.text()[copied..occurrence.rewritten.start]);
        out.push_str(&original[occurrence.original.clone()]);
        copied = occurrence.rewritten.end;
    }
    out.push_str(&rewritten.text()[copied..]);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn text_outside_links_is_preserved(text in text(), seed in any::<u64>()) {
        let (shortener, mut store, tracking) = setup(seed);
        let rewritten = shortener.rewrite(&text, &tracking, &mut store).unwrap();
        prop_assert_eq!(restore(&text, &rewritten), text.clone());
        // Every short link is found back whole: it never runs into the text around it.
        let found: Vec<_> = find_urls(rewritten.text()).map(|u| u.range()).collect();
        let personal = rewritten.personalize(&TraceId::new("t_1-Z").unwrap());
        let found_personal: Vec<_> = find_urls(&personal).map(|u| u.range()).collect();
        let mut shift = 0;
        let mut previous_end = 0;
        for occurrence in rewritten.occurrences() {
            prop_assert!(found.contains(&occurrence.rewritten), "{:?}", rewritten.text());
            let start = occurrence.rewritten.start + shift;
            shift += "/s/t_1-Z".len();
            let end = occurrence.rewritten.end + shift;
            prop_assert!(found_personal.contains(&(start..end)), "{:?}", personal);
            prop_assert!(occurrence.original.start >= previous_end);
            previous_end = occurrence.original.end;
            let link = &rewritten.links()[occurrence.link];
            prop_assert_eq!(&rewritten.text()[occurrence.rewritten.clone()], link.short_url.as_str());
        }
    }

    #[test]
    fn a_session_rewrites_like_one_shot_calls(texts in prop::collection::vec(text(), 1..6), seed in any::<u64>()) {
        let (shortener, mut store, tracking) = setup(seed);
        let mut one_shot = Vec::new();
        for text in &texts {
            one_shot.push(shortener.rewrite(text, &tracking, &mut store).unwrap());
        }
        // Same store, so the links exist: a session must give exactly the same results.
        let mut rewriter = shortener.rewriter(&tracking, &mut store);
        for (text, expected) in texts.iter().zip(&one_shot) {
            prop_assert_eq!(&rewriter.rewrite(text).unwrap(), expected);
        }
        for (text, expected) in texts.iter().zip(&one_shot) {
            prop_assert_eq!(&rewriter.rewrite(text).unwrap(), expected);
        }
    }

    #[test]
    fn rewriting_is_idempotent(text in text(), seed in any::<u64>()) {
        let (shortener, mut store, tracking) = setup(seed);
        let once = shortener.rewrite(&text, &tracking, &mut store).unwrap();
        let twice = shortener.rewrite(once.text(), &tracking, &mut store).unwrap();
        prop_assert_eq!(twice.text(), once.text());
        prop_assert!(twice.links().is_empty());
    }

    #[test]
    fn personalised_length_is_rewritten_length_plus_suffixes(text in text(), trace in trace()) {
        let (shortener, mut store, tracking) = setup(1);
        let rewritten = shortener.rewrite(&text, &tracking, &mut store).unwrap();
        let personal = rewritten.personalize(&trace);
        let suffix = format!("/s/{trace}");
        prop_assert_eq!(
            personal.len(),
            rewritten.text().len() + rewritten.occurrences().len() * suffix.len()
        );
        prop_assert_eq!(personal.len(), rewritten.personalized_len(&trace));
        // Same as inserting the suffix after each short link by hand.
        let mut expected = rewritten.text().to_owned();
        for occurrence in rewritten.occurrences().iter().rev() {
            expected.insert_str(occurrence.rewritten.end, &suffix);
        }
        prop_assert_eq!(&personal, &expected);
        // Personalised links are found whole and resolve to their link and trace. A short
        // link already in the text (left alone) may carry the same suffix: it is not ours.
        let before: std::collections::HashSet<&str> =
            find_urls(&text).map(|u| u.as_str()).collect();
        let found: Vec<&str> = find_urls(&personal)
            .map(|u| u.as_str())
            .filter(|u| u.starts_with("https://sho.rt/r/") && u.ends_with(&suffix))
            .filter(|u| !before.contains(u))
            .collect();
        prop_assert_eq!(found.len(), rewritten.occurrences().len());
        for url in found {
            let resolved = shortener.resolve(&store, &url["https://sho.rt".len()..]).unwrap();
            prop_assert_eq!(resolved.trace.as_ref(), Some(&trace));
        }
    }

    #[test]
    fn short_links_are_gsm_basic(text in text(), trace in trace(), seed in any::<u64>()) {
        let (shortener, mut store, tracking) = setup(seed);
        let rewritten = shortener.rewrite(&text, &tracking, &mut store).unwrap();
        for link in rewritten.links() {
            prop_assert!(is_gsm_basic(&link.short_url), "{}", link.short_url);
            let personal = shortener.personal_url(link.link.code(), &trace);
            prop_assert!(is_gsm_basic(&personal), "{}", personal);
        }
    }

    #[test]
    fn accepted_bases_are_gsm_basic(base in "(https?://)?[a-zA-Z0-9.~^{}|\\[\\]_é€ü-]{1,12}(/[ -~é€]{0,8})?") {
        if let Ok(shortener) = Shortener::new(&base) {
            prop_assert!(is_gsm_basic(shortener.base()), "{}", shortener.base());
            let code = Code::new("aZ9").unwrap();
            let short = shortener.short_url(&code);
            let found: Vec<&str> = find_urls(&short).map(|u| u.as_str()).collect();
            prop_assert_eq!(found, vec![short.as_str()]);
        }
    }

    #[test]
    fn found_urls_are_ordered_http_urls(text in text()) {
        let mut previous_end = 0;
        for url in find_urls(&text) {
            prop_assert!(url.start() >= previous_end);
            prop_assert!(text.is_char_boundary(url.start()) && text.is_char_boundary(url.end()));
            previous_end = url.end();
            let s = url.as_str().to_ascii_lowercase();
            prop_assert!(s.starts_with("http://") || s.starts_with("https://"), "{}", s);
            let last = s.chars().next_back().unwrap();
            prop_assert!(!".,:;!?*".contains(last), "{}", s);
            let opens = s.matches('(').count();
            let closes = s.matches(')').count();
            prop_assert!(closes <= opens, "{}", s);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let (shortener, mut store, tracking) = setup(3);
        let rewritten = shortener.rewrite(&text, &tracking, &mut store).unwrap();
        prop_assert_eq!(restore(&text, &rewritten), text);
    }

    #[test]
    fn codes_are_unique_base62_and_at_least_three_long(n in 1usize..300, seed in any::<u64>()) {
        let mut store = MemoryLinkStore::seeded(seed);
        let mut codes = std::collections::HashSet::new();
        for i in 0..n {
            let request = LinkRequest::new(&format!("https://a.example/{i}"), &Tracking::new()).unwrap();
            let link = store.get_or_create(&request).unwrap();
            let code = link.code().as_str();
            prop_assert!(code.len() >= 3 && code.bytes().all(|b| b.is_ascii_alphanumeric()));
            prop_assert!(codes.insert(code.to_owned()));
        }
    }

    #[test]
    fn paths_round_trip(code in "[A-Za-z0-9]{1,64}", trace in trace()) {
        let shortener = Shortener::new("https://sho.rt/go").unwrap();
        let code = Code::new(code).unwrap();
        let path = &shortener.personal_url(&code, &trace)["https://sho.rt".len()..];
        let parsed = shortener.parse_path(path).unwrap();
        prop_assert_eq!(parsed.code, code.clone());
        prop_assert_eq!(parsed.trace, Some(trace));
        let path = &shortener.short_url(&code)["https://sho.rt".len()..];
        prop_assert_eq!(shortener.parse_path(path).unwrap().trace, None);
    }

    #[test]
    fn arbitrary_paths_never_panic(path in any::<String>()) {
        let (shortener, store, _) = setup(1);
        prop_assert!(shortener.resolve(&store, &path).is_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every distinct URL gets exactly one link (one code), whatever its spelling and however
    /// many distinct URLs the text holds; every byte outside the URLs is kept.
    #[test]
    fn every_distinct_url_gets_one_code(
        picks in prop::collection::vec((0usize..400, any::<bool>()), 0..600),
        seed in any::<u64>(),
    ) {
        let (shortener, mut store, tracking) = setup(seed);
        let text: String = picks
            .iter()
            .map(|&(k, upper)| {
                if upper { format!("HTTPS://A.EXAMPLE/p{k} ") } else { format!("https://a.example/p{k} ") }
            })
            .collect();
        let rewritten = shortener.rewrite(&text, &tracking, &mut store).unwrap();
        prop_assert_eq!(restore(&text, &rewritten), text.clone());
        prop_assert_eq!(rewritten.occurrences().len(), picks.len());

        let distinct: std::collections::HashSet<usize> = picks.iter().map(|&(k, _)| k).collect();
        prop_assert_eq!(rewritten.links().len(), distinct.len());
        let codes: std::collections::HashSet<&str> =
            rewritten.links().iter().map(|l| l.link.code().as_str()).collect();
        prop_assert_eq!(codes.len(), distinct.len());

        // One link per page, the same for both spellings; links in order of first appearance.
        let mut link_of = std::collections::HashMap::new();
        let mut next = 0;
        for (occurrence, &(k, _)) in rewritten.occurrences().iter().zip(&picks) {
            let link = *link_of.entry(k).or_insert_with(|| { next += 1; next - 1 });
            prop_assert_eq!(occurrence.link, link);
            let entry = &rewritten.links()[occurrence.link];
            prop_assert_eq!(entry.link.url(), format!("https://a.example/p{k}"));
        }
    }
}
