//! The payload: base64 blocks in the page → encrypted chunks (`decode`) →
//! AES-GCM, WebCrypto or the WASM fallback (`decrypt`) → one plaintext array
//! kept in JavaScript memory.
//!
//! Bulk bytes pass through WebAssembly memory at most one chunk at a time
//! (its memory never shrinks, so it must never hold the whole payload); the
//! plaintext lives in a JavaScript `Uint8Array`, from which downloads are
//! built as Blobs.

use base64::Engine;
use envelope_core::limits::{CHUNK_SIZE, TAG_SIZE};
use envelope_core::{
    ENCRYPTED_CHUNK_SIZE, Error, PayloadCipher, PayloadKey, PayloadLayout, chunk_nonce,
};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, CryptoKey, Element, SubtleCrypto};

use crate::progress::Progress;

/// How chunks are decrypted.
pub(crate) enum Aes {
    /// The browser's AES-GCM (`crypto.subtle`), about 10× the WASM speed.
    WebCrypto {
        subtle: SubtleCrypto,
        key: CryptoKey,
    },
    /// envelope-core's own AES-GCM, when `crypto.subtle` is missing (an
    /// insecure context or an old browser).
    Wasm(Box<PayloadCipher>),
}

impl Aes {
    /// WebCrypto when the page has it (unless `force_wasm`), else WASM.
    pub(crate) async fn new(key: &PayloadKey, force_wasm: bool) -> Self {
        if let Some(subtle) = subtle_crypto().filter(|_| !force_wasm)
            && let Ok(imported) = import_key(&subtle, key).await
        {
            return Aes::WebCrypto {
                subtle,
                key: imported,
            };
        }
        Aes::Wasm(Box::new(key.cipher()))
    }

    /// The name shown in measurements and tests.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Aes::WebCrypto { .. } => "webcrypto",
            Aes::Wasm(_) => "wasm",
        }
    }

    /// The browser's SHA-256, when WebCrypto is in use.
    pub(crate) fn subtle(&self) -> Option<&SubtleCrypto> {
        match self {
            Aes::WebCrypto { subtle, .. } => Some(subtle),
            Aes::Wasm(_) => None,
        }
    }
}

fn subtle_crypto() -> Option<SubtleCrypto> {
    let crypto = web_sys::window()?.crypto().ok()?;
    let subtle = js_sys::Reflect::get(&crypto, &JsValue::from_str("subtle")).ok()?;
    subtle.dyn_into::<SubtleCrypto>().ok()
}

async fn import_key(subtle: &SubtleCrypto, key: &PayloadKey) -> Result<CryptoKey, JsValue> {
    let raw = Uint8Array::from(&key.expose_bytes()[..]);
    let usages = Array::of1(&JsValue::from_str("decrypt"));
    let promise = subtle.import_key_with_str("raw", &raw, "AES-GCM", false, &usages)?;
    let key = JsFuture::from(promise).await;
    // Wipe the JavaScript copy of the raw key; the CryptoKey is opaque.
    raw.fill(0, 0, 32);
    key?.dyn_into::<CryptoKey>()
}

/// Decodes one base64 block (line breaks allowed) into `out`.
pub(crate) fn decode_block(text: &str, out: &mut Vec<u8>) -> Result<(), Error> {
    let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    out.clear();
    base64::engine::general_purpose::STANDARD
        .decode_vec(&compact, out)
        .map_err(|_| Error::Damaged("the envelope's data is not valid base64".into()))
}

/// The most payload a page opens: 1 GiB in 16,384 chunks. Everything the
/// page decrypts is held in the tab (its base64 text, the encrypted chunks
/// while they are decrypted, the plaintext), so far more would exhaust a
/// browser; such an envelope is refused before the key is derived.
pub(crate) const PAGE_MAX_CHUNKS: usize = 16 * 1024;

/// Refuses a payload of `chunks` chunks that the page will not hold.
pub(crate) fn check_page_limit(chunks: usize) -> Result<(), Error> {
    if chunks > PAGE_MAX_CHUNKS {
        return Err(Error::LimitExceeded {
            what: "payload chunks a browser page opens",
            limit: PAGE_MAX_CHUNKS as u64,
            found: chunks as u64,
        });
    }
    Ok(())
}

/// Where the encrypted chunks come from.
pub(crate) enum Chunks<'a> {
    /// The page's base64 blocks.
    Blocks(&'a [Element]),
    /// The raw payload (everything after the header).
    Bytes(&'a [u8]),
}

impl Chunks<'_> {
    fn count(&self) -> usize {
        match self {
            Chunks::Blocks(blocks) => blocks.len(),
            Chunks::Bytes(bytes) => bytes.len().div_ceil(ENCRYPTED_CHUNK_SIZE),
        }
    }

    /// Encrypted chunk `index` as a JavaScript array. Base64 is decoded by
    /// the browser (`Uint8Array.fromBase64`) where it can, so the bulk bytes
    /// never pass through WebAssembly; else here, through `scratch`.
    fn get(
        &self,
        index: usize,
        browser: Option<&BrowserBase64>,
        scratch: &mut Vec<u8>,
    ) -> Result<Uint8Array, Error> {
        match self {
            Chunks::Blocks(blocks) => {
                // The text stays a JavaScript string (no copy through
                // WebAssembly) where the browser can decode it.
                let text =
                    js_sys::Reflect::get(&blocks[index], &"textContent".into()).unwrap_or_default();
                if let Some(bytes) = browser.and_then(|browser| browser.decode(&text)) {
                    return Ok(bytes);
                }
                decode_block(&text.as_string().unwrap_or_default(), scratch)?;
                Ok(Uint8Array::from(&scratch[..]))
            }
            Chunks::Bytes(bytes) => Ok(Uint8Array::from(
                bytes
                    .chunks(ENCRYPTED_CHUNK_SIZE)
                    .nth(index)
                    .unwrap_or_default(),
            )),
        }
    }
}

/// The browser's `Uint8Array.fromBase64(text, { lastChunkHandling:
/// "strict" })` (which skips ASCII white space), looked up once for all the
/// chunks. Strict, as [`decode_block`] and `sealer open` are: padding
/// required, no stray bits, so that no block reads one way here and another
/// there.
struct BrowserBase64 {
    constructor: JsValue,
    from_base64: js_sys::Function,
    options: js_sys::Object,
}

impl BrowserBase64 {
    /// The browser's decoder, if it has one.
    fn find() -> Option<Self> {
        let constructor = js_sys::Reflect::get(&js_sys::global(), &"Uint8Array".into()).ok()?;
        let from_base64 = js_sys::Reflect::get(&constructor, &"fromBase64".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"lastChunkHandling".into(), &"strict".into()).ok()?;
        Some(BrowserBase64 {
            constructor,
            from_base64,
            options,
        })
    }

    /// The bytes of `text`, or `None` when it is not valid (which the
    /// caller's own decoder then reports).
    fn decode(&self, text: &JsValue) -> Option<Uint8Array> {
        self.from_base64
            .call2(&self.constructor, text, &self.options)
            .ok()?
            .dyn_into()
            .ok()
    }
}

/// How many chunks WebCrypto decrypts at once while the next ones are
/// decoded: enough to keep the browser's crypto threads busy, few enough
/// that the encrypted copies held at a time stay small (32 × 64 KiB).
const IN_FLIGHT: usize = 32;

/// Decodes and decrypts every chunk into one contiguous plaintext (the
/// measured `decrypt` step), telling `progress`. The last chunk is read
/// first: its length gives the payload's layout (every chunk full but the
/// last; the final chunk's rules), and so the plaintext's size, before
/// anything is decrypted. Then each chunk is decoded and handed to the
/// decryption while [`IN_FLIGHT`] earlier ones are decrypted (WebCrypto,
/// off the page's thread) and collected in order; the WASM fallback takes
/// them one by one. No more than that many encrypted chunks are held.
pub(crate) async fn open_chunks(
    source: Chunks<'_>,
    aes: &Aes,
    mut progress: Option<&mut Progress<'_>>,
) -> Result<Plaintext, Error> {
    let count = source.count();
    check_page_limit(count)?;
    let Some(last_index) = count.checked_sub(1) else {
        return Err(Error::Damaged("the payload has no chunk".into()));
    };
    let mut scratch = Vec::new();
    let browser = BrowserBase64::find();
    let browser = browser.as_ref();
    let last = source.get(last_index, browser, &mut scratch)?;
    let encrypted_len = last_index as u64 * ENCRYPTED_CHUNK_SIZE as u64 + u64::from(last.length());
    let layout = PayloadLayout::from_encrypted_len(encrypted_len)?;
    if layout.chunks != count as u64 {
        return Err(Error::Damaged("the payload's chunks do not add up".into()));
    }
    let count = layout.chunks;
    let content_len = (count - 1) * CHUNK_SIZE as u64 + (layout.last_chunk_len - TAG_SIZE) as u64;
    let content = Plaintext::allocate(content_len)?;
    let mut last = Some(last);
    let mut next_chunk = |index: u64, scratch: &mut Vec<u8>| -> Result<Uint8Array, Error> {
        if index + 1 == count {
            return last
                .take()
                .ok_or_else(|| Error::Damaged("the payload's chunks do not add up".into()));
        }
        let chunk = source.get(index as usize, browser, scratch)?;
        if chunk.length() as usize != ENCRYPTED_CHUNK_SIZE {
            return Err(Error::Damaged(
                format!("payload chunk {index} has the wrong length").into(),
            ));
        }
        Ok(chunk)
    };
    let mut offset = 0u32;
    match aes {
        Aes::WebCrypto { subtle, key } => {
            let mut pending = std::collections::VecDeque::with_capacity(IN_FLIGHT);
            for index in 0..count {
                let encrypted = next_chunk(index, &mut scratch)?;
                let nonce = chunk_nonce(index, index + 1 == count);
                let params = AesGcmParams::new("AES-GCM", &Uint8Array::from(&nonce[..]));
                let promise = subtle
                    .decrypt_with_object_and_js_u8_array(&params, key, &encrypted)
                    .map_err(|_| chunk_failed(index))?;
                pending.push_back((index, JsFuture::from(promise)));
                // Full, or nothing left to hand over: collect in order.
                while pending.len() >= IN_FLIGHT || (index + 1 == count && !pending.is_empty()) {
                    let Some((done, future)) = pending.pop_front() else {
                        break;
                    };
                    let plain = Uint8Array::new(&future.await.map_err(|_| chunk_failed(done))?);
                    content.bytes.set(&plain, offset);
                    offset += plain.length();
                    if let Some(progress) = progress.as_deref_mut() {
                        progress.decrypting(done + 1, count);
                        progress.paint_if_due().await;
                    }
                }
            }
        }
        Aes::Wasm(cipher) => {
            let mut buffer = Vec::with_capacity(ENCRYPTED_CHUNK_SIZE);
            for index in 0..count {
                let encrypted = next_chunk(index, &mut scratch)?;
                buffer.resize(encrypted.length() as usize, 0);
                encrypted.copy_to(&mut buffer);
                drop(encrypted);
                cipher.open_chunk(index, index + 1 == count, &mut buffer)?;
                let end = offset + buffer.len() as u32;
                content.bytes.subarray(offset, end).copy_from(&buffer);
                offset = end;
                if let Some(progress) = progress.as_deref_mut() {
                    progress.decrypting(index + 1, count);
                    progress.paint_if_due().await;
                }
            }
        }
    }
    if u64::from(offset) != content_len {
        return Err(Error::Damaged("the payload's chunks do not add up".into()));
    }
    Ok(content)
}

fn chunk_failed(index: u64) -> Error {
    Error::Damaged(format!("payload chunk {index} failed authentication").into())
}

/// The decrypted content: one JavaScript array, outside WebAssembly memory.
/// Offsets fit in `u32` because the page refuses payloads over
/// [`PAGE_MAX_CHUNKS`].
pub(crate) struct Plaintext {
    bytes: Uint8Array,
}

impl Plaintext {
    /// A zeroed array of `len` bytes, or a limit error when the browser
    /// cannot allocate it.
    fn allocate(len: u64) -> Result<Self, Error> {
        let too_big = || Error::LimitExceeded {
            what: "decrypted bytes this browser could hold",
            limit: PAGE_MAX_CHUNKS as u64 * CHUNK_SIZE as u64,
            found: len,
        };
        let len = u32::try_from(len).map_err(|_| too_big())?;
        let constructor = js_sys::Reflect::get(&js_sys::global(), &"Uint8Array".into())
            .ok()
            .and_then(|c| c.dyn_into::<js_sys::Function>().ok())
            .ok_or_else(too_big)?;
        let bytes = js_sys::Reflect::construct(&constructor, &Array::of1(&len.into()))
            .ok()
            .and_then(|array| array.dyn_into::<Uint8Array>().ok())
            .ok_or_else(too_big)?;
        Ok(Plaintext { bytes })
    }

    /// Total content length.
    pub(crate) fn len(&self) -> u64 {
        u64::from(self.bytes.length())
    }

    /// A view (no copy) of content bytes `[start, start + len)`. The caller
    /// ensures the range lies within the content.
    pub(crate) fn view(&self, start: u64, len: u64) -> Uint8Array {
        let start = start.min(self.len());
        let end = (start + len).min(self.len());
        // Both are at most `self.len()`, a u32.
        self.bytes.subarray(start as u32, end as u32)
    }

    /// Copies content bytes `[start, start + len)` into WebAssembly memory.
    /// For the small structures only (manifest, trailer, bodies).
    pub(crate) fn copy(&self, start: u64, len: u64) -> Vec<u8> {
        self.view(start, len).to_vec()
    }

    /// Starts the SHA-256 of content bytes `[start, start + len)`: the
    /// browser's when `subtle` is given (native speed, off the main thread),
    /// else computed here when the digest is collected.
    pub(crate) fn sha256(&self, start: u64, len: u64, subtle: Option<&SubtleCrypto>) -> Digest {
        let view = self.view(start, len);
        match subtle.map(|subtle| subtle.digest_with_str_and_js_u8_array("SHA-256", &view)) {
            Some(Ok(promise)) => Digest::Pending(JsFuture::from(promise)),
            Some(Err(_)) => Digest::Failed,
            None => Digest::Here(view),
        }
    }
}

/// A part's SHA-256, in progress.
pub(crate) enum Digest {
    /// WebCrypto is computing it.
    Pending(JsFuture),
    /// To compute in WebAssembly, one chunk-sized piece at a time.
    Here(Uint8Array),
    /// WebCrypto refused to start.
    Failed,
}

impl Digest {
    /// The digest.
    pub(crate) async fn finish(self) -> Result<[u8; 32], Error> {
        let failed = || Error::Damaged("a part could not be hashed".into());
        match self {
            Digest::Pending(future) => {
                let digest = future.await.map_err(|_| failed())?;
                Uint8Array::new(&digest)
                    .to_vec()
                    .try_into()
                    .map_err(|_| failed())
            }
            Digest::Here(view) => {
                use sha2::Digest as _;
                let mut hasher = sha2::Sha256::new();
                let mut buffer = vec![0; CHUNK_SIZE];
                let mut at = 0u32;
                while at < view.length() {
                    let end = view.length().min(at + CHUNK_SIZE as u32);
                    let piece = &mut buffer[..(end - at) as usize];
                    view.subarray(at, end).copy_to(piece);
                    hasher.update(piece);
                    at = end;
                }
                Ok(hasher.finalize().into())
            }
            Digest::Failed => Err(failed()),
        }
    }
}
