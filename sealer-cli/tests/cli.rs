//! The `sealer` command, run as a user runs it: every subcommand, and every
//! kind of bad input getting one clear line and its exit code, losing
//! nothing.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::Path;

use common::{listing, run, scratch, sealer, stderr, stdout};
use envelope_core::{Attachment, Message, Passphrase, SealOptions, seal_to_vec};

const PASSPHRASE: &str = "tulip-gravel-sonnet-ember-abacus-zoology";

#[test]
fn seal_then_open_gives_back_the_message_and_identical_attachments() {
    let dir = scratch("roundtrip");
    fs::write(dir.join("pass.txt"), format!("{PASSPHRASE}\n")).unwrap();
    fs::write(dir.join("page.html"), "<p>Dear <b>Alex</b></p>").unwrap();
    let binary: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    fs::write(dir.join("scan.pdf"), &binary).unwrap();
    fs::write(dir.join("empty.txt"), b"").unwrap();

    let output = run(
        sealer(&dir)
            .args(["seal", "--from", "Example Clinic <records@clinic.example>"])
            .args(["--to", "alex@example.org", "--to", "sam@example.org"])
            .args(["--cc", "gp@practice.example", "--subject", "Your results"])
            .args(["--body", "-", "--html-body", "page.html"])
            .args(["--attach", "scan.pdf", "--attach", "empty.txt"])
            .args(["--label", "Secure message from Example Clinic"])
            .args(["--hint", "six words", "--passphrase-file", "pass.txt"])
            .args(["--output", "results.html"])
            .write_stdin("Dear Alex,\nyour results are attached.\n"),
        0,
    );
    assert!(stdout(&output).contains("Sealed into results.html"));
    assert!(stdout(&output).contains("another channel"));
    let page = fs::read_to_string(dir.join("results.html")).unwrap();
    assert!(page.is_ascii() && page.contains("Secure message from Example Clinic"));

    let output = run(
        sealer(&dir)
            .args([
                "open",
                "results.html",
                "--passphrase-env",
                "SEALER_PASSPHRASE",
            ])
            .env("SEALER_PASSPHRASE", PASSPHRASE),
        0,
    );
    let text = stdout(&output);
    for expected in [
        "From:    Example Clinic <records@clinic.example>",
        "To:      alex@example.org, sam@example.org",
        "Cc:      gp@practice.example",
        "Subject: Your results",
        "Dear Alex,\nyour results are attached.",
        "formatted version",
        "Attachments saved in results:",
        "scan.pdf (application/pdf, 300.0 KB)",
        "empty.txt (text/plain, 0 bytes)",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    assert_eq!(fs::read(dir.join("results/scan.pdf")).unwrap(), binary);
    assert_eq!(fs::read(dir.join("results/empty.txt")).unwrap(), b"");
    assert_eq!(listing(&dir.join("results")), ["empty.txt", "scan.pdf"]);

    // Opening again never touches the first folder.
    run(
        sealer(&dir).args(["open", "results.html", "--passphrase-file", "pass.txt"]),
        0,
    );
    assert_eq!(fs::read(dir.join("results (2)/scan.pdf")).unwrap(), binary);

    // inspect needs no passphrase.
    let output = run(sealer(&dir).args(["inspect", "results.html", "--json"]), 0);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["label"], "Secure message from Example Clinic");
    assert_eq!(json["hint"], "six words");
    assert_eq!(json["kdf"]["memory_kib"], 65536);
    assert_eq!(json["slots"], serde_json::json!(["passphrase"]));
    assert_eq!(json["decryptor_is_this_sealers"], true);
    let output = run(sealer(&dir).args(["inspect", "results.html"]), 0);
    assert!(stdout(&output).contains("(this sealer's)"));
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_generated_passphrase_is_printed_once_or_written_to_a_private_file() {
    let dir = scratch("generate");
    let output = run(
        sealer(&dir).args([
            "seal",
            "--demo",
            "--generate-passphrase",
            "--output",
            "demo.html",
        ]),
        0,
    );
    let text = stdout(&output);
    let passphrase = text
        .lines()
        .find_map(|l| l.strip_prefix("Passphrase (6 words, 77 bits): "))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(passphrase.split('-').count(), 6);
    let output = run(
        sealer(&dir)
            .args(["open", "demo.html", "--passphrase-env", "P"])
            .env("P", passphrase),
        0,
    );
    assert!(stdout(&output).contains("Subject: Your blood test results"));

    run(
        sealer(&dir).args([
            "seal",
            "--demo",
            "--generate-passphrase",
            "--passphrase-out",
            "secret.txt",
            "-o",
            "two.html",
        ]),
        0,
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir.join("secret.txt"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    run(
        sealer(&dir).args([
            "open",
            "two.html",
            "--passphrase-file",
            "secret.txt",
            "--output-dir",
            "inbox",
        ]),
        0,
    );
    assert_eq!(listing(&dir.join("inbox")), ["letter.txt", "results.csv"]);

    let output = run(sealer(&dir).args(["passphrase", "--words", "8"]), 0);
    // The spoken list has no word with a hyphen of its own (yo-yo).
    assert_eq!(stdout(&output).trim().split('-').count(), 8);
    assert!(
        stderr(&output).starts_with("(8 words, "),
        "{}",
        stderr(&output)
    );
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bad_input_gets_one_clear_line_and_loses_nothing() {
    let dir = scratch("bad");
    fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    fs::write(dir.join("empty.txt"), "").unwrap();
    fs::write(dir.join("weak.txt"), "password1\n").unwrap();
    fs::write(dir.join("existing.html"), "keep me").unwrap();
    fs::write(dir.join("latin1.txt"), b"caf\xe9").unwrap();
    fs::create_dir(dir.join("folder")).unwrap();
    let seal = |extra: &[&str]| {
        let mut command = sealer(&dir);
        command
            .args(["seal", "--to", "alex@example.org"])
            .args(extra);
        command
    };
    for (extra, says) in [
        (
            &[
                "--attach",
                "missing.pdf",
                "--passphrase-file",
                "pass.txt",
                "-o",
                "a.html",
            ][..],
            "missing.pdf",
        ),
        (
            &[
                "--attach",
                "folder",
                "--passphrase-file",
                "pass.txt",
                "-o",
                "a.html",
            ],
            "is a folder",
        ),
        (
            &[
                "--body",
                "latin1.txt",
                "--passphrase-file",
                "pass.txt",
                "-o",
                "a.html",
            ],
            "not UTF-8",
        ),
        (
            &["--passphrase-file", "empty.txt", "-o", "a.html"],
            "is empty",
        ),
        (
            &["--passphrase-file", "nope.txt", "-o", "a.html"],
            "cannot read the passphrase file",
        ),
        (
            &["--passphrase-env", "SEALER_UNSET_VARIABLE", "-o", "a.html"],
            "is not set",
        ),
        (
            &["--passphrase-file", "weak.txt", "-o", "a.html"],
            "the passphrase is weak",
        ),
        (
            &["--passphrase-file", "pass.txt", "-o", "existing.html"],
            "already exists",
        ),
    ] {
        let output = run(&mut seal(extra), 3);
        let err = stderr(&output);
        assert!(
            err.starts_with("sealer: ") && err.contains(says),
            "{extra:?}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    }
    assert!(!dir.join("a.html").exists());
    assert_eq!(
        fs::read_to_string(dir.join("existing.html")).unwrap(),
        "keep me"
    );

    // No recipient; and a passphrase is never taken as a value.
    run(
        sealer(&dir).args(["seal", "--passphrase-file", "pass.txt", "-o", "a.html"]),
        3,
    );
    run(&mut seal(&["--passphrase", PASSPHRASE, "-o", "a.html"]), 2);

    // A weak passphrase when insisted on; --force replaces.
    run(
        &mut seal(&[
            "--passphrase-file",
            "weak.txt",
            "--allow-weak-passphrase",
            "-o",
            "existing.html",
            "--force",
        ]),
        0,
    );
    assert!(
        fs::read_to_string(dir.join("existing.html"))
            .unwrap()
            .contains("envelope-header")
    );
    assert_eq!(
        listing(&dir)
            .iter()
            .filter(|n| n.contains("partial"))
            .count(),
        0
    );
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn opening_fails_cleanly_and_writes_nothing_unless_everything_verifies() {
    let dir = scratch("open-bad");
    fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    fs::write(
        dir.join("wrong.txt"),
        "tulip-gravel-sonnet-ember-abacus-zoolog",
    )
    .unwrap();
    fs::write(dir.join("letter.txt"), "not an envelope").unwrap();
    let message = Message::new()
        .to("alex@example.org")
        .text_body("text")
        .attach(Attachment::from_bytes(
            "big.bin",
            "application/octet-stream",
            vec![7u8; 200_000],
        ));
    let options = SealOptions::new().passphrase(Passphrase::new(PASSPHRASE));
    let envelope = seal_to_vec(message, &options).unwrap();
    fs::write(dir.join("raw.envelope"), &envelope).unwrap();
    let page = sealer::render_page(&envelope, &sealer::PageOptions::default()).unwrap();
    fs::write(dir.join("good.html"), &page).unwrap();
    // One base64 character of the last payload block changed.
    let at = page.rfind("class=\"envelope-chunk\">").unwrap() + 40;
    let mut tampered = page.into_bytes();
    tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
    fs::write(dir.join("tampered.html"), &tampered).unwrap();
    fs::write(
        dir.join("truncated.envelope"),
        &envelope[..envelope.len() - 100],
    )
    .unwrap();
    let before = listing(&dir);

    let open = |file: &str, pass: &str| {
        let mut command = sealer(&dir);
        command.args(["open", file, "--passphrase-file", pass]);
        command
    };
    for (file, pass, code, says) in [
        ("letter.txt", "pass.txt", 3, "not a sealed envelope"),
        ("missing.html", "pass.txt", 3, "cannot read"),
        ("good.html", "wrong.txt", 4, "wrong passphrase"),
        ("tampered.html", "pass.txt", 5, "damaged"),
        ("truncated.envelope", "pass.txt", 5, "damaged"),
    ] {
        let output = run(&mut open(file, pass), code);
        assert!(
            stderr(&output).contains(says),
            "{file}: {}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty(), "{file}: nothing printed");
        assert_eq!(listing(&dir), before, "{file}: nothing written");
    }
    run(&mut open("raw.envelope", "pass.txt"), 0);
    assert_eq!(
        fs::read(dir.join("raw/big.bin")).unwrap(),
        vec![7u8; 200_000]
    );
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn hostile_names_and_text_stay_inside_the_folder_and_off_the_terminal() {
    let dir = scratch("hostile");
    fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    let names = [
        "../escape.txt",
        "/etc/passwd",
        "CON",
        "..",
        "a\u{1b}[2Jb.txt",
        "x\u{202e}fdp.exe",
    ];
    let mut message = Message::new()
        .to("alex@example.org")
        .subject("Hi \u{1b}]0;owned\u{7}")
        .text_body("line\u{1b}[31mred\n");
    for name in names {
        message = message.attach(Attachment::from_bytes(
            name,
            "text/plain",
            name.as_bytes().to_vec(),
        ));
    }
    let options = SealOptions::new().passphrase(Passphrase::new(PASSPHRASE));
    let page = sealer::render_page(
        &seal_to_vec(message, &options).unwrap(),
        &Default::default(),
    )
    .unwrap();
    fs::write(dir.join("hostile.html"), page).unwrap();
    let output = run(
        sealer(&dir).args([
            "open",
            "hostile.html",
            "--passphrase-file",
            "pass.txt",
            "--output-dir",
            "out",
        ]),
        0,
    );
    assert!(
        !output.stdout.contains(&0x1b),
        "no escape reaches the terminal"
    );
    assert!(stdout(&output).contains("\\u{1b}[31mred"));
    assert_eq!(
        listing(&dir.join("out")),
        [
            "_CON",
            "a_[2Jb.txt",
            "attachment",
            "escape.txt",
            "passwd",
            "x_fdp.exe"
        ]
    );
    assert!(!dir.join("escape.txt").exists());
    assert_eq!(listing(&dir), ["hostile.html", "out", "pass.txt"]);
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_notice_email_parses_carries_the_page_7bit_and_opens() {
    use mail_parser::{MessageParser, MimeHeaders};
    let dir = scratch("eml");
    fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    let scan: Vec<u8> = (0..2_000_000u32).map(|i| (i % 253) as u8).collect();
    fs::write(dir.join("scan.bin"), &scan).unwrap();
    let sealed = run(
        sealer(&dir)
            .args(["seal", "--from", "Example Clinic <records@clinic.example>"])
            .args([
                "--to",
                "Zoë Patient <zoe@example.org>",
                "--cc",
                "gp@practice.example",
            ])
            .args([
                "--subject",
                "Biopsy results",
                "--hide-subject",
                "--attach",
                "scan.bin",
            ])
            .args([
                "--hint",
                "six words, by SMS",
                "--passphrase-file",
                "pass.txt",
            ])
            .args(["--output", "sealed.html", "--eml", "sealed.eml"]),
        0,
    );
    // 2 MB of attachment is enough for a progress bar, but not on a pipe.
    assert!(stderr(&sealed).is_empty(), "{}", stderr(&sealed));
    let eml = fs::read(dir.join("sealed.eml")).unwrap();
    let page = fs::read(dir.join("sealed.html")).unwrap();
    let message = MessageParser::default()
        .parse(&eml[..])
        .expect("a standard parser reads it");
    let from = message.from().unwrap().first().unwrap();
    assert_eq!(from.name(), Some("Example Clinic"));
    assert_eq!(from.address(), Some("records@clinic.example"));
    assert_eq!(
        message.to().unwrap().first().unwrap().name(),
        Some("Zoë Patient")
    );
    assert_eq!(
        message.cc().unwrap().first().unwrap().address(),
        Some("gp@practice.example")
    );
    assert_eq!(
        message.subject(),
        Some("Secure message"),
        "the real subject stays sealed"
    );
    assert!(message.message_id().unwrap().ends_with("@clinic.example"));
    assert!(message.date().is_some());
    let text = message.body_text(0).unwrap();
    assert!(
        text.contains("securedoc-") && text.contains("six words, by SMS"),
        "{text}"
    );
    assert!(text.contains("It is not in this e-mail"));
    assert!(message.body_html(0).unwrap().contains("<ol>"));

    let attachment = message.attachments().next().unwrap();
    let name = attachment.attachment_name().unwrap();
    assert!(
        name.starts_with("securedoc-") && name.ends_with(".html"),
        "{name}"
    );
    assert_eq!(
        attachment.contents(),
        &page[..],
        "the page travels byte for byte"
    );
    let eml_text = String::from_utf8(eml.clone()).unwrap();
    let attachment_headers = &eml_text[eml_text.find("filename=\"securedoc-").unwrap()..][..120];
    assert!(
        attachment_headers.contains("Content-Transfer-Encoding: 7bit"),
        "{attachment_headers}"
    );
    assert!(
        !eml_text.contains("Biopsy"),
        "the subject appears nowhere in clear"
    );

    // Saved from the mail, the attachment opens.
    fs::write(dir.join(name), attachment.contents()).unwrap();
    run(
        sealer(&dir).args([
            "open",
            name,
            "--passphrase-file",
            "pass.txt",
            "--output-dir",
            "got",
        ]),
        0,
    );
    assert_eq!(fs::read(dir.join("got/scan.bin")).unwrap(), scan);

    // The .eml itself opens, and so does one whose mail program re-encoded
    // the page (base64 here); a mail without an envelope is refused.
    run(
        sealer(&dir).args([
            "open",
            "sealed.eml",
            "--passphrase-file",
            "pass.txt",
            "--output-dir",
            "from-eml",
        ]),
        0,
    );
    assert_eq!(fs::read(dir.join("from-eml/scan.bin")).unwrap(), scan);
    let reencoded = mail_builder::MessageBuilder::new()
        .from("records@clinic.example")
        .to("zoe@example.org")
        .subject("Fwd")
        .text_body("forwarded")
        .attachment("application/octet-stream", "securedoc.html", page.clone())
        .write_to_vec()
        .unwrap();
    assert!(String::from_utf8_lossy(&reencoded).contains("Content-Transfer-Encoding: base64"));
    fs::write(dir.join("forwarded.eml"), reencoded).unwrap();
    run(
        sealer(&dir).args([
            "open",
            "forwarded.eml",
            "--passphrase-file",
            "pass.txt",
            "--output-dir",
            "fwd",
        ]),
        0,
    );
    assert_eq!(fs::read(dir.join("fwd/scan.bin")).unwrap(), scan);
    let plain = mail_builder::MessageBuilder::new()
        .from("a@example.org")
        .to("b@example.org")
        .text_body("hello")
        .attachment("text/plain", "note.txt", "just a note")
        .write_to_vec()
        .unwrap();
    fs::write(dir.join("plain.eml"), plain).unwrap();
    let output = run(
        sealer(&dir).args(["open", "plain.eml", "--passphrase-file", "pass.txt"]),
        3,
    );
    assert!(
        stderr(&output).contains("no sealed envelope attached"),
        "{}",
        stderr(&output)
    );

    // At most 1.40 x the payload plus the decryptor.
    let envelope = sealer::extract_envelope(std::str::from_utf8(&page).unwrap()).unwrap();
    let base = envelope.len() + sealer::DECRYPTOR_WASM_DEFLATED.len() + sealer::DECRYPTOR_JS.len();
    let ratio = eml.len() as f64 / base as f64;
    assert!(
        ratio <= 1.40,
        "the .eml is {ratio:.3} x the payload plus the decryptor"
    );

    // Refusals: no sender; an existing .eml is kept.
    fs::write(dir.join("keep.eml"), "keep").unwrap();
    let output = run(
        sealer(&dir)
            .args([
                "seal",
                "--to",
                "a@example.org",
                "--passphrase-file",
                "pass.txt",
            ])
            .args(["-o", "x.html", "--eml", "x.eml"]),
        3,
    );
    assert!(stderr(&output).contains("--eml needs --from"));
    run(
        sealer(&dir).args([
            "seal",
            "--demo",
            "--generate-passphrase",
            "-o",
            "y.html",
            "--eml",
            "keep.eml",
        ]),
        3,
    );
    assert_eq!(fs::read_to_string(dir.join("keep.eml")).unwrap(), "keep");
    assert!(!dir.join("x.html").exists() && !dir.join("y.html").exists());
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn completions_and_the_manual_page_come_from_the_command_definition() {
    let dir = scratch("completions");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = run(sealer(&dir).args(["completions", shell]), 0);
        let script = stdout(&output);
        assert!(
            script.contains("passphrase-file") && script.contains("seal"),
            "{shell}"
        );
    }
    let output = run(sealer(&dir).arg("man"), 0);
    let page = stdout(&output);
    assert!(
        page.starts_with(".ie") || page.contains(".TH sealer"),
        "{page}"
    );
    assert!(page.contains("seal") && page.contains("inspect"));
    run(sealer(&dir).args(["completions", "tcsh"]), 2);
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_template_folder_replaces_templates_but_cannot_weaken_the_page() {
    let dir = scratch("templates");
    fs::create_dir(dir.join("brand")).unwrap();
    fs::write(
        dir.join("brand/notice.txt.j2"),
        "{{ sender_name }} sent you {{ file_name }}.\nQuestions: call 0123 456 789.\n",
    )
    .unwrap();
    run(
        sealer(&dir).args([
            "seal",
            "--demo",
            "--generate-passphrase",
            "--template-dir",
            "brand",
            "-o",
            "a.html",
            "--eml",
            "a.eml",
        ]),
        0,
    );
    let eml = fs::read_to_string(dir.join("a.eml")).unwrap();
    assert!(
        eml.contains("Questions: call 0123 456 789."),
        "the folder's notice text"
    );
    assert!(eml.contains("<ol>"), "the built-in HTML part, not replaced");

    let builtin = sealer::templates::Templates::default().page;
    fs::write(
        dir.join("brand/envelope.html.j2"),
        builtin.replacen(
            "<main>",
            "<main>\n<iframe id=\"frame\" title=\"x\"></iframe>",
            1,
        ),
    )
    .unwrap();
    let output = run(
        sealer(&dir).args([
            "seal",
            "--demo",
            "--generate-passphrase",
            "--template-dir",
            "brand",
            "-o",
            "b.html",
        ]),
        3,
    );
    assert!(stderr(&output).contains("iframe"), "{}", stderr(&output));
    assert!(!dir.join("b.html").exists());
    run(
        sealer(&dir).args([
            "seal",
            "--demo",
            "--generate-passphrase",
            "--template-dir",
            "missing",
            "-o",
            "c.html",
        ]),
        3,
    );
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn branding_flags_override_the_folder_and_bad_values_are_refused_up_front() {
    use mail_parser::{MessageParser, MimeHeaders};
    let dir = scratch("branding");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/example");
    let seal = |extra: &[&str], out: &str| {
        let mut command = sealer(&dir);
        command
            .args(["seal", "--demo", "--generate-passphrase", "--template-dir"])
            .arg(&example)
            .args(extra)
            .args(["-o", &format!("{out}.html"), "--eml", &format!("{out}.eml")]);
        command
    };

    // The folder's branding.json, with two values overridden by flags.
    run(
        &mut seal(
            &[
                "--organisation",
                "Hôpital Exemple",
                "--accent-colour",
                "#1d4d2b",
                "--help-text",
                "Passphrase lost?\\nCall us.",
            ],
            "ok",
        ),
        0,
    );
    let page = fs::read_to_string(dir.join("ok.html")).unwrap();
    assert!(page.contains("<p id=\"organisation\" dir=\"auto\">H&#xF4;pital Exemple</p>"));
    assert!(page.contains(":root { --accent: #1d4d2b; }"));
    assert!(page.contains("<p id=\"help-text\" dir=\"auto\">Passphrase lost?\r\nCall us.</p>"));
    assert!(
        page.contains("Records office, Example Clinic"),
        "the folder's contact line"
    );
    assert!(page.contains("src=\"data:image/png;base64,iVBORw0KGgo"));
    let eml = fs::read(dir.join("ok.eml")).unwrap();
    let mail = MessageParser::default().parse(&eml).unwrap();
    let logo = mail
        .parts
        .iter()
        .find(|part| {
            part.content_type().is_some_and(|t| t.ctype() == "image") && part.content_id().is_some()
        })
        .expect("the logo as an inline part");
    assert_eq!(logo.contents(), fs::read(example.join("logo.png")).unwrap());
    let html = mail.body_html(0).unwrap();
    assert!(html.contains(&format!("src=\"cid:{}\"", logo.content_id().unwrap())));
    assert!(mail.body_text(0).unwrap().contains("Hôpital Exemple"));

    // Bad values: one line each, exit code 3, nothing written, before any
    // passphrase is made.
    fs::write(
        dir.join("logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    fs::write(dir.join("big.png"), {
        let mut big = fs::read(example.join("logo.png")).unwrap();
        big.resize(200_000, 0);
        big
    })
    .unwrap();
    for (flags, says) in [
        (&["--logo", "logo.svg"][..], "SVG"),
        (&["--logo", "big.png"], "over 131.1 KB"),
        (&["--logo", "missing.png"], "missing.png"),
        (&["--logo", "."], "is a folder"),
        (&["--accent-colour", "#ffeb3b"], "contrast"),
        (&["--accent-color", "blue"], "not a colour"),
        (&["--lang", "en_GB"], "not a language tag"),
        (&["--organisation", ""], "organisation name is empty"),
    ] {
        let output = run(&mut seal(flags, "bad"), 3);
        let error = stderr(&output);
        assert!(error.contains(says), "{flags:?}: {error}");
        assert_eq!(error.trim().lines().count(), 1, "{error}");
        assert!(!stdout(&output).contains("Passphrase"), "{flags:?}");
        assert!(!dir.join("bad.html").exists() && !dir.join("bad.eml").exists());
    }

    // A typo in branding.json is refused, not ignored.
    let brand = dir.join("brand");
    fs::create_dir_all(&brand).unwrap();
    fs::write(
        brand.join("branding.json"),
        r#"{"organization": "Typo Clinic"}"#,
    )
    .unwrap();
    let output = run(
        sealer(&dir).args([
            "seal",
            "--demo",
            "--generate-passphrase",
            "--template-dir",
            "brand",
            "-o",
            "typo.html",
        ]),
        3,
    );
    assert!(
        stderr(&output).contains("unknown field `organization`"),
        "{}",
        stderr(&output)
    );
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn verify_accepts_a_genuine_page_and_catches_one_changed_byte_of_the_decryptor() {
    let dir = scratch("verify");
    run(
        sealer(&dir)
            .args([
                "seal",
                "--demo",
                "--generate-passphrase",
                "--output",
                "page.html",
            ])
            .args(["--eml", "page.eml"]),
        0,
    );
    for genuine in ["page.html", "page.eml"] {
        let output = run(sealer(&dir).args(["verify", genuine]), 0);
        assert!(
            stdout(&output).starts_with("Verified: "),
            "{}",
            stdout(&output)
        );
    }
    let output = run(sealer(&dir).args(["verify", "page.html", "--json"]), 0);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["genuine"], true);
    assert_eq!(report["decryptor_sha256"], sealer::decryptor_digests()[0].0);

    // One base64 character of the module changed: another decryptor.
    let page = fs::read_to_string(dir.join("page.html")).unwrap();
    let at = page.find("id=\"decryptor-wasm\">").unwrap() + 500;
    let mut changed = page.into_bytes();
    changed[at] = if changed[at] == b'A' { b'B' } else { b'A' };
    fs::write(dir.join("changed.html"), changed).unwrap();
    let output = run(sealer(&dir).args(["verify", "changed.html"]), 5);
    assert!(stdout(&output).is_empty());
    assert!(
        stderr(&output).starts_with("sealer: NOT VERIFIED: changed.html")
            && stderr(&output).contains("decryptor module"),
        "{}",
        stderr(&output)
    );
    // Not a page at all.
    fs::write(dir.join("letter.txt"), "Dear Alex").unwrap();
    run(sealer(&dir).args(["verify", "letter.txt"]), 3);
}

#[test]
fn an_expired_envelope_is_refused_before_the_passphrase_and_inspect_shows_the_date() {
    let dir = scratch("expiry");
    let options = SealOptions::new()
        .kdf(envelope_core::KdfParams::MIN)
        .passphrase(Passphrase::new(PASSPHRASE))
        .expires(978_307_200);
    let envelope = seal_to_vec(Message::new().subject("old"), &options).unwrap();
    fs::write(dir.join("old.envelope"), envelope).unwrap();
    // No passphrase given: it is not even asked for.
    let output = run(sealer(&dir).args(["open", "old.envelope"]), 7);
    assert!(
        stderr(&output).contains("expired on 2001-01-01T00:00:00+00:00"),
        "{}",
        stderr(&output)
    );
    let output = run(sealer(&dir).args(["inspect", "old.envelope"]), 0);
    assert!(stdout(&output).contains("Expires:         2001-01-01T00:00:00+00:00 (expired"));

    // --expires: a duration or a day; the past and nonsense are refused.
    fs::write(dir.join("pass.txt"), format!("{PASSPHRASE}\n")).unwrap();
    let seal = |when: &str, out: &str| {
        let mut command = sealer(&dir);
        command
            .args(["seal", "--to", "a@example.org", "--subject", "s"])
            .args([
                "--passphrase-file",
                "pass.txt",
                "--expires",
                when,
                "--output",
                out,
            ]);
        command
    };
    run(&mut seal("30d", "month.html"), 0);
    let output = run(sealer(&dir).args(["inspect", "month.html", "--json"]), 0);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["expired"], false);
    assert!(report["expires"].as_str().unwrap().ends_with("+00:00"));
    let output = run(
        sealer(&dir)
            .args(["open", "month.html", "--passphrase-file", "pass.txt"])
            .args(["--output-dir", "month"]),
        0,
    );
    assert!(stdout(&output).contains("Subject: s"));
    for bad in ["2001-01-01", "soon", "0d"] {
        run(&mut seal(bad, "bad.html"), 3);
    }
    assert!(!dir.join("bad.html").exists());
}

#[test]
fn a_passphrase_per_recipient_each_opens_the_envelope() {
    let dir = scratch("per-recipient");
    let chosen = [
        ("alex.txt", "tulip-gravel-sonnet-ember-abacus-zoology"),
        ("sam.txt", "harbor-quince-velvet-nimbus-orchid-kettle"),
    ];
    for (file, passphrase) in chosen {
        fs::write(dir.join(file), format!("{passphrase}\n")).unwrap();
    }
    let output = run(
        sealer(&dir)
            .args([
                "seal",
                "--to",
                "alex@example.org",
                "--to",
                "sam@example.net",
            ])
            .args(["--subject", "Both", "--output", "both.html"])
            .args([
                "--passphrase-file",
                "alex.txt",
                "--passphrase-file",
                "sam.txt",
            ]),
        0,
    );
    assert!(
        stdout(&output).contains("Sealed with 2 passphrases"),
        "{}",
        stdout(&output)
    );
    let output = run(sealer(&dir).args(["inspect", "both.html"]), 0);
    assert!(stdout(&output).contains("Key slots:       2 (passphrase, passphrase)"));
    for (n, (file, _)) in chosen.iter().enumerate() {
        let output = run(
            sealer(&dir)
                .args(["open", "both.html", "--passphrase-file", file])
                .args(["--output-dir", &format!("out-{n}")]),
            0,
        );
        assert!(stdout(&output).contains("Subject: Both"));
    }
    fs::write(dir.join("wrong.txt"), "nobody-has-this-one-either-ok\n").unwrap();
    run(
        sealer(&dir).args(["open", "both.html", "--passphrase-file", "wrong.txt"]),
        4,
    );

    // Generated, one per recipient, into a new private folder.
    run(
        sealer(&dir)
            .args([
                "seal",
                "--to",
                "Alex <alex@example.org>",
                "--cc",
                "sam@example.net",
            ])
            .args([
                "--subject",
                "Gen",
                "--output",
                "gen.html",
                "--generate-passphrase",
            ])
            .args(["--per-recipient", "--passphrase-out", "passphrases"]),
        0,
    );
    use std::os::unix::fs::PermissionsExt;
    let folder = dir.join("passphrases");
    assert_eq!(
        fs::metadata(&folder).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let files = listing(&folder);
    assert_eq!(files, ["alex@example.org.txt", "sam@example.net.txt"]);
    for file in files {
        let path = folder.join(&file);
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        run(
            sealer(&dir)
                .args([
                    "open",
                    "gen.html",
                    "--passphrase-file",
                    path.to_str().unwrap(),
                ])
                .args(["--output-dir", &format!("gen-{file}")]),
            0,
        );
    }
    // Printed, one line each, when there is no folder.
    let output = run(
        sealer(&dir)
            .args([
                "seal",
                "--to",
                "alex@example.org",
                "--to",
                "sam@example.net",
            ])
            .args([
                "--output",
                "printed.html",
                "--generate-passphrase",
                "--per-recipient",
            ]),
        0,
    );
    let text = stdout(&output);
    assert!(
        text.contains("Passphrase for alex@example.org (6 words, 77 bits): "),
        "{text}"
    );
    assert!(
        text.contains("Passphrase for sam@example.net (6 words, 77 bits): "),
        "{text}"
    );
}

#[test]
fn a_recovery_identity_opens_without_the_passphrase_and_a_wrong_one_does_not() {
    let dir = scratch("recovery");
    let output = run(sealer(&dir).args(["keygen", "--output", "records.key"]), 0);
    assert!(stdout(&output).contains("Fingerprint: "));
    use std::os::unix::fs::PermissionsExt;
    let mode = |name: &str| fs::metadata(dir.join(name)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("records.key"), 0o600);
    assert!(
        fs::read_to_string(dir.join("records.key.pub"))
            .unwrap()
            .contains("sealer-x25519:")
    );
    // Never overwritten.
    run(sealer(&dir).args(["keygen", "--output", "records.key"]), 3);

    fs::write(dir.join("pass.txt"), format!("{PASSPHRASE}\n")).unwrap();
    run(
        sealer(&dir)
            .args(["seal", "--to", "alex@example.org", "--subject", "Kept"])
            .args([
                "--passphrase-file",
                "pass.txt",
                "--recovery-key",
                "records.key.pub",
            ])
            .args(["--output", "kept.html"]),
        0,
    );
    let output = run(sealer(&dir).args(["inspect", "kept.html"]), 0);
    assert!(
        stdout(&output).contains("Key slots:       2 (passphrase, recovery key)"),
        "{}",
        stdout(&output)
    );
    let output = run(
        sealer(&dir)
            .args(["open", "kept.html", "--identity", "records.key"])
            .args(["--output-dir", "by-identity"]),
        0,
    );
    assert!(stdout(&output).contains("Subject: Kept"));
    run(
        sealer(&dir)
            .args(["open", "kept.html", "--passphrase-file", "pass.txt"])
            .args(["--output-dir", "by-passphrase"]),
        0,
    );

    // Another identity: wrong key (4); an identity others can read: refused.
    run(sealer(&dir).args(["keygen", "--output", "other.key"]), 0);
    let output = run(
        sealer(&dir).args(["open", "kept.html", "--identity", "other.key"]),
        4,
    );
    assert!(stderr(&output).contains("wrong key"), "{}", stderr(&output));
    fs::set_permissions(dir.join("records.key"), fs::Permissions::from_mode(0o644)).unwrap();
    let output = run(
        sealer(&dir).args(["open", "kept.html", "--identity", "records.key"]),
        3,
    );
    assert!(stderr(&output).contains("chmod 600"));
    // The public key is not an identity, nor the other way round.
    fs::set_permissions(
        dir.join("records.key.pub"),
        fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    run(
        sealer(&dir).args(["open", "kept.html", "--identity", "records.key.pub"]),
        3,
    );
    run(
        sealer(&dir)
            .args([
                "seal",
                "--to",
                "a@example.org",
                "--passphrase-file",
                "pass.txt",
            ])
            .args(["--recovery-key", "other.key", "--output", "x.html"]),
        3,
    );
}

#[test]
fn a_signature_names_its_signer_and_open_signer_refuses_any_other() {
    let dir = scratch("signing");
    let output = run(
        sealer(&dir).args(["keygen", "--signing", "--output", "sender.key"]),
        0,
    );
    assert!(stdout(&output).contains("signing key"));
    run(
        sealer(&dir).args(["keygen", "--signing", "--output", "stranger.key"]),
        0,
    );
    fs::write(dir.join("pass.txt"), format!("{PASSPHRASE}\n")).unwrap();
    run(
        sealer(&dir)
            .args(["seal", "--to", "alex@example.org", "--subject", "Signed"])
            .args(["--passphrase-file", "pass.txt", "--sign", "sender.key"])
            .args(["--output", "signed.html"]),
        0,
    );
    let open = |extra: &[&str], out: &str, code: i32| {
        run(
            sealer(&dir)
                .args(["open", "signed.html", "--passphrase-file", "pass.txt"])
                .args(["--output-dir", out])
                .args(extra),
            code,
        )
    };
    let public = fs::read_to_string(dir.join("sender.key.pub")).unwrap();
    let signer_line = public.lines().last().unwrap().to_owned();
    let output = open(&[], "plain", 0);
    assert!(
        stdout(&output).contains(&format!("Signed:  by {signer_line} (fingerprint ")),
        "{}",
        stdout(&output)
    );
    open(&["--signer", "sender.key.pub"], "expected", 0);
    // Signed, but by a key the recipient does not expect: nothing saved.
    let output = open(&["--signer", "stranger.key.pub"], "unexpected", 8);
    assert!(
        stderr(&output).contains("signed by an unknown key"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.join("unexpected").exists() || listing(&dir.join("unexpected")).is_empty());
    // Not signed at all.
    run(
        sealer(&dir)
            .args([
                "seal",
                "--to",
                "alex@example.org",
                "--passphrase-file",
                "pass.txt",
            ])
            .args(["--output", "unsigned.html"]),
        0,
    );
    let output = run(
        sealer(&dir)
            .args(["open", "unsigned.html", "--passphrase-file", "pass.txt"])
            .args(["--signer", "sender.key.pub", "--output-dir", "unsigned"]),
        8,
    );
    assert!(stderr(&output).contains("it is not signed"));
    // A signature that does not verify (the test vector): a warning.
    let vector: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/signature-invalid.json"),
        )
        .unwrap(),
    )
    .unwrap();
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(vector["envelope"].as_str().unwrap())
        .unwrap();
    fs::write(dir.join("forged.envelope"), bytes).unwrap();
    fs::write(
        dir.join("vector-pass.txt"),
        format!("{}\n", vector["passphrase"].as_str().unwrap()),
    )
    .unwrap();
    let output = run(
        sealer(&dir)
            .args([
                "open",
                "forged.envelope",
                "--passphrase-file",
                "vector-pass.txt",
            ])
            .args(["--output-dir", "forged"]),
        0,
    );
    assert!(
        stdout(&output).contains("WARNING: it claims to be signed by"),
        "{}",
        stdout(&output)
    );

    // inspect: the signature is inside, so it says how to check it; with
    // --verify and the passphrase it checks all of it and names the signer,
    // showing and saving nothing of the message.
    let inspect = |args: &[&str], code: i32| run(sealer(&dir).arg("inspect").args(args), code);
    let output = inspect(&["signed.html"], 0);
    assert!(stdout(&output).contains("sealer inspect --verify checks it"));
    let output = inspect(
        &["signed.html", "--verify", "--passphrase-file", "pass.txt"],
        0,
    );
    let text = stdout(&output);
    assert!(
        text.contains("Verified:        all of it (opened through key slot 0, passphrase)"),
        "{text}"
    );
    assert!(
        text.contains(&format!("Signature:       by {signer_line} (fingerprint ")),
        "{text}"
    );
    assert!(
        !text.contains("Subject"),
        "inspect showed the message: {text}"
    );
    let before = listing(&dir);
    let output = inspect(
        &[
            "signed.html",
            "--passphrase-file",
            "pass.txt",
            "--signer",
            "sender.key.pub",
            "--json",
        ],
        0,
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        json["verified"]["signature"]["signer"],
        signer_line.as_str()
    );
    assert_eq!(json["verified"]["signature"]["valid"], true);
    assert_eq!(listing(&dir), before, "inspect saved something");
    let output = inspect(
        &[
            "signed.html",
            "--passphrase-file",
            "pass.txt",
            "--signer",
            "stranger.key.pub",
        ],
        8,
    );
    assert!(stderr(&output).contains("signed by an unknown key"));
    let output = inspect(
        &["unsigned.html", "--verify", "--passphrase-file", "pass.txt"],
        0,
    );
    assert!(stdout(&output).contains("Signature:       none (not signed)"));
    let output = inspect(
        &[
            "forged.envelope",
            "--verify",
            "--passphrase-file",
            "vector-pass.txt",
        ],
        0,
    );
    assert!(stdout(&output).contains("Signature:       WARNING: it claims to be signed by"));
    inspect(
        &[
            "signed.html",
            "--verify",
            "--passphrase-file",
            "vector-pass.txt",
        ],
        4,
    );
    // A signing key others can read is refused.
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir.join("sender.key"), fs::Permissions::from_mode(0o640)).unwrap();
    run(
        sealer(&dir)
            .args([
                "seal",
                "--to",
                "a@example.org",
                "--passphrase-file",
                "pass.txt",
            ])
            .args(["--sign", "sender.key", "--output", "never.html"]),
        3,
    );
}

#[test]
fn addresses_are_parsed_once_and_mistyped_ones_are_refused() {
    let dir = scratch("addresses");
    fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    let seal = |from: &str, to: &str, output: &str| {
        let mut command = sealer(&dir);
        command
            .args(["seal", "--from", from, "--to", to])
            .args(["--passphrase-file", "pass.txt", "-o", output])
            .args(["--eml", &format!("{output}.eml")]);
        command
    };
    for (from, to, says) in [
        ("records@clinic.example", "alex at example", "has no @"),
        ("records@clinic", "alex@example.org", "has no dot"),
        (
            "records@clinic.example",
            "alex@example.org\nBcc: x@evil.example",
            "line break",
        ),
    ] {
        let output = run(&mut seal(from, to, "refused.html"), 3);
        assert!(stderr(&output).contains(says), "{}", stderr(&output));
        assert_eq!(stderr(&output).lines().count(), 1);
    }
    assert_eq!(listing(&dir), ["pass.txt"], "nothing written");

    // Several addresses in one --to are several recipients, a comma inside
    // a quoted name is not a separator.
    run(
        &mut seal(
            "Example Clinic <records@clinic.example>",
            "alex@example.org, \"Doe, Jane\" <jane@example.org>",
            "two.html",
        ),
        0,
    );
    let mail = fs::read_to_string(dir.join("two.html.eml")).unwrap();
    let to = mail.lines().find(|line| line.starts_with("To: ")).unwrap();
    assert!(to.contains("<alex@example.org>"), "{to}");
    assert!(to.contains("\"Doe, Jane\" <jane@example.org>"), "{to}");
    let opened = run(
        sealer(&dir).args(["open", "two.html", "--passphrase-file", "pass.txt"]),
        0,
    );
    assert!(
        stdout(&opened).contains("To:      alex@example.org, Doe, Jane <jane@example.org>"),
        "{}",
        stdout(&opened)
    );
}

#[test]
fn force_replaces_the_notice_when_the_page_goes_to_standard_output() {
    let dir = scratch("force-stdout");
    fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    fs::write(dir.join("n.eml"), "old notice").unwrap();
    let seal = |force: bool| {
        let mut command = sealer(&dir);
        command
            .args(["seal", "--demo", "--passphrase-file", "pass.txt"])
            .args(["-o", "-", "--eml", "n.eml"]);
        if force {
            command.arg("--force");
        }
        command
    };
    let kept = run(&mut seal(false), 3);
    assert!(
        stderr(&kept).contains("already exists"),
        "{}",
        stderr(&kept)
    );
    assert_eq!(fs::read_to_string(dir.join("n.eml")).unwrap(), "old notice");
    let replaced = run(&mut seal(true), 0);
    assert!(stdout(&replaced).starts_with("<!DOCTYPE html>"));
    assert!(
        fs::read_to_string(dir.join("n.eml"))
            .unwrap()
            .starts_with("From: ")
    );
}

#[test]
fn the_subject_stays_sealed_unless_the_sender_shows_it() {
    let dir = scratch("subject");
    fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    let seal = |output: &str, extra: &[&str]| {
        let mut command = sealer(&dir);
        command
            .args(["seal", "--from", "Example Clinic <records@clinic.example>"])
            .args(["--to", "alex@example.org", "--subject", "Biopsy results"])
            .args(["--passphrase-file", "pass.txt", "-o", output])
            .args(["--eml", &format!("{output}.eml")])
            .args(extra);
        command
    };
    let subject = |name: &str| {
        let mail = fs::read_to_string(dir.join(name)).unwrap();
        assert_eq!(
            mail.contains("Biopsy results"),
            mail.contains("Subject: Biopsy results\r\n"),
            "the real subject appears only as the subject it was asked to be"
        );
        mail.lines()
            .find_map(|line| line.strip_prefix("Subject: "))
            .unwrap()
            .to_owned()
    };
    run(&mut seal("plain.html", &[]), 0);
    assert_eq!(subject("plain.html.eml"), "Secure message");
    run(
        &mut seal("labelled.html", &["--label", "Results from Radiology"]),
        0,
    );
    assert_eq!(subject("labelled.html.eml"), "Results from Radiology");
    run(
        &mut seal("clinic.html", &["--organisation", "Example Clinic"]),
        0,
    );
    assert_eq!(
        subject("clinic.html.eml"),
        "Secure message from Example Clinic"
    );
    run(&mut seal("shown.html", &["--show-subject"]), 0);
    assert_eq!(subject("shown.html.eml"), "Biopsy results");
    // The old flag still runs, and means the default.
    run(&mut seal("hidden.html", &["--hide-subject"]), 0);
    assert_eq!(subject("hidden.html.eml"), "Secure message");
}

#[test]
fn a_public_field_that_gives_the_passphrase_away_is_refused_and_names_the_field() {
    let dir = scratch("leaks");
    fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    let seal = |extra: &[&str]| {
        let mut command = sealer(&dir);
        command
            .args(["seal", "--from", "Example Clinic <records@clinic.example>"])
            .args(["--to", "alex@example.org"])
            .args(["--passphrase-file", "pass.txt", "-o", "leak.html"])
            .args(["--eml", "leak.eml"])
            .args(extra);
        command
    };
    for (extra, says) in [
        (
            &["--hint", "tulip gravel sonnet ember abacus zoology"][..],
            "--hint contains",
        ),
        (&["--hint", "Tulip-Gravel-Sonnet"][..], "--hint contains"),
        (
            &["--label", "Your words: tulip, gravel, sonnet"][..],
            "--label contains",
        ),
        (
            &["--contact", "TulipGravelSonnetEmberAbacusZoology"][..],
            "--contact contains",
        ),
        (
            &["--subject", "tulip gravel ember", "--show-subject"][..],
            "the subject the notice shows",
        ),
        (
            &["--hint", "otter-maple-crane"][..],
            "looks like a passphrase",
        ),
    ] {
        let output = run(&mut seal(extra), 3);
        assert!(
            stderr(&output).contains(says),
            "{extra:?}: {}",
            stderr(&output)
        );
        assert_eq!(listing(&dir), ["pass.txt"], "nothing written");
    }
    // The real subject may hold the words: it is sealed, not shown.
    run(&mut seal(&["--subject", "tulip gravel ember"]), 0);
    // A hint that says where the passphrase comes from is fine.
    let output = run(
        sealer(&dir)
            .args(["seal", "--demo", "--generate-passphrase", "-o", "gen.html"])
            .args(["--hint", "the words we read to you on the phone"]),
        0,
    );
    assert!(stdout(&output).contains("Passphrase ("));
}

/// The ways a recipient types a generated passphrase read to them: each
/// must open the envelope, through a file and at the prompt.
fn typings_of(words: &[&str]) -> Vec<String> {
    let capitalised: Vec<String> = words
        .iter()
        .map(|w| w[..1].to_uppercase() + &w[1..])
        .collect();
    let soft = format!("{}\u{AD}{}", &words[3][..2], &words[3][2..]);
    vec![
        words.join(" "),
        capitalised.join(" "),
        words.join("-").to_uppercase(),
        format!(
            "{}\u{2013}{}\u{2014}{}\u{2212}{}\u{2010}{}\u{FF0D}{}",
            words[0], words[1], words[2], words[3], words[4], words[5]
        ),
        format!("  {}   \t", words.join(" -- ")),
        format!(
            "{}.{}_{}, {}. {}__{}",
            words[0], words[1], words[2], words[3], words[4], words[5]
        ),
        words.concat(),
        format!(
            "{}\u{A0}{}\u{200B}{}\u{3000}{soft} {} {}\r",
            words[0], words[1], words[2], words[4], words[5]
        ),
    ]
}

/// Runs `sealer ARGS` on a pseudo-terminal (util-linux `script`), typing
/// `line` at its prompt.
fn at_the_prompt(dir: &Path, args: &str, line: &str) -> std::process::Output {
    use std::io::Write;
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_sealer"));
    let mut child = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux script, for a terminal");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{line}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_generated_passphrase_opens_however_it_is_typed_and_a_wrong_one_says_why() {
    let dir = scratch("typings");
    let sealed = run(
        sealer(&dir).args([
            "seal",
            "--demo",
            "--generate-passphrase",
            "--passphrase-out",
            "secret.txt",
            "-o",
            "words.html",
        ]),
        0,
    );
    assert!(
        stdout(&sealed).contains("spaces, hyphens and capitals do not matter"),
        "{}",
        stdout(&sealed)
    );
    let secret = fs::read_to_string(dir.join("secret.txt")).unwrap();
    let words: Vec<&str> = secret.trim().split('-').collect();
    assert_eq!(words.len(), 6);
    let inspected = run(sealer(&dir).args(["inspect", "words.html"]), 0);
    assert!(
        stdout(&inspected).contains("Key slots:       1 (generated passphrase of 6 words)"),
        "{}",
        stdout(&inspected)
    );
    for (i, typed) in typings_of(&words).iter().enumerate() {
        fs::write(dir.join("typed.txt"), format!("{typed}\n")).unwrap();
        let output = run(
            sealer(&dir).args([
                "open",
                "words.html",
                "--passphrase-file",
                "typed.txt",
                "--output-dir",
                &format!("out{i}"),
            ]),
            0,
        );
        assert!(
            stdout(&output).contains("Subject: Your blood test results"),
            "{typed:?}"
        );
    }
    // Wrong typings: how many words, and which are not words of the list.
    for (typed, why) in [
        (
            words[..5].join(" "),
            "You typed 5 words; the passphrase has 6.",
        ),
        (
            format!("{} xyzzy", words[..5].join(" ")),
            "'xyzzy' is not one of the words: check its spelling.",
        ),
    ] {
        fs::write(dir.join("typed.txt"), format!("{typed}\n")).unwrap();
        let output = run(
            sealer(&dir).args(["open", "words.html", "--passphrase-file", "typed.txt"]),
            4,
        );
        assert!(stderr(&output).contains(why), "{}", stderr(&output));
        assert!(!stderr(&output).contains("slot"), "{}", stderr(&output));
    }

    // At the prompt, on a terminal.
    let typed = typings_of(&words)[1].clone();
    let output = at_the_prompt(&dir, "open words.html --output-dir prompted", &typed);
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{printed}");
    assert!(
        printed.contains("Subject: Your blood test results"),
        "{printed}"
    );
    let output = at_the_prompt(&dir, "open words.html", &words[1..].join(" "));
    let printed = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(4), "{printed}");
    assert!(
        printed.contains("You typed 5 words; the passphrase has 6."),
        "{printed}"
    );
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_chosen_passphrase_is_typed_exactly() {
    let dir = scratch("chosen-exact");
    // List words, but chosen: their spacing and capital are part of it.
    let chosen = "Abacus  zoology tulip-ember gravel lantern";
    fs::write(dir.join("pass.txt"), format!("{chosen}\n")).unwrap();
    run(
        sealer(&dir).args([
            "seal",
            "--demo",
            "--passphrase-file",
            "pass.txt",
            "-o",
            "chosen.html",
        ]),
        0,
    );
    fs::write(
        dir.join("typed.txt"),
        "abacus zoology tulip ember gravel lantern\n",
    )
    .unwrap();
    let output = run(
        sealer(&dir).args(["open", "chosen.html", "--passphrase-file", "typed.txt"]),
        4,
    );
    assert!(
        stderr(&output).contains("check it for typing mistakes"),
        "{}",
        stderr(&output)
    );
    run(
        sealer(&dir).args([
            "open",
            "chosen.html",
            "--passphrase-file",
            "pass.txt",
            "--output-dir",
            "out",
        ]),
        0,
    );
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_passphrase_from_sealer_passphrase_sealed_as_generated_opens_however_it_is_typed() {
    let dir = scratch("generated-flag");
    let made = run(sealer(&dir).args(["passphrase"]), 0);
    assert!(stderr(&made).contains("--generated"), "{}", stderr(&made));
    let passphrase = stdout(&made).trim().to_owned();
    fs::write(dir.join("pass.txt"), format!("{passphrase}\n")).unwrap();
    run(
        sealer(&dir).args([
            "seal",
            "--demo",
            "--passphrase-file",
            "pass.txt",
            "--generated",
            "-o",
            "words.html",
        ]),
        0,
    );
    let heard = passphrase.replace('-', " ").to_uppercase();
    fs::write(dir.join("heard.txt"), format!("{heard}\n")).unwrap();
    run(
        sealer(&dir).args([
            "open",
            "words.html",
            "--passphrase-file",
            "heard.txt",
            "--output-dir",
            "out",
        ]),
        0,
    );
    // Only list words, and six or more of them, are sealed as generated.
    for (line, why) in [
        (
            "my own secret words here and there",
            "is not words of the spoken list",
        ),
        ("abacus zoology tulip", "is 3 words of the spoken list"),
    ] {
        fs::write(dir.join("own.txt"), format!("{line}\n")).unwrap();
        let output = run(
            sealer(&dir).args([
                "seal",
                "--demo",
                "--passphrase-file",
                "own.txt",
                "--generated",
                "-o",
                "own.html",
            ]),
            3,
        );
        assert!(stderr(&output).contains(why), "{}", stderr(&output));
        assert!(!dir.join("own.html").exists());
    }
    fs::remove_dir_all(dir).unwrap();
}
