//! Secure replies' pages: [`seal_answer`] answers an envelope page as its
//! "Reply securely" does; and the frame of a reply's page (see
//! [`envelope_core::reply_page`]) is rendered here, with the same template, branding and texts as the page
//! that carries it, so that the page the recipient's browser fills in is
//! exactly what this sealer would render for the reply envelope, and
//! passes `sealer verify`.
//!
//! How the holes are found: the reply page is rendered for a sample reply
//! envelope of two chunks (and again with no chunk block), made 7-bit and
//! folded as every page is; each element the answering page copies is cut
//! where its text stands, the header block's lines where they stand, and
//! the chunk blocks where the two renderings differ. Then the frame is
//! filled with the sample envelopes of one and two chunks and must give
//! back, byte for byte, what the template renders for them: a template
//! for which it does not is refused here, before any envelope is sealed.

use envelope_core::reply_page::{
    DEFAULT_REPLY_LIMIT, FramePart, Hole, LINE_WIDTH, MAX_REPLY_LIMIT, ReplyFrame, push_lines,
};
use envelope_core::{
    ENCRYPTED_CHUNK_SIZE, Header, KdfParams, Message, MessageDate, Passphrase, PayloadKey,
    RecipientKey, SealOptions,
};
use scraper::{ElementRef, Html, Selector};

use crate::page::{Language, PageParts, folded, render};
use crate::texts::Texts;
use crate::{Error, ErrorKind, PageOptions, Result};

/// The label of a reply to an envelope labelled `label`: "Re: " and the
/// label (the public line stays public; its words are the sender's), or,
/// when that is too long for a header, "Re: " and the page's title.
pub(crate) fn reply_label(label: &str, texts: &Texts) -> String {
    let label = format!("Re: {label}");
    if label.len() <= envelope_core::limits::MAX_LABEL_LEN {
        label
    } else {
        format!("Re: {}", texts.get("page.title"))
    }
}

/// The frame of the page of a reply to an envelope labelled `label`,
/// rendered with `options`, `parts` and `texts` (the original page's).
///
/// # Errors
///
/// [`ErrorKind::Template`] when the template's reply page cannot be made
/// from a frame (it does not place the elements and blocks as the
/// built-in one does).
pub(crate) fn reply_frame(
    label: &str,
    options: &PageOptions,
    parts: &PageParts<'_>,
    texts: &Texts,
) -> Result<ReplyFrame> {
    let label = reply_label(label, texts);
    let hint = texts.get("reply.hint").to_owned();
    let limit = options.reply_limit.unwrap_or(DEFAULT_REPLY_LIMIT);
    if !(1..=MAX_REPLY_LIMIT).contains(&limit) {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("a reply limit of {limit} bytes is not 1 byte to 100 MB"),
        ));
    }
    let two = Sample::new(&label, &hint, ENCRYPTED_CHUNK_SIZE + 100)?;
    let one = Sample::new(&label, &hint, 10)?;
    let page = |sample: &Sample, chunks: bool| -> Result<String> {
        let chunk_lines = if chunks {
            sample.chunk_lines()
        } else {
            Vec::new()
        };
        let html = render(
            &sample.header,
            &sample.bytes[..sample.header.len()],
            chunk_lines,
            options,
            parts,
            Language::Given(texts.clone()),
            None,
        )?;
        Ok(folded(&html, options)?.replace("\r\n", "\n"))
    };
    let with_two = page(&two, true)?;
    let without_chunks = page(&two, false)?;
    let elements = element_texts(&with_two)?;
    let frame = cut(
        &with_two,
        &without_chunks,
        &elements,
        &two,
        (label.clone(), hint, limit),
    )
    .ok_or_else(|| unusable("its data blocks are not where the built-in template has them"))?;
    for (sample, expected) in [(&two, with_two), (&one, page(&one, true)?)] {
        let filled = frame.fill(
            |hole| elements.get(&hole).cloned(),
            &sample.bytes,
            sample.header.len(),
        )?;
        if filled != expected {
            return Err(unusable(
                "the page filled in by the recipient's browser would differ from the template's",
            ));
        }
    }
    Ok(frame)
}

/// Answers the envelope in `page` (an envelope page that asks for secure
/// replies) as the page's "Reply securely" does: opens it with
/// `passphrase`, seals `message` to the reply key it names and under the
/// key that opened it (so the same passphrase opens the answer), marks it
/// as the answer, and returns the answer's page, made from the frame `page`
/// carries and `page`'s own decryptor. Give `message` without recipients:
/// its recipient is the reply address. For apps that answer on a recipient's
/// behalf, and for tests: byte for byte what the browser makes.
///
/// # Errors
///
/// [`ErrorKind::Envelope`] when the page cannot be opened with
/// `passphrase` or asks for no replies; [`ErrorKind::Template`] when it
/// carries no usable frame.
pub fn seal_answer(page: &str, passphrase: &Passphrase, mut message: Message) -> Result<String> {
    let envelope = crate::read_page(page.as_bytes())?;
    let header = Header::read_from(&mut &envelope[..])?;
    let key = PayloadKey::unlock(&header, passphrase)?;
    let opened = envelope_core::open(&envelope, passphrase)?;
    let request = opened.manifest.reply_request.ok_or_else(|| {
        Error::new(
            ErrorKind::Envelope,
            "the envelope does not ask for secure replies",
        )
    })?;
    let html = Html::parse_document(page);
    let block = Selector::parse("script#reply-page")
        .ok()
        .and_then(|selector| html.select(&selector).next())
        .ok_or_else(|| unusable("the page carries no #reply-page frame"))?;
    let compact: String = block
        .text()
        .collect::<String>()
        .split_ascii_whitespace()
        .collect();
    use base64::Engine;
    let frame = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()
        .and_then(|bytes| ReplyFrame::decode(&bytes).ok())
        .ok_or_else(|| unusable("its #reply-page frame is damaged"))?;
    let elements = element_texts(page)?;
    message = message.to(request.to.clone());
    let slot = key.reply_slot_key().ok_or_else(|| {
        Error::new(
            ErrorKind::Envelope,
            "the envelope did not open with a passphrase",
        )
    })?;
    let options = SealOptions::new()
        .reply_slot(slot)
        .recovery_key(RecipientKey::from_bytes(request.key)?)
        .in_reply_to(request.envelope)
        .label(frame.label.clone())
        .hint(frame.hint.clone());
    let answer = envelope_core::seal_to_vec(message, &options)?;
    let answer_header = Header::read_from(&mut &answer[..])?;
    Ok(frame.fill(
        |hole| elements.get(&hole).cloned(),
        &answer,
        answer_header.len(),
    )?)
}

/// Refuses a page (rendered for an envelope that asks for replies) whose
/// template left out the `#reply-page` block.
pub(crate) fn check_carries_frame(page: &str) -> Result<()> {
    let html = Html::parse_document(page);
    let found = Selector::parse("script#reply-page")
        .ok()
        .is_some_and(|selector| html.select(&selector).next().is_some());
    if found {
        Ok(())
    } else {
        Err(unusable(
            "it has no #reply-page block (see the built-in envelope.html.j2)",
        ))
    }
}

/// The limit of the frame a page carries (the bytes of its `#reply-page`
/// block): `None` when they are not a frame.
pub(crate) fn frame_limit(block: &[u8]) -> Option<u64> {
    ReplyFrame::decode(block).ok().map(|frame| frame.limit)
}

fn unusable(why: &str) -> Error {
    Error::new(
        ErrorKind::Template,
        format!(
            "this page template cannot make the pages of secure replies: {why}. Keep the \
             built-in template's data blocks and scripts as they are"
        ),
    )
}

/// A sample reply envelope: what the frame is cut from and checked with.
struct Sample {
    header: Header,
    bytes: Vec<u8>,
}

impl Sample {
    /// An envelope labelled `label` with `hint` whose content is a little
    /// more than `content` bytes.
    fn new(label: &str, hint: &str, content: usize) -> Result<Sample> {
        let message = Message::new()
            .date(MessageDate::utc(0))
            .text_body("x".repeat(content));
        let options = envelope_core::SealOptions::new()
            .passphrase(Passphrase::new("sample"))
            .kdf(KdfParams::MIN)
            .label(label)
            .hint(hint);
        let bytes = envelope_core::seal_to_vec(message, &options)?;
        let header = Header::read_from(&mut &bytes[..])?;
        Ok(Sample { header, bytes })
    }

    fn chunk_lines(&self) -> Vec<Vec<String>> {
        self.bytes[self.header.len()..]
            .chunks(ENCRYPTED_CHUNK_SIZE)
            .map(crate::seven_bit::base64_lines)
            .collect()
    }
}

/// The text of each element the answering page copies, as a browser's
/// parser gives it (`textContent`).
fn element_texts(page: &str) -> Result<std::collections::HashMap<Hole, String>> {
    let html = Html::parse_document(page);
    let text = |element: ElementRef<'_>| element.text().collect::<String>();
    let by = |selector: &str| {
        Selector::parse(selector)
            .ok()
            .and_then(|selector| html.select(&selector).next())
    };
    let glue = by("#decryptor-js");
    let loader = glue.and_then(|glue| glue.next_siblings().find_map(ElementRef::wrap));
    let mut texts = std::collections::HashMap::new();
    for (hole, element) in [
        (Hole::Style, by("head > style")),
        (Hole::Wasm, by("#decryptor-wasm")),
        (Hole::Texts, by("#page-texts")),
        (Hole::Advice, by("#page-advice")),
        (Hole::Glue, glue),
        (Hole::Loader, loader),
    ] {
        let element = element.ok_or_else(|| unusable(&format!("it has no {hole:?} element")))?;
        texts.insert(hole, text(element));
    }
    Ok(texts)
}

/// The frame: `page` (rendered for `sample`, two chunks) with its holes
/// cut out, the chunk blocks' opening and closing found by comparing it
/// with `bare` (the same page with no chunk block). `None` when a hole is
/// not exactly once where it should be.
fn cut(
    page: &str,
    bare: &str,
    elements: &std::collections::HashMap<Hole, String>,
    sample: &Sample,
    (label, hint, limit): (String, String, u64),
) -> Option<ReplyFrame> {
    let once = |needle: &str| -> Option<usize> {
        let at = page.find(needle)?;
        page[at + 1..].find(needle).is_none().then_some(at)
    };
    let lines = |bytes: &[u8]| {
        let mut text = String::new();
        push_lines(&mut text, bytes);
        text
    };
    let mut holes: Vec<(usize, usize, Hole)> = Vec::new();
    for (&hole, text) in elements {
        let at = once(&format!(">{text}</"))? + 1;
        holes.push((at, at + text.len(), hole));
    }
    let header = lines(&sample.bytes[..sample.header.len()]);
    let at = once(&header)?;
    holes.push((at, at + header.len(), Hole::Header));
    let mut chunks = sample.bytes[sample.header.len()..].chunks(ENCRYPTED_CHUNK_SIZE);
    let (first, second) = (lines(chunks.next()?), lines(chunks.next()?));
    let (start, end) = (once(&first)?, once(&second)? + second.len());
    let between = &page[start + first.len()..end - second.len()];
    let (before, after) = (&page[..start], &page[end..]);
    let (chunk_open, chunk_close) = (0..=between.len())
        .filter(|&k| between.is_char_boundary(k))
        .map(|k| (&between[k..], &between[..k]))
        .find(|(open, close)| {
            before.ends_with(open)
                && after.starts_with(close)
                && bare.len() == before.len() - open.len() + after.len() - close.len()
                && bare.starts_with(&before[..before.len() - open.len()])
                && bare.ends_with(&after[close.len()..])
        })?;
    holes.push((
        start - chunk_open.len(),
        end + chunk_close.len(),
        Hole::Chunks,
    ));
    holes.sort_unstable_by_key(|&(start, _, _)| start);
    let mut parts = Vec::new();
    let mut from = 0;
    for (start, end, hole) in holes {
        if start < from {
            return None;
        }
        parts.push(FramePart::Text(page[from..start].to_owned()));
        parts.push(FramePart::Hole(hole));
        from = end;
    }
    parts.push(FramePart::Text(page[from..].to_owned()));
    parts.retain(|part| *part != FramePart::Text(String::new()));
    debug_assert_eq!(LINE_WIDTH, crate::seven_bit::MAX_LINE);
    Some(ReplyFrame {
        label,
        hint,
        limit,
        chunk_open: chunk_open.to_owned(),
        chunk_close: chunk_close.to_owned(),
        parts,
    })
}
