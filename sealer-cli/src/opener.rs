//! The opener site (`sealer opener --output DIR`): a static folder an
//! organisation hosts on its own HTTPS domain, which opens any envelope a
//! recipient picks, on the recipient's device. It is how a phone that does
//! not run a local file's scripts (an iPhone) opens an envelope at all.
//!
//! The site is the envelope page without an envelope: the same decryptor
//! module, glue and loader (one release, one line of `RELEASES`), the same
//! style and language packs, and the organisation's branding. Its policy
//! allows nothing to be fetched by the page (`connect-src 'none'`); only
//! its own service worker (which keeps the site's files, for offline use)
//! and its web-app manifest come from its own origin. `sealer verify DIR`
//! renders it again and compares every file.

use minijinja::{AutoEscape, Environment, Value, context};
use sha2::{Digest, Sha256};

use crate::branding::AccentColour;
use crate::page::{PageParts, csp_hash, folded};
use crate::seven_bit::base64_lines;
use crate::texts::Texts;
use crate::{Error, ErrorKind, PageOptions, Result};

mod icon;

/// The opener's page template (this build's; `sealer verify` keeps each
/// release's in its page folder).
pub(crate) const OPENER_TEMPLATE: &str = include_str!("../../templates/opener.html.j2");
/// The service worker, with `SITE_DIGEST` standing for the site's digest.
pub(crate) const SERVICE_WORKER: &str = include_str!("page/sw.js");

/// The site's files, in the order they are written and checked.
pub const SITE_FILES: [&str; 5] = [
    "index.html",
    "sw.js",
    "manifest.webmanifest",
    "icon-192.png",
    "icon-512.png",
];

/// One rendered opener site: its files' names and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// Each file of [`SITE_FILES`], in that order.
    pub files: Vec<(&'static str, Vec<u8>)>,
}

impl Site {
    /// The bytes of the file `name`, if the site has it.
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(file, _)| *file == name)
            .map(|(_, bytes)| bytes.as_slice())
    }
}

/// What an opener is rendered with: the decryptor and style (as for a
/// page), the opener's template and its service worker.
#[derive(Debug, Clone)]
pub(crate) struct OpenerParts<'a> {
    pub(crate) page: PageParts<'a>,
    pub(crate) template: &'a str,
    pub(crate) service_worker: &'a str,
}

impl OpenerParts<'static> {
    /// This build's.
    pub(crate) fn this_build() -> OpenerParts<'static> {
        OpenerParts {
            page: PageParts::this_build(),
            template: OPENER_TEMPLATE,
            service_worker: SERVICE_WORKER,
        }
    }
}

/// Renders the opener site for an organisation's branding (its name, logo,
/// colour, help and contact lines, and language) and texts.
///
/// # Errors
///
/// [`ErrorKind::Branding`] or [`ErrorKind::Template`] as
/// [`PageOptions::check`] finds them.
pub fn render_opener(options: &PageOptions) -> Result<Site> {
    options.check()?;
    let texts = options
        .templates
        .texts(&options.branding.lang)
        .map_err(|err| {
            Error::new(
                ErrorKind::Template,
                format!("cannot render the opener: {}", err.detail()),
            )
        })?;
    render_opener_with(options, &OpenerParts::this_build(), texts)
}

/// [`render_opener`] with a given release's parts and texts.
pub(crate) fn render_opener_with(
    options: &PageOptions,
    parts: &OpenerParts<'_>,
    texts: Texts,
) -> Result<Site> {
    let branding = &options.branding;
    branding.check()?;
    let accent = branding.accent_colour.unwrap_or_default();
    let index = folded(&render_index(options, parts, &texts)?, options)?;
    let manifest = manifest(
        &texts,
        branding.organisation.as_deref(),
        &branding.lang,
        accent,
    );
    let icon_small = icon::png(192, accent.rgb());
    let icon_large = icon::png(512, accent.rgb());
    // The worker names its cache after everything else it keeps.
    let mut digest = Sha256::new();
    for file in [
        index.as_bytes(),
        manifest.as_bytes(),
        &icon_small,
        &icon_large,
    ] {
        digest.update(Sha256::digest(file));
    }
    let site_digest = hex::encode(&digest.finalize()[..16]);
    let worker = parts.service_worker.replace("SITE_DIGEST", &site_digest);
    Ok(Site {
        files: vec![
            ("index.html", index.into_bytes()),
            ("sw.js", worker.into_bytes()),
            ("manifest.webmanifest", manifest.into_bytes()),
            ("icon-192.png", icon_small),
            ("icon-512.png", icon_large),
        ],
    })
}

/// The page's policy: the decryptor's two scripts by hash, WebAssembly,
/// inline styles (the message's, in its frame), images only from `data:`
/// and `blob:` (the logo, a message's embedded pictures), Workers from
/// `blob:` (key derivation) and the site itself (its service worker), its
/// manifest; nothing fetched, no form sent, no base.
fn policy(parts: &PageParts<'_>) -> String {
    format!(
        "default-src 'none'; script-src {} {} 'wasm-unsafe-eval'; style-src 'unsafe-inline'; \
         img-src data: blob:; worker-src 'self' blob:; manifest-src 'self'; \
         connect-src 'none'; form-action 'none'; base-uri 'none'",
        csp_hash(&parts.glue),
        csp_hash(&parts.loader),
    )
}

fn render_index(options: &PageOptions, parts: &OpenerParts<'_>, texts: &Texts) -> Result<String> {
    let branding = &options.branding;
    let mut style = format!("\n{}", parts.page.style);
    if let Some(accent) = branding.accent_colour {
        style.push_str(&format!(":root {{ --accent: {accent}; }}\n"));
    }
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    let failed = |err: minijinja::Error| {
        Error::new(
            ErrorKind::Template,
            format!("cannot render the opener: {err}"),
        )
        .with_source(err)
    };
    env.add_template("opener.html", parts.template)
        .map_err(failed)?;
    env.get_template("opener.html")
        .and_then(|template| {
            template.render(context! {
                lang => branding.lang,
                dir => crate::texts::direction(&branding.lang),
                organisation => branding.organisation,
                logo => branding.logo.as_ref().map(|logo| Value::from_safe_string(logo.data_url())),
                help_text => branding.help_text,
                contact => branding.contact,
                csp => policy(&parts.page),
                style => style,
                glue => parts.page.glue,
                loader => parts.page.loader,
                wasm => base64_lines(parts.page.wasm),
                t => texts.as_map(),
                texts => texts.block_lines(),
            })
        })
        .map_err(failed)
}

/// The web-app manifest: what a phone shows when the site is added to its
/// home screen, in the site's language and colour.
fn manifest(texts: &Texts, organisation: Option<&str>, lang: &str, accent: AccentColour) -> String {
    let title = texts.get("opener.title");
    let name = match organisation {
        Some(organisation) => format!("{title} - {organisation}"),
        None => title.to_owned(),
    };
    let manifest = serde_json::json!({
        "name": name,
        "short_name": organisation.unwrap_or(title),
        "lang": lang,
        "dir": crate::texts::direction(lang),
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": accent.to_string(),
        "background_color": "#ffffff",
        // The installed opener is offered in a phone's share sheet: a
        // shared file is posted to its own service worker (sw.js), on the
        // device, never to the host.
        "share_target": {
            "action": "./share",
            "method": "POST",
            "enctype": "multipart/form-data",
            "params": {
                "files": [{
                    "name": "envelope",
                    "accept": [".html", ".htm", ".eml", "text/html", "message/rfc822"]
                }]
            }
        },
        "icons": [
            { "src": "icon-192.png", "sizes": "192x192", "type": "image/png",
              "purpose": "any maskable" },
            { "src": "icon-512.png", "sizes": "512x512", "type": "image/png",
              "purpose": "any maskable" },
        ],
    });
    // Pretty and ASCII, as every file the sealer writes for the web.
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    let mut ascii = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        if c.is_ascii() {
            ascii.push(c);
        } else {
            // Only strings hold other characters: escaped, as JSON allows.
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                ascii.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    ascii.push('\n');
    ascii
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::branding::Branding;

    #[test]
    fn the_site_is_the_same_for_the_same_branding() {
        let options = PageOptions::default();
        let site = render_opener(&options).unwrap();
        assert_eq!(site, render_opener(&options).unwrap());
        let names: Vec<&str> = site.files.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, SITE_FILES);
        let index = String::from_utf8(site.file("index.html").unwrap().to_vec()).unwrap();
        assert!(index.contains("<main id=3D\"opener\">") || index.contains("<main id=\"opener\">"));
        assert!(index.contains("connect-src 'none'"));
        assert!(!index.contains("envelope-header"));
        let worker = String::from_utf8(site.file("sw.js").unwrap().to_vec()).unwrap();
        assert!(!worker.contains("SITE_DIGEST"));
        let branded = PageOptions {
            branding: Branding {
                organisation: Some("Example Clinic".into()),
                lang: "de".into(),
                ..Branding::default()
            },
            ..PageOptions::default()
        };
        let other = render_opener(&branded).unwrap();
        assert_ne!(other.file("sw.js"), site.file("sw.js"));
        let manifest =
            String::from_utf8(other.file("manifest.webmanifest").unwrap().to_vec()).unwrap();
        assert!(
            manifest.contains("\"short_name\": \"Example Clinic\""),
            "{manifest}"
        );
        assert!(manifest.contains("\"lang\": \"de\""));
    }
}
