//! The primitives, each used in exactly one way: key wrapping, the header
//! MAC, and the subkeys derived from the file key.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce, Tag};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::secret::Key;

/// Bytes of an AES-GCM nonce.
pub(crate) const NONCE_LEN: usize = 12;
/// Bytes of a wrapped file key: 32 bytes of ciphertext and a 16-byte tag.
pub(crate) const WRAPPED_KEY_LEN: usize = 48;
/// Bytes of the header MAC.
pub(crate) const MAC_LEN: usize = 32;

/// Associated data that binds a passphrase slot's wrap to its purpose.
const PASSPHRASE_SLOT_AAD: &[u8] = b"sealed-envelope v1 passphrase slot";
/// HKDF info for the header MAC key.
const HEADER_MAC_INFO: &[u8] = b"sealed-envelope v1 header mac";
/// HKDF info for the payload key.
const PAYLOAD_INFO: &[u8] = b"sealed-envelope v1 payload";

pub(crate) fn cipher(key: &Key) -> Aes256Gcm {
    Aes256Gcm::new(&(*key.bytes()).into())
}

/// Encrypts the file key under a key-encryption key.
pub(crate) fn wrap_key(kek: &Key, nonce: &[u8; NONCE_LEN], file_key: &Key) -> [u8; WRAPPED_KEY_LEN] {
    let mut out = [0u8; WRAPPED_KEY_LEN];
    out[..32].copy_from_slice(file_key.bytes());
    let tag = cipher(kek)
        .encrypt_inout_detached(
            &Nonce::from(*nonce),
            PASSPHRASE_SLOT_AAD,
            (&mut out[..32]).into(),
        )
        // AES-GCM only fails for inputs of gigabytes; 32 bytes cannot.
        .unwrap_or_default();
    out[32..].copy_from_slice(&tag);
    out
}

/// Decrypts a wrapped file key; `None` when the key-encryption key is wrong
/// or the slot was altered (AES-GCM cannot tell which).
pub(crate) fn unwrap_key(
    kek: &Key,
    nonce: &[u8; NONCE_LEN],
    wrapped: &[u8; WRAPPED_KEY_LEN],
) -> Option<Key> {
    let mut key = Key([0u8; 32]);
    key.0.copy_from_slice(&wrapped[..32]);
    let tag = Tag::try_from(&wrapped[32..]).ok()?;
    cipher(kek)
        .decrypt_inout_detached(
            &Nonce::from(*nonce),
            PASSPHRASE_SLOT_AAD,
            (&mut key.0[..]).into(),
            &tag,
        )
        .ok()?;
    Some(key)
}

fn subkey(file_key: &Key, salt: Option<&[u8]>, info: &[u8]) -> Key {
    let mut out = Key([0u8; 32]);
    Hkdf::<Sha256>::new(salt, file_key.bytes())
        .expand(info, &mut out.0)
        // 32 bytes is far below HKDF-SHA256's 8160-byte ceiling.
        .unwrap_or_default();
    out
}

/// The key that encrypts the payload chunks.
pub(crate) fn payload_key(file_key: &Key, payload_nonce: &[u8]) -> Key {
    subkey(file_key, Some(payload_nonce), PAYLOAD_INFO)
}

fn header_hmac(file_key: &Key, header: &[u8]) -> Hmac<Sha256> {
    let mac_key = subkey(file_key, None, HEADER_MAC_INFO);
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(mac_key.bytes())
        // HMAC takes keys of any length.
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
    mac.update(header);
    mac
}

/// HMAC-SHA256 over the header bytes that precede the MAC.
pub(crate) fn header_mac(file_key: &Key, header: &[u8]) -> [u8; MAC_LEN] {
    header_hmac(file_key, header).finalize().into_bytes().into()
}

/// Checks the header MAC in constant time.
pub(crate) fn verify_header_mac(file_key: &Key, header: &[u8], mac: &[u8]) -> bool {
    header_hmac(file_key, header).verify_slice(mac).is_ok()
}
