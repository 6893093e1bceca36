//! Any bytes: reading the public header must return a value or an error,
//! never panic, and never allocate beyond the header-length cap.
#![no_main]

use envelope_core::Header;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(header) = Header::read_from(&mut &data[..]) {
        assert!(header.len() <= data.len());
        assert!(header.kdf.m_kib <= envelope_core::limits::MAX_ARGON2_M_KIB);
        assert!(header.slots.len() <= usize::from(envelope_core::limits::MAX_SLOTS));
    }
});
