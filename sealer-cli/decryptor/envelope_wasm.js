let wasm_bindgen = (function(exports) {
let script_src;
if (typeof document !== 'undefined' && document.currentScript !== null) {
script_src = new URL(document.currentScript.src, location.href).toString();
}
function derivePassphraseKey(passphrase, salt, m_kib, t, p) {
const val3 = +m_kib;
const val4 = +t;
const val5 = +p;
let ptr0, len0, ptr1, len1;
try {
ptr0 = passStringToWasm0(passphrase, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
len0 = WASM_VECTOR_LEN;
ptr1 = passArray8ToWasm0(salt, wasm.__wbindgen_malloc);
len1 = WASM_VECTOR_LEN;
} catch (e) {
if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
throw e;
}
const ret = wasm.derivePassphraseKey(ptr0, len0, ptr1, len1, val3, val4,
val5);
if (ret[3]) {
throw takeFromExternrefTable0(ret[2]);
}
var v6 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
return v6;
}
exports.derivePassphraseKey = derivePassphraseKey;
function openEnvelope(bytes, passphrase, wasm_aes) {
const val2 = +wasm_aes;
const ptr0 = passStringToWasm0(passphrase, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len0 = WASM_VECTOR_LEN;
const ret = wasm.openEnvelope(bytes, ptr0, len0, val2);
return ret;
}
exports.openEnvelope = openEnvelope;
function start() {
wasm.start();
}
exports.start = start;
function __wbg_get_imports() {
const import0 = {
__proto__: null,
__wbg_Error_208446807d0d1e30: function(arg0, arg1) {
const ret = Error(getStringFromWasm0(arg0, arg1));
return ret;
},
__wbg___wbindgen_boolean_get_4f1baf9a00be3c74: function(arg0) {
const v = arg0;
const ret = typeof(v) === 'boolean' ? v : undefined;
return isLikeNone(ret) ? 0xFFFFFF : ret ? 1 : 0;
},
__wbg___wbindgen_is_function_741ff2bb612836f5: function(arg0) {
const ret = typeof(arg0) === 'function';
return ret;
},
__wbg___wbindgen_is_string_fc456fee5d3317de: function(arg0) {
const ret = typeof(arg0) === 'string';
return ret;
},
__wbg___wbindgen_is_undefined_be5b34249ff1fc15: function(arg0) {
const ret = arg0 === undefined;
return ret;
},
__wbg___wbindgen_module_2e98e71e8e96b4ac: function() {
const ret = wasmModule;
return ret;
},
__wbg___wbindgen_rethrow_d953c34c2e20677f: function(arg0) {
throw arg0;
},
__wbg___wbindgen_string_get_7ce8eee7fd327545: function(arg0, arg1) {
const obj = arg1;
const ret = typeof(obj) === 'string' ? obj : undefined;
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.
__wbindgen_malloc, wasm.__wbindgen_realloc);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
throw new Error(getStringFromWasm0(arg0, arg1));
},
__wbg__wbg_cb_unref_09736879a3f67559: function(arg0) {
arg0._wbg_cb_unref();
},
__wbg_addEventListener_847fd86b8c33ec43: function() { return handleError(
function (arg0, arg1, arg2, arg3) {
arg0.addEventListener(getStringFromWasm0(arg1, arg2), arg3);
}, arguments); },
__wbg_after_d06eb2ac2b119baf: function() { return handleError(function (
arg0, arg1) {
arg0.after(arg1);
}, arguments); },
__wbg_appendChild_dbf7ad2f48413560: function() { return handleError(
function (arg0, arg1) {
const ret = arg0.appendChild(arg1);
return ret;
}, arguments); },
__wbg_arrayBuffer_5abbcb61bd48f427: function(arg0) {
const ret = arg0.arrayBuffer();
return ret;
},
__wbg_baseURI_91b3569776be0d42: function() { return handleError(function (
arg0, arg1) {
const ret = arg1.baseURI;
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.
__wbindgen_malloc, wasm.__wbindgen_realloc);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
__wbg_before_d31332438b4f2366: function() { return handleError(function (
arg0, arg1) {
arg0.before(arg1);
}, arguments); },
__wbg_blob_00496e3276756b57: function() { return handleError(function (
arg0) {
const ret = arg0.blob();
return ret;
}, arguments); },
__wbg_body_5f971cbc6950ca4f: function(arg0) {
const ret = arg0.body;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_caches_6e2a2489d562284d: function() { return handleError(function (
arg0) {
const ret = arg0.caches;
return ret;
}, arguments); },
__wbg_call_a410eb4b59ed5965: function() { return handleError(function (arg0,
arg1, arg2) {
const ret = arg0.call(arg1, arg2);
return ret;
}, arguments); },
__wbg_call_fc92fee6137d452d: function() { return handleError(function (arg0,
arg1, arg2, arg3) {
const ret = arg0.call(arg1, arg2, arg3);
return ret;
}, arguments); },
__wbg_characterSet_813fa8142d072ed8: function(arg0, arg1) {
const ret = arg1.characterSet;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_click_c6eff13daacf9806: function(arg0) {
arg0.click();
},
__wbg_compareDocumentPosition_3d18385277202b3c: function(arg0, arg1) {
const ret = arg0.compareDocumentPosition(arg1);
return ret;
},
__wbg_compatMode_d88fe111f5a61dbf: function(arg0, arg1) {
const ret = arg1.compatMode;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_construct_8670bb4c2b062969: function() { return handleError(function (
arg0, arg1) {
const ret = Reflect.construct(arg0, arg1);
return ret;
}, arguments); },
__wbg_contentDocument_40ecd38af86856b1: function(arg0) {
const ret = arg0.contentDocument;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_createElement_de4a31ed2fb252be: function() { return handleError(
function (arg0, arg1, arg2) {
const ret = arg0.createElement(getStringFromWasm0(arg1, arg2));
return ret;
}, arguments); },
__wbg_createObjectURL_45693a1454d24dac: function() { return handleError(
function (arg0, arg1) {
const ret = URL.createObjectURL(arg1);
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
__wbg_createTextNode_2b48c3fc75dfcc67: function(arg0, arg1, arg2) {
const ret = arg0.createTextNode(getStringFromWasm0(arg1, arg2));
return ret;
},
__wbg_createTreeWalker_d8b4ce2824fc8d13: function() { return handleError(
function (arg0, arg1, arg2) {
const ret = arg0.createTreeWalker(arg1, arg2 >>> 0);
return ret;
}, arguments); },
__wbg_crypto_56d59c4d711676e1: function() { return handleError(function (
arg0) {
const ret = arg0.crypto;
return ret;
}, arguments); },
__wbg_cssRules_06e7a0725e76c3ae: function() { return handleError(function (
arg0) {
const ret = arg0.cssRules;
return ret;
}, arguments); },
__wbg_cssRules_848fdb8f53e77ae7: function(arg0) {
const ret = arg0.cssRules;
return ret;
},
__wbg_cssText_883affde46144bc2: function(arg0, arg1) {
const ret = arg1.cssText;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_dataTransfer_3f478a3e477952f6: function(arg0) {
const ret = arg0.dataTransfer;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_data_c7e5e8500f1bca2f: function(arg0) {
const ret = arg0.data;
return ret;
},
__wbg_decodeURIComponent_ccd4273738eaf684: function() { return handleError(
function (arg0, arg1) {
const ret = decodeURIComponent(getStringFromWasm0(arg0, arg1));
return ret;
}, arguments); },
__wbg_decode_32edd23d5230c74b: function() { return handleError(function (
arg0, arg1, arg2) {
const ret = arg1.decode(arg2);
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
__wbg_decrypt_5cecfb3466b06fd8: function() { return handleError(function (
arg0, arg1, arg2, arg3) {
const ret = arg0.decrypt(arg1, arg2, arg3);
return ret;
}, arguments); },
__wbg_deleteRule_3d7acd2a8f193489: function() { return handleError(
function (arg0, arg1) {
arg0.deleteRule(arg1 >>> 0);
}, arguments); },
__wbg_deleteRule_a0f7b85a7ba31d07: function() { return handleError(
function (arg0, arg1) {
arg0.deleteRule(arg1 >>> 0);
}, arguments); },
__wbg_delete_ce40311d4ec76b43: function(arg0, arg1, arg2) {
const ret = arg0.delete(getStringFromWasm0(arg1, arg2));
return ret;
},
__wbg_digest_7dae95a89a710980: function() { return handleError(function (
arg0, arg1, arg2, arg3) {
const ret = arg0.digest(getStringFromWasm0(arg1, arg2), arg3);
return ret;
}, arguments); },
__wbg_documentElement_5e44e37dd0181a81: function(arg0) {
const ret = arg0.documentElement;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_document_3b5c3071b43e97ee: function(arg0) {
const ret = arg0.document;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_encodeURIComponent_e0d7769acee2dcb5: function(arg0, arg1) {
const ret = encodeURIComponent(getStringFromWasm0(arg0, arg1));
return ret;
},
__wbg_files_2d8b9138ca028e2c: function(arg0) {
const ret = arg0.files;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_files_d7e65f35a3acc89f: function(arg0) {
const ret = arg0.files;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_fill_6ab2ffab47cad7ab: function(arg0, arg1, arg2, arg3) {
const ret = arg0.fill(arg1, arg2 >>> 0, arg3 >>> 0);
return ret;
},
__wbg_focus_d5e2fdbdb56416f0: function() { return handleError(function (
arg0) {
arg0.focus();
}, arguments); },
__wbg_format_c6403c60e5655919: function(arg0) {
const ret = arg0.format;
return ret;
},
__wbg_getAttributeNames_ec244c1f5044dcd7: function(arg0) {
const ret = arg0.getAttributeNames();
return ret;
},
__wbg_getAttribute_c7b80d4010284561: function(arg0, arg1, arg2, arg3) {
const ret = arg1.getAttribute(getStringFromWasm0(arg2, arg3));
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.
__wbindgen_malloc, wasm.__wbindgen_realloc);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_getCanonicalLocales_594b20119b63ef07: function() { return handleError(
function (arg0, arg1) {
const ret = Intl.getCanonicalLocales(getStringFromWasm0(arg0, arg1));
return ret;
}, arguments); },
__wbg_getDate_a44b5f4a8c42a3c3: function(arg0) {
const ret = arg0.getDate();
return ret;
},
__wbg_getElementById_7ee213db584f37b0: function(arg0, arg1, arg2) {
const ret = arg0.getElementById(getStringFromWasm0(arg1, arg2));
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_getElementsByClassName_f20245af560c7912: function(arg0, arg1, arg2) {
const ret = arg0.getElementsByClassName(getStringFromWasm0(arg1, arg2));
return ret;
},
__wbg_getFullYear_94114da14f235fca: function(arg0) {
const ret = arg0.getFullYear();
return ret;
},
__wbg_getMonth_a4698d688e95d9bd: function(arg0) {
const ret = arg0.getMonth();
return ret;
},
__wbg_getPropertyValue_c0aae8b8341401f1: function() { return handleError(
function (arg0, arg1, arg2, arg3) {
const ret = arg1.getPropertyValue(getStringFromWasm0(arg2, arg3));
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
__wbg_getRandomValues_8b6f1f663e6f188d: function() { return handleError(
function (arg0, arg1) {
globalThis.crypto.getRandomValues(getArrayU8FromWasm0(arg0, arg1));
}, arguments); },
__wbg_getTime_edc91481cbc4cd78: function(arg0) {
const ret = arg0.getTime();
return ret;
},
__wbg_getTimezoneOffset_87127d92c2c117e9: function(arg0) {
const ret = arg0.getTimezoneOffset();
return ret;
},
__wbg_get_2080c49015e35254: function() { return handleError(function (arg0,
arg1) {
const ret = Reflect.get(arg0, arg1);
return ret;
}, arguments); },
__wbg_get_556f1c9a5c587e8c: function() { return handleError(function (arg0,
arg1, arg2, arg3) {
const ret = arg1.get(getStringFromWasm0(arg2, arg3));
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.
__wbindgen_malloc, wasm.__wbindgen_realloc);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
__wbg_get_955bde2b2fe2defa: function(arg0, arg1) {
const ret = arg0[arg1 >>> 0];
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_get_d7176cfb76d71114: function(arg0, arg1) {
const ret = arg0[arg1 >>> 0];
return ret;
},
__wbg_get_unchecked_e6325ad374eff861: function(arg0, arg1) {
const ret = arg0[arg1 >>> 0];
return ret;
},
__wbg_hasAttribute_3f271bd99815d507: function(arg0, arg1, arg2) {
const ret = arg0.hasAttribute(getStringFromWasm0(arg1, arg2));
return ret;
},
__wbg_hasOwn_19cf56c2a374e9e5: function(arg0, arg1) {
const ret = Object.hasOwn(arg0, arg1);
return ret;
},
__wbg_has_2c4d5cf25ec8c1cf: function() { return handleError(function (arg0,
arg1) {
const ret = Reflect.has(arg0, arg1);
return ret;
}, arguments); },
__wbg_hash_20c2dd23244d8e75: function() { return handleError(function (arg0,
arg1) {
const ret = arg1.hash;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
__wbg_headers_5fc0106c076eb731: function(arg0) {
const ret = arg0.headers;
return ret;
},
__wbg_history_7236bed7324e63c0: function() { return handleError(function (
arg0) {
const ret = arg0.history;
return ret;
}, arguments); },
__wbg_href_436d1661275da591: function(arg0, arg1) {
const ret = arg1.href;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_importKey_d8db521a98ea1991: function() { return handleError(function (
arg0, arg1, arg2, arg3, arg4, arg5, arg6, arg7) {
const ret = arg0.importKey(getStringFromWasm0(arg1, arg2), arg3,
getStringFromWasm0(arg4, arg5), arg6 !== 0, arg7);
return ret;
}, arguments); },
__wbg_innerHTML_5596b7e9bb4c4532: function(arg0, arg1) {
const ret = arg1.innerHTML;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_instanceof_Blob_56431c8f5387c12d: function(arg0) {
let result;
try {
result = arg0 instanceof Blob;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_Cache_42bc551c16168cc8: function(arg0) {
let result;
try {
result = arg0 instanceof Cache;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_CryptoKey_50c903e21f76ad93: function(arg0) {
let result;
try {
result = arg0 instanceof CryptoKey;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_CssGroupingRule_2aea11913bfe7b78: function(arg0) {
let result;
try {
result = arg0 instanceof CSSGroupingRule;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_CssStyleRule_4210d5046073c0bf: function(arg0) {
let result;
try {
result = arg0 instanceof CSSStyleRule;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_CssStyleSheet_cdeccbb1eb6b3940: function(arg0) {
let result;
try {
result = arg0 instanceof CSSStyleSheet;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_DragEvent_6f36525d948c6b32: function(arg0) {
let result;
try {
result = arg0 instanceof DragEvent;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_Element_05dbb22ded594343: function(arg0) {
let result;
try {
result = arg0 instanceof Element;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_Error_74e3cca0c4a69161: function(arg0) {
let result;
try {
result = arg0 instanceof Error;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_HtmlAnchorElement_fee0a0613fd8e6aa: function(arg0) {
let result;
try {
result = arg0 instanceof HTMLAnchorElement;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_HtmlElement_ea32ea7121e0a496: function(arg0) {
let result;
try {
result = arg0 instanceof HTMLElement;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_HtmlIFrameElement_94eb131af53b9963: function(arg0) {
let result;
try {
result = arg0 instanceof HTMLIFrameElement;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_HtmlInputElement_28751c98d77a5a65: function(arg0) {
let result;
try {
result = arg0 instanceof HTMLInputElement;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_HtmlTextAreaElement_37c6efee878106d5: function(arg0) {
let result;
try {
result = arg0 instanceof HTMLTextAreaElement;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_MessageEvent_7f71d71db210f737: function(arg0) {
let result;
try {
result = arg0 instanceof MessageEvent;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_Object_97e16a01fd368661: function(arg0) {
let result;
try {
result = arg0 instanceof Object;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_Promise_59148c6049d0e3a0: function(arg0) {
let result;
try {
result = arg0 instanceof Promise;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_Response_5b0b4f7f1daeae51: function(arg0) {
let result;
try {
result = arg0 instanceof Response;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_SubtleCrypto_72dd685a107b4b5f: function(arg0) {
let result;
try {
result = arg0 instanceof SubtleCrypto;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_Uint8Array_d7aeb0dcb3108fea: function(arg0) {
let result;
try {
result = arg0 instanceof Uint8Array;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_instanceof_Window_5cf453f5639aa1a2: function(arg0) {
let result;
try {
result = arg0 instanceof Window;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
__wbg_isArray_bcf1376d0d732d08: function(arg0) {
const ret = Array.isArray(arg0);
return ret;
},
__wbg_isSecureContext_6b3c96e6b1051931: function(arg0) {
const ret = arg0.isSecureContext;
return ret;
},
__wbg_item_0f49082ec09accb2: function(arg0, arg1, arg2) {
const ret = arg1.item(arg2 >>> 0);
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_item_5b70fe58b24cf84b: function(arg0, arg1) {
const ret = arg0.item(arg1 >>> 0);
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_item_66d2ef77cbc53343: function(arg0, arg1) {
const ret = arg0.item(arg1 >>> 0);
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_item_7215791bac0b02c2: function(arg0, arg1) {
const ret = arg0.item(arg1 >>> 0);
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_length_0e1ec34b86ec3fb7: function(arg0) {
const ret = arg0.length;
return ret;
},
__wbg_length_186163212ffe79c3: function(arg0) {
const ret = arg0.length;
return ret;
},
__wbg_length_694310723930d77e: function(arg0) {
const ret = arg0.length;
return ret;
},
__wbg_length_7da8b91022bdb157: function(arg0) {
const ret = arg0.length;
return ret;
},
__wbg_length_9aab85334c5daf3f: function(arg0) {
const ret = arg0.length;
return ret;
},
__wbg_length_9f82f041dce0ac51: function(arg0) {
const ret = arg0.length;
return ret;
},
__wbg_length_b03a0fabb109b1e9: function(arg0) {
const ret = arg0.length;
return ret;
},
__wbg_localName_c685a19779d08730: function(arg0, arg1) {
const ret = arg1.localName;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_location_7320782274fc691b: function(arg0) {
const ret = arg0.location;
return ret;
},
__wbg_mark_cbe602acd7c75ad6: function() { return handleError(function (arg0,
arg1, arg2) {
arg0.mark(getStringFromWasm0(arg1, arg2));
}, arguments); },
__wbg_match_5bac3fce58a35d56: function(arg0, arg1, arg2) {
const ret = arg0.match(getStringFromWasm0(arg1, arg2));
return ret;
},
__wbg_measure_12738fa4a1add138: function() { return handleError(function (
arg0, arg1, arg2, arg3, arg4) {
arg0.measure(getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3,
arg4));
}, arguments); },
__wbg_message_43d8c8f1d543a349: function(arg0) {
const ret = arg0.message;
return ret;
},
__wbg_name_f721590be23206c9: function(arg0, arg1) {
const ret = arg1.name;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_namespaceURI_cf6df322f468ae4b: function(arg0, arg1) {
const ret = arg1.namespaceURI;
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.
__wbindgen_malloc, wasm.__wbindgen_realloc);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_navigator_c17f443a6fe5d38d: function(arg0) {
const ret = arg0.navigator;
return ret;
},
__wbg_new_0_36d738a0c8cfac43: function() {
const ret = new Date();
return ret;
},
__wbg_new_13de428334042d26: function(arg0) {
const ret = new Uint8Array(arg0);
return ret;
},
__wbg_new_37eb45aaf5eeb820: function() {
const ret = new Array();
return ret;
},
__wbg_new_3e95cd7386bb9a6c: function(arg0) {
const ret = new Date(arg0);
return ret;
},
__wbg_new_6b8a0b92b4e85f6d: function() { return handleError(function () {
const ret = new DOMParser();
return ret;
}, arguments); },
__wbg_new_959f4d5eafef3722: function() { return handleError(function () {
const ret = new CSSStyleSheet();
return ret;
}, arguments); },
__wbg_new_ba40181b3f24ac80: function(arg0, arg1) {
try {
var state0 = {a: arg0, b: arg1};
var cb0 = (arg0, arg1) => {
const a = state0.a;
state0.a = 0;
try {
return wasm_bindgen__convert__closures_____invoke__hb98d63cc49481475(a,
state0.b, arg0, arg1);
} finally {
state0.a = a;
}
};
const ret = new Promise(cb0);
return ret;
} finally {
state0.a = 0;
}
},
__wbg_new_cd4348290afae586: function() {
const ret = new Object();
return ret;
},
__wbg_new_d266d8be36dacc35: function(arg0, arg1) {
const ret = new Intl.NumberFormat(arg0, arg1);
return ret;
},
__wbg_new_df63236ec481fcd7: function() { return handleError(function (arg0,
arg1) {
const ret = new Worker(getStringFromWasm0(arg0, arg1));
return ret;
}, arguments); },
__wbg_new_from_slice_b8daf545a41c6aa0: function(arg0, arg1) {
const ret = new Uint8Array(getArrayU8FromWasm0(arg0, arg1));
return ret;
},
__wbg_new_typed_e09da9dae6ee5935: function(arg0, arg1) {
try {
var state0 = {a: arg0, b: arg1};
var cb0 = (arg0, arg1) => {
const a = state0.a;
state0.a = 0;
try {
return wasm_bindgen__convert__closures_____invoke__hb98d63cc49481475(a,
state0.b, arg0, arg1);
} finally {
state0.a = a;
}
};
const ret = new Promise(cb0);
return ret;
} finally {
state0.a = 0;
}
},
__wbg_new_with_base_44e88b67db0c589b: function() { return handleError(
function (arg0, arg1, arg2, arg3) {
const ret = new URL(getStringFromWasm0(arg0, arg1), getStringFromWasm0(arg2,
arg3));
return ret;
}, arguments); },
__wbg_new_with_label_and_options_67e60607a3699660: function() {
return handleError(function (arg0, arg1, arg2) {
const ret = new TextDecoder(getStringFromWasm0(arg0, arg1), arg2);
return ret;
}, arguments); },
__wbg_new_with_str_sequence_and_options_ea4ce88081790553: function() {
return handleError(function (arg0, arg1) {
const ret = new Blob(arg0, arg1);
return ret;
}, arguments); },
__wbg_new_with_str_sequence_and_options_f4282471aeb5015b: function() {
return handleError(function (arg0, arg1, arg2, arg3) {
const ret = new File(arg0, getStringFromWasm0(arg1, arg2), arg3);
return ret;
}, arguments); },
__wbg_new_with_u8_array_sequence_and_options_ca80bf9b8bbc67cf: function() {
return handleError(function (arg0, arg1) {
const ret = new Blob(arg0, arg1);
return ret;
}, arguments); },
__wbg_nextElementSibling_758a2a7370bec999: function(arg0) {
const ret = arg0.nextElementSibling;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_nextNode_e792e069e8880865: function() { return handleError(function (
arg0) {
const ret = arg0.nextNode();
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}, arguments); },
__wbg_nodeValue_31dd9c06701588cb: function(arg0, arg1) {
const ret = arg1.nodeValue;
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.
__wbindgen_malloc, wasm.__wbindgen_realloc);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_normalize_2d352f86793b4b5f: function(arg0, arg1, arg2) {
const ret = arg0.normalize(getStringFromWasm0(arg1, arg2));
return ret;
},
__wbg_now_043d245551b22f9c: function(arg0) {
const ret = arg0.now();
return ret;
},
__wbg_now_463ac581d2fc7ea3: function() {
const ret = Date.now();
return ret;
},
__wbg_of_027eb15371aac932: function(arg0) {
const ret = Array.of(arg0);
return ret;
},
__wbg_of_e7ea0fcd535c1444: function(arg0, arg1) {
const ret = Array.of(arg0, arg1);
return ret;
},
__wbg_open_76bb2bb8b9eec497: function(arg0, arg1, arg2) {
const ret = arg0.open(getStringFromWasm0(arg1, arg2));
return ret;
},
__wbg_outerHTML_4db9a1f9d77053e6: function(arg0, arg1) {
const ret = arg1.outerHTML;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_parentNode_fe15bcc26df42856: function(arg0) {
const ret = arg0.parentNode;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_parentRule_b8ba15f7e8564fc7: function(arg0) {
const ret = arg0.parentRule;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_parentStyleSheet_6ddac78833b1ce74: function(arg0) {
const ret = arg0.parentStyleSheet;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_parseFromString_d9dabe5c55062aa1: function() { return handleError(
function (arg0, arg1, arg2, arg3) {
const ret = arg0.parseFromString(getStringFromWasm0(arg1, arg2),
__wbindgen_enum_SupportedType[arg3]);
return ret;
}, arguments); },
__wbg_parse_c3f72b5a24f83c01: function() { return handleError(function (
arg0, arg1) {
const ret = JSON.parse(getStringFromWasm0(arg0, arg1));
return ret;
}, arguments); },
__wbg_performance_50e6a3f8dc80bbca: function(arg0) {
const ret = arg0.performance;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_postMessage_61772322081d1756: function() { return handleError(
function (arg0, arg1) {
arg0.postMessage(arg1);
}, arguments); },
__wbg_preventDefault_cfb06b02e7406899: function(arg0) {
arg0.preventDefault();
},
__wbg_prototypesetcall_13162965d1fe7aa3: function(arg0, arg1, arg2) {
Uint8Array.prototype.set.call(getArrayU8FromWasm0(arg0, arg1), arg2);
},
__wbg_push_c9f4893fc209f768: function(arg0, arg1) {
const ret = arg0.push(arg1);
return ret;
},
__wbg_querySelectorAll_6c1bd81d448fb480: function() { return handleError(
function (arg0, arg1, arg2) {
const ret = arg0.querySelectorAll(getStringFromWasm0(arg1, arg2));
return ret;
}, arguments); },
__wbg_querySelector_1555c239948f2bf0: function() { return handleError(
function (arg0, arg1, arg2) {
const ret = arg0.querySelector(getStringFromWasm0(arg1, arg2));
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}, arguments); },
__wbg_querySelector_72201b7c62dc196b: function() { return handleError(
function (arg0, arg1, arg2) {
const ret = arg0.querySelector(getStringFromWasm0(arg1, arg2));
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}, arguments); },
__wbg_queueMicrotask_1e8503a8a690f0a3: function(arg0) {
const ret = arg0.queueMicrotask;
return ret;
},
__wbg_queueMicrotask_4a1a4d8dd332373b: function(arg0) {
queueMicrotask(arg0);
},
__wbg_readyState_b303739a7da72e05: function(arg0, arg1) {
const ret = arg1.readyState;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_ready_1b3ed6b8568580e4: function() { return handleError(function (
arg0) {
const ret = arg0.ready;
return ret;
}, arguments); },
__wbg_register_2a8fb841e692172e: function(arg0, arg1, arg2, arg3) {
const ret = arg0.register(getStringFromWasm0(arg1, arg2), arg3);
return ret;
},
__wbg_removeAttribute_735f25a801a701e1: function() { return handleError(
function (arg0, arg1, arg2) {
arg0.removeAttribute(getStringFromWasm0(arg1, arg2));
}, arguments); },
__wbg_removeChild_d2dc6fc1d6db896b: function() { return handleError(
function (arg0, arg1) {
const ret = arg0.removeChild(arg1);
return ret;
}, arguments); },
__wbg_removeProperty_24e2a492b137f2d7: function() { return handleError(
function (arg0, arg1, arg2, arg3) {
const ret = arg1.removeProperty(getStringFromWasm0(arg2, arg3));
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
__wbg_remove_8228e91d7ddbc755: function(arg0) {
arg0.remove();
},
__wbg_replaceState_1dad4255f11a05e4: function() { return handleError(
function (arg0, arg1, arg2, arg3, arg4, arg5) {
arg0.replaceState(arg1, getStringFromWasm0(arg2, arg3), arg4 ===
0 ? undefined : getStringFromWasm0(arg4, arg5));
}, arguments); },
__wbg_replaceSync_b98cbd82f95f549c: function() { return handleError(
function (arg0, arg1, arg2) {
arg0.replaceSync(getStringFromWasm0(arg1, arg2));
}, arguments); },
__wbg_resolve_dbf78ab4942478b0: function(arg0) {
const ret = Promise.resolve(arg0);
return ret;
},
__wbg_revokeObjectURL_52940372bc4245cf: function() { return handleError(
function (arg0, arg1) {
URL.revokeObjectURL(getStringFromWasm0(arg0, arg1));
}, arguments); },
__wbg_scrollHeight_879470691b1201b7: function(arg0) {
const ret = arg0.scrollHeight;
return ret;
},
__wbg_search_b8ba44c19bb02b19: function() { return handleError(function (
arg0, arg1) {
const ret = arg1.search;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
__wbg_select_6daf0a771fc1452a: function(arg0) {
arg0.select();
},
__wbg_serviceWorker_6aeb3dec6ba652c0: function(arg0) {
const ret = arg0.serviceWorker;
return ret;
},
__wbg_setAttribute_f75317b2b5cabfb4: function() { return handleError(
function (arg0, arg1, arg2, arg3, arg4) {
arg0.setAttribute(getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3,
arg4));
}, arguments); },
__wbg_setProperty_3fe74e09d53acb0b: function() { return handleError(
function (arg0, arg1, arg2, arg3, arg4) {
arg0.setProperty(getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3,
arg4));
}, arguments); },
__wbg_setTimeout_9ef22b48643bd7de: function() { return handleError(
function (arg0, arg1, arg2) {
const ret = arg0.setTimeout(arg1, arg2);
return ret;
}, arguments); },
__wbg_set_118fefd528ab0a79: function(arg0, arg1, arg2) {
arg0.set(arg1, arg2 >>> 0);
},
__wbg_set_2793479888329cb6: function() { return handleError(function (arg0,
arg1, arg2) {
const ret = Reflect.set(arg0, arg1, arg2);
return ret;
}, arguments); },
__wbg_set_download_8e0ceaaeb91cf778: function(arg0, arg1, arg2) {
arg0.download = getStringFromWasm0(arg1, arg2);
},
__wbg_set_fatal_2795f19bd68fd874: function(arg0, arg1) {
arg0.fatal = arg1 !== 0;
},
__wbg_set_feb3714f475485ba: function(arg0, arg1, arg2) {
arg0.set(getArrayU8FromWasm0(arg1, arg2));
},
__wbg_set_href_0f986799cac24892: function(arg0, arg1, arg2) {
arg0.href = getStringFromWasm0(arg1, arg2);
},
__wbg_set_iv_ed5385052ec4e125: function(arg0, arg1) {
arg0.iv = arg1;
},
__wbg_set_name_cad61b43483f8727: function(arg0, arg1, arg2) {
arg0.name = getStringFromWasm0(arg1, arg2);
},
__wbg_set_onerror_8346fd6e80c876c8: function(arg0, arg1) {
arg0.onerror = arg1;
},
__wbg_set_onmessage_fb42c85f5237566a: function(arg0, arg1) {
arg0.onmessage = arg1;
},
__wbg_set_scope_6855d34c33f8a5e2: function(arg0, arg1, arg2) {
arg0.scope = getStringFromWasm0(arg1, arg2);
},
__wbg_set_srcdoc_9ccb86fc99caae44: function(arg0, arg1, arg2) {
arg0.srcdoc = getStringFromWasm0(arg1, arg2);
},
__wbg_set_textContent_0177b2a6d9293c2c: function(arg0, arg1, arg2) {
arg0.textContent = arg1 === 0 ? undefined : getStringFromWasm0(arg1, arg2);
},
__wbg_set_type_609b0cea6429d7bb: function(arg0, arg1, arg2) {
arg0.type = getStringFromWasm0(arg1, arg2);
},
__wbg_set_type_9f32b0fcce9b6bbd: function(arg0, arg1, arg2) {
arg0.type = getStringFromWasm0(arg1, arg2);
},
__wbg_set_type_ba1a7233d52a78cc: function(arg0, arg1, arg2) {
arg0.type = getStringFromWasm0(arg1, arg2);
},
__wbg_set_value_cb7e77c93a95e491: function(arg0, arg1, arg2) {
arg0.value = getStringFromWasm0(arg1, arg2);
},
__wbg_size_9d1084e29743663c: function(arg0) {
const ret = arg0.size;
return ret;
},
__wbg_static_accessor_GLOBAL_THIS_003ee833af9699fc: function() {
const ret = typeof globalThis === 'undefined' ? undefined : globalThis;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_static_accessor_GLOBAL_e4293fb22cbe77da: function() {
const ret = typeof global === 'undefined' ? undefined : global;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_static_accessor_SELF_53bb20457401453d: function() {
const ret = typeof self === 'undefined' ? undefined : self;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_static_accessor_WINDOW_b5e0810bfecb7feb: function() {
const ret = typeof window === 'undefined' ? undefined : window;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_stopPropagation_e4181c041abda4c3: function(arg0) {
arg0.stopPropagation();
},
__wbg_style_2a946cec5eeed139: function(arg0) {
const ret = arg0.style;
return ret;
},
__wbg_style_f499e599ac70277f: function(arg0) {
const ret = arg0.style;
return ret;
},
__wbg_subarray_58f388a9247ac0bb: function(arg0, arg1, arg2) {
const ret = arg0.subarray(arg1 >>> 0, arg2 >>> 0);
return ret;
},
__wbg_tagName_775bb05619a5c52f: function(arg0, arg1) {
const ret = arg1.tagName;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_target_e5cd9c7aa87dd8df: function(arg0) {
const ret = arg0.target;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
__wbg_terminate_72951fee87f2d80a: function(arg0) {
arg0.terminate();
},
__wbg_textContent_240d7f8264a6246e: function(arg0, arg1) {
const ret = arg1.textContent;
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.
__wbindgen_malloc, wasm.__wbindgen_realloc);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_then_656f253a5dd7d8ea: function(arg0, arg1, arg2) {
const ret = arg0.then(arg1, arg2);
return ret;
},
__wbg_then_e3f7f2d365708be8: function(arg0, arg1) {
const ret = arg0.then(arg1);
return ret;
},
__wbg_toLocaleString_9ddf0df037727843: function(arg0, arg1, arg2, arg3) {
const ret = arg0.toLocaleString(getStringFromWasm0(arg1, arg2), arg3);
return ret;
},
__wbg_type_17ee7b925b1d2343: function(arg0, arg1) {
const ret = arg1.type;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_type_c93f3ee8b7eb4f89: function(arg0, arg1) {
const ret = arg1.type;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_type_e60343d266bcff5f: function(arg0) {
const ret = arg0.type;
return ret;
},
__wbg_value_df0a0e29a4d182fe: function(arg0, arg1) {
const ret = arg1.value;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbg_value_f61036dc298faa36: function(arg0, arg1) {
const ret = arg1.value;
const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.
__wbindgen_realloc);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
__wbindgen_generic_0000000000000001: function(arg0, arg1) {
const ret = makeMutClosure(arg0, arg1,
wasm_bindgen__convert__closures_____invoke__h60702a48838d1764);
return ret;
},
__wbindgen_generic_0000000000000002: function(arg0, arg1) {
const ret = makeMutClosure(arg0, arg1,
wasm_bindgen__convert__closures_____invoke__h61d4c9ef48e44310);
return ret;
},
__wbindgen_generic_0000000000000003: function(arg0, arg1) {
const ret = makeMutClosure(arg0, arg1,
wasm_bindgen__convert__closures_____invoke__h61d4c9ef48e44310_6);
return ret;
},
__wbindgen_generic_0000000000000004: function(arg0, arg1) {
const ret = makeMutClosure(arg0, arg1,
wasm_bindgen__convert__closures_____invoke__he825acb8453e9f68);
return ret;
},
__wbindgen_generic_0000000000000005: function(arg0) {
const ret = arg0;
return ret;
},
__wbindgen_generic_0000000000000006: function(arg0, arg1) {
const ret = getStringFromWasm0(arg0, arg1);
return ret;
},
__wbindgen_init_externref_table: function() {
const table = wasm.__wbindgen_externrefs;
table.set(0, undefined);
table.set(1024, undefined);
table.set(1025, null);
table.set(1026, true);
table.set(1027, false);
},
};
return {
__proto__: null,
"./envelope_wasm_bg.js": import0,
};
}
function wasm_bindgen__convert__closures_____invoke__he825acb8453e9f68(arg0,
arg1) {
wasm.wasm_bindgen__convert__closures_____invoke__he825acb8453e9f68(arg0,
arg1);
}
function wasm_bindgen__convert__closures_____invoke__h61d4c9ef48e44310(arg0,
arg1, arg2) {
wasm.wasm_bindgen__convert__closures_____invoke__h61d4c9ef48e44310(arg0,
arg1, arg2);
}
function wasm_bindgen__convert__closures_____invoke__h61d4c9ef48e44310_6(
arg0, arg1, arg2) {
wasm.wasm_bindgen__convert__closures_____invoke__h61d4c9ef48e44310_6(arg0,
arg1, arg2);
}
function wasm_bindgen__convert__closures_____invoke__h60702a48838d1764(arg0,
arg1, arg2) {
const ret = wasm.
wasm_bindgen__convert__closures_____invoke__h60702a48838d1764(arg0, arg1,
arg2);
if (ret[1]) {
throw takeFromExternrefTable0(ret[0]);
}
}
function wasm_bindgen__convert__closures_____invoke__hb98d63cc49481475(arg0,
arg1, arg2, arg3) {
wasm.wasm_bindgen__convert__closures_____invoke__hb98d63cc49481475(arg0,
arg1, arg2, arg3);
}
const __wbindgen_enum_SupportedType = ["text/html", "text/xml",
"application/xml", "application/xhtml+xml", "image/svg+xml"];
function addToExternrefTable0(obj) {
const idx = wasm.__externref_table_alloc();
wasm.__wbindgen_externrefs.set(idx, obj);
return idx;
}
const CLOSURE_DTORS = (typeof FinalizationRegistry === 'undefined')
? { register: () => {}, unregister: () => {} }
: new FinalizationRegistry(state => wasm.__wbindgen_destroy_closure(state.a,
state.b));
function getArrayU8FromWasm0(ptr, len) {
ptr = ptr >>> 0;
return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
}
let cachedDataViewMemory0 = null;
function getDataViewMemory0() {
if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.
detached === true || (cachedDataViewMemory0.buffer.detached ===
undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {
cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
}
return cachedDataViewMemory0;
}
function getStringFromWasm0(ptr, len) {
ptr = ptr >>> 0;
return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}
let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
if (cachedUint8ArrayMemory0 ===
null || cachedUint8ArrayMemory0.byteLength === 0) {
cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
}
return cachedUint8ArrayMemory0;
}
function handleError(f, args) {
try {
return f.apply(this, args);
} catch (e) {
const idx = addToExternrefTable0(e);
wasm.__wbindgen_exn_store(idx);
}
}
function isLikeNone(x) {
return x === undefined || x === null;
}
function makeMutClosure(arg0, arg1, f) {
const state = { a: arg0, b: arg1, cnt: 1 };
const real = (...args) => {
state.cnt++;
const a = state.a;
state.a = 0;
try {
return f(a, state.b, ...args);
} finally {
state.a = a;
real._wbg_cb_unref();
}
};
real._wbg_cb_unref = () => {
if (--state.cnt === 0) {
wasm.__wbindgen_destroy_closure(state.a, state.b);
state.a = 0;
CLOSURE_DTORS.unregister(state);
}
};
CLOSURE_DTORS.register(real, state, state);
return real;
}
function passArray8ToWasm0(arg, malloc) {
const ptr = malloc(arg.length * 1, 1) >>> 0;
getUint8ArrayMemory0().set(arg, ptr / 1);
WASM_VECTOR_LEN = arg.length;
return ptr;
}
function passStringToWasm0(arg, malloc, realloc) {
if (realloc === undefined) {
const buf = cachedTextEncoder.encode(arg);
const ptr = malloc(buf.length, 1) >>> 0;
getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
WASM_VECTOR_LEN = buf.length;
return ptr;
}
let len = arg.length;
let ptr = malloc(len, 1) >>> 0;
const mem = getUint8ArrayMemory0();
let offset = 0;
for (; offset < len; offset++) {
const code = arg.charCodeAt(offset);
if (code > 0x7F) break;
mem[ptr + offset] = code;
}
if (offset !== len) {
if (offset !== 0) {
arg = arg.slice(offset);
}
ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
const ret = cachedTextEncoder.encodeInto(arg, view);
offset += ret.written;
ptr = realloc(ptr, len, offset, 1) >>> 0;
}
WASM_VECTOR_LEN = offset;
return ptr;
}
function takeFromExternrefTable0(idx) {
const value = wasm.__wbindgen_externrefs.get(idx);
wasm.__externref_table_dealloc(idx);
return value;
}
let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
function decodeText(bytes) {
return cachedTextDecoder.decode(bytes);
}
const cachedTextEncoder = new TextEncoder();
if (!('encodeInto' in cachedTextEncoder)) {
cachedTextEncoder.encodeInto = function (arg, view) {
const buf = cachedTextEncoder.encode(arg);
view.set(buf);
return {
read: arg.length,
written: buf.length
};
};
}
let WASM_VECTOR_LEN = 0;
let wasmModule, wasmInstance, wasm;
function __wbg_finalize_init(instance, module) {
wasmInstance = instance;
wasm = instance.exports;
wasmModule = module;
cachedDataViewMemory0 = null;
cachedUint8ArrayMemory0 = null;
wasm.__wbindgen_start();
return wasm;
}
async function __wbg_load(module, imports) {
if (typeof Response === 'function' && module instanceof Response) {
if (!module.ok) {
throw new Error(`failed to fetch Wasm: ${module.status} ${module.
statusText} fetching '${module.url}'`);
}
if (typeof WebAssembly.instantiateStreaming === 'function') {
try {
return await WebAssembly.instantiateStreaming(module, imports);
} catch (e) {
const validResponse = expectedResponseType(module.type);
if (validResponse && module.headers.get('Content-Type') !==
'application/wasm') {
console.warn(
"`WebAssembly.instantiateStreaming` failed because your server does not s" +
"erve Wasm with `application/wasm` MIME type. Falling back to `WebAssembl" +
"y.instantiate` which is slower. Original error:\n", e);
} else { throw e; }
}
}
const bytes = await module.arrayBuffer();
return await WebAssembly.instantiate(bytes, imports);
} else {
const instance = await WebAssembly.instantiate(module, imports);
if (instance instanceof WebAssembly.Instance) {
return { instance, module };
} else {
return instance;
}
}
function expectedResponseType(type) {
switch (type) {
case 'basic': case 'cors': case 'default': return true;
}
return false;
}
}
function initSync(module) {
if (wasm !== undefined) return wasm;
if (module !== undefined) {
if (Object.getPrototypeOf(module) === Object.prototype) {
({module} = module)
} else {
console.warn(
'using deprecated parameters for `initSync()`; pass a single object inste' +
'ad')
}
}
const imports = __wbg_get_imports();
if (!(module instanceof WebAssembly.Module)) {
module = new WebAssembly.Module(module);
}
const instance = new WebAssembly.Instance(module, imports);
return __wbg_finalize_init(instance, module);
}
let __wbg_init_promise;
async function __wbg_init(module_or_path) {
if (wasm !== undefined) return wasm;
if (__wbg_init_promise === undefined) {
__wbg_init_promise = __wbg_init_once(module_or_path);
__wbg_init_promise.catch(() => { __wbg_init_promise = undefined; });
}
return __wbg_init_promise;
}
async function __wbg_init_once(module_or_path) {
if (module_or_path !== undefined) {
if (Object.getPrototypeOf(module_or_path) === Object.prototype) {
({module_or_path} = module_or_path)
} else {
console.warn(
'using deprecated parameters for the initialization function; pass a sing' +
'le object instead')
}
}
if (module_or_path === undefined && script_src !== undefined) {
module_or_path = script_src.replace(/\.js$/, "_bg.wasm");
}
const imports = __wbg_get_imports();
if (typeof module_or_path === 'string' || (typeof Request ===
'function' && module_or_path instanceof Request) || (typeof URL ===
'function' && module_or_path instanceof URL)) {
module_or_path = fetch(module_or_path);
}
const { instance, module } = await __wbg_load(await module_or_path,
imports);
return __wbg_finalize_init(instance, module);
}
return Object.assign(__wbg_init, { initSync }, exports);
})({ __proto__: null });
