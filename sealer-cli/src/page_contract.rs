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

/// Everything `document` breaks of the contract, one line each (what is
/// wrong and where); empty when it keeps it.
pub fn check(document: &Html) -> Vec<String> {
    let mut problems: Vec<String> = crate::page_policy::check(document)
        .into_iter()
        .map(|problem| format!("breaks the page allowlist: {problem}"))
        .collect();
    problems.extend(id_problems(document));
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
    match check(&document).into_iter().next() {
        Some(problem) => Err(templates.page_failure(format!("the page template {problem}"))),
        None => Ok(()),
    }
}

/// The ids the decryptor needs that are missing or doubled, and the
/// optional groups that are there in part.
fn id_problems(document: &Html) -> Vec<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for element in elements_outside_templates(document) {
        if let Some(id) = element.value().attr("id") {
            *counts.entry(id).or_default() += 1;
        }
    }
    let count = |id: &str| counts.get(id).copied().unwrap_or(0);
    let mut problems = Vec::new();
    for &id in ids::REQUIRED {
        match count(id) {
            0 => problems.push(format!("lacks the element id=\"{id}\" the decryptor needs")),
            1 => {}
            n => problems.push(format!(
                "has {n} elements id=\"{id}\"; the decryptor drives one"
            )),
        }
    }
    for group in ids::OPTIONAL_GROUPS {
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
        assert!(check(&Html::parse_document(&page)).is_empty());
        let moved_csp = builtin.replacen(
            "<head>\n",
            "<head>\n<link rel=\"stylesheet\" href=\"https://example.org/x.css\">\n",
            1,
        );
        let unsandboxed = builtin.replace(" sandbox=\"\"", "");
        let no_passphrase = builtin.replace("id=\"passphrase\"", "id=\"pass\"");
        let two_errors = builtin.replacen("<main>", "<main>\n<p id=\"error\">Look here</p>", 1);
        let half_receipt = builtin.replace("id=\"m-receipt-code\"", "id=\"code\"");
        let no_header = builtin.replace("id=\"envelope-header\"", "id=\"head\"");
        for (page, says) in [
            (moved_csp, "Content-Security-Policy"),
            (unsandboxed, "sandbox"),
            (no_passphrase, "lacks the element id=\"passphrase\""),
            (two_errors, "has 2 elements id=\"error\""),
            (half_receipt, "lacks id=\"m-receipt-code\""),
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
        let without_receipt = {
            let start = builtin.find("<section id=\"m-receipt\"").unwrap();
            let end = start + builtin[start..].find("</section>").unwrap() + "</section>".len();
            format!("{}{}", &builtin[..start], &builtin[end..])
        };
        assert!(
            render_with(without_receipt).is_ok(),
            "a whole group may be left out"
        );
    }
}
