//! The sealed-envelope format, version 1: seal a message and its attachments
//! under one or more passphrases, and open it again.
//!
//! This crate is the one place that knows the format (`docs/FORMAT.md` is
//! its byte-exact specification). It builds for the host and for
//! `wasm32-unknown-unknown`; with `default-features = false` it opens
//! envelopes without ever touching a random number generator.
//!
//! # Sealing
//!
//! ```
//! use envelope_core::{Attachment, KdfParams, Message, Passphrase, SealOptions, seal_to_vec};
//!
//! let message = Message::new()
//!     .from("Dr. Ada <ada@clinic.example>")
//!     .to("patient@example.org")
//!     .subject("Your results")
//!     .text_body("Your results are attached.")
//!     .attach(Attachment::from_bytes("results.txt", "text/plain", b"all clear".to_vec()));
//! let options = SealOptions::new()
//!     .passphrase(Passphrase::new("stuffed-blame-ripcord-emporium-crimp-gatherer"))
//!     .label("Secure message from Example Clinic");
//! # let options = options.kdf(KdfParams { m_kib: 64, t: 1, p: 1 }); // fast doctest
//! let envelope: Vec<u8> = seal_to_vec(message, &options)?;
//! # Ok::<(), envelope_core::Error>(())
//! ```
//!
//! [`seal`] streams into any `Write`: attachments made with
//! [`Attachment::from_reader`] are read once, in 64 KiB pieces.
//!
//! # Opening
//!
//! ```
//! # use envelope_core::*;
//! # let options = SealOptions::new().passphrase(Passphrase::new("stuffed-blame-ripcord-emporium-crimp-gatherer"))
//! #     .kdf(KdfParams { m_kib: 64, t: 1, p: 1 });
//! # let envelope = seal_to_vec(Message::new().subject("Your results")
//! #     .attach(Attachment::from_bytes("results.txt", "text/plain", b"all clear".to_vec())), &options)?;
//! let opened = envelope_core::open(&envelope, &Passphrase::new("stuffed-blame-ripcord-emporium-crimp-gatherer"))?;
//! assert_eq!(opened.manifest.subject, "Your results");
//! assert_eq!(opened.attachments[0], b"all clear");
//!
//! // Or list the manifest first and decrypt just one attachment:
//! let mut envelope = Envelope::new(std::io::Cursor::new(&envelope))?
//!     .unlock_random_access(&Passphrase::new("stuffed-blame-ripcord-emporium-crimp-gatherer"))?;
//! assert_eq!(envelope.manifest().attachments[0].name, "results.txt");
//! let bytes = envelope.read_part_to_vec(PartKind::Attachment(0))?;
//! assert_eq!(bytes, b"all clear");
//! # Ok::<(), envelope_core::Error>(())
//! ```
//!
//! # Security
//!
//! - Every count, length and cost read from an envelope is checked against
//!   [`limits`] before use; Argon2id parameters are capped before any key
//!   derivation runs.
//! - A passphrase that opens no slot is [`Error::WrongPassphrase`]; anything
//!   that fails after a slot opened is [`Error::Damaged`]. Nothing decrypted
//!   from a damaged envelope should be shown: [`open`] returns nothing unless
//!   all of it verified, and the streaming [`ContentReader`] proves the end of
//!   the envelope only in [`ContentReader::finish`].
//! - Passphrases are NFC-normalised; a generated passphrase
//!   ([`SealOptions::generated_passphrase`]) is read as words, however it is
//!   spaced and capitalised. Keys and passphrases are wiped on
//!   drop and never printed by `Debug`.
#![forbid(unsafe_code)]
// Without `seal`, the writing half of the format is compiled but unused.
#![cfg_attr(not(feature = "sealing"), allow(dead_code))]

mod attempt;
mod crypto;
mod error;
mod header;
mod kdf;
#[cfg(any(feature = "verify-signatures", feature = "x25519"))]
mod keytext;
mod layout;
pub mod limits;
pub mod mail;
mod manifest;
mod message;
mod names;
mod open;
pub mod page;
#[cfg(feature = "seal")]
mod passphrase;
mod receipt;
#[cfg(feature = "x25519")]
mod recipient;
mod reply;
pub mod reply_page;
#[cfg(feature = "sealing")]
mod seal;
mod secret;
#[cfg(feature = "verify-signatures")]
mod signature;
mod stream;
#[cfg(test)]
mod test_vectors;
mod typing;
mod virus_scan;
mod wire;

pub use attempt::{Attempt, Attempts, PassphraseSlots};
pub use error::{Error, ErrorKind, Result};
pub use header::{Extension, FORMAT_VERSION, Header, MAGIC, PAYLOAD_NONCE_LEN, Slot};
pub use kdf::{KdfParams, PassphraseKey, SALT_LEN};
pub use layout::{ContentLayout, PartDigests, PayloadKey};
pub use manifest::{
    AttachmentInfo, DIGEST_LEN, MAX_CONTENT_ID_LEN, Manifest, PartKind, is_valid_content_id,
};
pub use message::{Attachment, Message, MessageDate};
pub use names::{fill_placeholders, human_size, safe_file_name, visible_bidi};
pub use open::{ContentReader, Envelope, Finished, OpenedMessage, Part, RandomAccess, open};
#[cfg(feature = "seal")]
pub use passphrase::{
    DEFAULT_WORDS, MAX_WORDS, MIN_WORDS, Strength, Verdict, estimate_strength, generate_passphrase,
    generated_bits,
};
pub use receipt::{
    MAX_RECEIPT_ADDRESS_LEN, NotAReceiptCode, RECEIPT_CODE_LEN, Receipt, ReceiptCode,
    ReceiptRecord, SlotCheck, envelope_id, is_valid_receipt_address,
};
#[cfg(feature = "x25519")]
pub use recipient::{Identity, RecipientKey};
pub use reply::{ENVELOPE_ID_LEN, REPLY_KEY_LEN, ReplyRequest, ReplySlotKey, SlotKind};
#[cfg(feature = "sealing")]
pub use seal::{SealOptions, seal, seal_to_vec, seal_with_receipt};
pub use secret::Passphrase;
#[cfg(feature = "keys")]
pub use signature::SigningIdentity;
#[cfg(feature = "verify-signatures")]
pub use signature::{SignatureCheck, SignerKey};
pub use stream::{ENCRYPTED_CHUNK_SIZE, PayloadCipher, PayloadLayout, chunk_nonce};
pub use typing::{SPOKEN_LIST, WORDLIST_LEN, WordsAdvice, generated_word_count, is_spoken_word};
pub use virus_scan::{
    MAX_SCANNED_PART_NAME_LEN, MAX_SCANNED_PARTS, MAX_SCANNER_LEN, PartVerdict, ScanOutcome,
    ScanSignatures, ScannedPart, VirusScan,
};
