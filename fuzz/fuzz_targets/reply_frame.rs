//! Any bytes as the frame of a reply's page (the `#reply-page` block a
//! page carries, decoded): reading it must give a frame or an error, never
//! panic; a frame read must encode back to the same bytes, and filling it
//! must give a page or an error. Seeds in `corpus/reply_frame` are frames
//! the sealer rendered.
#![no_main]

use envelope_core::reply_page::ReplyFrame;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(frame) = ReplyFrame::decode(data) {
        assert_eq!(frame.encode().ok().as_deref(), Some(data));
        let envelope = [7u8; 200];
        let _ = frame.fill(|_| Some(String::from("x")), &envelope, 100);
    }
});
