//! Checking that an envelope page runs only a known sealer's decryptor: a
//! page whose decryptor was replaced in transit (to send the passphrase
//! somewhere, say) is caught before anyone types into it.
//!
//! The page is parsed as a browser parses it (html5ever, through
//! `scraper`), not searched as text, so markup hidden in a comment or an
//! entity cannot show the checker one thing and the browser another. What
//! is checked is everything that decides what runs:
//!
//! - the Content-Security-Policy `<meta>` is the first element of `<head>`
//!   and is exactly the sealer's policy: no network, no other directive,
//!   and scripts allowed only by the hashes of a known release's glue and
//!   loader (so no other script can run);
//! - the WebAssembly module the loader instantiates (the first element
//!   with id `decryptor-wasm`, as `getElementById` finds it) is that
//!   release's, byte for byte;
//! - the HTML body's iframe keeps `sandbox=""`, and nothing refreshes the
//!   page to another address.
//!
//! Words, colours and the logo are the organisation's and are not judged.

use scraper::{ElementRef, Html, Selector};

use crate::page::{DECRYPTOR_WASM, csp_hash, page_scripts};
use crate::sha256_hex;

/// The decryptors of sealers released so far, one per line: a name, the
/// SHA-256 of the WebAssembly module, and the CSP hashes of the glue and
/// the loader. A new decryptor adds a line; none is ever removed, so pages
/// sealed by earlier releases still verify.
const RELEASES: &str = include_str!("../decryptor/RELEASES");

/// One released decryptor.
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
}

/// Every known release, oldest first (the list in
/// `sealer-cli/decryptor/RELEASES`).
pub fn known_releases() -> Vec<Release> {
    RELEASES
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.as_slice() {
                [name, wasm, glue, loader] => Some(Release {
                    name: (*name).to_owned(),
                    wasm_sha256: (*wasm).to_owned(),
                    glue_csp: (*glue).to_owned(),
                    loader_csp: (*loader).to_owned(),
                }),
                _ => None,
            }
        })
        .collect()
}

/// The decryptor this sealer embeds, as a [`Release`] (named `this
/// build`): the last line of the list must say the same.
///
/// # Errors
///
/// [`crate::Error::Render`] if the embedded glue cannot be folded (never,
/// for the glue this crate was built with).
pub fn this_build() -> crate::Result<Release> {
    let (glue, loader) = page_scripts()?;
    Ok(Release {
        name: "this build".to_owned(),
        wasm_sha256: sha256_hex(DECRYPTOR_WASM),
        glue_csp: csp_hash(&glue),
        loader_csp: csp_hash(&loader),
    })
}

/// What [`verify_page`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// The known release whose decryptor the page carries, if any.
    pub release: Option<String>,
    /// SHA-256 of the page's WebAssembly module, if it has one.
    pub wasm_sha256: Option<String>,
    /// Everything that is not as a known release makes it, one sentence
    /// each; empty for a genuine page.
    pub problems: Vec<String>,
}

impl Verification {
    /// Whether the page runs a known release's decryptor and nothing else.
    pub fn is_genuine(&self) -> bool {
        self.release.is_some() && self.problems.is_empty()
    }
}

/// The sealer's policy but for the hashes: each directive and its value.
const FIXED_DIRECTIVES: &[(&str, &str)] = &[
    ("default-src", "'none'"),
    ("img-src", "data: blob:"),
    ("worker-src", "blob:"),
    ("connect-src", "'none'"),
    ("form-action", "'none'"),
    ("base-uri", "'none'"),
];

/// Checks `html`, an envelope page, against every known release.
pub fn verify_page(html: &str) -> Verification {
    let document = Html::parse_document(html);
    let mut problems = Vec::new();

    let script_hashes = match policy(&document) {
        Ok(hashes) => hashes,
        Err(problem) => {
            problems.push(problem);
            Vec::new()
        }
    };
    let wasm_sha256 = first_by_id(&document, "decryptor-wasm").and_then(|element| {
        use base64::Engine;
        let text: String = element.text().collect();
        let compact: String = text.split_ascii_whitespace().collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact)
            .ok()
            .map(|bytes| sha256_hex(&bytes))
    });
    if wasm_sha256.is_none() {
        problems.push("the page has no readable decryptor module".to_owned());
    }

    // Releases can share their scripts and differ in the module only.
    let same_scripts: Vec<Release> = known_releases()
        .into_iter()
        .filter(|release| {
            let mut theirs = vec![release.glue_csp.clone(), release.loader_csp.clone()];
            theirs.sort();
            theirs == script_hashes
        })
        .collect();
    let release = same_scripts
        .iter()
        .find(|release| wasm_sha256.as_deref() == Some(release.wasm_sha256.as_str()))
        .cloned();
    if release.is_none() {
        if same_scripts.is_empty() && !script_hashes.is_empty() {
            problems.push(
                "the scripts the page allows are not those of any known sealer release".to_owned(),
            );
        } else if let (Some(latest), Some(_)) = (same_scripts.last(), &wasm_sha256) {
            problems.push(format!(
                "the decryptor module is not a known release's (its SHA-256 is {}; {} has {})",
                wasm_sha256.as_deref().unwrap_or_default(),
                latest.name,
                latest.wasm_sha256
            ));
        }
    }

    // A changed script would be blocked by the policy (the page would not
    // work), but it still means the page was changed.
    if let (Some(release), Ok(selector)) = (&release, Selector::parse("script")) {
        let allowed = [&release.glue_csp, &release.loader_csp];
        let changed = document.select(&selector).any(|script| {
            let is_data = script
                .value()
                .attr("type")
                .is_some_and(|t| t.eq_ignore_ascii_case("application/octet-stream"));
            !is_data && !allowed.contains(&&csp_hash(&script.text().collect::<String>()))
        });
        if changed {
            problems.push("a script in the page is not the release's".to_owned());
        }
    }

    match first_by_id(&document, "m-html") {
        Some(frame)
            if frame.value().name() == "iframe" && frame.value().attr("sandbox") == Some("") => {}
        _ => problems
            .push("the message's HTML frame (#m-html) is not sandboxed with sandbox=\"\"".into()),
    }
    let refresh = Selector::parse("meta[http-equiv]").ok();
    if refresh.is_some_and(|selector| {
        document.select(&selector).any(|meta| {
            meta.value()
                .attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("refresh"))
        })
    }) {
        problems.push("the page would refresh itself to another address".to_owned());
    }

    Verification {
        release: release.map(|r| r.name),
        wasm_sha256,
        problems,
    }
}

/// The script hashes the page's policy allows (sorted), once the policy is
/// found to be the sealer's in every other respect.
fn policy(document: &Html) -> Result<Vec<String>, String> {
    let head = Selector::parse("head")
        .ok()
        .and_then(|selector| document.select(&selector).next())
        .ok_or("the page has no <head>")?;
    let first = head
        .children()
        .find_map(ElementRef::wrap)
        .ok_or("the page's <head> is empty")?;
    let is_policy = first.value().name() == "meta"
        && first
            .value()
            .attr("http-equiv")
            .is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy"));
    if !is_policy {
        return Err("the Content-Security-Policy is not the first element of <head>".into());
    }
    let content = first.value().attr("content").unwrap_or_default();
    let directives: Vec<(String, Vec<String>)> = content
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|directive| {
            let mut words = directive.split_ascii_whitespace().map(str::to_owned);
            let name = words.next().unwrap_or_default().to_ascii_lowercase();
            (name, words.collect())
        })
        .collect();
    let named = |wanted: &str| directives.iter().any(|(name, _)| name == wanted);
    if let Some((name, value)) = FIXED_DIRECTIVES.iter().find(|(name, _)| !named(name)) {
        return Err(format!("the policy lacks {name} {value}"));
    }
    let mut script_hashes = None;
    let mut style_ok = false;
    for (name, values) in directives {
        match name.as_str() {
            "script-src" if script_hashes.is_none() => {
                let (hashes, rest): (Vec<String>, Vec<String>) =
                    values.into_iter().partition(|v| v.starts_with("'sha256-"));
                if rest != ["'wasm-unsafe-eval'"] {
                    return Err(format!(
                        "the policy allows scripts other than by hash: {}",
                        rest.join(" ")
                    ));
                }
                script_hashes = Some(hashes);
            }
            "style-src" if !style_ok => {
                style_ok = values.len() == 1 && values[0].starts_with("'sha256-");
                if !style_ok {
                    return Err("the policy allows styles other than by hash".into());
                }
            }
            other => {
                let expected = FIXED_DIRECTIVES.iter().find(|(n, _)| *n == other);
                match expected {
                    Some((_, value)) if values.join(" ") == *value => {}
                    Some((name, value)) => {
                        return Err(format!("the policy's {name} is not {value}"));
                    }
                    None => return Err(format!("the policy has a foreign directive: {other}")),
                }
            }
        }
    }
    let mut hashes = script_hashes.ok_or("the policy has no script-src")?;
    hashes.sort();
    Ok(hashes)
}

/// The first element with `id` in document order, as `getElementById`
/// finds it.
fn first_by_id<'a>(document: &'a Html, id: &str) -> Option<ElementRef<'a>> {
    let selector = Selector::parse("[id]").ok()?;
    document
        .select(&selector)
        .find(|element| element.value().attr("id") == Some(id))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{PageOptions, render_page};
    use envelope_core::{KdfParams, Message, Passphrase, SealOptions, seal_to_vec};

    fn page() -> String {
        let options = SealOptions::new()
            .kdf(KdfParams {
                m_kib: 8,
                t: 1,
                p: 1,
            })
            .passphrase(Passphrase::new("pw"));
        let envelope = seal_to_vec(Message::new().subject("s"), &options).unwrap();
        render_page(&envelope, &PageOptions::default()).unwrap()
    }

    #[test]
    fn the_list_ends_with_this_build() {
        let last = known_releases().pop().unwrap();
        let this = this_build().unwrap();
        assert_eq!(
            (&last.wasm_sha256, &last.glue_csp, &last.loader_csp),
            (&this.wasm_sha256, &this.glue_csp, &this.loader_csp),
            "the decryptor changed: append a line for it to sealer-cli/decryptor/RELEASES: \
             0.1.0+{} {} {} {}",
            &this.wasm_sha256[..8],
            this.wasm_sha256,
            this.glue_csp,
            this.loader_csp
        );
    }

    #[test]
    fn a_genuine_page_verifies() {
        let verification = verify_page(&page());
        assert!(verification.is_genuine(), "{verification:?}");
        assert_eq!(verification.release, known_releases().pop().map(|r| r.name));
    }

    #[test]
    fn what_decides_what_runs_cannot_change() {
        let page = page();
        let policy_at = page.find("script-src").unwrap();
        let changes: Vec<(&str, String)> = vec![
            (
                "an extra script source",
                page.replacen(
                    "'wasm-unsafe-eval'",
                    "'wasm-unsafe-eval' 'unsafe-inline'",
                    1,
                ),
            ),
            (
                "a foreign directive",
                page.replacen(
                    "default-src 'none';",
                    "default-src 'none'; script-src-elem *;",
                    1,
                ),
            ),
            (
                "network allowed",
                page.replacen("connect-src 'none'", "connect-src *", 1),
            ),
            (
                "a policy not first",
                page.replacen("<head>", "<head>\r\n<title>x</title>", 1),
            ),
            (
                "a refresh",
                page.replacen(
                    "</head>",
                    "<meta http-equiv=\"refresh\" content=\"0; url=http://x\"></head>",
                    1,
                ),
            ),
            (
                "an unsandboxed frame",
                page.replacen("sandbox=\"\"", "sandbox=\"allow-scripts\"", 1),
            ),
            (
                "a changed script hash",
                format!(
                    "{}{}",
                    &page[..policy_at + 20],
                    page[policy_at + 20..].replacen('A', "B", 1)
                ),
            ),
        ];
        for (what, changed) in changes {
            assert_ne!(changed, page, "{what}: the change applies");
            assert!(!verify_page(&changed).is_genuine(), "{what}");
        }
    }

    #[test]
    fn a_changed_script_is_caught_though_the_policy_would_block_it() {
        let page = page();
        let glue_at = page.find("id=\"decryptor-js\">").unwrap() + 200;
        let mut changed = page.clone();
        let replacement = if &page[glue_at..=glue_at] == "x" {
            "y"
        } else {
            "x"
        };
        changed.replace_range(glue_at..=glue_at, replacement);
        let verification = verify_page(&changed);
        assert_eq!(
            verification.problems,
            ["a script in the page is not the release's"],
            "{verification:?}"
        );
    }

    #[test]
    fn a_decoy_module_in_a_comment_does_not_hide_the_real_one() {
        let page = page();
        let module_at = page.find("id=\"decryptor-wasm\">").unwrap();
        // The real module, one base64 character changed; a copy of the
        // genuine block hidden in a comment before it.
        let start = page[..module_at].rfind("<script").unwrap();
        let end = module_at + page[module_at..].find("</script>").unwrap() + "</script>".len();
        let genuine_block = &page[start..end];
        let mut tampered_block = genuine_block.to_owned();
        let at = tampered_block.find('>').unwrap() + 10;
        let replacement = if &tampered_block[at..=at] == "A" {
            "B"
        } else {
            "A"
        };
        tampered_block.replace_range(at..=at, replacement);
        let decoy = format!("<!-- {genuine_block} -->{tampered_block}");
        let changed = page.replacen(genuine_block, &decoy, 1);
        let verification = verify_page(&changed);
        assert!(!verification.is_genuine(), "{verification:?}");
        assert!(verification.problems[0].contains("decryptor module"));
    }
}
