//! Any bytes as an attachment whose text the content rules read (a PDF, a
//! DOCX, an HTML file, a forwarded message, chosen by the first byte):
//! reading must return text or say why not, within the fuzzer's time and
//! memory limits (a hostile PDF or ZIP must not hang or exhaust a gateway),
//! and the detectors must run over whatever came out. Seeds in
//! `corpus/attachment_text`: a PDF with text, a DOCX, an HTML page, a mail.
#![no_main]

use envelope_core::{Attachment, Message};
use libfuzzer_sys::fuzz_target;
use sealer::content::{Detector, extract};

fuzz_target!(|data: &[u8]| {
    let Some((&kind, bytes)) = data.split_first() else {
        return;
    };
    let (name, media_type) = match kind % 4 {
        0 => ("file.pdf", "application/pdf"),
        1 => (
            "file.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        2 => ("file.html", "text/html"),
        _ => ("file.eml", "message/rfc822"),
    };
    let message = Message::new().attach(Attachment::from_bytes(name, media_type, bytes.to_vec()));
    for part in extract::texts(&message) {
        if let Ok(text) = part.text {
            for detector in Detector::ALL {
                let _ = detector.finds(&text);
            }
        }
    }
});
