//! `sealer wrap` run as a mail server runs a filter: every corpus message
//! sealed by policy and opened again whole, messages no rule matches
//! passed byte for byte, every kind of failure with its `sysexits.h` code,
//! nothing half-written, and an audit log that names messages without
//! giving them away.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::Path;

use common::gateway::{GENERATE, audit, gateway, private, wrap, wrap_logged};
use common::{check_opened, corpus, envelope_in, expected, listing, run, sealer, stderr, stdout};
use envelope_core::{Passphrase, open};
use serde_json::Value;

const EX_DATAERR: i32 = 65;
const EX_UNAVAILABLE: i32 = 69;
const EX_TEMPFAIL: i32 = 75;

/// The passphrase in a delivery file.
fn delivered(path: &Path) -> Passphrase {
    let text = fs::read_to_string(path).unwrap();
    let line = text.lines().next().unwrap();
    Passphrase::new(line.strip_prefix("Passphrase: ").unwrap())
}

/// `raw` with `[secure] ` at the start of its subject.
fn tagged(raw: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(raw);
    let at = text.find("\nSubject:").map(|at| at + 1).unwrap_or(0);
    let mut out = raw.to_vec();
    let insert = if text[at..].starts_with("Subject:") {
        at + "Subject:".len()
    } else {
        // No subject: the tag goes into a new one.
        out.splice(0..0, b"Subject:\r\n".iter().copied());
        "Subject:".len()
    };
    out.splice(insert..insert, b" [secure]".iter().copied());
    out
}

#[test]
fn every_corpus_message_is_sealed_whole_and_opens_with_the_delivered_passphrase() {
    let dir = gateway("wrap-corpus", GENERATE);
    for (name, want) in &expected() {
        let raw = fs::read(corpus().join(format!("{name}.eml"))).unwrap();
        let out = format!("{name}.out.eml");
        let output = run(
            wrap_logged(&dir)
                .args(["--output", &out])
                .write_stdin(tagged(&raw)),
            0,
        );
        assert!(output.stdout.is_empty(), "{name}");
        let record = audit(&dir).pop().unwrap();
        assert_eq!(record["action"], "sealed", "{name}");
        assert_eq!(record["rule"], "subject tag [secure]", "{name}");
        let delivery = dir.join(record["delivery_file"].as_str().unwrap());
        let wrapped = fs::read(dir.join(&out)).unwrap();
        // Read out on the phone, it is typed with spaces and capitals.
        let heard = delivered(&delivery)
            .expose()
            .replace('-', " ")
            .to_uppercase();
        let opened = open(&envelope_in(&wrapped), &Passphrase::new(&heard))
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        // The tag is gone from the sealed subject too.
        check_opened(name, &opened, want);

        let parsed = mail_parser::MessageParser::default()
            .parse(&wrapped[..])
            .unwrap();
        assert_eq!(parsed.subject(), Some("Secure message"), "{name}");
        let header = |raw: &[u8], name: &str| {
            mail_parser::MessageParser::default()
                .parse(raw)
                .unwrap()
                .header_raw(name)
                .map(str::to_owned)
        };
        assert_eq!(header(&wrapped, "Message-ID"), header(&raw, "Message-ID"));
        assert_eq!(header(&wrapped, "From"), header(&raw, "From"));
    }
    // The delivery files: private, one per message, holding no subject.
    let files = listing(&dir.join("passphrases"));
    assert_eq!(files.len(), expected().len());
    for file in files {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("passphrases").join(file);
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert!(!fs::read_to_string(&path).unwrap().contains("Subject"));
    }
}

#[test]
fn a_message_no_rule_matches_passes_byte_for_byte() {
    let dir = gateway("wrap-pass", GENERATE);
    for name in [
        "01-plain-ascii",
        "08-eight-bit-body",
        "06-japanese-shift-jis",
    ] {
        let raw = fs::read(corpus().join(format!("{name}.eml"))).unwrap();
        let output = run(
            wrap(&dir)
                .args(["--audit-log", "audit.jsonl"])
                .write_stdin(raw.clone()),
            0,
        );
        assert_eq!(output.stdout, raw, "{name}");
        let record = audit(&dir).pop().unwrap();
        assert_eq!(record["action"], "passed");
        assert_eq!(record["rule"], "no rule matched");
    }
    assert!(listing(&dir.join("passphrases")).is_empty());
}

#[test]
fn an_already_sealed_message_is_not_sealed_twice() {
    let dir = gateway("wrap-twice", GENERATE);
    let raw = tagged(&fs::read(corpus().join("01-plain-ascii.eml")).unwrap());
    run(wrap(&dir).args(["-o", "once.eml"]).write_stdin(raw), 0);
    // Its subject is now neutral; the tag goes back in, as a reply would.
    let once = tagged(&fs::read(dir.join("once.eml")).unwrap());
    let output = run(wrap_logged(&dir).write_stdin(once.clone()), 0);
    assert_eq!(output.stdout, once);
    assert_eq!(audit(&dir)[0]["rule"], "already sealed");
}

const RECIPIENT_FILES: &str = r#"
internal_domains = ["clinic.example"]
subject = "keep"
[seal]
external_recipients = true
[passphrase]
source = "recipient-files"
dir = "passphrases"
"#;

#[test]
fn recipient_passphrases_open_for_each_recipient_and_smtp_recipients_decide() {
    let dir = gateway("wrap-recipients", RECIPIENT_FILES);
    let store = dir.join("passphrases");
    for (address, passphrase) in [
        ("alex@example.org", "alex-agreed-this-long-passphrase"),
        ("sam@example.net", "sam-agreed-another-one"),
        ("b@clinic.example", "every-recipient-needs-one"),
    ] {
        fs::write(store.join(address), format!("{passphrase}\n")).unwrap();
        private(&store.join(address), 0o600);
    }
    // To an internal address only: passes...
    let raw = b"From: a@clinic.example\r\nTo: b@clinic.example\r\nSubject: Results\r\n\
                Message-ID: <r.1@clinic.example>\r\n\r\nSee you.\r\n";
    let output = run(wrap(&dir).write_stdin(&raw[..]), 0);
    assert_eq!(output.stdout, raw);
    // ...unless the SMTP envelope also goes to outside (a Bcc).
    run(
        wrap_logged(&dir)
            .args([
                "--sender",
                "A <a@clinic.example>",
                "-o",
                "out.eml",
                "--recipient",
            ])
            .args(["b@clinic.example", "Alex@Example.org", "sam@example.net"])
            .write_stdin(&raw[..]),
        0,
    );
    let record = &audit(&dir)[0];
    assert_eq!(record["rule"], "external recipient at example.org");
    assert_eq!(record["passphrase"], "recipient-files");
    assert_eq!(record["sender"], "a@clinic.example");
    assert_eq!(
        record["recipients"],
        serde_json::json!(["b@clinic.example", "alex@example.org", "sam@example.net"])
    );
    let wrapped = fs::read(dir.join("out.eml")).unwrap();
    let envelope = envelope_in(&wrapped);
    for passphrase in ["alex-agreed-this-long-passphrase", "sam-agreed-another-one"] {
        let opened = open(&envelope, &Passphrase::new(passphrase)).unwrap();
        assert_eq!(opened.text_body, "See you.\r\n");
    }
    let subject = mail_parser::MessageParser::default()
        .parse(&wrapped[..])
        .unwrap()
        .subject()
        .map(str::to_owned);
    assert_eq!(subject.as_deref(), Some("Results"), "subject = \"keep\"");
}

#[test]
fn generated_recipient_files_open_however_they_are_typed_and_others_defer() {
    let policy = format!("{RECIPIENT_FILES}generated = true\n");
    let dir = gateway("wrap-generated-files", &policy);
    let file = dir.join("passphrases/alex@example.org");
    fs::write(&file, "abacus-zoology-tulip-ember-gravel-lantern\n").unwrap();
    private(&file, 0o600);
    let raw = b"From: a@clinic.example\r\nTo: alex@example.org\r\nSubject: s\r\n\r\nbody\r\n";
    run(wrap(&dir).args(["-o", "out.eml"]).write_stdin(&raw[..]), 0);
    let envelope = envelope_in(&fs::read(dir.join("out.eml")).unwrap());
    let opened = open(
        &envelope,
        &Passphrase::new("Abacus Zoology Tulip Ember Gravel Lantern"),
    )
    .unwrap();
    assert_eq!(opened.text_body, "body\r\n");
    // A file that is not a generated passphrase is a setup mistake: the
    // message waits (and is not sealed to be typed loosely).
    fs::write(&file, "alex-agreed-this-long-passphrase\n").unwrap();
    let output = run(
        wrap(&dir).args(["-o", "again.eml"]).write_stdin(&raw[..]),
        EX_TEMPFAIL,
    );
    assert!(
        stderr(&output).contains("holds no generated passphrase"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.join("again.eml").exists());
}

#[test]
fn a_recipient_without_a_passphrase_bounces_and_nothing_is_written() {
    let dir = gateway("wrap-no-passphrase", RECIPIENT_FILES);
    let raw = b"From: a@clinic.example\r\nTo: x@example.org\r\nSubject: s\r\n\r\nbody\r\n";
    let output = run(
        wrap_logged(&dir)
            .args(["-o", "out.eml"])
            .write_stdin(&raw[..]),
        EX_UNAVAILABLE,
    );
    assert!(
        stderr(&output).contains("no passphrase is on file for x@example.org"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.join("out.eml").exists());
    let record = &audit(&dir)[0];
    assert_eq!(record["action"], "refused");
    assert_eq!(record["exit_code"], EX_UNAVAILABLE);

    // A recipient address that climbs out of the folder finds no file.
    fs::write(dir.join("secret"), "not a passphrase\n").unwrap();
    let climbing = b"From: a@clinic.example\r\nTo: \"x\" <../secret@example.org>\r\n\r\nb\r\n";
    run(wrap(&dir).write_stdin(&climbing[..]), EX_UNAVAILABLE);

    // A passphrase file others can read is a configuration error.
    let file = dir.join("passphrases/x@example.org");
    fs::write(&file, "a-long-agreed-passphrase\n").unwrap();
    private(&file, 0o644);
    let output = run(wrap(&dir).write_stdin(&raw[..]), EX_TEMPFAIL);
    assert!(stderr(&output).contains("chmod 600"), "{}", stderr(&output));
}

#[test]
fn unusable_input_gets_its_exit_code_and_leaves_nothing() {
    let dir = gateway("wrap-bad", GENERATE);
    for (raw, code) in [
        (&b""[..], EX_DATAERR),
        (b"\x00\x01\x02 binary", EX_DATAERR),
        (b"just some text\r\nwith lines\r\n", EX_DATAERR),
    ] {
        let output = run(
            wrap(&dir)
                .args(["-o", "out.eml"])
                .args(["--audit-log", "audit.jsonl"])
                .write_stdin(raw),
            code,
        );
        assert!(stderr(&output).starts_with("sealer: "), "{raw:?}");
        assert_eq!(stderr(&output).lines().count(), 1, "{raw:?}");
    }
    assert!(audit(&dir).iter().all(|r| r["action"] == "refused"));
    run(
        sealer(&dir).args(["wrap", "missing.eml", "--policy", "policy.toml"]),
        EX_TEMPFAIL,
    );
    // An existing output is kept.
    fs::write(dir.join("kept.eml"), "mine").unwrap();
    run(
        wrap(&dir)
            .args(["-o", "kept.eml"])
            .write_stdin(&b"From: a@b.example\r\n\r\nx\r\n"[..]),
        EX_TEMPFAIL,
    );
    assert_eq!(fs::read(dir.join("kept.eml")).unwrap(), b"mine");
    // A broken policy, a missing one, a wrong command line: the mail server
    // keeps the message and tries again.
    fs::write(
        dir.join("typo.toml"),
        GENERATE.replace("subject_tags", "subject_tag"),
    )
    .unwrap();
    for args in [
        &["wrap", "--policy", "typo.toml"][..],
        &["wrap", "--policy", "nowhere.toml"],
        &["wrap", "--polcy", "policy.toml"],
    ] {
        run(
            sealer(&dir)
                .args(args)
                .write_stdin(&b"From: a@b\r\n\r\n"[..]),
            EX_TEMPFAIL,
        );
    }
    // A passphrase folder that is not there.
    fs::remove_dir(dir.join("passphrases")).unwrap();
    let raw = tagged(&fs::read(corpus().join("01-plain-ascii.eml")).unwrap());
    run(
        wrap(&dir).args(["-o", "out.eml"]).write_stdin(raw),
        EX_TEMPFAIL,
    );
    assert!(!listing(&dir).iter().any(|name| name.contains("out.eml")));
}

#[test]
fn a_message_over_the_limit_passes_if_it_may_and_is_refused_if_it_must_be_sealed() {
    let policy = format!("{GENERATE}[limits]\nmax_message_bytes = 100000\n");
    let dir = gateway("wrap-limit", &policy);
    let body: String = (0..4000)
        .map(|i| format!("line {i} of a long letter\r\n"))
        .collect();
    let plain =
        format!("From: a@clinic.example\r\nTo: b@example.org\r\nSubject: big\r\n\r\n{body}");
    let output = run(wrap(&dir).write_stdin(plain.clone()), 0);
    assert_eq!(output.stdout, plain.as_bytes(), "passed whole, unread");
    let output = run(
        wrap(&dir)
            .args(["-o", "out.eml"])
            .write_stdin(tagged(plain.as_bytes())),
        EX_DATAERR,
    );
    assert!(stderr(&output).contains("limit of 100000 bytes"));
    assert!(!dir.join("out.eml").exists());
}

#[test]
fn the_audit_log_names_messages_but_never_their_passphrase_or_content() {
    let dir = gateway("wrap-audit", GENERATE);
    let raw = tagged(&fs::read(corpus().join("02-gmail-alternative-qp.eml")).unwrap());
    run(
        wrap_logged(&dir)
            .args(["-o", "out.eml"])
            .write_stdin(raw.clone()),
        0,
    );
    let log = fs::read_to_string(dir.join("audit.jsonl")).unwrap();
    let record = &audit(&dir)[0];
    for key in [
        "time",
        "message_id",
        "sender",
        "recipients",
        "rule",
        "action",
    ] {
        assert!(!record[key].is_null(), "{key} in {log}");
    }
    assert!(record["envelope_bytes"].as_u64().unwrap() > 500, "{log}");
    let delivery = dir.join(record["delivery_file"].as_str().unwrap());
    let passphrase = delivered(&delivery);
    assert!(!log.contains(passphrase.expose()));
    let subject = mail_parser::MessageParser::default()
        .parse(&raw[..])
        .unwrap()
        .subject()
        .unwrap()
        .replace("[secure] ", "");
    assert!(!log.contains(&subject), "the subject is content");
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(dir.join("audit.jsonl"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "the log is private");
}

#[test]
fn the_original_headers_go_inside_but_never_the_bcc() {
    let dir = gateway("wrap-headers", GENERATE);
    let raw = b"Received: from laptop.clinic.example by mail.clinic.example\r\n\
                From: a@clinic.example\r\nTo: x@example.org\r\nBcc: secret-watcher@example.net\r\n\
                Subject: [secure] =?UTF-8?Q?Befund_f=C3=BCr_Zo=C3=AB?=\r\n\
                X-Mailer: Example Mail 1.0\r\nMessage-ID: <h.1@clinic.example>\r\n\r\nBody.\r\n";
    run(
        wrap_logged(&dir)
            .args(["-o", "out.eml"])
            .write_stdin(&raw[..]),
        0,
    );
    let wrapped = fs::read(dir.join("out.eml")).unwrap();
    assert!(!String::from_utf8_lossy(&wrapped).contains("secret-watcher"));
    let delivery = dir.join(audit(&dir)[0]["delivery_file"].as_str().unwrap());
    let opened = open(&envelope_in(&wrapped), &delivered(&delivery)).unwrap();
    let headers = opened.manifest.original_headers.unwrap();
    assert_eq!(
        headers,
        "Received: from laptop.clinic.example by mail.clinic.example\n\
         From: a@clinic.example\nTo: x@example.org\n\
         Subject: [secure] =?UTF-8?Q?Befund_f=C3=BCr_Zo=C3=AB?=\n\
         X-Mailer: Example Mail 1.0\nMessage-ID: <h.1@clinic.example>\n"
    );
    assert_eq!(opened.manifest.subject, "Befund für Zoë");

    // `sealer open` mentions them, and prints them when asked.
    fs::write(
        dir.join("pass.txt"),
        format!("{}\n", delivered(&delivery).expose()),
    )
    .unwrap();
    let open_args = ["open", "out.eml", "--passphrase-file", "pass.txt"];
    let output = run(sealer(&dir).args(open_args).args(["--output-dir", "a"]), 0);
    let shown = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        shown.contains("header lines: sealer open --headers"),
        "{shown}"
    );
    assert!(!shown.contains("X-Mailer"));
    let output = run(
        sealer(&dir)
            .args(open_args)
            .args(["--output-dir", "b", "--headers"]),
        0,
    );
    let shown = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        shown.contains("Original headers:\nReceived: from laptop"),
        "{shown}"
    );
    assert!(shown.contains("X-Mailer: Example Mail 1.0"), "{shown}");
}

#[test]
fn a_policy_recovery_key_opens_every_sealed_message() {
    let dir = gateway(
        "wrap-recovery",
        &format!("recovery_keys = [\"records.key.pub\"]\n{GENERATE}"),
    );
    run(sealer(&dir).args(["keygen", "--output", "records.key"]), 0);
    let raw = tagged(&fs::read(corpus().join("01-plain-ascii.eml")).unwrap());
    run(wrap(&dir).args(["-o", "out.eml"]).write_stdin(raw), 0);
    let output = run(
        sealer(&dir)
            .args(["open", "out.eml", "--identity", "records.key"])
            .args(["--output-dir", "records"]),
        0,
    );
    assert!(
        stdout(&output).contains("Subject: Your appointment"),
        "{}",
        stdout(&output)
    );
    // A recovery key that cannot be read keeps the mail queued.
    fs::remove_file(dir.join("records.key.pub")).unwrap();
    let raw = tagged(&fs::read(corpus().join("01-plain-ascii.eml")).unwrap());
    run(
        wrap(&dir).args(["-o", "second.eml"]).write_stdin(raw),
        EX_TEMPFAIL,
    );
}

#[test]
fn a_policy_signing_key_signs_every_sealed_message() {
    let dir = gateway(
        "wrap-signing",
        &format!("signing_key = \"gateway.key\"\n{GENERATE}"),
    );
    run(
        sealer(&dir).args(["keygen", "--signing", "--output", "gateway.key"]),
        0,
    );
    let raw = tagged(&fs::read(corpus().join("01-plain-ascii.eml")).unwrap());
    run(
        wrap_logged(&dir)
            .args(["-o", "out.eml"])
            .write_stdin(raw.clone()),
        0,
    );
    let delivery = dir.join(audit(&dir)[0]["delivery_file"].as_str().unwrap());
    fs::write(
        dir.join("pass.txt"),
        format!("{}\n", delivered(&delivery).expose()),
    )
    .unwrap();
    let output = run(
        sealer(&dir)
            .args(["open", "out.eml", "--passphrase-file", "pass.txt"])
            .args(["--signer", "gateway.key.pub", "--output-dir", "opened"]),
        0,
    );
    assert!(
        stdout(&output).contains("Signed:  by sealer-ed25519:"),
        "{}",
        stdout(&output)
    );
    // A signing key others can read keeps the mail queued.
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir.join("gateway.key"), fs::Permissions::from_mode(0o644)).unwrap();
    let output = run(
        wrap(&dir).args(["-o", "second.eml"]).write_stdin(raw),
        EX_TEMPFAIL,
    );
    assert!(stderr(&output).contains("chmod 600"), "{}", stderr(&output));
}

#[test]
fn a_closed_standard_output_defers_the_message_instead_of_losing_it() {
    let dir = gateway("wrap-closed-stdout", GENERATE);
    let raw = b"From: a@clinic.example\r\nTo: x@example.org\r\nSubject: [secure] s\r\n\r\nbody\r\n";
    fs::write(dir.join("in.eml"), raw).unwrap();
    // The mail server's pipe, closed before wrap writes (`>&-`).
    let sealer_bin = assert_cmd::cargo::cargo_bin("sealer");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' wrap in.eml --policy policy.toml --audit-log audit.jsonl >&-",
            sealer_bin.display()
        ))
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(EX_TEMPFAIL), "{output:?}");
    let record = &audit(&dir)[0];
    assert_eq!(record["action"], "deferred", "{record}");
}

#[test]
fn a_recipient_passphrase_file_written_with_a_byte_order_mark_opens() {
    let dir = gateway("wrap-bom", RECIPIENT_FILES);
    let file = dir.join("passphrases/x@example.org");
    fs::write(&file, "\u{feff}a-long-agreed-passphrase\r\n").unwrap();
    private(&file, 0o600);
    let raw = b"From: a@clinic.example\r\nTo: x@example.org\r\nSubject: s\r\n\r\nbody\r\n";
    let output = run(wrap(&dir).write_stdin(&raw[..]), 0);
    let envelope = envelope_in(&output.stdout);
    let opened = open(&envelope, &Passphrase::new("a-long-agreed-passphrase"));
    assert!(
        opened.is_ok(),
        "the passphrase is the words, without the mark"
    );
}

/// With `[reply]`, every sealed message asks for secure replies: its page
/// carries the reply frame (and verifies), its envelope the request, and
/// the sent-log names it; a reply address that is not plain is refused.
#[test]
fn a_reply_rule_asks_every_sealed_message_for_secure_replies() {
    let dir = gateway(
        "wrap-reply",
        &format!(
            "{GENERATE}[reply]\nkey = \"replies.key.pub\"\nto = \"replies@clinic.example\"\n\
             limit_mb = 5\nsent_log = \"sent-log.jsonl\"\n"
        ),
    );
    run(sealer(&dir).args(["keygen", "--output", "replies.key"]), 0);
    fs::write(
        dir.join("in.eml"),
        "From: Dr. Ada <ada@clinic.example>\r\nTo: alex@example.org\r\n\
         Subject: [secure] Results\r\nMessage-ID: <w1@clinic.example>\r\n\r\nAll clear.\r\n",
    )
    .unwrap();
    run(wrap(&dir).args(["in.eml", "--output", "out.eml"]), 0);
    run(sealer(&dir).args(["verify", "out.eml"]), 0);
    let mail = fs::read(dir.join("out.eml")).unwrap();
    let pages = envelope_core::mail::html_attachments(&mail).unwrap();
    let html = String::from_utf8(pages[0].bytes.clone()).unwrap();
    assert_eq!(common::replies::frame_of(&html).limit, 5_000_000);
    let envelope = sealer::read_page(html.as_bytes()).unwrap();
    let header = envelope_core::Header::read_from(&mut &envelope[..]).unwrap();
    let log = fs::read_to_string(dir.join("sent-log.jsonl")).unwrap();
    let entry: Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert_eq!(entry["reply_to"], "replies@clinic.example");
    assert_eq!(
        entry["envelope"],
        hex::encode(envelope_core::envelope_id(header.as_bytes()))
    );
    assert_eq!(entry["to"], serde_json::json!(["alex@example.org"]));

    fs::write(
        dir.join("policy.toml"),
        format!(
            "{GENERATE}[reply]\nkey = \"replies.key.pub\"\nto = \"Replies <r@clinic.example>\"\n"
        ),
    )
    .unwrap();
    let output = run(
        wrap(&dir).args(["in.eml", "--output", "out2.eml"]),
        EX_TEMPFAIL,
    );
    assert!(stderr(&output).contains("reply.to"), "{}", stderr(&output));
}
