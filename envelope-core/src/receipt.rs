//! Proof of receipt: a short code that only someone who opened the envelope
//! with a passphrase can produce, and that tells its sender which envelope
//! was opened and through which key slot.
//!
//! The code is derived from the passphrase slot's key-encryption key (the
//! Argon2id output), so it takes the passphrase to make it, and each slot
//! (each recipient's passphrase) gives a different code. The sealer knows
//! every key-encryption key while sealing and keeps only a hash of each
//! slot's code ([`ReceiptRecord`]): its sent-log opens nothing and cannot
//! make a code. See `docs/FORMAT.md`, "Proof of receipt".

use std::fmt;

use hkdf::Hkdf;
use sha2::{Digest, Sha256};

use crate::manifest::Manifest;
use crate::secret::Key;

/// Bytes of a receipt code: envelope-id prefix (4) ‖ slot (1) ‖ tag (10).
pub const RECEIPT_CODE_LEN: usize = 15;
/// Bytes of the envelope id that a code carries, to find the envelope.
const ID_PREFIX_LEN: usize = 4;
/// Bytes of the tag: 80 bits that only the slot's key can produce.
const TAG_LEN: usize = RECEIPT_CODE_LEN - ID_PREFIX_LEN - 1;
/// HKDF info of the tag (followed by the slot index, u16 big-endian).
const RECEIPT_INFO: &[u8] = b"sealed-envelope v1 receipt";
/// Hash context of the check value a sealer keeps.
const CHECK_CONTEXT: &[u8] = b"sealed-envelope v1 receipt check";
/// Crockford's base32: no I, L, O or U, so a code read aloud or retyped
/// survives; decoding takes O for 0 and I or L for 1.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of a code as text, without the separators.
const TEXT_LEN: usize = RECEIPT_CODE_LEN * 8 / 5;
/// Longest receipt address: an RFC 5321 path holds at most 254 characters.
pub const MAX_RECEIPT_ADDRESS_LEN: usize = 254;

/// The name of an envelope: the SHA-256 of its whole header, MAC included
/// (random salt and nonces make it unique).
pub fn envelope_id(header: &[u8]) -> [u8; 32] {
    Sha256::digest(header).into()
}

/// A receipt code: proof that the envelope it names was opened through the
/// key slot it names. Shown as 24 characters of Crockford base32 in groups
/// of four (`7W3K-…`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReceiptCode([u8; RECEIPT_CODE_LEN]);

impl ReceiptCode {
    /// The code for passphrase slot `slot` of the envelope `envelope_id`,
    /// from that slot's key-encryption key.
    pub(crate) fn derive(kek: &Key, envelope_id: &[u8; 32], slot: usize) -> ReceiptCode {
        let slot = u8::try_from(slot).unwrap_or(u8::MAX);
        let mut info = RECEIPT_INFO.to_vec();
        info.extend_from_slice(&u16::from(slot).to_be_bytes());
        let mut tag = [0u8; TAG_LEN];
        Hkdf::<Sha256>::new(Some(envelope_id), kek.bytes())
            .expand(&info, &mut tag)
            // 10 bytes is far below HKDF-SHA256's 8160-byte ceiling.
            .unwrap_or_default();
        let mut code = [0u8; RECEIPT_CODE_LEN];
        code[..ID_PREFIX_LEN].copy_from_slice(&envelope_id[..ID_PREFIX_LEN]);
        code[ID_PREFIX_LEN] = slot;
        code[ID_PREFIX_LEN + 1..].copy_from_slice(&tag);
        ReceiptCode(code)
    }

    /// The first bytes of the [`envelope_id`] of the envelope it names.
    pub fn envelope_prefix(&self) -> [u8; 4] {
        let mut prefix = [0u8; ID_PREFIX_LEN];
        prefix.copy_from_slice(&self.0[..ID_PREFIX_LEN]);
        prefix
    }

    /// Index in [`crate::Header::slots`] of the slot it claims.
    pub fn slot(&self) -> usize {
        self.0[ID_PREFIX_LEN].into()
    }

    /// What a sealer keeps instead of the code: its SHA-256 (with a
    /// context), from which the code cannot be made.
    pub fn check_value(&self) -> [u8; 32] {
        let mut hash = Sha256::new();
        hash.update(CHECK_CONTEXT);
        hash.update(self.0);
        hash.finalize().into()
    }

    /// A code from its raw bytes (as [`Self::as_bytes`] gives them).
    pub fn from_bytes(bytes: [u8; RECEIPT_CODE_LEN]) -> ReceiptCode {
        ReceiptCode(bytes)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; RECEIPT_CODE_LEN] {
        &self.0
    }

    /// Reads a code as a person may have copied it: any case, with or
    /// without the dashes, spaces or line breaks between groups, `O` for
    /// zero and `I` or `L` for one.
    ///
    /// # Errors
    ///
    /// [`NotAReceiptCode`] when it is not 24 base32 characters.
    pub fn parse(text: &str) -> std::result::Result<ReceiptCode, NotAReceiptCode> {
        let mut bits: u64 = 0;
        let mut held = 0u32;
        let mut out = Vec::with_capacity(RECEIPT_CODE_LEN);
        let mut symbols = 0usize;
        for c in text.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let value = symbol_value(c)
                .ok_or_else(|| NotAReceiptCode(format!("{c:?} is not one of its characters")))?;
            symbols += 1;
            if symbols > TEXT_LEN {
                continue; // counted for the error below
            }
            bits = (bits << 5) | u64::from(value);
            held += 5;
            if held >= 8 {
                held -= 8;
                out.push((bits >> held) as u8);
                bits &= (1 << held) - 1;
            }
        }
        if symbols != TEXT_LEN {
            return Err(NotAReceiptCode(format!(
                "it has {TEXT_LEN} characters (not counting dashes), this has {symbols}"
            )));
        }
        let mut code = [0u8; RECEIPT_CODE_LEN];
        code.copy_from_slice(&out);
        Ok(ReceiptCode(code))
    }
}

impl std::str::FromStr for ReceiptCode {
    type Err = NotAReceiptCode;

    fn from_str(text: &str) -> std::result::Result<Self, Self::Err> {
        ReceiptCode::parse(text)
    }
}

/// Text that is not a receipt code, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAReceiptCode(String);

impl fmt::Display for NotAReceiptCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a receipt code: {}", self.0)
    }
}

impl std::error::Error for NotAReceiptCode {}

fn symbol_value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .and_then(|i| u8::try_from(i).ok())
}

impl fmt::Display for ReceiptCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut bits: u64 = 0;
        let mut held = 0u32;
        let mut written = 0usize;
        for &byte in &self.0 {
            bits = (bits << 8) | u64::from(byte);
            held += 8;
            while held >= 5 {
                held -= 5;
                if written > 0 && written.is_multiple_of(4) {
                    f.write_str("-")?;
                }
                let index = ((bits >> held) & 31) as usize;
                write!(f, "{}", char::from(ALPHABET[index]))?;
                written += 1;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for ReceiptCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReceiptCode({self})")
    }
}

/// A receipt the envelope asks for, as its opener can give it: the address
/// its sender asked for it at, and the code for the slot that opened it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Where the sender asked for the receipt (a plain `local@domain`).
    pub to: String,
    /// The code to send.
    pub code: ReceiptCode,
}

impl Receipt {
    /// The receipt to offer once the whole envelope verified: only when its
    /// manifest asks for one and a passphrase slot opened it (`code` from
    /// [`crate::PayloadKey::receipt_code`]).
    pub fn offered(manifest: &Manifest, code: Option<ReceiptCode>) -> Option<Receipt> {
        Some(Receipt {
            to: manifest.receipt_to.clone()?,
            code: code?,
        })
    }

    /// A `mailto:` URL for the receipt e-mail: the address, a subject, and
    /// a body that holds the code and says what it tells the sender.
    pub fn mailto(&self) -> String {
        let body = format!(
            "Receipt code: {}\n\nThis code tells the sender that I opened the sealed \
             message. It reveals nothing of its content.\n",
            self.code
        );
        self.mailto_with("Receipt for your sealed message", &body)
    }

    /// A `mailto:` URL for the receipt e-mail with the subject and body in
    /// the recipient's language (the body should hold the code); line
    /// breaks become CRLF, as RFC 6068 asks.
    pub fn mailto_with(&self, subject: &str, body: &str) -> String {
        let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
        format!(
            "mailto:{}?subject={}&body={}",
            percent_encode(&self.to),
            percent_encode(subject),
            percent_encode(&body)
        )
    }
}

/// Percent-encodes every byte but letters, digits and `-._~@` (always
/// valid in a `mailto:` URL, RFC 6068).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Whether `address` is a plain e-mail address a receipt can go to:
/// `local@domain` in printable ASCII without spaces, quotes, brackets,
/// commas, semicolons, colons or backslashes, one `@`, a domain with a dot,
/// at most 254 characters. Stricter than RFC 5321 on purpose: it is put in
/// a `mailto:` link and shown to the recipient, where anything unusual is
/// suspect. (Internationalised domains are written in punycode.)
pub fn is_valid_receipt_address(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    let allowed = |b: u8| b.is_ascii_graphic() && !b"\"(),:;<>@[\\]`".contains(&b);
    address.len() <= MAX_RECEIPT_ADDRESS_LEN
        && !local.is_empty()
        && local.len() <= 64
        && local.bytes().all(allowed)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// What a sealer keeps to recognise the receipt codes of one envelope: its
/// id and, per passphrase slot, the [`ReceiptCode::check_value`] of that
/// slot's code. It holds no secret: nothing opens with it, and no code can
/// be made from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptRecord {
    /// The envelope's [`envelope_id`].
    pub envelope_id: [u8; 32],
    /// The address the receipt was asked for at.
    pub reply_to: String,
    /// One check per passphrase slot, in slot order.
    pub slots: Vec<SlotCheck>,
}

/// The check value of one passphrase slot's receipt code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotCheck {
    /// Index in the header's slots.
    pub slot: usize,
    /// [`ReceiptCode::check_value`] of the slot's code.
    pub check: [u8; 32],
}

impl ReceiptRecord {
    /// The slot that `code` proves opened this envelope, or `None` when the
    /// code is not one of this envelope's (forged, mistyped, or another
    /// envelope's).
    pub fn recognise(&self, code: &ReceiptCode) -> Option<usize> {
        if code.envelope_prefix()[..] != self.envelope_id[..ID_PREFIX_LEN] {
            return None;
        }
        let check = code.check_value();
        self.slots
            .iter()
            .find(|entry| entry.slot == code.slot() && same(&entry.check, &check))
            .map(|entry| entry.slot)
    }
}

/// Compares two check values without stopping at the first difference.
fn same(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(slot: usize) -> ReceiptCode {
        ReceiptCode::derive(&Key([7u8; 32]), &[9u8; 32], slot)
    }

    #[test]
    fn codes_read_back_as_written_and_forgivingly() {
        let code = code(3);
        let text = code.to_string();
        assert_eq!(text.len(), 24 + 5);
        assert_eq!(text.matches('-').count(), 5);
        assert_eq!(ReceiptCode::parse(&text).unwrap(), code);
        let sloppy = text.to_lowercase().replace('-', " ").replace('0', "o");
        assert_eq!(ReceiptCode::parse(&sloppy).unwrap(), code);
        assert_eq!(ReceiptCode::parse(&text.replace('1', "l")).unwrap(), code);
        assert_eq!(code.slot(), 3);
        assert_eq!(code.envelope_prefix(), [9u8; 4]);
    }

    #[test]
    fn malformed_codes_are_refused_with_a_reason() {
        let text = code(0).to_string();
        for bad in [
            "",
            &text[..text.len() - 1],
            &format!("{text}A"),
            &text.replacen(|c: char| c.is_ascii_alphanumeric(), "U", 1),
            "ABCD-EFGH-JKMN-PQRS-TVWX-YZ0!",
        ] {
            let err = ReceiptCode::parse(bad).unwrap_err();
            assert!(
                err.to_string().contains("not a receipt code"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn each_slot_and_key_gives_its_own_code() {
        assert_ne!(code(0), code(1));
        let other_key = ReceiptCode::derive(&Key([8u8; 32]), &[9u8; 32], 0);
        assert_ne!(code(0).as_bytes()[5..], other_key.as_bytes()[5..]);
        let other_envelope = ReceiptCode::derive(&Key([7u8; 32]), &[10u8; 32], 0);
        assert_ne!(code(0).as_bytes()[5..], other_envelope.as_bytes()[5..]);
    }

    #[test]
    fn a_record_recognises_its_codes_and_nothing_else() {
        let record = ReceiptRecord {
            envelope_id: [9u8; 32],
            reply_to: "a@b.example".into(),
            slots: vec![
                SlotCheck {
                    slot: 0,
                    check: code(0).check_value(),
                },
                SlotCheck {
                    slot: 1,
                    check: code(1).check_value(),
                },
            ],
        };
        assert_eq!(record.recognise(&code(0)), Some(0));
        assert_eq!(record.recognise(&code(1)), Some(1));
        // Slot 0's tag relabelled as slot 1: refused.
        let mut relabelled = *code(0).as_bytes();
        relabelled[4] = 1;
        assert_eq!(record.recognise(&ReceiptCode(relabelled)), None);
        // One bit of the tag changed: refused.
        let mut flipped = *code(1).as_bytes();
        flipped[14] ^= 1;
        assert_eq!(record.recognise(&ReceiptCode(flipped)), None);
        assert_eq!(record.recognise(&code(2)), None);
    }

    #[test]
    fn receipt_addresses_are_plain() {
        for ok in ["a@b.example", "first.last+tag@sub.example-clinic.org"] {
            assert!(is_valid_receipt_address(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "@b.example",
            "a@b",
            "a@@b.example",
            "a b@c.example",
            "a@b.example?cc=x@y.example",
            "\"a\"@b.example",
            "a@b..example",
            "a@.b.example",
            "a@b.example.",
            "a@bü.example",
            "ä@b.example",
            "<a@b.example>",
            "a@b.example\r\nBcc: c@d.example",
            &format!("{}@b.example", "a".repeat(65)),
        ] {
            assert!(!is_valid_receipt_address(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_mailto_link_escapes_everything_but_plain_characters() {
        let receipt = Receipt {
            to: "first.last+tag@clinic.example".into(),
            code: code(0),
        };
        let url = receipt.mailto();
        assert!(url.starts_with("mailto:first.last%2Btag@clinic.example?subject=Receipt%20for"));
        assert!(url.contains(&format!("body=Receipt%20code%3A%20{}%0D%0A", code(0))));
        assert!(
            url.bytes()
                .all(|b| b.is_ascii_graphic() && !b"<>\"' ".contains(&b))
        );
    }
}
