//! Files that hold client data: owner-only directories and files, atomic writes, names
//! that never overwrite, and where the platform keeps data and config.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Mode of every file holdspace writes that may hold client data.
pub const FILE_MODE: u32 = 0o600;
/// Mode of every directory holdspace creates for them.
pub const DIR_MODE: u32 = 0o700;

/// Syncthing names a conflict copy `NAME.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.ext`: two
/// machines changed one file at once, and both versions are kept.
pub const SYNC_CONFLICT: &str = ".sync-conflict-";

/// Whether the file at `path` is a synced folder's conflict copy, by its name.
pub fn is_conflict_copy(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().contains(SYNC_CONFLICT))
}

/// Creates `dir` and any missing parents owner-only (0700, whatever the umask). A folder
/// that already exists is the user's: its mode is left as it is (a shared 1777 folder
/// keeps its sticky bit); see [`exposure_warning`] for telling them it is open.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(path) = at.filter(|p| !p.as_os_str().is_empty() && fs::symlink_metadata(p).is_err()) {
        missing.push(path.to_owned());
        at = path.parent();
    }
    fs::DirBuilder::new().recursive(true).mode(DIR_MODE).create(dir)?;
    for created in missing {
        fs::set_permissions(&created, fs::Permissions::from_mode(DIR_MODE))?;
    }
    Ok(())
}

/// A warning when others can read or enter `dir` (an existing data dir holdspace did not
/// make owner-only): the files in it stay owner-only, but their names (dates, plan titles)
/// are visible. `None` when it is private or cannot be read.
pub fn exposure_warning(dir: &Path) -> Option<String> {
    let mode = fs::metadata(dir).ok()?.permissions().mode() & 0o7777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "the data dir {} can be read by other users of this computer (mode {mode:04o}); \
             the files holdspace writes there are owner-only, but their names are visible: \
             `chmod 700 {}` to close it",
            dir.display(),
            dir.display()
        )
    })
}

/// Opens a new owner-only file for writing; fails if it exists.
pub fn create_private(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)
}

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one,
/// never a mix: a temporary file beside it, fsync, rename, fsync of the directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    publish(path, bytes, |temp, path| fs::rename(temp, path))
}

/// Like [`write_atomic`], but never replaces a file: if `path` exists (another process got
/// there first) it fails with `AlreadyExists` and leaves that file alone.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    // A hard link is created whole or not at all, and never over an existing name.
    publish(path, bytes, |temp, path| {
        fs::hard_link(temp, path).and_then(|()| fs::remove_file(temp))
    })
}

/// Writes a complete, fsynced temporary file beside `path`, moves it into place with
/// `place`, and fsyncs the directory. The temporary file never outlives a failure.
fn publish(path: &Path, bytes: &[u8], place: impl FnOnce(&Path, &Path) -> io::Result<()>) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(FILE_MODE)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        place(&temp, path)?;
        File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// A path in `dir` named `stem.ext`, or `stem-2.ext`, `stem-3.ext`… so nothing is overwritten.
/// Every extension in `also` must be free too, so paired files share one stem.
pub fn unique_stem(dir: &Path, stem: &str, exts: &[&str]) -> PathBuf {
    let free = |candidate: &str| {
        exts.iter()
            .all(|ext| !dir.join(format!("{candidate}.{ext}")).exists())
    };
    if free(stem) {
        return dir.join(stem);
    }
    (2..)
        .map(|n| format!("{stem}-{n}"))
        .find(|candidate| free(candidate))
        .map_or_else(|| dir.join(stem), |candidate| dir.join(candidate))
}

/// A file-name-safe slug of a title: lowercase letters, digits and dashes.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for ch in title.chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    let cut: String = trimmed.chars().take(48).collect();
    if cut.is_empty() { "session".into() } else { cut }
}

/// Where holdspace keeps its data: journals, summaries, observations, crash logs.
#[derive(Debug, Clone)]
pub struct DataDir {
    pub root: PathBuf,
}

impl DataDir {
    /// `--data-dir`, else the config's, else the platform's data dir.
    pub fn resolve(flag: Option<&Path>, configured: Option<&Path>) -> DataDir {
        let root = flag
            .or(configured)
            .map(Path::to_owned)
            .or_else(|| project_dirs().map(|d| d.data_dir().to_owned()))
            .unwrap_or_else(|| PathBuf::from(".holdspace"));
        DataDir { root }
    }

    pub fn journals(&self) -> PathBuf {
        self.root.join("journal")
    }

    pub fn archive(&self) -> PathBuf {
        self.journals().join("archive")
    }

    pub fn summaries(&self) -> PathBuf {
        self.root.join("summaries")
    }

    pub fn observations(&self) -> PathBuf {
        self.root.join("observations")
    }

    /// Where exports (Markdown, HTML, progress notes) go by default; `holdspace purge`
    /// removes them after the config's `retention.exports`.
    pub fn exports(&self) -> PathBuf {
        self.root.join("exports")
    }

    pub fn crash_log(&self) -> PathBuf {
        self.root.join("crash.log")
    }
}

/// The platform's config dir for holdspace (e.g. `~/.config/holdspace`).
pub fn config_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().to_owned())
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "holdspace")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_are_owner_only_and_replace_whole() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let private = dir.path().join("data");
        ensure_private_dir(&private)?;
        assert_eq!(fs::metadata(&private)?.permissions().mode() & 0o777, DIR_MODE);
        let file = private.join("s.ron");
        write_atomic(&file, b"one")?;
        write_atomic(&file, b"two")?;
        assert_eq!(fs::read(&file)?, b"two");
        assert_eq!(fs::metadata(&file)?.permissions().mode() & 0o777, FILE_MODE);
        assert_eq!(
            fs::read_dir(&private)?.count(),
            1,
            "no temporary file is left behind"
        );
        Ok(())
    }

    #[test]
    fn only_folders_holdspace_creates_are_made_owner_only() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let shared = dir.path().join("shared");
        fs::create_dir(&shared)?;
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o1777))?;
        ensure_private_dir(&shared)?;
        assert_eq!(
            fs::metadata(&shared)?.permissions().mode() & 0o7777,
            0o1777,
            "an existing folder keeps its mode, sticky bit and all"
        );
        let warning = exposure_warning(&shared).unwrap_or_default();
        assert!(warning.contains("mode 1777"), "{warning}");

        let new = shared.join("a").join("b");
        ensure_private_dir(&new)?;
        for created in [shared.join("a"), new.clone()] {
            assert_eq!(fs::metadata(&created)?.permissions().mode() & 0o7777, DIR_MODE);
        }
        assert_eq!(exposure_warning(&new), None);
        assert_eq!(fs::metadata(&shared)?.permissions().mode() & 0o7777, 0o1777);
        Ok(())
    }

    #[test]
    fn write_new_never_replaces_a_file() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("s.ron");
        write_new(&file, b"first")?;
        let second = write_new(&file, b"second").map_err(|e| e.kind());
        assert_eq!(second, Err(io::ErrorKind::AlreadyExists));
        assert_eq!(fs::read(&file)?, b"first");
        assert_eq!(fs::metadata(&file)?.permissions().mode() & 0o777, FILE_MODE);
        assert_eq!(
            fs::read_dir(dir.path())?.count(),
            1,
            "no temporary file is left behind"
        );
        Ok(())
    }

    #[test]
    fn unique_stems_never_collide() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let first = unique_stem(dir.path(), "a", &["ron", "md"]);
        fs::write(first.with_extension("md"), "x")?;
        let second = unique_stem(dir.path(), "a", &["ron", "md"]);
        assert_eq!(second, dir.path().join("a-2"));
        Ok(())
    }

    #[test]
    fn slugs_are_safe() {
        assert_eq!(
            slug("Managing Anxiety, session 3: thoughts"),
            "managing-anxiety-session-3-thoughts"
        );
        assert_eq!(slug("../../etc"), "etc");
        assert_eq!(slug("!!!"), "session");
    }
}
