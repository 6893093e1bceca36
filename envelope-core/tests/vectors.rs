//! Runs every test-vector file in `tests/vectors/` through both ways of
//! opening (streaming and random access) and checks the recorded result.

// A failed unwrap here is a failed test or benchmark, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;
use std::path::PathBuf;

use base64::Engine;
use envelope_core::{
    Envelope, Error, Identity, OpenedMessage, PartKind, PartVerdict, Passphrase, RecipientKey,
    ScanOutcome, ScanSignatures, ScannedPart, VirusScan, open,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn vectors() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .expect("tests/vectors exists")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable");
            (
                path.display().to_string(),
                serde_json::from_str(&text).expect("valid JSON"),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn envelope_bytes(doc: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(doc["envelope"].as_str().expect("envelope"))
        .expect("base64")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn check_success(name: &str, expect: &Value, opened: &OpenedMessage) {
    let m = &opened.manifest;
    assert_eq!(expect["opened_slot"], opened.opened_slot, "{name}: slot");
    assert_eq!(expect["from"], m.from.as_str(), "{name}: from");
    assert_eq!(expect["to"], serde_json::json!(m.to), "{name}: to");
    assert_eq!(expect["cc"], serde_json::json!(m.cc), "{name}: cc");
    assert_eq!(expect["subject"], m.subject.as_str(), "{name}: subject");
    assert_eq!(expect["date"], m.date.to_rfc3339(), "{name}: date");
    assert_eq!(
        expect["text_body"],
        opened.text_body.as_str(),
        "{name}: text body"
    );
    assert_eq!(
        expect["html_body"],
        serde_json::json!(opened.html_body),
        "{name}: html body"
    );
    let attachments = expect["attachments"].as_array().expect("attachments");
    assert_eq!(
        attachments.len(),
        m.attachments.len(),
        "{name}: attachment count"
    );
    for ((want, info), bytes) in attachments
        .iter()
        .zip(&m.attachments)
        .zip(&opened.attachments)
    {
        assert_eq!(want["name"], info.name.as_str(), "{name}");
        assert_eq!(want["media_type"], info.media_type.as_str(), "{name}");
        assert_eq!(want["size"], info.size, "{name}");
        assert_eq!(
            want["sha256"],
            hex(&Sha256::digest(bytes)),
            "{name}: attachment digest"
        );
    }
}

/// What the manifest says of replies, as the vectors record it (`null`
/// where it says nothing).
fn reply_fields(opened: &OpenedMessage) -> (serde_json::Value, serde_json::Value) {
    let m = &opened.manifest;
    let request = m.reply_request.as_ref().map(|request| {
        serde_json::json!({
            "to": request.to,
            "key": RecipientKey::from_bytes(request.key).expect("a usable key").to_text(),
            "envelope": hex(&request.envelope),
        })
    });
    (
        serde_json::json!(request),
        serde_json::json!(m.in_reply_to.as_ref().map(|id| hex(id))),
    )
}

/// The virus-scan record a vector file describes (`None` where it has
/// none).
fn recorded_virus_scan(value: &Value) -> Option<VirusScan> {
    if value.is_null() {
        return None;
    }
    let text = |field: &str| value[field].as_str().expect(field);
    let parts = value["parts"].as_array().expect("parts");
    Some(VirusScan {
        outcome: match text("outcome") {
            "scanned" => ScanOutcome::Scanned,
            "scanner-unavailable" => ScanOutcome::ScannerUnavailable,
            other => panic!("outcome {other}"),
        },
        scanner: text("scanner").to_owned(),
        signatures: value["signatures"].as_object().map(|s| ScanSignatures {
            version: s["version"].as_u64().expect("version") as u32,
            built_at: s["built_at"].as_i64().expect("built_at"),
        }),
        checked_at: value["checked_at"].as_i64().expect("checked_at"),
        parts: parts
            .iter()
            .map(|part| ScannedPart {
                name: part["name"].as_str().expect("name").to_owned(),
                verdict: match part["verdict"].as_str().expect("verdict") {
                    "no-threat-found" => PartVerdict::NoThreatFound,
                    "not-scanned" => PartVerdict::NotScanned,
                    other => panic!("verdict {other}"),
                },
            })
            .collect(),
    })
}

/// Opens with the vector's identity (the reply vectors have one): the
/// same message as with the passphrase, through the recovery-key slot.
fn check_identity(name: &str, doc: &Value, bytes: &[u8], by_passphrase: &OpenedMessage) {
    let Some(identity) = doc["identity"].as_str() else {
        return;
    };
    let identity = Identity::from_text(identity).expect("identity");
    let mut content = Envelope::new(bytes)
        .and_then(|envelope| envelope.unlock_with_identity(&identity))
        .unwrap_or_else(|err| panic!("{name}: the identity does not open it: {err}"));
    assert_ne!(content.opened_slot(), by_passphrase.opened_slot, "{name}");
    assert_eq!(content.manifest(), &by_passphrase.manifest, "{name}");
    let mut parts = Vec::new();
    while let Some(mut part) = content.next_part().expect("part") {
        let mut bytes = Vec::new();
        part.copy_to(&mut bytes).expect("part bytes");
        parts.push(bytes);
    }
    content.finish().expect("whole");
    let by_passphrase_parts: Vec<&[u8]> = std::iter::once(by_passphrase.text_body.as_bytes())
        .chain(by_passphrase.html_body.as_deref().map(str::as_bytes))
        .chain(by_passphrase.attachments.iter().map(Vec::as_slice))
        .collect();
    assert_eq!(
        parts.iter().map(Vec::as_slice).collect::<Vec<_>>(),
        by_passphrase_parts,
        "{name}: the identity reads other bytes"
    );
}

/// Opens through the random-access path and reads every part.
fn open_random_access(bytes: &[u8], passphrase: &Passphrase) -> Result<Vec<Vec<u8>>, Error> {
    let mut envelope = Envelope::new(Cursor::new(bytes))?.unlock_random_access(passphrase)?;
    let mut parts = vec![envelope.read_text_body()?.into_bytes()];
    parts.extend(envelope.read_html_body()?.map(String::into_bytes));
    for index in 0..envelope.manifest().attachments.len() {
        parts.push(envelope.read_part_to_vec(PartKind::Attachment(index))?);
    }
    Ok(parts)
}

#[test]
fn every_vector_gives_its_recorded_result() {
    let vectors = vectors();
    assert!(vectors.len() >= 20, "only {} vectors", vectors.len());
    for (name, doc) in vectors {
        let bytes = envelope_bytes(&doc);
        let passphrase = Passphrase::new(doc["passphrase"].as_str().expect("passphrase"));
        let expect = &doc["expect"];
        let want = expect["result"].as_str().expect("result");
        let streamed = open(&bytes, &passphrase);
        let random = open_random_access(&bytes, &passphrase);
        match (want, streamed, random) {
            ("success", Ok(opened), Ok(parts)) => {
                check_success(&name, expect, &opened);
                let (request, in_reply_to) = reply_fields(&opened);
                assert_eq!(expect["reply_request"], request, "{name}: reply request");
                assert_eq!(expect["in_reply_to"], in_reply_to, "{name}: in reply to");
                assert_eq!(
                    opened.manifest.virus_scan,
                    recorded_virus_scan(&expect["virus_scan"]),
                    "{name}: virus scan"
                );
                check_identity(&name, &doc, &bytes, &opened);
                let streamed_parts: Vec<&[u8]> = std::iter::once(opened.text_body.as_bytes())
                    .chain(opened.html_body.as_deref().map(str::as_bytes))
                    .chain(opened.attachments.iter().map(Vec::as_slice))
                    .collect();
                assert_eq!(streamed_parts, parts, "{name}: random access differs");
            }
            ("success", streamed, random) => {
                panic!(
                    "{name}: expected success, got {:?} / {:?}",
                    streamed.err(),
                    random.err()
                )
            }
            (kind, Err(streamed), random) => {
                assert_eq!(
                    streamed.kind().name(),
                    kind,
                    "{name}: streaming gave {streamed}"
                );
                let random = random.expect_err("random access must fail too");
                assert_eq!(
                    random.kind().name(),
                    kind,
                    "{name}: random access gave {random}"
                );
            }
            (kind, Ok(_), _) => panic!("{name}: expected {kind}, but it opened"),
        }
    }
}
