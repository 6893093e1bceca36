//! Screenshots of the page for the documentation (`docs/screenshots/`): the
//! demo envelope in Chromium, Firefox and WebKitGTK, light and dark, at the
//! prompt and opened; and on a phone (Chromium's emulation, 390 × 844) in
//! English and Arabic. Not a test: run it after a change to the page with
//!
//! ```sh
//! cargo test -p end-to-end-tests --test screenshots -- --ignored
//! ```

// A failed unwrap here is a failed run, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use end_to_end_tests::webdriver::{Browser, Session};
use envelope_core::{KdfParams, Passphrase, SealOptions};

const PASSPHRASE: &str = "abacus-zoology-tulip-ember-gravel-lantern";

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The demo message, sealed, as a page in `lang`.
fn demo_page(dir: &Path, lang: &str) -> PathBuf {
    let options = SealOptions::new()
        .kdf(KdfParams::MIN)
        .generated_passphrase(Passphrase::new(PASSPHRASE))
        .label("Your results from Example Clinic")
        .hint("the six words we read to you by phone")
        .request_receipt("records@clinic.example");
    let (envelope, _) =
        envelope_core::seal_with_receipt(sealer::demo_message(), &options, Vec::new()).unwrap();
    let mut page_options = sealer::PageOptions::default();
    page_options.branding.lang = lang.to_owned();
    page_options.branding.organisation = Some("Example Clinic".to_owned());
    let path = dir.join(format!("demo-{lang}.html"));
    std::fs::write(
        &path,
        sealer::render_page(&envelope, &page_options).unwrap(),
    )
    .unwrap();
    path
}

async fn shoot(session: &Session, name: &str) {
    // The whole page where the driver can (Firefox); the window elsewhere.
    let png = session.client.screenshot().await.unwrap();
    std::fs::write(out_dir().join(format!("{name}.png")), png).unwrap();
}

async fn prompt_and_opened(session: &Session, page: &Path, name: &str) {
    session.open_page(page).await;
    shoot(session, &format!("{name}-prompt")).await;
    session.submit(PASSPHRASE).await;
    assert!(
        session.shown("message").await,
        "{}",
        session.text("error").await
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    shoot(session, &format!("{name}-opened")).await;
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "writes docs/screenshots/; run by hand"]
async fn screenshots() {
    let dir = std::env::temp_dir().join(format!("screenshots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let english = demo_page(&dir, "en");
    let arabic = demo_page(&dir, "ar");
    for browser in [Browser::Chromium, Browser::Firefox, Browser::WebKit] {
        let name = format!("{browser:?}").to_lowercase();
        for dark in [false, true] {
            let session = if dark {
                Session::start_dark(browser, &dir).await
            } else {
                Session::start(browser, &dir).await
            };
            session
                .client
                .set_window_size(1024, 900)
                .await
                .unwrap_or_default();
            let scheme = if dark { "dark" } else { "light" };
            prompt_and_opened(&session, &english, &format!("desktop-{name}-{scheme}")).await;
            session.close().await;
        }
    }
    for (lang, page) in [("en", &english), ("ar", &arabic)] {
        let session = Session::start_phone(&dir, 390, 844).await;
        prompt_and_opened(&session, page, &format!("phone-chromium-{lang}")).await;
        session.close().await;
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// The opener site on a phone (Chromium's emulation, 390 × 844; and
/// WebKitGTK's window at that size): the file field, the demo envelope
/// chosen, and opened.
#[tokio::test(flavor = "current_thread")]
#[ignore = "writes docs/screenshots/; run by hand"]
async fn opener_screenshots() {
    use end_to_end_tests::site_server::SiteServer;
    let dir = std::env::temp_dir().join(format!("opener-shots-{}", std::process::id()));
    let site = dir.join("site");
    std::fs::create_dir_all(&site).unwrap();
    let page = demo_page(&dir, "en");
    let mut options = sealer::PageOptions::default();
    options.branding.organisation = Some("Example Clinic".to_owned());
    options.branding.accent_colour = Some("#7a1f5c".parse().unwrap());
    options.branding.contact = Some("Records office: 0123 456 789".to_owned());
    for (name, bytes) in sealer::opener::render_opener(&options).unwrap().files {
        std::fs::write(site.join(name), bytes).unwrap();
    }
    let server = SiteServer::serve(&site, "open");
    for browser in [Browser::Chromium, Browser::WebKit] {
        let session = match browser {
            Browser::Chromium => Session::start_phone(&dir, 390, 844).await,
            _ => {
                let session = Session::start(browser, &dir).await;
                session
                    .client
                    .set_window_size(390, 844)
                    .await
                    .unwrap_or_default();
                session
            }
        };
        let name = format!("opener-{browser:?}-phone").to_lowercase();
        session.client.goto(&server.url).await.unwrap();
        session
            .wait_for(
                "the file field",
                "return document.getElementById('opener-file') !== null",
            )
            .await;
        shoot(&session, &format!("{name}-file")).await;
        session
            .client
            .find(fantoccini::Locator::Id("opener-file"))
            .await
            .unwrap()
            .send_keys(&page.display().to_string())
            .await
            .unwrap();
        session
            .wait_for(
                "the passphrase form",
                "return document.getElementById('open-button') !== null",
            )
            .await;
        shoot(&session, &format!("{name}-prompt")).await;
        session.submit(PASSPHRASE).await;
        assert!(session.shown("message").await);
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        shoot(&session, &format!("{name}-opened")).await;
        session.close().await;
    }
    let _ = std::fs::remove_dir_all(dir);
}
