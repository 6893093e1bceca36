//! Showing what an envelope holds: attachment names read from an envelope
//! are hostile, so they are turned into file names safe to save anywhere;
//! sizes are written for people.

/// A file name safe to create in a folder for an attachment called `name`:
/// its last path component only (no `../`, no absolute path), with control,
/// bidirectional-override and reserved characters (`<>:"|?*`) replaced by
/// `_`, no leading or trailing dots or spaces (never hidden), not a Windows
/// device name (`CON`, `NUL`, `COM1`… get a leading `_`), at most 200
/// characters, never empty (`attachment`).
///
/// ```
/// use envelope_core::safe_file_name;
/// assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
/// assert_eq!(safe_file_name("C:\\Windows\\win.ini"), "win.ini");
/// assert_eq!(safe_file_name("report\u{202e}fdp.exe"), "report_fdp.exe");
/// assert_eq!(safe_file_name("NUL.txt"), "_NUL.txt");
/// assert_eq!(safe_file_name("..."), "attachment");
/// ```
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"|?*".contains(c) || is_bidi_control(c) {
                '_'
            } else {
                c
            }
        })
        .take(200)
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        "attachment".to_owned()
    } else if is_device_name(trimmed) {
        format!("_{trimmed}")
    } else {
        trimmed.to_owned()
    }
}

/// A byte count for people: "0 bytes", "1 byte", "2.4 KB", "18.9 MB".
///
/// ```
/// assert_eq!(envelope_core::human_size(18_874_368), "18.9 MB");
/// ```
pub fn human_size(bytes: u64) -> String {
    // Integer arithmetic: float formatting would add 15 KB to the decryptor.
    let tenths = |unit: u64| {
        let t = (bytes * 10 + unit / 2) / unit;
        format!("{}.{}", t / 10, t % 10)
    };
    match bytes {
        1 => "1 byte".to_owned(),
        0..1000 => format!("{bytes} bytes"),
        1000..1_000_000 => format!("{} KB", tenths(1_000)),
        1_000_000..1_000_000_000 => format!("{} MB", tenths(1_000_000)),
        _ => format!("{} GB", tenths(1_000_000_000)),
    }
}

/// `template` with each `{name}` replaced by its value from `values`, in
/// one pass (a value holding `{…}`, such as a typed word, stays as it
/// is); an unknown placeholder stays as written. The page's and the
/// notice's texts are filled by this one rule, in the sealer and in the
/// page's decryptor alike.
///
/// ```
/// use envelope_core::fill_placeholders;
/// assert_eq!(
///     fill_placeholders("{a} and {b}, not {c}", &[("a", "{b}"), ("b", "x")]),
///     "{b} and x, not {c}"
/// );
/// ```
pub fn fill_placeholders(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            values
                .iter()
                .find(|(name, _)| *name == &after[..close])
                .map(|(_, value)| (*value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text read from an envelope, with the invisible characters that reorder
/// what is shown around them (bidirectional embeddings, overrides and
/// isolates, U+202A–U+202E and U+2066–U+2069) made visible as
/// `\u{202e}`, so that `invoice\u{202e}fdp.exe` cannot show as
/// "invoiceexe.pdf". The page shows every header field, body and name
/// through it; `sealer open` escapes the same characters.
///
/// ```
/// use envelope_core::visible_bidi;
/// assert_eq!(visible_bidi("invoice\u{202e}fdp.exe"), "invoice\\u{202e}fdp.exe");
/// assert_eq!(visible_bidi("plain"), "plain");
/// ```
pub fn visible_bidi(text: &str) -> std::borrow::Cow<'_, str> {
    // The left-to-right and right-to-left marks stay: right-to-left text
    // needs them, and they move no letters.
    let reorders = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(reorders) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if reorders(c) {
            shown.extend(c.escape_unicode());
        } else {
            shown.push(c);
        }
    }
    std::borrow::Cow::Owned(shown)
}

/// Right-to-left overrides and friends can disguise "gpj.exe" as "exe.jpg".
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// Windows opens a device, not a file, for these names with any extension.
fn is_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").trim_end();
    let upper = stem.to_ascii_uppercase();
    matches!(
        upper.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || ((upper.starts_with("COM") || upper.starts_with("LPT"))
        && upper.len() == 4
        && upper[3..]
            .chars()
            .all(|c| c.is_ascii_digit() || "¹²³".contains(c)))
}

#[cfg(test)]
mod tests {
    use super::{human_size, safe_file_name};

    #[test]
    fn hostile_names_become_plain_file_names() {
        for (name, safe) in [
            ("results.pdf", "results.pdf"),
            ("../../../etc/passwd", "passwd"),
            ("/etc/shadow", "shadow"),
            ("..\\..\\boot.ini", "boot.ini"),
            ("a/b/", "attachment"),
            ("", "attachment"),
            (".bashrc", "bashrc"),
            ("  spaced  ", "spaced"),
            ("new\nline\t.txt", "new_line_.txt"),
            ("q?u*o<t>e|s:\".txt", "q_u_o_t_e_s__.txt"),
            ("invoice\u{202e}fdp.exe", "invoice_fdp.exe"),
            ("con", "_con"),
            ("Com1.txt", "_Com1.txt"),
            ("lpt9.tar.gz", "_lpt9.tar.gz"),
            ("console.log", "console.log"),
            ("COM10", "COM10"),
            ("Zoë – Befund.pdf", "Zoë – Befund.pdf"),
            (
                "<img src=x onerror=alert(1)>.png",
                "_img src=x onerror=alert(1)_.png",
            ),
        ] {
            assert_eq!(safe_file_name(name), safe, "{name:?}");
        }
        assert_eq!(safe_file_name(&"x".repeat(500)).chars().count(), 200);
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(0), "0 bytes");
        assert_eq!(human_size(1), "1 byte");
        assert_eq!(human_size(999), "999 bytes");
        assert_eq!(human_size(2400), "2.4 KB");
        assert_eq!(human_size(18_874_368), "18.9 MB");
        assert_eq!(human_size(3_000_000_000), "3.0 GB");
    }
}
