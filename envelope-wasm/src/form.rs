//! The passphrase form, built in `#app` once the decryptor runs: a page
//! whose scripts do not run never shows a form it cannot use.

use envelope_core::Header;
use wasm_bindgen::JsValue;

use crate::page::{Page, add, id};
use crate::texts::{filled, text};

/// Builds the lead text and the form (field, show/hide, Open) in `#app`,
/// with the envelope's public hint as the field's description.
pub(crate) fn build(page: &Page, header: &Header) -> Result<(), JsValue> {
    let app = page.element(id::APP)?;
    add(
        &app,
        &page.make("p", &[("class", "lead")], Some(&text("page.lead")))?,
    )?;
    let form = page.make("form", &[("id", id::FORM)], None)?;
    add(
        &form,
        &page.make(
            "label",
            &[("for", id::PASSPHRASE)],
            Some(&text("page.passphrase")),
        )?,
    )?;
    let hint = header
        .hint
        .as_deref()
        .filter(|hint| !hint.trim().is_empty());
    if let Some(hint) = hint {
        let hint = envelope_core::visible_bidi(hint);
        add(
            &form,
            &page.make(
                "p",
                &[("id", id::HINT)],
                Some(&filled(
                    "page.hint",
                    &[("hint", &crate::result::isolated(&hint))],
                )),
            )?,
        )?;
    }
    let row = page.make("div", &[("class", "row")], None)?;
    let mut field = vec![
        ("id", id::PASSPHRASE),
        ("name", "passphrase"),
        ("type", "password"),
        // Password managers and pasting are welcome (WCAG 3.3.8).
        ("autocomplete", "current-password"),
        ("autocapitalize", "off"),
        ("spellcheck", "false"),
        ("required", ""),
    ];
    if hint.is_some() {
        field.push(("aria-describedby", id::HINT));
    }
    add(&row, &page.make("input", &field, None)?)?;
    add(
        &row,
        &page.make(
            "button",
            &[
                ("id", id::TOGGLE),
                ("type", "button"),
                ("aria-pressed", "false"),
                ("aria-controls", id::PASSPHRASE),
            ],
            Some(&text("page.show")),
        )?,
    )?;
    add(&form, &row)?;
    add(
        &form,
        &page.make(
            "button",
            &[("id", id::SUBMIT), ("type", "submit")],
            Some(&text("page.open")),
        )?,
    )?;
    add(&app, &form)?;
    Ok(())
}

/// Removes the lead and the form once the message is open.
pub(crate) fn remove(page: &Page) -> Result<(), JsValue> {
    page.element(id::APP)?.set_text_content(None);
    Ok(())
}
