//! Dates, sizes and lists in the page's language (`<html lang>`), by the
//! browser's `Intl`: the decryptor carries no locale data of its own.

use std::cell::RefCell;

use js_sys::{Array, Date, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Intl.getCanonicalLocales`, which throws on a malformed tag.
    #[wasm_bindgen(catch, js_namespace = Intl, js_name = getCanonicalLocales)]
    fn canonical_locales(tag: &str) -> Result<Array, JsValue>;
}

thread_local! {
    static LANGUAGE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The page's language as `Intl` takes it: `<html lang>` if it is a
/// well-formed tag (a hostile page's tag must not make `Intl` throw), else
/// English.
pub(crate) fn language() -> String {
    LANGUAGE.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.document_element())
                    .and_then(|html| html.get_attribute("lang"))
                    .filter(|lang| lang.len() <= 35)
                    .and_then(|lang| canonical_locales(&lang).ok())
                    .and_then(|tags| tags.get(0).as_string())
                    .unwrap_or_else(|| "en".to_owned())
            })
            .clone()
    })
}

fn options(pairs: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object
}

/// A moment, in this device's time zone, as the page's language writes a
/// full date and a time ("Monday, 30 November 2026 at 15:04").
pub(crate) fn date_time(unix_seconds: i64) -> String {
    let date = Date::new(&JsValue::from_f64(unix_seconds as f64 * 1000.0));
    let options = options(&[("dateStyle", "full".into()), ("timeStyle", "short".into())]);
    String::from(date.to_locale_string(&language(), &options))
}

/// A day, as the page's language writes it in full ("30 November 2026"),
/// in UTC (a signature database's build time is a day, not a moment).
pub(crate) fn date(unix_seconds: i64) -> String {
    let date = Date::new(&JsValue::from_f64(unix_seconds as f64 * 1000.0));
    let options = options(&[("dateStyle", "long".into()), ("timeZone", "UTC".into())]);
    String::from(date.to_locale_string(&language(), &options))
}

/// A size, in bytes, kB, MB or GB (powers of 1000, as the sealer writes
/// them), as the page's language writes numbers and units ("1,2 Mo").
pub(crate) fn size(bytes: u64) -> String {
    let (value, unit, display) = match bytes {
        0..1000 => (bytes as f64, "byte", "long"),
        1000..1_000_000 => (bytes as f64 / 1e3, "kilobyte", "short"),
        1_000_000..1_000_000_000 => (bytes as f64 / 1e6, "megabyte", "short"),
        _ => (bytes as f64 / 1e9, "gigabyte", "short"),
    };
    let options = options(&[
        ("style", "unit".into()),
        ("unit", unit.into()),
        ("unitDisplay", display.into()),
        ("maximumFractionDigits", 1.into()),
    ]);
    let format: Function =
        js_sys::Intl::NumberFormat::new(&Array::of1(&language().into()), &options).format();
    format
        .call1(&JsValue::NULL, &JsValue::from_f64(value))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| envelope_core::human_size(bytes))
}
