//! Secure replies: what an envelope asks of answers, and what an answer
//! records.
//!
//! An envelope may carry, in its encrypted manifest, a *reply request*
//! (field 0x0004): the address replies go to, the organisation's X25519
//! reply key, and the envelope's own id. Whoever opens it can then seal an
//! answer (the page does, in WebAssembly) to that key, and, with the key
//! that opened the envelope ([`ReplySlotKey`]), to the same passphrase. The
//! answer records the id of the envelope it answers (field 0x0005).
//!
//! The request is inside the content, so only recipients learn it and it is
//! authenticated with the rest; its envelope id must be the id of the
//! envelope that carries it, so a request cannot be lifted into another
//! envelope by someone who holds a file key.

use crate::error::{Error, Result};
use crate::header::Slot;
use crate::kdf::{KdfParams, SALT_LEN};
use crate::receipt::is_valid_receipt_address;
use crate::secret::Key;
use crate::wire::{Parser, put_string};

/// Bytes of an X25519 public key.
pub const REPLY_KEY_LEN: usize = 32;
/// Bytes of an envelope id ([`crate::envelope_id`]).
pub const ENVELOPE_ID_LEN: usize = 32;

/// What an envelope asks of replies (manifest field 0x0004).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyRequest {
    /// Where replies are to be sent: a plain `local@domain`, checked as a
    /// receipt address is ([`crate::is_valid_receipt_address`]).
    pub to: String,
    /// The organisation's reply key (X25519 public, as `sealer keygen`
    /// writes it), never one of small order.
    pub key: [u8; REPLY_KEY_LEN],
    /// The id of the envelope that carries the request.
    pub envelope: [u8; ENVELOPE_ID_LEN],
}

impl ReplyRequest {
    /// The field's value: `str` address ‖ key (32) ‖ envelope id (32).
    pub(crate) fn encode(&self) -> Result<Vec<u8>> {
        if !is_valid_receipt_address(&self.to) {
            return Err(Error::invalid(format!(
                "the reply address {:?} is not a plain e-mail address \
                 (local@domain.example, in ASCII)",
                self.to
            )));
        }
        if is_small_order(&self.key) {
            return Err(Error::invalid(
                "the reply key is not a usable X25519 public key (it is of small order)",
            ));
        }
        let mut out = Vec::with_capacity(2 + self.to.len() + 64);
        put_string(&mut out, &self.to);
        out.extend_from_slice(&self.key);
        out.extend_from_slice(&self.envelope);
        Ok(out)
    }

    /// Reads the field of the envelope whose id is `envelope_id`: a
    /// request that is malformed, has an address that is not plain, a key
    /// of small order, or names another envelope is **damaged**.
    pub(crate) fn parse(value: &[u8], envelope_id: &[u8; ENVELOPE_ID_LEN]) -> Result<Self> {
        let mut p = Parser::new(value, "reply request");
        let to = p.string("reply address", crate::MAX_RECEIPT_ADDRESS_LEN)?;
        let key: [u8; REPLY_KEY_LEN] = p.array()?;
        let envelope: [u8; ENVELOPE_ID_LEN] = p.array()?;
        p.finish()?;
        if !is_valid_receipt_address(&to) {
            return Err(Error::damaged(
                "the reply request's address is not a plain e-mail address",
            ));
        }
        if is_small_order(&key) {
            return Err(Error::damaged(
                "the reply request's key is not a usable X25519 public key",
            ));
        }
        if &envelope != envelope_id {
            return Err(Error::damaged(
                "the reply request names another envelope than the one that carries it",
            ));
        }
        Ok(ReplyRequest { to, key, envelope })
    }
}

/// Reads the in-reply-to field (0x0005): exactly one envelope id.
pub(crate) fn parse_in_reply_to(value: &[u8]) -> Result<[u8; ENVELOPE_ID_LEN]> {
    value
        .try_into()
        .map_err(|_| Error::damaged("the in-reply-to field is not one envelope id (32 bytes)"))
}

/// Whether an X25519 public key is one of the points of small order (with
/// the top bit, which X25519 ignores, cleared): with such a key every shared
/// secret is zero, so a slot sealed to it would be open to anyone. The list
/// is libsodium's (`crypto_scalarmult_curve25519` blocklist): 0, 1, the two
/// points of order 8, and p − 1, p, p + 1.
pub(crate) fn is_small_order(key: &[u8; REPLY_KEY_LEN]) -> bool {
    let mut masked = *key;
    masked[31] &= 0x7f;
    SMALL_ORDER.contains(&masked)
}

/// The X25519 public keys of small order (see [`is_small_order`]).
const SMALL_ORDER: [[u8; 32]; 7] = [
    [0; 32],
    [
        1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0,
    ],
    [
        0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4,
        0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49,
        0xb8, 0x00,
    ],
    [
        0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83, 0xef,
        0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f,
        0x11, 0x57,
    ],
    p_plus(-1),
    p_plus(0),
    p_plus(1),
];

/// p = 2^255 − 19 plus `delta` (−1, 0 or 1), little-endian.
const fn p_plus(delta: i8) -> [u8; 32] {
    let mut bytes = [0xff; 32];
    bytes[31] = 0x7f;
    bytes[0] = (0xed_i16 + delta as i16) as u8;
    bytes
}

/// How the passphrase slot that opened an envelope reads what is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotKind {
    /// A chosen passphrase (slot type 1), typed exactly.
    Chosen,
    /// A generated passphrase (slot type 3) of `words` words of list `list`.
    Words {
        /// Word count.
        words: u8,
        /// Word list.
        list: u8,
    },
}

/// The key that opened an envelope's passphrase slot, with the salt and
/// cost it was derived with: a reply sealed with it
/// ([`crate::SealOptions::reply_slot`]) has one passphrase slot of the
/// same kind under the same key, with the original's salt and cost, so the
/// passphrase that opened the original opens the answer, and the page
/// seals without a second Argon2id run. It opens nothing the passphrase
/// does not. Wiped on drop; never printed.
#[derive(Clone)]
pub struct ReplySlotKey {
    pub(crate) kek: Key,
    pub(crate) kdf: KdfParams,
    pub(crate) salt: [u8; SALT_LEN],
    pub(crate) kind: SlotKind,
}

impl ReplySlotKey {
    /// The key of `slot`, if it is a passphrase slot.
    pub(crate) fn of(slot: &Slot, kek: &Key, kdf: KdfParams, salt: [u8; SALT_LEN]) -> Option<Self> {
        let kind = match slot {
            Slot::Passphrase { .. } => SlotKind::Chosen,
            Slot::Words { words, list, .. } => SlotKind::Words {
                words: *words,
                list: *list,
            },
            Slot::X25519 { .. } | Slot::Unknown { .. } => return None,
        };
        Some(ReplySlotKey {
            kek: kek.clone(),
            kdf,
            salt,
            kind,
        })
    }

    /// How the slot reads what is typed.
    pub fn kind(&self) -> SlotKind {
        self.kind
    }
}

impl std::fmt::Debug for ReplySlotKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplySlotKey")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> ReplyRequest {
        ReplyRequest {
            to: "replies@clinic.example".into(),
            key: [9; 32],
            envelope: [7; 32],
        }
    }

    #[test]
    fn a_request_round_trips_for_its_own_envelope_only() {
        let encoded = request().encode().unwrap();
        assert_eq!(ReplyRequest::parse(&encoded, &[7; 32]).unwrap(), request());
        let err = ReplyRequest::parse(&encoded, &[8; 32]).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Damaged);
        assert!(err.to_string().contains("another envelope"), "{err}");
        for cut in [0, 1, encoded.len() - 1] {
            let err = ReplyRequest::parse(&encoded[..cut], &[7; 32]).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Damaged, "cut at {cut}");
        }
        let mut longer = encoded.clone();
        longer.push(0);
        assert!(ReplyRequest::parse(&longer, &[7; 32]).is_err());
    }

    #[test]
    fn small_order_keys_and_unplain_addresses_are_refused() {
        for mut key in [[0; 32], p_plus(-1), p_plus(0), p_plus(1)] {
            assert!(is_small_order(&key));
            key[31] |= 0x80; // X25519 ignores the top bit
            assert!(is_small_order(&key));
            let bad = ReplyRequest { key, ..request() };
            assert!(bad.encode().is_err());
        }
        assert!(!is_small_order(&[9; 32]));
        let bad = ReplyRequest {
            to: "Replies <replies@clinic.example>".into(),
            ..request()
        };
        assert!(bad.encode().is_err());
    }

    #[cfg(feature = "x25519")]
    #[test]
    fn the_small_order_list_is_what_x25519_makes_zero() {
        use x25519_dalek::{PublicKey, StaticSecret};
        let secret = StaticSecret::from([0x42; 32]);
        for point in SMALL_ORDER {
            let shared = secret.diffie_hellman(&PublicKey::from(point));
            assert_eq!(shared.as_bytes(), &[0; 32]);
        }
    }

    #[cfg(feature = "seal")]
    #[test]
    fn a_reopened_key_is_the_one_passphrase_slot_and_keeps_its_cost() {
        use crate::{Header, KdfParams, Message, MessageDate, Passphrase, SealOptions};
        let fast = KdfParams {
            m_kib: 64,
            t: 1,
            p: 1,
        };
        let original = crate::seal_to_vec(
            Message::new().date(MessageDate::utc(0)),
            &SealOptions::new()
                .passphrase(Passphrase::new("pw"))
                .kdf(fast),
        )
        .unwrap();
        let header = Header::read_from(&mut &original[..]).unwrap();
        let key = crate::PayloadKey::unlock(&header, &Passphrase::new("pw"))
            .unwrap()
            .reply_slot_key()
            .unwrap();
        assert_eq!(key.kind(), SlotKind::Chosen);
        assert!(!format!("{key:?}").contains("kek"));
        let message = || Message::new().date(MessageDate::utc(0));
        let with_other = SealOptions::new()
            .reply_slot(key.clone())
            .passphrase(Passphrase::new("other"));
        assert!(crate::seal_to_vec(message(), &with_other).is_err());
        let recosted = SealOptions::new()
            .reply_slot(key.clone())
            .kdf(KdfParams::MIN);
        assert!(crate::seal_to_vec(message(), &recosted).is_err());
        let reply = crate::seal_to_vec(message(), &SealOptions::new().reply_slot(key)).unwrap();
        let reply_header = Header::read_from(&mut &reply[..]).unwrap();
        assert_eq!(reply_header.salt, header.salt);
        assert_eq!(reply_header.kdf, fast);
        assert!(crate::open(&reply, &Passphrase::new("pw")).is_ok());
        assert!(crate::open(&reply, &Passphrase::new("pw ")).is_err());
    }
}
