//! Opens an envelope (a page made by the sealer, or a raw envelope): lists
//! its public header, then, with the passphrase
//! (read from the environment variable `ENVELOPE_PASSPHRASE` or from
//! standard input), its manifest; with `--extract N`, decrypts only
//! attachment N to standard output.
//!
//! ```text
//! cargo run --release -p examples --example open_envelope -- ENVELOPE [--extract N]
//! ```
#![forbid(unsafe_code)]

use std::io::{self, BufRead, Cursor};
use std::process::ExitCode;

use envelope_core::{Envelope, PartKind, Passphrase};

fn read_passphrase() -> io::Result<Passphrase> {
    if let Ok(value) = std::env::var("ENVELOPE_PASSPHRASE") {
        return Ok(Passphrase::from_string(value));
    }
    eprint!("Passphrase: ");
    let mut line = String::new();
    io::stdin().lock().read_line(&mut line)?;
    let typed = line.trim_end_matches(['\r', '\n']).to_owned();
    line.clear();
    Ok(Passphrase::from_string(typed))
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: open_envelope ENVELOPE [--extract N]")?;
    let extract = match (args.next().as_deref(), args.next()) {
        (Some("--extract"), Some(n)) => Some(n.parse::<usize>()?),
        (None, _) => None,
        _ => return Err("usage: open_envelope ENVELOPE [--extract N]".into()),
    };
    let bytes = std::fs::read(&path)?;
    // A page carries the envelope in base64 blocks; a raw envelope is used
    // as it is.
    let bytes = match std::str::from_utf8(&bytes) {
        Ok(html) if html.trim_start().starts_with("<!DOCTYPE html>") => {
            sealer::extract_envelope(html)?
        }
        _ => bytes,
    };
    let envelope = Envelope::new(Cursor::new(bytes))?;
    let header = envelope.header();
    eprintln!("Envelope format version {}", header.version());
    if let Some(label) = &header.label {
        eprintln!("Label (unverified until opened): {label}");
    }
    if let Some(hint) = &header.hint {
        eprintln!("Hint: {hint}");
    }
    eprintln!(
        "Argon2id m = {} KiB, t = {}, p = {}; {} key slot(s)",
        header.kdf.m_kib,
        header.kdf.t,
        header.kdf.p,
        header.slots.len()
    );
    let mut opened = envelope.unlock_random_access(&read_passphrase()?)?;
    let manifest = opened.manifest().clone();
    match extract {
        Some(n) => {
            // Only this attachment's chunks are decrypted.
            opened.read_part(PartKind::Attachment(n), &mut io::stdout().lock())?;
        }
        None => {
            println!("From:    {}", manifest.from);
            println!("To:      {}", manifest.to.join(", "));
            if !manifest.cc.is_empty() {
                println!("Cc:      {}", manifest.cc.join(", "));
            }
            println!("Date:    {}", manifest.date);
            println!("Subject: {}", manifest.subject);
            println!("\n{}", opened.read_text_body()?);
            for (i, a) in manifest.attachments.iter().enumerate() {
                println!("[{i}] {:?} ({}, {} bytes)", a.name, a.media_type, a.size);
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("open_envelope: {err}");
            ExitCode::FAILURE
        }
    }
}
