//! Secrets as types: wiped on drop, never printed.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// A passphrase, normalised to Unicode NFC.
///
/// Normalising means the same words open the envelope whichever way the
/// keyboard or operating system composed the accents (NFC "é" is one code
/// point, NFD is "e" plus a combining accent). The text is wiped from memory
/// when the value is dropped, and `Debug` never shows it.
///
/// ```
/// use envelope_core::Passphrase;
/// let composed = Passphrase::new("caf\u{e9}");
/// let decomposed = Passphrase::new("cafe\u{301}");
/// assert_eq!(composed.expose(), decomposed.expose());
/// assert_eq!(format!("{composed:?}"), "Passphrase(<redacted>)");
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Passphrase(String);

impl Passphrase {
    /// Normalises `text` to NFC and keeps it. Leading and trailing spaces are
    /// part of the passphrase: nothing is trimmed.
    #[cfg(feature = "nfc")]
    pub fn new(text: &str) -> Self {
        use unicode_normalization::UnicodeNormalization;
        Passphrase(text.nfc().collect())
    }

    /// Takes ownership of `text`, normalises it, and wipes the original.
    #[cfg(feature = "nfc")]
    pub fn from_string(text: String) -> Self {
        let text = zeroize::Zeroizing::new(text);
        Self::new(&text)
    }

    /// Takes `text` that the caller has already normalised to NFC, such as
    /// the browser's `String.prototype.normalize("NFC")` output: the
    /// decryptor page uses this to leave the Unicode tables (about half its
    /// size) to the browser. Text that is not NFC will not open envelopes
    /// sealed with the same words in NFC.
    pub fn from_nfc(text: String) -> Self {
        Passphrase(text)
    }

    /// The normalised text. Handle with care: do not log or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the passphrase is empty (which [`crate::SealOptions`] refuses).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// A 256-bit symmetric key (file key, key-encryption key or payload key).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct Key(pub(crate) [u8; 32]);

impl Key {
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}
