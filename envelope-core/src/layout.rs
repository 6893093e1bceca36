//! Where everything lies in the content, for openers that decrypt chunks
//! themselves (the browser page hands AES-GCM to WebCrypto) or jump to one
//! part. The rules are the format's; only the AES call moves elsewhere.
//!
//! The steps, with the plaintext of chunks as they are decrypted:
//!
//! 1. [`PayloadKey::unlock`] the header with a passphrase (or, for each
//!    attempt of [`crate::Attempts::plan`], derive a [`crate::PassphraseKey`]
//!    elsewhere and [`PayloadKey::unlock_with`] it);
//! 2. decrypt chunk `i` with [`crate::chunk_nonce`]`(i, i == last)` over the
//!    encrypted chunks of [`crate::PayloadLayout`];
//! 3. [`ContentLayout::manifest_len`] from the first 4 plaintext bytes, then
//!    [`ContentLayout::new`] with the manifest bytes;
//! 4. [`ContentLayout::parse_trailer`] from [`ContentLayout::trailer_range`];
//! 5. [`PartDigests::check`] each part's SHA-256 before showing it.

use crate::attempt::{Attempt, Attempts};
use crate::crypto::{
    PASSPHRASE_SLOT_AAD, payload_key, unwrap_key, verify_header_mac, words_slot_aad,
};
use crate::error::{Error, Result};
use crate::header::{Header, Slot};
use crate::kdf::PassphraseKey;
use crate::limits::{MAX_MANIFEST_LEN, MAX_TRAILER_LEN};
use crate::manifest::{DIGEST_LEN, Manifest, PartKind, Trailer};
use crate::receipt::{ReceiptCode, envelope_id};
use crate::reply::ReplySlotKey;
use crate::secret::{Key, Passphrase};
use crate::stream::PayloadCipher;

/// The payload key of an unlocked envelope: the header MAC was verified with
/// the file key it came from.
pub struct PayloadKey {
    key: Key,
    slot: usize,
    receipt: Option<ReceiptCode>,
    reply_slot: Option<ReplySlotKey>,
}

impl std::fmt::Debug for PayloadKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PayloadKey")
            .field("slot", &self.slot)
            .finish_non_exhaustive()
    }
}

impl PayloadKey {
    /// The Argon2id derivations [`Attempts::plan`] calls for (one, nearly
    /// always: the salt is shared by all passphrase slots), a cheap unwrap
    /// attempt per passphrase slot each may open, then the header MAC.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the header has no passphrase slot,
    /// [`Error::WrongPassphrase`] when no slot opens, [`Error::Damaged`] when
    /// the header MAC does not verify.
    pub fn unlock(header: &Header, passphrase: &Passphrase) -> Result<PayloadKey> {
        let attempts = Attempts::plan(header, passphrase)?;
        for attempt in attempts.iter() {
            let key = PassphraseKey::derive(&header.kdf, attempt.passphrase(), &header.salt)?;
            match PayloadKey::unlock_with(header, attempt, &key) {
                Err(Error::WrongPassphrase(_)) => {}
                unlocked => return unlocked,
            }
        }
        Err(attempts.wrong_passphrase())
    }

    /// Refuses, before the slow derivation, a header that no passphrase can
    /// unlock (it has no passphrase slot).
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the header has no passphrase slot.
    pub fn check_unlockable(header: &Header) -> Result<()> {
        Attempts::check_openable(header)
    }

    /// One attempt of [`Attempts::plan`], with its Argon2id output computed
    /// elsewhere ([`PassphraseKey::derive`] of [`Attempt::passphrase`] with
    /// the header's parameters and salt): tries the slots it may open.
    ///
    /// # Errors
    ///
    /// [`Error::WrongPassphrase`] (without advice: that is the plan's) when
    /// none opens, [`Error::Damaged`] when the header MAC does not verify.
    pub fn unlock_with(
        header: &Header,
        attempt: &Attempt,
        key: &PassphraseKey,
    ) -> Result<PayloadKey> {
        let kek = &key.0;
        let Some((slot, file_key)) = header
            .slots
            .iter()
            .enumerate()
            .filter(|(_, slot)| attempt.may_open(slot))
            .find_map(|(i, slot)| Some((i, unwrap_slot(kek, slot)?)))
        else {
            return Err(Error::WrongPassphrase(None));
        };
        let mut unlocked = PayloadKey::from_file_key(header, &file_key, slot)?;
        unlocked.receipt = Some(ReceiptCode::derive(
            kek,
            &envelope_id(header.as_bytes()),
            slot,
        ));
        unlocked.reply_slot = header
            .slots
            .get(slot)
            .and_then(|opened| ReplySlotKey::of(opened, kek, header.kdf, header.salt));
        Ok(unlocked)
    }

    /// Opens the header with a recovery key's [`crate::Identity`] instead
    /// of a passphrase: no key derivation, an X25519 agreement per
    /// recovery-key slot, then the header MAC.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the header has no recovery-key slot,
    /// [`Error::WrongKey`] when none opens, [`Error::Damaged`] when the
    /// header MAC does not verify.
    #[cfg(feature = "x25519")]
    pub fn unlock_with_identity(
        header: &Header,
        identity: &crate::recipient::Identity,
    ) -> Result<PayloadKey> {
        let slots: Vec<_> = header
            .slots
            .iter()
            .enumerate()
            .filter_map(|(i, slot)| match slot {
                Slot::X25519 { ephemeral, wrapped } => Some((i, ephemeral, wrapped)),
                _ => None,
            })
            .collect();
        if slots.is_empty() {
            return Err(Error::Unsupported(
                "the envelope has no recovery-key slot: it was not sealed to a recovery key".into(),
            ));
        }
        let Some((slot, file_key)) = slots.into_iter().find_map(|(i, ephemeral, wrapped)| {
            Some((
                i,
                crate::recipient::unwrap_with(identity, ephemeral, wrapped)?,
            ))
        }) else {
            return Err(Error::WrongKey);
        };
        PayloadKey::from_file_key(header, &file_key, slot)
    }

    /// Checks the header MAC with the file key a slot gave.
    fn from_file_key(header: &Header, file_key: &Key, slot: usize) -> Result<PayloadKey> {
        let (covered, mac) = header.split_mac();
        if !verify_header_mac(file_key, covered, mac) {
            return Err(Error::damaged(
                "the header authentication code does not match",
            ));
        }
        Ok(PayloadKey {
            key: payload_key(file_key, &header.payload_nonce),
            slot,
            receipt: None,
            reply_slot: None,
        })
    }

    /// Index in [`Header::slots`] of the slot that opened.
    pub fn opened_slot(&self) -> usize {
        self.slot
    }

    /// The receipt code of the passphrase slot that opened (`None` when a
    /// recovery key opened it). Give it to the recipient only when the
    /// manifest asks for a receipt ([`Manifest::receipt_to`]) and the whole
    /// content verified.
    pub fn receipt_code(&self) -> Option<ReceiptCode> {
        self.receipt
    }

    /// The key of the passphrase slot that opened, to seal a reply to the
    /// same passphrase with ([`crate::SealOptions::reply_slot`]); `None`
    /// when a recovery key opened the envelope. Keep it only while a reply
    /// may be written: it opens this envelope.
    pub fn reply_slot_key(&self) -> Option<ReplySlotKey> {
        self.reply_slot.clone()
    }

    /// A cipher for the payload chunks.
    pub fn cipher(&self) -> PayloadCipher {
        PayloadCipher::new(&self.key)
    }

    /// The raw AES-256 key of the payload, to import into another AES-GCM
    /// implementation (WebCrypto).
    ///
    /// # Security
    ///
    /// Whoever holds these bytes can read the content. Import them as a
    /// non-extractable key and keep no other copy.
    pub fn expose_bytes(&self) -> &[u8; 32] {
        self.key.bytes()
    }
}

/// The content's structure, from the manifest and the content length.
#[derive(Debug, Clone)]
pub struct ContentLayout {
    manifest: Manifest,
    /// Each part with its content offset and length, in content order.
    parts: Vec<(PartKind, u64, u64)>,
    trailer_start: u64,
    content_len: u64,
}

impl ContentLayout {
    /// The manifest length from the first 4 bytes of the content.
    ///
    /// # Errors
    ///
    /// [`Error::LimitExceeded`] above the manifest cap.
    pub fn manifest_len(prefix: [u8; 4]) -> Result<usize> {
        let len = u32::from_be_bytes(prefix);
        Error::check_limit("manifest length", MAX_MANIFEST_LEN.into(), len.into())?;
        Ok(len as usize)
    }

    /// Parses the manifest (content bytes `4 .. 4 + manifest_len`) of the
    /// envelope with this `header`, and checks it against the content
    /// length (the payload's plaintext length).
    ///
    /// # Errors
    ///
    /// [`Error::Damaged`] or [`Error::LimitExceeded`] when the manifest is
    /// malformed or does not fit the content, or its reply request names
    /// another envelope.
    pub fn new(content_len: u64, manifest: &[u8], header: &Header) -> Result<Self> {
        let start = 4 + manifest.len() as u64;
        if start > content_len {
            return Err(Error::damaged("the content ends inside the manifest"));
        }
        let manifest = Manifest::parse(manifest, &envelope_id(header.as_bytes()))?;
        let mut offset = start;
        let mut parts = Vec::new();
        for (kind, len) in manifest.parts() {
            parts.push((kind, offset, len));
            offset += len;
        }
        let trailer_len = content_len.saturating_sub(offset);
        if offset > content_len || trailer_len < Trailer::min_len(parts.len()) {
            return Err(Error::damaged(
                "the payload is shorter than the manifest says",
            ));
        }
        Error::check_limit("trailer length", MAX_TRAILER_LEN, trailer_len)?;
        Ok(ContentLayout {
            manifest,
            parts,
            trailer_start: offset,
            content_len,
        })
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Content offset and length of a part; `None` if the manifest has no
    /// such part.
    pub fn part(&self, kind: PartKind) -> Option<(u64, u64)> {
        self.parts
            .iter()
            .find(|(k, _, _)| *k == kind)
            .map(|&(_, start, len)| (start, len))
    }

    /// Every part with its content offset and length, in content order.
    pub fn parts(&self) -> &[(PartKind, u64, u64)] {
        &self.parts
    }

    /// Content offset and length of the trailer.
    pub fn trailer_range(&self) -> (u64, u64) {
        (self.trailer_start, self.content_len - self.trailer_start)
    }

    /// Parses the trailer's bytes.
    ///
    /// # Errors
    ///
    /// [`Error::Damaged`] or [`Error::Unsupported`] as the trailer says.
    pub fn parse_trailer(&self, trailer: &[u8]) -> Result<PartDigests> {
        let trailer = Trailer::parse(trailer, self.parts.len())?;
        Ok(PartDigests {
            kinds: self.parts.iter().map(|(k, _, _)| *k).collect(),
            digests: trailer.digests,
            signature: trailer.signature,
        })
    }
}

/// The SHA-256 of every part, from the trailer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartDigests {
    kinds: Vec<PartKind>,
    digests: Vec<[u8; DIGEST_LEN]>,
    /// The sender signature field's value, if the envelope is signed.
    signature: Option<Vec<u8>>,
}

impl PartDigests {
    /// The recorded digest of a part.
    pub fn get(&self, kind: PartKind) -> Option<&[u8; DIGEST_LEN]> {
        let index = self.kinds.iter().position(|k| *k == kind)?;
        self.digests.get(index)
    }

    /// Checks a part's computed SHA-256 against the trailer.
    ///
    /// # Errors
    ///
    /// [`Error::Damaged`] on a mismatch, [`Error::InvalidInput`] for a part
    /// the envelope does not have.
    pub fn check(&self, kind: PartKind, digest: &[u8; DIGEST_LEN]) -> Result<()> {
        match self.get(kind) {
            Some(expected) if expected == digest => Ok(()),
            Some(_) => Err(Error::damaged("a part does not match its digest")),
            None => Err(Error::invalid(format!("the envelope has no part {kind:?}"))),
        }
    }

    /// Checks the sender signature (if any) against `header` and the
    /// encoded `manifest`. Call it once every part matched its digest: the
    /// signature covers the digests, not the parts themselves.
    ///
    /// # Errors
    ///
    /// [`Error::Damaged`] when the signature field is malformed.
    #[cfg(feature = "verify-signatures")]
    pub fn signature(
        &self,
        header: &Header,
        manifest: &[u8],
    ) -> Result<Option<crate::SignatureCheck>> {
        self.signature
            .as_deref()
            .map(|value| crate::signature::check(value, header.as_bytes(), manifest, &self.digests))
            .transpose()
    }
}

/// The file key from a passphrase or words slot, if `kek` opens it.
fn unwrap_slot(kek: &Key, slot: &Slot) -> Option<Key> {
    match slot {
        Slot::Passphrase { nonce, wrapped } => unwrap_key(kek, nonce, PASSPHRASE_SLOT_AAD, wrapped),
        Slot::Words {
            words,
            list,
            nonce,
            wrapped,
        } => unwrap_key(kek, nonce, &words_slot_aad(*words, *list), wrapped),
        Slot::X25519 { .. } | Slot::Unknown { .. } => None,
    }
}
