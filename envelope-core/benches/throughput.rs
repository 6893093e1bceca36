//! Seal and open throughput, with the key derivation excluded (the cheapest
//! Argon2id the format allows, a few microseconds) and included (the
//! defaults), for 1, 16 and 256 MiB attachments.
//!
//! `cargo bench -p envelope-core --bench throughput`

// A failed unwrap here is a failed test or benchmark, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{self, Read};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use envelope_core::{Attachment, Envelope, KdfParams, Message, Passphrase, SealOptions, seal};

const MIB: u64 = 1024 * 1024;

fn message(size: u64) -> Message {
    Message::new()
        .subject("benchmark")
        .attach(Attachment::from_reader(
            "data.bin",
            "application/octet-stream",
            size,
            io::repeat(0x5a).take(size),
        ))
}

fn options(kdf: KdfParams) -> SealOptions {
    SealOptions::new()
        .kdf(kdf)
        .passphrase(Passphrase::new("benchmark passphrase"))
}

fn open_to_sink(bytes: &[u8], passphrase: &Passphrase) {
    let mut content = Envelope::new(bytes).unwrap().unlock(passphrase).unwrap();
    while let Some(mut part) = content.next_part().unwrap() {
        part.copy_to(&mut io::sink()).unwrap();
    }
    content.finish().unwrap();
}

fn throughput(c: &mut Criterion) {
    let passphrase = Passphrase::new("benchmark passphrase");
    for (label, kdf) in [
        ("kdf-excluded", KdfParams::MIN),
        ("kdf-included", KdfParams::DEFAULT),
    ] {
        let mut group = c.benchmark_group(label);
        group.sample_size(10);
        for size in [MIB, 16 * MIB, 256 * MIB] {
            group.throughput(Throughput::Bytes(size));
            let id = format!("{} MiB", size / MIB);
            group.bench_with_input(BenchmarkId::new("seal", &id), &size, |b, &size| {
                b.iter(|| seal(message(size), &options(kdf), io::sink()).unwrap())
            });
            let sealed = seal(message(size), &options(kdf), Vec::new()).unwrap();
            group.bench_with_input(BenchmarkId::new("open", &id), &sealed, |b, sealed| {
                b.iter(|| open_to_sink(sealed, &passphrase))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, throughput);
criterion_main!(benches);
