//! Secure replies, sealed on this device: when the envelope asks for them
//! (its reply request) and the page carries the frame of a reply's page,
//! the message screen ends with "Reply securely". Its form takes a text
//! and files (picked or dropped), shows their size against the limit the
//! sender set, and on "Seal reply" seals a new envelope here, in
//! WebAssembly (random keys from `crypto.getRandomValues`): one slot for
//! the organisation's reply key, one under the key that opened this
//! envelope (so the same passphrase opens the answer), in a page made from
//! the frame and this page's own decryptor, byte for byte what the sealer
//! renders. It is offered as a download, with a `mailto:` link to the reply
//! address and, where the browser shares files, a Share button. Nothing
//! leaves the device but through the recipient's own mail program.

use std::cell::RefCell;
use std::rc::Rc;

use envelope_core::reply_page::{Hole, REPLY_PAGE_ID, ReplyFrame};
use envelope_core::{
    Attachment, Header, Manifest, Message, MessageDate, RecipientKey, ReplyRequest, ReplySlotKey,
    SealOptions, seal_to_vec,
};
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobPropertyBag, Document, DragEvent, Element, Event, File, FilePropertyBag,
    HtmlInputElement, HtmlTextAreaElement, Url,
};

use crate::app::{mark, measure};
use crate::locale;
use crate::page::{Page, add, id};
use crate::texts::{filled, text};

/// What answering this envelope needs: its request, the key that opened
/// it, the frame of the reply's page and the document that holds this
/// page's decryptor (this page, or the page the opener site parsed).
pub(crate) struct Offer {
    document: Document,
    frame: ReplyFrame,
    request: ReplyRequest,
    slot: ReplySlotKey,
    /// The answered message's subject.
    subject: String,
    /// The recipient's address, when the message had one recipient.
    from: String,
}

impl Offer {
    /// The offer for an envelope whose `manifest` was verified, opened with
    /// `slot` from `document`: `None` when it asks for no replies, was not
    /// opened with a passphrase, or `document` carries no usable frame.
    pub(crate) fn new(
        document: &Document,
        manifest: &Manifest,
        slot: Option<ReplySlotKey>,
    ) -> Option<Offer> {
        let request = manifest.reply_request.clone()?;
        let block = document.get_element_by_id(REPLY_PAGE_ID)?;
        let compact: String = block.text_content()?.split_ascii_whitespace().collect();
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(compact)
            .ok()?;
        let frame = ReplyFrame::decode(&bytes).ok()?;
        let from = match manifest.to.as_slice() {
            [one] => one.clone(),
            _ => String::new(),
        };
        Some(Offer {
            document: document.clone(),
            frame,
            request,
            slot: slot?,
            subject: manifest.subject.clone(),
            from,
        })
    }
}

/// The files added to the reply.
type Files = Rc<RefCell<Vec<File>>>;

/// The reply section: a lead, and "Reply securely", which shows the form.
pub(crate) fn section(page: &Page, offer: Offer) -> Result<Element, JsValue> {
    let offer = Rc::new(offer);
    let section = page.make(
        "section",
        &[("id", id::REPLY), ("aria-labelledby", "m-reply-heading")],
        None,
    )?;
    add(
        &section,
        &page.make(
            "h3",
            &[("id", "m-reply-heading")],
            Some(&text("reply.heading")),
        )?,
    )?;
    add(&section, &page.make("p", &[], Some(&text("reply.lead")))?)?;
    let start = page.make(
        "button",
        &[
            ("id", id::REPLY_START),
            ("type", "button"),
            ("aria-expanded", "false"),
            ("aria-controls", id::REPLY_FORM),
        ],
        Some(&text("reply.button")),
    )?;
    let row = page.make("p", &[], None)?;
    add(&row, &start)?;
    add(&section, &row)?;
    let form = compose_form(page, &offer)?;
    add(&section, &form)?;
    let shown = start.clone();
    on(&start, "click", move |_| {
        let _ = form.remove_attribute("hidden");
        let _ = shown.set_attribute("aria-expanded", "true");
        if let Ok(page) = Page::get()
            && let Ok(field) = page.html(id::REPLY_TEXT)
        {
            let _ = field.focus();
        }
    })?;
    Ok(section)
}

/// The compose form (hidden until "Reply securely").
fn compose_form(page: &Page, offer: &Rc<Offer>) -> Result<Element, JsValue> {
    let form = page.make(
        "form",
        &[("id", id::REPLY_FORM), ("hidden", ""), ("novalidate", "")],
        None,
    )?;
    add(
        &form,
        &page.make(
            "p",
            &[("class", "details")],
            Some(&filled("reply.to", &[("address", &offer.request.to)])),
        )?,
    )?;
    add(
        &form,
        &page.make(
            "label",
            &[("for", id::REPLY_TEXT)],
            Some(&text("reply.text")),
        )?,
    )?;
    add(
        &form,
        &page.make(
            "textarea",
            &[("id", id::REPLY_TEXT), ("rows", "8"), ("dir", "auto")],
            None,
        )?,
    )?;
    add(
        &form,
        &page.make(
            "label",
            &[("for", id::REPLY_FILES)],
            Some(&text("reply.files")),
        )?,
    )?;
    add(
        &form,
        &page.make(
            "input",
            &[
                ("id", id::REPLY_FILES),
                ("type", "file"),
                ("multiple", ""),
                ("aria-describedby", id::REPLY_TOTAL),
            ],
            None,
        )?,
    )?;
    add(
        &form,
        &page.make("p", &[("class", "details")], Some(&text("reply.drop")))?,
    )?;
    add(&form, &page.make("ul", &[("id", id::REPLY_LIST)], None)?)?;
    add(
        &form,
        &page.make(
            "p",
            &[("id", id::REPLY_TOTAL), ("aria-live", "polite")],
            Some(&total_line(0, offer.frame.limit)),
        )?,
    )?;
    add(
        &form,
        &page.make(
            "button",
            &[("id", id::REPLY_SEAL), ("type", "submit")],
            Some(&text("reply.seal")),
        )?,
    )?;
    add(
        &form,
        &page.make(
            "p",
            &[
                ("id", id::REPLY_STATUS),
                ("role", "status"),
                ("aria-live", "polite"),
            ],
            None,
        )?,
    )?;
    add(
        &form,
        &page.make(
            "progress",
            &[
                ("id", id::REPLY_PROGRESS),
                ("max", "100"),
                ("value", "0"),
                ("aria-label", &text("reply.seal")),
                ("hidden", ""),
            ],
            None,
        )?,
    )?;
    add(
        &form,
        &page.make(
            "p",
            &[
                ("id", id::REPLY_ERROR),
                ("class", "problem"),
                ("role", "alert"),
                ("hidden", ""),
            ],
            None,
        )?,
    )?;
    add(
        &form,
        &page.make("div", &[("id", id::REPLY_DONE), ("hidden", "")], None)?,
    )?;

    let files: Files = Rc::new(RefCell::new(Vec::new()));
    let picked = files.clone();
    let limit = offer.frame.limit;
    if let Some(field) = form.query_selector(&format!("#{}", id::REPLY_TEXT))? {
        let typed = files.clone();
        on(&field, "input", move |_| {
            if let Ok(page) = Page::get() {
                let _ = update_total(&page, &typed, limit);
            }
        })?;
    }
    let field = form.query_selector(&format!("#{}", id::REPLY_FILES))?;
    if let Some(field) = field {
        let input: HtmlInputElement = field.clone().dyn_into()?;
        on(&field, "change", move |_| {
            if let Some(list) = input.files() {
                add_files(
                    &picked,
                    (0..list.length()).filter_map(|i| list.get(i)),
                    limit,
                );
            }
            // Picking the same file again adds it again: clear the field.
            input.set_value("");
        })?;
    }
    // Files dropped on the form (and not on the opener site's drop area
    // behind it, which would open them as a message).
    on(&form, "dragover", |event| {
        event.prevent_default();
        event.stop_propagation();
    })?;
    let dropped = files.clone();
    on(&form, "drop", move |event| {
        event.prevent_default();
        event.stop_propagation();
        let Some(list) = event
            .dyn_ref::<DragEvent>()
            .and_then(DragEvent::data_transfer)
            .and_then(|transfer| transfer.files())
        else {
            return;
        };
        add_files(
            &dropped,
            (0..list.length()).filter_map(|i| list.get(i)),
            limit,
        );
    })?;
    let busy = Rc::new(std::cell::Cell::new(false));
    let offer = offer.clone();
    on(&form, "submit", move |event| {
        event.prevent_default();
        if busy.replace(true) {
            return;
        }
        let (offer, files, busy) = (offer.clone(), files.clone(), busy.clone());
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(page) = Page::get() {
                let result = seal_reply(&page, &offer, &files).await;
                let _ = working(&page, false);
                if let Err(problem) = result {
                    let _ = say_problem(&page, Some(&problem));
                    let _ = page.set_text(id::REPLY_STATUS, "");
                }
            }
            busy.set(false);
        });
    })?;
    Ok(form)
}

/// Adds `new` to the reply's files and shows the list and total again.
fn add_files(files: &Files, new: impl Iterator<Item = File>, limit: u64) {
    files.borrow_mut().extend(new);
    if let Ok(page) = Page::get() {
        let _ = show_files(&page, files, limit);
    }
}

/// The list of files (name, size, a Remove button named after the file)
/// and the total against the limit.
fn show_files(page: &Page, files: &Files, limit: u64) -> Result<(), JsValue> {
    let list = page.element(id::REPLY_LIST)?;
    list.set_text_content(None);
    for (index, file) in files.borrow().iter().enumerate() {
        let name = envelope_core::visible_bidi(&file.name()).into_owned();
        let item = page.make("li", &[], None)?;
        add(
            &item,
            &page.make("span", &[("class", "name")], Some(&name))?,
        )?;
        add(
            &item,
            &page.make(
                "span",
                &[("class", "details")],
                Some(&locale::size(file.size() as u64)),
            )?,
        )?;
        let remove = page.make(
            "button",
            &[
                ("type", "button"),
                (
                    "aria-label",
                    &filled("reply.remove", &[("name", &crate::result::isolated(&name))]),
                ),
            ],
            Some(&text("reply.remove_short")),
        )?;
        let all = files.clone();
        on(&remove, "click", move |_| {
            if index < all.borrow().len() {
                all.borrow_mut().remove(index);
            }
            if let Ok(page) = Page::get() {
                let _ = show_files(&page, &all, limit);
                if let Ok(field) = page.html(id::REPLY_FILES) {
                    let _ = field.focus();
                }
            }
        })?;
        add(&item, &remove)?;
        add(&list, &item)?;
    }
    update_total(page, files, limit)
}

/// The total against the limit, said as a problem when it is over.
fn update_total(page: &Page, files: &Files, limit: u64) -> Result<(), JsValue> {
    let total = total_size(page, files);
    let over = total > limit;
    let line = page.element(id::REPLY_TOTAL)?;
    line.set_text_content(Some(&if over {
        too_big(total, limit)
    } else {
        total_line(total, limit)
    }));
    line.set_attribute("class", if over { "problem" } else { "details" })?;
    Ok(())
}

/// The reply's size so far: its text and files.
fn total_size(page: &Page, files: &Files) -> u64 {
    let text_len = page
        .element(id::REPLY_TEXT)
        .ok()
        .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
        .map_or(0, |field| field.value().len() as u64);
    text_len + files.borrow().iter().map(|f| f.size() as u64).sum::<u64>()
}

fn total_line(total: u64, limit: u64) -> String {
    filled(
        "reply.total",
        &[
            ("size", &locale::size(total)),
            ("limit", &locale::size(limit)),
        ],
    )
}

fn too_big(total: u64, limit: u64) -> String {
    filled(
        "reply.too_big",
        &[
            ("size", &locale::size(total)),
            ("limit", &locale::size(limit)),
        ],
    )
}

/// Reads the files, seals the reply, makes its page and offers it. The
/// page records the measures `reply-read` (the files read), `reply-seal`
/// (sealed in WebAssembly), `reply-page` (the page made and offered) and
/// `reply` (all of it), for the benchmark.
async fn seal_reply(page: &Page, offer: &Offer, files: &Files) -> Result<(), String> {
    say_problem(page, None).map_err(describe)?;
    page.show(id::REPLY_DONE, false).map_err(describe)?;
    let body = page
        .element(id::REPLY_TEXT)
        .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().map_err(Into::into))
        .map(|field| field.value())
        .map_err(describe)?;
    let chosen: Vec<File> = files.borrow().clone();
    if body.trim().is_empty() && chosen.is_empty() {
        return Err(text("reply.empty"));
    }
    // Too big: said before any work.
    let total = body.len() as u64 + chosen.iter().map(|f| f.size() as u64).sum::<u64>();
    if total > offer.frame.limit {
        return Err(too_big(total, offer.frame.limit));
    }
    working(page, true).map_err(describe)?;
    mark("reply-start");
    let mut message = Message::new()
        .to(offer.request.to.clone())
        .subject(reply_subject(&offer.subject))
        .date(now())
        .text_body(body);
    if !offer.from.is_empty() {
        message = message.from(offer.from.clone());
    }
    let mut read = 0u64;
    for file in &chosen {
        progress(page, "reply.reading", read, total);
        crate::app::next_frame().await;
        let buffer = JsFuture::from(file.array_buffer()).await.map_err(|err| {
            filled(
                "reply.unreadable",
                &[("file", &file.name()), ("error", &describe(err))],
            )
        })?;
        let bytes = Uint8Array::new(&buffer).to_vec();
        read += bytes.len() as u64;
        message = message.attach(Attachment::from_bytes(
            attachment_name(&file.name()),
            media_type(&file.type_()),
            bytes,
        ));
    }
    measure("reply-read", "reply-start");
    progress(page, "reply.sealing", total, total);
    crate::app::next_frame().await;
    mark("reply-seal-start");
    let key = RecipientKey::from_bytes(offer.request.key).map_err(|err| failed(&err))?;
    let options = SealOptions::new()
        .reply_slot(offer.slot.clone())
        .recovery_key(key)
        .in_reply_to(offer.request.envelope)
        .label(offer.frame.label.clone())
        .hint(offer.frame.hint.clone());
    let envelope = seal_to_vec(message, &options).map_err(|err| failed(&err))?;
    measure("reply-seal", "reply-seal-start");
    mark("reply-page-start");
    let header = Header::read_from(&mut &envelope[..]).map_err(|err| failed(&err))?;
    let html = offer
        .frame
        .fill(
            |hole| element_text(&offer.document, hole),
            &envelope,
            header.len(),
        )
        .map_err(|err| failed(&err))?;
    drop(envelope);
    offer_file(page, offer, &html).map_err(describe)?;
    measure("reply-page", "reply-page-start");
    measure("reply", "reply-start");
    page.set_text(id::REPLY_STATUS, "").map_err(describe)?;
    Ok(())
}

/// The progress line and bar: `key`'s text with the percentage done.
fn progress(page: &Page, key: &str, done: u64, total: u64) {
    let percent = (done.saturating_mul(100) / total.max(1)).min(100);
    let _ = page.set_text(
        id::REPLY_STATUS,
        &filled(key, &[("percent", &percent.to_string())]),
    );
    if let Ok(bar) = page.element(id::REPLY_PROGRESS) {
        let _ = bar.set_attribute("value", &percent.to_string());
    }
}

/// Shows the progress bar and disables the form while sealing, or back.
fn working(page: &Page, busy: bool) -> Result<(), JsValue> {
    page.show(id::REPLY_PROGRESS, busy)?;
    for control in [id::REPLY_TEXT, id::REPLY_FILES, id::REPLY_SEAL] {
        let element = page.element(control)?;
        if busy {
            element.set_attribute("disabled", "")?;
        } else {
            element.remove_attribute("disabled")?;
        }
    }
    Ok(())
}

fn say_problem(page: &Page, problem: Option<&str>) -> Result<(), JsValue> {
    page.set_text(id::REPLY_ERROR, problem.unwrap_or(""))?;
    page.show(id::REPLY_ERROR, problem.is_some())
}

/// The sealed reply's page, offered: a download link named
/// `reply-YYYY-MM-DD.html`, a link that opens the mail program addressed
/// to the reply address, and Share where the browser shares files.
fn offer_file(page: &Page, offer: &Offer, html: &str) -> Result<(), JsValue> {
    let name = file_name();
    let parts = Array::of1(&JsValue::from_str(html));
    let options = BlobPropertyBag::new();
    options.set_type("text/html");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let done = page.element(id::REPLY_DONE)?;
    done.set_text_content(None);
    add(
        &done,
        &page.make(
            "p",
            &[],
            Some(&filled(
                "reply.sealed",
                &[("address", &offer.request.to), ("file", &name)],
            )),
        )?,
    )?;
    let row = page.make("p", &[("class", "actions")], None)?;
    add(
        &row,
        &page.make(
            "a",
            &[
                ("id", id::REPLY_SAVE),
                ("class", "button"),
                ("href", &url),
                ("download", &name),
            ],
            Some(&text("reply.save")),
        )?,
    )?;
    add(&row, &page.document.create_text_node(" "))?;
    add(
        &row,
        &page.make(
            "a",
            &[
                ("id", id::REPLY_MAIL),
                ("class", "button"),
                ("href", &mailto(&offer.request.to, &name)),
            ],
            Some(&text("reply.mail")),
        )?,
    )?;
    if let Some(file) = shareable(html, &name) {
        add(&row, &page.document.create_text_node(" "))?;
        let share = page.make(
            "button",
            &[("id", id::REPLY_SHARE), ("type", "button")],
            Some(&text("reply.share")),
        )?;
        let to = offer.request.to.clone();
        on(&share, "click", move |_| share_file(&file, &to))?;
        add(&row, &share)?;
    }
    add(&done, &row)?;
    page.show(id::REPLY_DONE, true)?;
    page.html(id::REPLY_SAVE)?.focus()?;
    Ok(())
}

/// The reply as a File, when `navigator.canShare` accepts it.
fn shareable(html: &str, name: &str) -> Option<File> {
    let navigator = web_sys::window()?.navigator();
    let can_share = Reflect::get(&navigator, &"canShare".into()).ok()?;
    let can_share = can_share.dyn_ref::<js_sys::Function>()?;
    let options = FilePropertyBag::new();
    options.set_type("text/html");
    let file = File::new_with_str_sequence_and_options(
        &Array::of1(&JsValue::from_str(html)),
        name,
        &options,
    )
    .ok()?;
    let data = share_data(&file, "")?;
    can_share
        .call1(&navigator, &data)
        .ok()?
        .as_bool()
        .filter(|yes| *yes)
        .map(|_| file)
}

/// `{files: [file], title}` for `navigator.share`.
fn share_data(file: &File, title: &str) -> Option<js_sys::Object> {
    let data = js_sys::Object::new();
    Reflect::set(&data, &"files".into(), &Array::of1(file)).ok()?;
    if !title.is_empty() {
        Reflect::set(&data, &"title".into(), &JsValue::from_str(title)).ok()?;
    }
    Some(data)
}

/// Hands the file to the device's share sheet (a mail app, on a phone).
fn share_file(file: &File, to: &str) {
    let Some(navigator) = web_sys::window().map(|window| window.navigator()) else {
        return;
    };
    let (Ok(share), Some(data)) = (
        Reflect::get(&navigator, &"share".into()),
        share_data(file, &text("reply.mail_subject")),
    ) else {
        return;
    };
    let _ = Reflect::set(
        &data,
        &"text".into(),
        &JsValue::from_str(&filled("reply.share_text", &[("address", to)])),
    );
    if let Some(share) = share.dyn_ref::<js_sys::Function>()
        && let Ok(promise) = share.call1(&navigator, &data)
        && let Ok(promise) = promise.dyn_into::<js_sys::Promise>()
    {
        // A share the recipient cancels is no error.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

/// `mailto:` the reply address, with a neutral subject (the message's own
/// subject stays sealed) and one line saying to attach the saved file.
fn mailto(to: &str, file: &str) -> String {
    let encode = |value: &str| String::from(js_sys::encode_uri_component(value));
    format!(
        "mailto:{to}?subject={}&body={}",
        encode(&text("reply.mail_subject")),
        encode(&filled("reply.mail_body", &[("file", file)]))
    )
}

/// The text of the element of this page's decryptor that fills `hole`,
/// as the browser's parser gave it.
fn element_text(document: &Document, hole: Hole) -> Option<String> {
    let by_id = |element_id: &str| document.get_element_by_id(element_id);
    let element = match hole {
        Hole::Style => document.query_selector("head > style").ok()?,
        Hole::Wasm => by_id(id::WASM),
        Hole::Texts => by_id(id::TEXTS),
        Hole::Advice => by_id("page-advice"),
        Hole::Glue => by_id(id::GLUE),
        Hole::Loader => by_id(id::GLUE)?.next_element_sibling(),
        Hole::Header | Hole::Chunks => None,
    }?;
    element.text_content()
}

/// "Re: " and the subject, unless it already starts so.
fn reply_subject(subject: &str) -> String {
    let trimmed = subject.trim();
    if trimmed.len() >= 3 && trimmed[..3].eq_ignore_ascii_case("re:") {
        trimmed.to_owned()
    } else if trimmed.is_empty() {
        text("reply.mail_subject")
    } else {
        format!("Re: {trimmed}")
    }
}

/// Now, with this device's UTC offset.
fn now() -> MessageDate {
    let date = js_sys::Date::new_0();
    let offset = -(date.get_timezone_offset() as i64);
    MessageDate {
        unix_seconds: (date.get_time() / 1000.0).floor() as i64,
        offset_minutes: offset.clamp(-1439, 1439) as i16,
    }
}

/// `reply-YYYY-MM-DD.html`, today's date on this device.
fn file_name() -> String {
    let date = js_sys::Date::new_0();
    format!(
        "reply-{:04}-{:02}-{:02}.html",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date()
    )
}

/// A file's name as the manifest takes it: the browser's, at most 1024
/// bytes, never empty.
fn attachment_name(name: &str) -> String {
    let mut name = name.trim().to_owned();
    if name.is_empty() {
        name = "file".to_owned();
    }
    while name.len() > envelope_core::limits::MAX_NAME_LEN {
        name.pop();
    }
    name
}

/// The browser's media type for a file when it is a plain `type/subtype`,
/// else `application/octet-stream`.
fn media_type(given: &str) -> String {
    let token = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    match given.split_once('/') {
        Some((kind, subtype)) if token(kind) && token(subtype) && given.len() <= 255 => {
            given.to_ascii_lowercase()
        }
        _ => "application/octet-stream".to_owned(),
    }
}

fn failed(err: &envelope_core::Error) -> String {
    filled("reply.failed", &[("error", &err.to_string())])
}

fn describe(err: JsValue) -> String {
    err.as_string()
        .or_else(|| {
            Reflect::get(&err, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_default()
}

fn on(
    element: &Element,
    event: &str,
    mut action: impl FnMut(Event) + 'static,
) -> Result<(), JsValue> {
    let closure = Closure::<dyn FnMut(Event)>::new(move |event: Event| action(event));
    element.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())?;
    closure.forget();
    Ok(())
}
