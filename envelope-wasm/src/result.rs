//! The message screen, built in `#app` once the envelope has opened and
//! verified: who sent it, its subject and date first; then the
//! attachments, each with its name, kind and size and a download button
//! named after it, and "Save all" when there are several; then the body,
//! the formatted one when there is one (with a switch to the plain text),
//! else the text; then the original headers and the receipt, when there
//! are any. No section is built empty.

use std::rc::Rc;

use envelope_core::{
    Manifest, PartKind, PartVerdict, Receipt, ScanOutcome, SignatureCheck, VirusScan, visible_bidi,
};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, Element, Event, HtmlAnchorElement, HtmlIFrameElement, Url};

use crate::chunks::Plaintext;
use crate::content::Verified;
use crate::inert::inert_html;
use crate::locale;
use crate::page::{Page, add, id};
use crate::safety::{download_type, html_body_document, kind_of_file};
use crate::texts::{filled, text};
use crate::zip;

/// Builds the message screen in `#app`.
pub(crate) fn show(
    page: &Page,
    verified: &Verified,
    plaintext: Plaintext,
    receipt: Option<&Receipt>,
    reply: Option<crate::reply::Offer>,
) -> Result<(), JsValue> {
    let manifest: &Manifest = verified.layout.manifest();
    let section = page.make(
        "section",
        &[
            ("id", id::MESSAGE),
            ("aria-labelledby", id::MESSAGE_HEADING),
        ],
        None,
    )?;
    add(
        &section,
        &page.make(
            "h2",
            &[("id", id::MESSAGE_HEADING), ("tabindex", "-1")],
            Some(&text("page.message")),
        )?,
    )?;
    add(&section, &fields(page, manifest)?)?;
    if let Some(signature) = &verified.signature {
        add(&section, &signature_line(page, signature)?)?;
    }
    // Nothing at all without a record: no reassurance that was not earned.
    if let Some(scan) = &manifest.virus_scan {
        add(&section, &virus_scan_line(page, scan)?)?;
    }
    let plaintext = Rc::new(plaintext);
    if !manifest.attachments.is_empty() {
        add(&section, &attachments(page, verified, &plaintext)?)?;
    }
    if let Some(body) = body(page, verified, &plaintext)? {
        add(&section, &body)?;
    }
    if let Some(headers) = &manifest.original_headers {
        let details = page.make("details", &[("id", id::ORIGINAL_HEADERS_ROW)], None)?;
        add(
            &details,
            &page.make("summary", &[], Some(&text("page.original_headers")))?,
        )?;
        add(
            &details,
            &page.make(
                "pre",
                &[("id", id::ORIGINAL_HEADERS), ("dir", "ltr")],
                Some(&visible_bidi(headers)),
            )?,
        )?;
        add(&section, &details)?;
    }
    if let Some(receipt) = receipt {
        add(&section, &receipt_offer(page, receipt)?)?;
    }
    if let Some(reply) = reply {
        add(&section, &crate::reply::section(page, reply)?)?;
    }
    page.element(id::APP)?.append_child(&section)?;
    Ok(())
}

/// From, subject, date (in this device's time zone, in the page's
/// language), then To and Cc when there are any.
fn fields(page: &Page, manifest: &Manifest) -> Result<Element, JsValue> {
    let list = page.make("dl", &[], None)?;
    let date = locale::date_time(manifest.date.unix_seconds);
    let rows = [
        (
            "page.from",
            id::FROM,
            visible_bidi(&manifest.from).into_owned(),
        ),
        (
            "page.subject",
            id::SUBJECT,
            visible_bidi(&manifest.subject).into_owned(),
        ),
        ("page.date", id::DATE, date),
        (
            "page.to",
            id::TO,
            visible_bidi(&manifest.to.join(", ")).into_owned(),
        ),
        (
            "page.cc",
            id::CC,
            visible_bidi(&manifest.cc.join(", ")).into_owned(),
        ),
    ];
    for (label, element_id, value) in rows {
        if value.is_empty() && matches!(label, "page.to" | "page.cc") {
            continue;
        }
        let row = page.make("div", &[], None)?;
        add(&row, &page.make("dt", &[], Some(&text(label)))?)?;
        // The sender's words keep their own direction in a right-to-left
        // page (and an address its brackets): each value is isolated.
        add(
            &row,
            &page.make("dd", &[("id", element_id), ("dir", "auto")], Some(&value))?,
        )?;
        add(&list, &row)?;
    }
    Ok(list)
}

/// Who signed it: a fingerprint to compare with one received another way,
/// or a warning.
fn signature_line(page: &Page, signature: &SignatureCheck) -> Result<Element, JsValue> {
    let (key, class, signer) = match signature {
        SignatureCheck::Valid(signer) => ("signature.valid", "signed", signer),
        SignatureCheck::Invalid(signer) => ("signature.invalid", "problem", signer),
    };
    let fingerprint = signer.fingerprint().to_string();
    page.make(
        "p",
        &[("id", id::SIGNATURE), ("class", class)],
        Some(&filled(key, &[("fingerprint", &fingerprint)])),
    )
}

/// What the sender's virus scan found: no threat (with the scanner and its
/// signatures' day), what it did not check, or that it could not run.
fn virus_scan_line(page: &Page, scan: &VirusScan) -> Result<Element, JsValue> {
    let said = match scan.outcome {
        ScanOutcome::ScannerUnavailable => text("scan.unavailable"),
        ScanOutcome::Scanned => {
            let scanner = visible_bidi(&scan.scanner).into_owned();
            let clean = match scan.signatures {
                Some(signatures) => filled(
                    "scan.clean",
                    &[
                        ("scanner", &scanner),
                        ("date", &locale::date(signatures.built_at)),
                    ],
                ),
                None => filled("scan.clean_undated", &[("scanner", &scanner)]),
            };
            let unchecked: Vec<String> = scan
                .parts
                .iter()
                .filter(|part| part.verdict == PartVerdict::NotScanned)
                .map(|part| visible_bidi(&part.name).into_owned())
                .collect();
            if unchecked.is_empty() {
                clean
            } else {
                let names = unchecked.join(", ");
                format!(
                    "{clean} {}",
                    filled("scan.not_checked", &[("names", &names)])
                )
            }
        }
    };
    let class = if scan.all_clean() {
        "checked"
    } else {
        "problem"
    };
    page.make(
        "p",
        &[("id", id::VIRUS_SCAN), ("class", class)],
        Some(&said),
    )
}

/// The attachments: name, kind and size, a download button named after
/// the file, and "Save all" (one ZIP) when there are several.
fn attachments(
    page: &Page,
    verified: &Verified,
    plaintext: &Rc<Plaintext>,
) -> Result<Element, JsValue> {
    let manifest = verified.layout.manifest();
    let section = page.make(
        "section",
        &[("aria-labelledby", "m-attachments-heading")],
        None,
    )?;
    add(
        &section,
        &page.make(
            "h3",
            &[("id", "m-attachments-heading")],
            Some(&filled(
                "page.attachments",
                &[("count", &manifest.attachments.len().to_string())],
            )),
        )?,
    )?;
    let list = page.make("ul", &[("id", id::ATTACHMENTS)], None)?;
    let mut files = Vec::new();
    for (index, info) in manifest.attachments.iter().enumerate() {
        let Some((start, len)) = verified.layout.part(PartKind::Attachment(index)) else {
            continue;
        };
        let shown_name = visible_bidi(&info.name);
        let item = page.make("li", &[], None)?;
        add(
            &item,
            &page.make("span", &[("class", "name")], Some(&shown_name))?,
        )?;
        let details = format!(
            "{} \u{b7} {}",
            text(kind_of_file(&info.media_type, &info.name)),
            locale::size(info.size)
        );
        add(
            &item,
            &page.make("span", &[("class", "details")], Some(&details))?,
        )?;
        // Named with its file: thirty buttons all called "Download" say
        // nothing to a screen reader.
        let button = page.make(
            "button",
            &[
                ("type", "button"),
                ("data-index", &index.to_string()),
                (
                    "aria-label",
                    &filled("page.download_named", &[("name", &isolated(&shown_name))]),
                ),
            ],
            Some(&text("page.download")),
        )?;
        let file_name = envelope_core::safe_file_name(&info.name);
        let media_type = download_type(&info.media_type);
        let source = plaintext.clone();
        let range = (start, len);
        files.push((file_name.clone(), range));
        on_click(&button, move || {
            let parts = Array::of1(&source.view(range.0, range.1));
            let _ = download(&parts, &file_name, media_type);
        })?;
        add(&item, &button)?;
        add(&list, &item)?;
    }
    add(&section, &list)?;
    if files.len() > 1 {
        let date = manifest.date.unix_seconds;
        let source = plaintext.clone();
        let button = page.make(
            "button",
            &[("id", id::SAVE_ALL), ("type", "button")],
            Some(&text("page.save_all")),
        )?;
        on_click(&button, move || {
            let _ = save_all(&source, &files, date);
        })?;
        let row = page.make("p", &[], None)?;
        add(&row, &button)?;
        add(
            &row,
            &page.make(
                "span",
                &[("class", "details")],
                Some(&format!(" {}", text("page.save_all_note"))),
            )?,
        )?;
        add(&section, &row)?;
    }
    Ok(section)
}

/// The body: the formatted one (inert, in a sandboxed frame) when there is
/// one, with a switch to the plain text when that has any; else the plain
/// text; `None` when both are empty.
fn body(
    page: &Page,
    verified: &Verified,
    plaintext: &Plaintext,
) -> Result<Option<Element>, JsValue> {
    let plain = visible_bidi(&verified.text);
    let has_plain = !plain.trim().is_empty();
    let Some(html) = &verified.html else {
        return if has_plain {
            Ok(Some(page.make(
                "pre",
                &[("id", id::TEXT), ("dir", "auto")],
                Some(&plain),
            )?))
        } else {
            Ok(None)
        };
    };
    let part = page.make("div", &[("class", "body")], None)?;
    let text_body = page.make(
        "pre",
        &[("id", id::TEXT), ("hidden", ""), ("dir", "auto")],
        Some(&plain),
    )?;
    if has_plain {
        let switch = page.make(
            "button",
            &[
                ("id", id::BODY_SWITCH),
                ("type", "button"),
                ("aria-pressed", "false"),
            ],
            Some(&text("page.show_plain")),
        )?;
        let switch_for_click = switch.clone();
        on_click(&switch, move || {
            let _ = switch_body(&switch_for_click);
        })?;
        let row = page.make("p", &[], None)?;
        add(&row, &switch)?;
        add(&part, &row)?;
    }
    let inert = inert_html(html, &cid_images(verified, plaintext))?;
    // What was left out, said rather than silently missing.
    for (count, key) in [
        (inert.remote_images, "page.remote_images"),
        (inert.embedded_images, "page.embedded_images"),
    ] {
        if count > 0 {
            let note = filled(key, &[("count", &count.to_string())]);
            add(
                &part,
                &page.make("p", &[("class", "details")], Some(&note))?,
            )?;
        }
    }
    // The sandbox lets nothing in the frame run (no `allow-scripts`); a
    // link opens only on a click, in a new tab outside the sandbox, without
    // opener or referrer (`allow-popups…`); and the page, not the frame,
    // may read the frame's document (`allow-same-origin`), to make the
    // frame as tall as the message, so that it scrolls with the page, by
    // keyboard too. See docs/THREAT-MODEL.md, "The HTML body".
    let frame = page
        .make(
            "iframe",
            &[
                ("id", id::HTML),
                (
                    "sandbox",
                    "allow-same-origin allow-popups allow-popups-to-escape-sandbox",
                ),
                ("referrerpolicy", "no-referrer"),
                ("title", &text("page.formatted")),
            ],
            None,
        )?
        .dyn_into::<HtmlIFrameElement>()?;
    let to_fit = frame.clone();
    let fit = Closure::<dyn FnMut(Event)>::new(move |_event: Event| fit_frame(&to_fit));
    frame.add_event_listener_with_callback("load", fit.as_ref().unchecked_ref())?;
    if let Some(window) = web_sys::window() {
        window.add_event_listener_with_callback("resize", fit.as_ref().unchecked_ref())?;
    }
    fit.forget();
    frame.set_srcdoc(&html_body_document(&inert.html));
    add(&part, &frame)?;
    add(&part, &text_body)?;
    Ok(Some(part))
}

/// The attachments an HTML body may show as `cid:` images: those with a
/// Content-ID whose type is a still image a browser only displays (PNG,
/// JPEG, GIF, WebP; never SVG), each as a `blob:` URL of its bytes.
fn cid_images(verified: &Verified, plaintext: &Plaintext) -> Vec<(String, String)> {
    let manifest = verified.layout.manifest();
    manifest
        .attachments
        .iter()
        .enumerate()
        .filter_map(|(index, info)| {
            let id = info.content_id.as_ref()?;
            let media_type = download_type(&info.media_type);
            if !matches!(
                media_type,
                "image/png" | "image/jpeg" | "image/gif" | "image/webp"
            ) {
                return None;
            }
            let (start, len) = verified.layout.part(PartKind::Attachment(index))?;
            let options = BlobPropertyBag::new();
            options.set_type(media_type);
            let parts = Array::of1(&plaintext.view(start, len));
            let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
            let url = Url::create_object_url_with_blob(&blob).ok()?;
            Some((id.clone(), url))
        })
        .collect()
}

/// Makes the frame as tall as the message in it.
fn fit_frame(frame: &HtmlIFrameElement) {
    let Some(height) = frame
        .content_document()
        .and_then(|document| document.document_element())
        .map(|root| root.scroll_height())
    else {
        return;
    };
    // Down first: a frame only grows to fit otherwise.
    let style = frame.style();
    let _ = style.set_property("height", "0");
    let height = frame
        .content_document()
        .and_then(|document| document.document_element())
        .map_or(height, |root| root.scroll_height());
    let _ = style.set_property("height", &format!("{}px", height.max(48) + 4));
}

/// Shows the plain text instead of the formatted body, or back.
fn switch_body(switch: &Element) -> Result<(), JsValue> {
    let page = Page::get()?;
    let to_plain = switch.get_attribute("aria-pressed").as_deref() != Some("true");
    page.show(id::TEXT, to_plain)?;
    page.show(id::HTML, !to_plain)?;
    switch.set_attribute("aria-pressed", if to_plain { "true" } else { "false" })?;
    switch.set_text_content(Some(&text(if to_plain {
        "page.show_formatted"
    } else {
        "page.show_plain"
    })));
    Ok(())
}

/// The sender asked for a receipt: a "Confirm receipt" link that opens the
/// recipient's mail program with the code, and the code and address as
/// text for those without one. The recipient chooses whether to send it.
fn receipt_offer(page: &Page, receipt: &Receipt) -> Result<Element, JsValue> {
    let section = page.make(
        "section",
        &[
            ("id", id::RECEIPT),
            ("aria-labelledby", "m-receipt-heading"),
        ],
        None,
    )?;
    add(
        &section,
        &page.make(
            "h3",
            &[("id", "m-receipt-heading")],
            Some(&text("page.receipt")),
        )?,
    )?;
    add(
        &section,
        &page.make("p", &[], Some(&text("page.receipt_request")))?,
    )?;
    let mailto = receipt.mailto_with(
        &text("page.receipt_subject"),
        &filled("page.receipt_body", &[("code", &receipt.code.to_string())]),
    );
    let link = page.make(
        "a",
        &[
            ("id", id::RECEIPT_LINK),
            ("class", "button"),
            ("href", &mailto),
        ],
        Some(&text("page.receipt_confirm")),
    )?;
    let row = page.make("p", &[], None)?;
    add(&row, &link)?;
    add(&section, &row)?;
    let fallback = text("page.receipt_fallback");
    let (before, after) = fallback
        .split_once("{address}")
        .unwrap_or((fallback.as_str(), ""));
    let line = page.make("p", &[], None)?;
    add(&line, &page.document.create_text_node(before))?;
    add(
        &line,
        &page.make("span", &[("id", id::RECEIPT_TO)], Some(&receipt.to))?,
    )?;
    add(&line, &page.document.create_text_node(after))?;
    add(&line, &page.document.create_text_node(" "))?;
    add(
        &line,
        &page.make(
            "code",
            &[("id", id::RECEIPT_CODE)],
            Some(&receipt.code.to_string()),
        )?,
    )?;
    add(&section, &line)?;
    Ok(section)
}

/// `text` (the sender's words, shown in a sentence of the page's language)
/// between a first-strong isolate and its pop, so that it keeps its own
/// direction in the sentence. `text` has been through `visible_bidi`, so
/// it holds no isolate of its own.
pub(crate) fn isolated(text: &str) -> String {
    format!("\u{2068}{text}\u{2069}")
}

fn on_click(element: &Element, mut action: impl FnMut() + 'static) -> Result<(), JsValue> {
    let closure = Closure::<dyn FnMut(Event)>::new(move |_event: Event| action());
    element.add_event_listener_with_callback("click", closure.as_ref().unchecked_ref())?;
    closure.forget();
    Ok(())
}

/// Every attachment in one stored ZIP, built as a Blob of the headers and
/// views of the decrypted bytes (no attachment is copied; each is read
/// once, in pieces, for its CRC-32).
fn save_all(
    plaintext: &Plaintext,
    files: &[(String, (u64, u64))],
    date: i64,
) -> Result<(), JsValue> {
    const PIECE: u64 = 1 << 20;
    let names: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
    let mut entries = Vec::with_capacity(files.len());
    for (name, (_, (start, len))) in zip::unique_names(&names).into_iter().zip(files) {
        let mut crc = zip::Crc32::default();
        let mut at = 0;
        while at < *len {
            let piece = PIECE.min(len - at);
            crc.update(&plaintext.view(start + at, piece).to_vec());
            at += piece;
        }
        entries.push(zip::Entry {
            name,
            crc32: crc.finish(),
            size: u32::try_from(*len).map_err(|_| JsValue::from_str("too big for a ZIP"))?,
        });
    }
    let layout =
        zip::layout(&entries, date).ok_or_else(|| JsValue::from_str("too big for a ZIP"))?;
    let parts = Array::new();
    for ((_, (start, len)), local) in files.iter().zip(&layout.local_headers) {
        parts.push(&Uint8Array::from(local.as_slice()));
        parts.push(&plaintext.view(*start, *len));
    }
    parts.push(&Uint8Array::from(layout.directory.as_slice()));
    let name = format!(
        "{}.zip",
        envelope_core::safe_file_name(&text("page.save_all_file"))
    );
    download(&parts, &name, "application/zip")
}

/// A `blob:` URL of `parts` (views of the decrypted bytes and new bytes),
/// typed `media_type`: nothing is copied into WebAssembly.
fn blob_url(parts: &Array, media_type: &str) -> Result<String, JsValue> {
    let options = BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = Blob::new_with_u8_array_sequence_and_options(parts, &options)?;
    Url::create_object_url_with_blob(&blob)
}

/// Hands `parts` to the browser as one file download.
fn download(parts: &Array, file_name: &str, media_type: &str) -> Result<(), JsValue> {
    let url = blob_url(parts, media_type)?;
    let page = Page::get()?;
    let anchor = page
        .document
        .create_element("a")?
        .dyn_into::<HtmlAnchorElement>()?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.set_attribute("hidden", "")?;
    if let Some(body) = page.document.body() {
        add(&body, &anchor)?;
        anchor.click();
        body.remove_child(&anchor)?;
    }
    // Revoke later: the download starts asynchronously.
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        window.set_timeout_with_callback_and_timeout_and_arguments_0(
            revoke.unchecked_ref(),
            60_000,
        )?;
    }
    Ok(())
}
