//! Writing what the sealer produces without ever losing a user's data: no
//! existing file is replaced unless asked, no partial file is left behind,
//! and attachments from an envelope are written only once it has verified.

use std::fs::{self, File};
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

use envelope_core::safe_file_name;

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

/// Writes `bytes` to `path`: first to a temporary file beside it, synced,
/// then moved into place. Without `replace`, an existing `path` is an
/// [`io::ErrorKind::AlreadyExists`] error and is left untouched (even one
/// that appears while writing); with it, `path` is replaced atomically.
///
/// # Errors
///
/// When `path` exists (and `replace` is false), or writing fails; no
/// temporary file is left behind either way.
pub fn write_file(path: &Path, bytes: &[u8], replace: bool) -> io::Result<()> {
    write_file_from(path, bytes, replace)
}

/// [`write_file`] with what `contents` reads: `path` appears whole, once
/// `contents` has been read to its end, or not at all.
///
/// # Errors
///
/// As [`write_file`], and when reading `contents` fails.
pub fn write_file_from(path: &Path, mut contents: impl io::Read, replace: bool) -> io::Result<()> {
    if !replace && path.exists() {
        return Err(already_exists(path));
    }
    let temporary = temporary_beside(path);
    let result = (|| {
        let mut file = BufWriter::new(File::create_new(&temporary)?);
        io::copy(&mut contents, &mut file)?;
        file.into_inner()
            .map_err(io::IntoInnerError::into_error)?
            .sync_all()?;
        if replace {
            fs::rename(&temporary, path)
        } else {
            // A hard link fails if `path` appeared meanwhile; a rename
            // would silently replace it.
            fs::hard_link(&temporary, path).map_err(|err| {
                if err.kind() == io::ErrorKind::AlreadyExists {
                    already_exists(path)
                } else {
                    err
                }
            })
        }
    })();
    let _ = fs::remove_file(&temporary);
    result
}

fn already_exists(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{} already exists", path.display()),
    )
}

fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

/// Attachments being written into a folder: each goes to a hidden
/// temporary file first, and only [`Staging::commit`] (called once the
/// whole envelope has verified) gives them their names. Dropped without a
/// commit, it removes them all, so a damaged envelope leaves nothing.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    files: Vec<(PathBuf, String)>,
}

impl Staging {
    /// Stages into `dir`, which must exist.
    pub fn new(dir: &Path) -> Staging {
        Staging {
            dir: dir.to_path_buf(),
            files: Vec::new(),
        }
    }

    /// A new temporary file for the attachment called `name` (as the
    /// envelope names it; made safe on commit).
    ///
    /// # Errors
    ///
    /// When the file cannot be created.
    pub fn create(&mut self, name: &str) -> io::Result<File> {
        let temporary = self.dir.join(format!(
            ".sealer-{}-{}.partial",
            std::process::id(),
            self.files.len()
        ));
        let file = File::create_new(&temporary)?;
        self.files.push((temporary, name.to_owned()));
        Ok(file)
    }

    /// Gives every staged file its final name in the folder: the
    /// attachment's name made safe ([`safe_file_name`]), with ` (2)`,
    /// ` (3)`… before the extension when that name is taken. Returns the
    /// paths in staging order.
    ///
    /// # Errors
    ///
    /// When a file cannot be linked into place; the staged files that
    /// remain are removed.
    pub fn commit(mut self) -> io::Result<Vec<PathBuf>> {
        let mut placed = Vec::with_capacity(self.files.len());
        for (temporary, name) in std::mem::take(&mut self.files) {
            let result = link_unique(&temporary, &self.dir, &safe_file_name(&name));
            let _ = fs::remove_file(&temporary);
            placed.push(result?);
        }
        Ok(placed)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for (temporary, _) in &self.files {
            let _ = fs::remove_file(temporary);
        }
    }
}

/// Links `from` into `dir` under `name`, or `name (2)`, `name (3)`…
fn link_unique(from: &Path, dir: &Path, name: &str) -> io::Result<PathBuf> {
    let (stem, extension) = match name.rfind('.') {
        Some(dot) if dot > 0 => name.split_at(dot),
        _ => (name, ""),
    };
    for n in 1u32.. {
        let candidate = if n == 1 {
            dir.join(name)
        } else {
            dir.join(format!("{stem} ({n}){extension}"))
        };
        match fs::hard_link(from, &candidate) {
            Ok(()) => return Ok(candidate),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists && n < 10_000 => {}
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::other("no free file name"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io::Write;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("sealer-files-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn an_existing_file_is_kept_unless_replacing() {
        let dir = scratch("write");
        let path = dir.join("out.html");
        write_file(&path, b"one", false).unwrap();
        let err = write_file(&path, b"two", false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"one");
        write_file(&path, b"three", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"three");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1, "no temporary left");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn staged_files_appear_only_on_commit_with_safe_unique_names() {
        let dir = scratch("staging");
        fs::write(dir.join("a.txt"), b"already here").unwrap();
        let mut staging = Staging::new(&dir);
        staging.create("../a.txt").unwrap().write_all(b"1").unwrap();
        staging.create("a.txt").unwrap().write_all(b"2").unwrap();
        staging.create("/etc/NUL").unwrap().write_all(b"3").unwrap();
        let placed = staging.commit().unwrap();
        let names: Vec<String> = placed
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a (2).txt", "a (3).txt", "_NUL"]);
        assert_eq!(fs::read(dir.join("a.txt")).unwrap(), b"already here");
        assert_eq!(fs::read(dir.join("a (3).txt")).unwrap(), b"2");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 4);

        let mut abandoned = Staging::new(&dir);
        abandoned
            .create("secret.pdf")
            .unwrap()
            .write_all(b"x")
            .unwrap();
        drop(abandoned);
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            4,
            "nothing staged remains"
        );
        fs::remove_dir_all(dir).unwrap();
    }
}
