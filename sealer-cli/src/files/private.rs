//! Files that hold secrets or records of them: created readable by their
//! owner only (mode 600, folders 700, on Unix), read with a bound and
//! refused when others may read them, and logs appended one JSON line at a
//! time. Every command and the gateway go through these, so no secret file
//! is ever made or read another way.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::{Error, ErrorKind, Result};

/// Largest secret file read: a key, a passphrase or a password file is a
/// few hundred bytes.
const MAX_SECRET_FILE: u64 = 64 * 1024;

/// Refuses `file` (opened from `path`) when others, its group included, may
/// read it: for what holds keys, passphrases or records of what was sent.
/// Where there are no Unix permissions, nothing is checked.
///
/// # Errors
///
/// [`io::ErrorKind::PermissionDenied`], saying so and how to fix it, or the
/// error reading the file's permissions.
pub fn check_private(file: &File, path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "{} can be read by others (mode {:o}); make it readable by its owner only \
                     (chmod 600)",
                    path.display(),
                    mode & 0o777
                ),
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = (file, path);
    Ok(())
}

/// Creates a folder (and, with `recursive`, its missing parents) that only
/// its owner can enter (mode 700 on Unix).
///
/// # Errors
///
/// As [`fs::create_dir`]: [`io::ErrorKind::AlreadyExists`] when it exists
/// (unless `recursive`).
pub fn create_private_dir(path: &Path, recursive: bool) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(recursive);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Creates a new file that only its owner can read (mode 600 on Unix).
///
/// # Errors
///
/// [`io::ErrorKind::AlreadyExists`] when `path` exists, or as
/// [`OpenOptions::open`].
pub fn create_private_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Writes `bytes` to a new owner-only file at `path`, synced; a file that
/// could not be written whole is removed again.
///
/// # Errors
///
/// As [`create_private_file`], and when writing fails.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = create_private_file(path)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if written.is_err() {
        let _ = fs::remove_file(path);
    }
    written
}

/// The first line of a secret file's text (a passphrase, a password):
/// without a leading byte-order mark (Windows editors write one, and it
/// would become part of the passphrase) and without its line ending
/// (editors add one).
pub fn first_line(text: &str) -> &str {
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .lines()
        .next()
        .unwrap_or("")
}

/// The first line of the file at `path`, which holds a `what` ("passphrase",
/// "password"): read up to 64 KiB, as [`first_line`] takes it.
///
/// # Errors
///
/// [`ErrorKind::Unreadable`] when it cannot be read or is not UTF-8;
/// [`ErrorKind::InvalidInput`] when its first line is empty.
pub fn read_first_line(path: &Path, what: &str) -> Result<String> {
    let file = File::open(path).map_err(|err| unreadable_as(what, path, err))?;
    let text = read_bounded(file).map_err(|err| unreadable_as(what, path, err))?;
    let line = first_line(&text);
    if line.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "the {what} file {} is empty; put the {what} on its first line",
                path.display()
            ),
        ));
    }
    Ok(line.to_owned())
}

/// The text of a private file (a private key), read up to 64 KiB.
///
/// # Errors
///
/// [`ErrorKind::Unreadable`] when it cannot be read or is not UTF-8;
/// [`ErrorKind::NotPrivate`] when others may read it.
pub fn read_private_text(path: &Path) -> Result<String> {
    let file = File::open(path).map_err(|err| unreadable(path, err))?;
    check_private(&file, path).map_err(|err| match err.kind() {
        io::ErrorKind::PermissionDenied => {
            Error::new(ErrorKind::NotPrivate, err.to_string()).with_source(err)
        }
        _ => unreadable(path, err),
    })?;
    read_bounded(file).map_err(|err| unreadable(path, err))
}

/// The text of a small file that is not secret (a public key), read up
/// to 64 KiB.
///
/// # Errors
///
/// [`ErrorKind::Unreadable`] when it cannot be read or is not UTF-8.
pub fn read_small_text(path: &Path) -> Result<String> {
    File::open(path)
        .and_then(read_bounded)
        .map_err(|err| unreadable(path, err))
}

fn read_bounded(file: File) -> io::Result<String> {
    let mut text = String::new();
    file.take(MAX_SECRET_FILE).read_to_string(&mut text)?;
    Ok(text)
}

fn unreadable(path: &Path, err: io::Error) -> Error {
    Error::new(
        ErrorKind::Unreadable,
        format!("cannot read {}: {err}", path.display()),
    )
    .with_source(err)
}

fn unreadable_as(what: &str, path: &Path, err: io::Error) -> Error {
    Error::new(
        ErrorKind::Unreadable,
        format!("cannot read the {what} file {}: {err}", path.display()),
    )
    .with_source(err)
}

/// A log of one JSON object per line, opened for appending: each entry is
/// one write to a file opened with `O_APPEND`, so lines from processes
/// running side by side do not interleave, and it is synced before
/// [`JsonLines::append`] returns.
#[derive(Debug)]
pub struct JsonLines {
    file: File,
    path: PathBuf,
}

impl JsonLines {
    /// Opens the log at `path`, creating it readable by its owner only.
    ///
    /// # Errors
    ///
    /// As [`OpenOptions::open`].
    pub fn open(path: &Path) -> io::Result<JsonLines> {
        let mut options = OpenOptions::new();
        options.append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        Ok(JsonLines {
            file: options.open(path)?,
            path: path.to_owned(),
        })
    }

    /// The open file (to check who may read it).
    pub fn file(&self) -> &File {
        &self.file
    }

    /// Where the log is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `entry` as one line.
    ///
    /// # Errors
    ///
    /// When it cannot be encoded, or writing fails.
    pub fn append(&mut self, entry: &impl serde::Serialize) -> io::Result<()> {
        let mut line = serde_json::to_vec(entry).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::files::tests::scratch;

    #[test]
    fn secret_files_are_bounded_first_lines_and_private_ones_are_checked() {
        let dir = scratch("private-secrets");
        let pass = dir.join("pass.txt");
        fs::write(&pass, "\u{feff}words here\r\nsecond\r\n").unwrap();
        assert_eq!(read_first_line(&pass, "passphrase").unwrap(), "words here");
        fs::write(&pass, "\n").unwrap();
        let empty = read_first_line(&pass, "passphrase").unwrap_err();
        assert_eq!(empty.kind(), ErrorKind::InvalidInput);
        let missing = read_first_line(&dir.join("none"), "password").unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::Unreadable);
        assert!(
            missing.to_string().contains("the password file"),
            "{missing}"
        );

        let key = dir.join("key");
        write_private_file(&key, b"secret key\n").unwrap();
        assert_eq!(read_private_text(&key).unwrap(), "secret key\n");
        assert!(
            write_private_file(&key, b"again").is_err(),
            "never replaced"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&key).unwrap().permissions().mode() & 0o777,
                0o600
            );
            fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).unwrap();
            let shared = read_private_text(&key).unwrap_err();
            assert_eq!(shared.kind(), ErrorKind::NotPrivate);
            assert!(shared.to_string().contains("chmod 600"), "{shared}");
        }
        let big = dir.join("big");
        fs::write(&big, "x".repeat(100_000)).unwrap();
        assert_eq!(read_first_line(&big, "passphrase").unwrap().len(), 65_536);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_log_gets_one_whole_line_per_entry() {
        let dir = scratch("private-lines");
        let path = dir.join("log.jsonl");
        let mut log = JsonLines::open(&path).unwrap();
        log.append(&serde_json::json!({"a": 1})).unwrap();
        JsonLines::open(&path)
            .unwrap()
            .append(&serde_json::json!({"b": "two\nlines"}))
            .unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "{\"a\":1}\n{\"b\":\"two\\nlines\"}\n"
        );
        check_private(log.file(), log.path()).unwrap();
        fs::remove_dir_all(dir).unwrap();
    }
}
