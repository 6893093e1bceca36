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

use criterion::{Criterion, criterion_group, criterion_main};
use envelope_core::{KdfParams, Passphrase, SealOptions};
use sealer::PageOptions;
use sealer::wrap::{read_mail, seal_mail};

mod common;

use common::{MIB, message};

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
