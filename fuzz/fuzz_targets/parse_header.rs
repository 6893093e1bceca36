//! Any bytes: reading the public header must return a value or an error,
//! never panic, and never allocate beyond the header-length cap. The bytes
//! after a header that parses are typed as a passphrase: planning the key
//! derivations for it (words read, advice written) must not panic either,
//! and never plans more than two.
#![no_main]

use envelope_core::{Attempts, Error, Header, Passphrase};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(header) = Header::read_from(&mut &data[..]) {
        assert!(header.len() <= data.len());
        assert!(header.kdf.m_kib <= envelope_core::limits::MAX_ARGON2_M_KIB);
        assert!(header.slots.len() <= usize::from(envelope_core::limits::MAX_SLOTS));
        let typed = String::from_utf8_lossy(&data[header.len()..]);
        if let Ok(attempts) = Attempts::plan(&header, &Passphrase::new(&typed)) {
            assert!(attempts.iter().count() <= 2);
            if let Error::WrongPassphrase(Some(advice)) = attempts.wrong_passphrase() {
                assert!(advice.not_words.len() <= 3);
                let _ = advice.to_string();
            }
        }
    }
});
