//! Virus scanning against a real ClamAV (`clamd` on a Unix socket, with a
//! signature database the test writes: `tests/clamd.rs`): `sealer seal
//! --scan` and `sealer wrap` with a `[scan]` policy find the EICAR file and
//! a generated "virus" inside a ZIP, inside a forwarded message and
//! base64-encoded in a multipart, and refuse or quarantine the message; a
//! clean message's envelope records the scan and `sealer open` says so; a
//! stopped scanner defers the message (75) or, where the policy allows it,
//! the envelope says it was not scanned.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../tests/clamd.rs"]
#[allow(unreachable_pub, dead_code)]
mod clamd;
mod common;

use std::fs;
use std::io::Write;
use std::path::Path;

use clamd::{EICAR, EICAR_THREAT, GENERATED_THREAT, SIGNATURE_VERSION, TestClamd};
use common::gateway::{GENERATE, audit, gateway, wrap_logged};
use common::{envelope_in, run, scratch, sealer, stderr, stdout};
use envelope_core::{PartVerdict, Passphrase, ScanOutcome, VirusScan, open};

const PASSPHRASE: &str = "abacus-zoology-tulip-ember-gravel-sonnet";
const INFECTED: i32 = 10;
const NOT_SCANNED: i32 = 11;
const EX_DATAERR: i32 = 65;
const EX_TEMPFAIL: i32 = 75;

/// A ZIP archive (stored) holding `name`.
fn zip_of(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file(name, options).unwrap();
    zip.write_all(bytes).unwrap();
    zip.finish().unwrap().into_inner()
}

fn base64_lines(bytes: &[u8]) -> String {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    encoded
        .as_bytes()
        .chunks(76)
        .map(|line| format!("{}\r\n", std::str::from_utf8(line).unwrap()))
        .collect()
}

/// A message with a text part and `name` attached, base64-encoded.
fn mail_with(subject: &str, name: &str, media_type: &str, bytes: &[u8]) -> Vec<u8> {
    format!(
        "From: Dr Ada <ada@clinic.example>\r\nTo: Alex <alex@example.org>\r\n\
         Subject: {subject}\r\nMessage-ID: <scan-{}@clinic.example>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nPlease see the attachment.\r\n--b1\r\n\
         Content-Type: {media_type}\r\nContent-Disposition: attachment; filename={name}\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{}--b1--\r\n",
        subject.len(),
        base64_lines(bytes)
    )
    .into_bytes()
}

/// A message forwarding `inner` as a `message/rfc822` part.
fn forwarding(subject: &str, inner: &[u8]) -> Vec<u8> {
    let mut mail = format!(
        "From: Dr Ada <ada@clinic.example>\r\nTo: Alex <alex@example.org>\r\n\
         Subject: {subject}\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\n\
         Content-Type: text/plain\r\n\r\nForwarded below.\r\n--outer\r\n\
         Content-Type: message/rfc822\r\n\r\n"
    )
    .into_bytes();
    mail.extend_from_slice(inner);
    mail.extend_from_slice(b"\r\n--outer--\r\n");
    mail
}

/// The virus-scan record of the envelope in `page`.
fn record_in_page(page: &[u8]) -> Option<VirusScan> {
    let envelope = sealer::extract_envelope(std::str::from_utf8(page).unwrap()).unwrap();
    open(&envelope, &Passphrase::new(PASSPHRASE))
        .unwrap()
        .manifest
        .virus_scan
}

/// `sealer seal --scan` against `clamd`, with the passphrase in a file.
fn seal_scanned(dir: &Path, clamd: &TestClamd) -> assert_cmd::Command {
    let mut command = sealer(dir);
    command
        .args([
            "seal",
            "--to",
            "alex@example.org",
            "--passphrase-file",
            "pass.txt",
        ])
        .args(["--scan", "--clamd"])
        .arg(&clamd.socket);
    command
}

#[test]
fn seal_refuses_what_clamav_finds_and_records_a_clean_scan() {
    if clamd::skipped() {
        return;
    }
    let dir = scratch("scan-seal");
    let mut clamd = TestClamd::start(&dir.join("clamd"));
    fs::write(dir.join("pass.txt"), format!("{PASSPHRASE}\n")).unwrap();
    fs::write(dir.join("body.txt"), "Your results are attached.\n").unwrap();
    fs::write(dir.join("eicar.com"), EICAR).unwrap();
    fs::write(
        dir.join("photos.zip"),
        zip_of("holiday.exe", &clamd::generated_virus()),
    )
    .unwrap();
    let inner = mail_with(
        "Invoice",
        "invoice.bin",
        "application/octet-stream",
        &clamd::generated_virus(),
    );
    fs::write(dir.join("forwarded.eml"), &inner).unwrap();
    fs::write(dir.join("results.txt"), "All values within range.\n").unwrap();

    for (file, threat, part) in [
        ("eicar.com", EICAR_THREAT, "eicar.com"),
        ("photos.zip", GENERATED_THREAT, "photos.zip"),
        ("forwarded.eml", GENERATED_THREAT, "forwarded.eml"),
    ] {
        let output = run(
            seal_scanned(&dir, &clamd)
                .args(["--body", "body.txt", "--attach", file, "-o", "out.html"]),
            INFECTED,
        );
        let said = stderr(&output);
        assert!(
            said.contains(threat) && said.contains(part),
            "{file}: {said}"
        );
        assert!(said.contains("nothing was sealed"), "{said}");
        assert!(
            !dir.join("out.html").exists(),
            "{file}: an envelope was written"
        );
    }

    // The same over TCP.
    let output = run(
        sealer(&dir)
            .args([
                "seal",
                "--to",
                "alex@example.org",
                "--passphrase-file",
                "pass.txt",
            ])
            .args(["--scan", "--clamd", &format!("tcp://{}", clamd.tcp)])
            .args(["--attach", "eicar.com", "-o", "out.html"]),
        INFECTED,
    );
    assert!(
        stderr(&output).contains(EICAR_THREAT),
        "{}",
        stderr(&output)
    );

    // Clean: the record names the scanner, its signatures and each part.
    let output = run(
        seal_scanned(&dir, &clamd).args([
            "--body",
            "body.txt",
            "--attach",
            "results.txt",
            "-o",
            "clean.html",
        ]),
        0,
    );
    assert!(
        stdout(&output).contains("Checked for viruses before sealing: no threat found (ClamAV 1."),
        "{}",
        stdout(&output)
    );
    let record = record_in_page(&fs::read(dir.join("clean.html")).unwrap()).unwrap();
    assert!(record.all_clean(), "{record:?}");
    assert!(
        record.scanner.starts_with("ClamAV 1."),
        "{}",
        record.scanner
    );
    assert_eq!(record.signatures.unwrap().version, SIGNATURE_VERSION);
    let names: Vec<&str> = record.parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["message text", "results.txt"]);
    let opened = run(
        sealer(&dir).args([
            "open",
            "clean.html",
            "--passphrase-file",
            "pass.txt",
            "--output-dir",
            "opened",
        ]),
        0,
    );
    let shown = stdout(&opened);
    let viruses = shown
        .lines()
        .find(|line| line.starts_with("Viruses:"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(
        viruses.contains("no threat found (ClamAV 1.") && viruses.contains("signatures of"),
        "{viruses}"
    );
    // Without a scan, open says nothing about viruses at all.
    run(
        sealer(&dir)
            .args([
                "seal",
                "--to",
                "a@example.org",
                "--passphrase-file",
                "pass.txt",
            ])
            .args(["--body", "body.txt", "-o", "unscanned.html"]),
        0,
    );
    let shown = stdout(&run(
        sealer(&dir).args([
            "open",
            "unscanned.html",
            "--passphrase-file",
            "pass.txt",
            "--output-dir",
            "opened2",
        ]),
        0,
    ));
    assert!(!shown.to_lowercase().contains("virus"), "{shown}");

    // The scanner stopped: nothing sealed (11), unless unscanned is allowed,
    // and then the envelope says so.
    clamd.stop();
    let output = run(
        seal_scanned(&dir, &clamd).args(["--body", "body.txt", "-o", "down.html"]),
        NOT_SCANNED,
    );
    assert!(
        stderr(&output).contains("cannot scan for viruses"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.join("down.html").exists());
    run(
        seal_scanned(&dir, &clamd).args([
            "--allow-unscanned",
            "--body",
            "body.txt",
            "--attach",
            "results.txt",
            "-o",
            "down.html",
        ]),
        0,
    );
    let record = record_in_page(&fs::read(dir.join("down.html")).unwrap()).unwrap();
    assert_eq!(record.outcome, ScanOutcome::ScannerUnavailable);
    let shown = stdout(&run(
        sealer(&dir).args([
            "open",
            "down.html",
            "--passphrase-file",
            "pass.txt",
            "--output-dir",
            "opened3",
        ]),
        0,
    ));
    assert!(
        shown.contains("Viruses: Not checked for viruses"),
        "{shown}"
    );
}

/// A gateway whose policy scans with `clamd`, plus `extra` in `[scan]`.
fn scanning_gateway(name: &str, clamd: &TestClamd, extra: &str) -> std::path::PathBuf {
    gateway(
        name,
        &format!(
            "{GENERATE}[scan]\nclamd = \"{}\"\ntimeout_seconds = 10\n{extra}",
            clamd.socket.display()
        ),
    )
}

fn last(dir: &Path) -> serde_json::Value {
    audit(dir).pop().unwrap()
}

/// The virus-scan record of the envelope the gateway in `dir` sealed into
/// `out`, opened with the passphrase its last audit line delivered.
fn sealed_record(dir: &Path, out: &str) -> VirusScan {
    let line = last(dir);
    let delivery = dir.join(line["delivery_file"].as_str().unwrap());
    let text = fs::read_to_string(delivery).unwrap();
    let passphrase = text
        .lines()
        .next()
        .unwrap()
        .strip_prefix("Passphrase: ")
        .unwrap();
    let envelope = envelope_in(&fs::read(dir.join(out)).unwrap());
    open(&envelope, &Passphrase::new(passphrase))
        .unwrap()
        .manifest
        .virus_scan
        .unwrap()
}

#[test]
fn wrap_refuses_quarantines_or_defers_as_the_policy_says() {
    if clamd::skipped() {
        return;
    }
    let clamd_dir = scratch("scan-wrap-clamd");
    let mut clamd = TestClamd::start(&clamd_dir);
    let dir = scanning_gateway("scan-wrap", &clamd, "");

    // Infected, in a ZIP, base64 in a multipart: bounced, tagged or not.
    let zipped = mail_with(
        "[secure] Results",
        "results.zip",
        "application/zip",
        &zip_of("eicar.com", EICAR),
    );
    let forwarded = forwarding(
        "Fwd: Invoice",
        &mail_with(
            "Invoice",
            "invoice.bin",
            "application/octet-stream",
            &clamd::generated_virus(),
        ),
    );
    for (mail, threat) in [(&zipped, EICAR_THREAT), (&forwarded, GENERATED_THREAT)] {
        let output = run(
            wrap_logged(&dir)
                .args(["--output", "out.eml"])
                .write_stdin(mail.clone()),
            EX_DATAERR,
        );
        assert!(stderr(&output).contains(threat), "{}", stderr(&output));
        assert!(!dir.join("out.eml").exists());
        let line = last(&dir);
        assert_eq!(line["action"], "refused");
        assert_eq!(line["scan"]["verdict"], "infected");
        assert_eq!(line["scan"]["threat"], threat);
        // A part of its own, not only the whole mail (scanned last).
        let (part, of) = line["scan"]["part"]
            .as_str()
            .unwrap()
            .split_once(" of ")
            .unwrap();
        assert!(
            part.parse::<usize>().unwrap() < of.parse().unwrap(),
            "{line}"
        );
        assert!(
            line["scan"]["signatures"]
                .as_str()
                .unwrap()
                .starts_with("27110 (")
        );
        // Never a name or a word of the content.
        let text = line.to_string();
        assert!(
            !text.contains("results.zip") && !text.contains("invoice"),
            "{text}"
        );
    }

    // Clean and tagged: sealed, and the envelope records the scan.
    let clean = mail_with(
        "[secure] Results",
        "results.txt",
        "text/plain",
        b"All fine.\n",
    );
    run(
        wrap_logged(&dir)
            .args(["--output", "sealed.eml"])
            .write_stdin(clean.clone()),
        0,
    );
    let line = last(&dir);
    assert_eq!(line["action"], "sealed");
    assert_eq!(line["scan"]["verdict"], "clean");
    let record = sealed_record(&dir, "sealed.eml");
    let names: Vec<&str> = record.parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["message text", "results.txt", "the whole message"]);
    assert!(
        record
            .parts
            .iter()
            .all(|p| p.verdict == PartVerdict::NoThreatFound)
    );
    assert_eq!(record.signatures.unwrap().version, SIGNATURE_VERSION);

    // Clean and untagged: passed byte for byte, the scan logged.
    let plain = mail_with("Lunch", "menu.txt", "text/plain", b"Soup.\n");
    let output = run(wrap_logged(&dir).write_stdin(plain.clone()), 0);
    assert_eq!(output.stdout, plain);
    assert_eq!(last(&dir)["scan"]["verdict"], "clean");

    // The scanner stopped: deferred, nothing written, the reason logged.
    clamd.stop();
    let output = run(
        wrap_logged(&dir)
            .args(["--output", "down.eml"])
            .write_stdin(clean.clone()),
        EX_TEMPFAIL,
    );
    assert!(
        stderr(&output).contains("stays queued"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.join("down.eml").exists());
    let line = last(&dir);
    assert_eq!(line["action"], "deferred");
    assert_eq!(line["scan"]["verdict"], "scanner-unavailable");
    // Unless the policy allows unscanned mail: sealed, saying so.
    let allowing = scanning_gateway("scan-wrap-allow", &clamd, "unscanned = \"allow\"\n");
    run(
        wrap_logged(&allowing)
            .args(["--output", "sealed.eml"])
            .write_stdin(clean),
        0,
    );
    let line = last(&allowing);
    assert_eq!(line["scan"]["verdict"], "scanner-unavailable");
    let record = sealed_record(&allowing, "sealed.eml");
    assert_eq!(record.outcome, ScanOutcome::ScannerUnavailable);
}

#[test]
fn quarantine_keeps_the_message_and_sends_nothing() {
    if clamd::skipped() {
        return;
    }
    let clamd = TestClamd::start(&scratch("scan-quarantine-clamd"));
    let dir = scanning_gateway(
        "scan-quarantine",
        &clamd,
        "infected = \"quarantine\"\nquarantine_dir = \"quarantine\"\n",
    );
    // Without its folder the gateway defers: set up wrongly, it loses nothing.
    let infected = mail_with(
        "Photos",
        "photos.zip",
        "application/zip",
        &zip_of("x.com", EICAR),
    );
    run(
        wrap_logged(&dir)
            .args(["--output", "out.eml"])
            .write_stdin(infected.clone()),
        EX_TEMPFAIL,
    );
    fs::create_dir(dir.join("quarantine")).unwrap();
    // Nor without --output (a quarantined message must be told from one to send).
    run(wrap_logged(&dir).write_stdin(infected.clone()), EX_TEMPFAIL);
    let output = run(
        wrap_logged(&dir)
            .args(["--output", "out.eml"])
            .write_stdin(infected.clone()),
        0,
    );
    assert!(
        !dir.join("out.eml").exists(),
        "an infected message went out"
    );
    let said = stdout(&output);
    let kept = Path::new(
        said.trim()
            .strip_prefix("quarantined: ")
            .unwrap_or_else(|| panic!("{said}")),
    );
    assert_eq!(fs::read(kept).unwrap(), infected);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        fs::metadata(kept).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let line = last(&dir);
    assert_eq!(line["action"], "quarantined");
    assert_eq!(line["scan"]["quarantined"], kept.display().to_string());
}

#[test]
fn a_part_the_scanner_refuses_is_bounced_or_sealed_as_not_scanned() {
    if clamd::skipped() {
        return;
    }
    // clamd takes streams of 1 MB at most; the attachment is 2 MB.
    let clamd = TestClamd::start_with_stream_limit(&scratch("scan-limit-clamd"), "1M");
    let big: Vec<u8> = (0..2_000_000u32).map(|i| (i % 251) as u8).collect();
    let mail = mail_with(
        "[secure] Scan",
        "scan.bin",
        "application/octet-stream",
        &big,
    );
    let dir = scanning_gateway("scan-limit", &clamd, "");
    let output = run(
        wrap_logged(&dir)
            .args(["--output", "out.eml"])
            .write_stdin(mail.clone()),
        EX_DATAERR,
    );
    assert!(
        stderr(&output).contains("cannot be scanned"),
        "{}",
        stderr(&output)
    );
    assert_eq!(last(&dir)["scan"]["verdict"], "not-scanned");
    let allowing = scanning_gateway("scan-limit-allow", &clamd, "unscanned = \"allow\"\n");
    run(
        wrap_logged(&allowing)
            .args(["--output", "out.eml"])
            .write_stdin(mail),
        0,
    );
    let line = last(&allowing);
    assert_eq!(line["scan"]["verdict"], "not-scanned");
    let record = sealed_record(&allowing, "out.eml");
    let unscanned: Vec<&str> = record
        .parts
        .iter()
        .filter(|p| p.verdict == PartVerdict::NotScanned)
        .map(|p| p.name.as_str())
        .collect();
    // The whole message and the attachment were too big; the text was not.
    assert_eq!(unscanned, ["scan.bin", "the whole message"]);
    assert!(!record.all_clean());
}
