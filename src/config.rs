//! The config file: default theme, data dir, alert style and warning thresholds.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::plan::{LoadError, PlanDuration, load::parse_ron};

/// How a warning reaches the facilitator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Alert {
    /// A desktop notification (never with a member's name or a note).
    Desktop,
    /// The terminal bell.
    Bell,
    /// A brief flash of the countdown.
    Flash,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Config")]
pub struct Config {
    /// Theme name (built-in or in the config dir's `themes/`) or a path.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Where journals and summaries go; the platform's data dir when unset.
    #[serde(default)]
    pub data_dir: Option<PathBuf>,
    /// Any of Desktop, Bell, Flash; empty for none.
    #[serde(default = "default_alerts")]
    pub alerts: Vec<Alert>,
    /// Warning thresholds for plans that set none.
    #[serde(default)]
    pub warnings: Vec<PlanDuration>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            theme: default_theme(),
            data_dir: None,
            alerts: default_alerts(),
            warnings: Vec::new(),
        }
    }
}

fn default_theme() -> String {
    "dark".into()
}

fn default_alerts() -> Vec<Alert> {
    vec![Alert::Desktop, Alert::Flash]
}

/// A config that loaded, with any warnings about it.
pub struct LoadedConfig {
    pub config: Config,
    pub warnings: Vec<Diagnostic>,
}

pub fn parse_config(source: &str, file: &Path) -> Result<LoadedConfig, LoadError> {
    let config: Config = parse_ron(source, file)?;
    Ok(LoadedConfig {
        config,
        warnings: Vec::new(),
    })
}
