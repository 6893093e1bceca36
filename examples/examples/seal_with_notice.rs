//! Seals a message with two attachments into the envelope page and the
//! notice e-mail that carries it, as an application would with the
//! libraries.
//!
//! ```text
//! cargo run --release -p examples --example seal_with_notice -- OUT_DIR
//! ```
//!
//! Writes `OUT_DIR/results.html` and `OUT_DIR/results.eml` (never replacing
//! a file) and prints the generated passphrase.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use envelope_core::{Attachment, DEFAULT_WORDS, Message, SealOptions, generate_passphrase};
use sealer::sealing::{NoticeHeaders, SealJob};

fn run(out: PathBuf) -> Result<(), Box<dyn std::error::Error>> {
    let from = "Example Clinic <records@clinic.example>";
    let to = "Alex Patient <alex@example.org>";
    let message = Message::new()
        .from(from)
        .to(to)
        .subject("Your scan and report")
        .text_body("Dear Alex,\n\nyour scan and the radiologist's report are attached.\n")
        .attach(Attachment::from_bytes(
            "report.txt",
            "text/plain",
            b"No abnormality detected.\n".to_vec(),
        ))
        .attach(Attachment::from_bytes(
            "scan.bin",
            "application/octet-stream",
            (0..100_000u32)
                .map(|i| (i % 251) as u8)
                .collect::<Vec<u8>>(),
        ));
    let passphrase = generate_passphrase(DEFAULT_WORDS)?;
    let options = SealOptions::new()
        .passphrase(passphrase.clone())
        .label("Secure message from Example Clinic")
        .hint("six words, sent to you by SMS");
    std::fs::create_dir_all(&out)?;
    // The page and the notice that carries it (its subject neutral: the
    // real one stays sealed), written together: both or neither.
    SealJob::new(message, options)
        .notice(NoticeHeaders::new(from.parse()?, vec![to.parse()?]))
        .write_page(&out.join("results.html"))
        .write_mail(&out.join("results.eml"))
        .run()?;
    println!("Wrote {0}/results.html and {0}/results.eml", out.display());
    println!(
        "Passphrase (send it by phone or SMS): {}",
        passphrase.expose()
    );
    Ok(())
}

fn main() -> ExitCode {
    let out = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("sealed"));
    match run(out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("seal_with_notice: {err}");
            ExitCode::FAILURE
        }
    }
}
