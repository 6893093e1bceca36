//! docs/GATEWAY.md followed for real: this machine's Postfix, on loopback,
//! with `sealer wrap` in front of it as a content filter, set up by
//! `examples/gateway/setup-postfix.sh` (the guide's steps). Two messages go
//! in by SMTP to a local mailbox: the plain one arrives as it was sent, the
//! one with `[secure]` in its subject arrives sealed and opens with the
//! passphrase the gateway wrote for its sender. A secure reply arrives
//! opened. With `[scan]` (a real `clamd`, `tests/clamd.rs`) and `[content]`
//! in the policy: an infected message never leaves, sealed or not; one
//! with a card number and no tag leaves sealed, its envelope saying it was
//! scanned; with the scanner stopped, mail stays queued and goes out once it
//! is back.
//!
//! It needs root and Debian's `postfix` (`.ci/run` installs it) and changes
//! this machine's Postfix configuration; `SKIP_POSTFIX_TEST=1` skips it.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

const MAILBOX_USER: &str = "sealertest";
const MAILBOX: &str = "/var/mail/sealertest";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `program args`, failing the test with its output if it fails.
fn sh(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("{program}: {err}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The `sealer` binary, built now (this package does not build it).
fn sealer_binary() -> PathBuf {
    sh(
        env!("CARGO"),
        &["build", "-q", "-p", "sealer-cli", "--bin", "sealer"],
    );
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    target.join("debug/sealer")
}

/// Sends `message` to `recipient` over SMTP on 127.0.0.1:25.
fn send(sender: &str, recipient: &str, message: &str) {
    let stream = TcpStream::connect(("127.0.0.1", 25)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut expect = |code: &str| loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with(code), "wanted {code}, got {line:?}");
        if line.as_bytes().get(3) != Some(&b'-') {
            break;
        }
    };
    expect("220");
    for (command, code) in [
        ("EHLO sender.test".to_owned(), "250"),
        (format!("MAIL FROM:<{sender}>"), "250"),
        (format!("RCPT TO:<{recipient}>"), "250"),
        ("DATA".to_owned(), "354"),
    ] {
        write!(writer, "{command}\r\n").unwrap();
        expect(code);
    }
    // Dot-stuffing: no line of these messages starts with a dot.
    assert!(!message.contains("\n."));
    write!(writer, "{message}\r\n.\r\n").unwrap();
    expect("250");
    write!(writer, "QUIT\r\n").unwrap();
}

/// The messages in an mbox file, each without its `From ` line.
fn mbox_messages(text: &str) -> Vec<String> {
    let mut messages: Vec<String> = Vec::new();
    let mut previous_blank = true;
    for line in text.lines() {
        if previous_blank && line.starts_with("From ") {
            messages.push(String::new());
        } else if let Some(message) = messages.last_mut() {
            message.push_str(line);
            message.push('\n');
        }
        previous_blank = line.is_empty();
    }
    messages
}

fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    message
        .split("\n\n")
        .next()?
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
}

/// Stops the Postfix this test started, however the test ends.
struct StopPostfix;

impl Drop for StopPostfix {
    fn drop(&mut self) {
        let _ = Command::new("postfix").arg("stop").output();
    }
}

#[test]
fn postfix_with_the_filter_seals_tagged_mail_and_passes_the_rest() {
    if std::env::var_os("SKIP_POSTFIX_TEST").is_some() {
        eprintln!("skipped: SKIP_POSTFIX_TEST is set");
        return;
    }
    assert_eq!(
        sh("id", &["-u"]).trim(),
        "0",
        "this test sets up Postfix and needs root (SKIP_POSTFIX_TEST=1 skips it)"
    );
    assert!(
        Path::new("/usr/sbin/postfix").exists(),
        "needs Debian's postfix: apt-get install postfix (.ci/run does; SKIP_POSTFIX_TEST=1 skips)"
    );
    let sealer = sealer_binary();

    // A Postfix on loopback only, delivering to local mailboxes.
    sh(
        "postconf",
        &[
            "-e",
            "inet_interfaces = loopback-only",
            "inet_protocols = ipv4",
            "myhostname = localhost",
            // clinic.example: the reply address's domain is delivered here.
            "mydestination = localhost, clinic.example",
        ],
    );
    if Command::new("id")
        .arg(MAILBOX_USER)
        .output()
        .unwrap()
        .status
        .success()
    {
        let _ = std::fs::remove_file(MAILBOX);
    } else {
        sh("useradd", &["--no-create-home", MAILBOX_USER]);
    }
    let _stop = StopPostfix;
    let setup = Command::new("sh")
        .arg(root().join("examples/gateway/setup-postfix.sh"))
        .arg(&sealer)
        .env("SEALER_REPLY_ADDRESSES", REPLY_ADDRESS)
        .output()
        .unwrap();
    assert!(setup.status.success(), "{setup:?}");

    let stamp = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let recipient = format!("{MAILBOX_USER}@localhost");
    let message = |subject: &str, id: &str| {
        format!(
            "From: Dr A. Weber <a.weber@clinic.example>\r\nTo: <{recipient}>\r\n\
             Subject: {subject}\r\nMessage-ID: <{id}.{stamp}@clinic.example>\r\n\
             Date: Mon, 23 Nov 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n\
             Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
             Dear Zoë,\r\nyour results are fine.\r\n"
        )
    };
    send(
        "a.weber@clinic.example",
        &recipient,
        &message("Lunch on Friday?", "plain"),
    );
    send(
        "a.weber@clinic.example",
        &recipient,
        &message("[secure] Befund für Zoë", "secure"),
    );

    let messages = wait_for_mail(2);
    let by_id = |id: &str| {
        messages
            .iter()
            .find(|m| header(m, "Message-ID").is_some_and(|h| h.contains(id)))
            .unwrap_or_else(|| panic!("no message {id} in {messages:?}"))
    };

    let plain = by_id(&format!("plain.{stamp}"));
    assert_eq!(header(plain, "Subject"), Some("Lunch on Friday?"));
    assert!(
        plain.contains("\n\nDear Zoë,\nyour results are fine.\n"),
        "passed unchanged: {plain}"
    );

    let sealed = by_id(&format!("secure.{stamp}"));
    assert_eq!(header(sealed, "Subject"), Some("Secure message"));
    assert_eq!(
        header(sealed, "From"),
        Some("Dr A. Weber <a.weber@clinic.example>")
    );
    assert!(!sealed.contains("Befund"), "the subject stays sealed");
    assert!(
        !sealed.contains("your results are fine"),
        "so does the body"
    );

    // The passphrase the gateway wrote for the sender opens it.
    let scratch = std::env::temp_dir().join(format!("sealer-postfix-{stamp}"));
    std::fs::create_dir_all(&scratch).unwrap();
    let opened = open_delivered(&sealer, sealed, &format!("secure.{stamp}"), &scratch);
    assert!(opened.contains("Subject: Befund für Zoë"), "{opened}");
    assert!(
        opened.contains("Dear Zoë,\nyour results are fine."),
        "{opened}"
    );
    std::fs::remove_dir_all(&scratch).unwrap();

    // The audit log has a line for each.
    assert_eq!(
        audit_record(&format!("plain.{stamp}"), "passed")["rule"],
        "no rule matched"
    );
    audit_record(&format!("secure.{stamp}"), "sealed");
    let log = std::fs::read_to_string(AUDIT_LOG).unwrap();
    assert!(!log.contains(&delivered_passphrase(&format!("secure.{stamp}"))));

    // A mistake in the policy keeps mail queued, not bounced: once it is
    // fixed, the message goes out sealed.
    let restore = RestorePolicy(std::fs::read(POLICY).unwrap());
    let logged_so_far = std::fs::read(AUDIT_LOG).unwrap().len();
    let mut broken = restore.0.clone();
    broken.extend_from_slice(b"\nseal_everything = true\n");
    std::fs::write(POLICY, broken).unwrap();
    send(
        "a.weber@clinic.example",
        &recipient,
        &message("[secure] Second opinion", "deferred"),
    );
    // The message is not read before the policy is: the record says why,
    // and the queue holds the message.
    let record = audit_record_after(logged_so_far, "", "deferred");
    assert_eq!(record["exit_code"], 75);
    assert!(
        record["error"]
            .as_str()
            .unwrap()
            .contains("seal_everything")
    );
    let queue = sh("postqueue", &["-p"]);
    assert!(
        queue.contains(&recipient),
        "deferred, in the queue: {queue}"
    );
    let messages = mbox_messages(&std::fs::read_to_string(MAILBOX).unwrap());
    assert_eq!(messages.len(), 2, "not delivered, not bounced");
    drop(restore);
    sh("postqueue", &["-f"]);
    let messages = wait_for_mail(3);
    let retried = messages
        .iter()
        .find(|m| header(m, "Message-ID").is_some_and(|h| h.contains(&format!("deferred.{stamp}"))))
        .expect("the deferred message, delivered after the fix");
    assert_eq!(header(retried, "Subject"), Some("Secure message"));

    a_reply_arrives_opened(&sealer, stamp);
    viruses_and_content_on_postfix(&sealer, stamp, &recipient);
}

/// The message whose Message-ID holds `id`, once it is in the test
/// mailbox (at most 90 s).
fn wait_for_id(id: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let text = std::fs::read_to_string(MAILBOX).unwrap_or_default();
        if let Some(message) = mbox_messages(&text)
            .into_iter()
            .find(|m| header(m, "Message-ID").is_some_and(|h| h.contains(id)))
        {
            return message;
        }
        assert!(
            Instant::now() < deadline,
            "{id} did not arrive in 90 s; queue: {}",
            sh("postqueue", &["-p"])
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// `sealer open`'s report of the sealed `message`, opened with the
/// passphrase the gateway wrote for the message `id`.
fn open_delivered(sealer: &Path, message: &str, id: &str, scratch: &Path) -> String {
    let passphrase = delivered_passphrase(id);
    std::fs::write(scratch.join(format!("{id}.eml")), message).unwrap();
    std::fs::write(scratch.join("passphrase"), format!("{passphrase}\n")).unwrap();
    sh(
        sealer.to_str().unwrap(),
        &[
            "open",
            scratch.join(format!("{id}.eml")).to_str().unwrap(),
            "--passphrase-file",
            scratch.join("passphrase").to_str().unwrap(),
            "--output-dir",
            scratch.join(format!("{id}-opened")).to_str().unwrap(),
        ],
    )
}

/// The passphrase the gateway wrote for the message `id`.
fn delivered_passphrase(id: &str) -> String {
    let delivery = std::fs::read_to_string(format!(
        "/var/spool/sealer/passphrases/{id}@clinic.example.txt"
    ))
    .unwrap();
    delivery
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("Passphrase: "))
        .unwrap()
        .to_owned()
}

/// With `[scan]` (a real clamd) and `[content]` in the policy: an infected
/// message never leaves, sealed or not; a message with a card number and no
/// tag leaves sealed, and its envelope says it was scanned; with the scanner
/// stopped, a message stays queued and goes out once it is back.
fn viruses_and_content_on_postfix(sealer: &Path, stamp: u128, recipient: &str) {
    use end_to_end_tests::clamd::{self, EICAR, TestClamd};
    if clamd::skipped() {
        return;
    }
    let scratch = std::env::temp_dir().join(format!("sealer-postfix-scan-{stamp}"));
    let mut scanner = TestClamd::start(&scratch.join("clamd"));
    let restore = RestorePolicy(std::fs::read(POLICY).unwrap());
    let mut policy = restore.0.clone();
    policy.extend_from_slice(
        format!(
            "\n[scan]\nclamd = \"{}\"\ntimeout_seconds = 10\n\n[content]\ndetectors = [\"all\"]\n",
            scanner.socket.display()
        )
        .as_bytes(),
    );
    std::fs::write(POLICY, policy).unwrap();
    let mail = |subject: &str, id: &str, body: &str| {
        format!(
            "From: Dr A. Weber <a.weber@clinic.example>\r\nTo: <{recipient}>\r\n\
             Subject: {subject}\r\nMessage-ID: <{id}@clinic.example>\r\n\
             Date: Mon, 30 Nov 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n{body}"
        )
    };
    let text = "Content-Type: text/plain; charset=utf-8\r\n\r\nSee you on Friday.\r\n";
    let zipped_eicar = {
        use base64::Engine;
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("eicar.com", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(EICAR).unwrap();
        base64::engine::general_purpose::STANDARD.encode(zip.finish().unwrap().into_inner())
    };
    let infected = format!(
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n{text}--b\r\n\
         Content-Type: application/zip\r\nContent-Disposition: attachment; filename=photos.zip\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{zipped_eicar}\r\n--b--\r\n"
    );
    let logged_so_far = std::fs::read(AUDIT_LOG).unwrap().len();

    // Infected, tagged or not: refused, and never delivered.
    for (subject, id) in [
        ("[secure] Photos", format!("infected-tagged.{stamp}")),
        ("Photos", format!("infected-plain.{stamp}")),
    ] {
        send(
            "a.weber@clinic.example",
            recipient,
            &mail(subject, &id, &infected),
        );
        let record = audit_record_after(logged_so_far, &id, "refused");
        assert_eq!(record["scan"]["verdict"], "infected");
        assert_eq!(record["scan"]["threat"], clamd::EICAR_THREAT);
    }
    // A card number and no tag: sealed, and scanned.
    let card = format!("card.{stamp}");
    send(
        "a.weber@clinic.example",
        recipient,
        &mail(
            "Your payment",
            &card,
            "Content-Type: text/plain\r\n\r\nWe charged card 4111 1111 1111 1111.\r\n",
        ),
    );
    let record = audit_record_after(logged_so_far, &card, "sealed");
    assert_eq!(record["rule"], "content: payment-card");
    let sealed = wait_for_id(&card);
    assert_eq!(header(&sealed, "Subject"), Some("Secure message"));
    assert!(!sealed.contains("4111"), "the card number left in clear");
    let opened = open_delivered(sealer, &sealed, &card, &scratch);
    assert!(
        opened.contains("Viruses: Checked for viruses before sealing: no threat found (ClamAV 1."),
        "{opened}"
    );

    // The scanner stopped: the message stays queued, and goes out sealed
    // and scanned once the scanner is back.
    scanner.stop();
    let later = format!("later.{stamp}");
    send(
        "a.weber@clinic.example",
        recipient,
        &mail("[secure] Next appointment", &later, text),
    );
    let record = audit_record_after(logged_so_far, &later, "deferred");
    assert_eq!(record["exit_code"], 75);
    assert_eq!(record["scan"]["verdict"], "scanner-unavailable");
    let queue = sh("postqueue", &["-p"]);
    assert!(queue.contains(recipient), "deferred, in the queue: {queue}");
    scanner.restart();
    sh("postqueue", &["-f"]);
    let delivered = wait_for_id(&later);
    assert_eq!(header(&delivered, "Subject"), Some("Secure message"));
    let opened = open_delivered(sealer, &delivered, &later, &scratch);
    assert!(opened.contains("Viruses: Checked for viruses"), "{opened}");

    // Quarantine: through the filter script, the message is kept in the
    // quarantine folder, delivered nowhere, and not left in the queue.
    let mut quarantining = restore.0.clone();
    quarantining.extend_from_slice(
        format!(
            "\n[scan]\nclamd = \"{}\"\ninfected = \"quarantine\"\n\
             quarantine_dir = \"/var/spool/sealer/quarantine\"\n",
            scanner.socket.display()
        )
        .as_bytes(),
    );
    std::fs::write(POLICY, quarantining).unwrap();
    let kept_id = format!("infected-kept.{stamp}");
    send(
        "a.weber@clinic.example",
        recipient,
        &mail("[secure] Photos", &kept_id, &infected),
    );
    let record = audit_record_after(logged_so_far, &kept_id, "quarantined");
    let kept = record["scan"]["quarantined"].as_str().unwrap();
    assert!(kept.starts_with("/var/spool/sealer/quarantine/"), "{kept}");
    let held = std::fs::read_to_string(kept).unwrap();
    assert!(
        held.contains(&kept_id),
        "the quarantined file is the message"
    );
    // Taken as delivered by the filter: the queue empties.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !sh("postqueue", &["-p"]).contains("Mail queue is empty") {
        assert!(Instant::now() < deadline, "{}", sh("postqueue", &["-p"]));
        std::thread::sleep(Duration::from_millis(250));
    }

    // No infected message reached the mailbox.
    let mailbox = std::fs::read_to_string(MAILBOX).unwrap();
    assert!(!mailbox.contains(&format!("infected-tagged.{stamp}")));
    assert!(!mailbox.contains(&format!("infected-plain.{stamp}")));
    assert!(!mailbox.contains(&kept_id));
    drop(restore);
    drop(scanner);
    let _ = std::fs::remove_dir_all(&scratch);
}

/// The address replies go to: the test mailbox, under the clinic's domain,
/// which setup-postfix.sh sends through `sealer unwrap`.
const REPLY_ADDRESS: &str = "sealertest@clinic.example";

/// A patient answers a sealed message with the page's "Reply securely"
/// (sealed as the page does it); their mail program sends the reply page
/// to the reply address; Postfix hands it to `sealer unwrap`, and the test
/// mailbox receives plain MIME: the text and the file byte for byte,
/// headers naming what it answers, the sealed reply archived.
fn a_reply_arrives_opened(sealer: &Path, stamp: u128) {
    let scratch = std::env::temp_dir().join(format!("sealer-postfix-reply-{stamp}"));
    std::fs::create_dir_all(&scratch).unwrap();
    std::fs::write(
        scratch.join("pass.txt"),
        "tulip-gravel-sonnet-ember-abacus-zoology\n",
    )
    .unwrap();
    let sealed = Command::new(sealer)
        .current_dir(&scratch)
        .env("SEALER_SENT_LOG", "/var/lib/sealer/sent-log.jsonl")
        .args([
            "seal",
            "--from",
            "a.weber@clinic.example",
            "--to",
            "alex@example.org",
        ])
        .args(["--subject", "Your results", "--passphrase-file", "pass.txt"])
        .args([
            "--reply-key",
            "/etc/sealer/replies.key.pub",
            "--reply-to",
            REPLY_ADDRESS,
        ])
        .args(["--output", "asks.html"])
        .output()
        .unwrap();
    assert!(sealed.status.success(), "{sealed:?}");
    sh(
        "chown",
        &["sealer:sealer", "/var/lib/sealer/sent-log.jsonl"],
    );
    let original = std::fs::read_to_string(scratch.join("asks.html")).unwrap();
    let scan: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
    let answer = sealer::reply_page::seal_answer(
        &original,
        &envelope_core::Passphrase::new("tulip-gravel-sonnet-ember-abacus-zoology"),
        envelope_core::Message::new()
            .subject("Re: Your results")
            .text_body("Thank you, the scan is attached.\n")
            .attach(envelope_core::Attachment::from_bytes(
                "scan.pdf",
                "application/pdf",
                scan.clone(),
            )),
    )
    .unwrap();
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(&answer);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|line| std::str::from_utf8(line).unwrap())
        .collect();
    let archived_before = std::fs::read_dir("/var/spool/sealer/replies")
        .unwrap()
        .count();
    send(
        "alex@example.org",
        REPLY_ADDRESS,
        &format!(
            "From: Alex <alex@example.org>\r\nTo: {REPLY_ADDRESS}\r\nSubject: Sealed reply\r\n\
             Message-ID: <reply.{stamp}@example.org>\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\n\
             X-Sealer-Reply-Content: verified\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n\
             Content-Type: text/plain\r\n\r\nMy sealed reply is attached.\r\n--b1\r\n\
             Content-Type: text/html; name=\"reply-2026-11-30.html\"\r\n\
             Content-Disposition: attachment; filename=\"reply-2026-11-30.html\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--b1--\r\n",
            lines.join("\r\n")
        ),
    );
    let messages = wait_for_mail(4);
    let delivered = messages
        .iter()
        .find(|m| header(m, "Message-ID").is_some_and(|h| h.contains(&format!("reply.{stamp}"))))
        .expect("the reply, delivered");
    let parsed = mail_parser::MessageParser::default()
        .parse(delivered.as_bytes())
        .unwrap();
    assert_eq!(parsed.subject(), Some("Re: Your results"));
    assert!(
        parsed
            .body_text(0)
            .unwrap()
            .contains("Thank you, the scan is attached.")
    );
    let attachments: Vec<_> = parsed.attachments().collect();
    assert_eq!(
        attachments.len(),
        1,
        "the file; the sealed reply is archived"
    );
    assert_eq!(attachments[0].contents(), scan.as_slice());
    assert_eq!(delivered.matches("X-Sealer-Reply-Content:").count(), 1);
    assert!(
        header(delivered, "X-Sealer-Reply-Content")
            .is_some_and(|h| h.starts_with("verified; opened")),
        "{delivered:.3000}"
    );
    assert!(
        header(delivered, "X-Sealer-Reply-Answers")
            .is_some_and(|h| h.contains("to alex@example.org")),
        "{delivered:.3000}"
    );
    assert_eq!(
        std::fs::read_dir("/var/spool/sealer/replies")
            .unwrap()
            .count(),
        archived_before + 1
    );
    let record = unwrap_record(&format!("reply.{stamp}"));
    assert_eq!(record["action"], "opened");
    assert_eq!(record["answers"].as_str().unwrap().len(), 64);
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// The unwrap audit log's record of the message whose Message-ID holds
/// `id` (at most 90 s).
fn unwrap_record(id: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let log = std::fs::read_to_string("/var/log/sealer/unwrap.jsonl").unwrap_or_default();
        if let Some(record) = log
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|r| r["message_id"].as_str().is_some_and(|m| m.contains(id)))
        {
            return record;
        }
        assert!(
            Instant::now() < deadline,
            "no unwrap record for {id}: {log}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

const POLICY: &str = "/etc/sealer/policy.toml";
const AUDIT_LOG: &str = "/var/log/sealer/audit.jsonl";

/// Puts the policy back as it was, however the test ends.
struct RestorePolicy(Vec<u8>);

impl Drop for RestorePolicy {
    fn drop(&mut self) {
        let _ = std::fs::write(POLICY, &self.0);
    }
}

/// The messages in the test mailbox, once there are `count` (at most 90 s).
fn wait_for_mail(count: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let text = std::fs::read_to_string(MAILBOX).unwrap_or_default();
        let messages = mbox_messages(&text);
        if messages.len() >= count {
            return messages;
        }
        assert!(
            Instant::now() < deadline,
            "{count} messages did not arrive in 90 s; mailbox: {text}\nqueue: {}",
            sh("postqueue", &["-p"])
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// The audit log's record of the message whose Message-ID holds `id` (any
/// record for an empty `id`), once it says `action` (at most 90 s).
fn audit_record(id: &str, action: &str) -> serde_json::Value {
    audit_record_after(0, id, action)
}

/// [`audit_record`] among the records after the first `offset` bytes.
fn audit_record_after(offset: usize, id: &str, action: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let log = std::fs::read_to_string(AUDIT_LOG).unwrap_or_default();
        let log = log.get(offset..).unwrap_or_default();
        let found = log
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|r| {
                r["action"] == action
                    && (id.is_empty() || r["message_id"].as_str().is_some_and(|m| m.contains(id)))
            });
        if let Some(record) = found {
            return record;
        }
        assert!(
            Instant::now() < deadline,
            "no {action} record for {id} in 90 s: {log}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}
