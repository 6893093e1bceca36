//! `sealer unwrap`, the inbound filter of secure replies, run as a mail
//! server runs it: a reply is delivered as plain MIME (its text and files
//! byte for byte, the original's addressing, headers naming what it
//! answers), the sealed original attached or archived; a message without a
//! reply for the organisation's keys passes; a reply that fails to open is
//! delivered as it came with a warning; headers that claim what the
//! gateway asserts are removed; a wrong setup defers (75), losing nothing.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../tests/clamd.rs"]
#[allow(unreachable_pub, dead_code)]
mod clamd;
mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::replies::answer_page;
use common::{run, scratch, sealer, stderr};
use mail_parser::MimeHeaders;

const PASSPHRASE: &str = "tulip-gravel-sonnet-ember-abacus-zoology";

/// A clinic that asked for replies, and a patient's answer to it.
struct Setup {
    dir: PathBuf,
    answer: String,
    files: Vec<(&'static str, &'static str, Vec<u8>)>,
}

fn setup(name: &str) -> Setup {
    let dir = scratch(name);
    run(sealer(&dir).args(["keygen", "--output", "replies.key"]), 0);
    fs::write(dir.join("pass.txt"), format!("{PASSPHRASE}\n")).unwrap();
    run(
        sealer(&dir)
            .env("SEALER_SENT_LOG", dir.join("sent-log.jsonl"))
            .args(["seal", "--from", "records@clinic.example"])
            .args([
                "--to",
                "Alex <alex@example.org>",
                "--subject",
                "Your results",
            ])
            .args([
                "--passphrase-file",
                "pass.txt",
                "--reply-key",
                "replies.key.pub",
            ])
            .args(["--output", "asks.html"]),
        0,
    );
    let original = fs::read_to_string(dir.join("asks.html")).unwrap();
    let files = vec![
        ("diary.txt", "text/plain", b"Monday: fine.\n".repeat(100)),
        (
            "scan.pdf",
            "application/pdf",
            (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect(),
        ),
    ];
    let answer = answer_page(&original, PASSPHRASE, "Thank you, doctor.\n", &files);
    Setup { dir, answer, files }
}

/// The patient's mail program sends the reply page as an attachment.
fn reply_mail(page: &str, extra_headers: &str) -> Vec<u8> {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(page);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|line| std::str::from_utf8(line).unwrap())
        .collect();
    format!(
        "Received: from mx.example.org by mx.clinic.example; Mon, 30 Nov 2026 10:00:00 +0000\r\n\
         From: Alex <alex@example.org>\r\nTo: replies@clinic.example\r\n\
         Subject: Sealed reply\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\n\
         Message-ID: <r1@example.org>\r\n{extra_headers}MIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n\
         Please attach the saved file reply-2026-11-30.html to this e-mail before sending it.\r\n\
         --b1\r\nContent-Type: text/html; name=\"reply-2026-11-30.html\"\r\n\
         Content-Disposition: attachment; filename=\"reply-2026-11-30.html\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--b1--\r\n",
        lines.join("\r\n")
    )
    .into_bytes()
}

fn policy(dir: &Path, extra: &str) {
    fs::write(
        dir.join("unwrap.toml"),
        format!("identities = [\"replies.key\"]\nsent_log = \"sent-log.jsonl\"\n{extra}"),
    )
    .unwrap();
}

/// Runs `sealer unwrap` on `mail`, expecting `code`; returns what it wrote.
fn unwrap(dir: &Path, mail: &[u8], code: i32, output: &str) -> Vec<u8> {
    fs::write(dir.join("in.eml"), mail).unwrap();
    run(
        sealer(dir)
            .args(["unwrap", "in.eml", "--policy", "unwrap.toml"])
            .args(["--output", output, "--audit-log", "audit.jsonl"]),
        code,
    );
    fs::read(dir.join(output)).unwrap_or_default()
}

fn last_audit(dir: &Path) -> serde_json::Value {
    let log = fs::read_to_string(dir.join("audit.jsonl")).unwrap();
    serde_json::from_str(log.lines().last().unwrap()).unwrap()
}

/// The delivered message, parsed by an independent reader.
fn parsed(email: &[u8]) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default().parse(email).unwrap()
}

#[test]
fn a_reply_is_delivered_as_plain_mime_with_the_sealed_original_attached() {
    let setup = setup("unwrap-attach");
    let dir = &setup.dir;
    policy(dir, "");
    // A header a sender forged, claiming the gateway's verdict; the MX's
    // authentication results; a DKIM signature of a body about to go.
    let mail = reply_mail(
        &setup.answer,
        "X-Sealer-Reply-Content: verified\r\nAuthentication-Results: mx.clinic.example; \
         dkim=pass header.d=example.org\r\nDKIM-Signature: v=1; d=example.org; b=abc\r\n",
    );
    let delivered = unwrap(dir, &mail, 0, "out.eml");
    let message = parsed(&delivered);
    assert_eq!(message.subject(), Some("Re: Your results"));
    assert_eq!(
        message.from().unwrap().first().unwrap().address(),
        Some("alex@example.org")
    );
    assert_eq!(message.message_id(), Some("r1@example.org"));
    // Text travels with CRLF line ends in MIME.
    assert_eq!(message.body_text(0).unwrap(), "Thank you, doctor.\r\n");
    let text = String::from_utf8_lossy(&delivered);
    assert_eq!(
        text.matches("X-Sealer-Reply-Content:").count(),
        1,
        "{text:.2000}"
    );
    assert!(text.contains("X-Sealer-Reply-Content: verified; opened with reply key "));
    assert!(text.contains("X-Sealer-Reply-Answers: "));
    assert!(text.contains("to Alex <alex@example.org>"), "{text:.3000}");
    assert!(text.contains("X-Sealer-Reply-Original: attached as reply-2026-11-30.html"));
    let attachments: Vec<_> = message.attachments().collect();
    assert_eq!(attachments.len(), 3);
    for ((name, media_type, bytes), part) in setup.files.iter().zip(&attachments) {
        assert_eq!(part.attachment_name(), Some(*name));
        assert_eq!(
            part.content_type().unwrap().ctype(),
            media_type.split('/').next().unwrap()
        );
        assert_eq!(part.contents(), bytes.as_slice(), "{name}");
    }
    assert_eq!(attachments[2].contents(), setup.answer.as_bytes());
    let audit = last_audit(dir);
    assert_eq!(audit["action"], "opened");
    assert_eq!(audit["message_id"], "<r1@example.org>");
    assert_eq!(audit["answers"].as_str().unwrap().len(), 64);
}

#[test]
fn archived_originals_not_replies_and_broken_replies_lose_nothing() {
    let setup = setup("unwrap-others");
    let dir = &setup.dir;
    fs::create_dir(dir.join("archive")).unwrap();
    policy(dir, "original = \"archive\"\narchive_dir = \"archive\"\n");
    let delivered = unwrap(dir, &reply_mail(&setup.answer, ""), 0, "archived.eml");
    assert_eq!(parsed(&delivered).attachments().count(), 2);
    let archived: Vec<_> = fs::read_dir(dir.join("archive")).unwrap().collect();
    assert_eq!(archived.len(), 1);
    let path = archived[0].as_ref().unwrap().path();
    assert_eq!(fs::read_to_string(&path).unwrap(), setup.answer);
    assert_eq!(last_audit(dir)["archived"], path.display().to_string());

    // An ordinary message passes as it came, less a forged verdict.
    let plain = b"From: a@example.org\r\nTo: replies@clinic.example\r\n\
        X-Sealer-Reply-Content: verified;\r\n  folded on\r\nSubject: hi\r\n\r\nhello\r\n";
    let passed = unwrap(dir, plain, 0, "passed.eml");
    assert_eq!(
        passed,
        b"From: a@example.org\r\nTo: replies@clinic.example\r\nSubject: hi\r\n\r\nhello\r\n"
    );
    assert_eq!(last_audit(dir)["action"], "passed");

    // A reply sealed to another organisation's key passes as it came.
    run(sealer(dir).args(["keygen", "--output", "other.key"]), 0);
    fs::write(dir.join("other.toml"), "identities = [\"other.key\"]\n").unwrap();
    fs::write(dir.join("in.eml"), reply_mail(&setup.answer, "")).unwrap();
    run(
        sealer(dir).args([
            "unwrap",
            "in.eml",
            "--policy",
            "other.toml",
            "--output",
            "other.eml",
        ]),
        0,
    );
    assert_eq!(
        fs::read(dir.join("other.eml")).unwrap(),
        reply_mail(&setup.answer, "")
    );

    // One for us with a byte of its payload changed is delivered as it
    // came, with a warning.
    let mut damaged = setup.answer.clone().into_bytes();
    let chunk = String::from_utf8_lossy(&damaged)
        .find("class=\"envelope-chunk\">")
        .unwrap()
        + "class=\"envelope-chunk\">".len()
        + 10;
    damaged[chunk] = if damaged[chunk] == b'A' { b'B' } else { b'A' };
    let damaged = String::from_utf8(damaged).unwrap();
    let mail = reply_mail(&damaged, "");
    let warned = unwrap(dir, &mail, 0, "warned.eml");
    let text = String::from_utf8_lossy(&warned);
    assert!(
        text.starts_with("X-Sealer-Reply-Warning: not opened: "),
        "{text:.500}"
    );
    assert!(warned.ends_with(&mail[mail.len() - 200..]));
    assert_eq!(last_audit(dir)["action"], "warned");
}

#[test]
fn a_wrong_setup_defers_the_message() {
    let setup = setup("unwrap-setup");
    let dir = &setup.dir;
    let mail = reply_mail(&setup.answer, "");
    // No such identity; an archive folder that is not there; a policy with
    // a typo.
    fs::write(dir.join("unwrap.toml"), "identities = [\"missing.key\"]\n").unwrap();
    unwrap(dir, &mail, 75, "a.eml");
    policy(dir, "original = \"archive\"\narchive_dir = \"nowhere\"\n");
    unwrap(dir, &mail, 75, "b.eml");
    policy(dir, "orignal = \"attach\"\n");
    unwrap(dir, &mail, 75, "c.eml");
    assert!(!dir.join("a.eml").exists() && !dir.join("c.eml").exists());
    assert_eq!(last_audit(dir)["action"], "deferred");
    // An output that exists is never overwritten.
    policy(dir, "");
    fs::write(dir.join("taken.eml"), "keep me").unwrap();
    fs::write(dir.join("in.eml"), &mail).unwrap();
    let output = run(
        sealer(dir).args([
            "unwrap",
            "in.eml",
            "--policy",
            "unwrap.toml",
            "--output",
            "taken.eml",
        ]),
        75,
    );
    assert!(stderr(&output).contains("already exists"));
    assert_eq!(
        fs::read_to_string(dir.join("taken.eml")).unwrap(),
        "keep me"
    );
}

#[test]
fn replies_are_scanned_before_delivery() {
    if clamd::skipped() {
        return;
    }
    let setup = setup("unwrap-scan");
    let dir = &setup.dir;
    let mut scanner = clamd::TestClamd::start(&dir.join("clamd"));
    policy(
        dir,
        &format!("[scan]\nclamd = \"{}\"\n", scanner.socket.display()),
    );
    // A clean reply: delivered, saying what the scan found; a claim of the
    // same header from outside is removed first.
    let delivered = unwrap(
        dir,
        &reply_mail(
            &setup.answer,
            "X-Sealer-Reply-Scan: no threat found; trust me\r\n",
        ),
        0,
        "clean.eml",
    );
    let mail = parsed(&delivered);
    let said: Vec<&str> = mail
        .header_values("X-Sealer-Reply-Scan")
        .filter_map(|v| v.as_text())
        .collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].starts_with("no threat found; ClamAV 1.") && said[0].contains("signatures 27110"),
        "{said:?}"
    );
    assert_eq!(last_audit(dir)["scan"]["verdict"], "clean");

    // A reply carrying the EICAR file: opened, scanned, and not delivered.
    let original = fs::read_to_string(dir.join("asks.html")).unwrap();
    let infected = answer_page(
        &original,
        PASSPHRASE,
        "Here is the file.\n",
        &[(
            "tool.com",
            "application/octet-stream",
            clamd::EICAR.to_vec(),
        )],
    );
    let out = unwrap(dir, &reply_mail(&infected, ""), 65, "infected.eml");
    assert!(out.is_empty(), "an infected reply was delivered");
    let line = last_audit(dir);
    assert_eq!(line["action"], "refused");
    assert_eq!(line["scan"]["threat"], clamd::EICAR_THREAT);

    // The scanner stopped: the reply stays queued.
    scanner.stop();
    let out = unwrap(dir, &reply_mail(&setup.answer, ""), 75, "later.eml");
    assert!(out.is_empty());
    assert_eq!(last_audit(dir)["scan"]["verdict"], "scanner-unavailable");
}
