// Starts the decryptor: checks for WebAssembly, decodes and inflates the
// embedded module and instantiates it from bytes (no fetch: the page works
// from file://).
// What it says comes from the page's texts block, in the page's language,
// and its advice block (what to do without WebAssembly).
(function () {
  "use strict";
  // A JSON block of texts, a long one as an array of pieces.
  function read(id) {
    var found = Object.create(null);
    try {
      var block = JSON.parse(document.getElementById(id).textContent);
      Object.keys(block).forEach(function (key) {
        var text = block[key];
        found[key] = Array.isArray(text) ? text.join("") : String(text);
      });
    } catch (ignored) {}
    return found;
  }
  var texts = read("page-texts");
  var advice = read("page-advice");
  function say(id, key, error) {
    var element = document.getElementById(id);
    var text = texts[key] || key;
    element.textContent = text.replace("{error}", function () {
      return error || "";
    });
    element.hidden = false;
  }
  if (typeof WebAssembly !== "object" ||
      typeof WebAssembly.instantiate !== "function") {
    if (advice.no_wasm) {
      texts.advice = advice.no_wasm;
      say("error", "advice");
    } else if (document.getElementById("opener")) {
      say("error", "opener.no_wasm");
    } else {
      say("error", "page.no_wasm");
    }
    return;
  }
  if (typeof DecompressionStream !== "function" ||
      typeof Response !== "function" || typeof Blob !== "function") {
    say("error", "page.old_browser");
    return;
  }
  say("status", "page.loading");
  // The module is carried deflated (a zlib stream): the browser inflates
  // it, and checks its checksum, before it is compiled.
  var text = document.getElementById("decryptor-wasm").textContent;
  var binary = atob(text.replace(/\s+/g, ""));
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  var inflated = new Blob([bytes]).stream()
    .pipeThrough(new DecompressionStream("deflate"));
  // The decryptor's exports (openEnvelope), for tools and tests.
  window.envelopeDecryptor = wasm_bindgen;
  new Response(inflated).arrayBuffer().then(function (module) {
    // The module's bytes, which the opener site names by their SHA-256.
    window.envelopeDecryptorModule = new Uint8Array(module);
    return wasm_bindgen({ module_or_path: module });
  }).catch(function (error) {
    document.getElementById("status").textContent = "";
    say("error", "error.unexpected", String(error));
  });
})();
