// Starts the decryptor: checks for WebAssembly, decodes the embedded module
// and instantiates it from bytes (no fetch: the page works from file://).
(function () {
  "use strict";
  function show(id, text) {
    var element = document.getElementById(id);
    if (text) { element.textContent = text; }
    element.hidden = false;
  }
  if (typeof WebAssembly !== "object" ||
      typeof WebAssembly.instantiate !== "function") {
    document.getElementById("status").textContent = "";
    show("nowasm");
    return;
  }
  var text = document.getElementById("decryptor-wasm").textContent;
  var binary = atob(text.replace(/\s+/g, ""));
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  // The decryptor's exports (openEnvelope), for tools and tests.
  window.envelopeDecryptor = wasm_bindgen;
  wasm_bindgen({ module_or_path: bytes }).catch(function (error) {
    document.getElementById("status").textContent = "";
    show("error", "The decryptor could not start (" + error +
      "). Save the file and open it in a current desktop browser.");
  });
})();
