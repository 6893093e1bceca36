//! Seals a message in an organisation's look: its templates and branding
//! from a folder (`branding.json`, a logo, replaced templates), one value
//! overridden in code, and a page template changed in code.
//!
//! ```text
//! cargo run --release -p examples --example seal_with_template -- OUT_DIR [TEMPLATE_DIR]
//! ```
//!
//! `TEMPLATE_DIR` defaults to `templates/example` (Example Clinic). Writes
//! `OUT_DIR/branded.html` and `OUT_DIR/branded.eml` (never replacing a
//! file) and prints the generated passphrase.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use envelope_core::{DEFAULT_WORDS, Message, SealOptions, generate_passphrase};
use sealer::PageOptions;
use sealer::branding::Branding;
use sealer::sealing::{NoticeHeaders, SealJob};
use sealer::templates::Templates;

fn run(out: &Path, template_dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    // The organisation's folder: any of envelope.html.j2, notice.txt.j2,
    // notice.html.j2 replace the built-in ones; branding.json gives the
    // name, logo, accent colour, help text, contact line and language.
    let mut templates = Templates::from_dir(template_dir)?;
    let mut branding = Branding::from_dir(template_dir)?;

    // Values can also come from code: this department has its own line.
    branding.contact = Some("Radiology, Example Clinic: 0123 456 790".to_owned());

    // And a template can be changed in code. The page is checked after
    // rendering: the policy, the sandbox and the decryptor's elements must
    // stay, so only presentation can change.
    templates.page = templates.page.replacen(
        "<main>",
        "<main>\n<p><strong>Confidential:</strong> for the named patient only.</p>",
        1,
    );

    let from = "Example Clinic <records@clinic.example>";
    let to = "Alex Patient <alex@example.org>";
    let message = Message::new()
        .from(from)
        .to(to)
        .subject("Your appointment letter")
        .text_body("Dear Alex,\n\nyour appointment is on Monday at 9:30, room 12.\n");
    let passphrase = generate_passphrase(DEFAULT_WORDS)?;
    let label = match &branding.organisation {
        Some(name) => format!("Secure message from {name}"),
        None => "Secure message".to_owned(),
    };
    let options = SealOptions::new()
        .passphrase(passphrase.clone())
        .label(&label);
    std::fs::create_dir_all(out)?;
    SealJob::new(message, options)
        .page_options(PageOptions {
            templates,
            branding,
            ..PageOptions::default()
        })
        .notice(NoticeHeaders::new(from.parse()?, vec![to.parse()?]))
        .write_page(&out.join("branded.html"))
        .write_mail(&out.join("branded.eml"))
        .run()?;
    println!("Wrote {0}/branded.html and {0}/branded.eml", out.display());
    println!(
        "Passphrase (send it by phone or SMS): {}",
        passphrase.expose()
    );
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("branded"));
    let template_dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../templates/example"));
    match run(&out, &template_dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("seal_with_template: {err}");
            ExitCode::FAILURE
        }
    }
}
