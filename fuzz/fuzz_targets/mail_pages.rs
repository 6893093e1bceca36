//! Any bytes as a saved e-mail: finding its envelope pages (the rule the
//! opener site runs in the browser, and `sealer open` on the command line)
//! must return pages or an error, never panic, and never return more bytes
//! than the mail could decode to. Seeds in `corpus/mail_pages` are small
//! mails in each transfer encoding, nested and attached.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(pages) = envelope_core::mail::html_attachments(data) {
        let total: usize = pages.iter().map(|page| page.bytes.len()).sum();
        assert!(total <= data.len());
    }
});
