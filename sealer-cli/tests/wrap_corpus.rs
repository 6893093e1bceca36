//! Every message of the mail corpus (`tests/corpus/`, shaped like what real
//! mail programs send) read by `sealer::wrap::read_mail`, sealed and opened
//! again gives what Python's e-mail parser, an independent implementation,
//! found in it (`tests/corpus/expected.json`): subject, sender, text and
//! HTML bodies, and every attachment with its name, type and SHA-256.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{check_opened, corpus, envelope_in, expected};
use envelope_core::{KdfParams, Passphrase, SealOptions, open, seal_to_vec};
use sealer::wrap::read_mail;

#[test]
fn every_corpus_message_comes_back_whole() {
    let passphrase = Passphrase::new("corpus-test-passphrase");
    let options = SealOptions::new()
        .kdf(KdfParams::MIN)
        .passphrase(passphrase.clone());
    for (name, want) in &expected() {
        let raw = std::fs::read(corpus().join(format!("{name}.eml"))).unwrap();
        let incoming = read_mail(&raw).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert!(!incoming.already_sealed, "{name}");
        let envelope =
            seal_to_vec(incoming.message, &options).unwrap_or_else(|err| panic!("{name}: {err}"));
        let opened = open(&envelope, &passphrase).unwrap();
        check_opened(name, &opened, want);
        assert_eq!(incoming.subject, opened.manifest.subject, "{name}");
    }
}

#[test]
fn an_inline_image_keeps_its_content_id_so_the_html_body_shows_it() {
    let raw = std::fs::read(corpus().join("03-outlook-related-inline-image.eml")).unwrap();
    let incoming = read_mail(&raw).unwrap();
    let passphrase = Passphrase::new("corpus-test-passphrase");
    let options = SealOptions::new()
        .kdf(KdfParams::MIN)
        .passphrase(passphrase.clone());
    let envelope = seal_to_vec(incoming.message, &options).unwrap();
    let opened = open(&envelope, &passphrase).unwrap();
    let ids: Vec<Option<&str>> = opened
        .manifest
        .attachments
        .iter()
        .map(|a| a.content_id.as_deref())
        .collect();
    assert!(ids.contains(&Some("image001.png@01DB0000")), "{ids:?}");
    assert!(
        opened
            .html_body
            .as_deref()
            .unwrap_or_default()
            .contains("cid:image001.png@01DB0000")
    );
}

#[test]
fn what_is_not_a_message_is_refused() {
    for raw in [&b""[..], b"\r\n\r\n", b"\x00\x01\x02 binary, no header"] {
        assert!(
            matches!(read_mail(raw), Err(err) if err.kind() == sealer::ErrorKind::Mail),
            "{raw:?}"
        );
    }
}

/// Wraps `raw`: reads it, seals it, renders the page, and writes the
/// outgoing message with `subject`.
fn wrap(raw: &[u8], subject: &str, passphrase: &Passphrase) -> Vec<u8> {
    let mut incoming = read_mail(raw).unwrap();
    let message = std::mem::take(&mut incoming.message);
    let options = SealOptions::new()
        .kdf(KdfParams::MIN)
        .passphrase(passphrase.clone());
    let envelope = seal_to_vec(message, &options).unwrap();
    let page = sealer::render_page(&envelope, &sealer::PageOptions::default()).unwrap();
    let notice = sealer::notice::Notice {
        date: 1_795_000_000,
        ..Default::default()
    };
    sealer::wrap::wrapped_email(&incoming, raw, subject, &page, &notice).unwrap()
}

#[test]
fn the_outgoing_message_keeps_addressing_and_threading_and_carries_the_page() {
    use mail_parser::MessageParser;
    let passphrase = Passphrase::new("corpus-test-passphrase");
    for name in [
        "14-reply-in-thread",
        "03-outlook-related-inline-image",
        "02-gmail-alternative-qp",
    ] {
        let raw = std::fs::read(corpus().join(format!("{name}.eml"))).unwrap();
        let original = MessageParser::default().parse(&raw[..]).unwrap();
        let wrapped = wrap(&raw, "Secure message", &passphrase);
        let out = MessageParser::default().parse(&wrapped[..]).unwrap();
        for header in [
            "From",
            "To",
            "Cc",
            "Date",
            "Message-ID",
            "In-Reply-To",
            "References",
            "Reply-To",
        ] {
            assert_eq!(
                out.header_raw(header),
                original.header_raw(header),
                "{name}: {header}"
            );
        }
        assert_eq!(out.subject(), Some("Secure message"), "{name}");
        let text = String::from_utf8_lossy(&wrapped);
        assert!(
            !text.contains("Thread-Topic") && !text.contains("X-Seal:"),
            "{name}"
        );
        // The sealer's own headers, once each, for filters' allow rules.
        assert_eq!(text.matches("\r\nX-Sealer-Envelope: 1\r\n").count(), 1);
        assert_eq!(text.matches("\r\nX-Sealer-Decryptor: ").count(), 1);
        assert!(!text.contains("Scan report"), "{name}: the subject leaked");
        let opened = open(&envelope_in(&wrapped), &passphrase).unwrap();
        assert_eq!(
            Some(opened.manifest.subject.as_str()),
            original.subject(),
            "{name}"
        );
    }
}

#[test]
fn line_endings_follow_the_original() {
    let passphrase = Passphrase::new("corpus-test-passphrase");
    let raw = std::fs::read(corpus().join("01-plain-ascii.eml")).unwrap();
    let crlf = wrap(&raw, "Your appointment", &passphrase);
    assert!(
        !String::from_utf8_lossy(&crlf)
            .replace("\r\n", "")
            .contains('\n')
    );
    let lf_raw = String::from_utf8(raw).unwrap().replace("\r\n", "\n");
    let lf = wrap(lf_raw.as_bytes(), "Your appointment", &passphrase);
    assert!(!lf.contains(&b'\r'), "a pipe's LF message gets LF back");
    let out = mail_parser::MessageParser::default()
        .parse(&lf[..])
        .unwrap();
    assert_eq!(out.subject(), Some("Your appointment"));
}
