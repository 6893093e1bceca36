// Starts the decryptor: checks for WebAssembly, decodes and inflates the
// embedded glue and module, runs the glue and instantiates the module from
// bytes (no fetch: the page works from file://).
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
      typeof ReadableStream !== "function" ||
      typeof Response !== "function") {
    say("error", "page.old_browser");
    return;
  }
  say("status", "page.loading");
  // The bytes of a block of base64 lines: the browser's own decoder where
  // there is one (it skips the line breaks).
  function decode(text) {
    if (typeof Uint8Array.fromBase64 === "function") {
      return Uint8Array.fromBase64(text);
    }
    var binary = atob(text.replace(/\s+/g, ""));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }
  // A block's bytes inflated by the browser, which also checks the zlib
  // stream's checksum. Whatever fails (a missing block, bad base64, a
  // broken stream) fails the promise, which says so. The bytes go in as
  // one chunk of a stream made here: a Blob's stream took Chromium 40 to
  // 70 ms more to deliver.
  function inflate(id) {
    return Promise.resolve().then(function () {
      var bytes = decode(document.getElementById(id).textContent);
      return new Response(new ReadableStream({
        start: function (controller) {
          controller.enqueue(bytes);
          controller.close();
        }
      }).pipeThrough(new DecompressionStream("deflate")));
    });
  }
  // The glue (the module's JavaScript side), carried deflated in a data
  // block, or as a script that has run already (an organisation's template
  // from before the glue was deflated). Inflated, it runs as an inline
  // script after a line break, which makes it the very text whose hash the
  // page's policy lists, at the end of <head>, where it changes nothing the
  // decryptor reads in <body> (a reply's page copies the elements around
  // the block); the Worker that derives the key is made of the same text
  // (window.envelopeDecryptorGlue).
  var glueBlock = document.getElementById("decryptor-js");
  var glue = glueBlock && glueBlock.type === "application/octet-stream" ?
    inflate("decryptor-js").then(function (response) {
      return response.text();
    }).then(function (text) {
      var script = document.createElement("script");
      script.text = "\n" + text;
      document.head.appendChild(script);
      return script.text;
    }) :
    Promise.resolve(glueBlock ? glueBlock.text : "");
  // The module is carried deflated (a zlib stream) too.
  var module = inflate("decryptor-wasm").then(function (response) {
    return response.arrayBuffer();
  });
  Promise.all([glue, module]).then(function (both) {
    window.envelopeDecryptorGlue = both[0];
    // The decryptor's exports (openEnvelope), for tools and tests.
    window.envelopeDecryptor = wasm_bindgen;
    // The module's bytes, which the opener site names by their SHA-256.
    window.envelopeDecryptorModule = new Uint8Array(both[1]);
    return wasm_bindgen({ module_or_path: both[1] });
  }).catch(function (error) {
    document.getElementById("status").textContent = "";
    say("error", "error.unexpected", String(error));
  });
})();
