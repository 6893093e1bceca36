//! `sealer wrap`'s work on a 5 MiB message (a letter and a 3.7 MB PDF, as
//! base64, the way mail carries it): reading the MIME message, sealing it,
//! rendering the page and writing the outgoing message. Once with the
//! default Argon2id (what the gateway does), once with the cheapest one
//! the format allows (a few microseconds): the difference is the share of
//! the key derivation, the rest is everything else (target: ≤ 100 ms).
//!
//! `cargo bench -p sealer-cli --bench wrap`

// A failed unwrap here is a failed benchmark, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine;
use criterion::{Criterion, criterion_group, criterion_main};
use envelope_core::{KdfParams, Passphrase, SealOptions};
use sealer::PageOptions;
use sealer::wrap::{read_mail, seal_mail};

const MIB: usize = 1024 * 1024;

/// A multipart message of `size` bytes: a short letter and one PDF-like
/// attachment of pseudo-random bytes (which do not compress), base64 in
/// 76-character lines.
fn message(size: usize) -> Vec<u8> {
    let head = "From: Dr A. Weber <a.weber@clinic.example>\r\nTo: alex@example.org\r\n\
                Subject: [secure] Your scan\r\nDate: Mon, 23 Nov 2026 10:00:00 +0100\r\n\
                Message-ID: <bench@clinic.example>\r\nMIME-Version: 1.0\r\n\
                Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
                Content-Type: text/plain; charset=utf-8\r\n\r\nDear Alex,\r\nyour scan.\r\n\
                --b\r\nContent-Type: application/pdf\r\n\
                Content-Disposition: attachment; filename=\"scan.pdf\"\r\n\
                Content-Transfer-Encoding: base64\r\n\r\n";
    let tail = "--b--\r\n";
    // 57 bytes make one 76-character line and its CRLF: 78 bytes.
    let lines = (size - head.len() - tail.len()) / 78;
    let mut state = 0x2545_f491_u32;
    let pdf: Vec<u8> = (0..lines * 57)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    let mut raw = head.as_bytes().to_vec();
    for chunk in pdf.chunks(57) {
        raw.extend_from_slice(
            base64::engine::general_purpose::STANDARD
                .encode(chunk)
                .as_bytes(),
        );
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(tail.as_bytes());
    raw
}

fn wrap(raw: &[u8], kdf: KdfParams) -> usize {
    let incoming = read_mail(raw).unwrap();
    let options = SealOptions::new()
        .kdf(kdf)
        .passphrase(Passphrase::new("bench-mark-pass-phrase-six-words"));
    seal_mail(
        incoming,
        raw,
        "Secure message",
        &options,
        &PageOptions::default(),
    )
    .unwrap()
    .email
    .len()
}

fn wrap_5_mib(c: &mut Criterion) {
    let raw = message(5 * MIB);
    assert!(raw.len() > 5 * MIB - 100 && raw.len() <= 5 * MIB);
    let mut group = c.benchmark_group("wrap-5MiB");
    group.sample_size(10);
    group.bench_function("default-argon2id", |b| {
        b.iter(|| wrap(&raw, KdfParams::DEFAULT))
    });
    group.bench_function("cheapest-argon2id", |b| {
        b.iter(|| wrap(&raw, KdfParams::MIN))
    });
    group.finish();
}

criterion_group!(benches, wrap_5_mib);
criterion_main!(benches);
