//! Runnable programs that show how to use the sealer libraries; see the
//! `examples/` folder of this crate:
//!
//! - `seal_demo`: seals a built-in demo message under a generated passphrase
//!   into the self-contained `.html` page.
//! - `open_envelope`: lists a page's (or a raw envelope's) manifest and
//!   extracts one attachment.
//!
//! Run them with `cargo run --release -p examples --example NAME -- ARGS`.
//! The few helpers they share live here, so that the end-to-end tests in
//! `tests/` exercise exactly what the examples run.
#![forbid(unsafe_code)]

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use envelope_core::{Attachment, Message, SealOptions, seal_to_vec};
use sealer::PageOptions;

/// The built-in demo message: a text and an HTML body and two attachments.
pub fn demo_message() -> Message {
    let csv = "test,value,unit,range\nhaemoglobin,14.1,g/dL,12.0-15.5\nferritin,48,ng/mL,15-150\n";
    Message::new()
        .from("Example Clinic <records@clinic.example>")
        .to("Alex Patient <alex@example.org>")
        .subject("Your blood test results")
        .text_body(
            "Dear Alex,\n\nyour blood test results from 14 November are attached.\n\
             All values are within the normal range.\n\nKind regards,\nDr. Ada Example\n",
        )
        .html_body(
            "<p>Dear Alex,</p><p>your blood test results from 14 November are attached.<br>\
             All values are within the normal range.</p><p>Kind regards,<br>Dr. Ada Example</p>",
        )
        .attach(Attachment::from_bytes(
            "results.csv",
            "text/csv",
            csv.as_bytes().to_vec(),
        ))
        .attach(Attachment::from_bytes(
            "letter.txt",
            "text/plain; charset=utf-8",
            "Überweisung / referral: none needed.\n".as_bytes().to_vec(),
        ))
}

/// Seals `message` into the self-contained page at `output` (a new file):
/// never replacing an existing file and never leaving a partial one: the
/// page is written to a temporary file beside `output`, synced, and linked
/// into place only when everything succeeded.
///
/// # Errors
///
/// When `output` exists, sealing or rendering fails, or writing fails.
pub fn seal_to_new_file(
    message: Message,
    options: &SealOptions,
    output: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    if output.exists() {
        return Err(format!(
            "{} already exists; choose another name or remove it",
            output.display()
        )
        .into());
    }
    let envelope = seal_to_vec(message, options)?;
    let page = sealer::render_page(&envelope, &PageOptions::default())?;
    let mut temporary = output.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = Path::new(&temporary);
    let result = (|| -> Result<(), Box<dyn std::error::Error>> {
        let mut file = BufWriter::new(File::create_new(temporary)?);
        file.write_all(page.as_bytes())?;
        file.into_inner()
            .map_err(io::IntoInnerError::into_error)?
            .sync_all()?;
        // A hard link fails if `output` appeared meanwhile; rename would
        // silently replace it.
        fs::hard_link(temporary, output)?;
        Ok(())
    })();
    let _ = fs::remove_file(temporary);
    result
}
