//! Every bound the opener enforces, in one place.
//!
//! An envelope is hostile input: each count, length and cost read from it is
//! checked against these constants *before* it is used, and a violation is
//! reported as [`Error::LimitExceeded`](crate::Error::LimitExceeded) naming the
//! field. `docs/FORMAT.md` lists the same numbers; keep the two in step.

/// Plaintext bytes in every payload chunk but the last.
pub const CHUNK_SIZE: usize = 64 * 1024;
/// Bytes of AES-GCM tag after each chunk's ciphertext.
pub const TAG_SIZE: usize = 16;
/// Largest header, MAC included.
pub const MAX_HEADER_LEN: u32 = 64 * 1024;
/// Most key slots in one envelope.
pub const MAX_SLOTS: u16 = 20;
/// Largest body of a slot of a type this version does not know.
pub const MAX_SLOT_BODY_LEN: u16 = 1024;
/// Most extension fields in the header, the manifest or the trailer.
pub const MAX_EXTENSIONS: u16 = 16;
/// Largest value of one header extension field.
pub const MAX_HEADER_EXTENSION_LEN: u16 = 4096;
/// Largest public label or hint, in UTF-8 bytes.
pub const MAX_LABEL_LEN: usize = 1024;

/// Argon2id memory cost ceiling, in KiB (256 MiB).
pub const MAX_ARGON2_M_KIB: u32 = 256 * 1024;
/// Argon2id time cost ceiling (passes).
pub const MAX_ARGON2_T: u32 = 10;
/// Argon2id parallelism ceiling (lanes).
pub const MAX_ARGON2_P: u32 = 16;

/// Largest encoded manifest.
pub const MAX_MANIFEST_LEN: u32 = 1024 * 1024;
/// Largest encoded trailer.
pub const MAX_TRAILER_LEN: u64 = 2 * 1024 * 1024;
/// Most attachments in one envelope.
pub const MAX_ATTACHMENTS: u32 = 10_000;
/// Most addresses in one of the To or Cc lists.
pub const MAX_RECIPIENTS: u16 = 1000;
/// Largest address (From, or one To/Cc entry), in UTF-8 bytes.
pub const MAX_ADDRESS_LEN: usize = 2048;
/// Largest subject, in UTF-8 bytes.
pub const MAX_SUBJECT_LEN: usize = 16 * 1024;
/// Largest attachment name, in UTF-8 bytes.
pub const MAX_NAME_LEN: usize = 1024;
/// Largest media type, in bytes.
pub const MAX_MEDIA_TYPE_LEN: usize = 255;
/// Largest text or HTML body; bodies are held in memory to be shown.
pub const MAX_BODY_LEN: u64 = 32 * 1024 * 1024;
/// Largest total content (manifest, bodies, attachments and trailer): 1 TiB.
pub const MAX_CONTENT_LEN: u64 = 1 << 40;
/// Largest value of one manifest or trailer extension field.
pub const MAX_CONTENT_EXTENSION_LEN: u32 = 64 * 1024;
/// Most words a generated passphrase's slot may announce.
pub const MAX_SLOT_WORDS: u8 = 64;
