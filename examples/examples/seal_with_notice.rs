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

use envelope_core::{
    Attachment, DEFAULT_WORDS, Message, SealOptions, generate_passphrase, seal_to_vec,
};
use sealer::notice::{Notice, notice_email};
use sealer::{PageOptions, files, render_page};

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
    let envelope = seal_to_vec(message, &options)?;
    let page = render_page(&envelope, &PageOptions::default())?;
    let notice = Notice {
        from: from.to_owned(),
        to: vec![to.to_owned()],
        subject: None, // the real subject stays sealed: "Secure message"
        label: Some("Secure message from Example Clinic".to_owned()),
        hint: Some("six words, sent to you by SMS".to_owned()),
        date: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs()
            .try_into()?,
        ..Notice::default()
    };
    let mail = notice_email(&page, &notice)?;

    std::fs::create_dir_all(&out)?;
    files::write_file(&out.join("results.html"), page.as_bytes(), false)?;
    files::write_file(&out.join("results.eml"), &mail, false)?;
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
