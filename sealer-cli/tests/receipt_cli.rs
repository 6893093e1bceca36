//! Proof of receipt through the `sealer` binary, as a sender and recipients
//! use it: `seal --receipt` logs the envelope, `open` offers the code, and
//! `receipt verify` names the envelope and the recipient whose passphrase
//! opened it, and refuses codes it did not issue.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::path::Path;

use common::{run, scratch, sealer, stderr, stdout};

/// Seals `subject` to alex and sam, one generated passphrase each (into
/// `<name>-pw/`), asking for a receipt, logged in `log`.
fn seal_with_receipt(dir: &Path, name: &str, subject: &str, log: &str) {
    let output = run(
        sealer(dir)
            .args(["seal", "--from", "Example Clinic <records@clinic.example>"])
            .args(["--to", "alex@example.org", "--cc", "sam@example.net"])
            .args(["--subject", subject, "--output", &format!("{name}.html")])
            .args(["--generate-passphrase", "--per-recipient"])
            .args(["--passphrase-out", &format!("{name}-pw")])
            .args(["--receipt", "--sent-log", log]),
        0,
    );
    let text = stdout(&output);
    assert!(
        text.contains("A receipt is asked for at records@clinic.example"),
        "{text}"
    );
}

/// Opens `envelope` with the passphrase in `file` and returns the receipt
/// code it offers, checking where it is to be sent.
fn code_offered(dir: &Path, envelope: &str, file: &str, out: &str) -> String {
    let output = run(
        sealer(dir)
            .args(["open", envelope, "--passphrase-file", file])
            .args(["--output-dir", out]),
        0,
    );
    let text = stdout(&output);
    let line = text
        .lines()
        .find(|line| line.starts_with("Receipt:"))
        .unwrap_or_else(|| panic!("no receipt offered: {text}"));
    let (_, rest) = line
        .split_once("send this code to records@clinic.example: ")
        .unwrap_or_else(|| panic!("{line}"));
    rest.split_whitespace().next().unwrap().to_owned()
}

#[test]
fn a_receipt_code_names_the_envelope_and_whose_passphrase_opened_it() {
    let dir = scratch("receipt");
    seal_with_receipt(&dir, "first", "Your results", "log/sent.jsonl");
    seal_with_receipt(&dir, "second", "Your invoice", "log/sent.jsonl");

    let mut codes = Vec::new();
    for (envelope, subject) in [("first", "Your results"), ("second", "Your invoice")] {
        for recipient in ["alex@example.org", "sam@example.net"] {
            let file = format!("{envelope}-pw/{recipient}.txt");
            let code = code_offered(
                &dir,
                &format!("{envelope}.html"),
                &file,
                &format!("o-{envelope}-{recipient}"),
            );
            let output = run(
                sealer(&dir).args(["receipt", "verify", &code, "--sent-log", "log/sent.jsonl"]),
                0,
            );
            let text = stdout(&output);
            assert!(text.contains(&format!("{code}: recognised")), "{text}");
            assert!(text.contains(&format!("subject \"{subject}\"")), "{text}");
            assert!(
                text.contains(&format!(
                    "opened with the passphrase generated for {recipient}"
                )),
                "{text}"
            );
            assert!(text.contains(&format!("{envelope}.html")), "{text}");
            codes.push(code);
        }
    }
    // Four different codes: one per envelope and recipient.
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4);

    // Typed loosely (lower case, no dashes) it is the same code.
    let loose = codes[0].to_lowercase().replace('-', "");
    run(
        sealer(&dir).args(["receipt", "verify", &loose, "--sent-log", "log/sent.jsonl"]),
        0,
    );
    // Several at once, and in JSON.
    let output = run(
        sealer(&dir)
            .args(["receipt", "verify", &codes[1], &codes[2], "--json"])
            .args(["--sent-log", "log/sent.jsonl"]),
        0,
    );
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["recognised"], true);
    assert_eq!(lines[0]["slot"]["slot"], 1);
    assert_eq!(lines[1]["envelope"]["subject"], "Your invoice");
    assert_eq!(lines[1]["slot"]["slot"], 0);

    // The codes in a receipt e-mail, read from standard input.
    let mail = format!(
        "From: alex@example.org\r\nSubject: Receipt for your sealed message\r\n\r\n\
         Receipt code: {}\r\n\r\nThis code tells the sender that I opened it.\r\n",
        codes[3]
    );
    let output = run(
        sealer(&dir)
            .args(["receipt", "verify", "-", "--sent-log", "log/sent.jsonl"])
            .write_stdin(mail),
        0,
    );
    assert!(stdout(&output).contains("Your invoice"));

    // The sent-log is private and holds neither a passphrase nor a code.
    use std::os::unix::fs::PermissionsExt;
    let log = dir.join("log/sent.jsonl");
    assert_eq!(
        fs::metadata(&log).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        fs::metadata(dir.join("log")).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let logged = fs::read_to_string(&log).unwrap();
    assert_eq!(logged.lines().count(), 2);
    for envelope in ["first", "second"] {
        for recipient in ["alex@example.org", "sam@example.net"] {
            let passphrase =
                fs::read_to_string(dir.join(format!("{envelope}-pw/{recipient}.txt"))).unwrap();
            assert!(
                !logged.contains(passphrase.trim()),
                "a passphrase in the log"
            );
        }
    }
    for code in &codes {
        assert!(!logged.contains(code.as_str()), "a code in the log");
        assert!(
            !logged.contains(&code.replace('-', "")),
            "a code in the log"
        );
    }
}

#[test]
fn forged_mistyped_and_foreign_codes_are_refused() {
    let dir = scratch("receipt-forged");
    seal_with_receipt(&dir, "mine", "Mine", "mine.jsonl");
    seal_with_receipt(&dir, "other", "Other", "other.jsonl");
    let code = code_offered(&dir, "mine.html", "mine-pw/alex@example.org.txt", "o1");
    let foreign = code_offered(&dir, "other.html", "other-pw/alex@example.org.txt", "o2");

    // Every single character changed to another symbol: never recognised.
    let symbols = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    for (at, c) in code.char_indices().filter(|(_, c)| *c != '-') {
        let replacement = symbols.chars().find(|s| *s != c).unwrap();
        let mut forged = code.clone();
        forged.replace_range(at..at + 1, &replacement.to_string());
        let output = run(
            sealer(&dir).args(["receipt", "verify", &forged, "--sent-log", "mine.jsonl"]),
            9,
        );
        assert!(
            stdout(&output).contains("NOT RECOGNISED"),
            "{}",
            stdout(&output)
        );
    }
    // Another sender's envelope: not in this log.
    let output = run(
        sealer(&dir).args(["receipt", "verify", &foreign, "--sent-log", "mine.jsonl"]),
        9,
    );
    assert!(stderr(&output).contains("1 of 1 receipt codes not recognised"));
    // One good and one forged: the good one is named, the exit code says
    // that not all were recognised.
    let forged = format!(
        "{}{}",
        &code[..code.len() - 1],
        if code.ends_with('0') { '1' } else { '0' }
    );
    let output = run(
        sealer(&dir)
            .args(["receipt", "verify", &code, &forged])
            .args(["--sent-log", "mine.jsonl"]),
        9,
    );
    assert!(stdout(&output).contains(&format!("{code}: recognised")));
    assert!(stdout(&output).contains(&format!("{forged}: NOT RECOGNISED")));

    // Not a code at all, or no sent-log: bad input.
    for bad in ["ABCD-EFGH", "UUUU-UUUU-UUUU-UUUU-UUUU-UUUU", "hello"] {
        let output = run(
            sealer(&dir).args(["receipt", "verify", bad, "--sent-log", "mine.jsonl"]),
            3,
        );
        assert!(
            stderr(&output).contains("not a receipt code"),
            "{}",
            stderr(&output)
        );
    }
    let output = run(
        sealer(&dir).args(["receipt", "verify", &code, "--sent-log", "missing.jsonl"]),
        3,
    );
    assert!(stderr(&output).contains("there is no sent-log at missing.jsonl"));
    run(
        sealer(&dir)
            .args(["receipt", "verify", "-", "--sent-log", "mine.jsonl"])
            .write_stdin("no code in here"),
        3,
    );
}

#[test]
fn receipts_are_opt_in_need_a_usable_address_and_a_private_log() {
    let dir = scratch("receipt-setup");
    fs::write(
        dir.join("pass.txt"),
        "tulip-gravel-sonnet-ember-abacus-zoology\n",
    )
    .unwrap();
    let seal = |extra: &[&str], output: &str, code: i32| {
        run(
            sealer(&dir)
                .args(["seal", "--to", "alex@example.org", "--subject", "S"])
                .args(["--passphrase-file", "pass.txt", "--output", output])
                .args(["--sent-log", "sent.jsonl"])
                .args(extra),
            code,
        )
    };
    // No receipt asked: no log, nothing offered.
    seal(&[], "plain.html", 0);
    assert!(!dir.join("sent.jsonl").exists());
    let output = run(
        sealer(&dir)
            .args(["open", "plain.html", "--passphrase-file", "pass.txt"])
            .args(["--output-dir", "o-plain"]),
        0,
    );
    assert!(!stdout(&output).contains("Receipt:"));

    // --receipt takes the --from address; without one it says so.
    let output = seal(&["--receipt"], "nofrom.html", 3);
    assert!(
        stderr(&output).contains("give --from"),
        "{}",
        stderr(&output)
    );
    for bad in [
        "not an address",
        "a@b.example?cc=c@d.example",
        "Name <a@b.example>",
    ] {
        let output = seal(&["--receipt-to", bad], "bad.html", 3);
        assert!(
            stderr(&output).contains("cannot receive receipts"),
            "{}",
            stderr(&output)
        );
    }
    assert!(!dir.join("nofrom.html").exists() && !dir.join("bad.html").exists());

    // --receipt-to, with a typed passphrase's description in the log.
    seal(&["--receipt-to", "receipts@clinic.example"], "to.html", 0);
    let logged = fs::read_to_string(dir.join("sent.jsonl")).unwrap();
    assert!(
        logged.contains("\"the passphrase in pass.txt\""),
        "{logged}"
    );
    assert!(logged.contains("\"receipt_to\":\"receipts@clinic.example\""));

    // A sent-log others can read is refused before anything is sealed.
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir.join("sent.jsonl"), fs::Permissions::from_mode(0o644)).unwrap();
    let output = seal(
        &["--receipt-to", "receipts@clinic.example"],
        "open-log.html",
        3,
    );
    assert!(
        stderr(&output).contains("can be read by others"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.join("open-log.html").exists());
}

#[test]
fn a_recovery_key_opens_without_offering_a_receipt() {
    let dir = scratch("receipt-recovery");
    run(sealer(&dir).args(["keygen", "--output", "records.key"]), 0);
    fs::write(
        dir.join("pass.txt"),
        "tulip-gravel-sonnet-ember-abacus-zoology\n",
    )
    .unwrap();
    run(
        sealer(&dir)
            .args(["seal", "--to", "alex@example.org", "--subject", "S"])
            .args(["--passphrase-file", "pass.txt", "--output", "r.html"])
            .args(["--recovery-key", "records.key.pub"])
            .args([
                "--receipt-to",
                "receipts@clinic.example",
                "--sent-log",
                "sent.jsonl",
            ]),
        0,
    );
    let output = run(
        sealer(&dir)
            .args(["open", "r.html", "--identity", "records.key"])
            .args(["--output-dir", "o"]),
        0,
    );
    assert!(
        stdout(&output).contains("opened with a recovery key, there is none to send"),
        "{}",
        stdout(&output)
    );
}
