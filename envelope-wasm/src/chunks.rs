//! The payload: base64 blocks in the page → AES-GCM (WebCrypto, or the WASM
//! fallback) → plaintext chunks kept in JavaScript memory.
//!
//! Bulk bytes pass through WebAssembly memory one chunk at a time (it never
//! shrinks, so it must never hold the whole payload); the plaintext lives in
//! JavaScript `Uint8Array`s, from which downloads are built as Blobs.

use base64::Engine;
use envelope_core::{
    ENCRYPTED_CHUNK_SIZE, Error, PayloadCipher, PayloadKey, PayloadLayout, chunk_nonce,
};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, Blob, CryptoKey, SubtleCrypto};

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

/// Where the encrypted chunks come from.
pub(crate) enum Chunks<'a> {
    /// The page's base64 blocks (their text, as JavaScript strings).
    Blocks(&'a [JsValue]),
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
    fn get(&self, index: usize, scratch: &mut Vec<u8>) -> Result<Uint8Array, Error> {
        match self {
            Chunks::Blocks(blocks) => {
                let text = &blocks[index];
                if let Some(bytes) = browser_base64(text) {
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

/// `Uint8Array.fromBase64(text)` (which skips whitespace), if the browser
/// has it and the text is valid.
fn browser_base64(text: &JsValue) -> Option<Uint8Array> {
    let constructor = js_sys::Reflect::get(&js_sys::global(), &"Uint8Array".into()).ok()?;
    let from_base64 = js_sys::Reflect::get(&constructor, &"fromBase64".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    from_base64.call1(&constructor, text).ok()?.dyn_into().ok()
}

/// Decrypts every chunk. With WebCrypto all chunks are submitted at once
/// (the browser decrypts them off the main thread) and collected in order.
pub(crate) async fn decrypt_all(aes: &Aes, source: Chunks<'_>) -> Result<Plaintext, Error> {
    let count = source.count() as u64;
    if count == 0 {
        return Err(Error::Damaged("the payload is missing".into()));
    }
    let mut scratch = Vec::new();
    let mut total = 0u64;
    let mut pending = Vec::with_capacity(source.count());
    let mut chunks = Vec::with_capacity(source.count());
    for index in 0..count {
        let encrypted = source.get(index as usize, &mut scratch)?;
        let len = encrypted.length() as usize;
        let last = index + 1 == count;
        if !last && len != ENCRYPTED_CHUNK_SIZE {
            return Err(Error::Damaged(
                format!("payload chunk {index} has the wrong length").into(),
            ));
        }
        total += len as u64;
        if last {
            // The format's rules for the final chunk and the chunk count.
            let layout = PayloadLayout::from_encrypted_len(total)?;
            if layout.chunks != count {
                return Err(Error::Damaged("the payload's chunks do not add up".into()));
            }
        }
        let nonce = chunk_nonce(index, last);
        match aes {
            Aes::WebCrypto { subtle, key } => {
                let params = AesGcmParams::new("AES-GCM", &Uint8Array::from(&nonce[..]));
                let promise = subtle
                    .decrypt_with_object_and_js_u8_array(&params, key, &encrypted)
                    .map_err(|_| chunk_failed(index))?;
                pending.push(JsFuture::from(promise));
            }
            Aes::Wasm(cipher) => {
                let mut buffer = encrypted.to_vec();
                cipher.open_chunk(index, last, &mut buffer)?;
                chunks.push(Uint8Array::from(&buffer[..]));
            }
        }
    }
    for (index, future) in (0u64..).zip(pending) {
        let plain = future.await.map_err(|_| chunk_failed(index))?;
        chunks.push(Uint8Array::new(&plain));
    }
    Ok(Plaintext::new(chunks))
}

fn chunk_failed(index: u64) -> Error {
    Error::Damaged(format!("payload chunk {index} failed authentication").into())
}

/// The decrypted content, as JavaScript arrays of (at most) one chunk each.
pub(crate) struct Plaintext {
    chunks: Vec<Uint8Array>,
    /// Content offset of each chunk's first byte.
    starts: Vec<u64>,
    len: u64,
}

impl Plaintext {
    fn new(chunks: Vec<Uint8Array>) -> Self {
        let mut starts = Vec::with_capacity(chunks.len());
        let mut len = 0u64;
        for chunk in &chunks {
            starts.push(len);
            len += u64::from(chunk.length());
        }
        Plaintext {
            chunks,
            starts,
            len,
        }
    }

    /// Total content length.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Views (no copies) of the content bytes `[start, start + len)`, in
    /// order. The caller ensures the range lies within the content.
    pub(crate) fn views(&self, start: u64, len: u64) -> Vec<Uint8Array> {
        let end = start + len;
        let first = self
            .starts
            .partition_point(|&s| s <= start)
            .saturating_sub(1);
        let mut views = Vec::new();
        for (chunk, &chunk_start) in self.chunks.iter().zip(&self.starts).skip(first) {
            let chunk_end = chunk_start + u64::from(chunk.length());
            if chunk_start >= end {
                break;
            }
            let from = start.max(chunk_start) - chunk_start;
            let to = end.min(chunk_end) - chunk_start;
            if to > from {
                views.push(chunk.subarray(from as u32, to as u32));
            }
        }
        views
    }

    /// Copies content bytes `[start, start + len)` into WebAssembly memory.
    /// For the small structures only (manifest, trailer, bodies).
    pub(crate) fn copy(&self, start: u64, len: u64) -> Vec<u8> {
        let mut out = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        for view in self.views(start, len) {
            out.extend_from_slice(&view.to_vec());
        }
        out
    }

    /// SHA-256 of content bytes `[start, start + len)`: the browser's when
    /// `subtle` is given (native speed, off the WebAssembly heap), else
    /// computed here.
    pub(crate) async fn sha256(
        &self,
        start: u64,
        len: u64,
        subtle: Option<&SubtleCrypto>,
    ) -> Result<[u8; 32], Error> {
        let failed = || Error::Damaged("a part could not be hashed".into());
        let Some(subtle) = subtle else {
            use sha2::Digest;
            let mut hasher = sha2::Sha256::new();
            self.stream(start, len, |piece| hasher.update(piece));
            return Ok(hasher.finalize().into());
        };
        let parts: Array = self.views(start, len).into_iter().collect();
        let blob = Blob::new_with_u8_array_sequence(&parts).map_err(|_| failed())?;
        let buffer = JsFuture::from(blob.array_buffer())
            .await
            .map_err(|_| failed())?;
        let promise = subtle
            .digest_with_str_and_buffer_source("SHA-256", &buffer.into())
            .map_err(|_| failed())?;
        let digest = JsFuture::from(promise).await.map_err(|_| failed())?;
        Uint8Array::new(&digest)
            .to_vec()
            .try_into()
            .map_err(|_| failed())
    }

    /// Feeds content bytes `[start, start + len)` to `sink` through one
    /// reused buffer of at most one chunk.
    pub(crate) fn stream(&self, start: u64, len: u64, mut sink: impl FnMut(&[u8])) {
        let mut buf = Vec::new();
        for view in self.views(start, len) {
            buf.resize(view.length() as usize, 0);
            view.copy_to(&mut buf);
            sink(&buf);
        }
    }
}
