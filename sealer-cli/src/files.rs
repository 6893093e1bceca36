//! Writing what the sealer produces without ever losing a user's data: no
//! existing file is replaced unless asked, no partial file is left behind,
//! and attachments from an envelope are written only once it has verified.
//! And, in one place, the files that hold secrets: owner-only
//! files and folders, private key and passphrase files read with a bound,
//! and the append-only JSON-lines logs.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

use envelope_core::safe_file_name;

mod private;
pub use private::{
    JsonLines, check_private, create_private_dir, create_private_file, first_line, read_first_line,
    read_private_text, read_small_text, write_private_file,
};

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

/// Writes several files as one: each is written whole to a temporary file
/// first, and only when all are written are they given their names. If
/// one cannot be placed, those placed before it are removed again (unless
/// they replaced a file: that one is not brought back), so a failure
/// leaves no partial set (a page without its notice e-mail).
///
/// # Errors
///
/// As [`write_file`], for any of them; nothing new remains.
pub fn write_files(files: &[(&Path, &[u8])], replace: bool) -> io::Result<()> {
    let mut outputs = Outputs::new(replace);
    for (path, _) in files {
        outputs.check(path)?;
    }
    for (path, bytes) in files {
        let mut file = outputs.create(path)?;
        io::Write::write_all(&mut file, bytes)?;
        file.sync_all()?;
    }
    outputs.commit()
}

/// Files written as one, however large, as they are produced: each goes to
/// a temporary file beside its path ([`Outputs::create`]), and
/// [`Outputs::commit`] gives them all their names, or none. Dropped without
/// a commit (the work failed), it removes the temporary files: no partial
/// file is ever left.
#[derive(Debug)]
pub struct Outputs {
    replace: bool,
    /// Temporary file and final path, in creation order.
    staged: Vec<(PathBuf, PathBuf)>,
}

impl Outputs {
    /// Files that replace existing ones only with `replace`.
    pub fn new(replace: bool) -> Outputs {
        Outputs {
            replace,
            staged: Vec::new(),
        }
    }

    /// Refuses a `path` that exists (without `replace`).
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::AlreadyExists`].
    pub fn check(&self, path: &Path) -> io::Result<()> {
        if !self.replace && path.exists() {
            return Err(already_exists(path));
        }
        Ok(())
    }

    /// The temporary file that becomes `path` on commit. Sync it
    /// ([`File::sync_all`]) once written.
    ///
    /// # Errors
    ///
    /// When `path` exists (without `replace`) or the file cannot be made.
    pub fn create(&mut self, path: &Path) -> io::Result<File> {
        self.check(path)?;
        let temporary = temporary_beside(path);
        let file = File::create_new(&temporary)?;
        self.staged.push((temporary, path.to_path_buf()));
        Ok(file)
    }

    /// Where what becomes `path` is being written, to read it back.
    pub fn temporary(&self, path: &Path) -> Option<&Path> {
        self.staged
            .iter()
            .find(|(_, staged)| staged == path)
            .map(|(temporary, _)| temporary.as_path())
    }

    /// Gives every file its name. Without `replace`, a path that appeared
    /// meanwhile is not replaced: then the files placed before it are
    /// removed again (unless they replaced one).
    ///
    /// # Errors
    ///
    /// When a file cannot be placed; nothing new remains then.
    pub fn commit(mut self) -> io::Result<()> {
        let mut placed: Vec<&Path> = Vec::new();
        for (temporary, path) in &self.staged {
            let existed = path.exists();
            let result = if self.replace {
                fs::rename(temporary, path)
            } else {
                // A hard link fails if `path` appeared meanwhile; a rename
                // would silently replace it.
                fs::hard_link(temporary, path).map_err(|err| {
                    if err.kind() == io::ErrorKind::AlreadyExists {
                        already_exists(path)
                    } else {
                        err
                    }
                })
            };
            if let Err(err) = result {
                for path in placed {
                    let _ = fs::remove_file(path);
                }
                return Err(err);
            }
            if !existed {
                placed.push(path);
            }
        }
        self.remove_temporaries();
        Ok(())
    }

    fn remove_temporaries(&mut self) {
        for (temporary, _) in std::mem::take(&mut self.staged) {
            let _ = fs::remove_file(&temporary);
        }
    }
}

impl Drop for Outputs {
    fn drop(&mut self) {
        self.remove_temporaries();
    }
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
    /// envelope names it; made safe on commit), readable by its owner only
    /// (it holds decrypted content).
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
        let file = create_private_file(&temporary)?;
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
    /// When a file cannot be linked into place. Then nothing of the
    /// envelope stays in the folder: neither the files already placed nor
    /// the staged ones.
    pub fn commit(mut self) -> io::Result<Vec<PathBuf>> {
        let mut placed = Vec::with_capacity(self.files.len());
        // The next number to try for each name: repeated names cost one
        // link each, not one per earlier copy.
        let mut next_number: HashMap<String, u32> = HashMap::new();
        for (temporary, name) in &self.files {
            let name = fit_name(&safe_file_name(name));
            let first = next_number.get(&name).copied().unwrap_or(1);
            match link_unique(temporary, &self.dir, &name, first) {
                Ok((path, number)) => {
                    next_number.insert(name, number + 1);
                    placed.push(path);
                }
                Err(err) => {
                    for path in &placed {
                        let _ = fs::remove_file(path);
                    }
                    // Drop removes every staged file.
                    return Err(err);
                }
            }
        }
        for (temporary, _) in std::mem::take(&mut self.files) {
            let _ = fs::remove_file(&temporary);
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

/// Longest file name written, in bytes: file systems allow 255, and
/// ` (10000)` may be added.
const MAX_NAME_BYTES: usize = 240;

/// `name`, shortened to [`MAX_NAME_BYTES`] at a character boundary,
/// keeping a short extension.
fn fit_name(name: &str) -> String {
    if name.len() <= MAX_NAME_BYTES {
        return name.to_owned();
    }
    let extension = match name.rfind('.') {
        Some(dot) if dot > 0 && name.len() - dot <= 16 => &name[dot..],
        _ => "",
    };
    let mut stem_end = MAX_NAME_BYTES - extension.len();
    while !name.is_char_boundary(stem_end) {
        stem_end -= 1;
    }
    format!("{}{extension}", &name[..stem_end])
}

/// Links `from` into `dir` under `name`, or `name (N)` for the first free
/// N from `first` on; returns the path and the number used (1 for `name`
/// itself).
fn link_unique(from: &Path, dir: &Path, name: &str, first: u32) -> io::Result<(PathBuf, u32)> {
    const MOST_TRIES: u32 = 10_000;
    let (stem, extension) = match name.rfind('.') {
        Some(dot) if dot > 0 => name.split_at(dot),
        _ => (name, ""),
    };
    for n in first..first.saturating_add(MOST_TRIES) {
        let candidate = if n == 1 {
            dir.join(name)
        } else {
            dir.join(format!("{stem} ({n}){extension}"))
        };
        match fs::hard_link(from, &candidate) {
            Ok(()) => return Ok((candidate, n)),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::other(format!("no free file name for {name}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io::Write;

    /// A new, empty folder for one test (also for `private`'s).
    pub(super) fn scratch(name: &str) -> PathBuf {
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

    #[test]
    fn a_secret_file_is_its_first_line_without_a_byte_order_mark() {
        assert_eq!(first_line("\u{feff}tulip gravel\r\nsecond"), "tulip gravel");
        assert_eq!(first_line("tulip\n"), "tulip");
        assert_eq!(first_line(""), "");
    }

    #[test]
    fn files_written_together_appear_together_or_not_at_all() {
        let dir = scratch("together");
        let (page, mail) = (dir.join("a.html"), dir.join("missing/a.eml"));
        // The second cannot be written (no such folder): the first is not
        // left behind.
        assert!(write_files(&[(&page, b"page"), (&mail, b"mail")], false).is_err());
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
        let mail = dir.join("a.eml");
        write_files(&[(&page, b"page"), (&mail, b"mail")], false).unwrap();
        assert_eq!(fs::read(&mail).unwrap(), b"mail");
        let err = write_files(&[(&page, b"2"), (&mail, b"2")], false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&page).unwrap(), b"page");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_failed_commit_leaves_nothing_of_the_envelope() {
        let dir = scratch("failed-commit");
        let mut staging = Staging::new(&dir);
        staging
            .create("first.pdf")
            .unwrap()
            .write_all(b"1")
            .unwrap();
        staging
            .create("second.pdf")
            .unwrap()
            .write_all(b"2")
            .unwrap();
        staging
            .create("third.pdf")
            .unwrap()
            .write_all(b"3")
            .unwrap();
        // The second cannot be placed (its staged file is gone).
        let second = staging.files[1].0.clone();
        fs::remove_file(second).unwrap();
        assert!(staging.commit().is_err());
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0, "nothing left");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn saved_files_are_the_owners_only_and_long_names_fit() {
        let dir = scratch("modes");
        let mut staging = Staging::new(&dir);
        let long = format!("{}.pdf", "\u{e9}".repeat(300));
        staging.create(&long).unwrap().write_all(b"x").unwrap();
        let placed = staging.commit().unwrap();
        let name = placed[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            name.len() <= MAX_NAME_BYTES && name.starts_with('\u{e9}'),
            "{name}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&placed[0]).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn ten_thousand_files_of_one_name_are_placed_in_linear_time() {
        let dir = scratch("many");
        let mut staging = Staging::new(&dir);
        for _ in 0..10_000 {
            staging.create("scan.pdf").unwrap();
        }
        let started = std::time::Instant::now();
        let placed = staging.commit().unwrap();
        assert_eq!(placed.len(), 10_000);
        assert!(placed[9_999].ends_with("scan (10000).pdf"));
        // Not a benchmark: a quadratic commit took minutes.
        assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
        fs::remove_dir_all(dir).unwrap();
    }
}
