//! Renders an envelope into the self-contained `.html` page.
//!
//! The page = `templates/envelope.html.j2` + the decryptor (WASM and its
//! wasm-bindgen glue, built by `cargo xtask build-decryptor` and embedded
//! byte for byte) + a small loader + the envelope in base64 blocks, one per
//! encrypted chunk. Its Content-Security-Policy comes first in `<head>` and
//! allows the inline scripts and style by hash only, and no network at all.

use envelope_core::{ENCRYPTED_CHUNK_SIZE, Envelope};
use minijinja::{AutoEscape, Environment, Value, context};
use sha2::{Digest, Sha256};

use crate::branding::Branding;
use crate::seven_bit::{ascii_html, base64_lines, fold_html, wrap_javascript};
use crate::templates::{Templates, check_page};
use crate::{Error, Result};

/// The decryptor module, exactly as `cargo xtask build-decryptor` built it.
pub const DECRYPTOR_WASM: &[u8] = include_bytes!("../decryptor/envelope_wasm_bg.wasm");
/// The decryptor's wasm-bindgen glue, exactly as built.
pub const DECRYPTOR_JS: &str = include_str!("../decryptor/envelope_wasm.js");
const LOADER_JS: &str = include_str!("page/loader.js");
const STYLE_CSS: &str = include_str!("page/style.css");

/// The templates the page is rendered from, and the organisation's
/// branding (which also gives the page's language).
#[derive(Debug, Clone, Default)]
pub struct PageOptions {
    /// The templates (the built-in ones by default).
    pub templates: Templates,
    /// Organisation name, logo, accent colour, help text, contact line and
    /// language (none, in English, by default).
    pub branding: Branding,
}

/// The page's two scripts as they stand between their tags: the
/// decryptor's glue (folded into short lines) and the loader.
pub(crate) fn page_scripts() -> Result<(String, String)> {
    let glue = format!(
        "\n{}",
        wrap_javascript(DECRYPTOR_JS).map_err(Error::Render)?
    );
    Ok((glue, format!("\n{LOADER_JS}")))
}

/// SHA-256 of a script or style as the browser hashes it for CSP: the text
/// between the tags, after the parser turned CRLF into LF.
pub(crate) fn csp_hash(text: &str) -> String {
    use base64::Engine;
    let digest = Sha256::digest(text.replace("\r\n", "\n").as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Renders `envelope` (the bytes `envelope_core::seal` wrote) into the page.
/// The label and hint shown before decryption are the envelope's own header
/// fields, so what the page says is what the header MAC covers.
///
/// # Errors
///
/// [`Error::Envelope`] when `envelope` is not a valid envelope header;
/// [`Error::Branding`] when the branding is invalid; [`Error::Render`] when
/// a replaced template fails or weakens the page.
pub fn render_page(envelope: &[u8], options: &PageOptions) -> Result<String> {
    let branding = &options.branding;
    branding.check()?;
    let header = Envelope::new(envelope)?.header().clone();
    let (header_bytes, payload) = envelope.split_at(header.len());
    let (glue, loader) = page_scripts()?;
    let mut style = format!("\n{STYLE_CSS}");
    if let Some(accent) = branding.accent_colour {
        style.push_str(&format!(":root {{ --accent: {accent}; }}\n"));
    }
    let scripts: Vec<String> = [&glue, &loader].iter().map(|s| csp_hash(s)).collect();
    let csp = format!(
        "default-src 'none'; script-src {} 'wasm-unsafe-eval'; style-src {}; \
         img-src data: blob:; worker-src blob:; connect-src 'none'; \
         form-action 'none'; base-uri 'none'",
        scripts.join(" "),
        csp_hash(&style),
    );
    // The policy goes into the page unescaped (escaping its quotes would
    // only make it longer), so it must hold nothing that could end the
    // attribute: it is made of fixed text and base64 hashes.
    if csp.contains(['"', '<', '>', '&']) {
        return Err(Error::Render(
            "the content security policy is malformed".into(),
        ));
    }
    let label = header
        .label
        .clone()
        .unwrap_or_else(|| "Sealed message".to_owned());
    let chunks: Vec<Vec<String>> = payload
        .chunks(ENCRYPTED_CHUNK_SIZE)
        .map(base64_lines)
        .collect();
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("envelope.html", &options.templates.page)
        .map_err(|e| Error::Render(e.to_string()))?;
    let html = env
        .get_template("envelope.html")
        .and_then(|t| {
            t.render(context! {
                lang => branding.lang,
                organisation => branding.organisation,
                // A data: URL of base64: nothing in it to escape.
                logo => branding.logo.as_ref().map(|logo| Value::from_safe_string(logo.data_url())),
                accent => branding.accent_colour.unwrap_or_default().to_string(),
                help_text => branding.help_text,
                contact => branding.contact,
                csp => csp,
                title => label,
                label => label,
                hint => header.hint,
                style => style,
                glue => glue,
                loader => loader,
                wasm => base64_lines(DECRYPTOR_WASM),
                header => base64_lines(header_bytes),
                chunks => chunks,
            })
        })
        .map_err(|e| Error::Render(e.to_string()))?;
    check_page(&html)?;
    fold_html(&ascii_html(&html)).map_err(Error::Render)
}

/// Recovers the envelope bytes from a page made by [`render_page`]: the
/// header block and the chunk blocks, base64-decoded, in order. The page is
/// hostile input; this only finds and decodes the blocks, and the result is
/// an envelope to open with `envelope_core`, which checks everything.
///
/// # Errors
///
/// [`Error::Envelope`] with [`envelope_core::Error::NotAnEnvelope`] when the
/// page carries no envelope, or [`envelope_core::Error::Damaged`] when a
/// block is not valid base64.
pub fn extract_envelope(html: &str) -> Result<Vec<u8>> {
    const HEADER: &str = "id=\"envelope-header\">";
    const CHUNK: &str = "class=\"envelope-chunk\">";
    let start = html
        .find(HEADER)
        .ok_or(envelope_core::Error::NotAnEnvelope)?
        + HEADER.len();
    let (mut envelope, mut at) = data_block(html, start)?;
    while let Some(found) = html[at..].find(CHUNK) {
        let (chunk, end) = data_block(html, at + found + CHUNK.len())?;
        envelope.extend_from_slice(&chunk);
        at = end;
    }
    Ok(envelope)
}

/// The decryptor module a page embeds (its `decryptor-wasm` block), to
/// compare with [`decryptor_digests`]: a page whose module differs was not
/// made by this sealer. `None` when the page has no valid block.
pub fn embedded_decryptor(html: &str) -> Option<Vec<u8>> {
    const WASM: &str = "id=\"decryptor-wasm\">";
    let start = html.find(WASM)? + WASM.len();
    data_block(html, start).ok().map(|(bytes, _)| bytes)
}

/// Decodes the base64 data block starting at `start` (up to its
/// `</script>`); returns the bytes and where the block ends.
fn data_block(html: &str, start: usize) -> Result<(Vec<u8>, usize)> {
    use base64::Engine;
    let end = html[start..]
        .find("</script>")
        .map(|e| start + e)
        .ok_or(envelope_core::Error::NotAnEnvelope)?;
    let compact: Vec<u8> = html[start..end]
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|_| {
            envelope_core::Error::Damaged("a data block of the page is not valid base64".into())
        })?;
    Ok((bytes, end))
}

/// SHA-256 (hex) of the embedded decryptor module and glue, as published in
/// the README and shown by `sealer inspect`.
pub fn decryptor_digests() -> [(String, &'static str); 2] {
    [
        (sha256_hex(DECRYPTOR_WASM), "envelope_wasm_bg.wasm"),
        (sha256_hex(DECRYPTOR_JS.as_bytes()), "envelope_wasm.js"),
    ]
}

/// SHA-256 of `bytes`, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
