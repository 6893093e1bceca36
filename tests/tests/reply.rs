//! Secure replies in real browsers (Chromium, Firefox, WebKitGTK), from
//! `file://`: the recipient opens an envelope that asks for replies,
//! writes an answer with two files (one of 5 MiB), and seals it in the
//! page; the reply page passes `sealer verify`, `sealer open --identity`
//! gives back the same text and byte-identical files, and the reply opens
//! in the browser with the original passphrase. The page loads nothing
//! while doing it, and axe-core finds no WCAG 2.2 AA violation in the form
//! or the sealed reply's offer. An envelope that asks for no replies offers none, and
//! a reply over the sender's limit is refused before any work.
//! `SKIP_BROWSER_TESTS=1` skips them.

// A failed unwrap here is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use end_to_end_tests::sealer_command;
use end_to_end_tests::webdriver::{Browser, Session, sha256_hex};
use fantoccini::Locator;
use serde_json::json;

const PASSPHRASE: &str = "tulip-gravel-sonnet-ember-abacus-zoology";
const REPLY_TO: &str = "replies@clinic.example";
const ANSWER: &str = "Thank you, Dr. Ada. Gr\u{fc}\u{df}e \u{2014} see the two files.";

/// The pages and files the test uses.
struct Fixture {
    /// Asks for replies (limit 20 MB).
    asks: PathBuf,
    /// Asks for replies with a limit of 1 MB.
    small_limit: PathBuf,
    /// Asks for none.
    plain: PathBuf,
    /// The files the answer carries: name, path, bytes.
    files: Vec<(&'static str, PathBuf, Vec<u8>)>,
}

fn sealer(dir: &Path, args: &[&str]) -> std::process::Output {
    let output = sealer_command()
        .current_dir(dir)
        .env("SEALER_SENT_LOG", dir.join("sent-log.jsonl"))
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    output
}

fn fixture(dir: &Path) -> Fixture {
    std::fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    sealer(dir, &["keygen", "--output", "replies.key"]);
    let seal = |output: &str, extra: &[&str]| {
        let mut args = vec![
            "seal",
            "--from",
            "Dr. Ada <ada@clinic.example>",
            "--to",
            "alex@example.org",
            "--subject",
            "Your results",
            "--label",
            "Results from Example Clinic",
            "--passphrase-file",
            "pass.txt",
            "--output",
            output,
        ];
        args.extend_from_slice(extra);
        sealer(dir, &args);
        dir.join(output)
    };
    let reply = ["--reply-key", "replies.key.pub", "--reply-to", REPLY_TO];
    let asks = seal("asks.html", &reply);
    let small_limit = seal(
        "small.html",
        &[&reply[..], &["--reply-limit", "1"]].concat(),
    );
    let plain = seal("plain.html", &[]);
    let big: Vec<u8> = (0..5 * 1024 * 1024)
        .map(|i: usize| (i as u8).wrapping_mul(151) ^ (i >> 11) as u8)
        .collect();
    let small = b"Blood pressure, morning: 121/79\n".repeat(70);
    let files = vec![
        ("diary.txt", dir.join("diary.txt"), small),
        ("scan.bin", dir.join("scan.bin"), big),
    ];
    for (_, path, bytes) in &files {
        std::fs::write(path, bytes).unwrap();
    }
    Fixture {
        asks,
        small_limit,
        plain,
        files,
    }
}

fn skip(browser: Browser) -> bool {
    let skip = std::env::var_os("SKIP_BROWSER_TESTS").is_some();
    if skip {
        eprintln!("SKIP_BROWSER_TESTS is set: not testing {browser:?}");
    }
    skip
}

/// Opens `page` with the passphrase and shows the reply form.
async fn open_and_start_reply(session: &Session, page: &Path) {
    session.open_page(page).await;
    session.submit(PASSPHRASE).await;
    assert!(session.shown("m-reply").await, "{:?}", session.browser);
    assert!(!session.shown("m-reply-form").await);
    session.click("#m-reply-start").await;
    assert!(session.shown("m-reply-form").await);
    assert_eq!(
        session.js("return document.activeElement.id").await,
        json!("m-reply-text")
    );
}

/// Adds `path` with the file field, as a recipient picks a file.
async fn add_file(session: &Session, path: &Path, count: usize) {
    let field = session
        .client
        .find(Locator::Id("m-reply-files"))
        .await
        .unwrap();
    field.send_keys(&path.display().to_string()).await.unwrap();
    session
        .wait_for(
            "the file in the list",
            &format!("return document.querySelectorAll('#m-reply-list li').length === {count}"),
        )
        .await;
}

/// Clicks "Seal reply" and waits until the sealed reply is offered.
async fn seal_and_wait(session: &Session) {
    session.click("#m-reply-seal").await;
    session
        .wait_for(
            "the reply to be sealed",
            "const d = document.getElementById('m-reply-done'); return d !== null && !d.hidden",
        )
        .await;
}

/// Keeps every Blob the page makes a URL of (the page's policy forbids
/// fetching even its own `blob:` URLs, rightly).
async fn catch_blobs(session: &Session) {
    session
        .js("window.blobs = []; const make = URL.createObjectURL; \
             URL.createObjectURL = function (blob) { window.blobs.push(blob); \
             return make.call(URL, blob); }; return true")
        .await;
}

/// The sealed reply page: the last Blob the page made.
async fn sealed_reply(session: &Session) -> String {
    let got = session
        .client
        .execute_async(
            "const done = arguments[0]; \
             window.blobs[window.blobs.length - 1].text().then(done, e => done('error: ' + e));",
            vec![],
        )
        .await
        .unwrap();
    got.as_str().unwrap().to_owned()
}

async fn replies_in(browser: Browser) {
    if skip(browser) {
        return;
    }
    let dir = end_to_end_tests::scratch("reply", &format!("{browser:?}"));
    let fixture = fixture(&dir);
    let session = Session::start(browser, &dir).await;

    // An envelope that asks for no replies offers none.
    session.open_page(&fixture.plain).await;
    session.submit(PASSPHRASE).await;
    assert!(session.shown("message").await);
    assert!(!session.shown("m-reply").await);

    // Write the answer: text, and two files picked one after the other.
    open_and_start_reply(&session, &fixture.asks).await;
    assert!(session.text("m-reply-form").await.contains(REPLY_TO));
    session
        .js(&format!(
            "var t = document.getElementById('m-reply-text'); t.value = {}; \
             t.dispatchEvent(new Event('input')); return true",
            json!(ANSWER)
        ))
        .await;
    for (count, (_, path, _)) in fixture.files.iter().enumerate() {
        add_file(&session, path, count + 1).await;
    }
    assert_no_violations(&session, "the reply form with two files").await;
    let total = session.text("m-reply-total").await;
    assert!(total.contains("5.2 MB") || total.contains("5,2"), "{total}");
    assert!(total.contains("20"), "{total}");

    // Seal it.
    catch_blobs(&session).await;
    session.click("#m-reply-seal").await;
    session
        .wait_for(
            "the reply to be sealed",
            "var d = document.getElementById('m-reply-done'); \
             var e = document.getElementById('m-reply-error'); \
             return (d !== null && !d.hidden) || (e !== null && !e.hidden)",
        )
        .await;
    assert_eq!(session.text("m-reply-error").await, "", "{browser:?}");
    let name = session
        .js("return document.getElementById('m-reply-save').getAttribute('download')")
        .await;
    let name = name.as_str().unwrap();
    assert!(
        name.len() == "reply-2026-11-30.html".len()
            && name.starts_with("reply-20")
            && name.ends_with(".html"),
        "{name}"
    );
    let mail = session
        .js("return document.getElementById('m-reply-mail').getAttribute('href')")
        .await;
    let mail = mail.as_str().unwrap();
    assert!(
        mail.starts_with(&format!("mailto:{REPLY_TO}?subject=Sealed%20reply&body=")),
        "{mail}"
    );
    // The message's subject stays sealed: it is not in the mail link.
    assert!(!mail.contains("results"), "{mail}");
    assert_eq!(
        session.js("return document.activeElement.id").await,
        json!("m-reply-save")
    );
    assert_no_violations(&session, "the sealed reply offered").await;
    let page = sealed_reply(&session).await;
    assert!(
        page.starts_with("<!DOCTYPE html>"),
        "{}",
        &page[..page.len().min(200)]
    );
    // Nothing was fetched: no resource, and no request (file:// pages
    // have no server to log one; the page's policy forbids any).
    assert_eq!(
        session
            .js("return performance.getEntriesByType('resource').length")
            .await,
        json!(0)
    );
    let reply = dir.join(name);
    std::fs::write(&reply, &page).unwrap();
    // The link downloads it (WebKitGTK's MiniBrowser saves nothing under
    // WebDriver: there the Blob above is what it would save).
    if !matches!(browser, Browser::WebKit) {
        session.click("#m-reply-save").await;
        let saved =
            end_to_end_tests::webdriver::wait_for_download(&session.downloads, page.len()).await;
        assert_eq!(sha256_hex(&saved), sha256_hex(page.as_bytes()));
    }

    // The organisation's side: verify, then open with the reply identity.
    let verified = sealer(&dir, &["verify", name]);
    assert!(String::from_utf8_lossy(&verified.stdout).starts_with("Verified: "));
    let opened = sealer(
        &dir,
        &[
            "open",
            name,
            "--identity",
            "replies.key",
            "--output-dir",
            "answer",
        ],
    );
    let said = String::from_utf8_lossy(&opened.stdout);
    assert!(said.contains(ANSWER), "{said}");
    assert!(said.contains("Subject: Re: Your results"), "{said}");
    assert!(said.contains("Answers: envelope "), "{said}");
    assert!(
        said.contains("to alex@example.org, subject \"Your results\""),
        "{said}"
    );
    for (file_name, _, bytes) in &fixture.files {
        assert_eq!(
            sha256_hex(&std::fs::read(dir.join("answer").join(file_name)).unwrap()),
            sha256_hex(bytes),
            "{file_name}"
        );
    }

    // The recipient re-opens what they sent, with the same passphrase.
    session.open_page(&reply).await;
    assert_eq!(
        session.text("label").await,
        "Re: Results from Example Clinic"
    );
    session.submit(PASSPHRASE).await;
    assert!(session.shown("message").await);
    assert!(session.text("m-text").await.contains(ANSWER));
    assert_eq!(
        session
            .js("return document.querySelectorAll('#m-attachments li').length")
            .await,
        json!(2)
    );
    assert!(!session.shown("m-reply").await, "a reply asks for no reply");
    session.close().await;
}

/// axe-core (WCAG 2.0-2.2 A and AA) finds nothing in the page's state.
async fn assert_no_violations(session: &Session, state: &str) {
    let found = end_to_end_tests::axe::violations(session).await;
    assert!(
        found.is_empty(),
        "{:?}, {state}: {}",
        session.browser,
        found.join("\n")
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_reply_is_sealed_in_chromium() {
    replies_in(Browser::Chromium).await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_reply_is_sealed_in_firefox() {
    replies_in(Browser::Firefox).await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_reply_is_sealed_in_webkit() {
    replies_in(Browser::WebKit).await;
}

/// A reply over the sender's limit is said to be, and not sealed; nor is
/// an empty one.
#[tokio::test(flavor = "current_thread")]
async fn a_reply_over_the_limit_or_empty_is_refused_before_any_work() {
    if skip(Browser::Chromium) {
        return;
    }
    let dir = end_to_end_tests::scratch("reply-limit", "chromium");
    let fixture = fixture(&dir);
    let session = Session::start(Browser::Chromium, &dir).await;
    open_and_start_reply(&session, &fixture.small_limit).await;
    session.click("#m-reply-seal").await;
    assert!(session.shown("m-reply-error").await);
    assert!(
        session
            .text("m-reply-error")
            .await
            .contains("Write a message")
    );
    add_file(&session, &fixture.files[1].1, 1).await;
    assert_eq!(
        session
            .js("return document.getElementById('m-reply-total').className")
            .await,
        json!("problem")
    );
    session.click("#m-reply-seal").await;
    assert!(session.text("m-reply-error").await.contains("Too large"));
    assert!(!session.shown("m-reply-done").await);
    // Removed again: back under the limit.
    session.click("#m-reply-list button").await;
    assert_eq!(
        session
            .js("return document.querySelectorAll('#m-reply-list li').length")
            .await,
        json!(0)
    );
    assert!(
        session
            .text("m-reply-total")
            .await
            .starts_with("Size: 0 bytes")
    );
    session.close().await;
}

/// On a phone (Chromium's emulation, 390 CSS px, touch): the reply form and
/// the sealed reply's actions fit the screen, and every control a finger
/// uses is at least 44 × 44 CSS px.
#[tokio::test(flavor = "current_thread")]
async fn the_reply_form_fits_a_phone() {
    if skip(Browser::Chromium) {
        return;
    }
    let dir = end_to_end_tests::scratch("reply-phone", "chromium");
    let fixture = fixture(&dir);
    let session = Session::start_phone(&dir, 390, 844).await;
    open_and_start_reply(&session, &fixture.asks).await;
    add_file(&session, &fixture.files[0].1, 1).await;
    let layout = |state: &'static str| {
        let session = &session;
        async move {
            let widths = session
                .js("return [document.documentElement.scrollWidth, screen.width]")
                .await;
            assert!(
                widths[0].as_f64() <= widths[1].as_f64(),
                "{state}: {widths}"
            );
            let small = session
                .js(
                    "return [...document.querySelectorAll('#m-reply input, #m-reply button, \
                     #m-reply a[href], #m-reply textarea')] \
                     .filter(e => e.getClientRects().length > 0) \
                     .map(e => [e.id || e.textContent.trim(), e.getBoundingClientRect()]) \
                     .filter(([, r]) => r.width < 44 || r.height < 44) \
                     .map(([n, r]) => `${n}: ${Math.round(r.width)} x ${Math.round(r.height)}`)",
                )
                .await;
            assert_eq!(small, json!([]), "{state}");
        }
    };
    layout("the form").await;
    session
        .js("document.getElementById('m-reply-text').value = 'Thank you.'; return true")
        .await;
    seal_and_wait(&session).await;
    layout("the sealed reply's actions").await;
    session.close().await;
}

/// The opener site (served on loopback, every request logged): a page
/// chosen there that asks for replies offers "Reply securely" too, and the
/// answer is made from that page's own decryptor, with no request reaching
/// the server after the site loaded.
#[tokio::test(flavor = "current_thread")]
async fn a_reply_from_the_opener_site() {
    if skip(Browser::Chromium) {
        return;
    }
    let dir = end_to_end_tests::scratch("reply-opener", "chromium");
    let fixture = fixture(&dir);
    sealer(&dir, &["opener", "--output", "site"]);
    let server = end_to_end_tests::site_server::SiteServer::serve(&dir.join("site"), "opener");
    let session = Session::start(Browser::Chromium, &dir).await;
    session.client.goto(&server.url).await.unwrap();
    session
        .wait_for(
            "the file field",
            "return document.getElementById('opener-file') !== null",
        )
        .await;
    // The site has loaded once its service worker has kept its files.
    session
        .wait_for(
            "the service worker",
            "return document.body.dataset.offline === 'ready'",
        )
        .await;
    server.clear();
    let field = session
        .client
        .find(Locator::Id("opener-file"))
        .await
        .unwrap();
    field
        .send_keys(&fixture.asks.display().to_string())
        .await
        .unwrap();
    session
        .wait_for(
            "the passphrase form",
            "return document.getElementById('open-button') !== null",
        )
        .await;
    session.submit(PASSPHRASE).await;
    session.click("#m-reply-start").await;
    add_file(&session, &fixture.files[0].1, 1).await;
    catch_blobs(&session).await;
    seal_and_wait(&session).await;
    let page = sealed_reply(&session).await;
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.method != "GET" || !r.path.ends_with("sw.js"))
            .count(),
        0,
        "{:?}",
        server.requests()
    );
    session.close().await;
    std::fs::write(dir.join("reply.html"), &page).unwrap();
    sealer(&dir, &["verify", "reply.html"]);
    let opened = sealer(
        &dir,
        &[
            "open",
            "reply.html",
            "--identity",
            "replies.key",
            "--output-dir",
            "answer",
        ],
    );
    assert!(String::from_utf8_lossy(&opened.stdout).contains("Answers: envelope "));
    assert_eq!(
        std::fs::read(dir.join("answer/diary.txt")).unwrap(),
        fixture.files[0].2
    );
}
