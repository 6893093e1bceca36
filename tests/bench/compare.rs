//! Side by side with the self-decrypting HTML tools (`browser-bench --
//! compare [RUNS]`), and on phone-class devices (`browser-bench -- phone
//! [RUNS]`).
//!
//! **compare**: one payload (a file of 1, 10 and 25 MiB of pseudo-random
//! bytes) sealed by this sealer (as an attachment, default Argon2id), by
//! PageCrypt 7.1.0 and by StatiCrypt 3.5.4 (npm, pinned, installed under
//! `target/bench-npm`; both encrypt an HTML page, so theirs is a page that
//! carries the file as a `data:` download link), each opened the same way:
//! a fresh browser per open, `file://`, WebDriver's page-load strategy
//! `none` (nothing waits for the load event), the passphrase typed as soon
//! as the prompt is usable ("at once") or a second later ("after 1 s"),
//! the content shown when the file's download link or button is in the
//! page. Times are from navigation start (`performance.now()` in the page):
//! **prompt** (the field usable: our `ready`, their form shown and script
//! run), **content** (the file offered); and the tab's peak resident memory
//! over the whole open (fresh browser, nothing reset). The three tools
//! alternate within each run, so that all see the same machine load.
//!
//! **phone**: Chromium's mobile emulation (a 390 × 844 touch screen at 3×)
//! with the CPU slowed 4× and 6× through DevTools
//! (`Emulation.setCPUThrottlingRate`), our page at 1, 10 and 25 MiB, typed at
//! once: prompt ready, the key derivation (`kdf`), and submit → shown
//! (`open`), and what the status line said on the way.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use end_to_end_tests::webdriver::{Browser, Session};
use fantoccini::Locator;
use serde_json::{Value, json};

use crate::{MIB, PASSPHRASE, median, page};

const PAGECRYPT: &str = "pagecrypt@7.1.0";
const STATICRYPT: &str = "staticrypt@3.5.4";
const SIZES: [usize; 3] = [MIB, 10 * MIB, 25 * MIB];

/// The payload sizes to run: 1, 10 and 25 MiB, or those `BENCH_SIZES`
/// names in MiB (`BENCH_SIZES=1` for the small message alone).
fn sizes() -> Vec<usize> {
    match std::env::var("BENCH_SIZES") {
        Ok(names) => SIZES
            .into_iter()
            .filter(|size| {
                names
                    .split(',')
                    .any(|n| n.trim() == (size / MIB).to_string())
            })
            .collect(),
        Err(_) => SIZES.to_vec(),
    }
}

/// A self-decrypting HTML tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tool {
    Sealer,
    PageCrypt,
    StatiCrypt,
}

impl Tool {
    const ALL: [Tool; 3] = [Tool::Sealer, Tool::PageCrypt, Tool::StatiCrypt];

    /// True once the passphrase field can be typed into and submitted.
    fn prompt_ready(self) -> &'static str {
        match self {
            Tool::Sealer => {
                "var b = document.getElementById('open-button'); return b !== null && !b.disabled"
            }
            Tool::PageCrypt => {
                "var f = document.querySelector('form'); \
                 return f !== null && !f.classList.contains('hidden')"
            }
            Tool::StatiCrypt => {
                "return document.readyState !== 'loading' \
                 && document.getElementById('staticrypt-password') !== null"
            }
        }
    }

    fn field(self) -> &'static str {
        match self {
            Tool::Sealer => "#passphrase",
            Tool::PageCrypt => "#pwd",
            Tool::StatiCrypt => "#staticrypt-password",
        }
    }

    fn submit(self) -> &'static str {
        match self {
            Tool::Sealer => "#open-button",
            Tool::PageCrypt => "form input[type=submit]",
            Tool::StatiCrypt => ".staticrypt-decrypt-button",
        }
    }

    /// True once the file is offered.
    fn content_shown(self) -> &'static str {
        match self {
            Tool::Sealer => "return document.querySelector('#m-attachments button') !== null",
            Tool::PageCrypt | Tool::StatiCrypt => {
                "return document.getElementById('payload') !== null"
            }
        }
    }
}

/// The npm tools' commands, installed on first use.
fn npm_bin(root: &Path, name: &str) -> PathBuf {
    let prefix = root.join("target/bench-npm");
    let bin = prefix.join("node_modules/.bin").join(name);
    if !bin.exists() {
        let status = Command::new("npm")
            .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .args([PAGECRYPT, STATICRYPT])
            .status()
            .expect("npm");
        assert!(
            status.success(),
            "npm install {PAGECRYPT} {STATICRYPT} failed"
        );
    }
    bin
}

/// The payload as the HTML tools carry a file: a page with a `data:`
/// download link.
fn payload_page(dir: &Path, size: usize) -> PathBuf {
    use base64::Engine;
    let data = crate::payload(size);
    let path = dir.join(format!("payload-{}.html", size / MIB));
    std::fs::write(
        &path,
        format!(
            "<!DOCTYPE html><meta charset=utf-8><title>data</title>\
             <a id=payload download=data.bin href=\"data:application/octet-stream;base64,{}\">\
             data.bin</a>\n",
            base64::engine::general_purpose::STANDARD.encode(data)
        ),
    )
    .unwrap();
    path
}

/// The three pages for `size`: ours, PageCrypt's, StatiCrypt's.
fn pages(root: &Path, dir: &Path, size: usize) -> [PathBuf; 3] {
    let ours = page(dir, size);
    let payload = payload_page(dir, size);
    let pagecrypt = dir.join(format!("pagecrypt-{}.html", size / MIB));
    let status = Command::new(npm_bin(root, "pagecrypt"))
        .arg(&payload)
        .arg(&pagecrypt)
        .arg(PASSPHRASE)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "pagecrypt failed");
    let out = dir.join(format!("staticrypt-{}", size / MIB));
    let status = Command::new(npm_bin(root, "staticrypt"))
        .arg(&payload)
        .args(["-p", PASSPHRASE, "--short", "--config", "false", "-d"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "staticrypt failed");
    let staticrypt = out.join(payload.file_name().unwrap());
    [ours, pagecrypt, staticrypt]
}

/// One open in a fresh browser: (prompt ms, content ms, tab peak bytes).
async fn open_fresh(
    browser: Browser,
    dir: &Path,
    tool: Tool,
    path: &Path,
    pause: Duration,
) -> (f64, f64, u64) {
    let session = Session::start_edited(browser, dir, |capabilities| {
        capabilities.insert("pageLoadStrategy".into(), json!("none"));
    })
    .await;
    let (prompt, content) = open_and_time(&session, tool, path, pause).await;
    let peak = session.tab_peak_bytes();
    session.close().await;
    (prompt, content, peak)
}

/// Opens `path`, types the passphrase when the prompt is usable (after
/// `pause`), and returns when the prompt was usable and when the content
/// was shown, in ms from navigation start.
async fn open_and_time(session: &Session, tool: Tool, path: &Path, pause: Duration) -> (f64, f64) {
    session
        .client
        .goto(&format!("file://{}", path.display()))
        .await
        .unwrap();
    let prompt = when(session, "the prompt", tool.prompt_ready()).await;
    tokio::time::sleep(pause).await;
    let field = session
        .client
        .find(Locator::Css(tool.field()))
        .await
        .unwrap();
    field.send_keys(PASSPHRASE).await.unwrap();
    session.click(tool.submit()).await;
    let content = when(session, "the content", tool.content_shown()).await;
    (prompt, content)
}

/// Polls `condition` (a script returning a boolean) and returns the page's
/// `performance.now()` when it first held.
async fn when(session: &Session, what: &str, condition: &str) -> f64 {
    let script = format!(
        "try {{ return (function () {{ {condition} }})() ? performance.now() : null; }} \
         catch (e) {{ return null; }}"
    );
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        // A page being parsed or replaced may not answer a script yet.
        if let Ok(Value::Number(at)) = session.client.execute(&script, vec![]).await {
            return at.as_f64().unwrap();
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The comparison, for every engine.
pub(crate) async fn compare(root: &Path, dir: &Path, runs: usize) {
    let sizes = sizes();
    let pages: Vec<[PathBuf; 3]> = sizes.iter().map(|&size| pages(root, dir, size)).collect();
    for (size, paths) in sizes.iter().zip(&pages) {
        let page_sizes: Vec<String> = paths
            .iter()
            .map(|p| format!("{:.2} MB", std::fs::metadata(p).unwrap().len() as f64 / 1e6))
            .collect();
        println!(
            "{} MiB: page sizes (sealer, PageCrypt, StatiCrypt): {}",
            size / MIB,
            page_sizes.join(", ")
        );
    }
    for browser in crate::browsers() {
        println!("\n### {browser:?}: fresh browser per open, medians of {runs} runs\n");
        println!(
            "| payload | typed | sealer prompt / content / memory | PageCrypt | StatiCrypt | \
             ratios to PageCrypt (prompt, content, memory) | ratios to StatiCrypt |"
        );
        println!("|---:|---|---|---|---|---|---|");
        for (size, paths) in sizes.iter().zip(&pages) {
            for pause in [Duration::ZERO, Duration::from_secs(1)] {
                let mut results: [Vec<(f64, f64, u64)>; 3] = Default::default();
                for _ in 0..runs {
                    for (at, tool) in Tool::ALL.into_iter().enumerate() {
                        results[at].push(open_fresh(browser, dir, tool, &paths[at], pause).await);
                    }
                }
                let [ours, pagecrypt, staticrypt] = results.map(|runs| {
                    (
                        median(runs.iter().map(|r| r.0).collect()),
                        median(runs.iter().map(|r| r.1).collect()),
                        median(runs.iter().map(|r| r.2 as f64).collect()) / MIB as f64,
                    )
                });
                let cell =
                    |(p, c, m): (f64, f64, f64)| format!("{p:.0} ms / {c:.0} ms / {m:.0} MiB");
                let ratio = |(p, c, m): (f64, f64, f64), (q, d, n): (f64, f64, f64)| {
                    format!("{:.2}, {:.2}, {:.2}", p / q, c / d, m / n)
                };
                println!(
                    "| {} MiB | {} | {} | {} | {} | {} | {} |",
                    size / MIB,
                    if pause.is_zero() {
                        "at once"
                    } else {
                        "after 1 s"
                    },
                    cell(ours),
                    cell(pagecrypt),
                    cell(staticrypt),
                    ratio(ours, pagecrypt),
                    ratio(ours, staticrypt),
                );
            }
        }
    }
}

/// Our page on an emulated phone with the CPU slowed `rate` times.
pub(crate) async fn phone(dir: &Path, runs: usize) {
    let sizes = sizes();
    let pages: Vec<PathBuf> = sizes.iter().map(|&size| page(dir, size)).collect();
    println!(
        "\n### Chromium, mobile emulation (390 × 844 at 3×), fresh browser per open, typed at \
         once, medians of {runs} runs\n"
    );
    println!("| CPU | payload | prompt ready | kdf | submit → shown | what the status said |");
    println!("|---:|---:|---:|---:|---:|---|");
    for rate in [4, 6] {
        for (size, path) in sizes.iter().zip(&pages) {
            let mut columns: [Vec<f64>; 3] = Default::default();
            let mut said: Vec<String> = Vec::new();
            for _ in 0..runs {
                let session = Session::start_edited(Browser::Chromium, dir, |capabilities| {
                    capabilities.insert("pageLoadStrategy".into(), json!("none"));
                    capabilities["goog:chromeOptions"]["mobileEmulation"] = json!({
                        "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 3.0, "touch": true }
                    });
                })
                .await;
                session
                    .cdp("Emulation.setCPUThrottlingRate", json!({ "rate": rate }))
                    .await;
                session
                    .client
                    .goto(&format!("file://{}", path.display()))
                    .await
                    .unwrap();
                let prompt = when(&session, "the prompt", Tool::Sealer.prompt_ready()).await;
                session
                    .js("const status = document.getElementById('status'); window.said = []; \
                         new MutationObserver(() => { const t = status.textContent; \
                           if (said[said.length - 1] !== t) said.push(t); }) \
                         .observe(status, { childList: true, characterData: true, subtree: true }); \
                         return true")
                    .await;
                let field = session
                    .client
                    .find(Locator::Id("passphrase"))
                    .await
                    .unwrap();
                field.send_keys(PASSPHRASE).await.unwrap();
                session.click("#open-button").await;
                when(&session, "the content", Tool::Sealer.content_shown()).await;
                columns[0].push(prompt);
                columns[1].push(crate::entry(&session, "kdf", "duration").await);
                columns[2].push(crate::entry(&session, "open", "duration").await);
                said = serde_json::from_value(session.js("return window.said").await).unwrap();
                session.close().await;
            }
            let [prompt, kdf, open] = columns.map(median);
            let said: Vec<String> = said.into_iter().filter(|s| !s.is_empty()).collect();
            println!(
                "| {rate}× | {} MiB | {prompt:.0} ms | {kdf:.0} ms | {open:.0} ms | {} |",
                size / MIB,
                said.join(" → ")
            );
        }
    }
}
