//! The README's first command seals the demo message through the examples
//! crate; these tests hold that path to what the README promises.

// A failed unwrap here is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use envelope_core::{KdfParams, Passphrase, SealOptions, open};
use examples::{demo_message, seal_to_new_file};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("e2e-demo-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn options() -> SealOptions {
    SealOptions::new()
        .kdf(KdfParams {
            m_kib: 64,
            t: 1,
            p: 1,
        })
        .passphrase(Passphrase::new("demo-words-for-the-test-only"))
}

#[test]
fn the_demo_envelope_opens_with_every_part_intact() {
    let dir = scratch("opens");
    let path = dir.join("demo.html");
    seal_to_new_file(demo_message(), &options(), &path).unwrap();
    let page = std::fs::read_to_string(&path).unwrap();
    assert!(page.is_ascii());
    assert!(
        page.split("\r\n")
            .all(|line| line.len() <= 76 && !line.contains('\n'))
    );
    let bytes = sealer::extract_envelope(&page).unwrap();
    let opened = open(&bytes, &Passphrase::new("demo-words-for-the-test-only")).unwrap();
    assert_eq!(opened.manifest.subject, "Your blood test results");
    assert!(opened.text_body.starts_with("Dear Alex"));
    assert!(opened.html_body.unwrap().contains("<p>Dear Alex,</p>"));
    let names: Vec<&str> = opened
        .manifest
        .attachments
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["results.csv", "letter.txt"]);
    assert!(
        String::from_utf8(opened.attachments[1].clone())
            .unwrap()
            .starts_with("Überweisung")
    );
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let dir = scratch("exists");
    let path = dir.join("demo.html");
    std::fs::write(&path, b"precious").unwrap();
    let err = seal_to_new_file(demo_message(), &options(), &path).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"precious");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_failed_seal_leaves_no_file() {
    let dir = scratch("fails");
    let path = dir.join("demo.html");
    let err = seal_to_new_file(demo_message(), &SealOptions::new(), &path).unwrap_err();
    assert!(err.to_string().contains("no passphrase"), "{err}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    std::fs::remove_dir_all(dir).unwrap();
}
