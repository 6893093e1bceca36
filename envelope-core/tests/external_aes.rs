//! The path of an opener that runs AES-GCM itself (the browser page hands it
//! to WebCrypto): unlock to the raw payload key, decrypt each chunk with an
//! independent AES-256-GCM implementation and `chunk_nonce`, and assemble
//! the content with `ContentLayout`. It must give what `open` gives.

// A failed unwrap here is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use envelope_core::{
    Attachment, Attempts, ContentLayout, ENCRYPTED_CHUNK_SIZE, Envelope, ErrorKind, KdfParams,
    Message, Passphrase, PassphraseKey, PayloadKey, PayloadLayout, SealOptions, chunk_nonce, open,
    seal_to_vec,
};
use sha2::{Digest, Sha256};

fn sealed() -> Vec<u8> {
    let message = Message::new()
        .subject("external")
        .text_body("text")
        .html_body("<b>html</b>")
        .attach(Attachment::from_bytes(
            "big.bin",
            "application/octet-stream",
            vec![3u8; 150_000],
        ))
        .attach(Attachment::from_bytes("empty", "text/plain", Vec::new()));
    let options = SealOptions::new()
        .kdf(KdfParams::MIN)
        .passphrase(Passphrase::new("pw"));
    seal_to_vec(message, &options).unwrap()
}

/// Decrypts every chunk with RustCrypto's aes-gcm under the exported key.
fn decrypt_externally(bytes: &[u8], key: &PayloadKey, header_len: usize) -> Vec<u8> {
    let aes = Aes256Gcm::new(key.expose_bytes().into());
    let payload = &bytes[header_len..];
    let layout = PayloadLayout::from_encrypted_len(payload.len() as u64).unwrap();
    let mut content = Vec::new();
    for (i, chunk) in payload.chunks(ENCRYPTED_CHUNK_SIZE).enumerate() {
        let last = i as u64 + 1 == layout.chunks;
        let nonce = chunk_nonce(i as u64, last);
        let plain = aes
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: chunk,
                    aad: &[],
                },
            )
            .expect("chunk authenticates");
        content.extend_from_slice(&plain);
    }
    assert_eq!(content.len() as u64, layout.plaintext_len());
    content
}

#[test]
fn an_external_aes_gcm_and_the_layout_give_what_open_gives() {
    let bytes = sealed();
    let envelope = Envelope::new(&bytes[..]).unwrap();
    let header = envelope.header().clone();
    let key = PayloadKey::unlock(&header, &Passphrase::new("pw")).unwrap();
    let content = decrypt_externally(&bytes, &key, header.len());

    let manifest_len = ContentLayout::manifest_len(content[..4].try_into().unwrap()).unwrap();
    let layout =
        ContentLayout::new(content.len() as u64, &content[4..4 + manifest_len], &header).unwrap();
    let (t_start, t_len) = layout.trailer_range();
    let digests = layout
        .parse_trailer(&content[t_start as usize..(t_start + t_len) as usize])
        .unwrap();
    let opened = open(&bytes, &Passphrase::new("pw")).unwrap();
    assert_eq!(layout.manifest(), &opened.manifest);
    let mut parts = Vec::new();
    for &(kind, start, len) in layout.parts() {
        let part = &content[start as usize..(start + len) as usize];
        digests.check(kind, &Sha256::digest(part).into()).unwrap();
        parts.push(part.to_vec());
    }
    assert_eq!(parts[0], opened.text_body.as_bytes());
    assert_eq!(parts[1], opened.html_body.unwrap().as_bytes());
    assert_eq!(parts[2..], opened.attachments[..]);
    // A wrong digest is caught.
    let kind = layout.parts()[2].0;
    assert_eq!(
        digests.check(kind, &[0u8; 32]).unwrap_err().kind(),
        ErrorKind::Damaged
    );
}

#[test]
fn the_last_chunk_flag_is_what_the_nonce_says() {
    let bytes = sealed();
    let header = Envelope::new(&bytes[..]).unwrap().header().clone();
    let key = PayloadKey::unlock(&header, &Passphrase::new("pw")).unwrap();
    let aes = Aes256Gcm::new(key.expose_bytes().into());
    let first = &bytes[header.len()..header.len() + ENCRYPTED_CHUNK_SIZE];
    let as_last = aes.decrypt(&Nonce::from(chunk_nonce(0, true)), first);
    assert!(as_last.is_err(), "a non-final chunk must not open as final");
    assert!(
        aes.decrypt(&Nonce::from(chunk_nonce(0, false)), first)
            .is_ok()
    );
    assert_eq!(
        PayloadKey::unlock(&header, &Passphrase::new("nope"))
            .unwrap_err()
            .kind(),
        ErrorKind::WrongPassphrase
    );
}

/// The page derives the passphrase key in a Worker and hands its bytes back:
/// unlocking with those bytes must be the same as unlocking with the
/// passphrase, and a key for another passphrase must fail the same way.
#[test]
fn a_passphrase_key_derived_elsewhere_unlocks_like_the_passphrase() {
    let bytes = sealed();
    let header = Envelope::new(&bytes[..]).unwrap().header().clone();
    let plan = Attempts::plan(&header, &Passphrase::new("pw")).unwrap();
    let attempt = plan.iter().next().unwrap();
    let derived = PassphraseKey::derive(&header.kdf, attempt.passphrase(), &header.salt).unwrap();
    let carried = PassphraseKey::from_bytes(*derived.expose_bytes());
    let key = PayloadKey::unlock_with(&header, attempt, &carried).unwrap();
    let direct = PayloadKey::unlock(&header, &Passphrase::new("pw")).unwrap();
    assert_eq!(key.expose_bytes(), direct.expose_bytes());
    assert_eq!(format!("{carried:?}"), "PassphraseKey(<redacted>)");

    let wrong = PassphraseKey::derive(&header.kdf, &Passphrase::new("nope"), &header.salt).unwrap();
    assert_eq!(
        PayloadKey::unlock_with(&header, attempt, &wrong)
            .unwrap_err()
            .kind(),
        ErrorKind::WrongPassphrase
    );
    let too_costly = KdfParams {
        m_kib: 1 << 30,
        t: 1,
        p: 1,
    };
    assert_eq!(
        PassphraseKey::derive(&too_costly, &Passphrase::new("pw"), &header.salt)
            .unwrap_err()
            .kind(),
        ErrorKind::LimitExceeded
    );
}
