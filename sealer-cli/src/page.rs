//! Renders an envelope into the self-contained `.html` page.
//!
//! The page = `templates/envelope.html.j2` + the decryptor (WASM and its
//! wasm-bindgen glue, built by `cargo xtask build-decryptor` and embedded
//! byte for byte; the module deflated, as the build wrote it) + a small
//! loader (which inflates the module) + the envelope in base64 blocks, one
//! per encrypted chunk. Its Content-Security-Policy comes first in `<head>` and
//! allows the inline scripts and style by hash only, and no network at all.
//! It is written as the envelope is produced ([`writer`]).

use std::io::Write;

use minijinja::{AutoEscape, Environment, Value, context};
use sha2::{Digest, Sha256};

use crate::branding::Branding;
use crate::seven_bit::{ascii_html, base64_lines, fold_html};
use crate::templates::Templates;
use crate::{Error, ErrorKind, Result};

mod writer;
pub(crate) use writer::{PageWriter, WrittenPage};

/// The decryptor module, exactly as `cargo xtask build-decryptor` built it.
pub const DECRYPTOR_WASM: &[u8] = include_bytes!("../decryptor/envelope_wasm_bg.wasm");
/// [`DECRYPTOR_WASM`] as pages carry it: deflated into a zlib stream (by
/// Zopfli) by the same build, which the page's loader inflates with the
/// browser's `DecompressionStream` (the module's block 62 % lighter).
pub const DECRYPTOR_WASM_DEFLATED: &[u8] =
    include_bytes!("../decryptor/envelope_wasm_bg.wasm.zlib");
/// The decryptor's wasm-bindgen glue, exactly as built and folded into
/// the page's short lines.
pub const DECRYPTOR_JS: &str = include_str!("../decryptor/envelope_wasm.js");
/// [`DECRYPTOR_JS`] as pages carry it: deflated (a zlib stream, by Zopfli)
/// by the same build into the data block `#decryptor-js`, which the loader
/// inflates and runs as an inline script (its text then is a line break and
/// the glue, the text whose hash the page's policy lists).
pub const DECRYPTOR_JS_DEFLATED: &[u8] = include_bytes!("../decryptor/envelope_wasm.js.zlib");
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
    /// The envelope asks for secure replies: the page carries the frame of
    /// a reply's page ([`crate::reply_page`]), which the recipient's
    /// browser fills in with the answer it seals.
    pub replies: bool,
    /// The most bytes of text and files a reply may hold, when replies are
    /// asked for (`None`: 20 MB,
    /// [`envelope_core::reply_page::DEFAULT_REPLY_LIMIT`]).
    pub reply_limit: Option<u64>,
}

impl PageOptions {
    /// Checks the branding, that every template parses and that there
    /// are texts in the branding's language, before any work is done with
    /// them.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Branding`] or [`ErrorKind::Template`], as
    /// [`render_page`] would fail.
    pub fn check(&self) -> Result<()> {
        self.branding.check()?;
        self.templates.check()?;
        self.templates.texts(&self.branding.lang).map(drop)
    }
}

/// The page's two scripts as they stand between their tags: the
/// decryptor's glue (folded into short lines by `cargo xtask
/// build-decryptor`) and the loader.
pub(crate) fn page_scripts() -> (String, String) {
    (format!("\n{DECRYPTOR_JS}"), format!("\n{LOADER_JS}"))
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

/// The decryptor and style a page is rendered with: this build's for a new
/// page, a known release's when `sealer verify` renders a page again.
#[derive(Debug, Clone)]
pub(crate) struct PageParts<'a> {
    /// The WebAssembly module's block, as the page carries it: deflated for
    /// releases whose line in RELEASES names the deflated module's SHA-256,
    /// the module itself for earlier ones.
    pub(crate) wasm: &'a [u8],
    /// The glue script as it stands between its tags (folded), for
    /// templates that hold it as a script (`{{ glue }}`: an organisation's
    /// template from before it was deflated, the opener site); empty when
    /// it is not known (a page that carries it deflated, verified again).
    pub(crate) glue: String,
    /// The glue deflated, for templates that hold it as a data block
    /// (`{{ glue_block }}`, base64 lines); empty when it is not known.
    pub(crate) glue_deflated: &'a [u8],
    /// The CSP hash of the glue script as it runs, whichever way the page
    /// holds it.
    pub(crate) glue_csp: String,
    /// The loader script as it stands between its tags.
    pub(crate) loader: String,
    /// The style sheet, before the organisation's accent colour.
    pub(crate) style: &'a str,
    /// How the policy admits styles: by the page style's hash only (releases
    /// before the HTML body's own styles were shown), or inline styles
    /// (`'unsafe-inline'`), so that the message's styles apply in its frame.
    pub(crate) styles: StyleSource,
}

/// What a page's `style-src` admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StyleSource {
    /// The page's own style sheet, by hash.
    PageHash,
    /// Inline styles (the page's and the HTML body's); still nothing
    /// fetched: no `@import`, font or image from anywhere but `data:` and
    /// `blob:`.
    Inline,
}

impl PageParts<'static> {
    /// This build's decryptor and style.
    pub(crate) fn this_build() -> PageParts<'static> {
        let (glue, loader) = page_scripts();
        PageParts {
            wasm: DECRYPTOR_WASM_DEFLATED,
            glue_csp: csp_hash(&glue),
            glue,
            glue_deflated: DECRYPTOR_JS_DEFLATED,
            loader,
            style: STYLE_CSS,
            styles: StyleSource::Inline,
        }
    }
}

/// Renders `envelope` (the bytes `envelope_core::seal` wrote) into the page.
/// The label and hint shown before decryption are the envelope's own header
/// fields, so what the page says is what the header MAC covers. The page is
/// the one [`crate::sealing::SealJob`] writes as it seals, chunk by chunk,
/// in constant memory; this is that writing, into memory, of an envelope
/// sealed already.
///
/// # Errors
///
/// [`ErrorKind::Envelope`] when `envelope` is not a valid envelope header;
/// [`ErrorKind::Branding`] when the branding is invalid;
/// [`ErrorKind::Template`] when a replaced template fails or breaks the
/// page's allowlist ([`crate::page_policy`]).
pub fn render_page(envelope: &[u8], options: &PageOptions) -> Result<String> {
    render_page_with(envelope, options, &PageParts::this_build())
}

/// [`render_page`] with a given decryptor and style.
pub(crate) fn render_page_with(
    envelope: &[u8],
    options: &PageOptions,
    parts: &PageParts<'_>,
) -> Result<String> {
    // Base64 and line ends make the data 4/3 × 78/76 as long; the rest is
    // the decryptor and the template.
    let capacity = envelope.len() / 100 * 138 + 400_000;
    let mut writer = PageWriter::new(Vec::with_capacity(capacity), options, parts);
    if let Err(err) = writer.write_all(envelope) {
        return Err(writer
            .take_error()
            .unwrap_or_else(|| Error::new(ErrorKind::Io, err.to_string())));
    }
    let page = writer.finish()?.out;
    String::from_utf8(page)
        .map_err(|_| Error::new(ErrorKind::Internal, "the page is not ASCII text"))
}

/// The lines of the `#reply-page` block, when the envelope asks for
/// replies: the frame of its replies' page, base64.
fn reply_page_lines(
    header: &envelope_core::Header,
    options: &PageOptions,
    parts: &PageParts<'_>,
    language: &Language,
) -> Result<Option<Vec<String>>> {
    if !options.replies {
        return Ok(None);
    }
    let texts = language.texts(options)?;
    let label = header
        .label
        .clone()
        .unwrap_or_else(|| texts.get("page.title").to_owned());
    let frame = crate::reply_page::reply_frame(&label, options, parts, &texts)?;
    Ok(Some(base64_lines(&frame.encode()?)))
}

/// The line each chunk block holds in [`render_page_shape`].
pub(crate) const CHUNK_PLACEHOLDER: &str = "(envelope data)";

/// The page [`render_page_with`] makes for an envelope with this header and
/// `chunk_count` payload chunks, with each chunk block holding the one line
/// [`CHUNK_PLACEHOLDER`] instead of its data: what `sealer verify` compares
/// a page with (checking the data's own form apart), without rendering
/// megabytes of base64 again.
pub(crate) fn render_page_shape(
    header_bytes: &[u8],
    chunk_count: usize,
    options: &PageOptions,
    parts: &PageParts<'_>,
    texts: crate::texts::Texts,
) -> Result<String> {
    let header = envelope_core::Header::read_from(&mut &header_bytes[..])?;
    if header.len() != header_bytes.len() {
        return Err(
            envelope_core::Error::Damaged("the header block has extra bytes".into()).into(),
        );
    }
    let chunks = vec![vec![CHUNK_PLACEHOLDER.to_owned()]; chunk_count];
    let language = Language::Given(texts);
    let reply_page = reply_page_lines(&header, options, parts, &language)?;
    folded(
        &render(
            &header,
            header_bytes,
            chunks,
            options,
            parts,
            language,
            reply_page,
        )?,
        options,
    )
}

/// A rendered page made 7-bit: ASCII, folded into short CRLF lines.
pub(crate) fn folded(html: &str, options: &PageOptions) -> Result<String> {
    fold_html(&ascii_html(html))
        .map_err(|err| options.templates.page_failure(&err).with_source(err))
}

/// How a page's language finds its texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Language {
    /// Sealing: the pack for the branding's language (the organisation's
    /// or a built-in one); a language without one is refused.
    Strict,
    /// Rendering a page again to verify it: these texts (those the page
    /// holds, once checked to be a release's or the organisation's pack).
    Given(crate::texts::Texts),
}

impl Language {
    /// The texts a page in this language is rendered with.
    pub(crate) fn texts(&self, options: &PageOptions) -> Result<crate::texts::Texts> {
        match self {
            Language::Given(texts) => Ok(texts.clone()),
            Language::Strict => options
                .templates
                .texts(&options.branding.lang)
                .map_err(|err| {
                    Error::new(
                        ErrorKind::Template,
                        format!("cannot render the envelope page: {}", err.detail()),
                    )
                }),
        }
    }
}

/// The page template rendered (before folding) with `chunks` as the chunk
/// blocks' lines, and the `#reply-page` block's lines if any.
pub(crate) fn render(
    header: &envelope_core::Header,
    header_bytes: &[u8],
    chunks: Vec<Vec<String>>,
    options: &PageOptions,
    parts: &PageParts<'_>,
    language: Language,
    reply_page: Option<Vec<String>>,
) -> Result<String> {
    let branding = &options.branding;
    branding.check()?;
    let mut style = format!("\n{}", parts.style);
    if let Some(accent) = branding.accent_colour {
        style.push_str(&format!(":root {{ --accent: {accent}; }}\n"));
    }
    let scripts = [parts.glue_csp.clone(), csp_hash(&parts.loader)];
    let style_src = match parts.styles {
        StyleSource::PageHash => csp_hash(&style),
        // Not with the hash: a policy with a hash ignores 'unsafe-inline'.
        StyleSource::Inline => "'unsafe-inline'".to_owned(),
    };
    let csp = format!(
        "default-src 'none'; script-src {} 'wasm-unsafe-eval'; style-src {style_src}; \
         img-src data: blob:; worker-src blob:; connect-src 'none'; \
         form-action 'none'; base-uri 'none'",
        scripts.join(" "),
    );
    // The policy goes into the page unescaped (escaping its quotes would
    // only make it longer), so it must hold nothing that could end the
    // attribute: it is made of fixed text and base64 hashes.
    if csp.contains(['"', '<', '>', '&']) {
        return Err(Error::new(
            ErrorKind::Internal,
            "cannot render the envelope page: the content security policy is malformed",
        ));
    }
    let texts = language.texts(options)?;
    let label = header
        .label
        .clone()
        .unwrap_or_else(|| texts.get("page.title").to_owned());
    let opener_url = branding.opener_url.as_ref().map(ToString::to_string);
    let advice = crate::texts::advice_lines(&texts, opener_url.as_deref());
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    crate::texts::add_filters(&mut env);
    let failed = |err: minijinja::Error| options.templates.page_failure(&err).with_source(err);
    env.add_template("envelope.html", &options.templates.page)
        .map_err(failed)?;
    env.get_template("envelope.html")
        .and_then(|template| {
            template.render(context! {
                lang => branding.lang,
                dir => crate::texts::direction(&branding.lang),
                organisation => branding.organisation,
                // A data: URL of base64: nothing in it to escape.
                logo => branding.logo.as_ref().map(|logo| Value::from_safe_string(logo.data_url())),
                accent => branding.accent_colour.unwrap_or_default().to_string(),
                help_text => branding.help_text,
                contact => branding.contact,
                opener_url => opener_url,
                advice => advice,
                csp => csp,
                title => label,
                label => label,
                hint => header.hint,
                style => style,
                glue => parts.glue,
                glue_block => base64_lines(parts.glue_deflated),
                loader => parts.loader,
                wasm => base64_lines(parts.wasm),
                header => base64_lines(header_bytes),
                chunks => chunks,
                reply_page => reply_page,
                t => texts.as_map(),
                around => texts.around_placeholders(),
                texts => texts.block_lines(),
            })
        })
        .map_err(failed)
}

/// SHA-256 (hex) of the embedded decryptor module, glue, deflated
/// module and deflated glue, as published in the README (the module's is
/// the one `sealer inspect` shows).
pub fn decryptor_digests() -> [(String, &'static str); 4] {
    [
        (sha256_hex(DECRYPTOR_WASM), "envelope_wasm_bg.wasm"),
        (sha256_hex(DECRYPTOR_JS.as_bytes()), "envelope_wasm.js"),
        (
            sha256_hex(DECRYPTOR_WASM_DEFLATED),
            "envelope_wasm_bg.wasm.zlib",
        ),
        (sha256_hex(DECRYPTOR_JS_DEFLATED), "envelope_wasm.js.zlib"),
    ]
}

/// SHA-256 of `bytes`, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seven_bit::{MAX_LINE, wrap_javascript};

    #[test]
    fn the_deflated_module_inflates_to_the_module() {
        let mut inflated = Vec::new();
        let mut reader = flate2::read::ZlibDecoder::new(DECRYPTOR_WASM_DEFLATED);
        std::io::Read::read_to_end(&mut reader, &mut inflated).unwrap();
        assert!(
            inflated == DECRYPTOR_WASM,
            "run cargo xtask build-decryptor"
        );
        assert!(DECRYPTOR_WASM_DEFLATED.len() < DECRYPTOR_WASM.len() / 2);
    }

    #[test]
    fn the_embedded_glue_is_already_folded_for_the_page() {
        assert!(DECRYPTOR_JS.is_ascii());
        assert!(DECRYPTOR_JS.lines().all(|line| line.len() <= MAX_LINE));
        assert_eq!(
            wrap_javascript(DECRYPTOR_JS).ok().as_deref(),
            Some(DECRYPTOR_JS),
            "run cargo xtask build-decryptor"
        );
    }

    /// The page moves nothing by itself (WCAG 2.3.3): no animation or
    /// transition anywhere in its style sheet, and, for what a browser
    /// animates on its own (the progress bar), none when the recipient asks
    /// for reduced motion. A disabled control looks it.
    #[test]
    fn the_style_sheet_respects_reduced_motion_and_shows_disabled_controls() {
        let reduce = "@media (prefers-reduced-motion: reduce) {\n  * { animation: none !important; \
                      transition: none !important; }\n}";
        assert!(STYLE_CSS.contains(reduce));
        let elsewhere = STYLE_CSS.replace(reduce, "");
        for word in ["animation", "transition", "@keyframes"] {
            assert!(
                !elsewhere.contains(word),
                "{word} outside the reduced-motion rule"
            );
        }
        assert!(
            STYLE_CSS
                .contains("input:disabled, button:disabled { opacity: .5; cursor: not-allowed; }")
        );
    }
}
