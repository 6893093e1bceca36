//! What the page says while it opens an envelope: the step it is on
//! ("Checking the passphrase…", "Reading the message…", "Decrypting…
//! 70 %") and, where the amount is known, how far along, so that a slow
//! phone never shows one step's words during another.
//!
//! The progress bar moves at each hundredth; the status line, which a screen
//! reader reads out, only at each tenth, so that it is not flooded.

use wasm_bindgen::JsValue;

use crate::page::{Page, id};
use crate::texts::{filled, text};

/// The most time the page's thread works between two paints while it
/// reads or decrypts (a bar that moves, a page that answers).
const PAINT_EVERY_MS: f64 = 100.0;

/// The status line and progress bar of one opening.
pub(crate) struct Progress<'a> {
    page: &'a Page,
    /// The text shown and the tenth it showed, so it changes only when the
    /// words would.
    said: Option<(&'static str, u64)>,
    /// The hundredth the bar last showed, so that the page's markup changes
    /// a hundred times at most, however many chunks there are.
    bar_at: Option<u64>,
    painted_at: f64,
}

impl<'a> Progress<'a> {
    /// "Checking the passphrase…", with a bar that only says work goes on.
    pub(crate) fn checking(page: &'a Page) -> Result<Progress<'a>, JsValue> {
        page.status(&text("status.checking"))?;
        let bar = page.element(id::PROGRESS)?;
        bar.remove_attribute("value")?;
        page.show(id::PROGRESS, true)?;
        Ok(Progress {
            page,
            said: None,
            bar_at: None,
            painted_at: now(),
        })
    }

    /// Reading the message: the page is still being parsed (how much of it
    /// there is cannot be known before it is all parsed), so the bar only
    /// says work goes on.
    pub(crate) fn reading(&mut self) {
        const READING: &str = "status.reading";
        if self.said.map(|(said, _)| said) != Some(READING) {
            if let Ok(bar) = self.page.element(id::PROGRESS) {
                let _ = bar.remove_attribute("value");
            }
            self.bar_at = None;
            let _ = self.page.status(&text(READING));
            self.said = Some((READING, 0));
        }
    }

    /// Decrypting: `done` of `total` chunks read, decrypted and in place.
    /// The bar moves at each hundredth; the status line at each tenth.
    pub(crate) fn decrypting(&mut self, done: u64, total: u64) {
        const DECRYPTING: &str = "status.decrypting";
        let total = total.max(1);
        let done = done.min(total);
        let hundredth = done * 100 / total;
        if self.bar_at != Some(hundredth)
            && let Ok(bar) = self.page.element(id::PROGRESS)
        {
            let _ = bar.set_attribute("max", "100");
            let _ = bar.set_attribute("value", &hundredth.to_string());
            self.bar_at = Some(hundredth);
        }
        let tenth = done * 10 / total;
        if self.said != Some((DECRYPTING, tenth)) {
            let shown = (tenth * 10).to_string();
            let _ = self
                .page
                .status(&filled(DECRYPTING, &[("percent", &shown)]));
            self.said = Some((DECRYPTING, tenth));
        }
    }

    /// Lets the browser paint (and parse) when the page's thread has worked
    /// for [`PAINT_EVERY_MS`] since it last did.
    pub(crate) async fn paint_if_due(&mut self) {
        if now() - self.painted_at >= PAINT_EVERY_MS {
            crate::app::next_frame().await;
            self.painted_at = now();
        }
    }

    /// Hides the bar once the work is done (or failed).
    pub(crate) fn end(self) {
        let _ = self.page.show(id::PROGRESS, false);
    }
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}
