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
        // Styled as a clinic's letter is: the page keeps its look.
        .html_body(concat!(
            "<div style=\"font-family: Georgia, serif; color: #1a1a1a; background: #fff; ",
            "padding: 0.5em 1em\"><p>Dear Alex,</p>",
            "<p>your blood test results from 14 November are attached. ",
            "All values are within the normal range.</p>",
            "<table style=\"border-collapse: collapse; margin: 1em 0\">",
            "<tr style=\"background: #dde8f3\"><th style=\"border: 1px solid #7a8fa6; ",
            "padding: 4px 10px; text-align: start\">Test</th><th style=\"border: 1px solid ",
            "#7a8fa6; padding: 4px 10px\">Value</th><th style=\"border: 1px solid #7a8fa6; ",
            "padding: 4px 10px\">Normal range</th></tr>",
            "<tr><td style=\"border: 1px solid #7a8fa6; padding: 4px 10px\">Haemoglobin</td>",
            "<td style=\"border: 1px solid #7a8fa6; padding: 4px 10px\">14.1 g/dL</td>",
            "<td style=\"border: 1px solid #7a8fa6; padding: 4px 10px\">12.0\u{2013}15.5</td></tr>",
            "<tr><td style=\"border: 1px solid #7a8fa6; padding: 4px 10px\">Ferritin</td>",
            "<td style=\"border: 1px solid #7a8fa6; padding: 4px 10px\">48 ng/mL</td>",
            "<td style=\"border: 1px solid #7a8fa6; padding: 4px 10px\">15\u{2013}150</td></tr>",
            "</table><p>Kind regards,<br><span style=\"color: #0b5394; font-weight: bold\">",
            "Dr. Ada Example</span></p></div>",
        ))
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
