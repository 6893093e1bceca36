//! `sealer wrap` with content rules: a message no tag asks to seal is
//! sealed when its text, an attachment's text (a DOCX here; PDF in the
//! unit tests) or a forwarded message holds a valid card, bank account or
//! health number; an invalid number (a failed check digit) passes it
//! unchanged; with `on_match = "refuse"` it is bounced instead; the audit
//! log names the rule that fired, never the number.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;

use common::gateway::{GENERATE, audit, gateway, wrap_logged};
use common::run;
use serde_json::Value;

const EX_DATAERR: i32 = 65;

/// A DOCX whose document holds `paragraphs`.
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"))
        .collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document \
         xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}</w:body></w:document>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// An untagged message from `from`: `text`, and `attachment` (name, type,
/// bytes) base64-encoded.
fn message(from: &str, text: &str, attachment: Option<(&str, &str, &[u8])>) -> Vec<u8> {
    use base64::Engine;
    let mut mail = format!(
        "From: {from}\r\nTo: Alex <alex@example.org>\r\nSubject: Your account\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
    );
    if let Some((name, media_type, bytes)) = attachment {
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        mail.push_str(&format!(
            "--b\r\nContent-Type: {media_type}\r\nContent-Disposition: attachment; \
             filename={name}\r\nContent-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n"
        ));
    }
    mail.push_str("--b--\r\n");
    mail.into_bytes()
}

fn last(dir: &Path) -> Value {
    audit(dir).pop().unwrap()
}

fn content_gateway(name: &str, extra: &str) -> std::path::PathBuf {
    gateway(
        name,
        &format!(
            "{GENERATE}[pass]\nsenders = [\"robot@clinic.example\"]\n[content]\n\
             detectors = [\"all\"]\npatterns = [{{ name = \"patient-id\", regex = \
             \"\\\\bPID-[0-9]{{6}}\\\\b\" }}]\n{extra}"
        ),
    )
}

const ADA: &str = "Dr Ada <ada@clinic.example>";

#[test]
fn what_a_message_says_makes_it_sealed() {
    let dir = content_gateway("content-seal", "");
    let forwarded = {
        let inner = "From: lab@example.net\r\nSubject: Results\r\n\r\nNHS No. 943 476 5919\r\n";
        let mail = format!(
            "From: {ADA}\r\nTo: alex@example.org\r\nSubject: Fwd\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: text/plain\r\n\r\n\
             See below.\r\n--o\r\nContent-Type: message/rfc822\r\n\r\n{inner}\r\n--o--\r\n"
        );
        mail.into_bytes()
    };
    let letter = docx(&["Dear Alex,", "please pay to DE89 3704 0044 0532 0130 00."]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "a card number in the text",
            message(ADA, "Card 4111 1111 1111 1111, thanks.", None),
            "payment-card",
        ),
        (
            "an IBAN in a DOCX",
            message(
                ADA,
                "See the letter.",
                Some((
                    "letter.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    &letter,
                )),
            ),
            "iban",
        ),
        (
            "an NHS number in a forwarded message",
            forwarded,
            "nhs-number",
        ),
        (
            "an SSN from a sender that passes",
            message("robot@clinic.example", "SSN 536-22-1234", None),
            "us-ssn",
        ),
        (
            "the organisation's own pattern",
            message(ADA, "About PID-123456.", None),
            "pattern patient-id",
        ),
    ];
    for (case, mail, rule) in cases {
        run(
            wrap_logged(&dir)
                .args(["--output", "out.eml"])
                .write_stdin(mail),
            0,
        );
        let line = last(&dir);
        assert_eq!(line["action"], "sealed", "{case}: {line}");
        assert_eq!(line["rule"], format!("content: {rule}"), "{case}");
        assert_eq!(
            line["content"]["fired"],
            serde_json::json!([rule]),
            "{case}"
        );
        let text = line.to_string();
        for number in ["4111", "3704", "943 476", "536-22", "123456"] {
            assert!(
                !text.contains(number),
                "{case}: the log holds {number}: {text}"
            );
        }
        let out = fs::read_to_string(dir.join("out.eml")).unwrap();
        assert!(out.contains("securedoc-"), "{case}: not sealed");
        fs::remove_file(dir.join("out.eml")).unwrap();
    }
    // Numbers that fail their check digit: passed unchanged.
    for text in [
        "Card 4111 1111 1111 1112.",
        "IBAN DE89 3704 0044 0532 0130 01.",
        "NHS No. 943 476 5918.",
        "Order 000-12-3456.",
    ] {
        let mail = message(ADA, text, None);
        let output = run(wrap_logged(&dir).write_stdin(mail.clone()), 0);
        assert_eq!(output.stdout, mail, "{text}");
        let line = last(&dir);
        assert_eq!(line["action"], "passed", "{text}");
        assert_eq!(line["content"]["fired"], serde_json::json!([]), "{text}");
    }
}

#[test]
fn refuse_bounces_what_would_leave_unsealed() {
    let dir = content_gateway("content-refuse", "on_match = \"refuse\"\n");
    let mail = message(ADA, "Card 4111 1111 1111 1111.", None);
    let output = run(
        wrap_logged(&dir)
            .args(["--output", "out.eml"])
            .write_stdin(mail.clone()),
        EX_DATAERR,
    );
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("payment-card") && !said.contains("4111"),
        "{said}"
    );
    assert!(!dir.join("out.eml").exists());
    assert_eq!(last(&dir)["action"], "refused");
    // Tagged by its sender, the same message is sealed.
    let tagged = String::from_utf8(mail)
        .unwrap()
        .replace("Subject: Your account", "Subject: [secure] Your account");
    run(
        wrap_logged(&dir)
            .args(["--output", "out.eml"])
            .write_stdin(tagged),
        0,
    );
    let line = last(&dir);
    assert_eq!(line["action"], "sealed");
    assert_eq!(line["rule"], "subject tag [secure]");
    assert_eq!(
        line["content"]["fired"],
        serde_json::json!(["payment-card"])
    );
}
