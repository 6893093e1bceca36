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

/// The text key (in the page's language pack) of what kind of file an
/// attachment is, for people: "PDF document", "Spreadsheet", "Image". From
/// its media type, or its extension when the type says nothing
/// (`application/octet-stream`); "File" when neither is known.
pub fn kind_of_file(media_type: &str, file_name: &str) -> &'static str {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let by_type = match essence.as_str() {
        "application/pdf" => Some("type.pdf"),
        "application/msword"
        | "application/rtf"
        | "text/rtf"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.oasis.opendocument.text" => Some("type.document"),
        "application/vnd.ms-excel"
        | "text/csv"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        | "application/vnd.oasis.opendocument.spreadsheet" => Some("type.spreadsheet"),
        "application/vnd.ms-powerpoint"
        | "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        | "application/vnd.oasis.opendocument.presentation" => Some("type.presentation"),
        "application/zip" | "application/x-zip-compressed" | "application/x-7z-compressed" => {
            Some("type.archive")
        }
        "text/calendar" => Some("type.calendar"),
        "message/rfc822" => Some("type.email"),
        "text/html" | "application/xhtml+xml" => Some("type.web_page"),
        "text/plain" => Some("type.text"),
        _ if essence.starts_with("image/") => Some("type.image"),
        _ if essence.starts_with("audio/") => Some("type.audio"),
        _ if essence.starts_with("video/") => Some("type.video"),
        _ => None,
    };
    by_type.unwrap_or_else(|| {
        let extension = file_name
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "pdf" => "type.pdf",
            "doc" | "docx" | "odt" | "rtf" => "type.document",
            "xls" | "xlsx" | "ods" | "csv" => "type.spreadsheet",
            "ppt" | "pptx" | "odp" => "type.presentation",
            "zip" | "7z" => "type.archive",
            "ics" => "type.calendar",
            "eml" => "type.email",
            "txt" => "type.text",
            "jpg" | "jpeg" | "png" | "gif" | "webp" | "heic" | "tif" | "tiff" => "type.image",
            _ => "type.file",
        }
    })
}

/// Every key [`kind_of_file`] returns: each language pack has them.
pub const FILE_KIND_KEYS: &[&str] = &[
    "type.pdf",
    "type.document",
    "type.spreadsheet",
    "type.presentation",
    "type.archive",
    "type.calendar",
    "type.email",
    "type.web_page",
    "type.text",
    "type.image",
    "type.audio",
    "type.video",
    "type.file",
];

/// The `srcdoc` of the sandboxed iframe that shows an HTML body: its own
/// Content-Security-Policy blocks scripts, remote images, fonts, forms and
/// every network request; only inline styles, `data:` images and the
/// page's own `blob:` images (a `cid:` image's attachment) remain.
/// (The iframe's `sandbox` attribute, without `allow-scripts`, is the first
/// wall; this is the second.)
pub fn html_body_document(html: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data: blob:; form-action 'none'; base-uri 'none'\">\
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
    fn files_are_named_by_kind_from_their_type_or_else_their_extension() {
        for (media_type, name, key) in [
            ("application/pdf", "x.bin", "type.pdf"),
            ("Application/PDF; name=x", "x", "type.pdf"),
            ("application/octet-stream", "scan.PDF", "type.pdf"),
            ("image/jpeg", "a", "type.image"),
            ("text/csv", "a", "type.spreadsheet"),
            ("text/html", "a.pdf", "type.web_page"),
            ("application/octet-stream", "archive.tar.gz", "type.file"),
            ("", "noextension", "type.file"),
        ] {
            let kind = kind_of_file(media_type, name);
            assert_eq!(kind, key, "{media_type} {name}");
            assert!(FILE_KIND_KEYS.contains(&kind));
        }
    }

    #[test]
    fn html_bodies_get_their_own_policy() {
        let doc = html_body_document("<script>alert(1)</script>");
        assert!(doc.contains("default-src 'none'"));
        assert!(doc.starts_with("<!DOCTYPE html>"));
    }
}
