//! The browser benchmark: the envelope page in headless Chromium, headless
//! Firefox and WebKitGTK's MiniBrowser (on Xvfb), from `file://`, with the
//! default Argon2id cost.
//!
//! ```text
//! cargo run --release -p end-to-end-tests --bin browser-bench [-- RUNS]
//! cargo run --release -p end-to-end-tests --bin browser-bench -- reply [RUNS]
//! cargo run --release -p end-to-end-tests --bin browser-bench -- compare [RUNS]
//! cargo run --release -p end-to-end-tests --bin browser-bench -- phone [RUNS]
//! ```
//!
//! `compare` and `phone`: see [`compare`] (side by side with PageCrypt and
//! StatiCrypt; Chromium's phone emulation with the CPU slowed 4× and 6×).
//!
//! With `reply`: sealing a secure reply in the page, a 5 MiB and a 20 MiB
//! file dropped on the reply form, medians over RUNS (default 5) of the
//! page's measures `reply-read` (the file read), `reply-seal` (sealed in
//! WebAssembly), `reply-page` (the reply page made and offered) and `reply`
//! ("Seal reply" to the sealed reply offered).
//!
//! For 1, 10 and 18 MiB attachments (submitted 1 s after the prompt is
//! ready, as a recipient types) it reports medians over RUNS (default
//! 5) of: the passphrase prompt ready after navigation (mark `ready`), the
//! Argon2id derivation (`kdf`), the payload's base64 decoding and AES-GCM
//! decryption, chunk by chunk (`decrypt`, and its throughput), the digest check
//! (`verify`), submit to message shown (`open`), the download of the
//! attachment (click to file complete on disk; in WebKit, whose MiniBrowser
//! saves no download under WebDriver, click to the Blob handed to the
//! browser, a lower bound); and once each in a fresh
//! browser, the prompt ready on a cold start and the tab's peak resident
//! memory (Linux `VmHWM` of the browser's tab process, WebKit's web
//! process, reset after the page
//! loads; the Worker's Argon2id memory counts, it runs in that process).
//! Then: the page's decoding and decryption loop written in JavaScript
//! alone on the 18 MiB page's blocks (what `decrypt` could reach with no
//! WebAssembly in the loop), WebCrypto AES-GCM alone on chunks of the same
//! size, the WASM AES-GCM fallback on 18 MiB, and Argon2id run
//! alternately by this decryptor and by `hash-wasm` (npm, installed under
//! `target/bench-npm` on first run) on one page.
#![forbid(unsafe_code)]
// A failed unwrap is a failed benchmark run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use end_to_end_tests::webdriver::{Browser, Session};
use envelope_core::{Attachment, KdfParams, Message, Passphrase, SealOptions};
use serde_json::Value;

mod compare;

const PASSPHRASE: &str = "tulip-gravel-sonnet-ember-abacus-zoology";
const MIB: usize = 1024 * 1024;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

/// The benchmark's file: `size` pseudo-random bytes.
fn payload(size: usize) -> Vec<u8> {
    (0..size)
        .map(|i| (i as u8).wrapping_mul(97) ^ (i >> 11) as u8)
        .collect()
}

fn page(dir: &Path, size: usize) -> PathBuf {
    let data = payload(size);
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

/// Argon2id with the default cost, run alternately by this page's decryptor
/// (`openEnvelope` on a tiny envelope: the derivation is all of its time)
/// and by `hash-wasm` on one page, so both see the same machine load.
/// Returns the medians (ours, hash-wasm) in ms.
async fn argon2_side_by_side(session: &Session, dir: &Path, runs: usize) -> (f64, f64) {
    use base64::Engine;
    let base64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let message = Message::new().subject("kdf").text_body("kdf");
    let options = SealOptions::new()
        .kdf(KdfParams::DEFAULT)
        .passphrase(Passphrase::new(PASSPHRASE));
    let envelope = envelope_core::seal_to_vec(message, &options).unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = dir.join("argon2.html");
    std::fs::write(
        &path,
        format!(
            "<!DOCTYPE html><meta charset=utf-8><script>{}</script><script>{}</script><script>\
             const wasm = Uint8Array.fromBase64('{}'); window.envelope = Uint8Array.fromBase64('{}');\
             const done = () => {{ window.decryptor = wasm_bindgen; }};\
             wasm_bindgen({{ module_or_path: wasm }}).then(done, done);</script>",
            sealer::DECRYPTOR_JS,
            hash_wasm_script(&root),
            base64(sealer::DECRYPTOR_WASM),
            base64(&envelope),
        ),
    )
    .unwrap();
    session
        .client
        .goto(&format!("file://{}", path.display()))
        .await
        .unwrap();
    // (The decryptor's page code finds no form here and stops; the exported
    // function is ready all the same.)
    session
        .wait_for("the decryptor", "return !!window.decryptor")
        .await;
    let times = session
        .client
        .execute_async(
            &format!(
                "const done = arguments[0]; (async () => {{ const ours = [], theirs = [];\
                 for (let i = 0; i < {runs}; i++) {{\
                   let t = performance.now();\
                   const summary = await window.decryptor.openEnvelope(window.envelope, '{PASSPHRASE}', false);\
                   ours.push(performance.now() - t);\
                   if (!summary.includes('\"success\"')) throw new Error(summary);\
                   t = performance.now();\
                   await hashwasm.argon2id({{ password: '{PASSPHRASE}', salt: new Uint8Array(16).fill(7),\
                     parallelism: 4, iterations: 3, memorySize: 65536, hashLength: 32, outputType: 'binary' }});\
                   theirs.push(performance.now() - t);\
                 }} return [ours, theirs]; }})().then(done, e => done(String(e)));"
            ),
            vec![],
        )
        .await
        .unwrap();
    let column = |i: usize| -> Vec<f64> {
        times[i]
            .as_array()
            .unwrap_or_else(|| panic!("Argon2 comparison failed: {times}"))
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    (median(column(0)), median(column(1)))
}

/// WebCrypto AES-256-GCM alone, in this browser: the payload's chunks
/// (64 KiB, all submitted at once) of `size` bytes, with no page around it.
/// The ceiling for AES-GCM itself, with no decoding. Returns the median in ms.
async fn bare_webcrypto(session: &Session, size: usize, runs: usize) -> f64 {
    let setup = format!(
        "const key = await crypto.subtle.importKey('raw', new Uint8Array(32).fill(1), 'AES-GCM', false, ['encrypt', 'decrypt']);\
         const chunks = [];\
         for (let at = 0, i = 0; at < {size}; at += 65536, i++) {{\
           const iv = new Uint8Array(12); new DataView(iv.buffer).setUint32(0, i);\
           const plain = new Uint8Array(Math.min(65536, {size} - at)).fill(i & 255);\
           chunks.push([iv, await crypto.subtle.encrypt({{ name: 'AES-GCM', iv }}, key, plain)]);\
         }}"
    );
    let run = "await Promise.all(chunks.map(([iv, c]) => crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, c)));";
    median_in_page(session, "bare WebCrypto", &setup, run, runs).await
}

/// The page's own loop written in JavaScript alone, on the page open in
/// `session` (an envelope): each block's text read from the page, decoded
/// by `Uint8Array.fromBase64` (strict), decrypted by WebCrypto with 32 in
/// flight and put in order into one array, as the decryptor does. Its
/// chunks are decoded once beforehand and encrypted again under a
/// benchmark key of the same length, so each decryption succeeds. What
/// `decrypt` could reach with no WebAssembly in the loop, the decoding and
/// the one plaintext included. Returns the median in ms.
async fn page_loop_in_javascript(session: &Session, runs: usize) -> f64 {
    let setup = "const blocks = Array.from(document.querySelectorAll('.envelope-chunk'));\
         const decode = (text) => Uint8Array.fromBase64(text, { lastChunkHandling: 'strict' });\
         const key = await crypto.subtle.importKey('raw', new Uint8Array(32).fill(1), 'AES-GCM', false, ['encrypt', 'decrypt']);\
         const chunks = [];\
         for (let i = 0; i < blocks.length; i++) {\
           const iv = new Uint8Array(12); new DataView(iv.buffer).setUint32(0, i);\
           const plain = decode(blocks[i].textContent).subarray(16);\
           chunks.push([iv, await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain)]);\
         }\
         const length = chunks.reduce((n, [, c]) => n + c.byteLength - 16, 0);";
    let run = "const content = new Uint8Array(length); const pending = []; let at = 0;\
         for (let i = 0; i < blocks.length; i++) {\
           decode(blocks[i].textContent);\
           pending.push(crypto.subtle.decrypt({ name: 'AES-GCM', iv: chunks[i][0] }, key, chunks[i][1]));\
           while (pending.length >= 32 || (i + 1 === blocks.length && pending.length > 0)) {\
             const plain = new Uint8Array(await pending.shift()); content.set(plain, at); at += plain.length;\
           }\
         }";
    median_in_page(session, "the loop in JavaScript", setup, run, runs).await
}

/// Runs `setup` once and then times `run` `runs` times in the page, both
/// in one async function (so `run` sees what `setup` declared and its
/// `await`s are timed); returns the median in ms. `what` names the
/// measure if the script fails.
async fn median_in_page(session: &Session, what: &str, setup: &str, run: &str, runs: usize) -> f64 {
    let script = format!(
        "const done = arguments[0]; (async () => {{ {setup}\
         const times = [];\
         for (let r = 0; r < {runs}; r++) {{\
           const t = performance.now(); {run} times.push(performance.now() - t);\
         }}\
         times.sort((a, b) => a - b); return times[times.length >> 1];\
         }})().then(done, e => done(String(e)));"
    );
    let value = session.client.execute_async(&script, vec![]).await.unwrap();
    value
        .as_f64()
        .unwrap_or_else(|| panic!("{what} failed: {value}"))
}

/// Clicks the attachment's download button and returns how long the
/// download took, in ms: to the file complete on disk, or in WebKit (which
/// saves no download under WebDriver) to the Blob handed to the browser.
async fn download_ms(session: &Session, size: usize) -> f64 {
    if !matches!(session.browser, Browser::WebKit) {
        session.click("#m-attachments button").await;
        return wait_for_file(&session.downloads, size).await.as_secs_f64() * 1000.0;
    }
    let script = "const done = arguments[0]; const original = URL.createObjectURL; \
        let start; URL.createObjectURL = function (blob) { URL.createObjectURL = original; \
          const url = original.call(URL, blob); done([blob.size, performance.now() - start]); \
          return url; }; \
        start = performance.now(); document.querySelector('#m-attachments button').click();";
    let got = session.client.execute_async(script, vec![]).await.unwrap();
    assert_eq!(got[0].as_u64(), Some(size as u64), "{got}");
    got[1].as_f64().unwrap()
}

/// In a fresh browser (so nothing of earlier pages counts and nothing is
/// warm): the prompt ready after navigation (ms), and the tab's peak
/// resident memory (bytes) while the page decrypts and the attachment
/// downloads.
async fn fresh_browser(browser: Browser, dir: &Path, page: &Path, size: usize) -> (f64, u64) {
    let session = Session::start(browser, dir).await;
    session.open_page(page).await;
    let ready = entry(&session, "ready", "startTime").await;
    typing().await;
    session.reset_tab_peaks();
    session.submit(PASSPHRASE).await;
    download_ms(&session, size).await;
    let peak = session.tab_peak_bytes();
    session.close().await;
    (ready, peak)
}

/// The pause between the prompt being ready and submit. A recipient takes
/// seconds to type six words; meanwhile the page's Worker compiles its
/// module and warms it up, which a submit at once would race.
async fn typing() {
    tokio::time::sleep(Duration::from_secs(1)).await;
}

fn mb_per_s(bytes: usize, ms: f64) -> f64 {
    bytes as f64 / 1e6 / (ms / 1000.0)
}

async fn bench(browser: Browser, dir: &Path, runs: usize) {
    let session = Session::start(browser, dir).await;
    println!("\n### {browser:?} (medians of {runs} runs)\n");
    let sizes = [MIB, 10 * MIB, 18 * MIB];
    let mut rows = Vec::new();
    for size in sizes {
        let path = page(dir, size);
        let mut columns: [Vec<f64>; 6] = Default::default();
        for _ in 0..runs {
            session.open_page(&path).await;
            columns[0].push(entry(&session, "ready", "startTime").await);
            typing().await;
            session.submit(PASSPHRASE).await;
            assert!(
                session.shown("message").await,
                "{}",
                session.text("error").await
            );
            for (column, name) in columns[1..5]
                .iter_mut()
                .zip(["kdf", "decrypt", "verify", "open"])
            {
                column.push(entry(&session, name, "duration").await);
            }
            columns[5].push(download_ms(&session, size).await);
        }
        rows.push(columns.map(median));
    }
    // The session is on the 18 MiB page, opened.
    let in_javascript = page_loop_in_javascript(&session, runs).await;
    let bare = bare_webcrypto(&session, 18 * MIB, runs).await;
    println!(
        "WebCrypto AES-GCM alone, 18 MiB in 64 KiB chunks: {bare:.0} ms ({:.0} MB/s).",
        mb_per_s(18 * MIB, bare)
    );
    println!(
        "The page's loop in JavaScript alone (the 18 MiB page's blocks read, decoded, decrypted, put in one array): {in_javascript:.0} ms ({:.0} MB/s, {:.2} of WebCrypto alone).",
        mb_per_s(18 * MIB, in_javascript),
        bare / in_javascript
    );
    // The WASM AES-GCM fallback on 18 MiB.
    let path = page(dir, 18 * MIB);
    let mut wasm = Vec::new();
    for _ in 0..runs {
        session.open_page_at(&path, "wasm-aes").await;
        session.submit(PASSPHRASE).await;
        assert_eq!(session.js("return document.body.dataset.aes").await, "wasm");
        wasm.push(entry(&session, "decrypt", "duration").await);
    }
    let wasm_ms = median(wasm);
    println!(
        "WASM AES-GCM fallback, 18 MiB: decrypt {wasm_ms:.0} ms ({:.0} MB/s).",
        mb_per_s(18 * MIB, wasm_ms)
    );
    let (ours, theirs) = argon2_side_by_side(&session, dir, (3 * runs).max(15)).await;
    println!(
        "Argon2id m=64 MiB, t=3, p=4, alternating on one page: this decryptor {ours:.0} ms, hash-wasm {theirs:.0} ms (ratio {:.2}).\n",
        ours / theirs
    );
    session.close().await;

    // Fresh browsers last: one closing down slows whatever runs beside it.
    println!(
        "| attachment | prompt ready (fresh browser) | kdf | decode + decrypt | verify | submit → shown | download | tab peak memory (fresh browser) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (size, row) in sizes.into_iter().zip(rows) {
        let (fresh_ready, peak) = fresh_browser(browser, dir, &page(dir, size), size).await;
        let [ready, kdf, decrypt, verify, open, download] = row;
        println!(
            "| {} MiB | {ready:.0} ms ({fresh_ready:.0} ms) | {kdf:.0} ms | {decrypt:.0} ms ({:.0} MB/s) | {verify:.0} ms | {open:.0} ms (kdf + {:.0}) | {download:.0} ms | {:.0} MiB |",
            size / MIB,
            mb_per_s(size, decrypt),
            open - kdf,
            peak as f64 / MIB as f64,
        );
    }
}

/// A page that asks for secure replies, up to 100 MB.
fn reply_page(dir: &Path) -> PathBuf {
    let key = envelope_core::Identity::generate().unwrap().recipient();
    let options = SealOptions::new()
        .kdf(KdfParams::DEFAULT)
        .passphrase(Passphrase::new(PASSPHRASE))
        .request_reply("replies@clinic.example", key);
    let message = Message::new()
        .subject("Please answer")
        .text_body("benchmark");
    let envelope = envelope_core::seal_to_vec(message, &options).unwrap();
    let look = sealer::PageOptions {
        replies: true,
        reply_limit: Some(100_000_000),
        ..sealer::PageOptions::default()
    };
    let html = sealer::render_page(&envelope, &look).unwrap();
    let path = dir.join("bench-reply.html");
    std::fs::write(&path, html).unwrap();
    path
}

/// Sealing a reply with one file of 5 and of 20 MiB, in `browser`.
async fn reply_bench(browser: Browser, dir: &Path, runs: usize) {
    let session = Session::start(browser, dir).await;
    let path = reply_page(dir);
    println!("\n### {browser:?}: sealing a reply (medians of {runs} runs)\n");
    println!("| file | read | seal (WebAssembly) | page made and offered | Seal reply → offered |");
    println!("|---:|---:|---:|---:|---:|");
    for size in [5 * MIB, 20 * MIB] {
        let mut columns: [Vec<f64>; 4] = Default::default();
        for _ in 0..runs {
            session.open_page(&path).await;
            session.submit(PASSPHRASE).await;
            session.click("#m-reply-start").await;
            session
                .js(&format!(
                    "const bytes = new Uint8Array({size}); \
                     for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 97) ^ (i >> 11); \
                     const transfer = new DataTransfer(); \
                     transfer.items.add(new File([bytes], 'data.bin')); \
                     document.getElementById('m-reply-form').dispatchEvent(new DragEvent('drop', \
                       {{ dataTransfer: transfer, bubbles: true, cancelable: true }})); \
                     return true"
                ))
                .await;
            session.click("#m-reply-seal").await;
            session
                .wait_for(
                    "the reply to be sealed",
                    "const d = document.getElementById('m-reply-done'); return d !== null && !d.hidden",
                )
                .await;
            for (column, name) in
                columns
                    .iter_mut()
                    .zip(["reply-read", "reply-seal", "reply-page", "reply"])
            {
                column.push(entry(&session, name, "duration").await);
            }
        }
        let [read, seal, made, all] = columns.map(median);
        println!(
            "| {} MiB | {read:.0} ms | {seal:.0} ms ({:.0} MB/s) | {made:.0} ms | {all:.0} ms |",
            size / MIB,
            mb_per_s(size, seal)
        );
    }
    session.close().await;
}

/// The engines to run: all three, or those `BENCH_BROWSERS` names
/// (`chromium,firefox,webkit`).
fn browsers() -> Vec<Browser> {
    let all = [Browser::Chromium, Browser::Firefox, Browser::WebKit];
    match std::env::var("BENCH_BROWSERS") {
        Ok(names) => all
            .into_iter()
            .filter(|b| {
                names
                    .to_lowercase()
                    .contains(&format!("{b:?}").to_lowercase())
            })
            .collect(),
        Err(_) => all.to_vec(),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mode = match args.first().map(String::as_str) {
        Some(mode @ ("reply" | "compare" | "phone")) => {
            let mode = mode.to_owned();
            args.remove(0);
            mode
        }
        _ => "page".to_owned(),
    };
    let runs: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(5);
    let dir = std::env::temp_dir().join(format!("browser-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    match mode.as_str() {
        "compare" => compare::compare(&root, &dir, runs).await,
        "phone" => compare::phone(&dir, runs).await,
        _ => {
            for browser in browsers() {
                if mode == "reply" {
                    reply_bench(browser, &dir, runs).await;
                } else {
                    bench(browser, &dir, runs).await;
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}
