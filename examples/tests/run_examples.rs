//! Runs the example programs as a reader of the README would, and checks
//! what they write: an example that stops working fails here.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use envelope_core::{Passphrase, open};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("examples-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The built example `name` (cargo builds a package's examples before its
/// tests run).
fn example(name: &str) -> Command {
    let profile_dir = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .to_path_buf();
    Command::new(profile_dir.join("examples").join(name))
}

fn succeeded(output: Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The passphrase an example printed.
fn printed_passphrase(stdout: &str) -> Passphrase {
    let line = stdout
        .lines()
        .find(|line| line.starts_with("Passphrase"))
        .expect("a passphrase line");
    Passphrase::new(line.rsplit(": ").next().unwrap())
}

/// Opens the page at `path` with `passphrase`; returns the subject and
/// the number of attachments.
fn opens(path: &Path, passphrase: &Passphrase) -> (String, usize) {
    let page = std::fs::read_to_string(path).unwrap();
    let opened = open(&sealer::extract_envelope(&page).unwrap(), passphrase).unwrap();
    (opened.manifest.subject, opened.attachments.len())
}

#[test]
fn seal_demo_then_open_envelope() {
    let dir = scratch("demo");
    let page = dir.join("demo.html");
    let stdout = succeeded(example("seal_demo").arg(&page).output().unwrap());
    let passphrase = printed_passphrase(&stdout);
    let listed = succeeded(
        example("open_envelope")
            .arg(&page)
            .env("ENVELOPE_PASSPHRASE", passphrase.expose())
            .output()
            .unwrap(),
    );
    assert!(listed.contains("Subject:"), "{listed}");
    assert!(
        example("seal_demo")
            .arg(&page)
            .output()
            .unwrap()
            .status
            .code()
            == Some(1),
        "an existing page is not replaced"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn seal_with_notice_writes_a_page_and_its_email() {
    let dir = scratch("notice");
    let stdout = succeeded(example("seal_with_notice").arg(&dir).output().unwrap());
    let passphrase = printed_passphrase(&stdout);
    assert_eq!(
        opens(&dir.join("results.html"), &passphrase),
        ("Your scan and report".to_owned(), 2)
    );
    let eml = std::fs::read_to_string(dir.join("results.eml")).unwrap();
    // The real subject stays sealed: the notice shows the label.
    assert!(eml.contains("Subject: Secure message from Example Clinic\r\n"));
    assert!(!eml.contains("Your scan and report"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn seal_with_template_uses_the_folder_and_the_code() {
    let dir = scratch("template");
    let stdout = succeeded(example("seal_with_template").arg(&dir).output().unwrap());
    let passphrase = printed_passphrase(&stdout);
    let page_path = dir.join("branded.html");
    assert_eq!(
        opens(&page_path, &passphrase),
        ("Your appointment letter".to_owned(), 0)
    );
    let page = std::fs::read_to_string(&page_path).unwrap();
    assert!(
        page.contains("<strong>Confidential:</strong>"),
        "changed in code"
    );
    assert!(page.contains("<p id=\"organisation\" dir=\"auto\">Example Clinic</p>"));
    assert!(
        page.contains("Radiology, Example Clinic"),
        "overridden in code"
    );
    assert!(
        page.contains("src=\"data:image/png;base64,"),
        "the folder's logo"
    );
    let eml = std::fs::read_to_string(dir.join("branded.eml")).unwrap();
    assert!(eml.contains("Content-ID: <logo."));
    assert!(
        eml.contains("Example Clinic: a secure message for you"),
        "the folder's notice.txt.j2"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn receipts_logs_the_envelope_and_recognises_the_second_recipients_code() {
    let dir = scratch("receipts");
    let stdout = succeeded(example("receipts").arg(&dir).output().unwrap());
    let sam = stdout
        .lines()
        .find_map(|line| line.strip_prefix("Passphrase for sam@example.net: "))
        .expect("sam's passphrase");
    assert_eq!(
        opens(&dir.join("letter.html"), &Passphrase::new(sam)),
        ("Your appointment".to_owned(), 0)
    );
    assert!(
        stdout.contains("Receipt code for records@clinic.example: "),
        "{stdout}"
    );
    assert!(
        stdout.contains("Recognised: \"Your appointment\", sealed 20")
            && stdout.contains("opened with the passphrase for sam@example.net (key slot 1)."),
        "{stdout}"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir.join("sent-log.jsonl"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    std::fs::remove_dir_all(dir).unwrap();
}
