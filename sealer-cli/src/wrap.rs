//! Sealing mail that already exists, as a mail gateway does: read an RFC
//! 5322 message, seal all of its content into an envelope page, and write
//! the outgoing message that carries the page in its place.

mod incoming;
mod outgoing;
pub mod policy;

pub use incoming::{Incoming, read_mail};
pub use outgoing::{KEPT_HEADERS, SealedMail, seal_mail, wrapped_email};
pub(crate) use outgoing::{uses_bare_lf, wrapped_frame};
