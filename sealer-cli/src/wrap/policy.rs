//! The sealing policy of a mail gateway: which messages are sealed, which
//! pass unchanged, what the sealed message's subject is, where passphrases
//! come from, and how large a message may be. Read from TOML
//! (`sealer wrap --policy FILE`); `examples/policy.toml` shows every key.

use std::path::{Path, PathBuf};

use envelope_core::Passphrase;
use serde::Deserialize;

use super::Incoming;
use crate::mailbox::Mailbox;
use crate::sealing::PublicFields;
use crate::{Error, ErrorKind};

/// The neutral subject of a sealed message whose subject is hidden.
pub const NEUTRAL_SUBJECT: &str = crate::notice::NEUTRAL_SUBJECT;

/// A policy, as read from its TOML file. Unknown keys are refused: a typo
/// in a policy must not quietly let mail through unsealed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The domains inside the organisation (subdomains included).
    #[serde(default)]
    pub internal_domains: Vec<String>,
    /// When to seal.
    #[serde(default)]
    pub seal: SealRules,
    /// What passes unchanged even when a sealing rule matches.
    #[serde(default)]
    pub pass: PassRules,
    /// The sealed message's subject: `"neutral"` (the default) or
    /// `"keep"`.
    #[serde(default)]
    pub subject: SubjectRule,
    /// Where passphrases come from.
    pub passphrase: PassphraseRule,
    /// Recovery keys (`sealer keygen`'s `.pub` files) every sealed message
    /// is also sealed to, so the organisation can still read its records.
    #[serde(default)]
    pub recovery_keys: Vec<PathBuf>,
    /// A signing key (`sealer keygen --signing`, mode 600) the gateway
    /// signs every sealed message with, so recipients can check that it
    /// came through the organisation's gateway.
    #[serde(default)]
    pub signing_key: Option<PathBuf>,
    /// What the sealed message shows before it is opened.
    #[serde(default)]
    pub envelope: EnvelopeLook,
    /// Size limits.
    #[serde(default)]
    pub limits: Limits,
    /// Secure replies: when set, every sealed message asks for them.
    #[serde(default)]
    pub reply: Option<ReplyRule>,
    /// Virus scanning: when set, every message is scanned before it is
    /// sealed or passed.
    #[serde(default)]
    pub scan: Option<crate::scan::ScanPolicy>,
    /// Content rules: what a message says can make it sealed.
    #[serde(default)]
    pub content: Option<crate::content::ContentPolicy>,
}

/// Secure replies asked of every sealed message: the page offers the
/// recipient to answer with an envelope sealed to `key`, sent to `to`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyRule {
    /// The reply key (`sealer keygen`'s `.pub` file); `sealer unwrap`
    /// opens replies with its identity.
    pub key: PathBuf,
    /// Where replies go: a plain address, e.g. `replies@clinic.example`.
    pub to: String,
    /// The most a reply's text and files may hold, in megabytes (1 to
    /// 100; default 20).
    pub limit_mb: Option<u64>,
    /// The sent-log each sealed message is logged in, so that a reply names
    /// to whom the message it answers went (`sealer unwrap`'s `sent_log`).
    pub sent_log: Option<PathBuf>,
}

/// What a sealed message shows before it is opened: the envelope's public
/// label and hint, and the organisation's templates and branding.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeLook {
    /// The public line shown before decryption, e.g. `Secure message from
    /// Example Clinic`.
    pub label: Option<String>,
    /// A public passphrase hint, e.g. `The passphrase the sender gave you
    /// by phone`.
    pub hint: Option<String>,
    /// A folder of templates and `branding.json` (templates/README.md).
    pub template_dir: Option<PathBuf>,
    /// An advisory not-after date for every sealed message, as a duration
    /// from sealing (`30d`, `2w`; see [`crate::expiry::parse_expiry`]).
    pub expires: Option<String>,
}

impl EnvelopeLook {
    /// The label, hint and not-after date (counted from `now`, seconds
    /// since 1970) for a message sealed now.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`] when `expires` is not a duration.
    pub fn public_fields(&self, now: i64) -> Result<PublicFields, Error> {
        Ok(PublicFields {
            label: self.label.clone(),
            hint: self.hint.clone(),
            expires: self
                .expires
                .as_deref()
                .map(|when| crate::expiry::parse_expiry(when, now))
                .transpose()?,
        })
    }
}

/// When to seal: a message is sealed when any of these matches.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealRules {
    /// Seal every message.
    #[serde(default)]
    pub always: bool,
    /// Seal when the subject holds one of these tags (case-insensitive),
    /// e.g. `[secure]`; the tag is removed from the subject.
    #[serde(default)]
    pub subject_tags: Vec<String>,
    /// Seal when a recipient is outside `internal_domains`.
    #[serde(default)]
    pub external_recipients: bool,
    /// Seal when the message has one of these headers with this value
    /// (both case-insensitive), e.g. `X-Seal = "yes"`.
    #[serde(default)]
    pub headers: std::collections::BTreeMap<String, String>,
}

/// What passes unchanged.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassRules {
    /// Senders whose mail is never sealed (e.g. automated notifications),
    /// as addresses.
    #[serde(default)]
    pub senders: Vec<String>,
}

/// The sealed message's subject.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectRule {
    /// The original subject (less the tag that asked for sealing).
    Keep,
    /// The neutral [`NEUTRAL_SUBJECT`]; the real one stays sealed.
    #[default]
    Neutral,
}

/// Where a sealed message's passphrase comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, tag = "source", rename_all = "kebab-case")]
pub enum PassphraseRule {
    /// Each recipient's own passphrase, agreed beforehand, in
    /// `dir/<address>` (its first line); the envelope gets one key slot per
    /// recipient. A recipient without a file makes the message fail.
    RecipientFiles {
        /// The folder of passphrase files.
        dir: PathBuf,
        /// The files hold generated passphrases (`sealer passphrase`):
        /// recipients may type them with any spacing and capitals. A file
        /// that is not six or more words of the spoken list makes the
        /// message fail.
        #[serde(default)]
        generated: bool,
    },
    /// A new passphrase per message, written to a new file in `dir` (named
    /// after the Message-ID, readable only by the gateway's user) for the
    /// sender to pass on by phone or SMS.
    Generate {
        /// The folder the delivery files go to.
        dir: PathBuf,
        /// Words in the passphrase (default 6).
        #[serde(default = "default_words")]
        words: usize,
    },
}

fn default_words() -> usize {
    envelope_core::DEFAULT_WORDS
}

/// Size limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest message to seal, in bytes; a larger one that should be
    /// sealed is refused (never sent unsealed). Default 25,000,000.
    #[serde(default = "default_max_message")]
    pub max_message_bytes: u64,
}

fn default_max_message() -> u64 {
    25_000_000
}

/// The largest `max_message_bytes` a policy may set: the whole message is
/// held in memory while it is sealed.
pub const MAX_MESSAGE_BYTES_CAP: u64 = 1_000_000_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: default_max_message(),
        }
    }
}

/// What the policy decided for one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Send it unchanged; `why` names the reason (for the audit log).
    Pass {
        /// The reason, e.g. `no rule matched`.
        why: String,
    },
    /// Seal it.
    Seal {
        /// The rule that fired, e.g. `subject tag [secure]`.
        rule: String,
        /// The outgoing message's subject.
        subject: String,
        /// The subject inside the envelope: the original, less the tag
        /// that asked for sealing.
        sealed_subject: String,
    },
    /// Refuse it (bounce): a content rule matched, and the policy does not
    /// let such a message go unsealed unless its sender seals it.
    Refuse {
        /// The rules that fired, e.g. `content: payment-card`.
        rule: String,
    },
}

impl Policy {
    /// Reads a policy from TOML text.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Policy`] naming the line and the problem.
    pub fn from_toml(text: &str) -> Result<Policy, Error> {
        let policy: Policy =
            toml::from_str(text).map_err(|err| Error::new(ErrorKind::Policy, err.to_string()))?;
        if policy.seal.external_recipients && policy.internal_domains.is_empty() {
            return Err(Error::new(
                ErrorKind::Policy,
                "seal.external_recipients needs internal_domains: without them every \
                 recipient is external",
            ));
        }
        let max = policy.limits.max_message_bytes;
        if max == 0 || max > MAX_MESSAGE_BYTES_CAP {
            return Err(Error::new(
                ErrorKind::Policy,
                format!(
                    "limits.max_message_bytes is {max}; it must be between 1 and \
                 {MAX_MESSAGE_BYTES_CAP}"
                ),
            ));
        }
        if let Some(when) = &policy.envelope.expires
            && (when.contains('-') || crate::expiry::parse_expiry(when, 0).is_err())
        {
            return Err(Error::new(
                ErrorKind::Policy,
                format!("envelope.expires {when:?} must be a duration such as \"30d\" or \"2w\""),
            ));
        }
        if let Some(reply) = &policy.reply {
            if !envelope_core::is_valid_receipt_address(&reply.to) {
                return Err(Error::new(
                    ErrorKind::Policy,
                    format!(
                        "reply.to {:?} is not a plain address (local@domain)",
                        reply.to
                    ),
                ));
            }
            if reply.limit_mb.is_some_and(|mb| !(1..=100).contains(&mb)) {
                return Err(Error::new(
                    ErrorKind::Policy,
                    "reply.limit_mb must be between 1 and 100",
                ));
            }
        }
        if let Some(scan) = &policy.scan {
            scan.scanner()?;
        }
        if let Some(content) = &policy.content {
            content.rules()?;
        }
        if let PassphraseRule::Generate { words, .. } = policy.passphrase
            && !(envelope_core::MIN_WORDS..=envelope_core::MAX_WORDS).contains(&words)
        {
            return Err(Error::new(
                ErrorKind::Policy,
                format!(
                    "passphrase.words is {words}; it must be between {} and {}",
                    envelope_core::MIN_WORDS,
                    envelope_core::MAX_WORDS
                ),
            ));
        }
        Ok(policy)
    }

    /// Reads the policy file at `path`. Relative folders in it are taken
    /// from the policy file's folder, not from wherever the mail server
    /// happens to run the filter.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Policy`] when the file cannot be read or is invalid.
    pub fn from_file(path: &Path) -> Result<Policy, Error> {
        let text = std::fs::read_to_string(path).map_err(|err| {
            Error::new(
                ErrorKind::Policy,
                format!("cannot read {}: {err}", path.display()),
            )
        })?;
        let mut policy = Policy::from_toml(&text)
            .map_err(|err| Error::new(ErrorKind::Policy, format!("{}: {err}", path.display())))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let resolve = |dir: &mut PathBuf| {
            if dir.is_relative() {
                *dir = base.join(&*dir);
            }
        };
        match &mut policy.passphrase {
            PassphraseRule::RecipientFiles { dir, .. } | PassphraseRule::Generate { dir, .. } => {
                resolve(dir);
            }
        }
        if let Some(dir) = &mut policy.envelope.template_dir {
            resolve(dir);
        }
        for key in &mut policy.recovery_keys {
            resolve(key);
        }
        if let Some(key) = &mut policy.signing_key {
            resolve(key);
        }
        if let Some(dir) = policy.scan.as_mut().and_then(|s| s.quarantine_dir.as_mut()) {
            resolve(dir);
        }
        if let Some(reply) = &mut policy.reply {
            resolve(&mut reply.key);
            if let Some(log) = &mut reply.sent_log {
                resolve(log);
            }
        }
        Ok(policy)
    }

    /// Decides what happens to `incoming`.
    pub fn decide(&self, incoming: &Incoming) -> Decision {
        let pass = |why: &str| Decision::Pass {
            why: why.to_owned(),
        };
        if incoming.already_sealed {
            return pass("already sealed");
        }
        let sender = incoming
            .sender
            .as_ref()
            .map(Mailbox::key)
            .unwrap_or_default();
        if self
            .pass
            .senders
            .iter()
            .any(|s| s.trim().eq_ignore_ascii_case(&sender))
        {
            return pass("sender passes");
        }
        let (tag, subject, untagged) = self.subjects(incoming);
        let seal = |rule: String| Decision::Seal {
            rule,
            subject: subject.clone(),
            sealed_subject: untagged.clone(),
        };
        if self.seal.always {
            return seal("always".to_owned());
        }
        for (name, value) in &self.seal.headers {
            let found = incoming.headers.iter().any(|(n, v)| {
                n.eq_ignore_ascii_case(name) && v.trim().eq_ignore_ascii_case(value.trim())
            });
            if found {
                return seal(format!("header {name}: {value}"));
            }
        }
        if let Some(tag) = tag {
            return seal(format!("subject tag {tag}"));
        }
        let outside = incoming
            .recipients
            .iter()
            .find(|address| !self.is_internal(address));
        if let (true, Some(outside)) = (self.seal.external_recipients, outside) {
            let domain = outside.rsplit('@').next().unwrap_or(outside);
            return seal(format!("external recipient at {domain}"));
        }
        pass("no rule matched")
    }

    /// The subject tag the message carries (if any), the outgoing subject
    /// the policy gives it when sealed, and the subject inside the envelope
    /// (the original less the tag).
    fn subjects<'a>(&'a self, incoming: &Incoming) -> (Option<&'a String>, String, String) {
        let tag = self
            .seal
            .subject_tags
            .iter()
            .find(|tag| find_ignoring_case(&incoming.subject, tag).is_some());
        let untagged = match tag {
            Some(tag) => remove_tag(&incoming.subject, tag),
            None => incoming.subject.clone(),
        };
        let subject = match self.subject {
            // A decoded subject can hold line breaks (RFC 2047 lets it):
            // they must not become header lines of their own.
            SubjectRule::Keep => untagged
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect(),
            SubjectRule::Neutral => NEUTRAL_SUBJECT.to_owned(),
        };
        (tag, subject, untagged)
    }

    /// `decision` as the content rules change it, given the rules that
    /// fired: a message that would pass unsealed (unless it is sealed
    /// already) is sealed, or, with `on_match = "refuse"`, refused. The
    /// content rules outrank `pass.senders`: what the message says decides.
    pub fn apply_content(
        &self,
        decision: Decision,
        incoming: &Incoming,
        fired: &[String],
        on_match: crate::content::OnMatch,
    ) -> Decision {
        if fired.is_empty() || incoming.already_sealed || !matches!(decision, Decision::Pass { .. })
        {
            return decision;
        }
        let rule = format!("content: {}", fired.join(", "));
        match on_match {
            crate::content::OnMatch::Refuse => Decision::Refuse { rule },
            crate::content::OnMatch::Seal => {
                let (_, subject, sealed_subject) = self.subjects(incoming);
                Decision::Seal {
                    rule,
                    subject,
                    sealed_subject,
                }
            }
        }
    }

    /// Whether `address` is at an internal domain or one of its subdomains.
    fn is_internal(&self, address: &str) -> bool {
        let domain = address.rsplit('@').next().unwrap_or("").to_lowercase();
        self.internal_domains.iter().any(|internal| {
            let internal = internal.trim().trim_start_matches('.').to_lowercase();
            domain == internal || domain.ends_with(&format!(".{internal}"))
        })
    }
}

/// The passphrase agreed beforehand with `recipient`: the first line of
/// `dir/<recipient>` (the address in lower case). The file must be
/// readable by its owner only: it is as secret as the mail it opens.
///
/// # Errors
///
/// [`ErrorKind::NoPassphrase`] when there is no file for the recipient (or
/// the address cannot be a file name); [`ErrorKind::Unreadable`] or
/// [`ErrorKind::NotPrivate`] when it cannot be read or others may read it;
/// [`ErrorKind::Policy`] when it is empty, or not a generated passphrase
/// when `generated` says it is.
pub fn recipient_passphrase(
    dir: &Path,
    recipient: &str,
    generated: bool,
) -> Result<Passphrase, Error> {
    let address = recipient.trim().to_lowercase();
    let no_passphrase = || Error::new(ErrorKind::NoPassphrase, address.clone());
    if !is_plain_address(&address) {
        return Err(no_passphrase());
    }
    let path = dir.join(&address);
    let text = crate::files::read_private_text(&path).map_err(|err| {
        let missing = std::error::Error::source(&err)
            .and_then(|source| source.downcast_ref::<std::io::Error>())
            .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
        if missing { no_passphrase() } else { err }
    })?;
    let line = crate::files::first_line(&text);
    if line.is_empty() {
        return Err(Error::new(
            ErrorKind::Policy,
            format!(
                "{} is empty; put the passphrase on its first line",
                path.display()
            ),
        ));
    }
    let passphrase = Passphrase::from_string(line.to_owned());
    let words = envelope_core::generated_word_count(&passphrase).unwrap_or(0);
    if generated && words < envelope_core::MIN_WORDS {
        return Err(Error::new(
            ErrorKind::Policy,
            format!(
                "{} holds no generated passphrase ({} or more words of the spoken list, as sealer \
                 passphrase makes), but the policy says its files do (generated = true)",
                path.display(),
                envelope_core::MIN_WORDS
            ),
        ));
    }
    Ok(passphrase)
}

/// Whether `address` is `local@domain` made only of the characters RFC
/// 5321 allows unquoted: nothing that could climb out of a folder.
fn is_plain_address(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+=?^_`{|}~-.".contains(c);
    let dns = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    address.len() <= 254
        && !local.is_empty()
        && !domain.is_empty()
        && local.chars().all(atext)
        && domain.chars().all(dns)
        && !address.starts_with('.')
        && !address.contains("..")
}

/// Where `needle` is in `haystack`, ignoring case (on whole characters).
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    haystack.char_indices().find_map(|(start, _)| {
        let mut wanted = needle.iter();
        let mut end = start;
        let mut lowered = haystack[start..]
            .char_indices()
            .flat_map(|(at, c)| c.to_lowercase().map(move |l| (at, c, l)));
        loop {
            let Some(next) = wanted.next() else {
                return Some((start, end));
            };
            match lowered.next() {
                Some((at, c, l)) if l == *next => end = start + at + c.len_utf8(),
                _ => return None,
            }
        }
    })
}

/// `subject` without `tag` and the space it leaves.
fn remove_tag(subject: &str, tag: &str) -> String {
    match find_ignoring_case(subject, tag) {
        Some((start, end)) => {
            let joined = format!("{}{}", &subject[..start], &subject[end..]);
            joined.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        None => subject.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::wrap::read_mail;

    const POLICY: &str = r#"
internal_domains = ["clinic.example"]
subject = "neutral"
[seal]
subject_tags = ["[secure]"]
external_recipients = true
headers = { X-Seal = "yes" }
[pass]
senders = ["noreply@clinic.example"]
[passphrase]
source = "generate"
dir = "/tmp/passphrases"
"#;

    fn mail(from: &str, to: &str, subject: &str, extra: &str) -> Incoming {
        let raw =
            format!("From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\n{extra}\r\nHello.\r\n");
        read_mail(raw.as_bytes()).unwrap()
    }

    #[test]
    fn rules_fire_in_order_and_name_themselves() {
        let policy = Policy::from_toml(POLICY).unwrap();
        let internal = "b@lab.clinic.example";
        let decide = |from, to, subject, extra| policy.decide(&mail(from, to, subject, extra));
        assert_eq!(
            decide("a@clinic.example", internal, "Re: [SECURE] Results", ""),
            Decision::Seal {
                rule: "subject tag [secure]".into(),
                subject: NEUTRAL_SUBJECT.into(),
                sealed_subject: "Re: Results".into(),
            }
        );
        assert_eq!(
            decide("a@clinic.example", internal, "Results", "X-Seal:  YES\r\n"),
            Decision::Seal {
                rule: "header X-Seal: yes".into(),
                subject: NEUTRAL_SUBJECT.into(),
                sealed_subject: "Results".into(),
            }
        );
        assert!(matches!(
            decide("a@clinic.example", "x@clinic.example.evil.org", "Hi", ""),
            Decision::Seal { rule, .. } if rule == "external recipient at clinic.example.evil.org"
        ));
        assert_eq!(
            decide("a@clinic.example", internal, "Lunch?", ""),
            Decision::Pass {
                why: "no rule matched".into()
            }
        );
        assert_eq!(
            decide(
                "Robot <NoReply@clinic.example>",
                "x@example.org",
                "[secure] x",
                ""
            ),
            Decision::Pass {
                why: "sender passes".into()
            }
        );
    }

    #[test]
    fn the_tag_leaves_the_kept_subject() {
        let mut policy = Policy::from_toml(POLICY).unwrap();
        policy.subject = SubjectRule::Keep;
        let decision = policy.decide(&mail(
            "a@clinic.example",
            "b@clinic.example",
            "Re: [Secure] Befund für Zoë",
            "",
        ));
        assert_eq!(
            decision,
            Decision::Seal {
                rule: "subject tag [secure]".into(),
                subject: "Re: Befund für Zoë".into(),
                sealed_subject: "Re: Befund für Zoë".into(),
            }
        );
    }

    #[test]
    fn a_bad_policy_is_refused_with_its_line() {
        let typo = POLICY.replace("subject_tags", "subject_tag");
        let err = Policy::from_toml(&typo).unwrap_err().to_string();
        assert!(err.contains("subject_tag") && err.contains("line"), "{err}");
        let no_domains = POLICY.replace("internal_domains = [\"clinic.example\"]", "");
        assert!(Policy::from_toml(&no_domains).is_err());
        let no_passphrase = POLICY.replace(
            "[passphrase]\nsource = \"generate\"\ndir = \"/tmp/passphrases\"\n",
            "",
        );
        assert!(Policy::from_toml(&no_passphrase).is_err());
    }

    #[test]
    fn the_example_scan_and_content_sections_read_once_uncommented() {
        let example = include_str!("../../../examples/policy.toml");
        let mut in_scan = false;
        let uncommented: String = example
            .lines()
            .map(|line| {
                in_scan =
                    (in_scan || line == "# [scan]" || line == "# [content]") && !line.is_empty();
                let setting = line
                    .strip_prefix("# ")
                    .filter(|rest| rest.starts_with('[') || rest.contains(" = "));
                match setting {
                    Some(setting) if in_scan => format!("{setting}\n"),
                    _ => format!("{line}\n"),
                }
            })
            .collect();
        let policy = Policy::from_toml(&uncommented).unwrap();
        let rules = policy.content.unwrap().rules().unwrap();
        let fired = rules
            .check(
                "PID-123456",
                &envelope_core::Message::new().text_body("HIV Status"),
            )
            .fired;
        assert_eq!(fired, ["pattern patient-id", "keywords"]);
        let scan = policy.scan.unwrap();
        assert_eq!(scan.clamd, "/run/clamav/clamd.ctl");
        assert_eq!(scan.timeout_seconds, 60);
        assert!(scan.scanner().is_ok());
        let wrong = uncommented.replace("timeout_seconds = 60", "timeout_seconds = 0");
        assert!(Policy::from_toml(&wrong).is_err());
        let no_folder = uncommented.replace(
            "infected = \"refuse\"\nquarantine_dir = \"/var/spool/sealer/quarantine\"",
            "infected = \"quarantine\"",
        );
        assert!(Policy::from_toml(&no_folder).is_err());
    }

    #[test]
    fn the_example_policy_reads() {
        let policy = Policy::from_toml(include_str!("../../../examples/policy.toml")).unwrap();
        assert_eq!(policy.seal.subject_tags, ["[secure]", "[confidential]"]);
        assert!(matches!(
            policy.passphrase,
            PassphraseRule::Generate { words: 6, .. }
        ));
        assert_eq!(policy.limits.max_message_bytes, 25_000_000);
        // Its relative folders are the policy file's neighbours.
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/policy.toml");
        let policy = Policy::from_file(&path).unwrap();
        let templates = policy.envelope.template_dir.unwrap();
        assert!(templates.join("branding.json").is_file(), "{templates:?}");
    }
}
