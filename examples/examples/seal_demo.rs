//! Seals a built-in demo message (a text body, an HTML body and two
//! attachments) under a freshly generated passphrase into the self-contained
//! page, and prints where it is and the passphrase.
//!
//! ```text
//! cargo run --release -p examples --example seal_demo -- [OUTPUT]   (default: demo.html)
//! ```
//!
//! An existing file is never overwritten: the page is written to a temporary
//! file beside it and moved into place only when sealing succeeded.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use envelope_core::{DEFAULT_WORDS, SealOptions, generate_passphrase, generated_bits};
use examples::{demo_message, seal_to_new_file};

fn run(output: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let passphrase = generate_passphrase(DEFAULT_WORDS)?;
    let options = SealOptions::new()
        .passphrase(passphrase.clone())
        .label("Secure message from Example Clinic")
        .hint("six words, sent to you by SMS");
    seal_to_new_file(demo_message(), &options, output)?;
    println!("Sealed the demo message into {}", output.display());
    println!(
        "Passphrase ({} words, {:.0} bits): {}",
        DEFAULT_WORDS,
        generated_bits(DEFAULT_WORDS),
        passphrase.expose()
    );
    println!("Send the passphrase by another channel than the envelope (phone, SMS).");
    println!(
        "Open it in a browser (double-click it, or file://{}), or with:",
        std::fs::canonicalize(output)
            .unwrap_or_else(|_| output.to_path_buf())
            .display()
    );
    println!(
        "  cargo run --release -p examples --example open_envelope -- {}",
        output.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    let output = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("demo.html"));
    match run(&output) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("seal_demo: {err}");
            ExitCode::FAILURE
        }
    }
}
