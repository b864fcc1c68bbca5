//! Where an export may be written: never over the summary it was made from, never into the
//! folder of summaries (a synced archive holds only what holdspace publishes there), and
//! never over an existing file unless asked.

use std::io;
use std::path::{Path, PathBuf};

use crate::storage::{write_atomic, write_new};

/// Why an export was not written.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refusal {
    #[error("{}: that is the summary being exported; choose another file", .0.display())]
    Source(PathBuf),
    #[error(
        "{}: exports are never written into the folder of summaries ({}); choose another folder",
        .path.display(),
        .folder.display()
    )]
    SummariesFolder { path: PathBuf, folder: PathBuf },
    #[error("{}: the file exists; add --force to replace it", .0.display())]
    Exists(PathBuf),
    #[error("{}: cannot write the export: {message}", .path.display())]
    Write { path: PathBuf, message: String },
}

/// Writes `bytes` to `to`, owner-only and atomically, unless a rule above forbids it.
/// `sources` are the summaries it was made from; `folder` the folder of summaries reviewed
/// (the sources' own folders count as summary folders too).
pub fn write_export(
    to: &Path,
    bytes: &[u8],
    sources: &[&Path],
    folder: &Path,
    replace: bool,
) -> Result<(), Refusal> {
    check(to, sources, folder)?;
    for source in sources {
        if let Some(parent) = source.parent().filter(|p| !p.as_os_str().is_empty()) {
            check(to, &[], parent)?;
        }
    }
    let written = if replace {
        write_atomic(to, bytes)
    } else {
        write_new(to, bytes)
    };
    written.map_err(|error| match error.kind() {
        io::ErrorKind::AlreadyExists => Refusal::Exists(to.to_owned()),
        _ => Refusal::Write {
            path: to.to_owned(),
            message: error.to_string(),
        },
    })
}

/// The rules that hold whatever `--force` says.
pub fn check(to: &Path, sources: &[&Path], folder: &Path) -> Result<(), Refusal> {
    let target = resolved(to);
    if sources.iter().any(|s| resolved(s) == target) {
        return Err(Refusal::Source(to.to_owned()));
    }
    let folder_real = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_owned());
    if target.parent().is_some_and(|p| p.starts_with(&folder_real)) {
        return Err(Refusal::SummariesFolder {
            path: to.to_owned(),
            folder: folder.to_owned(),
        });
    }
    Ok(())
}

/// `path` with its folder made absolute and links resolved, so two spellings of one file
/// compare equal even when the file does not exist yet.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let parent = std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_owned());
    match path.file_name() {
        Some(name) => parent.join(name),
        None => parent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_over_the_source_the_folder_or_an_existing_file() -> io::Result<()> {
        let root = tempfile::tempdir()?;
        let folder = root.path().join("summaries");
        std::fs::create_dir(&folder)?;
        let source = folder.join("s.ron");
        std::fs::write(&source, "summary")?;
        let out = root.path().join("out");
        std::fs::create_dir(&out)?;

        let refused = write_export(&source, b"md", &[&source], &folder, true);
        assert!(matches!(refused, Err(Refusal::Source(_))), "{refused:?}");
        let refused = write_export(&folder.join("s.md"), b"md", &[&source], &folder, true);
        assert!(
            matches!(refused, Err(Refusal::SummariesFolder { .. })),
            "{refused:?}"
        );
        // Another spelling of the same folder.
        let dotted = folder.join("..").join("summaries").join("x.html");
        assert!(write_export(&dotted, b"x", &[&source], &folder, true).is_err());
        assert_eq!(std::fs::read_to_string(&source)?, "summary");

        let target = out.join("s.md");
        write_export(&target, b"one", &[&source], &folder, false).map_err(io::Error::other)?;
        let again = write_export(&target, b"two", &[&source], &folder, false);
        assert_eq!(again, Err(Refusal::Exists(target.clone())));
        assert_eq!(std::fs::read_to_string(&target)?, "one");
        write_export(&target, b"two", &[&source], &folder, true).map_err(io::Error::other)?;
        assert_eq!(std::fs::read_to_string(&target)?, "two");
        Ok(())
    }
}
