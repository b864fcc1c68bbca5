//! Colour themes: RON files naming every colour the console uses by its role.
//!
//! A theme file may name only some roles; the rest come from the built-in dark theme,
//! so a user theme can be a three-line tweak. `NO_COLOR` turns every colour off; the
//! screens never carry information by colour alone, so nothing is lost.

use std::fmt;
use std::path::Path;

use ratatui::style::Color;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::source::{Diagnostic, LoadError, parse_ron, read_source};

/// Built-in themes, compiled in: (name, RON source).
pub const BUILTIN: [(&str, &str); 3] = [
    ("dark", include_str!("../themes/dark.ron")),
    ("light", include_str!("../themes/light.ron")),
    ("high-contrast", include_str!("../themes/high-contrast.ron")),
];

/// A colour as a theme file writes it: a name (`"LightRed"`), `"#rrggbb"` or an index `"208"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeColor(pub Color);

impl Serialize for ThemeColor {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ThemeColor {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ColorVisitor;
        impl Visitor<'_> for ColorVisitor {
            type Value = ThemeColor;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a colour: a name such as \"LightRed\", \"#rrggbb\" or an index 0-255")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<ThemeColor, E> {
                value.parse::<Color>().map(ThemeColor).map_err(|_| {
                    E::custom(format!(
                        "{value:?} is not a colour: use a name (Black, Red, Green, Yellow, Blue, Magenta, Cyan, \
                         Gray, DarkGray, LightRed, …, White, Reset), \"#rrggbb\" or an index \"0\"-\"255\""
                    ))
                })
            }
        }
        deserializer.deserialize_str(ColorVisitor)
    }
}

macro_rules! theme_roles {
    ($($(#[doc = $doc:literal])* $role:ident),* $(,)?) => {
        /// A theme as written in a file: any role may be left out.
        #[derive(Debug, Clone, Default, Serialize, Deserialize)]
        #[serde(deny_unknown_fields, rename = "Theme")]
        pub struct ThemeFile {
            #[serde(default)]
            pub name: Option<String>,
            $($(#[doc = $doc])* #[serde(default, skip_serializing_if = "Option::is_none")] pub $role: Option<ThemeColor>,)*
        }

        /// A resolved theme: every role has a colour.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Theme {
            pub name: String,
            $($(#[doc = $doc])* pub $role: Color,)*
        }

        impl Theme {
            /// Fills the roles `file` leaves out from `base`.
            fn layered(base: &Theme, file: ThemeFile) -> Theme {
                Theme {
                    name: file.name.unwrap_or_else(|| base.name.clone()),
                    $($role: file.$role.map_or(base.$role, |c| c.0),)*
                }
            }

            /// Every colour reset to the terminal's own: for `NO_COLOR` and monochrome terminals.
            pub fn monochrome(&self) -> Theme {
                Theme { name: self.name.clone(), $($role: Color::Reset,)* }
            }

            /// The role names, for `holdspace themes --preview`.
            pub fn roles(&self) -> Vec<(&'static str, Color)> {
                vec![$((stringify!($role), self.$role),)*]
            }
        }
    };
}

theme_roles! {
    /// Screen background.
    background,
    /// Ordinary text.
    text,
    /// Secondary text: hints, timestamps, labels.
    muted,
    /// Titles and borders of the focused panel.
    accent,
    /// Panel borders.
    border,
    /// The countdown while it runs with time to spare.
    countdown,
    /// The countdown while paused.
    paused,
    /// A countdown inside a warning threshold.
    warning,
    /// Time beyond a segment's or speaker's plan.
    overtime,
    /// Finished agenda segments.
    done,
    /// The current agenda segment.
    current,
    /// Upcoming agenda segments.
    upcoming,
    /// Skipped segments and passed turns.
    skipped,
    /// The member speaking now.
    speaker,
    /// Members who have spoken.
    spoken,
    /// Members who have not spoken yet.
    unheard,
    /// Airtime bars.
    airtime,
    /// Notes tagged risk.
    risk,
    /// Notes tagged follow-up.
    follow_up,
    /// Other tags.
    tag,
    /// The "saved" mark of the journal.
    saved,
    /// Errors and alarms (unsaved data, a bad plan reload).
    error,
    /// Key names in the hint line and help.
    key,
    /// The highlighted row of a list.
    selection,
}

impl Theme {
    /// The default: built-in dark.
    pub fn dark() -> Theme {
        builtin("dark").unwrap_or_else(fallback)
    }
}

/// A built-in theme by name.
pub fn builtin(name: &str) -> Option<Theme> {
    let (_, source) = BUILTIN.iter().find(|(n, _)| *n == name)?;
    let file: ThemeFile = parse_ron(source, Path::new(name)).ok()?;
    Some(Theme::layered(&fallback(), file))
}

/// Parses a theme file's text, filling left-out roles from the dark theme.
pub fn parse_theme(source: &str, file: &Path) -> Result<Theme, LoadError> {
    let parsed: ThemeFile = parse_ron(source, file)?;
    Ok(Theme::layered(&Theme::dark(), parsed))
}

/// Loads a theme from a path.
pub fn load_theme_file(path: &Path) -> Result<Theme, LoadError> {
    let source = read_source(path)?;
    parse_theme(&source, path)
}

/// Resolves `--theme NAME|FILE`: a user theme in `user_dir` overrides a built-in of the same name.
pub fn resolve(spec: &str, user_dir: Option<&Path>) -> Result<Theme, LoadError> {
    let as_path = Path::new(spec);
    if spec.ends_with(".ron") || spec.contains(std::path::MAIN_SEPARATOR) {
        return load_theme_file(as_path);
    }
    if let Some(dir) = user_dir {
        let candidate = dir.join(format!("{spec}.ron"));
        if candidate.is_file() {
            return load_theme_file(&candidate);
        }
    }
    builtin(spec).ok_or_else(|| {
        let names: Vec<_> = BUILTIN.iter().map(|(n, _)| *n).collect();
        LoadError::from(
            Diagnostic::error(
                as_path,
                crate::source::Position::START,
                format!("no theme named \"{spec}\""),
            )
            .with_fix(format!(
                "use one of: {}, or a path to a .ron theme",
                names.join(", ")
            )),
        )
    })
}

/// The theme to draw in: `--theme` (else the config's), a user theme in the config dir's
/// `themes/` winning over a built-in of the same name, without colour when `NO_COLOR` asks.
pub fn for_session(flag: Option<&str>, configured: &str) -> Result<Theme, LoadError> {
    let user_themes = crate::storage::config_dir().map(|dir| dir.join("themes"));
    let theme = resolve(flag.unwrap_or(configured), user_themes.as_deref())?;
    Ok(if no_color_requested() {
        theme.monochrome()
    } else {
        theme
    })
}

/// Whether the user asked for no colour (<https://no-color.org>: set and not empty).
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Used only if the embedded dark theme failed to parse, which a test rules out.
fn fallback() -> Theme {
    Theme {
        name: "dark".into(),
        background: Color::Reset,
        text: Color::White,
        muted: Color::Gray,
        accent: Color::Cyan,
        border: Color::DarkGray,
        countdown: Color::LightGreen,
        paused: Color::Yellow,
        warning: Color::LightYellow,
        overtime: Color::LightRed,
        done: Color::Gray,
        current: Color::LightCyan,
        upcoming: Color::White,
        skipped: Color::DarkGray,
        speaker: Color::LightGreen,
        spoken: Color::Gray,
        unheard: Color::LightYellow,
        airtime: Color::Cyan,
        risk: Color::LightRed,
        follow_up: Color::LightMagenta,
        tag: Color::LightBlue,
        saved: Color::Green,
        error: Color::LightRed,
        key: Color::LightCyan,
        selection: Color::DarkGray,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_parses_and_names_every_role() {
        for (name, source) in BUILTIN {
            let file: ThemeFile =
                parse_ron(source, Path::new(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            let written = ron::to_string(&file).unwrap_or_default();
            for (role, _) in fallback().roles() {
                assert!(
                    written.contains(&format!("{role}:")),
                    "theme {name} does not name `{role}`"
                );
            }
        }
    }

    #[test]
    fn a_partial_theme_keeps_the_rest_of_dark() {
        let theme = parse_theme("Theme(risk: \"#ff0000\")", Path::new("t.ron")).expect("parses");
        assert_eq!(theme.risk, Color::Rgb(255, 0, 0));
        assert_eq!(theme.countdown, Theme::dark().countdown);
    }

    #[test]
    fn a_bad_colour_names_its_line() {
        let err = parse_theme("Theme(\n  risk: \"reddish\",\n)", Path::new("t.ron")).expect_err("must fail");
        let text = err.to_string();
        assert!(text.contains("t.ron:2:"), "{text}");
        assert!(text.contains("not a colour"), "{text}");
    }
}
