//! What the command and corpus tests share: running `sealer` in a scratch
//! folder, the corpus, what Python's e-mail parser found in each message,
//! and the check that an opened envelope holds it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub(crate) mod gateway;
pub(crate) mod replies;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use envelope_core::OpenedMessage;
use serde_json::Value;

/// The corpus folder.
pub(crate) fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Each corpus message's name and what it holds (`expected.json`).
pub(crate) fn expected() -> serde_json::Map<String, Value> {
    let expected: serde_json::Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(corpus().join("expected.json")).unwrap())
            .unwrap();
    assert!(
        expected.len() >= 15,
        "the corpus has {} messages",
        expected.len()
    );
    expected
}

fn lf(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// The address inside `Name <address>`, or the whole.
fn address_of(text: &str) -> &str {
    match (text.rfind('<'), text.strip_suffix('>')) {
        (Some(open), Some(inner)) => &inner[open + 1..],
        _ => text,
    }
}

/// Checks that `opened`, the envelope made from corpus message `name`,
/// holds what `want` says: subject, sender, bodies, and every attachment
/// with its name, type and SHA-256.
pub(crate) fn check_opened(name: &str, opened: &OpenedMessage, want: &Value) {
    let manifest = &opened.manifest;
    assert_eq!(
        manifest.subject,
        want["subject"].as_str().unwrap(),
        "{name}"
    );
    if let Some(from) = want["from"].as_str() {
        assert_eq!(address_of(&manifest.from), address_of(from), "{name}");
    }
    assert_eq!(
        lf(&opened.text_body),
        want["text"].as_str().unwrap(),
        "{name}: text body"
    );
    let html = want["html"].as_str().unwrap();
    assert_eq!(
        lf(opened.html_body.as_deref().unwrap_or("")),
        html,
        "{name}: HTML body"
    );

    let attachments = want["attachments"].as_array().unwrap();
    assert_eq!(
        manifest.attachments.len(),
        attachments.len(),
        "{name}: {:?}",
        manifest.attachments
    );
    for ((info, bytes), want) in manifest
        .attachments
        .iter()
        .zip(&opened.attachments)
        .zip(attachments)
    {
        match want["name"].as_str() {
            Some(expected_name) => assert_eq!(info.name, expected_name, "{name}"),
            None => assert!(!info.name.is_empty(), "{name}: a name is made up"),
        }
        let essence = info.media_type.split(';').next().unwrap();
        assert_eq!(
            essence,
            want["type"].as_str().unwrap(),
            "{name}: {}",
            info.name
        );
        match want["sha256"].as_str() {
            Some(digest) => assert_eq!(
                sealer::sha256_hex(bytes),
                digest,
                "{name}: {} differs",
                info.name
            ),
            None => {
                // A forwarded message: an .eml that parses to itself.
                assert!(info.name.ends_with(".eml"), "{name}: {}", info.name);
                let nested = mail_parser::MessageParser::default().parse(bytes).unwrap();
                assert_eq!(nested.subject(), want["nested_subject"].as_str(), "{name}");
            }
        }
    }
}

/// The envelope inside an outgoing message: its `securedoc-…` page.
pub(crate) fn envelope_in(wrapped: &[u8]) -> Vec<u8> {
    use mail_parser::{MessageParser, MimeHeaders};
    let out = MessageParser::default().parse(wrapped).unwrap();
    let page = out
        .attachments()
        .find(|part| {
            part.attachment_name()
                .is_some_and(|n| n.starts_with("securedoc-"))
        })
        .expect("the page");
    sealer::extract_envelope(page.text_contents().unwrap()).unwrap()
}

pub(crate) fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sealer-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

pub(crate) fn sealer(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("sealer").unwrap();
    command.current_dir(dir).env_remove("SEALER_PASSPHRASE");
    command
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs and checks the exit code; returns the output.
pub(crate) fn run(command: &mut Command, code: i32) -> Output {
    let output = command.output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(&output),
        stderr(&output)
    );
    output
}

/// Everything in `dir`, sorted, hidden files included.
pub(crate) fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
