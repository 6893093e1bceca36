//! The advice for phones and for browsers without WebAssembly: the page
//! (its `<noscript>` explanation and its advice without WebAssembly) and the
//! notice e-mail (both parts) give the same sentences, in every language,
//! with the organisation's opener address and without one, and never the
//! other case's advice.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use envelope_core::{KdfParams, Message, Passphrase, SealOptions, fill_placeholders, seal_to_vec};
use mail_parser::MessageParser;
use scraper::{Html, Selector};
use sealer::branding::{Branding, OpenerUrl};
use sealer::notice::{Notice, notice_email};
use sealer::texts::Texts;
use sealer::{PageOptions, render_page};

const OPENER: &str = "https://secure.clinic.example/open/";

/// White space as one space: the page is folded, the notice wrapped.
fn plain(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page's `<noscript>` explanation as a browser shows it, and what
/// its loader says without WebAssembly.
fn page_advice(page: &str) -> (String, String) {
    let document = Html::parse_document(page);
    let noscript = Selector::parse("noscript").unwrap();
    // Parsed with scripts on, a <noscript> holds text: its markup, parsed.
    let inner: String = document.select(&noscript).next().unwrap().text().collect();
    let fragment = Html::parse_fragment(&inner);
    let no_script = plain(&fragment.root_element().text().collect::<String>());
    // What the loader says without WebAssembly: the advice block's.
    let block = Selector::parse("#page-advice").unwrap();
    let block: String = document.select(&block).next().unwrap().text().collect();
    let advice = Texts::from_block(&block).unwrap();
    (no_script, plain(advice.get("no_wasm")))
}

/// The notice's text and HTML parts, decoded, as a mail program shows them.
fn notice_advice(page: &str, branding: &Branding) -> (String, String) {
    let notice = Notice {
        from: Some("Example Clinic <records@clinic.example>".parse().unwrap()),
        to: vec!["alex@example.org".parse().unwrap()],
        date: 1_763_465_200,
        branding: branding.clone(),
        ..Notice::default()
    };
    let mail = notice_email(page, &notice).unwrap();
    let parsed = MessageParser::default().parse(&mail).unwrap();
    let text = plain(&parsed.body_text(0).unwrap());
    let html = Html::parse_document(&parsed.body_html(0).unwrap());
    let html = plain(&html.root_element().text().collect::<String>());
    (text, html)
}

#[test]
fn the_page_and_the_notice_give_the_same_advice_in_every_language() {
    let options = SealOptions::new()
        .kdf(KdfParams::MIN)
        .passphrase(Passphrase::new(
            "stuffed-blame-ripcord-emporium-crimp-gatherer",
        ));
    let envelope = seal_to_vec(Message::new().subject("s"), &options).unwrap();
    for lang in Texts::built_in_languages() {
        let texts = Texts::built_in(lang).unwrap();
        for opener_url in [None, Some(OPENER.parse::<OpenerUrl>().unwrap())] {
            let branding = Branding {
                lang: lang.to_owned(),
                opener_url: opener_url.clone(),
                ..Branding::default()
            };
            let page = render_page(
                &envelope,
                &PageOptions {
                    branding: branding.clone(),
                    ..PageOptions::default()
                },
            )
            .unwrap();
            let (no_script, no_wasm) = page_advice(&page);
            let (text, html) = notice_advice(&page, &branding);
            let url = [("opener_url", OPENER)];
            let with_opener = [
                fill_placeholders(texts.get("guide.phone_opener"), &url),
                fill_placeholders(texts.get("guide.lockdown_opener"), &url),
            ];
            let without = [
                texts.get("guide.android").to_owned(),
                texts.get("guide.iphone").to_owned(),
                texts.get("guide.lockdown").to_owned(),
            ];
            let (phone, lockdown, other): (Vec<&String>, &String, Vec<&String>) = match opener_url {
                Some(_) => (
                    vec![&with_opener[0]],
                    &with_opener[1],
                    without.iter().collect(),
                ),
                None => (
                    vec![&without[0], &without[1]],
                    &without[2],
                    with_opener.iter().collect(),
                ),
            };
            let case = format!("{lang}, opener {}", opener_url.is_some());
            for sentence in &phone {
                let sentence = plain(sentence);
                for (place, shown) in [
                    ("the page without scripts", &no_script),
                    ("the notice's text", &text),
                    ("the notice's HTML", &html),
                ] {
                    assert!(
                        shown.contains(&sentence),
                        "{case}: {place} lacks {sentence:?}:\n{shown}"
                    );
                }
            }
            assert!(
                no_wasm.contains(&plain(lockdown)),
                "{case}: the no-WebAssembly advice lacks {lockdown:?}:\n{no_wasm}"
            );
            assert!(no_wasm.starts_with(&plain(texts.get("page.no_wasm"))));
            for sentence in other {
                let sentence = plain(sentence);
                for shown in [&no_script, &no_wasm, &text, &html] {
                    assert!(
                        !shown.contains(&sentence),
                        "{case}: {sentence:?} in {shown}"
                    );
                }
            }
            assert_eq!(
                [&no_script, &no_wasm, &text, &html]
                    .iter()
                    .all(|shown| shown.contains(OPENER)),
                opener_url.is_some(),
                "{case}"
            );
        }
    }
}
