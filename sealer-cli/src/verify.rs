//! Checking that an envelope page is exactly what a known sealer release
//! renders, so that a page whose decryptor or markup was changed in transit
//! (to send the passphrase somewhere, say) is caught before anyone types
//! into it.
//!
//! The check is an allowlist, not a search for bad things. A page verifies
//! only if:
//!
//! 1. its bytes are printable ASCII with CR and LF line ends, so that no
//!    character set a browser might pick reads them differently;
//! 2. its document tree (parsed as a browser parses it) holds only what
//!    the page allowlist accepts ([`crate::page_policy`]), and its envelope
//!    is where the one reading rule finds it ([`crate::reader`]);
//! 3. its scripts and WebAssembly module are those of a known release;
//! 4. rendered again by that release's template and style, with the same
//!    envelope, the organisation's words, colour and logo taken from the
//!    page, it comes out byte for byte the same (line ends aside). Nothing
//!    else can differ: not an element, an attribute, a comment, a
//!    `<noscript>`, a `<template>`, nor anything after `</html>`.
//!
//! An organisation's own page template is checked the same way, against
//! that template ([`VerifyOptions::templates`]).

use scraper::{ElementRef, Html};

use crate::branding::{AccentColour, Branding, Logo};
use crate::page::{
    DECRYPTOR_JS_DEFLATED, DECRYPTOR_WASM, DECRYPTOR_WASM_DEFLATED, PageParts, StyleSource,
    csp_hash, page_scripts, render_page_shape,
};
use crate::reader::{self, elements_outside_templates};
use crate::templates::Templates;
use crate::texts::{Texts, pack_tag};
use crate::{PageOptions, sha256_hex};
use envelope_core::reply_page::REPLY_PAGE_ID;

mod masked;
mod opener_site;
pub use opener_site::{SiteFiles, verify_opener};

/// The decryptors of sealers released so far, one per line (see the file).
const RELEASES: &str = include_str!("../decryptor/RELEASES");

/// One released decryptor and the page it renders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// Its name, e.g. `0.1.0+de27cb8a`.
    pub name: String,
    /// SHA-256 of its WebAssembly module, hex.
    pub wasm_sha256: String,
    /// CSP hash (`'sha256-…'`) of its glue script as it stands in a page.
    pub glue_csp: String,
    /// CSP hash of its loader script.
    pub loader_csp: String,
    /// The folder of `sealer-cli/decryptor/pages/` holding the page
    /// template and style it renders; `None` for releases from before pages
    /// were checked in full, which cannot be verified.
    pub page: Option<String>,
    /// SHA-256 of its module deflated, as its pages carry it; `None` for
    /// releases whose pages carry the module itself.
    pub deflated_sha256: Option<String>,
    /// SHA-256 of its glue deflated, as its pages carry it in the block
    /// `#decryptor-js`; `None` for releases whose pages carry the glue as a
    /// script.
    pub glue_deflated_sha256: Option<String>,
}

impl Release {
    /// SHA-256 of the module's block as this release's pages carry it.
    pub fn module_block_sha256(&self) -> &str {
        self.deflated_sha256.as_deref().unwrap_or(&self.wasm_sha256)
    }
}

/// SHA-256 of the decryptor module a page's module block (`bytes`) holds:
/// a known release's module when the block is that release's deflated
/// module (the release line vouches for what it inflates to; nothing is
/// inflated here), else the block's own SHA-256.
pub fn module_sha256(bytes: &[u8]) -> String {
    let block = sha256_hex(bytes);
    known_releases()
        .into_iter()
        .find(|release| release.deflated_sha256.as_deref() == Some(block.as_str()))
        .map_or(block, |release| release.wasm_sha256)
}

/// A release's page template and style sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageShape {
    /// The page template (`envelope.html.j2`).
    pub template: &'static str,
    /// The style sheet, before an accent colour.
    pub style: &'static str,
    /// What its policy's `style-src` admits.
    pub styles: StyleSource,
    /// Its opener site's template and service worker, for releases that
    /// write one.
    pub opener: Option<OpenerShape>,
    /// Its built-in language packs, one line `SHA-256  TAG` each (the
    /// digest of the texts block each renders, [`Texts::block_digest`]),
    /// for releases whose pages hold one.
    pub packs: Option<&'static str>,
}

/// A release's opener site: the template of its `index.html` and its
/// service worker (`sw.js`, before the site's digest is put in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenerShape {
    /// The opener's page template (`opener.html.j2`).
    pub template: &'static str,
    /// The service worker.
    pub service_worker: &'static str,
}

/// The page template and style kept for a release (its `page` folder).
pub fn page_shape(folder: &str) -> Option<PageShape> {
    match folder {
        "0.1.0+0606bbcf" => Some(PageShape {
            template: include_str!("../decryptor/pages/0.1.0+0606bbcf/envelope.html.j2"),
            styles: StyleSource::PageHash,
            style: include_str!("../decryptor/pages/0.1.0+0606bbcf/style.css"),
            packs: None,
            opener: None,
        }),
        "0.1.0+2e9a4383" => Some(PageShape {
            template: include_str!("../decryptor/pages/0.1.0+2e9a4383/envelope.html.j2"),
            styles: StyleSource::PageHash,
            style: include_str!("../decryptor/pages/0.1.0+2e9a4383/style.css"),
            packs: None,
            opener: None,
        }),
        "0.1.0+a3df77a9" => Some(PageShape {
            template: include_str!("../decryptor/pages/0.1.0+a3df77a9/envelope.html.j2"),
            styles: StyleSource::PageHash,
            style: include_str!("../decryptor/pages/0.1.0+a3df77a9/style.css"),
            packs: None,
            opener: None,
        }),
        "0.1.0+4ee56af1" => Some(PageShape {
            template: include_str!("../decryptor/pages/0.1.0+4ee56af1/envelope.html.j2"),
            styles: StyleSource::Inline,
            style: include_str!("../decryptor/pages/0.1.0+4ee56af1/style.css"),
            packs: Some(include_str!(
                "../decryptor/pages/0.1.0+4ee56af1/packs.sha256"
            )),
            opener: None,
        }),
        "0.1.0+6c3be2a8" => Some(PageShape {
            styles: StyleSource::Inline,
            template: include_str!("../decryptor/pages/0.1.0+6c3be2a8/envelope.html.j2"),
            style: include_str!("../decryptor/pages/0.1.0+6c3be2a8/style.css"),
            packs: Some(include_str!(
                "../decryptor/pages/0.1.0+6c3be2a8/packs.sha256"
            )),
            opener: Some(OpenerShape {
                template: include_str!("../decryptor/pages/0.1.0+6c3be2a8/opener.html.j2"),
                service_worker: include_str!("../decryptor/pages/0.1.0+6c3be2a8/sw.js"),
            }),
        }),
        "0.1.0+4b50527b" => Some(PageShape {
            styles: StyleSource::Inline,
            template: include_str!("../decryptor/pages/0.1.0+4b50527b/envelope.html.j2"),
            style: include_str!("../decryptor/pages/0.1.0+4b50527b/style.css"),
            packs: Some(include_str!(
                "../decryptor/pages/0.1.0+4b50527b/packs.sha256"
            )),
            opener: Some(OpenerShape {
                template: include_str!("../decryptor/pages/0.1.0+4b50527b/opener.html.j2"),
                service_worker: include_str!("../decryptor/pages/0.1.0+4b50527b/sw.js"),
            }),
        }),
        "0.1.0+20a3d046" => Some(PageShape {
            styles: StyleSource::Inline,
            template: include_str!("../decryptor/pages/0.1.0+20a3d046/envelope.html.j2"),
            style: include_str!("../decryptor/pages/0.1.0+20a3d046/style.css"),
            packs: Some(include_str!(
                "../decryptor/pages/0.1.0+20a3d046/packs.sha256"
            )),
            opener: Some(OpenerShape {
                template: include_str!("../decryptor/pages/0.1.0+20a3d046/opener.html.j2"),
                service_worker: include_str!("../decryptor/pages/0.1.0+20a3d046/sw.js"),
            }),
        }),
        "0.1.0+21e8e03d" => Some(PageShape {
            styles: StyleSource::Inline,
            template: include_str!("../decryptor/pages/0.1.0+21e8e03d/envelope.html.j2"),
            style: include_str!("../decryptor/pages/0.1.0+21e8e03d/style.css"),
            packs: Some(include_str!(
                "../decryptor/pages/0.1.0+21e8e03d/packs.sha256"
            )),
            opener: Some(OpenerShape {
                template: include_str!("../decryptor/pages/0.1.0+21e8e03d/opener.html.j2"),
                service_worker: include_str!("../decryptor/pages/0.1.0+21e8e03d/sw.js"),
            }),
        }),
        "0.1.0+d8a606be" => Some(PageShape {
            styles: StyleSource::Inline,
            template: include_str!("../decryptor/pages/0.1.0+d8a606be/envelope.html.j2"),
            style: include_str!("../decryptor/pages/0.1.0+d8a606be/style.css"),
            packs: Some(include_str!(
                "../decryptor/pages/0.1.0+d8a606be/packs.sha256"
            )),
            opener: Some(OpenerShape {
                template: include_str!("../decryptor/pages/0.1.0+d8a606be/opener.html.j2"),
                service_worker: include_str!("../decryptor/pages/0.1.0+d8a606be/sw.js"),
            }),
        }),
        _ => None,
    }
}

/// Every known release, oldest first (the list in
/// `sealer-cli/decryptor/RELEASES`).
pub fn known_releases() -> Vec<Release> {
    RELEASES
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (fields, deflated, glue_deflated) = match fields.as_slice() {
                [fields @ .., deflated, glue] if fields.len() == 5 => {
                    (fields, Some(*deflated), Some(*glue))
                }
                [fields @ .., deflated] if fields.len() == 5 => (fields, Some(*deflated), None),
                fields => (fields, None, None),
            };
            match fields {
                [name, wasm, glue, loader, page] => Some(Release {
                    name: (*name).to_owned(),
                    wasm_sha256: (*wasm).to_owned(),
                    glue_csp: (*glue).to_owned(),
                    loader_csp: (*loader).to_owned(),
                    page: (*page != "-").then(|| (*page).to_owned()),
                    deflated_sha256: deflated.map(str::to_owned),
                    glue_deflated_sha256: glue_deflated.map(str::to_owned),
                }),
                _ => None,
            }
        })
        .collect()
}

/// The decryptor this sealer embeds, as a [`Release`] (named `this
/// build`, with no page folder): the last line of the list must say the
/// same, and name a page folder holding this build's template and style.
pub fn this_build() -> Release {
    let (glue, loader) = page_scripts();
    Release {
        name: "this build".to_owned(),
        wasm_sha256: sha256_hex(DECRYPTOR_WASM),
        glue_csp: csp_hash(&glue),
        loader_csp: csp_hash(&loader),
        page: None,
        deflated_sha256: Some(sha256_hex(DECRYPTOR_WASM_DEFLATED)),
        glue_deflated_sha256: Some(sha256_hex(DECRYPTOR_JS_DEFLATED)),
    }
}

/// What [`verify_page`] checks a page against besides the releases.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// An organisation's own templates and branding (`verify
    /// --template-dir`): its page template replaces the release's, and its
    /// branding is tried when the page's own words do not reproduce it.
    pub templates: Option<(Templates, Branding)>,
}

/// What [`verify_page`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    /// The known release whose decryptor the page carries, if any.
    pub release: Option<String>,
    /// SHA-256 of the page's WebAssembly module, if it has one (of the
    /// module a known release deflated, of the block's bytes otherwise).
    pub wasm_sha256: Option<String>,
    /// The organisation the page names, if any (its words are the
    /// organisation's, not the release's).
    pub organisation: Option<String>,
    /// Everything that is not as a known release makes it, one sentence
    /// each; empty for a genuine page.
    pub problems: Vec<String>,
}

impl Verification {
    /// Whether the page is what a known release renders, and nothing else.
    pub fn is_genuine(&self) -> bool {
        self.release.is_some() && self.problems.is_empty()
    }
}

/// Checks `bytes`, an envelope page, against every known release (see the
/// module's documentation).
pub fn verify_page(bytes: &[u8], options: &VerifyOptions) -> Verification {
    // Reading from memory does not fail.
    verify_page_from(bytes, options).unwrap_or_default()
}

/// [`verify_page`] on the page `source` reads, read as a stream: only the
/// page without its payload's data is kept (see `verify/masked.rs`),
/// whatever the payload's size.
///
/// # Errors
///
/// When reading `source` fails.
pub fn verify_page_from(
    source: impl std::io::Read,
    options: &VerifyOptions,
) -> std::io::Result<Verification> {
    let mut verification = Verification::default();
    match masked::masked_page(source)? {
        Ok(html) => Ok(verify_masked(&html, options)),
        Err(problem) => {
            verification.problems.push(problem);
            Ok(verification)
        }
    }
}

/// The checks on a page's text once its chunks' data is masked.
fn verify_masked(html: &str, options: &VerifyOptions) -> Verification {
    let mut verification = Verification::default();
    // The chunks' data was checked and masked as the page was read.
    let parsed = reader::parse(html, false);
    let document = &parsed.document;
    let Structure {
        envelope,
        module,
        scripts,
    } = structure(&parsed, &mut verification);
    let release = match identify(&scripts, verification.wasm_sha256.as_deref()) {
        Ok(release) => {
            verification.wasm_sha256 = Some(release.wasm_sha256.clone());
            release
        }
        Err(problem) => {
            verification.problems.push(problem);
            return verification;
        }
    };
    verification.release = Some(release.name.clone());
    let Some(shape) = release.page.as_deref().and_then(page_shape) else {
        verification.problems.push(format!(
            "it was made by sealer release {}, from before pages could be checked in full, so \
             it cannot be verified",
            release.name
        ));
        return verification;
    };
    let Some((from_page, texts)) =
        branding_and_texts(document, &shape, &release, options, &mut verification)
    else {
        return verification;
    };
    if !verification.problems.is_empty() {
        return verification;
    }
    let (Some((header_bytes, chunk_count)), Some(module)) = (envelope, module) else {
        return verification;
    };
    let Some(parts) = scripts.parts(&release, &module, &shape) else {
        return verification;
    };
    // A page that carries the frame of secure replies is rendered with it:
    // the frame is then checked byte for byte like the rest.
    let frame = reader::element_by_id(document, REPLY_PAGE_ID).map(|block| {
        reader::block_bytes(&parsed, block)
            .ok()
            .and_then(|bytes| crate::reply_page::frame_limit(&bytes))
    });
    let replies = match frame {
        None => None,
        Some(Some(limit)) => Some(limit),
        Some(None) => {
            verification
                .problems
                .push("its secure replies' frame (#reply-page) is damaged".to_owned());
            return verification;
        }
    };
    drop(parsed);
    let found = html.to_owned();
    let rendered = Rendered {
        header_bytes: &header_bytes,
        chunk_count,
        parts: &parts,
        release: &release,
        shape,
        texts,
        replies,
    };
    if let Some(problem) = rendered.difference(&found, from_page, options) {
        verification.problems.push(problem);
    }
    verification
}

/// What a page holds where the reading rule finds it.
struct Structure {
    /// The envelope's header and how many chunks it has.
    envelope: Option<(Vec<u8>, usize)>,
    /// The decryptor module.
    module: Option<Vec<u8>>,
    /// The decryptor's scripts.
    scripts: Scripts,
}

/// The decryptor's scripts as a page holds them.
pub(crate) struct Scripts {
    /// The text of each script that runs (not a data block).
    pub(crate) running: Vec<String>,
    /// The glue's data block (`#decryptor-js` holding it deflated), decoded.
    pub(crate) glue_block: Option<Vec<u8>>,
}

impl Scripts {
    /// The scripts of `parsed`.
    pub(crate) fn of(parsed: &reader::Parsed) -> Scripts {
        let running = elements_outside_templates(&parsed.document)
            .filter(|e| e.value().name() == "script" && e.value().attr("type").is_none())
            .map(|e| e.text().collect())
            .collect();
        let glue_block = reader::element_by_id(&parsed.document, envelope_core::page::ids::GLUE)
            .filter(|e| e.value().attr("type") == Some(reader::DATA_TYPE))
            .and_then(|block| reader::block_bytes(parsed, block).ok());
        Scripts {
            running,
            glue_block,
        }
    }

    /// How the page holds the decryptor's glue and loader; `None` when it
    /// holds them neither way a release writes.
    fn held(&self) -> Option<Held<'_>> {
        match (self.running.as_slice(), &self.glue_block) {
            ([glue, loader], None) => Some(Held::Script { glue, loader }),
            ([loader], Some(glue)) => Some(Held::Block { glue, loader }),
            _ => None,
        }
    }

    /// The parts to render the page again with: `release`'s glue as the
    /// page holds it (its script's text, or its block and the release's
    /// hash of the script it inflates to), the page's loader, `module` and
    /// `shape`'s style; `None` when the page holds its scripts neither way.
    pub(crate) fn parts<'a>(
        &'a self,
        release: &Release,
        module: &'a [u8],
        shape: &PageShape,
    ) -> Option<PageParts<'a>> {
        let (glue, glue_deflated, glue_csp, loader) = match self.held()? {
            Held::Script { glue, loader } => (glue.to_owned(), &[][..], csp_hash(glue), loader),
            Held::Block { glue, loader } => (String::new(), glue, release.glue_csp.clone(), loader),
        };
        Some(PageParts {
            wasm: module,
            glue,
            glue_deflated,
            glue_csp,
            loader: loader.to_owned(),
            style: shape.style,
            styles: shape.styles,
        })
    }
}

/// How a page holds the decryptor's glue, before its loader.
enum Held<'a> {
    /// The glue as a script (its text).
    Script { glue: &'a str, loader: &'a str },
    /// The glue deflated in its block (the block's bytes).
    Block { glue: &'a [u8], loader: &'a str },
}

/// Checks `parsed` against the page contract (the allowlist, the
/// decryptor's elements, the envelope and module where the reading rule
/// finds them), noting each problem and the module's SHA-256 in
/// `verification`, and returns what the page holds.
fn structure(parsed: &reader::Parsed, verification: &mut Verification) -> Structure {
    let document = &parsed.document;
    verification.problems =
        crate::page_contract::check(document, crate::page_contract::Layout::AnyRelease)
            .into_iter()
            .map(|problem| format!("it {problem}"))
            .collect();
    // Blocks the reading rule does not find are a problem of the contract,
    // above; the chunks' data is checked in the text (see `masked`).
    let envelope = match reader::find_blocks(document).map(|blocks| {
        reader::block_bytes(parsed, blocks.header).map(|header| (header, blocks.chunks.len()))
    }) {
        Ok(Ok(envelope)) => Some(envelope),
        Ok(Err(err)) => {
            verification
                .problems
                .push(format!("its envelope cannot be read: {err}"));
            None
        }
        Err(_) => None,
    };
    let module =
        reader::module_block(document).and_then(|block| reader::block_bytes(parsed, block).ok());
    verification.wasm_sha256 = module.as_deref().map(sha256_hex);
    let scripts = Scripts::of(parsed);
    Structure {
        envelope,
        module,
        scripts,
    }
}

/// What a release renders for a page's envelope: to compare the page with.
struct Rendered<'a> {
    header_bytes: &'a [u8],
    chunk_count: usize,
    parts: &'a PageParts<'a>,
    release: &'a Release,
    shape: PageShape,
    texts: Texts,
    /// The limit of the secure replies' frame the page carries, if any.
    replies: Option<u64>,
}

impl Rendered<'_> {
    /// Where `found` (a page's text, [`masked`]) first differs from what
    /// the release renders with the page's own branding (and then the
    /// organisation's, with `--template-dir`); `None` when it does not.
    fn difference(
        &self,
        found: &str,
        from_page: Branding,
        options: &VerifyOptions,
    ) -> Option<String> {
        let (template, mut brandings) = match &options.templates {
            Some((templates, branding)) => {
                (templates.page.clone(), vec![from_page, branding.clone()])
            }
            None => (self.shape.template.to_owned(), vec![from_page]),
        };
        brandings.dedup();
        let mut first_difference = None;
        for branding in brandings {
            let page_options = PageOptions {
                templates: Templates {
                    page: template.clone(),
                    ..Templates::default()
                },
                branding,
                replies: self.replies.is_some(),
                reply_limit: self.replies,
            };
            let expected = render_page_shape(
                self.header_bytes,
                self.chunk_count,
                &page_options,
                self.parts,
                self.texts.clone(),
            );
            let problem = match expected {
                Ok(expected) => difference(&expected, found)?,
                Err(err) => format!(
                    "it cannot be rendered again by release {}'s template: {err}",
                    self.release.name
                ),
            };
            first_difference.get_or_insert(problem);
        }
        let template_name = match options.templates {
            Some(_) => "the organisation's template",
            None => "its template",
        };
        Some(format!(
            "it is not what sealer release {} renders with {template_name}: {}",
            self.release.name,
            first_difference.unwrap_or_default()
        ))
    }
}

/// The organisation's branding as a page of `release` shows it, and the
/// texts it is rendered again with ([`page_texts`]); the organisation, or
/// the problem with the texts, noted in `verification`.
fn branding_and_texts(
    document: &Html,
    shape: &PageShape,
    release: &Release,
    options: &VerifyOptions,
    verification: &mut Verification,
) -> Option<(Branding, Texts)> {
    let from_page = branding_in(document, shape.style);
    verification.organisation = from_page.organisation.clone();
    match page_texts(document, shape, release, &from_page.lang, options) {
        Ok(texts) => Some((from_page, texts)),
        Err(problem) => {
            verification.problems.push(problem);
            None
        }
    }
}

/// The texts a page is rendered again with: for a release whose pages
/// hold a texts block, the page's own, once their digest is found to be
/// that release's pack for the page's language (or, with `--template-dir`,
/// the organisation's texts for it), so that a page whose words were
/// changed does not verify, and a page keeps verifying when later releases
/// change the packs; for earlier releases (English words in the template),
/// this build's pack, as they were rendered.
pub(crate) fn page_texts(
    document: &Html,
    shape: &PageShape,
    release: &Release,
    lang: &str,
    options: &VerifyOptions,
) -> Result<Texts, String> {
    let Some(packs) = shape.packs else {
        return Ok(Templates::default()
            .texts(lang)
            .unwrap_or_else(|_| Texts::english()));
    };
    let block = reader::element_by_id(document, crate::texts::BLOCK_ID)
        .map(|e| e.text().collect::<String>())
        .ok_or_else(|| "it has no texts block".to_owned())?;
    let texts = Texts::from_block(&block)
        .map_err(|err| format!("its texts block cannot be read: {}", err.detail()))?;
    let digest = texts.block_digest();
    let listed: Vec<(&str, &str)> = packs
        .lines()
        .filter_map(|line| line.split_once("  "))
        .collect();
    let tags: Vec<&str> = listed.iter().map(|(_, tag)| *tag).collect();
    let release_pack = pack_tag(lang, &tags)
        .and_then(|tag| listed.iter().find(|(_, t)| *t == tag))
        .map(|(digest, _)| *digest);
    let organisation_pack = options
        .templates
        .as_ref()
        .and_then(|(templates, _)| templates.texts(lang).ok())
        .map(|texts| texts.block_digest());
    if release_pack == Some(digest.as_str()) || organisation_pack.as_deref() == Some(&digest) {
        return Ok(texts);
    }
    Err(format!(
        "its words are not sealer release {}'s texts for the language {lang:?}{}: they were \
         changed",
        release.name,
        if options.templates.is_some() {
            " nor the organisation's"
        } else {
            ""
        }
    ))
}

/// Rule 1: the first byte that is not printable ASCII, CR or LF.
fn not_plain_ascii(bytes: &[u8]) -> Option<String> {
    let at = masked::first_not_plain(bytes)?;
    Some(not_plain_ascii_at(at, bytes[at]))
}

/// Rule 1's problem: the byte at `at`, `byte`, is not printable ASCII, CR
/// or LF.
fn not_plain_ascii_at(at: usize, byte: u8) -> String {
    format!(
        "byte {at} is 0x{byte:02X}, not printable ASCII: a browser could read the page otherwise \
         than this check does (a sealer page is ASCII only)"
    )
}

/// The known release whose scripts and module the page carries: its glue
/// as a script (by the script's hash) or deflated in a block (by the
/// block's SHA-256), its loader (by its hash) and its module.
fn identify(scripts: &Scripts, module_block_sha256: Option<&str>) -> Result<Release, String> {
    let Some(held) = scripts.held() else {
        let count = scripts.running.len();
        return Err(format!(
            "it has {count} script{}{}; a sealer page has the decryptor's glue (a script, or \
             deflated in its block) and its loader",
            if count == 1 { "" } else { "s" },
            if scripts.glue_block.is_some() {
                " and the glue's block"
            } else {
                ""
            }
        ));
    };
    let same_scripts: Vec<Release> = match held {
        Held::Script { glue, loader } => {
            let (glue, loader) = (csp_hash(glue), csp_hash(loader));
            known_releases()
                .into_iter()
                .filter(|release| release.glue_csp == glue && release.loader_csp == loader)
                .collect()
        }
        Held::Block { glue, loader } => {
            let (glue, loader) = (sha256_hex(glue), csp_hash(loader));
            known_releases()
                .into_iter()
                .filter(|release| {
                    release.glue_deflated_sha256.as_ref() == Some(&glue)
                        && release.loader_csp == loader
                })
                .collect()
        }
    };
    let Some(block) = module_block_sha256 else {
        return Err("it has no readable decryptor module".to_owned());
    };
    if let Some(release) = same_scripts
        .iter()
        .find(|r| r.module_block_sha256() == block)
    {
        return Ok(release.clone());
    }
    Err(match same_scripts.last() {
        None => "its scripts are not those of any known sealer release".to_owned(),
        Some(latest) => format!(
            "its decryptor module is not a known release's (its block's SHA-256 is {block}; {} \
             has {})",
            latest.name,
            latest.module_block_sha256()
        ),
    })
}

/// The organisation's words, colour, logo and language as the page shows
/// them (where the built-in template puts them), to render it again with.
/// What cannot be read is left out; the comparison then fails.
fn branding_in(document: &Html, style: &str) -> Branding {
    let by_id = |id: &str| -> Option<ElementRef<'_>> {
        elements_outside_templates(document).find(|e| e.value().attr("id") == Some(id))
    };
    let text = |id: &str| by_id(id).map(|e| e.text().collect::<String>());
    // Folding turns a space of a one-line value into a line break.
    let one_line = |id: &str| text(id).map(|t| t.replace('\n', " "));
    let logo = by_id("logo")
        .and_then(|img| img.value().attr("src"))
        .and_then(|src| {
            use base64::Engine;
            let compact: String = src.split_ascii_whitespace().collect();
            let (_, data) = compact.split_once(";base64,")?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .ok()?;
            Logo::from_bytes(bytes).ok()
        });
    let accent_colour = elements_outside_templates(document)
        .find(|e| e.value().name() == "style")
        .map(|e| e.text().collect::<String>())
        .and_then(|css| {
            let rest = css.strip_prefix('\n')?.strip_prefix(style)?;
            let value = rest
                .strip_prefix(":root { --accent: ")?
                .strip_suffix("; }\n")?;
            value.parse::<AccentColour>().ok()
        });
    let lang = elements_outside_templates(document)
        .find(|e| e.value().name() == "html")
        .and_then(|e| e.value().attr("lang"))
        .unwrap_or("en")
        .to_owned();
    Branding {
        organisation: one_line("organisation"),
        logo,
        accent_colour,
        help_text: text("help-text"),
        contact: one_line("contact"),
        lang,
        opener_url: text(crate::texts::ADVICE_ID)
            .and_then(|block| Texts::from_block(&block).ok())
            .map(|advice| advice.get("opener_url").to_owned())
            .filter(|url| !url.is_empty())
            .and_then(|url| url.parse().ok()),
    }
}

/// Where `found` first differs from `expected`, line ends aside (CRLF, CR
/// and LF are one to a browser) and blank lines at the end allowed; `None`
/// when they are the same.
fn difference(expected: &str, found: &str) -> Option<String> {
    let normal = |text: &str| text.replace("\r\n", "\n").replace('\r', "\n");
    let (expected, found) = (normal(expected), normal(found));
    let (expected, found) = (
        expected.trim_end_matches('\n'),
        found.trim_end_matches('\n'),
    );
    if expected == found {
        return None;
    }
    let mut expected_lines = expected.lines();
    let mut found_lines = found.lines();
    for number in 1.. {
        match (expected_lines.next(), found_lines.next()) {
            (Some(e), Some(f)) if e == f => continue,
            (Some(e), Some(f)) => {
                return Some(format!(
                    "line {number} is {:?} where the release has {:?}",
                    clip(f),
                    clip(e)
                ));
            }
            (Some(_), None) => return Some(format!("it ends early, at line {number}")),
            (None, Some(f)) => {
                return Some(format!(
                    "it goes on after the release's page ends, at line {number}: {:?}",
                    clip(f)
                ));
            }
            (None, None) => break,
        }
    }
    Some("it differs".to_owned())
}

fn clip(line: &str) -> String {
    const MAX: usize = 80;
    if line.len() <= MAX {
        line.to_owned()
    } else {
        format!("{}…", &line[..MAX])
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::render_page;
    use envelope_core::{KdfParams, Message, Passphrase, SealOptions, seal_to_vec};

    fn page() -> String {
        let options = SealOptions::new()
            .kdf(KdfParams::MIN)
            .passphrase(Passphrase::new("pw"));
        let envelope = seal_to_vec(Message::new().subject("s"), &options).unwrap();
        render_page(&envelope, &PageOptions::default()).unwrap()
    }

    fn verify(page: &str) -> Verification {
        verify_page(page.as_bytes(), &VerifyOptions::default())
    }

    #[test]
    fn the_list_ends_with_this_build_and_its_page() {
        let last = known_releases().pop().unwrap();
        let this = this_build();
        assert_eq!(
            (
                &last.wasm_sha256,
                &last.glue_csp,
                &last.loader_csp,
                &last.deflated_sha256,
                &last.glue_deflated_sha256
            ),
            (
                &this.wasm_sha256,
                &this.glue_csp,
                &this.loader_csp,
                &this.deflated_sha256,
                &this.glue_deflated_sha256
            ),
            "the decryptor changed: append a line for it to sealer-cli/decryptor/RELEASES: \
             0.1.0+{} {} {} {} PAGE-FOLDER {} {}",
            &this.wasm_sha256[..8],
            this.wasm_sha256,
            this.glue_csp,
            this.loader_csp,
            this.module_block_sha256(),
            this.glue_deflated_sha256.as_deref().unwrap_or_default()
        );
        let shape = last.page.as_deref().and_then(page_shape).unwrap();
        assert_eq!(
            (shape.template, shape.style),
            (
                Templates::default().page.as_str(),
                include_str!("page/style.css")
            ),
            "the page template or style changed: copy them into a new folder of \
             sealer-cli/decryptor/pages/, add it to page_shape, and append a release line"
        );
        assert_eq!(
            shape.packs.unwrap(),
            Texts::built_in_digests(),
            "the language packs changed: write this into the release's page folder, as \
             packs.sha256 (a new release once it has shipped):\n{}",
            Texts::built_in_digests()
        );
        let opener = shape.opener.unwrap();
        assert_eq!(
            (opener.template, opener.service_worker),
            (
                crate::opener::OPENER_TEMPLATE,
                crate::opener::SERVICE_WORKER
            ),
            "the opener's template or service worker changed: copy them into the release's \
             page folder (a new one once it has shipped)"
        );
        for release in known_releases() {
            if let Some(folder) = release.page {
                assert!(page_shape(&folder).is_some(), "{folder}: no page_shape arm");
            }
        }
    }

    #[test]
    fn a_genuine_page_verifies_whatever_its_line_ends() {
        let page = page();
        let verification = verify(&page);
        assert!(verification.is_genuine(), "{verification:?}");
        assert_eq!(verification.release, known_releases().pop().map(|r| r.name));
        for variant in [
            page.replace("\r\n", "\n"),
            format!("{page}\r\n\r\n"),
            page.replace("\r\n", "\r"),
        ] {
            let verification = verify(&variant);
            assert!(verification.is_genuine(), "{verification:?}");
        }
    }

    /// An organisation's template from before the glue was deflated holds
    /// it as a script: such a page still renders (the loader then only
    /// compiles the module), and verifies against that template.
    #[test]
    fn an_organisations_template_may_keep_the_glue_as_a_script() {
        let block = "<script type=\"application/octet-stream\" id=\"decryptor-js\">\n\
                     {% for line in glue_block %}{{ line | safe }}\n{% endfor %}</script>";
        let default = Templates::default();
        assert!(default.page.contains(block));
        let templates = Templates {
            page: default.page.replace(
                block,
                "<script id=\"decryptor-js\">{{ glue | safe }}</script>",
            ),
            ..Templates::default()
        };
        let options = PageOptions {
            templates: templates.clone(),
            ..PageOptions::default()
        };
        let envelope = seal_to_vec(
            Message::new().text_body("hello"),
            &SealOptions::new()
                .kdf(KdfParams::MIN)
                .passphrase(Passphrase::new("pw")),
        )
        .unwrap();
        let page = render_page(&envelope, &options).unwrap();
        let first_line = crate::DECRYPTOR_JS.lines().next().unwrap();
        let script = format!("<script id=\"decryptor-js\">\r\n{first_line}\r\n");
        assert!(page.contains(&script));
        let with_template = VerifyOptions {
            templates: Some((templates, crate::branding::Branding::default())),
        };
        let verification = verify_page(page.as_bytes(), &with_template);
        assert!(verification.is_genuine(), "{verification:?}");
        assert_eq!(verification.release, known_releases().pop().map(|r| r.name));
        // Without the organisation's template it is not what the release renders.
        assert!(!verify(&page).is_genuine());
        // The glue in a block, with the loader: the built-in page.
        let built_in = render_page(&envelope, &PageOptions::default()).unwrap();
        assert!(verify(&built_in).is_genuine());
        assert!(!built_in.contains("<script id=\"decryptor-js\">"));
    }

    /// The glue's block is known by its SHA-256: a changed line, a second
    /// copy of the glue as a script, or the block gone is not a release's.
    #[test]
    fn the_glue_travels_deflated_and_only_as_the_release_deflated_it() {
        let page = page();
        assert!(verify(&page).is_genuine());
        let marker = "id=\"decryptor-js\">\r\n";
        let start = page.find(marker).unwrap() + marker.len();
        let line = &page[start..start + page[start..].find("\r\n").unwrap()];
        let mut changed = line.to_owned().into_bytes();
        changed[10] = if changed[10] == b'A' { b'B' } else { b'A' };
        let changed = page.replacen(line, std::str::from_utf8(&changed).unwrap(), 1);
        let glue_script = format!(
            "<script id=\"decryptor-x\">\n{}</script>",
            crate::DECRYPTOR_JS
        );
        let doubled = page.replacen("<script>", &format!("{glue_script}<script>"), 1);
        let gone = page.replacen("id=\"decryptor-js\"", "id=\"decryptor-gone\"", 1);
        for (what, variant, problem) in [
            (
                "a changed line",
                changed,
                "not those of any known sealer release",
            ),
            (
                "the glue twice",
                doubled,
                "it has 2 scripts and the glue's block",
            ),
            ("no glue", gone, "it has 1 script;"),
        ] {
            assert_ne!(variant, page, "{what}");
            let verification = verify(&variant);
            assert!(!verification.is_genuine(), "{what}");
            assert!(
                verification.problems.iter().any(|p| p.contains(problem)),
                "{what}: {verification:?}"
            );
        }
    }

    #[test]
    fn a_page_of_an_earlier_release_verifies_against_its_own_template() {
        let page = include_bytes!("../tests/pages/0.1.0+0606bbcf-branded.html");
        let verification = verify_page(page, &VerifyOptions::default());
        assert!(verification.is_genuine(), "{verification:?}");
        assert_eq!(verification.release.as_deref(), Some("0.1.0+0606bbcf"));
        assert!(
            verification
                .organisation
                .unwrap()
                .starts_with("\u{6771}\u{4EAC}")
        );
    }

    /// A page of release 0.1.0+4ee56af1 (the first with language packs),
    /// in German: it verifies with the words that release wrote, whatever
    /// the packs say now; a word changed in its texts block does not.
    #[test]
    fn a_page_keeps_the_words_of_its_release() {
        let page = include_str!("../tests/pages/0.1.0+4ee56af1-de.html");
        let verification = verify(page);
        assert!(verification.is_genuine(), "{verification:?}");
        assert_eq!(verification.release.as_deref(), Some("0.1.0+4ee56af1"));
        assert_eq!(
            verification.organisation.as_deref(),
            Some("Praxis Dr. Beispiel")
        );
        let changed = page.replacen("\"Alle speichern\"", "\"Alle senden\"", 1);
        assert_ne!(changed, page);
        let verification = verify(&changed);
        assert!(!verification.is_genuine());
        assert!(
            verification.problems[0].contains("words are not sealer release 0.1.0+4ee56af1's"),
            "{verification:?}"
        );
    }

    #[test]
    fn chunk_data_must_be_the_sealers_base64_and_nothing_else() {
        let options = SealOptions::new()
            .kdf(KdfParams::MIN)
            .passphrase(Passphrase::new("pw"));
        let message = Message::new()
            .subject("s")
            .attach(envelope_core::Attachment::from_bytes(
                "a.bin",
                "application/octet-stream",
                vec![1u8; 100_000],
            ));
        let page = render_page(
            &seal_to_vec(message, &options).unwrap(),
            &PageOptions::default(),
        )
        .unwrap();
        assert!(verify(&page).is_genuine());
        let first = page.find("class=\"envelope-chunk\">").unwrap() + 30;
        let line_end = first + page[first..].find("\r\n").unwrap();
        let changes = [
            // Markup hidden after a chunk's data, in any case.
            page.replacen(
                "</script>\r\n</body>",
                "</SCRIPT><iframe src=\"http://x\"></iframe><script>\r\n</script>\r\n</body>",
                1,
            ),
            // The same data in other lines.
            format!("{}\r\n{}", &page[..line_end - 10], &page[line_end - 10..]),
            // A chunk split in two.
            format!(
                "{}</script><script type=\"application/octet-stream\"\r\n class=\"envelope-chunk\">{}",
                &page[..line_end + 2],
                &page[line_end + 2..]
            ),
        ];
        for changed in changes {
            assert_ne!(changed, page);
            assert!(!verify(&changed).is_genuine());
        }
        // A changed character of the ciphertext is the opener's to catch
        // (its MAC): the page is still the release's.
        let mut bytes = page.into_bytes();
        bytes[first + 5] = if bytes[first + 5] == b'A' { b'B' } else { b'A' };
        assert!(verify(&String::from_utf8(bytes).unwrap()).is_genuine());
    }

    #[test]
    fn one_changed_character_anywhere_outside_the_data_is_named() {
        let page = page();
        let changed = page.replacen("aria-live=\"polite\"", "aria-live=\"assertive\"", 1);
        assert_ne!(changed, page);
        let verification = verify(&changed);
        assert!(!verification.is_genuine());
        assert!(
            verification.problems[0].contains("aria-live=\\\"assertive\\\""),
            "{verification:?}"
        );
    }

    /// The page carries the module deflated; verify names the module by its
    /// own SHA-256 (the one the README publishes), and a page of this
    /// release carrying anything else in that block, even the module
    /// itself, is refused.
    #[test]
    fn the_module_travels_deflated_and_only_as_the_release_deflated_it() {
        let page = page();
        let module = sha256_hex(DECRYPTOR_WASM);
        assert_eq!(verify(&page).wasm_sha256.as_deref(), Some(module.as_str()));
        assert_eq!(module_sha256(DECRYPTOR_WASM_DEFLATED), module);
        assert_eq!(module_sha256(b"other"), sha256_hex(b"other"));
        let start = page.find("id=\"decryptor-wasm\">").unwrap() + 21;
        let end = start + page[start..].find("</script>").unwrap();
        let carried = crate::seven_bit::base64_lines(DECRYPTOR_WASM_DEFLATED).join("\r\n");
        assert_eq!(page[start..end].trim(), carried);
        let raw = crate::seven_bit::base64_lines(DECRYPTOR_WASM).join("\r\n");
        let swapped = format!("{}\r\n{raw}\r\n{}", &page[..start], &page[end..]);
        let verification = verify(&swapped);
        assert!(!verification.is_genuine());
        assert!(
            verification.problems[0].contains("not a known release's"),
            "{verification:?}"
        );
    }
}
