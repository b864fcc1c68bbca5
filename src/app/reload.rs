//! Live plan reload: the plan file is watched while a session runs; a change that
//! validates replaces the plan (what has happened is kept), one that does not is shown
//! and the last good plan stays.

use std::path::{Path, PathBuf};

use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;

/// Watches one plan file. Editors often save by writing a new file and renaming it over
/// the old one, so the folder is watched and events are filtered by file name.
pub struct PlanWatcher {
    // Kept alive for as long as the session runs; dropping it stops the watching.
    _watcher: notify::RecommendedWatcher,
    pub changes: mpsc::UnboundedReceiver<()>,
    pub path: PathBuf,
}

impl PlanWatcher {
    pub fn start(path: &Path) -> notify::Result<PlanWatcher> {
        let (tx, changes) = mpsc::unbounded_channel();
        let name = path.file_name().map(ToOwned::to_owned);
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            let touches_plan = event.paths.iter().any(|p| p.file_name() == name.as_deref());
            if touches_plan && (event.kind.is_modify() || event.kind.is_create()) {
                let _ = tx.send(());
            }
        })?;
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        watcher.watch(dir, RecursiveMode::NonRecursive)?;
        Ok(PlanWatcher {
            _watcher: watcher,
            changes,
            path: path.to_owned(),
        })
    }
}
