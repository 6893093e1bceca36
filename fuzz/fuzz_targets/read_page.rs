//! Any bytes as an envelope page (or a mail carrying one): the one reading
//! rule (`sealer::reader`) and the file classifier (`sealer::input`) must
//! answer with an envelope or a clean error, never panic. Seeds in
//! `corpus/read_page` are small pages with real blocks, so the fuzzer
//! starts from markup the rule accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = sealer::read_page(data);
    for name in ["page.html", "mail.eml"] {
        let input = sealer::input::Input::new(data.to_vec(), Some(std::path::Path::new(name)));
        let _ = input.envelope();
        let _ = input.pages_named(name);
    }
});
