//! The public, authenticated header: everything needed to derive the key and
//! to show the recipient what they are opening, but nothing secret.
//!
//! The byte layout is specified in `docs/FORMAT.md`, section "Header".

use std::io::Read;

use crate::crypto::{MAC_LEN, NONCE_LEN, WRAPPED_KEY_LEN};
use crate::error::{Error, Result};
use crate::kdf::{KDF_ARGON2ID, KdfParams, SALT_LEN};
use crate::limits::{
    CHUNK_SIZE, MAX_EXTENSIONS, MAX_HEADER_EXTENSION_LEN, MAX_HEADER_LEN, MAX_LABEL_LEN,
    MAX_SLOT_BODY_LEN, MAX_SLOT_WORDS, MAX_SLOTS,
};
use crate::wire::{Parser, Put};

/// The first bytes of every envelope. The high-bit first byte and the final
/// line feed reveal a transfer that stripped the 8th bit or rewrote newlines.
pub const MAGIC: [u8; 8] = *b"\x89SEALED\n";
/// The format version this library writes and reads.
pub const FORMAT_VERSION: u16 = 1;
/// Bytes of the payload nonce (the HKDF salt of the payload key).
pub const PAYLOAD_NONCE_LEN: usize = 16;

/// Slot type: a passphrase slot.
pub(crate) const SLOT_PASSPHRASE: u16 = 1;
/// Body of a passphrase slot: wrap nonce and wrapped file key.
pub(crate) const PASSPHRASE_SLOT_LEN: usize = NONCE_LEN + WRAPPED_KEY_LEN;
/// Slot type: a recovery-key (X25519) slot.
pub(crate) const SLOT_X25519: u16 = 2;
/// Body of an X25519 slot: ephemeral public key and wrapped file key.
pub(crate) const X25519_SLOT_LEN: usize = 32 + WRAPPED_KEY_LEN;
/// Slot type: a generated passphrase (words of a known list).
pub(crate) const SLOT_WORDS: u16 = 3;
/// Body of a words slot: word count, list, wrap nonce and wrapped file key.
pub(crate) const WORDS_SLOT_LEN: usize = 2 + NONCE_LEN + WRAPPED_KEY_LEN;

/// The bit of an extension type that says "refuse me if you do not know me".
pub(crate) const CRITICAL: u16 = 0x8000;
/// Header extension: the public label shown before decryption.
pub(crate) const EXT_LABEL: u16 = 0x0001;
/// Header extension: the public passphrase hint.
pub(crate) const EXT_HINT: u16 = 0x0002;
/// Header extension: the advisory not-after date (critical: an opener that
/// cannot honour it must not open the envelope).
pub(crate) const EXT_EXPIRES: u16 = 0x8003;

/// Bytes before the slot list: magic, version, header length, KDF id and
/// parameters, salt, chunk size, payload nonce, slot count.
const FIXED_PREFIX_LEN: usize = 8 + 2 + 4 + 1 + 12 + SALT_LEN + 4 + PAYLOAD_NONCE_LEN + 2;
/// The smallest possible header: one passphrase slot, no extensions, MAC.
const MIN_HEADER_LEN: usize = FIXED_PREFIX_LEN + 4 + PASSPHRASE_SLOT_LEN + 2 + MAC_LEN;

/// One key slot: a way to recover the file key.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Slot {
    /// The file key wrapped under the Argon2id key of one passphrase.
    Passphrase {
        /// AES-GCM nonce of the wrap.
        nonce: [u8; NONCE_LEN],
        /// The wrapped file key (ciphertext and tag).
        wrapped: [u8; WRAPPED_KEY_LEN],
    },
    /// The file key wrapped under the Argon2id key of a generated
    /// passphrase: words of a known list, which openers read however they
    /// were spaced and capitalised (`typing`).
    Words {
        /// How many words the passphrase has (1 to
        /// [`crate::limits::MAX_SLOT_WORDS`]).
        words: u8,
        /// Which list they come from ([`crate::SPOKEN_LIST`] is the only
        /// one this version knows; slots of another are skipped).
        list: u8,
        /// AES-GCM nonce of the wrap.
        nonce: [u8; NONCE_LEN],
        /// The wrapped file key (ciphertext and tag).
        wrapped: [u8; WRAPPED_KEY_LEN],
    },
    /// The file key wrapped for a recovery key (X25519): opened with the
    /// matching [`crate::Identity`], not a passphrase.
    X25519 {
        /// The slot's ephemeral public key.
        ephemeral: [u8; 32],
        /// The wrapped file key (ciphertext and tag).
        wrapped: [u8; WRAPPED_KEY_LEN],
    },
    /// A slot type this version does not know; it is skipped when opening.
    Unknown {
        /// The slot type.
        slot_type: u16,
        /// The slot body, as found.
        body: Vec<u8>,
    },
}

impl Slot {
    /// The slot type number.
    pub fn slot_type(&self) -> u16 {
        match self {
            Slot::Passphrase { .. } => SLOT_PASSPHRASE,
            Slot::Words { .. } => SLOT_WORDS,
            Slot::X25519 { .. } => SLOT_X25519,
            Slot::Unknown { slot_type, .. } => *slot_type,
        }
    }

    /// A short, human-readable name for the slot type.
    pub fn type_name(&self) -> &'static str {
        match self {
            Slot::Passphrase { .. } => "passphrase",
            Slot::Words { .. } => "generated passphrase",
            Slot::X25519 { .. } => "recovery key",
            Slot::Unknown { .. } => "unknown",
        }
    }
}

impl std::fmt::Debug for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Slot::Passphrase { .. } => f.write_str("Slot::Passphrase"),
            Slot::Words { words, list, .. } => {
                write!(f, "Slot::Words({words} words of list {list})")
            }
            Slot::X25519 { .. } => f.write_str("Slot::X25519"),
            Slot::Unknown { slot_type, body } => {
                write!(f, "Slot::Unknown(type {slot_type}, {} bytes)", body.len())
            }
        }
    }
}

/// A header extension field of a type this version does not know and that is
/// not critical: kept (it is authenticated) but not interpreted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// The field type.
    pub field_type: u16,
    /// The field value, as found.
    pub value: Vec<u8>,
}

/// The parsed public header of an envelope.
///
/// Everything here can be read without the passphrase, and everything here
/// is *unauthenticated* until the envelope has been unlocked: the label and
/// hint may be shown as what the envelope claims, never as fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Argon2id parameters shared by all passphrase slots.
    pub kdf: KdfParams,
    /// Argon2id salt shared by all passphrase slots.
    pub salt: [u8; SALT_LEN],
    /// Salt of the payload key derivation.
    pub payload_nonce: [u8; PAYLOAD_NONCE_LEN],
    /// The key slots, in envelope order.
    pub slots: Vec<Slot>,
    /// The sender's public label ("Secure message from Example Clinic").
    pub label: Option<String>,
    /// The passphrase hint.
    pub hint: Option<String>,
    /// The date after which the sender asks that the envelope not be
    /// opened, in seconds since 1970 (UTC). Advisory: see
    /// [`Header::check_not_expired`].
    pub expires: Option<i64>,
    /// Non-critical extension fields of unknown types.
    pub unknown_extensions: Vec<Extension>,
    /// The encoded header, MAC included.
    encoded: Vec<u8>,
}

impl Header {
    /// The format version (always [`FORMAT_VERSION`] for a parsed header).
    pub fn version(&self) -> u16 {
        FORMAT_VERSION
    }

    /// The encoded length of the header, MAC included: the payload starts at
    /// this offset.
    pub fn len(&self) -> usize {
        self.encoded.len()
    }

    /// Always false: a header is never empty. Here to pair with `len`.
    pub fn is_empty(&self) -> bool {
        self.encoded.is_empty()
    }

    /// The encoded header, MAC included.
    pub fn as_bytes(&self) -> &[u8] {
        &self.encoded
    }

    /// Refuses an envelope whose not-after date is at or before `now`
    /// (seconds since 1970, UTC, from the caller's clock). The date is part
    /// of the MACed header, so removing or moving it makes the envelope
    /// fail to open as damaged; but a reader who changes the clock, or uses
    /// another decryptor, is not stopped: the date is advice the sealer
    /// honours, not a lock.
    ///
    /// # Errors
    ///
    /// [`Error::Expired`] with the date.
    pub fn check_not_expired(&self, now: i64) -> Result<()> {
        match self.expires {
            Some(at) if now >= at => Err(Error::Expired(at)),
            _ => Ok(()),
        }
    }

    /// The bytes the MAC covers, and the MAC.
    pub(crate) fn split_mac(&self) -> (&[u8], &[u8]) {
        self.encoded.split_at(self.encoded.len() - MAC_LEN)
    }

    /// Encodes a header for sealing, with `mac` computed over the rest by the
    /// caller via [`Header::finish_with_mac`].
    pub(crate) fn encode_unmacked(
        kdf: KdfParams,
        salt: [u8; SALT_LEN],
        payload_nonce: [u8; PAYLOAD_NONCE_LEN],
        slots: &[Slot],
        label: Option<&str>,
        hint: Option<&str>,
        expires: Option<i64>,
    ) -> Result<Vec<u8>> {
        Error::check_limit("key slots", MAX_SLOTS.into(), slots.len() as u64)?;
        let mut out = Vec::with_capacity(256);
        out.put(&MAGIC);
        out.put_u16(FORMAT_VERSION);
        out.put_u32(0); // header length, patched below
        out.put_u8(KDF_ARGON2ID);
        out.put_u32(kdf.m_kib);
        out.put_u32(kdf.t);
        out.put_u32(kdf.p);
        out.put(&salt);
        out.put_u32(CHUNK_SIZE as u32);
        out.put(&payload_nonce);
        out.put_u16(slots.len() as u16);
        for slot in slots {
            put_slot(&mut out, slot)?;
        }
        let mut extensions: Vec<(u16, &[u8])> = Vec::new();
        for (field_type, value, what) in [(EXT_LABEL, label, "label"), (EXT_HINT, hint, "hint")] {
            if let Some(value) = value {
                Error::check_limit(what, MAX_LABEL_LEN as u64, value.len() as u64)?;
                extensions.push((field_type, value.as_bytes()));
            }
        }
        let expires = expires.map(|at| at.to_be_bytes());
        if let Some(at) = &expires {
            check_date(i64::from_be_bytes(*at)).map_err(Error::invalid)?;
            extensions.push((EXT_EXPIRES, at));
        }
        out.put_u16(extensions.len() as u16);
        for (field_type, value) in extensions {
            out.put_u16(field_type);
            out.put_u16(value.len() as u16);
            out.put(value);
        }
        let total = out.len() + MAC_LEN;
        Error::check_limit("header length", MAX_HEADER_LEN.into(), total as u64)?;
        out[10..14].copy_from_slice(&(total as u32).to_be_bytes());
        Ok(out)
    }

    /// Reads and parses a header from the start of an envelope. Checks every
    /// bound, but not the MAC: that needs the file key.
    ///
    /// # Errors
    ///
    /// [`Error::NotAnEnvelope`], [`Error::UnsupportedVersion`],
    /// [`Error::LimitExceeded`], [`Error::Unsupported`] or
    /// [`Error::Damaged`], as the first fault found says.
    pub fn read_from(reader: &mut impl Read) -> Result<Header> {
        let mut magic = [0u8; 8];
        read_exact_or(reader, &mut magic, || Error::NotAnEnvelope)?;
        if magic != MAGIC {
            return Err(Error::NotAnEnvelope);
        }
        let mut prefix = [0u8; 6];
        reader
            .read_exact(&mut prefix)
            .map_err(Error::from_envelope_read)?;
        let version = u16::from_be_bytes([prefix[0], prefix[1]]);
        if version != FORMAT_VERSION {
            return Err(Error::UnsupportedVersion(version));
        }
        let len = u32::from_be_bytes([prefix[2], prefix[3], prefix[4], prefix[5]]);
        Error::check_limit("header length", MAX_HEADER_LEN.into(), len.into())?;
        if (len as usize) < MIN_HEADER_LEN {
            return Err(Error::damaged(format!(
                "the header length {len} is shorter than the smallest header"
            )));
        }
        let mut encoded = vec![0u8; len as usize];
        encoded[..8].copy_from_slice(&magic);
        encoded[8..14].copy_from_slice(&prefix);
        reader
            .read_exact(&mut encoded[14..])
            .map_err(Error::from_envelope_read)?;
        Self::parse(encoded)
    }

    /// Parses a whole encoded header whose magic, version and length were
    /// already checked.
    fn parse(encoded: Vec<u8>) -> Result<Header> {
        let body_len = encoded.len() - MAC_LEN;
        let mut p = Parser::new(&encoded[14..body_len], "header");
        let kdf_id = p.u8()?;
        if kdf_id != KDF_ARGON2ID {
            return Err(Error::Unsupported(
                format!("key derivation function number {kdf_id}").into(),
            ));
        }
        let kdf = KdfParams {
            m_kib: p.u32()?,
            t: p.u32()?,
            p: p.u32()?,
        };
        kdf.check_caps()?;
        if !kdf.is_valid() {
            return Err(Error::damaged(
                "the Argon2id parameters are invalid (t and p must be at least 1, m at least 8·p KiB)",
            ));
        }
        let salt = p.array()?;
        let chunk_size = p.u32()?;
        if chunk_size as usize != CHUNK_SIZE {
            return Err(Error::Unsupported(
                format!("chunk size {chunk_size} (version 1 uses {CHUNK_SIZE})").into(),
            ));
        }
        let payload_nonce = p.array()?;
        let slots = parse_slots(&mut p)?;
        let (label, hint, expires, unknown_extensions) = parse_extensions(&mut p)?;
        p.finish()?;
        Ok(Header {
            kdf,
            salt,
            payload_nonce,
            slots,
            label,
            hint,
            expires,
            unknown_extensions,
            encoded,
        })
    }
}

fn read_exact_or(reader: &mut impl Read, buf: &mut [u8], on_eof: impl Fn() -> Error) -> Result<()> {
    reader.read_exact(buf).map_err(|err| {
        if err.kind() == std::io::ErrorKind::UnexpectedEof {
            on_eof()
        } else {
            Error::Io(err)
        }
    })
}

fn parse_slots(p: &mut Parser<'_>) -> Result<Vec<Slot>> {
    let count = p.u16()?;
    Error::check_limit("key slots", MAX_SLOTS.into(), count.into())?;
    if count == 0 {
        return Err(Error::damaged("the header has no key slots"));
    }
    let mut slots = Vec::with_capacity(count.into());
    for _ in 0..count {
        let slot_type = p.u16()?;
        let body_len = p.u16()?;
        let slot = if slot_type == SLOT_PASSPHRASE {
            if usize::from(body_len) != PASSPHRASE_SLOT_LEN {
                return Err(Error::damaged(format!(
                    "a passphrase slot is {body_len} bytes long instead of {PASSPHRASE_SLOT_LEN}"
                )));
            }
            Slot::Passphrase {
                nonce: p.array()?,
                wrapped: p.array()?,
            }
        } else if slot_type == SLOT_WORDS {
            parse_words_slot(p, body_len)?
        } else if slot_type == SLOT_X25519 {
            if usize::from(body_len) != X25519_SLOT_LEN {
                return Err(Error::damaged(format!(
                    "a recovery-key slot is {body_len} bytes long instead of {X25519_SLOT_LEN}"
                )));
            }
            Slot::X25519 {
                ephemeral: p.array()?,
                wrapped: p.array()?,
            }
        } else {
            Error::check_limit("slot body", MAX_SLOT_BODY_LEN.into(), body_len.into())?;
            Slot::Unknown {
                slot_type,
                body: p.take(body_len.into())?.to_vec(),
            }
        };
        slots.push(slot);
    }
    Ok(slots)
}

/// Appends one slot: its type, body length and body.
fn put_slot(out: &mut Vec<u8>, slot: &Slot) -> Result<()> {
    match slot {
        Slot::Passphrase { nonce, wrapped } => {
            out.put_u16(SLOT_PASSPHRASE);
            out.put_u16(PASSPHRASE_SLOT_LEN as u16);
            out.put(nonce);
            out.put(wrapped);
        }
        Slot::Words {
            words,
            list,
            nonce,
            wrapped,
        } => {
            out.put_u16(SLOT_WORDS);
            out.put_u16(WORDS_SLOT_LEN as u16);
            out.put_u8(*words);
            out.put_u8(*list);
            out.put(nonce);
            out.put(wrapped);
        }
        Slot::X25519 { ephemeral, wrapped } => {
            out.put_u16(SLOT_X25519);
            out.put_u16(X25519_SLOT_LEN as u16);
            out.put(ephemeral);
            out.put(wrapped);
        }
        Slot::Unknown { slot_type, body } => {
            Error::check_limit("slot body", MAX_SLOT_BODY_LEN.into(), body.len() as u64)?;
            out.put_u16(*slot_type);
            out.put_u16(body.len() as u16);
            out.put(body);
        }
    }
    Ok(())
}

/// A words slot's body (its type and length read).
fn parse_words_slot(p: &mut Parser<'_>, body_len: u16) -> Result<Slot> {
    if usize::from(body_len) != WORDS_SLOT_LEN {
        return Err(Error::damaged(format!(
            "a generated-passphrase slot is {body_len} bytes long instead of {WORDS_SLOT_LEN}"
        )));
    }
    let words = p.u8()?;
    if words == 0 || words > MAX_SLOT_WORDS {
        return Err(Error::damaged(format!(
            "a generated-passphrase slot announces {words} words (1 to {MAX_SLOT_WORDS} allowed)"
        )));
    }
    Ok(Slot::Words {
        words,
        list: p.u8()?,
        nonce: p.array()?,
        wrapped: p.array()?,
    })
}

type Extensions = (Option<String>, Option<String>, Option<i64>, Vec<Extension>);

/// A not-after date must be one a calendar can show (years 1 to 9999).
fn check_date(at: i64) -> std::result::Result<(), &'static str> {
    crate::MessageDate::utc(at)
        .check()
        .map_err(|_| "the expiry date is outside the years 1 to 9999")
}

fn parse_extensions(p: &mut Parser<'_>) -> Result<Extensions> {
    let count = p.u16()?;
    Error::check_limit(
        "header extension fields",
        MAX_EXTENSIONS.into(),
        count.into(),
    )?;
    let (mut label, mut hint, mut expires, mut unknown) = (None, None, None, Vec::new());
    let mut previous: Option<u16> = None;
    for _ in 0..count {
        let field_type = p.u16()?;
        if previous.is_some_and(|prev| field_type <= prev) {
            return Err(Error::damaged(
                "the header extension fields are not in strictly ascending order",
            ));
        }
        previous = Some(field_type);
        let len = p.u16()?;
        Error::check_limit(
            "header extension field",
            MAX_HEADER_EXTENSION_LEN.into(),
            len.into(),
        )?;
        let value = p.take(len.into())?;
        match field_type {
            EXT_LABEL => label = Some(text_field("label", value)?),
            EXT_HINT => hint = Some(text_field("hint", value)?),
            EXT_EXPIRES => {
                let bytes: [u8; 8] = value
                    .try_into()
                    .map_err(|_| Error::damaged("the expiry date is not 8 bytes"))?;
                let at = i64::from_be_bytes(bytes);
                check_date(at).map_err(Error::damaged)?;
                expires = Some(at);
            }
            t if t & CRITICAL != 0 => {
                return Err(Error::Unsupported(
                    format!("critical header field 0x{t:04x}").into(),
                ));
            }
            _ => unknown.push(Extension {
                field_type,
                value: value.to_vec(),
            }),
        }
    }
    Ok((label, hint, expires, unknown))
}

fn text_field(what: &'static str, value: &[u8]) -> Result<String> {
    Error::check_limit(what, MAX_LABEL_LEN as u64, value.len() as u64)?;
    String::from_utf8(value.to_vec())
        .map_err(|_| Error::damaged(format!("the {what} is not valid UTF-8")))
}

/// Appends the MAC to an encoded header and parses the result, so that the
/// sealer holds exactly what an opener will read.
pub(crate) fn finish_with_mac(mut unmacked: Vec<u8>, mac: [u8; MAC_LEN]) -> Result<Header> {
    unmacked.extend_from_slice(&mac);
    Header::parse(unmacked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_prefix_matches_the_documented_offsets() {
        // FORMAT.md: the slot list starts at offset 65.
        assert_eq!(FIXED_PREFIX_LEN, 65);
        assert_eq!(MIN_HEADER_LEN, 65 + 4 + 60 + 2 + 32);
    }
}
