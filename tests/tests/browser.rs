//! The envelope page in real browsers, opened from `file://`: headless
//! Chromium through chromedriver, headless Firefox through geckodriver, and
//! WebKitGTK's MiniBrowser (Safari's engine) through WebKitWebDriver on an
//! Xvfb display, over WebDriver. `.ci/run` installs them; set
//! `SKIP_BROWSER_TESTS=1` to skip them on a machine without browsers (they
//! fail otherwise, with the command that installs what is missing).

// A failed unwrap here is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use end_to_end_tests::sealer_command;
use end_to_end_tests::webdriver::{Browser, Session, sha256_hex};
use envelope_core::{Attachment, KdfParams, Message, MessageDate, Passphrase, SealOptions};
use serde_json::{Value, json};

const PASSPHRASE: &str = "tulip-gravel-sonnet-ember-abacus-zoology";
const HOSTILE: &str = "<img src=x onerror=\"window.canary=1\"><script>window.canary=1</script>";

fn scratch(name: &str) -> PathBuf {
    end_to_end_tests::scratch("browser", name)
}

/// Bytes that are not all one value, of a given length.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(167).wrapping_add(seed) ^ (i >> 9) as u8)
        .collect()
}

struct Fixture {
    /// A local listener whose address the content points at: it must never
    /// see a connection.
    listener: std::net::TcpListener,
    page: PathBuf,
    tampered: PathBuf,
    /// A page past the not-after date its sender set.
    expired: PathBuf,
    /// The `signature-invalid` test vector as a page, and its passphrase.
    forged: PathBuf,
    forged_passphrase: String,
    attachments: Vec<(String, Vec<u8>)>,
}

/// A PNG image of 2 × 1 pixels.
const PNG_2X1: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x7b, 0x40, 0xe8,
    0xdd, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0x00, 0x04,
    0xff, 0x01, 0x07, 0x00, 0x01, 0xff, 0xe2, 0x23, 0x9e, 0x59, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// An HTML body's styles, links and every other way to name something
/// remote: its styles must apply, its links open only on a click, and
/// nothing reach `bait`.
fn hostile_css(bait: &str) -> String {
    format!(
        "<style>@import url(\"{bait}/import.css\"); \
         @font-face {{ font-family: bait; src: url({bait}/font.woff); }} \
         body {{ font-family: bait, serif; }} \
         td {{ border: 2px solid rgb(0, 128, 0); background-image: url({bait}/td.png); }} \
         @media screen {{ h2 {{ color: rgb(0, 0, 200); background: url({bait}/media.png); }} }} \
         @supports (display: grid) {{ h3 {{ color: rgb(0, 100, 100); }} }} \
         @font-feature-values bait {{ @styleset {{ nice: 1; }} }}</style>\
         <h2 id=\"blue\">Heading</h2><h3 id=\"teal\">Sub</h3>\
         <table><tr><td id=\"cell\">cell</td></tr></table>\
         <p id=\"red\" style=\"color: rgb(200, 0, 0); border: 1px dotted rgb(1, 2, 3); \
           background-image: u\\72l({bait}/escaped.png)\">red</p>\
         <img srcset=\"{bait}/srcset.png 1x\"><img src=\"cid:part1@clinic.example\">\
         <img id=\"cid\" alt=\"logo\" src=\"cid:logo.1%40clinic.example\">\
         <meta http-equiv=\"refresh\" content=\"0; url={bait}/refresh\">\
         <base href=\"{bait}/\">\
         <form action=\"{bait}/form\"><input type=\"image\" src=\"{bait}/input.png\"></form>\
         <svg><image href=\"{bait}/svg.png\"/></svg>\
         <a id=\"web\" ping=\"{bait}/ping\" href=\"https://example.org/results\">your results</a> \
         <a id=\"js\" href=\"javascript:parent.canary=2\">js</a> \
         <a id=\"data\" href=\"data:text/html,<script>parent.canary=3</script>\">data</a> \
         <a id=\"file\" href=\"file:///etc/passwd\">file</a>\
         <object data=\"{bait}/object\"></object><embed src=\"{bait}/embed\">\
         <video poster=\"{bait}/poster.png\"></video>\
         <div style=\"background-image: image-set(url({bait}/set.png) 1x)\">set</div>\
         <table background=\"{bait}/table.png\"><tr><td>x</td></tr></table>\
         <link rel=\"prefetch\" href=\"{bait}/prefetch\">"
    )
}

fn fixture(dir: &Path) -> Fixture {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let bait = format!("http://{}", listener.local_addr().unwrap());
    let attachments = vec![
        ("empty.bin".to_owned(), Vec::new()),
        (
            format!("{HOSTILE}.txt"),
            b"plain text attachment\n".to_vec(),
        ),
        ("scan.pdf".to_owned(), pattern(100_000, 3)),
        ("big.bin".to_owned(), pattern(18 * 1024 * 1024, 7)),
        // A right-to-left override would show this as "scanbin.pdf".
        ("scan\u{202e}fdp.bin".to_owned(), b"not a PDF".to_vec()),
    ];
    let mut message = Message::new()
        .from("Example Clinic <records@clinic.example>")
        .to("Zo\u{eb} Patient <zoe@example.org>")
        .cc("gp@practice.example")
        .subject(format!("Results {HOSTILE} \u{202e}fdp.exe"))
        .date(MessageDate {
            unix_seconds: 1_795_000_000,
            offset_minutes: 60,
        })
        .text_body(format!("Dear Zo\u{eb},\n{HOSTILE}\nresults attached.\n"))
        .original_headers(format!("Received: from a\nX-Note: {HOSTILE}\n"))
        .html_body(format!(
            "<p>Dear patient,</p>{HOSTILE}<img src=\"{bait}/img.png\">\
             <link rel=\"stylesheet\" href=\"{bait}/style.css\">\
             <p style=\"background: url({bait}/bg.png)\">styled</p>\
             <iframe src=\"{bait}/frame\"></iframe>\
             <script>parent.canary = 1</script>{HOSTILE_CSS}",
            HOSTILE_CSS = hostile_css(&bait),
        ));
    for (name, bytes) in &attachments {
        let media_type = if name.ends_with(".pdf") {
            "application/pdf"
        } else if name.ends_with(".txt") {
            "text/html"
        } else {
            "application/octet-stream"
        };
        message = message.attach(Attachment::from_bytes(name, media_type, bytes.clone()));
    }
    // An image the HTML body shows by its Content-ID (`cid:`).
    message = message.attach(
        Attachment::from_bytes("logo.png", "image/png", PNG_2X1.to_vec())
            .with_content_id("logo.1@clinic.example"),
    );
    let mut attachments = attachments;
    attachments.push(("logo.png".to_owned(), PNG_2X1.to_vec()));
    let options = SealOptions::new()
        .kdf(KdfParams::DEFAULT)
        .passphrase(Passphrase::new(PASSPHRASE))
        .label("Secure message from Example Clinic")
        .hint("the six words from the phone call");
    let envelope = envelope_core::seal_to_vec(message, &options).unwrap();
    let html = sealer::render_page(&envelope, &sealer::PageOptions::default()).unwrap();
    let page = dir.join("envelope.html");
    std::fs::write(&page, &html).unwrap();
    // One base64 character in the middle of the third chunk changed.
    let chunk_at = html
        .match_indices("class=\"envelope-chunk\">")
        .nth(2)
        .unwrap()
        .0;
    let at = chunk_at + 2000;
    let mut bytes = html.into_bytes();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    let tampered = dir.join("tampered.html");
    std::fs::write(&tampered, bytes).unwrap();
    let old = envelope_core::seal_to_vec(
        Message::new().subject("Old results").text_body("old"),
        &SealOptions::new()
            .kdf(KdfParams::DEFAULT)
            .passphrase(Passphrase::new(PASSPHRASE))
            .expires(978_307_200),
    )
    .unwrap();
    let expired = dir.join("expired.html");
    std::fs::write(
        &expired,
        sealer::render_page(&old, &sealer::PageOptions::default()).unwrap(),
    )
    .unwrap();
    let vector: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/signature-invalid.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let forged_envelope = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        vector["envelope"].as_str().unwrap(),
    )
    .unwrap();
    let forged = dir.join("forged.html");
    std::fs::write(
        &forged,
        sealer::render_page(&forged_envelope, &sealer::PageOptions::default()).unwrap(),
    )
    .unwrap();
    Fixture {
        listener,
        page,
        tampered,
        expired,
        forged,
        forged_passphrase: vector["passphrase"].as_str().unwrap().to_owned(),
        attachments,
    }
}

/// The HTML body as the recipient sees it: its own styles applied (inline,
/// `<style>`, `@media`, `@supports`), what could not be shown said, its web
/// link kept with its full target written after it, its other links dead,
/// and the frame as tall as the message.
async fn html_body_readable(session: &Session) {
    let seen = session
        .js("const d = document.getElementById('m-html').contentDocument; \
             const css = (id, p) => getComputedStyle(d.getElementById(id))[p]; \
             const a = id => d.getElementById(id); \
             return [css('red', 'color'), css('red', 'borderTopStyle'), css('cell', 'borderTopColor'), \
               css('cell', 'borderTopWidth'), css('blue', 'color'), css('teal', 'color'), \
               css('red', 'backgroundImage'), css('cell', 'backgroundImage'), \
               a('web').target, a('web').rel, a('web').hasAttribute('ping'), \
               a('js').hasAttribute('href'), a('data').hasAttribute('href'), a('file').hasAttribute('href'), \
               d.body.innerText.includes('your results [https://example.org/results]'), \
               document.getElementById('m-html').getBoundingClientRect().height > 300, \
               a('cid').complete && a('cid').naturalWidth === 2 && a('cid').src.startsWith('blob:'), \
               [...document.querySelectorAll('.body .details')].map(e => e.textContent)]")
        .await;
    assert_eq!(
        seen,
        json!([
            "rgb(200, 0, 0)",
            "dotted",
            "rgb(0, 128, 0)",
            "2px",
            "rgb(0, 0, 200)",
            "rgb(0, 100, 100)",
            "none",
            "none",
            "_blank",
            "noopener noreferrer",
            false,
            false,
            false,
            false,
            true,
            true,
            true,
            [
                "Remote images blocked to protect your privacy: 2.",
                "Images in the message that cannot be shown here: 1."
            ]
        ]),
        "{:?}",
        session.browser
    );
}

/// Runs every test vector through the page's own decryptor
/// (`window.envelopeDecryptor.openEnvelope`), with WebCrypto and with the WASM AES-GCM,
/// and checks the recorded result: native and browser agree.
async fn the_vectors_agree(session: &Session) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 20);
    let script = "const [b64, passphrase, wasmAes, done] = arguments; \
        const binary = atob(b64); const bytes = new Uint8Array(binary.length); \
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i); \
        window.envelopeDecryptor.openEnvelope(bytes, passphrase, wasmAes).then(done, \
          e => done(JSON.stringify({ result: 'exception', message: String(e) })));";
    for file in files {
        let vector: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let expect = &vector["expect"];
        for wasm_aes in [false, true] {
            let got = session
                .client
                .execute_async(
                    script,
                    vec![
                        vector["envelope"].clone(),
                        vector["passphrase"].clone(),
                        json!(wasm_aes),
                    ],
                )
                .await
                .unwrap();
            let got: Value = serde_json::from_str(got.as_str().unwrap()).unwrap();
            let name = format!("{} (wasm AES: {wasm_aes})", vector["name"]);
            assert_eq!(got["result"], expect["result"], "{name}: {got}");
            if expect["result"] == "wrong-passphrase" {
                // The advice for a mistyped generated passphrase too.
                assert_eq!(got["message"], expect["message"], "{name}");
            }
            if expect["result"] == "success" {
                for field in [
                    "opened_slot",
                    "from",
                    "to",
                    "cc",
                    "subject",
                    "date",
                    "text_body",
                    "html_body",
                    "attachments",
                    // Present only in the vectors that have them (null otherwise).
                    "original_headers",
                    "signature",
                    "receipt",
                    "reply_request",
                    "in_reply_to",
                    "virus_scan",
                ] {
                    assert_eq!(got[field], expect[field], "{name}: {field}");
                }
                let aes = if wasm_aes { "wasm" } else { "webcrypto" };
                assert_eq!(got["aes"], aes, "{name}");
            }
        }
    }
}

/// While the message opened, the status line said each step as it came
/// ("Checking the passphrase…", "Reading the message…" while the page is
/// still parsed, "Decrypting… N%"), by tenths that only go up, then that it
/// is done; the bar had a value whenever the
/// amount was known, and never more than its maximum.
async fn the_status_told_each_step(session: &Session) {
    let english = sealer::texts::Texts::english();
    let said: Vec<String> = serde_json::from_value(session.js("return window.said").await).unwrap();
    let percent_of = |key: &str, line: &str| -> Option<u64> {
        let text = english.get(key);
        let (before, after) = text.split_once("{percent}").unwrap();
        line.strip_prefix(before)?.strip_suffix(after)?.parse().ok()
    };
    assert_eq!(
        said.first().map(String::as_str),
        Some(english.get("status.checking")),
        "{said:?}"
    );
    assert_eq!(
        said.last().map(String::as_str),
        Some(english.get("status.done")),
        "{said:?}"
    );
    let steps: Vec<(u8, u64)> = said[1..said.len() - 1]
        .iter()
        .map(|line| {
            if line == english.get("status.reading") {
                (1, 0)
            } else if let Some(percent) = percent_of("status.decrypting", line) {
                (2, percent)
            } else {
                panic!("the status said {line:?} while opening: {said:?}")
            }
        })
        .collect();
    assert!(steps.windows(2).all(|pair| pair[0] < pair[1]), "{said:?}");
    assert!(
        steps
            .iter()
            .all(|&(_, percent)| percent % 10 == 0 && percent <= 100),
        "{said:?}"
    );
    assert!(steps.iter().any(|&(step, _)| step == 2), "{said:?}");
    let bars: Vec<(Option<String>, Option<String>, bool)> =
        serde_json::from_value(session.js("return window.bars").await).unwrap();
    // (An observer sees the bar as it is when the page's thread yields,
    // not every step.)
    assert!(
        bars.iter()
            .any(|(value, max, _)| value.is_some() && value == max),
        "the bar never showed the work done: {bars:?}"
    );
    for (value, max, _) in &bars {
        if let (Some(value), Some(max)) = (value, max) {
            let (value, max): (u64, u64) = (value.parse().unwrap(), max.parse().unwrap());
            assert!(value <= max, "{bars:?}");
        }
    }
    assert_eq!(
        bars.last().map(|bar| bar.2),
        Some(true),
        "the bar is hidden at the end"
    );
}

async fn the_page_works_in(browser: Browser) {
    if std::env::var_os("SKIP_BROWSER_TESTS").is_some() {
        eprintln!("SKIP_BROWSER_TESTS is set: not testing {browser:?}");
        return;
    }
    let dir = scratch(&format!("{browser:?}"));
    let fixture = fixture(&dir);
    let session = Session::start(browser, &dir).await;

    // Before decryption: the public label and hint, nothing else.
    session.open_page(&fixture.page).await;
    the_vectors_agree(&session).await;
    assert_eq!(
        session.text("label").await,
        "Secure message from Example Clinic"
    );
    assert!(session.text("hint").await.contains("the six words"));
    assert!(!session.shown("message").await);

    // A wrong passphrase: the error, the form usable again, nothing shown.
    session
        .submit("tulip-gravel-sonnet-ember-abacus-zoolog")
        .await;
    assert!(session.shown("error").await);
    assert!(
        session.text("error").await.contains("does not open"),
        "{}",
        session.text("error").await
    );
    assert!(!session.shown("message").await);

    // Then the right one, with a ticker on the page's thread: while the key
    // is derived (in a Worker) the page keeps running, so the ticker ticks.
    // A derivation on the page's thread blocks it: no tick at all inside
    // the derivation. (Gap lengths are no good measure: on a busy machine
    // the browsers' threads share two cores.)
    session
        .js("window.ticks = []; window.ticker = setInterval(() => ticks.push(performance.now()), 5); return true")
        .await;
    // Everything the status line and the progress bar say, as they say it.
    session
        .js("const status = document.getElementById('status'); \
             const bar = document.getElementById('progress'); \
             window.said = []; window.bars = []; \
             new MutationObserver(() => { \
               if (said[said.length - 1] !== status.textContent) said.push(status.textContent); \
             }).observe(status, { childList: true, characterData: true, subtree: true }); \
             new MutationObserver(() => { \
               bars.push([bar.getAttribute('value'), bar.getAttribute('max'), bar.hidden]); \
             }).observe(bar, { attributes: true }); \
             return true")
        .await;
    session.submit(PASSPHRASE).await;
    assert!(
        session.shown("message").await,
        "error: {}",
        session.text("error").await
    );
    assert!(!session.shown("error").await);
    the_status_told_each_step(&session).await;
    let during = session
        .js("clearInterval(window.ticker); \
             const kdf = performance.getEntriesByName('kdf').pop(); \
             const inside = ticks.filter(t => t > kdf.startTime + 1 && t < kdf.startTime + kdf.duration - 1); \
             return [inside.length, kdf.duration]")
        .await;
    let (ticks, kdf) = (during[0].as_u64().unwrap(), during[1].as_f64().unwrap());
    assert!(
        ticks >= 3,
        "the page's thread ticked {ticks} times during a {kdf:.0} ms derivation"
    );
    assert_eq!(
        session.text("m-from").await,
        "Example Clinic <records@clinic.example>"
    );
    assert_eq!(
        session.text("m-to").await,
        "Zo\u{eb} Patient <zoe@example.org>"
    );
    assert_eq!(session.text("m-cc").await, "gp@practice.example");
    // In this device's time zone, as the page's language writes it.
    assert_eq!(
        json!(session.text("m-date").await),
        session
            .js("return new Date(1795000000000).toLocaleString('en', \
                 {dateStyle: 'full', timeStyle: 'short'})")
            .await
    );
    assert!(session.text("m-date").await.contains("2026"));
    assert_eq!(
        session.text("m-subject").await,
        format!("Results {HOSTILE} \\u{{202e}}fdp.exe"),
        "the override is shown, not obeyed"
    );
    assert_eq!(
        session.text("m-text").await,
        format!("Dear Zo\u{eb},\n{HOSTILE}\nresults attached.\n")
    );
    // The original headers, as text, behind their disclosure.
    assert!(session.shown("m-headers-row").await);
    assert_eq!(
        session.text("m-headers").await,
        format!("Received: from a\nX-Note: {HOSTILE}\n")
    );
    assert_eq!(
        session.js("return document.body.dataset.aes").await,
        json!("webcrypto")
    );
    // Argon2id ran in a Worker (the page stayed responsive meanwhile).
    assert_eq!(
        session.js("return document.body.dataset.kdf").await,
        json!("worker")
    );
    let names = session
        .js("return [...document.querySelectorAll('#m-attachments .name')].map(e => e.textContent)")
        .await;
    // As text, with any reordering character shown rather than obeyed.
    let expected: Vec<String> = fixture
        .attachments
        .iter()
        .map(|(n, _)| envelope_core::visible_bidi(n).into_owned())
        .collect();
    assert_eq!(names, json!(expected));
    assert!(expected.contains(&"scan\\u{202e}fdp.bin".to_owned()));

    // Every attachment downloads byte-identical.
    for (index, (_, bytes)) in fixture.attachments.iter().enumerate() {
        let css = format!("#m-attachments button[data-index=\"{index}\"]");
        let downloaded = session.downloaded_digest(&css, bytes.len()).await;
        assert_eq!(downloaded, sha256_hex(bytes), "attachment {index} differs");
    }

    // Each with its kind and size, as people say them.
    let details = session
        .js("return [...document.querySelectorAll('#m-attachments .details')].map(e => e.textContent)")
        .await;
    assert_eq!(details[0], json!("File \u{b7} 0 bytes"));
    assert_eq!(details[1], json!("Web page \u{b7} 22 bytes"));
    assert_eq!(details[2], json!("PDF document \u{b7} 100 kB"));
    assert_eq!(details[3], json!("File \u{b7} 18.9 MB"));

    // "Save all": one ZIP of them all, exactly the ZIP the page's writer
    // makes of the attachments' names and bytes.
    let names: Vec<String> = fixture
        .attachments
        .iter()
        .map(|(name, _)| envelope_core::safe_file_name(name))
        .collect();
    let files: Vec<(String, &[u8])> = envelope_wasm::zip::unique_names(&names)
        .into_iter()
        .zip(&fixture.attachments)
        .map(|(name, (_, bytes))| (name, bytes.as_slice()))
        .collect();
    let zip = envelope_wasm::zip::stored_zip(&files, 1_795_000_000).unwrap();
    let downloaded = session.downloaded_digest("#m-save-all", zip.len()).await;
    assert_eq!(downloaded, sha256_hex(&zip), "the ZIP differs");

    // The formatted body, not both; the plain text one click away.
    assert!(session.shown("m-html").await && !session.shown("m-text").await);
    session.click("#m-body-switch").await;
    assert!(session.shown("m-text").await && !session.shown("m-html").await);
    assert_eq!(
        session.text("m-body-switch").await,
        "Show formatted message"
    );
    session.click("#m-body-switch").await;
    assert!(session.shown("m-html").await && !session.shown("m-text").await);

    // Hostile content ran nowhere; the page asked for nothing.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(session.js("return window.canary").await, json!(0));
    assert_eq!(
        session
            .js("return performance.getEntriesByType('resource').length")
            .await,
        json!(0)
    );
    // The HTML body is shown, stripped of everything active.
    let srcdoc = session
        .js("return document.getElementById('m-html').srcdoc")
        .await;
    let srcdoc = srcdoc.as_str().unwrap();
    assert!(srcdoc.contains("<p>Dear patient,</p>"), "{srcdoc}");
    assert!(srcdoc.contains(">styled</p>"), "{srcdoc}");
    for active in ["<script", "<iframe", "<link", "onerror", "127.0.0.1"] {
        assert!(!srcdoc.contains(active), "{active} in {srcdoc}");
    }
    match fixture.listener.accept() {
        Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("the page connected to the local listener: {other:?}"),
    }
    html_body_readable(&session).await;
    let measures = session
        .js("return performance.getEntriesByType('measure').map(m => m.name)")
        .await;
    for name in ["kdf", "decrypt", "verify", "open"] {
        assert!(
            measures.as_array().unwrap().contains(&json!(name)),
            "{name}: {measures}"
        );
    }

    // A tampered envelope: the damaged message, no content.
    session.open_page(&fixture.tampered).await;
    session.submit(PASSPHRASE).await;
    assert!(!session.shown("message").await);
    assert!(
        session.text("error").await.contains("damaged"),
        "{}",
        session.text("error").await
    );
    assert_eq!(session.text("m-subject").await, "");
    assert!(!session.shown("m-headers-row").await);

    // A signature that does not verify: the content, with a warning.
    session.open_page(&fixture.forged).await;
    session.submit(&fixture.forged_passphrase).await;
    assert!(
        session.shown("message").await,
        "{}",
        session.text("error").await
    );
    assert!(
        session
            .text("m-signature")
            .await
            .starts_with("Warning: this message claims to be signed"),
        "{}",
        session.text("m-signature").await
    );
    // Unsigned (the tampered page's original): no signature line, and no
    // receipt asked for: none offered.
    session.open_page(&fixture.page).await;
    session.submit(PASSPHRASE).await;
    assert!(!session.shown("m-signature").await);
    assert!(!session.shown("m-receipt").await);

    // Past its date: said at once (the date in this device's time zone),
    // and no form is offered.
    session.goto_page(&fixture.expired).await;
    session
        .wait_for(
            "the expiry message",
            "return !document.getElementById('error').hidden",
        )
        .await;
    let expired_on = session
        .js("return new Date(978307200000).toLocaleString('en', \
             {dateStyle: 'full', timeStyle: 'short'})")
        .await;
    assert_eq!(
        session.text("error").await,
        format!(
            "This message expired on {}, a date its sender set, so this page \
             no longer opens it. Ask the sender for a new copy.",
            expired_on.as_str().unwrap()
        )
    );
    assert_eq!(
        session
            .js("return document.getElementById('passphrase') === null")
            .await,
        json!(true)
    );
    assert!(!session.shown("message").await);

    // The fallbacks (AES-GCM in WebAssembly, Argon2id on the page's
    // thread) open the same page.
    session.open_page(&fixture.page).await;
    session
        .open_page_at(&fixture.page, "wasm-aes,no-worker")
        .await;
    session.submit(PASSPHRASE).await;
    assert!(
        session.shown("message").await,
        "error: {}",
        session.text("error").await
    );
    assert_eq!(
        session.js("return document.body.dataset.aes").await,
        json!("wasm")
    );
    assert_eq!(
        session.js("return document.body.dataset.kdf").await,
        json!("page")
    );

    // A page sealed by the `sealer` command opens here with the content
    // `sealer open` gives.
    the_command_and_the_page_agree(&session, &dir).await;
    a_generated_passphrase_opens_however_it_is_typed(&session, &dir).await;
    a_template_with_the_glue_as_a_script_opens(&session, &dir).await;

    session.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

/// An organisation's page template from before the glue was deflated
/// holds it as a script, which has run by the time the loader runs: the
/// page opens the same way, the Worker made from that script's text.
async fn a_template_with_the_glue_as_a_script_opens(session: &Session, dir: &Path) {
    let block = "<script type=\"application/octet-stream\" id=\"decryptor-js\">\n\
                 {% for line in glue_block %}{{ line | safe }}\n{% endfor %}</script>";
    let mut options = sealer::PageOptions::default();
    assert!(options.templates.page.contains(block));
    options.templates.page = options.templates.page.replace(
        block,
        "<script id=\"decryptor-js\">{{ glue | safe }}</script>",
    );
    let envelope = envelope_core::seal_to_vec(
        Message::new().subject("Older template").text_body("opened"),
        &SealOptions::new()
            .kdf(KdfParams::MIN)
            .passphrase(Passphrase::new("pw")),
    )
    .unwrap();
    let path = dir.join("older-template.html");
    std::fs::write(&path, sealer::render_page(&envelope, &options).unwrap()).unwrap();
    session.open_page(&path).await;
    session.submit("pw").await;
    assert!(
        session.shown("message").await,
        "error: {}",
        session.text("error").await
    );
    assert_eq!(session.text("m-subject").await, "Older template");
    assert_eq!(
        session.js("return document.body.dataset.kdf").await,
        json!("worker")
    );
}

/// A generated passphrase, as it is read aloud.
const GENERATED: &str = "abacus-zoology-tulip-ember-gravel-lantern";

/// Typed into the page's field each way a recipient may type it, the
/// generated passphrase opens the envelope; mistyped, the page says how.
async fn a_generated_passphrase_opens_however_it_is_typed(session: &Session, dir: &Path) {
    let envelope = envelope_core::seal_to_vec(
        Message::new().subject("Typed").text_body("opened"),
        &SealOptions::new()
            .kdf(KdfParams::MIN)
            .generated_passphrase(Passphrase::new(GENERATED)),
    )
    .unwrap();
    let page = dir.join("generated.html");
    std::fs::write(
        &page,
        sealer::render_page(&envelope, &sealer::PageOptions::default()).unwrap(),
    )
    .unwrap();
    let typings = [
        GENERATED,
        "abacus zoology tulip ember gravel lantern",
        "Abacus Zoology Tulip Ember Gravel Lantern",
        "ABACUS-ZOOLOGY-TULIP-EMBER-GRAVEL-LANTERN",
        "abacus\u{2013}zoology\u{2014}tulip\u{2212}ember\u{2010}gravel\u{FF0D}lantern",
        "  abacus -- zoology  tulip - ember  gravel lantern   ",
        "abacus.zoology_tulip, ember. gravel__lantern",
        "abacuszoologytulipembergravellantern",
        "abacus\u{A0}zoology\u{200B}tulip\u{3000}em\u{AD}ber\u{A0}gravel lantern",
    ];
    for typed in typings {
        session.open_page(&page).await;
        assert_eq!(
            session.text("status").await,
            "Enter the 6 words you received separately. Spaces, hyphens and capitals do not matter."
        );
        session.submit(typed).await;
        assert!(
            session.shown("message").await,
            "{typed:?}: {}",
            session.text("error").await
        );
        assert_eq!(session.text("m-text").await, "opened");
    }
    // Pasted across lines: a one-line field drops the line breaks, and the
    // words run together are still found.
    session.open_page(&page).await;
    session
        .js("document.getElementById('passphrase').value = 'abacus zoology\\ntulip\\r\\nember\\ngravel lantern'; \
             document.getElementById('open-button').click(); return true")
        .await;
    session
        .wait_for(
            "the pasted words to open",
            "return document.getElementById('message') !== null",
        )
        .await;
    // Mistyped: the count, the word not in the list; the field kept.
    session.open_page(&page).await;
    for (typed, why) in [
        (
            "abacus zoology tulip ember gravel",
            "That passphrase does not open this message. Words typed: 5. Words in the passphrase: 6.",
        ),
        (
            "abacus zoology tulip embre gravel lantern",
            "That passphrase does not open this message. \u{201c}embre\u{201d} is not one of the words: check its spelling.",
        ),
        (
            "zoology abacus tulip ember gravel lantern",
            "That passphrase does not open this message. All the words you typed are from the list, \
             but they are not the right ones: check each word and their order.",
        ),
    ] {
        session.submit(typed).await;
        assert_eq!(session.text("error").await, why);
        assert!(!session.shown("message").await);
    }
}

/// A label in a language written without spaces: the page must fold it
/// without showing a space.
const JAPANESE_LABEL: &str = "クリニックからの安全なメッセージです。ご確認ください。";

async fn the_command_and_the_page_agree(session: &Session, dir: &Path) {
    let work = dir.join("cli");
    std::fs::create_dir_all(&work).unwrap();
    // The recipient's own passphrase is the second of two (a colleague
    // has the first): the page tries it against every slot.
    std::fs::write(work.join("pass.txt"), PASSPHRASE).unwrap();
    std::fs::write(
        work.join("colleague.txt"),
        "harbor-quince-velvet-nimbus-orchid-kettle",
    )
    .unwrap();
    std::fs::write(
        work.join("letter.txt"),
        "Dear Zo\u{eb},\nthe scan is attached.\n",
    )
    .unwrap();
    let scan: Vec<u8> = (0..3_000_000u32).map(|i| (i % 241) as u8).collect();
    std::fs::write(work.join("scan.bin"), &scan).unwrap();
    // Signed by the clinic's key: the page names its fingerprint.
    let keygen = sealer_command()
        .current_dir(&work)
        .args(["keygen", "--signing", "--output", "clinic.key"])
        .output()
        .unwrap();
    assert!(keygen.status.success());
    let fingerprint = String::from_utf8_lossy(&keygen.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("Fingerprint: ").map(str::to_owned))
        .unwrap();
    let sealed = sealer_command()
        .current_dir(&work)
        .args(["seal", "--from", "Example Clinic <records@clinic.example>"])
        .args(["--sign", "clinic.key"])
        .args(["--to", "zoe@example.org", "--subject", "Your scan"])
        .args(["--body", "letter.txt", "--attach", "scan.bin"])
        .args(["--passphrase-file", "colleague.txt"])
        .args(["--passphrase-file", "pass.txt", "--output", "scan.html"])
        // A receipt asked for at the --from address, logged here.
        .args(["--receipt", "--sent-log", "sent.jsonl"])
        // The example branding, and a label without spaces to fold.
        .arg("--template-dir")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/example"))
        .args(["--label", JAPANESE_LABEL])
        .output()
        .unwrap();
    assert!(
        sealed.status.success(),
        "{}",
        String::from_utf8_lossy(&sealed.stderr)
    );

    session.open_page(&work.join("scan.html")).await;
    // The branding shows; the label reads exactly as given.
    assert_eq!(session.text("label").await, JAPANESE_LABEL);
    assert_eq!(session.text("organisation").await, "Example Clinic");
    assert!(
        session
            .text("help-text")
            .await
            .starts_with("Lost the passphrase")
    );
    session
        .wait_for(
            "the logo",
            "return document.getElementById('logo').complete",
        )
        .await;
    let logo_width = session
        .js("return document.getElementById('logo').naturalWidth")
        .await;
    assert_eq!(logo_width, 144, "the logo did not load");
    let accent = session
        .js("return getComputedStyle(document.getElementById('open-button')).backgroundColor")
        .await;
    assert_eq!(accent, "rgb(122, 31, 92)", "the accent colour");
    session.submit(PASSPHRASE).await;
    assert!(
        session.shown("message").await,
        "{}",
        session.text("error").await
    );
    assert_eq!(session.text("m-subject").await, "Your scan");
    assert!(session.shown("m-signature").await);
    assert!(
        session.text("m-signature").await.starts_with(&format!(
            "Signed by the key with fingerprint {fingerprint}."
        )),
        "{}",
        session.text("m-signature").await
    );
    assert_eq!(
        session.text("m-text").await,
        "Dear Zo\u{eb},\nthe scan is attached.\n"
    );
    // The receipt: a mailto: link holding the code, and the code as text.
    assert!(session.shown("m-receipt").await);
    assert_eq!(session.text("m-receipt-to").await, "records@clinic.example");
    let code = session.text("m-receipt-code").await;
    let href = session
        .js("return document.getElementById('m-receipt-link').href")
        .await;
    let href = href.as_str().unwrap();
    assert!(
        href.starts_with("mailto:records@clinic.example?subject=Receipt%20for%20your%20sealed%20message&body=Receipt%20code%3A%20")
            && href.contains(&code),
        "{href}"
    );
    let downloaded = session
        .downloaded_digest("#m-attachments button", scan.len())
        .await;
    assert_eq!(
        downloaded,
        sha256_hex(&scan),
        "the browser's download differs"
    );

    let opened = sealer_command()
        .current_dir(&work)
        .args([
            "open",
            "scan.html",
            "--passphrase-file",
            "pass.txt",
            "--output-dir",
            "out",
        ])
        .output()
        .unwrap();
    assert!(
        opened.status.success(),
        "{}",
        String::from_utf8_lossy(&opened.stderr)
    );
    let printed = String::from_utf8_lossy(&opened.stdout);
    assert!(printed.contains("Subject: Your scan") && printed.contains("the scan is attached."));
    assert!(
        std::fs::read(work.join("out/scan.bin")).unwrap() == scan,
        "sealer open differs"
    );
    // The command offers the same code, and the sender's sealer recognises
    // it: this envelope, the second passphrase.
    assert!(
        printed.contains(&format!("records@clinic.example: {code} (")),
        "{printed}"
    );
    let verified = sealer_command()
        .current_dir(&work)
        .args(["receipt", "verify", &code, "--sent-log", "sent.jsonl"])
        .output()
        .unwrap();
    let verdict = String::from_utf8_lossy(&verified.stdout);
    assert!(verified.status.success(), "{verdict}");
    assert!(
        verdict.contains("subject \"Your scan\"")
            && verdict.contains("opened with the passphrase in pass.txt (key slot 1)"),
        "{verdict}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn the_page_works_in_chromium() {
    the_page_works_in(Browser::Chromium).await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_page_works_in_firefox() {
    the_page_works_in(Browser::Firefox).await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_page_works_in_webkit() {
    the_page_works_in(Browser::WebKit).await;
}

/// A browser older than `Uint8Array.fromBase64` (Chrome before 140, Firefox
/// before 133, Safari before 18.2), made here by removing it before the
/// page's scripts run: the loader decodes the decryptor's blocks with
/// `atob` and the page decodes the payload in WebAssembly, and the page
/// opens as anywhere else, every byte of a file of several chunks intact.
#[tokio::test(flavor = "current_thread")]
async fn a_browser_without_from_base64_opens_the_page() {
    if std::env::var_os("SKIP_BROWSER_TESTS").is_some() {
        eprintln!("SKIP_BROWSER_TESTS is set: not testing Chromium");
        return;
    }
    let dir = scratch("without-from-base64");
    let bytes = pattern(300_000, 11);
    let envelope = envelope_core::seal_to_vec(
        Message::new()
            .subject("Decoded without fromBase64")
            .text_body("opened")
            .attach(Attachment::from_bytes(
                "scan.bin",
                "application/octet-stream",
                bytes.clone(),
            )),
        &SealOptions::new()
            .kdf(KdfParams::MIN)
            .passphrase(Passphrase::new("pw")),
    )
    .unwrap();
    let path = dir.join("page.html");
    std::fs::write(
        &path,
        sealer::render_page(&envelope, &sealer::PageOptions::default()).unwrap(),
    )
    .unwrap();
    let session = Session::start(Browser::Chromium, &dir).await;
    session
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "delete Uint8Array.fromBase64;" }),
        )
        .await;
    session.open_page(&path).await;
    assert_eq!(
        session.js("return typeof Uint8Array.fromBase64").await,
        json!("undefined")
    );
    session.submit("pw").await;
    assert!(
        session.shown("message").await,
        "error: {}",
        session.text("error").await
    );
    assert_eq!(
        session.text("m-subject").await,
        "Decoded without fromBase64"
    );
    let downloaded = session
        .downloaded_digest("#m-attachments button[data-index=\"0\"]", bytes.len())
        .await;
    assert_eq!(downloaded, sha256_hex(&bytes));
    session.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
