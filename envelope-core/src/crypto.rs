//! The primitives, each used in exactly one way: key wrapping, the header
//! MAC, and the subkeys derived from the file key.

use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::secret::Key;

/// Bytes of an AES-GCM nonce.
pub(crate) const NONCE_LEN: usize = 12;
/// Bytes of an AES-GCM tag.
pub(crate) const TAG_LEN: usize = 16;
/// Bytes of a wrapped file key: 32 bytes of ciphertext and a 16-byte tag.
pub(crate) const WRAPPED_KEY_LEN: usize = 32 + TAG_LEN;
/// Bytes of the header MAC.
pub(crate) const MAC_LEN: usize = 32;

/// Associated data that binds a passphrase slot's wrap to its purpose.
pub(crate) const PASSPHRASE_SLOT_AAD: &[u8] = b"sealed-envelope v1 passphrase slot";
/// AES-GCM associated data of a words slot, before its word count and list.
const WORDS_SLOT_AAD: &[u8; 29] = b"sealed-envelope v1 words slot";

/// The associated data of a words slot: the label, the word count and the
/// list, so that changing either makes the slot fail to open.
pub(crate) fn words_slot_aad(words: u8, list: u8) -> [u8; 31] {
    let mut aad = [0u8; 31];
    aad[..29].copy_from_slice(WORDS_SLOT_AAD);
    aad[29] = words;
    aad[30] = list;
    aad
}
/// HKDF info for the header MAC key.
const HEADER_MAC_INFO: &[u8] = b"sealed-envelope v1 header mac";
/// HKDF info for the payload key.
const PAYLOAD_INFO: &[u8] = b"sealed-envelope v1 payload";

/// AES-256-GCM, the one AEAD of the format.
///
/// Natively it is `ring`'s assembly (about 5 GiB/s here, against 1.5 GiB/s
/// for RustCrypto's `aes-gcm`), which keeps sealing and opening above 1 GB/s
/// even with the SHA-256 of every part on the same core. For WebAssembly,
/// and natively with the `rustcrypto-aes` feature (so that CI tests that
/// path too), it is `aes-gcm`. Both are standard AES-256-GCM: the test
/// vectors hold each to the same bytes.
pub(crate) struct Aead(backend::Cipher);

impl Aead {
    pub(crate) fn new(key: &Key) -> Self {
        Aead(backend::Cipher::new(key.bytes()))
    }

    /// Encrypts `buf` in place and returns the tag.
    pub(crate) fn seal(&self, nonce: [u8; NONCE_LEN], aad: &[u8], buf: &mut [u8]) -> [u8; TAG_LEN] {
        self.0.seal(nonce, aad, buf)
    }

    /// Decrypts `buf` in place if `tag` authenticates it; `false` (with
    /// `buf` holding garbage the caller must discard) otherwise.
    #[must_use]
    pub(crate) fn open(
        &self,
        nonce: [u8; NONCE_LEN],
        aad: &[u8],
        buf: &mut [u8],
        tag: &[u8; TAG_LEN],
    ) -> bool {
        self.0.open(nonce, aad, buf, tag)
    }
}

#[cfg(not(any(target_arch = "wasm32", feature = "rustcrypto-aes")))]
mod backend {
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};

    use super::{NONCE_LEN, TAG_LEN};

    pub(super) struct Cipher(LessSafeKey);

    impl Cipher {
        // `ring` refuses only keys of the wrong length, and this one is 32
        // bytes by type.
        #[allow(clippy::expect_used)]
        pub(super) fn new(key: &[u8; 32]) -> Self {
            let unbound = UnboundKey::new(&AES_256_GCM, key).expect("a 32-byte AES-256 key");
            Cipher(LessSafeKey::new(unbound))
        }

        pub(super) fn seal(
            &self,
            nonce: [u8; NONCE_LEN],
            aad: &[u8],
            buf: &mut [u8],
        ) -> [u8; TAG_LEN] {
            let mut out = [0u8; TAG_LEN];
            // Sealing only fails for inputs over 64 GiB; chunks are 64 KiB.
            if let Ok(tag) = self.0.seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                buf,
            ) {
                out.copy_from_slice(tag.as_ref());
            }
            out
        }

        pub(super) fn open(
            &self,
            nonce: [u8; NONCE_LEN],
            aad: &[u8],
            buf: &mut [u8],
            tag: &[u8; TAG_LEN],
        ) -> bool {
            let tag = ring::aead::Tag::from(*tag);
            self.0
                .open_in_place_separate_tag(
                    Nonce::assume_unique_for_key(nonce),
                    Aad::from(aad),
                    tag,
                    buf,
                    0..,
                )
                .is_ok()
        }
    }
}

#[cfg(any(target_arch = "wasm32", feature = "rustcrypto-aes"))]
mod backend {
    use aes_gcm::aead::{AeadInOut, KeyInit};
    use aes_gcm::{Aes256Gcm, Nonce, Tag};

    use super::{NONCE_LEN, TAG_LEN};

    pub(super) struct Cipher(Aes256Gcm);

    impl Cipher {
        pub(super) fn new(key: &[u8; 32]) -> Self {
            Cipher(Aes256Gcm::new(&(*key).into()))
        }

        pub(super) fn seal(
            &self,
            nonce: [u8; NONCE_LEN],
            aad: &[u8],
            buf: &mut [u8],
        ) -> [u8; TAG_LEN] {
            // Sealing only fails for inputs over 64 GiB; chunks are 64 KiB.
            self.0
                .encrypt_inout_detached(&Nonce::from(nonce), aad, buf.into())
                .map(Into::into)
                .unwrap_or_default()
        }

        pub(super) fn open(
            &self,
            nonce: [u8; NONCE_LEN],
            aad: &[u8],
            buf: &mut [u8],
            tag: &[u8; TAG_LEN],
        ) -> bool {
            self.0
                .decrypt_inout_detached(&Nonce::from(nonce), aad, buf.into(), &Tag::from(*tag))
                .is_ok()
        }
    }
}

/// Encrypts the file key under a key-encryption key, for a slot whose
/// associated data is `aad`.
pub(crate) fn wrap_key(
    kek: &Key,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    file_key: &Key,
) -> [u8; WRAPPED_KEY_LEN] {
    let mut out = [0u8; WRAPPED_KEY_LEN];
    out[..32].copy_from_slice(file_key.bytes());
    let tag = Aead::new(kek).seal(*nonce, aad, &mut out[..32]);
    out[32..].copy_from_slice(&tag);
    out
}

/// Decrypts a wrapped file key; `None` when the key-encryption key is wrong
/// or the slot was altered (AES-GCM cannot tell which).
pub(crate) fn unwrap_key(
    kek: &Key,
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    wrapped: &[u8; WRAPPED_KEY_LEN],
) -> Option<Key> {
    let mut key = Key([0u8; 32]);
    key.0.copy_from_slice(&wrapped[..32]);
    let mut tag = [0u8; TAG_LEN];
    tag.copy_from_slice(&wrapped[32..]);
    // On failure `key` holds garbage and is wiped when dropped.
    Aead::new(kek)
        .open(*nonce, aad, &mut key.0, &tag)
        .then_some(key)
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

// HMAC takes keys of any length, so keying it cannot fail.
#[allow(clippy::expect_used)]
fn header_hmac(file_key: &Key, header: &[u8]) -> Hmac<Sha256> {
    let mac_key = subkey(file_key, None, HEADER_MAC_INFO);
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(mac_key.bytes())
        .expect("HMAC accepts any key length");
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
