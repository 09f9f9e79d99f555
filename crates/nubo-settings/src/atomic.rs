//! Replacing a file safely: read-modify-write under an advisory lock, the new content written to a
//! temporary file in the same directory, flushed, given the old file's mode and renamed over the
//! old one, then the directory flushed; so a reader sees the old file or the new one, never a
//! mix, and a crash leaves the old file intact.
//!
//! The lock is taken on a sidecar file `<name>.lock` next to the target, not on the target
//! itself: the target is replaced by rename, so a lock on it would be held on the old inode and
//! a second writer waiting there would then edit stale content. On Unix the sidecar is removed
//! when the lock is released; a writer that wakes up holding the lock of a sidecar that is no
//! longer at its path (removed by the previous holder) starts again, so removal is race-free.

use crate::edit::EditError;
use fs4::fs_std::FileExt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Locks `path`, reads it (`None` when missing), asks `edit` for the new text and, when it
/// differs, replaces the file atomically. A new file gets `new_file_mode`; an existing one keeps
/// its mode. A missing parent directory is created with mode 0700.
pub(crate) fn update_locked<F>(path: &Path, new_file_mode: u32, edit: F) -> Result<(), EditError>
where
    F: FnOnce(Option<&str>) -> Result<String, EditError>,
{
    let target = follow_symlink(path);
    let dir = parent_dir(&target);
    create_private_dir(&dir)?;
    let lock = Lock::acquire(&target)?;
    let existing = read_existing(&target)?;
    let new_text = edit(existing.as_ref().map(|(text, _)| text.as_str()))?;
    if existing.as_ref().is_some_and(|(old, _)| *old == new_text) {
        return Ok(());
    }
    let mode = existing.map_or(new_file_mode, |(_, mode)| mode);
    let result = write_atomic(&target, new_text.as_bytes(), mode, |from, to| fs::rename(from, to));
    drop(lock);
    result
}

/// The file a symlink points at, so that the rename replaces the target, not the link.
fn follow_symlink(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn io_error(path: &Path, action: &'static str, source: io::Error) -> EditError {
    EditError::Io { path: path.to_path_buf(), action, source }
}

fn create_private_dir(dir: &Path) -> Result<(), EditError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| io_error(dir, "create the directory", e))
}

/// The file's text and permission bits, or `None` when it does not exist.
fn read_existing(path: &Path) -> Result<Option<(String, u32)>, EditError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path, "read", e)),
    };
    let mode = file_mode(path).map_err(|e| io_error(path, "read the permissions of", e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        io_error(path, "edit", io::Error::new(io::ErrorKind::InvalidData, "the file is not valid UTF-8"))
    })?;
    Ok(Some((text, mode)))
}

#[cfg(unix)]
fn file_mode(path: &Path) -> io::Result<u32> {
    use std::os::unix::fs::PermissionsExt;
    Ok(fs::metadata(path)?.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn file_mode(_path: &Path) -> io::Result<u32> {
    Ok(0o600)
}

#[cfg(unix)]
fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &File, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// A file being written next to its target: bytes go to a temporary file in the same folder, and
/// [`PendingFile::commit`] renames it over the target, so readers see the old file or the whole new
/// one. Dropped without a commit, the temporary file is removed and the target is untouched. Every
/// file nubo writes goes this way: its own files durably (file and folder flushed), downloads and
/// `outfile` arguments without the flushes (as the AWS CLI, so many small downloads stay fast).
pub struct PendingFile {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
    durable: bool,
}

impl PendingFile {
    /// Starts a file for `target` (a missing folder is created; with `mode`, the permission bits the
    /// new file gets, else the default ones). `durable` flushes file and folder on commit.
    pub fn create(target: &Path, mode: Option<u32>, durable: bool) -> io::Result<PendingFile> {
        // A symlink stays: the file it points at is replaced.
        let target = &follow_symlink(target);
        let dir = parent_dir(target);
        fs::create_dir_all(&dir)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".tmp").tempfile_in(&dir)?;
        if let Some(mode) = mode {
            set_mode(tmp.as_file(), mode)?;
        }
        Ok(PendingFile { tmp, target: target.to_path_buf(), durable })
    }

    /// The temporary file, to write into (at any offset).
    pub fn file(&self) -> &File {
        self.tmp.as_file()
    }

    /// The temporary file's path.
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Moves the finished file over the target.
    pub fn commit(self) -> io::Result<()> {
        self.commit_with(|from, to| fs::rename(from, to))
    }

    fn commit_with(self, rename: impl FnOnce(&Path, &Path) -> io::Result<()>) -> io::Result<()> {
        if self.durable {
            self.tmp.as_file().sync_all()?;
        }
        let tmp_path = self.tmp.into_temp_path();
        // On failure `tmp_path` is dropped here, which deletes the temporary file.
        rename(&tmp_path, &self.target)?;
        // Renamed: nothing left to delete. `keep` only disarms the deletion.
        let _ = tmp_path.keep();
        if self.durable {
            sync_dir(&parent_dir(&self.target));
        }
        Ok(())
    }
}

/// Replaces `target` with `bytes` through a [`PendingFile`].
pub fn write_file(target: &Path, bytes: &[u8], mode: Option<u32>, durable: bool) -> io::Result<()> {
    let pending = PendingFile::create(target, mode, durable)?;
    pending.file().write_all(bytes)?;
    pending.commit()
}

/// Writes `bytes` to a temporary file next to `target` with permission bits `mode`, flushes it,
/// moves it over `target` with `rename` and flushes the directory. On any failure the temporary
/// file is removed and `target` is untouched.
pub(crate) fn write_atomic<R>(target: &Path, bytes: &[u8], mode: u32, rename: R) -> Result<(), EditError>
where
    R: FnOnce(&Path, &Path) -> io::Result<()>,
{
    let dir = parent_dir(target);
    let pending = PendingFile::create(target, Some(mode), true)
        .map_err(|e| io_error(&dir, "create a temporary file in", e))?;
    let tmp = pending.path().to_path_buf();
    pending.file().write_all(bytes).map_err(|e| io_error(&tmp, "write", e))?;
    pending.commit_with(rename).map_err(|e| io_error(target, "replace", e))
}

/// Flushes a directory entry change to disk. Best effort: some file systems refuse to sync a
/// directory, and the rename has already happened.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// An exclusive advisory lock on `<target>.lock`, released (and the sidecar removed) on drop.
struct Lock {
    file: File,
    path: PathBuf,
}

impl Lock {
    fn acquire(target: &Path) -> Result<Lock, EditError> {
        let mut name = target.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        let path = target.with_file_name(name);
        loop {
            let mut options = OpenOptions::new();
            options.read(true).write(true).create(true).truncate(false);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let file = options.open(&path).map_err(|e| io_error(&path, "create the lock file", e))?;
            FileExt::lock_exclusive(&file).map_err(|e| io_error(&path, "lock", e))?;
            if still_at_path(&file, &path) {
                return Ok(Lock { file, path });
            }
            // The previous holder removed this sidecar after we opened it: try again.
        }
    }
}

#[cfg(unix)]
fn still_at_path(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_at_path(_file: &File, _path: &Path) -> bool {
    true
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Remove while still holding the lock (see the module doc), then release it. On other
        // platforms an open file cannot be removed, so the sidecar stays.
        #[cfg(unix)]
        let _ = fs::remove_file(&self.path);
        let _ = FileExt::unlock(&self.file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn failing_rename_leaves_original_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("credentials");
        fs::write(&target, "original").unwrap();
        let err = write_atomic(&target, b"new", 0o600, |_, _| Err(io::Error::other("injected failure")))
            .unwrap_err();
        assert!(err.to_string().contains("injected failure"), "{err}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "original");
        assert_eq!(names(dir.path()), ["credentials"]);
    }

    #[test]
    fn failing_edit_leaves_original_and_no_stray_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("config");
        fs::write(&target, "original").unwrap();
        let err = update_locked(&target, 0o600, |_| Err(EditError::Invalid("nope".into()))).unwrap_err();
        assert_eq!(err.to_string(), "nope");
        assert_eq!(fs::read_to_string(&target).unwrap(), "original");
        assert_eq!(names(dir.path()), ["config"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_file_is_replaced_at_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        let link = dir.path().join("link");
        fs::write(&real, "a").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        update_locked(&link, 0o600, |old| Ok(format!("{}b", old.unwrap()))).unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "ab");
    }

    #[test]
    fn unchanged_text_is_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("config");
        fs::write(&target, "same").unwrap();
        let before = fs::metadata(&target).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        update_locked(&target, 0o600, |old| Ok(old.unwrap().to_string())).unwrap();
        assert_eq!(fs::metadata(&target).unwrap().modified().unwrap(), before);
    }

    #[test]
    fn lock_serializes_concurrent_writers() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("config");
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let target = target.clone();
                std::thread::spawn(move || {
                    for j in 0..10 {
                        update_locked(&target, 0o600, |old| Ok(format!("{}{i}-{j}\n", old.unwrap_or(""))))
                            .unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(fs::read_to_string(&target).unwrap().lines().count(), 80);
        assert_eq!(names(dir.path()), ["config"]);
    }
}
