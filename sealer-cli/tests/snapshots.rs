//! Snapshots of what recipients see first: the page's markup before its
//! data blocks, and the notice e-mail without its attachment. A template
//! change shows up here as a diff to review; `UPDATE_SNAPSHOTS=1 cargo test
//! -p sealer-cli --test snapshots` rewrites the files after a deliberate
//! change.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use envelope_core::{KdfParams, Message, Passphrase, SealOptions, seal_to_vec};
use sealer::notice::{Notice, notice_email};
use sealer::{PageOptions, render_page};

fn compare(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no snapshot {path:?}; run with UPDATE_SNAPSHOTS=1"));
    assert!(
        expected == actual,
        "{name} changed; review, then UPDATE_SNAPSHOTS=1:\n{actual}"
    );
}

/// Replaces what changes on every run or every decryptor build: after each
/// `prefix`, everything up to (not including) the next `end`.
fn mask(text: &str, prefix: &str, end: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        out.push_str(&rest[..at + prefix.len()]);
        out.push('…');
        rest = &rest[at + prefix.len()..];
        rest = &rest[rest.find(end).unwrap_or(rest.len())..];
    }
    out.push_str(rest);
    out
}

fn page() -> String {
    let options = SealOptions::new()
        .kdf(KdfParams {
            m_kib: 8,
            t: 1,
            p: 1,
        })
        .passphrase(Passphrase::new("pw"))
        .label("Secure message from Example Clinic")
        .hint("six words, sent by SMS");
    let envelope = seal_to_vec(Message::new().subject("s"), &options).unwrap();
    render_page(&envelope, &PageOptions::default()).unwrap()
}

#[test]
fn the_page_markup() {
    let page = page();
    let markup = &page[..page
        .find("<script type=\"application/octet-stream\"")
        .unwrap()];
    compare(
        "page.html",
        &mask(markup, "'sha256-", "'").replace("\r\n", "\n"),
    );
}

#[test]
fn the_notice_email() {
    let notice = Notice {
        from: "Example Clinic <records@clinic.example>".into(),
        to: vec!["Zoë Patient <zoe@example.org>".into()],
        cc: vec!["gp@practice.example".into()],
        subject: None,
        label: Some("Secure message from Example Clinic".into()),
        hint: Some("six words, sent by SMS".into()),
        lang: "en".into(),
        date: 1_763_465_200,
        ..Notice::default()
    };
    let mail = String::from_utf8(notice_email(&page(), &notice).unwrap()).unwrap();
    // Up to the attachment's headers; then the boundaries and Message-ID,
    // which are random, and the page's size, which follows the decryptor.
    let head = &mail[..mail
        .find("Content-Transfer-Encoding: 7bit\r\n\r\n<!DOCTYPE")
        .unwrap()];
    let mut masked = mask(head, "Message-ID: <", "@");
    masked = mask(&masked, "boundary=\"", "\"");
    masked = mask(&masked, "\r\n--", "\r\n");
    // The size, possibly split by a quoted-printable soft break.
    masked = mask(&masked, ".html (", "B)");
    masked = mask(&masked, "</strong> (", "B)");
    compare("notice.eml", &masked.replace("\r\n", "\n"));
}
