//! The config file: default theme, data dir, alert style, warning thresholds, encryption
//! at rest and retention.

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
    /// The progress-note format of wrap-ups (a plan's own `note_template` wins): Soap,
    /// Dap, Birp or Girp; DAP when unset.
    #[serde(default)]
    pub note_template: Option<crate::plan::NoteTemplate>,
    /// Encryption at rest with age; off when unset. See [`crate::vault`].
    #[serde(default)]
    pub encryption: Option<Encryption>,
    /// How long archived journals and exports are kept; forever when unset.
    #[serde(default)]
    pub retention: Retention,
}

/// `encryption: (recipients: ["age1…"], identity: "~/.config/holdspace/identity.txt")`,
/// or `encryption: (passphrase: true)`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Encryption {
    /// Public keys every file is encrypted to: yours, and a second one (the clinic's) so
    /// that one lost key does not lose the archive. Empty: the identity's own key.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Your identity file (secret key) to open encrypted files; `~` is your home.
    #[serde(default)]
    pub identity: Option<PathBuf>,
    /// Encrypt to a passphrase (age's scrypt) instead of to keys.
    #[serde(default)]
    pub passphrase: bool,
    /// Named sets of recipients for files meant for someone alone, e.g.
    /// `{"supervisor": ["age1…"]}`.
    #[serde(default)]
    pub named: BTreeMap<String, Vec<String>>,
}

/// `retention: (journals: "90d", exports: "30d")`: what `holdspace purge` removes once older.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// Archived journals (of finished sessions; their summaries hold everything).
    #[serde(default)]
    pub journals: Option<KeepFor>,
    /// Files in the data dir's `exports/`.
    #[serde(default)]
    pub exports: Option<KeepFor>,
    /// Summaries and their wrap-ups and sidecars: kept forever unless named here.
    #[serde(default)]
    pub summaries: Option<KeepFor>,
}

/// A retention period in whole days, written `"90d"`, `"12w"` or `"1y"` (365 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct KeepFor {
    pub days: u32,
}

impl std::str::FromStr for KeepFor {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let bad = || format!("{text:?} is not a retention period: write e.g. \"90d\", \"12w\" or \"1y\"");
        let split = text.len().saturating_sub(1);
        let (number, unit) = (
            text.get(..split).ok_or_else(bad)?,
            text.get(split..).ok_or_else(bad)?,
        );
        let count: u32 = number.parse().map_err(|_| bad())?;
        let per = match unit {
            "d" => 1,
            "w" => 7,
            "y" => 365,
            _ => return Err(bad()),
        };
        match count.checked_mul(per) {
            Some(days) if days > 0 => Ok(KeepFor { days }),
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for KeepFor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}d", self.days)
    }
}

impl Serialize for KeepFor {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KeepFor {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            theme: default_theme(),
            data_dir: None,
            alerts: default_alerts(),
            warnings: Vec::new(),
            keys: BTreeMap::new(),
            note_template: None,
            encryption: None,
            retention: Retention::default(),
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
    let mut errors: Vec<Diagnostic> = problems
        .into_iter()
        .map(|problem| {
            let at = locator.find(&[PathStep::Field("keys"), PathStep::Key(&problem.action)]);
            Diagnostic::error(file, at, problem.message).with_fix("see the README's keymap")
        })
        .collect();
    // A mistyped public key would only show when the first file is encrypted.
    if let Some(encryption) = &config.encryption {
        for (index, key) in encryption.recipients.iter().enumerate() {
            if let Err(error) = crate::vault::keys::parse_recipients(std::slice::from_ref(key)) {
                let at = locator.find(&[
                    PathStep::Field("encryption"),
                    PathStep::Field("recipients"),
                    PathStep::Index(index),
                ]);
                errors.push(
                    Diagnostic::error(file, at, error.to_string())
                        .with_fix("copy the whole age1… line that `holdspace keys new` printed"),
                );
            }
        }
    }
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
    // The progress-note format of wrap-ups: Soap, Dap, Birp or Girp (a plan's own wins).
    // note_template: Dap,
    // Encryption at rest with age (see `holdspace keys new` and the README), e.g.
    // encryption: (recipients: ["age1…yours", "age1…clinic"], identity: "~/.config/holdspace/identity.txt"),
    encryption: None,
    // How long archived journals and exports are kept (`holdspace purge`), e.g.
    // retention: (journals: "90d", exports: "30d"),
    retention: (),
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
    fn encryption_and_retention_settings_parse() {
        let source = r#"Config(
            encryption: (recipients: ["age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"], identity: "~/id.txt", named: {"supervisor": ["age1y"]}),
            retention: (journals: "90d", exports: "2w", summaries: "1y"),
        )"#;
        let config = parse_config(source, Path::new("c.ron")).expect("parses").config;
        let encryption = config.encryption.expect("encryption is on");
        assert_eq!(
            encryption.recipients,
            ["age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"]
        );
        assert_eq!(encryption.identity.as_deref(), Some(Path::new("~/id.txt")));
        assert_eq!(encryption.named["supervisor"], ["age1y"]);
        assert!(!encryption.passphrase);
        let days = |keep: Option<KeepFor>| keep.map(|k| k.days);
        assert_eq!(days(config.retention.journals), Some(90));
        assert_eq!(days(config.retention.exports), Some(14));
        assert_eq!(days(config.retention.summaries), Some(365));
    }

    #[test]
    fn a_mistyped_recipient_is_reported_with_its_line() {
        let source = "Config(\n  encryption: (\n    recipients: [\"age1typo\"],\n  ),\n)";
        let error = parse_config(source, Path::new("c.ron"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("c.ron:3:"), "{error}");
        assert!(error.contains("age1typo"), "{error}");
    }

    #[test]
    fn a_config_without_the_new_settings_still_loads() {
        let old = "Config(theme: \"light\", alerts: [Bell], warnings: [], keys: {})";
        let config = parse_config(old, Path::new("c.ron"))
            .expect("an old config loads")
            .config;
        assert_eq!(config.encryption, None);
        assert_eq!(config.retention, Retention::default());
    }

    #[test]
    fn bad_retention_periods_are_refused_with_their_line() {
        for bad in [
            "\"90\"",
            "\"d\"",
            "\"0d\"",
            "\"-3d\"",
            "\"5m\"",
            "\"99999999999d\"",
            "90",
            "\"\"",
        ] {
            let source = format!("Config(\n retention: (journals: {bad}),\n)");
            let error = parse_config(&source, Path::new("c.ron"))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(error.contains("c.ron:2:"), "{bad}: {error}");
        }
        assert_eq!("12w".parse::<KeepFor>().map(|k| k.days), Ok(84));
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
