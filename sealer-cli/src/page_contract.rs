//! The page contract: what every envelope page must be, in one place. A
//! page keeps it when
//!
//! - everything in it is on the page allowlist ([`crate::page_policy`]:
//!   the Content-Security-Policy first, nothing that loads, navigates or
//!   runs, the HTML body's frame sandboxed);
//! - every element the decryptor drives is there, once
//!   ([`envelope_core::page::ids`]: the decryptor looks them up by these
//!   names), and each optional group is there whole or not at all;
//! - its envelope is where the one reading rule finds it
//!   ([`crate::reader`]), and so is the decryptor module.
//!
//! [`crate::render_page`] checks every page it renders against it (so a
//! replaced template cannot weaken a page), and `sealer verify` checks
//! every page it is given. A new page feature adds its ids to
//! `envelope_core::page::ids` and its rule here, then to the template and
//! the decryptor, and a line to `sealer-cli/decryptor/RELEASES`.

use std::collections::HashMap;

use envelope_core::page::ids;
use scraper::Html;

use crate::Result;
use crate::reader::{elements_outside_templates, find_blocks, module_block};
use crate::templates::Templates;

/// Which pages' element ids a check accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Only this release's: a page the sealer renders now.
    Current,
    /// This release's or an earlier one's: a page `sealer verify` is given.
    AnyRelease,
}

/// Everything `document` breaks of the contract, one line each (what is
/// wrong and where); empty when it keeps it.
pub fn check(document: &Html, layout: Layout) -> Vec<String> {
    let mut problems: Vec<String> = crate::page_policy::check(document)
        .into_iter()
        .map(|problem| format!("breaks the page allowlist: {problem}"))
        .collect();
    problems.extend(id_problems(document, layout));
    if let Err(err) = find_blocks(document) {
        problems.push(format!("holds no envelope where a reader finds it: {err}"));
    }
    if module_block(document).is_none() {
        problems.push(format!(
            "lacks the decryptor module's block (<script id=\"{}\">)",
            ids::WASM
        ));
    }
    problems
}

/// Checks a page rendered from `templates`: the first problem, as a
/// failure of the page template.
pub(crate) fn check_rendered(html: &str, templates: &Templates) -> Result<()> {
    let document = Html::parse_document(html);
    match check(&document, Layout::Current).into_iter().next() {
        Some(problem) => Err(templates.page_failure(format!("the page template {problem}"))),
        None => Ok(()),
    }
}

/// The ids a page must provide that are missing or doubled, and those the
/// decryptor builds that it holds already. A page of an earlier release
/// (without `#app`, its template held the form and the message) is checked
/// against that release's ids instead: `sealer verify` still reads them,
/// and compares them in full with what their release renders.
fn id_problems(document: &Html, layout: Layout) -> Vec<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for element in elements_outside_templates(document) {
        if let Some(id) = element.value().attr("id") {
            *counts.entry(id).or_default() += 1;
        }
    }
    let count = |id: &str| counts.get(id).copied().unwrap_or(0);
    let legacy = layout == Layout::AnyRelease && count(ids::APP) == 0;
    let (required, groups): (&[&str], &[&[&str]]) = if legacy {
        (ids::LEGACY_REQUIRED, ids::LEGACY_OPTIONAL_GROUPS)
    } else {
        (ids::REQUIRED, &[])
    };
    let mut problems = Vec::new();
    for &id in required {
        match count(id) {
            0 => problems.push(format!("lacks the element id=\"{id}\" the decryptor needs")),
            1 => {}
            n => problems.push(format!(
                "has {n} elements id=\"{id}\"; the decryptor drives one"
            )),
        }
    }
    if !legacy {
        for &id in ids::BUILT {
            if count(id) > 0 {
                problems.push(format!(
                    "has an element id=\"{id}\", which the decryptor builds itself"
                ));
            }
        }
        for id in [ids::OPENER, ids::OPENER_RELEASE] {
            if count(id) > 0 {
                problems.push(format!(
                    "has an element id=\"{id}\", which only the opener site has"
                ));
            }
        }
    }
    for group in groups {
        let present: Vec<&str> = group.iter().copied().filter(|id| count(id) > 0).collect();
        if let Some(doubled) = group.iter().find(|id| count(id) > 1) {
            problems.push(format!(
                "has {} elements id=\"{doubled}\"; the decryptor drives one",
                count(doubled)
            ));
        } else if !present.is_empty() && present.len() < group.len() {
            let missing: Vec<String> = group
                .iter()
                .filter(|id| count(id) == 0)
                .map(|id| format!("id=\"{id}\""))
                .collect();
            problems.push(format!(
                "has id=\"{}\" but lacks {}: the decryptor uses the group whole or not at all",
                present[0],
                missing.join(", ")
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{ErrorKind, PageOptions, render_page};
    use envelope_core::{KdfParams, Message, Passphrase, SealOptions, seal_to_vec};

    fn render_with(page: String) -> Result<String> {
        let options = SealOptions::new()
            .kdf(KdfParams::MIN)
            .passphrase(Passphrase::new("pw"));
        let envelope = seal_to_vec(Message::new().subject("s"), &options).unwrap();
        let options = PageOptions {
            templates: Templates {
                page,
                ..Templates::default()
            },
            ..PageOptions::default()
        };
        render_page(&envelope, &options)
    }

    #[test]
    fn a_replaced_page_template_cannot_weaken_the_page() {
        let builtin = Templates::default().page;
        let page = render_with(builtin.clone()).unwrap();
        assert!(check(&Html::parse_document(&page), Layout::Current).is_empty());
        let moved_csp = builtin.replacen(
            "<head>\n",
            "<head>\n<link rel=\"stylesheet\" href=\"https://example.org/x.css\">\n",
            1,
        );
        let unsandboxed = builtin.replacen("<main>", "<main>\n<iframe title=\"x\"></iframe>", 1);
        let no_app = builtin.replace("id=\"app\"", "id=\"application\"");
        let two_errors = builtin.replacen("<main>", "<main>\n<p id=\"error\">Look here</p>", 1);
        let own_field = builtin.replacen("<main>", "<main>\n<p id=\"passphrase\">x</p>", 1);
        let no_header = builtin.replace("id=\"envelope-header\"", "id=\"head\"");
        for (page, says) in [
            (moved_csp, "Content-Security-Policy"),
            (unsandboxed, "iframe"),
            (no_app, "lacks the element id=\"app\""),
            (two_errors, "has 2 elements id=\"error\""),
            (
                own_field,
                "id=\"passphrase\", which the decryptor builds itself",
            ),
            (no_header, "<script id=\"head\">"),
        ] {
            let err = render_with(page).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Template);
            assert!(err.to_string().contains(says), "{says}: {err}");
            assert!(
                err.to_string()
                    .starts_with("cannot render the envelope page: the page template ")
            );
        }
    }
}
