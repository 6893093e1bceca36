//! The page's texts, as data: a language pack is a JSON object of text
//! keys to texts (`templates/lang/<lang>.json`), English the reference
//! every other pack must match key for key and placeholder for placeholder.
//!
//! A page carries its texts in one data block, `<script
//! type="application/json" id="page-texts">`, which the decryptor reads
//! and `sealer verify` renders the page again from. The block is written
//! for the page's 7-bit, short-line form: ASCII only (every other character
//! as a JSON `\u` escape, and `<`, `>`, `&` too, so that nothing in it can
//! end the element), one key a line, and a text longer than a line as an
//! array of pieces, one a line, which readers join.

use std::collections::{BTreeMap, BTreeSet};

use crate::{Error, ErrorKind, Result};

/// The built-in language packs: language tag and JSON (English first,
/// the reference). How each was made and checked: `templates/lang/README.md`.
const BUILT_IN: &[(&str, &str)] = &[
    ("en", include_str!("../../templates/lang/en.json")),
    ("es", include_str!("../../templates/lang/es.json")),
    ("zh-Hans", include_str!("../../templates/lang/zh-Hans.json")),
    ("zh-Hant", include_str!("../../templates/lang/zh-Hant.json")),
    ("vi", include_str!("../../templates/lang/vi.json")),
    ("ko", include_str!("../../templates/lang/ko.json")),
    ("tl", include_str!("../../templates/lang/tl.json")),
    ("ru", include_str!("../../templates/lang/ru.json")),
    ("ar", include_str!("../../templates/lang/ar.json")),
    ("ht", include_str!("../../templates/lang/ht.json")),
    ("fr", include_str!("../../templates/lang/fr.json")),
    ("pt", include_str!("../../templates/lang/pt.json")),
    ("de", include_str!("../../templates/lang/de.json")),
    ("pl", include_str!("../../templates/lang/pl.json")),
    ("uk", include_str!("../../templates/lang/uk.json")),
    ("tr", include_str!("../../templates/lang/tr.json")),
    ("ja", include_str!("../../templates/lang/ja.json")),
];

/// The page block's element id.
pub const BLOCK_ID: &str = "page-texts";
/// The advice block's element id: what the page says where the browser
/// has no WebAssembly ([`advice_lines`]).
pub const ADVICE_ID: &str = "page-advice";
/// Longest line of the page block, its indentation included.
const MAX_LINE: usize = 76;
/// Most texts a pack may hold, and the longest text, in characters.
const MAX_TEXTS: usize = 200;
const MAX_TEXT_CHARS: usize = 2000;

/// One language's texts, by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts(BTreeMap<String, String>);

impl Texts {
    /// The English pack, the reference.
    pub fn english() -> Texts {
        // The built-in English pack is checked by a test.
        Texts::parse_pack(BUILT_IN[0].1).unwrap_or_else(|_| Texts(BTreeMap::new()))
    }

    /// The built-in pack for `lang` (a BCP 47 tag), if there is one: see
    /// [`pack_tag`] for which.
    pub fn built_in(lang: &str) -> Option<Texts> {
        let tags: Vec<&str> = BUILT_IN.iter().map(|(tag, _)| *tag).collect();
        let tag = pack_tag(lang, &tags)?;
        BUILT_IN
            .iter()
            .find(|(known, _)| *known == tag)
            .and_then(|(_, json)| Texts::parse_pack(json).ok())
    }

    /// The texts for `lang`: the built-in pack with an organisation's own
    /// (`own`, by tag, from `lang/<tag>.json` in its template folder) over
    /// it. An organisation's pack may change some texts of a built-in
    /// language, or add a language, then whole.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Template`] when no pack is for `lang` (naming the
    /// languages there are), or an organisation's pack is not complete or
    /// holds an unknown text or placeholder.
    pub fn for_language(lang: &str, own: &BTreeMap<String, Texts>) -> Result<Texts> {
        let english = Texts::english();
        let own_tags: Vec<&str> = own.keys().map(String::as_str).collect();
        let built_in = Texts::built_in(lang);
        // Found by the same rule as the built-in ones.
        let own_pack = pack_tag(lang, &own_tags).and_then(|tag| own.get(tag));
        match (built_in, own_pack) {
            (Some(base), Some(own)) => {
                own.check_known(&english)?;
                Ok(base.overridden_by(own.clone()))
            }
            (Some(base), None) => Ok(base),
            (None, Some(own)) => {
                own.check_against(&english)?;
                Ok(own.clone())
            }
            (None, None) => {
                let mut known: Vec<&str> = Texts::built_in_languages();
                known.extend(own_tags);
                Err(Error::new(
                    ErrorKind::Template,
                    format!(
                        "there are no texts in the language {lang:?}: the languages are {}; \
                         add lang/{lang}.json to the template folder for another",
                        known.join(", ")
                    ),
                ))
            }
        }
    }

    /// The languages with a built-in pack.
    pub fn built_in_languages() -> Vec<&'static str> {
        BUILT_IN.iter().map(|(tag, _)| *tag).collect()
    }

    /// Reads a pack: a JSON object of strings.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Template`] when it is not one, or too big.
    pub fn parse_pack(json: &str) -> Result<Texts> {
        let map: BTreeMap<String, String> = serde_json::from_str(json).map_err(|err| {
            Error::new(
                ErrorKind::Template,
                format!("a language pack is not a JSON object of texts: {err}"),
            )
        })?;
        let texts = Texts(map);
        texts.check_size()?;
        Ok(texts)
    }

    fn check_size(&self) -> Result<()> {
        let too_big = |what: String| Err(Error::new(ErrorKind::Template, what));
        if self.0.len() > MAX_TEXTS {
            return too_big(format!("a language pack has more than {MAX_TEXTS} texts"));
        }
        match self
            .0
            .iter()
            .find(|(_, text)| text.chars().count() > MAX_TEXT_CHARS)
        {
            Some((key, _)) => too_big(format!(
                "the text {key:?} is longer than {MAX_TEXT_CHARS} characters"
            )),
            None => Ok(()),
        }
    }

    /// The text for `key` (empty if the pack has none: a complete pack, see
    /// [`Texts::check_against`], has every key).
    pub fn get(&self, key: &str) -> &str {
        self.0.get(key).map_or("", String::as_str)
    }

    /// The texts by key, for a template.
    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.0
    }

    /// Each text with one placeholder, as the text before it and after it:
    /// for a template that puts an element where the placeholder is.
    pub fn around_placeholders(&self) -> BTreeMap<&str, [&str; 2]> {
        self.0
            .iter()
            .filter_map(|(key, text)| {
                let (before, rest) = text.split_once('{')?;
                let (_, after) = rest.split_once('}')?;
                (!after.contains('{')).then_some((key.as_str(), [before, after]))
            })
            .collect()
    }

    /// `self` with `other`'s texts over it (an organisation's own wording).
    pub fn overridden_by(mut self, other: Texts) -> Texts {
        self.0.extend(other.0);
        self
    }

    /// Checks that the pack has exactly `reference`'s keys, and each text
    /// the same placeholders (`{name}`) as the reference's.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Template`] naming the first key that differs.
    pub fn check_against(&self, reference: &Texts) -> Result<()> {
        for key in reference.0.keys() {
            if !self.0.contains_key(key) {
                return Err(Error::new(
                    ErrorKind::Template,
                    format!("the language pack has no text {key:?}"),
                ));
            }
        }
        self.check_known(reference)
    }

    /// Checks that every text of the pack is one `reference` has, with the
    /// same placeholders (the pack may lack some).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Template`] naming the first key that differs.
    pub fn check_known(&self, reference: &Texts) -> Result<()> {
        let fail = |why: String| Err(Error::new(ErrorKind::Template, why));
        for (key, text) in &self.0 {
            let Some(model) = reference.0.get(key) else {
                return fail(format!("the language pack has an unknown text {key:?}"));
            };
            if placeholders(text) != placeholders(model) {
                return fail(format!(
                    "the text {key:?} must hold the placeholders {:?}",
                    placeholders(model)
                ));
            }
        }
        Ok(())
    }

    /// The page block's lines: a JSON object, ASCII, each line at most 76
    /// characters.
    pub fn block_lines(&self) -> Vec<String> {
        let mut lines = vec!["{".to_owned()];
        let count = self.0.len();
        for (index, (key, text)) in self.0.iter().enumerate() {
            let comma = if index + 1 < count { "," } else { "" };
            let key = escaped(key);
            let pieces = pieces(text, MAX_LINE - 6);
            match pieces.as_slice() {
                [one] if key.len() + one.len() + 8 <= MAX_LINE => {
                    lines.push(format!(" \"{key}\": \"{one}\"{comma}"));
                }
                _ => {
                    lines.push(format!(" \"{key}\": ["));
                    let last = pieces.len().saturating_sub(1);
                    for (at, piece) in pieces.iter().enumerate() {
                        let more = if at < last { "," } else { "" };
                        lines.push(format!("  \"{piece}\"{more}"));
                    }
                    lines.push(format!(" ]{comma}"));
                }
            }
        }
        lines.push("}".to_owned());
        lines
    }

    /// SHA-256 (hex) of the page block these texts make
    /// ([`Texts::block_lines`], joined by LF): what a release's list of
    /// its packs records (`sealer-cli/decryptor/pages/*/packs.sha256`), so
    /// that `sealer verify` knows a page's words as that release wrote
    /// them, however the packs have changed since.
    pub fn block_digest(&self) -> String {
        crate::sha256_hex(self.block_lines().join("\n").as_bytes())
    }

    /// The list of this build's built-in packs as a release's page folder
    /// keeps it: one line `DIGEST  TAG` per pack ([`Texts::block_digest`]).
    pub fn built_in_digests() -> String {
        BUILT_IN
            .iter()
            .filter_map(|(tag, json)| {
                let texts = Texts::parse_pack(json).ok()?;
                Some(format!("{}  {tag}\n", texts.block_digest()))
            })
            .collect()
    }

    /// Texts made of `pairs` (for the advice block).
    fn of(pairs: &[(&str, String)]) -> Texts {
        Texts(
            pairs
                .iter()
                .map(|(key, text)| ((*key).to_owned(), text.clone()))
                .collect(),
        )
    }

    /// Reads a page block back (pieces joined).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Template`] when it is not an object of texts or arrays
    /// of texts, or too big.
    pub fn from_block(json: &str) -> Result<Texts> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Text {
            Whole(String),
            Pieces(Vec<String>),
        }
        let map: BTreeMap<String, Text> = serde_json::from_str(json).map_err(|err| {
            Error::new(
                ErrorKind::Template,
                format!("the page's texts are not a JSON object of texts: {err}"),
            )
        })?;
        let texts = Texts(
            map.into_iter()
                .map(|(key, text)| match text {
                    Text::Whole(text) => (key, text),
                    Text::Pieces(pieces) => (key, pieces.concat()),
                })
                .collect(),
        );
        texts.check_size()?;
        Ok(texts)
    }
}

/// The direction the language of `lang` is written in: `rtl` for Arabic,
/// Hebrew, Persian, Urdu and the other right-to-left scripts' languages,
/// else `ltr`.
pub fn direction(lang: &str) -> &'static str {
    const RIGHT_TO_LEFT: &[&str] = &[
        "ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku-arab", "ps", "sd", "ug", "ur", "yi",
    ];
    let lower = lang.to_ascii_lowercase();
    let primary = lower.split('-').next().unwrap_or_default();
    let arabic_script = lower.split('-').any(|part| part == "arab");
    if RIGHT_TO_LEFT.contains(&primary) || arabic_script {
        "rtl"
    } else {
        "ltr"
    }
}

/// What a page says where the browser has no WebAssembly (Safari's
/// Lockdown Mode): that it cannot open it, and what to do (with the
/// organisation's opener site, when it has one).
pub fn no_webassembly_advice(texts: &Texts, opener_url: Option<&str>) -> String {
    let what_to_do = match opener_url {
        Some(url) => fill(texts.get("guide.lockdown_opener"), &[("opener_url", url)]),
        None => texts.get("guide.lockdown").to_owned(),
    };
    format!("{} {what_to_do}", texts.get("page.no_wasm"))
}

/// The page's advice block: a JSON object of `no_wasm`
/// ([`no_webassembly_advice`]) and, when there is one, `opener_url`.
pub fn advice_lines(texts: &Texts, opener_url: Option<&str>) -> Vec<String> {
    let mut pairs = vec![("no_wasm", no_webassembly_advice(texts, opener_url))];
    if let Some(url) = opener_url {
        pairs.push(("opener_url", url.to_owned()));
    }
    Texts::of(&pairs).block_lines()
}

/// Adds the filters the page and notice templates write texts with:
/// `fill(name=value, …)` ([`fill`]) and `wrap(width=…, indent=…)`
/// ([`wrap`]).
pub(crate) fn add_filters(env: &mut minijinja::Environment<'_>) {
    env.add_filter("fill", |text: String, values: minijinja::value::Kwargs| {
        let pairs: Vec<(String, String)> = values
            .args()
            .map(|name| {
                let value: minijinja::Value = values.get(name)?;
                Ok((name.to_owned(), value.to_string()))
            })
            .collect::<std::result::Result<_, minijinja::Error>>()?;
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        Ok::<_, minijinja::Error>(fill(&text, &pairs))
    });
    env.add_filter("wrap", |text: String, values: minijinja::value::Kwargs| {
        let indent: Option<usize> = values.get("indent")?;
        let width: Option<usize> = values.get("width")?;
        values.assert_all_used()?;
        Ok::<_, minijinja::Error>(wrap(&text, width.unwrap_or(72), indent.unwrap_or(0)))
    });
}

/// `text` with each `{name}` replaced by its value
/// ([`envelope_core::fill_placeholders`], the rule the page's decryptor
/// applies too).
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    envelope_core::fill_placeholders(text, values)
}

/// `text` folded at spaces into lines of at most `width` characters where
/// it can be (a word longer than a line, or a script written without
/// spaces, stays whole), the lines after the first indented by `indent`
/// spaces: for a plain-text e-mail.
pub fn wrap(text: &str, width: usize, indent: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut line_len = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            line_len = indent;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

/// Which of `tags` (language packs) serves `lang`: the same tag (in any
/// case); for Chinese, the script its region writes (`zh-TW`, `zh-HK`,
/// `zh-MO` and `zh-Hant-*` read Traditional, `zh-Hant`; every other `zh`
/// Simplified, `zh-Hans`); else the pack of its language (`de-CH` gets
/// `de`).
pub fn pack_tag<'a>(lang: &str, tags: &[&'a str]) -> Option<&'a str> {
    let find = |wanted: &str| {
        tags.iter()
            .copied()
            .find(|t| t.eq_ignore_ascii_case(wanted))
    };
    if let Some(tag) = find(lang) {
        return Some(tag);
    }
    let lower = lang.to_ascii_lowercase();
    let mut parts = lower.split('-');
    let primary = parts.next().unwrap_or_default();
    if primary == "zh" {
        let rest: Vec<&str> = parts.collect();
        let traditional = rest.first() == Some(&"hant")
            || (rest.first() != Some(&"hans")
                && rest.iter().any(|p| ["tw", "hk", "mo"].contains(p)));
        return find(if traditional { "zh-Hant" } else { "zh-Hans" }).or_else(|| find("zh"));
    }
    find(primary)
}

/// The placeholders (`{name}`) of a text.
fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// One character as it stands in the block: itself for printable ASCII
/// other than `"`, `\`, `<`, `>` and `&`; else a JSON escape (`\uXXXX`, a
/// surrogate pair above U+FFFF).
fn escape_char(c: char, out: &mut String) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        ' '..='~' if !matches!(c, '<' | '>' | '&') => out.push(c),
        _ => {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
}

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        escape_char(c, &mut out);
    }
    out
}

/// `text` escaped and cut into pieces of at most `width` characters, never
/// inside an escape; preferably after a space.
fn pieces(text: &str, width: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut escape = String::new();
    for c in text.chars() {
        escape.clear();
        escape_char(c, &mut escape);
        if piece.len() + escape.len() > width {
            // Back to the last space, if the piece has one.
            match piece.rfind(' ') {
                Some(at) if at > 0 => {
                    let rest = piece.split_off(at + 1);
                    pieces.push(std::mem::replace(&mut piece, rest));
                }
                _ => pieces.push(std::mem::take(&mut piece)),
            }
        }
        piece.push_str(&escape);
    }
    pieces.push(piece);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_pack_has_the_english_keys_and_placeholders() {
        let english = Texts::english();
        assert!(english.0.len() > 40, "{}", english.0.len());
        for lang in Texts::built_in_languages() {
            let pack = Texts::built_in(lang).unwrap_or_else(|| panic!("{lang} does not parse"));
            pack.check_against(&english)
                .unwrap_or_else(|err| panic!("{lang}: {err}"));
        }
    }

    #[test]
    fn every_built_in_pack_is_translated_and_each_of_the_required_languages_has_one() {
        let english = Texts::english();
        for lang in [
            "en", "es", "zh-Hans", "zh-Hant", "vi", "ko", "tl", "ru", "ar", "ht", "fr", "pt", "de",
            "pl", "uk", "tr", "ja",
        ] {
            assert!(Texts::built_in_languages().contains(&lang), "{lang}");
        }
        for lang in Texts::built_in_languages()
            .into_iter()
            .filter(|l| *l != "en")
        {
            let pack = Texts::built_in(lang).unwrap();
            // A few words are the same in some languages ("Logo", "Video",
            // "Cc"); a pack left mostly in English is not a translation.
            let same: Vec<&str> = pack
                .0
                .iter()
                .filter(|(key, text)| english.get(key) == text.as_str())
                .map(|(key, _)| key.as_str())
                .collect();
            assert!(same.len() <= 8, "{lang} keeps English for {same:?}");
            // Every sentence a recipient reads is translated.
            for key in [
                "page.lead",
                "page.no_script",
                "status.enter",
                "error.wrong",
                "notice.step_open",
            ] {
                assert_ne!(pack.get(key), english.get(key), "{lang} {key}");
            }
        }
    }

    #[test]
    fn a_pack_that_lacks_a_key_or_a_placeholder_is_refused() {
        let english = Texts::english();
        let mut missing = english.clone();
        missing.0.remove("page.open");
        assert!(missing.check_against(&english).is_err());
        let mut extra = english.clone();
        extra.0.insert("page.extra".into(), "x".into());
        assert!(extra.check_against(&english).is_err());
        let mut wrong = english.clone();
        wrong.0.insert("error.expired".into(), "Expired.".into());
        assert!(wrong.check_against(&english).is_err());
    }

    #[test]
    fn the_block_is_short_ascii_lines_and_reads_back_the_same() {
        let mut texts = Texts::english();
        texts.0.insert(
            "page.lead".into(),
            "هذه رسالة مختومة. 这是一封密封的邮件。 Zoë </script><!-- & \"quoted\" \\ 🔒 "
                .repeat(3),
        );
        let lines = texts.block_lines();
        for line in &lines {
            assert!(line.len() <= MAX_LINE, "{line}");
            assert!(line.bytes().all(|b| (b' '..=b'~').contains(&b)), "{line}");
            assert!(!line.contains(['<', '>', '&']), "{line}");
        }
        assert_eq!(Texts::from_block(&lines.join("\n")).unwrap(), texts);
    }

    #[test]
    fn texts_are_filled_wrapped_and_given_their_direction() {
        assert_eq!(
            fill("{a} and {b}, not {c}", &[("a", "{b}"), ("b", "x")]),
            "{b} and x, not {c}"
        );
        assert_eq!(
            wrap("1. one two three four", 9, 3),
            "1. one\n   two\n   three\n   four"
        );
        assert_eq!(wrap("这是一封密封的邮件", 4, 0), "这是一封密封的邮件");
        for (lang, dir) in [
            ("ar", "rtl"),
            ("ar-EG", "rtl"),
            ("he", "rtl"),
            ("fa-IR", "rtl"),
        ] {
            assert_eq!(direction(lang), dir, "{lang}");
        }
        for lang in ["en", "zh-Hans", "tr", "ur-Latn-x"] {
            let expected = if lang.starts_with("ur") { "rtl" } else { "ltr" };
            assert_eq!(direction(lang), expected, "{lang}");
        }
        assert_eq!(direction("pa-Arab"), "rtl");
    }

    #[test]
    fn regional_tags_fall_back_to_their_language() {
        assert_eq!(Texts::built_in("en-GB"), Some(Texts::english()));
        assert_eq!(Texts::built_in("xx"), None);
        let tags = ["en", "zh-Hans", "zh-Hant", "pt"];
        for (lang, tag) in [
            ("zh", Some("zh-Hans")),
            ("zh-CN", Some("zh-Hans")),
            ("ZH-HANS-SG", Some("zh-Hans")),
            ("zh-TW", Some("zh-Hant")),
            ("zh-HK", Some("zh-Hant")),
            ("zh-Hant", Some("zh-Hant")),
            ("zh-Hans-HK", Some("zh-Hans")),
            ("pt-BR", Some("pt")),
            ("de", None),
        ] {
            assert_eq!(pack_tag(lang, &tags), tag, "{lang}");
        }
    }

    #[test]
    fn an_organisation_changes_some_texts_or_adds_a_whole_language() {
        let mut own = BTreeMap::new();
        own.insert(
            "en".to_owned(),
            Texts::parse_pack(r#"{"page.open": "Open my results"}"#).unwrap(),
        );
        let texts = Texts::for_language("en-GB", &own).unwrap();
        assert_eq!(texts.get("page.open"), "Open my results");
        assert_eq!(texts.get("page.show"), "Show");

        own.insert(
            "xx".to_owned(),
            Texts::parse_pack(r#"{"page.open": "Xx"}"#).unwrap(),
        );
        let err = Texts::for_language("xx", &own).unwrap_err();
        assert!(err.to_string().contains("no text"), "{err}");
        own.insert("xx".to_owned(), Texts::english());
        assert!(Texts::for_language("xx", &own).is_ok());

        own.insert(
            "en".to_owned(),
            Texts::parse_pack(r#"{"page.hint": "Hint"}"#).unwrap(),
        );
        let err = Texts::for_language("en", &own).unwrap_err();
        assert!(err.to_string().contains("placeholders"), "{err}");

        let err = Texts::for_language("yy", &BTreeMap::new()).unwrap_err();
        assert!(err.to_string().contains("the languages are en"), "{err}");
    }
}
