//! The browser benchmark: the envelope page in headless Chromium and
//! Firefox, from `file://`, with the default Argon2id cost.
//!
//! ```text
//! cargo run --release -p end-to-end-tests --bin browser-bench [-- RUNS]
//! ```
//!
//! For 1, 10 and 18 MiB attachments it reports medians over RUNS (default
//! 5) of: the passphrase prompt ready after navigation (mark `ready`), the
//! Argon2id derivation (`kdf`), payload decryption and verification
//! (`decrypt`, and its throughput), submit to message shown (`open`), and
//! the download of the attachment (click to file complete on disk). Then the
//! same Argon2id in the same browser with `hash-wasm` (npm, installed under
//! `target/bench-npm` on first run), and the WASM AES-GCM fallback's
//! throughput on 18 MiB.
#![forbid(unsafe_code)]
// A failed unwrap is a failed benchmark run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use end_to_end_tests::webdriver::{Browser, Session};
use envelope_core::{Attachment, KdfParams, Message, Passphrase, SealOptions};
use fantoccini::Locator;
use serde_json::Value;

const PASSPHRASE: &str = "tulip-gravel-sonnet-ember-abacus-zoology";
const MIB: usize = 1024 * 1024;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

fn page(dir: &Path, size: usize) -> PathBuf {
    let data: Vec<u8> = (0..size)
        .map(|i| (i as u8).wrapping_mul(97) ^ (i >> 11) as u8)
        .collect();
    let message = Message::new()
        .subject(format!("{} MiB", size / MIB))
        .text_body("benchmark")
        .attach(Attachment::from_bytes(
            "data.bin",
            "application/octet-stream",
            data,
        ));
    let options = SealOptions::new()
        .kdf(KdfParams::DEFAULT)
        .passphrase(Passphrase::new(PASSPHRASE));
    let envelope = envelope_core::seal_to_vec(message, &options).unwrap();
    let html = sealer::render_page(&envelope, &sealer::PageOptions::default()).unwrap();
    let path = dir.join(format!("bench-{}.html", size / MIB));
    std::fs::write(&path, html).unwrap();
    path
}

async fn entry(session: &Session, name: &str, field: &str) -> f64 {
    let value: Value = session
        .js(&format!(
            "const e = performance.getEntriesByName('{name}'); return e.length ? e[e.length - 1].{field} : null"
        ))
        .await;
    value
        .as_f64()
        .unwrap_or_else(|| panic!("no performance entry {name}"))
}

async fn wait_for_file(dir: &Path, len: usize) -> Duration {
    let start = Instant::now();
    loop {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".crdownload")
                && !name.ends_with(".part")
                && std::fs::metadata(&path).is_ok_and(|m| m.len() as usize == len)
            {
                let elapsed = start.elapsed();
                // The browser may still be renaming it; then look again.
                if std::fs::remove_file(&path).is_ok() {
                    return elapsed;
                }
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "download did not finish"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn hash_wasm_script(root: &Path) -> String {
    let prefix = root.join("target/bench-npm");
    let file = prefix.join("node_modules/hash-wasm/dist/argon2.umd.min.js");
    if !file.exists() {
        let status = std::process::Command::new("npm")
            .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg("hash-wasm@4")
            .status()
            .expect("npm");
        assert!(status.success(), "npm install hash-wasm failed");
    }
    std::fs::read_to_string(file).unwrap()
}

async fn hash_wasm_kdf(session: &Session, dir: &Path, script: &str, runs: usize) -> f64 {
    let path = dir.join("hash-wasm.html");
    std::fs::write(
        &path,
        format!("<!DOCTYPE html><meta charset=utf-8><script>{script}</script>"),
    )
    .unwrap();
    session
        .client
        .goto(&format!("file://{}", path.display()))
        .await
        .unwrap();
    let mut times = Vec::new();
    for _ in 0..runs {
        let ms = session
            .client
            .execute_async(
                "const done = arguments[0]; const t = performance.now(); \
                 hashwasm.argon2id({ password: 'tulip-gravel-sonnet-ember-abacus-zoology', \
                   salt: new Uint8Array(16).fill(7), parallelism: 4, iterations: 3, \
                   memorySize: 65536, hashLength: 32, outputType: 'binary' }) \
                 .then(() => done(performance.now() - t), e => done(String(e)));",
                vec![],
            )
            .await
            .unwrap();
        times.push(ms.as_f64().unwrap_or_else(|| panic!("hash-wasm: {ms}")));
    }
    median(times)
}

async fn bench(browser: Browser, dir: &Path, runs: usize) {
    let session = Session::start(browser, dir).await;
    println!("\n### {browser:?} (medians of {runs} runs)\n");
    println!(
        "| attachment | prompt ready | kdf | decrypt | decrypt throughput | submit → shown | download |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    let mut kdf_all = Vec::new();
    for size in [MIB, 10 * MIB, 18 * MIB] {
        let path = page(dir, size);
        let (mut ready, mut kdf, mut decrypt, mut open, mut download) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            session.open_page(&path).await;
            ready.push(entry(&session, "ready", "startTime").await);
            session.submit(PASSPHRASE).await;
            assert!(
                session.shown("message").await,
                "{}",
                session.text("error").await
            );
            kdf.push(entry(&session, "kdf", "duration").await);
            decrypt.push(entry(&session, "decrypt", "duration").await);
            open.push(entry(&session, "open", "duration").await);
            session
                .client
                .find(Locator::Css("#m-attachments button"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            download.push(wait_for_file(&session.downloads, size).await.as_secs_f64() * 1000.0);
        }
        kdf_all.extend(kdf.iter().copied());
        let decrypt_ms = median(decrypt);
        println!(
            "| {} MiB | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} MB/s | {:.0} ms | {:.0} ms |",
            size / MIB,
            median(ready),
            median(kdf),
            decrypt_ms,
            size as f64 / 1e6 / (decrypt_ms / 1000.0),
            median(open),
            median(download),
        );
    }
    // The WASM AES-GCM fallback on 18 MiB.
    let path = page(dir, 18 * MIB);
    let mut wasm = Vec::new();
    for _ in 0..runs {
        session
            .client
            .goto(&format!("file://{}#wasm-aes", path.display()))
            .await
            .unwrap();
        session.client.refresh().await.unwrap();
        session
            .wait_for(
                "ready",
                "return !document.getElementById('open-button').disabled",
            )
            .await;
        session.submit(PASSPHRASE).await;
        assert_eq!(session.js("return document.body.dataset.aes").await, "wasm");
        wasm.push(entry(&session, "decrypt", "duration").await);
    }
    let wasm_ms = median(wasm);
    println!(
        "\nWASM AES-GCM fallback, 18 MiB: decrypt {wasm_ms:.0} ms ({:.0} MB/s).",
        18.0 * MIB as f64 / 1e6 / (wasm_ms / 1000.0)
    );
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let ours = median(kdf_all);
    let theirs = hash_wasm_kdf(&session, dir, &hash_wasm_script(&root), runs).await;
    println!(
        "Argon2id m=64 MiB, t=3, p=4: this page {ours:.0} ms, hash-wasm {theirs:.0} ms (ratio {:.2}).",
        ours / theirs
    );
    session.close().await;
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let dir = std::env::temp_dir().join(format!("browser-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for browser in [Browser::Chromium, Browser::Firefox] {
        bench(browser, &dir, runs).await;
    }
    let _ = std::fs::remove_dir_all(dir);
}
