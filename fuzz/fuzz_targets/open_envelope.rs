//! A real envelope (sealed once, with the cheapest Argon2id) with fuzzer-
//! chosen edits: opening it, streaming and by random access, must succeed
//! only on the untouched bytes, fail cleanly otherwise, and never panic.
//!
//! The fuzzer input is a list of (offset, value) edits, and optionally a new
//! length, applied to the envelope; editing real bytes reaches the manifest,
//! chunk and trailer code that random bytes never would (the MAC stops them).
#![no_main]

use std::io::Cursor;
use std::sync::OnceLock;

use envelope_core::{
    Attachment, Envelope, Header, KdfParams, Message, Passphrase, PartKind, SealOptions, open, seal_to_vec,
};
use libfuzzer_sys::fuzz_target;

const PASSPHRASE: &str = "fuzz";

fn envelope() -> &'static [u8] {
    static ENVELOPE: OnceLock<Vec<u8>> = OnceLock::new();
    ENVELOPE.get_or_init(|| {
        let message = Message::new()
            .from("a@example.org")
            .to("b@example.org")
            .subject("fuzz")
            .text_body("body")
            .html_body("<p>body</p>")
            .attach(Attachment::from_bytes("a.bin", "application/octet-stream", vec![7u8; 70_000]))
            .attach(Attachment::from_bytes("b.txt", "text/plain", b"bee".to_vec()));
        let options = SealOptions::new()
            .kdf(KdfParams::MIN)
            .passphrase(Passphrase::new(PASSPHRASE))
            .label("label");
        seal_to_vec(message, &options).expect("sealing the seed envelope")
    })
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = envelope().to_vec();
    let mut edits = data.chunks_exact(4);
    for edit in &mut edits {
        let offset = usize::from(u16::from_be_bytes([edit[0], edit[1]])) * 8 + usize::from(edit[2] & 7);
        if let Some(byte) = bytes.get_mut(offset % envelope().len()) {
            *byte = edit[3];
        }
    }
    if let [a, b, ..] = edits.remainder() {
        bytes.truncate(usize::from(u16::from_be_bytes([*a, *b])) * 4);
    }
    // Edits that raise the Argon2id cost only make runs slow (the caps are
    // tested by the vectors); stop after parsing those.
    match Header::read_from(&mut &bytes[..]) {
        Ok(header) if u64::from(header.kdf.m_kib) * u64::from(header.kdf.t) > 64 => return,
        _ => {}
    }
    let passphrase = Passphrase::new(PASSPHRASE);
    let unchanged = bytes == envelope();
    let streamed = open(&bytes, &passphrase);
    assert_eq!(streamed.is_ok(), unchanged, "{:?}", streamed.err());
    if let Ok(envelope) = Envelope::new(Cursor::new(&bytes)) {
        if let Ok(mut random) = envelope.unlock_random_access(&passphrase) {
            let attachments = random.manifest().attachments.len();
            let mut all_ok = random.read_text_body().is_ok() && random.read_html_body().is_ok();
            for i in 0..attachments {
                all_ok &= random.read_part_to_vec(PartKind::Attachment(i)).is_ok();
            }
            // Every byte is authenticated: reading all of it proves it unchanged.
            assert!(!all_ok || unchanged);
        }
    }
});
