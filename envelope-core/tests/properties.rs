//! Property tests: round trips of arbitrary messages, and "any single-byte
//! change makes opening fail".

// A failed unwrap here is a failed test or benchmark, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;

use envelope_core::{
    Attachment, Envelope, KdfParams, Message, MessageDate, PartKind, Passphrase, SealOptions, open,
    seal_to_vec,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Sample {
    from: String,
    to: Vec<String>,
    subject: String,
    text: String,
    html: Option<String>,
    attachments: Vec<(String, Vec<u8>)>,
    passphrases: Vec<String>,
    opener: usize,
    date: i64,
}

fn sample() -> impl Strategy<Value = Sample> {
    (
        ".{0,40}",
        prop::collection::vec(".{0,30}", 0..3),
        ".{0,80}",
        ".{0,300}",
        prop::option::of(".{0,200}"),
        prop::collection::vec(
            (".{1,40}", prop::collection::vec(any::<u8>(), 0..140_000)),
            0..4,
        ),
        prop::collection::vec(".{1,30}", 1..4),
        any::<prop::sample::Index>(),
        -62_135_596_800i64..253_402_300_799,
    )
        .prop_map(
            |(from, to, subject, text, html, attachments, passphrases, opener, date)| {
                let opener = opener.index(passphrases.len());
                Sample {
                    from,
                    to,
                    subject,
                    text,
                    html,
                    attachments,
                    passphrases,
                    opener,
                    date,
                }
            },
        )
}

fn message_of(s: &Sample) -> Message {
    let mut m = Message::new()
        .from(&s.from)
        .subject(&s.subject)
        .text_body(&s.text)
        .date(MessageDate::utc(s.date));
    for to in &s.to {
        m = m.to(to);
    }
    if let Some(html) = &s.html {
        m = m.html_body(html);
    }
    for (name, bytes) in &s.attachments {
        m = m.attach(Attachment::from_bytes(
            name,
            "application/octet-stream",
            bytes.clone(),
        ));
    }
    m
}

fn options_of(s: &Sample) -> SealOptions {
    s.passphrases
        .iter()
        .fold(SealOptions::new().kdf(KdfParams::MIN), |o, p| {
            o.passphrase(Passphrase::new(p))
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn sealed_messages_open_to_what_was_sealed(s in sample()) {
        let bytes = seal_to_vec(message_of(&s), &options_of(&s)).unwrap();
        let passphrase = Passphrase::new(&s.passphrases[s.opener]);
        let opened = open(&bytes, &passphrase).unwrap();
        prop_assert_eq!(&opened.manifest.from, &s.from);
        prop_assert_eq!(&opened.manifest.to, &s.to);
        prop_assert_eq!(&opened.manifest.subject, &s.subject);
        prop_assert_eq!(opened.manifest.date, MessageDate::utc(s.date));
        prop_assert_eq!(&opened.text_body, &s.text);
        prop_assert_eq!(&opened.html_body, &s.html);
        prop_assert_eq!(opened.attachments.len(), s.attachments.len());
        // The first slot whose passphrase matches is the one that opens.
        let first_match = s.passphrases.iter().position(|p| Passphrase::new(p).expose() == passphrase.expose());
        prop_assert_eq!(Some(opened.opened_slot), first_match);
        let mut random = Envelope::new(Cursor::new(&bytes)).unwrap().unlock_random_access(&passphrase).unwrap();
        for (i, (name, data)) in s.attachments.iter().enumerate().rev() {
            prop_assert_eq!(&opened.manifest.attachments[i].name, name);
            prop_assert_eq!(&opened.attachments[i], data);
            prop_assert_eq!(&random.read_part_to_vec(PartKind::Attachment(i)).unwrap(), data);
        }
    }

    #[test]
    fn any_single_byte_change_makes_opening_fail(
        position in any::<prop::sample::Index>(),
        xor in 1u8..=255,
    ) {
        let (bytes, passphrase) = two_chunk_envelope();
        let mut damaged = bytes.clone();
        let at = position.index(damaged.len());
        damaged[at] ^= xor;
        prop_assert!(open(&damaged, &passphrase).is_err(), "byte {} ^ {:#x} still opens", at, xor);
    }
}

/// An envelope with a label, a hint, two slots and a payload of two chunks.
fn two_chunk_envelope() -> (Vec<u8>, Passphrase) {
    use std::sync::OnceLock;
    static ENVELOPE: OnceLock<Vec<u8>> = OnceLock::new();
    let bytes = ENVELOPE.get_or_init(|| {
        let message = Message::new()
            .from("a@example.org")
            .to("b@example.org")
            .subject("subject")
            .text_body("body")
            .html_body("<p>body</p>")
            .attach(Attachment::from_bytes(
                "a.bin",
                "application/octet-stream",
                vec![9u8; 70_000],
            ));
        let options = SealOptions::new()
            .kdf(KdfParams::MIN)
            .passphrase(Passphrase::new("first passphrase"))
            .passphrase(Passphrase::new("second passphrase"))
            .label("label")
            .hint("hint");
        seal_to_vec(message, &options).unwrap()
    });
    (bytes.clone(), Passphrase::new("second passphrase"))
}

#[test]
fn flipping_any_bit_of_a_small_envelope_makes_opening_fail() {
    let message = Message::new()
        .subject("s")
        .text_body("t")
        .attach(Attachment::from_bytes("f", "text/plain", b"x".to_vec()));
    let options = SealOptions::new()
        .kdf(KdfParams::MIN)
        .passphrase(Passphrase::new("p"))
        .label("l");
    let bytes = seal_to_vec(message, &options).unwrap();
    for at in 0..bytes.len() {
        for bit in 0..8 {
            let mut damaged = bytes.clone();
            damaged[at] ^= 1 << bit;
            assert!(
                open(&damaged, &Passphrase::new("p")).is_err(),
                "bit {bit} of byte {at}"
            );
        }
    }
}
