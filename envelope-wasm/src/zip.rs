//! "Save all": the attachments as one ZIP file, made on the page.
//!
//! The entries are *stored* (not compressed): attachments are mostly PDFs
//! and images that do not compress, the page needs no deflate code, and the
//! file is built as a Blob from the decrypted bytes themselves (only the
//! headers are new bytes), so no attachment is copied. One file rather than
//! one download after another: browsers stop a page that starts many
//! downloads at once (Chromium asks, Safari drops all but the first), and a
//! recipient gets one thing to keep.
//!
//! The format is APPNOTE 6.3.10's plainest: no ZIP64 (the page holds far
//! less than 4 GiB), UTF-8 names (general-purpose bit 11), the message's
//! date as every entry's time.

/// One file in the ZIP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its name in the ZIP (see [`unique_names`]).
    pub name: String,
    /// CRC-32 of its bytes ([`Crc32`]).
    pub crc32: u32,
    /// Its size in bytes.
    pub size: u32,
}

/// The new bytes of a stored ZIP: one local header before each entry's
/// bytes, and the central directory after the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The local header of each entry, in order.
    pub local_headers: Vec<Vec<u8>>,
    /// The central directory and its end record.
    pub directory: Vec<u8>,
}

/// Most entries a ZIP without ZIP64 holds.
const MAX_ENTRIES: usize = 0xffff;
/// UTF-8 names.
const FLAG_UTF8: u16 = 1 << 11;

/// The ZIP around `entries`, dated `unix_seconds` (UTC); `None` when they
/// do not fit a ZIP without ZIP64 (more than 65,535 entries, or 4 GiB).
pub fn layout(entries: &[Entry], unix_seconds: i64) -> Option<Layout> {
    if entries.len() > MAX_ENTRIES {
        return None;
    }
    let (time, date) = dos_date_time(unix_seconds);
    let mut local_headers = Vec::with_capacity(entries.len());
    let mut directory = Vec::new();
    let mut offset: u32 = 0;
    for entry in entries {
        let name = entry.name.as_bytes();
        let name_len = u16::try_from(name.len()).ok()?;
        let mut local = Vec::with_capacity(30 + name.len());
        local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common_fields(&mut local, entry, name_len, time, date);
        local.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        local.extend_from_slice(name);

        directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        directory.extend_from_slice(&20u16.to_le_bytes()); // made by: 2.0, MS-DOS
        common_fields(&mut directory, entry, name_len, time, date);
        directory.extend_from_slice(&[0; 2 + 2 + 2 + 2 + 4]); // extra, comment, disk, attributes
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name);

        let local_len = u32::try_from(local.len()).ok()?;
        offset = offset.checked_add(local_len)?.checked_add(entry.size)?;
        local_headers.push(local);
    }
    let directory_len = u32::try_from(directory.len()).ok()?;
    offset.checked_add(directory_len)?;
    let count = u16::try_from(entries.len()).ok()?;
    directory.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    directory.extend_from_slice(&[0; 4]); // this disk, the directory's disk
    directory.extend_from_slice(&count.to_le_bytes());
    directory.extend_from_slice(&count.to_le_bytes());
    directory.extend_from_slice(&directory_len.to_le_bytes());
    directory.extend_from_slice(&offset.to_le_bytes());
    directory.extend_from_slice(&0u16.to_le_bytes()); // comment length
    Some(Layout {
        local_headers,
        directory,
    })
}

/// The fields a local header and a central directory record share, from
/// "version needed" to "extra field length" (exclusive).
fn common_fields(out: &mut Vec<u8>, entry: &Entry, name_len: u16, time: u16, date: u16) {
    out.extend_from_slice(&10u16.to_le_bytes()); // version needed: 1.0, stored
    out.extend_from_slice(&FLAG_UTF8.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // method: stored
    out.extend_from_slice(&time.to_le_bytes());
    out.extend_from_slice(&date.to_le_bytes());
    out.extend_from_slice(&entry.crc32.to_le_bytes());
    out.extend_from_slice(&entry.size.to_le_bytes()); // compressed size
    out.extend_from_slice(&entry.size.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
}

/// MS-DOS time and date fields for `unix_seconds` (UTC), clamped to the
/// years they can say (1980–2107).
fn dos_date_time(unix_seconds: i64) -> (u16, u16) {
    const EARLIEST: i64 = 315_532_800; // 1980-01-01T00:00:00Z
    const LATEST: i64 = 4_354_819_198; // 2107-12-31T23:59:58Z
    let seconds = unix_seconds.clamp(EARLIEST, LATEST);
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    let time = ((of_day / 3600) << 11) | ((of_day % 3600 / 60) << 5) | ((of_day % 60) / 2);
    let date = ((year - 1980) << 9) | (month << 5) | day;
    // Within 16 bits by the clamp above.
    (
        u16::try_from(time).unwrap_or(0),
        u16::try_from(date).unwrap_or(0),
    )
}

/// Year, month and day of a day count since 1970-01-01 (proleptic
/// Gregorian; Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Names for the entries, from the attachments' safe file names: a name
/// that comes again gets " (2)", " (3)"… before its extension, compared
/// without regard to ASCII case (as Windows and macOS would; their
/// folding of other letters would cost the decryptor Unicode's case
/// tables, so "É.pdf" and "é.pdf" stay two names).
pub fn unique_names(names: &[String]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::with_capacity(names.len());
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let (stem, extension) = match name.rfind('.') {
            Some(dot) if dot > 0 => name.split_at(dot),
            _ => (name.as_str(), ""),
        };
        let mut candidate = name.clone();
        let mut n = 2;
        while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
            candidate = format!("{stem} ({n}){extension}");
            n += 1;
        }
        taken.push(candidate.clone());
        out.push(candidate);
    }
    out
}

/// CRC-32 (ISO-HDLC, the ZIP one), fed in pieces.
#[derive(Debug, Clone, Copy)]
pub struct Crc32(u32);

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

impl Default for Crc32 {
    fn default() -> Self {
        Crc32(0xffff_ffff)
    }
}

impl Crc32 {
    /// Adds `bytes`.
    pub fn update(&mut self, bytes: &[u8]) {
        let mut c = self.0;
        for &byte in bytes {
            c = CRC_TABLE[((c ^ u32::from(byte)) & 0xff) as usize] ^ (c >> 8);
        }
        self.0 = c;
    }

    /// The checksum of everything added.
    pub fn finish(self) -> u32 {
        self.0 ^ 0xffff_ffff
    }
}

/// The whole ZIP of `files` (name, bytes), for tests and tools that hold
/// the bytes; the page builds the same bytes as a Blob from [`layout`].
pub fn stored_zip(files: &[(String, &[u8])], unix_seconds: i64) -> Option<Vec<u8>> {
    let entries = files
        .iter()
        .map(|(name, bytes)| {
            let mut crc = Crc32::default();
            crc.update(bytes);
            Some(Entry {
                name: name.clone(),
                crc32: crc.finish(),
                size: u32::try_from(bytes.len()).ok()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let layout = layout(&entries, unix_seconds)?;
    let mut out = Vec::new();
    for ((_, bytes), local) in files.iter().zip(&layout.local_headers) {
        out.extend_from_slice(local);
        out.extend_from_slice(bytes);
    }
    out.extend_from_slice(&layout.directory);
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io::Read;

    #[test]
    fn crc32_is_the_zip_one() {
        let mut crc = Crc32::default();
        crc.update(b"123456789");
        assert_eq!(crc.finish(), 0xcbf4_3926);
        let mut pieces = Crc32::default();
        pieces.update(b"1234");
        pieces.update(b"56789");
        assert_eq!(pieces.finish(), 0xcbf4_3926);
        assert_eq!(Crc32::default().finish(), 0);
    }

    #[test]
    fn a_zip_reader_reads_back_every_file_and_its_name() {
        let files: Vec<(String, &[u8])> = vec![
            ("résultats.pdf".into(), b"%PDF-1.7 not really".as_slice()),
            ("empty.txt".into(), b"".as_slice()),
            ("检查.png".into(), &[0u8, 1, 2, 255][..]),
        ];
        let bytes = stored_zip(&files, 1_764_500_000).unwrap();
        let mut archive = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 3);
        for (index, (name, content)) in files.iter().enumerate() {
            let mut file = archive.by_index(index).unwrap();
            assert_eq!(file.name(), name);
            let mut read = Vec::new();
            file.read_to_end(&mut read).unwrap();
            assert_eq!(&read, content);
            let modified = file.last_modified().unwrap();
            // 2025-11-30T10:53:20Z
            assert_eq!(
                (modified.year(), modified.month(), modified.day()),
                (2025, 11, 30)
            );
            assert_eq!((modified.hour(), modified.minute()), (10, 53));
        }
    }

    #[test]
    fn dates_outside_what_dos_can_say_are_clamped() {
        assert_eq!(dos_date_time(0), (0, (1 << 5) | 1));
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn repeated_names_are_numbered_before_their_extension() {
        let names: Vec<String> = ["a.pdf", "A.pdf", "a.pdf", "notes", "notes", ".hidden"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            unique_names(&names),
            [
                "a.pdf",
                "A (2).pdf",
                "a (3).pdf",
                "notes",
                "notes (2)",
                ".hidden"
            ]
        );
    }

    #[test]
    fn too_many_entries_give_no_zip() {
        let entry = Entry {
            name: "x".into(),
            crc32: 0,
            size: 0,
        };
        assert!(layout(&vec![entry.clone(); MAX_ENTRIES + 1], 0).is_none());
        let huge = Entry {
            size: u32::MAX,
            ..entry
        };
        assert!(layout(&[huge.clone(), huge], 0).is_none());
    }
}
