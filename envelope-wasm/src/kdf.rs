//! Argon2id off the page's thread: a Worker made from the decryptor's own
//! code runs the derivation, so the page stays responsive, and is then
//! terminated, so its 64 MiB of WebAssembly memory goes back to the system
//! (the memory of the page's own module never shrinks).
//!
//! The Worker is built from the page's glue script as the loader ran it
//! (`window.envelopeDecryptorGlue`; a `blob:` URL, which
//! the page's CSP allows as `worker-src` and nothing else) and given the
//! page's own compiled module (`wasm_bindgen::module()`: nothing is decoded
//! or compiled again) as soon as the page is ready, so it is instantiated
//! and warmed up while the recipient types; each Worker derives once. Where a browser refuses it,
//! the derivation runs on the page's thread after the status line has been
//! painted.

use envelope_core::{Error, Header, KdfParams, Passphrase, PassphraseKey, SALT_LEN};
use std::cell::RefCell;

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker};

/// Where the derivation ran, for the page's `data-kdf` attribute.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Worker,
    Page,
}

impl Place {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Place::Worker => "worker",
            Place::Page => "page",
        }
    }
}

/// The Worker's message handler, appended to the glue script. First
/// `{wasm, warm}` (instantiate the page's compiled module and warm it up;
/// answered `{ready}`),
/// then one job
/// `{passphrase, salt, m, t, p}`, answered `{key}`; failures `{error}`.
const WORKER_SCRIPT: &str = r#"
onmessage = async (event) => {
  const job = event.data;
  try {
    if (job.wasm) {
      await wasm_bindgen({ module_or_path: job.wasm });
      if (job.warm) {
        // One cheap pass (t = 1) with the envelope's memory cost: the
        // engine optimises the hot code and the memory is mapped before the
        // real derivation, which then runs at full speed.
        wasm_bindgen.derivePassphraseKey("", job.warm.salt, job.warm.m, 1, job.warm.p);
      }
      postMessage({ ready: true });
      return;
    }
    const key = wasm_bindgen.derivePassphraseKey(job.passphrase, job.salt, job.m, job.t, job.p);
    postMessage({ key: key }, [key.buffer]);
  } catch (error) {
    postMessage({ error: String(error) });
  }
};
"#;

/// The Worker's entry point: Argon2id for an NFC-normalised passphrase.
/// Returns the 32-byte key. Parameters over the caps are refused.
#[allow(unreachable_pub)] // exported to JavaScript by wasm-bindgen
#[wasm_bindgen(js_name = derivePassphraseKey)]
pub fn derive_passphrase_key(
    passphrase: String,
    salt: &[u8],
    m_kib: u32,
    t: u32,
    p: u32,
) -> Result<Vec<u8>, JsValue> {
    let salt: [u8; SALT_LEN] = salt
        .try_into()
        .map_err(|_| JsValue::from_str("the salt has the wrong length"))?;
    let params = KdfParams { m_kib, t, p };
    let key = PassphraseKey::derive(&params, &Passphrase::from_nfc(passphrase), &salt)
        .map_err(|err| JsValue::from_str(&err.to_string()))?;
    Ok(key.expose_bytes().to_vec())
}

thread_local! {
    /// The Worker started ahead of the next derivation.
    static WARM: RefCell<Option<KdfWorker>> = const { RefCell::new(None) };
}

/// Starts a Worker for the next derivation, so its module is compiled,
/// instantiated and warmed up with the envelope's cost while the recipient
/// types (when the page is ready, and again after a wrong passphrase).
/// `header` is the envelope's, when it could be read.
fn prepare(header: Option<&Header>) {
    let worker = KdfWorker::start(header);
    WARM.with(|warm| {
        if let Some(old) = warm.replace(worker) {
            old.end();
        }
    });
}

/// As `prepare`, in a task of its own after this one, so that the browser
/// paints the form (and the recipient can type) before it builds the
/// Worker: making its script and starting it held up the page's first
/// prompt by about 20 ms in Chromium. A derivation asked for before then
/// starts a Worker of its own.
pub(crate) fn prepare_soon(header: Option<&Header>) {
    let header = header.cloned();
    let later = Closure::once_into_js(move || prepare(header.as_ref()));
    if let Some(window) = web_sys::window() {
        // Were the timer refused, the derivation would start its Worker.
        let _ =
            window.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 0);
    }
}

/// Derives the passphrase key for `header`: in a Worker when the browser
/// allows it (unless `in_page` is asked for), else here.
pub(crate) async fn derive(
    header: &Header,
    passphrase: &Passphrase,
    in_page: bool,
) -> Result<(PassphraseKey, Place), Error> {
    let worker = WARM
        .with(|warm| warm.take())
        .or_else(|| KdfWorker::start(None));
    if let Some(mut worker) = worker {
        let key = if in_page {
            None
        } else {
            worker.derive(header, passphrase.expose()).await
        };
        worker.end();
        if let Some(key) = key {
            return Ok((key, Place::Worker));
        }
    }
    let key = PassphraseKey::derive(&header.kdf, passphrase, &header.salt)?;
    Ok((key, Place::Page))
}

/// A Worker running the decryptor's module, for one derivation.
pub(crate) struct KdfWorker {
    worker: Worker,
    url: String,
    /// Resolves when the module has started in the Worker (taken by the
    /// first derivation).
    ready: Option<JsFuture>,
}

impl KdfWorker {
    /// Starts the Worker and its module. `None` when the browser will not
    /// create one (the derivation then runs on the page).
    fn start(warm: Option<&Header>) -> Option<KdfWorker> {
        // The glue's text as the loader ran it (inflated from its block).
        let window = web_sys::window()?;
        let glue = Reflect::get(&window, &"envelopeDecryptorGlue".into())
            .ok()
            .filter(JsValue::is_string)?;
        let source = Array::of2(&glue, &JsValue::from_str(WORKER_SCRIPT));
        let options = BlobPropertyBag::new();
        options.set_type("text/javascript");
        let blob = Blob::new_with_str_sequence_and_options(&source, &options).ok()?;
        let url = Url::create_object_url_with_blob(&blob).ok()?;
        let Ok(worker) = Worker::new(&url) else {
            let _ = Url::revoke_object_url(&url);
            return None;
        };
        let ready = JsFuture::from(next_answer(&worker));
        let job = Object::new();
        let mut posted = Reflect::set(&job, &"wasm".into(), &wasm_bindgen::module());
        if let Some(header) = warm.filter(|h| h.kdf.check_caps().is_ok() && h.kdf.is_valid()) {
            let cost = Object::new();
            for (name, value) in [
                ("salt", Uint8Array::from(&header.salt[..]).into()),
                ("m", header.kdf.m_kib.into()),
                ("p", header.kdf.p.into()),
            ] {
                posted = posted.and_then(|_| Reflect::set(&cost, &name.into(), &value));
            }
            posted = posted.and_then(|_| Reflect::set(&job, &"warm".into(), &cost));
        }
        let posted = posted.and_then(|_| worker.post_message(&job));
        let started = KdfWorker {
            worker,
            url,
            ready: Some(ready),
        };
        match posted {
            Ok(()) => Some(started),
            Err(_) => {
                started.end();
                None
            }
        }
    }

    /// Runs one derivation. `None` when the Worker failed (it could not
    /// start its module, or the browser stopped it): the caller derives on
    /// the page instead, which reports any error in the usual way.
    async fn derive(&mut self, header: &Header, passphrase: &str) -> Option<PassphraseKey> {
        if let Some(ready) = self.ready.take() {
            let answer = message_data(ready.await.ok()?)?;
            Reflect::get(&answer, &"ready".into()).ok()?.as_bool()?;
        }
        let answer = JsFuture::from(next_answer(&self.worker));
        let job = Object::new();
        let set = |name: &str, value: &JsValue| Reflect::set(&job, &name.into(), value).ok();
        set("passphrase", &passphrase.into())?;
        set("salt", &Uint8Array::from(&header.salt[..]).into())?;
        set("m", &header.kdf.m_kib.into())?;
        set("t", &header.kdf.t.into())?;
        set("p", &header.kdf.p.into())?;
        self.worker.post_message(&job).ok()?;

        let answer = message_data(answer.await.ok()?)?;
        let key = Reflect::get(&answer, &"key".into())
            .ok()?
            .dyn_into::<Uint8Array>()
            .ok()?;
        let mut bytes = [0u8; 32];
        let whole = key.length() == 32;
        if whole {
            key.copy_to(&mut bytes);
        }
        // Wipe the JavaScript copy; the key's own copy is wiped on drop.
        key.fill(0, 0, key.length());
        whole.then(|| PassphraseKey::from_bytes(bytes))
    }

    /// Stops the Worker; its memory goes back to the system.
    fn end(self) {
        self.worker.terminate();
        let _ = Url::revoke_object_url(&self.url);
    }
}

/// A promise of the Worker's next message (its event), rejected when the
/// Worker fails (the browser refused it, or its script threw).
fn next_answer(worker: &Worker) -> Promise {
    Promise::new(&mut |resolve, reject| {
        worker.set_onmessage(Some(&resolve));
        worker.set_onerror(Some(&reject));
    })
}

/// The data of a message event.
fn message_data(event: JsValue) -> Option<JsValue> {
    event
        .dyn_into::<MessageEvent>()
        .ok()
        .map(|event| event.data())
}
