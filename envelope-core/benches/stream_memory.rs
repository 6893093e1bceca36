//! Peak resident memory while streaming a 1 GiB attachment through seal and
//! open (to and from a temporary file), read from the kernel's high-water
//! mark (`VmHWM` in /proc/self/status; Linux only).
//!
//! `cargo bench -p envelope-core --bench stream_memory`

// A failed unwrap here is a failed test or benchmark, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read};
use std::time::Instant;

use envelope_core::{Attachment, Envelope, KdfParams, Message, Passphrase, SealOptions, seal};

const GIB: u64 = 1024 * 1024 * 1024;

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes `--bench`; ignore arguments.
    let path = std::env::temp_dir().join(format!("stream-memory-{}.env", std::process::id()));
    let passphrase = Passphrase::new("benchmark passphrase");
    // The default Argon2id cost: its 64 MiB are part of the peak.
    let options = SealOptions::new()
        .kdf(KdfParams::DEFAULT)
        .passphrase(passphrase.clone());
    let message = Message::new()
        .subject("1 GiB")
        .attach(Attachment::from_reader(
            "big.bin",
            "application/octet-stream",
            GIB,
            io::repeat(0xa5).take(GIB),
        ));
    let start = Instant::now();
    let file = BufWriter::new(File::create(&path)?);
    seal(message, &options, file)?
        .into_inner()
        .map_err(|e| e.into_error())?
        .sync_all()?;
    let sealed_in = start.elapsed();
    let after_seal = peak_rss_mib();

    let start = Instant::now();
    let mut content = Envelope::new(BufReader::new(File::open(&path)?))?.unlock(&passphrase)?;
    let mut total = 0u64;
    while let Some(mut part) = content.next_part()? {
        total += part.copy_to(&mut io::sink())?;
    }
    content.finish()?;
    let opened_in = start.elapsed();
    std::fs::remove_file(&path)?;
    assert_eq!(total, GIB, "the attachment (the text body is empty)");
    println!(
        "1 GiB: seal {:.2} s, open {:.2} s; peak RSS after seal {:.1} MiB, after open {:.1} MiB",
        sealed_in.as_secs_f64(),
        opened_in.as_secs_f64(),
        after_seal.unwrap_or(f64::NAN),
        peak_rss_mib().unwrap_or(f64::NAN),
    );
    Ok(())
}
