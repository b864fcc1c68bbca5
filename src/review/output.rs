//! Where an export may be written: never over the summary it was made from, never into the
//! folder of summaries (a synced archive holds only what holdspace publishes there), and
//! never over an existing file unless asked. It is written through a vault: an age file
//! (`report.html.age`) when encryption is on, unless the user asked for a plain copy.

use std::io;
use std::path::{Path, PathBuf};

use crate::vault::{Vault, VaultError, logical_path, sealed_path};

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
    #[error("{}: there is no such folder; name one that exists", .0.display())]
    NoFolder(PathBuf),
    #[error("{}: cannot write the export: {message}", .path.display())]
    Write { path: PathBuf, message: String },
}

/// Writes `bytes` to `to` through `vault` (`to` with `.age` when it encrypts; a `to`
/// already named `.age` is taken for its plain name), owner-only and atomically, unless a
/// rule above forbids it. Neither the plain nor the encrypted name of `to` is replaced
/// unless `replace`; when it is, the other form is removed, so a plain copy never stays
/// beside a sealed one (nor a stale sealed one beside a plain). `sources` are the
/// summaries it was made from; `folder` the folder of summaries reviewed (the sources' own
/// folders count as summary folders too). Returns the path written.
pub fn write_export(
    to: &Path,
    bytes: &[u8],
    sources: &[&Path],
    folder: &Path,
    replace: bool,
    vault: &Vault,
) -> Result<PathBuf, Refusal> {
    let plain = logical_path(to);
    let target = vault.path_for(&plain);
    let other = if target == plain {
        sealed_path(&plain)
    } else {
        plain
    };
    for path in [&target, &other] {
        check(path, sources, folder)?;
        for source in sources {
            if let Some(parent) = source.parent().filter(|p| !p.as_os_str().is_empty()) {
                check(path, &[], parent)?;
            }
        }
    }
    if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty())
        && !folder.is_dir()
    {
        return Err(Refusal::NoFolder(folder.to_owned()));
    }
    if !replace && let Some(taken) = [&target, &other].into_iter().find(|p| p.exists()) {
        return Err(Refusal::Exists(taken.to_owned()));
    }
    let written = if replace {
        vault.write_atomic(&target, bytes)
    } else {
        vault.write_new(&target, bytes)
    };
    let written = written.map_err(|error| match error {
        VaultError::Io { source, .. } if source.kind() == io::ErrorKind::AlreadyExists => {
            Refusal::Exists(target.clone())
        }
        VaultError::Io { source, .. } => Refusal::Write {
            path: target.clone(),
            message: source.to_string(),
        },
        other => Refusal::Write {
            path: target.clone(),
            message: other.to_string(),
        },
    })?;
    if replace {
        let _ = std::fs::remove_file(&other);
    }
    Ok(written)
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

        let plain = Vault::plain();
        let refused = write_export(&source, b"md", &[&source], &folder, true, &plain);
        assert!(matches!(refused, Err(Refusal::Source(_))), "{refused:?}");
        let refused = write_export(&folder.join("s.md"), b"md", &[&source], &folder, true, &plain);
        assert!(
            matches!(refused, Err(Refusal::SummariesFolder { .. })),
            "{refused:?}"
        );
        // Another spelling of the same folder.
        let dotted = folder.join("..").join("summaries").join("x.html");
        assert!(write_export(&dotted, b"x", &[&source], &folder, true, &plain).is_err());
        assert_eq!(std::fs::read_to_string(&source)?, "summary");

        let target = out.join("s.md");
        write_export(&target, b"one", &[&source], &folder, false, &plain).map_err(io::Error::other)?;
        let again = write_export(&target, b"two", &[&source], &folder, false, &plain);
        assert_eq!(again, Err(Refusal::Exists(target.clone())));
        assert_eq!(std::fs::read_to_string(&target)?, "one");
        write_export(&target, b"two", &[&source], &folder, true, &plain).map_err(io::Error::other)?;
        assert_eq!(std::fs::read_to_string(&target)?, "two");
        Ok(())
    }

    #[test]
    fn encrypted_exports_keep_the_rules_for_both_names() -> Result<(), Box<dyn std::error::Error>> {
        let root = tempfile::tempdir()?;
        let folder = root.path().join("summaries");
        std::fs::create_dir(&folder)?;
        let source = folder.join("s.ron.age");
        std::fs::write(&source, "age")?;
        let vault = crate::vault::sealing_to_a_new_identity(root.path())?;
        let plain = Vault::plain();
        let target = root.path().join("s.md");
        let sealed = root.path().join("s.md.age");

        // Sealed: `.age` added, and the text is not in the file.
        let written = write_export(&target, b"Farhana", &[&source], &folder, false, &vault)?;
        assert_eq!(written, sealed);
        assert!(!target.exists());
        assert_eq!(vault.read(&sealed)?, b"Farhana");
        // Neither name is taken over without asking: not the sealed one, not the plain one.
        let again = write_export(&target, b"two", &[&source], &folder, false, &vault);
        assert_eq!(again, Err(Refusal::Exists(sealed.clone())));
        let plain_copy = write_export(&target, b"two", &[&source], &folder, false, &plain);
        assert_eq!(plain_copy, Err(Refusal::Exists(sealed.clone())));
        // Asked for a plain copy over it: the sealed one goes, so one form remains.
        assert_eq!(
            write_export(&sealed, b"plain", &[&source], &folder, true, &plain)?,
            target
        );
        assert_eq!(std::fs::read(&target)?, b"plain");
        assert!(!sealed.exists());
        // Sealed over a plain one, replacing: the plain copy goes.
        write_export(&target, b"sealed", &[&source], &folder, true, &vault)?;
        assert!(!target.exists() && sealed.exists());
        // The folder rule holds for the sealed name too.
        let refused = write_export(&folder.join("r.md"), b"x", &[&source], &folder, true, &vault);
        assert!(
            matches!(refused, Err(Refusal::SummariesFolder { .. })),
            "{refused:?}"
        );
        Ok(())
    }
}
