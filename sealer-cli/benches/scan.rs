//! What scanning adds to `sealer wrap`'s work on the 5 MiB message (a
//! letter and a 3.7 MB PDF as base64): giving every part and the whole
//! message to a real `clamd` (started here on a Unix socket with the
//! tests' signature database, `tests/clamd.rs`), and running every content
//! rule over the message's text.
//!
//! `cargo bench -p sealer-cli --bench scan` (needs Debian's clamav-daemon
//! and clamav).

// A failed unwrap here is a failed benchmark, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../tests/clamd.rs"]
#[allow(unreachable_pub, dead_code)]
mod clamd;
mod common;

use std::time::Duration;

use common::{MIB, message};
use criterion::{Criterion, criterion_group, criterion_main};
use sealer::content::ContentPolicy;
use sealer::scan::{ClamdAddress, Outcome, Scanner, mail_parts};
use sealer::wrap::read_mail;

fn scan_5_mib(c: &mut Criterion) {
    let raw = message(5 * MIB);
    let incoming = read_mail(&raw).unwrap();
    let dir = std::env::temp_dir().join(format!("sealer-bench-clamd-{}", std::process::id()));
    let clamd = clamd::TestClamd::start(&dir);
    let scanner = Scanner::new(
        ClamdAddress::Unix(clamd.socket.clone()),
        Duration::from_secs(60),
        false,
    );
    let rules = toml::from_str::<ContentPolicy>("detectors = [\"all\"]\nkeywords = [\"oncology\"]")
        .unwrap()
        .rules()
        .unwrap();
    let mut group = c.benchmark_group("scan-5MiB");
    group.sample_size(10);
    group.bench_function("clamd-every-part-and-the-whole", |b| {
        b.iter(|| {
            let outcome = scanner.scan(mail_parts(&raw, &incoming.message)).unwrap();
            assert!(matches!(outcome, Outcome::Sealable(_)));
        })
    });
    group.bench_function("content-rules", |b| {
        b.iter(|| rules.check(&incoming.subject, &incoming.message))
    });
    group.finish();
    drop(clamd);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, scan_5_mib);
criterion_main!(benches);
