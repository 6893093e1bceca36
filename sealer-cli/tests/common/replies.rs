//! Secure replies as the page makes them: the frame an envelope page
//! carries, and an answer sealed into its page as the page's decryptor
//! does it.

use envelope_core::reply_page::ReplyFrame;
use envelope_core::{Attachment, Message, MessageDate, Passphrase};

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

/// The page of an answer to the envelope page `original`, opened with
/// `passphrase`: `text` and `files` (name, media type, bytes), sealed as
/// the page seals them ([`sealer::reply_page::seal_answer`]).
pub(crate) fn answer_page(
    original: &str,
    passphrase: &str,
    text: &str,
    files: &[(&str, &str, Vec<u8>)],
) -> String {
    let mut message = Message::new()
        .subject("Re: Your results")
        .date(MessageDate::utc(1_795_000_000))
        .text_body(text);
    for (name, media_type, bytes) in files {
        message = message.attach(Attachment::from_bytes(*name, *media_type, bytes.clone()));
    }
    sealer::reply_page::seal_answer(original, &Passphrase::new(passphrase), message).unwrap()
}
