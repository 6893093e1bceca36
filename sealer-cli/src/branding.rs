//! An organisation's look on the page and the notice e-mail: its name, a
//! logo, an accent colour, a help text, a contact line and the language.
//!
//! Each is checked before it reaches a template: text is one short line (the
//! help text a few), a logo is a small raster image recognised by its
//! content, the accent colour is a hex colour white text stays readable on,
//! the language a BCP 47 tag. An organisation keeps them in `branding.json`
//! beside its templates ([`Branding::from_dir`]); `sealer seal` flags
//! override that file.

use std::io::Read;
use std::path::Path;
use std::str::FromStr;

use crate::{Error, ErrorKind};

/// The file in a template folder that holds the branding.
pub const BRANDING_FILE: &str = "branding.json";

/// Longest organisation name, in characters.
pub const MAX_ORGANISATION: usize = 100;
/// Longest contact line, in characters.
pub const MAX_CONTACT: usize = 200;
/// Longest help text, in characters.
pub const MAX_HELP_TEXT: usize = 1000;
/// Largest logo, in bytes: it travels in every envelope and notice.
pub const MAX_LOGO_LEN: usize = 128 * 1024;
/// Least contrast between the accent colour and white text on it (WCAG AA).
pub const MIN_ACCENT_CONTRAST: f64 = 4.5;

/// The page's and the notice's branding. The default is none, in English.
#[derive(Debug, Clone, PartialEq)]
pub struct Branding {
    /// The organisation's name, e.g. `Example Clinic`.
    pub organisation: Option<String>,
    /// Its logo, shown above the label and at the top of the notice.
    pub logo: Option<Logo>,
    /// The colour of headings and the Open button.
    pub accent_colour: Option<AccentColour>,
    /// Who to ask for help, e.g. how to get the passphrase again (may hold
    /// line breaks).
    pub help_text: Option<String>,
    /// One line: the organisation's phone number, address or web site.
    pub contact: Option<String>,
    /// The language of the page and the notice (BCP 47), e.g. `en`, `de-CH`.
    pub lang: String,
    /// The address of the organisation's opener site (`sealer opener`),
    /// which the notice and the page give a recipient on a phone.
    pub opener_url: Option<OpenerUrl>,
}

impl Default for Branding {
    fn default() -> Self {
        Branding {
            organisation: None,
            logo: None,
            accent_colour: None,
            help_text: None,
            contact: None,
            lang: "en".to_owned(),
            opener_url: None,
        }
    }
}

fn invalid(why: String) -> Error {
    Error::new(ErrorKind::Branding, why)
}

impl Branding {
    /// Checks the text fields and the language (the logo and the colour are
    /// checked when made). [`crate::render_page`] and
    /// [`crate::notice::notice_email`] call it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Branding`] saying which field is wrong and why.
    pub fn check(&self) -> Result<(), Error> {
        check_text(
            "organisation name",
            self.organisation.as_deref(),
            MAX_ORGANISATION,
            false,
        )?;
        check_text("contact line", self.contact.as_deref(), MAX_CONTACT, false)?;
        check_text("help text", self.help_text.as_deref(), MAX_HELP_TEXT, true)?;
        check_lang(&self.lang)
    }

    /// The branding in `dir/branding.json`, or none when there is no such
    /// file. Its keys (all optional): `organisation`, `logo` (an image file,
    /// relative to `dir`), `accent_colour`, `help_text`, `contact`, `lang`,
    /// `opener_url`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Branding`] when the file cannot be read, is not that JSON
    /// object (unknown keys are refused: a typo should not pass
    /// silently), or a value is invalid.
    pub fn from_dir(dir: &Path) -> Result<Branding, Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            organisation: Option<String>,
            logo: Option<String>,
            accent_colour: Option<String>,
            help_text: Option<String>,
            contact: Option<String>,
            lang: Option<String>,
            opener_url: Option<String>,
        }
        let path = dir.join(BRANDING_FILE);
        if !path.exists() {
            return Ok(Branding::default());
        }
        let text = read_bounded(&path, 64 * 1024)?;
        let file: File = serde_json::from_slice(&text)
            .map_err(|err| invalid(format!("{}: {err}", path.display())))?;
        let in_file = |err: Error| match err.kind() {
            ErrorKind::Branding => invalid(format!("{}: {}", path.display(), err.detail())),
            _ => err,
        };
        let branding = Branding {
            organisation: file.organisation,
            logo: file
                .logo
                .map(|logo| Logo::read(&dir.join(logo)))
                .transpose()?,
            accent_colour: file
                .accent_colour
                .map(|colour| colour.parse())
                .transpose()
                .map_err(in_file)?,
            help_text: file.help_text,
            contact: file.contact,
            lang: file.lang.unwrap_or_else(|| "en".to_owned()),
            opener_url: file
                .opener_url
                .map(|url| url.parse())
                .transpose()
                .map_err(in_file)?,
        };
        branding.check().map_err(in_file)?;
        Ok(branding)
    }
}

/// Refuses text that is too long, or holds control characters (line breaks
/// only where `lines`) or the invisible characters that reorder text.
fn check_text(what: &str, text: Option<&str>, max: usize, lines: bool) -> Result<(), Error> {
    let Some(text) = text else {
        return Ok(());
    };
    let count = text.chars().count();
    if count > max {
        return Err(invalid(format!(
            "the {what} is {count} characters long; at most {max} fit"
        )));
    }
    if text.trim().is_empty() {
        return Err(invalid(format!("the {what} is empty")));
    }
    let bad = text.chars().find(|&c| {
        (c.is_control() && !(lines && c == '\n'))
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    });
    if let Some(c) = bad {
        let allowed = if lines {
            "only line breaks are allowed"
        } else {
            "it must be one line"
        };
        return Err(invalid(format!(
            "the {what} holds the control character U+{:04X}; {allowed}",
            u32::from(c)
        )));
    }
    Ok(())
}

/// Whether `lang` is a language tag as BCP 47 shapes it: a 2–8 letter
/// language, then subtags of 1–8 letters or digits, separated by `-`.
pub(crate) fn is_language_tag(lang: &str) -> bool {
    let mut parts = lang.split('-');
    let language_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    language_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn check_lang(lang: &str) -> Result<(), Error> {
    if is_language_tag(lang) {
        Ok(())
    } else {
        Err(invalid(format!(
            "{lang:?} is not a language tag; give one like en, de or fr-CH"
        )))
    }
}

/// Reads at most `max` bytes of `path`, refusing a larger file.
fn read_bounded(path: &Path, max: usize) -> Result<Vec<u8>, Error> {
    let unreadable =
        |err: std::io::Error| invalid(format!("cannot read {}: {err}", path.display()));
    if path.is_dir() {
        return Err(invalid(format!(
            "{} is a folder, not a file",
            path.display()
        )));
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() > max {
        return Err(invalid(format!(
            "{} is over {}; use a smaller file",
            path.display(),
            envelope_core::human_size(max as u64)
        )));
    }
    Ok(bytes)
}

/// A logo: a PNG, JPEG, GIF or WebP image of at most [`MAX_LOGO_LEN`]
/// bytes, recognised by its first bytes (not its file name). Vector images
/// (SVG) are refused: mail programs show them badly or not at all.
#[derive(Clone, PartialEq, Eq)]
pub struct Logo {
    media_type: &'static str,
    bytes: Vec<u8>,
}

impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Logo({}, {} bytes)", self.media_type, self.bytes.len())
    }
}

impl Logo {
    /// The image in `bytes`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Branding`] when it is too large or not one of the image
    /// types.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Logo, Error> {
        if bytes.len() > MAX_LOGO_LEN {
            return Err(invalid(format!(
                "the logo is {}; at most {} fit (it travels in every envelope)",
                envelope_core::human_size(bytes.len() as u64),
                envelope_core::human_size(MAX_LOGO_LEN as u64)
            )));
        }
        let media_type = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            "image/png"
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            "image/jpeg"
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            "image/gif"
        } else if bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            "image/webp"
        } else {
            return Err(invalid(
                "the logo is not a PNG, JPEG, GIF or WebP image (SVG is not supported: \
                 export it as PNG)"
                    .to_owned(),
            ));
        };
        Ok(Logo { media_type, bytes })
    }

    /// The image in the file at `path`.
    ///
    /// # Errors
    ///
    /// As [`Logo::from_bytes`], and when the file cannot be read.
    pub fn read(path: &Path) -> Result<Logo, Error> {
        let bytes = read_bounded(path, MAX_LOGO_LEN)?;
        Logo::from_bytes(bytes).map_err(|err| match err.kind() {
            ErrorKind::Branding => invalid(format!("{}: {}", path.display(), err.detail())),
            _ => err,
        })
    }

    /// `image/png`, `image/jpeg`, `image/gif` or `image/webp`.
    pub fn media_type(&self) -> &'static str {
        self.media_type
    }

    /// The image file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The image as a `data:` URL, for the page.
    pub fn data_url(&self) -> String {
        use base64::Engine;
        format!(
            "data:{};base64,{}",
            self.media_type,
            base64::engine::general_purpose::STANDARD.encode(&self.bytes)
        )
    }
}

/// An accent colour, `#rrggbb`, dark enough for white text on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccentColour([u8; 3]);

/// The built-in accent colour, `#0b5394` (as in the page's style sheet).
impl Default for AccentColour {
    fn default() -> Self {
        AccentColour([0x0b, 0x53, 0x94])
    }
}

impl AccentColour {
    /// Its red, green and blue.
    pub fn rgb(self) -> [u8; 3] {
        self.0
    }

    /// The contrast ratio of white on this colour (WCAG 2: 1 to 21).
    pub fn contrast_with_white(self) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.040_45 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        let luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
        1.05 / (luminance + 0.05)
    }
}

/// The longest opener address, in characters.
pub const MAX_OPENER_URL: usize = 200;

/// The address of an organisation's opener site: an `https://` URL, in
/// printable ASCII (an internationalised host in its `xn--` form), without
/// user name or password, short enough to type from a phone screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenerUrl(String);

impl OpenerUrl {
    /// The address, as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for OpenerUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for OpenerUrl {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let refuse = |why: &str| {
            Err(invalid(format!(
                "{text:?} is not an opener address: {why} (e.g. https://secure.clinic.example/open/)"
            )))
        };
        if text.len() > MAX_OPENER_URL {
            return refuse(&format!("it is longer than {MAX_OPENER_URL} characters"));
        }
        let Some(rest) = text
            .get(..8)
            .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
            .map(|_| &text[8..])
        else {
            return refuse("it must start with https://, as the opener is served only over HTTPS");
        };
        if let Some(bad) = text
            .chars()
            .find(|c| !c.is_ascii_graphic() || "\"'<>\\^`{|}".contains(*c))
        {
            return refuse(&format!(
                "it holds {bad:?}; write a host name in its xn-- form and escape the rest"
            ));
        }
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if host.contains('@') {
            return refuse("it holds a user name");
        }
        let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            return refuse("it has no host name");
        }
        Ok(OpenerUrl(format!("https://{rest}")))
    }
}

impl FromStr for AccentColour {
    type Err = Error;

    /// `#rrggbb` or `#rgb`.
    fn from_str(text: &str) -> Result<Self, Error> {
        let hex = text.strip_prefix('#').unwrap_or("");
        let digits: Option<Vec<u8>> = hex
            .chars()
            .map(|c| c.to_digit(16).and_then(|d| u8::try_from(d).ok()))
            .collect();
        let rgb = match digits.as_deref() {
            Some(&[r, g, b]) => [r * 17, g * 17, b * 17],
            Some(&[r1, r2, g1, g2, b1, b2]) => [r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2],
            _ => {
                return Err(invalid(format!(
                    "{text:?} is not a colour; give one like #0b5394"
                )));
            }
        };
        let colour = AccentColour(rgb);
        let contrast = colour.contrast_with_white();
        if contrast < MIN_ACCENT_CONTRAST {
            return Err(invalid(format!(
                "white text on {colour} is hard to read (contrast {contrast:.1}:1, at least \
                 {MIN_ACCENT_CONTRAST}:1 needed); choose a darker colour"
            )));
        }
        Ok(colour)
    }
}

impl std::fmt::Display for AccentColour {
    /// `#rrggbb`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn an_opener_address_is_https_ascii_and_has_a_host() {
        for good in [
            "https://secure.clinic.example/open/",
            "HTTPS://xn--klinik-mnchen-4ob.example:8443/o?x=1",
        ] {
            let url: OpenerUrl = good.parse().unwrap();
            assert!(url.as_str().starts_with("https://"), "{url}");
        }
        for bad in [
            "http://clinic.example/open/",
            "https://",
            "https:///open",
            "https://user:pw@clinic.example/",
            "https://klinik-münchen.example/",
            "https://clinic.example/a b",
            "https://clinic.example/\"><script>",
            "javascript:alert(1)",
        ] {
            let err = bad.parse::<OpenerUrl>().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Branding, "{bad}");
        }
        let long = format!("https://clinic.example/{}", "a".repeat(MAX_OPENER_URL));
        assert!(long.parse::<OpenerUrl>().is_err());
    }

    #[test]
    fn logos_are_recognised_by_content_and_bounded() {
        assert_eq!(
            Logo::from_bytes(PNG.to_vec()).unwrap().media_type(),
            "image/png"
        );
        assert_eq!(
            Logo::from_bytes(b"RIFF\0\0\0\0WEBPVP8 ".to_vec())
                .unwrap()
                .media_type(),
            "image/webp"
        );
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec();
        assert!(
            matches!(Logo::from_bytes(svg), Err(err) if err.kind() == ErrorKind::Branding && err.detail().contains("SVG"))
        );
        let mut big = PNG.to_vec();
        big.resize(MAX_LOGO_LEN + 1, 0);
        assert!(Logo::from_bytes(big).is_err());
        assert!(
            Logo::from_bytes(PNG.to_vec())
                .unwrap()
                .data_url()
                .starts_with("data:image/png;base64,iVBORw0KGgo")
        );
    }

    #[test]
    fn the_default_accent_is_the_style_sheets() {
        let default = AccentColour::default().to_string();
        assert!(include_str!("page/style.css").contains(&format!("--accent: {default};")));
        assert!(AccentColour::default().contrast_with_white() >= MIN_ACCENT_CONTRAST);
    }

    #[test]
    fn accent_colours_must_carry_white_text() {
        assert_eq!(
            "#0B5394".parse::<AccentColour>().unwrap().to_string(),
            "#0b5394"
        );
        assert_eq!(
            "#036".parse::<AccentColour>().unwrap().to_string(),
            "#003366"
        );
        for bad in ["0b5394", "#0b539", "#ggg", "red", "#ffff00", "#fff"] {
            assert!(bad.parse::<AccentColour>().is_err(), "{bad}");
        }
        // Black is 21:1, white 1:1.
        assert!(
            ("#000000"
                .parse::<AccentColour>()
                .unwrap()
                .contrast_with_white()
                - 21.0)
                .abs()
                < 1e-9
        );
    }

    #[test]
    fn text_fields_and_language_are_checked() {
        let ok = Branding {
            organisation: Some("Clinique Universitaire de Genève".into()),
            help_text: Some("Lost the passphrase?\nCall us.".into()),
            contact: Some("+41 22 000 00 00".into()),
            lang: "fr-CH".into(),
            ..Branding::default()
        };
        ok.check().unwrap();
        for bad in [
            Branding {
                organisation: Some("A\nB".into()),
                ..ok.clone()
            },
            Branding {
                organisation: Some("x".repeat(MAX_ORGANISATION + 1)),
                ..ok.clone()
            },
            Branding {
                contact: Some("call \u{202E}evil".into()),
                ..ok.clone()
            },
            Branding {
                help_text: Some("tab\there".into()),
                ..ok.clone()
            },
            Branding {
                help_text: Some(" \n".into()),
                ..ok.clone()
            },
            Branding {
                lang: "e".into(),
                ..ok.clone()
            },
            Branding {
                lang: "en_GB".into(),
                ..ok.clone()
            },
            Branding {
                lang: "\"><script>".into(),
                ..ok.clone()
            },
        ] {
            assert!(
                matches!(bad.check(), Err(err) if err.kind() == ErrorKind::Branding),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_folder_holds_the_branding() {
        let dir = std::env::temp_dir().join(format!("sealer-branding-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(
            Branding::from_dir(&dir).unwrap(),
            Branding::default(),
            "no file"
        );
        std::fs::write(dir.join("logo.png"), PNG).unwrap();
        std::fs::write(
            dir.join(BRANDING_FILE),
            r##"{"organisation": "Example Clinic", "logo": "logo.png", "accent_colour": "#7a1f5c", "lang": "de"}"##,
        )
        .unwrap();
        let branding = Branding::from_dir(&dir).unwrap();
        assert_eq!(branding.organisation.as_deref(), Some("Example Clinic"));
        assert_eq!(branding.logo.unwrap().bytes(), PNG);
        assert_eq!(branding.lang, "de");
        std::fs::write(dir.join(BRANDING_FILE), r#"{"organization": "typo"}"#).unwrap();
        let err = Branding::from_dir(&dir).unwrap_err().to_string();
        assert!(err.contains("unknown field"), "{err}");
        std::fs::write(dir.join(BRANDING_FILE), r##"{"accent_colour": "#eee"}"##).unwrap();
        let err = Branding::from_dir(&dir).unwrap_err().to_string();
        assert!(
            err.contains("branding.json") && err.contains("contrast"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
