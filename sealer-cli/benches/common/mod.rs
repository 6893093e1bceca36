//! What the gateway benchmarks share: the 5 MiB message.

use base64::Engine;

pub(crate) const MIB: usize = 1024 * 1024;

/// A multipart message of `size` bytes: a short letter and one PDF-like
/// attachment of pseudo-random bytes (which do not compress), base64 in
/// 76-character lines.
pub(crate) fn message(size: usize) -> Vec<u8> {
    let head = "From: Dr A. Weber <a.weber@clinic.example>\r\nTo: alex@example.org\r\n\
                Subject: [secure] Your scan\r\nDate: Mon, 23 Nov 2026 10:00:00 +0100\r\n\
                Message-ID: <bench@clinic.example>\r\nMIME-Version: 1.0\r\n\
                Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
                Content-Type: text/plain; charset=utf-8\r\n\r\nDear Alex,\r\nyour scan.\r\n\
                --b\r\nContent-Type: application/pdf\r\n\
                Content-Disposition: attachment; filename=\"scan.pdf\"\r\n\
                Content-Transfer-Encoding: base64\r\n\r\n";
    let tail = "--b--\r\n";
    // 57 bytes make one 76-character line and its CRLF: 78 bytes.
    let lines = (size - head.len() - tail.len()) / 78;
    let mut state = 0x2545_f491_u32;
    let pdf: Vec<u8> = (0..lines * 57)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    let mut raw = head.as_bytes().to_vec();
    for chunk in pdf.chunks(57) {
        raw.extend_from_slice(
            base64::engine::general_purpose::STANDARD
                .encode(chunk)
                .as_bytes(),
        );
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(tail.as_bytes());
    raw
}
