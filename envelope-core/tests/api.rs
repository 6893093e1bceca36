//! The public API's promises, one test each.

// A failed unwrap here is a failed test or benchmark, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{self, Cursor, Read};

use envelope_core::{
    Attachment, Envelope, ErrorKind, KdfParams, Message, MessageDate, PartKind, Passphrase,
    SealOptions, limits, open, seal, seal_to_vec,
};

fn options(passphrase: &str) -> SealOptions {
    SealOptions::new()
        .kdf(KdfParams::MIN)
        .passphrase(Passphrase::new(passphrase))
}

/// A reader that hands out at most 7 bytes per call, like a slow pipe.
struct Trickle<R>(R);

impl<R: Read> Read for Trickle<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(7);
        self.0.read(&mut buf[..n])
    }
}

/// Deterministic bytes that are not all one value.
fn bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

#[test]
fn streams_attachments_from_readers_and_opens_from_a_slow_reader() {
    let data = bytes(3 * limits::CHUNK_SIZE + 12_345);
    let message = Message::new()
        .subject("stream")
        .attach(Attachment::from_reader(
            "big.bin",
            "application/octet-stream",
            data.len() as u64,
            Trickle(Cursor::new(data.clone())),
        ));
    let sealed = seal(message, &options("pw"), Vec::new()).unwrap();
    let mut content = Envelope::new(Trickle(&sealed[..]))
        .unwrap()
        .unlock(&Passphrase::new("pw"))
        .unwrap();
    let mut text = content.next_part().unwrap().unwrap();
    assert_eq!(text.kind(), PartKind::TextBody);
    assert!(text.is_empty());
    let mut got = Vec::new();
    text.read_to_end(&mut got).unwrap();
    let mut part = content.next_part().unwrap().unwrap();
    assert_eq!(part.attachment().unwrap().name, "big.bin");
    part.read_to_end(&mut got).unwrap();
    assert_eq!(got, data);
    assert!(content.next_part().unwrap().is_none());
    content.finish().unwrap();
}

#[test]
fn a_part_left_unread_is_skipped_and_still_verified() {
    let message = Message::new()
        .attach(Attachment::from_bytes("a", "text/plain", bytes(100_000)))
        .attach(Attachment::from_bytes("b", "text/plain", b"bee".to_vec()));
    let sealed = seal_to_vec(message, &options("pw")).unwrap();
    let mut content = Envelope::new(&sealed[..])
        .unwrap()
        .unlock(&Passphrase::new("pw"))
        .unwrap();
    content.next_part().unwrap(); // text body, unread
    content
        .next_part()
        .unwrap()
        .unwrap()
        .read_exact(&mut [0u8; 10])
        .unwrap(); // a, partly read
    let mut b = String::new();
    content
        .next_part()
        .unwrap()
        .unwrap()
        .read_to_string(&mut b)
        .unwrap();
    assert_eq!(b, "bee");
    content.finish().unwrap();
}

#[test]
fn a_reader_shorter_or_longer_than_announced_is_refused() {
    for (announced, actual) in [(10u64, 9usize), (10, 11)] {
        let message = Message::new().attach(Attachment::from_reader(
            "f",
            "text/plain",
            announced,
            Cursor::new(bytes(actual)),
        ));
        let err = seal_to_vec(message, &options("pw")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
        assert!(err.to_string().contains("change while sealing"), "{err}");
    }
}

#[test]
fn sealing_refuses_what_opening_would_refuse() {
    let refuse = |message: Message, options: SealOptions, kind: ErrorKind| {
        let err = seal_to_vec(message, &options).unwrap_err();
        assert_eq!(err.kind(), kind, "{err}");
    };
    refuse(
        Message::new(),
        SealOptions::new().kdf(KdfParams::MIN),
        ErrorKind::InvalidInput,
    );
    refuse(Message::new(), options(""), ErrorKind::InvalidInput);
    refuse(
        Message::new(),
        options("pw").kdf(KdfParams {
            m_kib: 512 * 1024,
            t: 1,
            p: 1,
        }),
        ErrorKind::LimitExceeded,
    );
    refuse(
        Message::new(),
        options("pw").kdf(KdfParams {
            m_kib: 8,
            t: 0,
            p: 1,
        }),
        ErrorKind::InvalidInput,
    );
    let many = (0..21).fold(SealOptions::new().kdf(KdfParams::MIN), |o, i| {
        o.passphrase(Passphrase::new(&format!("p{i}")))
    });
    refuse(Message::new(), many, ErrorKind::LimitExceeded);
    refuse(
        Message::new().subject("s".repeat(limits::MAX_SUBJECT_LEN + 1)),
        options("pw"),
        ErrorKind::LimitExceeded,
    );
    refuse(
        Message::new().attach(Attachment::from_bytes("", "text/plain", vec![])),
        options("pw"),
        ErrorKind::InvalidInput,
    );
    refuse(
        Message::new().attach(Attachment::from_bytes("a", "text/<b>", vec![])),
        options("pw"),
        ErrorKind::InvalidInput,
    );
    refuse(
        Message::new(),
        options("pw").label("l".repeat(limits::MAX_LABEL_LEN + 1)),
        ErrorKind::LimitExceeded,
    );
    refuse(
        Message::new().date(MessageDate {
            unix_seconds: 0,
            offset_minutes: 1440,
        }),
        options("pw"),
        ErrorKind::InvalidInput,
    );
}

#[test]
fn the_header_is_readable_without_the_passphrase() {
    let sealed = seal_to_vec(
        Message::new(),
        &options("pw")
            .passphrase(Passphrase::new("other"))
            .label("From the clinic")
            .hint("the usual"),
    )
    .unwrap();
    let envelope = Envelope::new(&sealed[..]).unwrap();
    let header = envelope.header();
    assert_eq!(header.version(), 1);
    assert_eq!(header.kdf, KdfParams::MIN);
    assert_eq!(header.slots.len(), 2);
    assert_eq!(header.slots[0].type_name(), "passphrase");
    assert_eq!(header.label.as_deref(), Some("From the clinic"));
    assert_eq!(header.hint.as_deref(), Some("the usual"));
    assert_eq!(&sealed[..header.len()], header.as_bytes());
}

#[test]
fn secrets_do_not_print() {
    let p = Passphrase::new("hunter2-correct-horse");
    assert!(!format!("{p:?}").contains("hunter2"));
    let options = options("hunter2-correct-horse");
    assert!(!format!("{options:?}").contains("hunter2"));
}

#[test]
fn a_wrong_passphrase_is_told_apart_from_damage() {
    let sealed = seal_to_vec(Message::new().text_body("secret"), &options("right")).unwrap();
    let err = open(&sealed, &Passphrase::new("wrong")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WrongPassphrase);
    assert!(err.to_string().starts_with("wrong passphrase"), "{err}");
    let mut damaged = sealed.clone();
    *damaged.last_mut().unwrap() ^= 1;
    let err = open(&damaged, &Passphrase::new("right")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Damaged);
    assert!(err.to_string().contains("damaged or was altered"), "{err}");
}

#[test]
fn an_unknown_part_is_an_error_not_a_panic() {
    let sealed = seal_to_vec(Message::new(), &options("pw")).unwrap();
    let mut envelope = Envelope::new(Cursor::new(&sealed))
        .unwrap()
        .unlock_random_access(&Passphrase::new("pw"))
        .unwrap();
    assert_eq!(
        envelope
            .read_part_to_vec(PartKind::Attachment(3))
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        envelope
            .read_part_to_vec(PartKind::HtmlBody)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(envelope.read_html_body().unwrap(), None);
}

#[test]
fn a_receipt_needs_a_plain_address_and_seal_with_receipt() {
    let message = || Message::new().subject("s");
    let asked = options("pw").request_receipt("records@clinic.example");
    // seal would lose the record that recognises the codes: refused.
    let err = seal_to_vec(message(), &asked).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("seal_with_receipt"), "{err}");
    let (envelope, record) =
        envelope_core::seal_with_receipt(message(), &asked, Vec::new()).unwrap();
    let code = open(&envelope, &Passphrase::new("pw"))
        .unwrap()
        .receipt
        .unwrap()
        .code;
    assert_eq!(record.recognise(&code), Some(0));
    // Not asked for: seal_with_receipt has no record to give.
    let err = envelope_core::seal_with_receipt(message(), &options("pw"), Vec::new()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    for bad in [
        "records",
        "a@b.example?cc=c@d.example",
        "Name <a@b.example>",
    ] {
        let err = envelope_core::seal_with_receipt(
            message(),
            &options("pw").request_receipt(bad),
            Vec::new(),
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(
            err.to_string().contains("not a plain e-mail address"),
            "{err}"
        );
    }
}
