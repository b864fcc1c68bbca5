//! The folder being scanned, opened once: its files are looked at and read by name within
//! it, so 100,000 `stat`s and reads do not each walk the folder's path again.

use std::fs;
use std::io::{self, Read};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, FileType, Mode, OFlags, StatxFlags};

use super::known::Stamp;

/// What a file's `stat` says.
pub enum Look {
    File(Stamp),
    /// A folder (or a link to one): not a summary.
    Folder,
    /// Vanished since the listing (a sync removed it): simply not there.
    Gone,
    /// There, but its stamp cannot be taken: a row that says why.
    Unreadable(String),
}

/// An opened folder.
pub struct Folder {
    dir: PathBuf,
    /// `None` where the folder cannot be opened as such: then files are looked at by path.
    fd: Option<OwnedFd>,
}

impl Folder {
    pub fn open(dir: &Path) -> Folder {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        Folder {
            dir: dir.to_owned(),
            fd: rustix::fs::open(dir, flags, Mode::empty()).ok(),
        }
    }

    /// The path of the file called `name` in the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The file called `name` in the folder, links followed.
    pub fn look(&self, name: &str) -> Look {
        let Some(fd) = &self.fd else {
            return look_by_path(&self.dir.join(name));
        };
        match rustix::fs::statx(fd, name, AtFlags::empty(), StatxFlags::BASIC_STATS) {
            Ok(st) if FileType::from_raw_mode(st.stx_mode.into()) == FileType::Directory => Look::Folder,
            Ok(st) => {
                let ns = |t: rustix::fs::StatxTimestamp| {
                    t.tv_sec
                        .saturating_mul(1_000_000_000)
                        .saturating_add(i64::from(t.tv_nsec))
                };
                Look::File(Stamp {
                    len: st.stx_size,
                    mtime_ns: ns(st.stx_mtime),
                    ctime_ns: ns(st.stx_ctime),
                    ino: st.stx_ino,
                })
            }
            // A kernel (or sandbox) without statx: the portable way.
            Err(rustix::io::Errno::NOSYS) => look_by_path(&self.dir.join(name)),
            Err(rustix::io::Errno::NOENT) if !self.is_link(fd, name) => Look::Gone,
            Err(error) => Look::Unreadable(format!("cannot read: {}", io::Error::from(error))),
        }
    }

    /// Reads the file called `name` into `buf` (emptied first): at most `max` bytes and
    /// one more, so a file grown past `max` shows.
    pub fn read(&self, name: &str, max: u64, buf: &mut Vec<u8>) -> io::Result<()> {
        // A large file's buffer is not kept for the small ones after it.
        if buf.capacity() > 1 << 20 {
            *buf = Vec::new();
        }
        buf.clear();
        let file = match &self.fd {
            Some(fd) => fs::File::from(rustix::fs::openat(
                fd,
                name,
                OFlags::RDONLY | OFlags::CLOEXEC,
                Mode::empty(),
            )?),
            None => fs::File::open(self.dir.join(name))?,
        };
        file.take(max.saturating_add(1)).read_to_end(buf)?;
        Ok(())
    }

    fn is_link(&self, fd: &OwnedFd, name: &str) -> bool {
        rustix::fs::statx(fd, name, AtFlags::SYMLINK_NOFOLLOW, StatxFlags::TYPE)
            .is_ok_and(|st| FileType::from_raw_mode(st.stx_mode.into()) == FileType::Symlink)
    }
}

/// What the listing's own entry for a file says (for a name that is not UTF-8, which
/// cannot be looked up by its lossy name).
pub fn look_at_entry(entry: &fs::DirEntry) -> Look {
    match entry.metadata() {
        Ok(meta) if meta.file_type().is_symlink() => look_by_path(&entry.path()),
        Ok(meta) if meta.is_dir() => Look::Folder,
        Ok(meta) => Look::File(Stamp::of(&meta)),
        Err(error) => Look::Unreadable(format!("cannot read: {error}")),
    }
}

fn look_by_path(path: &Path) -> Look {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Look::Folder,
        Ok(meta) => Look::File(Stamp::of(&meta)),
        Err(error) if error.kind() == io::ErrorKind::NotFound && !is_symlink(path) => Look::Gone,
        Err(error) => Look::Unreadable(format!("cannot read: {error}")),
    }
}

fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}
