//! The page on a phone and on a narrow screen, in Chromium's mobile
//! emulation (a touch screen, 3 device pixels per CSS px): at 390 × 844
//! CSS px (an iPhone 13) and at 320 CSS px wide (WCAG 1.4.10 reflow), the
//! page never scrolls sideways, and every control a finger uses is at least
//! 44 × 44 CSS px (WCAG 2.5.5), before opening and on the result screen.
//! `SKIP_BROWSER_TESTS=1` skips them.

// A failed unwrap here is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use end_to_end_tests::webdriver::Session;
use envelope_core::{Attachment, KdfParams, Message, Passphrase, SealOptions};
use serde_json::{Value, json};

const PASSPHRASE: &str = "abacus-zoology-tulip-ember-gravel-lantern";

fn scratch(name: &str) -> PathBuf {
    end_to_end_tests::scratch("phone", name)
}

/// A page with what makes a narrow screen hard: a long label and hint,
/// long unbroken names and addresses, original headers, several
/// attachments and a receipt to confirm.
fn page(dir: &Path) -> PathBuf {
    let long = "Laboratoriumsbefundbericht".repeat(3);
    let message = Message::new()
        .from(format!(
            "{long} <records.department.of.laboratory.medicine@clinic.example>"
        ))
        .to("zoe.patient.with.a.long.address@example.org")
        .subject(format!("Your results: {long}"))
        .text_body(format!("Dear Zoë,\n{long}\nhttps://example.org/{long}\n"))
        .original_headers("Received: from a\n".to_owned())
        .attach(Attachment::from_bytes(
            format!("{long}.pdf"),
            "application/pdf",
            b"%PDF-1.7\n".to_vec(),
        ))
        .attach(Attachment::from_bytes(
            "notes.txt",
            "text/plain",
            b"notes".to_vec(),
        ));
    let options = SealOptions::new()
        .kdf(KdfParams::MIN)
        .generated_passphrase(Passphrase::new(PASSPHRASE))
        .label(format!("Secure message from {long}"))
        .hint(format!("the six words {long}"))
        .request_receipt("records@clinic.example");
    let (envelope, _) = envelope_core::seal_with_receipt(message, &options, Vec::new()).unwrap();
    let path = dir.join("envelope.html");
    std::fs::write(
        &path,
        sealer::render_page(&envelope, &sealer::PageOptions::default()).unwrap(),
    )
    .unwrap();
    path
}

/// The page's width against the screen's (a page wider than the screen
/// widens the layout viewport too, so the screen is the measure), and each
/// shown control that is smaller than 44 × 44 CSS px (with its size).
async fn layout(session: &Session) -> (Value, Value) {
    let widths = session
        .js("return [document.documentElement.scrollWidth, screen.width]")
        .await;
    let small = session
        .js(
            "return [...document.querySelectorAll('input, button, a[href], summary')] \
             .filter(e => e.getClientRects().length > 0) \
             .map(e => [e.id || e.textContent.trim(), e.getBoundingClientRect()]) \
             .filter(([, r]) => r.width < 44 || r.height < 44) \
             .map(([name, r]) => `${name}: ${Math.round(r.width)} x ${Math.round(r.height)}`)",
        )
        .await;
    (widths, small)
}

async fn fits(width: u32, height: u32) {
    if std::env::var_os("SKIP_BROWSER_TESTS").is_some() {
        eprintln!("SKIP_BROWSER_TESTS is set: not testing the phone layout");
        return;
    }
    let dir = scratch(&format!("{width}"));
    let page = page(&dir);
    let session = Session::start_phone(&dir, width, height).await;
    session.open_page(&page).await;
    assert_eq!(session.js("return screen.width").await, json!(width));
    let (widths, small) = layout(&session).await;
    assert!(
        widths[0].as_u64() <= widths[1].as_u64(),
        "{width} px, before opening: {widths}"
    );
    assert_eq!(small, json!([]), "{width} px, before opening");

    // Opened by touch: tapping the field, typing, tapping the button.
    session.submit(PASSPHRASE).await;
    assert!(
        session.shown("message").await,
        "{}",
        session.text("error").await
    );
    assert!(session.shown("m-receipt").await);
    let (widths, small) = layout(&session).await;
    assert!(
        widths[0].as_u64() <= widths[1].as_u64(),
        "{width} px, opened: {widths}"
    );
    assert_eq!(small, json!([]), "{width} px, opened");
    // Every download button is on the screen's width, not past it.
    let buttons = session
        .js(
            "return [...document.querySelectorAll('#m-attachments button')] \
             .map(b => b.getBoundingClientRect().right <= screen.width)",
        )
        .await;
    assert_eq!(buttons, json!([true, true]));
    session.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "current_thread")]
async fn the_page_fits_a_phone() {
    fits(390, 844).await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_page_reflows_at_320_css_px() {
    fits(320, 640).await;
}
