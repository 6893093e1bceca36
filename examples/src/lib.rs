//! Runnable programs that show how to use the sealer libraries; see the
//! `examples/` folder of this crate:
//!
//! - `seal_demo`: seals a built-in demo message under a generated passphrase
//!   into the self-contained `.html` page.
//! - `open_envelope`: lists a page's (or a raw envelope's) manifest and
//!   extracts one attachment.
//! - `seal_with_notice`: seals a message with two attachments into the page
//!   and the notice e-mail that carries it.
//! - `seal_with_template`: the same in an organisation's look: templates and
//!   branding from a folder (`templates/example`), changed in code.
//!
//! Run them with `cargo run --release -p examples --example NAME -- ARGS`.
//! The few helpers they share live here, so that the end-to-end tests in
//! `tests/` exercise exactly what the examples run.
#![forbid(unsafe_code)]

use std::path::Path;

use envelope_core::{Message, SealOptions};
pub use sealer::demo_message;
use sealer::sealing::SealJob;

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
) -> Result<(), sealer::Error> {
    SealJob::new(message, options.clone())
        .write_page(output)
        .run()?;
    Ok(())
}
