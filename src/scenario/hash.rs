//! A fingerprint of a scenario folder's input files, so that results computed in pieces (on
//! several machines) can be checked to come from the same scenario.

use super::{ScenarioError, ScenarioErrors};
use crate::Error;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

/// Deepest folder nesting followed inside a scenario (observation files live one level down).
const MAX_DEPTH: usize = 8;

/// A stable hash of the scenario folder at `dir`: `sha256:` and 64 hex digits.
///
/// It covers every file under the folder, at any depth, except hidden ones (a name starting
/// with `.`), Markdown documentation (`*.md`) and whatever a symbolic link out of the folder
/// leads to (which the loader refuses to read): the CSV files the loader reads, the
/// observation files they name, and anything else kept there. Files are taken in order of
/// their path relative to `dir` (components joined by `/`, compared byte by byte), and each
/// contributes its relative path, its length and its content; so the hash is the same on any
/// machine and for any location of the folder, and changes when a file is added, removed,
/// renamed or edited. Keep results out of the scenario folder, or they count as input.
///
/// # Example
///
/// ```
/// let hash = careflow::scenario::input_hash(std::path::Path::new("scenarios/erlang_b_ward"))?;
/// assert!(hash.starts_with("sha256:") && hash.len() == 7 + 64);
/// # Ok::<(), careflow::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Scenario`] if the folder or a file in it cannot be read, or folders are nested
/// deeper than eight levels (a link loop, say).
pub fn input_hash(dir: &Path) -> Result<String, Error> {
    let mut files = Vec::new();
    let root = fs::canonicalize(dir).map_err(|e| io_error(dir, &e.to_string()))?;
    collect(&root, dir, &mut Vec::new(), &mut files)?;
    files.sort();
    let mut hasher = Sha256::new();
    for (relative, path) in files {
        let content = fs::read(&path).map_err(|e| io_error(&path, &e.to_string()))?;
        hasher.update(&relative);
        hasher.update([0]);
        hasher.update((content.len() as u64).to_le_bytes());
        hasher.update(&content);
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("sha256:{hex}"))
}

/// Adds the files under `dir` (whose path relative to the scenario is `prefix`) to `files`
/// as (relative path bytes, path). Symbolic links that lead out of the scenario folder
/// (`root`, resolved) are passed over: the loader refuses to read through them, so what they
/// lead to is no input, and a link to `/` is not walked.
fn collect(
    root: &Path,
    dir: &Path,
    prefix: &mut Vec<String>,
    files: &mut Vec<(Vec<u8>, PathBuf)>,
) -> Result<(), Error> {
    if prefix.len() > MAX_DEPTH {
        return Err(io_error(
            dir,
            &format!("folders nested more than {MAX_DEPTH} deep in a scenario"),
        ));
    }
    let entries = fs::read_dir(dir).map_err(|e| io_error(dir, &e.to_string()))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_error(dir, &e.to_string()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.to_ascii_lowercase().ends_with(".md") {
            continue;
        }
        let path = entry.path();
        let meta = fs::metadata(&path).map_err(|e| io_error(&path, &e.to_string()))?;
        let resolved = fs::canonicalize(&path).map_err(|e| io_error(&path, &e.to_string()))?;
        if !resolved.starts_with(root) {
            continue;
        }
        prefix.push(name);
        if meta.is_dir() {
            collect(root, &path, prefix, files)?;
        } else if meta.is_file() {
            files.push((prefix.join("/").into_bytes(), path));
        }
        prefix.pop();
    }
    Ok(())
}

fn io_error(path: &Path, message: &str) -> Error {
    Error::Scenario(ScenarioErrors(vec![ScenarioError::Io {
        path: path.to_path_buf(),
        message: message.to_owned(),
    }]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, contents: &str) {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    #[test]
    fn the_hash_follows_names_and_contents_not_location_or_docs() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        for dir in [a.path(), b.path()] {
            write(dir, "settings.csv", "key,value\nseed,1\n");
            write(dir, "empirical/los.csv", "days\n1\n");
        }
        let hash = input_hash(a.path()).unwrap();
        assert_eq!(hash, input_hash(b.path()).unwrap());
        // Documentation and hidden files do not count.
        write(b.path(), "README.md", "notes");
        write(b.path(), ".hidden", "x");
        assert_eq!(hash, input_hash(b.path()).unwrap());
        // An edit, a new file and a rename do.
        write(b.path(), "empirical/los.csv", "days\n2\n");
        let edited = input_hash(b.path()).unwrap();
        assert_ne!(hash, edited);
        write(b.path(), "census.csv", "");
        let added = input_hash(b.path()).unwrap();
        assert_ne!(edited, added);
        fs::rename(b.path().join("census.csv"), b.path().join("calendar.csv")).unwrap();
        assert_ne!(added, input_hash(b.path()).unwrap());
        // Moving content between files changes it too (lengths are part of the hash).
        let c = tempfile::tempdir().unwrap();
        write(c.path(), "a", "xy");
        write(c.path(), "b", "");
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "a", "x");
        write(d.path(), "b", "y");
        assert_ne!(input_hash(c.path()).unwrap(), input_hash(d.path()).unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_folder_are_no_input() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "settings.csv", "key,value\nseed,1\n");
        let hash = input_hash(dir.path()).unwrap();
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "big.csv", "x");
        std::os::unix::fs::symlink(outside.path(), dir.path().join("elsewhere")).unwrap();
        std::os::unix::fs::symlink("/", dir.path().join("root")).unwrap();
        assert_eq!(input_hash(dir.path()).unwrap(), hash);
        // A link inside the folder counts, under its own name.
        std::os::unix::fs::symlink("settings.csv", dir.path().join("again.csv")).unwrap();
        assert_ne!(input_hash(dir.path()).unwrap(), hash);
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_it() {
        let e = input_hash(Path::new("no/such/scenario")).unwrap_err();
        assert!(e.to_string().contains("no/such/scenario"), "{e}");
    }
}
