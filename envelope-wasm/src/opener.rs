//! The opener site (`sealer opener`): this same decryptor, hosted by an
//! organisation, opens an envelope file the recipient picks (or drops, or
//! shares to it), on the device. It is how a phone that will not run a
//! local file's scripts (an iPhone) opens an envelope at all.
//!
//! The picked file is read here, never sent: an envelope page is parsed
//! with `DOMParser` (which runs none of its scripts and loads nothing) and
//! its blocks found by the one reading rule; an e-mail saved from a mail
//! program is searched for its envelope page by `envelope_core::mail`'s
//! rule, the one `sealer open` applies. The page's own decryptor is never
//! used: only this one, whose release and module hash the page shows.

use std::cell::Cell;

use envelope_core::{Error, ErrorKind, Header, mail};
use js_sys::{Reflect, Uint8Array};
use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{Blob, Document, DomParser, DragEvent, Event, HtmlInputElement, SupportedType};

use crate::app::{self, Source};
use crate::page::{Page, add, id};
use crate::texts::{filled, text};
use crate::{chunks, locale};

/// The largest envelope page the opener reads: its text must fit in one
/// JavaScript string (about 512 Mi characters in Chromium), and a phone
/// must hold it and the message. A bigger envelope opens from its own file
/// on a computer.
const MAX_PAGE_FILE: u64 = 256 * 1024 * 1024;

/// What the opener accepts in its file dialog: pages and saved e-mails.
const ACCEPTED: &str = ".html,.htm,.eml,text/html,message/rfc822";

thread_local! {
    /// Whether a picked file is being read (a second one waits its turn).
    static READING: Cell<bool> = const { Cell::new(false) };
}

/// Starts the opener: names the decryptor, makes the site work offline,
/// and asks for a file.
pub(crate) fn start(page: &Page) -> Result<(), JsValue> {
    show_release(page)?;
    keep_offline();
    accept_drops(page)?;
    ask_for_file(page)?;
    take_shared();
    app::mark("ready");
    Ok(())
}

/// The cache the service worker keeps a shared file in, and its key.
const SHARED_CACHE: &str = "sealer-opener shared";
const SHARED_KEY: &str = "shared";

/// A file shared to the installed opener (`?shared`): the service worker
/// kept it on the device; read it once, delete it, and open it.
fn take_shared() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if !window
        .location()
        .search()
        .is_ok_and(|search| search == "?shared")
    {
        return;
    }
    // The address without `?shared`: a reload does not look again.
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some("./"));
    }
    spawn_local(async move {
        if let Some((name, blob)) = shared_file().await {
            read_chosen(name, blob);
        }
    });
}

/// The shared file the service worker kept, removed from its cache.
async fn shared_file() -> Option<(String, Blob)> {
    let window = web_sys::window()?;
    let caches = window.caches().ok()?;
    let cache: web_sys::Cache = JsFuture::from(caches.open(SHARED_CACHE))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let key = web_sys::Url::new_with_base(SHARED_KEY, &window.document()?.base_uri().ok()??)
        .ok()?
        .href();
    let response: web_sys::Response = JsFuture::from(cache.match_with_str(&key))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let name = response
        .headers()
        .get("X-File-Name")
        .ok()
        .flatten()
        .and_then(|name| js_sys::decode_uri_component(&name).ok())
        .map(String::from)
        .unwrap_or_default();
    let blob: Blob = JsFuture::from(response.blob().ok()?)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let _ = JsFuture::from(cache.delete_with_str(&key)).await;
    Some((name, blob))
}

/// Writes this decryptor's release and its module's SHA-256, computed from
/// the module's bytes the loader inflated and instantiated
/// (`envelopeDecryptorModule`), so that what the recipient reads is what
/// runs (and what `sealer verify` and the README publish).
fn show_release(page: &Page) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let module: Uint8Array = Reflect::get(&window, &"envelopeDecryptorModule".into())?
        .dyn_into()
        .map_err(|_| JsValue::from_str("the loader kept no module"))?;
    let sha256 = hex(&Sha256::digest(module.to_vec()));
    let release = format!("{}+{}", env!("CARGO_PKG_VERSION"), &sha256[..8]);
    page.set_text(
        id::OPENER_RELEASE,
        &filled(
            "opener.release",
            &[("release", &release), ("sha256", &sha256)],
        ),
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Registers the site's service worker (`sw.js`, which keeps the site's
/// own files), where the browser has one: over HTTPS (or from loopback),
/// not from a file. Marks `<body data-offline="ready">` once it is active.
fn keep_offline() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    let has_workers = js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        && window.is_secure_context();
    if !has_workers {
        return;
    }
    let container = navigator.service_worker();
    let options = web_sys::RegistrationOptions::new();
    options.set_scope("./");
    let registered = container.register_with_options("sw.js", &options);
    spawn_local(async move {
        if JsFuture::from(registered).await.is_err() {
            return;
        }
        if let Ok(ready) = container.ready()
            && JsFuture::from(ready).await.is_ok()
            && let Some(body) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-offline", "ready");
        }
    });
}

/// A file dropped anywhere on the page is read as if chosen (and never
/// opened by the browser itself, which would leave the site).
fn accept_drops(page: &Page) -> Result<(), JsValue> {
    let on_drag = Closure::<dyn FnMut(Event)>::new(|event: Event| event.prevent_default());
    page.document
        .add_event_listener_with_callback("dragover", on_drag.as_ref().unchecked_ref())?;
    on_drag.forget();
    let on_drop = Closure::<dyn FnMut(DragEvent)>::new(|event: DragEvent| {
        event.prevent_default();
        let file = event
            .data_transfer()
            .and_then(|transfer| transfer.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            read_chosen(file.name(), file.into());
        }
    });
    page.document
        .add_event_listener_with_callback("drop", on_drop.as_ref().unchecked_ref())?;
    on_drop.forget();
    Ok(())
}

/// Builds the file field in `#app` (and clears what was there).
fn ask_for_file(page: &Page) -> Result<(), JsValue> {
    let app = page.element(id::APP)?;
    app.set_text_content(None);
    remove_label(page);
    page.error(None)?;
    page.status("")?;
    add(
        &app,
        &page.make("p", &[("class", "lead")], Some(&text("opener.lead")))?,
    )?;
    let zone = page.make("div", &[("id", id::OPENER_DROP), ("class", "drop")], None)?;
    add(
        &zone,
        &page.make(
            "label",
            &[("for", id::OPENER_FILE)],
            Some(&text("opener.choose")),
        )?,
    )?;
    let field = page.make(
        "input",
        &[
            ("id", id::OPENER_FILE),
            ("type", "file"),
            ("accept", ACCEPTED),
        ],
        None,
    )?;
    add(&zone, &field)?;
    add(
        &zone,
        &page.make("p", &[("class", "note")], Some(&text("opener.drop")))?,
    )?;
    add(&app, &zone)?;
    let on_change = Closure::<dyn FnMut(Event)>::new(|event: Event| {
        let file = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            read_chosen(file.name(), file.into());
        }
    });
    field.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref())?;
    on_change.forget();
    page.status(&text("opener.waiting"))
}

/// Reads a chosen (dropped, shared) file named `name` and asks for its
/// passphrase, or says why it cannot be opened (and the file field stays,
/// to choose another).
fn read_chosen(name: String, file: Blob) {
    if READING.with(|reading| reading.replace(true)) {
        return;
    }
    spawn_local(async move {
        if let Ok(page) = Page::get() {
            let shown = match read_envelope(&page, &name, &file).await {
                Ok((document, header)) => show_envelope(&page, &header, document),
                Err(problem) => {
                    let _ = page.status("");
                    page.error(Some(&problem))
                }
            };
            if let Err(err) = shown {
                let error = err.as_string().unwrap_or_default();
                let _ = page.error(Some(&filled("error.unexpected", &[("error", &error)])));
            }
        }
        READING.with(|reading| reading.set(false));
    });
}

/// Replaces the file field with the envelope's label and the passphrase
/// form, the focus in its field.
fn show_envelope(page: &Page, header: &Header, document: Document) -> Result<(), JsValue> {
    let app = page.element(id::APP)?;
    app.set_text_content(None);
    page.error(None)?;
    let label = header
        .label
        .clone()
        .filter(|label| !label.trim().is_empty())
        .unwrap_or_else(|| text("page.title"));
    // Before #app, which the message replaces the form in: the label stays
    // over the message, as the page's own heading does.
    remove_label(page);
    let heading = page.make(
        "h2",
        &[("id", id::OPENER_LABEL), ("dir", "auto")],
        Some(&label),
    )?;
    app.before_with_node_1(&heading)?;
    app::ask_for_passphrase(page, header, Source::Picked(document))?;
    add(&app, &again_button(page)?)?;
    let _ = page.input(id::PASSPHRASE)?.focus();
    Ok(())
}

/// Removes the label of the envelope picked before, if any.
fn remove_label(page: &Page) {
    if let Some(label) = page.document.get_element_by_id(id::OPENER_LABEL) {
        label.remove();
    }
}

/// Once a message is shown: the button to open another.
pub(crate) fn offer_another(page: &Page) -> Result<(), JsValue> {
    add(&page.element(id::APP)?, &again_button(page)?)
}

/// "Open another message": back to the file field, the message gone.
fn again_button(page: &Page) -> Result<web_sys::Element, JsValue> {
    let button = page.make(
        "button",
        &[
            ("id", id::OPENER_AGAIN),
            ("type", "button"),
            ("class", "again"),
        ],
        Some(&text("opener.again")),
    )?;
    let on_click = Closure::<dyn FnMut(Event)>::new(|_event: Event| {
        if let Ok(page) = Page::get()
            && ask_for_file(&page).is_ok()
            && let Ok(field) = page.input(id::OPENER_FILE)
        {
            let _ = field.focus();
        }
    });
    button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    on_click.forget();
    Ok(button)
}

/// The envelope in a picked file, parsed and checked as far as it can be
/// without the passphrase; or the sentence that says why not.
async fn read_envelope(
    page: &Page,
    file_name: &str,
    file: &Blob,
) -> Result<(Document, Header), String> {
    let name = crate::result::isolated(&envelope_core::visible_bidi(file_name));
    page.error(None).map_err(|_| String::new())?;
    let _ = page.status(&filled("opener.reading", &[("file", &name)]));
    let size = file.size() as u64;
    let too_big = |limit: u64| {
        filled(
            "opener.too_big",
            &[
                ("file", &name),
                ("size", &locale::size(size)),
                ("limit", &locale::size(limit)),
            ],
        )
    };
    if size > MAX_PAGE_FILE {
        return Err(too_big(MAX_PAGE_FILE));
    }
    let not_envelope = || filled("opener.not_envelope", &[("file", &name)]);
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|err| {
        filled(
            "opener.unreadable",
            &[("file", &name), ("error", &js_text(&err))],
        )
    })?;
    let bytes = Uint8Array::new(&buffer);
    let head = bytes.subarray(0, bytes.length().min(256)).to_vec();
    // What it is, as `sealer open` decides; a raw envelope is no page.
    let text = match mail::file_kind(&head, Some(file_name)) {
        mail::FileKind::Page => utf8_text(&bytes).ok_or_else(not_envelope)?,
        mail::FileKind::Envelope | mail::FileKind::Other => return Err(not_envelope()),
        mail::FileKind::Mail => {
            if size > mail::MAX_MAIL_SIZE as u64 {
                return Err(too_big(mail::MAX_MAIL_SIZE as u64));
            }
            let mut pages = mail::html_attachments(&bytes.to_vec()).map_err(|err| match err {
                Error::NotAnEnvelope => not_envelope(),
                err => app::explain(&err),
            })?;
            drop(bytes);
            match pages.len() {
                0 => return Err(filled("opener.no_page_in_mail", &[("file", &name)])),
                1 => String::from_utf8(pages.remove(0).bytes).map_err(|_| not_envelope())?,
                count => {
                    return Err(filled(
                        "opener.several",
                        &[("file", &name), ("count", &count.to_string())],
                    ));
                }
            }
        }
    };
    let document = DomParser::new()
        .and_then(|parser| parser.parse_from_string(&text, SupportedType::TextHtml))
        .map_err(|err| {
            filled(
                "opener.unreadable",
                &[("file", &name), ("error", &js_text(&err))],
            )
        })?;
    drop(text);
    let checked = crate::page::envelope_blocks(&document).and_then(|blocks| {
        chunks::check_page_limit(blocks.chunks.len())?;
        let header = app::header_from(&blocks.header)?;
        header.check_not_expired(app::now())?;
        Ok(header)
    });
    let _ = page.status("");
    match checked {
        Ok(header) => Ok((document, header)),
        Err(err) if err.kind() == ErrorKind::NotAnEnvelope => Err(not_envelope()),
        Err(err) => Err(app::explain(&err)),
    }
}

/// The bytes as UTF-8 text (a byte-order mark dropped), or `None` when
/// they are not UTF-8: an envelope page is ASCII.
fn utf8_text(bytes: &Uint8Array) -> Option<String> {
    let options = web_sys::TextDecoderOptions::new();
    options.set_fatal(true);
    web_sys::TextDecoder::new_with_label_and_options("utf-8", &options)
        .and_then(|decoder| decoder.decode_with_buffer_source(bytes))
        .ok()
}

/// A JavaScript error as one line of text.
fn js_text(err: &JsValue) -> String {
    err.as_string()
        .or_else(|| {
            err.dyn_ref::<js_sys::Error>()
                .map(|err| String::from(err.message()))
        })
        .unwrap_or_default()
}
