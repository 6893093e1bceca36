//! The text of a message for the content rules: its bodies (HTML as the
//! text a reader sees), text attachments, the text of PDF and DOCX
//! attachments, and the text of forwarded messages.
//!
//! Attachments are hostile: every reading is bounded (how much text, how
//! much a PDF stream or a DOCX part may decompress to), a reader that
//! fails or panics on a file leaves that file unread (and says so) rather
//! than stopping the gateway, and nothing is written anywhere.

use std::io::Read;

use envelope_core::Message;

use crate::message_parts::{PartKind, is_forwarded_message, parts_of};

/// The most text taken from one part, in bytes.
const MAX_TEXT: usize = 8 * 1024 * 1024;
/// The most a DOCX's `word/document.xml`, or one PDF stream, may
/// decompress to.
const MAX_DECOMPRESSED: usize = 32 * 1024 * 1024;
/// The most pages of a PDF read.
const MAX_PDF_PAGES: u32 = 2000;

/// The text of one part, or why it has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartText {
    /// The part's name (as the scan names it).
    pub name: String,
    /// Its text, or why it could not be read.
    pub text: Result<String, &'static str>,
}

/// The text of every part of `message` that has text (a forwarded message
/// is read as its own parts).
pub fn texts(message: &Message) -> Vec<PartText> {
    parts_of(message)
        .into_iter()
        .filter_map(|part| {
            let text = match &part.kind {
                PartKind::Text => Ok(bounded(String::from_utf8_lossy(&part.bytes).into_owned())),
                PartKind::Html => Ok(html_text(&String::from_utf8_lossy(&part.bytes))),
                PartKind::Attachment(media_type)
                    if is_forwarded_message(media_type, &part.name) =>
                {
                    return None;
                }
                PartKind::Attachment(media_type) => {
                    attachment_text(media_type, &part.name, &part.bytes)?
                }
            };
            Some(PartText {
                name: part.name,
                text,
            })
        })
        .collect()
}

/// The text of an attachment of a kind that has one; `None` for the rest
/// (pictures, archives…).
fn attachment_text(
    media_type: &str,
    name: &str,
    bytes: &[u8],
) -> Option<Result<String, &'static str>> {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if essence == "text/html" || matches!(extension.as_str(), "html" | "htm") {
        return Some(Ok(html_text(&String::from_utf8_lossy(bytes))));
    }
    if essence.starts_with("text/") || matches!(extension.as_str(), "txt" | "csv") {
        return Some(Ok(bounded(String::from_utf8_lossy(bytes).into_owned())));
    }
    if essence == "application/pdf" || extension == "pdf" {
        return Some(guarded(|| pdf_text(bytes)));
    }
    if essence == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        || extension == "docx"
    {
        return Some(guarded(|| docx_text(bytes)));
    }
    None
}

/// Runs a reader of hostile files: a panic inside it is a file not read,
/// not a gateway stopped.
fn guarded(
    read: impl FnOnce() -> Result<String, &'static str> + std::panic::UnwindSafe,
) -> Result<String, &'static str> {
    std::panic::catch_unwind(read).unwrap_or(Err("its reader failed on it"))
}

/// `text`, cut to [`MAX_TEXT`] at a character boundary.
fn bounded(mut text: String) -> String {
    if text.len() > MAX_TEXT {
        let mut end = MAX_TEXT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

/// The text of an HTML document, as a reader sees it (the words of its
/// elements; no markup, no script or style).
fn html_text(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let mut text = String::new();
    for node in document.tree.root().descendants() {
        if let scraper::node::Node::Text(words) = node.value() {
            let hidden = node
                .parent()
                .and_then(|p| p.value().as_element())
                .is_some_and(|e| matches!(e.name(), "script" | "style" | "template"));
            if !hidden {
                text.push_str(words);
                text.push(' ');
            }
        }
        if text.len() > MAX_TEXT {
            break;
        }
    }
    bounded(text)
}

/// The text of a PDF's pages: its streams decompress to at most
/// [`MAX_DECOMPRESSED`] each, or it is not read.
fn pdf_text(bytes: &[u8]) -> Result<String, &'static str> {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_DECOMPRESSED),
        ..lopdf::LoadOptions::default()
    };
    let document = lopdf::Document::load_mem_with_options(bytes, options)
        .map_err(|_| "it is not a PDF that can be read")?;
    if document.is_encrypted() {
        return Err("it is an encrypted PDF");
    }
    // Page contents are decompressed when the text is extracted, without a
    // bound: each stream is measured, bounded, first.
    for object in document.objects.values() {
        if let lopdf::Object::Stream(stream) = object
            && stream.dict.get(b"Filter").is_ok()
            && stream
                .decompressed_content_with_limit(MAX_DECOMPRESSED)
                .is_err()
        {
            return Err("a stream in it is too large, or cannot be read");
        }
    }
    let pages: Vec<u32> = document
        .get_pages()
        .keys()
        .copied()
        .filter(|&page| page <= MAX_PDF_PAGES)
        .collect();
    let text = document
        .extract_text(&pages)
        .map_err(|_| "its text cannot be read")?;
    Ok(bounded(text))
}

/// The text of a DOCX: the words (`w:t`) of its `word/document.xml`, a
/// paragraph per line.
fn docx_text(bytes: &[u8]) -> Result<String, &'static str> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| "it is not a DOCX (ZIP) that can be read")?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| "it has no word/document.xml")?
        .take(MAX_DECOMPRESSED as u64 + 1)
        .read_to_string(&mut xml)
        .map_err(|_| "its word/document.xml cannot be read")?;
    if xml.len() > MAX_DECOMPRESSED {
        return Err("its word/document.xml is too large");
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let document = roxmltree::Document::parse_with_options(&xml, options)
        .map_err(|_| "its word/document.xml is not XML that can be read")?;
    let mut text = String::new();
    for node in document.descendants() {
        match node.tag_name().name() {
            "t" => text.push_str(node.text().unwrap_or("")),
            "tab" => text.push('\t'),
            "p" | "br" if !text.is_empty() => text.push('\n'),
            _ => {}
        }
    }
    Ok(bounded(text))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use envelope_core::Attachment;
    use std::io::Write;

    #[test]
    fn bodies_html_and_text_attachments_give_their_words() {
        let message = Message::new()
            .text_body("Plain words.")
            .html_body("<p>Seen <b>words</b></p><script>var hidden = 1;</script>")
            .attach(Attachment::from_bytes(
                "letter.txt",
                "application/octet-stream",
                b"Dear Ann,\ncard 4111 1111 1111 1111".to_vec(),
            ))
            .attach(Attachment::from_bytes(
                "photo.jpg",
                "image/jpeg",
                vec![0xff, 0xd8],
            ))
            .attach(Attachment::from_bytes(
                "broken.pdf",
                "application/pdf",
                b"%PDF-1.4 no".to_vec(),
            ));
        let texts = texts(&message);
        let names: Vec<&str> = texts.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["message text", "HTML text", "letter.txt", "broken.pdf"]
        );
        let html = texts[1].text.as_ref().unwrap();
        assert!(html.contains("Seen") && html.contains("words") && !html.contains("hidden"));
        assert_eq!(
            texts[2].text.as_ref().unwrap(),
            "Dear Ann,\ncard 4111 1111 1111 1111"
        );
        assert!(texts[3].text.is_err());
    }

    /// A one-page PDF showing `line`, its content stream compressed (or,
    /// with `bomb`, a second stream that inflates to 40 MB).
    fn pdf(line: &str, bomb: bool) -> Vec<u8> {
        use lopdf::content::{Content, Operation};
        use lopdf::{Document, Object, Stream, dictionary};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let resources_id = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font_id },
        });
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("Td", vec![100.into(), 600.into()]),
                Operation::new("Tj", vec![Object::string_literal(line)]),
                Operation::new("ET", vec![]),
            ],
        };
        let mut stream = Stream::new(dictionary! {}, content.encode().unwrap());
        stream.compress().unwrap();
        let content_id = doc.add_object(stream);
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
                "Resources" => resources_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        if bomb {
            let mut zeros =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            for _ in 0..40 {
                zeros.write_all(&[0u8; 1024 * 1024]).unwrap();
            }
            let bomb = Stream::new(
                dictionary! { "Filter" => "FlateDecode" },
                zeros.finish().unwrap(),
            );
            doc.add_object(bomb);
        }
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn a_pdf_gives_its_text_and_a_bomb_is_not_read() {
        let text = pdf_text(&pdf("Card 4111 1111 1111 1111", false)).unwrap();
        assert!(text.contains("Card 4111 1111 1111 1111"), "{text:?}");
        assert_eq!(
            pdf_text(&pdf("Card 4111 1111 1111 1111", true)),
            Err("a stream in it is too large, or cannot be read")
        );
        assert!(pdf_text(b"%PDF-1.7\n%%EOF").is_err());
    }
}
