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

/// A file name safe to suggest for a download: the last path component,
/// without control or reserved characters, never empty, never hidden, at
/// most 200 characters. (Browsers sanitise too; this does not rely on it.)
pub fn download_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"|?*".contains(c) || is_bidi_control(c) {
                '_'
            } else {
                c
            }
        })
        .take(200)
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        "attachment".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Right-to-left overrides and friends can disguise "gpj.exe" as "exe.jpg".
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
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

/// A byte count for people: "0 bytes", "1 byte", "2.4 KB", "18.9 MB".
pub fn human_size(bytes: u64) -> String {
    // Integer arithmetic: float formatting would add 15 KB to the decryptor.
    let tenths = |unit: u64| {
        let t = (bytes * 10 + unit / 2) / unit;
        format!("{}.{}", t / 10, t % 10)
    };
    match bytes {
        1 => "1 byte".to_owned(),
        0..1000 => format!("{bytes} bytes"),
        1000..1_000_000 => format!("{} KB", tenths(1_000)),
        1_000_000..1_000_000_000 => format!("{} MB", tenths(1_000_000)),
        _ => format!("{} GB", tenths(1_000_000_000)),
    }
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
    fn download_names_cannot_escape_or_disguise() {
        assert_eq!(download_name("../../etc/passwd"), "passwd");
        assert_eq!(download_name("C:\\Windows\\evil.exe"), "evil.exe");
        assert_eq!(download_name("report\u{202e}fdp.exe"), "report_fdp.exe");
        assert_eq!(download_name("a\u{0}b\nc.txt"), "a_b_c.txt");
        assert_eq!(download_name(".."), "attachment");
        assert_eq!(download_name(".bashrc"), "bashrc");
        assert_eq!(
            download_name("<img src=x onerror=alert(1)>.png"),
            "_img src=x onerror=alert(1)_.png"
        );
        assert_eq!(download_name(&"x".repeat(500)).len(), 200);
    }

    #[test]
    fn html_bodies_get_their_own_policy() {
        let doc = html_body_document("<script>alert(1)</script>");
        assert!(doc.contains("default-src 'none'"));
        assert!(doc.starts_with("<!DOCTYPE html>"));
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(0), "0 bytes");
        assert_eq!(human_size(1), "1 byte");
        assert_eq!(human_size(2400), "2.4 KB");
        assert_eq!(human_size(18_874_368), "18.9 MB");
    }
}
