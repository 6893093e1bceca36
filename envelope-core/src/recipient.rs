//! Recovery keys: key slots of type 2 that wrap the file key for an X25519
//! public key, so that whoever holds the private key (an organisation's
//! records office) can open the envelope without any passphrase.
//!
//! Each slot has a fresh ephemeral key pair (as age does):
//!
//! ```text
//! shared  = X25519(ephemeral secret, recipient public)   (refused if all zero)
//! KEK     = HKDF-SHA256(IKM = shared, salt = ephemeral public ‖ recipient public,
//!                       info = "sealed-envelope v1 x25519 slot", L = 32)
//! wrapped ‖ tag = AES-256-GCM(KEK, nonce = 12 zero bytes,
//!                       AAD = "sealed-envelope v1 x25519 slot", file key)
//! body    = ephemeral public (32) ‖ wrapped (32) ‖ tag (16)
//! ```
//!
//! The KEK is new for every slot, so the fixed nonce is never reused under
//! one key.

use hkdf::Hkdf;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroize;

use crate::crypto::{Aead, NONCE_LEN, TAG_LEN, WRAPPED_KEY_LEN};
use crate::error::{Error, Result};
use crate::keytext::{fingerprint, hex, parse_key};
use crate::secret::Key;

const SLOT_INFO: &[u8] = b"sealed-envelope v1 x25519 slot";
/// How a public key is written: this prefix, then 64 hex digits.
const PUBLIC_PREFIX: &str = "sealer-x25519:";
/// How a private key is written.
const SECRET_PREFIX: &str = "SEALER-X25519-SECRET:";

/// A recovery key's public half: envelopes sealed to it open with its
/// [`Identity`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RecipientKey([u8; 32]);

impl std::fmt::Debug for RecipientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecipientKey({})", self.fingerprint())
    }
}

impl RecipientKey {
    /// The key as text: `sealer-x25519:` and 64 hex digits.
    pub fn to_text(&self) -> String {
        format!("{PUBLIC_PREFIX}{}", hex(&self.0))
    }

    /// Reads a key written by [`RecipientKey::to_text`]: the first line
    /// that is not a `#` comment.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when there is no such line or it is not a
    /// key.
    pub fn from_text(text: &str) -> Result<RecipientKey> {
        parse_key(text, PUBLIC_PREFIX, "a recovery key", "the identity file")
            .and_then(RecipientKey::from_bytes)
    }

    /// The key's 32 bytes (as a [`crate::ReplyRequest`] carries it).
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// A key from its 32 bytes.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a key of small order, with which every
    /// slot sealed to it would open for anyone.
    pub fn from_bytes(bytes: [u8; 32]) -> Result<RecipientKey> {
        if crate::reply::is_small_order(&bytes) {
            return Err(Error::invalid(
                "the key is not a usable X25519 public key (it is of small order)",
            ));
        }
        Ok(RecipientKey(bytes))
    }

    /// A short name for the key, to compare by eye: the first 16 hex digits
    /// of the SHA-256 of the public key, in groups of four.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.0)
    }
}

/// A recovery key's private half. Wiped from memory when dropped.
pub struct Identity(StaticSecret);

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Identity(for {})", self.recipient().fingerprint())
    }
}

impl Identity {
    /// A new key pair, from the system's random number generator.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when there is no randomness.
    #[cfg(feature = "sealing")]
    pub fn generate() -> Result<Identity> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|err| Error::Io(std::io::Error::other(err)))?;
        let identity = Identity(StaticSecret::from(bytes));
        bytes.zeroize();
        Ok(identity)
    }

    /// Its public half, to seal to.
    pub fn recipient(&self) -> RecipientKey {
        RecipientKey(PublicKey::from(&self.0).to_bytes())
    }

    /// The private key as text (`SEALER-X25519-SECRET:` and 64 hex
    /// digits). Whoever reads it can open every envelope sealed to it.
    pub fn expose_text(&self) -> String {
        format!("{SECRET_PREFIX}{}", hex(self.0.as_bytes()))
    }

    /// Reads a key written by [`Identity::expose_text`]: the first line
    /// that is not a `#` comment.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when there is no such line or it is not a
    /// private key.
    pub fn from_text(text: &str) -> Result<Identity> {
        let mut bytes = parse_key(text, SECRET_PREFIX, "an identity", "the public key file")?;
        let identity = Identity(StaticSecret::from(bytes));
        bytes.zeroize();
        Ok(identity)
    }
}

/// The KEK of a slot between `secret` and `public` (one of them the
/// ephemeral key); `None` for a shared secret of all zeros (a low-order
/// point: a forged slot).
fn kek(secret: &StaticSecret, public: &PublicKey, salt: &[u8; 64]) -> Option<Key> {
    let shared = secret.diffie_hellman(public);
    if !shared.was_contributory() {
        return None;
    }
    let mut out = Key([0u8; 32]);
    Hkdf::<Sha256>::new(Some(salt), shared.as_bytes())
        .expand(SLOT_INFO, &mut out.0)
        .ok()?;
    Some(out)
}

fn salt(ephemeral: &[u8; 32], recipient: &[u8; 32]) -> [u8; 64] {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral);
    salt[32..].copy_from_slice(recipient);
    salt
}

/// Wraps `file_key` for `recipient` with the ephemeral secret `ephemeral`
/// (32 random bytes): the slot body's two parts.
pub(crate) fn wrap_for(
    recipient: &RecipientKey,
    ephemeral: [u8; 32],
    file_key: &Key,
) -> Result<([u8; 32], [u8; WRAPPED_KEY_LEN])> {
    let secret = StaticSecret::from(ephemeral);
    let ephemeral_public = PublicKey::from(&secret).to_bytes();
    let kek = kek(
        &secret,
        &PublicKey::from(recipient.0),
        &salt(&ephemeral_public, &recipient.0),
    )
    .ok_or_else(|| Error::invalid("the recovery key is not a usable X25519 public key"))?;
    let mut wrapped = [0u8; WRAPPED_KEY_LEN];
    wrapped[..32].copy_from_slice(file_key.bytes());
    let tag = Aead::new(&kek).seal([0u8; NONCE_LEN], SLOT_INFO, &mut wrapped[..32]);
    wrapped[32..].copy_from_slice(&tag);
    Ok((ephemeral_public, wrapped))
}

/// The file key from a slot, if `identity` opens it.
pub(crate) fn unwrap_with(
    identity: &Identity,
    ephemeral_public: &[u8; 32],
    wrapped: &[u8; WRAPPED_KEY_LEN],
) -> Option<Key> {
    let own_public = identity.recipient().0;
    let kek = kek(
        &identity.0,
        &PublicKey::from(*ephemeral_public),
        &salt(ephemeral_public, &own_public),
    )?;
    let mut key = Key([0u8; 32]);
    key.0.copy_from_slice(&wrapped[..32]);
    let mut tag = [0u8; TAG_LEN];
    tag.copy_from_slice(&wrapped[32..]);
    Aead::new(&kek)
        .open([0u8; NONCE_LEN], SLOT_INFO, &mut key.0, &tag)
        .then_some(key)
}

#[cfg(all(test, feature = "seal"))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn keys_round_trip_as_text_and_the_right_identity_unwraps() {
        let identity = Identity::generate().unwrap();
        let recipient = identity.recipient();
        assert_eq!(
            RecipientKey::from_text(&format!("# comment\n{}\n", recipient.to_text())).unwrap(),
            recipient
        );
        let again = Identity::from_text(&identity.expose_text()).unwrap();
        assert_eq!(again.recipient(), recipient);
        assert!(RecipientKey::from_text(&identity.expose_text()).is_err());
        assert!(Identity::from_text(&recipient.to_text()).is_err());
        assert_eq!(recipient.fingerprint().len(), 19);

        let file_key = Key([7u8; 32]);
        let (ephemeral, wrapped) = wrap_for(&recipient, [9u8; 32], &file_key).unwrap();
        assert_eq!(
            unwrap_with(&identity, &ephemeral, &wrapped)
                .unwrap()
                .bytes(),
            file_key.bytes()
        );
        let stranger = Identity::generate().unwrap();
        assert!(unwrap_with(&stranger, &ephemeral, &wrapped).is_none());
        // A low-order ephemeral key (all zeros) is refused, not trusted.
        assert!(unwrap_with(&identity, &[0u8; 32], &wrapped).is_none());
    }
}
