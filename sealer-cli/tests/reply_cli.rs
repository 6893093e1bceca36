//! Secure replies from the command line: `seal --reply-key` asks for them
//! and logs the envelope; an answer (sealed here exactly as the page seals
//! it) opens with the reply identity and with the original's passphrase,
//! and `open` says which envelope it answers and to whom that was sent.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;

use common::replies::{answer_page, frame_of};
use common::{run, scratch, sealer, stderr, stdout};
use envelope_core::{
    Attachment, Header, Message, MessageDate, Passphrase, PayloadKey, RecipientKey, SealOptions,
    envelope_id, open, seal_to_vec,
};

const PASSPHRASE: &str = "tulip-gravel-sonnet-ember-abacus-zoology";

#[test]
fn an_answer_opens_with_the_reply_identity_and_names_the_envelope_it_answers() {
    let dir = scratch("reply-answer");
    let log = dir.join("sent-log.jsonl");
    run(sealer(&dir).args(["keygen", "--output", "replies.key"]), 0);
    fs::write(dir.join("pass.txt"), format!("{PASSPHRASE}\n")).unwrap();
    let output = run(
        sealer(&dir)
            .env("SEALER_SENT_LOG", &log)
            .args(["seal", "--from", "Clinic <records@clinic.example>"])
            .args(["--to", "alex@example.org", "--subject", "Your results"])
            .args([
                "--passphrase-file",
                "pass.txt",
                "--reply-key",
                "replies.key.pub",
            ])
            .args([
                "--reply-to",
                "replies@clinic.example",
                "--output",
                "asks.html",
            ]),
        0,
    );
    assert!(
        stdout(&output).contains("Secure replies are asked for"),
        "{}",
        stdout(&output)
    );
    // Logged without a receipt, with where answers go.
    let entry: serde_json::Value =
        serde_json::from_str(fs::read_to_string(&log).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(entry["reply_to"], "replies@clinic.example");
    assert_eq!(entry["receipt_to"], "");
    assert_eq!(entry["subject"], "Your results");

    // The recipient opens it: the request is there, naming this envelope.
    let envelope = sealer::read_page(&fs::read(dir.join("asks.html")).unwrap()).unwrap();
    let opened = open(&envelope, &Passphrase::new(PASSPHRASE)).unwrap();
    let request = opened.manifest.reply_request.clone().unwrap();
    let header = Header::read_from(&mut &envelope[..]).unwrap();
    let id = envelope_id(header.as_bytes());
    assert_eq!(request.to, "replies@clinic.example");
    assert_eq!(request.envelope, id);
    assert_eq!(entry["envelope"], hex::encode(id));
    let output = run(
        sealer(&dir)
            .env("SEALER_SENT_LOG", &log)
            .args(["open", "asks.html", "--passphrase-file", "pass.txt"])
            .args(["--output-dir", "original"]),
        0,
    );
    assert!(stdout(&output).contains("Replies: the sender asks that answers be sealed"));

    // The answer, sealed as the page seals it.
    let slot = PayloadKey::unlock(&header, &Passphrase::new(PASSPHRASE))
        .unwrap()
        .reply_slot_key()
        .unwrap();
    let answer = seal_to_vec(
        Message::new()
            .to(&request.to)
            .subject("Re: Your results")
            .date(MessageDate::utc(1_795_000_000))
            .text_body("Thank you.\n")
            .attach(Attachment::from_bytes(
                "scan.pdf",
                "application/pdf",
                vec![7; 70_000],
            )),
        &SealOptions::new()
            .reply_slot(slot)
            .recovery_key(RecipientKey::from_bytes(request.key).unwrap())
            .in_reply_to(request.envelope),
    )
    .unwrap();
    fs::write(dir.join("answer.envelope"), &answer).unwrap();
    let output = run(
        sealer(&dir)
            .env("SEALER_SENT_LOG", &log)
            .args(["open", "answer.envelope", "--identity", "replies.key"])
            .args(["--output-dir", "by-identity"]),
        0,
    );
    let said = stdout(&output);
    assert!(said.contains("Subject: Re: Your results"), "{said}");
    assert!(
        said.contains(&format!(
            "Answers: envelope {}…, sealed ",
            hex::encode(&id[..8])
        )),
        "{said}"
    );
    assert!(
        said.contains("to alex@example.org, subject \"Your results\""),
        "{said}"
    );
    assert_eq!(
        fs::read(dir.join("by-identity/scan.pdf")).unwrap(),
        vec![7; 70_000]
    );
    // The original's passphrase opens it too; another log does not know it.
    let output = run(
        sealer(&dir)
            .env("SEALER_SENT_LOG", dir.join("other-log.jsonl"))
            .args(["open", "answer.envelope", "--passphrase-file", "pass.txt"])
            .args(["--output-dir", "by-passphrase"]),
        0,
    );
    assert!(
        stdout(&output).contains("which the sent-log"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_reply_address_must_be_plain_and_the_key_a_public_key() {
    let dir = scratch("reply-refused");
    run(sealer(&dir).args(["keygen", "--output", "replies.key"]), 0);
    fs::write(dir.join("pass.txt"), format!("{PASSPHRASE}\n")).unwrap();
    let seal = |extra: &[&str]| {
        let mut command = sealer(&dir);
        command
            .env("SEALER_SENT_LOG", dir.join("log.jsonl"))
            .args([
                "seal",
                "--to",
                "alex@example.org",
                "--passphrase-file",
                "pass.txt",
            ])
            .args(["--output", "x.html"])
            .args(extra);
        command
    };
    // No --from and no --reply-to: nowhere to send answers.
    let output = run(&mut seal(&["--reply-key", "replies.key.pub"]), 3);
    assert!(
        stderr(&output).contains("--reply-to"),
        "{}",
        stderr(&output)
    );
    let output = run(
        &mut seal(&[
            "--reply-key",
            "replies.key.pub",
            "--reply-to",
            "Clinic <replies@clinic.example>",
        ]),
        3,
    );
    assert!(
        stderr(&output).contains("plain address"),
        "{}",
        stderr(&output)
    );
    // A limit of 1 to 100 MB, and only with --reply-key.
    run(
        &mut seal(&[
            "--reply-key",
            "replies.key.pub",
            "--reply-to",
            "r@clinic.example",
            "--reply-limit",
            "101",
        ]),
        2,
    );
    run(&mut seal(&["--reply-limit", "5"]), 2);
    // The identity is not a public key; --reply-to needs --reply-key.
    run(
        &mut seal(&[
            "--reply-key",
            "replies.key",
            "--reply-to",
            "r@clinic.example",
        ]),
        3,
    );
    run(&mut seal(&["--reply-to", "r@clinic.example"]), 2);
    assert!(!dir.join("x.html").exists());
    assert!(!dir.join("log.jsonl").exists());
}

#[test]
fn the_page_of_an_answer_is_what_the_sealer_renders_and_verifies() {
    let dir = scratch("reply-page");
    run(sealer(&dir).args(["keygen", "--output", "replies.key"]), 0);
    fs::write(dir.join("pass.txt"), format!("{PASSPHRASE}\n")).unwrap();
    run(
        sealer(&dir)
            .env("SEALER_SENT_LOG", dir.join("log.jsonl"))
            .args([
                "seal",
                "--from",
                "records@clinic.example",
                "--to",
                "a@example.org",
            ])
            .args([
                "--passphrase-file",
                "pass.txt",
                "--reply-key",
                "replies.key.pub",
            ])
            .args([
                "--label",
                "Secure message from Zo\u{eb}'s clinic",
                "--lang",
                "de",
            ])
            .args(["--organisation", "Praxis Zo\u{eb}", "--output", "asks.html"]),
        0,
    );
    // The original carries the frame, and verifies with it.
    let original = fs::read_to_string(dir.join("asks.html")).unwrap();
    assert!(original.contains("id=\"reply-page\""));
    run(sealer(&dir).args(["verify", "asks.html"]), 0);
    // An envelope that asks for no replies has no frame.
    run(
        sealer(&dir)
            .args([
                "seal",
                "--to",
                "a@example.org",
                "--passphrase-file",
                "pass.txt",
            ])
            .args(["--output", "plain.html"]),
        0,
    );
    assert!(
        !fs::read_to_string(dir.join("plain.html"))
            .unwrap()
            .contains("reply-page")
    );
    // A lower limit travels in the frame, and verifies.
    run(
        sealer(&dir)
            .env("SEALER_SENT_LOG", dir.join("log.jsonl"))
            .args([
                "seal",
                "--from",
                "records@clinic.example",
                "--to",
                "a@example.org",
            ])
            .args([
                "--passphrase-file",
                "pass.txt",
                "--reply-key",
                "replies.key.pub",
            ])
            .args(["--reply-limit", "5", "--output", "five.html"]),
        0,
    );
    assert_eq!(
        frame_of(&fs::read_to_string(dir.join("five.html")).unwrap()).limit,
        5_000_000
    );
    run(sealer(&dir).args(["verify", "five.html"]), 0);

    // The answer, sealed as the page seals it, in the page the frame makes.
    let frame = frame_of(&original);
    assert_eq!(frame.label, "Re: Secure message from Zo\u{eb}'s clinic");
    assert_eq!(frame.limit, 20_000_000);
    assert_eq!(
        frame.hint,
        "Der Passwortsatz der Nachricht, auf die Sie geantwortet haben"
    );
    let page = answer_page(
        &original,
        PASSPHRASE,
        "Danke.\n",
        &[("big.bin", "application/octet-stream", vec![1; 200_000])],
    );
    fs::write(dir.join("reply-2026-11-30.html"), &page).unwrap();
    let output = run(sealer(&dir).args(["verify", "reply-2026-11-30.html"]), 0);
    assert!(
        stdout(&output).starts_with("Verified: "),
        "{}",
        stdout(&output)
    );
    let output = run(
        sealer(&dir)
            .args(["open", "reply-2026-11-30.html", "--identity", "replies.key"])
            .args(["--output-dir", "answer"]),
        0,
    );
    assert!(stdout(&output).contains("Subject: Re: Your results"));
    assert_eq!(
        fs::read(dir.join("answer/big.bin")).unwrap(),
        vec![1; 200_000]
    );
    // One byte of the frame's text changed: the reply page no longer verifies.
    fs::write(
        dir.join("changed.html"),
        page.replacen("<main>", "<main >", 1),
    )
    .unwrap();
    run(sealer(&dir).args(["verify", "changed.html"]), 5);
}

/// An organisation's template without the `#reply-page` block cannot make
/// pages that ask for replies: sealing says so and writes nothing.
#[test]
fn a_template_without_the_reply_frame_is_refused_for_replies() {
    let dir = scratch("reply-template");
    run(sealer(&dir).args(["keygen", "--output", "replies.key"]), 0);
    fs::write(dir.join("pass.txt"), format!("{PASSPHRASE}\n")).unwrap();
    let template = fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/envelope.html.j2"),
    )
    .unwrap();
    let start = template.find("{% if reply_page %}").unwrap();
    let end = start + template[start..].find("{% endif %}").unwrap() + "{% endif %}".len();
    fs::create_dir(dir.join("look")).unwrap();
    fs::write(
        dir.join("look/envelope.html.j2"),
        format!("{}{}", &template[..start], &template[end..]),
    )
    .unwrap();
    let seal = |extra: &[&str]| {
        let mut command = sealer(&dir);
        command
            .env("SEALER_SENT_LOG", dir.join("log.jsonl"))
            .args([
                "seal",
                "--from",
                "records@clinic.example",
                "--to",
                "a@example.org",
            ])
            .args(["--passphrase-file", "pass.txt", "--template-dir", "look"])
            .args(extra);
        command
    };
    let output = run(
        &mut seal(&["--reply-key", "replies.key.pub", "--output", "asks.html"]),
        3,
    );
    assert!(
        stderr(&output).contains("cannot make the pages of secure replies"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.join("asks.html").exists());
    // Without replies the same template is fine.
    run(&mut seal(&["--output", "plain.html"]), 0);
}
