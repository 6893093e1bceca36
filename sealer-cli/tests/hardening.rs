//! Regression tests for what the red-team pass of issue 13 found in the
//! command (items 9-12), each named after what must hold.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::Path;

use common::{listing, run, scratch, sealer, stderr, stdout};
use envelope_core::{Attachment, KdfParams, Message, Passphrase, SealOptions, seal_to_vec};

const PASSPHRASE: &str = "tulip-gravel-sonnet-ember-abacus-zoology";

fn cheap(passphrase: &str) -> SealOptions {
    SealOptions::new()
        .kdf(KdfParams::MIN)
        .passphrase(Passphrase::new(passphrase))
}

/// A test vector's envelope and passphrase.
fn vector(name: &str) -> (Vec<u8>, String) {
    use base64::Engine;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../tests/vectors/{name}.json"));
    let vector: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let envelope = base64::engine::general_purpose::STANDARD
        .decode(vector["envelope"].as_str().unwrap())
        .unwrap();
    (envelope, vector["passphrase"].as_str().unwrap().to_owned())
}

#[test]
fn a_body_that_is_not_utf8_is_damaged_for_open_and_inspect_as_for_the_page() {
    let dir = scratch("not-utf8");
    let (envelope, passphrase) = vector("text-body-invalid-utf8");
    fs::write(dir.join("bad.envelope"), envelope).unwrap();
    fs::write(dir.join("pass.txt"), passphrase).unwrap();
    let before = listing(&dir);
    for command in [
        &["open", "bad.envelope", "--passphrase-file", "pass.txt"][..],
        &[
            "inspect",
            "bad.envelope",
            "--verify",
            "--passphrase-file",
            "pass.txt",
        ],
    ] {
        let output = run(sealer(&dir).args(command), 5);
        assert!(
            stderr(&output).contains("text body is not valid UTF-8"),
            "{}",
            stderr(&output)
        );
        assert!(
            !stdout(&output).contains("Subject"),
            "nothing of the message shown"
        );
        assert_eq!(listing(&dir), before, "nothing saved");
    }
}

#[test]
fn saved_attachments_are_the_owners_only_and_a_long_name_is_shortened() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("modes");
    let long_name = format!("{}.pdf", "\u{e9}".repeat(180));
    let message = Message::new()
        .subject("s")
        .attach(Attachment::from_bytes(
            &long_name,
            "application/pdf",
            b"%PDF".to_vec(),
        ))
        .attach(Attachment::from_bytes("b.txt", "text/plain", b"b".to_vec()));
    fs::write(
        dir.join("m.envelope"),
        seal_to_vec(message, &cheap(PASSPHRASE)).unwrap(),
    )
    .unwrap();
    fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    run(
        sealer(&dir).args(["open", "m.envelope", "--passphrase-file", "pass.txt"]),
        0,
    );
    let folder = dir.join("m");
    assert_eq!(
        fs::metadata(&folder).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let names = listing(&folder);
    assert_eq!(names.len(), 2, "{names:?}");
    for name in names {
        assert!(name.len() <= 240, "{name}");
        let mode = fs::metadata(folder.join(&name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
}

#[test]
fn a_failed_notice_leaves_no_page_behind() {
    let dir = scratch("eml-fails");
    fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    let output = run(
        sealer(&dir).args([
            "seal",
            "--demo",
            "--passphrase-file",
            "pass.txt",
            "--output",
            "s.html",
            "--eml",
            "no-such-folder/s.eml",
        ]),
        1,
    );
    assert!(
        stderr(&output).contains("cannot write"),
        "{}",
        stderr(&output)
    );
    assert_eq!(listing(&dir), ["pass.txt"], "no page without its notice");
}

#[test]
fn a_passphrase_file_with_a_byte_order_mark_means_the_words_alone() {
    let dir = scratch("bom");
    fs::write(dir.join("bom.txt"), format!("\u{feff}{PASSPHRASE}\r\n")).unwrap();
    fs::write(dir.join("plain.txt"), PASSPHRASE).unwrap();
    run(
        sealer(&dir).args([
            "seal",
            "--demo",
            "--passphrase-file",
            "bom.txt",
            "-o",
            "s.html",
        ]),
        0,
    );
    run(
        sealer(&dir).args([
            "inspect",
            "s.html",
            "--verify",
            "--passphrase-file",
            "plain.txt",
        ]),
        0,
    );
}

#[test]
fn inspect_shows_a_label_on_one_line_whatever_it_holds() {
    let dir = scratch("label-lines");
    let options = cheap(PASSPHRASE).label("Results\nVerified: genuine sender\u{202e}");
    fs::write(
        dir.join("l.envelope"),
        seal_to_vec(Message::new().subject("s"), &options).unwrap(),
    )
    .unwrap();
    let output = run(sealer(&dir).args(["inspect", "l.envelope"]), 0);
    let shown = stdout(&output);
    assert!(
        !shown.lines().any(|line| line.starts_with("Verified")),
        "{shown}"
    );
    assert!(
        shown.contains("Results\\nVerified: genuine sender\\u{202e}"),
        "{shown}"
    );
}

#[test]
fn completions_and_the_manual_stop_quietly_when_the_reader_does() {
    let dir = scratch("pipe");
    let bin = assert_cmd::cargo::cargo_bin("sealer");
    fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    run(
        sealer(&dir).args([
            "seal",
            "--demo",
            "--passphrase-file",
            "pass.txt",
            "-o",
            "s.html",
        ]),
        0,
    );
    for what in [
        "completions bash",
        "man",
        "verify s.html --json",
        "inspect s.html",
    ] {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "'{}' {what} | head -c 10 >/dev/null",
                bin.display()
            ))
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            !String::from_utf8_lossy(&output.stderr).contains("panicked"),
            "{what}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(output.status.code(), Some(0), "{what}");
    }
}

#[test]
fn a_device_is_refused_at_once_instead_of_read_forever() {
    let dir = scratch("device");
    for command in ["open", "inspect", "verify"] {
        let output = run(sealer(&dir).args([command, "/dev/zero"]), 3);
        assert!(
            stderr(&output).contains("is a device"),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn inspect_names_the_decryptor_of_the_page_a_mail_carries() {
    let dir = scratch("inspect-mail");
    fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    run(
        sealer(&dir).args([
            "seal",
            "--demo",
            "--passphrase-file",
            "pass.txt",
            "-o",
            "s.html",
            "--eml",
            "s.eml",
        ]),
        0,
    );
    let page = stdout(&run(sealer(&dir).args(["inspect", "s.html"]), 0));
    let mail = stdout(&run(sealer(&dir).args(["inspect", "s.eml"]), 0));
    let decryptor = |text: &str| {
        text.lines()
            .find(|line| line.starts_with("Decryptor:"))
            .unwrap()
            .to_owned()
    };
    assert!(!decryptor(&mail).contains("raw envelope"), "{mail}");
    assert_eq!(decryptor(&mail), decryptor(&page));
}
