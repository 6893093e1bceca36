//! Decisions about hostile decrypted content that need no browser: which
//! media types may be handed to the browser as they are, what a download is
//! called, and the wrapper that keeps an HTML body inert.

/// Types a browser only ever displays or saves, never runs. Everything else
/// (HTML, SVG, XML, scripts, unknown types) is offered as
/// `application/octet-stream`, so that no decrypted file can become active
/// content in the page's origin.
const PASSIVE_TYPES: &[&str] = &[
    "application/pdf",
    "application/zip",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.ms-excel",
    "audio/mpeg",
    "audio/ogg",
    "image/gif",
    "image/jpeg",
    "image/png",
    "image/webp",
    "text/calendar",
    "text/csv",
    "text/plain",
    "video/mp4",
];

/// The media type to give a download's Blob.
pub fn download_type(media_type: &str) -> &'static str {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    PASSIVE_TYPES
        .iter()
        .find(|t| **t == essence)
        .copied()
        .unwrap_or("application/octet-stream")
}

/// The `srcdoc` of the sandboxed iframe that shows an HTML body: its own
/// Content-Security-Policy blocks scripts, remote images, fonts, forms and
/// every network request; only inline styles and `data:` images remain.
/// (The iframe's `sandbox` attribute, without `allow-scripts`, is the first
/// wall; this is the second.)
pub fn html_body_document(html: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\
         <base target=\"_blank\"></head><body>{html}</body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_types_are_downloaded_as_octet_stream() {
        for risky in [
            "text/html",
            "image/svg+xml",
            "application/xhtml+xml",
            "text/javascript",
            "application/xml",
            "TEXT/HTML; charset=utf-8",
            "",
        ] {
            assert_eq!(download_type(risky), "application/octet-stream", "{risky}");
        }
        assert_eq!(download_type("application/PDF"), "application/pdf");
        assert_eq!(download_type("text/plain; charset=utf-8"), "text/plain");
    }

    #[test]
    fn html_bodies_get_their_own_policy() {
        let doc = html_body_document("<script>alert(1)</script>");
        assert!(doc.contains("default-src 'none'"));
        assert!(doc.starts_with("<!DOCTYPE html>"));
    }
}
