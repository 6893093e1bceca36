//! Proof of receipt, as an application would use it with the libraries:
//! seal a letter for two recipients (a passphrase each) asking for a
//! receipt, keep the envelope's record in a sent-log, then play the second
//! recipient (open the envelope, take the receipt code the page would
//! offer) and the sender (recognise the code).
//!
//! ```text
//! cargo run --release -p examples --example receipts -- OUT_DIR
//! ```
//!
//! Writes `OUT_DIR/letter.html` and appends to `OUT_DIR/sent-log.jsonl`
//! (created readable by its owner only); prints the two passphrases, the
//! receipt code and what the sender learns from it.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use envelope_core::{
    DEFAULT_WORDS, Message, SealOptions, generate_passphrase, open, seal_with_receipt,
};
use sealer::receipts::{SentEntry, SentLog, find_receipt};
use sealer::{PageOptions, files, render_page};

fn run(out: PathBuf) -> Result<(), Box<dyn std::error::Error>> {
    let recipients = ["alex@example.org", "sam@example.net"];
    let passphrases = [
        generate_passphrase(DEFAULT_WORDS)?,
        generate_passphrase(DEFAULT_WORDS)?,
    ];
    let message = Message::new()
        .from("Example Clinic <records@clinic.example>")
        .to(recipients[0])
        .cc(recipients[1])
        .subject("Your appointment")
        .text_body("Dear Alex,\n\nyour appointment is on Monday at nine.\n");
    let options = SealOptions::new()
        .passphrase(passphrases[0].clone())
        .passphrase(passphrases[1].clone())
        .label("Secure message from Example Clinic")
        .request_receipt("records@clinic.example");
    // The record recognises each slot's code later; it holds no secret.
    let (envelope, record) = seal_with_receipt(message, &options, Vec::new())?;

    // Logged before the page goes anywhere: an envelope whose receipts
    // cannot be recognised is never sent.
    let log = out.join("sent-log.jsonl");
    let mut entry = SentEntry::new(
        &record,
        &[
            "the passphrase for alex@example.org",
            "the passphrase for sam@example.net",
        ],
    );
    entry.to = vec![recipients[0].to_owned()];
    entry.cc = vec![recipients[1].to_owned()];
    entry.subject = "Your appointment".to_owned();
    let page_path = out.join("letter.html");
    entry.output = Some(page_path.clone());
    SentLog::open(&log)?.append(&entry)?;
    let page = render_page(&envelope, &PageOptions::default())?;
    files::write_file(&page_path, page.as_bytes(), false)?;
    for (recipient, passphrase) in recipients.iter().zip(&passphrases) {
        println!("Passphrase for {recipient}: {}", passphrase.expose());
    }

    // The second recipient opens it; the page would offer this code.
    let opened = open(&envelope, &passphrases[1])?;
    let receipt = opened.receipt.ok_or("the envelope asks for a receipt")?;
    println!("Receipt code for {}: {}", receipt.to, receipt.code);

    // The sender looks the code up.
    let found = find_receipt(&log, &receipt.code)?.ok_or("the code is not recognised")?;
    println!(
        "Recognised: \"{}\", sealed {}, opened with {} (key slot {}).",
        found.entry.subject, found.entry.sealed, found.slot.passphrase, found.slot.slot
    );
    Ok(())
}

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1) else {
        eprintln!("usage: receipts OUT_DIR");
        return ExitCode::from(2);
    };
    match run(PathBuf::from(out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("receipts: {err}");
            ExitCode::FAILURE
        }
    }
}
