//! Names of sealed files: `<name>.age` beside where `<name>` would be.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The extension an encrypted file gets after its own: `summary.ron.age`.
pub const AGE_EXTENSION: &str = "age";

/// `path` with `.age` appended (`a.ron` → `a.ron.age`); a path already ending in `.age`
/// is returned as it is.
pub fn sealed_path(path: &Path) -> PathBuf {
    if is_age(path) {
        return path.to_owned();
    }
    let mut name = OsString::from(path.as_os_str());
    name.push(".");
    name.push(AGE_EXTENSION);
    PathBuf::from(name)
}

/// Whether `path` names an age file (ends in `.age`).
pub fn is_age(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == AGE_EXTENSION)
}

/// The path a file stands for, without a trailing `.age`: `a.ron.age` → `a.ron`. Use it
/// to tell what kind of file an encrypted one is (`logical_path(p).extension()`).
pub fn logical_path(path: &Path) -> PathBuf {
    if is_age(path) {
        path.with_extension("")
    } else {
        path.to_owned()
    }
}

/// Regular files in `dir` (and below it, if `deep`). Hidden ones are left out: they are
/// temporary files of a write in progress (see `storage::write_atomic`).
pub(super) fn visible_files(dir: &Path, deep: bool) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        match entry.file_type() {
            Ok(kind) if kind.is_dir() && deep => found.extend(visible_files(&entry.path(), true)),
            Ok(kind) if kind.is_file() => found.push(entry.path()),
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_names_add_and_drop_one_age_extension() {
        assert_eq!(sealed_path(Path::new("d/a.ron")), Path::new("d/a.ron.age"));
        assert_eq!(sealed_path(Path::new("d/a.ron.age")), Path::new("d/a.ron.age"));
        assert_eq!(logical_path(Path::new("d/a.md.age")), Path::new("d/a.md"));
        assert_eq!(logical_path(Path::new("d/a.md")), Path::new("d/a.md"));
        assert!(is_age(Path::new("x.html.age")));
        assert!(!is_age(Path::new("age")));
        assert!(!is_age(Path::new("x.wrapup.ron")));
    }
}
