//! Secure replies as the page makes them: the frame an envelope page
//! carries, this page's elements that fill it, and an answer sealed and
//! put into its page exactly as the page's decryptor does it.

use envelope_core::reply_page::{Hole, ReplyFrame};
use envelope_core::{
    Attachment, Header, Message, MessageDate, Passphrase, PayloadKey, RecipientKey, SealOptions,
    open, seal_to_vec,
};

/// The frame a page carries.
pub(crate) fn frame_of(page: &str) -> ReplyFrame {
    let html = scraper::Html::parse_document(page);
    let block = scraper::Selector::parse("#reply-page").unwrap();
    let base64: String = html
        .select(&block)
        .next()
        .unwrap()
        .text()
        .collect::<String>()
        .split_ascii_whitespace()
        .collect();
    use base64::Engine;
    ReplyFrame::decode(
        &base64::engine::general_purpose::STANDARD
            .decode(base64)
            .unwrap(),
    )
    .unwrap()
}

/// What the answering page copies from its own document, found as the page
/// finds it (envelope-wasm's reply module): by the browser's parser.
pub(crate) fn element_text(page: &str, hole: Hole) -> Option<String> {
    let html = scraper::Html::parse_document(page);
    let select = |selector: &str| {
        let selector = scraper::Selector::parse(selector).unwrap();
        html.select(&selector)
            .next()
            .map(|e| e.text().collect::<String>())
    };
    match hole {
        Hole::Style => select("head > style"),
        Hole::Wasm => select("#decryptor-wasm"),
        Hole::Texts => select("#page-texts"),
        Hole::Advice => select("#page-advice"),
        Hole::Glue => select("#decryptor-js"),
        Hole::Loader => {
            let selector = scraper::Selector::parse("#decryptor-js").unwrap();
            let glue = html.select(&selector).next()?;
            glue.next_siblings()
                .find_map(scraper::ElementRef::wrap)
                .map(|e| e.text().collect())
        }
        Hole::Header | Hole::Chunks => None,
    }
}

/// The page of an answer to the envelope page `original`, opened with
/// `passphrase`: `text` and `files` (name, media type, bytes), sealed as
/// the page seals them.
pub(crate) fn answer_page(
    original: &str,
    passphrase: &str,
    text: &str,
    files: &[(&str, &str, Vec<u8>)],
) -> String {
    let frame = frame_of(original);
    let envelope = sealer::read_page(original.as_bytes()).unwrap();
    let header = Header::read_from(&mut &envelope[..]).unwrap();
    let opened = open(&envelope, &Passphrase::new(passphrase)).unwrap();
    let request = opened.manifest.reply_request.unwrap();
    let slot = PayloadKey::unlock(&header, &Passphrase::new(passphrase))
        .unwrap()
        .reply_slot_key()
        .unwrap();
    let mut message = Message::new()
        .to(&request.to)
        .subject(format!("Re: {}", opened.manifest.subject))
        .date(MessageDate::utc(1_795_000_000))
        .text_body(text);
    for (name, media_type, bytes) in files {
        message = message.attach(Attachment::from_bytes(*name, *media_type, bytes.clone()));
    }
    let answer = seal_to_vec(
        message,
        &SealOptions::new()
            .reply_slot(slot)
            .recovery_key(RecipientKey::from_bytes(request.key).unwrap())
            .in_reply_to(request.envelope)
            .label(&frame.label)
            .hint(&frame.hint),
    )
    .unwrap();
    let answer_header = Header::read_from(&mut &answer[..]).unwrap();
    frame
        .fill(
            |hole| element_text(original, hole),
            &answer,
            answer_header.len(),
        )
        .unwrap()
}
