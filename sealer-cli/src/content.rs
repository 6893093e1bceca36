//! Content rules: what a message says decides whether it must be sealed.
//! A gateway's policy names built-in detectors ([`detectors`]: card and
//! bank account numbers, national identifiers, each with its check digits),
//! its own patterns and keywords; the text they look at is the message's
//! bodies and the text of its attachments ([`extract`]: text, HTML, PDF,
//! DOCX, forwarded messages). A message that matches is sealed even
//! without a tag, or, if the policy says so, refused rather than sent
//! unsealed. Only the names of the rules that fired are ever reported,
//! never what they matched.

pub mod detectors;
pub mod extract;

use envelope_core::Message;
use regex::{Regex, RegexBuilder};
use serde::Deserialize;

pub use detectors::Detector;

use crate::{Error, ErrorKind};

/// The most compiled size of one of the organisation's patterns.
const MAX_PATTERN_SIZE: usize = 1024 * 1024;

/// The `[content]` section of a gateway policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentPolicy {
    /// Built-in detectors by name: `us-ssn`, `payment-card`, `iban`,
    /// `nhs-number`, `us-mbi`, or `all`.
    #[serde(default)]
    pub detectors: Vec<String>,
    /// The organisation's own patterns (Rust `regex` syntax).
    #[serde(default)]
    pub patterns: Vec<NamedPattern>,
    /// Words and phrases, matched whole and ignoring case.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// What a match does to a message no other rule seals: `"seal"` (the
    /// default) or `"refuse"` (bounced: the sender must seal it on purpose).
    #[serde(default)]
    pub on_match: OnMatch,
}

/// One of the organisation's patterns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedPattern {
    /// Its name, as the audit log gives it.
    pub name: String,
    /// The regular expression.
    pub regex: String,
}

/// What a content match does to a message that would pass unsealed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnMatch {
    /// Sealed.
    #[default]
    Seal,
    /// Refused (bounced), never sent unsealed.
    Refuse,
}

/// The rules of a policy, ready to run.
#[derive(Debug, Clone)]
pub struct ContentRules {
    detectors: Vec<Detector>,
    patterns: Vec<(String, Regex)>,
    keywords: Option<Regex>,
    /// What a match does.
    pub on_match: OnMatch,
}

/// What the rules found in a message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// The rules that fired, by name, each once, in the policy's order
    /// (`payment-card`, `pattern patient-id`, `keywords`).
    pub fired: Vec<String>,
    /// How many attachments that should have had text could not be read
    /// (an encrypted PDF, a broken DOCX).
    pub unreadable: usize,
}

impl ContentPolicy {
    /// The rules, compiled.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Policy`] for an unknown detector, a pattern that does
    /// not compile (or compiles too large) or has no name, an empty
    /// keyword, or no rule at all.
    pub fn rules(&self) -> Result<ContentRules, Error> {
        let policy = |why: String| Error::new(ErrorKind::Policy, format!("content.{why}"));
        let mut detectors = Vec::new();
        for name in &self.detectors {
            if name == "all" {
                detectors.extend(Detector::ALL);
                continue;
            }
            let known = Detector::ALL.map(Detector::name).join(", ");
            detectors.push(Detector::from_name(name).ok_or_else(|| {
                policy(format!("detectors: {name:?} is not one of {known} or all"))
            })?);
        }
        detectors.dedup();
        let mut patterns = Vec::new();
        for pattern in &self.patterns {
            if pattern.name.trim().is_empty() || pattern.name.chars().any(char::is_control) {
                return Err(policy("patterns: every pattern needs a name".to_owned()));
            }
            let regex = RegexBuilder::new(&pattern.regex)
                .size_limit(MAX_PATTERN_SIZE)
                .build()
                .map_err(|err| policy(format!("patterns: {:?}: {err}", pattern.name)))?;
            patterns.push((pattern.name.clone(), regex));
        }
        if self.keywords.iter().any(|k| k.trim().is_empty()) {
            return Err(policy("keywords: a keyword is empty".to_owned()));
        }
        let keywords = if self.keywords.is_empty() {
            None
        } else {
            let alternatives: Vec<String> = self
                .keywords
                .iter()
                .map(|k| regex::escape(k.trim()))
                .collect();
            Some(
                RegexBuilder::new(&format!(r"\b(?:{})\b", alternatives.join("|")))
                    .case_insensitive(true)
                    .size_limit(MAX_PATTERN_SIZE)
                    .build()
                    .map_err(|err| policy(format!("keywords: {err}")))?,
            )
        };
        if detectors.is_empty() && patterns.is_empty() && keywords.is_none() {
            return Err(policy(
                "the section names no detector, pattern or keyword".to_owned(),
            ));
        }
        Ok(ContentRules {
            detectors,
            patterns,
            keywords,
            on_match: self.on_match,
        })
    }
}

impl ContentRules {
    /// Runs the rules on `subject` and every text of `message`.
    pub fn check(&self, subject: &str, message: &Message) -> Findings {
        let texts = extract::texts(message);
        let unreadable = texts.iter().filter(|part| part.text.is_err()).count();
        let texts: Vec<&str> = std::iter::once(subject)
            .chain(texts.iter().filter_map(|part| part.text.as_deref().ok()))
            .collect();
        let any = |finds: &dyn Fn(&str) -> bool| texts.iter().any(|text| finds(text));
        let mut fired = Vec::new();
        for detector in &self.detectors {
            if any(&|text| detector.finds(text)) {
                fired.push(detector.name().to_owned());
            }
        }
        for (name, regex) in &self.patterns {
            if any(&|text| regex.is_match(text)) {
                fired.push(format!("pattern {name}"));
            }
        }
        if let Some(keywords) = &self.keywords
            && any(&|text| keywords.is_match(text))
        {
            fired.push("keywords".to_owned());
        }
        Findings { fired, unreadable }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn rules(toml_text: &str) -> Result<ContentRules, Error> {
        toml::from_str::<ContentPolicy>(toml_text).unwrap().rules()
    }

    #[test]
    fn rules_fire_by_name_and_only_on_valid_numbers() {
        let rules = rules(
            r#"
detectors = ["all"]
patterns = [{ name = "patient-id", regex = "\\bPID-[0-9]{6}\\b" }]
keywords = ["HIV status", "oncology"]
"#,
        )
        .unwrap();
        let check = |text: &str| rules.check("", &Message::new().text_body(text)).fired;
        assert_eq!(check("Card: 4111 1111 1111 1111"), ["payment-card"]);
        assert!(check("Card: 4111 1111 1111 1112").is_empty());
        assert_eq!(
            check("Ref PID-123456, Oncology ward"),
            ["pattern patient-id", "keywords"]
        );
        assert_eq!(check("her hiv STATUS"), ["keywords"]);
        assert!(check("oncologyst, PID-12345").is_empty());
        let html = Message::new().html_body("<p>IBAN <b>DE89 3704 0044 0532 0130 00</b></p>");
        assert_eq!(rules.check("", &html).fired, ["iban"]);
        assert_eq!(
            rules.check("SSN 123-45-6789", &Message::new()).fired,
            ["us-ssn"]
        );
    }

    #[test]
    fn a_wrong_section_is_refused() {
        assert!(rules("detectors = [\"credit-card\"]").is_err());
        assert!(rules("patterns = [{ name = \"x\", regex = \"(\" }]").is_err());
        assert!(rules("patterns = [{ name = \"\", regex = \"x\" }]").is_err());
        assert!(rules("keywords = [\" \"]").is_err());
        assert!(rules("on_match = \"refuse\"").is_err());
        assert!(toml::from_str::<ContentPolicy>("detectors = []\nunknown = 1").is_err());
    }
}
