//! Checking an opener site (`sealer opener`): a folder is genuine only if
//! its `index.html` carries a known release's decryptor and renders again,
//! with that release's opener template and the organisation's words,
//! colour, logo and language read from it, byte for byte the same (line
//! ends aside); every other file of the site is exactly what that release
//! writes for it; and the folder holds nothing else (whatever is served
//! beside the opener shares its origin, and could replace its service
//! worker or read its stored files).

use std::collections::BTreeMap;

use crate::opener::{OpenerParts, SITE_FILES, Site, render_opener_with};
use crate::reader;
use crate::templates::Templates;
use crate::{PageOptions, sha256_hex};

use super::{
    Scripts, Verification, VerifyOptions, branding_and_texts, difference, identify,
    not_plain_ascii, page_shape,
};

/// An opener site as found: each file's bytes by name, and the names of
/// any other files beside them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteFiles {
    /// The files found, by name (those of [`SITE_FILES`] that exist).
    pub files: BTreeMap<String, Vec<u8>>,
    /// Names of other files (and folders) found with them.
    pub others: Vec<String>,
}

/// Checks an opener site against every known release (see the module's
/// documentation). `options.templates` gives the organisation's language
/// packs and branding (`--template-dir`).
pub fn verify_opener(site: &SiteFiles, options: &VerifyOptions) -> Verification {
    let mut verification = Verification::default();
    let Some(index) = site.files.get("index.html") else {
        verification
            .problems
            .push("it has no index.html: it is not an opener site".to_owned());
        return verification;
    };
    if let Some(problem) = not_plain_ascii(index) {
        verification
            .problems
            .push(format!("its index.html: {problem}"));
        return verification;
    }
    let html = String::from_utf8_lossy(index);
    let parsed = reader::parse(&html, false);
    let document = &parsed.document;
    let module =
        reader::module_block(document).and_then(|block| reader::block_bytes(&parsed, block).ok());
    verification.wasm_sha256 = module.as_deref().map(sha256_hex);
    let scripts = Scripts::of(&parsed);
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
    let shape = release.page.as_deref().and_then(page_shape);
    let opener = shape.and_then(|shape| shape.opener);
    let (Some(shape), Some(opener), Some(module)) = (shape, opener, module) else {
        verification.problems.push(format!(
            "it was made by sealer release {}, which writes no opener site",
            release.name
        ));
        return verification;
    };
    let Some((from_page, texts)) =
        branding_and_texts(document, &shape, &release, options, &mut verification)
    else {
        return verification;
    };
    let Some(page) = scripts.parts(&release, &module, &shape) else {
        verification.problems.push(
            "it does not hold the decryptor's glue and loader as an opener site does".to_owned(),
        );
        return verification;
    };
    let parts = OpenerParts {
        page,
        template: opener.template,
        service_worker: opener.service_worker,
    };
    let (templates, mut brandings) = match &options.templates {
        Some((templates, branding)) => (templates.clone(), vec![from_page, branding.clone()]),
        None => (Templates::default(), vec![from_page]),
    };
    brandings.dedup();
    let mut first_problems: Option<Vec<String>> = None;
    for branding in brandings {
        let rendered = render_opener_with(
            &PageOptions {
                templates: templates.clone(),
                branding,
                replies: false,
                reply_limit: None,
            },
            &parts,
            texts.clone(),
        );
        let problems = match rendered {
            Ok(expected) => differences(&expected, site, &release.name),
            Err(err) => vec![format!(
                "it cannot be rendered again by release {}: {err}",
                release.name
            )],
        };
        if problems.is_empty() {
            first_problems = Some(Vec::new());
            break;
        }
        first_problems.get_or_insert(problems);
    }
    verification
        .problems
        .extend(first_problems.unwrap_or_default());
    if !site.others.is_empty() {
        verification.problems.push(format!(
            "the folder also holds {}: anything served beside the opener shares its origin \
             (and could replace its service worker); serve the opener's files alone",
            site.others.join(", ")
        ));
    }
    verification
}

/// How `found` differs from the site the release renders, file by file.
fn differences(expected: &Site, found: &SiteFiles, release: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for name in SITE_FILES {
        let Some(expected) = expected.file(name) else {
            continue;
        };
        match found.files.get(name) {
            None => problems.push(format!("it lacks {name}")),
            Some(found) if name == "index.html" => {
                let found = String::from_utf8_lossy(found);
                let expected = String::from_utf8_lossy(expected);
                if let Some(difference) = difference(&expected, &found) {
                    problems.push(format!(
                        "its index.html is not what sealer release {release} renders: \
                         {difference}"
                    ));
                }
            }
            Some(found) if found.as_slice() != expected => problems.push(format!(
                "its {name} is not what sealer release {release} writes for it (SHA-256 {}, \
                 expected {})",
                sha256_hex(found),
                sha256_hex(expected)
            )),
            Some(_) => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::branding::Branding;
    use crate::opener::render_opener;

    fn found(site: &Site) -> SiteFiles {
        SiteFiles {
            files: site
                .files
                .iter()
                .map(|(name, bytes)| ((*name).to_owned(), bytes.clone()))
                .collect(),
            others: Vec::new(),
        }
    }

    #[test]
    fn a_genuine_site_verifies_and_any_changed_byte_is_named() {
        let options = PageOptions {
            branding: Branding {
                organisation: Some("Example Clinic".into()),
                accent_colour: Some("#7a1f5c".parse().unwrap()),
                help_text: Some("Lost the passphrase?\nCall 0123 456 789.".into()),
                lang: "fr".into(),
                ..Branding::default()
            },
            ..PageOptions::default()
        };
        let site = found(&render_opener(&options).unwrap());
        let verdict = verify_opener(&site, &VerifyOptions::default());
        assert!(verdict.is_genuine(), "{verdict:?}");
        assert_eq!(verdict.organisation.as_deref(), Some("Example Clinic"));
        for name in SITE_FILES {
            let len = site.files[name].len();
            for at in [0, len / 2, len - 1] {
                let mut changed = site.clone();
                let byte = &mut changed.files.get_mut(name).unwrap()[at];
                *byte = if *byte == b'a' { b'b' } else { b'a' };
                let verdict = verify_opener(&changed, &VerifyOptions::default());
                assert!(!verdict.is_genuine(), "{name} byte {at}");
                assert!(!verdict.problems.is_empty(), "{name} byte {at}");
            }
            let mut missing = site.clone();
            missing.files.remove(name);
            assert!(!verify_opener(&missing, &VerifyOptions::default()).is_genuine());
        }
        let mut crowded = site;
        crowded.others.push("other.html".into());
        let verdict = verify_opener(&crowded, &VerifyOptions::default());
        assert!(!verdict.is_genuine());
        assert!(verdict.problems[0].contains("other.html"), "{verdict:?}");
    }

    #[test]
    fn an_envelope_page_is_not_an_opener() {
        use envelope_core::{KdfParams, Message, Passphrase, SealOptions, seal_to_vec};
        let options = SealOptions::new()
            .kdf(KdfParams::MIN)
            .passphrase(Passphrase::new("pw"));
        let envelope = seal_to_vec(Message::new().subject("s"), &options).unwrap();
        let page = crate::render_page(&envelope, &PageOptions::default()).unwrap();
        let mut site = SiteFiles::default();
        site.files.insert("index.html".into(), page.into_bytes());
        assert!(!verify_opener(&site, &VerifyOptions::default()).is_genuine());
    }
}
