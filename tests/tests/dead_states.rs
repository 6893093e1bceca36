//! No dead states: wherever the decryptor cannot run, the recipient sees one
//! explanation of what to do, and no form, no empty message skeleton, no
//! receipt request, no "Loading…" that never ends. Tried in a text-only
//! browser (`w3m -dump`), with scripts off and without WebAssembly in each
//! engine, and in a sandboxed frame, as a mail program's preview shows an
//! attachment. `SKIP_BROWSER_TESTS=1` skips the browser ones.

// A failed unwrap here is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use end_to_end_tests::webdriver::{Browser, Session};
use envelope_core::{Attachment, KdfParams, Message, Passphrase, SealOptions};
use sealer::texts::Texts;
use serde_json::json;

fn scratch(name: &str) -> PathBuf {
    end_to_end_tests::scratch("dead", name)
}

/// A page with a hint, an attachment and a receipt request, in `lang`.
fn page(dir: &Path, lang: &str) -> PathBuf {
    let message = Message::new()
        .from("records@clinic.example")
        .subject("Your results")
        .text_body("Dear Zo\u{eb}")
        .attach(Attachment::from_bytes(
            "results.pdf",
            "application/pdf",
            b"%PDF-1.7\n".to_vec(),
        ));
    let options = SealOptions::new()
        .kdf(KdfParams::MIN)
        .passphrase(Passphrase::new("pw"))
        .label("Results from Example Clinic")
        .hint("the word we agreed")
        .request_receipt("records@clinic.example");
    let (envelope, _) = envelope_core::seal_with_receipt(message, &options, Vec::new()).unwrap();
    let mut page_options = sealer::PageOptions::default();
    page_options.branding.lang = lang.to_owned();
    let path = dir.join(format!("envelope-{lang}.html"));
    std::fs::write(
        &path,
        sealer::render_page(&envelope, &page_options).unwrap(),
    )
    .unwrap();
    path
}

const OPENER_URL: &str = "https://secure.clinic.example/open/";

/// A page whose organisation has an opener site.
fn page_with_opener(dir: &Path) -> PathBuf {
    let options = SealOptions::new()
        .kdf(KdfParams::MIN)
        .passphrase(Passphrase::new("pw"));
    let envelope = envelope_core::seal_to_vec(Message::new().subject("s"), &options).unwrap();
    let mut page_options = sealer::PageOptions::default();
    page_options.branding.opener_url = Some(OPENER_URL.parse().unwrap());
    let path = dir.join("envelope-opener.html");
    std::fs::write(
        &path,
        sealer::render_page(&envelope, &page_options).unwrap(),
    )
    .unwrap();
    path
}

/// What a page without an opener address says where its scripts do not
/// run: why, and what to do on a computer, an Android phone, an iPhone.
fn explanation(texts: &Texts) -> String {
    words(&format!(
        "{} {} {}",
        texts.get("page.no_script"),
        texts.get("guide.android"),
        texts.get("guide.iphone")
    ))
}

/// Opens `page` and waits until it says, in its error line, that it cannot
/// run here.
async fn says_it_cannot_run(session: &Session, page: &Path) {
    session.goto_page(page).await;
    session
        .wait_for(
            "the page to say it cannot run",
            "return document.readyState === 'complete' && \
             !document.getElementById('error').hidden",
        )
        .await;
}

/// `text` with every run of white space one space.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` without white space (a text-only browser folds lines, and in
/// Chinese anywhere).
fn unspaced(text: &str) -> String {
    text.split_whitespace().collect()
}

/// Texts of the pack that must never show where the decryptor did not run.
fn never_shown(texts: &Texts) -> Vec<String> {
    [
        "page.passphrase",
        "page.open",
        "page.show",
        "page.loading",
        "page.message",
        "page.receipt_confirm",
        "page.receipt_request",
        "page.attachments",
        "page.lead",
    ]
    .iter()
    .map(|key| {
        texts
            .get(key)
            .split(['{', '('])
            .next()
            .unwrap()
            .trim()
            .to_owned()
    })
    .collect()
}

#[test]
fn a_text_only_browser_shows_one_explanation_and_nothing_else() {
    if Command::new("w3m").arg("-version").output().is_err() {
        panic!("w3m is not installed: apt-get install w3m (scripts/install-test-deps.sh)");
    }
    let dir = scratch("w3m");
    for lang in ["en", "ar", "zh-Hans"] {
        let texts = Texts::built_in(lang).unwrap();
        let path = page(&dir, lang);
        let output = Command::new("w3m")
            .args(["-dump", "-cols", "80", "-O", "UTF-8", "-T", "text/html"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(output.status.success());
        let shown = words(&String::from_utf8(output.stdout).unwrap());
        // The label, then the explanation, and nothing else.
        assert_eq!(
            unspaced(&shown),
            unspaced(&format!(
                "Results from Example Clinic {}",
                explanation(&texts)
            )),
            "{lang}"
        );
        for text in never_shown(&texts) {
            assert!(!shown.contains(&text), "{lang}: {text:?} in {shown}");
        }
        assert!(!shown.contains("the word we agreed"), "{lang}: {shown}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// The page as a browser shows it with the decryptor unable to run: its
/// visible text, and the form controls in it.
async fn visible(session: &Session) -> (String, serde_json::Value) {
    let text = session.js("return document.body.innerText").await;
    let controls = session
        .js("return document.querySelectorAll('form, input, button, a[href], iframe').length")
        .await;
    (words(text.as_str().unwrap_or_default()), controls)
}

async fn dead_states_in(browser: Browser) {
    if std::env::var_os("SKIP_BROWSER_TESTS").is_some() {
        eprintln!("SKIP_BROWSER_TESTS is set: not testing {browser:?}");
        return;
    }
    let dir = scratch(&format!("{browser:?}"));
    let english = Texts::english();
    let path = page(&dir, "en");
    let opener_page = page_with_opener(&dir);
    let site = dir.join("site");
    std::fs::create_dir_all(&site).unwrap();
    for (name, bytes) in sealer::opener::render_opener(&sealer::PageOptions::default())
        .unwrap()
        .files
    {
        std::fs::write(site.join(name), bytes).unwrap();
    }

    // Scripts off, as in a mail program's preview.
    let session = Session::start_with(browser, &dir, false).await;
    session.goto_page(&path).await;
    let (shown, controls) = visible(&session).await;
    assert!(
        shown.contains(&explanation(&english)),
        "{browser:?}: {shown}"
    );
    assert_eq!(
        controls,
        json!(0),
        "{browser:?}: a control with scripts off"
    );
    for text in never_shown(&english) {
        assert!(!shown.contains(&text), "{browser:?}: {text:?} in {shown}");
    }
    session.close().await;

    // A page whose decryptor's blocks were damaged in transit says so.
    a_damaged_decryptor_says_so(browser, &dir, &path, &english).await;
    if browser == Browser::Chromium {
        a_browser_too_old_says_so(&dir, &path, &english).await;
    }

    // No WebAssembly (Safari's Lockdown Mode): the reason and what to do,
    // said once, in place of the form. WebKitGTK has no switch that removes
    // it (JavaScriptCore ignores `JSC_useWebAssembly` in release builds, and
    // without its JIT it interprets WebAssembly): the loader's check is
    // the same script in every engine, tried here in the other two.
    if browser == Browser::WebKit {
        sandboxed_preview(browser, &dir, &path, &english).await;
        let _ = std::fs::remove_dir_all(dir);
        return;
    }
    let session = Session::start_without_webassembly(browser, &dir).await;
    says_it_cannot_run(&session, &path).await;
    assert_eq!(
        session.js("return typeof WebAssembly").await,
        json!("undefined"),
        "{browser:?}: WebAssembly is still there"
    );
    let (shown, controls) = visible(&session).await;
    assert_eq!(
        session.text("error").await,
        sealer::texts::no_webassembly_advice(&english, None)
    );
    assert_eq!(
        controls,
        json!(0),
        "{browser:?}: a control without WebAssembly"
    );
    assert!(
        !shown.contains(&words(english.get("page.no_script"))),
        "{shown}"
    );
    for text in never_shown(&english) {
        assert!(!shown.contains(&text), "{browser:?}: {text:?} in {shown}");
    }
    // With the organisation's opener: where to go, and what to turn off.
    says_it_cannot_run(&session, &opener_page).await;
    let advice = session.text("error").await;
    assert_eq!(
        advice,
        sealer::texts::no_webassembly_advice(&english, Some(OPENER_URL))
    );
    assert!(advice.contains(OPENER_URL) && advice.contains("Lockdown Mode"));
    // The opener itself: what to turn off for it, and no file field.
    says_it_cannot_run(&session, &site.join("index.html")).await;
    assert_eq!(session.text("error").await, english.get("opener.no_wasm"));
    let (_, controls) = visible(&session).await;
    assert_eq!(
        controls,
        json!(0),
        "{browser:?}: a dead control in the opener"
    );
    session.close().await;
    sandboxed_preview(browser, &dir, &path, &english).await;
    let _ = std::fs::remove_dir_all(dir);
}

/// The glue's block or the module's block damaged (a line of their base64
/// changed, or the glue's block gone): the loader says the decryptor
/// failed, with the browser's reason, and there is no form and no
/// "Loading…" left behind.
async fn a_damaged_decryptor_says_so(browser: Browser, dir: &Path, path: &Path, english: &Texts) {
    let page = std::fs::read_to_string(path).unwrap();
    let first_line_of = |id: &str| {
        let marker = format!("id=\"{id}\">\r\n");
        let start = page.find(&marker).unwrap() + marker.len();
        let end = start + page[start..].find("\r\n").unwrap();
        page[start..end].to_owned()
    };
    let broken = |id: &str| {
        let line = first_line_of(id);
        page.replacen(&line, &"A".repeat(line.len()), 1)
    };
    let variants = [
        ("glue", broken("decryptor-js")),
        ("module", broken("decryptor-wasm")),
        (
            "no-glue",
            page.replacen("id=\"decryptor-js\"", "id=\"decryptor-gone\"", 1),
        ),
    ];
    let (before, after) = english
        .get("error.unexpected")
        .split_once("{error}")
        .unwrap();
    let session = Session::start(browser, dir).await;
    for (name, variant) in variants {
        assert_ne!(variant, page, "{name}");
        let damaged = dir.join(format!("damaged-{name}.html"));
        std::fs::write(&damaged, variant).unwrap();
        session.goto_page(&damaged).await;
        session
            .wait_for(
                "the decryptor's failure to be told",
                "const e = document.getElementById('error'); return e !== null && !e.hidden",
            )
            .await;
        let error = session.text("error").await;
        assert!(
            error.starts_with(before)
                && error.ends_with(after)
                && error.len() > before.len() + after.len(),
            "{browser:?} {name}: {error}"
        );
        assert_eq!(session.text("status").await, "", "{browser:?} {name}");
        let (_, controls) = visible(&session).await;
        assert_eq!(controls, json!(0), "{browser:?} {name}: a dead control");
    }
    session.close().await;
}

/// A browser without `DecompressionStream` (Firefox before 113, Safari
/// before 16.4), made in Chromium by removing it before the page's scripts
/// run (DevTools): the page says the browser is too old and what to do,
/// with no form, no control and no "Loading…".
async fn a_browser_too_old_says_so(dir: &Path, path: &Path, english: &Texts) {
    let session = Session::start(Browser::Chromium, dir).await;
    session
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "delete window.DecompressionStream;" }),
        )
        .await;
    says_it_cannot_run(&session, path).await;
    assert_eq!(
        session.js("return typeof DecompressionStream").await,
        json!("undefined")
    );
    assert_eq!(session.text("error").await, english.get("page.old_browser"));
    assert_eq!(session.text("status").await, "");
    let (_, controls) = visible(&session).await;
    assert_eq!(controls, json!(0), "a dead control in a browser too old");
    session.close().await;
}

/// In a sandboxed frame without scripts, as a mail preview may show the
/// attachment: the frame shows the explanation, and nothing runs.
async fn sandboxed_preview(browser: Browser, dir: &Path, path: &Path, english: &Texts) {
    let preview = dir.join("preview.html");
    std::fs::write(
        &preview,
        format!(
            "<!DOCTYPE html><title>Preview</title>\
             <iframe sandbox=\"\" src=\"{}\" style=\"width:40em;height:30em\"></iframe>",
            path.file_name().unwrap().to_string_lossy()
        ),
    )
    .unwrap();
    let session = Session::start(browser, dir).await;
    session.goto_page(&preview).await;
    session
        .wait_for(
            "the preview to load",
            "return document.readyState === 'complete'",
        )
        .await;
    let frame = session
        .client
        .find(fantoccini::Locator::Css("iframe"))
        .await
        .unwrap();
    frame.enter_frame().await.unwrap();
    let noscript = session
        .client
        .find(fantoccini::Locator::Css("noscript p"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(words(&noscript), explanation(english), "{browser:?}");
    let forms = session
        .client
        .find_all(fantoccini::Locator::Css("form, input, button"))
        .await
        .unwrap();
    assert!(
        forms.is_empty(),
        "{browser:?}: a form in the sandboxed preview"
    );
    session.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "current_thread")]
async fn no_dead_state_in_chromium() {
    dead_states_in(Browser::Chromium).await;
}

#[tokio::test(flavor = "current_thread")]
async fn no_dead_state_in_firefox() {
    dead_states_in(Browser::Firefox).await;
}

#[tokio::test(flavor = "current_thread")]
async fn no_dead_state_in_webkit() {
    dead_states_in(Browser::WebKit).await;
}
