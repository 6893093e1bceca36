//! The sealer library: turns sealed envelopes into the self-contained
//! `.html` page a recipient opens in any browser.
//!
//! ```
//! use envelope_core::{KdfParams, Message, Passphrase, SealOptions, seal_to_vec};
//! let options = SealOptions::new()
//!     .passphrase(Passphrase::new("stuffed-blame-ripcord-emporium-crimp-gatherer"))
//!     .label("Secure message from Example Clinic");
//! # let options = options.kdf(KdfParams { m_kib: 64, t: 1, p: 1 }); // fast doctest
//! let envelope = seal_to_vec(Message::new().subject("Results").text_body("…"), &options)?;
//! let html = sealer::render_page(&envelope, &sealer::PageOptions::default())?;
//! assert!(html.is_ascii());
//! assert!(html.contains("Secure message from Example Clinic"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

pub mod branding;
pub mod content;
mod demo;
mod error;
pub mod expiry;
pub mod files;
pub mod input;
pub mod keys;
pub mod leaks;
mod mail_frame;
pub mod mailbox;
mod message_parts;
pub mod notice;
pub mod opener;
mod page;
pub mod page_contract;
pub mod page_policy;
pub mod reader;
pub mod receipts;
pub mod reply_page;
pub mod scan;
pub mod sealing;
pub mod seven_bit;
pub mod smtp;
pub mod templates;
pub mod texts;
mod token;
pub mod unwrap;
pub mod verify;
pub mod wrap;

pub use demo::{DEMO_FROM, DEMO_SUBJECT, DEMO_TO, demo_message};
pub use page::{
    DECRYPTOR_JS, DECRYPTOR_JS_DEFLATED, DECRYPTOR_WASM, DECRYPTOR_WASM_DEFLATED, PageOptions,
    StyleSource, decryptor_digests, render_page, sha256_hex,
};
pub use reader::{
    PageContents, PageEnvelope, embedded_decryptor, extract_envelope, page_contents, read_page,
    read_page_contents, read_page_from,
};

pub use error::{Error, ErrorKind, Result};
