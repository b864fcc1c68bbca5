//! The config file: default theme, data dir, alert style and warning thresholds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::keymap::Keymap;
use crate::plan::PlanDuration;
use crate::source::{Diagnostic, LoadError, Locator, PathStep, parse_ron};

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
    /// Rebinding: action name → keys, e.g. `"note": ["F2"]`.
    #[serde(default)]
    pub keys: BTreeMap<String, Vec<String>>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            theme: default_theme(),
            data_dir: None,
            alerts: default_alerts(),
            warnings: Vec::new(),
            keys: BTreeMap::new(),
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

/// Parses a config file. Bad key bindings are errors that name their line, so `check`
/// reports them; the console itself keeps the defaults for what did not parse.
pub fn parse_config(source: &str, file: &Path) -> Result<LoadedConfig, LoadError> {
    let config: Config = parse_ron(source, file)?;
    let (_, problems) = Keymap::with_overrides(&config.keys);
    let locator = Locator::new(source);
    let errors: Vec<Diagnostic> = problems
        .into_iter()
        .map(|problem| {
            let at = locator.find(&[PathStep::Field("keys"), PathStep::Key(&problem.action)]);
            Diagnostic::error(file, at, problem.message).with_fix("see the README's keymap")
        })
        .collect();
    if errors.is_empty() {
        Ok(LoadedConfig {
            config,
            warnings: Vec::new(),
        })
    } else {
        Err(LoadError(errors))
    }
}

/// The config named by `--config`, else the one in the config dir. The console creates
/// the commented default on first use (`create`); the review only reads. A config that
/// does not load is reported on stderr and the defaults are used.
pub fn resolve(flag: Option<&Path>, create: bool) -> Config {
    let Some(path) = flag.map(Path::to_owned).or_else(default_path) else {
        return Config::default();
    };
    if !create && !path.exists() {
        return Config::default();
    }
    let (config, problems) = load_or_create(&path);
    for problem in problems {
        crate::terminal::message(crate::terminal::Stream::Err, &problem.to_string());
    }
    config
}

/// The config file's path in the platform's config dir.
pub fn default_path() -> Option<PathBuf> {
    crate::storage::config_dir().map(|dir| dir.join("config.ron"))
}

/// The config from `path`, writing the commented default there on first use. A config
/// that does not load is reported and the defaults are used: the session must start.
pub fn load_or_create(path: &Path) -> (Config, Vec<Diagnostic>) {
    if !path.exists() {
        if let Some(dir) = path.parent() {
            let _ = crate::storage::ensure_private_dir(dir);
        }
        let _ = crate::storage::write_atomic(path, DEFAULT_CONFIG.as_bytes());
        return (Config::default(), Vec::new());
    }
    let loaded = crate::source::read_source(path)
        .map_err(LoadError::from)
        .and_then(|source| parse_config(&source, path));
    match loaded {
        Ok(loaded) => (loaded.config, loaded.warnings),
        Err(LoadError(errors)) => (Config::default(), errors),
    }
}

/// Written on first use: every setting, commented.
pub const DEFAULT_CONFIG: &str = r#"// holdspace config. Every setting is optional; delete a line to get its default.
Config(
    // Theme: dark, light, high-contrast, a theme in this folder's themes/, or a path.
    theme: "dark",
    // Where journals and summaries go. None = the platform's data dir.
    data_dir: None,
    // How warnings reach you: any of Desktop, Bell, Flash. [] for none.
    alerts: [Desktop, Flash],
    // Warning thresholds for plans that set none, e.g. ["2m", "30s"].
    warnings: [],
    // Rebind keys: action name -> keys. Actions are listed in the README's keymap.
    // keys: { "note": ["F2"], "pass": ["p"] },
    keys: {},
)
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_config_parses_to_the_defaults() {
        let loaded = parse_config(DEFAULT_CONFIG, Path::new("config.ron")).expect("default config");
        assert_eq!(loaded.config, Config::default());
    }

    #[test]
    fn bad_values_are_reported_with_their_line() {
        let cases = [
            ("Config(alerts: [Beep])", "1:17", "unknown"),
            ("Config(theme: 3)", "1:", "string"),
            (
                "Config(\n  keys: { \"note\": [\"Hyper-x\"] },\n)",
                "2:11",
                "not a key",
            ),
            (
                "Config(\n  keys: {\n \"nope\": [\"x\"] },\n)",
                "3:2",
                "unknown action",
            ),
            ("Config(keys: { \"note\": [\"Tab\"] })", "1:", "next_speaker"),
        ];
        for (source, at, gist) in cases {
            let err = parse_config(source, Path::new("c.ron"))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains(&format!("c.ron:{at}")), "{source}: {err}");
            assert!(err.contains(gist), "{source}: {err}");
        }
    }

    #[test]
    fn a_broken_config_file_keeps_the_defaults() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("config.ron");
        let (config, errors) = load_or_create(&path);
        assert_eq!(config, Config::default());
        assert!(errors.is_empty());
        assert!(path.exists(), "the commented default is written on first use");
        std::fs::write(&path, "Config(alerts: [Beep])")?;
        let (config, errors) = load_or_create(&path);
        assert_eq!(config, Config::default());
        assert_eq!(errors.len(), 1);
        Ok(())
    }
}
