//! Snapshots of what recipients see first: the page's markup before its
//! data blocks, and the notice e-mail without its attachment, kept by
//! `insta` in `tests/snapshots/`. A template change shows up here as a diff
//! to review; after a deliberate change, `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test -p sealer-cli --test snapshots`) takes
//! the new output.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use envelope_core::{KdfParams, Message, Passphrase, SealOptions, seal_to_vec};
use sealer::branding::Branding;
use sealer::notice::{Notice, notice_email};
use sealer::templates::Templates;
use sealer::{PageOptions, render_page};

fn compare(name: &str, actual: &str) {
    insta::with_settings!({
        snapshot_path => "snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, actual);
    });
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

fn page(options: &PageOptions) -> String {
    let options_seal = SealOptions::new()
        .kdf(KdfParams::MIN)
        .passphrase(Passphrase::new("pw"))
        .label("Secure message from Example Clinic")
        .hint("six words, sent by SMS");
    let envelope = seal_to_vec(Message::new().subject("s"), &options_seal).unwrap();
    render_page(&envelope, options).unwrap()
}

/// The example branding folder `templates/example/`: its `branding.json`,
/// logo and replaced `notice.txt.j2`.
fn example_branding() -> (Templates, Branding) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../templates/example");
    (
        Templates::from_dir(&dir).unwrap(),
        Branding::from_dir(&dir).unwrap(),
    )
}

/// The page's markup, before its data blocks.
fn markup(page: &str) -> String {
    let markup = &page[..page
        .find("<script type=\"application/octet-stream\"")
        .unwrap()];
    mask(markup, "'sha256-", "'").replace("\r\n", "\n")
}

#[test]
fn the_page_markup() {
    compare("page.html", &markup(&page(&PageOptions::default())));
}

#[test]
fn the_branded_page_markup() {
    let (templates, branding) = example_branding();
    let page = page(&PageOptions {
        templates,
        branding,
        ..PageOptions::default()
    });
    compare("page-branded.html", &markup(&page));
}

fn notice() -> Notice {
    Notice {
        from: Some("Example Clinic <records@clinic.example>".parse().unwrap()),
        to: vec!["Zo\u{eb} Patient <zoe@example.org>".parse().unwrap()],
        cc: vec!["gp@practice.example".parse().unwrap()],
        subject: None,
        label: Some("Secure message from Example Clinic".into()),
        hint: Some("six words, sent by SMS".into()),
        date: 1_763_465_200,
        ..Notice::default()
    }
}

/// The notice up to its attachment, less what changes on every run.
fn masked_notice(notice: &Notice) -> String {
    let mail =
        String::from_utf8(notice_email(&page(&PageOptions::default()), notice).unwrap()).unwrap();
    // Up to the attachment's headers; then the boundaries and Message-ID
    // (and the logo's Content-ID made from it), which are random, and the
    // page's size, which follows the decryptor.
    let head = &mail[..mail
        .find("Content-Transfer-Encoding: 7bit\r\n\r\n<!DOCTYPE")
        .unwrap()];
    let mut masked = mask(head, "Message-ID: <", "@");
    masked = mask(&masked, "cid:logo.", "@");
    masked = mask(&masked, "Content-ID: <logo.", "@");
    masked = mask(&masked, "boundary=\"", "\"");
    // The decryptor's release and hash, which follow every rebuild.
    masked = mask(&masked, "X-Sealer-Decryptor: ", "\r\nMIME-Version");
    masked = mask(&masked, "\r\n--", "\r\n");
    // The size, possibly split by a quoted-printable soft break.
    masked = mask(&masked, ".html (", "B)");
    masked = mask(&masked, "</strong> (", "B)");
    masked.replace("\r\n", "\n")
}

#[test]
fn the_notice_email() {
    compare("notice.eml", &masked_notice(&notice()));
}

#[test]
fn the_branded_notice_email() {
    let (templates, branding) = example_branding();
    let notice = Notice {
        templates,
        branding,
        ..notice()
    };
    compare("notice-branded.eml", &masked_notice(&notice));
}
