//! The templates the sealer renders: the built-in ones from `templates/`,
//! any of which an organisation can replace from a folder of its own
//! (`sealer seal --template-dir DIR`). A page rendered from a replaced
//! template is checked against the page contract ([`crate::page_contract`]).

use std::collections::BTreeMap;
use std::path::Path;

use crate::texts::Texts;
use crate::{Error, ErrorKind};

/// File names, in `templates/` and in a replacement folder.
pub const PAGE_TEMPLATE: &str = "envelope.html.j2";
/// The notice e-mail's text part.
pub const NOTICE_TEXT_TEMPLATE: &str = "notice.txt.j2";
/// The notice e-mail's HTML part.
pub const NOTICE_HTML_TEMPLATE: &str = "notice.html.j2";

/// The built-in templates, from `templates/`.
const BUILT_IN_PAGE: &str = include_str!("../../templates/envelope.html.j2");
const BUILT_IN_NOTICE_TEXT: &str = include_str!("../../templates/notice.txt.j2");
const BUILT_IN_NOTICE_HTML: &str = include_str!("../../templates/notice.html.j2");

/// Largest template file read from a folder.
const MAX_TEMPLATE_LEN: u64 = 1 << 20;
/// The folder of an organisation's language packs, in its template folder.
pub const LANG_DIR: &str = "lang";
/// Largest language pack read, and most packs.
const MAX_PACK_LEN: u64 = 256 << 10;
const MAX_PACKS: usize = 100;

/// The three templates' sources.
#[derive(Debug, Clone)]
pub struct Templates {
    /// The envelope page (`envelope.html.j2`).
    pub page: String,
    /// The notice e-mail's text part (`notice.txt.j2`).
    pub notice_text: String,
    /// The notice e-mail's HTML part (`notice.html.j2`).
    pub notice_html: String,
    /// An organisation's own language packs (`lang/<tag>.json`), by tag:
    /// over the built-in pack of their language, or a language of their
    /// own ([`Texts::for_language`]).
    pub packs: BTreeMap<String, Texts>,
}

impl Default for Templates {
    fn default() -> Self {
        Templates {
            page: BUILT_IN_PAGE.to_owned(),
            notice_text: BUILT_IN_NOTICE_TEXT.to_owned(),
            notice_html: BUILT_IN_NOTICE_HTML.to_owned(),
            packs: BTreeMap::new(),
        }
    }
}

impl Templates {
    /// The built-in templates, with those found in `dir` in their place.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Template`] when `dir` is not a folder, or a template in it
    /// cannot be read, is over 1 MiB or is not UTF-8.
    pub fn from_dir(dir: &Path) -> Result<Templates, Error> {
        if !dir.is_dir() {
            return Err(Error::new(
                ErrorKind::Template,
                format!(
                    "cannot render the envelope page: the template folder {} does not exist",
                    dir.display()
                ),
            ));
        }
        let mut templates = Templates::default();
        for (name, slot) in [
            (PAGE_TEMPLATE, &mut templates.page),
            (NOTICE_TEXT_TEMPLATE, &mut templates.notice_text),
            (NOTICE_HTML_TEMPLATE, &mut templates.notice_html),
        ] {
            let path = dir.join(name);
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let unreadable = |why: String| {
                Error::new(
                    ErrorKind::Template,
                    format!(
                        "cannot render the envelope page: the template {}: {why}",
                        path.display()
                    ),
                )
            };
            if meta.len() > MAX_TEMPLATE_LEN {
                return Err(unreadable("it is over 1 MiB".into()));
            }
            let bytes = std::fs::read(&path).map_err(|err| unreadable(err.to_string()))?;
            *slot = String::from_utf8(bytes).map_err(|_| unreadable("it is not UTF-8".into()))?;
        }
        templates.packs = read_packs(&dir.join(LANG_DIR))?;
        Ok(templates)
    }

    /// The texts of the page and the notice in `lang`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Template`] as [`Texts::for_language`].
    pub fn texts(&self, lang: &str) -> Result<Texts, Error> {
        Texts::for_language(lang, &self.packs)
    }

    /// Checks that each template parses (what it renders is checked when
    /// it renders).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Template`] naming the template and the line.
    pub fn check(&self) -> Result<(), Error> {
        let mut env = minijinja::Environment::new();
        env.add_template("envelope.html", &self.page)
            .map_err(|err| self.page_failure(&err).with_source(err))?;
        for (name, source) in [
            ("notice.txt", &self.notice_text),
            ("notice.html", &self.notice_html),
        ] {
            env.add_template(name, source)
                .map_err(|err| self.notice_failure(&err).with_source(err))?;
        }
        Ok(())
    }

    /// A failure of the page template: the caller's to fix
    /// ([`ErrorKind::Template`]) when they replaced it, the sealer's own
    /// ([`ErrorKind::Internal`]) when it is the built-in one.
    pub(crate) fn page_failure(&self, why: impl std::fmt::Display) -> Error {
        let kind = if self.page == BUILT_IN_PAGE {
            ErrorKind::Internal
        } else {
            ErrorKind::Template
        };
        Error::new(kind, format!("cannot render the envelope page: {why}"))
    }

    /// A failure of a notice template, whose it is as for
    /// [`Templates::page_failure`].
    pub(crate) fn notice_failure(&self, why: impl std::fmt::Display) -> Error {
        let kind = if self.notice_text == BUILT_IN_NOTICE_TEXT
            && self.notice_html == BUILT_IN_NOTICE_HTML
        {
            ErrorKind::Internal
        } else {
            ErrorKind::Template
        };
        Error::new(
            kind,
            format!("cannot build the notice e-mail: a notice template failed: {why}"),
        )
    }
}

/// The language packs in `dir` (none if there is no such folder): each
/// `<tag>.json`, its name a language tag.
fn read_packs(dir: &Path) -> Result<BTreeMap<String, Texts>, Error> {
    let mut packs = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(packs);
    };
    for entry in entries {
        let path = entry
            .map_err(|err| {
                Error::new(
                    ErrorKind::Template,
                    format!("cannot read the language folder {}: {err}", dir.display()),
                )
            })?
            .path();
        let bad = |why: String| {
            Error::new(
                ErrorKind::Template,
                format!("the language pack {}: {why}", path.display()),
            )
        };
        let Some(tag) = path
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.strip_suffix(".json"))
        else {
            continue;
        };
        if !crate::branding::is_language_tag(tag) {
            return Err(bad(format!(
                "{tag:?} is not a language tag; name it like es.json or pt-BR.json"
            )));
        }
        if packs.len() == MAX_PACKS {
            return Err(bad(format!("more than {MAX_PACKS} language packs")));
        }
        let meta = std::fs::metadata(&path).map_err(|err| bad(err.to_string()))?;
        if meta.len() > MAX_PACK_LEN {
            return Err(bad("it is over 256 KiB".into()));
        }
        let bytes = std::fs::read(&path).map_err(|err| bad(err.to_string()))?;
        let json = String::from_utf8(bytes).map_err(|_| bad("it is not UTF-8".into()))?;
        let pack = Texts::parse_pack(&json).map_err(|err| bad(err.to_string()))?;
        pack.check_known(&Texts::english())
            .map_err(|err| bad(err.to_string()))?;
        packs.insert(tag.to_owned(), pack);
    }
    Ok(packs)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_folder_replaces_only_the_templates_it_holds() {
        let dir = std::env::temp_dir().join(format!("sealer-templates-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(NOTICE_TEXT_TEMPLATE), "Call {{ sender_name }}.").unwrap();
        let templates = Templates::from_dir(&dir).unwrap();
        assert_eq!(templates.notice_text, "Call {{ sender_name }}.");
        assert_eq!(templates.page, Templates::default().page);
        std::fs::write(dir.join(PAGE_TEMPLATE), b"\xff").unwrap();
        assert!(Templates::from_dir(&dir).is_err(), "not UTF-8");
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(Templates::from_dir(&dir).is_err(), "no folder");
    }

    #[test]
    fn a_folder_adds_or_changes_the_texts_of_a_language() {
        let dir = std::env::temp_dir().join(format!("sealer-lang-{}", std::process::id()));
        let lang = dir.join(LANG_DIR);
        std::fs::create_dir_all(&lang).unwrap();
        std::fs::write(
            lang.join("fr.json"),
            r#"{"page.open": "Ouvrir mes r\u00e9sultats"}"#,
        )
        .unwrap();
        let templates = Templates::from_dir(&dir).unwrap();
        let french = templates.texts("fr-CH").unwrap();
        assert_eq!(french.get("page.open"), "Ouvrir mes r\u{e9}sultats");
        assert_eq!(
            french.get("page.show"),
            "Afficher",
            "the rest stays the built-in pack's"
        );
        // A language of its own must be whole.
        std::fs::write(lang.join("eo.json"), r#"{"page.open": "Malfermi"}"#).unwrap();
        let err = Templates::from_dir(&dir).unwrap().texts("eo").unwrap_err();
        assert!(err.to_string().contains("no text"), "{err}");
        std::fs::write(lang.join("eo.json"), r#"{"page.opn": "Malfermi"}"#).unwrap();
        assert!(Templates::from_dir(&dir).is_err(), "an unknown key");
        std::fs::remove_file(lang.join("eo.json")).unwrap();
        std::fs::write(lang.join("not a tag.json"), "{}").unwrap();
        let err = Templates::from_dir(&dir).unwrap_err();
        assert!(err.to_string().contains("not a language tag"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
