//! The page's behaviour: building the passphrase form, opening, and
//! showing the message.

use std::cell::Cell;
use std::rc::Rc;

use envelope_core::{
    Attempts, Error, ErrorKind, Header, Passphrase, PassphraseSlots, PayloadKey, Receipt,
};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::Event;

use crate::chunks::{self, Aes, Chunks};
use crate::content::verify;
use crate::kdf;
use crate::page::{Page, id};
use crate::progress::Progress;
use crate::texts::{filled, text};
use crate::{form, locale, result};

/// Wires the form when the module starts. Marks `ready` when the form can be
/// used; `submit`, then the measures `kdf`, `decrypt` (base64 and AES-GCM,
/// chunk by chunk), `verify` (digests) and (submit to message shown) `open`,
/// when a passphrase is tried.
#[allow(unreachable_pub)] // exported to JavaScript by wasm-bindgen
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    if web_sys::window().is_none() {
        // A Worker (see `kdf`): it only derives keys.
        return Ok(());
    }
    let page = Page::get()?;
    if page.document.get_element_by_id(id::OPENER).is_some() {
        return crate::opener::start(&page);
    }
    // An unreadable header, or one past the date its sender set: said at
    // once, before anyone types, and no form is built.
    let header = match read_header(&page)
        .and_then(|header| header.check_not_expired(now()).map(|()| header))
    {
        Ok(header) => header,
        Err(err) => {
            page.status("")?;
            page.error(Some(&explain(&err)))?;
            mark("ready");
            return Ok(());
        }
    };
    ask_for_passphrase(&page, &header, Source::ThisPage)?;
    mark("ready");
    Ok(())
}

/// Where the envelope being opened is.
#[derive(Clone)]
pub(crate) enum Source {
    /// In this page, after the decryptor (parsed by the time it is opened).
    ThisPage,
    /// In a page the recipient picked in the opener site, parsed (never
    /// run: a `DOMParser` document runs no script and loads nothing).
    Picked(web_sys::Document),
}

impl Source {
    /// The envelope header, from the first block with its id: early, for
    /// the expiry notice and the key-derivation warm-up only. Opening reads
    /// it again by the strict rule.
    fn early_header(&self, page: &Page) -> Result<Header, Error> {
        match self {
            Source::ThisPage => read_header(page),
            Source::Picked(document) => header_from(
                &document
                    .get_element_by_id(id::HEADER_DATA)
                    .ok_or(Error::NotAnEnvelope)?,
            ),
        }
    }

    /// Whether the browser is still parsing the page that holds the
    /// envelope.
    fn still_parsed(&self, page: &Page) -> bool {
        match self {
            Source::ThisPage => page.document.ready_state() == "loading",
            Source::Picked(_) => false,
        }
    }

    /// The envelope's blocks, by the strict rule, once all is parsed.
    async fn blocks(
        &self,
        page: &Page,
        progress: &mut Progress<'_>,
    ) -> Result<crate::page::Blocks, Error> {
        match self {
            Source::ThisPage => {
                // The payload follows the decryptor in the page: wait until
                // it is all parsed (a fast typist may submit first).
                document_parsed(page, progress).await;
                page.envelope_blocks()
            }
            Source::Picked(document) => crate::page::envelope_blocks(document),
        }
    }
}

/// Builds the passphrase form for the envelope with `header` and wires it
/// to open the envelope `source` holds.
pub(crate) fn ask_for_passphrase(
    page: &Page,
    header: &Header,
    source: Source,
) -> Result<(), JsValue> {
    form::build(page, header)?;
    let busy = Rc::new(Cell::new(false));
    let on_submit = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        event.prevent_default();
        if busy.replace(true) {
            return;
        }
        let busy = busy.clone();
        let source = source.clone();
        spawn_local(async move {
            if let Err(err) = unlock_and_show(&source).await {
                // Only a broken page gets here (a missing element); say so.
                if let Ok(page) = Page::get() {
                    let error = err.as_string().unwrap_or_default();
                    let _ = page.error(Some(&filled("error.unexpected", &[("error", &error)])));
                }
            }
            busy.set(false);
        });
    });
    page.element(id::FORM)?
        .add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref())?;
    on_submit.forget();

    let on_toggle = Closure::<dyn FnMut(Event)>::new(move |_event: Event| {
        if let Ok(page) = Page::get() {
            let _ = toggle_visibility(&page);
        }
    });
    page.element(id::TOGGLE)?
        .add_event_listener_with_callback("click", on_toggle.as_ref().unchecked_ref())?;
    on_toggle.forget();

    page.status(&what_to_type(header))?;
    kdf::prepare_soon(Some(header));
    Ok(())
}

/// The line that asks for the passphrase: for an envelope whose only
/// passphrases are generated ones, how many words, and that the way they
/// are typed does not matter.
fn what_to_type(header: &Header) -> String {
    match PassphraseSlots::of(header) {
        Ok(PassphraseSlots {
            chosen: false,
            generated,
        }) if generated.len() == 1 => filled(
            "status.enter_words",
            &[("count", &generated[0].to_string())],
        ),
        _ => text("status.enter"),
    }
}

/// Now, by this device's clock, in seconds since 1970 (UTC).
pub(crate) fn now() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

fn toggle_visibility(page: &Page) -> Result<(), JsValue> {
    let input = page.input(id::PASSPHRASE)?;
    let button = page.html(id::TOGGLE)?;
    let show = input.type_() == "password";
    input.set_type(if show { "text" } else { "password" });
    button.set_text_content(Some(&text(if show { "page.hide" } else { "page.show" })));
    button.set_attribute("aria-pressed", if show { "true" } else { "false" })
}

/// Lets the browser paint (the status line) before blocking work.
pub(crate) async fn next_frame() {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Resolves once the whole page has been parsed (`DOMContentLoaded`),
/// saying meanwhile that the message is being read (how much of it there
/// is, the page cannot know before it is all parsed).
async fn document_parsed(page: &Page, progress: &mut Progress<'_>) {
    while page.document.ready_state() == "loading" {
        progress.reading();
        let document = page.document.clone();
        let promise = Promise::new(&mut |resolve, _| {
            let _ = document.add_event_listener_with_callback("DOMContentLoaded", &resolve);
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    &resolve,
                    READING_POLL_MS,
                );
            }
        });
        let _ = JsFuture::from(promise).await;
    }
}

/// How often the reading progress is looked at while the page is parsed.
const READING_POLL_MS: i32 = 100;

pub(crate) fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

pub(crate) fn measure(name: &str, start_mark: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.measure_with_start_mark(name, start_mark);
    }
}

/// Whether the URL asks for a fallback: `#wasm-aes` (AES-GCM in
/// WebAssembly), `#no-worker` (Argon2id on the page's thread), or both
/// (`#wasm-aes,no-worker`). How the tests and the benchmark exercise them.
fn fallback_asked(name: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .is_some_and(|hash| hash.trim_start_matches('#').split(',').any(|f| f == name))
}

async fn unlock_and_show(source: &Source) -> Result<(), JsValue> {
    let page = Page::get()?;
    mark("submit");
    page.error(None)?;
    page.form_enabled(false)?;
    let mut progress = Progress::checking(&page)?;
    next_frame().await;
    let opened = open(&page, source, &mut progress).await;
    progress.end();
    match opened {
        Ok(()) => {
            measure("open", "submit");
            page.status(&text("status.done"))?;
            // The form the focus was in is gone: a screen reader and the
            // keyboard go on from the message's heading.
            if let Some(heading) = page.document.get_element_by_id(id::MESSAGE_HEADING) {
                let _ = heading.unchecked_into::<web_sys::HtmlElement>().focus();
            }
            if let Source::Picked(_) = source {
                crate::opener::offer_another(&page)?;
            }
            Ok(())
        }
        Err(err) => {
            // A fresh Worker for the next try (each one derives once).
            kdf::prepare_soon(source.early_header(&page).ok().as_ref());
            page.status("")?;
            page.error(Some(&explain(&err)))?;
            page.form_enabled(true)?;
            // Back to the field, whatever the error: it is where the next
            // try starts (a wrong passphrase is selected, to type over).
            let input = page.input(id::PASSPHRASE)?;
            let _ = input.focus();
            if err.kind() == ErrorKind::WrongPassphrase {
                input.select();
            }
            Ok(())
        }
    }
}

/// What to tell the recipient for each kind of failure.
pub(crate) fn explain(err: &Error) -> String {
    match err.kind() {
        ErrorKind::WrongPassphrase => match err {
            Error::WrongPassphrase(Some(advice)) => words_advice(advice),
            _ => text("error.wrong"),
        },
        ErrorKind::Damaged | ErrorKind::NotAnEnvelope => text("error.damaged"),
        ErrorKind::UnsupportedVersion | ErrorKind::Unsupported => {
            filled("error.newer", &[("error", &err.to_string())])
        }
        ErrorKind::Expired => {
            let when = match err {
                Error::Expired(at) => locale::date_time(*at),
                _ => String::new(),
            };
            filled("error.expired", &[("date", &when)])
        }
        ErrorKind::LimitExceeded => filled("error.too_big", &[("error", &err.to_string())]),
        _ => filled("error.other", &[("error", &err.to_string())]),
    }
}

/// Why a typing cannot be the envelope's generated passphrase, in the
/// page's language: the word counts, the words not in the list, or that
/// all are words but not the right ones.
fn words_advice(advice: &envelope_core::WordsAdvice) -> String {
    let mut sentences = vec![text("error.wrong_words")];
    if !advice.count_matches() {
        let expected: Vec<String> = advice.expected.iter().map(usize::to_string).collect();
        sentences.push(filled(
            "error.word_count",
            &[
                ("typed", &advice.typed.to_string()),
                ("expected", &expected.join(", ")),
            ],
        ));
    }
    match (advice.not_words.as_slice(), advice.more_not_words) {
        ([], _) => {}
        ([word], 0) => sentences.push(filled("error.not_a_word", &[("word", word)])),
        (words, more) => {
            let mut listed = words.join(", ");
            if more > 0 {
                listed.push_str(&format!(" (+{more})"));
            }
            sentences.push(filled("error.not_words", &[("words", &listed)]));
        }
    }
    if sentences.len() == 1 {
        sentences.push(text("error.wrong_order"));
    }
    sentences.join(" ")
}

/// This page's envelope header, from the first block with its id: early,
/// before the page is parsed ([`Source::early_header`]).
fn read_header(page: &Page) -> Result<Header, Error> {
    header_from(
        &page
            .element(id::HEADER_DATA)
            .map_err(|_| Error::NotAnEnvelope)?,
    )
}

/// The header in a header block.
pub(crate) fn header_from(block: &web_sys::Element) -> Result<Header, Error> {
    let header_text = block.text_content().unwrap_or_default();
    let mut header_bytes = Vec::new();
    chunks::decode_block(&header_text, &mut header_bytes)?;
    let header = Header::read_from(&mut &header_bytes[..])?;
    if header.len() != header_bytes.len() {
        return Err(Error::Damaged("the header block has extra bytes".into()));
    }
    Ok(header)
}

/// Decrypts and verifies everything, then shows it. On any error nothing of
/// the content has been put into the page.
async fn open(page: &Page, source: &Source, progress: &mut Progress<'_>) -> Result<(), Error> {
    // The browser normalises to NFC, so the same words open the envelope
    // however the keyboard composed the accents.
    let typed = page
        .input(id::PASSPHRASE)
        .map(|input| input.value())
        .unwrap_or_default();
    let passphrase =
        Passphrase::from_nfc(String::from(js_sys::JsString::from(typed).normalize("NFC")));

    // The key is derived from the header the page read first, while the
    // browser goes on parsing the rest of the page (the Worker leaves the
    // page's thread to it); the envelope is then found by the strict rule,
    // and must have that very header.
    let early = source.early_header(page)?;
    early.check_not_expired(now())?;
    // An envelope too big for a page is refused before the slow
    // derivation when the page is parsed by then (nearly always); its
    // blocks, found then, are those opened after it.
    let parsed_blocks = if source.still_parsed(page) {
        None
    } else {
        let blocks = source.blocks(page, progress).await?;
        chunks::check_page_limit(blocks.chunks.len())?;
        Some(blocks)
    };
    let attempts = Attempts::plan(&early, &passphrase)?;
    drop(passphrase);
    mark("kdf-start");
    let (key, place) = unlock(&early, &attempts).await?;
    drop(attempts);
    let receipt_code = key.receipt_code();
    measure("kdf", "kdf-start");
    set_data(page, "kdf", place.name());

    let page_blocks = match parsed_blocks {
        Some(blocks) => blocks,
        None => source.blocks(page, progress).await?,
    };
    let header = header_from(&page_blocks.header)?;
    if header.as_bytes() != early.as_bytes() {
        return Err(Error::Damaged(
            "the page's envelope header is not the one it showed first".into(),
        ));
    }
    let blocks = page_blocks.chunks;
    chunks::check_page_limit(blocks.len())?;
    mark("decrypt-start");
    progress.decrypting(0, blocks.len() as u64);
    next_frame().await;
    let aes = Aes::new(&key, fallback_asked("wasm-aes")).await;
    // Kept only while the message is shown, to seal a reply with it.
    let reply_slot = key.reply_slot_key();
    drop(key);
    let plaintext = chunks::open_chunks(Chunks::Blocks(&blocks), &aes, Some(progress)).await?;
    drop(blocks);
    measure("decrypt", "decrypt-start");
    mark("verify-start");
    let verified = verify(&plaintext, &aes, &header).await?;
    measure("verify", "verify-start");
    set_data(page, "aes", aes.name());
    let receipt = Receipt::offered(verified.layout.manifest(), receipt_code);
    let document = match source {
        Source::ThisPage => page.document.clone(),
        Source::Picked(document) => document.clone(),
    };
    let reply = crate::reply::Offer::new(&document, verified.layout.manifest(), reply_slot);
    page.input(id::PASSPHRASE)
        .map(|input| input.set_value(""))
        .map_err(|_| Error::Damaged("the page could not show the message".into()))?;
    form::remove(page)
        .and_then(|()| result::show(page, &verified, plaintext, receipt.as_ref(), reply))
        .map_err(|_| Error::Damaged("the page could not show the message".into()))
}

/// Runs the key derivations the typing calls for (one, nearly always: none
/// when it cannot be the passphrase) until a slot opens.
async fn unlock(header: &Header, attempts: &Attempts) -> Result<(PayloadKey, kdf::Place), Error> {
    for attempt in attempts.iter() {
        let (key, place) =
            kdf::derive(header, attempt.passphrase(), fallback_asked("no-worker")).await?;
        match PayloadKey::unlock_with(header, attempt, &key) {
            Err(Error::WrongPassphrase(_)) => {}
            unlocked => return unlocked.map(|key| (key, place)),
        }
    }
    Err(attempts.wrong_passphrase())
}

/// Records on `<body>` how the page worked (`data-kdf`, `data-aes`), for
/// tests and the benchmark.
fn set_data(page: &Page, name: &str, value: &str) {
    if let Some(body) = page.document.body() {
        let _ = body.set_attribute(&format!("data-{name}"), value);
    }
}
