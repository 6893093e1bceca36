//! The opener site (`sealer opener`) in real browsers, served over HTTP on
//! loopback under a path, as an organisation hosts it: an envelope page and
//! the e-mail that carries it, chosen in the file field (or dropped, or
//! shared), open on the device
//! and their attachments download byte-identical; once the site has loaded,
//! the browser sends nothing (the server logs every request); once its
//! service worker is active, the site opens with the network gone; axe-core
//! finds no WCAG 2.2 AA violation in any of its states.
//! `SKIP_BROWSER_TESTS=1` skips them.

// A failed unwrap here is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use end_to_end_tests::sealer_command;
use end_to_end_tests::site_server::SiteServer;
use end_to_end_tests::webdriver::{Browser, Session, sha256_hex};
use fantoccini::Locator;
use serde_json::json;

const PASSPHRASE: &str = "tulip-gravel-sonnet-ember-abacus-zoology";
const LABEL: &str = "Results from Example Clinic";

/// What a phone's share sheet does with a file shared to the installed
/// opener (its manifest's `share_target`): a form post to `./share`.
const SHARE_FORM: &str = "<!DOCTYPE html><meta charset=\"utf-8\"><title>Share</title>\
    <link rel=\"icon\" href=\"data:,\">\
    <form method=\"post\" enctype=\"multipart/form-data\" action=\"/opener/share\">\
    <input type=\"file\" name=\"envelope\" id=\"file\"><button id=\"send\">Share</button></form>";

/// What the tests open: an envelope page, the notice e-mail that carries
/// it, the attachments sealed in it, and the opener site.
struct Fixture {
    page: PathBuf,
    mail: PathBuf,
    not_an_envelope: PathBuf,
    attachments: Vec<Vec<u8>>,
    site: PathBuf,
}

fn fixture(dir: &Path) -> Fixture {
    std::fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    std::fs::write(
        dir.join("letter.txt"),
        "Dear Alex,\n\nYour results are attached.\n",
    )
    .unwrap();
    let attachments: Vec<Vec<u8>> = [(150_000, 7), (70_001, 91)]
        .iter()
        .map(|&(len, seed)| {
            (0..len)
                .map(|i: usize| (i as u8).wrapping_mul(167).wrapping_add(seed) ^ (i >> 9) as u8)
                .collect()
        })
        .collect();
    std::fs::write(dir.join("report.pdf"), &attachments[0]).unwrap();
    std::fs::write(dir.join("scan.bin"), &attachments[1]).unwrap();
    std::fs::write(dir.join("letter.pdf.txt"), "just a letter").unwrap();
    let sealed = sealer_command()
        .current_dir(dir)
        .args([
            "seal",
            "--from",
            "Dr. Ada <ada@clinic.example>",
            "--to",
            "alex@example.org",
            "--subject",
            "Your results",
            "--body",
            "letter.txt",
            "--attach",
            "report.pdf",
            "--attach",
            "scan.bin",
            "--label",
            LABEL,
            "--passphrase-file",
            "pass.txt",
            "--output",
            "results.html",
            "--eml",
            "results.eml",
        ])
        .output()
        .unwrap();
    assert!(sealed.status.success(), "{sealed:?}");
    let made = sealer_command()
        .current_dir(dir)
        .args(["opener", "--output", "site"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    Fixture {
        page: dir.join("results.html"),
        mail: dir.join("results.eml"),
        not_an_envelope: dir.join("letter.pdf.txt"),
        attachments,
        site: dir.join("site"),
    }
}

/// Chooses `file` in the opener's file field, as a recipient does.
async fn choose(session: &Session, file: &Path) {
    session
        .wait_for(
            "the file field",
            "return document.getElementById('opener-file') !== null",
        )
        .await;
    let field = session
        .client
        .find(Locator::Id("opener-file"))
        .await
        .unwrap();
    field.send_keys(&file.display().to_string()).await.unwrap();
}

/// Chooses an envelope file, opens it with the passphrase and checks the
/// message and every download.
async fn open_through_the_opener(session: &Session, file: &Path, fixture: &Fixture) {
    choose(session, file).await;
    session
        .wait_for(
            "the passphrase form",
            "return document.getElementById('open-button') !== null",
        )
        .await;
    assert_eq!(session.text("opener-label").await, LABEL);
    // The focus goes on to the field the recipient types in next.
    assert_eq!(
        session
            .js("return document.activeElement && document.activeElement.id")
            .await,
        json!("passphrase")
    );
    session.submit(PASSPHRASE).await;
    assert_eq!(session.text("error").await, "", "{:?}", session.browser);
    assert_eq!(session.text("m-subject").await, "Your results");
    // The envelope's label stays over its message.
    assert_eq!(session.text("opener-label").await, LABEL);
    for (index, bytes) in fixture.attachments.iter().enumerate() {
        let css = format!("#m-attachments button[data-index=\"{index}\"]");
        let downloaded = session.downloaded_digest(&css, bytes.len()).await;
        assert_eq!(downloaded, sha256_hex(bytes), "attachment {index} differs");
    }
}

async fn the_opener_works(session: Session, dir: &Path) {
    let fixture = fixture(dir);
    let server = SiteServer::serve_with(
        &fixture.site,
        "opener",
        vec![("/share.html".to_owned(), SHARE_FORM.as_bytes().to_vec())],
    );
    session.client.goto(&server.url).await.unwrap();
    session
        .wait_for(
            "the opener to start",
            "return document.getElementById('opener-file') !== null",
        )
        .await;
    let has_workers = session
        .js("return 'serviceWorker' in navigator && window.isSecureContext")
        .await
        == json!(true);
    if has_workers {
        session
            .wait_for(
                "the service worker",
                "return document.body.dataset.offline === 'ready'",
            )
            .await;
    }
    assert_no_violations(&session, "the file field").await;
    // It names the decryptor that runs, as the README publishes it.
    let [(wasm_sha256, _), ..] = sealer::decryptor_digests();
    let release = session.text("opener-release").await;
    assert!(release.contains(&wasm_sha256), "{release}");
    assert!(
        release.contains(&format!("+{}", &wasm_sha256[..8])),
        "{release}"
    );
    let loaded = server.requests();
    eprintln!(
        "{:?} loaded the site with {loaded:?} (service worker: {has_workers})",
        session.browser
    );
    assert!(
        loaded.iter().all(|r| r.method == "GET" && r.body_len == 0),
        "{loaded:?}"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    server.clear();

    // Something that is not an envelope is named, and the field stays.
    choose(&session, &fixture.not_an_envelope).await;
    session
        .wait_for(
            "the refusal",
            "return !document.getElementById('error').hidden",
        )
        .await;
    let refusal = session.text("error").await;
    assert!(
        refusal.contains("letter.pdf.txt") && refusal.contains("is not a secure message"),
        "{refusal}"
    );

    assert_no_violations(&session, "a file refused").await;
    open_through_the_opener(&session, &fixture.page, &fixture).await;
    assert_no_violations(&session, "a message open").await;
    session
        .click_then_wait(
            "#opener-again",
            "file field again",
            "return document.getElementById('opener-file') !== null",
        )
        .await;
    // Back to the file field, the message and its label gone.
    assert_eq!(session.text("m-subject").await, "");
    assert_eq!(session.text("opener-label").await, "");
    open_through_the_opener(&session, &fixture.mail, &fixture).await;

    // Dropped on the page, as from a computer's file manager (the page's
    // drop handler, given the drop event a browser makes).
    session
        .click_then_wait(
            "#opener-again",
            "file field again",
            "return document.getElementById('opener-drop') !== null",
        )
        .await;
    let page = std::fs::read_to_string(&fixture.page).unwrap();
    session
        .client
        .execute(
            "const [text, name] = arguments; \
             const transfer = new DataTransfer(); \
             transfer.items.add(new File([text], name, { type: 'text/html' })); \
             document.getElementById('opener-drop').dispatchEvent(new DragEvent('drop', \
               { dataTransfer: transfer, bubbles: true, cancelable: true })); \
             return true;",
            vec![json!(page), json!("results.html")],
        )
        .await
        .unwrap();
    session
        .wait_for(
            "the dropped envelope's passphrase form",
            "return document.getElementById('open-button') !== null",
        )
        .await;
    assert_eq!(session.text("opener-label").await, LABEL);
    session.submit(PASSPHRASE).await;
    assert_eq!(session.text("m-subject").await, "Your results");

    // Nothing left the device: not a request, not a byte.
    let after = server.requests();
    assert!(after.is_empty(), "{:?} sent {after:?}", session.browser);

    // A file shared to the installed opener (the share sheet posts it to
    // ./share, as its manifest says): its service worker keeps it on the
    // device, and the opener reads it. Nothing reaches the server.
    if has_workers {
        let share_page = server.url.replace("/opener/", "/share.html");
        session.client.goto(&share_page).await.unwrap();
        server.clear();
        let field = session.client.find(Locator::Id("file")).await.unwrap();
        field
            .send_keys(&fixture.mail.display().to_string())
            .await
            .unwrap();
        session.click("#send").await;
        session
            .wait_for(
                "the shared envelope's passphrase form",
                "return document.getElementById('open-button') !== null",
            )
            .await;
        assert_eq!(session.text("opener-label").await, LABEL);
        session.submit(PASSPHRASE).await;
        assert_eq!(session.text("m-subject").await, "Your results");
        // The post never reached the server; the opener's load (a
        // navigation) may have the browser check its worker for an update.
        let shared = server.requests();
        assert!(
            shared
                .iter()
                .all(|r| r.method == "GET" && r.body_len == 0 && r.path == "/opener/sw.js"),
            "{:?} sent {shared:?}",
            session.browser
        );
        // Read once, then gone from the device's storage.
        let left = session
            .client
            .execute_async(
                "const done = arguments[0]; caches.open('sealer-opener shared')\
                 .then(c => c.keys()).then(k => done(k.length), e => done(String(e)));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(left, json!(0), "{:?}", session.browser);
    }

    // With the network gone, the site still opens, from its worker.
    if has_workers {
        server.go_offline();
        // Going to the address again, as a recipient does (a reload may
        // bypass the worker, as a forced one does).
        session.client.goto("about:blank").await.unwrap();
        session.client.goto(&server.url).await.unwrap();
        session
            .wait_for(
                "the opener, offline",
                "return document.getElementById('opener-file') !== null",
            )
            .await;
        open_through_the_opener(&session, &fixture.page, &fixture).await;
    }
    session.close().await;
}

/// WCAG 2.2 A and AA, by axe-core, in the state the opener is in.
async fn assert_no_violations(session: &Session, state: &str) {
    let found = end_to_end_tests::axe::violations(session).await;
    assert!(
        found.is_empty(),
        "{:?}, {state}: {}",
        session.browser,
        found.join("\n")
    );
}

fn skip(browser: Browser) -> bool {
    let skip = std::env::var_os("SKIP_BROWSER_TESTS").is_some();
    if skip {
        eprintln!("SKIP_BROWSER_TESTS is set: not testing {browser:?}");
    }
    skip
}

async fn in_browser(browser: Browser) {
    if skip(browser) {
        return;
    }
    let dir = end_to_end_tests::scratch("opener", &format!("{browser:?}"));
    the_opener_works(Session::start(browser, &dir).await, &dir).await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_opener_works_in_chromium() {
    in_browser(Browser::Chromium).await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_opener_works_in_firefox() {
    in_browser(Browser::Firefox).await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_opener_works_in_webkit() {
    in_browser(Browser::WebKit).await;
}

/// A phone: Chromium's mobile emulation, a touch screen 390 CSS px wide.
#[tokio::test(flavor = "current_thread")]
async fn the_opener_works_on_a_phone() {
    if skip(Browser::Chromium) {
        return;
    }
    let dir = end_to_end_tests::scratch("opener", "phone");
    the_opener_works(Session::start_phone(&dir, 390, 844).await, &dir).await;
}

/// `sealer verify URL`: the site as its server serves it, every file
/// against the release, and what the server does wrong named.
#[test]
fn sealer_verify_reads_the_site_its_server_serves() {
    let dir = end_to_end_tests::scratch("opener", "verify-url");
    let made = sealer_command()
        .current_dir(&dir)
        .args([
            "opener",
            "--output",
            "site",
            "--organisation",
            "Example Clinic",
        ])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let site = dir.join("site");
    let server = SiteServer::serve(&site, "opener");
    let verify = |url: &str| sealer_command().args(["verify", url]).output().unwrap();

    let verified = verify(&server.url);
    assert_eq!(verified.status.code(), Some(0), "{verified:?}");
    let said = String::from_utf8_lossy(&verified.stdout);
    assert!(said.contains("is exactly the opener site"), "{said}");
    // Only GETs of the site's files (and the address itself).
    assert!(server.requests().iter().all(|r| r.method == "GET"));

    // One changed byte, as served.
    let worker = site.join("sw.js");
    let original = std::fs::read(&worker).unwrap();
    let mut changed = original.clone();
    changed[10] ^= 0x20;
    std::fs::write(&worker, &changed).unwrap();
    let refused = verify(&server.url);
    assert_eq!(refused.status.code(), Some(5), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("sw.js"));
    std::fs::write(&worker, &original).unwrap();

    // A file the server does not serve.
    std::fs::remove_file(site.join("icon-512.png")).unwrap();
    let refused = verify(&server.url);
    assert_eq!(refused.status.code(), Some(5), "{refused:?}");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("icon-512.png answers 404"),
        "{refused:?}"
    );
}
