//! The built-in demo message (`sealer seal --demo`, the examples, the tests).

use envelope_core::{Attachment, Message};

/// The demo message's sender.
pub const DEMO_FROM: &str = "Example Clinic <records@clinic.example>";
/// The demo message's recipient.
pub const DEMO_TO: &str = "Alex Patient <alex@example.org>";
/// The demo message's subject.
pub const DEMO_SUBJECT: &str = "Your blood test results";

/// The built-in demo message: a text and an HTML body and two attachments.
pub fn demo_message() -> Message {
    let csv = "test,value,unit,range\nhaemoglobin,14.1,g/dL,12.0-15.5\nferritin,48,ng/mL,15-150\n";
    Message::new()
        .from(DEMO_FROM)
        .to(DEMO_TO)
        .subject(DEMO_SUBJECT)
        .text_body(
            "Dear Alex,\n\nyour blood test results from 14 November are attached.\n\
             All values are within the normal range.\n\nKind regards,\nDr. Ada Example\n",
        )
        .html_body(
            "<p>Dear Alex,</p><p>your blood test results from 14 November are attached.<br>\
             All values are within the normal range.</p><p>Kind regards,<br>Dr. Ada Example</p>",
        )
        .attach(Attachment::from_bytes(
            "results.csv",
            "text/csv",
            csv.as_bytes().to_vec(),
        ))
        .attach(Attachment::from_bytes(
            "letter.txt",
            "text/plain; charset=utf-8",
            "Überweisung / referral: none needed.\n".as_bytes().to_vec(),
        ))
}
