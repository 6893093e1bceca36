//! The content, checked: verification shared by the page and the opener
//! site, and the `openEnvelope` function exported to JavaScript (which the
//! browser tests use to run every test vector through exactly this code).

use envelope_core::{
    ContentLayout, Error, Header, PartKind, Passphrase, PayloadKey, Receipt, SignatureCheck,
};
use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::chunks::{self, Aes, Chunks, Plaintext};

/// The content, checked: manifest, bodies as text, every part's digest.
pub(crate) struct Verified {
    pub(crate) layout: ContentLayout,
    pub(crate) text: String,
    pub(crate) html: Option<String>,
    /// The sender signature, checked, if the envelope is signed.
    pub(crate) signature: Option<SignatureCheck>,
}

pub(crate) async fn verify(
    plaintext: &Plaintext,
    aes: &Aes,
    header: &Header,
) -> Result<Verified, Error> {
    if plaintext.len() < 4 {
        return Err(Error::Damaged("the content is too short".into()));
    }
    let prefix: [u8; 4] = plaintext
        .copy(0, 4)
        .try_into()
        .map_err(|_| Error::Damaged("the content is too short".into()))?;
    let manifest_len = ContentLayout::manifest_len(prefix)? as u64;
    if 4 + manifest_len > plaintext.len() {
        return Err(Error::Damaged(
            "the content ends inside the manifest".into(),
        ));
    }
    let layout = ContentLayout::new(plaintext.len(), &plaintext.copy(4, manifest_len), header)?;
    let (trailer_start, trailer_len) = layout.trailer_range();
    let digests = layout.parse_trailer(&plaintext.copy(trailer_start, trailer_len))?;
    // All digests start at once: WebCrypto computes them in parallel.
    let pending: Vec<_> = layout
        .parts()
        .iter()
        .map(|&(kind, start, len)| (kind, plaintext.sha256(start, len, aes.subtle())))
        .collect();
    for (kind, digest) in pending {
        digests.check(kind, &digest.finish().await?)?;
    }
    let signature = digests.signature(header, &plaintext.copy(4, manifest_len))?;
    let body = |kind| -> Result<Option<String>, Error> {
        let Some((start, len)) = layout.part(kind) else {
            return Ok(None);
        };
        String::from_utf8(plaintext.copy(start, len))
            .map(Some)
            .map_err(|_| Error::Damaged("a message body is not valid UTF-8".into()))
    };
    let text = body(PartKind::TextBody)?.unwrap_or_default();
    let html = body(PartKind::HtmlBody)?;
    Ok(Verified {
        layout,
        text,
        html,
        signature,
    })
}

/// Opens a whole envelope (its raw bytes) with the page's code path and
/// returns a JSON summary: `{"result": "success", "opened_slot", "from",
/// "to", "cc", "subject", "date", "text_body", "html_body", "attachments":
/// [{"name", "media_type", "size", "sha256"}]}` (and `original_headers`,
/// `signature`, `receipt`, `reply_request`, `in_reply_to`, `virus_scan` where the
/// envelope has them), or `{"result": "<error
/// kind>", "message"}` as in the test-vector files. The passphrase is
/// normalised to NFC by the browser; `wasm_aes` forces the WASM AES-GCM.
#[allow(unreachable_pub)] // exported to JavaScript by wasm-bindgen
#[wasm_bindgen(js_name = openEnvelope)]
pub async fn open_envelope(bytes: Uint8Array, passphrase: String, wasm_aes: bool) -> String {
    let bytes = bytes.to_vec();
    match open_bytes(&bytes, passphrase, wasm_aes).await {
        Ok(summary) => summary,
        Err(err) => format!(
            "{{\"result\":{},\"message\":{}}}",
            json_string(err.kind().name()),
            json_string(&err.to_string())
        ),
    }
}

async fn open_bytes(bytes: &[u8], passphrase: String, wasm_aes: bool) -> Result<String, Error> {
    let passphrase =
        Passphrase::from_nfc(String::from(JsString::from(passphrase).normalize("NFC")));
    let header = Header::read_from(&mut &bytes[..])?;
    header.check_not_expired(crate::app::now())?;
    let key = PayloadKey::unlock(&header, &passphrase)?;
    let receipt_code = key.receipt_code();
    let aes = Aes::new(&key, wasm_aes).await;
    let plaintext = chunks::open_chunks(Chunks::Bytes(&bytes[header.len()..]), &aes, None).await?;
    let verified = verify(&plaintext, &aes, &header).await?;
    let manifest = verified.layout.manifest();
    let list = |items: &[String]| {
        let inner: Vec<String> = items.iter().map(|s| json_string(s)).collect();
        format!("[{}]", inner.join(","))
    };
    let mut attachments = Vec::new();
    for (index, info) in manifest.attachments.iter().enumerate() {
        let (start, len) = verified
            .layout
            .part(PartKind::Attachment(index))
            .ok_or_else(|| Error::Damaged("an attachment is missing".into()))?;
        let digest: String = plaintext
            .sha256(start, len, aes.subtle())
            .finish()
            .await?
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        attachments.push(format!(
            "{{\"name\":{},\"media_type\":{},\"size\":{},\"sha256\":{}}}",
            json_string(&info.name),
            json_string(&info.media_type),
            info.size,
            json_string(&digest)
        ));
    }
    // Only when signed, as the test vectors record it.
    let signature = match verified.signature {
        Some(SignatureCheck::Valid(signer)) => format!(
            ",\"signature\":{{\"signer\":{},\"valid\":true}}",
            json_string(&signer.to_text())
        ),
        Some(SignatureCheck::Invalid(signer)) => format!(
            ",\"signature\":{{\"signer\":{},\"valid\":false}}",
            json_string(&signer.to_text())
        ),
        None => String::new(),
    };
    // Only when asked for, as the test vectors record it.
    let receipt = Receipt::offered(manifest, receipt_code)
        .map(|receipt| {
            format!(
                ",\"receipt\":{{\"to\":{},\"code\":{}}}",
                json_string(&receipt.to),
                json_string(&receipt.code.to_string())
            )
        })
        .unwrap_or_default();
    // Only when the envelope asks for replies or is one, as the test
    // vectors record it.
    let reply_request = manifest
        .reply_request
        .as_ref()
        .map(|request| {
            let key = envelope_core::RecipientKey::from_bytes(request.key)
                .map(|key| key.to_text())
                .unwrap_or_default();
            format!(
                ",\"reply_request\":{{\"to\":{},\"key\":{},\"envelope\":{}}}",
                json_string(&request.to),
                json_string(&key),
                json_string(&hex(&request.envelope))
            )
        })
        .unwrap_or_default();
    let in_reply_to = manifest
        .in_reply_to
        .as_ref()
        .map(|id| format!(",\"in_reply_to\":{}", json_string(&hex(id))))
        .unwrap_or_default();
    // Only when the envelope records a scan, as the test vectors do.
    let virus_scan = manifest
        .virus_scan
        .as_ref()
        .map(|scan| format!(",\"virus_scan\":{}", virus_scan_json(scan)))
        .unwrap_or_default();
    // Only when there are some, as the test vectors record it.
    let original_headers = manifest
        .original_headers
        .as_deref()
        .map(|headers| format!(",\"original_headers\":{}", json_string(headers)))
        .unwrap_or_default();
    Ok(format!(
        "{{\"result\":\"success\",\"aes\":{},\"opened_slot\":{},\"from\":{},\"to\":{},\"cc\":{},\"subject\":{},\"date\":{},\"text_body\":{},\"html_body\":{},\"attachments\":[{}]{}}}",
        json_string(aes.name()),
        key.opened_slot(),
        json_string(&manifest.from),
        list(&manifest.to),
        list(&manifest.cc),
        json_string(&manifest.subject),
        json_string(&manifest.date.to_rfc3339()),
        json_string(&verified.text),
        verified
            .html
            .as_deref()
            .map_or_else(|| "null".to_owned(), json_string),
        attachments.join(","),
        original_headers + &signature + &receipt + &reply_request + &in_reply_to + &virus_scan
    ))
}

/// A virus-scan record as the test vectors spell it.
fn virus_scan_json(scan: &envelope_core::VirusScan) -> String {
    use envelope_core::{PartVerdict, ScanOutcome};
    let outcome = match scan.outcome {
        ScanOutcome::Scanned => "scanned",
        ScanOutcome::ScannerUnavailable => "scanner-unavailable",
    };
    let signatures = scan.signatures.map_or_else(
        || "null".to_owned(),
        |s| format!("{{\"version\":{},\"built_at\":{}}}", s.version, s.built_at),
    );
    let parts: Vec<String> = scan
        .parts
        .iter()
        .map(|part| {
            let verdict = match part.verdict {
                PartVerdict::NoThreatFound => "no-threat-found",
                PartVerdict::NotScanned => "not-scanned",
            };
            format!(
                "{{\"name\":{},\"verdict\":{}}}",
                json_string(&part.name),
                json_string(verdict)
            )
        })
        .collect();
    format!(
        "{{\"outcome\":{},\"scanner\":{},\"signatures\":{signatures},\"checked_at\":{},\"parts\":[{}]}}",
        json_string(outcome),
        json_string(&scan.scanner),
        scan.checked_at,
        parts.join(",")
    )
}

/// Lower-case hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
