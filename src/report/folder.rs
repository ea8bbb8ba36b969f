//! Output folders that always hold one complete run, and locks that keep two runs apart:
//! see [`OutputFolder`] and [`RunLock`].

use super::RESULT_FILES;
use super::output_file::output_error;
use crate::Error;
use std::ffi::{OsStr, OsString};
use std::fs::{self, File, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The name of the lock of `name`: `.NAME.careflow-lock`, beside it.
fn lock_name(name: &OsStr) -> OsString {
    let mut lock = OsString::from(".");
    lock.push(name);
    lock.push(".careflow-lock");
    lock
}

/// The prefix of the staging folders of output folder `name`: `.NAME.careflow-staging-`.
fn staging_prefix(name: &OsStr) -> OsString {
    let mut prefix = OsString::from(".");
    prefix.push(name);
    prefix.push(".careflow-staging-");
    prefix
}

/// An exclusive claim on a path (an output folder, a shard file) held by this process while
/// it writes there: the file `.NAME.careflow-lock` beside the path, holding the process id,
/// locked with the operating system's advisory file lock. A second run that asks for the
/// same path is refused while this one lives; a lock left behind by a killed run is no longer
/// locked, so the next run takes it over. Released (and the file removed) when dropped.
#[derive(Debug)]
pub struct RunLock {
    path: PathBuf,
    file: File,
}

impl RunLock {
    /// Locks `path` (which need not exist) for this process by creating or taking over
    /// `.NAME.careflow-lock` in its folder. Creating it proves the folder can be written.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] if another careflow run holds the lock (naming its process id and the
    /// lock file) or the lock's name is taken by something that is not a lock (a link, a
    /// folder); [`Error::Output`] if the lock file cannot be created.
    pub fn acquire(path: &Path) -> Result<RunLock, Error> {
        let name = path.file_name().ok_or_else(|| {
            Error::Usage(format!("{}: not a file or folder name", path.display()))
        })?;
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let lock = dir.join(lock_name(name));
        // A few rounds at most: another run may remove or replace the file between our open
        // and our lock, and then we start again on the new file.
        for _ in 0..100 {
            let (mut file, created) = match open_lock(&lock, true) {
                Ok(file) => (file, true),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match open_lock(&lock, false)
                {
                    Ok(file) => (file, false),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                    Err(e) => return Err(not_a_lock(&lock, path, e)),
                },
                // Name the folder: the lock is only how we found out it cannot be written.
                Err(e) => return Err(output_error(dir, e)),
            };
            let meta = file.metadata().map_err(|e| output_error(&lock, e))?;
            if !meta.is_file() || hard_links(&meta) != 1 {
                return Err(not_a_lock(
                    &lock,
                    path,
                    io::Error::other("not a plain file of its own"),
                ));
            }
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = holder.trim();
                    return Err(Error::Usage(format!(
                        "{}: another careflow run ({}) is writing there; wait for it to finish, or --out another folder (the lock is {}; if no careflow run is writing there, delete it)",
                        path.display(),
                        if holder.is_empty() {
                            "starting up"
                        } else {
                            holder
                        },
                        lock.display()
                    )));
                }
                // A filesystem without advisory locks: exclusive creation alone keeps runs
                // apart, and a lock left by a killed run must be removed by hand.
                Err(TryLockError::Error(_)) if created => {}
                Err(TryLockError::Error(e)) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    return Err(Error::Usage(format!(
                        "{}: locked by {} (the lock is {}, and this filesystem cannot say whether that run still lives: {e}); if no careflow run is writing there, delete the lock",
                        path.display(),
                        holder.trim(),
                        lock.display()
                    )));
                }
            }
            // The file may have been removed (by its holder finishing) between our open and
            // our lock: then we hold a lock on a file nobody else can see, so start again.
            match fs::symlink_metadata(&lock) {
                Ok(now) if same_file(&now, &meta) => {}
                Ok(_) => continue,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(output_error(&lock, e)),
            }
            let holder = format!("pid {}", std::process::id());
            file.set_len(0)
                .and_then(|()| file.write_all(holder.as_bytes()))
                .map_err(|e| output_error(&lock, e))?;
            return Ok(RunLock { path: lock, file });
        }
        Err(Error::Usage(format!(
            "{}: the lock {} keeps changing; is another careflow run starting there?",
            path.display(),
            lock.display()
        )))
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the temporary files a killed run left while writing files of the locked name
    /// (`.NAME.*.tmp` beside it: `.shard-1-of-4.*.tmp` for `shard-1-of-4`). Holding the lock,
    /// no live run owns them. Returns how many were removed.
    ///
    /// # Errors
    ///
    /// [`Error::Output`] if the folder cannot be listed or a file cannot be removed.
    pub fn remove_temp_files(&self) -> Result<usize, Error> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let lock = self.path.file_name().and_then(OsStr::to_str).unwrap_or("");
        let prefix = lock.strip_suffix("careflow-lock").unwrap_or(lock);
        let mut removed = 0;
        for entry in fs::read_dir(dir).map_err(|e| output_error(dir, e))? {
            let entry = entry.map_err(|e| output_error(dir, e))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.starts_with(prefix)
                && name.ends_with(".tmp")
                && entry.file_type().is_ok_and(|t| t.is_file())
            {
                fs::remove_file(entry.path()).map_err(|e| output_error(&entry.path(), e))?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Remove the file while still holding the lock, so that a run waiting on this very
        // file sees it gone and starts again on a new one.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Opens the lock file: `create` exclusively, or an existing one; never through a link.
fn open_lock(lock: &Path, create: bool) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true);
    if create {
        options.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW).mode(0o644);
    }
    options.open(lock)
}

fn not_a_lock(lock: &Path, path: &Path, e: io::Error) -> Error {
    Error::Usage(format!(
        "{}: {} is in the way of careflow's lock and is not one ({e}); remove it",
        path.display(),
        lock.display()
    ))
}

#[cfg(unix)]
fn hard_links(meta: &fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.nlink()
}

#[cfg(not(unix))]
fn hard_links(_: &fs::Metadata) -> u64 {
    1
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    a.is_file() && b.is_file() && a.len() == b.len()
}

/// An output folder claimed by a run: locked, checked writable, with a staging folder that
/// receives the run's files until [`commit`](Self::commit) swaps them into place. Dropped
/// without a commit (an error, a panic), it removes the staging folder and leaves the output
/// folder as it was.
///
/// A run claims its output folder `DIR` before simulating ([`OutputFolder::claim`]): it takes
/// the lock `.DIR.careflow-lock` beside the folder, checks that the folder can be written, and
/// creates a staging folder `.DIR.careflow-staging-XXXXXX` beside it (same filesystem, created
/// exclusively under a random name). The results are written into the staging folder; only
/// when every file is complete does [`OutputFolder::commit`] swap it into place: on Linux one
/// `renameat2(RENAME_EXCHANGE)`, so that at every instant `DIR` holds either the complete
/// earlier set or the complete new one (elsewhere the old folder is renamed aside first, and
/// `DIR` is missing for the instant between the two renames). The user's own files in `DIR`
/// (anything that is not a result file) are then moved, never copied, into the new folder,
/// and the earlier run's result files are deleted with the old folder. If something cannot be
/// moved back it is left in the old folder, which is then kept and reported, never deleted.
///
/// A run killed at any moment leaves `DIR` holding the complete earlier set or the complete
/// new one, plus a hidden staging folder and a lock file that no process holds. (Killed in
/// the instant between the swap and moving the user's files back, it leaves those files in
/// the staging folder.) The next claim of `DIR` takes over the abandoned lock (the operating
/// system releases a killed process's lock), deletes careflow's files from leftover staging
/// folders, moves anything else in them back into `DIR`, and reports what it cannot move.
///
/// # Example
///
/// ```
/// use careflow::report::OutputFolder;
///
/// let root = tempfile::tempdir().unwrap();
/// let out = root.path().join("results");
/// // Claim before simulating: a folder that cannot be written is refused now, not after.
/// let folder = OutputFolder::claim(&out, false)?;
/// // A second run into the same folder is refused while this one writes.
/// assert!(OutputFolder::claim(&out, true).is_err());
/// std::fs::write(folder.staging().join("run.csv"), "key,value\n").unwrap();
/// assert!(!out.join("run.csv").exists()); // nothing visible until complete
/// folder.commit()?;
/// assert_eq!(std::fs::read_to_string(out.join("run.csv")).unwrap(), "key,value\n");
/// # Ok::<(), careflow::Error>(())
/// ```
#[derive(Debug)]
pub struct OutputFolder {
    /// The folder as given, for messages.
    given: PathBuf,
    /// Where it is: a canonical parent and a name.
    target: PathBuf,
    staging: TempDir,
    lock: RunLock,
    notes: Vec<String>,
}

/// What [`OutputFolder::commit`] did besides putting the new files in place.
#[derive(Debug, Default)]
pub struct Committed {
    /// Things to tell the user: files of theirs that could not be moved into the new folder
    /// (a name taken meanwhile) and were left in the old one, kept under the path named.
    pub notes: Vec<String>,
}

impl OutputFolder {
    /// Claims `dir` for a run, before simulating: takes its lock (refusing a second run into
    /// it), empties staging folders left by killed runs (see [`OutputFolder`]; anything it
    /// cannot move back is reported in [`notes`](Self::notes)), refuses a folder that holds
    /// results unless `overwrite` (as [`check_output_folder`](super::check_output_folder)),
    /// checks that it can be written, and creates the staging folder. Creates `dir`'s parent
    /// folders if needed; `dir` itself appears only at the commit.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] if `dir` is not a folder, is the root, holds results without
    /// `overwrite`, has a filesystem mounted inside it, or another run holds its lock;
    /// [`Error::Output`] if it or its parent cannot be written.
    pub fn claim(dir: &Path, overwrite: bool) -> Result<OutputFolder, Error> {
        let target = locate(dir)?;
        let parent = target.parent().expect("located folders have a parent");
        let name = target.file_name().expect("located folders have a name");
        let lock = RunLock::acquire(&target)?;
        let notes = clean_leftovers(parent, name)?;
        super::check_output_folder(dir, overwrite)?;
        if let Ok(meta) = fs::metadata(&target) {
            check_writable(&target, &meta)?;
        }
        let staging = tempfile::Builder::new()
            .prefix(&staging_prefix(name))
            .tempdir_in(parent)
            .map_err(|e| output_error(parent, e))?;
        Ok(OutputFolder {
            given: dir.to_path_buf(),
            target,
            staging,
            lock,
            notes,
        })
    }

    /// The staging folder: write the run's files here.
    pub fn staging(&self) -> &Path {
        self.staging.path()
    }

    /// The output folder as given to [`claim`](Self::claim).
    pub fn path(&self) -> &Path {
        &self.given
    }

    /// What the claim found to tell the user about: staging folders left by killed runs that
    /// hold files careflow did not write and could not move back, kept for the user.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Swaps the staging folder into place as the output folder (see [`OutputFolder`]),
    /// moves the user's own files from the earlier folder into it, removes the earlier run's
    /// result files, and releases the lock.
    ///
    /// # Errors
    ///
    /// [`Error::Output`] if the swap fails; the output folder then still holds what it held
    /// before (the staging folder is removed).
    pub fn commit(self) -> Result<Committed, Error> {
        let OutputFolder {
            target,
            staging,
            lock,
            ..
        } = self;
        let parent = target.parent().expect("located folders have a parent");
        // The new folder keeps the permissions the user gave the earlier one.
        if let Ok(meta) = fs::metadata(&target) {
            fs::set_permissions(staging.path(), meta.permissions())
                .map_err(|e| output_error(staging.path(), e))?;
        }
        sync_dir(staging.path());
        let old = match swap_in(staging.path(), &target)? {
            // Nothing was there: the staging folder is now the output folder.
            None => {
                let _ = staging.keep();
                sync_dir(parent);
                drop(lock);
                return Ok(Committed::default());
            }
            Some(old) => old,
        };
        // The new set is in place; `old` holds the earlier folder. From here on nothing may be
        // deleted that is not careflow's.
        let _ = staging.keep();
        let notes = empty_into(&old, &target);
        sync_dir(parent);
        drop(lock);
        Ok(Committed { notes })
    }
}

/// `dir` as a canonical parent and a name, creating the parent if needed.
fn locate(dir: &Path) -> Result<PathBuf, Error> {
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {
            let canonical = fs::canonicalize(dir).map_err(|e| output_error(dir, e))?;
            if canonical.parent().is_none() {
                return Err(Error::Usage(format!(
                    "{}: the root folder cannot be an output folder; --out a folder inside it",
                    dir.display()
                )));
            }
            Ok(canonical)
        }
        Ok(_) => Err(Error::Usage(format!(
            "{}: not a folder; --out a folder (new or existing)",
            dir.display()
        ))),
        Err(e) if e.kind() == io::ErrorKind::NotFound && fs::symlink_metadata(dir).is_ok() => {
            Err(Error::Usage(format!(
                "{}: a link to a folder that does not exist; create the folder, or --out another",
                dir.display()
            )))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let name = dir
                .file_name()
                .filter(|_| {
                    !matches!(
                        dir.components().next_back(),
                        Some(std::path::Component::ParentDir | std::path::Component::CurDir)
                    )
                })
                .ok_or_else(|| Error::Usage(format!("{}: not a folder name", dir.display())))?;
            let parent = dir
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            fs::create_dir_all(parent).map_err(|e| output_error(parent, e))?;
            let parent = fs::canonicalize(parent).map_err(|e| output_error(parent, e))?;
            Ok(parent.join(name))
        }
        Err(e) => Err(output_error(dir, e)),
    }
}

/// Refuses, before anything runs, a folder the commit could not empty of old results or fill
/// with the user's files again.
fn check_writable(dir: &Path, meta: &fs::Metadata) -> Result<(), Error> {
    // Creating (and at once removing) a file proves the folder can be written.
    tempfile::Builder::new()
        .prefix(".careflow-probe-")
        .tempfile_in(dir)
        .map_err(|e| output_error(dir, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let entries = fs::read_dir(dir).map_err(|e| output_error(dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| output_error(dir, e))?;
            let entry_meta =
                fs::symlink_metadata(entry.path()).map_err(|e| output_error(dir, e))?;
            if entry_meta.dev() != meta.dev() {
                return Err(Error::Usage(format!(
                    "{}: another filesystem is mounted there; a run moves the folder's other files into its new folder, which cannot cross filesystems: --out a folder without mount points",
                    entry.path().display()
                )));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    Ok(())
}

/// Whether `name` in an output folder is careflow's to delete when replacing the folder: a
/// result file, or a temporary file of one (`.NAME.tmp` of earlier versions,
/// `.NAME.XXXXXX.tmp` now), or a probe.
fn is_careflow_file(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    if RESULT_FILES.contains(&name) || name.starts_with(".careflow-probe-") {
        return true;
    }
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    RESULT_FILES.iter().any(|result| {
        inner == *result
            || inner
                .strip_prefix(result)
                .and_then(|r| r.strip_prefix('.'))
                .is_some_and(|random| !random.is_empty() && !random.contains('.'))
    })
}

/// Empties folder `old` (an earlier output folder, or a staging folder a killed run left) into
/// `target`: careflow's files are deleted, everything else (the user's) is moved into
/// `target` unless something there has its name, and `old` is removed once empty. Returns a
/// note for what had to be kept in `old`; never deletes anything that is not careflow's.
fn empty_into(old: &Path, target: &Path) -> Vec<String> {
    let mut notes = Vec::new();
    let can_move = target.is_dir();
    let mut kept = 0;
    match fs::read_dir(old) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let name = entry.file_name();
                let path = entry.path();
                let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                let done = if !is_dir && is_careflow_file(&name) {
                    fs::remove_file(&path).is_ok()
                } else {
                    can_move && move_no_replace(&path, &target.join(&name)).is_ok()
                };
                if !done {
                    kept += 1;
                }
            }
        }
        Err(_) => kept += 1,
    }
    if kept > 0 || fs::remove_dir(old).is_err() {
        notes.push(format!(
            "{} holds {kept} file(s) or folder(s) from {} that could not be moved back into it (a name is taken there, or it is gone); look through them, then delete the folder",
            old.display(),
            target.display()
        ));
    }
    notes
}

/// Empties the staging folders of `name` in `parent` that killed runs left (the caller holds
/// the lock, so no live run owns them): a run killed before its swap left only careflow's
/// files; one killed just after it, the earlier results and perhaps the user's files not yet
/// moved back, which are moved back now. Returns notes for anything that had to be kept.
fn clean_leftovers(parent: &Path, name: &OsStr) -> Result<Vec<String>, Error> {
    let prefix = staging_prefix(name);
    let prefix = prefix.as_encoded_bytes();
    let target = parent.join(name);
    let mut notes = Vec::new();
    let entries = fs::read_dir(parent).map_err(|e| output_error(parent, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| output_error(parent, e))?;
        if entry.file_name().as_encoded_bytes().starts_with(prefix)
            && entry.file_type().is_ok_and(|t| t.is_dir())
        {
            notes.extend(empty_into(&entry.path(), &target));
        }
    }
    Ok(notes)
}

/// Puts folder `new` in place at `target`. Returns `None` if nothing was at `target`, else
/// the path where the earlier folder now is.
fn swap_in(new: &Path, target: &Path) -> Result<Option<PathBuf>, Error> {
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            match fs::rename(new, target) {
                Ok(()) => return Ok(None),
                // Created meantime by someone else: swap with it like any other.
                Err(_) if target.is_dir() => {}
                Err(e) => return Err(output_error(target, e)),
            }
        }
        Err(e) => return Err(output_error(target, e)),
        Ok(_) => {}
    }
    match exchange(new, target) {
        Ok(()) => return Ok(Some(new.to_path_buf())),
        Err(e) if !exchange_unsupported(&e) => return Err(output_error(target, e)),
        Err(_) => {}
    }
    // No atomic exchange here: rename the earlier folder aside (to a fresh name: an empty
    // folder made exclusively, which rename replaces), then the new one into place.
    let parent = target.parent().expect("located folders have a parent");
    let name = target.file_name().expect("located folders have a name");
    let aside = tempfile::Builder::new()
        .prefix(&staging_prefix(name))
        .tempdir_in(parent)
        .map_err(|e| output_error(parent, e))?
        .keep();
    fs::rename(target, &aside).map_err(|e| {
        let _ = fs::remove_dir(&aside);
        output_error(target, e)
    })?;
    if let Err(e) = fs::rename(new, target) {
        let _ = fs::rename(&aside, target);
        return Err(output_error(target, e));
    }
    Ok(Some(aside))
}

/// `renameat2(2)` with `flags` (Linux: `RENAME_EXCHANGE`, `RENAME_NOREPLACE`).
#[cfg(target_os = "linux")]
fn renameat2(from: &Path, to: &Path, flags: libc::c_uint) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (from, to) = (c(from)?, c(to)?);
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call; the raw
    // system call needs no glibc wrapper (glibc has one only since 2.28).
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            flags,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Swaps folders `a` and `b` atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    renameat2(a, b, libc::RENAME_EXCHANGE)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Whether `exchange` failed only because this system or filesystem cannot do it.
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
    ) {
        return true;
    }
    e.kind() == io::ErrorKind::Unsupported
}

/// Renames `from` to `to` unless something is already at `to`.
fn move_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    match renameat2(from, to, libc::RENAME_NOREPLACE) {
        Ok(()) => return Ok(()),
        Err(e) if !exchange_unsupported(&e) => return Err(e),
        Err(_) => {}
    }
    if fs::symlink_metadata(to).is_ok() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    fs::rename(from, to)
}

/// Makes a folder's entries durable, so that a crash soon after the swap cannot lose it. Best
/// effort: some filesystems cannot sync a folder, and the swap is just as atomic without.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    let _ = File::open(dir).and_then(|d| d.sync_all());
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_result_files_and_their_temporary_files_are_careflows() {
        for ours in [
            "summary.csv",
            "report.html",
            ".summary.csv.tmp",
            ".daily.csv.x1Y2z3.tmp",
            ".careflow-probe-abc",
        ] {
            assert!(is_careflow_file(OsStr::new(ours)), "{ours}");
        }
        for theirs in [
            "notes.txt",
            "summary.csv.bak",
            "summary.xlsx",
            ".summary.csv",
            ".summary.csv..tmp",
            ".summary.csv.a.b.tmp",
            ".notes.txt.tmp",
            ".tmp",
        ] {
            assert!(!is_careflow_file(OsStr::new(theirs)), "{theirs}");
        }
    }

    #[test]
    fn a_lock_is_exclusive_released_on_drop_and_taken_over_when_abandoned() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let lock = RunLock::acquire(&path).unwrap();
        assert_eq!(lock.path(), dir.path().join(".out.careflow-lock"));
        let e = RunLock::acquire(&path).unwrap_err().to_string();
        assert!(
            e.contains(&format!(
                "another careflow run (pid {}) is writing there",
                std::process::id()
            )),
            "{e}"
        );
        drop(lock);
        assert!(!dir.path().join(".out.careflow-lock").exists());
        // Abandoned: a file nobody holds a lock on.
        fs::write(dir.path().join(".out.careflow-lock"), "pid 4194304").unwrap();
        let lock = RunLock::acquire(&path).unwrap();
        assert_eq!(
            fs::read_to_string(lock.path()).unwrap(),
            format!("pid {}", std::process::id())
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_name_taken_by_a_link_a_hard_link_or_a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let lock = dir.path().join(".out.careflow-lock");
        std::os::unix::fs::symlink(&victim, &lock).unwrap();
        let path = dir.path().join("out");
        let e = RunLock::acquire(&path).unwrap_err().to_string();
        assert!(e.contains("is in the way of careflow's lock"), "{e}");
        fs::remove_file(&lock).unwrap();
        fs::hard_link(&victim, &lock).unwrap();
        let e = RunLock::acquire(&path).unwrap_err().to_string();
        assert!(e.contains("not a plain file of its own"), "{e}");
        fs::remove_file(&lock).unwrap();
        fs::create_dir(&lock).unwrap();
        assert!(RunLock::acquire(&path).is_err());
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    }
}
